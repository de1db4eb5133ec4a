"""One line of a table: its label and the figures that end it (with their € and % signs).

A mark for a cell that is not available ("-", "n.v.t.") is a Number of style "mark".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..loader import TOTAL_LABELS
from .numbers import EMPTY_MARKS, EURO, PERCENT, Number, parse_number
from .text import Line, Source

TOTALS = {*TOTAL_LABELS, "totaal generaal", "algemeen totaal", "eindtotaal", "totalen"}


@dataclass
class Split:
    """A line cut into its label part and the figures that end it."""

    line: Line
    text: str
    cells: list[Number | None]  # a mark ("-", "n.v.t.") is a Number of style "mark"
    euro_only: bool = False

    @property
    def numeric(self) -> bool:
        return bool(self.cells) or self.euro_only


def split_line(line: Line) -> Split:
    """Cut the trailing figures (with their € and % signs) off a line."""
    text = line.text
    if text.upper() in (EURO, "EUR", "(€)"):
        return Split(line, "", [], euro_only=True)
    tokens = text.split(" ")
    run: list[str] = []
    k = len(tokens)
    while k > 0:
        token = tokens[k - 1]
        if token in (EURO, PERCENT, "EUR") or token in EMPTY_MARKS or parse_number(token):
            run.insert(0, token)
            k -= 1
            continue
        break
    if not any(t not in (EURO, PERCENT, "EUR") and t not in EMPTY_MARKS for t in run):
        # Only signs or dashes: part of the label ("Kosten -", "Bedrag €").
        return Split(line, text, [])
    # Leading signs belong to the label only if no figure follows them directly.
    cells: list[Number | None] = []
    signs = ("€", "EUR")
    # "€ 12" (the sign before) unless the run ends in a sign ("12 €"); a sign between two
    # figures goes with the one written with decimals, else with the next one.
    suffix = run[-1] in signs and run[0] not in signs
    euro_next = False
    for pos, token in enumerate(run):
        if token in signs:
            before = cells[-1] if cells else None
            after = parse_number(run[pos + 1]) if pos + 1 < len(run) else None
            if suffix or after is None:
                to_previous = before is not None
            elif before is None:
                to_previous = False
            else:
                to_previous = before.style == "comma" and after.style != "comma"
            if to_previous and before is not None:
                cells[-1] = with_signs(before, euro=True)
            else:
                euro_next = True
            continue
        if token == PERCENT:
            if cells and cells[-1] is not None and cells[-1].style != "mark":
                cells[-1] = with_signs(cells[-1], percent=True)
            continue
        if token in EMPTY_MARKS:
            cells.append(Number(Decimal(0), token, "mark"))
            euro_next = False
            continue
        number = parse_number(token)
        assert number is not None
        if euro_next:
            number, euro_next = with_signs(number, euro=True), False
        cells.append(number)
    label = " ".join(tokens[:k])
    # A lone dash at the end of a label is punctuation, not an empty cell.
    while cells and cells[0] is None and not label:
        break
    return Split(line, label, cells)


def with_signs(number: Number, euro: bool = False, percent: bool = False) -> Number:
    """A copy of a Number with a sign flag set."""
    if number.style == "mark":
        return number
    return Number(
        number.value,
        number.text,
        number.style,
        number.percent or percent,
        number.euro or euro,
        number.alternative,
    )


def is_total(label: str) -> bool:
    """Whether a row label names the total row (Totaal, TOTAAL, Eindtotaal, Total, ...)."""
    return label.strip().rstrip(":").casefold() in TOTALS


_NUMBERISH = re.compile(r"^[€(]?[-−]?\d[\d.,]*[%€)]?$")


def check_labels(source: Source, items: list[Split]) -> None:
    """Refuse a table line with a figure that is no number ("2.305,218,74"): never a label."""
    for s in items:
        for token in s.text.split(" "):
            if bad_figure(token):
                raise source.error(s.line, f"{token!r} is not a number in Belgian format")


def bad_figure(token: str) -> bool:
    """Whether a token is written as a figure but is no number ("2.305,218,74")."""
    bare = token.rstrip(":;")
    return bool(_NUMBERISH.match(bare)) and parse_number(bare.strip("()")) is None
