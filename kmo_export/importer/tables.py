"""Tables inside an answer: one table read from its region, pass by pass.

The published text has lost the table grid. :mod:`.regions` finds where the tables stand (a
run of lines that end in figures, never running text); :mod:`.lines` cuts each line into its
label and figures; :mod:`.rows` rebuilds the rows, whichever way the text extraction laid them
out; :mod:`.header` cuts the header into column labels; :mod:`.columns` names the columns;
:mod:`.kinds` decides what each column holds and how its figures are written;
:mod:`.hierarchy` finds the levels of a pivot table. This module puts them together and adds
a total stated in the text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import DimensionKind, infer_dimension
from .columns import SOM_VAN, column_key, name_columns, table_id, unique_keys
from .header import close_cut, column_groups, group_line, split_header
from .hierarchy import PIVOT, hierarchy
from .kinds import column_types, context_units, place_partial, ratios
from .lines import Split, check_labels, is_total, split_line
from .parsed import ParsedColumn, ParsedTable, RawRow
from .regions import Region, find_regions
from .rows import read_rows
from .text import Line, Source

__all__ = [
    "ParsedColumn",
    "ParsedTable",
    "Region",
    "Split",
    "caption_parts",
    "find_regions",
    "parse_table",
    "split_line",
    "table_id",
]


def parse_table(
    source: Source,
    lines: list[Line],
    region: Region,
    guesses: list[tuple[int, str]] | None = None,
    context: list[str] | None = None,
) -> ParsedTable:
    """Read the table in ``region``: columns, rows, total row, types, hierarchy.

    ``context`` is the text around the table, the paragraph before it and the one after ("" where
    none), for its unit and a total stated in the prose;
    ``guesses`` gets a note, with its line number, for every name or reading the importer chose.
    """
    notes = guesses if guesses is not None else []
    at = lines[region.start].no
    header_texts = [line.text for line in region.header]
    items = [split_line(line) for line in lines[region.body : region.end]]
    check_labels(source, items)
    upper = header_texts[0] if len(header_texts) >= 2 and group_line(header_texts[0]) else None
    rows, n = read_rows(source, items, header_texts[1:] if upper else header_texts)
    groups: list[tuple[str, list[int]]] = []
    labels = None
    if upper:
        labels = split_header(header_texts[1:], n)
        groups = column_groups(upper, labels, n) if labels else []
        if not groups:
            rows, n = read_rows(source, items, header_texts)
            labels = None
    if labels is None and header_texts:
        labels = split_header(header_texts, n)
        if labels is None:
            raise source.error(
                region.header[0], f"cannot cut this table header into {n + 1} columns"
            )
        if len(header_texts) > 1 or close_cut(header_texts, n):
            notes.append((region.header[0].no, f"header cut into the columns {labels[1:]}"))
    number, caption = caption_parts(region.caption)
    named = labels is not None
    labels = [
        SOM_VAN.sub("", label).strip() if i else label for i, label in enumerate(labels or [])
    ]
    total = rows.pop() if rows and is_total(rows[-1].label) else None
    for row in rows:
        if is_total(row.label):
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
    place_partial(source, table, n)
    column_types(source, table, n, notes)
    if infer_dimension(r.label for r in rows) is DimensionKind.PERIOD:
        table.dimension = "period"
    if not named:
        name_columns(table, context or [], notes, lines[region.body].no)
    keys = unique_keys([c.key for c in columns])
    for c, key in zip(columns, keys, strict=True):
        c.key = key
    near = [*(context or []), "", ""]
    context_units(table, [caption or "", near[0]], near[1], notes, at)
    hierarchy(table, bool(PIVOT.search(" ".join(header_texts))))
    ratios(table, notes, at)
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
            total: list[Decimal | None] = [None] * (len(table.columns) - 1)
            found: list[str] = []
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
                stated = Decimal(format(stated, "f"))
                if total[j] is not None:
                    continue
                top = [v[j] for r, v in zip(table.rows, table.values, strict=True) if not r.level]
                rows_sum = sum((x for x in top if x is not None), Decimal(0))
                # The last digit the text gives, in the column's units ("3,5 miljoen": 10**5).
                written = value.as_tuple().exponent
                exponent = (written if isinstance(written, int) else 0) + scale - own
                coarser = -exponent < column.decimals
                if stated != rows_sum and coarser:
                    # A rounded figure ("ruim 3,5 miljoen euro") is no published total row.
                    half = Decimal(5).scaleb(exponent - 1)
                    verdict = (
                        "agrees within its rounding"
                        if abs(stated - rows_sum) <= half
                        else "DIFFERS"
                    )
                    notes.append(
                        (
                            at,
                            f"the text states {m.group(0).strip()!r} for {column.label!r}; the rows "
                            f"sum to {rows_sum} ({verdict}); not taken as the total: "
                            f"{sentence.strip()!r}",
                        )
                    )
                    continue
                total[j] = Decimal(int(stated)) if column.type == "count" else stated
                found.append(column.label)
            if found:
                table.total = RawRow("Totaal", [], table.rows[-1].line)
                table.total_values = total
                table.total_source, table.total_sentence = "prose", sentence.strip()
                what = ", ".join(repr(label) for label in found)
                notes.append((at, f"a total of {what} stated in the text: {sentence.strip()!r}"))
                return
