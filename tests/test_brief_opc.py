"""The brief's package on a user's template: what Word or LibreOffice wrote into it, the brief keeps
valid (the language set, the attached template gone, the body replaced, ids unique)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from kmo_export.brief import load_template, render_docx
from kmo_export.brief.opc import Package
from kmo_export.brief.template import default_template
from kmo_export.errors import TemplateError
from kmo_export.loader import load
from kmo_export.model import Report

from .conftest import BUNDLED, ooxml_problems

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
RT_ATTACHED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def variant(tmp_path: Path, edits: dict[str, Callable[[str], str]]) -> Path:
    """The bundled template with some parts edited (part name -> text edit; new parts from '')."""
    target = tmp_path / "template.docx"
    with zipfile.ZipFile(default_template()) as source, zipfile.ZipFile(target, "w") as out:
        names = source.namelist()
        for name in names:
            text = source.read(name).decode("utf-8")
            out.writestr(name, edits[name](text) if name in edits else text)
        for name in edits.keys() - set(names):
            out.writestr(name, edits[name](""))
    return target


def brief_on(template: Path, tmp_path: Path, language: str = "nl") -> Path:
    out = tmp_path / "brief.docx"
    render_docx(Report(load(BUNDLED), language), out, load_template(template))
    assert ooxml_problems(out) == ""
    return out


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def lang_of(path: Path) -> etree._Element:
    found = part(path, "word/styles.xml").find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    assert found is not None
    lang = found.find(f"{{{W}}}lang")
    assert lang is not None
    return lang


def test_language_is_added_where_the_template_has_no_style_defaults(tmp_path):
    def drop_defaults(text: str) -> str:
        return re.sub(r"<w:docDefaults>.*?</w:docDefaults>", "", text, flags=re.DOTALL)

    brief = brief_on(variant(tmp_path, {"word/styles.xml": drop_defaults}), tmp_path, "en")
    assert lang_of(brief).get(f"{{{W}}}val") == "en-GB"


def test_language_replaces_the_template_language_and_keeps_the_other_scripts(tmp_path):
    brief = brief_on(default_template(), tmp_path, "en")  # the template says nl-BE
    lang = lang_of(brief)
    assert lang.get(f"{{{W}}}val") == "en-GB"
    assert lang.get(f"{{{W}}}eastAsia") == "nl-BE"
    assert lang.get(f"{{{W}}}bidi") == "ar-SA"


def test_language_goes_before_east_asian_layout_in_run_properties(tmp_path):
    def without_lang(text: str) -> str:
        text = re.sub(r"<w:lang [^>]*/>", "", text, count=1)
        return text.replace(
            "</w:rPr></w:rPrDefault>",
            '<w:eastAsianLayout w:id="1"/></w:rPr></w:rPrDefault>',
            1,
        )

    brief = brief_on(variant(tmp_path, {"word/styles.xml": without_lang}), tmp_path)
    rpr = lang_of(brief).getparent()
    tags = [etree.QName(child).localname for child in rpr]
    assert tags[-2:] == ["lang", "eastAsianLayout"]


def test_an_attached_template_and_its_relationship_are_removed(tmp_path):
    def attach(text: str) -> str:
        return re.sub(r"(<w:settings\b[^>]*>)", r'\1<w:attachedTemplate r:id="rId99"/>', text)

    def relate(text: str) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId99" Type="{RT_ATTACHED}" '
            'Target="http://intranet.example/sjablonen/nota.dotm" TargetMode="External"/>'
            "</Relationships>"
        )

    template = variant(
        tmp_path, {"word/settings.xml": attach, "word/_rels/settings.xml.rels": relate}
    )
    with zipfile.ZipFile(template) as package:
        assert b"attachedTemplate" in package.read("word/settings.xml")  # the variant has one
    brief = brief_on(template, tmp_path)
    with zipfile.ZipFile(brief) as package:
        assert b"attachedTemplate" not in package.read("word/settings.xml")
        assert b"intranet.example" not in package.read("word/_rels/settings.xml.rels")


def test_a_template_saved_as_dotx_gives_a_document(tmp_path):
    def as_template(text: str) -> str:
        return text.replace(DOCUMENT_CT, TEMPLATE_CT)

    brief = brief_on(variant(tmp_path, {"[Content_Types].xml": as_template}), tmp_path)
    assert Document(str(brief)).paragraphs  # python-docx opens only a document
    types = part(brief, "[Content_Types].xml")
    found = {o.get("PartName"): o.get("ContentType") for o in types}
    assert found["/word/document.xml"] == DOCUMENT_CT


def test_template_text_is_replaced_and_its_page_kept(tmp_path):
    def with_content(text: str) -> str:
        sample = (
            "<w:p><w:r><w:t>Sjabloontekst</w:t></w:r></w:p>"
            '<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
            "</w:sectPr></w:pPr></w:p>"
        )
        return text.replace("<w:body>", "<w:body>" + sample, 1)

    def header_drawing(text: str) -> str:
        drawing = (
            '<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/>'
            '<wp:docPr id="41" name="Logo"/></wp:inline></w:drawing></w:r>'
        )
        return text.replace("</w:hdr>", f"<w:p>{drawing}</w:p></w:hdr>", 1)

    template = variant(
        tmp_path, {"word/document.xml": with_content, "word/header1.xml": header_drawing}
    )
    out = tmp_path / "brief.docx"  # the header's sample drawing is not schema-complete
    render_docx(Report(load(BUNDLED), "nl"), out, load_template(template))
    document = Document(str(out))
    assert "Sjabloontekst" not in "\n".join(p.text for p in document.paragraphs)
    section = document.sections[-1]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.header.paragraphs  # the template's header is still referenced
    ids = [int(d.get("id")) for d in part(out, "word/document.xml").iter(f"{{{WP}}}docPr")]
    assert ids and min(ids) == 42 and len(set(ids)) == len(ids)


def test_a_template_without_the_w_prefix_is_refused_in_one_line(tmp_path):
    def other_prefix(text: str) -> str:
        return text.replace("w:", "wx:").replace("xmlns:w=", "xmlns:wx=")

    template = variant(tmp_path, {"word/styles.xml": other_prefix})
    with pytest.raises(TemplateError) as caught:
        load_template(template)
    message = str(caught.value)
    assert "\n" not in message and str(template) in message and "w: prefix" in message


def test_package_relationships_take_the_first_free_id_and_keep_odd_targets(tmp_path):
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="t/a" Target="a.xml"/>'
        "<Relationship Id='rId3' Type='t/b' Target='b&gt;&amp;.xml'/></Relationships>"
    )
    package = Package(
        {
            "[Content_Types].xml": b'<Types><Default Extension="xml" ContentType="x"/></Types>',
            "word/_rels/doc.xml.rels": rels.encode(),
            "word/doc.xml": b"<d/>",
        }
    )
    assert [r.target for r in package.relationships("word/doc.xml")] == ["a.xml", "b>&.xml"]
    assert package.relate("word/doc.xml", "t/c", "word/charts/chart1.xml") == "rId2"
    assert package.relate("word/doc.xml", "t/c", "word/charts/chart2.xml") == "rId4"
    package.write("word/charts/chart1.xml", b"<c/>", "application/chart")
    out = tmp_path / "p.zip"
    package.save(out, dt.datetime(2020, 9, 24))
    again = Package.from_bytes(out.read_bytes())
    assert [(r.id, r.target) for r in again.relationships("word/doc.xml")] == [
        ("rId1", "a.xml"),
        ("rId3", "b>&.xml"),
        ("rId2", "charts/chart1.xml"),
        ("rId4", "charts/chart2.xml"),
    ]
    assert again.content_type("word/charts/chart1.xml") == "application/chart"
    assert again.content_type("word/doc.xml") == "x"
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in archive.infolist()} == {(2020, 9, 24, 0, 0, 0)}


def test_a_chart_value_that_is_not_available_is_no_point_not_zero():
    from decimal import Decimal

    from kmo_export.brief.charts import ChartSpec, Series, chart_part_xml, chart_workbook

    spec = ChartSpec(
        ["2022", "2023", "2024"],
        [
            Series("Dossiers", [Decimal(5), Decimal(0), Decimal(7)], "#,##0"),
            Series("% Limburg", [Decimal("0.1"), None, Decimal("0.2")], "0%", secondary=True),
        ],
        "Jaar",
        "Dossiers per jaar",
        "Grafiek 1",
        kind="column",
    )
    workbook, chart_xml = chart_workbook(spec, dt.datetime(2020, 9, 24), "nl-BE")
    chart = etree.fromstring(chart_part_xml(chart_xml, "rId7", "nl-BE"))
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    caches = [
        {int(p.get("idx")): p.findtext(f"{c}v") for p in cache.iter(f"{c}pt")}
        for cache in chart.iterfind(f".//{c}val/{c}numRef/{c}numCache")
    ]
    assert caches == [{0: "5", 1: "0", 2: "7"}, {0: "0.1", 2: "0.2"}]  # 0 is a point, None none
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Data"]
    assert [sheet.cell(r, 3).value for r in (2, 3, 4)] == [0.1, None, 0.2]  # "Edit data" agrees
    assert chart.find(f"{c}lang").get("val") == "nl-BE"
    external = chart.find(f"{c}externalData")
    assert external.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert etree.QName(external.getnext()).localname == "printSettings"
    for labels in chart.iter(f"{c}dLbls"):
        flags = [etree.QName(e).localname for e in labels if e.tag.startswith(c + "show")]
        assert flags == [
            "showLegendKey", "showVal", "showCatName", "showSerName", "showPercent",
            "showBubbleSize",
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "bundled", "header"),
    [
        ("nl", True, "Vlaamse Regering"),
        ("en", True, "Flemish Government"),
        ("en", False, "Vlaamse Regering"),  # a user's template: its header is the office's own
    ],
)
def test_the_house_header_is_in_the_brief_language(tmp_path, language, bundled, header):
    template = default_template() if bundled else variant(tmp_path, {})
    brief = brief_on(template, tmp_path, language)
    assert [p.text for p in Document(str(brief)).sections[0].header.paragraphs] == [header]


TRACKED_PAGE = (
    '<w:sectPrChange w:id="1" w:author="x" w:date="2020-01-01T00:00:00Z"><w:sectPr>'
    '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:sectPrChange></w:sectPr></w:body>'
)
WP_DECLARATION = f'xmlns:wp="{WP}"'
BODY_VARIANTS = {
    # Track Changes on while the page setup changed: a w:sectPr inside the body's w:sectPr
    "tracked-page-setup": lambda s: s.replace("</w:sectPr></w:body>", TRACKED_PAGE),
    # a prefix declared on the body rather than on the root
    "namespace-on-body": lambda s: s.replace(" " + WP_DECLARATION, "").replace(
        "<w:body>", f"<w:body {WP_DECLARATION}>"
    ),
    "no-page-setup": lambda s: re.sub(r"<w:sectPr\b.*</w:sectPr>", "", s, flags=re.S),
    "empty-page-setup": lambda s: re.sub(r"<w:sectPr\b.*</w:sectPr>", "<w:sectPr/>", s, flags=re.S),
    "empty-body": lambda s: re.sub(r"<w:body>.*</w:body>", "<w:body/>", s, flags=re.S),
    "page-setup-without-size": lambda s: re.sub(r"<w:pgSz\b[^>]*/>", "", s),
}


@pytest.mark.parametrize("name", BODY_VARIANTS)
def test_every_body_a_word_processor_writes_gives_a_valid_a4_brief(tmp_path, name):
    template = variant(tmp_path, {"word/document.xml": BODY_VARIANTS[name]})
    brief = brief_on(template, tmp_path)  # valid against the schemas
    section = Document(str(brief)).sections[-1]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    text = part(brief, "word/document.xml")
    assert len(text.findall(f"{{{W}}}body/{{{W}}}sectPr")) == 1
    if name == "tracked-page-setup":  # the outer w:sectPr is kept whole, header and all
        assert section.header.paragraphs and text.find(f".//{{{W}}}sectPrChange") is not None


def test_a_strict_open_xml_template_is_refused_saying_so(tmp_path):
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    template = variant(tmp_path, {"word/document.xml": lambda s: s.replace(main, strict)})
    with pytest.raises(TemplateError, match="Strict Open XML; save it as a Word Document"):
        load_template(template)


def test_a_template_binding_a_prefix_of_the_brief_elsewhere_is_refused_before_building(tmp_path):
    other = 'xmlns:c="urn:example:comments"'
    template = variant(
        tmp_path,
        {"word/document.xml": lambda s: s.replace("<w:document ", f"<w:document {other} ", 1)},
    )
    with pytest.raises(TemplateError, match="binds the prefix c: to urn:example:comments"):
        load_template(template)
