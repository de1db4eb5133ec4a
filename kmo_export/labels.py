"""User-facing labels, one catalogue file per language (``catalogue/<lang>.toml``).

Adding a language is adding a file: copy ``nl.toml``, translate the values, keep the keys.
Keys are dotted paths into the file (``workbook.cover.title``); values may hold
``{placeholders}`` filled in by :meth:`Labels.get`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_FOLDER = Path(__file__).resolve().parent / "catalogue"


def languages() -> list[str]:
    """The languages there is a catalogue for."""
    return sorted(p.stem for p in _FOLDER.glob("*.toml"))


class Labels:
    """The labels of one language. ``labels.get("a.b", n=3)`` or ``labels["a.b"]``."""

    def __init__(self, language: str, entries: dict[str, Any]) -> None:
        self.language = language
        self._entries = entries

    def get(self, key: str, **values: Any) -> str:
        """The label ``key``, with ``{placeholders}`` filled from ``values``."""
        node: Any = self._entries
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"label {key!r} is missing from catalogue/{self.language}.toml")
            node = node[part]
        if not isinstance(node, str):
            raise KeyError(
                f"label {key!r} in catalogue/{self.language}.toml is a section, not a label"
            )
        return node.format(**values) if values else node

    __getitem__ = get

    def section(self, key: str) -> dict[str, Any]:
        node: Any = self._entries
        for part in key.split("."):
            node = node[part]
        section: dict[str, Any] = node
        return section

    @property
    def locale(self) -> str:
        """The locale for number and date formats (``nl_BE``, ``en_GB``)."""
        return self.get("locale")


@cache
def labels(language: str = "nl") -> Labels:
    """The catalogue for ``language``; ValueError naming the known languages if there is none."""
    path = _FOLDER / f"{language}.toml"
    if not path.is_file():
        raise ValueError(f"no labels for language {language!r} (known: {', '.join(languages())})")
    with path.open("rb") as handle:
        return Labels(language, tomllib.load(handle))
