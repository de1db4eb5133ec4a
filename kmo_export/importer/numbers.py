"""Numbers as the Flemish Parliament publishes them: "7.029.304,65", "12,5%", "€ 1.200".

A token is read without ever passing through float. Where the writing is ambiguous (a point
that may be a thousands separator or a decimal point) the token keeps both readings and the
table parser decides with the column's other values or its reported total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

EURO = "€"
PERCENT = "%"
#: Tokens that stand for an empty cell.
EMPTY_MARKS = frozenset({"-", "–", "—", "n.v.t.", "nvt", "n.b."})

# Belgian style: thousands with ".", decimals with ",".
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 24.252 / 7.029.304 (or 24.252 with a decimal point)
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:\.\d{3})*,\d+")  # 7.029.304,65 / 12,5
_PLAIN = re.compile(r"\d+")
_POINT = re.compile(r"\d+\.\d+")  # 38.0 / 12.50: a decimal point (not a thousands group)
_PLAIN_COMMA = re.compile(r"\d+,\d+")  # 1234,56
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")  # 1,234.56
_SIGNED = re.compile(r"^([-−+]?)(.*)$")


@dataclass(frozen=True)
class Number:
    """One numeric token: its value and how it was written."""

    value: Decimal
    text: str
    style: str  # "int", "grouped" (24.252), "comma" (12,5), "point" (38.0), "english"
    percent: bool = False
    euro: bool = False
    alternative: Decimal | None = None  # the other reading of an ambiguous point

    @property
    def decimals(self) -> int:
        exponent = self.value.as_tuple().exponent
        return max(-exponent, 0) if isinstance(exponent, int) else 0

    @property
    def is_plain_int(self) -> bool:
        """Digits only, as a year, a code or a page number is written."""
        return self.style == "int" and not self.percent and not self.euro


def parse_number(token: str) -> Number | None:
    """Read one token ("24.252", "7.029.304,65", "12,5%", "€1.200", "-3") or return None."""
    text = token.strip()
    euro = percent = False
    while text and text[0] == EURO:
        text, euro = text[1:], True
    while text and text[-1] in (EURO, PERCENT):
        if text[-1] == EURO:
            euro = True
        else:
            percent = True
        text = text[:-1]
    if text.upper().endswith("EUR") and text[:-3] and text[-4].isdigit():
        text, euro = text[:-3], True
    match = _SIGNED.match(text)
    assert match is not None
    sign, digits = match.groups()
    negative = sign in ("-", "−")
    if not digits or not digits[0].isdigit():
        return None
    alternative = None
    if _PLAIN.fullmatch(digits):
        style, value = "int", Decimal(digits)
    elif _GROUPED.fullmatch(digits):
        style, value = "grouped", Decimal(digits.replace(".", ""))
        if digits.count(".") == 1:
            alternative = Decimal(digits)  # "38.500" may be 38.5 written with a point
    elif _GROUPED_COMMA.fullmatch(digits) or _PLAIN_COMMA.fullmatch(digits):
        style, value = "comma", Decimal(digits.replace(".", "").replace(",", "."))
    elif _POINT.fullmatch(digits):
        style, value = "point", Decimal(digits)
    elif _ENGLISH.fullmatch(digits):
        style, value = "english", Decimal(digits.replace(",", ""))
    else:
        return None
    if negative:
        value = -value
        alternative = -alternative if alternative is not None else None
    return Number(value, token.strip(), style, percent, euro, alternative)


def belgian(text: str) -> Decimal | None:
    """A number written in Belgian style inside running text ("69.215", "988,70"), or None."""
    number = parse_number(text.rstrip(".,;:"))
    if number is None or number.style in ("point", "english"):
        return None
    return number.value


def plain(value: Decimal) -> str:
    """A Decimal as a plain decimal ("7029304.65"), never in exponent notation."""
    text = format(value, "f")
    return "0" if text in ("-0", "0") else text
