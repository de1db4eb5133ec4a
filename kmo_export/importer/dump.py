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
    """The dataset ``data`` (format 2, as made by :func:`.data.as_data`) as YAML text."""
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
    _texts(w, "introduction", data.get("introduction"), "")
    w("")
    w("questions:")
    for q in data["questions"]:
        w(f"  - number: {q['number']}")
        _texts(w, "paragraphs", q["paragraphs"], "    ")
        if q.get("parts"):
            w("    parts:")
            for part in q["parts"]:
                w(f"      - label: {scalar(part['label'])}")
                _texts(w, "paragraphs", part["paragraphs"], "        ")
    if data.get("opening"):
        w("")
        _texts(w, "opening", data["opening"], "")
    w("")
    w("answers:")
    for a in data["answers"]:
        number = a["number"]
        w(f"  - number: {_list(number) if isinstance(number, list) else number}")
        _content(w, a.get("content", []), "    ")
        if a.get("parts"):
            w("    parts:")
            for part in a["parts"]:
                w(f"      - label: {scalar(part['label'])}")
                _content(w, part["content"], "        ")
    if data.get("closing"):
        w("")
        _texts(w, "closing", data["closing"], "")
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


# A list of paragraphs under ``key`` (nothing when there are none).
def _texts(w: Any, key: str, texts: list[str] | None, indent: str) -> None:
    if not texts:
        return
    w(f"{indent}{key}:")
    for p in texts:
        w(f"{indent}  - {scalar(p)}")


def _list(values: list[Any]) -> str:
    return "[" + ", ".join(scalar(v, flow=isinstance(v, str)) for v in values) + "]"


# An answer's content: "- text: ..." and "- table: ..." blocks in published order.
def _content(w: Any, blocks: list[dict[str, Any]], indent: str) -> None:
    if not blocks:
        return
    w(f"{indent}content:")
    for block in blocks:
        if "text" in block:
            w(f"{indent}  - text: {scalar(block['text'])}")
        else:
            w(f"{indent}  - table:")
            _table(w, block["table"], indent + "      ")


# One table: id, number, caption, dimension, measures, groups, rows (one flow mapping each),
# total.
def _table(w: Any, table: dict[str, Any], pad: str) -> None:
    dim = table["dimension"]
    w(f"{pad}id: {table['id']}")
    if table.get("number"):
        w(f"{pad}number: {_quoted(table['number'])}")
    if table.get("caption"):
        w(f"{pad}caption: {scalar(table['caption'])}")
    w(f"{pad}dimension: {_flow(dim, {'label'} if _needs_flow_quote(dim['label']) else set())}")
    w(f"{pad}measures:")
    for m in table["measures"]:
        plain = {k: v for k, v in m.items() if not isinstance(v, list)}
        text = _flow(plain, {"label"} if _needs_flow_quote(m["label"]) else set())
        lists = [f"{k}: {_list(v)}" for k, v in m.items() if isinstance(v, list)]
        if lists:
            text = text[:-1] + ", " + ", ".join(lists) + "}"
        w(f"{pad}  - {text}")
    if table.get("groups"):
        w(f"{pad}groups:")
        for g in table["groups"]:
            w(
                f"{pad}  - {{label: {scalar(g['label'], flow=True)}, measures: {_list(g['measures'])}}}"
            )
    w(f"{pad}rows:")
    for row in table["rows"]:
        w(f"{pad}  - {_flow(row, {dim['key']})}")
    total = table.get("total")
    if total:
        w(f"{pad}total:")
        w(f"{pad}  label: {scalar(total['label'])}")
        w(f"{pad}  values: {_flow(total['values'])}")
        if total.get("stated"):
            w(f"{pad}  stated: {total['stated']}")
            w(f"{pad}  sentence: {_quoted(total['sentence'])}")
    if table.get("missing_values"):
        w(f"{pad}missing_values: {_list(table['missing_values'])}")
    for note in table.get("notes", []):
        w(f"{pad}# {note}")


# A YAML escape for one character (\uXXXX, or \UXXXXXXXX beyond the BMP).
def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
