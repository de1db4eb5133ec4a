"""The finance workbook (.xlsx). Entry point: :func:`render_xlsx`.

This module is the packager: it alone knows which sheets there are, in which order and under
which names. The workbook follows the analysis (:mod:`kmo_export.analysis`): every derived
figure is the analysis' figure, written as a formula with the analysis' value cached; the
renderers format, they do not compute. Each part of the output has its own module:

* :mod:`.cover` - "Over deze cijfers": title, the source in full, contents, notes;
* :mod:`.layout` - where everything of a table sheet stands (planned before anything is written);
* :mod:`.formulas` - the formula of each derived figure, one pattern per column;
* :mod:`.table_sheet` - writes a table sheet (figures, formulas, total row, reconciliation);
* :mod:`.sizing` - column widths, header heights, pages across;
* :mod:`.usage` - "Benutting", when the dataset has usage figures;
* :mod:`.key_figures` - "Kerncijfers": figures stated in the text and the table's totals;
* :mod:`.chart_data` - the top-N series behind the category charts (formulas that re-rank);
* :mod:`.charts` - the charts the analysis plans;
* :mod:`.page` - the printed page of every sheet;
* :mod:`.style` - the house theme (``templates/theme.toml``) and the cell formats.

Big tables are streamed (XlsxWriter ``constant_memory``, switched on for their sheet only),
so a table of a million rows is written with little memory.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Report

if TYPE_CHECKING:
    from ..labels import Labels
    from .chart_data import ChartsPlan
    from .layout import TableLayout


def render_xlsx(report: Report, path: Path) -> None:
    """Write the workbook for ``report`` to ``path``."""
    from ..labels import labels as catalogue
    from . import chart_data, charts, cover, key_figures, layout, table_sheet, usage
    from .context import Context
    from .names import header_text, join, long_date, name_of, safe_sheet_name
    from .style import Formats, multiplier, style_for

    style = style_for(report.language)
    labels = catalogue(report.language)
    language = report.language
    dataset = report.dataset
    analysis = report.analysis
    big_rows = style["layout"]["big_table_rows"]
    streamed = any(len(t.rows) > big_rows for _, t in dataset.tables)
    # Small workbooks are assembled in memory (no temporary files); big ones stream to disk.
    workbook = _workbook_class()(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": not streamed},
    )
    workbook.language = labels["language_tag"]
    date = long_date(dataset.date, labels)
    workbook.set_properties(
        {
            "title": labels.get("workbook.properties.title", subject=dataset.subject),
            "subject": labels.get("workbook.properties.subject", number=dataset.number, date=date),
            "author": labels["workbook.properties.author"],
            "keywords": labels.get(
                "workbook.properties.keywords", number=dataset.number, subject=dataset.subject
            ),
            "comments": labels.get("workbook.properties.comments", number=dataset.number),
            "created": report.created,
        }
    )
    ctx = Context(report, labels, style, Formats(workbook, style))

    # The plan: every sheet's name, and every table's layout, before anything is written.
    taken: set[str] = set()
    cover_name = safe_sheet_name(labels["workbook.sheets.cover"], taken)
    layouts = []
    for answer, table in dataset.tables:
        label = header_text(table.label_column.text(language))
        wanted = labels.get(
            "workbook.sheets.table",
            label=label[:1].lower() + label[1:],
            label_name=name_of(table.label_column, labels, inside=True),
        )
        name = safe_sheet_name(wanted, taken)
        layouts.append(
            layout.plan(labels, language, answer, table, analysis.table(table), name, big_rows)
        )
    figures = dataset.key_figures
    usage_layout = (
        usage.UsageLayout(safe_sheet_name(labels["workbook.sheets.usage"], taken), figures.usage)
        if figures.usage is not None
        else None
    )
    has_key_figures = figures.enterprises is not None or bool(dataset.figures)
    key_name = (
        safe_sheet_name(labels["workbook.sheets.key_figures"], taken) if has_key_figures else None
    )
    chart_plan = chart_data.plan(layouts, report.top_n)
    has_charts = bool(chart_plan) or usage_layout is not None
    charts_name = safe_sheet_name(labels["workbook.sheets.charts"], taken) if has_charts else None
    data_name = (
        safe_sheet_name(labels["workbook.sheets.chart_data"], taken) if chart_plan.blocks else None
    )

    contents = [(lay.sheet, _table_contents(lay, labels)) for lay in layouts]
    if usage_layout is not None:
        contents.append((usage_layout.sheet, labels["workbook.cover.sheet_usage"]))
    if key_name is not None:
        key = "sheet_key_figures" if figures.enterprises is not None else "sheet_key_figures_stated"
        contents.append((key_name, labels[f"workbook.cover.{key}"]))
    if charts_name is not None:
        contents.append(
            (charts_name, _charts_contents(chart_plan, usage_layout, report.top_n, labels))
        )
    if data_name is not None:
        contents.append((data_name, labels["workbook.cover.sheet_chart_data"]))

    notes = []
    if figures.usage is not None and figures.usage.new_maximum is not None:
        new = figures.usage.new_maximum
        notes.append(
            labels.get(
                "workbook.cover.note_new_maximum",
                date=long_date(new.since, labels),
                amount=_number(new.amount, labels),
                answer=figures.usage.answer,
            )
        )
    if figures.enterprises is not None:
        e = figures.enterprises
        notes.append(
            labels.get(
                "workbook.cover.note_projects",
                year=e.year,
                enterprises=_number(e.count, labels),
                answer=e.answer,
            )
        )
    amounts = [c for _, t in dataset.tables for c in t.value_columns if c.is_money]
    scales = {multiplier(c) for c in amounts}
    if 0 in scales or figures.usage is not None:
        notes.append(labels["workbook.cover.note_euro"])
    if 6 in scales:
        notes.append(labels["workbook.cover.note_euro_million"])
    if 3 in scales:
        notes.append(labels["workbook.cover.note_euro_thousand"])
    if any(c.is_percent for _, t in dataset.tables for c in t.value_columns):
        notes.append(labels["workbook.cover.note_percent"])
    notes.append(labels["workbook.cover.note_formulas"])
    inconsistent = [lay.sheet for lay in layouts if lay.analysis.failed_total_checks]
    if inconsistent:
        notes.append(
            labels.get("workbook.cover.note_inconsistent", tables=join(inconsistent, labels))
        )

    # The sheets, in order.
    cover.write(ctx, workbook.add_worksheet(cover_name), contents, notes)
    for lay in layouts:
        table_sheet.write(ctx, _add_sheet(workbook, lay.sheet, stream=lay.big), lay)
    if usage_layout is not None:
        usage.write(ctx, workbook.add_worksheet(usage_layout.sheet), usage_layout)
    if key_name is not None:
        first = next((lay for lay in layouts if lay.table.value_columns), None)
        key_figures.write(ctx, workbook.add_worksheet(key_name), analysis, first, layouts)
    if charts_name is not None:
        charts_sheet = workbook.add_worksheet(charts_name)
        if data_name is not None:
            chart_data.write_data(ctx, workbook.add_worksheet(data_name), chart_plan.blocks)
        charts.write_charts(ctx, workbook, charts_sheet, data_name or "", chart_plan, usage_layout)
    workbook.close()


# The cover's line for a table sheet: the derived columns and the check it really has.
def _table_contents(layout: TableLayout, labels: Labels) -> str:
    from .names import join

    kinds = list(dict.fromkeys(d.kind.value for d in layout.derived))
    check = "check" if layout.recon else "no_check"
    values = {
        "answer": layout.answer.number,
        "title": layout.title,
        "check": labels[f"workbook.cover.{check}"],
    }
    suffix = "" if layout.has_total else "_no_total"
    if not kinds:
        return labels.get(f"workbook.cover.sheet_table_plain{suffix}", **values)
    derived = join([labels[f"workbook.cover.derived_{kind}"] for kind in kinds], labels)
    if suffix:
        return labels.get("workbook.cover.sheet_table_no_total", derived=derived, **values)
    return labels.get("workbook.cover.sheet_table", derived=derived, **values)


# The cover's line for the charts sheet: the kinds of chart it really holds.
def _charts_contents(plan: ChartsPlan, usage: Any, top_n: int, labels: Labels) -> str:
    from ..analysis import ChartKind
    from .names import join

    parts = []
    bars = [c.block for c in plan.charts if c.plan.kind is ChartKind.BARS and c.block]
    if any(b.has_other for b in bars):
        parts.append(labels.get("workbook.cover.chart_top", n=top_n))
    if any(not b.has_other and b.top.rest_count for b in bars):
        parts.append(labels.get("workbook.cover.chart_top_only", n=top_n))
    if any(not b.top.rest_count for b in bars):
        parts.append(labels["workbook.cover.chart_all"])
    kinds = plan.kinds
    if ChartKind.PARETO in kinds:
        parts.append(labels["workbook.cover.chart_pareto"])
    if kinds & {ChartKind.COLUMNS, ChartKind.LINE}:
        parts.append(labels["workbook.cover.chart_ordered"])
    if ChartKind.GROUPS in kinds:
        parts.append(labels["workbook.cover.chart_groups"])
    if usage is not None:
        parts.append(labels["workbook.cover.chart_usage"])
    return labels.get("workbook.cover.sheet_charts", charts=join(parts, labels))


# A whole number in running text (nl 69.215, en 69,215).
def _number(value: Any, labels: Labels) -> str:
    from .names import number_text

    return number_text(value, labels)


# A worksheet; ``stream``: written row by row to a temporary file (constant_memory) for big tables.
def _add_sheet(workbook: Any, name: str, stream: bool) -> Any:
    # XlsxWriter reads the workbook's constant_memory flag when it creates a worksheet: setting it
    # for one sheet streams that sheet only, and the other sheets keep their Excel tables.
    workbook.constant_memory = stream
    try:
        return workbook.add_worksheet(name)
    finally:
        workbook.constant_memory = False


_WORKBOOK_CLASS: Any = None
#: The worksheet functions the workbook's formulas use (all in Excel 2007, LibreOffice, Gnumeric).
CLASSIC_FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "COUNT",
        "COUNTIF",
        "COUNTIFS",
        "IF",
        "INDEX",
        "ISNUMBER",
        "LARGE",
        "MATCH",
        "N",
        "NOT",
        "OR",
        "RANK",
        "ROUND",
        "ROW",
        "SUBTOTAL",
        "SUM",
        "SUMIF",
    }
)


# The en-US language tags XlsxWriter writes in a chart part: <c:lang val=...> and the lang
# attribute of text run properties (inside tags only, never in the chart's text itself).
_CHART_LANG = re.compile(r'(<c:lang val="|<a:(?:rPr|endParaRPr|defRPr) lang=")en-US"')


# Retag one chart part written by XlsxWriter (a StringIO in memory, else a temporary file).
def _retag_chart(part: Any, language: str) -> None:
    if isinstance(part, io.StringIO):
        text = _CHART_LANG.sub(rf'\g<1>{language}"', part.getvalue())
        part.seek(0)
        part.truncate()
        part.write(text)
    else:
        path = Path(part)
        text = path.read_text(encoding="utf-8")
        path.write_text(_CHART_LANG.sub(rf'\g<1>{language}"', text), encoding="utf-8")


# XlsxWriter's Workbook, with dc:language (e.g. nl-BE) added to the core document properties
# and to the charts' text.
def _workbook_class() -> Any:
    global _WORKBOOK_CLASS
    if _WORKBOOK_CLASS is not None:
        return _WORKBOOK_CLASS

    from xlsxwriter.core import Core
    from xlsxwriter.packager import Packager
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    function = re.compile(r"([A-Z][A-Z0-9.]*)\(")

    class _Worksheet(Worksheet):
        # XlsxWriter rewrites every formula with ~30 regular expressions to prefix functions
        # newer than Excel 2007; our formulas use only classic functions, so skip that for them.
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            body = formula[1:] if formula.startswith("{") else formula  # an array formula
            body = body[1:] if body.startswith("=") else body
            body = body[:-1] if formula.startswith("{") and body.endswith("}") else body
            if set(function.findall(body)) <= CLASSIC_FUNCTIONS:
                return body
            return str(super()._prepare_formula(formula, expand_future_functions))

    class _Core(Core):
        language = ""

        def _write_cp_content_status(self) -> None:
            super()._write_cp_content_status()
            if self.language:
                self._xml_data_element("dc:language", self.language)

    class _Packager(Packager):
        def _write_core_file(self) -> None:
            core = _Core()
            core.language = getattr(self.workbook, "language", "")
            core._set_properties(self.workbook.doc_properties)
            core._set_xml_writer(self._filename("docProps/core.xml"))
            core._assemble_xml_file()

        # XlsxWriter tags chart text en-US (<c:lang>, lang= of a:rPr / a:endParaRPr); retag
        # the chart parts just written with the workbook's language (e.g. nl-BE).
        def _write_chart_files(self) -> None:
            written = len(self.filenames)
            super()._write_chart_files()
            language = getattr(self.workbook, "language", "")
            if language:
                for part, _, _ in self.filenames[written:]:
                    _retag_chart(part, language)

    class _Workbook(Workbook):
        language = ""

        def __init__(self, filename: str, options: dict[str, Any]) -> None:
            super().__init__(filename, options)
            self.worksheet_class = _Worksheet
            # No fullCalcOnLoad (XlsxWriter's default, as it caches no results by itself): every
            # formula carries its result, which LibreOffice and Gnumeric reproduce in the tests,
            # and the flag only made Excel recalculate on open and ask to save an unchanged file.
            # README, "Formula results and recalculation".
            self.calc_on_load = False

        def _get_packager(self) -> Any:
            return _Packager()

    _WORKBOOK_CLASS = _Workbook
    return _WORKBOOK_CLASS
