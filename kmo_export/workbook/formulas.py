"""The formulas of a table sheet, one pattern per derived column, built from its definition.

The analysis computes each derived figure; this module writes the formula that computes the
same figure in the sheet, so that it follows when a figure is edited. A row formula is a
template with ``{r}`` (this row) and ``{p}`` (the row above), 1-based: the same pattern on
every row, so Excel's inconsistent-formula check stays quiet and a table of a million rows
needs no per-row planning. Only classic functions (Excel 2007/2010) that LibreOffice and
Gnumeric evaluate too; SUBTOTAL(9, ...) (Gnumeric does not know 109).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..analysis import DerivedKind, TotalKind
from ..checks import HUNDRED, half_unit
from ..model import Column
from .layout import DerivedColumn, ReconRow, TableLayout
from .names import area, col, formula_text, ref


@dataclass(frozen=True, eq=False, repr=False)
class RowFormula:
    """A formula written on every table row: ``template`` with ``{r}`` and ``{p}``."""

    template: str

    def at(self, row: int) -> str:
        """The formula on 0-based sheet row ``row``."""
        return self.template.format(r=row + 1, p=row)


@dataclass(frozen=True, eq=False, repr=False)
class Formula:
    """A formula written once (a total or a reconciliation cell) with its cached value."""

    text: str
    cached: float | str


def scale(column: Column) -> Decimal:
    """What a published figure is divided by in the sheet: 100 for a percentage (81,2 % is
    stored as 0.812), 1 for a plain ratio."""
    return HUNDRED if column.is_percent else Decimal(1)


def percent_tolerance(column: Column, rows: int = 1) -> Decimal:
    """How far a published percentage or ratio may stand from what it divides, as stored in the
    sheet (a percentage as a fraction): half a unit of its last published decimal."""
    return half_unit(Decimal(0), column.decimals) * rows / scale(column)


def _guard(condition: list[str], body: str, empty: str) -> str:
    # IF(condition, "–", body), or just the body when nothing can go wrong.
    if not condition:
        return body
    test = condition[0] if len(condition) == 1 else f"OR({','.join(condition)})"
    return f"IF({test},{empty},{body})"


def _divide(numerator: str, denominator: str, numeric: bool, empty: str) -> str:
    # numerator / denominator, "–" where the numerator is no number or the denominator 0.
    condition = [] if numeric else [f"NOT(ISNUMBER({numerator}))"]
    # SUM(x)=0 rather than N(x)=0: the same for a blank, 0 or text, and Gnumeric evaluates N()
    # of a blank cell to #NUM!.
    condition.append(f"SUM({denominator})=0")
    return _guard(condition, f"{numerator}/{denominator}", empty)


class Formulas:
    """The formula patterns of one table sheet."""

    def __init__(self, layout: TableLayout, numeric: list[bool], empty: str) -> None:
        self.layout = layout
        self.numeric = numeric  # per measure: every cell a number (no blank, no 'n.v.t.')
        self.empty = formula_text(empty)
        first, last = layout.first_row, layout.last_row
        self.first, self.last = first, last
        self.levels = area(first, last, layout.level_col) if layout.level_col is not None else None

    def letter(self, value_index: int) -> str:
        return col(self.layout.value_cols[value_index])

    def column_area(self, column: int) -> str:
        return area(self.first, self.last, column)

    # -- totals --

    def column_sum(self, column: int, filtered: bool = True) -> str:
        """The sum of the top-level rows of a sheet column (SUBTOTAL: filters respected)."""
        if self.levels is not None:
            return f"SUMIF({self.levels},0,{self.column_area(column)})"
        if filtered:
            return f"SUBTOTAL(9,{self.column_area(column)})"
        return f"SUM({self.column_area(column)})"

    def ratio_of_totals(self, numerator: int, denominator: int | None) -> str | None:
        """A ratio's figure on the total row: the ratio of the totals it divides (no formula
        where a total is missing)."""
        layout = self.layout
        num = layout.base_cell(numerator)
        den = num if denominator is None else layout.base_cell(denominator)
        if num is None or den is None:
            return None
        return _divide(num, den, False, self.empty)

    def measure_total(self, index: int) -> Formula | Decimal | None:
        """The total row's cell of measure ``index``, as the analysis says it came about."""
        analysis = self.layout.analysis
        value, kind = analysis.totals[index]
        if kind is TotalKind.SUM:
            column = self.layout.value_cols[index]
            return Formula(f"={self.column_sum(column)}", float(value or 0))
        if kind is TotalKind.RATIO:
            inputs = _ratio_inputs(self.layout, index)
            text = self.ratio_of_totals(*inputs) if inputs is not None else None
            if text is not None and value is not None:
                return Formula(f"={text}", float(value / scale(self.layout.columns[index])))
            return None
        if kind is TotalKind.PUBLISHED and value is not None:
            return value / scale(self.layout.columns[index])
        return None

    def derived_total(self, d: DerivedColumn) -> Formula | None:
        """A derived column's cell on the total row (shares, averages, ratios of the totals)."""
        layout, kind = self.layout, d.kind
        value = layout.analysis.total_value(d.derived)
        cached: float | str = self.empty_text if value is None else float(value)
        if kind is DerivedKind.SHARE:
            total = ref(layout.total_row, layout.value_cols[d.derived.source], True)
            here = ref(layout.total_row, layout.value_cols[d.derived.source])
            return Formula(f"={_divide(here, total, False, self.empty)}", cached)
        if kind in (DerivedKind.AVERAGE, DerivedKind.RATIO):
            text = self.ratio_of_totals(d.derived.source, d.derived.other)
            if text is None:
                return None
            return Formula(f"={text}", cached)
        return None

    @property
    def empty_text(self) -> str:
        return self.empty[1:-1].replace('""', '"')

    # -- rows --

    def row(self, d: DerivedColumn) -> RowFormula | None:
        """The formula of derived column ``d`` on every row (None: no formula can say it)."""
        layout, derived = self.layout, d.derived
        kind, source = d.kind, derived.source
        a = self.letter(source)
        here = f"{a}{{r}}"
        empty = self.empty
        if kind is DerivedKind.SHARE:
            total = ref(layout.total_row, layout.value_cols[source], True)
            if self.numeric[source] and layout.analysis.sums[source]:
                return RowFormula(f"={here}/{total}")
            return RowFormula(f"={_divide(here, total, self.numeric[source], empty)}")
        if kind is DerivedKind.CUMULATIVE:
            total = ref(layout.total_row, layout.value_cols[source], True)
            start = f"${a}${self.first + 1}"
            if self.levels is not None:
                lc = col(layout.level_col)  # type: ignore[arg-type]
                running = f"SUMIF(${lc}${self.first + 1}:{lc}{{r}},0,{start}:{here})"
            elif layout.big:  # the row above plus this row: linear in a table of a million rows
                body = f"SUM({col(d.column)}{{p}})+SUM({here})/{total}"
                if layout.analysis.sums[source]:
                    return RowFormula(f"={body}")
                return RowFormula(f"={_guard([f'SUM({total})=0'], body, empty)}")
            else:
                running = f"SUM({start}:{here})"
            if layout.analysis.sums[source]:
                return RowFormula(f"={running}/{total}")
            return RowFormula(f"={_guard([f'SUM({total})=0'], f'{running}/{total}', empty)}")
        if kind is DerivedKind.RANK:
            values = self.column_area(layout.value_cols[source])
            start = f"${a}${self.first + 1}"
            if self.levels is not None:
                lc = col(layout.level_col)  # type: ignore[arg-type]
                body = (
                    f'COUNTIFS({values},">"&{here},{self.levels},0)'
                    f"+COUNTIFS({start}:{here},{here},${lc}${self.first + 1}:{lc}{{r}},0)"
                )
            else:
                body = f"RANK({here},{values})+COUNTIF({start}:{here},{here})-1"
            if self.numeric[source]:
                return RowFormula(f"={body}")
            return RowFormula(f"=IF(ISNUMBER({here}),{body},{empty})")
        if kind in (DerivedKind.AVERAGE, DerivedKind.RATIO):
            if derived.other is None:  # share_of: this row over the column's total
                whole = layout.base_cell(source)
                if whole is None:
                    return None
                return RowFormula(f"={_divide(here, whole, self.numeric[source], empty)}")
            b = f"{self.letter(derived.other)}{{r}}"
            return RowFormula(f"={_divide(here, b, self.numeric[source], empty)}")
        previous = f"{a}{{p}}"
        if kind is DerivedKind.CHANGE:
            return RowFormula(
                f"=IF(AND(ISNUMBER({here}),ISNUMBER({previous})),{here}-{previous},{empty})"
            )
        return RowFormula(
            f"=IF(AND(ISNUMBER({here}),SUM({previous})<>0),({here}-{previous})/{previous},{empty})"
        )

    def check(self, d: DerivedColumn, ok: str, mismatch: str) -> RowFormula:
        """OK / VERSCHIL: the published percentage against its recomputed ratio, per row."""
        assert d.derived.published is not None
        published = f"{self.letter(d.derived.published)}{{r}}"
        return RowFormula("=" + self._compare(published, f"{col(d.column)}{{r}}", d, ok, mismatch))

    def total_check(self, d: DerivedColumn, ok: str, mismatch: str) -> str | None:
        """The same check on the total row: the published total against the ratio of totals."""
        assert d.derived.published is not None
        recon = self.layout.recon_of(d.derived.published)
        if recon is None:
            return None
        recomputed = ref(self.layout.total_row, d.column)
        return "=" + self._compare(ref(recon.row, 1), recomputed, d, ok, mismatch, total=True)

    def _compare(
        self,
        published: str,
        computed: str,
        d: DerivedColumn,
        ok: str,
        mismatch: str,
        total: bool = False,
    ) -> str:
        # Within the rounding of the published percentage (as the analysis' checks).
        tolerance = self.tolerance(d.derived.published, total)  # type: ignore[arg-type]
        places = self.layout.columns[d.derived.published].decimals + 8  # type: ignore[index]
        return (
            f"IF(AND(ISNUMBER({published}),ISNUMBER({computed})),"
            f"IF(ROUND(ABS({published}-{computed}),{places})<={tolerance},"
            f"{formula_text(ok)},{formula_text(mismatch)}),{self.empty})"
        )

    def tolerance(self, index: int, total: bool = False) -> Decimal:
        """The margin of a published percentage as a fraction; a total of shares of a whole
        may be off by the rounding of every row (99,99 %)."""
        column = self.layout.columns[index]
        rows = len(self.layout.table.top_rows) if total and column.share_of else 1
        return percent_tolerance(column, rows)

    # -- the reconciliation block --

    def reconciliation(self, recon: ReconRow, ok: str, mismatch: str) -> tuple[str, str, str]:
        """The computed figure, the difference and the status of one reconciliation line."""
        layout, check = self.layout, recon.check
        row = recon.row
        column = layout.columns[check.index]
        if check.kind is TotalKind.SUM:
            computed = f"={self.column_sum(layout.value_cols[check.index], filtered=False)}"
            places = column.decimals
            tolerance = Decimal(0)
        else:
            inputs = _ratio_inputs(layout, check.index)
            text = self.ratio_of_totals(*inputs) if inputs is not None else None
            computed = f"={text}" if text is not None else f"={self.empty}"
            places = column.decimals + 6
            tolerance = self.tolerance(check.index, total=True)
        difference = f"ROUND({ref(row, 1)}-{ref(row, 2)},{places})"
        if check.kind is TotalKind.SUM:
            difference = f"={difference}"
        else:
            difference = f"=IF(ISNUMBER({ref(row, 2)}),{difference},{self.empty})"
        status = (
            f"=IF(ISNUMBER({ref(row, 3)}),IF(ABS({ref(row, 3)})<={tolerance},"
            f"{formula_text(ok)},{formula_text(mismatch)}),{self.empty})"
        )
        return computed, difference, status

    def reconciliation_places(self, recon: ReconRow) -> int:
        """The decimals the difference of a reconciliation line is rounded to."""
        column = self.layout.columns[recon.check.index]
        return column.decimals if recon.check.kind is TotalKind.SUM else column.decimals + 6


# (numerator, denominator) value indexes of a published ratio (denominator None: its total),
# from the analysis' recomputed ratio that checks it.
def _ratio_inputs(layout: TableLayout, index: int) -> tuple[int, int | None] | None:
    for d in layout.analysis.derived:
        if d.kind is DerivedKind.RATIO and d.published == index:
            return d.source, d.other
    return None
