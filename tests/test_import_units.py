"""Import: the unit a caption or the sentence before a table states ("(in duizend euro)",
"in euro", "(x 1.000 euro)", "(€)", "k€") for the columns that hold money, and the minister's
signature at the end of the answer, left out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kmo_export.build import check_many
from kmo_export.importer import import_source, parse_text
from kmo_export.importer.kinds import money_header, stated_unit
from kmo_export.loader import load

from .import_support import data_tables

TEXTS = Path(__file__).parent / "import_texts"
UNITS = TEXTS / "units_and_signature.txt"
D = Decimal


# (label, kind, unit, multiplier) of every measure of a table as parse_text gives it.
def _measures(table: dict) -> list[tuple]:
    return [(m["label"], m["kind"], m.get("unit"), m.get("multiplier")) for m in table["measures"]]


# Every paragraph of every answer (its content and its parts).
def _paragraphs(data: dict) -> list[str]:
    out = []
    for a in data["answers"]:
        blocks = [*a.get("content", []), *(b for p in a.get("parts", []) for b in p["content"])]
        out += [b["text"] for b in blocks if "text" in b]
    return out


def test_units_said_beside_a_table_apply_to_its_money_columns_only():
    data = parse_text(UNITS.read_text(encoding="utf-8"), str(UNITS))
    tables = data_tables(data)
    assert [_measures(t) for t in tables] == [
        # "(in duizend euro)" in the caption: whole figures under "Bedrag" are thousands of euro.
        [
            ("Dossiers", "count", None, None),
            ("Bedrag", "amount", "EUR", "thousand"),
            ("Aandeel", "percent", None, None),
        ],
        # "De bedragen in euro ..." in the sentence before, no caption.
        [("Aantal aanvragen", "count", None, None), ("Subsidie", "amount", "EUR", None)],
        # "(x 1.000 euro)": the amounts granted and paid, not the projects.
        [
            ("Vastgelegd", "amount", "EUR", "thousand"),
            ("Uitbetaald", "amount", "EUR", "thousand"),
            ("Projecten", "count", None, None),
        ],
        # "(€)": euro, no multiplier.
        [("Kostprijs", "amount", "EUR", None), ("Deelnemers", "count", None, None)],
        # "k€": thousands; "Index" names neither money nor a count and keeps its whole figures.
        [("Budget", "amount", "EUR", "thousand"), ("Index", "count", None, None)],
    ]
    # "4.310" is 4310 (a thousands point), the share still the amount's share.
    first = tables[0]
    assert [r["amount"] for r in first["rows"]] == [D(4310), D(2005), D(3420), D(1880), D(2712)]
    assert first["total"]["values"]["amount"] == D(14327)
    assert first["measures"][2]["share_of"] == "amount"
    assert tables[1]["rows"][1]["subsidie"] == D("980500")
    notes = [what for _, what in data["_guesses"]]
    assert "column 'Bedrag' read as 'in duizend euro' (said beside the table)" in notes
    assert "column 'Kostprijs' read as '(€)' (said beside the table)" in notes
    assert not any("Dossiers" in n or "Projecten" in n or "Index" in n for n in notes)


def test_imported_units_and_no_signature_in_the_written_yaml_and_the_loaded_dataset(tmp_path):
    target = tmp_path / "units.yaml"
    result = import_source(UNITS, target)
    assert result.inconsistencies == []
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    amount = written["answers"][0]["content"][1]["table"]["measures"][1]
    assert amount == {
        "key": "amount",
        "label": "Bedrag",
        "kind": "amount",
        "unit": "EUR",
        "multiplier": "thousand",
        "decimals": 0,
    }
    assert "JO BROUNS" not in target.read_text(encoding="utf-8").split("answers:", 1)[1]
    dataset = load(target)
    table = dataset.answer(1).tables[0]  # type: ignore[union-attr]
    amount_column = next(c for c in table.columns if c.key == "amount")
    assert amount_column.type == "amount"
    assert amount_column.unit == "EUR"
    assert dataset.answer(5).paragraphs == ("Het budget per regio staat in tabel 5.",)  # type: ignore[union-attr]
    (checked,) = check_many([target])
    assert checked.valid and checked.warnings == []


def test_signature_at_the_end_of_the_answer_is_left_out():
    data = parse_text(UNITS.read_text(encoding="utf-8"))
    assert data["answers"][-1]["content"][0] == {"text": "Het budget per regio staat in tabel 5."}
    assert len(data["answers"][-1]["content"]) == 2  # the sentence and table 5, nothing after
    assert not any("BROUNS" in p or "MINISTER" in p for p in _paragraphs(data))
    assert (70, "'JO BROUNS' taken as the minister's signature: left out") in data["_guesses"]


SIGNED = """aan JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

Steun - Overzicht

1. Hoeveel aanvragen waren er?

JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

ANTWOORD
op vraag nr. 5 van 3 maart 2024
van AN PEETERS

1. Er waren 40 aanvragen.
{end}
"""


@pytest.mark.parametrize(
    ("end", "kept"),
    [
        ("\nJO BROUNS", []),
        ("\nJo Brouns", []),  # the addressee's name in any case
        ("\nJO BROUNS\nVLAAMS MINISTER VAN ECONOMIE", []),  # with the title below it
        ("JO BROUNS", []),  # right after a finished sentence
        ("\nHILDE CREVITS\nVLAAMS MINISTER VAN WELZIJN", []),  # another minister signs
        ("\n\n\nJO BROUNS\n\n", []),
        ("\nKMO PORTEFEUILLE\nJO BROUNS", ["KMO PORTEFEUILLE"]),  # the name starts it
        # Not a signature: an annex, a word in capitals, a line with a figure, an unfinished sentence.
        ("\nBIJLAGE OVERZICHT", ["BIJLAGE OVERZICHT"]),
        ("\nVLAIO", ["VLAIO"]),
        ("\nBIJLAGE 2 TABELLEN", ["BIJLAGE 2 TABELLEN"]),
        ("\nDe steun ging naar\nKMO PORTEFEUILLE", ["De steun ging naar KMO PORTEFEUILLE"]),
        ("\nDat is alles.", ["Dat is alles."]),
    ],
)
def test_signature_variants(end, kept):
    data = parse_text(SIGNED.format(end=end))
    paragraphs = _paragraphs(data) + data.get("closing", [])
    assert paragraphs == ["Er waren 40 aanvragen.", *kept]
    signed = [what for _, what in data["_guesses"] if "signature" in what]
    assert len(signed) == (0 if kept and "BROUNS" not in end else 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Steun per provincie (in duizend euro)", ("thousand", "in duizend euro", True)),
        ("De bedragen in miljoen euro.", ("million", "in miljoen euro", True)),
        ("bedragen in k€", ("thousand", "in k€", True)),
        ("Steun (in mln EUR)", ("million", "in mln EUR", True)),
        ("De bedragen in euro.", (None, "in euro", False)),
        ("Steun (in €)", (None, "in €", False)),
        ("Steun (x 1.000 euro)", ("thousand", "x 1.000 euro", False)),
        ("Steun (€ x 1.000.000)", ("million", "€ x 1.000.000", False)),
        ("Steun (in 1.000 euro)", ("thousand", "(in 1.000 euro", False)),
        ("Steun (€)", (None, "(€)", False)),
        ("Steun, k€", ("thousand", "k€", False)),
        ("Steun in KEUR", ("thousand", "in KEUR", True)),
        # No unit: an amount in a sentence, a multiplier without euro, a word beginning "euro".
        ("Elke kmo kreeg 5.000 euro.", None),
        ("Aantal (x 1.000)", None),
        ("De steun in eurocent", None),
        ("Dossiers per regio", None),
    ],
)
def test_stated_unit(text, expected):
    assert stated_unit(text) == expected


@pytest.mark.parametrize(
    ("label", "money"),
    [
        ("Bedrag", True),
        ("Subsidie", True),
        ("Steun", True),
        ("Budget", True),
        ("Kostprijs", True),
        ("Toegekend", True),
        ("Vastgelegd", True),
        ("Steunbedrag", True),
        ("Toegekende steun", True),
        ("Bedrag per dossier", True),  # the first word decides
        ("Uitgaven (€)", True),
        ("Dossiers", False),
        ("Aantal dossiers", False),
        ("Aantal toegekende subsidies", False),
        ("Dossiers met steun", False),
        ("Toegekende ondernemingen", False),
        ("Ondersteunde bedrijven", False),
        ("# projecten", False),
        ("Index", None),
        ("2023", None),
        ("Aandeel", None),
    ],
)
def test_money_header(label, money):
    assert money_header(label) is money


UNIT_TABLE = """aan JO BROUNS
VLAAMS MINISTER VAN ECONOMIE

Steun - Overzicht

1. Hoeveel steun ging naar elke regio?

ANTWOORD
op vraag nr. 5 van 3 maart 2024
van AN PEETERS

1. {before}

Regio {headers}
Kempen {kempen}
Westhoek {westhoek}

{after}
"""


@pytest.mark.parametrize(
    ("before", "headers", "after", "expected"),
    [
        # Today's reading is kept: a header that names nothing gets "in <multiplier> euro"
        # when its figures are no whole numbers, never when they are.
        ("Het overzicht (in miljoen euro).", "Waarde", "", [("amount", "EUR", "million")]),
        ("Het overzicht (in duizend euro).", "Waarde", "", [("count", None, None)]),
        # A unit without a multiplier names no money for a header that does not.
        ("Het overzicht (in euro).", "Waarde", "", [("number", None, None)]),
        ("Het overzicht (in euro).", "Bedrag", "", [("amount", "EUR", None)]),
        # After the table, only "in <multiplier> euro" counts (as before); "(€)" does not.
        ("Het overzicht.", "Bedrag", "Zie ook de tabel hierboven (€).", [("number", None, None)]),
        ("Het overzicht.", "Bedrag", "De bedragen staan in miljoen euro.",
         [("amount", "EUR", "million")]),
        # A money column that goes below zero is a number in euro, not an amount.
        ("Het saldo (in duizend euro).", "Bedrag", "", [("number", "EUR", "thousand")]),
    ],
)  # fmt: skip
def test_unit_beside_one_table(tmp_path, before, headers, after, expected):
    negative = "saldo" in before
    kempen, westhoek = ("12,5", "-3,5") if negative else ("12,5", "7,5")
    if "duizend" in before and not negative:
        kempen, westhoek = "125", "75"
    text = UNIT_TABLE.format(
        before=before, headers=headers, after=after, kempen=kempen, westhoek=westhoek
    )
    (table,) = data_tables(parse_text(text))
    assert [(m["kind"], m.get("unit"), m.get("multiplier")) for m in table["measures"]] == expected
    source = tmp_path / "one.txt"
    source.write_text(text, encoding="utf-8")
    assert import_source(source, tmp_path / "one.yaml").inconsistencies == []
    load(tmp_path / "one.yaml")
