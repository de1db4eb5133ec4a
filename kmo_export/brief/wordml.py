"""WordprocessingML written as text: paragraphs, runs and tables, parsed once at the end.

Building the body as one string and parsing it once is far cheaper than python-docx's
object API cell by cell. Every text goes through :func:`esc`, so dataset text (``<&>``,
``=HYPERLINK(...)``) stays inert characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial

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


def run(
    text: str,
    *,
    bold: bool = False,
    superscript: bool = False,
    language: str | None = None,
    size: float | None = None,
) -> str:
    """One run; tabs and line breaks in ``text`` become w:tab and w:br.

    ``language``: a language tag for text in another language than the document (dataset
    text quoted in an English brief is Dutch).
    """
    rpr = "<w:b/>" if bold else ""
    if size:
        rpr += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    if superscript:
        rpr += '<w:vertAlign w:val="superscript"/>'
    if language:
        rpr += f'<w:lang w:val="{esc(language)}"/>'
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


def paragraph(
    style: str,
    content: str,
    *,
    keep_next: bool = False,
    before: int | None = None,
    after: int | None = None,
    indent: int = 0,
    section: str = "",
) -> str:
    """A paragraph of style id ``style`` holding ready-made runs ``content``.

    ``keep_next``: on the same page as the next paragraph; ``before``/``after``: spacing in
    twentieths of a point; ``indent``: left indent in twips; ``section``: a w:sectPr from
    :func:`section` that ends a section with this paragraph.
    """
    ppr = f'<w:pStyle w:val="{esc(style)}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if before is not None or after is not None:
        spacing = "".join(
            f' w:{name}="{value}"'
            for name, value in (("before", before), ("after", after))
            if value is not None
        )
        ppr += f"<w:spacing{spacing}/>"
    if indent:
        ppr += f'<w:ind w:left="{indent}"/>'
    return f"<w:p><w:pPr>{ppr}{section}</w:pPr>{content}</w:p>"


@dataclass(frozen=True)
class Page:
    """A page layout: size and margins in twips, from the template's section."""

    width: int
    height: int
    left: int
    right: int
    landscape: bool = False

    @property
    def text_width(self) -> int:
        """The width between the margins."""
        return self.width - self.left - self.right

    def turned(self) -> Page:
        """The same page on its side."""
        return Page(self.height, self.width, self.left, self.right, not self.landscape)


#: A4 portrait with 2.5 cm margins (the bundled template), when a template says nothing.
A4 = Page(11906, 16838, 1418, 1418)


def page_of(sect_pr: str) -> Page:
    """The page layout of a template's w:sectPr (its XML text): size and side margins."""
    size = _PAGE_SIZE.search(sect_pr)
    margins = _PAGE_MARGINS.search(sect_pr)
    if size is None or margins is None:
        return A4
    size_attrs, margin_attrs = _twips(size[1]), _twips(margins[1])
    width, height = size_attrs.get("w:w"), size_attrs.get("w:h")
    if not width or not height:
        return A4
    return Page(
        width, height, margin_attrs.get("w:left", A4.left), margin_attrs.get("w:right", A4.right)
    )


_PAGE_SIZE = re.compile(r"<w:pgSz\b([^>]*)/?>")
_PAGE_MARGINS = re.compile(r"<w:pgMar\b([^>]*)/?>")
_TWIPS = re.compile(r'(w:\w+)="(-?\d+)"')


# The whole-number attributes of a tag (twips); others are left out.
def _twips(tag: str) -> dict[str, int]:
    return {name: int(value) for name, value in _TWIPS.findall(tag)}


def section_break(style: str, template_sect_pr: str | None, page: Page) -> str:
    """An empty paragraph of style id ``style`` that ends a section laid out as ``page``.

    The section keeps the template's own w:sectPr (``template_sect_pr``, its XML text:
    headers, footers, margins) with ``page``'s size and orientation; the next section starts
    on a new page.
    """
    body = (template_sect_pr or "<w:sectPr></w:sectPr>").strip()
    body = re.sub(r"^<w:sectPr\b[^>]*>", "<w:sectPr>", body)  # namespaces: the body's own
    body = re.sub(r"<w:pgSz\b[^>]*/>", "", body)
    body = re.sub(r"<w:type\b[^>]*/>", "", body)
    orient = ' w:orient="landscape"' if page.landscape else ""
    size = f'<w:pgSz w:w="{page.width}" w:h="{page.height}"{orient}/>'
    # w:type and w:pgSz come after the header/footer references and footnote properties.
    at = body.find("<w:pgMar")
    if at < 0:
        at = body.rfind("</w:sectPr>")
    return paragraph(style, "", section=body[:at] + '<w:type w:val="nextPage"/>' + size + body[at:])


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, whether it holds a number, an optional note marker."""

    text: str
    number: bool = False
    marker: str | None = None
    indent: int = 0  # detail rows: levels of indentation
    span: int = 1  # a header cell over this many columns
    language: str | None = None  # dataset text in another language than the brief


@dataclass(frozen=True)
class TableStyles:
    """The style ids a table uses and the house colours the template does not set.

    ``header_fill`` and ``rule`` (hex RGB) are None for a user's template: its own table
    style decides.
    """

    table: str
    text: str
    number: str
    header_fill: str | None = None
    rule: str | None = None


def table(
    styles: TableStyles,
    header: Sequence[Sequence[Cell]],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    widths: Sequence[int],
    caption: str,
    description: str,
    keep_last: bool = False,
    size: float = 9,
) -> str:
    """A table with repeated header rows, right-aligned numbers and a set-apart total row.

    ``header`` holds one or two rows; an upper row's cells may span columns (``span``: a
    two-level header), and a column no upper cell spans is one merged cell over both rows.
    ``caption`` and ``description`` go to w:tblCaption and w:tblDescription for screen
    readers. ``widths`` are in twentieths of a point; ``size``: a font size in points other
    than the table styles' 9 pt (a wide table set smaller, so that nothing breaks). ``keep_last``: notes follow the table,
    so its last row keeps with the next paragraph (no page break before a note).
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
    cell_xml = partial(_cell, size=None if size == 9 else size)
    shade = (
        f'<w:shd w:val="clear" w:color="auto" w:fill="{esc(styles.header_fill)}"/>'
        if styles.header_fill
        else ""
    )
    head_tc = shade + '<w:vAlign w:val="bottom"/>'
    if len(header) == 2:
        upper, lower = header
        column = 0
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for cell in upper:
            span = range(column, column + cell.span)
            props = f'<w:tcW w:w="{sum(widths[k] for k in span)}" w:type="dxa"/>'
            if any(lower[k].text for k in span):  # a column group over the cells below
                if cell.span > 1:
                    props += f'<w:gridSpan w:val="{cell.span}"/>'
                if styles.rule:
                    props += (
                        '<w:tcBorders><w:bottom w:val="single" w:sz="4" w:space="0" '
                        f'w:color="{esc(styles.rule)}"/></w:tcBorders>'
                    )
                props += head_tc
                out.append(cell_xml(styles, replace(cell, number=False), props, True, True, True))
            else:  # one cell over both header rows
                out.append(
                    cell_xml(
                        styles, cell, props + '<w:vMerge w:val="restart"/>' + head_tc, True, True
                    )
                )
            column += cell.span
        out.append("</w:tr>")
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for i, cell in enumerate(lower):
            merged = "" if cell.text else "<w:vMerge/>"
            out.append(cell_xml(styles, cell, tcw[i] + merged + head_tc, True, True))
        out.append("</w:tr>")
    else:
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for i, cell in enumerate(header[0]):
            out.append(cell_xml(styles, cell, tcw[i] + head_tc, True, True))
        out.append("</w:tr>")
    # A short table stays on one page: each row keeps with the next.
    keep = len(rows) <= KEEP_TOGETHER
    last = len(rows) - (0 if total is not None else 1)
    for r, cells in enumerate(rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        together = (keep and r < last) or (keep_last and total is None and r == len(rows) - 1)
        for i, cell in enumerate(cells):
            out.append(cell_xml(styles, cell, tcw[i], False, together))
        out.append("</w:tr>")
    if total is not None:
        border = (
            f'<w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" '
            f'w:color="{esc(styles.rule)}"/></w:tcBorders>'
            if styles.rule
            else ""
        )
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for i, cell in enumerate(total):
            out.append(cell_xml(styles, cell, tcw[i] + border, True, keep_last))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# One cell: its width and borders, a paragraph in the text or number style.
def _cell(
    styles: TableStyles,
    cell: Cell,
    tcpr: str,
    bold: bool,
    keep: bool = False,
    centred: bool = False,
    size: float | None = None,
) -> str:
    content = run(cell.text, bold=bold, language=cell.language, size=size) if cell.text else ""
    if cell.marker:
        content += run(cell.marker, bold=bold, superscript=True, size=size)
    style = styles.number if cell.number else styles.text
    ppr = f'<w:pStyle w:val="{esc(style)}"/>'
    if keep:
        ppr += "<w:keepNext/>"
    if cell.indent:
        ppr += f'<w:ind w:left="{cell.indent * 227}"/>'
    if centred:
        ppr += '<w:jc w:val="center"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{content}</w:p></w:tc>"


def inline_chart(
    relationship: str, drawing_id: int, name: str, description: str, cx: int, cy: int
) -> str:
    """A run holding a chart inline (``relationship``: the chart part's r:id; sizes in EMU)."""
    return (
        "<w:r><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="{esc(name)}" descr="{esc(description)}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{esc(relationship)}"/></a:graphicData></a:graphic></wp:inline>'
        "</w:drawing></w:r>"
    )


def widths(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    available: int = TEXT_WIDTH,
    size: float = 9,
) -> list[int]:
    """Column widths balanced by content, in twips, adding up to the text width.

    Each column has a least width (its longest number; its longest word, as nothing breaks
    inside a word) and a wish (its longest text on one line, its header on at most two
    lines). If every wish fits, the room left goes to the label column (first to put headers
    on one line); else the number columns get their wish and the label column the rest, or,
    if even that does not fit, each column its least width plus a share of the room left in
    proportion to what it lacks of its wish.
    """
    least, wish, ideal = _needs(header, rows, total, size)
    if sum(ideal) <= available:  # every header on one line: the label column takes the rest
        result = [round(w) for w in ideal]
    elif sum(wish) <= available:  # headers on two lines, as many as needed on one
        room = available - sum(wish)
        lack = [i - w for i, w in zip(ideal, wish, strict=True)]
        result = [int(w + room * k / sum(lack)) for w, k in zip(wish, lack, strict=True)]
    elif least[0] + sum(wish[1:]) <= available:
        # No header over more than two lines; the label column takes the rest (its longest
        # labels may wrap: better than a header row three lines high on every page).
        result = [0, *(round(w) for w in wish[1:])]
    elif sum(least) >= available:
        result = [int(w * available / sum(least)) for w in least]
    else:
        room = available - sum(least)
        lack = [w - m for w, m in zip(wish, least, strict=True)]
        result = [int(m + room * k / sum(lack)) for m, k in zip(least, lack, strict=True)]
    result[0] += available - sum(result)
    return result


def least_width(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    size: float = 9,
) -> int:
    """The narrowest a table can be with no number and no word broken, in twips (``size``:
    the font size in points)."""
    return round(sum(_needs(header, rows, total, size)[0]))


def font_size(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    available: int,
) -> float:
    """The largest font size (9, 8.5, ... 7 pt) at which no number and no word breaks."""
    size = 9.0
    while size > 7 and least_width(header, rows, total, size) > available:
        size -= 0.5
    return size


# Per column: its least width, its wish (header on two lines) and its ideal (one line).
def _needs(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None,
    size: float = 9,
) -> tuple[list[float], list[float], list[float]]:
    scale = size / 9
    least: list[float] = []
    wish: list[float] = []
    ideal: list[float] = []
    for i, head in enumerate(header):
        texts = [(r[i].text + (r[i].marker or ""), False) for r in rows]
        if total is not None:
            texts.append((total[i].text + (total[i].marker or ""), True))
        longest = max((text_width(t, bold) for t, bold in texts), default=0.0)
        # A header may break after a hyphen (kmo-|portefeuille), a number never.
        head_word = max(
            (text_width(w, bold=True) for w in re.split(r"\s+|(?<=-)", head.text) if w),
            default=0.0,
        )
        if i == 0:  # the label column may wrap between words
            words = (text_width(w, bold) for t, bold in texts for w in t.split())
            low = max(head_word, max(words, default=0.0))
        else:  # a number never wraps
            low = max(head_word, longest)
        least.append(low * scale + _PADDING)
        wish.append(max(low, longest, _two_lines(head.text)) * scale + _PADDING)
        ideal.append(max(low, longest, text_width(head.text, bold=True)) * scale + _PADDING)
    return least, wish, ideal


@lru_cache(maxsize=4096)  # a table's texts are measured at every font size tried
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
