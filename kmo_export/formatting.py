"""Numbers, money, percentages and dates as a reader expects them.

Belgian Dutch by default (``24.252``, ``7.029.304,65``, ``9,9 %``, ``€ 56,8 miljoen``,
``24 september 2020``); English with ``language="en"``. What a language needs (separators,
the euro and percent patterns, the words of large amounts, the month names, the list
patterns) is in the ``[formatting]`` section of its label catalogue, the CLDR facts of the
catalogue's ``locale``, so adding a language is adding a catalogue file. The output is
Babel's for that locale, character for character (tests/test_formatting_babel.py compares
them), without loading Babel and its locale data in every process.
Rounding is always half-up (as people round), done on the Decimal before it is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

NBSP = "\u00a0"


class _Facts:
    # The [formatting] section of one language's catalogue (and its percent and euro words).

    def __init__(self, language: str) -> None:
        from .labels import labels

        catalogue = labels(language)
        section = catalogue.section("formatting")
        # Python writes 7,029,304.65; both separators are swapped in one pass.
        self.separators = str.maketrans(
            {",": catalogue.get("formatting.group"), ".": catalogue.get("formatting.decimal")}
        )
        self.minus = catalogue.get("formatting.minus")
        self.percent = catalogue.get("brief.format.percent")
        self.euro = catalogue.get("brief.format.euro")
        self.money = catalogue.get("formatting.money")
        self.money_negative = catalogue.get("formatting.money_negative")
        self.million = catalogue.get("formatting.million")
        self.billion = catalogue.get("formatting.billion")
        self.date = catalogue.get("formatting.date")
        months = section.get("months")
        if not (isinstance(months, list) and len(months) == 12):
            raise KeyError(f"formatting.months in catalogue/{language}.toml is not 12 names")
        self.months: list[str] = [str(month) for month in months]
        self.list_two = catalogue.get("formatting.list_two")
        self.list_start = catalogue.get("formatting.list_start")
        self.list_middle = catalogue.get("formatting.list_middle")
        self.list_end = catalogue.get("formatting.list_end")


@cache
def _facts(language: str) -> _Facts:
    # The formatting facts of ``language``, read from its catalogue once per process.
    return _Facts(language)


def rounded(value: Decimal | int, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def decimals_of(values: list[Decimal | None]) -> int:
    """The most decimals any of ``values`` is written with (0 for whole numbers)."""
    return max((max(-int(v.as_tuple().exponent), 0) for v in values if v is not None), default=0)


def _digits(value: Decimal, facts: _Facts) -> str:
    # A rounded Decimal's digits without its sign, grouped by three, in the locale's separators.
    return f"{value.copy_abs():,f}".translate(facts.separators)


def _signed(value: Decimal, facts: _Facts) -> str:
    # A rounded Decimal with its sign, also a negative zero's (as Babel writes it: -0,00).
    digits = _digits(value, facts)
    return facts.minus + digits if value.is_signed() else digits


def number(value: Decimal | int, language: str = "nl", decimals: int = 0) -> str:
    """``24.252``, ``7.029.304,65`` (nl) or ``24,252``, ``7,029,304.65`` (en)."""
    return _signed(rounded(value, decimals), _facts(language))


def percent(fraction: Decimal, language: str = "nl", decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.09887`` -> ``9,9 %`` (nl) or ``9.9%`` (en)."""
    facts = _facts(language)
    return facts.percent.format(number=_signed(rounded(fraction * 100, decimals), facts))


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
    facts = _facts(language)
    amount = rounded(value, decimals)
    pattern = facts.money_negative if amount.is_signed() else facts.money
    return pattern.format(number=_digits(amount, facts))


def money_short(value: Decimal | int, language: str = "nl") -> str:
    """Large euro amounts in words: ``€ 56,8 miljoen`` (nl), ``€56.8 million`` (en).

    Amounts under a million are written in full (``€ 988,70``).
    """
    value = Decimal(value)
    if abs(value) < 1_000_000:
        return money(value, language, 0 if value == value.to_integral_value() else 2)
    # Always one decimal of millions (or of billions), rounded half-up: "€ 4,0 miljoen" beside
    # "€ 56,8 miljoen"; the catalogue gives the word of the scale ("miljoen", "million").
    facts = _facts(language)
    if abs(value) < 1_000_000_000:
        scale, word = 1_000_000, facts.million
    else:
        scale, word = 1_000_000_000, facts.billion
    figure = number(value / scale, language, 1)
    return facts.euro.format(amount=f"{figure} {word}")


def date(value: dt.date, language: str = "nl") -> str:
    """``24 september 2020`` (nl), ``24 September 2020`` (en)."""
    facts = _facts(language)
    return facts.date.format(day=value.day, month=facts.months[value.month - 1], year=value.year)


def join(items: list[str], language: str = "nl") -> str:
    """``a, b en c`` (nl), ``a, b and c`` (en); one item alone, none the empty text."""
    if len(items) < 2:
        return items[0] if items else ""
    facts = _facts(language)
    if len(items) == 2:
        return facts.list_two.format(*items)
    # As CLDR joins a list: the first two, then each middle one, then the last.
    text = facts.list_start.format(items[0], items[1])
    for item in items[2:-1]:
        text = facts.list_middle.format(text, item)
    return facts.list_end.format(text, items[-1])
