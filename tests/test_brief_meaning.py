"""The brief follows what each figure means (format-2 model built in Python, read back with
python-docx): periods in order and never ranked, no sum of a measure that does not add up, units
in the headers, two-level headers, wide tables on landscape pages, not-available cells as the
source writes them, stated figures and inconsistencies in the key message."""

from __future__ import annotations

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from babel.numbers import parse_decimal
from lxml import etree

from kmo_export.brief import load_template, render_docx
from kmo_export.brief.wordml import _needs
from kmo_export.model import (
    Answer,
    CellRef,
    CheckKind,
    Column,
    ColumnGroup,
    ColumnType,
    Dataset,
    DimensionKind,
    Figure,
    FigureCheck,
    NotAvailable,
    Part,
    Question,
    Report,
    Row,
    Table,
    TotalSource,
)

from .builders import model_dataset
from .conftest import ooxml_problems

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NBSP = "\u00a0"
D = Decimal
COUNT, AMOUNT, PERCENT = ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.PERCENT


def nl(text: str) -> Decimal:
    return parse_decimal(text.replace(NBSP, "").replace("%", "").strip(), "nl_BE")


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def label(key: str, text: str, **extra) -> Column:
    return Column(key, text, ColumnType.LABEL, **extra)


def dataset(name: str, *answers: Answer, figures=(), questions=None) -> Dataset:
    return model_dataset(*answers, path=Path(f"{name}.yaml"), figures=figures, questions=questions)


def render(tmp_path: Path, data: Dataset, language: str = "nl") -> Path:
    out = tmp_path / f"{data.path.stem}-{language}.docx"
    render_docx(Report(data, language), out, load_template(None))
    return out


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def bullets(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "List Bullet"]


def charts(path: Path) -> list[etree._Element]:
    package = zipfile.ZipFile(path)
    names = sorted(
        (n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)", n).group(1)),
    )
    return [etree.fromstring(package.read(n)) for n in names]


def categories(chart) -> list[str]:
    cat = chart.find(f".//{{{C}}}cat")
    return [pt.find(f"{{{C}}}v").text for pt in cat.iter(f"{{{C}}}pt")]


YEARS = ["2020", "2021", "2022", "2023", "2024", "2025 (31/10)"]
LIMBURG = [31, 28, 34, 30, 36, 22]
FLANDERS = [318, 301, 327, 334, 352, 241]
SHARE = ["9.7", "9.3", "10.4", "9.0", "10.2", "9.1"]


def year_series(additive: bool | None = None, total=(120, 1225, "9.8")) -> Table:
    return Table(
        "per_year",
        (
            label("year", "Jaar", label_en="Year"),
            Column("limburg", "# Limburg", COUNT, additive=additive),
            Column("flanders", "# Vlaanderen", COUNT, label_en="# Flanders", additive=additive),
            Column("share", "% Limburg", PERCENT, decimals=1, ratio=("limburg", "flanders")),
        ),
        [
            Row(y, (D(a), D(b), D(s)))
            for y, a, b, s in zip(YEARS, LIMBURG, FLANDERS, SHARE, strict=True)
        ],
        caption="Ondersteunde ondernemingen per jaar",
        caption_en="Firms supported per year",
        total_label="Totaal 2020-2025 (unieke ondernemingen)",
        reported_total=tuple(D(str(v)) for v in total),
        dimension=DimensionKind.PERIOD,
        number="2a",
    )


def test_a_year_series_is_never_summed_ranked_or_sorted(tmp_path):
    data = dataset("jaren", Answer(1, content=("De tabel.", year_series(), "Na de tabel.")))
    path = render(tmp_path, data)
    document = docx.Document(str(path))
    table = rows_of(document.tables[0])
    assert table[0] == ["Jaar", "# Limburg", "# Vlaanderen", "% Limburg"]
    assert [r[0] for r in table[1:-1]] == YEARS  # published order, no share or rank column
    # The total row as published: unique firms, not the sum of the years (179).
    assert table[-1] == ["Totaal 2020-2025 (unieke ondernemingen)", "120", "1.225", f"9,8{NBSP}%"]
    assert sum(LIMBURG) == 181
    found = bullets(document)
    assert not [b for b in found if "181" in b or "1.873" in b]  # no sum of the years
    assert not [b for b in found if b.startswith("Samen")]
    assert "Totaal 2020-2025 (unieke ondernemingen): 120 (# Limburg)" in found[0]
    # Columns in period order (never sorted by size), the percentage as a line on a 2nd axis.
    (chart,) = charts(path)
    assert categories(chart) == YEARS
    assert chart.find(f".//{{{C}}}barChart/{{{C}}}barDir").get("val") == "col"
    line = chart.find(f".//{{{C}}}lineChart")
    assert line is not None and line.find(f".//{{{C}}}tx//{{{C}}}v").text == "% Limburg"
    values = [pt.find(f"{{{C}}}v").text for pt in line.find(f".//{{{C}}}val").iter(f"{{{C}}}pt")]
    assert [D(v) for v in values] == [D(s) / 100 for s in SHARE]
    descr = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "in de volgorde van de tabel, van 2020 tot 2025 (31/10)" in descr
    # The text after the table stays after it (published order).
    texts = [p.text for p in document.paragraphs]
    assert texts.index("De tabel.") < texts.index("Tabel 2a. Ondersteunde ondernemingen per jaar")
    assert texts.index("Na de tabel.") > texts.index(
        "Tabel 2a. Ondersteunde ondernemingen per jaar"
    )


def test_an_inconsistent_published_total_is_named_in_one_sentence(tmp_path):
    table = year_series(additive=True, total=(184, 1877, "9.8"))  # rows: 181 and 1.873
    path = render(tmp_path, dataset("fout", Answer(1, content=(table,))))
    document = docx.Document(str(path))
    found = bullets(document)
    warnings = [b for b in found if b.startswith("Let op")]
    assert warnings == [
        "Let op: het gepubliceerde totaal van tabel 2a is niet de som van de rijen: # Limburg "
        "is 3 hoger (184 tegenover 181) en # Vlaanderen is 4 hoger (1.877 tegenover 1.873)."
    ]
    assert not [b for b in found if b.startswith("Samen")]  # no total stated as a fact
    total = document.tables[0].rows[-1]
    assert [c.text for c in total.cells][1:3] == ["1841", "1.8772"]  # published, with markers
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert notes[0].startswith("1 # Limburg") and "181" in notes[0]


def test_provinces_in_million_euro_with_a_total_in_the_prose(tmp_path):
    sentence = "In totaal werden in 2024 1.412 projecten gesteund voor 137,8 miljoen euro."
    provinces = [
        ("Antwerpen", 486, "48.3"),
        ("Limburg", 203, "19.8"),
        ("Oost-Vlaanderen", 352, "31.7"),
        ("Vlaams-Brabant", 231, "22.4"),
        ("West-Vlaanderen", 140, "15.6"),
    ]
    table = Table(
        "per_province",
        (
            label("province", "Provincie"),
            Column("projects", "Aantal projecten", COUNT),
            Column("amount", "Toegekende steun", AMOUNT, "EUR", 1, multiplier=6),
        ),
        [Row(p, (D(n), D(a))) for p, n, a in provinces],
        caption="Strategische ecologiesteun per provincie, 2024",
        reported_total=(D(1412), D("137.8")),
        total_source=TotalSource.PROSE,
        total_sentence=sentence,
        dimension=DimensionKind.CATEGORY,
    )
    path = render(tmp_path, dataset("provincies", Answer(1, content=(sentence, table))))
    document = docx.Document(str(path))
    rows = rows_of(document.tables[0])
    assert rows[0] == [
        "Provincie",
        "Aantal projecten",
        "Aandeel (%)",
        "Toegekende steun (miljoen €)",
    ]
    assert rows[-1][0] == "Totaal (uit de tekst)" and rows[-1][3] == "137,8"
    total = sum(n for _, n, _ in provinces)
    ranked = sorted(provinces, key=lambda p: -p[1])
    for cells, (_, n, _) in zip(rows[1:-1], provinces, strict=True):
        assert nl(cells[2]) == q(D(n) / total * 100, 1)
    found = bullets(document)
    assert found[0].replace(NBSP, " ") == (
        "Samen 1.412 projecten en € 137,8 miljoen (toegekende steun), verdeeld over 5 provincies."
    )
    assert found[1].startswith(f"De grootste provincies naar aantal projecten: {ranked[0][0]}")
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert any(sentence in n for n in notes)
    # Bars by size, the largest first; no 'other' bar (every province is shown).
    (chart,) = charts(path)
    assert categories(chart) == [p for p, _, _ in ranked]


GROUPS = ("OND", "ONTW", "ICON")


def two_level() -> Table:
    columns = [label("year", "Jaar", label_en="Year")]
    for g in GROUPS:
        k = g.lower()
        columns += [
            Column(f"{k}_lim", "# Limburg", COUNT, additive=True, group=g),
            Column(f"{k}_tot", "# totaal", COUNT, label_en="# total", additive=True, group=g),
            Column(f"{k}_pct", "% Limburg", PERCENT, 1, ratio=(f"{k}_lim", f"{k}_tot"), group=g),
        ]
    data = [
        ("2021", 14, 162, "8.6", 41, 498, "8.2", 3, 38, "7.9"),
        ("2022", 17, 171, "9.9", 47, 512, "9.2", 5, 41, "12.2"),
    ]
    return Table(
        "per_instrument",
        tuple(columns),
        [Row(r[0], tuple(D(str(v)) for v in r[1:])) for r in data],
        caption="Goedgekeurde O&O-projecten per instrument en per jaar",
        caption_en="R&D projects approved per instrument and year",
        total_label="Totaal",
        reported_total=tuple(
            D(v) for v in ("31", "333", "9.3", "88", "1010", "8.7", "8", "79", "10.1")
        ),
        dimension=DimensionKind.PERIOD,
        groups=tuple(
            ColumnGroup(g, (f"{g.lower()}_lim", f"{g.lower()}_tot", f"{g.lower()}_pct"))
            for g in GROUPS
        ),
    )


def test_a_two_level_header_on_a_landscape_page_and_clustered_columns(tmp_path):
    path = render(tmp_path, dataset("groepen", Answer(1, content=("Tekst.", two_level()))))
    document = docx.Document(str(path))
    tbl = document.tables[0]._tbl
    spans = tbl.xpath("./w:tr[1]/w:tc[w:tcPr/w:gridSpan]")
    assert ["".join(tc.xpath(".//w:t/text()")) for tc in spans] == list(GROUPS)
    assert {tc.find(f"{{{W}}}tcPr/{{{W}}}gridSpan").get(f"{{{W}}}val") for tc in spans} == {"3"}
    assert len(tbl.xpath("./w:tr[w:trPr/w:tblHeader]")) == 2  # both header rows repeat
    lower = ["".join(tc.xpath(".//w:t/text()")) for tc in tbl.xpath("./w:tr[2]/w:tc")]
    assert lower == [""] + ["# Limburg", "# totaal", "% Limburg"] * 3
    # Nine number columns: the table has a landscape section of its own.
    body = list(document.element.body)
    at = body.index(tbl)
    before = [e for e in body[:at] if e.xpath("./w:pPr/w:sectPr")][-1]
    after = next(e for e in body[at:] if e.xpath("./w:pPr/w:sectPr"))
    assert not before.xpath(".//w:pgSz[@w:orient='landscape']")
    assert after.xpath(".//w:pgSz[@w:orient='landscape']")
    # One series per group, the years in order: the analysis's first two plans.
    first, second = charts(path)
    names = [t.text for t in first.iterfind(f".//{{{C}}}ser/{{{C}}}tx//{{{C}}}v")]
    assert names == list(GROUPS) and categories(first) == ["2021", "2022"]
    assert first.find(f".//{{{C}}}barDir").get("val") == "col"
    assert [t.text for t in second.iterfind(f".//{{{C}}}ser/{{{C}}}tx//{{{C}}}v")] == list(GROUPS)
    assert ooxml_problems(path) == ""


def test_english_uses_the_english_labels_and_group_names(tmp_path):
    path = render(tmp_path, dataset("groepen", Answer(1, content=(two_level(),))), "en")
    document = docx.Document(str(path))
    lower = [c.text for c in document.tables[0].rows[1].cells]
    assert lower[1:4] == ["# Limburg", "# total", "% Limburg"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Table 1. R&D projects approved per instrument and year"


def test_not_available_blank_and_zero_stay_three_different_things(tmp_path):
    table = Table(
        "per_instrument",
        (
            label("instrument", "Instrument"),
            Column("y2022", "2022", COUNT),
            Column("y2023", "2023", COUNT),
        ),
        [
            Row("Kmo-portefeuille", (D(38412), D(40107))),
            Row("Transformatiesubsidie", (NotAvailable("n.v.t."), D(212))),
            Row("Coronapremie", (D(125), D(0))),
            Row("Investeringssteun", (NotAvailable("x"), None)),
        ],
        caption="Goedgekeurde dossiers per instrument",
        dimension=DimensionKind.CATEGORY,
    )
    path = render(tmp_path, dataset("nvt", Answer(1, content=(table,))))
    document = docx.Document(str(path))
    rows = rows_of(document.tables[0])
    assert rows[2][1] == "n.v.t." and rows[3][2] == "0" and rows[4][1:] == ["x", ""]
    # No sum: a withheld or blank cell would make it wrong, and the source gives none.
    assert rows[-1][0] == "Investeringssteun"
    assert not [b for b in bullets(document) if "40.107" in b or "40.319" in b]
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert any("‘n.v.t.’ en ‘x’: niet beschikbaar" in n for n in notes)
    assert any("lege cel" in n for n in notes)


def test_stated_figures_first_and_a_contradicted_one_named(tmp_path):
    said = "In 2023 werden 1.250 aanvragen ingediend: 40 onontvankelijk, 1.211 goedgekeurd."
    rate = "Het goedkeuringspercentage bedroeg 96,9 %."
    figures = [
        Figure(
            "submitted",
            1,
            D(1250),
            COUNT,
            "ingediende aanvragen",
            said,
            period="2023",
            check=FigureCheck(CheckKind.SUM, figures=("inadmissible", "approved")),
        ),
        Figure("inadmissible", 1, D(40), COUNT, "onontvankelijk", said, period="2023"),
        Figure("approved", 1, D(1211), COUNT, "goedgekeurd", said, period="2023"),
        Figure(
            "rate",
            1,
            D("96.9"),
            PERCENT,
            "goedkeuringspercentage",
            rate,
            what_en="approval rate",
            period="2023",
            check=FigureCheck(CheckKind.RATIO, figures=("approved", "submitted")),
        ),
    ]
    data = dataset("cijfers", Answer(1, content=(said, rate)), figures=figures)
    document = docx.Document(str(render(tmp_path, data)))
    found = bullets(document)
    assert found[0] == rate  # 1.211 / 1.250 = 96,88 %: true, and stated first
    assert said not in found  # 40 + 1.211 = 1.251, not 1.250: not repeated as a fact
    assert found[-1] == (
        "Let op: het antwoord vermeldt 1.250 (ingediende aanvragen), maar de som van de delen "
        "geeft 1.251."
    )
    english = bullets(docx.Document(str(render(tmp_path, data, "en"))))
    assert english[0] == "2023: 96.9% approval rate."


def test_answers_keep_their_published_order_parts_and_shared_answers(tmp_path):
    questions = (
        Question(1, ("Hoeveel?",)),
        Question(2, ("Welk bedrag?",), (Part("a", ("Per jaar?",)), Part("b", ("Per provincie?",)))),
        Question(3, ("Nog iets?",)),
    )
    answers = (
        Answer(1, content=("Samen beantwoord.", year_series(), "Tussen de tabellen."), also=(2,)),
        Answer(3, parts=(Part("a", content=("Eerste deel.",)), Part("b", content=("Tweede.",)))),
    )
    data = dataset("volgorde", *answers, questions=questions)
    texts = [p.text for p in docx.Document(str(render(tmp_path, data))).paragraphs]
    order = [
        "Vraag 1",
        "Vraag 2",
        "a) Per jaar?",
        "b) Per provincie?",
        "Antwoord op de vragen 1 en 2",
        "Samen beantwoord.",
        "Tabel 2a. Ondersteunde ondernemingen per jaar",
        "Tussen de tabellen.",
        "Vraag 3",
        "a) Eerste deel.",
        "b) Tweede.",
    ]
    assert [t for t in texts if t in order] == order


def wide() -> Table:
    columns = [label("municipality", "Gemeente")]
    columns += [Column(f"c{i}", f"Aanvragen kmo-portefeuille {i}", COUNT) for i in range(8)]
    columns.append(Column("pct", "% goedgekeurd", PERCENT, 1))
    columns.append(Column("eur", "Subsidie kmo-portefeuille", AMOUNT, "EUR", 2))
    rows = [
        Row(name, (*(D(1000 + 7 * i + j) for j in range(8)), D("97.8"), D("402804.65")))
        for i, name in enumerate(["Lommel", "Hamont-Achel", "Hechtel-Eksel"])
    ]
    return Table("wide", tuple(columns), rows, caption="Per gemeente")


def test_a_wide_table_goes_landscape_and_breaks_no_number_or_word(tmp_path):
    path = render(tmp_path, dataset("breed", Answer(1, content=(wide(),))))
    document = docx.Document(str(path))
    table = document.tables[0]
    tbl = table._tbl
    body = list(document.element.body)
    after = next(e for e in body[body.index(tbl) :] if e.xpath("./w:pPr/w:sectPr"))
    assert after.xpath(".//w:pgSz[@w:orient='landscape']")
    sizes = {int(s) for s in tbl.xpath(".//w:rPr/w:sz/@w:val")} or {18}
    (size,) = sizes  # one font size for the whole table
    from kmo_export.brief.wordml import Cell

    grid = [int(g) for g in tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    cells = [[Cell(c.text, i > 0) for i, c in enumerate(r.cells)] for r in table.rows]
    least = _needs(cells[0], cells[1:-1], cells[-1], size / 2)[0]
    assert all(g >= m - 1 for g, m in zip(grid, least, strict=True))
    assert table.rows[0].cells[-1].text == "Subsidie kmo-portefeuille (€)"  # the unit
    assert table.rows[0].cells[-2].text == "% goedgekeurd"  # no unit added to a percentage


def test_format_2_briefs_are_valid_ooxml(tmp_path):
    sentence = "Zie tabel."
    data = dataset(
        "alles",
        Answer(1, content=(sentence, year_series(), two_level(), wide())),
        figures=[
            Figure(
                "n",
                1,
                D(36),
                COUNT,
                "ondernemingen",
                sentence,
                period="2024",
                check=FigureCheck(CheckKind.CELL, CellRef("per_year", "limburg", "2024")),
            )
        ],
    )
    assert ooxml_problems(render(tmp_path, data), render(tmp_path, data, "en")) == ""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_chart_has_alt_text_saying_the_order(tmp_path, language):
    data = dataset("alt", Answer(1, content=(year_series(), two_level())))
    document = etree.fromstring(
        zipfile.ZipFile(render(tmp_path, data, language)).read("word/document.xml")
    )
    descr = [
        p.get("descr")
        for p in document.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(descr) == 3
    word = "volgorde van de tabel" if language == "nl" else "order of the table"
    assert all(word in d for d in descr)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Rijlabels", "De grootste aandelen in aantal dossiers: Industrie"),  # a pivot's default
        ("Sector", "De grootste sectoren naar aantal dossiers: Industrie"),
        ("Sector en subsector", "De grootste aandelen in aantal dossiers per sector en subsector"),
    ],
)
def test_the_largest_rows_are_named_by_the_row_header_only_where_it_names_them(
    tmp_path, header, expected
):
    counts = [("Industrie", 300), ("Bouw", 239), ("Diensten", 209), ("Handel", 162)]
    table = Table(
        "per_sector",
        (label("sector", header), Column("files", "Aantal dossiers", COUNT)),
        [Row(s, (D(n),)) for s, n in counts],
        dimension=DimensionKind.CATEGORY,
    )
    path = render(tmp_path, dataset("draaitabel", Answer(1, content=(table,))))
    found = bullets(docx.Document(str(path)))
    assert found[1].startswith(expected), found


def test_a_row_that_gathers_the_rest_is_no_category_of_its_own(tmp_path):
    counts = [("Industrie", 300), ("Overige sectoren", 420), ("Bouw", 239), ("Diensten", 209)]
    counts += [("Handel", 162), ("Onbekend", 3)]
    table = Table(
        "per_sector",
        (label("sector", "Sector"), Column("files", "Aantal dossiers", COUNT)),
        [Row(s, (D(n),)) for s, n in counts],
        dimension=DimensionKind.CATEGORY,
    )
    path = render(tmp_path, dataset("rest", Answer(1, content=(table,))))
    total, largest = bullets(docx.Document(str(path)))[:2]
    assert total.endswith("verdeeld over 4 sectoren, plus overige sectoren en onbekend."), total
    named = re.findall(r"([A-Z][\w ]+?) \(([\d,]+)\u00a0%\)", largest)
    total_files = sum(n for _, n in counts)
    assert [(name, nl(share)) for name, share in named] == [
        (name, q(Decimal(n) / total_files * 100, 1))
        for name, n in (("Industrie", 300), ("Bouw", 239), ("Diensten", 209))
    ]  # the share is still of every row's sum: "Overige" is part of the total, not a rival


@pytest.mark.parametrize(
    ("cells", "charted"),
    [
        ([["x", 7, 9], [5, 6, 8], [3, 2, "n.v.t."]], "2023"),  # the most figures
        ([[4, 7, 9], [5, 6, 8], [3, 2, 1]], "2024"),  # all complete: the latest year
    ],
)
def test_a_category_table_with_a_column_per_year_charts_its_most_complete_latest_year(
    tmp_path, cells, charted
):
    years = ("2022", "2023", "2024")
    table = Table(
        "per_instrument",
        (
            label("instrument", "Instrument"),
            *(Column(f"y{y}", y, COUNT, additive=False) for y in years),
        ),
        [
            Row(name, tuple(NotAvailable(v) if isinstance(v, str) else D(v) for v in values))
            for name, values in zip(("KMO", "Groei", "Corona"), cells, strict=True)
        ],
        dimension=DimensionKind.CATEGORY,
    )
    path = render(tmp_path, dataset("jaren", Answer(1, content=(table,))))
    captions = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Caption"]
    assert [c for c in captions if c.startswith("Figuur")] == [
        f"Figuur 1. {charted} per instrument"
    ]


def test_a_budget_change_in_thousand_euro_is_money_that_goes_both_ways(tmp_path):
    import openpyxl

    from kmo_export.workbook import render_xlsx

    table = Table(
        "budget",
        (
            label("item", "Programma"),
            Column("initial", "Initieel", AMOUNT, "EUR", multiplier=3),
            Column("change", "Verschil", ColumnType.NUMBER, "EUR", multiplier=3, additive=True),
        ),
        [Row("A", (D(1000), D(-200))), Row("B", (D(500), D(50))), Row("C", (D(100), D(300)))],
        dimension=DimensionKind.CATEGORY,
    )
    data = dataset("begroting", Answer(1, content=(table,)))
    document = docx.Document(str(render(tmp_path, data)))
    header = rows_of(document.tables[0])[0]
    assert header == ["Programma", "Initieel (duizend €)", "Aandeel (%)", "Verschil (duizend €)"]
    assert rows_of(document.tables[0])[1][3] == "-200"
    workbook = tmp_path / "begroting.xlsx"
    render_xlsx(Report(data, "nl"), workbook)
    sheet = next(ws for ws in openpyxl.load_workbook(workbook) if ws.title != "Over deze cijfers")
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert not [h for h in cells if h.startswith("Aandeel") and "erschil" in h]
    assert "Som van de rijen" in cells and "Totaal" not in cells  # no total is published
    change = cells["Verschil"]
    code = sheet.cell(change.row + 1, change.column).number_format
    assert '"k"' in code and "€" in code, code


def test_a_partial_period_is_drawn_grey_and_said_so_in_both_outputs(tmp_path):
    from kmo_export.workbook import render_xlsx

    years = ["2021", "2022", "2023", "2024 (tot 30/6)"]
    table = Table(
        "per_year",
        (label("year", "Jaar"), Column("firms", "Begunstigde ondernemingen", COUNT)),
        [Row(y, (D(n),)) for y, n in zip(years, (410, 452, 471, 198), strict=True)],
        dimension=DimensionKind.PERIOD,
    )
    data = dataset("periode", Answer(1, content=(table,)))
    path = render(tmp_path, data)
    workbook = tmp_path / "periode.xlsx"
    render_xlsx(Report(data, "nl"), workbook)
    grey = "A5A5A5"
    for package, chart_name, drawing in (
        (path, "word/charts/chart1.xml", "word/document.xml"),
        (workbook, "xl/charts/chart1.xml", "xl/drawings/drawing1.xml"),
    ):
        with zipfile.ZipFile(package) as z:
            chart = etree.fromstring(z.read(chart_name))
            points = {
                int(p.find(f"{{{C}}}idx").get("val")): p.find(f".//{{{A}}}srgbClr").get("val")
                for p in chart.iter(f"{{{C}}}dPt")
            }
            assert points == {3: grey}, (package.name, points)  # only the partial year
            descr = z.read(drawing).decode()
            assert "De grijze kolom (2024 (tot 30/6)) is geen volledige of definitieve" in descr


def test_a_computed_share_beside_a_published_percentage_says_it_is_computed(tmp_path):
    table = Table(
        "per_province",
        (
            label("province", "Provincie"),
            Column("files", "Dossiers", COUNT),
            Column("amount", "Bedrag", AMOUNT, "EUR", 0, multiplier=3),
            Column("pct", "Groei", PERCENT, decimals=1),
        ),
        [
            Row("Antwerpen", (D(142), D(4310), D("6.6"))),
            Row("Limburg", (D(71), D(2805), D("3.4"))),
        ],
        dimension=DimensionKind.CATEGORY,
    )
    document = docx.Document(str(render(tmp_path, dataset("aandeel", Answer(1, content=(table,))))))
    header = rows_of(document.tables[0])[0]
    assert "Aandeel (%, berekend)" in header and "Aandeel (%)" not in header, header


@pytest.mark.parametrize(
    ("language", "total", "evolution"),
    [
        ("nl", "Samen 62 goedgekeurde OND-projecten in Limburg", "Goedgekeurde OND-projecten in"),
        ("en", "In all 62 approved OND projects in Limburg", "Approved OND projects in Limburg:"),
    ],
)
def test_a_measure_says_what_it_counts_where_the_dataset_says_so(
    tmp_path, language, total, evolution
):
    what = {"what": "goedgekeurde OND-projecten in Limburg"}
    what_en = {"what_en": "approved OND projects in Limburg"}
    table = Table(
        "per_year",
        (
            label("year", "Jaar", label_en="Year"),
            Column("ond", "# Limburg", COUNT, additive=True, group="OND", **what, **what_en),
        ),
        [Row(y, (D(n),)) for y, n in (("2021", 14), ("2022", 17), ("2023", 12), ("2024", 19))],
        dimension=DimensionKind.PERIOD,
    )
    found = bullets(
        docx.Document(str(render(tmp_path, dataset("wat", Answer(1, content=(table,))), language)))
    )
    assert found[0].startswith(total) and "#" not in found[0], found
    assert found[1].startswith(evolution) and "19" in found[1], found


def test_every_bar_keeps_its_label_and_long_labels_get_room(tmp_path):
    from kmo_export.workbook import render_xlsx

    def table(names):
        rows = [Row(n, (D(100 - 10 * k),)) for k, n in enumerate(names)]
        columns = (label("i", "Instrument"), Column("n", "Dossiers", COUNT))
        return Table("t", columns, rows, dimension=DimensionKind.CATEGORY)

    short = ["A", "B", "C", "D", "E", "F"]
    long = [f"Strategische transformatiesteun {k}" for k in range(6)]
    heights = []
    for names in (short, long):
        data = dataset("balken", Answer(1, content=(table(names),)))
        path = render(tmp_path, data)
        workbook = tmp_path / "balken.xlsx"
        render_xlsx(Report(data, "nl"), workbook)
        for package, chart in (
            (path, "word/charts/chart1.xml"),
            (workbook, "xl/charts/chart1.xml"),
        ):
            with zipfile.ZipFile(package) as z:
                skip = etree.fromstring(z.read(chart)).find(f".//{{{C}}}catAx/{{{C}}}tickLblSkip")
                assert skip is not None and skip.get("val") == "1", package.name
        with zipfile.ZipFile(path) as z:
            extent = etree.fromstring(z.read("word/document.xml")).find(
                ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
            )
            heights.append(int(extent.get("cy")))
    assert heights[1] > heights[0] * 1.3  # labels that wrap onto two lines get taller rows


def test_two_partial_periods_are_said_in_the_plural(tmp_path):
    years = ["2022", "2023 (raming)", "2024 (tot 30/6)"]
    table = Table(
        "per_year",
        (label("year", "Jaar"), Column("firms", "Ondernemingen", COUNT)),
        [Row(y, (D(n),)) for y, n in zip(years, (410, 452, 198), strict=True)],
        dimension=DimensionKind.PERIOD,
    )
    path = render(tmp_path, dataset("perioden", Answer(1, content=(table,))))
    with zipfile.ZipFile(path) as z:
        descr = z.read("word/document.xml").decode()
    assert (
        "De grijze kolommen (2023 (raming) en 2024 (tot 30/6)) zijn geen volledige of "
        "definitieve periodes." in descr
    )
