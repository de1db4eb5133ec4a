"""The arithmetic of checking published figures: recomputed ratios and published rounding.

Pure functions on :class:`~decimal.Decimal`, shared by :mod:`kmo_export.validate` (the checks a
dataset must pass) and the analysis (the figures every output shows). A published figure is
rounded to the decimals it is printed with: 9,8 % stands for anything from 9,75 to 9,85.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

#: Digits a recomputed ratio is carried with (far beyond what any source publishes).
_PRECISION = 28


def published_places(value: Decimal) -> int:
    """Decimals ``value`` is written with: ``Decimal("9.80")`` has 2, ``Decimal("120")`` 0.

    A value with a positive exponent (``1E+2``) has 0.
    """
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def ratio_percent(num: Decimal, den: Decimal) -> Decimal | None:
    """``num / den × 100``: the percentage a published ratio stands for; None when den is 0."""
    if not den:
        return None
    with localcontext() as context:
        context.prec = _PRECISION
        return num * 100 / den


def within_rounding(published: Decimal, computed: Decimal) -> bool:
    """True when ``computed`` rounds to ``published`` at the decimals published is written with.

    Within half a unit of the published value's last decimal, both ends included: 9.8 accepts
    9.75 to 9.85; 120 accepts 119.5 to 120.5.
    """
    half_unit = Decimal(5).scaleb(-published_places(published) - 1)
    return abs(computed - published) <= half_unit
