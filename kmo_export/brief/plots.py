"""Which charts the brief draws and with what: data, words and alt text.

The analysis plans the charts (:meth:`kmo_export.analysis.TableAnalysis.charts`); this module
turns a plan into a :class:`~.charts.ChartSpec` with the workbook's figures: categories as bars
by size (the top N and one bar for the rest of a measure that adds up), periods and ordered
classes as columns or a line in their order, column groups as clustered columns, a percentage
beside counts as a line on a second axis. :mod:`.charts` writes the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .. import formatting as fmt
from ..analysis import ChartKind, ChartPlan, TableAnalysis
from ..model import Column, ColumnType, Table, Usage, looks_like_period
from .charts import ChartSpec, Series
from .keymessage import money, size_label
from .wording import Words, count_noun, currency, lower_first, without_unit


@dataclass(frozen=True)
class Plot:
    """A chart to draw: its spec, its figure caption, its height."""

    spec: ChartSpec
    caption: str
    height_cm: float


class Plots:
    """The charts of one brief's language and top N."""

    def __init__(self, words: Words, top_n: int) -> None:
        self.words = words
        self.top_n = top_n

    def plans(self, ta: TableAnalysis) -> list[ChartPlan]:
        """The charts the brief draws for a table, from the analysis's plans (a Pareto only in
        the workbook): categories one, the bars of the measure that ranks them; periods and
        classes up to two (counts, amounts); each with at least two values to compare."""
        out = []
        for plan in ta.charts(self.top_n):
            if plan.kind is ChartKind.PARETO:
                continue
            if plan.top is not None:
                enough = len(plan.top.rows) + (plan.top.rest_total is not None) >= 2
            else:
                values = (v for i in plan.measures for v in ta.table.rows.column(i))
                enough = sum(isinstance(v, Decimal) for v in values) >= 2
            if enough:
                out.append(plan)
        if ta.ranks_categories:
            return sorted(out, key=lambda plan: self._preference(ta, plan))[:1]
        return out[:2]

    # Categories get one chart: of the measure that ranks them, else of the measure with the
    # most figures (a withheld or blank cell drops out of a chart), the latest where the
    # measures are periods ("2022", "2023", "2024"), else the first.
    def _preference(self, ta: TableAnalysis, plan: ChartPlan) -> tuple[int, int, int]:
        index = plan.measures[0]
        if index == ta.primary:
            return (0, 0, 0)
        figures = sum(isinstance(v, Decimal) for v in ta.table.rows.column(index))
        periods = all(looks_like_period(c.label) for c in ta.columns)
        return (1, -figures, -index if periods else index)

    def table(self, table: Table, ta: TableAnalysis) -> list[Plot]:
        """The charts of ``table``: bars by size, columns or lines in table order."""
        return [
            self.bars(table, ta, plan)
            if plan.kind is ChartKind.BARS
            else self.columns(table, ta, plan)
            for plan in self.plans(ta)
        ]

    def bars(self, table: Table, ta: TableAnalysis, plan: ChartPlan) -> Plot:
        """Horizontal bars, largest first, and one bar for the rest of an additive measure."""
        words = self.words
        index = plan.measures[0]
        column = table.value_columns[index]
        top = plan.top or ta.top(index, self.top_n)
        rows = table.rows
        labels = [rows[r].label for r in top.rows]
        values = [_number(rows[r].values[index]) for r in top.rows]
        highlight: tuple[int, ...] = ()
        if top.rest_total is not None:
            labels.append(
                words.get("brief.other", count=fmt.number(top.rest_count, self.words.lang))
            )
            values.append(top.rest_total)
            highlight = (len(labels) - 1,)
        series = Series(words.column(column, start=True), *self.series_values(column, values))
        shown = [(lab, v) for lab, v in zip(labels[: len(top.rows)], values, strict=False)]
        key = "brief.chart_description_rest" if highlight else "brief.chart_description"
        description = words.get(
            key,
            column=words.column(column),
            label=words.column(table.label_column),
            n=len(top.rows),
            largest=f"{shown[0][0]} ({words.cell(shown[0][1], column)})",
            smallest=f"{shown[-1][0]} ({words.cell(shown[-1][1], column)})",
            rest=labels[-1],
        )
        title = words.get(
            "brief.chart_caption",
            column=words.column(column, start=True),
            label=words.column(table.label_column),
        )
        if top.rest_count:
            title = words.get("brief.top_chart", caption=title, n=len(top.rows))
        spec = ChartSpec(
            categories=labels,
            series=[series],
            category_title=table.label_column.text(self.words.lang),
            value_title=self.axis_title(column),
            value_format=self.axis_format(column),
            description=description,
            name="",
            highlight=highlight,
        )
        # Room for every bar's label: a label that wraps onto two lines needs more.
        per_bar = 0.9 if max(len(label) for label in labels) > 28 else 0.62
        return Plot(spec, title, max(4.0, 1.2 + per_bar * len(labels)))

    def columns(self, table: Table, ta: TableAnalysis, plan: ChartPlan) -> Plot:
        """Columns (or a line) over the rows in table order: periods never sorted; column
        groups as clustered columns; a percentage on a second axis as a line."""
        words, rows = self.words, table.rows
        columns = table.value_columns
        labels = list(rows.labels())
        measures = [columns[i] for i in plan.measures]
        groups = plan.kind is ChartKind.GROUPS or (
            plan.kind is ChartKind.LINE and bool(table.groups)
        )
        series = []
        names = []
        for i in plan.measures:
            column = columns[i]
            name = self.group_name(table, column) if groups else words.column(column, start=True)
            names.append(name)
            series.append(Series(name, *self.series_values(column, list(rows.column(i)))))
        for i in plan.secondary:
            column = columns[i]
            series.append(
                Series(
                    words.column(column, start=True),
                    *self.series_values(column, list(rows.column(i))),
                    secondary=True,
                )
            )
        first = measures[0]
        kind = "line" if plan.kind is ChartKind.LINE else "column"
        what = (
            words.column(first)
            if groups
            else fmt.join([words.column(c) for c in measures], self.words.lang)
        )
        key = {
            (True, "column"): "brief.groups_description",
            (True, "line"): "brief.groups_line_description",
            (False, "column"): "brief.columns_description",
            (False, "line"): "brief.line_description",
        }[(groups, kind)]
        description = words.get(
            key,
            columns=what,
            label=words.column(table.label_column),
            first=labels[0],
            last=labels[-1],
            n=len(labels),
            groups=fmt.join(names, self.words.lang),
        )
        if plan.secondary:
            description += " " + words.get(
                "brief.secondary_description",
                columns=fmt.join(
                    [words.column(columns[i]) for i in plan.secondary], self.words.lang
                ),
            )
        # A partial period ("2024 (tot 30/6)") is no drop: its column is drawn grey and said so.
        partial = sorted(ta.partial_periods) if kind == "column" and len(series) == 1 else []
        if partial:
            description += " " + words.get(
                "brief.partial_description" if len(partial) == 1 else "brief.partials_description",
                periods=fmt.join([labels[r] for r in partial], self.words.lang),
            )
        title = words.get(
            "brief.chart_caption",
            column=what[:1].upper() + what[1:],
            label=words.column(table.label_column),
        )
        if groups:
            title = words.get(
                "brief.groups_caption", caption=title, groups=fmt.join(names, self.words.lang)
            )
        spec = ChartSpec(
            categories=labels,
            series=series,
            category_title=table.label_column.text(self.words.lang),
            value_title=self.axis_title(first, len({c.label for c in measures}) > 1),
            value_format=self.axis_format(first),
            secondary_title="%" if plan.secondary else "",
            description=description,
            name="",
            kind=kind,
            labels=len(series) == 1 and len(labels) <= 12,
            highlight=tuple(partial),
        )
        return Plot(spec, title, 7.5)

    def group_name(self, table: Table, column: Column) -> str:
        """The column group a measure belongs to, as a series name (OND, ONTW, ICON)."""
        for group in table.groups:
            if column.key in group.keys:
                return group.label_en if self.words.lang != "nl" and group.label_en else group.label
        return self.words.column(column, start=True)

    def series_values(
        self, column: Column, values: Sequence[object]
    ) -> tuple[list[Decimal | None], str]:
        """A column's values for a chart and their format: percentages as fractions."""
        decimals = self.words.decimals(column)
        if column.type is ColumnType.PERCENT:
            fractions = [v / 100 if isinstance(v, Decimal) else None for v in values]
            return fractions, "0" + ("." + "0" * decimals if decimals else "") + "%"
        numbers = [v if isinstance(v, Decimal) else None for v in values]
        if column.type is ColumnType.AMOUNT and not column.multiplier:
            decimals = 0  # euro on a chart's labels without cents; the table has them
        return numbers, _excel_format(decimals)

    def axis_format(self, column: Column) -> str:
        """The value axis's numbers: without cents; percentages as percentages."""
        if column.type is ColumnType.PERCENT:
            return "0%"
        _, multiplier = currency(column) if column.type is ColumnType.AMOUNT else ("", 0)
        return "#,##0.0" if multiplier and column.decimals else "#,##0"

    def axis_title(self, column: Column, several: bool = False) -> str:
        """The value axis of a chart of ``column``: what it counts, or its unit; ``several``
        measures of one kind: "Aantal" or their unit."""
        words = self.words
        if column.type is ColumnType.COUNT and several:
            return words.get("brief.axis_number")
        if column.type is ColumnType.COUNT:
            if not words.dutch:
                return column.text(self.words.lang)
            noun = count_noun(column.label)
            if noun and noun != lower_first(column.label) and noun[0].isalpha():
                return without_unit(column.label)  # "Aantal projecten" says it already
            if noun and noun[0].isalpha():
                return words.get("brief.axis_count", noun=noun)
            return column.label
        return words.unit(column) or column.text(self.words.lang)

    def usage(self, usage: Usage) -> Plot:
        """Format 1: the average granted against the maximum per company size."""
        words, lang = self.words, self.words.lang
        max_dec = fmt.decimals_of([s.maximum for s in usage.sizes])
        avg_dec = fmt.decimals_of([s.average_granted for s in usage.sizes])
        items = [
            f"{size_label(words, s.key, s.label)} {money(s.maximum, lang)} / "
            f"{money(s.average_granted, lang)}"
            for s in usage.sizes
        ]
        # One number format for every data label of the chart (10.000,00 beside 988,70).
        same = _excel_format(max(max_dec, avg_dec))
        spec = ChartSpec(
            categories=[size_label(words, s.key, s.label) for s in usage.sizes],
            series=[
                Series(
                    without_unit(words.get("brief.maximum")), [s.maximum for s in usage.sizes], same
                ),
                Series(
                    without_unit(words.get("brief.average_granted")),
                    [s.average_granted for s in usage.sizes],
                    same,
                ),
            ],
            value_title=words.get("brief.unit.EUR"),
            category_title=words.get("brief.size"),
            description=words.get("brief.usage_description", items="; ".join(items)),
            name="",
        )
        return Plot(
            spec, words.get("brief.usage_chart", year=usage.year), 2.2 + 1.3 * len(usage.sizes)
        )


# A cell as a chart value: a number, else no value.
def _number(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


# The Excel number format with ``decimals`` decimals (Excel shows it in the reader's locale).
def _excel_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")
