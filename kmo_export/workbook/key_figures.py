"""Key figures: figures the answer states in its text, and the totals of the (first) table."""

from __future__ import annotations

from typing import Any

from ..analysis import Analysis, DerivedKind, TotalKind
from ..checks import published_places
from ..model import Column, ColumnType, Figure
from .context import Context
from .layout import TableLayout
from .names import header_text, long_date, lower_first, name_of, quote_sheet, ref
from .page import print_setup
from .sizing import header_height
from .style import number_format

HEADER_ROW = 2


def write(
    ctx: Context,
    ws: Any,
    analysis: Analysis,
    table: TableLayout | None,
    layouts: list[TableLayout] | None = None,
) -> None:
    """Write the key figures: stated values as numbers, totals as formulas into the table sheet."""
    labels, formats, style = ctx.labels, ctx.formats, ctx.style
    dataset = analysis.dataset
    figures = dataset.key_figures
    language = ctx.report.language
    widths = style["widths"]
    ws.set_column(0, 0, widths["max_label"] + 10)
    ws.set_column(1, 1, widths["key_value"])
    # The source text stands left of a right-aligned figure: an indent keeps the two apart.
    indent = widths["key_source_indent"]
    source_fmt = formats.get(indent=indent, text_wrap=True, valign="top")
    ws.set_column(2, 2, 60 + 2 * indent, source_fmt)
    checked = any(f.ok is not None for f in analysis.figures)
    ws.write_string(0, 0, labels["workbook.key_figures.title"], formats.title())
    keys = ["figure", "value", "source"] + (["check", "computed"] if checked else [])
    texts = [labels[f"workbook.key_figures.{key}"] for key in keys]
    column_widths = [widths["max_label"] + 10, widths["key_value"], 60, 12, widths["key_value"]]
    ws.set_row(HEADER_ROW, header_height(texts, column_widths))
    for c, key in enumerate(keys):
        fmt = formats.header(indent if c == 2 else 0)
        ws.write_string(HEADER_ROW, c, labels[f"workbook.key_figures.{key}"], fmt)
    if checked:
        ws.set_column(3, 3, 12)
        ws.set_column(4, 4, widths["key_value"])
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
    for result in analysis.figures:
        figure = result.figure
        what = figure.text(language)
        if figure.period:
            what = f"{what} ({figure.period})"
        ws.write_string(row, 0, what[:1].upper() + what[1:], formats.text(wrap=True))
        value = figure.value / 100 if figure.kind is ColumnType.PERCENT else figure.value
        code = _figure_format(ctx, figure)
        ws.write_number(row, 1, float(value), formats.get(num_format=code, valign="top"))
        source = labels.get("workbook.key_figures.from_answer", answer=figure.answer)
        if figure.sentence:
            source = f"{source}: “{figure.sentence}”"
        ws.write_string(row, 2, source, source_fmt)
        if result.ok is not None:
            status = formats.get(bold=True, align="center", valign="top")
            ws.write_string(row, 3, ctx.ok if result.ok else ctx.mismatch, status)
        if result.computed is not None:  # what the other figures of the answer say
            computed = result.computed
            if figure.kind is ColumnType.PERCENT:
                computed = computed / 100
            ws.write_number(row, 4, float(computed), formats.get(num_format=code, valign="top"))
        lines = max(1, len(source) // 60 + 1)
        if lines > 1:
            ws.set_row(row, 15 * lines)
        row += 1
    if checked:
        ctx.status_formats(ws, f"{ref(HEADER_ROW + 1, 3)}:{ref(max(row - 1, HEADER_ROW + 1), 3)}")
    if table is not None and figures.enterprises is not None:
        row = _table_totals(ctx, ws, table, row, source_fmt)
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
    print_setup(style, ws)


# The number format of a stated figure: as a measure of its kind.
def _figure_format(ctx: Context, figure: Figure) -> str:
    decimals = published_places(figure.value)
    column = Column(
        figure.id, figure.what, figure.kind, figure.unit, decimals, multiplier=figure.multiplier
    )
    if figure.kind is ColumnType.COUNT:
        return number_format(ctx.style, column)
    return number_format(ctx.style, column, decimals)


# The totals of a table that add up, and its declared average, as formulas into its total row.
def _table_totals(ctx: Context, ws: Any, table: TableLayout, row: int, source_fmt: Any) -> int:
    labels, formats = ctx.labels, ctx.formats
    language = ctx.report.language
    if not table.has_total:
        return row
    analysis = table.analysis
    source = labels.get("workbook.key_figures.from_table", sheet=table.sheet)
    for j, column in enumerate(table.columns):
        value, kind = analysis.totals[j]
        if kind is not TotalKind.SUM or value is None:
            continue
        label = labels.get(
            "workbook.key_figures.total",
            column=lower_first(header_text(column.text(language))),
            name=name_of(column, labels),
            name_inside=name_of(column, labels, inside=True),
        )
        ws.write_string(row, 0, label)
        code = formats.value(number_format(ctx.style, column))
        ws.write_formula(row, 1, f"={table.total_cell(j)}", code, float(value))
        ws.write_string(row, 2, source, source_fmt)
        row += 1
    for d in table.derived:
        if d.kind is not DerivedKind.AVERAGE:
            continue
        total = analysis.total_value(d.derived)
        ws.write_string(row, 0, d.header)
        cell = f"{quote_sheet(table.sheet)}!{ref(table.total_row, d.column, True)}"
        column = table.columns[d.derived.source]
        ws.write_formula(
            row,
            1,
            f"={cell}",
            formats.value(number_format(ctx.style, column, d.derived.decimals)),
            ctx.empty if total is None else float(total),
        )
        ws.write_string(row, 2, source, source_fmt)
        row += 1
    return row
