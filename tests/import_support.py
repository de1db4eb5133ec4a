"""Loading an imported (format-2) dataset in the tests of the importer."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kmo_export.errors import DatasetError
from kmo_export.loader import _parse_yaml, load


def load_imported(path: Path):
    """The model of an imported dataset file.

    Until the format-2 loader is merged, a format-2 file is read through its format-1 view
    (content -> paragraphs and tables, dimension and measures -> columns).
    """
    try:
        return load(path)
    except DatasetError as exc:
        if "unsupported format" not in str(exc):
            raise
    data, _ = _parse_yaml(path.read_text(encoding="utf-8"), str(path))
    old = path.with_name(path.stem + ".v1.json")
    old.write_text(json.dumps(_format1(data), default=_number), encoding="utf-8")
    return load(old)


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(value)
        )
    raise TypeError(type(value))


def _format1(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("opening", "closing", "figures")}
    out["format"] = 1
    out["source"] = {k: v for k, v in data.get("source", {}).items()}
    out["questions"] = [
        {
            "number": q["number"],
            "paragraphs": [
                *q["paragraphs"],
                *(p for part in q.get("parts", []) for p in part["paragraphs"]),
            ],
        }
        for q in data["questions"]
    ]
    answers = []
    for a in data["answers"]:
        number = a["number"][0] if isinstance(a["number"], list) else a["number"]
        blocks = [*a.get("content", []), *(b for p in a.get("parts", []) for b in p["content"])]
        answer: dict[str, Any] = {"number": number}
        paragraphs = [b["text"] for b in blocks if "text" in b]
        tables = [_table(b["table"]) for b in blocks if "table" in b]
        if paragraphs:
            answer["paragraphs"] = paragraphs
        if tables:
            answer["tables"] = tables
        answers.append(answer)
    out["answers"] = answers
    return out


def _table(t: dict[str, Any]) -> dict[str, Any]:
    dim = t["dimension"]
    columns = [{"key": dim["key"], "label": dim["label"], "type": "label"}]
    for m in t["measures"]:
        c = {"key": m["key"], "label": m["label"], "type": m["kind"]}
        if m["kind"] == "amount":
            c["unit"] = m.get("unit", "EUR") + (
                f" {m['multiplier']}" if m.get("multiplier") else ""
            )
        if "decimals" in m:
            c["decimals"] = m["decimals"]
        columns.append(c)
    rows = [
        {
            k: (None if isinstance(v, str) and k != dim["key"] and k != "level" else v)
            for k, v in r.items()
        }
        for r in t["rows"]
    ]
    out: dict[str, Any] = {"id": t["id"], "columns": columns, "rows": rows}
    if t.get("caption"):
        out["caption"] = t["caption"]
    if t.get("total"):
        values = {k: v for k, v in t["total"]["values"].items() if not isinstance(v, str)}
        out["total"] = {"label": t["total"]["label"], **values}
    return out


def data_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table of imported dataset data (as ``parse_text`` gives it), in published order."""
    out = []
    for a in data["answers"]:
        blocks = [*a.get("content", []), *(b for p in a.get("parts", []) for b in p["content"])]
        out += [b["table"] for b in blocks if "table" in b]
    return out
