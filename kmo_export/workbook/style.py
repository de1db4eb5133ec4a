"""House style of the workbook: ``templates/workbook-style.toml`` and the cell formats made from it."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from ..model import Column, ColumnType
from ..resources import templates_dir

STYLE_FILE = "workbook-style.toml"
#: A style file of the user's (``build --style FILE``): its values replace the bundled ones.
STYLE_ENV = "KMO_EXPORT_STYLE"


def load_style() -> dict[str, Any]:
    """The style: the bundled file, with the one named by KMO_EXPORT_STYLE laid over it.

    Raise StyleError naming the file for one that cannot be read, is no TOML, or holds a key
    the bundled style does not know or a value of another kind. Each file is read once.
    """
    return _style(os.environ.get(STYLE_ENV) or None)


@cache
def _style(path: str | None) -> dict[str, Any]:
    # The bundled style, with the user's file at ``path`` laid over it.
    with (templates_dir() / STYLE_FILE).open("rb") as handle:
        style = tomllib.load(handle)
    if path is None:
        return style
    from ..errors import DatasetError, StyleError
    from ..reading import Limit, read_text

    try:
        text = read_text(Path(path), Limit("a style file", 1, "KMO_EXPORT_MAX_STYLE_MB"))
        mine = tomllib.loads(text)
    except DatasetError as exc:
        raise StyleError(f"the style file {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: the style file is not valid TOML: {exc}") from None
    problem = _overlay(style, mine, "")
    if problem:
        raise StyleError(f"{path}: {problem} (see the bundled templates/{STYLE_FILE})")
    return style


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


def style_for(language: str) -> dict[str, Any]:
    """The style with the number formats of ``language`` (``[number_formats.LANG]``) applied."""
    style = load_style()
    codes = style["number_formats"]
    override = codes.get(language)
    merged = {k: v for k, v in codes.items() if isinstance(v, str)}
    if isinstance(override, dict):
        merged.update(override)
    return {**style, "number_formats": merged}


def number_format(style: dict[str, Any], column: Column) -> str:
    """The number format code of a value column of the dataset."""
    codes = style["number_formats"]
    decimals = "." + "0" * column.decimals if column.decimals else ""
    if column.type is ColumnType.COUNT:
        return codes["count"]
    if column.type is ColumnType.AMOUNT:
        unit = (column.unit or "EUR").replace(" ", "").lower()
        code = codes["euro_million"] if "million" in unit or "mln" in unit else codes["euro"]
        return code.format(decimals=decimals)
    if column.type is ColumnType.PERCENT:
        return codes["percent_value"].format(decimals=decimals)
    return codes["number"].format(decimals=decimals)


def is_million(column: Column) -> bool:
    """Whether an amount column is in millions of euro."""
    unit = (column.unit or "").replace(" ", "").lower()
    return column.type is ColumnType.AMOUNT and ("million" in unit or "mln" in unit)


class Formats:
    """Cell formats of one workbook, made on first use and shared (XlsxWriter wants few formats)."""

    def __init__(self, workbook: Any, style: dict[str, Any]) -> None:
        self._workbook = workbook
        self.style = style
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}
        fonts, colours = style["fonts"], style["colours"]
        self._base = {"font_name": fonts["name"], "font_size": fonts["size"]}
        self.colours = colours
        self.fonts = fonts

    def get(self, **properties: Any) -> Any:
        """The format with ``properties`` (XlsxWriter names) on top of the house font."""
        key = tuple(sorted(properties.items()))
        made = self._made.get(key)
        if made is None:
            made = self._workbook.add_format({**self._base, **properties})
            self._made[key] = made
        return made

    # -- the formats the sheets use --

    def title(self) -> Any:
        return self.get(
            bold=True, font_size=self.fonts["title_size"], font_color=self.colours["title"]
        )

    def heading(self) -> Any:
        return self.get(
            bold=True, font_size=self.fonts["heading_size"], font_color=self.colours["title"]
        )

    def note(self, wrap: bool = False) -> Any:
        return self.get(font_color=self.colours["note_font"], text_wrap=wrap, valign="top")

    def text(self, wrap: bool = False, bold: bool = False) -> Any:
        return self.get(text_wrap=wrap, valign="top", bold=bold)

    def link(self) -> Any:
        return self.get(font_color=self.colours["link_font"], underline=1, valign="top")

    def header(self, indent: int = 0) -> Any:
        extra = {"indent": indent} if indent else {}
        return self.get(
            **extra,
            bold=True,
            text_wrap=True,
            valign="bottom",
            bg_color=self.colours["header_fill"],
            font_color=self.colours["header_font"],
            border=1,
            border_color=self.colours["border"],
        )

    def label(self, level: int = 0) -> Any:
        return self.get(indent=level) if level else self.get()

    def value(self, code: str) -> Any:
        return self.get(num_format=code)

    def total_label(self) -> Any:
        return self.get(bold=True, bg_color=self.colours["total_fill"], top=1)

    def total(self, code: str | None) -> Any:
        if code is None:
            return self.get(bold=True, bg_color=self.colours["total_fill"], top=1)
        return self.get(bold=True, bg_color=self.colours["total_fill"], top=1, num_format=code)

    def status(self) -> Any:
        return self.get(bold=True, align="center")

    def ok(self) -> Any:
        return self.get(bg_color=self.colours["ok_fill"], font_color=self.colours["ok_font"])

    def bad(self) -> Any:
        return self.get(bg_color=self.colours["bad_fill"], font_color=self.colours["bad_font"])
