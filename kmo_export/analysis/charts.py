"""Which charts a table supports, chosen by what its figures mean; both outputs draw these.

Periods and ordered classes: columns in their order (never sorted), a percentage as a line on a
second axis beside the counts it divides; categories: bars sorted by size (top N and, for a
measure that adds up, the rest), a Pareto for an additive measure; column groups: clustered
columns, one series per group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Column, ColumnType, DimensionKind
from .kinds import ChartKind, ChartPlan

if TYPE_CHECKING:
    from .table import TableAnalysis


def plan_charts(ta: TableAnalysis, top_n: int) -> tuple[ChartPlan, ...]:
    """The charts of the table ``ta`` analyses, in the order both outputs draw them."""
    columns = ta.columns
    percents = [i for i, c in enumerate(columns) if c.is_percent]
    others = [i for i, c in enumerate(columns) if not c.is_percent]
    if ta.table.groups:
        return _group_charts(ta)
    if ta.kind is not DimensionKind.CATEGORY:
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
            out.append(ChartPlan(ChartKind.BARS, (i,), top=ta.top(i, top_n)))
    primary = ta.primary
    if primary is not None and len(ta.table.top_rows) > 2:
        out.append(ChartPlan(ChartKind.PARETO, (primary,), top=ta.top(primary, top_n)))
    if not out:
        for i in percents[:1] or others[:1]:
            out.append(ChartPlan(ChartKind.BARS, (i,), top=ta.top(i, top_n)))
    return tuple(out)


# Clustered columns: for each position within the groups, one series per group (two at most).
def _group_charts(ta: TableAnalysis) -> tuple[ChartPlan, ...]:
    groups = ta.table.groups
    width = min(len(g.keys) for g in groups)
    out = []
    for position in range(width):
        measures = tuple(ta.index(g.keys[position]) for g in groups)
        if any(m is None for m in measures):
            continue
        indexes = tuple(m for m in measures if m is not None)
        kind = ChartKind.LINE if ta.columns[indexes[0]].is_percent else ChartKind.GROUPS
        out.append(ChartPlan(kind, indexes))
    return tuple(out[:2]) if len(out) > 2 else tuple(out)


# The measure a percentage's ratio divides (its numerator), if it declares one.
def _numerator(column: Column) -> str | None:
    return column.ratio[0] if column.ratio else column.share_of
