"""Native charts that reference cells, and the sheet of series behind them.

Per table (where it makes sense: an additive primary column and at least two rows): the top N
by the primary column plus one "other" bar computed by formula, the same by the amount column,
and a Pareto chart. Per dataset with usage figures: the average granted against the maximum.
The series are formulas on the chart-data sheet that point into the table sheets, so the
charts follow when a figure changes.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Row
from .context import Context
from .names import area, formula_text, header_text, lower_first, quote_sheet, quoted, ref
from .style import is_million, number_format
from .table_sheet import TableLayout, header_height
from .usage import AVERAGE, MAXIMUM, SIZE, UsageLayout


@dataclass
class Block:
    """The series of one top-N chart on the chart-data sheet."""

    layout: TableLayout
    value: int  # value index charted
    rows: list[tuple[int, Row]]  # (index in table.rows, row), largest first
    rest: Decimal | None  # sum of the other rows, None if there are none
    pareto: bool
    count: int = 0  # rows with a value in the charted column (top level)
    first_row: int = 0  # sheet row of the first series row

    @property
    def last_row(self) -> int:
        """The last series row: the "other" row where there is one."""
        return self.first_row + len(self.rows) + (self.rest is not None) - 1

    @property
    def last_top_row(self) -> int:
        """The last row of the top N (the Pareto chart stops here)."""
        return self.first_row + len(self.rows) - 1


def plan(layouts: list[TableLayout], top_n: int) -> list[Block]:
    """The chart blocks of every table, in order (empty if nothing makes sense to chart)."""
    blocks = []
    for layout in layouts:
        table = layout.table
        primary = table.primary_column
        if primary is None:
            continue
        indexes = [primary]
        amount = table.amount_column
        if amount is not None and amount != primary:
            indexes.append(amount)
        for k, j in enumerate(indexes):
            # Generators, not lists: a table may hold a million rows.
            count = sum(1 for r in table.rows if not r.level and r.values[j] is not None)
            if count < 2:
                continue
            candidates = (
                (i, r) for i, r in enumerate(table.rows) if not r.level and r.values[j] is not None
            )
            top = heapq.nlargest(top_n, candidates, key=lambda t, j=j: t[1].values[j])
            total = table.computed_total(j) or Decimal(0)
            rest = (
                total - sum((r.values[j] for _, r in top), Decimal(0))  # type: ignore[misc]
                if count > top_n
                else None
            )
            pareto = k == 0 and all(
                r.values[j] >= 0  # type: ignore[operator]
                for r in table.rows
                if not r.level and r.values[j] is not None
            )
            blocks.append(Block(layout, j, top, rest, pareto, count))
    return blocks


def write_data(ctx: Context, ws: Any, blocks: list[Block]) -> None:
    """Write the chart-data sheet: per block a heading, a header and the series as formulas."""
    labels, formats = ctx.labels, ctx.formats
    widths = ctx.style["widths"]
    ws.set_column(0, 0, widths["max_label"])
    ws.set_column(1, 2, widths["max_number"])
    ws.write_string(0, 0, labels["workbook.charts.data_title"], formats.title())
    row = 2
    share = formats.value(ctx.style["number_formats"]["share"])
    # One height for every block's header row: the tallest of them.
    column_widths = [widths["max_label"], *[widths["max_number"]] * 2]
    height = max(
        header_height(
            [
                header_text(b.layout.table.label_column.label),
                header_text(b.layout.table.value_columns[b.value].label),
                labels["workbook.charts.cumulative"],
            ],
            column_widths,
        )
        for b in blocks
    )
    for block in blocks:
        layout, j = block.layout, block.value
        table = layout.table
        column = table.value_columns[j]
        code = formats.value(number_format(ctx.style, column))
        ws.write_string(row, 0, _block_title(ctx, block), formats.heading())
        row += 1
        ws.set_row(row, height)
        ws.write_string(row, 0, header_text(table.label_column.label), formats.header())
        ws.write_string(row, 1, header_text(column.label), formats.header())
        if block.pareto:
            ws.write_string(row, 2, labels["workbook.charts.cumulative"], formats.header())
        row += 1
        block.first_row = row
        total = table.computed_total(j) or Decimal(0)
        total_cell = layout.total_cell(j)
        running = Decimal(0)
        for i, r in block.rows:
            value = r.values[j]
            running += value  # type: ignore[operator]
            ws.write_formula(row, 0, f"={layout.cell(i, None)}", None, r.label)
            ws.write_formula(row, 1, f"={layout.cell(i, j)}", code, float(value))  # type: ignore[arg-type]
            if block.pareto:
                _cumulative(ws, row, block.first_row, total_cell, running, total, share)
            row += 1
        if block.rest is not None:
            running += block.rest
            formula, rest_count = _other_label(ctx, block)
            ws.write_formula(row, 0, formula, None, _other_text(ctx, rest_count))
            ws.write_formula(
                row,
                1,
                f"={total_cell}-SUM({ref(block.first_row, 1)}:{ref(row - 1, 1)})",
                code,
                float(block.rest),
            )
            if block.pareto:
                _cumulative(ws, row, block.first_row, total_cell, running, total, share)
            row += 1
        row += 1
    layout_style = ctx.style["layout"]
    ws.set_landscape()
    ws.set_paper(layout_style["paper"])
    ws.fit_to_pages(1, 0)
    ws.set_footer(layout_style["footer"])


# The heading of a block on the chart-data sheet: its series, by what, from which sheet.
def _block_title(ctx: Context, block: Block) -> str:
    table = block.layout.table
    column, label = table.value_columns[block.value], table.label_column
    return ctx.labels.get(
        "workbook.charts.data_block",
        column=header_text(column.label),
        name=quoted(column.label, ctx.labels),
        label=lower_first(header_text(label.label)),
        label_name=quoted(label.label, ctx.labels),
        sheet=block.layout.sheet,
    )


# The label of the "other" row, "Overige (43 rijen)": a formula that counts the rows with a
# value in the table (level 0) less the top N, so it stays right when a cell is filled or emptied.
def _other_label(ctx: Context, block: Block) -> tuple[str, int]:
    layout = block.layout
    first, last = layout.first_row, layout.last_row
    sheet = quote_sheet(layout.sheet)
    values = f"{sheet}!{area(first, last, layout.value_cols[block.value])}"
    if layout.level_col is not None:
        levels = f"{sheet}!{area(first, last, layout.level_col)}"
        counted = f'COUNTIFS({levels},0,{values},"<>")'
    else:
        counted = f"COUNT({values})"
    n = f"({counted}-{len(block.rows)})"
    many = ctx.labels["workbook.other"].split("{n}")
    text = f"{formula_text(many[0])}&{n}&{formula_text(many[1])}"
    one = formula_text(ctx.labels["workbook.other_one"])
    return f"=IF({n}=1,{one},{text})", block.count - len(block.rows)


def _other_text(ctx: Context, n: int) -> str:
    if n == 1:
        return ctx.labels["workbook.other_one"]
    return ctx.labels.get("workbook.other", n=n)


# A value axis's title: the column's label, with the unit where the label names none.
def _axis_title(ctx: Context, column: Any) -> str:
    text = header_text(column.label)
    if column.type != "amount":
        return text
    lowered = text.lower()
    if any(mark in lowered for mark in ("€", "eur", "mln", "milj", "million")):
        return text
    unit = "unit_million" if is_million(column) else "unit_euro"
    return f"{text} ({ctx.labels[f'workbook.charts.{unit}']})"


# Cumulative share of a Pareto series: running sum over the table's total.
def _cumulative(
    ws: Any, row: int, first: int, total_cell: str, running: Decimal, total: Decimal, fmt: Any
) -> None:
    formula = f"SUM({ref(first, 1, True)}:{ref(row, 1)})/{total_cell}"
    if not total:  # a column of zeros: 0, as cached, rather than #DIV/0!
        formula = f"IF({total_cell}=0,0,{formula})"
    ws.write_formula(row, 2, f"={formula}", fmt, float(running / total) if total else 0.0)


# XlsxWriter reads a chart name such as "'x'!A1" as a cell reference, not as text.
_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")
# The hidden column of the chart sheet that holds such names, so a chart can point to them.
_NAME_COLUMN = 60


class _Names:
    # Chart names and titles as literal text: one that XlsxWriter would take for a reference
    # is written to a hidden cell of the chart sheet and the chart points to that cell.

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0

    def __call__(self, text: str) -> str | list[Any]:
        if not _LOOKS_LIKE_REFERENCE.match(text):
            return text
        if not self.row:
            self.ws.set_column(_NAME_COLUMN, _NAME_COLUMN, None, None, {"hidden": True})
        self.row += 1
        self.ws.write_string(self.row, _NAME_COLUMN, text)
        return [self.ws.name, self.row, _NAME_COLUMN]


def write_charts(
    ctx: Context,
    workbook: Any,
    ws: Any,
    data_sheet: str,
    blocks: list[Block],
    usage: UsageLayout | None,
) -> None:
    """Insert the charts, one per printed page, each with alt text."""
    labels, style = ctx.labels, ctx.style["charts"]
    colours = ctx.style["colours"]["series"]
    n = ctx.report.top_n
    ws.write_string(0, 0, labels["workbook.charts.title"], ctx.formats.title())
    data = quote_sheet(data_sheet)
    font = {"size": style["font_size"]}
    title_font = {"size": style["font_size"] + 3, "bold": True}
    charts: list[tuple[Any, str]] = []
    literal = _Names(ws)
    house, other_colour = colours[0], ctx.style["colours"]["other"]
    for block in blocks:
        table = block.layout.table
        column = table.value_columns[block.value]
        label = lower_first(header_text(table.label_column.label))
        name = header_text(column.label)
        names = {
            "column": name,
            "name": quoted(column.label, labels),
            "label": label,
            "label_name": quoted(table.label_column.label, labels),
        }
        first, last = ref(block.first_row, 0, True), ref(block.last_row, 0, True)
        categories = f"={data}!{first}:{last}"
        values = f"={data}!{ref(block.first_row, 1, True)}:{ref(block.last_row, 1, True)}"
        # Charts keep the column's decimals: 12,5 mln is not 13 mln.
        code = number_format(ctx.style, column)
        axis_title = {"name": literal(_axis_title(ctx, column)), "name_font": font}
        key = "top" if block.rest is not None else "all"
        title = labels.get(f"workbook.charts.{key}", n=n, **names)
        bar = workbook.add_chart({"type": "bar"})
        series: dict[str, Any] = {
            "name": literal(name),
            "categories": categories,
            "values": values,
            "fill": {"color": house},
            "data_labels": {"value": True, "num_format": code, "font": font},
            "gap": 40,
        }
        if block.rest is not None:  # the "other" bar, last, in grey
            series["points"] = [None] * len(block.rows) + [{"fill": {"color": other_colour}}]
        bar.add_series(series)
        bar.set_title({"name": literal(title), "name_font": title_font})
        bar.set_legend({"none": True})
        bar.set_y_axis({"reverse": True, "crossing": "max", "num_font": font})
        bar.set_x_axis(
            {
                "num_format": code,
                "num_font": font,
                "major_gridlines": {"visible": True},
                "name": axis_title["name"],
                "name_font": font,
            }
        )
        bar.set_size({"width": style["width"], "height": style["height"]})
        alt = labels.get("workbook.charts.alt_top", n=len(block.rows), sheet=data_sheet, **names)
        charts.append((bar, alt))
        if block.pareto:
            # The top N only (an "other" bar would break the sorted shape); the cumulative
            # share is still over all rows of the table.
            top = block.last_top_row
            top_categories = f"={data}!{first}:{ref(top, 0, True)}"
            columns = workbook.add_chart({"type": "column"})
            columns.add_series(
                {
                    "name": literal(name),
                    "categories": top_categories,
                    "values": f"={data}!{ref(block.first_row, 1, True)}:{ref(top, 1, True)}",
                    "fill": {"color": house},
                    "gap": 30,
                }
            )
            line = workbook.add_chart({"type": "line"})
            cumulative = labels["workbook.charts.cumulative"]
            line.add_series(
                {
                    "name": cumulative,
                    "categories": top_categories,
                    "values": f"={data}!{ref(block.first_row, 2, True)}:{ref(top, 2, True)}",
                    "y2_axis": True,
                    "line": {"color": colours[1], "width": 2.25},
                    "marker": {
                        "type": "circle",
                        "size": 5,
                        "fill": {"color": colours[1]},
                        "border": {"color": colours[1]},
                    },
                }
            )
            columns.combine(line)
            pareto_key = "pareto_top" if block.rest is not None else "pareto"
            columns.set_title(
                {
                    "name": literal(labels.get(f"workbook.charts.{pareto_key}", n=n, **names)),
                    "name_font": title_font,
                }
            )
            columns.set_x_axis({"num_font": {**font, "rotation": -45}})
            columns.set_y_axis(
                {
                    "num_format": code,
                    "num_font": font,
                    "major_gridlines": {"visible": True},
                    "name": axis_title["name"],
                    "name_font": font,
                }
            )
            line.set_y2_axis(
                {
                    "min": 0,
                    "max": 1,
                    "num_format": ctx.style["number_formats"]["axis_share"],
                    "num_font": font,
                    "name": cumulative,
                    "name_font": font,
                }
            )
            columns.set_legend({"position": "top", "font": font})
            columns.set_size({"width": style["width"], "height": style["height"]})
            alt = labels.get("workbook.charts.alt_pareto", sheet=data_sheet, **names)
            charts.append((columns, alt))
    if usage is not None:
        chart = workbook.add_chart({"type": "column"})
        code = ctx.style["number_formats"]["euro"].format(decimals="")
        label_code = ctx.style["number_formats"]["euro"].format(decimals=".00")
        for k, column in enumerate((MAXIMUM, AVERAGE)):
            chart.add_series(
                {
                    "name": f"={usage.header(column)}",
                    "categories": f"={usage.column(SIZE)}",
                    "values": f"={usage.column(column)}",
                    "fill": {"color": colours[k]},
                    "data_labels": {"value": True, "num_format": label_code, "font": font},
                    "gap": 80,
                }
            )
        chart.set_title(
            {
                "name": labels.get("workbook.charts.usage", year=usage.usage.year),
                "name_font": title_font,
            }
        )
        chart.set_x_axis({"num_font": font})
        chart.set_y_axis(
            {
                "num_format": code,
                "num_font": font,
                "min": 0,
                "major_gridlines": {"visible": True},
                "name": labels["workbook.charts.axis_amount"],
                "name_font": font,
            }
        )
        chart.set_legend({"position": "top", "font": font})
        chart.set_size({"width": style["width"], "height": style["height"]})
        charts.append((chart, labels.get("workbook.charts.alt_usage", sheet=usage.sheet)))
    step = style["rows_per_chart"]
    breaks = []
    for k, (chart, alt) in enumerate(charts):
        if literal.row:  # names in the hidden column: shown only if hidden cells are read
            chart.show_hidden_data()
        row = 2 + k * step
        if k:
            breaks.append(row - 1)
        ws.insert_chart(row, 0, chart, {"description": alt, "object_position": 3})
    if breaks:
        ws.set_h_pagebreaks(breaks)
    layout = ctx.style["layout"]
    ws.set_landscape()
    ws.set_paper(layout["paper"])
    ws.fit_to_pages(1, 0)
    ws.set_footer(layout["footer"])
