"""Problems in machine-readable form: JSON records and GitHub Actions annotations.

``build`` and ``check`` print these with ``--problem-format json`` or ``github``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .errors import Problem, printable


def problem_records(
    dataset: Path,
    lines: Sequence[str],
    severity: str,
    structured: Sequence[Problem | dict[str, Any]],
) -> list[dict[str, Any]]:
    """``lines`` (messages about ``dataset``) as JSON-ready records: severity, dataset, file,
    line, field, message. Taken from ``structured`` (Problem objects, or their dicts) where it
    holds one per line; otherwise each line's file is read from its start (``file: message``).
    """
    if structured and len(structured) == len(lines):
        known = [p if isinstance(p, dict) else asdict(p) for p in structured]
        return [
            {
                "severity": severity,
                "dataset": str(dataset),
                "file": p["file"],
                "line": p["line"],
                "field": p["field"],
                "message": printable(p["message"]),
            }
            for p in known
        ]
    out = []
    for line in lines:
        file, _, message = line.partition(": ")
        if not message:
            file, message = str(dataset), line
        out.append(
            {
                "severity": severity,
                "dataset": str(dataset),
                "file": file,
                "line": None,
                "field": None,
                "message": printable(message),
            }
        )
    return out


def annotation(record: dict[str, Any]) -> str:
    """A problem record as a GitHub Actions workflow command:
    ``::error file=F,line=N,title=T::message``, its data and properties escaped."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    props = [f"file={prop(record['file'])}"]
    if record.get("line"):
        props.append(f"line={int(record['line'])}")
    if record.get("field"):
        props.append(f"title={prop(record['field'])}")
    message = (
        f"{record['field']}: {record['message']}" if record.get("field") else record["message"]
    )
    return f"::{record['severity']} {','.join(props)}::{data(message)}"
