"""The house style of every output, read from one file: ``templates/theme.toml``.

The workbook takes its fonts, colours, number formats and chart palette from it; the brief its
table shading, rules and the same chart palette (a user's Word template keeps its own fonts and
heading styles). ``theme_for(language)`` applies the per-language number formats.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from .resources import templates_dir

THEME_FILE = "theme.toml"


def theme_path() -> Path:
    """The theme file that ships with kmo-export."""
    return templates_dir() / THEME_FILE


@cache
def load_theme(path: Path | None = None) -> dict[str, Any]:
    """The parsed theme file (read once per process and path)."""
    with (path or theme_path()).open("rb") as handle:
        return tomllib.load(handle)


def theme_for(language: str, path: Path | None = None) -> dict[str, Any]:
    """The theme with the number formats of ``language`` (``[number_formats.LANG]``) applied."""
    theme = load_theme(path)
    codes = theme["number_formats"]
    override = codes.get(language)
    merged = {k: v for k, v in codes.items() if isinstance(v, str)}
    if isinstance(override, dict):
        merged.update(override)
    return {**theme, "number_formats": merged}


def palette() -> tuple[str, ...]:
    """The chart series colours, in order (both outputs)."""
    return tuple(load_theme()["colours"]["series"])
