"""The arithmetic of checking a published figure: ratios and the rounding they were published at.

Pure functions on Decimals, shared by the validation and the analysis so that a figure is
judged the same way everywhere.
"""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)


def published_places(value: Decimal) -> int:
    """Decimal places ``value`` was written with (``9.8`` -> 1, ``120`` -> 0, ``9.80`` -> 2)."""
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def half_unit(value: Decimal, places: int | None = None) -> Decimal:
    """Half a unit of the last decimal place ``value`` was published with (9.8 -> 0.05).

    ``places`` overrides what the value itself shows (a table column's declared decimals: the
    compact store keeps more places than were published).
    """
    return Decimal(5).scaleb(-(published_places(value) if places is None else places) - 1)


def as_written(value: Decimal) -> str:
    """``value`` as the user wrote it, without the zeros compact storage adds (58.1600 -> 58.16)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator`` as a percentage (120, 1225 -> 9.7959...); None for 0."""
    if not denominator:
        return None
    return numerator * HUNDRED / denominator


def within_rounding(
    published: Decimal, computed: Decimal, rows: int = 1, places: int | None = None
) -> bool:
    """True when ``computed`` rounds to ``published`` at the precision it was published with.

    ``rows`` > 1 widens the margin for a figure that is itself a sum of ``rows`` rounded values
    (shares that add up to 99,99 %); ``places`` as for :func:`half_unit`.
    """
    return abs(published - computed) <= half_unit(published, places) * rows
