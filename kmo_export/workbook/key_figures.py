"""Key figures: enterprises that used the portfolio and the totals of the (first) table."""

from __future__ import annotations

from typing import Any

from ..model import KeyFigures
from .context import Context
from .names import formula_text, header_text, long_date, lower_first, quoted, ref
from .style import number_format
from .table_sheet import TableLayout

HEADER_ROW = 2


def write(ctx: Context, ws: Any, figures: KeyFigures, table: TableLayout | None) -> None:
    """Write the key figures: stated values as numbers, totals as formulas into the table sheet."""
    labels, formats, style = ctx.labels, ctx.formats, ctx.style
    widths = style["widths"]
    ws.set_column(0, 0, widths["max_label"] + 10)
    ws.set_column(1, 1, widths["key_value"])
    # The source text stands left of a right-aligned figure: an indent keeps the two apart.
    indent = widths["key_source_indent"]
    source_fmt = formats.get(indent=indent)
    ws.set_column(2, 2, 40 + 2 * indent, source_fmt)
    ws.write_string(0, 0, labels["workbook.key_figures.title"], formats.title())
    for c, key in enumerate(("figure", "value", "source")):
        fmt = formats.header(indent if c == 2 else 0)
        ws.write_string(HEADER_ROW, c, labels[f"workbook.key_figures.{key}"], fmt)
    row = HEADER_ROW + 1
    count_fmt = formats.value(style["number_formats"]["count"])
    euro_fmt = formats.value(style["number_formats"]["euro"].format(decimals=".00"))
    if figures.enterprises is not None:
        e = figures.enterprises
        ws.write_string(row, 0, labels.get("workbook.key_figures.enterprises", year=e.year))
        ws.write_number(row, 1, e.count, count_fmt)
        ws.write_string(
            row, 2, labels.get("workbook.key_figures.from_answer", answer=e.answer), source_fmt
        )
        row += 1
    if table is not None:
        t = table.table
        source = labels.get("workbook.key_figures.from_table", sheet=table.sheet)
        totals = t.computed_totals
        where: dict[int, int] = {}
        for j, column in enumerate(t.value_columns):
            if not column.is_additive:
                continue
            label = labels.get(
                "workbook.key_figures.total",
                column=lower_first(header_text(column.label)),
                name=quoted(column.label, labels),
            )
            ws.write_string(row, 0, label)
            code = formats.value(number_format(style, column))
            ws.write_formula(row, 1, f"={table.total_cell(j)}", code, float(totals[j] or 0))
            ws.write_string(row, 2, source, source_fmt)
            where[j] = row
            row += 1
        amount, count = t.amount_column, t.count_column
        if amount is not None and count is not None:
            a, n = ref(where[amount], 1), ref(where[count], 1)
            total_a, total_n = totals[amount], totals[count]
            ws.write_string(
                row,
                0,
                labels.get(
                    "workbook.table.average",
                    amount=lower_first(header_text(t.value_columns[amount].label)),
                    count=lower_first(header_text(t.value_columns[count].label)),
                    amount_name=quoted(t.value_columns[amount].label, labels),
                    count_name=quoted(t.value_columns[count].label, labels),
                ),
            )
            ws.write_formula(
                row,
                1,
                f"=IF(SUM({n})=0,{formula_text(ctx.empty)},{a}/{n})",
                formats.value(number_format(style, t.value_columns[amount])),
                float(total_a / total_n) if total_a is not None and total_n else ctx.empty,
            )
            ws.write_string(row, 2, source, source_fmt)
            row += 1
    usage = figures.usage
    if usage is not None and usage.new_maximum is not None:
        new = usage.new_maximum
        ws.write_string(
            row,
            0,
            labels.get("workbook.key_figures.new_maximum", date=long_date(new.since, labels)),
        )
        ws.write_number(row, 1, float(new.amount), euro_fmt)
        ws.write_string(
            row, 2, labels.get("workbook.key_figures.from_answer", answer=usage.answer), source_fmt
        )
        row += 1
    ws.freeze_panes(HEADER_ROW + 1, 0)
    layout = style["layout"]
    ws.set_landscape()
    ws.set_paper(layout["paper"])
    ws.fit_to_pages(1, 0)
    ws.set_footer(layout["footer"])
