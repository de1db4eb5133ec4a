"""Column widths and row heights of a table sheet: fit the content, within the theme's limits."""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal
from typing import Any

from ..model import ColumnType, is_number
from .layout import TableLayout


def header_height(headers: list[str], widths: list[float]) -> float:
    """Height in points of a wrapped header row: enough lines for the longest header."""
    lines = 1
    for header, width in zip(headers, widths, strict=False):
        lines = max(lines, len(textwrap.wrap(header, max(int(width / 1.15), 1))))
    return 15 * lines


def header_width(limits: dict[str, Any], header: str) -> int:
    """A header's column width: at most three lines, and never narrower than its longest word
    (a word broken in two, "Begrotingsaanpassi|ng", reads as two)."""
    lines = min(int(limits["max_header"]), math.ceil(len(header) / 3) + 2)
    return max(lines, word_width(header))


def word_width(header: str) -> int:
    """The width the longest word of a bold header needs (at most 40 characters)."""
    longest = max((len(w) for w in header.split()), default=0)
    return min(40, math.ceil(longest * 1.1) + 2)


def _figure_width(value: Decimal, decimals: int, kind: ColumnType) -> int:
    # Characters of a figure as shown (thousands separators, decimals, unit).
    if kind is ColumnType.PERCENT:
        return len(f"{abs(value):,.{decimals}f}") + 3
    return len(f"{abs(value):,.{decimals}f}") + (4 if kind is ColumnType.AMOUNT else 2)


def widths(
    limits: dict[str, Any], layout: TableLayout, labels: Any, total_label: str = ""
) -> list[float]:
    """Column widths in characters of a table sheet (table, total row labelled
    ``total_label``, reconciliation block)."""
    table, analysis = layout.table, layout.analysis
    rows = table.rows
    levels = rows.levels()
    longest = max(
        (len(label) + 2 * level for label, level in zip(rows.labels(), levels, strict=True)),
        default=0,
    )
    longest = max(
        longest,
        len(total_label),
        len(layout.headers[0]),
        len(labels["workbook.table.check"]) + 1,
        *(len(layout.headers[layout.value_cols[r.check.index]]) + 1 for r in layout.recon),
    )
    out: list[float] = [float(limits["min"])] * len(layout.headers)
    out[0] = min(max(limits["min"], longest + 2), limits["max_label"])
    if layout.level_col is not None:
        out[layout.level_col] = max(limits["min"], len(layout.headers[layout.level_col]) + 2)
    for j, column in enumerate(table.value_columns):
        biggest = Decimal(0)
        text = 0
        for v in rows.column(j):
            if is_number(v):
                biggest = max(biggest, abs(v))  # type: ignore[arg-type]
            elif v is not None:
                text = max(text, len(str(v)) + 2)
        total = analysis.totals[j][0]
        if total is not None:
            biggest = max(biggest, abs(total))
        digits = max(_figure_width(biggest, column.decimals, column.type), text)
        c = layout.value_cols[j]
        header = layout.headers[c]
        widest = max(limits["max_number"], word_width(header))
        out[c] = min(max(limits["min"], digits, header_width(limits, header)), widest)
    for d in layout.derived:
        source = out[layout.value_cols[d.derived.source]]
        base = source if d.kind.value in ("average", "change") else limits["min"]
        widest = max(limits["max_number"], word_width(d.header))
        out[d.column] = min(max(base, header_width(limits, d.header)), widest)
        if d.check is not None:
            check = layout.headers[d.check]
            widest = max(limits["max_number"], word_width(check))
            out[d.check] = min(max(limits["min"], header_width(limits, check)), widest)
    # The reconciliation block below uses columns B to E: room for its figures and status.
    if layout.recon and len(out) > 1:
        figures = [
            _figure_width(
                abs(v),
                table.value_columns[r.check.index].decimals,
                table.value_columns[r.check.index].type,
            )
            for r in layout.recon
            for v in (r.check.published, r.check.computed)
        ]
        words = [
            len(word) + 2
            for key in ("reported", "computed", "difference")
            for word in labels[f"workbook.table.{key}"].split()
        ]
        need = min(max([limits["min"], *figures, *words]), limits["max_number"])
        for c in range(1, min(4, len(out))):
            out[c] = max(out[c], need)
        while len(out) < 5:
            out.append(limits["min"])
        out[4] = max(
            out[4], len(labels["workbook.mismatch"]) + 4, len(labels["workbook.table.status"]) + 2
        )
    return out


def pages_wide(style: dict[str, Any], sizes: list[float]) -> int:
    """Pages a sheet of these column widths is printed across, so that figures stay legible."""
    page = float(style["layout"]["page_width"])
    return max(1, math.ceil(sum(sizes) / page))
