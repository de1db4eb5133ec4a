"""Number and date formats (Babel): Belgian Dutch and English."""

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
