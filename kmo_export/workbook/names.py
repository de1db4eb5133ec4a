"""Safe sheet and table names, cell references and text helpers shared by the sheet writers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name

from ..labels import Labels
from ..model import Column

_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SPACES = re.compile(r"\s+")
_MONEY_OR_PERCENT = re.compile(r"\s*\([^()]*(?:€|%|\beur\b|\beuro\b)[^()]*\)\s*$", re.IGNORECASE)
MAX_SHEET_NAME = 31


def safe_sheet_name(text: str, taken: set[str]) -> str:
    """``text`` as a sheet name Excel accepts: no []:*?/\\, at most 31 UTF-16 units, unique, not 'History'."""
    name = _SPACES.sub(" ", _SHEET_BAD.sub(" ", text)).strip().strip("'").strip() or "Blad"
    name = _utf16_prefix(name, MAX_SHEET_NAME).rstrip().rstrip("'") or "Blad"
    candidate, n = name, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        candidate = _utf16_prefix(name, MAX_SHEET_NAME - len(suffix)).rstrip().rstrip("'") + suffix
    taken.add(candidate.casefold())
    return candidate


# The longest start of ``text`` of at most ``units`` UTF-16 units, as Excel counts (an emoji
# is two); a character is never cut in half.
def _utf16_prefix(text: str, units: int) -> str:
    count = 0
    for i, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > units:
            return text[:i]
    return text


def quote_sheet(name: str) -> str:
    """The sheet name as formulas write it: ``'Per thema'`` (apostrophes doubled)."""
    return "'" + name.replace("'", "''") + "'"


def col(index: int) -> str:
    """Column letters of a 0-based column index."""
    return str(xl_col_to_name(index))


def ref(row: int, column: int, absolute: bool = False) -> str:
    """A1 reference of a 0-based cell; ``$A$1`` when ``absolute``."""
    if absolute:
        return f"${xl_col_to_name(column)}${row + 1}"
    return f"{xl_col_to_name(column)}{row + 1}"


def area(first_row: int, last_row: int, column: int) -> str:
    """Absolute reference of one column's cells from ``first_row`` to ``last_row``."""
    letters = xl_col_to_name(column)
    return f"${letters}${first_row + 1}:${letters}${last_row + 1}"


def formula_text(text: str) -> str:
    """``text`` as a string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def header_text(text: str) -> str:
    """A column label as a table header: one line, no control characters."""
    return _SPACES.sub(" ", text).strip()


def measure_name(text: str) -> str:
    """A measure's header as a name inside another header, without its unit: ``Aandeel
    toegekende subsidie``, not ``Aandeel toegekende subsidie (€)`` (a share is no amount)."""
    return _MONEY_OR_PERCENT.sub("", text) or text


def lower_first(text: str) -> str:
    """``Aantal projecten`` -> ``aantal projecten`` inside a sentence (acronyms stay: ``IT``)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def name_of(column: Column, labels: Labels, text: str | None = None, inside: bool = False) -> str:
    """A column's name in a sentence of ``labels``' language: its own English label as it is
    (lower case ``inside`` a sentence: "Projects by technology"), a label of the dataset in
    another language quoted (``‘Thema’``)."""
    own = labels.language == "en" and column.label_en
    shown = text if text is not None else header_text(column.text(labels.language))
    if not own:
        return quoted(shown, labels)
    return lower_first(shown) if inside else shown


def quoted(text: str, labels: Labels) -> str:
    """A label of the dataset quoted as a name (``‘Thema’``), for sentences in another language."""
    return labels.get("workbook.quote", text=header_text(text))


def long_date(day: dt.date, labels: Labels) -> str:
    """``24 september 2020`` / ``24 September 2020`` (the catalogue's locale)."""
    from ..formatting import date

    return date(day, labels.language)


def number_text(value: Decimal | int, labels: Labels, decimals: int = 0) -> str:
    """A number in running text: ``7.500`` (nl), ``7,500`` (en)."""
    from ..formatting import number

    return number(value, labels.language, decimals)


def join(items: list[str], labels: Labels) -> str:
    """``a, b en c`` / ``a, b and c``."""
    from ..formatting import join as format_list

    return str(format_list(items, labels.language)) if items else ""
