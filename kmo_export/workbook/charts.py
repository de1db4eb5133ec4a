"""Native charts that reference cells, and the sheet of series behind them.

Per table (where it makes sense: an additive primary column and at least two rows): the top N
by the primary column plus one "other" bar computed by formula, the same by the amount column,
and a Pareto chart. Per dataset with usage figures: the average granted against the maximum.
The series are formulas on the chart-data sheet that point into the table sheets, so the
charts follow when a figure changes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Row
from .context import Context
from .names import header_text, lower_first, quote_sheet, ref
from .style import number_format
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
    first_row: int = 0  # sheet row of the first series row

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) + (self.rest is not None) - 1


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
            blocks.append(Block(layout, j, top, rest, pareto))
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
    for block in blocks:
        layout, j = block.layout, block.value
        table = layout.table
        column = table.value_columns[j]
        code = formats.value(number_format(ctx.style, column))
        ws.write_string(row, 0, f"{layout.sheet}: {layout.title}", formats.heading())
        row += 1
        headers = [header_text(table.label_column.label), header_text(column.label)]
        if block.pareto:
            headers.append(labels["workbook.charts.cumulative"])
        ws.set_row(row, header_height(headers, [widths["max_label"], *[widths["max_number"]] * 2]))
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
            ws.write_string(row, 0, labels["workbook.other"])
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
    ws.set_portrait()
    ws.set_paper(layout_style["paper"])
    ws.fit_to_pages(1, 0)
    ws.set_footer(layout_style["footer"])


# Cumulative share of a Pareto series: running sum over the table's total.
def _cumulative(
    ws: Any, row: int, first: int, total_cell: str, running: Decimal, total: Decimal, fmt: Any
) -> None:
    ws.write_formula(
        row,
        2,
        f"=SUM({ref(first, 1, True)}:{ref(row, 1)})/{total_cell}",
        fmt,
        float(running / total) if total else 0.0,
    )


# Charts show whole units (the exact figures are in the cells): no decimals on axes and labels.
def _chart_format(ctx: Context, column: Any) -> str:
    from dataclasses import replace

    return number_format(ctx.style, replace(column, decimals=0))


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
    for block in blocks:
        table = block.layout.table
        column = table.value_columns[block.value]
        label = lower_first(header_text(table.label_column.label))
        name = header_text(column.label)
        categories = f"={data}!{ref(block.first_row, 0, True)}:{ref(block.last_row, 0, True)}"
        values = f"={data}!{ref(block.first_row, 1, True)}:{ref(block.last_row, 1, True)}"
        code = _chart_format(ctx, column)
        key = "top" if block.rest is not None else "all"
        title = labels.get(f"workbook.charts.{key}", column=name, label=label, n=n)
        bar = workbook.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": name,
                "categories": categories,
                "values": values,
                "fill": {"color": colours[len(charts) % 2]},
                "data_labels": {"value": True, "num_format": code, "font": font},
                "gap": 40,
            }
        )
        bar.set_title({"name": title, "name_font": title_font})
        bar.set_legend({"none": True})
        bar.set_y_axis({"reverse": True, "crossing": "max", "num_font": font})
        bar.set_x_axis({"num_format": code, "num_font": font, "major_gridlines": {"visible": True}})
        bar.set_size({"width": style["width"], "height": style["height"]})
        alt = labels.get(
            "workbook.charts.alt_top", column=name, label=label, n=len(block.rows), sheet=data_sheet
        )
        charts.append((bar, alt))
        if block.pareto:
            columns = workbook.add_chart({"type": "column"})
            columns.add_series(
                {
                    "name": name,
                    "categories": categories,
                    "values": values,
                    "fill": {"color": colours[0]},
                    "gap": 30,
                }
            )
            line = workbook.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": labels["workbook.charts.cumulative"],
                    "categories": categories,
                    "values": f"={data}!{ref(block.first_row, 2, True)}:{ref(block.last_row, 2, True)}",
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
            columns.set_title(
                {
                    "name": labels.get("workbook.charts.pareto", column=name, label=label),
                    "name_font": title_font,
                }
            )
            columns.set_x_axis({"num_font": {**font, "rotation": -45}})
            columns.set_y_axis(
                {"num_format": code, "num_font": font, "major_gridlines": {"visible": True}}
            )
            line.set_y2_axis({"min": 0, "max": 1, "num_format": "0%", "num_font": font})
            columns.set_legend({"position": "top", "font": font})
            columns.set_size({"width": style["width"], "height": style["height"]})
            alt = labels.get(
                "workbook.charts.alt_pareto", column=name, label=label, sheet=data_sheet
            )
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
            {"num_format": code, "num_font": font, "min": 0, "major_gridlines": {"visible": True}}
        )
        chart.set_legend({"position": "top", "font": font})
        chart.set_size({"width": style["width"], "height": style["height"]})
        charts.append((chart, labels.get("workbook.charts.alt_usage", sheet=usage.sheet)))
    step = style["rows_per_chart"]
    breaks = []
    for k, (chart, alt) in enumerate(charts):
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
