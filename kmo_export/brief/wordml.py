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
    keep_last: bool = False,
) -> str:
    """A table with a repeated header row, right-aligned numbers and a set-apart total row.

    No merged cells; ``caption`` and ``description`` go to w:tblCaption and w:tblDescription
    for screen readers. ``widths`` are in twentieths of a point. ``keep_last``: notes follow
    the table, so its last row keeps with the next paragraph (no page break before a note).
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
        together = (keep and r < last) or (keep_last and total is None and r == len(rows) - 1)
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
            out.append(_cell(styles, cell, tcw[i] + border, "<w:b/>", keep_last))
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
    """Column widths balanced by content, in twips, adding up to the text width.

    Each column has a least width (its longest number; its longest word, as nothing breaks
    inside a word) and a wish (its longest text on one line, its header on at most two
    lines). If every wish fits, the room left goes to the label column (first to put headers
    on one line); else the number columns get their wish and the label column the rest, or,
    if even that does not fit, each column its least width plus a share of the room left in
    proportion to what it lacks of its wish.
    """
    least: list[float] = []
    wish: list[float] = []
    ideal: list[float] = []
    for i, head in enumerate(header):
        texts = [(r[i].text + (r[i].marker or ""), False) for r in rows]
        if total is not None:
            texts.append((total[i].text + (total[i].marker or ""), True))
        longest = max((text_width(t, bold) for t, bold in texts), default=0.0)
        head_word = max((text_width(w, bold=True) for w in head.text.split()), default=0.0)
        if i == 0:  # the label column may wrap between words
            words = (text_width(w, bold) for t, bold in texts for w in t.split())
            low = max(head_word, max(words, default=0.0))
        else:  # a number never wraps
            low = max(head_word, longest)
        least.append(low + _PADDING)
        wish.append(max(low, longest, _two_lines(head.text)) + _PADDING)
        ideal.append(max(low, longest, text_width(head.text, bold=True)) + _PADDING)
    if sum(ideal) <= TEXT_WIDTH:  # every header on one line: the label column takes the rest
        result = [round(w) for w in ideal]
    elif sum(wish) <= TEXT_WIDTH:  # headers on two lines, as many as needed on one
        room = TEXT_WIDTH - sum(wish)
        lack = [i - w for i, w in zip(ideal, wish, strict=True)]
        result = [int(w + room * k / sum(lack)) for w, k in zip(wish, lack, strict=True)]
    elif least[0] + sum(wish[1:]) <= TEXT_WIDTH:
        # No header over more than two lines; the label column takes the rest (its longest
        # labels may wrap: better than a header row three lines high on every page).
        result = [0, *(round(w) for w in wish[1:])]
    elif sum(least) >= TEXT_WIDTH:
        result = [int(w * TEXT_WIDTH / sum(least)) for w in least]
    else:
        room = TEXT_WIDTH - sum(least)
        lack = [w - m for w, m in zip(wish, least, strict=True)]
        result = [int(m + room * k / sum(lack)) for m, k in zip(least, lack, strict=True)]
    result[0] += TEXT_WIDTH - sum(result)
    return result


def text_width(text: str, bold: bool = False) -> float:
    """Width of ``text`` in 9 pt Arial (bold or not), in twips, with a margin for fallbacks.

    From Arial's advance widths (thousandths of an em) of the characters tables hold;
    LibreOffice without Arial substitutes a wider font, hence the margins.
    """
    if bold:
        ems = sum(_BOLD.get(ch, _DEFAULT_BOLD) for ch in text)
        return ems * 9 * 20 / 1000 * _MARGIN_BOLD
    ems = sum(_REGULAR.get(ch, _DEFAULT) for ch in text)
    return ems * 9 * 20 / 1000 * _MARGIN


# The width of a header set on two lines (split between words where the halves are most even).
def _two_lines(text: str) -> float:
    words = text.split()
    if len(words) < 2:
        return text_width(text, bold=True)
    best = text_width(text, bold=True)
    for k in range(1, len(words)):
        first = text_width(" ".join(words[:k]), bold=True)
        second = text_width(" ".join(words[k:]), bold=True)
        best = min(best, max(first, second))
    return best


def _metrics(*groups: tuple[str, int]) -> dict[str, int]:
    # ("chars", width) groups -> {char: width}
    return {ch: width for chars, width in groups for ch in chars}


# Arial advance widths, regular and bold, per 1000 em (the same as Helvetica's).
_REGULAR = _metrics(
    ("0123456789$#_?abdeghnopquL€", 556),
    (".,:;!/[]\\ It\u00a0fj", 278),
    ("il’‘", 222),
    ("'", 191),
    ("r-()", 333),
    ("ckvxyzsJ", 500),
    ("%", 889),
    ("mM", 833),
    ("wCDHNRU", 722),
    ("GOQ", 778),
    ("W", 944),
    ("ABEKPSVXY&", 667),
    ("FTZ", 611),
    ("*", 389),
)
_BOLD = _metrics(
    ("0123456789$#_acekvxysJ€", 556),
    (".,/\\ \u00a0", 278),
    ("!-():;[]fjt", 333),
    ("il'’‘", 278),
    ("r*", 389),
    ("z", 500),
    ("bdghnopqu?", 611),
    ("%", 889),
    ("mM", 889),
    ("wCDHNRUABK&", 722),
    ("GOQ", 778),
    ("W", 944),
    ("EPSXYV", 667),
    ("FTZL", 611),
)
_DEFAULT = 556
_DEFAULT_BOLD = 611
# DejaVu Sans, LibreOffice's fallback where Arial is missing, is up to 15 % wider (bold: 25 %).
_MARGIN = 1.15
_MARGIN_BOLD = 1.26
# A cell's left and right margins (85 twips each in the template) and a little air, in twips.
_PADDING = 220
