"""The finance workbook (.xlsx). Entry point: :func:`render_xlsx`."""

from __future__ import annotations

from pathlib import Path

from ..model import Report


def render_xlsx(report: Report, path: Path) -> None:
    """Write the workbook for ``report`` to ``path`` (minimal placeholder until issue 3 lands)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": report.dataset.subject, "created": report.created})
    for _, table in report.dataset.tables:
        sheet = workbook.add_worksheet(table.id[:31])
        for c, column in enumerate(table.columns):
            sheet.write_string(0, c, column.label)
        for r, row in enumerate(table.rows, start=1):
            sheet.write_string(r, 0, row.label)
            for c, value in enumerate(row.values, start=1):
                if value is not None:
                    sheet.write_number(r, c, float(value))
    workbook.close()
