"""What each column holds: count, amount, percent, number; unit and multiplier; decimal marks
(a point that may be a thousands separator); ratio and share columns; partial rows placed."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from .numbers import Number
from .parsed import ParsedTable
from .text import Source

_EURO_WORDS = re.compile(r"(€|\beuro\b|\beur\b)", re.IGNORECASE)


_MILLION = re.compile(r"\b(miljoen|mio|mln)\b", re.IGNORECASE)


_THOUSAND = re.compile(r"\b(duizend|k€|keur)\b", re.IGNORECASE)


_PERCENT_WORDS = re.compile(r"(%|\bprocent\b|\bpercentage\b)", re.IGNORECASE)


_EURO = r"(?:(?:euro|eur)\b|€)"
#: 1.000 or 1.000.000 (points, spaces or none between): a multiplier written as a figure.
_FIGURE = r"1[.\s\u00a0\u202f]?000(?:[.\s\u00a0\u202f]?000)?(?![\d,])"
#: "in miljoen euro", "(in duizend euro)", "bedragen in k€", "in euro", "(in €)",
#: "(in 1.000 euro)": the amounts' unit in a caption or the sentence before a table.
_IN_EURO = re.compile(
    rf"(?<![\w-])in\s+(?:(miljoen|miljoenen|mio|mln|duizend|duizenden|k)\s*)?{_EURO}"
    rf"|\(\s*in\s+({_FIGURE})\s*{_EURO}",
    re.IGNORECASE,
)
#: "(x 1.000 euro)", "x 1 000 000 €", "(€ x 1.000)": a multiplier written as a figure.
_TIMES_EURO = re.compile(
    rf"(?<!\w)[x×]\s*({_FIGURE})\s*{_EURO}|{_EURO}\s*[x×]\s*({_FIGURE})", re.IGNORECASE
)
#: "(€)", "(euro)", "(k€)", "k€", "KEUR", "m€": the unit alone, in brackets or as a symbol.
_EURO_SYMBOL = re.compile(
    rf"\(\s*{_EURO}\s*\)|(?<![\w-])(k|m)(?:€|eur\b)|\(\s*(k|m)\s*{_EURO}\s*\)", re.IGNORECASE
)
#: A header that names money: an amount, subsidy, support, budget, cost ("Steunbedrag",
#: "Toegekende steun", "Kostprijs"), euro, or "Toegekend" / "Vastgelegd" alone.
_MONEY_WORDS = re.compile(
    r"€|\b(?:euro|eur)\b|\b\w*(?:bedrag|bedragen|subsidie|steun|budget|budgetten|kostprijs"
    r"|kosten|uitgaven|premie|investering|vergoeding|middelen)\b"
    r"|\b(?:toegekend|vastgelegd|uitbetaald|betaald)e?\s*(?:\(|$)",
    re.IGNORECASE,
)
#: A header that names a count: the number of files, projects, applications, enterprises.
_COUNT_WORDS = re.compile(
    r"#|\b(?:aantal|dossiers?|projecten|project|aanvragen|aanvraag|ondernemingen|bedrijven"
    r"|kmo's|kmo’s|begunstigden|aanvragers|deelnemers|werknemers|personen)\b",
    re.IGNORECASE,
)
_MULTIPLIER_WORDS = {
    "miljoen": "million",
    "miljoenen": "million",
    "mio": "million",
    "mln": "million",
    "m": "million",
    "duizend": "thousand",
    "duizenden": "thousand",
    "k": "thousand",
}


def stated_unit(text: str) -> tuple[str | None, str, bool] | None:
    """The euro unit a caption or sentence states for a table's amounts, the first it names:
    its multiplier ("thousand", "million" or None), the words that say it, and whether those
    are "in <multiplier> euro" (which also applies to a header that names no money)."""
    found: list[tuple[int, str | None, str, bool]] = []
    if m := _IN_EURO.search(text):
        word: str | None = _MULTIPLIER_WORDS.get((m.group(1) or "").lower())
        if m.group(2):
            word = _figure_multiplier(m.group(2))
        found.append((m.start(), word, m.group(0), m.group(1) is not None))
    if m := _TIMES_EURO.search(text):
        found.append((m.start(), _figure_multiplier(m.group(1) or m.group(2)), m.group(0), False))
    if m := _EURO_SYMBOL.search(text):
        prefix = (m.group(1) or m.group(2) or "").lower()
        found.append((m.start(), _MULTIPLIER_WORDS.get(prefix), m.group(0), False))
    if not found:
        return None
    _, multiplier, words, named = min(found, key=lambda f: f[0])  # the first said
    return multiplier, words, named


# "1.000" -> thousand, "1 000 000" -> million.
def _figure_multiplier(figure: str) -> str:
    return "thousand" if len(re.sub(r"\D", "", figure)) == 4 else "million"


def money_header(label: str) -> bool | None:
    """Whether a column header names money (True), a count (False) or neither (None); the
    word that comes first decides ("Bedrag per dossier" is money, "Dossiers met steun" a count)."""
    money = _MONEY_WORDS.search(label)
    count = _COUNT_WORDS.search(label)
    if money and (count is None or money.start() < count.start()):
        return True
    return False if count else None


def context_units(
    table: ParsedTable,
    context: list[str],
    after: str,
    notes: list[tuple[int, str]],
    at: int,
) -> None:
    """The unit the caption or the sentence before the table states ("(in duizend euro)",
    "in euro", "(x 1.000 euro)", "(€)", "k€"), for the columns that hold money: a header that
    names money, whatever its figures; a header that names neither money nor a count only with
    "in <multiplier> euro" and figures that are not all whole numbers; never a count or a
    percent, nor a column whose own header gives its multiplier. ``context``: the caption and
    the paragraph before the table; ``after``, the paragraph after it, counts only with
    "in <multiplier> euro"."""
    texts = [*context, after]
    for k, text in enumerate(texts):
        stated = stated_unit(text)
        if stated is None or (k == len(texts) - 1 and not stated[2]):
            continue
        multiplier, words, named = stated
        rows = [*table.values, *([table.total_values] if table.total_values else [])]
        for j, c in enumerate(table.columns[1:]):
            if c.multiplier or c.type == "percent":
                continue
            money = money_header(c.label)
            if money is False or (money is None and not (named and c.type in ("amount", "number"))):
                continue
            if c.type == "amount" and c.unit == "EUR" and multiplier is None:
                continue  # the figures already say euro
            below_zero = any(row[j] is not None and row[j] < 0 for row in rows)  # type: ignore[operator]
            c.type = "number" if below_zero else "amount"  # an amount is never below zero
            c.unit, c.multiplier = "EUR", multiplier
            notes.append((at, f"column {c.label!r} read as {words!r} (said beside the table)"))
        return


def ratios(table: ParsedTable, notes: list[tuple[int, str]], at: int) -> None:
    """A percent column equal to a / b of two other columns in every row, within its rounding,
    is declared as that ratio; one equal to a / the total of a, as a share of that column."""
    measures = list(enumerate(table.columns[1:]))
    others = [(j, c) for j, c in measures if c.type in ("count", "amount", "number")]
    for j, column in measures:
        if column.type != "percent":
            continue
        half = Decimal(5).scaleb(-column.decimals - 1)
        found = None
        for (a, ca), (b, cb) in itertools.permutations(others, 2):
            if _agrees(table, j, half, a, b):
                found = ("ratio", ca.key, cb.key, f"{ca.label} / {cb.label}")
                break
        if found is None:
            for a, ca in others:
                total = sum((row[a] or Decimal(0) for row in table.values), Decimal(0))
                if total and _agrees(table, j, half, a, None, total):
                    found = ("share", ca.key, "", f"{ca.label} / total {ca.label}")
                    break
        if found is None:
            continue
        kind, numerator, denominator, what = found
        if kind == "ratio":
            column.ratio = (numerator, denominator)
        else:
            column.share_of = numerator
        notes.append((at, f"column {column.label!r} declared as {what} (every row agrees)"))


# Whether column j equals 100 * a / b (b None: a / total) in every row giving all three (two at least).
def _agrees(
    table: ParsedTable,
    j: int,
    half: Decimal,
    a: int,
    b: int | None,
    total: Decimal | None = None,
) -> bool:
    rows = list(table.values)
    if b is not None and table.total_values is not None:
        rows.append(table.total_values)  # a ratio holds on the total row too
    checked = 0
    for row in rows:
        value = row[j]
        numerator, denominator = row[a], (row[b] if b is not None else total)
        if value is None or numerator is None or denominator is None:
            continue
        if not denominator:
            return False
        if abs(Decimal(100) * numerator / denominator - value) > half + Decimal("1e-9"):
            return False
        checked += 1
    return checked >= 2


def place_partial(source: Source, table: ParsedTable, n: int) -> None:
    """Put the figures of rows with fewer figures than columns in the columns they fit."""
    full = [r for r in table.rows if r.partial is None]
    if table.total is not None and table.total.partial is None:
        full.append(table.total)
    profiles = [_profile([r.cells[j] for r in full]) for j in range(n)]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        if row.partial is None:
            continue
        k = len(row.partial)
        best: list[tuple[int, tuple[int, ...]]] = []
        for slots in itertools.combinations(range(n), k):
            fit = sum(_fits(c, profiles[j]) for c, j in zip(row.partial, slots, strict=True))
            best.append((fit, slots))
        best.sort(reverse=True)
        if not best or (len(best) > 1 and best[0][0] == best[1][0]) or best[0][0] < k:
            raise source.error(
                row.line,
                f"{k} figure(s) for {n} columns, and it cannot be told which columns they belong to",
            )
        cells: list[Number | None] = [None] * n
        for c, j in zip(row.partial, best[0][1], strict=True):
            cells[j] = c
        row.cells, row.partial = cells, None


# How a column's figures are written: signs, decimals.
def _profile(cells: list[Number | None]) -> tuple[bool, bool, bool]:
    numbers = [c for c in cells if c is not None]
    return (
        any(c.percent for c in numbers),
        any(c.euro for c in numbers),
        any(c.style in ("comma", "point") for c in numbers),
    )


# Whether a figure is written like the column's others (1) or not (0).
def _fits(cell: Number | None, profile: tuple[bool, bool, bool]) -> int:
    if cell is None or cell.style == "mark":
        return 1
    percent, euro, decimal = profile
    own = (cell.percent, cell.euro, cell.style in ("comma", "point"))
    if own == (percent, euro, decimal):
        return 2
    return int(own[:2] == (percent, euro) and not own[2])


def column_types(source: Source, table: ParsedTable, n: int, notes: list[tuple[int, str]]) -> None:
    """Each column's kind, decimals, unit and multiplier; its values with the decimal points
    decided; cells marked not available; a note for every point read as a decimal point."""
    all_rows = [*table.rows, *([table.total] if table.total else [])]
    values: list[list[Decimal | None]] = [[None] * n for _ in all_rows]
    for j in range(n):
        column = table.columns[j + 1]
        cells = [row.cells[j] for row in all_rows]
        resolved = _resolve_points(source, table, cells, j)
        for cell, value, row in zip(cells, resolved, all_rows, strict=True):
            if cell is not None and cell.alternative is not None and value == cell.alternative:
                notes.append(
                    (
                        row.line.no,
                        f"{cell.text!r} read as {value} (a decimal point): only so do "
                        "the rows add up to the total",
                    )
                )
        for r, value in enumerate(resolved):
            values[r][j] = value
            if cells[r] is not None and cells[r].style == "mark":  # type: ignore[union-attr]
                table.marks[(r, j)] = cells[r].text  # type: ignore[union-attr]
        numbers = [c for c in cells if c is not None]
        label = column.label
        decimals = max((places(v) for v in resolved if v is not None), default=0)
        if any(c.percent for c in numbers) or _PERCENT_WORDS.search(label):
            column.type, column.decimals = "percent", decimals
        elif any(c.euro for c in numbers) or _EURO_WORDS.search(label):
            column.type, column.decimals, column.unit = "amount", decimals, "EUR"
            column.multiplier = (
                "million"
                if _MILLION.search(label)
                else "thousand"
                if _THOUSAND.search(label)
                else None
            )
            if any(v is not None and v < 0 for v in resolved):
                column.type = "number"
        elif all(
            v is None or (v == v.to_integral_value() and v >= 0 and places(v) == 0)
            for v in resolved
        ):
            column.type, column.decimals = "count", 0
        else:
            column.type, column.decimals = "number", decimals
    table.values = values[: len(table.rows)]
    table.total_values = values[-1] if table.total else None


def places(value: Decimal) -> int:
    """The decimals a value is written with."""
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


# Decide each "38.500"-like figure (thousands point or decimal point) in one column.
def _resolve_points(
    source: Source, table: ParsedTable, cells: list[Number | None], j: int
) -> list[Decimal | None]:
    numbers = [c for c in cells if c is not None and c.style != "mark"]
    decimal_elsewhere = any(c.style in ("comma", "point") for c in numbers)
    ambiguous = [
        i
        for i, c in enumerate(cells)
        if c is not None and c.alternative is not None and decimal_elsewhere
    ]
    plain = [c.value if c is not None and c.style != "mark" else None for c in cells]
    if not ambiguous:
        return plain
    total_index = len(table.rows) if table.total is not None else None
    reported = plain[total_index] if total_index is not None else None
    body = [i for i in ambiguous if i != total_index]
    places = max((c.decimals for c in numbers if c.style in ("comma", "point")), default=0)
    if reported is not None and len(body) <= 12:
        fits = []
        for choice in itertools.product((False, True), repeat=len(body)):
            trial = list(plain)
            for i, alt in zip(body, choice, strict=True):
                alternative = cells[i].alternative  # type: ignore[union-attr]
                if alt and alternative is not None:
                    trial[i] = _requantize(alternative, places)
            rows_sum = sum((v for v in trial[: len(table.rows)] if v is not None), Decimal(0))
            if rows_sum == reported:
                fits.append(trial)
        if len(fits) == 1:
            return fits[0]
    first = cells[body[0] if body else ambiguous[0]]
    row = table.rows[body[0]] if body else table.total
    assert first is not None and row is not None
    raise source.error(
        row.line,
        f"{first.text!r} in column {table.columns[j + 1].label!r} may be "
        f"{first.value} or {first.alternative} (a point where the column writes a decimal comma); "
        "write it in full",
    )


# "38.500" read as 38.5 is written with the column's decimals (38.50), if that is exact.
def _requantize(value: Decimal, places: int) -> Decimal:
    quantized = value.quantize(Decimal(1).scaleb(-places))
    return quantized if quantized == value else value
