"""House style of the workbook: the theme (``templates/theme.toml``) and the cell formats made from it."""

from __future__ import annotations

from typing import Any

from ..model import Column, ColumnType
from ..theme import STYLE_ENV
from ..theme import load_theme as load_style
from ..theme import theme_for as style_for

__all__ = ["STYLE_ENV", "Formats", "load_style", "number_format", "style_for"]


def number_format(style: dict[str, Any], column: Column, decimals: int | None = None) -> str:
    """The number format code of a measure (``decimals`` overrides the column's own).

    Amounts follow the measure's unit multiplier (``mln``, ``k``); percentages are stored as
    fractions and shown with a percent format; a number shows its unit.
    """
    codes = style["number_formats"]
    places = column.decimals if decimals is None else decimals
    fraction = "." + "0" * places if places else ""
    if column.type is ColumnType.COUNT and decimals is None:
        return str(codes["count"])
    if column.is_money:
        key = {6: "euro_million", 3: "euro_thousand"}.get(multiplier(column), "euro")
        return str(codes[key]).format(decimals=fraction)
    if column.type is ColumnType.PERCENT:
        return str(codes["percent"]).format(decimals=fraction)
    code = str(codes["number"]).format(decimals=fraction)
    unit = column.unit_text(style.get("language", "nl"))
    if column.type is ColumnType.NUMBER and unit:
        code += f' "{unit.replace(chr(34), "")}"'
    return code


def multiplier(column: Column) -> int:
    """The unit multiplier of a measure (6: million).

    Until the format-2 loader sets it for format-1 units, "EUR million" means 6 here.
    """
    if column.multiplier or column.type is not ColumnType.AMOUNT:
        return column.multiplier
    unit = (column.unit or "").replace(" ", "").lower()
    return 6 if unit in ("eurmillion", "eurmln", "mlneur") else 0


def share_format(style: dict[str, Any], decimals: int = 1) -> str:
    """A computed share or percentage (a fraction) with ``decimals`` shown."""
    fraction = "." + "0" * decimals if decimals else ""
    return str(style["number_formats"]["percent"]).format(decimals=fraction)


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
