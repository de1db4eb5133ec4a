"""Every figure that is not in the source, computed in one place from the model.

The renderers only format what this module gives them: the workbook writes each derived figure
as a formula with the value computed here cached, the brief prints the same value. A derived
figure is computed only where it means something:

* shares, ranks, cumulative shares and top-N + the rest: additive measures over categories;
* the change on the previous period: counts, amounts and numbers over periods (not for a partial
  period such as "2025 (31/10)", which is not comparable with a full one);
* recomputed ratios: percentages declared as ``ratio`` or ``share_of``, per row and on the total
  row, where the total is the ratio of the totals, never a sum;
* averages: only where the dataset declares them (format 1: amount per count, its one meaning);
* reconciliations: a published total against the sum of the rows (additive measures), against
  the ratio of the totals (ratios), or not at all (anything else).

Each derived figure carries its :class:`Definition` (what is divided by what), which both
outputs show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from .checks import HUNDRED, ratio_percent, within_rounding
from .model import (
    Average,
    CellRef,
    CheckKind,
    Column,
    ColumnType,
    Dataset,
    DimensionKind,
    Figure,
    NotAvailable,
    Table,
    TotalSource,
)

#: A period label with a qualifier in brackets is a partial period: "2025 (31/10)".
_PARTIAL = re.compile(r"\(.*\)|\*$")


class DerivedKind(StrEnum):
    """What a derived figure is."""

    SHARE = "share"  # a row's part of the column total (fraction)
    CUMULATIVE = "cumulative"  # running share in table order (fraction)
    RANK = "rank"  # 1 = largest; ties keep the published order
    AVERAGE = "average"  # one measure divided by another, per row
    RATIO = "ratio"  # a published percentage recomputed (fraction)
    CHANGE = "change"  # the change on the previous period, in the measure's unit
    CHANGE_PERCENT = "change_percent"  # the same as a fraction of the previous period


class TotalKind(StrEnum):
    """How the figure on a table's total row came about."""

    SUM = "sum"  # the sum of the top-level rows of an additive measure
    RATIO = "ratio"  # the ratio of the totals of its numerator and denominator
    PUBLISHED = "published"  # only as published (a measure that does not add up)


@dataclass(frozen=True)
class Definition:
    """What a derived figure divides by what: measure keys of its table."""

    kind: DerivedKind
    measure: str  # the measure it derives from (an average: the numerator)
    denominator: str | None = None  # an average or a ratio: the measure it divides by


@dataclass(frozen=True)
class Derived:
    """A derived column: its definition and where its inputs stand (value indexes)."""

    definition: Definition
    source: int  # value index of ``definition.measure``
    other: int | None = None  # value index of ``definition.denominator``
    label: str | None = None  # a declared average's own label
    label_en: str | None = None
    decimals: int = 2
    published: int | None = None  # RATIO: value index of the published percentage it checks

    @property
    def kind(self) -> DerivedKind:
        return self.definition.kind


@dataclass(frozen=True)
class TotalCheck:
    """A published total held against what the rows say (a finding when ``ok`` is False)."""

    index: int  # value index of the measure
    column: Column
    kind: TotalKind
    published: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.published - self.computed

    @property
    def ok(self) -> bool:
        if self.kind is TotalKind.SUM:
            return self.published == self.computed
        return within_rounding(self.published, self.computed, places=self.column.decimals)


@dataclass(frozen=True)
class RatioCheck:
    """A published percentage on one row held against the ratio it declares."""

    index: int  # value index of the percentage (or plain ratio)
    row: int  # row index
    published: Decimal
    computed: Decimal  # in the published figure's terms: a percentage (9.7959...) or a ratio
    places: int  # the decimals the figure is published with
    numerator: Decimal | None = None  # what was divided, for messages
    denominator: Decimal | None = None

    @property
    def ok(self) -> bool:
        return within_rounding(self.published, self.computed, places=self.places)


@dataclass(frozen=True)
class TopN:
    """The ``n`` largest top-level rows of a measure and what the others add up to."""

    index: int
    rows: tuple[int, ...]  # row indexes, largest first; ties keep the published order
    rest_count: int
    rest_total: Decimal | None  # None when the measure does not add up (no 'other' bar)


class ChartKind(StrEnum):
    """A chart the data supports."""

    BARS = "bars"  # categories sorted by size, top N (+ other for an additive measure)
    PARETO = "pareto"  # bars by size with the cumulative share (additive measures only)
    COLUMNS = "columns"  # periods or ordered classes in their order
    LINE = "line"  # a percentage over periods in their order
    GROUPS = "groups"  # clustered columns: one series per column group


@dataclass(frozen=True)
class ChartPlan:
    """One chart both outputs draw: what kind, which measures, which rows."""

    kind: ChartKind
    measures: tuple[int, ...]  # value indexes, one series each (GROUPS: one per group)
    secondary: tuple[int, ...] = ()  # percentages drawn as a line on a second axis
    top: TopN | None = None


@dataclass(frozen=True)
class FigureResult:
    """A key figure stated in the text and what the rest of the answer says of it."""

    figure: Figure
    computed: Decimal | None = None  # what its check computes (a percentage as a percentage)
    ok: bool | None = None  # None: no check, or nothing to check against

    @property
    def contradicted(self) -> bool:
        return self.ok is False


class TableAnalysis:
    """The derived figures of one table."""

    def __init__(self, table: Table, format1: bool = False) -> None:
        self.table = table
        self.kind = table.kind
        self.columns = table.value_columns
        self._format1 = format1  # a format-1 dataset: the meanings that format implied

    # -- which figures mean something --

    @cached_property
    def additive(self) -> tuple[bool, ...]:
        """Per measure: do its rows add up to a meaningful total."""
        return tuple(self.table.adds_up(c) for c in self.columns)

    @property
    def ranks_categories(self) -> bool:
        """Rows that may be ranked and sorted by size (categories, not periods or classes)."""
        return self.kind is DimensionKind.CATEGORY

    def index(self, key: str) -> int | None:
        """Value index of measure ``key``."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), None)

    @cached_property
    def sums(self) -> tuple[Decimal | None, ...]:
        """Exact sum of the top-level rows of each additive measure (None for the others).

        None too where a top-level cell is 'not available': the rows then do not show all
        that the total holds, and no sum of them is the total.
        """
        top = self.table.top_rows
        return tuple(
            top.total(i) if add and not self.not_available[i] else None
            for i, add in enumerate(self.additive)
        )

    @cached_property
    def not_available(self) -> tuple[bool, ...]:
        """Per measure: does a top-level cell say 'not available'."""
        top = self.table.top_rows
        if not top.has_not_available:
            return tuple(False for _ in self.columns)
        return tuple(
            any(isinstance(v, NotAvailable) for v in top.column(i))
            for i in range(len(self.columns))
        )

    def _ratio_inputs(self, column: Column) -> tuple[int, int | None] | None:
        # (numerator, denominator) value indexes of a ratio; denominator None = the column total.
        if column.ratio:
            num, den = self.index(column.ratio[0]), self.index(column.ratio[1])
            return (num, den) if num is not None and den is not None else None
        if column.share_of:
            num = self.index(column.share_of)
            return (num, None) if num is not None else None
        return None

    @cached_property
    def totals(self) -> tuple[tuple[Decimal | None, TotalKind | None], ...]:
        """Per measure, the figure for the total row and how it came about.

        Additive: the sum of the rows. Ratio: the ratio of the totals (published totals where
        given, else sums), as a percentage. Anything else: the published total or nothing.
        """
        out: list[tuple[Decimal | None, TotalKind | None]] = []
        for i, column in enumerate(self.columns):
            if self.additive[i] and self.sums[i] is not None:
                out.append((self.sums[i], TotalKind.SUM))
                continue
            inputs = self._ratio_inputs(column)
            if inputs is not None:
                num = self.base_total(inputs[0])
                den = num if inputs[1] is None else self.base_total(inputs[1])
                ratio = ratio_percent(num, den) if num is not None and den is not None else None
                if ratio is not None:
                    out.append((ratio if column.is_percent else ratio / HUNDRED, TotalKind.RATIO))
                    continue
            published = self.published_total(i)
            out.append((published, TotalKind.PUBLISHED) if published is not None else (None, None))
        return tuple(out)

    def base_total(self, index: int) -> Decimal | None:
        """The total a ratio divides with: the published total, else the sum if additive."""
        published = self.published_total(index)
        if published is not None:
            return published
        return self.sums[index]

    def published_total(self, index: int) -> Decimal | None:
        """The total of measure ``index`` as the source gives it (table or prose), if a number."""
        reported = self.table.reported_total
        value = reported[index] if reported is not None else None
        return value if isinstance(value, Decimal) else None

    @property
    def has_total_row(self) -> bool:
        """A total row is shown when the source gives one or a measure adds up."""
        return self.table.reported_total is not None or any(self.additive)

    @property
    def total_is_prose(self) -> bool:
        return self.table.total_source is TotalSource.PROSE

    # -- checks of the source against itself --

    @cached_property
    def total_checks(self) -> tuple[TotalCheck, ...]:
        """Each published total that can be checked, held against the rows."""
        out = []
        for i, column in enumerate(self.columns):
            published = self.published_total(i)
            value, kind = self.totals[i]
            if published is None or value is None or kind in (None, TotalKind.PUBLISHED):
                continue
            assert kind is not None
            if kind is TotalKind.RATIO and column.share_of:
                # shares of a whole: the total is 100 %, or the sum of the rounded rows
                rows = self.table.top_rows
                summed = rows.total(i)
                places = column.decimals
                if summed is not None and within_rounding(published, summed, len(rows), places):
                    value = published
            out.append(TotalCheck(i, column, kind, published, value))
        return tuple(out)

    @cached_property
    def format1_percent_checks(self) -> tuple[TotalCheck, ...]:
        """Format 1: a percent column's published total against the sum of its rounded rows."""
        out: list[TotalCheck] = []
        if not self._format1:
            return ()
        for i, column in enumerate(self.columns):
            published = self.published_total(i)
            if not column.is_percent or column.ratio or column.share_of or published is None:
                continue
            rows = self.table.top_rows
            summed = rows.total(i)
            places = column.decimals
            if summed is not None and not within_rounding(published, summed, len(rows), places):
                out.append(TotalCheck(i, column, TotalKind.SUM, published, summed))
        return tuple(out)

    def ratio_checks(self) -> Iterator[RatioCheck]:
        """Each published percentage declared as a ratio, held against the recomputed ratio."""
        rows = self.table.rows
        for derived in self.derived:
            if derived.kind is not DerivedKind.RATIO or derived.published is None:
                continue
            j = derived.published
            column = self.columns[j]
            scale = HUNDRED if column.is_percent else Decimal(1)
            whole = self.base_total(derived.source) if derived.other is None else None
            dens = rows.column(derived.other) if derived.other is not None else None
            for r, (value, num, fraction) in enumerate(
                zip(rows.column(j), rows.column(derived.source), self.values(derived), strict=True)
            ):
                den = next(dens) if dens is not None else whole
                if isinstance(value, Decimal) and fraction is not None:
                    parts = (
                        num if isinstance(num, Decimal) else None,
                        den if isinstance(den, Decimal) else None,
                    )
                    yield RatioCheck(j, r, value, fraction * scale, column.decimals, *parts)

    @cached_property
    def failed_ratio_checks(self) -> tuple[RatioCheck, ...]:
        """Rows whose published percentage is not the ratio it declares."""
        return tuple(c for c in self.ratio_checks() if not c.ok)

    @cached_property
    def failed_total_checks(self) -> tuple[TotalCheck, ...]:
        return tuple(c for c in (*self.total_checks, *self.format1_percent_checks) if not c.ok)

    # -- derived columns --

    @cached_property
    def averages(self) -> tuple[Average, ...]:
        """Averages the dataset declares (format 1: amount per count, when that is its one pair)."""
        if self.table.averages:
            return self.table.averages
        if not self._format1:
            return ()
        counts = [c for c in self.columns if c.type is ColumnType.COUNT]
        amounts = [c for c in self.columns if c.type is ColumnType.AMOUNT]
        if len(counts) == 1 and len(amounts) == 1 and self.ranks_categories:
            return (Average("average", "", amounts[0].key, counts[0].key),)
        return ()

    @cached_property
    def derived(self) -> tuple[Derived, ...]:
        """The derived columns of the table, in the order the workbook shows them."""
        out: list[Derived] = []
        for i, column in enumerate(self.columns):
            inputs = self._ratio_inputs(column)
            if inputs is None:
                continue
            num, den = inputs
            definition = Definition(
                DerivedKind.RATIO,
                self.columns[num].key,
                None if den is None else self.columns[den].key,
            )
            out.append(Derived(definition, num, den, decimals=column.decimals, published=i))
        if self.ranks_categories:
            for i, add in enumerate(self.additive):
                if add:
                    out.append(Derived(Definition(DerivedKind.SHARE, self.columns[i].key), i))
        for avg in self.averages:
            numerator, denominator = self.index(avg.numerator), self.index(avg.denominator)
            if numerator is None or denominator is None:
                continue
            definition = Definition(DerivedKind.AVERAGE, avg.numerator, avg.denominator)
            out.append(
                Derived(
                    definition,
                    numerator,
                    denominator,
                    avg.label or None,
                    avg.label_en,
                    avg.decimals,
                )
            )
        primary = self.primary
        if self.ranks_categories and primary is not None:
            key = self.columns[primary].key
            out.append(Derived(Definition(DerivedKind.CUMULATIVE, key), primary))
            out.append(Derived(Definition(DerivedKind.RANK, key), primary))
        if self.kind is DimensionKind.PERIOD and not self.table.has_hierarchy:
            for i, column in enumerate(self.columns):
                if column.type is not ColumnType.PERCENT:
                    out.append(Derived(Definition(DerivedKind.CHANGE, column.key), i))
                    out.append(Derived(Definition(DerivedKind.CHANGE_PERCENT, column.key), i))
        return tuple(out)

    @property
    def primary(self) -> int | None:
        """The measure rankings and the Pareto follow: the first additive count, else amount."""
        for kind in (ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.NUMBER):
            for i, column in enumerate(self.columns):
                if column.type is kind and self.additive[i]:
                    return i
        return None

    @cached_property
    def partial_periods(self) -> frozenset[int]:
        """Rows of a period table whose label marks a part of a period ("2025 (31/10)")."""
        if self.kind is not DimensionKind.PERIOD:
            return frozenset()
        return frozenset(
            i for i, label in enumerate(self.table.rows.labels()) if _PARTIAL.search(label)
        )

    def values(self, derived: Derived) -> Iterator[Decimal | None]:
        """The derived figure on each row, top to bottom (None where it cannot be computed).

        Shares, cumulative shares, ratios and percentage changes are fractions (0.098); a
        rank is a whole number; an average and a change are in the measure's unit.
        """
        rows = self.table.rows
        kind = derived.kind
        source = rows.column(derived.source)
        if kind is DerivedKind.SHARE:
            total = self.sums[derived.source]
            levels = rows.levels()
            for value, level in zip(source, levels, strict=True):
                yield value / total if isinstance(value, Decimal) and total and not level else None
        elif kind is DerivedKind.CUMULATIVE:
            total, running = self.sums[derived.source], Decimal(0)
            for value, level in zip(source, rows.levels(), strict=True):
                if level:
                    yield None
                    continue
                if isinstance(value, Decimal):
                    running += value
                yield running / total if total else None
        elif kind is DerivedKind.RANK:
            for rank in self._ranks(derived.source):
                yield None if rank is None else Decimal(rank)
        elif kind in (DerivedKind.AVERAGE, DerivedKind.RATIO):
            if derived.other is None:  # share_of: the column's own total
                total = self.base_total(derived.source)
                for value in source:
                    yield value / total if isinstance(value, Decimal) and total else None
                return
            for value, other in zip(source, rows.column(derived.other), strict=True):
                ok = isinstance(value, Decimal) and isinstance(other, Decimal) and other
                yield (value / other if ok else None)  # type: ignore[operator]
        else:
            previous: Decimal | None = None
            partial = self.partial_periods
            for r, value in enumerate(source):
                change = None
                if isinstance(value, Decimal) and previous is not None and r not in partial:
                    if kind is DerivedKind.CHANGE:
                        change = value - previous
                    elif previous:
                        change = (value - previous) / previous
                yield change
                previous = value if isinstance(value, Decimal) else None

    def total_value(self, derived: Derived) -> Decimal | None:
        """The derived figure on the total row: shares 1, averages and ratios of the totals."""
        if derived.kind is DerivedKind.SHARE:
            return Decimal(1) if self.sums[derived.source] else None
        if derived.kind in (DerivedKind.AVERAGE, DerivedKind.RATIO):
            num = self.base_total(derived.source)
            den = num if derived.other is None else self.base_total(derived.other)
            return num / den if num is not None and den else None
        return None

    def _ranks(self, index: int) -> Iterator[int | None]:
        # Rank among top-level rows, 1 = largest; ties keep the published order.
        order = self.ranked(index)
        rank = {r: n for n, r in enumerate(order, 1)}
        for r in range(len(self.table.rows)):
            yield rank.get(r)

    def ranked(self, index: int) -> list[int]:
        """Row indexes of the top-level rows with a number, largest first (stable on ties)."""
        if not self.ranks_categories:
            raise ValueError("periods and ordered classes are never ranked")
        rows = self.table.rows
        present = [
            (value, r)
            for r, (value, level) in enumerate(zip(rows.column(index), rows.levels(), strict=True))
            if isinstance(value, Decimal) and not level
        ]
        present.sort(key=lambda item: (-item[0], item[1]))
        return [r for _, r in present]

    def top(self, index: int, n: int) -> TopN:
        """The ``n`` largest rows of measure ``index`` and what the others add up to."""
        order = self.ranked(index)
        shown, rest = order[:n], order[n:]
        rest_total = None
        if rest and self.additive[index]:
            column = list(self.table.rows.column(index))
            rest_total = Decimal(0)
            for r in rest:
                value = column[r]
                if isinstance(value, Decimal):
                    rest_total += value
        return TopN(index, tuple(shown), len(rest), rest_total)

    # -- charts --

    def charts(self, top_n: int) -> tuple[ChartPlan, ...]:
        """The charts the table supports, in the order both outputs draw them."""
        columns = self.columns
        percents = [i for i, c in enumerate(columns) if c.is_percent]
        others = [i for i, c in enumerate(columns) if not c.is_percent]
        if self.table.groups:
            return self._group_charts()
        if self.kind is not DimensionKind.CATEGORY:
            out = []
            for kind in (ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.NUMBER):
                measures = tuple(i for i in others if columns[i].type is kind)
                if not measures:
                    continue
                keys = {columns[i].key for i in measures}
                secondary = tuple(i for i in percents if _numerator(columns[i]) in keys)
                out.append(ChartPlan(ChartKind.COLUMNS, measures, secondary))
            drawn = {i for plan in out for i in plan.secondary}
            rest = tuple(i for i in percents if i not in drawn)
            if rest:
                out.append(ChartPlan(ChartKind.LINE, rest))
            return tuple(out)
        out = []
        for i in others:
            if columns[i].type in (ColumnType.COUNT, ColumnType.AMOUNT):
                out.append(ChartPlan(ChartKind.BARS, (i,), top=self.top(i, top_n)))
        primary = self.primary
        if primary is not None and len(self.table.top_rows) > 2:
            out.append(ChartPlan(ChartKind.PARETO, (primary,), top=self.top(primary, top_n)))
        if not out:
            for i in percents[:1] or others[:1]:
                out.append(ChartPlan(ChartKind.BARS, (i,), top=self.top(i, top_n)))
        return tuple(out)

    def _group_charts(self) -> tuple[ChartPlan, ...]:
        # Clustered columns: for each position within the groups, one series per group.
        groups = self.table.groups
        width = min(len(g.keys) for g in groups)
        out = []
        for position in range(width):
            measures = tuple(self.index(g.keys[position]) for g in groups)
            if any(m is None for m in measures):
                continue
            indexes = tuple(m for m in measures if m is not None)
            kind = ChartKind.LINE if self.columns[indexes[0]].is_percent else ChartKind.GROUPS
            out.append(ChartPlan(kind, indexes))
        return tuple(out[:2]) if len(out) > 2 else tuple(out)


@dataclass
class Analysis:
    """The derived figures of a whole dataset: its tables and its stated key figures."""

    dataset: Dataset
    tables: dict[str, TableAnalysis] = field(init=False)

    def __post_init__(self) -> None:
        format1 = self.dataset.format == 1
        self.tables = {t.id: TableAnalysis(t, format1) for _, t in self.dataset.tables}

    def table(self, table: Table | str) -> TableAnalysis:
        """The analysis of ``table`` (or of the table with that id)."""
        return self.tables[table if isinstance(table, str) else table.id]

    @cached_property
    def figures(self) -> tuple[FigureResult, ...]:
        """Each key figure stated in the text with the result of its check."""
        by_id = {f.id: f for f in self.dataset.figures}
        return tuple(self._check(f, by_id) for f in self.dataset.figures)

    def check_figure(self, figure: Figure) -> FigureResult:
        """What the rest of the answer says of one stated figure."""
        return self._check(figure, {f.id: f for f in self.dataset.figures})

    def _check(self, figure: Figure, by_id: dict[str, Figure]) -> FigureResult:
        # Hold a stated figure against its declared check; percentages compare as percentages.
        check = figure.check
        if check is None:
            return FigureResult(figure)
        computed: Decimal | None = None
        if check.kind is CheckKind.CELL and check.cell is not None:
            computed = self._operand(check.cell, by_id)
        elif check.kind is CheckKind.SUM:
            parts = [self._operand(p, by_id) for p in check.figures]
            present = [p for p in parts if p is not None]
            if parts and len(present) == len(parts):
                computed = sum(present, Decimal(0))
        elif check.kind is CheckKind.RATIO and len(check.figures) == 2:
            num, den = (self._operand(p, by_id) for p in check.figures)
            if num is not None and den:
                # a ratio of base units; a percentage or plain ratio has no multiplier
                return self._judge(
                    figure, num * HUNDRED / den if figure.kind is ColumnType.PERCENT else num / den
                )
        if computed is None:
            return FigureResult(figure)
        if check.kind is not CheckKind.CELL or figure.kind is not ColumnType.PERCENT:
            computed = computed.scaleb(-figure.multiplier)  # back to the figure's own units
        return self._judge(figure, computed)

    # A stated figure against what its check computed, at the figure's published rounding.
    @staticmethod
    def _judge(figure: Figure, computed: Decimal) -> FigureResult:
        return FigureResult(figure, computed, within_rounding(figure.value, computed))

    def operand(self, ref: str | CellRef) -> Decimal | None:
        """A figure id or a cell reference, as a number in base units (multiplier applied)."""
        return self._operand(ref, {f.id: f for f in self.dataset.figures})

    def _operand(self, ref: str | CellRef, by_id: dict[str, Figure]) -> Decimal | None:
        # A figure id or a cell reference, as a number in base units (multiplier applied).
        if isinstance(ref, CellRef):
            value = self.cell(ref)
            table = self.dataset.table(ref.table)
            column = table.measure(ref.measure) if table is not None else None
            if value is None or column is None:
                return None
            return value if column.is_percent else value.scaleb(column.multiplier)
        figure = by_id.get(ref)
        if figure is None:
            return None
        return (
            figure.value
            if figure.kind is ColumnType.PERCENT
            else figure.value.scaleb(figure.multiplier)
        )

    def cell(self, ref: CellRef) -> Decimal | None:
        """The number in a table cell (``row`` None: the total row as shown)."""
        table = self.dataset.table(ref.table)
        if table is None:
            return None
        ta = self.table(table)
        index = ta.index(ref.measure)
        if index is None:
            return None
        if ref.row is None:
            return ta.totals[index][0]
        row = self.row_index(table, ref.row)
        if row is None:
            return None
        value = table.rows[row].values[index]
        return value if isinstance(value, Decimal) else None

    @staticmethod
    def row_index(table: Table, label: str) -> int | None:
        """The index of the row labelled ``label`` (case ignored), or None."""
        folded = label.casefold()
        return next(
            (i for i, text in enumerate(table.rows.labels()) if text.casefold() == folded), None
        )

    @property
    def contradicted_figures(self) -> tuple[FigureResult, ...]:
        return tuple(f for f in self.figures if f.contradicted)


# The measure a percentage's ratio divides (its numerator), if it declares one.
def _numerator(column: Column) -> str | None:
    return column.ratio[0] if column.ratio else column.share_of


def analyse(dataset: Dataset) -> Analysis:
    """The derived figures of ``dataset`` (computed lazily, each once)."""
    return Analysis(dataset)
