"""Import of the layouts of issue 15: numbering, subject and introduction, opening and closing,
sub-questions, tables in place, prose that stays prose, the summary and its checks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kmo_export.cli import main
from kmo_export.errors import ImportTextError
from kmo_export.importer import import_source, import_text, parse_text
from kmo_export.limits import MAX_SUBJECT
from kmo_export.loader import load

from .import_support import data_tables

TEXTS = Path(__file__).parent / "import_texts"
D = Decimal


def _data(name: str) -> dict:
    path = TEXTS / name
    return parse_text(path.read_text(encoding="utf-8"), str(path))


def _blocks(answer: dict) -> list[str]:
    return ["table" if "table" in b else "text" for b in answer.get("content", [])]


# -- numbering -------------------------------------------------------------------------------


def test_numbers_alone_on_a_line_opening_and_closing():
    data = _data("number_alone.txt")
    assert data["subject"] == "Innovatiesteun - Doorlooptijd van aanvragen"
    assert data["introduction"][0].startswith("Ondernemers klagen over de lange wachttijd")
    assert data["introduction"][0].endswith("een beeld gekregen van de doorlooptijden.")
    assert [(q["number"], q["paragraphs"]) for q in data["questions"]] == [
        (1, ["Hoeveel aanvragen werden in 2024 ingediend?"]),
        (2, ["Wat was de gemiddelde doorlooptijd?"]),
        (3, ["Hoeveel aanvragen werden geweigerd?"]),
    ]
    assert data["opening"] == ["Hierbij mijn antwoord op de vragen 1 tot 3."]
    assert [(a["number"], a["content"]) for a in data["answers"]] == [
        (1, [{"text": "In 2024 werden 1.340 aanvragen ingediend."}]),
        (2, [{"text": "De gemiddelde doorlooptijd bedroeg 41 dagen."}]),
        (3, [{"text": "Er werden 212 aanvragen geweigerd, zie de bijlage."}]),
    ]
    assert data["closing"] == [
        "BIJLAGE 1 – Overzicht van de geweigerde aanvragen per reden",
        "Bijlage 2 – Toelichting bij de procedure",
    ]
    # The title runs into the introduction without a blank line: that split is a guess.
    assert any(no == 8 and "subject" in what for no, what in data["_guesses"])


def test_vraag_numbering_sub_questions_and_an_answer_to_two_questions():
    data = _data("vraag_numbering.txt")
    q2 = data["questions"][1]
    assert (q2["number"] == 2 and "paragraphs" not in q2) or q2["paragraphs"] == []
    assert q2["parts"] == [
        {"label": "a", "paragraphs": ["Hoeveel bedroeg de subsidie voor zwembaden?"]},
        {"label": "b", "paragraphs": ["Hoeveel bedroeg de subsidie voor sporthallen?"]},
    ]
    first, second = data["answers"]
    assert first["number"] == [1, 3]
    assert first["content"][0]["text"].startswith("Er kregen 63 gemeenten")
    assert second["number"] == 2
    assert [(p["label"], p["content"]) for p in second["parts"]] == [
        ("a", [{"text": "Voor zwembaden werd 14,2 miljoen euro toegekend."}]),
        ("b", [{"text": "Voor sporthallen werd 9,8 miljoen euro toegekend."}]),
    ]
    assert data["_guesses"] == []
    yaml_text = import_text((TEXTS / "vraag_numbering.txt").read_text(encoding="utf-8"))
    assert "  - number: [1, 3]\n" in yaml_text


def test_questions_in_one_block_with_the_title_and_the_introduction():
    data = _data("merged_block.txt")
    assert data["subject"] == (
        "Kinderbijslag - Uitbetalingen aan gezinnen in Vlaanderen en de termijn waarbinnen "
        "uitbetaald wordt"
    )
    assert data["introduction"] == [
        "De uitbetaling van het groeipakket loopt via vijf uitbetalingsactoren. Gezinnen melden "
        "dat de termijn tussen een wijziging en de uitbetaling sterk verschilt tussen de actoren. "
        "Ook de manier waarop gezinnen op de hoogte worden gebracht verschilt."
    ]
    assert [q["number"] for q in data["questions"]] == [1, 2, 3, 4]
    assert data["questions"][3]["paragraphs"] == [
        "Welke maatregelen worden genomen om de termijn in te korten?"
    ]
    assert [a["number"] for a in data["answers"]] == [1, 2, 3, 4]


def test_subject_is_never_longer_than_a_title():
    text = (TEXTS / "merged_block.txt").read_text(encoding="utf-8")
    long_title = " ".join(["Uitbetalingen aan gezinnen"] * 20)  # 540 characters, one line
    text = text.replace(
        "Kinderbijslag - Uitbetalingen aan gezinnen in Vlaanderen en de termijn waarbinnen\n"
        "uitbetaald wordt\n",
        long_title + "\n",
    )
    data = parse_text(text)
    assert len(data["subject"]) <= MAX_SUBJECT
    assert data["subject"].endswith("…")
    # Nothing is lost: the rest of the line starts the introduction.
    rest = data["introduction"][0]
    assert (data["subject"][:-1] + " " + rest).startswith(long_title)


def test_technical_questions_are_refused_by_name():
    path = TEXTS / "technical_questions.txt"
    with pytest.raises(ImportTextError) as info:
        parse_text(path.read_text(encoding="utf-8"), str(path))
    message = str(info.value)
    assert message.startswith(f"{path}: line 2: ")
    assert "technical questions" in message and "\n" not in message


# -- prose stays prose ---------------------------------------------------------------------------


def test_prose_lines_that_end_in_figures_are_no_table():
    data = _data("tempting_prose.txt")
    assert data_tables(data) == []
    first, second = data["answers"]
    text = first["content"][0]["text"]
    assert text.startswith("Het aantal behandelde dossiers bedroeg in 2022 47 en steeg in 2023")
    assert "termijn van 60 dagen." in text and "lag op 2.450 Dat is" in text
    assert second["content"][0]["text"].endswith("en in Limburg 25.")
    # The importer says where it kept figures as text.
    kept = [(no, what) for no, what in data["_guesses"] if "kept as text" in what]
    assert [no for no, _ in kept] == [17, 26]


STARTS = ["In", "Er", "Het", "De", "Voor", "Dat", "Van", "Sinds", "Samen", "Daarvan"]
WORDS = [
    "de", "het", "een", "aanvragen", "dossiers", "werden", "bedroeg", "in", "van", "voor",
    "ondernemingen", "steun", "termijn", "dagen", "gemiddeld", "ongeveer", "waarvan", "en",
    "tot", "op", "steeg", "daalde", "kregen", "subsidie", "euro", "procent", "per", "jaar",
    "Antwerpen", "Limburg", "Gent", "Vlaanderen", "het agentschap", "in totaal", "samen",
    "miljoen euro", "kmo's", "goedgekeurd", "ingediend", "behandeld", "geweigerd",
]  # fmt: skip
FIGURES = st.one_of(
    st.integers(1, 99).map(str),
    st.integers(1000, 999_999).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(1, 999).map(lambda n: f"{n // 10},{n % 10}"),
    st.integers(2015, 2025).map(lambda y: f"in {y}"),
)
PROSE_DOC = """aan JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

Steun - Overzicht

1. Hoeveel steun werd gegeven?

JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

ANTWOORD
op vraag nr. 5 van 3 maart 2024
van AN PEETERS

1. {body}
"""


@st.composite
def prose(draw):
    """Sentences as an answer writes them (words, then a figure, then words again), wrapped so
    that many lines end in a figure."""
    sentences = []
    for _ in range(draw(st.integers(1, 6))):
        tokens = [draw(st.sampled_from(STARTS))]
        for _ in range(draw(st.integers(1, 4))):
            tokens += draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
            tokens.append(draw(FIGURES))
            if draw(st.booleans()):  # "in 2022 47": a year and a figure side by side
                tokens.append(draw(FIGURES).removeprefix("in "))
        tokens += draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
        sentences.append(" ".join(tokens) + draw(st.sampled_from([".", ".", "?", ":"])))
    words = " ".join(sentences).split(" ")
    width = draw(st.integers(30, 90))
    lines, current = [], []
    for word in words:
        current.append(word)
        # Break after a figure whenever the line is long enough; else at the width.
        after_figure = word[:1].isdigit() and word[-1:].isdigit() and draw(st.booleans())
        if (after_figure and len(" ".join(current)) > 12) or len(" ".join(current)) >= width:
            lines.append(" ".join(current))
            current = []
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(prose())
def test_random_prose_with_figures_at_line_ends_never_yields_a_table(body):
    data = parse_text(PROSE_DOC.format(body=body), "prose.txt")
    assert data_tables(data) == []
    texts = [b["text"] for a in data["answers"] for b in a.get("content", [])]
    assert " ".join(texts).split() == body.split()


# -- tables in place -------------------------------------------------------------------------------


def test_tables_in_place_captions_ratio_periods_units_prose_total_groups():
    data = _data("table_structure.txt")
    one, two, three = data["answers"]
    assert _blocks(one) == ["text", "table", "text"]
    assert _blocks(two) == ["text", "table", "text"]
    assert _blocks(three) == ["text", "table"]
    years, provinces, measures = data_tables(data)

    assert (years["number"], years["caption"]) == ("1a", "Ondernemingen met steun per jaar")
    assert years["dimension"] == {"key": "year", "label": "Jaar", "kind": "period"}
    assert [m["label"] for m in years["measures"]] == ["# Limburg", "# Vlaanderen", "% Limburg"]
    assert [m["kind"] for m in years["measures"]] == ["count", "count", "percent"]
    keys = [m["key"] for m in years["measures"]]
    assert years["measures"][2]["ratio"] == keys[:2]
    assert [r["year"] for r in years["rows"]] == ["2021", "2022", "2023", "2025 (31/10)"]
    assert "total" not in years

    # No header row: columns named from the caption, never from the sentence before it.
    assert provinces["number"] == "2"
    assert provinces["dimension"]["label"] == "Provincie"
    assert [m["label"] for m in provinces["measures"]] == ["Steun", "Dossiers"]
    steun, dossiers = provinces["measures"]
    assert (steun["kind"], steun["unit"], steun["multiplier"]) == ("amount", "EUR", "million")
    assert dossiers["kind"] == "count"
    assert [r["steun"] for r in provinces["rows"]] == [
        D("3.5"),
        D("2.0"),
        D("3.0"),
        D("1.5"),
        D("2.5"),
    ]
    assert provinces["total"] == {
        "label": "Totaal",
        "values": {"steun": D("12.5")},
        "stated": "prose",
        "sentence": "In totaal werd in die periode voor 12,5 miljoen euro steun gegeven aan de "
        "provincies.",
    }
    guesses = " ".join(what for _, what in data["_guesses"])
    assert "without a header row" in guesses and "check them" in guesses

    # A two-level header: the groups, and the measures under each.
    assert measures["groups"] == [
        {"label": "OND", "measures": ["ond_aantal", "ond_steun"]},
        {"label": "ONTW", "measures": ["ontw_aantal", "ontw_steun"]},
    ]
    portfolio = measures["rows"][1]
    assert portfolio == {
        "maatregel": "Kmo-portefeuille",
        "ond_aantal": 120,
        "ond_steun": D("96000.00"),
        "ontw_aantal": 0,
        "ontw_steun": D("0.00"),
    }
    assert measures["total"]["values"] == {
        "ond_aantal": 140,
        "ond_steun": D("916000.00"),
        "ontw_aantal": 12,
        "ontw_steun": D("900000.00"),
    }


def test_not_available_cells_are_kept_as_the_source_writes_them():
    (table,) = data_tables(_data("not_available.txt"))
    assert [(r["goedgekeurd"], r["steun"]) for r in table["rows"]] == [
        (204, D("1530000.00")),
        ("n.v.t.", D("1210500.00")),
        ("–", "n.b."),
    ]
    # "n.b." is no default of format 2: the table declares its marks.
    assert table["missing_values"] == ["n.v.t.", "nvt", "n/a", "–", "-", "x", "n.b."]
    assert table["dimension"]["kind"] == "period"


# -- the summary, the checks, the source -----------------------------------------------------------


def test_summary_lists_tables_totals_and_guesses(tmp_path):
    target = tmp_path / "structure.yaml"
    result = CliRunner().invoke(
        main, ["import", str(TEXTS / "table_structure.txt"), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"wrote {target} (format 2)" in out
    assert "questions: 3 (1, 2, 3)" in out and "tables: 3" in out
    assert "Tabel 1a 'Ondernemingen met steun per jaar': 4 rows x 4 columns" in out
    assert "total 'Totaal' (in the text): steun 12.5 reconciles" in out
    assert "line 33: a table without a header row" in out


def test_summary_as_json_and_source_url(tmp_path):
    target = tmp_path / "structure.yaml"
    url = "https://www.vlaamsparlement.be/nl/parlementair-werk/schriftelijke-vragen/311"
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(TEXTS / "table_structure.txt"),
            "-o",
            str(target),
            "--json",
            "--source-url",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["url"] == url
    assert [t["rows"] for t in summary["tables"]] == [4, 5, 3]
    assert [t["columns"] for t in summary["tables"]] == [4, 3, 5]
    assert [t["number"] for t in summary["tables"]] == ["1a", "2", None]
    prose_total = summary["tables"][1]["total"]
    assert prose_total["stated"] == "prose" and prose_total["reconciles"] is True
    assert {g["line"] for g in summary["guesses"]} >= {21, 32, 33}
    written = target.read_text(encoding="utf-8")
    assert yaml.safe_load(written)["source"] == {"publisher": "Vlaams Parlement", "url": url}
    assert str(TEXTS) not in written.split("format: 2", 1)[1]  # no local path in the data


INCONSISTENT = """aan JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

Steun - Overzicht

1. Hoeveel steun ging naar elke provincie?

JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

ANTWOORD
op vraag nr. 9 van 3 maart 2024
van AN PEETERS

1. Het overzicht per provincie:

Provincie Aantal dossiers
Antwerpen 12
Limburg 7
Totaal 20
"""


def test_published_inconsistency_is_reported_kept_and_exits_1(tmp_path):
    source = tmp_path / "inconsistent.txt"
    source.write_text(INCONSISTENT, encoding="utf-8")
    target = tmp_path / "inconsistent.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert "DIFFERS from 19" in result.output
    assert (
        "reported total 20" in result.stderr
        and "differs from the sum of the rows 19" in result.stderr
    )
    # The total stays as published.
    assert "values: {dossiers: 20}" in target.read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", str(source), "-o", str(target), "--force", "--allow-inconsistent"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Warning: ")


ALL_TEXTS = sorted(
    p.name
    for p in TEXTS.glob("*.txt")
    if p.name not in ("technical_questions.txt", "decimal_point_refused.txt")
)


@pytest.mark.parametrize(
    "name",
    ALL_TEXTS,
)
def test_every_imported_text_checks_and_builds(tmp_path, name):
    from kmo_export.build import BuildOptions, build, check_many

    target = tmp_path / (Path(name).stem + ".yaml")
    result = import_source(TEXTS / name, target)
    assert result.inconsistencies == []
    dataset = load(target)
    assert dataset.subject and len(dataset.subject) <= MAX_SUBJECT
    (checked,) = check_many([target])  # as 'kmo-export check' does
    assert checked.valid and checked.warnings == [], (checked.errors, checked.warnings)
    built = build(target, BuildOptions(output_dir=tmp_path / "out", formats=("xlsx", "docx")))
    assert {w.path.suffix for w in built.outputs} == {".xlsx", ".docx"}


def test_one_unnumbered_answer_answers_every_question_and_an_annex_mid_answer_is_no_closing():
    text = (TEXTS / "number_alone.txt").read_text(encoding="utf-8")
    body = text.split("Hierbij mijn antwoord op de vragen 1 tot 3.\n", 1)[1]
    unnumbered = text.replace(body, "\nDe drie vragen worden samen beantwoord.\n")
    data = parse_text(unnumbered)
    (answer,) = data["answers"]
    assert answer["number"] == [1, 2, 3]
    assert "opening" not in data
    assert any("answer to questions [1, 2, 3]" in what for _, what in data["_guesses"])
    # "Bijlage 1: ..." inside answer 2, with answer 3 after it, stays in answer 2.
    mid = text.replace(
        "De gemiddelde doorlooptijd bedroeg 41 dagen.\n",
        "De gemiddelde doorlooptijd bedroeg 41 dagen.\n\nBijlage 1: de doorlooptijd per maand.\n",
    )
    data = parse_text(mid)
    assert [a["number"] for a in data["answers"]] == [1, 2, 3]
    assert data["answers"][1]["content"][-1] == {"text": "Bijlage 1: de doorlooptijd per maand."}
    assert data["closing"][0].startswith("BIJLAGE 1 –")


NUMBERED = """aan JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

Steun - Overzicht

{questions}

JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

ANTWOORD
op vraag nr. 5 van 3 maart 2024
van AN PEETERS

{answers}
"""
QUESTIONS = ["Hoeveel aanvragen waren er?", "Hoeveel werden goedgekeurd?", "Wat is de termijn?"]
ANSWERS = ["Er waren 40 aanvragen.", "Er werden 30 goedgekeurd.", "De termijn is 60 dagen."]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("{n}. {text}", [1, 2, 3]),
        ("{n}) {text}", [1, 2, 3]),
        ("{n}.\n{text}", [1, 2, 3]),
        ("Vraag {n}\n{text}", [1, 2, 3]),
        ("Vraag {n}: {text}", [1, 2, 3]),
        ("Antwoord op vraag {n}\n{text}", [1, 2, 3]),
    ],
)
def test_numbering_styles(style, expected):
    questions = "\n\n".join(
        style.format(n=n, text=q).replace("Antwoord op vraag", "Vraag")
        for n, q in enumerate(QUESTIONS, 1)
    )
    answers = "\n\n".join(style.format(n=n, text=a) for n, a in enumerate(ANSWERS, 1))
    data = parse_text(NUMBERED.format(questions=questions, answers=answers))
    assert [(q["number"], q["paragraphs"]) for q in data["questions"]] == [
        (n, [q]) for n, q in zip(expected, QUESTIONS, strict=True)
    ]
    assert [(a["number"], a["content"]) for a in data["answers"]] == [
        (n, [{"text": a}]) for n, a in zip(expected, ANSWERS, strict=True)
    ]


@pytest.mark.parametrize("joined", ["1 en 2.", "1-2.", "1, 2.", "Vraag 1 en 2", "1 & 2)"])
def test_an_answer_to_two_questions(joined):
    questions = "\n\n".join(f"{n}. {q}" for n, q in enumerate(QUESTIONS, 1))
    answers = f"{joined}\nEr waren 40 aanvragen, waarvan 30 goedgekeurd.\n\n3. {ANSWERS[2]}"
    data = parse_text(NUMBERED.format(questions=questions, answers=answers))
    assert [a["number"] for a in data["answers"]] == [[1, 2], 3]


def test_a_table_without_header_or_caption_never_takes_a_sentence_as_label():
    questions = "1. Hoeveel steun ging naar elke provincie?"
    answers = (
        "1. In totaal werd in die periode voor 2.450 dossiers steun gegeven, verdeeld per "
        "provincie als volgt\n\n"
        "Antwerpen 1.200 3.400.000,00\nLimburg 650 1.250.000,00\nGent 600 980.000,00\n"
    )
    data = parse_text(NUMBERED.format(questions=questions, answers=answers))
    (table,) = data_tables(data)
    labels = [table["dimension"]["label"], *(m["label"] for m in table["measures"])]
    assert labels == ["Provincie", "Aantal", "Waarde"]  # no euro sign: no claim of money
    assert all(len(label.split()) <= 2 for label in labels)
    # The count in the sentence is the table's total, stated in the text.
    assert table["total"]["values"] == {"aantal": 2450}
    assert table["total"]["stated"] == "prose"
    assert any("without a header row" in what for _, what in data["_guesses"])


def test_a_rounded_figure_in_the_text_is_no_total():
    questions = "1. Hoeveel steun ging naar elke provincie?"
    answers = (
        "1. In totaal werd ruim 3,5 miljoen euro toegekend.\n\n"
        "Provincie Dossiers Bedrag (€)\nAntwerpen 12 2.012.345,00\nLimburg 8 1.500.000,00\n"
    )
    data = parse_text(NUMBERED.format(questions=questions, answers=answers))
    (table,) = data_tables(data)
    assert "total" not in table
    (note,) = [what for _, what in data["_guesses"] if "the text states" in what]
    assert "'3,5 miljoen euro'" in note and "3512345.00 (agrees within its rounding)" in note


def test_a_url_on_a_line_of_its_own_is_the_source_url():
    url = "https://www.vlaamsparlement.be/nl/parlementair-werk/schriftelijke-vragen/1234"
    text = (TEXTS / "merged_block.txt").read_text(encoding="utf-8")
    text = text.replace("uitbetaald wordt\n", f"uitbetaald wordt\n\n{url}\n\n", 1)
    data = parse_text(text)
    assert data["source"]["url"] == url
    assert url not in " ".join(data["introduction"])
    # A URL given by the user wins.
    assert parse_text(text, url="https://example.org/q")["source"]["url"] == "https://example.org/q"
