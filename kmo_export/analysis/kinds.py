"""What the analysis gives the renderers: kinds of derived figures, checks, charts, results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..checks import within_rounding
from ..model import (
    Column,
    Figure,
)


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


@dataclass(frozen=True, eq=False, repr=False)
class Definition:
    """What a derived figure divides by what: measure keys of its table."""

    kind: DerivedKind
    measure: str  # the measure it derives from (an average: the numerator)
    denominator: str | None = None  # an average or a ratio: the measure it divides by


@dataclass(frozen=True, eq=False, repr=False)
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


@dataclass(frozen=True, eq=False, repr=False)
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


@dataclass(frozen=True, eq=False, repr=False)
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


@dataclass(frozen=True, eq=False, repr=False)
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


@dataclass(frozen=True, eq=False, repr=False)
class ChartPlan:
    """One chart both outputs draw: what kind, which measures, which rows."""

    kind: ChartKind
    measures: tuple[int, ...]  # value indexes, one series each (GROUPS: one per group)
    secondary: tuple[int, ...] = ()  # percentages drawn as a line on a second axis
    top: TopN | None = None


@dataclass(frozen=True, eq=False, repr=False)
class FigureResult:
    """A key figure stated in the text and what the rest of the answer says of it."""

    figure: Figure
    computed: Decimal | None = None  # what its check computes (a percentage as a percentage)
    ok: bool | None = None  # None: no check, or nothing to check against

    @property
    def contradicted(self) -> bool:
        return self.ok is False
