"""Key figures stated in the answers' text (enterprises reached, use of the maximum subsidy).

These patterns are specific to answers about the kmo-portefeuille; where the text does not
hold them, there are simply no key figures (never an error).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .numbers import belgian
from .text import parse_date

_NUMBER = r"(\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?)"
_ENTERPRISES = re.compile(
    r"(?:kalenderjaar|jaar|in)\s+(\d{4})\s*,?\s+hebben\s+"
    + _NUMBER
    + r"\s+(?:ondernemingen|kmo's|bedrijven)",
    re.IGNORECASE,
)
_SIZES = (("small", "kleine"), ("medium", "middelgrote"))
_YEAR = re.compile(r"\b(?:In|kalenderjaar)\s+(\d{4})\b")
_PERCENTS = re.compile(
    r"respectievelijk\s+" + _NUMBER + r"\s*%\s+en\s+" + _NUMBER + r"\s*%", re.IGNORECASE
)
_NEW_MAXIMUM = re.compile(
    r"Sinds\s+(\d{1,2}\s+[a-z]+\s+\d{4})\b[^.]*?\bnaar\s+" + _NUMBER + r"\s*(?:euro|€)",
    re.IGNORECASE,
)


def key_figures(answers: list[tuple[int, list[str]]]) -> dict[str, Any]:
    """The key figures found in the answers' paragraphs, as dataset data (may be empty)."""
    out: dict[str, Any] = {}
    for number, paras in answers:
        text = " ".join(paras)
        m = _ENTERPRISES.search(text)
        if m and "enterprises" not in out:
            count = belgian(m.group(2))
            if count is not None and count == count.to_integral_value():
                out["enterprises"] = {
                    "answer": number,
                    "year": int(m.group(1)),
                    "count": int(count),
                }
        if "usage" not in out:
            usage = _usage(number, text)
            if usage:
                out["usage"] = usage
    return out


# Maximum and average granted per company size, as the answer states them.
def _usage(number: int, text: str) -> dict[str, Any] | None:
    sizes = []
    for key, word in _SIZES:
        label = f"{word} ondernemingen"
        maximum = _amount(
            rf"maxim\w*\s+subsidiebedrag\s+(?:[^.;]*?\s)?voor\s+{word}\s+ondernemingen\s+{_NUMBER}\s*(?:euro|€)",
            text,
        ) or _amount(rf"voor\s+{word}\s+ondernemingen\s+{_NUMBER}\s*(?:euro|€)", text)
        average = _amount(
            rf"{word}\s+ondernemingen\s+(?:werd\s+)?(?:[a-z ]{{0,20}}\s)?gemiddeld\s+{_NUMBER}\s*(?:euro|€)",
            text,
        )
        if maximum is None or average is None or maximum <= 0:
            continue
        sizes.append({"key": key, "label": label, "maximum": maximum, "average_granted": average})
    if not sizes:
        return None
    m = _PERCENTS.search(text)
    if m and len(sizes) == 2:
        for size, value in zip(sizes, (m.group(1), m.group(2)), strict=True):
            percent = belgian(value)
            if percent is not None:
                size["stated_use_percent"] = percent
    year = _YEAR.search(text)
    usage: dict[str, Any] = {
        "answer": number,
        "year": int(year.group(1)) if year else None,
        "sizes": sizes,
    }
    if usage["year"] is None:
        return None
    m = _NEW_MAXIMUM.search(text)
    if m:
        since = parse_date(m.group(1))
        amount = belgian(m.group(2))
        if since is not None and amount is not None and amount > 0:
            usage["new_maximum"] = {"since": since, "amount": amount}
    return usage


def _amount(pattern: str, text: str) -> Decimal | None:
    m = re.search(pattern, text, re.IGNORECASE)
    return belgian(m.group(1)) if m else None
