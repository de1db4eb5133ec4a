"""The reconciliation block under a table: each published total held against what the rows say.

An additive measure's published total against the sum of its top-level rows (exact); a
published ratio's total against the ratio of the totals it divides (within its rounding). The
analysis decides which totals can be checked (:attr:`~kmo_export.analysis.TableAnalysis.total_checks`);
each line's computed figure, difference and status are formulas with their values cached.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..analysis import TotalKind
from .context import Context
from .formulas import Formulas, scale
from .layout import ReconRow, TableLayout
from .names import area, formula_text, ref
from .sizing import header_height
from .style import share_format


# The cached statuses of the reconciliation lines (as their formulas compute them).
def statuses(ctx: Context, layout: TableLayout, formulas: Formulas) -> list[str]:
    """The status of each reconciliation line (OK / VERSCHIL), as its formula computes it."""
    out = []
    for recon in layout.recon:
        _, difference = _values(layout, recon, formulas)
        tolerance = (
            Decimal(0)
            if recon.check.kind is TotalKind.SUM
            else formulas.tolerance(recon.check.index, total=True)
        )
        if difference is None:
            out.append(ctx.empty)
        else:
            out.append(ctx.ok if abs(difference) <= tolerance else ctx.mismatch)
    return out


# Reported (as stored in the sheet) and the difference, rounded as the formula rounds it.
def _values(
    layout: TableLayout, recon: ReconRow, formulas: Formulas
) -> tuple[Decimal, Decimal | None]:
    check = recon.check
    if check.kind is TotalKind.SUM:
        reported = check.published
        computed = layout.analysis.totals[check.index][0]
    else:
        reported = check.published / scale(check.column)
        value = layout.analysis.totals[check.index][0]
        computed = None if value is None else value / scale(check.column)
    if computed is None:
        return reported, None
    places = formulas.reconciliation_places(recon)
    return reported, (reported - computed).quantize(Decimal(1).scaleb(-places))


def write(
    ctx: Context,
    ws: Any,
    layout: TableLayout,
    formulas: Formulas,
    codes: list[str],
    statuses: list[str],
    sizes: list[float],
) -> int:
    """Write the block under the table; return the row after it."""
    labels, formats = ctx.labels, ctx.formats
    table = layout.table
    row = layout.recon_row
    reported_label = table.total_text(ctx.report.language) or labels["workbook.table.reported"]
    kinds = {r.check.kind for r in layout.recon}
    heading = "reconciliation" if kinds <= {TotalKind.SUM} else "reconciliation_checks"
    if table.reported_total is None:
        heading_text = labels["workbook.table.check"]
    elif layout.analysis.total_is_prose:  # a total stated only in the text of the answer
        heading_text = labels["workbook.table.reconciliation_prose"]
    elif table.total_label is None:
        heading_text = labels["workbook.table.reconciliation_plain"]
    else:
        heading_text = labels.get(f"workbook.table.{heading}", label=reported_label)
    ws.write_string(row, 0, heading_text, formats.heading())
    row += 1
    if not layout.recon:
        key = "no_reported_total" if table.reported_total is None else "no_checkable_total"
        ws.write_string(row, 0, labels[f"workbook.table.{key}"], formats.note())
        return row + 1
    header_fmt = formats.header()
    computed_key = "computed" if kinds <= {TotalKind.SUM} else "computed_checks"
    names = ("column", "reported", computed_key, "difference", "status")
    ws.set_row(row, header_height([labels[f"workbook.table.{k}"] for k in names], sizes))
    for c, key in enumerate(names):
        ws.write_string(row, c, labels[f"workbook.table.{key}"], header_fmt)
    for recon, status in zip(layout.recon, statuses, strict=True):
        check = recon.check
        code = codes[check.index]
        value = formats.value(code)
        if check.column.is_percent:  # a ratio's difference shows the decimals it is off by
            difference_fmt = formats.value(share_format(ctx.style, check.column.decimals + 2))
        else:
            difference_fmt = value
        computed_formula, difference_formula, status_formula = formulas.reconciliation(
            recon, ctx.ok, ctx.mismatch
        )
        reported, difference = _values(layout, recon, formulas)
        total = layout.analysis.totals[check.index][0]
        computed: float | str
        if check.kind is TotalKind.SUM:
            computed = float(total or 0)
        else:
            computed = ctx.empty if total is None else float(total / scale(check.column))
        r = recon.row
        ws.write_string(r, 0, layout.headers[layout.value_cols[check.index]])
        ws.write_number(r, 1, float(reported), value)
        ws.write_formula(r, 2, computed_formula, value, computed)
        ws.write_formula(
            r,
            3,
            difference_formula,
            difference_fmt,
            ctx.empty if difference is None else float(difference),
        )
        ws.write_formula(r, 4, status_formula, formats.status(), status)
    first, last = layout.recon[0].row, layout.recon[-1].row
    # A difference is red where its status says so (a ratio may differ within its rounding).
    ws.conditional_format(
        area(first, last, 3),
        {
            "type": "formula",
            "criteria": f"=${ref(first, 4)}={formula_text(ctx.mismatch)}",
            "format": formats.bad(),
        },
    )
    ctx.status_formats(ws, area(first, last, 4))
    return last + 1
