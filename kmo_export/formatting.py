"""Numbers, money, percentages and dates as a reader expects them, through Babel.

Belgian Dutch by default (``24.252``, ``7.029.304,65``, ``9,9 %``, ``€ 56,8 miljoen``,
``24 september 2020``); English with ``language="en"``. The locale comes from the label
catalogue (``locale = "nl_BE"``), so adding a language is adding a catalogue file.
Rounding is always half-up (as people round), done on the Decimal before Babel formats it.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

NBSP = "\u00a0"


@cache
def locale(language: str) -> Locale:
    """The Babel locale of ``language`` (from its catalogue)."""
    from babel import Locale

    from .labels import labels

    return Locale.parse(labels(language).locale)


def rounded(value: Decimal | int, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimals_of(values: list[Decimal | None]) -> int:
    """The most decimals any of ``values`` is written with (0 for whole numbers)."""
    return max((max(-int(v.as_tuple().exponent), 0) for v in values if v is not None), default=0)


@cache
def _pattern(language: str, kind: str, decimals: int) -> NumberPattern:
    # A Babel number pattern with a fixed number of decimals, built once per use.
    from babel.numbers import parse_pattern

    from .labels import labels

    fraction = "." + "0" * decimals if decimals else ""
    parsed: NumberPattern
    if kind == "number":
        parsed = parse_pattern(f"#,##0{fraction}")
        return parsed
    if kind == "percent":
        parsed = parse_pattern(
            labels(language).get("brief.format.percent", number=f"#,##0{fraction}")
        )
        return parsed
    pattern: NumberPattern = copy(locale(language).currency_formats["standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def number(value: Decimal | int, language: str = "nl", decimals: int = 0) -> str:
    """``24.252``, ``7.029.304,65`` (nl) or ``24,252``, ``7,029,304.65`` (en)."""
    text: str = _pattern(language, "number", decimals).apply(
        rounded(value, decimals), locale(language), decimal_quantization=True
    )
    return text


def percent(fraction: Decimal, language: str = "nl", decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.09887`` -> ``9,9 %`` (nl) or ``9.9%`` (en)."""
    text: str = _pattern(language, "percent", decimals).apply(
        rounded(fraction * 100, decimals) / 100, locale(language), decimal_quantization=True
    )
    return text


def share(fraction: Decimal, language: str = "nl", decimals: int = 1) -> str:
    """A share as a percentage; one too small to show is ``< 0,1 %``, never ``0,0 %``.

    A nonzero share that rounds to zero at ``decimals`` (below 0,05 % with one decimal) would
    read as nothing at all.
    """
    step = Decimal(1).scaleb(-decimals - 2)  # 0.001: 0,1 % as a fraction
    if 0 < fraction < step / 2:
        from .labels import labels

        return labels(language).get("brief.format.below", share=percent(step, language, decimals))
    return percent(fraction, language, decimals)


def percent_value(value: Decimal, language: str = "nl", decimals: int = 1) -> str:
    """A percentage as written (``12.5`` means 12.5 %) -> ``12,5 %``."""
    return percent(value / 100, language, decimals)


def money(value: Decimal | int, language: str = "nl", decimals: int = 2) -> str:
    """Euro: ``€ 988,70``, ``€ 10.000`` with ``decimals=0`` (nl) or ``€988.70`` (en)."""
    text: str = _pattern(language, "money", decimals).apply(
        rounded(value, decimals),
        locale(language),
        currency="EUR",
        currency_digits=False,
        decimal_quantization=True,
    )
    return text


def money_short(value: Decimal | int, language: str = "nl") -> str:
    """Large euro amounts in words: ``€ 56,8 miljoen`` (nl), ``€56.8 million`` (en).

    Amounts under a million are written in full (``€ 988,70``).
    """
    from babel.numbers import format_compact_decimal

    from .labels import labels

    value = Decimal(value)
    if abs(value) < 1_000_000:
        return money(value, language, 0 if value == value.to_integral_value() else 2)
    # Always one decimal of millions (or of billions), rounded half-up: "€ 4,0 miljoen" beside
    # "€ 56,8 miljoen"; Babel gives the word of the scale ("miljoen", "million").
    scale = 1_000_000 if abs(value) < 1_000_000_000 else 1_000_000_000
    word = str(format_compact_decimal(scale, format_type="long", locale=locale(language)))
    figure = number(value / scale, language, 1)
    amount = f"{figure} {word.split(' ', 1)[1]}" if " " in word else figure
    return labels(language).get("brief.format.euro", amount=amount)


def date(value: dt.date, language: str = "nl") -> str:
    """``24 september 2020`` (nl), ``24 September 2020`` (en)."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=locale(language))


def join(items: list[str], language: str = "nl") -> str:
    """``a, b en c`` (nl), ``a, b and c`` (en)."""
    from babel.lists import format_list

    return format_list(items, locale=locale(language))
