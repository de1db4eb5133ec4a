"""Native Word charts whose data sits in an embedded workbook ("Edit data" works in Word).

XlsxWriter writes the chart: a small in-memory workbook holds the chart's data and the chart
itself; its ``xl/charts/chart1.xml`` becomes the chart part of the brief, with
``c:externalData`` pointing at that same workbook, embedded in the brief. The parts and
relationships are added to the brief's package (:mod:`kmo_export.brief.opc`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .opc import ATTRIBUTES, Package, attributes
from .wordml import esc, inline_chart

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
EMU_PER_CM = 360_000
SHEET = "Data"
FONT = "Arial"


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name, a value per category (None: no value), its format."""

    name: str
    values: Sequence[Decimal | None]
    num_format: str
    secondary: bool = False  # drawn as a line on a second value axis (a percentage)


@dataclass(frozen=True)
class ChartSpec:
    """A chart: categories in the given order, one or more series.

    ``kind``: ``bar`` (horizontal bars, read top-down), ``column`` (vertical columns, left to
    right: periods in their order) or ``line``.
    """

    categories: Sequence[str]
    series: Sequence[Series]
    category_title: str
    description: str  # alt text: what the chart shows, in which order
    name: str  # the drawing's name (e.g. "Grafiek 1")
    locale_prefix: str = ""  # e.g. "[$-813]": shows the numbers in that locale (nl-BE)
    value_title: str = ""  # the value axis's title: what is counted or the unit ("€")
    secondary_title: str = ""  # the second value axis's title ("%")
    kind: str = "bar"
    value_format: str = "#,##0"  # the value axis's numbers (never cents)
    labels: bool = True  # data labels with the values
    highlight: Sequence[int] = ()  # categories drawn in the "other" colour (the rest bar)


@dataclass(frozen=True)
class Colours:
    """The chart colours of the theme: series in order, the rest bar, gridlines."""

    series: Sequence[str]
    other: str
    gridlines: str


def theme_colours() -> Colours:
    """The chart colours from ``templates/theme.toml`` (the same palette as the workbook)."""
    from ..theme import load_theme, palette

    theme = load_theme()
    return Colours(palette(), theme["colours"].get("other", "#A5A5A5"), theme["brief"]["gridlines"])


def chart_workbook(spec: ChartSpec, created: dt.datetime, language_tag: str) -> tuple[bytes, bytes]:
    """The chart's data workbook (.xlsx bytes) and its chart XML (from the same workbook)."""
    import xlsxwriter

    colours = theme_colours()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"created": created, "author": "", "comments": ""})
    sheet = workbook.add_worksheet(SHEET)
    bold = workbook.add_format({"bold": True})
    n = len(spec.categories)
    sheet.write_string(0, 0, spec.category_title, bold)
    for i, category in enumerate(spec.categories, start=1):
        sheet.write_string(i, 0, category)
    chart = workbook.add_chart({"type": spec.kind})
    line = None
    font = {"size": 8, "name": FONT}
    for j, series in enumerate(spec.series, start=1):
        sheet.write_string(0, j, series.name, bold)
        values_format = workbook.add_format({"num_format": series.num_format})
        for i, value in enumerate(series.values, start=1):
            if value is not None:  # no value: no cell (a formatted blank would chart as 0)
                sheet.write_number(i, j, float(value), values_format)
        colour = colours.series[(j - 1) % len(colours.series)]
        options: dict[str, Any] = {
            "name": [SHEET, 0, j],
            "categories": [SHEET, 1, 0, n, 0],
            "values": [SHEET, 1, j, n, j],
        }
        target = chart
        if series.secondary or spec.kind == "line":
            options["line"] = {"color": colour, "width": 2.25}
            options["marker"] = {
                "type": "circle",
                "size": 5,
                "fill": {"color": colour},
                "border": {"color": colour},
            }
            if series.secondary:
                options["y2_axis"] = True
                if line is None:
                    line = workbook.add_chart({"type": "line"})
                target = line
        else:
            options["fill"] = {"color": colour}
            options["border"] = {"none": True}
            options["gap"] = 60
            if spec.highlight and len(spec.series) == 1:
                options["points"] = [
                    {"fill": {"color": colours.other}} if i in spec.highlight else None
                    for i in range(n)
                ]
        if spec.labels:
            options["data_labels"] = {
                "value": True,
                "position": "outside_end" if target is chart and spec.kind != "line" else "above",
                "num_format": spec.locale_prefix + series.num_format,
                "font": font,
            }
        target.add_series(options)
    sheet.set_column(0, 0, min(60, max(12, *(len(c) for c in spec.categories))))
    sheet.set_column(1, len(spec.series), 16)
    value_axis: dict[str, Any] = {
        "num_format": spec.locale_prefix + spec.value_format,
        "num_font": font,
        "major_gridlines": {"visible": True, "line": {"color": colours.gridlines}},
        "line": {"none": True},
    }
    if spec.value_title:
        # A title XlsxWriter would read as a reference ("'x'!A1") goes in a cell, shown as text.
        value_axis["name"] = spec.value_title
        if "!" in spec.value_title:
            sheet.write_string(0, len(spec.series) + 2, spec.value_title)
            value_axis["name"] = [SHEET, 0, len(spec.series) + 2]
        value_axis["name_font"] = {**font, "bold": False}
    category_axis: dict[str, Any] = {"num_font": font, "major_tick_mark": "none"}
    if spec.kind == "bar":
        # Bar charts: y is the category axis. Reverse it so bars read top-down in the given
        # order, and let the value axis cross at the last category so it stays at the bottom.
        # Every bar keeps its label (a reader skips every other one when long labels wrap).
        axis = {**category_axis, "reverse": True, "crossing": "max", "interval_unit": 1}
        chart.set_y_axis(axis)
        chart.set_x_axis(value_axis)
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    if line is not None:
        secondary = [s for s in spec.series if s.secondary]
        axis2: dict[str, Any] = {
            "num_format": spec.locale_prefix + secondary[0].num_format,
            "num_font": font,
            "line": {"none": True},
            "min": 0,
        }
        if spec.secondary_title:
            axis2["name"] = spec.secondary_title
            axis2["name_font"] = {**font, "bold": False}
        line.set_y2_axis(axis2)
        chart.combine(line)
    if len(spec.series) > 1:
        chart.set_legend({"position": "bottom", "font": font})
    else:
        chart.set_legend({"none": True})
    chart.set_title({"none": True})
    chart.set_chartarea({"border": {"none": True}})
    sheet.insert_chart(1, len(spec.series) + 2, chart)
    workbook.close()
    blob = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        chart_xml = package.read("xl/charts/chart1.xml")
    return blob, chart_xml


def add_chart(
    package: Package,
    document: str,
    spec: ChartSpec,
    created: dt.datetime,
    language_tag: str,
    drawing_id: int,
    width_cm: float,
    height_cm: float,
) -> str:
    """Add a chart and its workbook to the package; return the inline drawing (a w:r)."""
    workbook, chart_xml = chart_workbook(spec, created, language_tag)
    package.add_default("xlsx", XLSX_CT)
    embedded = package.next_name("word/embeddings/Microsoft_Excel_Worksheet%d.xlsx")
    package.write(embedded, workbook)
    chart_name = package.next_name("word/charts/chart%d.xml")
    rid_data = package.relate(chart_name, RT_PACKAGE, embedded)
    package.write(chart_name, chart_part_xml(chart_xml, rid_data, language_tag), CHART_CT)
    rid = package.relate(document, RT_CHART, chart_name)
    cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
    return inline_chart(rid, drawing_id, spec.name, spec.description, cx, cy)


def chart_part_xml(chart_xml: bytes, data_rid: str, language_tag: str) -> bytes:
    """XlsxWriter's chart XML as the brief's chart part.

    Its text tagged with the document language (XlsxWriter tags it en-US), data labels that
    show the value only (every flag said: a reader that misses one shows it) on one line, and
    ``c:externalData`` pointing at the embedded workbook (relationship ``data_rid``), after
    ``c:txPr`` and before ``c:printSettings``/``c:userShapes``/``c:extLst``.
    """
    xml = chart_xml.decode("utf-8")
    tag = esc(language_tag)
    xml = _CHART_LANG.sub(f'<c:lang val="{tag}"/>', xml)
    xml = _TEXT_PROPERTIES.sub(lambda m: _tagged(m, tag), xml)
    xml = _VALUE_LABELS.sub(_only_values, xml)
    external = f'<c:externalData r:id="{esc(data_rid)}"><c:autoUpdate val="0"/></c:externalData>'
    for follower in ("<c:printSettings", "<c:userShapes", "<c:extLst", "</c:chartSpace>"):
        at = xml.rfind(follower)
        if at >= 0:
            xml = xml[:at] + external + xml[at:]
            break
    return xml.encode("utf-8")


_CHART_LANG = re.compile(r"<c:lang\b[^>]*/>")
_TEXT_PROPERTIES = re.compile(rf"<a:(defRPr|rPr|endParaRPr)\b{ATTRIBUTES}(/?)>")
_VALUE_LABELS = re.compile(r"<c:dLbls>((?:(?!</c:dLbls>).)*)</c:dLbls>", re.DOTALL)
_LABEL_FLAGS = "showCatName", "showSerName", "showPercent", "showBubbleSize"


# A run's text properties with lang="tag" (replaced where set, else added last).
def _tagged(match: re.Match[str], tag: str) -> str:
    attrs = attributes(match[2])
    attrs["lang"] = tag
    written = "".join(f' {k}="{esc(v)}"' for k, v in attrs.items())
    return f"<a:{match[1]}{written}{match[3]}>"


# Data labels that show the value only, each on one line.
def _only_values(match: re.Match[str]) -> str:
    inside = match[1]
    if '<c:showVal val="1"/>' not in inside:
        return match[0]
    inside = inside.replace("<a:bodyPr/>", '<a:bodyPr wrap="none"/>', 1)
    flags = "".join(f'<c:{flag} val="0"/>' for flag in _LABEL_FLAGS)
    inside = inside.replace(
        '<c:showVal val="1"/>', f'<c:showLegendKey val="0"/><c:showVal val="1"/>{flags}', 1
    )
    return f"<c:dLbls>{inside}</c:dLbls>"
