"""The field walker: typed access to the parsed YAML, each problem with its field path and line.

:class:`_Reader` reads a field as text, paragraphs, a whole number, an amount, a date, a list or
a mapping, and records what is wrong instead of stopping, so that one run reports every problem.
Numbers never pass through float: scalars are read as text and turned into Decimal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import limits
from ..errors import Problem
from ..yaml_lines import written_text

#: Limits of the formats we write (Excel: 15 significant digits, 32,767 characters a cell),
#: owned by kmo_export.limits.
MAX_DIGITS = limits.EXCEL_DIGITS
MAX_TEXT = limits.MAX_CELL_UNITS
# Characters an XML 1.0 document cannot hold (tab, LF and CR are fine).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A key: it names an Excel table or a column of one.
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# A field that is absent (or null): distinct from every value YAML can give.
class _Missing:
    pass


#: What :meth:`_Reader.get` returns for a field that is not there.
MISSING: Any = _Missing()


class _Reader:
    """Walks the parsed YAML, tracking the field path; records problems instead of stopping."""

    # A walker over the dataset ``file``, whose field paths stand at ``lines``.
    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []
        self.version = 1  # the dataset's format
        self.missing: frozenset[str] = frozenset()  # 'not available' cell texts, casefolded

    # Note a problem at ``path`` (its line found from the path unless given).
    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, message, path or None, line or self.line(path)))

    # The line of ``path``, or of its nearest parent that the file holds.
    def line(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
            if parent == path:  # a top-level field that is not in the file
                return None
            path = parent
        return None

    # The field ``key`` of ``mapping``, or MISSING (noted as missing when required).
    def get(self, mapping: Any, key: str, path: str, required: bool = True) -> Any:
        where = _at(path, key)
        if not isinstance(mapping, dict):
            return MISSING
        if key not in mapping or mapping[key] is None:
            if required:
                self.problem(where, "is missing", self.line(path))
            return MISSING
        return mapping[key]

    # Note every field of ``mapping`` that is not in ``allowed``.
    def unknown(
        self,
        mapping: Any,
        allowed: set[str],
        path: str,
        newer: Collection[str] = (),  # fields of format 2: in format 1, say so
    ) -> None:
        if isinstance(mapping, dict):
            for key in mapping:
                if key not in allowed:
                    where = _at(path, str(key))
                    if key in newer and self.version == 1:
                        self.problem(where, "is a format 2 field: begin the file with `format: 2`")
                        continue
                    self.problem(
                        where, f"unknown field (expected one of: {', '.join(sorted(allowed))})"
                    )

    # A text field, stripped and checked (see check_text).
    def text(self, mapping: Any, key: str, path: str, required: bool = True) -> str | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        return self.check_text(value, _at(path, key))

    # ``value`` as text that Word and Excel can store, or None with its problem noted.
    def check_text(self, value: Any, where: str) -> str | None:
        value = written_text(value)  # 0x10 stays "0x10" where a text is expected
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(where, f"must be text, not {_kind(value)}")
            return None
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not value:
            self.problem(where, "is empty")
            return None
        bad = _XML_ILLEGAL.search(value)
        if bad:
            self.problem(
                where,
                f"holds control character U+{ord(bad.group()):04X}, which Word and Excel cannot store",
            )
            return None
        if len(value) > MAX_TEXT:
            self.problem(
                where, f"is {len(value):,} characters long; Excel holds at most {MAX_TEXT:,}"
            )
            return None
        return str(value)

    # One paragraph or a list of them.
    def paragraphs(
        self, mapping: Any, key: str, path: str, required: bool = True
    ) -> tuple[str, ...]:
        value = self.get(mapping, key, path, required)
        where = _at(path, key)
        if value is MISSING:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(where, f"must be a list of paragraphs, not {_kind(value)}")
            return ()
        out = [self.check_text(p, f"{where}[{i}]") for i, p in enumerate(value)]
        if not value and required:
            self.problem(where, "is empty")
        return tuple(p for p in out if p is not None)

    # A whole number from ``minimum`` up to ``maximum``.
    def integer(
        self,
        mapping: Any,
        key: str,
        path: str,
        minimum: int = 0,
        required: bool = True,
        maximum: int | None = None,
    ) -> int | None:
        number, where = self.number_field(mapping, key, path, required)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.problem(where, f"must be a whole number, not {number}")
            return None
        if number < minimum:
            self.problem(where, f"must be at least {minimum}, not {number}")
            return None
        if maximum is not None and number > maximum:
            self.problem(where, f"must be at most {maximum}, not {number}")
            return None
        return int(number)

    # An amount with at most ``decimals`` decimals, never negative.
    def decimal(
        self,
        mapping: Any,
        key: str,
        path: str,
        decimals: int = 2,
        required: bool = True,
        positive: bool = False,
    ) -> Decimal | None:
        number, where = self.number_field(mapping, key, path, required)
        if number is None:
            return None
        return self.check_amount(number, where, decimals, positive=positive)

    # The field ``key`` of ``mapping`` as a number (None: absent, or noted), and its path.
    def number_field(
        self, mapping: Any, key: str, path: str, required: bool
    ) -> tuple[Decimal | None, str]:
        value = self.get(mapping, key, path, required)
        where = _at(path, key)
        return (None if value is MISSING else self.number(value, where)), where

    # ``value`` as a finite Decimal that Excel holds exactly, or None with its problem noted.
    def number(self, value: Any, where: str, line: int | None = None) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            self.problem(where, f"must be a number, not {_kind(value)}", line)
            return None
        if isinstance(value, str) and value.strip().lower().lstrip("+-") in (
            ".nan",
            ".inf",
            "nan",
            "inf",
            "infinity",
        ):
            self.problem(where, f"must be a finite number, not {value.strip()}", line)
            return None
        try:
            number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            self.problem(where, f"must be a number, not {_quote(value)}", line)
            return None
        if not number.is_finite():
            self.problem(where, f"must be a finite number, not {value}", line)
            return None
        if number and len(number.normalize().as_tuple().digits) > MAX_DIGITS:
            self.problem(
                where,
                f"{value} has more than {MAX_DIGITS} significant digits, more than Excel can hold",
                line,
            )
            return None
        return number

    # ``number`` if its sign and decimals are right, else None with its problem noted.
    def check_amount(
        self,
        number: Decimal,
        where: str,
        decimals: int,
        line: int | None = None,
        positive: bool = False,
        allow_negative: bool = False,
    ) -> Decimal | None:
        if number < 0 and not allow_negative:
            self.problem(where, f"must not be negative, not {number}", line)
            return None
        if positive and number == 0:
            self.problem(where, "must be greater than 0", line)
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals and number != round(number, decimals):
            self.problem(where, f"{number} has more than {decimals} decimals", line)
            return None
        if self.thousands_separator(number, where, decimals, line):
            return None
        return number

    # Whether ``number`` reads as written with a Dutch thousands separator ("45.660" in a
    # column of cents, "18.000" in a count: 45660 and 18000 meant); its problem noted if so.
    def thousands_separator(
        self, number: Decimal, where: str, decimals: int, line: int | None = None
    ) -> bool:
        if number.as_tuple().exponent != -3 or decimals >= 3 or not 1 <= abs(number) < 1000:
            return False  # "2243573.590": a trailing zero, no group of thousands
        self.problem(
            where,
            f"{number} is written with 3 decimals, more than {decimals}; if the dot separates "
            f"thousands, write {number.scaleb(3):f} (numbers are written without separators)",
            line,
        )
        return True

    # A date written as YYYY-MM-DD.
    def date(self, mapping: Any, key: str, path: str, required: bool = True) -> dt.date | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        where = _at(path, key)
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(where, f"must be a date as YYYY-MM-DD, not {_quote(value)}")
            return None

    # A list field ([] when it is absent or no list).
    def seq(self, mapping: Any, key: str, path: str, required: bool = True) -> list[Any]:
        value = self.get(mapping, key, path, required)
        where = _at(path, key)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.problem(where, f"must be a list, not {_kind(value)}")
            return []
        return value

    # ``value`` if it is a mapping of fields, else None with its problem noted.
    def mapping(self, value: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(where, f"must be a mapping of fields, not {_kind(value)}")
            return None
        return value

    # The optional field ``key`` of ``mapping`` if it is a mapping of fields, else None (noted).
    def section(self, mapping: Any, key: str, path: str) -> dict[str, Any] | None:
        value = self.get(mapping, key, path, required=False)
        return None if value is MISSING else self.mapping(value, _at(path, key))

    # The mappings in the list field ``key``, each with its path; any other item is noted.
    def entries(
        self, mapping: Any, key: str, path: str, required: bool = True
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        for i, item in enumerate(self.seq(mapping, key, path, required)):
            where = f"{_at(path, key)}[{i}]"
            if self.mapping(item, where) is not None:
                yield where, item

    # A key field (letters, digits and _: it names an Excel table or column), "" if absent.
    def key(self, mapping: Any, field: str, path: str, note: str = "") -> str:
        key = self.text(mapping, field, path) or ""
        self.valid_key(key, f"{path}.{field}", note)
        return key

    # Whether ``key`` is empty or a valid key; if not, the problem is noted at ``where``.
    def valid_key(self, key: str, where: str, note: str = "") -> bool:
        if key and not _KEY.match(key):
            self.problem(where, f"{key!r} must be letters, digits and _{note}")
            return False
        return True


# The path of field ``key`` below ``path`` ("" is the top level).
def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# What a value is, for a message: "the text 'abc'", "a list", "the number 3".
def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_quote(value)}"
    if isinstance(value, Decimal | int):
        return f"the number {value}"
    return type(value).__name__


# A value quoted for a message, cut to 40 characters.
def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")
