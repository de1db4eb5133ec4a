"""The rows of a table body, whichever way the text extraction laid them out.

A row per line (labels may wrap onto the lines before their figures) or a cell per line (a
stream of labels and figures); the number of numeric columns is the one that explains the
lines best.
"""

from __future__ import annotations

from collections import Counter

from .header import boundary_scores
from .lines import Split, is_total, with_signs
from .numbers import Number
from .parsed import RawRow
from .text import Line, Source, join_lines

_MAX_COLUMNS = 8


class Misfit(Exception):
    """This reading of the lines (column count, layout) does not fit."""


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
            cells[0] = with_signs(cells[0], euro=True)
            euro = False
        parts = [p.text for p in pending] + ([s.text] if s.text else [])
        first = pending[0].line if pending else s.line
        if not parts:
            head = cells[0]
            if len(cells) == n + 1 and head is not None and head.is_plain_int:
                parts, cells = [head.text], cells[1:]
                penalty += 1
            else:
                raise Misfit(s.line, "figures without a row label")
        if len(cells) > n:
            extra = cells[: len(cells) - n]
            if s.text and all(c is not None and c.is_plain_int for c in extra):
                parts.append(" ".join(c.text for c in extra if c is not None))
                cells = cells[len(extra) :]
                penalty += 2
            else:
                raise Misfit(s.line, f"more figures than the table has columns ({n})")
        row = RawRow(join_lines(parts), cells, first, label_on_value_line=bool(s.text))
        if len(cells) < n:
            row.partial, row.cells = cells, []
            penalty += 1 if is_total(row.label) else 3
        rows.append(row)
        pending = []
    if pending:
        raise Misfit(pending[0].line, "a row label without figures")
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
            penalty += 1 if is_total(row.label) else 3
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
                raise Misfit(s.line, "figures without a row label")
            if euro and number is not None:
                number, euro = with_signs(number, euro=True), False
            values.append(number)
            if len(values) == n:
                finish()
        i += 1
    if label and values:
        finish()
    elif label:
        raise Misfit(first, "a row label without figures")
    return rows, penalty


def read_rows(source: Source, items: list[Split], header: list[str]) -> tuple[list[RawRow], int]:
    """The rows of a table body and the number of numeric columns that explains them best."""
    best: tuple[int, int, int, list[RawRow]] | None = None
    errors: dict[int, Misfit] = {}
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
            except Misfit as exc:
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
    scores = boundary_scores(header)
    chosen = sorted(scores, reverse=True)[:n]
    # A header line that starts with a capital starts a column: none may be left inside a label.
    strong = sum(1 for s in scores if s >= 5)
    return sum(1 for s in chosen if s <= 0) * 2 + max(strong - n, 0) * 2
