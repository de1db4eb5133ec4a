"""Native Word charts whose data sits in an embedded workbook ("Edit data" works in Word).

XlsxWriter writes the chart: a small in-memory workbook holds the chart's data and the chart
itself; its ``xl/charts/chart1.xml`` becomes the chart part of the brief, with
``c:externalData`` pointing at that same workbook, embedded in the brief. The parts and
relationships are added through python-docx's OPC API (``Part``, ``XmlPart``, ``relate_to``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .wordml import esc

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.parts.document import DocumentPart

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EMU_PER_CM = 360_000
SHEET = "Data"
COLORS = ("#1F3A5F", "#8FA9C8")
FONT = "Arial"


@dataclass(frozen=True)
class ChartSpec:
    """A horizontal bar chart: categories top-down in the given order, one or more series."""

    categories: Sequence[str]
    series: Sequence[tuple[str, Sequence[Decimal], str]]  # name, a value per category, format
    category_title: str
    description: str  # alt text: what the chart shows
    name: str  # the drawing's name (e.g. "Grafiek 1")
    locale_prefix: str = ""  # e.g. "[$-813]": shows the numbers in that locale (nl-BE)
    value_title: str = ""  # the value axis's title: what is counted or the unit ("€")


def chart_workbook(spec: ChartSpec, created: dt.datetime, language_tag: str) -> tuple[bytes, bytes]:
    """The chart's data workbook (.xlsx bytes) and its chart XML (from the same workbook)."""
    import xlsxwriter

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
    chart = workbook.add_chart({"type": "bar"})
    for j, (name, values, num_format) in enumerate(spec.series, start=1):
        sheet.write_string(0, j, name, bold)
        values_format = workbook.add_format({"num_format": num_format})
        for i, value in enumerate(values, start=1):
            sheet.write_number(i, j, float(value), values_format)
        chart.add_series(
            {
                "name": [SHEET, 0, j],
                "categories": [SHEET, 1, 0, n, 0],
                "values": [SHEET, 1, j, n, j],
                "fill": {"color": COLORS[(j - 1) % len(COLORS)]},
                "border": {"none": True},
                "gap": 60,
                "data_labels": {
                    "value": True,
                    "position": "outside_end",
                    "num_format": spec.locale_prefix + num_format,
                    "font": {"size": 8, "name": FONT},
                },
            }
        )
    sheet.set_column(0, 0, min(60, max(12, *(len(c) for c in spec.categories))))
    sheet.set_column(1, len(spec.series), 16)
    font = {"size": 8, "name": FONT}
    # Bar charts: y is the category axis. Reverse it so bars read top-down in table order,
    # and let the value axis cross at the last category so it stays at the bottom.
    chart.set_y_axis(
        {"reverse": True, "crossing": "max", "num_font": font, "major_tick_mark": "none"}
    )
    value_axis = {
        "num_format": spec.locale_prefix + "#,##0",
        "num_font": font,
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        "line": {"none": True},
    }
    if spec.value_title:
        # A title XlsxWriter would read as a reference ("'x'!A1") goes in a cell, shown as text.
        value_axis["name"] = spec.value_title
        if "!" in spec.value_title:
            sheet.write_string(0, len(spec.series) + 2, spec.value_title)
            value_axis["name"] = [SHEET, 0, len(spec.series) + 2]
        value_axis["name_font"] = {**font, "bold": False}
    chart.set_x_axis(value_axis)
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
    part: DocumentPart,
    spec: ChartSpec,
    created: dt.datetime,
    language_tag: str,
    drawing_id: int,
    width_cm: float,
    height_cm: float,
) -> str:
    """Add a chart and its workbook to the package; return the inline drawing (a w:r)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part, XmlPart
    from docx.oxml.parser import parse_xml

    package: OpcPackage = part.package
    workbook, chart_xml = chart_workbook(spec, created, language_tag)
    embedded = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        XLSX_CT,
        workbook,
        package,
    )
    element = parse_xml(chart_xml)
    chart_part = XmlPart(
        PackURI(package.next_partname("/word/charts/chart%d.xml")), CHART_CT, element, package
    )
    rid_data = chart_part.relate_to(embedded, RT_PACKAGE)
    _only_values(element)
    lang = element.find(f"{_C}lang")
    if lang is not None:
        lang.set("val", language_tag)
    for run_properties in element.iter(f"{_A}defRPr", f"{_A}rPr", f"{_A}endParaRPr"):
        run_properties.set("lang", language_tag)  # XlsxWriter tags chart text en-US
    external = parse_xml(
        f'<c:externalData xmlns:c="{_C[1:-1]}" xmlns:r="{_R[1:-1]}" r:id="{rid_data}">'
        '<c:autoUpdate val="0"/></c:externalData>'
    )
    # c:externalData comes after c:txPr and before c:printSettings/c:userShapes/c:extLst.
    for tag in ("printSettings", "userShapes", "extLst"):
        follower = element.find(f"{_C}{tag}")
        if follower is not None:
            follower.addprevious(external)
            break
    else:
        element.append(external)
    rid = part.relate_to(chart_part, RT_CHART)
    cx, cy = round(width_cm * EMU_PER_CM), round(height_cm * EMU_PER_CM)
    return (
        "<w:r><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="{esc(spec.name)}" descr="{esc(spec.description)}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


# Data labels show the value only: say so for every flag (a reader that misses one shows it).
def _only_values(element) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.parser import OxmlElement

    for labels in element.iter(f"{_C}dLbls"):
        show = labels.find(f"{_C}showVal")
        if show is None:
            continue
        body = labels.find(f"{_C}txPr/{_A}bodyPr")
        if body is not None:
            body.set("wrap", "none")  # a value label stays on one line
        key = OxmlElement("c:showLegendKey", attrs={"val": "0"})
        show.addprevious(key)
        for tag in reversed(("showCatName", "showSerName", "showPercent", "showBubbleSize")):
            show.addnext(OxmlElement(f"c:{tag}", attrs={"val": "0"}))
