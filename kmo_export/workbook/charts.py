"""Native charts that reference cells, chosen by the analysis.

Which charts a table gets is the analysis' :meth:`~kmo_export.analysis.TableAnalysis.charts`:
categories as bars sorted by size (top N, plus one "other" bar for a measure that adds up) and
a Pareto for an additive measure, both drawn from the re-ranking series of :mod:`.chart_data`;
periods and ordered classes as columns in their order, with a percentage as a line on a second
axis; column groups as clustered columns, one series per group. Charts of periods reference the
table sheet directly. Axis numbers have no cents; every chart has alt text that says what it
shows and in which order.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..analysis import ChartKind
from ..model import Column, ColumnType
from .chart_data import CUMULATIVE, LABEL, VALUE, Chart, ChartsPlan
from .chart_data import names as chart_names
from .context import Context
from .layout import TableLayout
from .names import header_text, join, lower_first, name_of, quote_sheet, ref
from .page import print_setup
from .style import multiplier, number_format, share_format
from .usage import AVERAGE, MAXIMUM, SIZE, UsageLayout

#: What XlsxWriter reads as a cell reference in a chart's name (``Sheet!A1``): such a text is
#: given as a reference to a cell that holds it instead.
_LOOKS_LIKE_REFERENCE = re.compile(r"^=?[^!]+!\$?[A-Z]+\$?\d+")

#: The hidden column of the chart sheet that holds such names, so a chart can point to them.
_NAME_COLUMN = 60


# A line series in ``colour`` with round markers.
def _line(colour: str) -> dict[str, Any]:
    marker = {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}}
    return {"line": {"color": colour, "width": 2.25}, "marker": marker}


# A value axis's title: the measure's label, with its unit where the label names none.
def _axis_title(ctx: Context, column: Column) -> str:
    text = header_text(column.text(ctx.report.language))
    if column.type is not ColumnType.AMOUNT:
        return text
    if "€" in text or re.search(r"\b(eur|euro|mln|miljoen|million)\b", text, re.IGNORECASE):
        return text
    unit = {6: "unit_million", 3: "unit_thousand"}.get(multiplier(column), "unit_euro")
    return f"{text} ({ctx.labels[f'workbook.charts.{unit}']})"


def _axis_format(ctx: Context, column: Column) -> str:
    # Axis numbers without cents (percentages as whole percents); amounts in millions keep
    # their decimals (an axis step of 2,5 mln is not 3 mln).
    if column.is_percent:
        return share_format(ctx.style, 0)
    if multiplier(column):
        return number_format(ctx.style, column)
    return number_format(ctx.style, column, 0)


class _Writer:
    """Adds the charts to the workbook with the house style."""

    def __init__(self, ctx: Context, workbook: Any, ws: Any, data_sheet: str) -> None:
        self.ctx, self.workbook, self.ws = ctx, workbook, ws
        self.data = quote_sheet(data_sheet)
        self.data_sheet = data_sheet
        style = ctx.style["charts"]
        self.style = style
        self.font = {"size": style["font_size"]}
        self.title_font = {"size": style["font_size"] + 3, "bold": True}
        self.colours = ctx.style["colours"]["series"]
        self.literal_row = 0  # texts XlsxWriter would misread, in a hidden column (see text)

    def text(self, value: str) -> str | list[Any]:
        """``value`` as a chart name: literal, or (where XlsxWriter would take it for a
        reference) the hidden cell of the chart sheet that holds it."""
        if not _LOOKS_LIKE_REFERENCE.match(value):
            return value
        if not self.literal_row:
            self.ws.set_column(_NAME_COLUMN, _NAME_COLUMN, None, None, {"hidden": True})
        self.literal_row += 1
        self.ws.write_string(self.literal_row, _NAME_COLUMN, value)
        return [self.ws.name, self.literal_row, _NAME_COLUMN]

    def title(self, chart: Any, text: str) -> None:
        chart.set_title({"name": self.text(text), "name_font": self.title_font})

    def value_axis(self, column: Column, *others: Column, **extra: Any) -> dict[str, Any]:
        # The axis of one or more measures of the same kind: their names (and unit) as title.
        titles = [_axis_title(self.ctx, c) for c in (column, *others)]
        return {
            "num_format": _axis_format(self.ctx, column),
            "num_font": self.font,
            "major_gridlines": {"visible": True},
            "name": self.text(join(titles, self.ctx.labels)),
            "name_font": self.font,
            **extra,
        }

    def size(self, chart: Any) -> None:
        chart.set_size({"width": self.style["width"], "height": self.style["height"]})

    # -- categories: bars sorted by size, Pareto --

    def bars(self, chart: Chart) -> tuple[Any, str]:
        block = chart.block
        assert block is not None
        ctx, labels = self.ctx, self.ctx.labels
        layout = block.layout
        names = chart_names(ctx, layout, block.column)
        first, last = block.first_row, block.last_row
        data = self.data
        bar = self.workbook.add_chart({"type": "bar"})
        series: dict[str, Any] = {
            "name": f"={data}!{ref(first - 1, VALUE, True)}",
            "categories": f"={data}!{ref(first, LABEL, True)}:{ref(last, LABEL, True)}",
            "values": f"={data}!{ref(first, VALUE, True)}:{ref(last, VALUE, True)}",
            "fill": {"color": self.colours[0]},
            "data_labels": {
                "value": True,
                "num_format": number_format(ctx.style, block.column),
                "font": self.font,
            },
            "gap": 40,
        }
        if block.has_other:  # the "other" bar, last, in grey
            series["points"] = [None] * block.shown + [
                {"fill": {"color": ctx.style["colours"]["other"]}}
            ]
        bar.add_series(series)
        n = ctx.report.top_n
        rest = block.top.rest_count
        key = "top" if block.has_other else ("top_only" if rest else "all")
        self.title(bar, labels.get(f"workbook.charts.{key}", n=n, **names))
        bar.set_legend({"none": True})
        # Every bar keeps its label (a reader skips every other one when long labels wrap).
        bar.set_y_axis(
            {"reverse": True, "crossing": "max", "num_font": self.font, "interval_unit": 1}
        )
        bar.set_x_axis(self.value_axis(block.column))
        self.size(bar)
        alt = labels.get(
            f"workbook.charts.alt_{key}", n=block.shown, sheet=self.data_sheet, **names
        )
        return bar, alt

    def pareto(self, chart: Chart) -> tuple[Any, str]:
        # The top N only (an "other" column would break the sorted shape); the cumulative
        # share is still over all rows of the table.
        block = chart.block
        assert block is not None
        ctx, labels, data = self.ctx, self.ctx.labels, self.data
        names = chart_names(ctx, block.layout, block.column)
        first, top = block.first_row, block.last_top_row
        categories = f"={data}!{ref(first, LABEL, True)}:{ref(top, LABEL, True)}"
        columns = self.workbook.add_chart({"type": "column"})
        columns.add_series(
            {
                "name": f"={data}!{ref(first - 1, VALUE, True)}",
                "categories": categories,
                "values": f"={data}!{ref(first, VALUE, True)}:{ref(top, VALUE, True)}",
                "fill": {"color": self.colours[0]},
                "gap": 30,
            }
        )
        line = self.workbook.add_chart({"type": "line"})
        colour = self.colours[1]
        line.add_series(
            {
                "name": f"={data}!{ref(first - 1, CUMULATIVE, True)}",
                "categories": categories,
                "values": f"={data}!{ref(first, CUMULATIVE, True)}:{ref(top, CUMULATIVE, True)}",
                "y2_axis": True,
                **_line(colour),
            }
        )
        columns.combine(line)
        key = "pareto_top" if block.top.rest_count else "pareto"
        self.title(columns, labels.get(f"workbook.charts.{key}", n=ctx.report.top_n, **names))
        columns.set_x_axis({"num_font": {**self.font, "rotation": -45}, "interval_unit": 1})
        columns.set_y_axis(self.value_axis(block.column))
        line.set_y2_axis(
            {
                "min": 0,
                "max": 1,
                "num_format": ctx.style["number_formats"]["axis_share"],
                "num_font": self.font,
                "name": labels["workbook.charts.cumulative"],
                "name_font": self.font,
            }
        )
        columns.set_legend({"position": "top", "font": self.font})
        self.size(columns)
        return columns, labels.get("workbook.charts.alt_pareto", sheet=self.data_sheet, **names)

    # -- periods and ordered classes: in their order; column groups --

    def series_name(self, layout: TableLayout, index: int, by_group: bool) -> str:
        if by_group:
            cell = layout.group_cell(index)
            if cell is not None:
                return f"={cell}"
        return f"={layout.header_cell(layout.value_cols[index])}"

    def ordered(self, chart: Chart) -> tuple[Any, str]:
        ctx, labels = self.ctx, self.ctx.labels
        layout, plan_ = chart.layout, chart.plan
        kind = plan_.kind
        columns = layout.columns
        categories = f"={layout.range(0)}"
        by_group = kind is ChartKind.GROUPS or (
            kind is ChartKind.LINE
            and bool(layout.table.groups)
            and len({columns[i].group for i in plan_.measures}) > 1
        )
        main = self.workbook.add_chart({"type": "line" if kind is ChartKind.LINE else "column"})
        # A partial period ("2024 (tot 30/6)") is no drop: its column is grey, as in the brief.
        single = kind is ChartKind.COLUMNS and len(plan_.measures) == 1 and not plan_.secondary
        partial = sorted(layout.analysis.partial_periods) if single else []
        for k, i in enumerate(plan_.measures):
            colour = self.colours[k % len(self.colours)]
            series: dict[str, Any] = {
                "name": self.series_name(layout, i, by_group),
                "categories": categories,
                "values": f"={layout.range(layout.value_cols[i])}",
            }
            if kind is ChartKind.LINE:
                series.update(_line(colour))
            else:
                series["fill"] = {"color": colour}
                series["gap"] = 60
                if partial:
                    grey = {"fill": {"color": ctx.style["colours"]["other"]}}
                    series["points"] = [
                        grey if r in partial else None for r in range(partial[-1] + 1)
                    ]
            main.add_series(series)
        first = columns[plan_.measures[0]]
        shown = [columns[i] for i in plan_.measures[1:]] if kind is not ChartKind.GROUPS else []
        # A value axis starts at zero (a percentage axis from 8 % would magnify its swings),
        # unless a figure on it is negative.
        main.set_y_axis(self.value_axis(first, *shown, **_from_zero(layout, plan_.measures)))
        main.set_x_axis({"num_font": self.font})
        secondary_names = []
        if plan_.secondary:
            line = self.workbook.add_chart({"type": "line"})
            for k, i in enumerate(plan_.secondary, len(plan_.measures)):
                colour = self.colours[k % len(self.colours)]
                line.add_series(
                    {
                        "name": self.series_name(layout, i, False),
                        "categories": categories,
                        "values": f"={layout.range(layout.value_cols[i])}",
                        "y2_axis": True,
                        **_line(colour),
                    }
                )
                secondary_names.append(header_text(columns[i].text(ctx.report.language)))
            line.set_y2_axis(
                self.value_axis(
                    *(columns[i] for i in plan_.secondary),
                    major_gridlines={"visible": False},
                    **_from_zero(layout, plan_.secondary),
                )
            )
            main.combine(line)
        main.set_legend({"position": "top", "font": self.font})
        self.size(main)
        language = ctx.report.language
        measure_names = [header_text(columns[i].text(language)) for i in plan_.measures]
        label_column = layout.table.label_column.text(language)
        row_labels = list(layout.table.top_rows.labels())
        values = {
            "columns": join(measure_names, labels),
            "label": lower_first(header_text(label_column)),
            "label_name": name_of(layout.table.label_column, labels, inside=True),
            "first": row_labels[0],
            "last": row_labels[-1],
            "sheet": layout.sheet,
        }
        if by_group:
            groups = [
                header_text(g.label_en if language == "en" and g.label_en else g.label)
                for g in layout.table.groups
            ]
            values["column"] = header_text(columns[plan_.measures[0]].text(language))
            values["groups"] = join(groups, labels)
            title = labels.get("workbook.charts.groups", **values)
            alt = labels.get(f"workbook.charts.alt_groups_{kind.value}", **values)
        else:
            title = labels.get("workbook.charts.ordered", **values)
            alt = labels.get(f"workbook.charts.alt_{kind.value}", **values)
        if partial:
            periods = join([row_labels[r] for r in partial], labels)
            key = "alt_partial" if len(partial) == 1 else "alt_partials"
            alt += " " + labels.get(f"workbook.charts.{key}", periods=periods)
        if secondary_names:
            values["secondary"] = join(secondary_names, labels)
            values["columns"] = join(measure_names + secondary_names, labels)
            title = labels.get("workbook.charts.ordered", **values)
            alt += " " + labels.get("workbook.charts.alt_secondary", **values)
        self.title(main, title)
        return main, alt

    def usage(self, usage: UsageLayout) -> tuple[Any, str]:
        ctx, labels = self.ctx, self.ctx.labels
        chart = self.workbook.add_chart({"type": "column"})
        code = ctx.style["number_formats"]["euro"].format(decimals="")
        label_code = ctx.style["number_formats"]["euro"].format(decimals=".00")
        for k, column in enumerate((MAXIMUM, AVERAGE)):
            chart.add_series(
                {
                    "name": f"={usage.header(column)}",
                    "categories": f"={usage.column(SIZE)}",
                    "values": f"={usage.column(column)}",
                    "fill": {"color": self.colours[k]},
                    "data_labels": {"value": True, "num_format": label_code, "font": self.font},
                    "gap": 80,
                }
            )
        self.title(chart, labels.get("workbook.charts.usage", year=usage.usage.year))
        chart.set_x_axis({"num_font": self.font})
        chart.set_y_axis(
            {
                "num_format": code,
                "num_font": self.font,
                "min": 0,
                "major_gridlines": {"visible": True},
                "name": labels["workbook.charts.axis_amount"],
                "name_font": self.font,
            }
        )
        chart.set_legend({"position": "top", "font": self.font})
        self.size(chart)
        return chart, labels.get("workbook.charts.alt_usage", sheet=usage.sheet)


def write_charts(
    ctx: Context,
    workbook: Any,
    ws: Any,
    data_sheet: str,
    charts: ChartsPlan,
    usage: UsageLayout | None,
) -> None:
    """Insert the charts, one per printed page, each with alt text."""
    ws.write_string(0, 0, ctx.labels["workbook.charts.title"], ctx.formats.title())
    writer = _Writer(ctx, workbook, ws, data_sheet)
    made: list[tuple[Any, str]] = []
    for chart in charts.charts:
        kind = chart.plan.kind
        if kind is ChartKind.BARS:
            made.append(writer.bars(chart))
        elif kind is ChartKind.PARETO:
            made.append(writer.pareto(chart))
        else:
            made.append(writer.ordered(chart))
    if usage is not None:
        made.append(writer.usage(usage))
    step = ctx.style["charts"]["rows_per_chart"]
    breaks = []
    for k, (chart, alt) in enumerate(made):
        if writer.literal_row:  # names in the hidden column: shown only if hidden cells are read
            chart.show_hidden_data()
        row = 2 + k * step
        if k:
            breaks.append(row - 1)
        ws.insert_chart(row, 0, chart, {"description": alt, "object_position": 3})
    if breaks:
        ws.set_h_pagebreaks(breaks)
    print_setup(ctx.style, ws)


# {"min": 0} when no figure of these measures is negative, else nothing (the axis finds its own).
def _from_zero(layout: Any, measures: tuple[int, ...]) -> dict[str, Any]:
    rows = layout.table.rows
    for i in measures:
        if any(isinstance(v, Decimal) and v < 0 for v in rows.column(i)):
            return {}
    return {"min": 0}
