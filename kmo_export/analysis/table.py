"""The derived figures of one table, each only where it means something."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache, cached_property

from ..checks import HUNDRED, ratio_percent, within_rounding
from ..model import (
    Average,
    Column,
    ColumnType,
    DimensionKind,
    NotAvailable,
    Table,
    TotalSource,
)
from .kinds import (
    ChartPlan,
    Definition,
    Derived,
    DerivedKind,
    RatioCheck,
    TopN,
    TotalCheck,
    TotalKind,
)


# A period label with a qualifier in brackets is partial: "2025 (31/10)" (compiled at first use).
@cache
def _partial() -> re.Pattern[str]:
    return re.compile(r"\(.*\)|\*$")


# A part of a year in a period label: "Q3 2025", "2025Q3", "2025-K3", "H1 2024" (at first use).
@cache
def _year_part() -> re.Pattern[str]:
    return re.compile(
        r"(?:(?P<p1>[QKTHS][1-4])\s*[-/]?\s*(?P<y1>(?:19|20)\d\d))"
        r"|(?:(?P<y2>(?:19|20)\d\d)\s*[-/]?\s*(?P<p2>[QKTHS][1-4]))",
        re.IGNORECASE,
    )


# A row label that gathers the rest: "Overige sectoren", "Andere", "Onbekend" (at first use).
@cache
def _residual() -> re.Pattern[str]:
    return re.compile(
        r"\s*(?:overige?|andere[n]?|rest|restgroep|onbekend"
        r"|niet (?:ingedeeld|toegewezen|gekend|bekend)|niet toe te wijzen|niet toewijsbaar"
        r"|others?|unknown|unallocated|not (?:allocated|assigned|classified|known))\b",
        re.IGNORECASE,
    )


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

    @cached_property
    def residual_rows(self) -> tuple[int, ...]:
        """Top-level rows of a category table that gather the rest ("Overige sectoren",
        "Andere", "Onbekend"): no category of their own, so never counted or ranked as one."""
        if not self.ranks_categories:
            return ()
        rows = self.table.rows
        cells = enumerate(zip(rows.labels(), rows.levels(), strict=True))
        return tuple(r for r, (label, level) in cells if not level and _residual().match(label))

    def index(self, key: str) -> int | None:
        """Value index of measure ``key``."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), None)

    @cached_property
    def sums(self) -> tuple[Decimal | None, ...]:
        """Exact sum of the top-level rows of each additive measure (None for the others).

        None too where a top-level cell is 'not available' or (format 2) left blank: the rows
        then do not show all that the total holds, and no sum of them is the total. (Format 1
        documents a blank cell as left out of every sum, with a note.)
        """
        top = self.table.top_rows
        return tuple(
            top.total(i) if add and not self.incomplete[i] else None
            for i, add in enumerate(self.additive)
        )

    @cached_property
    def incomplete(self) -> tuple[bool, ...]:
        """Per measure: do the top-level rows miss a figure (not available; format 2: blank)."""
        top = self.table.top_rows
        out = []
        for i, missing in enumerate(self.not_available):
            blank = not self._format1 and any(v is None for v in top.column(i))
            out.append(missing or blank)
        return tuple(out)

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
        return self.table.reported_total is not None or any(s is not None for s in self.sums)

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
                # Shares of a whole: the total is 100 %, or the sum of the rows as published
                # (rounded shares add up to 99,9 %), nothing in between.
                summed = self.table.top_rows.total(i)
                if summed is not None and within_rounding(published, summed, 1, column.decimals):
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
            for i, total in enumerate(self.sums):
                if total is not None and total > 0 and self.nonnegative[i]:
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
        """The measure rankings and the Pareto follow: the one the source publishes shares of
        (``share_of``: what the answer is about), else the first count that adds up (and whose
        rows hold every figure), else such an amount."""
        for column in self.columns:
            i = self.index(column.share_of) if column.share_of else None
            if i is not None and self.sums[i] is not None and self.nonnegative[i]:
                return i
        for kind in (ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.NUMBER):
            for i, column in enumerate(self.columns):
                if column.type is kind and self.sums[i] is not None and self.nonnegative[i]:
                    return i
        return None

    @cached_property
    def nonnegative(self) -> tuple[bool, ...]:
        """Per measure: no top-level row below zero. Only such a measure has shares of its
        total, a ranking and a cumulative share (a budget change that goes up and down has
        none: -197 % of a total means nothing)."""
        rows = self.table.rows

        def nonnegative(i: int) -> bool:
            if self.columns[i].type in (ColumnType.COUNT, ColumnType.AMOUNT):
                return True  # validated: never below zero
            cells = zip(rows.column(i), rows.levels(), strict=True)
            return all(not isinstance(v, Decimal) or v >= 0 or level for v, level in cells)

        return tuple(nonnegative(i) for i in range(len(self.columns)))

    def comparable_periods(self, index: int) -> tuple[int, int] | None:
        """Two rows of a period table whose figures of measure ``index`` may be compared.

        Years: the first and the last full period. Parts of a year (quarters, halves): the last
        full one and the same part a year earlier, never two different seasons; None where no
        such pair is published.
        """
        if self.kind is not DimensionKind.PERIOD or self.table.has_hierarchy:
            return None
        labels = list(self.table.rows.labels())
        full = [
            r
            for r, v in enumerate(self.table.rows.column(index))
            if isinstance(v, Decimal) and r not in self.partial_periods
        ]
        if len(full) < 2:
            return None
        parts = [_part_of_year(labels[r]) for r in full]
        if all(p is None for p in parts):
            return full[0], full[-1]
        last = parts[-1]
        if last is None:
            return None
        year, part = last
        earlier = next((r for r, p in zip(full, parts, strict=True) if p == (year - 1, part)), None)
        return (earlier, full[-1]) if earlier is not None else None

    @cached_property
    def partial_periods(self) -> frozenset[int]:
        """Rows of a period table whose label marks a part of a period ("2025 (31/10)")."""
        if self.kind is not DimensionKind.PERIOD:
            return frozenset()
        partial = _partial()
        return frozenset(
            i for i, label in enumerate(self.table.rows.labels()) if partial.search(label)
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
        """Row indexes of the top-level rows with a number, largest first (stable on ties).

        Computed once per measure (a table may hold a million rows); do not change the list.
        """
        if not self.ranks_categories:
            raise ValueError("periods and ordered classes are never ranked")
        cache: dict[int, list[int]] = self.__dict__.setdefault("_ranked", {})
        if index not in cache:
            cache[index] = self._rank(index)
        return cache[index]

    # Sort the top-level rows of one measure by size (ties in published order).
    def _rank(self, index: int) -> list[int]:
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
        cache: dict[tuple[int, int], TopN] = self.__dict__.setdefault("_top", {})
        if (index, n) not in cache:
            cache[(index, n)] = self._top_n(index, n)
        return cache[(index, n)]

    # The top N of one measure, and the sum of the rest where the measure adds up.
    def _top_n(self, index: int, n: int) -> TopN:
        shown, count = self._leaders(index, n)
        rest = count - len(shown)
        rest_total = None
        total = self.sums[index]
        if rest and self.additive[index] and total is not None:
            # The sum of the rest: the column's sum less the rows shown (exact, and no pass
            # over a million rows for each N).
            rows = self.table.rows
            rest_total = total
            for r in shown:
                value = rows[r].values[index]
                if isinstance(value, Decimal):
                    rest_total -= value
        return TopN(index, tuple(shown), rest, rest_total)

    # The n largest top-level rows (ties in published order) and how many rows hold a number.
    # A full ranking is kept only where one was made; else one streaming pass with a heap of
    # at least 100 rows serves every smaller N (a table may hold a million rows).
    def _leaders(self, index: int, n: int) -> tuple[list[int], int]:
        if not self.ranks_categories:
            raise ValueError("periods and ordered classes are never ranked")
        ranked = self.__dict__.get("_ranked", {}).get(index)
        if ranked is not None:
            return ranked[:n], len(ranked)
        cache: dict[int, tuple[int, list[int], int]] = self.__dict__.setdefault("_leaders_kept", {})
        kept = cache.get(index)
        if kept is None or kept[0] < n:
            rows = self.table.rows
            count = 0

            def present() -> Iterator[tuple[Decimal, int]]:
                nonlocal count
                cells = zip(rows.column(index), rows.levels(), strict=True)
                for r, (value, level) in enumerate(cells):
                    if isinstance(value, Decimal) and not level:
                        count += 1
                        yield value, -r

            size = max(n, 100)
            best = heapq.nlargest(size, present())
            kept = (size, [-r for _, r in best], count)
            cache[index] = kept
        return kept[1][:n], kept[2]

    def value_of(self, derived: Derived, values: Sequence[object]) -> Decimal | None:
        """A share or an average for a row of measure ``values`` (such as the rest of a top N)."""
        value = values[derived.source]
        if not isinstance(value, Decimal):
            return None
        if derived.kind is DerivedKind.SHARE:
            total = self.sums[derived.source]
            return value / total if total else None
        if derived.kind is DerivedKind.AVERAGE and derived.other is not None:
            other = values[derived.other]
            return value / other if isinstance(other, Decimal) and other else None
        return None

    # -- charts --

    def charts(self, top_n: int) -> tuple[ChartPlan, ...]:
        """The charts the table supports, in the order both outputs draw them."""
        from .charts import plan_charts

        return plan_charts(self, top_n)


# (year, "Q3") for a label naming a part of a year, None for a whole year or anything else.
def _part_of_year(label: str) -> tuple[int, str] | None:
    found = _year_part().search(label)
    if found is None:
        return None
    year = found.group("y1") or found.group("y2")
    part = (found.group("p1") or found.group("p2")).upper().replace("K", "Q").replace("T", "Q")
    return int(year), part
