"""The derived figures of a whole dataset: its tables and the key figures its text states."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..checks import HUNDRED, within_rounding
from ..model import (
    CellRef,
    CheckKind,
    ColumnType,
    Dataset,
    Figure,
    Table,
)
from .kinds import FigureResult
from .table import TableAnalysis


@dataclass(eq=False, repr=False)
class Analysis:
    """The derived figures of a whole dataset: its tables and its stated key figures."""

    dataset: Dataset
    tables: dict[str, TableAnalysis] = field(init=False)

    def __post_init__(self) -> None:
        format1 = self.dataset.format == 1
        # by the table itself (ids may repeat in a dataset that validation then refuses)
        self._by_table = {id(t): TableAnalysis(t, format1) for _, t in self.dataset.tables}
        self.tables = {t.id: self._by_table[id(t)] for _, t in self.dataset.tables}

    def table(self, table: Table | str) -> TableAnalysis:
        """The analysis of ``table`` (or of the table with that id)."""
        if isinstance(table, str):
            return self.tables[table]
        return self._by_table[id(table)]

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


def analyse(dataset: Dataset) -> Analysis:
    """The derived figures of ``dataset`` (computed lazily, each once)."""
    return Analysis(dataset)
