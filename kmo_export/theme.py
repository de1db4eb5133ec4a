"""The house style of every output, read from one file: ``templates/theme.toml``.

The workbook takes its fonts, colours, number formats and chart palette from it; the brief its
table shading, rules and the same chart palette (a user's Word template keeps its own fonts and
heading styles). A user's theme file (``build --style FILE``, or ``KMO_EXPORT_STYLE``) is laid
over the bundled one: it may change any value, and holds no key the bundled theme lacks.
``theme_for(language)`` applies the per-language number formats.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from .resources import templates_dir

THEME_FILE = "theme.toml"
#: A theme file of the user's (``build --style FILE``): its values replace the bundled ones.
STYLE_ENV = "KMO_EXPORT_STYLE"


def theme_path() -> Path:
    """The theme file that ships with kmo-export."""
    return templates_dir() / THEME_FILE


def load_theme() -> dict[str, Any]:
    """The theme: the bundled file, with the one named by KMO_EXPORT_STYLE laid over it.

    Raise StyleError naming the file for one that cannot be read, is no TOML, or holds a key
    the bundled theme does not know or a value of another kind. Each file is read once.
    """
    return _theme(os.environ.get(STYLE_ENV) or None)


@cache
def _theme(path: str | None) -> dict[str, Any]:
    # The bundled theme, with the user's file at ``path`` laid over it.
    with theme_path().open("rb") as handle:
        theme = tomllib.load(handle)
    if path is None:
        return theme
    from .errors import DatasetError, StyleError
    from .reading import Limit, read_text

    try:
        text = read_text(Path(path), Limit("a style file", 1, "KMO_EXPORT_MAX_STYLE_MB"))
        mine = tomllib.loads(text)
    except DatasetError as exc:
        raise StyleError(f"the style file {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: the style file is not valid TOML: {exc}") from None
    problem = _overlay(theme, mine, "")
    if problem:
        raise StyleError(f"{path}: {problem} (see the bundled templates/{THEME_FILE})")
    return theme


# Lay ``mine`` over ``base`` in place; what is wrong with it, or None.
def _overlay(base: dict[str, Any], mine: dict[str, Any], path: str) -> str | None:
    for key, value in mine.items():
        where = f"{path}.{key}" if path else key
        if key not in base:
            return f"unknown key {where!r}"
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                return f"{where!r} must be a table ([{where}])"
            problem = _overlay(base[key], value, where)
            if problem:
                return problem
        elif type(value) is not type(base[key]) and not (
            isinstance(value, int | float) and isinstance(base[key], int | float)
        ):
            return f"{where!r} must be a {type(base[key]).__name__}, like the bundled value"
        else:
            base[key] = value
    return None


def theme_for(language: str) -> dict[str, Any]:
    """The theme with the number formats of ``language`` (``[number_formats.LANG]``) applied."""
    theme = load_theme()
    codes = theme["number_formats"]
    override = codes.get(language)
    merged = {k: v for k, v in codes.items() if isinstance(v, str)}
    if isinstance(override, dict):
        merged.update(override)
    return {**theme, "number_formats": merged, "language": language}


def palette() -> tuple[str, ...]:
    """The chart series colours, in order (both outputs)."""
    return tuple(load_theme()["colours"]["series"])
