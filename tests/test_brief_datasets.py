"""The brief on generated datasets: several tables, hostile text, inconsistent totals, big tables."""

from __future__ import annotations

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from babel.numbers import parse_decimal

from kmo_export.analysis import analyse
from kmo_export.brief import load_template, render_docx
from kmo_export.build import BuildOptions
from kmo_export.build import build as build_dataset
from kmo_export.loader import load, read_dataset
from kmo_export.model import Report
from kmo_export.validate import validate

from .builders import questionnaire, write_dataset
from .conftest import ooxml_problems

NBSP = "\u00a0"


def nl(text: str) -> Decimal:
    return parse_decimal(text.replace(NBSP, "").replace("%", "").strip(), "nl_BE")


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def dataset(tmp_path: Path, name: str, answers: list[dict], **extra) -> Path:
    fields = {
        "number": 1234,
        "date": "2024-03-05",
        "asked_by": "An Vraagsteller",
        "addressed_to": {"name": "Jan Minister", "title": "Vlaams minister van Begroting"},
        "subject": "Begroting - Technische vragen",
        "introduction": ["Een inleiding."],
        **extra,
    }
    data = questionnaire(answers, question=lambda number: f"Vraag over {number}?", **fields)
    return write_dataset(tmp_path / f"{name}.yaml", data)


def render(path: Path, language: str = "nl", **options) -> Path:
    out = path.with_name(f"{path.stem}-{language}.docx")
    render_docx(Report(read_dataset(path), language, **options), out, load_template(None))
    return out


def rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


MULTI = [
    {
        "number": 1,
        "paragraphs": ["Hieronder twee tabellen."],
        "tables": [
            {
                "id": "provincies",
                "caption": "Tabel 2a. Dossiers per provincie",
                "columns": [
                    {"key": "provincie", "label": "Provincie", "type": "label"},
                    {"key": "dossiers", "label": "Dossiers", "type": "count"},
                    {"key": "bedrag", "label": "Bedrag (€)", "type": "amount", "unit": "EUR"},
                ],
                "rows": [
                    ["Antwerpen", 120, Decimal("10500.25")],
                    ["Limburg", 45, Decimal("3999.75")],
                    ["Oost-Vlaanderen", 98, Decimal("8800.00")],
                    ["Vlaams-Brabant", 77, Decimal("6100.10")],
                    ["West-Vlaanderen", 101, Decimal("9050.90")],
                ],
                "total": {"label": "Totaal", "dossiers": 441, "bedrag": Decimal("38451.00")},
            },
            {
                "id": "begroting",
                "caption": "Tabel 2b. Kredieten per begrotingsartikel",
                "columns": [
                    {"key": "artikel", "label": "Begrotingsartikel", "type": "label"},
                    {
                        "key": "krediet",
                        "label": "Krediet (mln)",
                        "type": "amount",
                        "unit": "EUR million",
                        "decimals": 3,
                    },
                    {"key": "aandeel", "label": "Aandeel (%)", "type": "percent", "decimals": 2},
                ],
                "rows": [
                    {
                        "artikel": "5425: Subsidies",
                        "krediet": Decimal("12.500"),
                        "aandeel": Decimal("62.50"),
                    },
                    {
                        "artikel": "Waarvan lokale besturen",
                        "krediet": Decimal("4.000"),
                        "aandeel": None,
                        "level": 1,
                    },
                    {
                        "artikel": "2025 (31/10)",
                        "krediet": Decimal("7.500"),
                        "aandeel": Decimal("37.49"),
                    },
                ],
                "total": {
                    "label": "Eindtotaal",
                    "krediet": Decimal("20.000"),
                    "aandeel": Decimal("99.99"),
                },
                "notes": ["Cijfers tot en met 31 oktober."],
            },
        ],
    },
    {"number": 2, "paragraphs": ["Geen tabel bij dit antwoord."]},
]


@pytest.fixture(scope="module")
def multi(tmp_path_factory) -> Path:
    return dataset(tmp_path_factory.mktemp("multi"), "begroting", MULTI)


def test_several_tables_each_under_its_answer(multi):
    assert validate(load(multi)) == []
    document = docx.Document(str(render(multi)))
    texts = [p.text for p in document.paragraphs]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Tabel 2a. Dossiers per provincie"
    assert captions[2] == "Tabel 2b. Kredieten per begrotingsartikel"
    assert captions[1].startswith("Figuur 1.") and captions[3].startswith("Figuur 2.")
    assert texts.index("Vraag 2") > texts.index(captions[3])  # both tables under answer 1
    assert "Bijlage" not in texts  # short tables stand in full under their answer
    first, second = rows(document.tables[0]), rows(document.tables[1])
    assert first[0] == [
        "Provincie",
        "Dossiers",
        "Aandeel (%)",
        "Bedrag (€)",
        "Gemiddeld per dossier (€)",
    ]
    data = MULTI[0]["tables"][0]["rows"]
    total = sum(r[1] for r in data)
    for cells, row in zip(first[1:-1], data, strict=True):
        assert cells[0] == row[0]
        assert nl(cells[1]) == row[1]
        assert nl(cells[2]) == q(Decimal(row[1]) / total * 100, 1)
        assert nl(cells[3]) == row[2]
        assert nl(cells[4]) == q(row[2] / row[1], 2)
    assert first[-1][:2] == ["Totaal", "441"] and first[-1][3] == "38.451,00"
    # The second table: a hierarchy, an empty cell, percentages as written, its notes.
    assert second[0] == [
        "Begrotingsartikel",
        "Krediet (mln)",
        "Aandeel (%, berekend)",  # the computed share beside the published one
        "Aandeel (%)",
    ]
    assert [c[0] for c in second[1:]] == [
        "5425: Subsidies",
        "Waarvan lokale besturen",
        "2025 (31/10)",
        "Eindtotaal",
    ]
    assert second[1][1] == "12,500" and second[2][3] == "" and second[3][3] == f"37,49{NBSP}%"
    assert second[-1][1] == "20,000" and second[-1][3] == f"99,99{NBSP}%"
    assert nl(second[1][2]) == q(Decimal("12.5") / 20 * 100, 1)  # detail row left out of the sum
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert "Cijfers tot en met 31 oktober." in notes
    assert any("Ingesprongen rijen" in n for n in notes)
    assert any("lege cel" in n for n in notes)
    # No key figures: the key message still comes from the tables.
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets and "441" in bullets[0]


def test_multi_table_brief_is_valid_ooxml(multi):
    assert ooxml_problems(render(multi), render(multi, "en")) == ""


HOSTILE = [
    '=HYPERLINK("http://evil.example","klik")',
    "=cmd|' /C calc'!A0",
    "+32 2 123",
    "-5 korting",
    "@SUM(A1:A2)",
    "<&>\"' en ]]>",
    "\tTab vooraan",
    "Tab\tin het midden",
]


def test_hostile_text_stays_inert(tmp_path):
    answers = [
        {
            "number": 1,
            "paragraphs": [HOSTILE[0], HOSTILE[5]],
            "tables": [
                {
                    "id": "t",
                    "columns": [
                        {"key": "label", "label": "<Label & co>", "type": "label"},
                        {"key": "n", "label": "=Aantal", "type": "count"},
                    ],
                    "rows": [[text, 10 + i] for i, text in enumerate(HOSTILE)],
                }
            ],
        }
    ]
    path = dataset(tmp_path, "hostile", answers, subject=HOSTILE[5])
    out = render(path)
    assert ooxml_problems(out) == ""
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == HOSTILE[5]
    assert document.core_properties.title == HOSTILE[5]
    texts = [p.text for p in document.paragraphs]
    assert HOSTILE[0] in texts
    table = rows(document.tables[0])
    labels = [c[0] for c in table[1:-1]]
    assert labels == [t.strip() for t in HOSTILE]  # the loader trims; a tab inside stays
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml  # no field was made
    assert "<w:hyperlink" not in xml


def test_inconsistent_total_shows_reported_value_and_a_footnote(tmp_path):
    answers = [
        {
            "number": 1,
            "paragraphs": ["Tabel."],
            "tables": [
                {
                    "id": "t",
                    "columns": [
                        {"key": "label", "label": "Thema", "type": "label"},
                        {"key": "n", "label": "Dossiers", "type": "count"},
                        {"key": "eur", "label": "Bedrag (€)", "type": "amount", "unit": "EUR"},
                    ],
                    "rows": [["A", 10, Decimal("100.00")], ["B", 5, Decimal("50.01")]],
                    "total": {"label": "Totaal", "n": 15, "eur": Decimal("150.00")},
                }
            ],
        }
    ]
    path = dataset(tmp_path, "inconsistent", answers)
    assert analyse(read_dataset(path)).table("t").failed_total_checks
    out = render(path, allow_inconsistent=True)
    document = docx.Document(str(out))
    total = rows(document.tables[0])[-1]
    assert total[3] == "150,001"  # the reported total as published, then the note marker "1"
    marker = document.tables[0].rows[-1].cells[3].paragraphs[0].runs[-1]
    assert marker.text == "1" and marker.font.superscript
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    note = next(n for n in notes if n.startswith("1 "))
    computed = Decimal("100.00") + Decimal("50.01")
    assert f"{computed}".replace(".", ",") in note
    assert "-0,01" in note and "150,00" in note
    assert ooxml_problems(out) == ""


def test_long_table_is_shortened_in_the_annex_with_a_note(tmp_path):
    n = 2_000
    answers = [
        {
            "number": 1,
            "paragraphs": ["Veel rijen."],
            "tables": [
                {
                    "id": "big",
                    "columns": [
                        {"key": "label", "label": "Code", "type": "label"},
                        {"key": "n", "label": "Dossiers", "type": "count"},
                    ],
                    "rows": [[f"Code {i:05d}", (i * 7919) % 1000 + 1] for i in range(n)],
                }
            ],
        }
    ]
    path = dataset(tmp_path, "groot", answers)
    table = load(path).answers[0].tables[0]
    out = render(path, top_n=10)
    document = docx.Document(str(out))
    top, annex = rows(document.tables[0]), rows(document.tables[1])
    ranked = sorted(table.rows, key=lambda r: -r.values[0])
    assert [c[0] for c in top[1:11]] == [r.label for r in ranked[:10]]
    assert len(annex) == 1 + 100 + 2  # header, the 100 largest, other, total
    assert [c[0] for c in annex[1:101]] == [r.label for r in ranked[:100]]
    assert annex[101][0] == "Overige (1.900)"
    assert nl(annex[101][1]) == sum(r.values[0] for r in ranked[100:])
    assert nl(annex[-1][1]) == sum(r.values[0] for r in table.rows)
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert any("2.000 rijen" in t and "groot.xlsx" in t for t in notes)
    assert ooxml_problems(out) == ""


def test_bad_template_fails_before_anything_is_written(tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    out = tmp_path / "out"
    from kmo_export.errors import TemplateError

    with pytest.raises(TemplateError):
        build_dataset(
            Path(__file__).resolve().parent.parent / "data" / "kmo-portefeuille-2019.yaml",
            BuildOptions(output_dir=out, formats=("xlsx", "docx"), template=plain),
        )
    assert not out.exists() or not any(out.iterdir())


# -- wording, totals, notes and charts of a brief whose tables are not about themes ---------


def generated(document) -> list[str]:
    """The sentences the brief writes itself: bullets, figure captions, notes, source line."""
    own = {n for a in MULTI for t in a.get("tables", []) for n in t.get("notes", [])}
    out = []
    for p in document.paragraphs:
        style = p.style.name
        note = style == "Table Note" and p.text not in own
        figure = style == "Caption" and p.text.startswith(("Figuur", "Figure"))
        if style in ("List Bullet", "Source") or note or figure:
            out.append(p.text)
    return out


@pytest.fixture(scope="module")
def inconsistent(tmp_path_factory) -> Path:
    import copy

    answers = copy.deepcopy(MULTI)
    answers[0]["tables"][0]["total"]["dossiers"] = 442  # the rows add up to 441
    return dataset(tmp_path_factory.mktemp("inconsistent"), "begroting-442", answers)


def test_wording_comes_from_the_table_not_from_themes(multi):
    document = docx.Document(str(render(multi)))
    texts = generated(document)
    assert not [t for t in texts if "thema" in t.lower() or "project" in t.lower()]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0].startswith("Samen 441 dossiers en ") and "5 provincies" in bullets[0]
    assert bullets[1].startswith("De grootste provincies naar dossiers: Antwerpen")
    assert rows(document.tables[0])[0][-1] == "Gemiddeld per dossier (€)"
    source = document.paragraphs[-1].text
    assert "benutting" not in source and "aandelen en gemiddelden" in source


def test_english_sentences_quote_the_dutch_column_labels(multi, tmp_path):
    from kmo_export.brief.wording import lower_first

    bundled = Path(__file__).resolve().parent.parent / "data" / "kmo-portefeuille-2019.yaml"
    out = tmp_path / "bundled-en.docx"
    render_docx(Report(read_dataset(bundled), "en"), out, load_template(None))
    for path, source in ((render(multi, "en"), multi), (out, bundled)):
        labels = {c.label for _, t in read_dataset(source).tables for c in t.columns}
        for text in generated(docx.Document(str(path))):
            outside = re.sub(r"“[^”]*”", "", text)
            for label in labels:
                assert label not in outside and lower_first(label) not in outside, (label, text)
    bullets = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "List Bullet"]
    assert "across 58 categories" in bullets[1] and "“Aantal projecten”" in bullets[-1]


def test_inconsistent_total_derives_from_the_rows_like_the_workbook(inconsistent):
    document = docx.Document(str(render(inconsistent, allow_inconsistent=True)))
    total = document.tables[0].rows[-1]
    cells = [c.text for c in total.cells]
    assert cells[1] == "4421"  # the reported 442, then its note marker
    assert total.cells[1].paragraphs[0].runs[-1].font.superscript
    assert cells[2] == f"100,0{NBSP}%"  # not 100,2 %: shares are of the sum of the rows
    # The average on the total row divides the totals as published (the analysis's rule).
    assert nl(cells[4]) == q(Decimal("38451.00") / 442, 2)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    # The inconsistent total is named in one sentence, and no sum sentence states it.
    warning = [b for b in bullets if "442" in b]
    assert len(warning) == 1 and "441" in warning[0] and warning[0].startswith("Let op")
    assert "tabel 2a" in warning[0] and "1 hoger" in warning[0]
    assert not [b for b in bullets if b.startswith("Samen") and "dossiers" in b]
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    assert notes[0].startswith("1 ") and "442" in notes[0]


def test_notes_keep_with_their_table(inconsistent):
    document = docx.Document(str(render(inconsistent, allow_inconsistent=True)))
    body = list(document.element.body)
    for table in document.tables:
        at = body.index(table._tbl)
        follower = body[at + 1]
        if not follower.xpath("./w:pPr/w:pStyle[@w:val='TableNote']"):
            continue
        for p in table.rows[-1]._tr.xpath(".//w:p"):
            assert p.xpath("./w:pPr/w:keepNext"), "the last row keeps with its note"
    # The table's own note comes before the generic ones.
    notes = [p.text for p in document.paragraphs if p.style.name == "Table Note"]
    own = notes.index("Cijfers tot en met 31 oktober.")
    assert own < next(i for i, n in enumerate(notes) if n.startswith("Ingesprongen"))
    assert own < next(i for i, n in enumerate(notes) if "lege cel" in n)


def test_chart_value_axis_has_a_title_with_the_unit(multi):
    package = zipfile.ZipFile(render(multi))
    titles = []
    for name in sorted(
        n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)
    ):
        chart = package.read(name).decode()
        axis = re.search(r"<c:valAx>.*</c:valAx>", chart, re.S).group(0)
        titles.append("".join(re.findall(r"<a:t>([^<]*)</a:t>", axis)))
    assert titles == ["Aantal dossiers", "miljoen €"]


def test_a_tiny_share_is_not_shown_as_zero(tmp_path):
    answers = [
        {
            "number": 1,
            "paragraphs": ["Tabel."],
            "tables": [
                {
                    "id": "t",
                    "columns": [
                        {"key": "regio", "label": "Regio", "type": "label"},
                        {"key": "n", "label": "Dossiers", "type": "count"},
                    ],
                    "rows": [["Groot", 99_990], ["Klein", 10], ["Leeg", 0]],
                }
            ],
        }
    ]
    path = dataset(tmp_path, "klein", answers)
    table = rows(docx.Document(str(render(path))).tables[0])
    assert table[2][2] == f"<{NBSP}0,1{NBSP}%"  # 0,01 %
    assert table[3][2] == f"0,0{NBSP}%"  # a share that is zero stays zero
    en = rows(docx.Document(str(render(path, "en"))).tables[0])
    assert en[2][2] == f"<{NBSP}0.1%"
