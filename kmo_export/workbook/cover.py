"""The cover sheet ("Over deze cijfers"): title, the source cited in full, contents, notes."""

from __future__ import annotations

import textwrap
from typing import Any

from .context import Context
from .names import quote_sheet
from .page import print_setup


def write(ctx: Context, ws: Any, contents: list[tuple[str, str]], notes: list[str]) -> None:
    """Write the cover: ``contents`` is (sheet name, what it holds) per sheet, in order."""
    labels, formats, report = ctx.labels, ctx.formats, ctx.report
    dataset = report.dataset
    widths = ctx.style["widths"]
    text_width = widths["cover_text"]
    ws.set_column(0, 0, widths["cover_label"])
    ws.set_column(1, 1, text_width)
    ws.write_string(0, 0, dataset.subject, formats.title())
    ws.write_string(
        1,
        0,
        labels.get("workbook.cover.subtitle", number=dataset.number, date=ctx.question_date),
        formats.note(),
    )
    row = 3
    ws.write_string(row, 0, labels["workbook.cover.source"], formats.heading())
    person = dataset.addressed_to
    addressed = f"{person.name}, {person.title}" if person.title else person.name
    facts = [
        (
            "question",
            labels.get(
                "workbook.cover.question_text", number=dataset.number, date=ctx.question_date
            ),
        ),
        ("asked_by", dataset.asked_by),
        ("addressed_to", addressed),
        ("subject", dataset.subject),
    ]
    source = dataset.source
    if source.publisher:
        facts.append(("publisher", source.publisher))
    if source.text:
        facts.append(("source_text", source.text))
    if source.url:
        facts.append(("url", source.url))
    wrap, bold = formats.text(wrap=True), formats.text(bold=True)
    for key, value in facts:
        row += 1
        ws.write_string(row, 0, labels[f"workbook.cover.{key}"], bold)
        ws.write_string(row, 1, value, wrap)
        _height(ws, row, value, text_width)
    row += 2
    ws.write_string(row, 0, labels["workbook.cover.contents"], formats.heading())
    row += 1
    ws.write_string(row, 0, labels["workbook.cover.sheet"], formats.header())
    ws.write_string(row, 1, labels["workbook.cover.holds"], formats.header())
    for sheet, holds in contents:
        row += 1
        ws.write_url(row, 0, f"internal:{quote_sheet(sheet)}!A1", formats.link(), sheet)
        ws.write_string(row, 1, holds, wrap)
        _height(ws, row, holds, text_width)
    if notes:
        row += 2
        ws.write_string(row, 0, labels["workbook.cover.notes"], formats.heading())
        for note in notes:
            row += 1
            ws.write_string(row, 1, note, wrap)
            _height(ws, row, note, text_width)
    print_setup(ctx.style, ws)


# Rows with wrapped text get the height of their lines (Excel does not measure on load).
def _height(ws: Any, row: int, text: str, width: int) -> None:
    lines = len(textwrap.wrap(text, int(width * 1.1))) or 1
    if lines > 1:
        ws.set_row(row, 15 * lines)
