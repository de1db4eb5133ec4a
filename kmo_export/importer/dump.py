"""Write the imported dataset as YAML in the style of the bundled dataset.

Block YAML, one inline flow mapping per table row, numbers as plain decimals (never floats),
strings quoted where YAML would read them otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from .numbers import plain

_PLAIN_SAFE = re.compile(r"^[A-Za-zÀ-ÿ(][^:#\n]*$")
_RESERVED = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~)$"
)
_FLOW_UNSAFE = set(",[]{}")


def scalar(value: Any, flow: bool = False) -> str:
    """One YAML scalar: a plain decimal, a date, or a string quoted where needed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if flow:
        return _quoted(text)
    if (
        text.isprintable()
        and _PLAIN_SAFE.match(text)
        and not _RESERVED.match(text)
        and text == text.strip()
        and not text.endswith(":")
        and " #" not in text
    ):
        return text
    return _quoted(text)


# A double-quoted YAML string: JSON escaping, and every non-printable character as \uXXXX.
def _quoted(text: str) -> str:
    out = []
    for ch in json.dumps(text, ensure_ascii=False)[1:-1]:
        out.append(ch if ch.isprintable() or ch == " " else _escape(ch))
    return '"' + "".join(out) + '"'


def _flow(mapping: dict[str, Any], quote_keys: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    # {key: value, ...} on one line; row labels always quoted.
    parts = []
    for key, value in mapping.items():
        text = scalar(
            value, flow=isinstance(value, str) and (key in quote_keys or _needs_flow_quote(value))
        )
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def _needs_flow_quote(text: str) -> bool:
    return any(ch in _FLOW_UNSAFE for ch in text) or scalar(text) != text


def to_yaml(data: dict[str, Any], header: list[str] | None = None) -> str:
    """The dataset ``data`` (as made by the parser) as YAML text."""
    out: list[str] = [f"# {line}".rstrip() for line in header or []]
    w = out.append
    w(f"format: {data['format']}")
    if "source" in data:
        w("source:")
        for key, value in data["source"].items():
            w(f"  {key}: {scalar(value)}")
    w("")
    for key in ("number", "date", "asked_by"):
        w(f"{key}: {scalar(data[key])}")
    w("addressed_to:")
    for key, value in data["addressed_to"].items():
        w(f"  {key}: {scalar(value)}")
    w(f"subject: {scalar(data['subject'])}")
    if data.get("introduction"):
        w("introduction:")
        for p in data["introduction"]:
            w(f"  - {scalar(p)}")
    w("")
    w("questions:")
    for q in data["questions"]:
        w(f"  - number: {q['number']}")
        w("    paragraphs:")
        for p in q["paragraphs"]:
            w(f"      - {scalar(p)}")
    w("")
    w("answers:")
    for a in data["answers"]:
        w(f"  - number: {a['number']}")
        if a.get("paragraphs"):
            w("    paragraphs:")
            for p in a["paragraphs"]:
                w(f"      - {scalar(p)}")
        if a.get("tables"):
            w("    tables:")
            for t in a["tables"]:
                _table(w, t)
    figures = data.get("key_figures")
    if figures:
        w("")
        w("# Figures stated in the answers' text, as values the outputs compute with.")
        w("key_figures:")
        if "enterprises" in figures:
            w("  enterprises:")
            for key, value in figures["enterprises"].items():
                w(f"    {key}: {scalar(value)}")
        if "usage" in figures:
            usage = figures["usage"]
            w("  usage:")
            w(f"    answer: {usage['answer']}")
            w(f"    year: {usage['year']}")
            w("    sizes:")
            for size in usage["sizes"]:
                w(f"      - {_flow(size)}")
            if "new_maximum" in usage:
                w("    new_maximum:")
                for key, value in usage["new_maximum"].items():
                    w(f"      {key}: {scalar(value)}")
    return "\n".join(out) + "\n"


# One table: id, caption, columns, rows (one flow mapping each), total.
def _table(w: Any, table: dict[str, Any]) -> None:
    label_key = table["columns"][0]["key"]
    w(f"      - id: {table['id']}")
    if table.get("caption"):
        w(f"        caption: {scalar(table['caption'])}")
    w("        columns:")
    for c in table["columns"]:
        w(f"          - {_flow(c, {'label'} if _needs_flow_quote(c['label']) else set())}")
    w("        rows:")
    for row in table["rows"]:
        w(f"          - {_flow(row, {label_key})}")
    if table.get("total"):
        w(f"        total: {_flow(table['total'])}")
    for note in table.get("notes", []):
        w(f"        # {note}")


# A YAML escape for one character (\uXXXX, or \UXXXXXXXX beyond the BMP).
def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
