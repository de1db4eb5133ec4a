"""Where everything of one table stands on its sheet, decided before anything is written.

The layout follows the analysis (:mod:`kmo_export.analysis`): one sheet column per measure,
one per derived figure the analysis declares (a recomputed ratio also gets a check column), a
total row only where the analysis has one, and the reconciliation block for the published
totals it can check. Charts, key figures and the cover refer to the cells named here.

Rows (0-based): 0 title, 1 source, 2 the check of the totals, then an upper header row when
the table has column groups, the header row, the table rows, the total row, and under it the
reconciliation block and the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import Derived, DerivedKind, TableAnalysis, TotalCheck, TotalKind
from ..labels import Labels
from ..model import Answer, Column, Table
from .names import header_text, join, lower_first, measure_name, name_of, quote_sheet, ref

TITLE_ROW, SOURCE_ROW, CHECK_ROW = 0, 1, 2


@dataclass(frozen=True, eq=False, repr=False)
class DerivedColumn:
    """A derived figure's column on the sheet (formulas), and its check column if it has one."""

    derived: Derived
    column: int
    header: str
    check: int | None = None  # RATIO of a published percentage: the OK / VERSCHIL column

    @property
    def kind(self) -> DerivedKind:
        return self.derived.kind


@dataclass(frozen=True, eq=False, repr=False)
class ReconRow:
    """One line of the reconciliation block: a published total against what the rows say."""

    row: int
    check: TotalCheck


@dataclass(eq=False, repr=False)
class TableLayout:
    """Where everything of one table stands on its sheet; charts and key figures refer to it."""

    answer: Answer
    table: Table
    analysis: TableAnalysis
    sheet: str
    name: str  # the Excel table's name
    title: str
    big: bool
    level_col: int | None
    value_cols: tuple[int, ...]
    derived: tuple[DerivedColumn, ...]
    headers: list[str]
    header_row: int
    has_total: bool
    recon: tuple[ReconRow, ...] = field(default=())

    @property
    def group_row(self) -> int | None:
        """The upper header row of a table with column groups."""
        return self.header_row - 1 if self.table.groups else None

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.table.rows) - 1

    @property
    def total_row(self) -> int:
        """The total row (only written when ``has_total``)."""
        return self.first_row + len(self.table.rows)

    @property
    def end_row(self) -> int:
        """The last row of the table: the total row where there is one."""
        return self.total_row if self.has_total else self.last_row

    @property
    def recon_row(self) -> int:
        """The heading of the reconciliation block."""
        return self.end_row + 2

    @property
    def last_col(self) -> int:
        return len(self.headers) - 1

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.table.value_columns

    def cell(self, row_index: int, value_index: int | None) -> str:
        """Absolute sheet-qualified reference of a table cell (``None``: the label)."""
        column = 0 if value_index is None else self.value_cols[value_index]
        return f"{quote_sheet(self.sheet)}!{ref(self.first_row + row_index, column, True)}"

    def range(self, column: int) -> str:
        """Absolute sheet-qualified reference of one sheet column over the table rows."""
        return (
            f"{quote_sheet(self.sheet)}!{ref(self.first_row, column, True)}:"
            f"{ref(self.last_row, column, True)}"
        )

    def total_cell(self, value_index: int) -> str:
        """Absolute sheet-qualified reference of a measure's cell on the total row."""
        return (
            f"{quote_sheet(self.sheet)}!{ref(self.total_row, self.value_cols[value_index], True)}"
        )

    def header_cell(self, column: int) -> str:
        """Absolute sheet-qualified reference of a header cell."""
        return f"{quote_sheet(self.sheet)}!{ref(self.header_row, column, True)}"

    def group_cell(self, value_index: int) -> str | None:
        """The upper header cell over measure ``value_index`` (its group's label), if any."""
        group = self.columns[value_index].group
        if self.group_row is None or group is None:
            return None
        keys = next((g.keys for g in self.table.groups if g.label == group), ())
        first = min(
            (self.value_cols[i] for i, c in enumerate(self.columns) if c.key in keys),
            default=self.value_cols[value_index],
        )
        return f"{quote_sheet(self.sheet)}!{ref(self.group_row, first, True)}"

    def recon_of(self, value_index: int) -> ReconRow | None:
        return next((r for r in self.recon if r.check.index == value_index), None)

    def base_cell(self, value_index: int) -> str | None:
        """Where the total a ratio divides by stands (relative to this sheet), if anywhere.

        The published total (in the reconciliation block, or on the total row when it is shown
        as published), else the sum on the total row of an additive measure; as the analysis'
        ``base_total``.
        """
        analysis = self.analysis
        recon = self.recon_of(value_index)
        if analysis.published_total(value_index) is not None:
            if recon is not None:
                return ref(recon.row, 1, True)
            kind = analysis.totals[value_index][1]
            if kind is TotalKind.PUBLISHED and self.has_total:
                return ref(self.total_row, self.value_cols[value_index], True)
            return None
        if analysis.additive[value_index] and self.has_total:
            return ref(self.total_row, self.value_cols[value_index], True)
        return None

    def derived_column(self, kind: DerivedKind, source: int) -> DerivedColumn | None:
        return next(
            (d for d in self.derived if d.kind is kind and d.derived.source == source), None
        )


def plan(
    labels: Labels,
    language: str,
    answer: Answer,
    table: Table,
    analysis: TableAnalysis,
    sheet: str,
    big_rows: int,
) -> TableLayout:
    """Lay out ``table`` on sheet ``sheet`` (nothing is written yet)."""
    big = len(table.rows) > big_rows
    columns = table.value_columns
    # A measure's name: its label, with its group where the label repeats across groups.
    texts = _grouped([header_text(c.text(language)) for c in columns], table, language)
    # Inside another header a measure is named without its unit (a share is no amount).
    bare = [measure_name(t) for t in texts]
    names = [lower_first(t) for t in bare]
    quoted_names = [name_of(c, labels, t) for c, t in zip(columns, bare, strict=True)]
    inside = [name_of(c, labels, t, inside=True) for c, t in zip(columns, bare, strict=True)]
    published = any(c.is_percent for c in columns)

    def name(index: int) -> dict[str, str]:
        return {"column": names[index], "name": quoted_names[index], "name_inside": inside[index]}

    planned: list[tuple[Derived, str, str | None]] = []  # (figure, header, check header)
    recomputed_shares = {
        d.source for d in analysis.derived if d.kind is DerivedKind.RATIO and d.other is None
    }
    for d in analysis.derived:
        kind = d.kind
        if kind is DerivedKind.RANK and big:
            continue  # RANK over a streamed table of that many rows makes Excel crawl
        if kind in (DerivedKind.SHARE, DerivedKind.CUMULATIVE) and analysis.sums[d.source] is None:
            continue  # no sum of the rows (a cell 'not available'): no share of it either
        if kind is DerivedKind.SHARE and d.source in recomputed_shares:
            continue  # the published share's recomputed column is this share already
        if kind is DerivedKind.SHARE:
            key = "share_computed" if published else "share"
            header = labels.get(f"workbook.table.{key}", **name(d.source))
        elif kind is DerivedKind.AVERAGE:
            other = d.other if d.other is not None else d.source
            definition = {
                "amount": names[d.source],
                "count": names[other],
                "amount_name": quoted_names[d.source],
                "count_name": quoted_names[other],
            }
            own = d.label_en if language == "en" and d.label_en else d.label
            if own:
                header = labels.get("workbook.table.average_named", label=own, **definition)
            else:
                header = labels.get("workbook.table.average", **definition)
        elif kind is DerivedKind.RATIO:
            assert d.published is not None
            published_name = name(d.published)
            published_name["column"] = texts[d.published]
            if d.other is None:
                header = labels.get(
                    "workbook.table.ratio_share",
                    numerator=names[d.source],
                    numerator_name=inside[d.source],
                    **published_name,
                )
            else:
                header = labels.get(
                    "workbook.table.ratio",
                    numerator=names[d.source],
                    denominator=names[d.other],
                    numerator_name=inside[d.source],
                    denominator_name=inside[d.other],
                    **published_name,
                )
        else:
            header = labels.get(f"workbook.table.{kind.value}", **name(d.source))
        check = None
        if kind is DerivedKind.RATIO and d.published is not None:
            check = labels.get("workbook.table.ratio_check", **name(d.published))
        planned.append((d, header_text(header), check))

    # The sheet's columns: each measure, a published percentage followed by its recomputed
    # ratio and check; then the other derived figures.
    headers = [header_text(table.label_column.text(language))]
    level_col = None
    if table.has_hierarchy:
        level_col = len(headers)
        headers.append(labels["workbook.table.level"])
    value_cols: list[int] = []
    derived: list[DerivedColumn] = []

    def place(d: Derived, header: str, check: str | None) -> None:
        column = len(headers)
        headers.append(header)
        if check is not None:
            headers.append(check)
        derived.append(DerivedColumn(d, column, header, column + 1 if check else None))

    beside = {d.published: (d, h, c) for d, h, c in planned if d.kind is DerivedKind.RATIO}
    for j, text in enumerate(texts):
        value_cols.append(len(headers))
        headers.append(text)
        if j in beside:
            place(*beside[j])
    for d, header, check in planned:
        if d.kind is not DerivedKind.RATIO:
            place(d, header, check)
    _unique(headers)
    derived = [DerivedColumn(d.derived, d.column, headers[d.column], d.check) for d in derived]
    caption = table.caption_text(language)
    title = caption or labels.get(
        "workbook.table.title",
        columns=join(
            [t if k == 0 else names[k] for k, t in enumerate(texts)],
            labels,
        ),
        names=join(quoted_names, labels),
        label=lower_first(headers[0]),
        label_name=name_of(table.label_column, labels, inside=True),
    )
    if table.number:
        title = labels.get("workbook.table.numbered", number=table.number, title=title)
    header_row = CHECK_ROW + (2 if table.groups else 1)
    layout = TableLayout(
        answer,
        table,
        analysis,
        sheet,
        f"tbl_{table.id}",
        title,
        big,
        level_col,
        tuple(value_cols),
        tuple(derived),
        headers,
        header_row,
        analysis.has_total_row,
    )
    first = layout.recon_row + 2
    layout.recon = tuple(
        ReconRow(first + k, check) for k, check in enumerate(analysis.total_checks)
    )
    return layout


# Measures under an upper header whose labels repeat across groups ("# Limburg" under OND and
# ONTW) are named with their group, so that a filter button names the right column.
def _grouped(texts: list[str], table: Table, language: str) -> list[str]:
    groups = {
        g.label: header_text(g.label_en if language == "en" and g.label_en else g.label)
        for g in table.groups
    }
    seen = [t.casefold() for t in texts]
    out = []
    for text, column in zip(texts, table.value_columns, strict=True):
        if column.group in groups and seen.count(text.casefold()) > 1:
            group = groups[column.group]
            text = f"{text} – {group}" if "(" in group else f"{text} ({group})"
        out.append(text)
    return out


# Excel wants the header names of a table unique (case-insensitive).
def _unique(headers: list[str]) -> None:
    seen: set[str] = set()
    for i, header in enumerate(headers):
        candidate, n = header, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{header} ({n})"
        headers[i] = candidate
        seen.add(candidate.casefold())
