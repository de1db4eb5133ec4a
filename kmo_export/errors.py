"""Errors the library raises. Only ``cli.py`` turns them into exit codes and messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

#: The longest message printed for one problem, and for each of its parts (file, field); a
#: longer part keeps its start and its end around an ellipsis.
MAX_MESSAGE = 600
MAX_PART = 240


#: What a terminal could act on or that hides text: C0 and C1 controls, DEL, Unicode line and
#: paragraph separators, bidirectional overrides and isolates, zero-width characters.
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"


# The compiled _UNSAFE, made at first use (a build that goes well prints no message).
@cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(_UNSAFE)


def printable(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` safe to print on one line: control characters and terminal escapes shown as
    ``\\x1b``, ``\\n``, ``\\u2028``; at most ``limit`` characters (start and end kept)."""
    text = _cap(str(text), limit)
    unsafe = _unsafe()
    if unsafe.search(text):
        text = unsafe.sub(_escape, text)
        text = _cap(text, limit)
    return text


def printable_name(name: str) -> str:
    """A file name safe to print: quoted (``'a\\nb.yaml'``) if it holds a character to escape."""
    name = str(name)
    if _unsafe().search(name):
        return "'" + printable(name, MAX_PART) + "'"
    return _cap(name, MAX_PART)


# "\n", "\x1b", "\u2028" for one unsafe character.
def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# At most ``limit`` characters: the start and the end around " … ".
def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    tail = limit // 4
    return f"{text[: limit - tail - 3]} … {text[-tail:]}"


class KmoExportError(Exception):
    """Base of every error kmo-export reports to its user (exit code 1, no traceback).

    Its text is safe to print: one line, capped, control characters escaped.
    """

    def __str__(self) -> str:
        return printable(super().__str__())

    def lines(self) -> list[str]:
        """The messages to print, one per problem: this error's one line, unless it holds more."""
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, field path, line) and what."""

    file: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [printable_name(self.file)]
        field = printable(self.field, MAX_PART) if self.field else None
        if field and self.line:
            where.append(f"{field} (line {self.line})")
        elif field:
            where.append(field)
        elif self.line:
            where.append(f"line {self.line}")
        return ": ".join([*where, printable(self.message)])


class DatasetError(KmoExportError):
    """A dataset cannot be read or breaks a rule. Holds every problem found, first one first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid dataset")

    @classmethod
    def single(
        cls, file: str, message: str, field: str | None = None, line: int | None = None
    ) -> DatasetError:
        return cls([Problem(file, message, field, line)])

    def lines(self) -> list[str]:
        """One message per problem, first one first."""
        return [str(p) for p in self.problems]


class InconsistentTotalsError(DatasetError):
    """Reported totals differ from the sum of their rows (a fact about the source)."""


class TemplateError(KmoExportError):
    """The Word template cannot be used (missing file, not a .docx, styles missing)."""


class StyleError(KmoExportError):
    """The workbook style file given with --style cannot be used."""


class OutputError(KmoExportError):
    """An output cannot be written (folder not writable, disk full, name clash, ...)."""


class NameClashError(OutputError):
    """Two inputs would write the same output file; nothing was written."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        super().__init__(lines[0])

    def lines(self) -> list[str]:
        """One message per clash."""
        return list(self._lines)


class NoMatchError(KmoExportError):
    """A folder or glob pattern given as input holds no dataset file."""


class UpgradeError(KmoExportError):
    """A dataset cannot be upgraded (already format 2, or the result would not load)."""


class ImportTextError(KmoExportError):
    """A published text cannot be turned into a dataset; names the line and its text."""


class ConverterMissingError(KmoExportError):
    """A PDF was asked for but LibreOffice (soffice) is not installed."""
