"""Make ``templates/brief.docx``, the house style of the ministerial brief.

Run ``uv run python templates/make_brief_template.py`` to rebuild it (or
``... make_brief_template.py OUT.docx`` to write it elsewhere); the output is
byte-identical on every run. Staff may instead edit ``brief.docx`` in Word (styles,
margins, header, footer): the brief only needs the styles listed in ``STYLES`` below
(``kmo_export.brief.template.REQUIRED_STYLES`` checks them by name).

The template holds no content: the body is replaced by the brief. It sets
* A4 portrait, 2.5 cm margins, a header line and a footer with "page X / Y" fields;
* the house colours of templates/theme.toml (headings, the table rules);
* the document language nl-BE in the style defaults (the brief switches it for --lang en);
* Title, Subtitle, Heading 1-3, List Bullet, Caption (built-in, restyled) and the house
  styles Question, Table Text, Table Number, Table Note, Source and the table style Brief Table.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tomllib
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

OUT = Path(__file__).resolve().parent / "brief.docx"
#: The house colours, from the theme every output shares (templates/theme.toml).
THEME = tomllib.loads((Path(__file__).resolve().parent / "theme.toml").read_text("utf-8"))
FONT = "Arial"
INK = RGBColor(0x1D, 0x1D, 0x1B)
ACCENT = RGBColor.from_string(THEME["colours"]["title"].lstrip("#"))
RULE = THEME["brief"]["rule"].lstrip("#")
GRIDLINES = THEME["brief"]["gridlines"].lstrip("#")
GREY = RGBColor(0x59, 0x59, 0x59)
FIXED = dt.datetime(2020, 1, 1)
#: The page header, from the Dutch catalogue (an English brief puts its own catalogue's text).
HEADER_TEXT = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "kmo_export" / "catalogue" / "nl.toml").read_text(
        "utf-8"
    )
)["brief"]["house_header"]
#: Styles kept in the template: the ones the brief uses and what headers and footers use.
KEEP = {
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "Caption",
    "Header",
    "Footer",
    "Question",
    "Table Text",
    "Table Number",
    "Table Note",
    "Source",
    "Brief Table",
    "Table Grid",
    "List Paragraph",
}


def main(out: Path = OUT) -> None:
    """Write the template to ``out`` (templates/brief.docx unless told otherwise)."""
    document = docx.Document()
    _page(document)
    _defaults(document)
    _styles(document)
    _header_footer(document)
    _slim(document)
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = ""
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.language = "nl-BE"
    props.revision = 1
    props.created = props.modified = FIXED
    printed = props._element.find(qn("cp:lastPrinted"))  # never printed: say nothing
    if printed is not None:
        props._element.remove(printed)
    _app_properties(document)
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(_deterministic(buffer.getvalue()))
    print(f"wrote {out}")


# A4, 2.5 cm margins, header and footer 1.25 cm from the edge.
def _page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)  # A4 as Word has it
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.25)


# Document defaults: font, size, language nl-BE (what screen readers and spelling use).
def _defaults(document: docx.document.Document) -> None:
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), "20")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "20")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "nl-BE")
    lang.set(qn("w:eastAsia"), "nl-BE")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")


# One paragraph style: font, size, colour, spacing.
def _para(
    document: docx.document.Document,
    name: str,
    size: float,
    *,
    base: str | None = "Normal",
    bold: bool | None = None,
    italic: bool | None = None,
    color: RGBColor | None = INK,
    before: float | None = None,
    after: float | None = None,
    keep_next: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: float | None = None,
) -> None:
    styles = document.styles
    names = {s.name for s in styles}
    style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and style.name != base:
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    if color is not None:
        font.color.rgb = color
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for attr in ("w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    if align is not None:
        fmt.alignment = align
    if indent is not None:
        fmt.left_indent = Cm(indent)


# The built-in styles the brief uses, restyled, and the house styles it adds.
def _styles(document: docx.document.Document) -> None:
    _para(document, "Normal", 10, base=None)
    _para(document, "Title", 18, bold=True, color=ACCENT, after=6)
    title = document.styles["Title"].element
    ppr = title.find(qn("w:pPr"))
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is not None:
        ppr.remove(border)
    _para(document, "Subtitle", 11, italic=False, color=GREY, after=2)
    _para(document, "Heading 1", 14, bold=True, color=ACCENT, before=18, after=6, keep_next=True)
    _para(document, "Heading 2", 12, bold=True, color=ACCENT, before=12, after=4, keep_next=True)
    _para(document, "Heading 3", 10.5, bold=True, color=INK, before=8, after=3, keep_next=True)
    _para(document, "List Bullet", 10, after=4)
    _para(document, "Caption", 9, bold=True, color=GREY, before=6, after=4)
    _para(document, "Header", 8, color=GREY)
    _para(document, "Footer", 8, color=GREY)
    _para(document, "Question", 10, italic=True, color=GREY, indent=0.5, after=6)
    _para(document, "Table Text", 9, after=0, before=0)
    _para(document, "Table Number", 9, base="Table Text", after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(document, "Table Note", 8, italic=True, color=GREY, before=2, after=8)
    _para(document, "Source", 8, color=GREY, before=12)
    for name in ("Table Text", "Table Number"):
        spacing = document.styles[name].element.get_or_add_pPr().get_or_add_spacing()
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    # Table style: a rule above and below, thin rules between rows, no vertical lines.
    table = document.styles.add_style("Brief Table", WD_STYLE_TYPE.TABLE)
    table.base_style = document.styles["Normal Table"]
    table.element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}>"
            f'<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="{RULE}"/>'
            f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{RULE}"/>'
            f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{GRIDLINES}"/></w:tblBorders>'
            '<w:tblCellMar><w:top w:w="30" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="30" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr>"
        )
    )


# Header: the house line; footer: "page / pages" as fields Word and LibreOffice update.
def _header_footer(document: docx.document.Document) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.text = HEADER_TEXT
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, code in enumerate(("PAGE", "NUMPAGES")):
        if i:
            footer.add_run(" / ")
        for xml in (
            '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {{ns}}><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>',
            '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
            "<w:r {ns}><w:t>1</w:t></w:r>",
            '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            footer._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


# Drop what the brief never uses, so every build parses and writes less: the styles outside
# the house set (Word still offers every built-in style), the Word 2010 copy of the styles,
# the sample custom XML and the thumbnail of an empty page.
def _slim(document: docx.document.Document) -> None:
    styles = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    keep = {s.style_id for s in document.styles if s.name in KEEP}
    keep |= {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
    todo = list(keep)
    while todo:  # what the kept styles are based on or linked to
        style = by_id[todo.pop()]
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            target = ref.get(qn("w:val")) if ref is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for element in styles.iter():
        element.tail = None
        if element.text is not None and not element.text.strip():
            element.text = None
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del part.rels[rid]
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rid]


# docProps/app.xml that is true of the template: made by this script, no counts, no Normal.dotm.
def _app_properties(document: docx.document.Document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    blob = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/docPropsVTypes"><Application>kmo-export templates/make_brief_template.py'
        b"</Application><DocSecurity>0</DocSecurity><LinksUpToDate>false</LinksUpToDate>"
        b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = blob


# The same zip every run: fixed entry times, the writer's order.
def _deterministic(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
