"""Number and date formats: Belgian Dutch and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kmo_export import formatting as fmt

NBSP = "\u00a0"


def test_belgian_dutch():
    assert fmt.number(24252) == "24.252"
    assert fmt.number(Decimal("7029304.65"), decimals=2) == "7.029.304,65"
    assert fmt.percent(Decimal("988.70") / 10000) == f"9,9{NBSP}%"
    assert fmt.money_short(Decimal("56813023.08")) == f"€{NBSP}56,8 miljoen"
    assert fmt.money(10000, decimals=0) == f"€{NBSP}10.000"
    assert fmt.money(Decimal("988.7")) == f"€{NBSP}988,70"
    assert fmt.date(dt.date(2020, 9, 24)) == "24 september 2020"
    assert fmt.join(["a", "b", "c"]) == "a, b en c"


def test_english():
    assert fmt.number(24252, "en") == "24,252"
    assert fmt.number(Decimal("7029304.65"), "en", 2) == "7,029,304.65"
    assert fmt.percent(Decimal("0.0989"), "en") == "9.9%"
    assert fmt.money_short(Decimal("56813023.08"), "en") == "€56.8 million"
    assert fmt.date(dt.date(2020, 9, 24), "en") == "24 September 2020"


def test_rounding_is_half_up():
    assert fmt.number(Decimal("0.125"), decimals=2) == "0,13"
    assert fmt.percent(Decimal("0.1225")) == f"12,3{NBSP}%"
    assert fmt.money_short(Decimal("1250000")) == f"€{NBSP}1,3 miljoen"
    assert fmt.money_short(Decimal("999999.5")) == f"€{NBSP}999.999,50"


def test_a_share_too_small_to_show_is_below_a_tenth():
    assert fmt.share(Decimal("0.0001")) == f"<{NBSP}0,1{NBSP}%"
    assert fmt.share(Decimal("0.0005")) == f"0,1{NBSP}%"  # rounds half-up to 0,1 %
    assert fmt.share(Decimal(0)) == f"0,0{NBSP}%"
    assert fmt.share(Decimal("0.0001"), "en") == f"<{NBSP}0.1%"


def test_dutch_words_from_column_labels():
    from kmo_export.brief.wording import count_noun, dutch_plural, dutch_singular

    assert dutch_plural("Thema") == "thema’s"
    assert dutch_plural("Provincie") == "provincies"
    assert dutch_plural("Begrotingsartikel") == "begrotingsartikels"
    assert dutch_plural("Categorie") == "categorieën"
    assert dutch_plural("Systeem") is None and dutch_plural("Type onderneming") is None
    assert (
        count_noun("Aantal projecten") == "projecten" and count_noun("Dossiers (n)") == "dossiers"
    )
    assert dutch_singular("projecten") == "project" and dutch_singular("dossiers") == "dossier"
    assert dutch_singular("aanvragen") is None and dutch_singular("bedrijven") is None


def test_more_dutch_plurals_and_pivot_labels():
    from kmo_export.brief.wording import count_noun, dutch_plural, english_plural, without_unit

    assert dutch_plural("Sector") == "sectoren" and dutch_plural("Opleiding") == "opleidingen"
    assert dutch_plural("Instrument") == "instrumenten" and dutch_plural("Jaar") is None
    assert english_plural("Province") == "provinces" and english_plural("Category") == "categories"
    assert english_plural("# Limburg") is None
    assert without_unit("Som van Subsidie") == "Subsidie"  # an Excel pivot's field name
    assert count_noun("Som van Aantal dossiers") == "dossiers"


def test_headers_carry_their_unit_and_a_percentage_none_other():
    from kmo_export.brief.wording import Words, currency
    from kmo_export.model import Column, ColumnType

    nl, en = Words("nl"), Words("en")
    steun = Column("a", "Toegekende steun", ColumnType.AMOUNT, "EUR", 1, multiplier=6)
    assert nl.header(steun) == "Toegekende steun (miljoen €)"
    assert en.header(steun) == "Toegekende steun (€ million)"
    assert nl.header(Column("b", "Bedrag", ColumnType.AMOUNT)) == "Bedrag (€)"  # no unit: euro
    assert nl.header(Column("c", "Bedrag (€)", ColumnType.AMOUNT, "EUR")) == "Bedrag (€)"
    assert nl.header(Column("d", "% Limburg", ColumnType.PERCENT, "EUR")) == "% Limburg"
    assert nl.header(Column("e", "Aandeel", ColumnType.PERCENT)) == "Aandeel (%)"
    assert nl.header(Column("f", "Doorlooptijd", ColumnType.NUMBER, "dagen")) == (
        "Doorlooptijd (dagen)"
    )
    assert nl.header(Column("g", "Dossiers", ColumnType.COUNT)) == "Dossiers"
    # Format 1's declared "EUR million" is million euro; the amount in words as people say it.
    legacy = Column("h", "Krediet", ColumnType.AMOUNT, "EUR million", 3)
    assert currency(legacy) == ("EUR", 6)
    assert nl.amount(Decimal("137.8"), steun) == f"€{NBSP}137,8 miljoen"
    assert en.amount(Decimal("12.5"), legacy) == "€12.5 million"


def test_wordml_says_what_it_is_asked():
    from kmo_export.brief import wordml

    assert "<w:keepNext/>" in wordml.paragraph("Normal", "", keep_next=True)
    assert "<w:keepNext/>" not in wordml.paragraph("Normal", "")
    assert '<w:spacing w:before="120" w:after="0"/>' in wordml.paragraph(
        "N", "", before=120, after=0
    )
    assert "<w:b/>" in wordml.run("x", bold=True) and 'w:val="nl-BE"' in wordml.run(
        "x", language="nl-BE"
    )
    assert wordml.run("<&>") == '<w:r><w:t xml:space="preserve">&lt;&amp;&gt;</w:t></w:r>'
    page = wordml.A4.turned()
    assert page.landscape and page.text_width == 16838 - 2 * 1418
    template = (
        '<w:sectPr xmlns:w="x"><w:headerReference r:id="rId1"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:left="1418"/></w:sectPr>'
    )
    breaking = wordml.section_break("Normal", template, page)
    assert '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in breaking
    assert breaking.count("<w:pgSz") == 1 and '<w:headerReference r:id="rId1"/>' in breaking
    assert breaking.index("<w:type") < breaking.index("<w:pgSz") < breaking.index("<w:pgMar")


def test_a_wide_table_is_set_smaller_only_as_far_as_it_must():
    from kmo_export.brief import wordml
    from kmo_export.brief.wordml import Cell

    header = [Cell("Gemeente")] + [Cell(f"Aanvragen kmo-portefeuille {i}", True) for i in range(9)]
    rows = [[Cell("Hamont-Achel")] + [Cell("2.906.515,77", True) for _ in range(9)]]
    assert wordml.font_size(header[:3], rows[:1], None, 9070) == 9  # a narrow table: 9 pt
    size = wordml.font_size([c for c in header], [r for r in rows], None, 14002)
    assert 7 <= size < 9
    assert wordml.least_width(header, rows, None, size) <= 14002
    assert wordml.least_width(header, rows, None, size + 0.5) > 14002
    # A header breaks after a hyphen, never inside a number.
    assert wordml.least_width([Cell("kmo-portefeuille", True)], [], None) < wordml.least_width(
        [Cell("kmoportefeuille", True)], [], None
    )
