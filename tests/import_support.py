"""Helpers for the tests of the importer."""

from __future__ import annotations

from typing import Any


def data_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table of imported dataset data (as ``parse_text`` gives it), in published order."""
    out = []
    for a in data["answers"]:
        blocks = [*a.get("content", []), *(b for p in a.get("parts", []) for b in p["content"])]
        out += [b["table"] for b in blocks if "table" in b]
    return out
