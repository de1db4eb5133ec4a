"""A dataset table as the brief shows it: headers with units, cells as the source writes them.

This module lays out what :mod:`kmo_export.analysis` computed; it computes nothing itself. A
table shows its published columns, and beside them the derived figures the brief prints: the
share of the measure that ranks the rows (categories only) and the averages the dataset
declares. A total row appears where the source publishes one or a measure adds up; a sum the
source does not give is labelled as the sum of the rows, never as a published total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .. import formatting as fmt
from ..analysis import Derived, DerivedKind, TableAnalysis, TopN, TotalKind
from ..model import NotAvailable, Row, Table, TotalSource
from .wording import Words, count_noun, dutch_singular, lower_first
from .wordml import Cell

#: More numeric columns than this and a table goes on a landscape page.
WIDE_COLUMNS = 6
#: A table with more measures than this shows no share column beside them.
SHARE_COLUMNS = 4


@dataclass(frozen=True)
class Shown:
    """One column of the brief's table: a measure (``index``) or a derived figure."""

    header: str
    index: int | None = None  # value index of a published measure
    derived: Derived | None = None
    group: str | None = None  # the upper header (column group)
    language: str | None = None  # the header's language where it is not the brief's


class TableLayout:
    """Lays out one table of the dataset with its analysis."""

    def __init__(
        self, table: Table, analysis: TableAnalysis, words: Words, facts: CellFacts | None = None
    ) -> None:
        self.table = table
        self.facts = facts or cell_facts(table)
        self.analysis = analysis
        self.words = words
        self.columns = table.value_columns
        self.markers: dict[int, str] = {}
        self.marker_notes: list[str] = []
        # Measures with a cell the source withholds ("x", "n.v.t."): a sum of the others would
        # read as the total, so the brief shows none (only a published one).
        self.withheld = self.facts.withheld
        self._columns = self._plan()
        self._check_markers()

    # -- which columns --

    @property
    def share(self) -> Derived | None:
        """The share column the brief shows: of the measure that ranks the rows."""
        primary = self.analysis.primary
        if len(self.columns) > SHARE_COLUMNS or primary in self.withheld:
            return None  # a wide table shows what was published; the workbook has the shares
        if primary is not None and any(
            c.share_of == self.columns[primary].key for c in self.columns
        ):
            return None  # the source publishes the shares itself
        return next(
            (
                d
                for d in self.analysis.derived
                if d.kind is DerivedKind.SHARE and d.source == primary
            ),
            None,
        )

    @property
    def averages(self) -> list[Derived]:
        """The averages the analysis declares valid (the dataset's, or format 1's one)."""
        return [d for d in self.analysis.derived if d.kind is DerivedKind.AVERAGE]

    def _plan(self) -> list[Shown]:
        # Published columns in order; the share right after its measure (at the end when the
        # table has column groups, which must stay together); the averages last.
        words = self.words
        share = self.share
        grouped = bool(self.table.groups)
        group_of = {k: g for g in self.table.groups for k in g.keys}
        # Beside published percentages a computed share says it is computed (as in the workbook).
        share_header = words.get("brief.share_header")
        if any(c.is_percent for c in self.columns) or share_header in map(
            words.header, self.columns
        ):
            share_header = words.get("brief.share_computed")
        out: list[Shown] = []
        late: list[Shown] = []
        for i, column in enumerate(self.columns):
            group = group_of.get(column.key)
            group_label = None
            if group is not None:
                group_label = (
                    group.label_en if words.lang != "nl" and group.label_en else group.label
                )
            out.append(Shown(words.header(column), i, None, group_label, words.foreign(column)))
            if share is not None and share.source == i:
                (late if grouped else out).append(Shown(share_header, derived=share))
        out += late
        for derived in self.averages:
            out.append(Shown(self._average_header(derived), derived=derived))
        return out

    def _average_header(self, derived: Derived) -> str:
        # A declared average's own label, else "Gemiddeld per project", with its unit.
        words = self.words
        amount = self.columns[derived.source]
        count = self.columns[derived.other] if derived.other is not None else None
        label = derived.label_en if words.lang != "nl" and derived.label_en else derived.label
        if not label:
            singular = None
            if words.dutch and count is not None:
                singular = dutch_singular(count_noun(count.label))
            if singular:
                label = words.get("brief.average_per", noun=singular)
            else:
                label = words.get("brief.average")
        unit = words.unit(amount)
        if unit is None or unit == "%":
            return label
        return words.get("brief.words.with_unit", label=label, unit=unit)

    def average_notes(self) -> list[str]:
        """What each average divides, where its header does not say it."""
        out = []
        for derived, shown in zip(
            self.averages, self._columns[-len(self.averages) :], strict=False
        ):
            if derived.label or derived.other is None:
                continue
            if shown.header.startswith(self.words.get("brief.average")) and not (
                self.words.dutch and dutch_singular(count_noun(self.columns[derived.other].label))
            ):
                out.append(
                    self.words.get(
                        "brief.average_note",
                        amount=self.words.column(self.columns[derived.source], start=True),
                        count=self.words.column(self.columns[derived.other]),
                    )
                )
        return out

    @property
    def numeric(self) -> int:
        """How many number columns the brief's table has."""
        return len(self._columns)

    # -- cells --

    def header(self) -> tuple[list[list[Cell]], list[Cell]]:
        """The header rows (two where the table has column groups: the upper one spans the
        columns of each group) and the cell that names each column (for the widths)."""
        words = self.words
        dimension = self.table.label_column
        first = Cell(dimension.text(words.lang), language=words.foreign(dimension))
        names = [first] + [Cell(s.header, True, language=s.language) for s in self._columns]
        if not any(s.group for s in self._columns):
            return [names], names
        upper, lower = [first], [Cell("")]  # an empty lower cell: merged with the one above
        previous = None
        for shown, name in zip(self._columns, names[1:], strict=True):
            if shown.group is None:
                upper.append(name)
                lower.append(Cell(""))
            elif shown.group == previous:
                upper[-1] = replace(upper[-1], span=upper[-1].span + 1)
                lower.append(name)
            else:
                upper.append(Cell(shown.group, True))
                lower.append(name)
            previous = shown.group
        return [upper, lower], names

    def row(self, label: Cell, values: Sequence[object], derived: Iterable[object]) -> list[Cell]:
        """A body row: the label, the published cells, the derived figures."""
        out = [label]
        derived = list(derived)
        for shown in self._columns:
            if shown.index is not None:
                column = self.columns[shown.index]
                out.append(Cell(self.words.cell(values[shown.index], column), True))
            else:
                assert shown.derived is not None
                out.append(Cell(self._derived_text(shown.derived, derived.pop(0)), True))
        return out

    def _derived_text(self, derived: Derived, value: object) -> str:
        # A share as a percentage ("< 0,1 %" when too small to show), an average in its unit.
        if not isinstance(value, Decimal):
            return ""
        if derived.kind is DerivedKind.SHARE:
            return fmt.share(value, self.words.lang)
        return fmt.number(value, self.words.lang, max(2, derived.decimals))

    def derived_shown(self) -> list[Derived]:
        """The derived figures the brief's table shows, in column order."""
        return [s.derived for s in self._columns if s.derived is not None]

    def body(self, indexes: Sequence[int] | None = None) -> list[list[Cell]]:
        """The rows at ``indexes`` (default: every row, in published order)."""
        analysis, rows = self.analysis, self.table.rows
        derived = self.derived_shown()
        if indexes is None:
            columns = [list(analysis.values(d)) for d in derived] if derived else []
            return [
                self.row(self._label(row), row.values, (c[r] for c in columns))
                for r, row in enumerate(rows)
            ]
        wanted = set(indexes)
        if derived and len(wanted) * 4 < len(rows):
            # A few rows of a long table: their derived figures straight from the row.
            picked = {r: rows[r] for r in wanted}
            return [
                self.row(
                    self._label(picked[r]),
                    picked[r].values,
                    (analysis.value_of(d, picked[r].values) for d in derived),
                )
                for r in indexes
            ]
        columns = [list(analysis.values(d)) for d in derived]
        return [
            self.row(self._label(rows[r]), rows[r].values, (c[r] for c in columns)) for r in indexes
        ]

    def _label(self, row: Row) -> Cell:
        # A row's label, indented by its level, marked Dutch in a brief in another language.
        return Cell(
            row.label, indent=row.level, language=None if self.words.lang == "nl" else "nl-BE"
        )

    def rest(self, top: TopN) -> list[Cell]:
        """The row of everything a top N leaves out: the measure it ranks (what the chart's
        'other' bar and the workbook show) and its share; the other columns stay empty."""
        label = Cell(
            self.words.get("brief.other", count=fmt.number(top.rest_count, self.words.lang))
        )
        values: list[Decimal | None] = [None] * len(self.columns)
        values[top.index] = top.rest_total
        derived = [
            self.analysis.value_of(d, tuple(values)) if d.kind is DerivedKind.SHARE else None
            for d in self.derived_shown()
        ]
        return self.row(label, values, derived)

    def total(self) -> list[Cell] | None:
        """The total row: published totals as published (a marker where they disagree with
        the rows), sums of additive measures, ratios of the totals; None without any."""
        analysis, table, words = self.analysis, self.table, self.words
        if not analysis.has_total_row:
            return None
        reported = table.reported_total
        values: list[object] = []
        for i, (value, kind) in enumerate(analysis.totals):
            published = reported[i] if reported is not None else None
            if isinstance(published, (Decimal, NotAvailable)):
                values.append(published)
            elif i in self.withheld:
                values.append(None)
            elif kind in (TotalKind.SUM, TotalKind.RATIO):
                values.append(value)
            else:
                values.append(None)
        if all(v is None for v in values):
            return None
        if reported is None:
            label = words.get("brief.total_computed")
        elif table.total_source is TotalSource.PROSE:
            label = table.total_text(words.lang) or words.get("brief.total_prose")
        else:
            label = table.total_text(words.lang) or words.get("brief.total")
        # The dataset's own label is Dutch text in a brief in another language.
        foreign = reported is not None and table.total_label and words.lang != "nl"
        foreign = foreign and not table.total_label_en
        derived = [analysis.total_value(d) for d in self.derived_shown()]
        cells = self.row(Cell(label, language="nl-BE" if foreign else None), values, derived)
        for i, marker in self.markers.items():
            position = 1 + next(k for k, s in enumerate(self._columns) if s.index == i)
            cells[position] = Cell(cells[position].text, True, marker)
        return cells

    def _check_markers(self) -> None:
        # A note marker for each published total that disagrees with the rows.
        words = self.words
        for check in self.analysis.failed_total_checks:
            marker = str(len(self.markers) + 1)
            self.markers[check.index] = marker
            column = check.column
            key = "brief.discrepancy" if check.kind is TotalKind.SUM else "brief.discrepancy_ratio"
            self.marker_notes.append(
                words.get(
                    key,
                    marker=marker,
                    column=words.column(column, start=True),
                    reported=words.cell(check.published, column),
                    computed=words.cell(check.computed, column),
                    difference=words.cell(check.difference, column),
                )
            )

    def notes(self, rows_shown: Sequence[Row] | None = None) -> tuple[list[str], list[str]]:
        """The notes under the table: (the brief's own, the dataset's own as written)."""
        words, table = self.words, self.table
        own = list(self.marker_notes)
        if table.total_source is TotalSource.PROSE and table.total_sentence:
            own.append(words.get("brief.total_prose_note", sentence=table.total_sentence))
        elif table.reported_total is None and self.total() is not None:
            own.append(words.get("brief.total_computed_note"))
        failed = self.analysis.failed_ratio_checks
        if failed:
            labels = list(table.rows.labels())
            by_column: dict[int, list[str]] = {}
            for check in failed:
                name = labels[check.row] if check.row >= 0 else words.get("brief.total")
                by_column.setdefault(check.index, []).append(name)
            for index, names in by_column.items():
                column = self.columns[index]
                rows_text = fmt.join(names, words.lang)
                if column.ratio is None:  # share_of: a part of the column's total
                    whole = table.measure(column.share_of or "")
                    own.append(
                        words.get(
                            "brief.share_note",
                            column=words.column(column, start=True),
                            measure=words.column(whole) if whole else column.share_of,
                            rows=rows_text,
                        )
                    )
                    continue
                num, den = (table.measure(k) for k in column.ratio)
                own.append(
                    words.get(
                        "brief.ratio_note",
                        column=words.column(column, start=True),
                        numerator=words.column(num) if num else column.ratio[0],
                        denominator=words.column(den) if den else column.ratio[1],
                        rows=rows_text,
                    )
                )
        own += self.average_notes()
        if table.has_hierarchy:
            own.append(words.get("brief.detail_rows"))
        symbols = self.facts.symbols
        explained = [n for n in table.notes if any(n.startswith(f"{s}:") for s in symbols)]
        if symbols and len(explained) < len(symbols):
            own.append(
                words.get(
                    "brief.not_available",
                    symbols=fmt.join(
                        [f"‘{s}’" if words.dutch else f"“{s}”" for s in symbols], words.lang
                    ),
                )
            )
        if self.facts.blank:
            own.append(words.get("brief.empty_cells"))
        return own, list(table.notes)

    def is_wide(
        self, text_width: int, header: list[Cell], rows: list[list[Cell]], total: list[Cell] | None
    ) -> bool:
        """More than about six number columns, or more than the page holds unbroken."""
        from .wordml import least_width

        return self.numeric > WIDE_COLUMNS or least_width(header, rows, total) > text_width


@dataclass(frozen=True)
class CellFacts:
    """What the cells of a table hold beyond numbers, found in one pass over them."""

    withheld: frozenset[int]  # measures with a blank or not-available top-level cell
    blank: bool  # a blank cell anywhere (detail rows too)
    symbols: tuple[str, ...]  # the not-available marks, as the source writes them


def cell_facts(table: Table) -> CellFacts:
    """Blank and not-available cells of ``table`` (one pass: a table may hold a million rows).

    A measure with such a cell among the top-level rows is *withheld*: a sum of the other
    cells would read as the total, so the brief states none the source does not give.
    """
    withheld: set[int] = set()
    blank = False
    symbols = {str(v) for v in (table.reported_total or ()) if isinstance(v, NotAvailable)}
    rows = table.rows
    for i in range(len(table.value_columns)):
        for value, level in zip(rows.column(i), rows.levels(), strict=True):
            if isinstance(value, Decimal):
                continue
            if value is None:
                blank = True
            else:
                symbols.add(str(value))
            if not level:
                withheld.add(i)
    return CellFacts(frozenset(withheld), blank, tuple(sorted(symbols)))


def caption_words(table: Table, words: Words) -> str:
    """A table's caption: the dataset's (in the brief's language where given), else its
    measures per its row dimension."""
    caption = table.caption_text(words.lang)
    if caption:
        return caption
    names = [words.column(c, start=i == 0) for i, c in enumerate(table.value_columns)]
    if not names:
        return ""
    return words.get(
        "brief.caption_per",
        columns=fmt.join(names, words.lang),
        label=words.column(table.label_column),
    )


__all__ = ["TableLayout", "caption_words", "lower_first"]
