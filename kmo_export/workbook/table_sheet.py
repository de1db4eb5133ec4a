"""One sheet per table of an answer: the figures, derived columns as formulas, totals, the check.

Layout (0-based rows): 0 title, 1 source, 2 the check of the totals (a link to the
reconciliation block and its overall status), 3 the header row, then one row per table row,
the total row, and under it the reconciliation block and the notes. Every row is written in
order, so the same code streams a table of a million rows (XlsxWriter constant_memory).
"""

from __future__ import annotations

import math
import textwrap
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Answer, ColumnType, Table
from .context import Context
from .names import (
    area,
    col,
    formula_text,
    header_text,
    join,
    lower_first,
    quote_sheet,
    quoted,
    ref,
)
from .style import number_format

TITLE_ROW, SOURCE_ROW, CHECK_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2, 3, 4


@dataclass
class Derived:
    """A derived (formula) column: ``share``, ``average``, ``cumulative`` or ``rank``."""

    kind: str
    header: str
    column: int  # sheet column
    source: int  # value index it derives from (average: the amount)
    count: int | None = None  # average: the count's value index


@dataclass
class TableLayout:
    """Where everything of one table stands on its sheet; charts and key figures refer to it."""

    answer: Answer
    table: Table
    sheet: str
    name: str  # the Excel table's name
    title: str
    big: bool
    level_col: int | None
    value_cols: tuple[int, ...]
    derived: list[Derived]
    headers: list[str]
    first_row: int = FIRST_ROW
    recon_rows: list[tuple[int, int]] = field(default_factory=list)  # (value index, sheet row)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.table.rows) - 1

    @property
    def total_row(self) -> int:
        return self.first_row + len(self.table.rows)

    @property
    def recon_row(self) -> int:
        return self.total_row + 2

    @property
    def last_col(self) -> int:
        return len(self.headers) - 1

    def cell(self, row_index: int, value_index: int | None) -> str:
        """Absolute sheet-qualified reference of a table cell (``None``: the label)."""
        column = 0 if value_index is None else self.value_cols[value_index]
        return f"{quote_sheet(self.sheet)}!{ref(self.first_row + row_index, column, True)}"

    def total_cell(self, value_index: int) -> str:
        """Absolute sheet-qualified reference of a column's total (the total row)."""
        return (
            f"{quote_sheet(self.sheet)}!{ref(self.total_row, self.value_cols[value_index], True)}"
        )

    def share_column(self, value_index: int) -> int | None:
        return next(
            (d.column for d in self.derived if d.kind == "share" and d.source == value_index), None
        )


def plan(ctx: Context, answer: Answer, table: Table, sheet: str, big_rows: int) -> TableLayout:
    """Lay out ``table`` on sheet ``sheet`` (nothing is written yet)."""
    labels = ctx.labels
    big = len(table.rows) > big_rows
    headers = [header_text(table.label_column.label)]
    level_col = None
    if table.has_hierarchy:
        level_col = len(headers)
        headers.append(labels["workbook.table.level"])
    value_cols = tuple(range(len(headers), len(headers) + len(table.value_columns)))
    headers += [header_text(c.label) for c in table.value_columns]
    derived: list[Derived] = []

    def add(kind: str, header: str, source: int, count: int | None = None) -> None:
        derived.append(Derived(kind, header_text(header), len(headers), source, count))
        headers.append(derived[-1].header)

    names = [lower_first(header_text(c.label)) for c in table.value_columns]
    quoted_names = [quoted(c.label, labels) for c in table.value_columns]
    # A table that publishes its own percentages: the computed shares say they are computed.
    published = any(c.type is ColumnType.PERCENT for c in table.value_columns)
    share_key = "workbook.table.share_computed" if published else "workbook.table.share"
    for j, column in enumerate(table.value_columns):
        if column.is_additive:
            add("share", labels.get(share_key, column=names[j], name=quoted_names[j]), j)
    amount, count = table.amount_column, table.count_column
    if amount is not None and count is not None:
        add(
            "average",
            labels.get(
                "workbook.table.average",
                amount=names[amount],
                count=names[count],
                amount_name=quoted_names[amount],
                count_name=quoted_names[count],
            ),
            amount,
            count,
        )
    primary = table.primary_column
    if primary is not None:
        add(
            "cumulative",
            labels.get(
                "workbook.table.cumulative", column=names[primary], name=quoted_names[primary]
            ),
            primary,
        )
        if not big:
            add(
                "rank",
                labels.get(
                    "workbook.table.rank", column=names[primary], name=quoted_names[primary]
                ),
                primary,
            )
    _unique(headers)
    for d in derived:
        d.header = headers[d.column]
    title = table.caption or labels.get(
        "workbook.table.title",
        columns=join(
            [
                header_text(c.label) if k == 0 else lower_first(header_text(c.label))
                for k, c in enumerate(table.value_columns)
            ],
            labels,
        ),
        names=join(quoted_names, labels),
        label=lower_first(header_text(table.label_column.label)),
        label_name=quoted(table.label_column.label, labels),
    )
    return TableLayout(
        answer, table, sheet, f"tbl_{table.id}", title, big, level_col, value_cols, derived, headers
    )


# Excel wants the header names of a table unique (case-insensitive).
def _unique(headers: list[str]) -> None:
    seen: set[str] = set()
    for i, header in enumerate(headers):
        candidate, n = header, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{header} ({n})"
        headers[i] = candidate
        seen.add(candidate.casefold())


def write(ctx: Context, worksheet: Any, layout: TableLayout) -> None:
    """Write the sheet of ``layout`` row by row (title, table, total row, check, notes)."""
    table, labels, formats = layout.table, ctx.labels, ctx.formats
    report = ctx.report
    ws = worksheet
    first, last, total_row = layout.first_row, layout.last_row, layout.total_row
    totals = table.computed_totals
    columns = table.value_columns
    has_none = [any(r.values[j] is None for r in table.rows) for j in range(len(columns))]
    hier = layout.level_col is not None
    level_area = area(first, last, layout.level_col) if hier else ""
    codes = [number_format(ctx.style, c) for c in columns]
    share_code = ctx.style["number_formats"]["share"]
    empty = formula_text(ctx.empty)

    def column_sum(column: int) -> str:
        if hier:
            return f"SUMIF({level_area},0,{area(first, last, column)})"
        # SUBTOTAL 9, not 109: Gnumeric evaluates 109 to #NUM!, and the two differ only for
        # rows hidden by hand, which the workbook has none of (filtered rows count in neither).
        return f"SUBTOTAL(9,{area(first, last, column)})"

    widths = _widths(ctx, layout, totals)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.set_row(HEADER_ROW, header_height(layout.headers, widths))
    if table.reported_total is not None:
        recon_headers = [
            labels[f"workbook.table.{k}"]
            for k in ("column", "reported", "computed", "difference", "status")
        ]
        ws.set_row(layout.recon_row + 1, header_height(recon_headers, widths))

    # Rows 0-2: title, source, the check.
    ws.write_string(TITLE_ROW, 0, layout.title, formats.title())
    ws.write_string(
        SOURCE_ROW,
        0,
        labels.get(
            "workbook.table.source",
            answer=layout.answer.number,
            number=report.dataset.number,
            date=ctx.question_date,
        ),
        formats.note(),
    )
    recon = _reconciliation(ctx, layout, totals)
    ws.write_url(
        CHECK_ROW,
        0,
        f"internal:{quote_sheet(layout.sheet)}!{ref(layout.recon_row, 0)}",
        formats.link(),
        labels["workbook.table.check"],
    )
    if recon:
        status_area = area(recon[0][0], recon[-1][0], 4)
        bad = any(status != ctx.ok for *_, status in recon)
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

    # Header and total row: an Excel table, or (streamed) plain cells.
    header_fmt = formats.header()
    total_cells = _total_cells(ctx, layout, totals, column_sum, codes, share_code, empty)
    if layout.big:
        for c, header in enumerate(layout.headers):
            ws.write_string(HEADER_ROW, c, header, header_fmt)
    else:
        spec = []
        for c, header in enumerate(layout.headers):
            entry: dict[str, Any] = {"header": header, "header_format": header_fmt}
            cell = total_cells.get(c)
            if cell is None:
                pass
            elif cell[0] == "string":
                entry["total_string"] = cell[1]
            else:
                entry["total_function"] = cell[1]
                entry["total_value"] = cell[2]
            spec.append(entry)
        ws.add_table(
            HEADER_ROW,
            0,
            total_row,
            layout.last_col,
            {
                "name": layout.name,
                "style": ctx.style["layout"]["table_style"],
                "autofilter": False,
                "total_row": True,
                "columns": spec,
            },
        )

    # The rows.
    _write_rows(ctx, ws, layout, totals, has_none, codes, share_code, empty, level_area)

    # The total row (rewritten with its formats over what add_table wrote).
    for c in range(layout.last_col + 1):
        cell = total_cells.get(c)
        if cell is None:
            ws.write_blank(total_row, c, None, formats.total(None))
        elif cell[0] == "string":
            ws.write_string(total_row, c, cell[1], formats.total_label())
        else:
            ws.write_formula(total_row, c, cell[1], formats.total(cell[3]), cell[2])

    # The reconciliation block.
    row = layout.recon_row
    reported_label = table.total_label or labels["workbook.table.reported"]
    ws.write_string(
        row, 0, labels.get("workbook.table.reconciliation", label=reported_label), formats.heading()
    )
    row += 1
    if recon:
        for c, key in enumerate(("column", "reported", "computed", "difference", "status")):
            ws.write_string(row, c, labels[f"workbook.table.{key}"], header_fmt)
        for (
            rrow,
            j,
            computed_formula,
            computed,
            diff_formula,
            diff,
            status_formula,
            status,
        ) in recon:
            code = codes[j]
            ws.write_string(rrow, 0, header_text(columns[j].label))
            ws.write_number(rrow, 1, float(table.reported_total[j]), formats.value(code))  # type: ignore[index,arg-type]
            ws.write_formula(rrow, 2, computed_formula, formats.value(code), float(computed))
            ws.write_formula(rrow, 3, diff_formula, formats.value(code), float(diff))
            ws.write_formula(rrow, 4, status_formula, formats.status(), status)
        ws.conditional_format(
            area(recon[0][0], recon[-1][0], 3),
            {"type": "cell", "criteria": "!=", "value": 0, "format": formats.bad()},
        )
        ctx.status_formats(ws, area(recon[0][0], recon[-1][0], 4))
        row = recon[-1][0] + 1
    else:
        ws.write_string(row, 0, labels["workbook.table.no_reported_total"], formats.note())
        row += 1

    # Notes, wrapped to the width of the table so that they print.
    notes = _notes(ctx, layout)
    if notes:
        row += 1
        ws.write_string(row, 0, labels["workbook.table.notes"], formats.heading())
        width = max(60, int(sum(widths) * 1.05))
        for note in notes:
            for line in textwrap.wrap(note, width) or [""]:
                row += 1
                ws.write_string(row, 0, line, formats.note())

    ws.freeze_panes(FIRST_ROW, 1)
    _print_setup(ctx, ws)


def header_height(headers: list[str], widths: list[float]) -> float:
    """Height in points of a wrapped header row: enough lines for the longest header."""
    lines = 1
    for header, width in zip(headers, widths, strict=False):
        lines = max(lines, len(textwrap.wrap(header, max(int(width / 1.15), 1))))
    return 15 * lines


# The total row: column -> ("string", text) or ("formula", formula, cached value, number format).
def _total_cells(
    ctx: Context,
    layout: TableLayout,
    totals: tuple[Decimal | None, ...],
    column_sum: Any,
    codes: list[str],
    share_code: str,
    empty: str,
) -> dict[int, tuple[Any, ...]]:
    cells: dict[int, tuple[Any, ...]] = {0: ("string", ctx.labels["workbook.table.total"])}
    total_row = layout.total_row
    for j, c in enumerate(layout.value_cols):
        cells[c] = ("formula", f"={column_sum(c)}", float(totals[j] or 0), codes[j])
    for d in layout.derived:
        if d.kind == "share":
            total = totals[d.source]
            value = 1.0 if total else 0.0
            cells[d.column] = ("formula", f"={column_sum(d.column)}", value, share_code)
        elif d.kind == "average":
            amount, count = totals[d.source], totals[d.count]  # type: ignore[index]
            a = ref(total_row, layout.value_cols[d.source])
            n = ref(total_row, layout.value_cols[d.count])  # type: ignore[index]
            value = float(amount / count) if amount is not None and count else ctx.empty
            cells[d.column] = (
                "formula",
                f"=IF(SUM({n})=0,{empty},{a}/{n})",
                value,
                codes[d.source],
            )
    return cells


# The reconciliation rows: (row, value index, formulas and cached values of computed, difference, status).
def _reconciliation(
    ctx: Context, layout: TableLayout, totals: tuple[Decimal | None, ...]
) -> list[tuple[Any, ...]]:
    table = layout.table
    if table.reported_total is None:
        return []
    out = []
    row = layout.recon_row + 2
    first, last = layout.first_row, layout.last_row
    for j, column in enumerate(table.value_columns):
        reported = table.reported_total[j]
        if reported is None:
            continue
        c = layout.value_cols[j]
        if layout.level_col is not None:
            computed_formula = (
                f"=SUMIF({area(first, last, layout.level_col)},0,{area(first, last, c)})"
            )
        else:
            computed_formula = f"=SUM({area(first, last, c)})"
        computed = totals[j] or Decimal(0)
        exact = column.type in (ColumnType.COUNT, ColumnType.AMOUNT)
        places = column.decimals if exact else column.decimals + 4
        tolerance = (
            Decimal(len(table.top_rows)) * Decimal(5).scaleb(-column.decimals - 1)
            if column.type is ColumnType.PERCENT
            else Decimal(0)
        )
        diff = reported - computed
        status = ctx.ok if abs(diff) <= tolerance else ctx.mismatch
        diff_formula = f"=ROUND({ref(row, 1)}-{ref(row, 2)},{places})"
        status_formula = f"=IF(ABS({ref(row, 3)})<={tolerance},{formula_text(ctx.ok)},{formula_text(ctx.mismatch)})"
        out.append((row, j, computed_formula, computed, diff_formula, diff, status_formula, status))
        row += 1
    return out


# The table rows, in order; each derived cell is a formula with its cached result.
def _write_rows(
    ctx: Context,
    ws: Any,
    layout: TableLayout,
    totals: tuple[Decimal | None, ...],
    has_none: list[bool],
    codes: list[str],
    share_code: str,
    empty_formula: str,
    level_area: str,
) -> None:
    table, formats = layout.table, ctx.formats
    empty = ctx.empty
    first, last, total_row = layout.first_row, layout.last_row, layout.total_row
    value_cols = layout.value_cols
    letters = {c: col(c) for c in range(layout.last_col + 1)}
    value_fmts = [formats.value(code) for code in codes]
    # Derived cells are right-aligned, so that the empty mark '–' lines up with the figures.
    share_fmt = formats.get(num_format=share_code, align="right")
    # A detail row's share is already in the row above it: italic, so it does not read as a
    # part of the 100 % (the note under the table says so).
    detail_share_fmt = formats.get(num_format=share_code, align="right", italic=True)
    average_fmts = [formats.get(num_format=code, align="right") for code in codes]
    rank_fmt = formats.get(num_format=ctx.style["number_formats"]["rank"], align="right")
    level_fmt = formats.value(ctx.style["number_formats"]["level"])
    label_fmts: dict[int, Any] = {}
    write_string, write_number, write_formula, write_blank = (
        ws.write_string,
        ws.write_number,
        ws.write_formula,
        ws.write_blank,
    )

    # Per derived column: what it needs, prepared once.
    plans = []
    for d in layout.derived:
        src = letters[value_cols[d.source]]
        if d.kind == "share":
            total = totals[d.source]
            t = ref(total_row, value_cols[d.source], True)
            guard = []
            if has_none[d.source]:
                guard.append(f'{src}{{r}}=""')
            if not total:
                guard.append(f"{t}=0")
            body = f"{src}{{r}}/{t}"
            template = f"=IF(OR({','.join(guard)}),{empty_formula},{body})" if guard else f"={body}"
            plans.append((d, template, total))
        elif d.kind == "average":
            n = letters[value_cols[d.count]]  # type: ignore[index]
            guard = []
            if has_none[d.source]:
                guard.append(f'{src}{{r}}=""')
            # SUM(x)=0, not N(x)=0: true for a blank, 0 or text count alike, and Gnumeric
            # evaluates N() of a blank cell to #NUM!.
            guard.append(f"SUM({n}{{r}})=0")
            plans.append(
                (d, f"=IF(OR({','.join(guard)}),{empty_formula},{src}{{r}}/{n}{{r}})", None)
            )
        elif d.kind == "cumulative":
            share_col = layout.share_column(d.source)
            plans.append((d, letters[share_col], totals[d.source]))  # type: ignore[index]
        else:  # rank
            values = sorted(
                r.values[d.source] for r in table.top_rows if r.values[d.source] is not None
            )
            rng = area(first, last, value_cols[d.source])
            if layout.level_col is not None:
                body = f'COUNTIFS({rng},">"&{src}{{r}},{level_area},0)+1'
            else:
                body = f"RANK({src}{{r}},{rng})"
            template = (
                f'=IF({src}{{r}}="",{empty_formula},{body})' if has_none[d.source] else f"={body}"
            )
            plans.append((d, template, values))

    cumulative = Decimal(0)
    previous_top: int | None = None  # sheet row of the previous top-level row
    level_col = layout.level_col
    for i, row in enumerate(table.rows):
        r = first + i
        r1 = r + 1
        level = row.level
        fmt = label_fmts.get(level)
        if fmt is None:
            fmt = label_fmts[level] = formats.label(level)
        write_string(r, 0, row.label, fmt)
        if level_col is not None:
            write_number(r, level_col, level, level_fmt)
        values = row.values
        for j, value in enumerate(values):
            if value is None:
                write_blank(r, value_cols[j], None, value_fmts[j])
            else:
                write_number(r, value_cols[j], float(value), value_fmts[j])
        for d, template, extra in plans:
            kind = d.kind
            if kind == "share":
                value = values[d.source]
                cached: Any = float(value / extra) if value is not None and extra else empty
                write_formula(
                    r,
                    d.column,
                    template.format(r=r1),
                    detail_share_fmt if level else share_fmt,
                    cached,
                )
            elif kind == "average":
                amount, count = values[d.source], values[d.count]  # type: ignore[index]
                cached = float(amount / count) if amount is not None and count else empty
                write_formula(r, d.column, template.format(r=r1), average_fmts[d.source], cached)
            elif level:
                write_blank(r, d.column, None, share_fmt if kind == "cumulative" else rank_fmt)
            elif kind == "cumulative":
                value, total = values[d.source], extra
                if value is not None and total:
                    cumulative += value / total
                share_ref = f"{template}{r1}"
                if has_none[d.source] or not total:
                    share_ref = f"N({share_ref})"
                letter = letters[d.column]
                formula = (
                    f"={share_ref}"
                    if previous_top is None
                    else f"={letter}{previous_top + 1}+{share_ref}"
                )
                write_formula(r, d.column, formula, share_fmt, float(cumulative))
            else:  # rank
                value = values[d.source]
                cached = empty if value is None else len(extra) - bisect_right(extra, value) + 1
                write_formula(r, d.column, template.format(r=r1), rank_fmt, cached)
        if not level:
            previous_top = r


# Column widths in characters: fit the content, within the style's limits.
def _widths(ctx: Context, layout: TableLayout, totals: tuple[Decimal | None, ...]) -> list[float]:
    limits = ctx.style["widths"]
    table = layout.table
    longest = max((len(r.label) + 2 * r.level for r in table.rows), default=0)
    longest = max(longest, len(ctx.labels["workbook.table.total"]), len(layout.headers[0]))
    widths = [min(max(limits["min"], longest + 2), limits["max_label"])]
    if layout.level_col is not None:
        widths.append(max(limits["min"], len(layout.headers[layout.level_col]) + 2))

    def header_width(header: str) -> int:
        words = max((len(w) for w in header.split()), default=0)
        return min(limits["max_header"], max(words + 2, math.ceil(len(header) / 3) + 2))

    for j, column in enumerate(table.value_columns):
        biggest = max(
            max((v for r in table.rows if (v := r.values[j]) is not None), default=Decimal(0)),
            -min((v for r in table.rows if (v := r.values[j]) is not None), default=Decimal(0)),
            abs(totals[j] or 0),
        )
        digits = len(f"{biggest:,.{column.decimals}f}") + (
            4 if column.type is ColumnType.AMOUNT else 2
        )
        widths.append(
            min(
                max(limits["min"], digits, header_width(layout.headers[len(widths)])),
                limits["max_number"],
            )
        )
    for d in layout.derived:
        base = widths[layout.value_cols[d.source]] if d.kind == "average" else limits["min"]
        widths.append(min(max(base, header_width(d.header)), limits["max_number"]))
    # The reconciliation block below uses columns B to E: room for its figures and status.
    if table.reported_total is not None and len(widths) > 1:
        figures = [
            len(f"{abs(v):,.{c.decimals}f}") + (4 if c.type is ColumnType.AMOUNT else 2)
            for c, values in zip(
                table.value_columns, zip(table.reported_total, totals, strict=True), strict=True
            )
            for v in values
            if v is not None
        ]
        words = [
            len(word) + 2
            for key in ("reported", "computed", "difference")
            for word in ctx.labels[f"workbook.table.{key}"].split()
        ]
        need = min(max([limits["min"], *figures, *words]), limits["max_number"])
        for c in range(1, min(4, len(widths))):
            widths[c] = max(widths[c], need)
        while len(widths) < 5:
            widths.append(limits["min"])
        widths[4] = max(
            widths[4], len(ctx.mismatch) + 4, len(ctx.labels["workbook.table.status"]) + 2
        )
    return widths


# The notes under the table.
def _notes(ctx: Context, layout: TableLayout) -> list[str]:
    labels, table = ctx.labels, layout.table
    notes = list(table.notes)
    if layout.derived:
        notes.append(labels["workbook.table.note_derived"])
    if table.has_empty_cells:
        notes.append(labels["workbook.table.note_empty"])
    if table.has_hierarchy:
        notes.append(labels["workbook.table.note_hierarchy"])
    if layout.big:
        notes.append(labels.get("workbook.table.note_big", rows=_count(len(table.rows), ctx)))
    discrepancies = table.discrepancies()
    if discrepancies:
        notes.append(
            labels.get(
                "workbook.table.note_inconsistent",
                columns=join([header_text(d.column.label) for d in discrepancies], labels),
            )
        )
    return notes


# A whole number in running text.
def _count(n: int, ctx: Context) -> str:
    from .names import number_text

    return number_text(n, ctx.labels)


# Landscape, one page wide, the header row repeated on every page.
def _print_setup(ctx: Context, ws: Any) -> None:
    layout = ctx.style["layout"]
    ws.set_landscape()
    ws.set_paper(layout["paper"])
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.set_margins(left=layout["margin"], right=layout["margin"])
    ws.set_footer(layout["footer"])
