"""kmo_export.formatting writes what Babel writes, character for character.

The package formats from the ``[formatting]`` facts of its catalogues, without Babel; Babel (a
dev dependency) is the independent oracle here: each expected text below is Babel's, for the
catalogue's ``locale`` (nl_BE, en_GB), composed as the package composed it when it formatted
through Babel (half-up rounding on the Decimal first, the catalogue's percent and euro words).
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, parse_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

from kmo_export import formatting as fmt
from kmo_export.labels import labels

LANGUAGES = ("nl", "en")
DECIMALS = range(5)


def half_up(value: Decimal | int, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def babel_locale(language: str) -> Locale:
    return Locale.parse(labels(language).locale)


def babel_number(value: Decimal | int, language: str, decimals: int) -> str:
    fraction = "." + "0" * decimals if decimals else ""
    return parse_pattern(f"#,##0{fraction}").apply(
        half_up(value, decimals), babel_locale(language), decimal_quantization=True
    )


def babel_percent(fraction: Decimal, language: str, decimals: int) -> str:
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern = parse_pattern(labels(language).get("brief.format.percent", number=digits))
    return pattern.apply(
        half_up(fraction * 100, decimals) / 100, babel_locale(language), decimal_quantization=True
    )


def babel_share(fraction: Decimal, language: str, decimals: int) -> str:
    step = Decimal(1).scaleb(-decimals - 2)
    if 0 < fraction < step / 2:
        shown = babel_percent(step, language, decimals)
        return labels(language).get("brief.format.below", share=shown)
    return babel_percent(fraction, language, decimals)


def babel_money(value: Decimal | int, language: str, decimals: int) -> str:
    pattern = copy(babel_locale(language).currency_formats["standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(
        half_up(value, decimals),
        babel_locale(language),
        currency="EUR",
        currency_digits=False,
        decimal_quantization=True,
    )


def babel_money_short(value: Decimal, language: str) -> str:
    if abs(value) < 1_000_000:
        return babel_money(value, language, 0 if value == value.to_integral_value() else 2)
    scale = 1_000_000 if abs(value) < 1_000_000_000 else 1_000_000_000
    word = format_compact_decimal(scale, format_type="long", locale=babel_locale(language))
    amount = f"{babel_number(value / scale, language, 1)} {word.split(' ', 1)[1]}"
    return labels(language).get("brief.format.euro", amount=amount)


# Values around every rounding boundary of 0 to 4 decimals, signed zeros, scale changes of
# money_short (a million, a billion) and large amounts.
BASE = [
    Decimal(v)
    for v in (
        "0", "-0", "0.00", "-0.000", "1", "-1", "7", "10", "99", "100", "999", "1000", "1234",
        "12345", "123456", "988.7", "7029304.65", "24252", "0.1", "0.125", "0.135", "2.5",
        "3.5", "-2.5", "999.995", "-999.995", "999999.5", "999999.4999", "999999", "1000000",
        "-1000000", "1049999.99", "1050000", "56813023.08", "999949999.99", "999950000",
        "999999999.99", "1000000000", "-1000000000", "1234567890123.456", "1e15", "-1e15",
        "1E+3", "5E-7", "123456789012345.6789", "-0.0004999", "0.00005",
    )
]  # fmt: skip
BOUNDARIES = [
    sign * (Decimal(k) + Decimal(5).scaleb(-d - 1) + nudge)
    for d in DECIMALS
    for k in (0, 1, 2, 9, 99, 1234)
    for nudge in (Decimal(0), Decimal("-1e-9"), Decimal("1e-9"))
    for sign in (1, -1)
]
VALUES = BASE + BOUNDARIES
FRACTIONS = [v / 1000 for v in VALUES] + [
    Decimal(v) for v in ("0.0004999", "0.0005", "0.00001", "0.0989", "0.09887", "0.1225", "1")
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_and_money_as_babel_writes_them(language):
    for value in VALUES:
        for decimals in DECIMALS:
            ours = (fmt.number(value, language, decimals), fmt.money(value, language, decimals))
            babels = (
                babel_number(value, language, decimals),
                babel_money(value, language, decimals),
            )
            assert ours == babels, (value, decimals)
        assert fmt.money_short(value, language) == babel_money_short(value, language), value
        assert fmt.money_short(value * 1000, language) == babel_money_short(value * 1000, language)
    for whole in (0, -3, 24252, 10**15):  # ints as well as Decimals
        assert fmt.number(whole, language) == babel_number(whole, language, 0)
        assert fmt.money(whole, language, 0) == babel_money(whole, language, 0)
        assert fmt.money_short(whole, language) == babel_money_short(Decimal(whole), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_percentages_and_shares_as_babel_writes_them(language):
    for fraction in FRACTIONS:
        for decimals in DECIMALS:
            case = (fraction, decimals)
            assert fmt.percent(fraction, language, decimals) == babel_percent(
                fraction, language, decimals
            ), case
            assert fmt.share(fraction, language, decimals) == babel_share(
                fraction, language, decimals
            ), case
            assert fmt.percent_value(fraction * 100, language, decimals) == babel_percent(
                fraction * 100 / 100, language, decimals
            ), case


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_month_as_babel_writes_it(language):
    for year in (1, 999, 2020, 9999):
        for month in range(1, 13):
            for day in (1, 9, 28):
                value = dt.date(year, month, day)
                expected = format_date(value, format="long", locale=babel_locale(language))
                assert fmt.date(value, language) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_as_babel_joins_them(language):
    words = ["Limburg", "Antwerpen", "a, b", "{0} en {1}", "West-Vlaanderen", "x"]
    for n in range(len(words) + 1):
        items = words[:n]
        assert fmt.join(items, language) == format_list(items, locale=babel_locale(language))


def test_the_oracle_sees_the_characters_that_matter():
    # A no-break space, a hyphen-minus, the sign where each locale puts it.
    assert babel_money(Decimal("-5"), "nl", 2) == "€\u00a0-5,00"
    assert babel_money(Decimal("-5"), "en", 2) == "-€5.00"
    assert babel_number(Decimal("-0.001"), "nl", 2) == "-0,00"
    assert babel_percent(Decimal("-0.0989"), "nl", 1) == "-9,9\u00a0%"


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(
        min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=6
    ),
    decimals=st.integers(0, 4),
    language=st.sampled_from(LANGUAGES),
)
def test_any_amount_as_babel_writes_it(value, decimals, language):
    assert fmt.number(value, language, decimals) == babel_number(value, language, decimals)
    assert fmt.money(value, language, decimals) == babel_money(value, language, decimals)
    assert fmt.money_short(value, language) == babel_money_short(value, language)
    fraction = value / 10**9
    assert fmt.percent(fraction, language, decimals) == babel_percent(fraction, language, decimals)
    assert fmt.share(fraction, language, decimals) == babel_share(fraction, language, decimals)
