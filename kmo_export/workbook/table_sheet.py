"""One sheet per table of an answer: the figures, derived columns as formulas, totals, the check.

The layout (:mod:`.layout`) says where everything stands, the formulas (:mod:`.formulas`) how
each derived figure is computed in the sheet, the analysis what each one is worth (cached with
the formula). Every row is written in order, so the same code streams a table of a million
rows (XlsxWriter constant_memory); the derived values come from the analysis' generators.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from ..analysis import DerivedKind, TotalKind
from ..checks import within_rounding
from ..model import NotAvailable, is_number
from . import reconciliation
from .context import Context
from .formulas import Formula, Formulas, percent_tolerance, scale
from .layout import CHECK_ROW, SOURCE_ROW, TITLE_ROW, DerivedColumn, TableLayout
from .names import area, formula_text, header_text, join, quote_sheet, ref
from .page import print_setup
from .sizing import header_height, pages_wide, widths
from .style import number_format, share_format

__all__ = ["TableLayout", "header_height", "write"]


class _Cells:
    """The cell formats of one table sheet."""

    def __init__(self, ctx: Context, layout: TableLayout) -> None:
        formats, style = ctx.formats, ctx.style
        self.codes = [number_format(style, c) for c in layout.columns]
        self.values = [formats.value(code) for code in self.codes]
        # Text in a figure column ('n.v.t.', '–') stands right, where the figures stand.
        self.text = formats.get(align="right")
        self.derived: dict[int, str] = {}
        for d in layout.derived:
            self.derived[d.column] = _derived_code(ctx, layout, d)
        self.rank = style["number_formats"]["rank"]
        self.level = formats.value(style["number_formats"]["level"])

    def derived_format(self, ctx: Context, column: int) -> Any:
        return ctx.formats.get(num_format=self.derived[column], align="right")


# The number format of a derived column: shares and ratios as percentages, averages and
# changes in their measure's unit, ranks as whole numbers.
def _derived_code(ctx: Context, layout: TableLayout, d: DerivedColumn) -> str:
    style, kind = ctx.style, d.kind
    source = layout.columns[d.derived.source]
    if kind in (DerivedKind.SHARE, DerivedKind.CUMULATIVE, DerivedKind.CHANGE_PERCENT):
        return str(style["number_formats"]["share"])
    if kind is DerivedKind.RATIO:
        published = layout.columns[d.derived.published or 0]
        if not published.is_percent:  # a plain ratio, as published with one decimal more
            return number_format(style, published, published.decimals + 1)
        return share_format(style, published.decimals + 1)
    if kind is DerivedKind.RANK:
        return str(style["number_formats"]["rank"])
    if kind is DerivedKind.AVERAGE:
        return number_format(style, source, d.derived.decimals)
    return number_format(style, source)


def write(ctx: Context, worksheet: Any, layout: TableLayout) -> None:
    """Write the sheet of ``layout`` row by row (title, table, total row, check, notes)."""
    table, labels, formats = layout.table, ctx.labels, ctx.formats
    ws = worksheet
    columns = layout.columns
    numeric = [all(is_number(v) for v in table.rows.column(j)) for j in range(len(columns))]
    formulas = Formulas(layout, numeric, ctx.empty)
    cells = _Cells(ctx, layout)

    sizes = widths(ctx.style["widths"], layout, labels, _total_label(ctx, layout))
    for c, width in enumerate(sizes):
        ws.set_column(c, c, width)

    # Rows 0-2: title, source, the check (the title row as high as its font needs).
    ws.set_row(TITLE_ROW, round(ctx.style["fonts"]["title_size"] * 1.4, 1))
    ws.write_string(TITLE_ROW, 0, layout.title, formats.title())
    ws.write_string(
        SOURCE_ROW,
        0,
        labels.get(
            "workbook.table.source",
            answer=layout.answer.number,
            number=ctx.report.dataset.number,
            date=ctx.question_date,
        ),
        formats.note(),
    )
    ws.write_url(
        CHECK_ROW,
        0,
        f"internal:{quote_sheet(layout.sheet)}!{ref(layout.recon_row, 0)}",
        formats.link(),
        labels["workbook.table.check"],
    )
    statuses = reconciliation.statuses(ctx, layout, formulas)
    if layout.recon:
        status_area = area(layout.recon[0].row, layout.recon[-1].row, 4)
        bad = any(s != ctx.ok for s in statuses)
        ws.write_formula(
            CHECK_ROW,
            1,
            f"=IF(COUNTIF({status_area},{formula_text(ctx.mismatch)})=0,"
            f"{formula_text(ctx.ok)},{formula_text(ctx.mismatch)})",
            formats.status(),
            ctx.mismatch if bad else ctx.ok,
        )
        ctx.status_formats(ws, ref(CHECK_ROW, 1))
    else:
        ws.write_string(CHECK_ROW, 1, labels["workbook.table.no_check"], formats.note())

    # The upper header row of a table with column groups: one merged cell per group.
    header_fmt = formats.header()
    if layout.group_row is not None:
        ws.set_row(layout.group_row, 18)
        _group_headers(ctx, ws, layout)
    ws.set_row(layout.header_row, header_height(layout.headers, sizes))

    # Header and total row: an Excel table with filter buttons, or (streamed) plain cells.
    totals = _total_cells(ctx, layout, formulas)
    if layout.big:
        for c, header in enumerate(layout.headers):
            ws.write_string(layout.header_row, c, header, header_fmt)
    else:
        spec = []
        for c, header in enumerate(layout.headers):
            entry: dict[str, Any] = {"header": header, "header_format": header_fmt}
            cell = totals.get(c)
            if c == 0 and layout.has_total:
                entry["total_string"] = _total_label(ctx, layout)
            elif isinstance(cell, Formula):
                entry["total_function"] = cell.text
                entry["total_value"] = cell.cached
            spec.append(entry)
        ws.add_table(
            layout.header_row,
            0,
            layout.end_row,
            layout.last_col,
            {
                "name": layout.name,
                "style": ctx.style["layout"]["table_style"],
                "autofilter": True,
                "total_row": layout.has_total,
                "columns": spec,
            },
        )

    _write_rows(ctx, ws, layout, formulas, cells)

    # The total row (rewritten with its formats over what add_table wrote).
    if layout.has_total:
        total_row = layout.total_row
        ws.write_string(total_row, 0, _total_label(ctx, layout), formats.total_label())
        for c in range(1, layout.last_col + 1):
            cell = totals.get(c)
            code = _column_code(cells, layout, c)
            if isinstance(cell, Formula):
                ws.write_formula(total_row, c, cell.text, formats.total(code), cell.cached)
            elif isinstance(cell, Decimal):
                ws.write_number(total_row, c, float(cell), formats.total(code))
            elif isinstance(cell, str):
                ws.write_string(
                    total_row,
                    c,
                    cell,
                    formats.get(
                        bold=True, bg_color=formats.colours["total_fill"], top=1, align="right"
                    ),
                )
            else:
                ws.write_blank(total_row, c, None, formats.total(None))
        for d in layout.derived:
            if d.check is None:
                continue
            check = formulas.total_check(d, ctx.ok, ctx.mismatch)
            if check is not None:
                status = _total_ratio_status(ctx, layout, d)
                ws.write_formula(total_row, d.check, check, _total_status(ctx), status)
        checks = [d.check for d in layout.derived if d.check is not None]
        for c in checks:
            ctx.status_formats(ws, ref(total_row, c))

    row = reconciliation.write(ctx, ws, layout, formulas, cells.codes, statuses, sizes)

    # Notes, wrapped to the width of the table so that they print.
    notes = _notes(ctx, layout)
    if notes:
        row += 1
        ws.write_string(row, 0, labels["workbook.table.notes"], formats.heading())
        width = max(60, int(min(sum(sizes), ctx.style["layout"]["page_width"]) * 1.05))
        for note in notes:
            for line in textwrap.wrap(note, width) or [""]:
                row += 1
                ws.write_string(row, 0, line, formats.note())

    ws.freeze_panes(layout.first_row, 1)
    print_setup(ctx.style, ws, layout.header_row, pages_wide(ctx.style, sizes), layout.group_row)
    if pages_wide(ctx.style, sizes) > 1:
        ws.repeat_columns(0)


# The number format code of sheet column ``c`` (a measure or a derived column).
def _column_code(cells: _Cells, layout: TableLayout, c: int) -> str | None:
    if c in layout.value_cols:
        return cells.codes[layout.value_cols.index(c)]
    return cells.derived.get(c)


def _total_status(ctx: Context) -> Any:
    return ctx.formats.get(
        bold=True, align="center", bg_color=ctx.formats.colours["total_fill"], top=1
    )


# The label of the total row: the published one, else the catalogue's; a row the source does
# not publish says it is the sum of the rows (as the brief does).
def _total_label(ctx: Context, layout: TableLayout) -> str:
    if layout.table.reported_total is None:
        return ctx.labels["workbook.table.computed"]
    fallback = "total_prose" if layout.analysis.total_is_prose else "total_label"
    return layout.table.total_text(ctx.report.language) or ctx.labels[f"workbook.table.{fallback}"]


# The merged upper header cells over each column group.
def _group_headers(ctx: Context, ws: Any, layout: TableLayout) -> None:
    fmt = ctx.formats.get(
        bold=True,
        align="center",
        valign="vcenter",
        bg_color=ctx.formats.colours["header_fill"],
        font_color=ctx.formats.colours["header_font"],
        border=1,
        border_color=ctx.formats.colours["border"],
    )
    language = ctx.report.language
    row = layout.group_row
    for group in layout.table.groups:
        members = {i for i, c in enumerate(layout.columns) if c.key in group.keys}
        cols = sorted(
            [layout.value_cols[i] for i in members]
            + [
                c
                for d in layout.derived
                if d.kind is DerivedKind.RATIO and d.derived.published in members
                for c in (d.column, d.check)
                if c is not None
            ]
        )
        if not cols:
            continue
        text = header_text(group.label_en if language == "en" and group.label_en else group.label)
        if cols[-1] > cols[0]:
            ws.merge_range(row, cols[0], row, cols[-1], text, fmt)
        else:
            ws.write_string(row, cols[0], text, fmt)


# The total row's cells by sheet column: a Formula, a published Decimal, a text or nothing.
def _total_cells(
    ctx: Context, layout: TableLayout, formulas: Formulas
) -> dict[int, Formula | Decimal | str]:
    if not layout.has_total:
        return {}
    out: dict[int, Formula | Decimal | str] = {}
    for j, c in enumerate(layout.value_cols):
        cell = formulas.measure_total(j)
        if cell is not None:
            out[c] = cell
    for d in layout.derived:
        cell = formulas.derived_total(d)
        if cell is not None:
            out[d.column] = cell
    return out


# The status the total row's check of a recomputed ratio shows (as its formula computes it).
def _total_ratio_status(ctx: Context, layout: TableLayout, d: DerivedColumn) -> str:
    published_index = d.derived.published
    assert published_index is not None
    recon = layout.recon_of(published_index)
    value = layout.analysis.total_value(d.derived)
    if recon is None or value is None:
        return ctx.empty
    column = layout.columns[published_index]
    published = recon.check.published / scale(column)
    rows = len(layout.table.top_rows) if column.share_of else 1
    ok = abs(published - value) <= percent_tolerance(column, rows)
    return ctx.ok if ok else ctx.mismatch


# The table rows, in order; each derived cell is a formula with the analysis' value cached.
def _write_rows(
    ctx: Context, ws: Any, layout: TableLayout, formulas: Formulas, cells: _Cells
) -> None:
    table, formats, analysis = layout.table, ctx.formats, layout.analysis
    empty = ctx.empty
    first = layout.first_row
    value_cols = layout.value_cols
    percent = [c.is_percent for c in layout.columns]
    write_string, write_number, write_formula, write_blank = (
        ws.write_string,
        ws.write_number,
        ws.write_formula,
        ws.write_blank,
    )
    label_fmts: dict[int, Any] = {}
    partial = analysis.partial_periods
    status_fmt = formats.status()
    # Per derived column: its formula, its format and the analysis' values, row by row.
    plans = []
    for d in layout.derived:
        plans.append(
            (
                d,
                formulas.row(d),
                cells.derived_format(ctx, d.column),
                analysis.values(d.derived),
                d.kind in (DerivedKind.SHARE, DerivedKind.CUMULATIVE, DerivedKind.RANK),
            )
        )
    checks = [
        (d, formulas.check(d, ctx.ok, ctx.mismatch), layout.columns[d.derived.published])  # type: ignore[index]
        for d in layout.derived
        if d.check is not None
    ]
    level_col = layout.level_col
    derived_values: dict[int, Decimal | None] = {}
    for i, row in enumerate(table.rows):
        r = first + i
        level = row.level
        fmt = label_fmts.get(level)
        if fmt is None:
            fmt = label_fmts[level] = formats.label(level)
        write_string(r, 0, row.label, fmt)
        if level_col is not None:
            write_number(r, level_col, level, cells.level)
        values = row.values
        for j, value in enumerate(values):
            if value is None:
                write_blank(r, value_cols[j], None, cells.values[j])
            elif isinstance(value, NotAvailable):
                write_string(r, value_cols[j], value.symbol, cells.text)
            else:
                write_number(
                    r, value_cols[j], float(value / 100 if percent[j] else value), cells.values[j]
                )
        for d, formula, fmt, generator, top_level_only in plans:
            value = next(generator)
            derived_values[d.column] = value
            if level and top_level_only:
                write_blank(r, d.column, None, fmt)
            elif formula is None or (d.kind.value.startswith("change") and i in partial):
                write_string(r, d.column, empty, fmt)
            else:
                write_formula(
                    r, d.column, formula.at(r), fmt, empty if value is None else float(value)
                )
        for d, formula, column in checks:
            published = values[d.derived.published]  # type: ignore[index]
            computed = derived_values[d.column]
            if is_number(published) and computed is not None:
                ok = within_rounding(
                    published,  # type: ignore[arg-type]
                    computed * scale(column),
                    places=column.decimals,
                )
                status = ctx.ok if ok else ctx.mismatch
            else:
                status = empty
            write_formula(r, d.check, formula.at(r), status_fmt, status)
    if checks and len(table.rows):
        for d, _, _ in checks:
            ctx.status_formats(ws, area(first, layout.last_row, d.check))  # type: ignore[arg-type]


# The notes under the table: what the source says, then what each derived figure means.
def _notes(ctx: Context, layout: TableLayout) -> list[str]:
    labels, table, analysis = ctx.labels, layout.table, layout.analysis
    notes = list(table.notes)
    kinds = {d.kind for d in layout.derived}
    for kind, key in (
        (DerivedKind.SHARE, "note_share"),
        (DerivedKind.CUMULATIVE, "note_cumulative"),
        (DerivedKind.RANK, "note_rank"),
        (DerivedKind.RATIO, "note_ratio"),
        (DerivedKind.CHANGE, "note_change"),
    ):
        if kind in kinds:
            notes.append(labels[f"workbook.table.{key}"])
    if DerivedKind.CHANGE in kinds and analysis.partial_periods:
        periods = [
            label for i, label in enumerate(table.rows.labels()) if i in analysis.partial_periods
        ]
        notes.append(labels.get("workbook.table.note_partial", periods=join(periods, labels)))
    if any(v is None for j in range(len(layout.columns)) for v in table.rows.column(j)):
        notes.append(labels["workbook.table.note_empty"])
    if table.rows.has_not_available:
        symbols = sorted(
            {
                str(v)
                for j in range(len(layout.columns))
                for v in table.rows.column(j)
                if isinstance(v, NotAvailable)
            }
        )
        notes.append(labels.get("workbook.table.note_not_available", symbols="', '".join(symbols)))
    if layout.has_total:
        parts = []
        for total_kind, key in (
            (TotalKind.SUM, "total_sum"),
            (TotalKind.RATIO, "total_ratio"),
            (TotalKind.PUBLISHED, "total_published"),
        ):
            names = [
                layout.headers[c]
                for c, (_, k) in zip(layout.value_cols, analysis.totals, strict=True)
                if k is total_kind
            ]
            if names:
                parts.append(labels.get(f"workbook.table.{key}", columns=join(names, labels)))
        if parts:
            notes.append(labels.get("workbook.table.note_total_kinds", parts="; ".join(parts)))
    if analysis.total_is_prose and table.total_sentence:
        notes.append(labels.get("workbook.table.note_prose_total", sentence=table.total_sentence))
    if table.has_hierarchy:
        notes.append(labels["workbook.table.note_hierarchy"])
    if layout.big:
        notes.append(labels.get("workbook.table.note_big", rows=ctx.number(len(table.rows))))
    failed = analysis.failed_total_checks
    if failed:
        notes.append(
            labels.get(
                "workbook.table.note_inconsistent",
                columns=join([layout.headers[layout.value_cols[c.index]] for c in failed], labels),
            )
        )
    return notes
