"""Tables inside an answer: where they stand, their header, their rows, types and totals.

The published text has lost the table grid. A table is recognised as a run of lines that end
in figures; its rows are rebuilt from a stream of labels and figures, whichever way the text
extraction laid them out (a row per line, a cell per line, labels wrapped onto the next line,
page breaks inside). The number of numeric columns is the one that explains the lines best.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..loader import TOTAL_LABELS
from ..model import DimensionKind, infer_dimension
from .numbers import EMPTY_MARKS, EURO, PERCENT, Number, parse_number
from .text import Line, Source, join_lines

_CAPTION = re.compile(
    r"^(tabel|table|overzicht|figuur|grafiek)\s+[\w.-]*\d[\w.-]*\b", re.IGNORECASE
)
_TOTALS = {*TOTAL_LABELS, "totaal generaal", "algemeen totaal", "eindtotaal", "totalen"}
_PIVOT = re.compile(r"\b(rijlabels|row labels|som van|sum of|aantal van|count of)\b", re.IGNORECASE)
_SOM_VAN = re.compile(r"^(som van|sum of|aantal van|count of)\s+", re.IGNORECASE)
_EURO_WORDS = re.compile(r"(€|\beuro\b|\beur\b)", re.IGNORECASE)
_MILLION = re.compile(r"\b(miljoen|mio|mln)\b", re.IGNORECASE)
_THOUSAND = re.compile(r"\b(duizend|k€|keur)\b", re.IGNORECASE)
_PERCENT_WORDS = re.compile(r"(%|\bprocent\b|\bpercentage\b)", re.IGNORECASE)
_MAX_COLUMNS = 8


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
                cells[-1] = _with(before, euro=True)
            else:
                euro_next = True
            continue
        if token == PERCENT:
            if cells and cells[-1] is not None and cells[-1].style != "mark":
                cells[-1] = _with(cells[-1], percent=True)
            continue
        if token in EMPTY_MARKS:
            cells.append(Number(Decimal(0), token, "mark"))
            euro_next = False
            continue
        number = parse_number(token)
        assert number is not None
        if euro_next:
            number, euro_next = _with(number, euro=True), False
        cells.append(number)
    label = " ".join(tokens[:k])
    # A lone dash at the end of a label is punctuation, not an empty cell.
    while cells and cells[0] is None and not label:
        break
    return Split(line, label, cells)


# A copy of a Number with a sign flag set.
def _with(number: Number, euro: bool = False, percent: bool = False) -> Number:
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


@dataclass
class RawRow:
    """A row as read: label, one cell per numeric column, the lines it came from."""

    label: str
    cells: list[Number | None]
    line: Line
    partial: list[Number | None] | None = None  # fewer figures than columns: placed later
    label_on_value_line: bool = False
    level: int = 0


@dataclass
class ParsedColumn:
    """A column as read: key, label as published, type, unit and what it is a ratio of."""

    key: str
    label: str
    type: str
    unit: str | None = None
    decimals: int = 0
    multiplier: str | None = None  # "thousand" / "million": the values are in those units
    ratio: tuple[str, str] | None = None  # a percent column equal to a / b per row
    share_of: str | None = None  # a percent column equal to a / total of a per row
    group: str | None = None  # the upper header over it (a two-level header)


@dataclass
class ParsedTable:
    """A table as the importer found it; `dump` writes it in the dataset format."""

    id: str
    columns: list[ParsedColumn]
    rows: list[RawRow]
    caption: str | None = None
    total: RawRow | None = None
    values: list[list[Decimal | None]] = field(default_factory=list)
    total_values: list[Decimal | None] | None = None
    notes: list[str] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0
    number: str | None = None  # the table's own number as published ("2a")
    dimension: str = "category"  # category | period
    total_source: str = "table"  # table | prose
    total_sentence: str | None = None
    named: bool = True  # False: the columns are named by the importer, not by a header
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column): "n.v.t."


@dataclass
class Region:
    """Where a table stands among an answer's lines."""

    start: int  # first line of the table (caption / header / first row)
    body: int  # first line of the first row
    end: int  # one past the last row
    header: list[Line]
    caption: str | None


class _Misfit(Exception):
    """This reading of the lines (column count, layout) does not fit."""


# -- where the tables stand --------------------------------------------------------------------


def _prose(text: str, strict: bool = False) -> bool:
    # A sentence rather than a table label or header (strict: also mostly lower-case words).
    if strict and sentence_like(text, ends=False, short=7):
        return True
    if text.endswith(":"):
        return True
    if len(text) >= 40 and text[-1] in ".;!?":
        return True
    return len(text) >= 60 and bool(re.search(r"[.;:] [A-Z]", text))


#: Words a sentence breaks off after, never a row label's last word ("bedroeg in 2022 47").
_FUNCTION_WORDS = frozenset(
    [
        "van",
        "in",
        "op",
        "tot",
        "met",
        "voor",
        "aan",
        "bij",
        "naar",
        "over",
        "om",
        "te",
        "de",
        "het",
        "een",
        "en",
        "of",
        "dan",
        "is",
        "was",
        "werd",
        "werden",
        "bedroeg",
        "bedraagt",
        "bedroegen",
        "zijn",
        "waren",
        "wordt",
        "worden",
        "hebben",
        "heeft",
        "had",
        "ongeveer",
        "circa",
        "ca.",
        "nog",
        "maar",
        "slechts",
        "al",
        "ruim",
        "bijna",
        "meer",
        "minder",
        "dat",
        "die",
        "waarvan",
        "namelijk",
        "telkens",
        "respectievelijk",
        "tussen",
        "sinds",
        "vanaf",
        "na",
        "door",
        "tegenover",
        "vergeleken",
        "ten",
        "opzichte",
        "als",
        "zo'n",
        "zowat",
    ]
)
_NUMBER_INSIDE = re.compile(r"\s[-€]?\d[\d.,]*(?:,\s|\s+[a-zà-ÿ])")


_VERBS = frozenset(
    [
        "werd",
        "werden",
        "is",
        "zijn",
        "was",
        "waren",
        "bedroeg",
        "bedraagt",
        "bedroegen",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "wordt",
        "worden",
        "gaat",
        "ging",
        "gingen",
        "kreeg",
        "kregen",
        "ontving",
        "ontvingen",
        "zal",
        "zullen",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "steeg",
        "daalde",
        "stijgt",
        "daalt",
        "telt",
        "telde",
        "bevat",
        "bevatte",
        "gaf",
        "geeft",
    ]
)


def sentence_like(text: str, ends: bool = True, short: int = 5) -> bool:
    """Whether a line reads as running text: it ends in a function word ("in", "van", "bedroeg"),
    holds a verb, has ``short`` words or more mostly in lower case, a sentence ends inside it,
    or a figure stands inside it ("12, Gent")."""
    tokens = text.split()
    words = [w for w in tokens if any(ch.isalpha() for ch in w)]
    if not words:
        return False
    if ends and len(tokens) >= 2 and tokens[-1].lower().strip(",;") in _FUNCTION_WORDS:
        return True
    if len(words) >= 2 and any(w.lower().strip(",;:") in _VERBS for w in words):
        return True
    lower = sum(1 for w in words if w[:1].islower())
    if len(words) >= short and lower >= 0.6 * len(words):
        return True
    if len(words) >= 4 and re.search(r"[.;!?](?:\s|$)", text):
        return True
    return bool(_NUMBER_INSIDE.search(text))


def find_regions(
    source: Source,
    lines: list[Line],
    splits: list[Split],
    guesses: list[tuple[int, str]] | None = None,
) -> list[Region]:
    """The tables among ``lines`` (an answer's lines): each a run of lines ending in figures.

    Running text whose lines happen to end in a figure is never a table: a run is kept as text
    when a line's label reads as a sentence or a figure is followed by the rest of its sentence
    (a lower-case line that ends it); ``guesses`` gets a note naming the lines.
    """
    regions: list[Region] = []
    i = 0
    while i < len(lines):
        if not splits[i].numeric or lines[i].blank:
            i += 1
            continue
        # Extend the run: figures, labels, blank lines and page breaks, but no prose.
        last = i
        numeric = 1
        j = i + 1
        gap = 0
        while j < len(lines):
            s = splits[j]
            if lines[j].blank:
                j += 1
                continue
            if s.numeric:
                last, gap = j, 0
                numeric += 1
                if _is_total(s.text):
                    break
            else:
                if _prose(s.text) or _CAPTION.match(s.text):
                    break
                gap += 1
                if gap > 4:
                    break
            j += 1
        # A number in running text ("... voor kleine ondernemingen 10.000") is no table.
        if numeric < 2 and not (numeric == 1 and _single_row_table(lines, splits, i)):
            i = last + 1
            continue
        region = _with_header(lines, splits, i, last + 1, regions[-1].end if regions else 0)
        if region is not None:
            why = _running_text(lines, splits, region)
            if why is not None:
                if guesses is not None:
                    guesses.append(
                        (
                            lines[i].no,
                            f"lines {lines[i].no}-{lines[last].no} end in figures but {why}: "
                            "kept as text, not as a table",
                        )
                    )
            else:
                regions.append(region)
        i = last + 1
    return regions


# Why the lines of a region are running text rather than a table (None: a table).
def _running_text(lines: list[Line], splits: list[Split], region: Region) -> str | None:
    framed = bool(region.header) or region.caption is not None
    for k in range(region.body, region.end):
        s = splits[k]
        if not s.cells or lines[k].blank:
            continue
        label = s.text
        if label and label.split()[-1].lower().strip(",;") in _FUNCTION_WORDS and " " in label:
            return f"line {lines[k].no} breaks off after {label.split()[-1]!r}"
        if (
            label
            and not framed
            and (
                sentence_like(label, short=6)
                or re.search(r"[.!?:;](?:\s|$)", label)
                or any(_bad_figure(t) for t in label.split(" "))
            )
        ):
            return f"line {lines[k].no} reads as a sentence"
        if label and _NUMBER_INSIDE.search(" " + label):
            return f"line {lines[k].no} holds figures inside its text"
        if label[:1].islower() and not framed:
            before = next(
                (b for b in range(k - 1, region.start - 1, -1) if not lines[b].blank), None
            )
            if before is None or splits[before].numeric:
                return f"line {lines[k].no} continues a sentence"
        nxt = k + 1
        if nxt < len(lines) and not lines[nxt].blank and not splits[nxt].numeric:
            text = lines[nxt].text
            if text[:1].islower() and (re.search(r"[.;!?]$", text) or sentence_like(text)):
                return f"the sentence of line {lines[k].no} runs on to line {lines[nxt].no}"
    return None


# Whether a lone line of figures is a one-row table: a header-like line stands just before it.
def _single_row_table(lines: list[Line], splits: list[Split], i: int) -> bool:
    return (
        i > 0
        and not lines[i - 1].blank
        and not splits[i - 1].numeric
        and splits[i].text != ""
        and not _prose(lines[i - 1].text, strict=True)
        and len(splits[i].cells) >= 2
    )


def _with_header(
    lines: list[Line], splits: list[Split], first: int, end: int, floor: int
) -> Region | None:
    # Walk back from the first line with figures over the header lines (and the first label).
    collected: list[int] = []
    k = first - 1
    caption = None
    crossed = False
    while k >= floor:
        line = lines[k]
        if line.blank:
            own = len(collected) - _label_lines(lines, splits, first, collected)
            if own > 0 or crossed:
                break
            # The header may stand on the previous page: cross the blank lines once.
            m = k
            while m >= floor and lines[m].blank:
                m -= 1
            if m < floor or _prose(lines[m].text, strict=True) or splits[m].numeric:
                break
            block = m
            while block >= floor and not lines[block].blank:
                block -= 1
            if m - block > 4:
                break
            crossed = True
            k = m
            continue
        if splits[k].numeric or _prose(line.text, strict=True):
            break
        if _CAPTION.match(line.text):
            caption = line.text
            break
        collected.insert(0, k)
        k -= 1
    if caption is None:
        m = k
        while m >= floor and lines[m].blank:
            m -= 1
        if m >= floor and _CAPTION.match(lines[m].text) and not splits[m].numeric:
            caption, k = _caption_paragraph(lines, m, floor)
    start = min([*collected, first])
    if caption is not None:
        start = min(start, k)
    n_label = _label_lines(lines, splits, first, collected)
    header_idx = collected[: len(collected) - n_label] if n_label else collected
    body = collected[len(header_idx)] if n_label else first
    return Region(start, body, end, [lines[h] for h in header_idx], caption)


# How many of the lines before the first figures belong to the first row's label.
def _label_lines(lines: list[Line], splits: list[Split], first: int, collected: list[int]) -> int:
    if not collected:
        return 0
    s = splits[first]
    if s.text:  # the first row's label stands on its figures' line
        n = 0
        text = s.text
        while n < len(collected) and text[:1].islower():
            n += 1
            text = lines[collected[-n]].text
        return n
    if _number_labelled(splits, first):
        return 0
    n = 1
    while n < len(collected) and lines[collected[-n]].text[:1].islower():
        n += 1
    return n


# Whether the rows from lines[first] on are figures only, the first one a label ("2021 120 1.000").
def _number_labelled(splits: list[Split], first: int) -> bool:
    counts = []
    for s in splits[first : first + 12]:
        if s.line.blank:
            continue
        if s.text or not s.cells:
            break
        head = s.cells[0]
        if head is None or not head.is_plain_int:
            return False
        counts.append(len(s.cells))
    return len(counts) >= 2 and counts[0] >= 2 and len(set(counts[:-1])) == 1


# The caption paragraph ending at lines[m]: its text and its first line.
def _caption_paragraph(lines: list[Line], m: int, floor: int) -> tuple[str, int]:
    k = m
    while k - 1 >= floor and not lines[k - 1].blank and not _prose(lines[k - 1].text):
        k -= 1
    return join_lines([line.text for line in lines[k : m + 1]]), k


def _is_total(label: str) -> bool:
    return label.strip().rstrip(":").casefold() in _TOTALS


# -- rows -----------------------------------------------------------------------------------


_NUMBERISH = re.compile(r"^[€(]?[-−]?\d[\d.,]*[%€)]?$")


def check_labels(source: Source, items: list[Split]) -> None:
    """Refuse a table line with a figure that is no number ("2.305,218,74"): never a label."""
    for s in items:
        for token in s.text.split(" "):
            if _bad_figure(token):
                raise source.error(s.line, f"{token!r} is not a number in Belgian format")


# Whether a token is written as a figure but is no number ("2.305,218,74").
def _bad_figure(token: str) -> bool:
    bare = token.rstrip(":;")
    return bool(_NUMBERISH.match(bare)) and parse_number(bare.strip("()")) is None


def _rows_per_line(items: list[Split], n: int, header: list[str]) -> tuple[list[RawRow], int]:
    # Layout 1: a row per line (labels may wrap onto lines before their figures).
    rows: list[RawRow] = []
    pending: list[Split] = []
    penalty = 0
    euro = False
    for s in items:
        if s.line.blank:
            continue
        if s.euro_only:
            euro = True
            continue
        if not s.cells:
            if s.text in header and not pending:
                continue  # the header repeated after a page break
            if not pending and rows and s.text[:1].islower() and rows[-1].label_on_value_line:
                rows[-1].label = join_lines([rows[-1].label, s.text])
                continue
            pending.append(s)
            continue
        cells = list(s.cells)
        if euro and cells and cells[0] is not None:
            cells[0] = _with(cells[0], euro=True)
            euro = False
        parts = [p.text for p in pending] + ([s.text] if s.text else [])
        first = pending[0].line if pending else s.line
        if not parts:
            head = cells[0]
            if len(cells) == n + 1 and head is not None and head.is_plain_int:
                parts, cells = [head.text], cells[1:]
                penalty += 1
            else:
                raise _Misfit(s.line, "figures without a row label")
        if len(cells) > n:
            extra = cells[: len(cells) - n]
            if s.text and all(c is not None and c.is_plain_int for c in extra):
                parts.append(" ".join(c.text for c in extra if c is not None))
                cells = cells[len(extra) :]
                penalty += 2
            else:
                raise _Misfit(s.line, f"more figures than the table has columns ({n})")
        row = RawRow(join_lines(parts), cells, first, label_on_value_line=bool(s.text))
        if len(cells) < n:
            row.partial, row.cells = cells, []
            penalty += 1 if _is_total(row.label) else 3
        rows.append(row)
        pending = []
    if pending:
        raise _Misfit(pending[0].line, "a row label without figures")
    return rows, penalty


def _cell_per_line(items: list[Split], n: int, header: list[str]) -> tuple[list[RawRow], int]:
    # Layout 2: a cell per line (or a few cells per line): a stream of labels and figures.
    stream: list[tuple[str, Split, Number | None]] = []
    for s in items:
        if s.line.blank:
            continue
        if s.euro_only:
            stream.append(("euro", s, None))
            continue
        if s.text:
            stream.append(("text", s, None))
        for c in s.cells:
            stream.append(("num", s, c))
    rows: list[RawRow] = []
    penalty = 0
    label: list[str] = []
    first: Line | None = None
    values: list[Number | None] = []
    euro = False
    i = 0

    def finish() -> None:
        nonlocal label, values, first, penalty
        assert first is not None
        row = RawRow(join_lines(label), values, first)
        if len(values) < n:
            row.partial, row.cells = values, []
            penalty += 1 if _is_total(row.label) else 3
        rows.append(row)
        label, values, first = [], [], None

    while i < len(stream):
        kind, s, number = stream[i]
        if kind == "euro":
            euro = True
        elif kind == "text":
            if values:
                finish()
            if not label and s.text in header:
                i += 1
                continue
            label.append(s.text)
            first = first or s.line
            # Figures on the label's own line: label digits if the row would get too many.
            same = [c for c in s.cells]
            if same:
                group = 0
                j = i + 1
                while j < len(stream) and stream[j][0] != "text":
                    group += stream[j][0] == "num"
                    j += 1
                extra = group - n
                if (
                    extra > 0
                    and extra <= len(same)
                    and all(c is not None and c.is_plain_int for c in same[:extra])
                ):
                    label.append(" ".join(c.text for c in same[:extra] if c is not None))
                    i += 1 + extra
                    penalty += 2
                    continue
        else:
            if not label:
                if (
                    number is not None
                    and number.is_plain_int
                    and not s.text
                    and s.cells[0] is number
                ):
                    label, first = [number.text], s.line
                    penalty += 1
                    i += 1
                    continue
                raise _Misfit(s.line, "figures without a row label")
            if euro and number is not None:
                number, euro = _with(number, euro=True), False
            values.append(number)
            if len(values) == n:
                finish()
        i += 1
    if label and values:
        finish()
    elif label:
        raise _Misfit(first, "a row label without figures")
    return rows, penalty


def read_rows(source: Source, items: list[Split], header: list[str]) -> tuple[list[RawRow], int]:
    """The rows of a table body and the number of numeric columns that explains them best."""
    best: tuple[int, int, int, list[RawRow]] | None = None
    errors: dict[int, _Misfit] = {}
    counts = Counter(len(s.cells) for s in items if s.cells)
    mixed = Counter(len(s.cells) for s in items if s.cells and s.text)
    likely = (mixed or counts).most_common(1)[0][0] if counts else 1
    widest = max(counts) if counts else 1
    run = longest = 0
    for s in items:  # a cell per line: the figures of a row stand on lines of their own
        if s.line.blank:
            continue
        run = run + len(s.cells) if s.cells and not s.text else 0
        longest = max(longest, run)
    for n in range(1, min(max(widest + 1, longest, 2), _MAX_COLUMNS) + 1):
        for rank, reader in enumerate((_rows_per_line, _cell_per_line)):
            try:
                rows, penalty = reader(items, n, header)
            except _Misfit as exc:
                errors.setdefault(n, exc)
                continue
            if not rows or 2 * sum(r.partial is not None for r in rows) > len(rows):
                continue
            penalty += _header_misfit(header, n)
            key = (penalty, rank, -n)
            if best is None or key < best[:3]:
                best = (*key, rows)
    if best is None:
        error = errors.get(likely) or next(iter(errors.values()), None)
        line, message = error.args if error else (items[0].line, "no table rows")
        raise source.error(line, f"cannot read this table line ({message})")
    return best[3], -best[2]


# How badly the header lines fit n numeric columns (0: well).
def _header_misfit(header: list[str], n: int) -> int:
    if not header:
        return 0
    words = " ".join(header).split(" ")
    if len(words) < n + 1:
        return 4
    scores = _boundary_scores(header)
    chosen = sorted(scores, reverse=True)[:n]
    # A header line that starts with a capital starts a column: none may be left inside a label.
    strong = sum(1 for s in scores if s >= 5)
    return sum(1 for s in chosen if s <= 0) * 2 + max(strong - n, 0) * 2


# -- the header ---------------------------------------------------------------------------------

_JOINERS = {
    "van",
    "per",
    "in",
    "en",
    "de",
    "het",
    "op",
    "voor",
    "met",
    "naar",
    "&",
    "-",
    "of",
    "the",
}
_STARTS = {
    "aantal",
    "bedrag",
    "som",
    "totaal",
    "toegekende",
    "percentage",
    "aandeel",
    "budget",
    "gemiddeld",
    "gemiddelde",
    "uitgaven",
    "ontvangsten",
    "jaar",
}


# Words of the header lines, a mid-word break ("subsi-" / "die") joined; with line starts.
def _header_words(header: list[str]) -> list[tuple[str, bool]]:
    words: list[tuple[str, bool]] = []
    for text in header:
        parts = text.split(" ")
        for k, word in enumerate(parts):
            if k == 0 and words and words[-1][0].endswith("-") and word[:1].islower():
                # A word hyphenated at the line end: "uitbe-" / "taalde" is "uitbetaalde".
                head = words[-1][0]
                head = head[:-1] if head[-2:-1].islower() and len(head) > 4 else head
                words[-1] = (head + word, words[-1][1])
                continue
            words.append((word, k == 0 and bool(words)))
    return words


def _boundary_scores(header: list[str]) -> list[int]:
    words = _header_words(header)
    scores = []
    for i in range(1, len(words)):
        prev, (word, line_start) = words[i - 1][0], words[i]
        score = 0
        if line_start:
            score += 3 if not word[:1].islower() else 1
        if word[:1].isupper():
            score += 2
        if word[:1].isdigit():
            score += 3
        if word.lower() in _STARTS:
            score += 1
        if prev.lower() in _JOINERS or prev.endswith("-"):
            score -= 5
        if prev in ("#", "%", "€"):
            score -= 6  # "# Limburg", "% Limburg": the sign starts the label it stands before
        if word in ("#", "%") and i + 1 < len(words) and words[i + 1][0][:1].isupper():
            score += 10
        if word[:1] in "(€%&-/" or word.lower() in ("euro", "eur", "€", "%"):
            score -= 5
        if prev.lower() in ("som", "sum", "count"):
            score -= 5
        scores.append(score)
    return scores


def split_header(header: list[str], n: int) -> list[str] | None:
    """The header lines cut into ``n + 1`` column labels, or None if they cannot be."""
    words = _header_words(header)
    if len(words) < n + 1:
        return None
    scores = _boundary_scores(header)
    # The n strongest boundaries; on a tie the later one (labels of the first column run long).
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], -i))[:n]
    cuts = sorted(i + 1 for i in order)
    out, begin = [], 0
    for cut in [*cuts, len(words)]:
        out.append(" ".join(w for w, _ in words[begin:cut]))
        begin = cut
    return out


# -- columns ------------------------------------------------------------------------------------

#: Table ids for the known label columns (English plurals); other tables take the key itself.
TABLE_IDS = {
    "theme": "themes",
    "province": "provinces",
    "municipality": "municipalities",
    "sector": "sectors",
    "year": "years",
    "label": "pivot",
    "description": "items",
    "region": "regions",
}

KNOWN_KEYS = {
    "thema": "theme",
    "aantal projecten": "projects",
    "toegekende subsidie": "subsidy",
    "aantal dossiers": "dossiers",
    "aantal ondernemingen": "enterprises",
    "aantal aanvragen": "applications",
    "bedrag": "amount",
    "jaar": "year",
    "sector": "sector",
    "provincie": "province",
    "gemeente": "municipality",
    "rijlabels": "label",
    "row labels": "label",
    "aandeel": "share",
    "percentage": "percent",
    "omschrijving": "description",
}


def column_key(label: str) -> str:
    """A snake_case ASCII key for a column label: a known Dutch header, else a slug."""
    import unicodedata

    bare = _SOM_VAN.sub("", label).strip()
    bare = re.sub(r"^#\s*", "aantal ", re.sub(r"^%\s*", "aandeel ", bare))
    bare = re.sub(r"\((?:€|eur|euro|%|in [^)]*)\)", "", bare, flags=re.IGNORECASE).strip()
    bare = re.sub(r"\s*(€|%)$", "", bare).strip()
    folded = bare.casefold()
    if folded in KNOWN_KEYS:
        return KNOWN_KEYS[folded]
    ascii_text = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not slug:
        slug = "column"
    if slug[0].isdigit():
        slug = f"col_{slug}"
    return slug[:40].rstrip("_")


def _unique(keys: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(key if seen[key] == 1 else f"{key}_{seen[key]}")
    return out


# -- the whole table ------------------------------------------------------------------------------


def parse_table(
    source: Source,
    lines: list[Line],
    region: Region,
    guesses: list[tuple[int, str]] | None = None,
    context: list[str] | None = None,
) -> ParsedTable:
    """Read the table in ``region``: columns, rows, total row, types, hierarchy.

    ``context`` is the text around the table (for its unit and a total stated in the prose);
    ``guesses`` gets a note, with its line number, for every name or reading the importer chose.
    """
    notes = guesses if guesses is not None else []
    at = lines[region.start].no
    header_texts = [line.text for line in region.header]
    items = [split_line(line) for line in lines[region.body : region.end]]
    check_labels(source, items)
    group_line = (
        header_texts[0] if len(header_texts) >= 2 and _group_line(header_texts[0]) else None
    )
    rows, n = read_rows(source, items, header_texts[1:] if group_line else header_texts)
    groups: list[tuple[str, list[int]]] = []
    labels = None
    if group_line:
        labels = split_header(header_texts[1:], n)
        groups = _groups(group_line, labels, n) if labels else []
        if not groups:
            rows, n = read_rows(source, items, header_texts)
            labels = None
    if labels is None and header_texts:
        labels = split_header(header_texts, n)
        if labels is None:
            raise source.error(
                region.header[0], f"cannot cut this table header into {n + 1} columns"
            )
        if len(header_texts) > 1 or _close_cut(header_texts, n):
            notes.append((region.header[0].no, f"header cut into the columns {labels[1:]}"))
    number, caption = caption_parts(region.caption)
    named = labels is not None
    labels = [
        _SOM_VAN.sub("", label).strip() if i else label for i, label in enumerate(labels or [])
    ]
    total = rows.pop() if rows and _is_total(rows[-1].label) else None
    for row in rows:
        if _is_total(row.label):
            raise source.error(row.line, "a total row stands before the end of the table")
    if not rows:
        raise source.error(items[0].line if items else region.header[0], "a table without rows")
    if not named:
        labels = ["", *("" for _ in range(n))]
    columns = [
        ParsedColumn(column_key(labels[0]), labels[0], "label"),
        *(ParsedColumn(column_key(label), label, "number") for label in labels[1:]),
    ]
    for group, members in groups:
        for j in members:
            columns[j + 1].group = group
            columns[j + 1].key = f"{column_key(group)}_{columns[j + 1].key}"
    table = ParsedTable("", columns, rows, caption, total)
    table.number = number
    table.named = named
    table.first_line = at
    table.last_line = lines[region.end - 1].no
    _place_partial(source, table, n)
    _column_types(source, table, n, notes)
    if infer_dimension(r.label for r in rows) is DimensionKind.PERIOD:
        table.dimension = "period"
    if not named:
        _name_columns(table, context or [], notes, lines[region.body].no)
    keys = _unique([c.key for c in columns])
    for c, key in zip(columns, keys, strict=True):
        c.key = key
    _context_units(table, [caption or "", *(context or [])], notes, at)
    _hierarchy(table, bool(_PIVOT.search(" ".join(header_texts))))
    _ratios(table, notes, at)
    _prose_total(table, context or [], notes, at)
    return table


_CAPTION_PARTS = re.compile(
    r"^(?:tabel|table)\s+(?P<number>[\w.-]*\d[\w-]*)\s*[.:–-]?\s*(?P<text>.*)$", re.IGNORECASE
)


def caption_parts(caption: str | None) -> tuple[str | None, str | None]:
    """'Tabel 2a. Steun per jaar' -> ('2a', 'Steun per jaar'); other captions stay whole."""
    if caption is None:
        return None, None
    m = _CAPTION_PARTS.match(caption)
    if not m:
        return None, caption
    return m.group("number"), m.group("text").strip() or None


def table_id(table: ParsedTable) -> str:
    """The id a table gets from its label column (themes, provinces, years, ...)."""
    base = table.columns[0].key
    return TABLE_IDS.get(base, base)


# Whether a header line names column groups ("OND ONTW ICON"): short words, no figures.
def _group_line(text: str) -> bool:
    words = text.split()
    return (
        len(words) >= 2
        and all(len(w) <= 14 and w[:1].isupper() and not any(c.isdigit() for c in w) for w in words)
        and not any(w[:1] in "(€%" for w in words)
    )


# The column groups of a two-level header: each group over the same run of measure labels.
def _groups(line: str, labels: list[str], n: int) -> list[tuple[str, list[int]]]:
    names = line.split()
    if n % len(names) or n // len(names) < 2:
        return []
    per = n // len(names)
    runs = [labels[1 + g * per : 1 + (g + 1) * per] for g in range(len(names))]
    if any([x.casefold() for x in run] != [x.casefold() for x in runs[0]] for run in runs):
        return []
    return [(name, list(range(g * per, (g + 1) * per))) for g, name in enumerate(names)]


# Whether the n-th and the next boundary of a header score the same (the cut is a guess).
def _close_cut(header: list[str], n: int) -> bool:
    scores = sorted(_boundary_scores(header), reverse=True)
    return len(scores) > n and scores[n - 1] == scores[n]


_PER = re.compile(r"\bper\s+([a-zà-ÿ-]{3,30})", re.IGNORECASE)
_KIND_NAMES = {"count": "Aantal", "amount": "Bedrag", "percent": "Aandeel (%)", "number": "Waarde"}


# Name the columns of a table printed without a header row: from its caption ("... per
# provincie" names the label column) or the sentence before it, else by kind; each a guess.
def _name_columns(
    table: ParsedTable, context: list[str], notes: list[tuple[int, str]], at: int
) -> None:
    sources = [t for t in [table.caption, *context[:1]] if t]
    first = "Jaar" if table.dimension == "period" else "Omschrijving"
    for text in sources:
        m = _PER.search(text)
        if m and table.dimension != "period":
            first = m.group(1)[:1].upper() + m.group(1)[1:].lower()
            break
    measures = [c for c in table.columns[1:]]
    named: list[str] = []
    for text in sources:
        head = _PER.split(text)[0]
        head = re.sub(r"^(?:overzicht\s+van\s+|het\s+|de\s+)", "", head.strip(), flags=re.I)
        parts = [p.strip(" .:") for p in re.split(r",\s*|\s+en\s+", head) if p.strip(" .:")]
        if len(parts) == len(measures) and all(
            0 < len(p) <= 40 and len(p.split()) <= 4 for p in parts
        ):
            named = [p[:1].upper() + p[1:] for p in parts]
            break
    if not named:
        named = [_KIND_NAMES[c.type] for c in measures]
    table.columns[0].label, table.columns[0].key = first, column_key(first)
    for c, label in zip(measures, named, strict=True):
        c.label, c.key = label, column_key(label)
    used = [first, *named]
    base = f"from the caption {table.caption!r}" if table.caption else "by their kind"
    notes.append((at, f"a table without a header row: columns named {used} {base}; check them"))


_UNIT_PHRASE = re.compile(
    r"\b(?:in|bedragen\s+in|\(in)\s+(miljoen|mio|duizend|k)\s*(?:euro|eur|€)", re.IGNORECASE
)


# "in miljoen euro" in the caption or the sentence before: the amounts' unit multiplier.
def _context_units(
    table: ParsedTable, context: list[str], notes: list[tuple[int, str]], at: int
) -> None:
    for text in context:
        m = _UNIT_PHRASE.search(text)
        if not m:
            continue
        multiplier = "million" if m.group(1).lower() in ("miljoen", "mio") else "thousand"
        for c in table.columns[1:]:
            if c.multiplier or c.type not in ("amount", "number") or _COUNT_WORDS.search(c.label):
                continue
            c.type, c.unit, c.multiplier = "amount", "EUR", multiplier
            notes.append((at, f"column {c.label!r} read as {m.group(0)!r} (said beside the table)"))
        return


_COUNT_WORDS = re.compile(r"\b(aantal|#|dossiers|projecten|aanvragen)\b", re.IGNORECASE)


# A percent column equal to a / b of two other columns in every row, within its rounding,
# is declared as that ratio; one equal to a / the total of a, as a share of that column.
def _ratios(table: ParsedTable, notes: list[tuple[int, str]], at: int) -> None:
    measures = list(enumerate(table.columns[1:]))
    others = [(j, c) for j, c in measures if c.type in ("count", "amount", "number")]
    for j, column in measures:
        if column.type != "percent":
            continue
        half = Decimal(5).scaleb(-column.decimals - 1)
        found = None
        for (a, ca), (b, cb) in itertools.permutations(others, 2):
            if _agrees(table, j, half, lambda row, a=a, b=b: (row[a], row[b])):
                found = ("ratio", ca.key, cb.key, f"{ca.label} / {cb.label}")
                break
        if found is None:
            for a, ca in others:
                total = sum((row[a] or Decimal(0) for row in table.values), Decimal(0))
                if total and _agrees(table, j, half, lambda row, a=a, t=total: (row[a], t), False):
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


# Whether column j equals 100 * a / b in every row that gives all three (two rows at least).
def _agrees(table: ParsedTable, j: int, half: Decimal, pair, total: bool = True) -> bool:  # type: ignore[no-untyped-def]
    rows = list(table.values)
    if total and table.total_values is not None:
        rows.append(table.total_values)
    checked = 0
    for row in rows:
        value = row[j]
        a, b = pair(row)
        if value is None or a is None or b is None:
            continue
        if not b:
            return False
        if abs(Decimal(100) * a / b - value) > half + Decimal("1e-9"):
            return False
        checked += 1
    return checked >= 2


_PROSE_TOTAL = re.compile(
    r"\b(?:in\s+totaal|in\s+het\s+totaal|samen|globaal|al\s+bij\s+al)\b", re.I
)
_FIGURE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w.,]*\d)\s*(miljoen|mio|duizend)?\s*(euro|eur|€)?",
    re.I,
)


# A total stated only in the text beside a table without a total row ("In totaal werd ...
# 120 miljoen euro ..."): recorded as a prose total with its sentence, for its one column.
def _prose_total(
    table: ParsedTable, context: list[str], notes: list[tuple[int, str]], at: int
) -> None:
    from .numbers import belgian

    if table.total is not None:
        return
    for text in context:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
            if not _PROSE_TOTAL.search(sentence):
                continue
            for m in _FIGURE.finditer(sentence):
                value = belgian(m.group(1))
                if value is None or re.fullmatch(r"(19|20)\d\d", m.group(1)):
                    continue
                euro = bool(m.group(3))
                scale = {"miljoen": 6, "mio": 6, "duizend": 3}.get((m.group(2) or "").lower(), 0)
                candidates = [
                    j
                    for j, c in enumerate(table.columns[1:])
                    if (c.type == "amount") == euro and c.type in ("count", "amount")
                ]
                if len(candidates) != 1:
                    continue
                j = candidates[0]
                column = table.columns[j + 1]
                own = {"million": 6, "thousand": 3}.get(column.multiplier or "", 0)
                stated = value.scaleb(scale - own)
                if column.type == "count" and stated != stated.to_integral_value():
                    continue
                total: list[Decimal | None] = [None] * (len(table.columns) - 1)
                total[j] = Decimal(int(stated)) if column.type == "count" else stated
                table.total = RawRow("Totaal", [], table.rows[-1].line)
                table.total_values = total
                table.total_source, table.total_sentence = "prose", sentence.strip()
                notes.append(
                    (at, f"a total of {column.label!r} stated in the text: {sentence.strip()!r}")
                )
                return


# Put the figures of rows with fewer figures than columns in the columns they fit.
def _place_partial(source: Source, table: ParsedTable, n: int) -> None:
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


def _column_types(source: Source, table: ParsedTable, n: int, notes: list[tuple[int, str]]) -> None:
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
        decimals = max((_places(v) for v in resolved if v is not None), default=0)
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
            v is None or (v == v.to_integral_value() and v >= 0 and _places(v) == 0)
            for v in resolved
        ):
            column.type, column.decimals = "count", 0
        else:
            column.type, column.decimals = "number", decimals
    table.values = values[: len(table.rows)]
    table.total_values = values[-1] if table.total else None


def _places(value: Decimal) -> int:
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
                if alt:
                    trial[i] = _requantize(cells[i].alternative, places)  # type: ignore[union-attr]
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


# Pivot tables repeat parents above their children: find the levels, never double-count.
def _hierarchy(table: ParsedTable, pivot: bool) -> None:
    values = [[v or Decimal(0) for v in row] for row in table.values]
    given = [[v is not None for v in row] for row in table.values]
    total = table.total_values
    count = len(values)
    width = len(table.columns) - 1
    nonnegative = all(v >= 0 for row in values for v in row)
    flat = [sum((row[j] for row in values), Decimal(0)) for j in range(width)]
    if total is not None and all(t is None or t == f for t, f in zip(total, flat, strict=True)):
        return
    if total is None and not pivot:
        return
    budget = [5_000]

    Need = list[Decimal | None]

    def subtract(need: Need, i: int) -> Need | None:
        # What is still needed after row i; None if row i overshoots.
        out: Need = []
        for j, n in enumerate(need):
            if n is None:
                out.append(None)
                continue
            rest = n - values[i][j]
            if nonnegative and rest < 0:
                return None
            out.append(rest)
        return out

    def subtrees(i: int, level: int):  # (next row, levels) of the subtree rooted at row i
        budget[0] -= 1
        if budget[0] < 0:
            return
        need: Need = [values[i][j] if given[i][j] else None for j in range(width)]
        if any(n is not None for n in need):
            for nxt, assign in sequence(i + 1, level + 1, need):
                yield nxt, {i: level, **assign}
        yield i + 1, {i: level}

    def sequence(k: int, level: int, need: Need):  # subtrees from row k that add up to need
        if k >= count:
            return
        for nxt, assign in subtrees(k, level):
            rest = subtract(need, k)
            if rest is None:
                continue
            if all(n is None or n == 0 for n in rest):
                yield nxt, assign
            for nxt2, assign2 in sequence(nxt, level, rest):
                yield nxt2, {**assign, **assign2}

    def forest(k: int):  # the whole table from row k as top-level subtrees
        if k >= count:
            yield {}
            return
        for nxt, assign in subtrees(k, 0):
            for rest in forest(nxt):
                yield {**assign, **rest}

    for assign in forest(0):
        levels = [assign[i] for i in range(count)]
        if not any(levels):
            continue
        tops = [i for i in range(count) if levels[i] == 0]
        sums = [sum((values[i][j] for i in tops), Decimal(0)) for j in range(width)]
        if total is None or all(t is None or t == s for t, s in zip(total, sums, strict=True)):
            for row, level in zip(table.rows, levels, strict=True):
                row.level = level
            return
        if budget[0] < 0:
            return
