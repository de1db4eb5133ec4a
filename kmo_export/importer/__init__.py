"""Import a published written question and answer (text or PDF) as a dataset.

``import_source`` reads a .txt or .pdf, parses it (:mod:`.parse`, :mod:`.tables`) and writes
the dataset YAML atomically; ``import_text`` is the same without files, for tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def parse_text(text: str, file: str = "<text>", source_text: str | None = None) -> dict[str, Any]:
    """The dataset read from a published text, as plain data (Decimal numbers, dates)."""
    from .parse import as_data, parse
    from .text import Source

    source = Source(file, text.replace("\r\n", "\n").replace("\r", "\n"))
    parsed = parse(source)
    data = as_data(parsed, source_text)
    data["_skipped"] = [(line.no, line.text) for line in parsed.skipped]
    return data


def import_text(text: str, file: str = "<text>", source_text: str | None = None) -> str:
    """The dataset read from a published text, as YAML text that ``loader.load`` accepts."""
    from .dump import to_yaml

    data = parse_text(text, file, source_text)
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


def import_source(source: Path, target: Path) -> Path:
    """Parse ``source`` (.txt or .pdf) and write the dataset YAML to ``target``; return ``target``."""
    from ..output import atomic_write
    from .dump import to_yaml

    text = read_source(source)
    try:
        relative = os.path.relpath(source.resolve(), target.resolve().parent)
    except ValueError:  # another drive (Windows)
        relative = str(source.resolve())
    data = parse_text(text, str(source), Path(relative).as_posix())
    yaml_text = to_yaml(data, _header(str(source), data))
    atomic_write(target, lambda tmp: tmp.write_text(yaml_text, encoding="utf-8"))
    return target


# The comment lines at the top of a written dataset: where it came from, what was left out.
def _header(file: str, data: dict[str, Any]) -> list[str]:
    lines = [
        f"kmo-export dataset (format 1): the answer to written question nr. {data['number']} "
        f"of {data['date'].isoformat()},",
        f"imported from {Path(file).name} by 'kmo-export import'. Check it against the source.",
    ]
    for no, text in data.get("_skipped", []):
        lines.append(f"left out as page furniture: line {no}: {text!r}")
    return lines
