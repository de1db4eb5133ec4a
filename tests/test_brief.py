"""The ministerial brief (.docx), read back with python-docx and checked against the dataset."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from babel.numbers import parse_decimal
from lxml import etree

from kmo_export.brief import load_template, render_docx
from kmo_export.loader import load
from kmo_export.model import Report

from .conftest import BUNDLED, ooxml_problems

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS = {
    "w": W,
    "c": C,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
NBSP = "\u00a0"


def build(tmp_path: Path, dataset: Path = BUNDLED, language: str = "nl", **options) -> Path:
    report = Report(load(dataset), language, **options)
    out = tmp_path / f"{dataset.stem}-{language}.docx"
    render_docx(report, out, load_template(None))
    return out


def nl(text: str) -> Decimal:
    """A Belgian-Dutch number ('7.029.304,65', '9,9 %') back to a Decimal."""
    return parse_decimal(text.replace(NBSP, "").replace("%", "").replace("€", "").strip(), "nl_BE")


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def headings(document) -> list[tuple[int, str]]:
    out = []
    for p in document.paragraphs:
        m = re.fullmatch(r"Heading (\d)", p.style.name)
        if m:
            out.append((int(m.group(1)), p.text))
    return out


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def brief_nl(tmp_path_factory):
    return build(tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="module")
def doc_nl(brief_nl):
    return docx.Document(str(brief_nl))


@pytest.fixture(scope="module")
def dataset():
    return load(BUNDLED)


# -- structure ----------------------------------------------------------------------------


def test_headings_mirror_the_questions_and_answers(doc_nl, dataset):
    expected = [(1, "Kernboodschap"), (1, "Vragen en antwoorden")]
    for question in dataset.questions:
        expected += [(2, f"Vraag {question.number}"), (3, "Antwoord")]
    expected.append((1, "Bijlage"))
    assert headings(doc_nl) == expected


def test_heading_levels_never_skip(doc_nl):
    level = 0
    for found, _ in headings(doc_nl):
        assert found <= level + 1
        level = found


def test_question_and_answer_text_follow_their_headings(doc_nl, dataset):
    texts = [p.text for p in doc_nl.paragraphs]
    for question in dataset.questions:
        at = texts.index(f"Vraag {question.number}")
        assert texts[at + 1 : at + 1 + len(question.paragraphs)] == list(question.paragraphs)
        answer = dataset.answer(question.number)
        start = at + 1 + len(question.paragraphs)
        assert texts[start] == "Antwoord"
        assert texts[start + 1 : start + 1 + len(answer.paragraphs)] == list(answer.paragraphs)


def test_heading_block(doc_nl, dataset):
    paragraphs = doc_nl.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == dataset.subject
    assert paragraphs[1].text == "Schriftelijke vraag nr. 835 van 24 september 2020"
    assert paragraphs[2].text == f"Vraagsteller: {dataset.asked_by}"
    person = dataset.addressed_to
    assert paragraphs[3].text == f"Gericht aan: {person.name}, {person.title}"
    assert doc_nl.core_properties.title == dataset.subject


# -- numbers against the dataset ------------------------------------------------------------


def bullets(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "List Bullet"]


def test_key_message_figures_are_computed_from_the_dataset(doc_nl, dataset):
    found = bullets(doc_nl)
    assert 3 <= len(found) <= 5
    table = dataset.answers[3].tables[0]
    projects = [r.values[0] for r in table.rows]
    subsidy = [r.values[1] for r in table.rows]
    # Enterprises that used the portfolio.
    enterprises = dataset.key_figures.enterprises.count
    assert re.search(r"([\d.]+) ondernemingen", found[0]).group(1) == "69.215"
    assert nl(re.search(r"([\d.]+) ondernemingen", found[0]).group(1)) == enterprises
    # Total dossiers and subsidy (€ 56,8 miljoen), over the number of themes.
    m = re.search(
        r"Samen ([\d.]+) projecten en € ([\d,]+) miljoen .* over (\d+) thema’s\.",
        found[1].replace(NBSP, " "),
    )
    assert nl(m.group(1)) == sum(projects)
    assert nl(m.group(2)) == q(sum(subsidy) / 1_000_000, 1)
    assert int(m.group(3)) == len(table.rows)
    # Use against the maximum per company size.
    usage = found[2].replace(NBSP, " ")
    for size in dataset.key_figures.usage.sizes:
        use = q(size.average_granted / size.maximum * 100, 1)
        assert f"({str(use).replace('.', ',')} %)" in usage
        assert (
            f"€ {size.average_granted:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            in usage
        )
    # The three largest themes with their share of dossiers.
    ranked = sorted(table.rows, key=lambda r: -r.values[0])[:3]
    shares = re.findall(
        r"([^:,]+?) \(([\d,]+) %\)", found[-1].replace(NBSP, " ").replace(" en ", ", ")
    )
    assert [s[0].strip() for s in shares] == [r.label for r in ranked]
    assert [nl(s[1]) for s in shares] == [q(r.values[0] / sum(projects) * 100, 1) for r in ranked]


def test_usage_table(doc_nl, dataset):
    rows = table_rows(doc_nl.tables[0])
    assert rows[0] == ["Ondernemingsgrootte", "Maximum (€)", "Gemiddeld toegekend (€)", "Benutting"]
    for cells, size in zip(rows[1:], dataset.key_figures.usage.sizes, strict=True):
        assert nl(cells[1]) == size.maximum
        assert nl(cells[2]) == size.average_granted
        assert nl(cells[3]) == q(size.average_granted / size.maximum * 100, 1)
        assert nl(cells[3]) == size.stated_use_percent


def test_top_themes_table_under_answer_4(doc_nl, dataset):
    table = dataset.answers[3].tables[0]
    rows = table_rows(doc_nl.tables[1])
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header == [
        "Thema",
        "Aantal projecten",
        "Aandeel (%)",
        "Toegekende subsidie (€)",
        "Gemiddeld per project (€)",
    ]
    projects_total = sum(r.values[0] for r in table.rows)
    ranked = sorted(table.rows, key=lambda r: -r.values[0])
    top, rest = ranked[:15], ranked[15:]
    assert [c[0] for c in body[:15]] == [r.label for r in top]
    for cells, row in zip(body[:15], top, strict=True):
        assert nl(cells[1]) == row.values[0]
        assert nl(cells[2]) == q(row.values[0] / projects_total * 100, 1)
        assert nl(cells[3]) == row.values[1]
        assert nl(cells[4]) == q(row.values[1] / row.values[0], 2)
    other = body[15]
    assert other[0] == f"Overige ({len(rest)})"
    assert nl(other[1]) == sum(r.values[0] for r in rest)
    assert nl(other[2]) == q(sum(r.values[0] for r in rest) / projects_total * 100, 1)
    assert other[3:] == ["", ""]  # the rest of the ranked measure only, as in the chart
    assert total[0] == "Eindtotaal"
    assert nl(total[1]) == table.reported_total[0] == projects_total
    assert nl(total[3]) == table.reported_total[1]
    assert total[3] == "56.813.023,08"
    assert total[2] == f"100,0{NBSP}%"


def test_annex_holds_the_full_table_in_published_order(doc_nl, dataset):
    table = dataset.answers[3].tables[0]
    rows = table_rows(doc_nl.tables[2])
    assert [c[0] for c in rows[1:-1]] == [r.label for r in table.rows]
    for cells, row in zip(rows[1:-1], table.rows, strict=True):
        assert nl(cells[1]) == row.values[0]
        assert nl(cells[3]) == row.values[1]
    assert rows[1][1] == "24.252" and rows[1][3] == "7.029.304,65"
    assert nl(rows[-1][4]) == q(table.reported_total[1] / table.reported_total[0], 2)
    captions = [p.text for p in doc_nl.paragraphs if p.style.name == "Caption"]
    assert (
        "Bijlage 1. Aantal projecten en toegekende subsidie (€) per thema (volledige tabel 2)"
        in (captions)
    )


def test_tables_are_accessible(doc_nl):
    for table in doc_nl.tables:
        tbl = table._tbl
        first = tbl.findall(f"{{{W}}}tr")[0]
        assert first.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None
        assert tbl.find(f"{{{W}}}tblPr/{{{W}}}tblCaption").get(f"{{{W}}}val")
        assert tbl.find(f"{{{W}}}tblPr/{{{W}}}tblDescription").get(f"{{{W}}}val")
        assert not tbl.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge")
        # Number columns use the right-aligned style.
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                assert cell.paragraphs[0].style.name == "Table Number"
    assert doc_nl.styles["Table Number"].paragraph_format.alignment == 2  # RIGHT


def test_document_language_in_style_defaults(tmp_path, brief_nl):
    def lang(path):
        styles = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"))
        return styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang").get(
            f"{{{W}}}val"
        )

    assert lang(brief_nl) == "nl-BE"
    assert lang(build(tmp_path, language="en")) == "en-GB"


def test_footer_has_page_number_fields(doc_nl):
    footer = doc_nl.sections[0].footer._element
    codes = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert codes == ["PAGE", "NUMPAGES"]


def test_source_line(doc_nl, dataset):
    last = doc_nl.paragraphs[-1]
    assert last.style.name == "Source"
    assert (
        "Vlaams Parlement" in last.text and "835" in last.text and "24 september 2020" in last.text
    )
    # The parliamentary document is cited, never a file of the dataset.
    assert "schriftelijke-vraag" not in last.text and ".txt" not in last.text
    assert "benutting" in last.text  # the bundled dataset has usage figures


# -- charts ---------------------------------------------------------------------------------


def test_native_charts_with_embedded_workbooks(brief_nl, dataset):
    package = zipfile.ZipFile(brief_nl)
    names = package.namelist()
    charts = sorted(n for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    assert len(charts) == 2
    content_types = package.read("[Content_Types].xml").decode()
    assert "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" in content_types
    document_rels = package.read("word/_rels/document.xml.rels").decode()
    assert document_rels.count("/relationships/chart") == 2
    seen = {}
    for name in charts:
        chart = etree.fromstring(package.read(name))
        rels = etree.fromstring(package.read(name.replace("charts/", "charts/_rels/") + ".rels"))
        external = chart.find(f"{{{C}}}externalData").get(f"{{{NS['r']}}}id")
        rel = next(r for r in rels if r.get("Id") == external)
        assert rel.get("Type").endswith("/relationships/package")
        workbook = openpyxl.load_workbook(
            io.BytesIO(package.read("word/" + rel.get("Target").lstrip("./")))
        )
        sheet = workbook["Data"]
        # Every cached value equals its cell in the embedded workbook.
        for ref in chart.iter(f"{{{C}}}numRef", f"{{{C}}}strRef"):
            formula = ref.find(f"{{{C}}}f").text
            cells = sheet[formula.split("!")[1].replace("$", "")]
            cells = [
                c
                for row in (cells if isinstance(cells, tuple) else ((cells,),))
                for c in (row if isinstance(row, tuple) else (row,))
            ]
            cached = [pt.find(f"{{{C}}}v").text for pt in ref.iter(f"{{{C}}}pt")]
            if ref.tag.endswith("numRef"):
                assert [Decimal(v) for v in cached] == [Decimal(str(c.value)) for c in cells]
            else:
                assert cached == [c.value for c in cells]
        # Bars read top-down in table order.
        assert (
            chart.find(f".//{{{C}}}catAx/{{{C}}}scaling/{{{C}}}orientation").get("val") == "maxMin"
        )
        seen[name] = [
            pt.find(f"{{{C}}}v").text for pt in chart.find(f".//{{{C}}}cat").iter(f"{{{C}}}pt")
        ]
    table = dataset.answers[3].tables[0]
    ranked = sorted(table.rows, key=lambda r: -r.values[0])
    # The 15 largest, largest first, and one bar for the 43 others (the workbook's chart).
    assert [r.label for r in ranked[:15]] + ["Overige (43)"] in seen.values()
    assert ["Kleine ondernemingen", "Middelgrote ondernemingen"] in seen.values()


def test_drawings_have_alt_text_and_unique_ids(brief_nl):
    document = etree.fromstring(zipfile.ZipFile(brief_nl).read("word/document.xml"))
    props = document.findall(".//wp:docPr", NS)
    assert len(props) == 2
    assert len({p.get("id") for p in props}) == len(props)
    for p in props:
        assert len(p.get("descr")) > 40
    assert "Gezondheidszorg (24.252)" in props[1].get("descr")


# -- validity, determinism ----------------------------------------------------------------


def test_valid_ooxml_nl_and_en(tmp_path, brief_nl):
    assert ooxml_problems(brief_nl, build(tmp_path, language="en")) == ""


def test_english_labels_and_formats(tmp_path, dataset):
    document = docx.Document(str(build(tmp_path, language="en")))
    assert [h for _, h in headings(document)][:3] == [
        "Key message",
        "Questions and answers",
        "Question 1",
    ]
    assert document.paragraphs[1].text == "Written question no. 835 of 24 September 2020"
    found = bullets(document)
    assert "69,215 enterprises" in found[0]
    assert "€56.8 million" in found[1]
    total = table_rows(document.tables[1])[-1]
    assert total[1] == "173,053" and total[3] == "56,813,023.08" and total[2] == "100.0%"


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    package = zipfile.ZipFile(first)
    assert {i.date_time for i in package.infolist()} == {(2020, 9, 24, 0, 0, 0)}
    core = package.read("docProps/core.xml").decode()
    assert core.count("2020-09-24T00:00:00Z") == 2  # created and modified; never printed
    assert "lastPrinted" not in core
    embedded = [n for n in package.namelist() if n.endswith(".xlsx")]
    for name in embedded:
        inner = zipfile.ZipFile(io.BytesIO(package.read(name)))
        assert "2020-09-24T00:00:00Z" in inner.read("docProps/core.xml").decode()


def test_source_date_epoch_sets_every_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = build(tmp_path)
    package = zipfile.ZipFile(path)
    assert {i.date_time for i in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert package.read("docProps/core.xml").decode().count("2023-11-14T22:13:20Z") == 2
    for name in (n for n in package.namelist() if n.endswith(".xlsx")):
        inner = zipfile.ZipFile(io.BytesIO(package.read(name)))
        assert "2023-11-14T22:13:20Z" in inner.read("docProps/core.xml").decode()


def test_generated_dutch_uses_curly_apostrophes(doc_nl):
    found = bullets(doc_nl)
    assert any("thema’s" in b for b in found)
    assert not [b for b in found if "'" in b]


def test_no_header_of_a_number_column_takes_more_than_two_lines(doc_nl):
    from kmo_export.brief.wordml import _PADDING, _two_lines

    for table in doc_nl.tables:
        grid = table._tbl.tblGrid.gridCol_lst
        for col, cell in list(zip(grid, table.rows[0].cells, strict=True))[1:]:
            assert col.w.twips >= _two_lines(cell.text) + _PADDING - 1, cell.text


def test_usage_chart_labels_share_one_number_format(brief_nl):
    package = zipfile.ZipFile(brief_nl)
    names = [n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
    assert names
    for name in names:
        chart = etree.fromstring(package.read(name))
        formats = {f.get("formatCode") for f in chart.iterfind(f".//{{{C}}}dLbls/{{{C}}}numFmt")}
        assert len(formats) == 1, formats
        assert chart.find(f".//{{{C}}}valAx/{{{C}}}title") is not None
