"""Import a published written question and answer (text or PDF) as a dataset (format 2).

``import_source`` reads a .txt or .pdf, parses it (:mod:`.parse`, :mod:`.tables`), checks the
result as ``check`` does and writes the dataset YAML atomically; it returns an
:class:`ImportResult` with a summary (:mod:`.summary`) of what was found and every guess.
``import_text`` is the same without files, for tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def parse_text(text: str, file: str = "<text>", url: str | None = None) -> dict[str, Any]:
    """The dataset read from a published text, as plain data (Decimal numbers, dates).

    Besides the dataset's fields it holds ``_skipped`` (page furniture left out) and
    ``_guesses`` (line number, what the importer chose), both lists of (line, text) pairs.
    """
    from .data import as_data
    from .parse import parse
    from .text import Source

    source = Source(file, text.replace("\r\n", "\n").replace("\r", "\n"))
    parsed = parse(source)
    data = as_data(parsed, url)
    data["_skipped"] = [(line.no, line.text) for line in parsed.skipped]
    data["_guesses"] = sorted(parsed.guesses, key=lambda g: g[0])
    return data


def import_text(text: str, file: str = "<text>", url: str | None = None) -> str:
    """The dataset read from a published text, as YAML text."""
    from .dump import to_yaml

    data = parse_text(text, file, url)
    return to_yaml(data, _header(file, data))


def read_source(source: Path) -> str:
    """The text of a published question and answer: a UTF-8 text file or a PDF.

    Read through :mod:`kmo_export.reading`: a regular file only (not a FIFO or a device),
    at most its size limit (KMO_EXPORT_MAX_SOURCE_MB, KMO_EXPORT_MAX_PDF_MB), UTF-16 named.
    """
    from .. import reading
    from ..errors import DatasetError, ImportTextError

    try:
        reading.regular_file(source, "a text or PDF file")
        with source.open("rb") as stream:
            is_pdf = stream.read(5) == b"%PDF-"
        if is_pdf:
            reading.read_bytes(source, reading.SOURCE_PDF)  # only its size is checked here
            from .pdf_text import pdf_text

            return pdf_text(source)
        if source.suffix.lower() == ".pdf":
            raise ImportTextError(f"{source}: is not a PDF (it does not start with %PDF-)")
        return reading.decode_text(source, reading.read_bytes(source, reading.SOURCE))
    except DatasetError as exc:
        raise ImportTextError(str(exc)) from None
    except OSError as exc:
        raise ImportTextError(f"{source}: cannot be read: {exc.strerror or exc}") from None


@dataclass
class ImportResult:
    """What an import wrote and found: the summary and the published inconsistencies."""

    target: Path
    summary: dict[str, Any]
    inconsistencies: list[str] = field(default_factory=list)  # one line each, as 'check' says
    warnings: list[str] = field(default_factory=list)


def import_source(source: Path, target: Path, url: str | None = None) -> ImportResult:
    """Parse ``source`` (.txt or .pdf), check the dataset as ``check`` does, write it to ``target``.

    A dataset that breaks a rule other than a published total (a bug in the importer) raises
    ImportTextError and nothing is written. Totals that differ from their rows are facts about
    the source: the dataset is written and they are returned in ``inconsistencies``.
    """
    from ..output import atomic_write
    from .dump import to_yaml
    from .summary import summary

    text = read_source(source)
    data = parse_text(text, str(source), url)
    yaml_text = to_yaml(data, _header(str(source), data))
    found: dict[str, list[str]] = {}

    def render(tmp: Path) -> None:
        tmp.write_text(yaml_text, encoding="utf-8")
        found.update(_check(tmp, target, source))

    atomic_write(target, render)
    result = ImportResult(
        target, summary(data, str(source), str(target)), found["inconsistent"], found["warnings"]
    )
    result.summary["inconsistencies"] = result.inconsistencies
    result.summary["warnings"] = result.warnings
    return result


# The checks of 'check' on the written dataset: its inconsistent totals and its warnings.
def _check(tmp: Path, target: Path, source: Path) -> dict[str, list[str]]:
    from ..errors import DatasetError, ImportTextError, InconsistentTotalsError
    from ..loader import read_dataset
    from ..validate import validate

    def named(text: str) -> str:
        return text.replace(str(tmp), str(target))

    try:
        warnings = [named(str(p)) for p in validate(read_dataset(tmp))]
        inconsistent: list[str] = []
    except InconsistentTotalsError as exc:
        inconsistent, warnings = [named(line) for line in exc.lines()], []
    except DatasetError as exc:
        raise ImportTextError(
            f"{source}: the dataset read from it does not pass 'check' (a bug in the importer: "
            f"please report it): {named(exc.lines()[0])}"
        ) from None
    return {"inconsistent": inconsistent, "warnings": warnings}


# The comment lines at the top of a written dataset: where it came from, what was left out.
def _header(file: str, data: dict[str, Any]) -> list[str]:
    lines = [
        f"kmo-export dataset (format {data['format']}): the answer to written question "
        f"nr. {data['number']} of {data['date'].isoformat()},",
        f"imported from {Path(file).name} by 'kmo-export import'. Check it against the source.",
    ]
    for no, text in data.get("_skipped", []):
        lines.append(f"left out as page furniture: line {no}: {text!r}")
    for no, text in data.get("_guesses", []):
        lines.append(f"guessed: line {no}: {text}" if no else f"guessed: {text}")
    return lines
