"""WordprocessingML written as text: paragraphs, runs and tables, parsed once at the end.

Building the body as one string and parsing it once is far cheaper than python-docx's
object API cell by cell. Every text goes through :func:`esc`, so dataset text (``<&>``,
``=HYPERLINK(...)``) stays inert characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())

#: Tables with at most this many rows are kept on one page.
KEEP_TOGETHER = 20
#: Text width of an A4 page with 2.5 cm margins, in twentieths of a point.
TEXT_WIDTH = 9070
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def esc(text: str) -> str:
    """Text escaped for an XML element or attribute."""
    return text.translate(_ESCAPES)


def run(text: str, rpr: str = "") -> str:
    """One run; tabs and line breaks in ``text`` become w:tab and w:br."""
    head = f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}"
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return f'{head}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
    parts = []
    for i, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return head + "".join(parts) + "</w:r>"


def paragraph(style: str, content: str, ppr: str = "") -> str:
    """A paragraph of style id ``style`` holding ready-made runs ``content``."""
    return f'<w:p><w:pPr><w:pStyle w:val="{esc(style)}"/>{ppr}</w:pPr>{content}</w:p>'


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, whether it holds a number, an optional note marker."""

    text: str
    number: bool = False
    marker: str | None = None
    indent: int = 0  # detail rows: levels of indentation


@dataclass(frozen=True)
class TableStyles:
    """The style ids a table uses."""

    table: str
    text: str
    number: str


def table(
    styles: TableStyles,
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    widths: Sequence[int],
    caption: str,
    description: str,
    text_rpr: str = "",
) -> str:
    """A table with a repeated header row, right-aligned numbers and a set-apart total row.

    No merged cells; ``caption`` and ``description`` go to w:tblCaption and w:tblDescription
    for screen readers. ``widths`` are in twentieths of a point.
    """
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{esc(styles.table)}"/>'
        '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f'<w:tblCaption w:val="{esc(caption)}"/><w:tblDescription w:val="{esc(description)}"/>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    tcw = [f'<w:tcW w:w="{w}" w:type="dxa"/>' for w in widths]
    head_tc = '<w:shd w:val="clear" w:color="auto" w:fill="E8EDF3"/><w:vAlign w:val="bottom"/>'
    out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    for i, cell in enumerate(header):
        out.append(_cell(styles, cell, tcw[i] + head_tc, "<w:b/>", True))
    out.append("</w:tr>")
    # A short table stays on one page: each row keeps with the next.
    keep = len(rows) <= KEEP_TOGETHER
    last = len(rows) - (0 if total is not None else 1)
    for r, cells in enumerate(rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        together = keep and r < last
        for i, cell in enumerate(cells):
            out.append(_cell(styles, cell, tcw[i], "" if cell.number else text_rpr, together))
        out.append("</w:tr>")
    if total is not None:
        border = (
            '<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="1F3A5F"/>'
            "</w:tcBorders>"
        )
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for i, cell in enumerate(total):
            out.append(_cell(styles, cell, tcw[i] + border, "<w:b/>"))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# One cell: its width and borders, a paragraph in the text or number style.
def _cell(styles: TableStyles, cell: Cell, tcpr: str, rpr: str, keep: bool = False) -> str:
    ppr = "<w:keepNext/>" if keep else ""
    if cell.indent:
        ppr += f'<w:ind w:left="{cell.indent * 227}"/>'
    content = run(cell.text, rpr) if cell.text else ""
    if cell.marker:
        content += run(cell.marker, f'{rpr}<w:vertAlign w:val="superscript"/>')
    style = styles.number if cell.number else styles.text
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraph(style, content, ppr)}</w:tc>"


def widths(
    header: Sequence[Cell], rows: Sequence[Sequence[Cell]], total: Sequence[Cell] | None
) -> list[int]:
    """Column widths that fit the numbers on one line; the label column takes the rest.

    A number column is as wide as its longest value (headers wrap between words); the label
    column keeps at least a third of the text width, the number columns share the rest.
    """
    numeric = []
    for i in range(1, len(header)):
        longest = max((len(r[i].text) + len(r[i].marker or "") for r in rows), default=0)
        bold = max((len(w) for w in header[i].text.split()), default=0)
        if total is not None:
            bold = max(bold, len(total[i].text) + len(total[i].marker or ""))
        numeric.append(max(900, longest * _CHAR + _PADDING, bold * _CHAR_BOLD + _PADDING))
    room = TEXT_WIDTH - TEXT_WIDTH // 3
    if sum(numeric) > room:
        numeric = [w * room // sum(numeric) for w in numeric]
    return [TEXT_WIDTH - sum(numeric), *numeric]


# Width of a character of 9 pt table text, and a cell's left and right margins, in twips.
_CHAR = 110
_CHAR_BOLD = 140
_PADDING = 240
