"""The chart-data sheet: the top-N series behind the category charts, as formulas that re-rank.

Which charts a table gets is the analysis' plan (:meth:`~kmo_export.analysis.TableAnalysis.charts`);
this module lays out the blocks of series the bar and Pareto charts draw. Per block: LARGE finds
the k-th value, MATCH its row in the table (the first row with that value after the row of an
equal value above: ties keep the table order), INDEX the label; one "other" row sums the rest
(a measure that adds up). The cached values are the analysis' top N.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..analysis import ChartKind, ChartPlan, TopN
from ..model import Column
from .context import Context
from .layout import TableLayout
from .names import area, col, formula_text, header_text, lower_first, name_of, quote_sheet, ref
from .page import print_setup
from .sizing import header_height
from .style import number_format

#: Columns of a top-N block on the chart-data sheet.
LABEL, VALUE, POSITION, CUMULATIVE = range(4)


@dataclass(eq=False, repr=False)
class Block:
    """The top-N series of one measure on the chart-data sheet (formulas that re-rank)."""

    layout: TableLayout
    index: int  # value index of the measure
    top: TopN
    cumulative: bool = False  # a Pareto draws the cumulative share of this block
    heading_row: int = 0
    first_row: int = 0  # sheet row of the first series row

    @property
    def shown(self) -> int:
        return len(self.top.rows)

    @property
    def has_other(self) -> bool:
        return self.top.rest_total is not None

    @property
    def last_top_row(self) -> int:
        """The last row of the top N (the Pareto stops here)."""
        return self.first_row + self.shown - 1

    @property
    def last_row(self) -> int:
        """The last series row: the "other" row where there is one."""
        return self.last_top_row + (1 if self.has_other else 0)

    @property
    def column(self) -> Column:
        return self.layout.columns[self.index]


@dataclass(eq=False, repr=False)
class Chart:
    """One chart of the charts sheet: the analysis' plan and, for categories, its block."""

    layout: TableLayout
    plan: ChartPlan
    block: Block | None = None


@dataclass(eq=False, repr=False)
class ChartsPlan:
    """Every chart of the workbook and the top-N blocks behind them, in order."""

    charts: list[Chart] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.charts)

    @property
    def kinds(self) -> set[ChartKind]:
        return {c.plan.kind for c in self.charts}


def plan(layouts: list[TableLayout], top_n: int) -> ChartsPlan:
    """The charts of every table as the analysis plans them (nothing for a single row)."""
    out = ChartsPlan()
    for layout in layouts:
        blocks: dict[int, Block] = {}
        for chart in layout.analysis.charts(top_n):
            if chart.top is not None:
                if len(chart.top.rows) < 2:
                    continue
                index = chart.measures[0]
                block = blocks.get(index)
                if block is None:
                    block = blocks[index] = Block(layout, index, chart.top)
                    out.blocks.append(block)
                if chart.kind is ChartKind.PARETO:
                    if layout.analysis.sums[index] is None:
                        continue  # no sum of the rows: no cumulative share of it
                    block.cumulative = True
                out.charts.append(Chart(layout, chart, block))
            elif len(layout.table.top_rows) >= 2:
                out.charts.append(Chart(layout, chart))
    return out


def write_data(ctx: Context, ws: Any, blocks: list[Block]) -> None:
    """Write the chart-data sheet: per block a heading, a header and the top N as formulas."""
    labels, formats = ctx.labels, ctx.formats
    widths = ctx.style["widths"]
    column_widths = [widths["max_label"], widths["max_number"], 12, widths["max_number"]]
    for c, width in enumerate(column_widths):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, labels["workbook.charts.data_title"], formats.title())
    row = 2
    share = formats.value(ctx.style["number_formats"]["share"])
    position_fmt = formats.value("0")
    height = max(
        header_height(
            [
                header_text(b.layout.headers[0]),
                header_text(b.layout.headers[b.layout.value_cols[b.index]]),
                labels["workbook.charts.position"],
                labels["workbook.charts.cumulative"],
            ],
            column_widths,
        )
        for b in blocks
    )
    for block in blocks:
        layout, j = block.layout, block.index
        code = formats.value(number_format(ctx.style, block.column))
        block.heading_row = row
        ws.write_string(row, 0, _block_title(ctx, block), formats.heading())
        row += 1
        ws.set_row(row, height)
        ws.write_string(row, LABEL, layout.headers[0], formats.header())
        ws.write_string(row, VALUE, layout.headers[layout.value_cols[j]], formats.header())
        if block.cumulative:
            ws.write_string(row, CUMULATIVE, labels["workbook.charts.cumulative"], formats.header())
        ws.write_string(row, POSITION, labels["workbook.charts.position"], formats.header())
        row += 1
        block.first_row = row
        row = _write_top(ctx, ws, block, code, share, position_fmt)
        row += 1
    ws.write_string(row, 0, labels["workbook.charts.data_note"], formats.note())
    print_setup(ctx.style, ws)


# The top N of a block: LARGE finds the k-th value, MATCH its row (the first row with that value
# after the row of an equal value above: ties keep the table order), INDEX the label.
def _write_top(
    ctx: Context, ws: Any, block: Block, code: Any, share: Any, position_fmt: Any
) -> int:
    layout, j = block.layout, block.index
    table = layout.table
    sheet = quote_sheet(layout.sheet)
    values = f"{sheet}!{area(layout.first_row, layout.last_row, layout.value_cols[j])}"
    names = f"{sheet}!{area(layout.first_row, layout.last_row, 0)}"
    levels = (
        f"{sheet}!{area(layout.first_row, layout.last_row, layout.level_col)}"
        if layout.level_col is not None
        else None
    )
    offset = layout.first_row  # ROW() of the first table row, less one (1-based)
    total = layout.total_cell(j) if layout.has_total else None
    first = block.first_row
    row = first
    for k, r in enumerate(block.top.rows, 1):
        value = table.rows[r].values[j]
        label = table.rows[r].label
        here, above = f"{col(VALUE)}{row + 1}", f"{col(VALUE)}{row}"
        if levels is None:
            ws.write_formula(row, VALUE, f"=LARGE({values},{k})", code, float(value))  # type: ignore[arg-type]
        else:
            ws.write_array_formula(
                row,
                VALUE,
                row,
                VALUE,
                f"{{=LARGE(IF({levels}=0,{values}),{k})}}",
                code,
                float(value),  # type: ignore[arg-type]
            )
        after = "0" if k == 1 else f"IF({here}={above},{col(POSITION)}{row},0)"
        level_test = f"*({levels}=0)" if levels is not None else ""
        ws.write_array_formula(
            row,
            POSITION,
            row,
            POSITION,
            f"{{=MATCH(1,ISNUMBER({values})*({values}={here}){level_test}"
            f"*(ROW({values})-{offset}>{after}),0)}}",
            position_fmt,
            r + 1,
        )
        ws.write_formula(row, LABEL, f"=INDEX({names},{col(POSITION)}{row + 1})", None, label)
        if block.cumulative and total is not None:
            _cumulative(ws, row, first, total, float(_running(layout, block, k)), share)
        row += 1
    if block.has_other:
        rest = block.top.rest_total
        formula, count = _other_label(ctx, block, values, levels)
        ws.write_formula(row, LABEL, formula, None, _other_text(ctx, count))
        column_sum = f"SUMIF({levels},0,{values})" if levels is not None else f"SUM({values})"
        ws.write_formula(
            row,
            VALUE,
            f"={column_sum}-SUM({ref(first, VALUE)}:{ref(row - 1, VALUE)})",
            code,
            float(rest),  # type: ignore[arg-type]
        )
        if block.cumulative and total is not None:
            _cumulative(
                ws, row, first, total, float(_running(layout, block, block.shown + 1)), share
            )
        row += 1
    return row


# The cumulative share after the first ``k`` bars (the other bar: everything), from the analysis.
def _running(layout: TableLayout, block: Block, k: int) -> Decimal:
    total = layout.analysis.sums[block.index]
    rows = layout.table.rows
    shown = Decimal(0)
    for r in block.top.rows[:k]:
        value = rows[r].values[block.index]
        if isinstance(value, Decimal):
            shown += value
    if k > block.shown and block.top.rest_total is not None:
        shown += block.top.rest_total
    return shown / total if total else Decimal(0)


# The heading of a block on the chart-data sheet: its series, by what, from which sheet.
def _block_title(ctx: Context, block: Block) -> str:
    return ctx.labels.get(
        "workbook.charts.data_block",
        sheet=block.layout.sheet,
        **names(ctx, block.layout, block.column),
    )


# The label of the "other" row, "Overige (43 rijen)": a formula that counts the rows with a
# value in the table (level 0) less the top N, so it stays right when a cell is filled or emptied.
def _other_label(ctx: Context, block: Block, values: str, levels: str | None) -> tuple[str, int]:
    counted = f'COUNTIFS({levels},0,{values},"<>")' if levels is not None else f"COUNT({values})"
    n = f"({counted}-{block.shown})"
    many = ctx.labels["workbook.other"].split("{n}")
    text = f"{formula_text(many[0])}&{n}&{formula_text(many[1])}"
    one = formula_text(ctx.labels["workbook.other_one"])
    return f"=IF({n}=1,{one},{text})", block.top.rest_count


def _other_text(ctx: Context, n: int) -> str:
    if n == 1:
        return ctx.labels["workbook.other_one"]
    return ctx.labels.get("workbook.other", n=n)


def _cumulative(ws: Any, row: int, first: int, total: str, cached: float, fmt: Any) -> None:
    # Running sum of the bars over the table's total (0 over a total of 0, never #DIV/0!).
    formula = f"SUM({ref(first, VALUE, True)}:{ref(row, VALUE)})/{total}"
    ws.write_formula(row, CUMULATIVE, f"=IF(SUM({total})=0,0,{formula})", fmt, cached)


# The words a title or alt text uses for a measure of a table.
def names(ctx: Context, layout: TableLayout, column: Column) -> dict[str, str]:
    """The placeholders of a chart's title and alt text for ``column`` of ``layout``."""
    labels, language = ctx.labels, ctx.report.language
    label = layout.table.label_column.text(language)
    return {
        "column": header_text(column.text(language)),
        "name": name_of(column, labels),
        "name_inside": name_of(column, labels, inside=True),
        "label": lower_first(header_text(label)),
        "label_name": name_of(layout.table.label_column, labels, inside=True),
    }
