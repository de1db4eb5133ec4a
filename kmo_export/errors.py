"""Errors the library raises. Only ``cli.py`` turns them into exit codes and messages."""

from __future__ import annotations

from dataclasses import dataclass


class KmoExportError(Exception):
    """Base of every error kmo-export reports to its user (exit code 1, no traceback)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, field path, line) and what."""

    file: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.field and self.line:
            where.append(f"{self.field} (line {self.line})")
        elif self.field:
            where.append(self.field)
        elif self.line:
            where.append(f"line {self.line}")
        return ": ".join([*where, self.message])


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
        return [str(p) for p in self.problems]


class InconsistentTotalsError(DatasetError):
    """Reported totals differ from the sum of their rows (a fact about the source)."""


class TemplateError(KmoExportError):
    """The Word template cannot be used (missing file, not a .docx, styles missing)."""


class OutputError(KmoExportError):
    """An output cannot be written (folder not writable, disk full, name clash, ...)."""


class ImportTextError(KmoExportError):
    """A published text cannot be turned into a dataset; names the line and its text."""


class ConverterMissingError(KmoExportError):
    """A PDF was asked for but LibreOffice (soffice) is not installed."""
