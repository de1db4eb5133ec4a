"""What the brief says: heading block, key message, questions and answers, annex, source.

:class:`Composer` walks the dataset once and writes the body as WordprocessingML text
(:mod:`.wordml`); charts are added to the package as it goes (:mod:`.charts`).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from .. import formatting as fmt
from ..labels import labels
from ..model import Answer, Column, ColumnType, Report, Row, Table, Usage
from . import wordml
from .charts import ChartSpec, add_chart
from .wording import count_noun, dutch_plural, dutch_singular, lower_first, without_unit
from .wordml import Cell, paragraph, run

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart

    from .template import Template

#: A table with more rows than this is shortened in the annex (top rows, a note, the workbook
#: holds it all); the brief stays a readable document whatever the size of the table.
ANNEX_LIMIT = 500
#: How many rows a shortened annex table shows.
ANNEX_SHOWN = 100
#: Bars in a chart at most (a chart of a small full table shows every row up to this).
MAX_BARS = 30
CHART_WIDTH_CM = 16.0


@dataclass
class _Figures:
    """The sums of one table, computed once (a table may hold a million rows)."""

    rows: Sequence[Row]  # top-level rows, published order
    totals: list[Decimal | None]  # computed per value column
    counts: list[int]  # how many rows hold a value, per value column
    shown_totals: list[Decimal | None]  # reported where published, else computed
    markers: dict[int, str]  # value column -> note marker of a differing reported total
    notes: list[str]  # the texts of those markers
    keep: int  # how many of the largest rows :meth:`largest` keeps
    ranked: dict[int, list[Row]] = field(default_factory=dict)

    def largest(self, index: int, n: int) -> list[Row]:
        """The ``n`` largest rows by column ``index`` (ties in published order); one pass."""
        if index not in self.ranked:
            valued = (r for r in self.rows if r.values[index] is not None)
            self.ranked[index] = heapq.nlargest(
                max(n, self.keep), valued, key=lambda r: r.values[index]
            )
        return self.ranked[index][:n]

    def rest(self, shown: list[Row]) -> tuple[int, list[Decimal | None]]:
        """Rows left out of ``shown`` (top-level, all distinct) and their sums per column."""
        sums: list[Decimal | None] = []
        for i, total in enumerate(self.totals):
            values = [r.values[i] for r in shown if r.values[i] is not None]
            left = self.counts[i] - len(values)
            sums.append(total - sum(values, Decimal(0)) if total is not None and left else None)
        return len(self.rows) - len(shown), sums


class Composer:
    """Writes the body of one brief into a list of XML strings."""

    def __init__(self, report: Report, part: DocumentPart, template: Template, first_id: int):
        self.report = report
        self.dataset = report.dataset
        self.lang = report.language
        self.labels = labels(report.language)
        self.tag = self.labels.get("language_tag")
        self.part = part
        self.template = template
        self.out: list[str] = []
        self.table_number = 0
        self.figure_number = 0
        self.drawing_id = first_id
        self.annex: list[tuple[Answer, Table, _Figures]] = []
        # Dataset text is Dutch: mark it so where the brief is in another language.
        self.source_rpr = "" if self.tag == "nl-BE" else '<w:lang w:val="nl-BE"/>'
        # How a column label of the dataset (Dutch) stands in a generated sentence: in Dutch
        # as a word ("naar aantal projecten", "58 thema’s"); in another language as a name.
        self.dutch_words = self.labels.get("brief.format.labels_in_text") == "dutch"
        self.styles = wordml.TableStyles(
            template.style("Brief Table"),
            template.style("Table Text"),
            template.style("Table Number"),
        )

    # -- the document ------------------------------------------------------------------

    def compose(self) -> str:
        """The whole body (without w:sectPr) as XML text."""
        self.heading_block()
        self.key_message()
        self.questions_and_answers()
        self.write_annex()
        self.source_line()
        return "".join(self.out)

    def heading_block(self) -> None:
        """Subject as title; question number and date; who asked; the minister addressed."""
        d = self.dataset
        self.para("Title", self.src(d.subject))
        self.para(
            "Subtitle",
            run(
                self.labels.get(
                    "brief.written_question", number=d.number, date=fmt.date(d.date, self.lang)
                )
            ),
        )
        self.para(
            "Normal",
            run(self.labels.get("brief.asked_by", name=d.asked_by)),
            '<w:spacing w:after="0"/>',
        )
        person = d.addressed_to
        key = "brief.addressed_to_title" if person.title else "brief.addressed_to"
        self.para("Normal", run(self.labels.get(key, name=person.name, title=person.title or "")))

    def key_message(self) -> None:
        """3 to 5 bullets, each computed from the dataset."""
        bullets = self.bullets()
        if not bullets:
            return
        self.heading(1, self.labels.get("brief.key_message"))
        for text in bullets[:5]:
            self.para("List Bullet", run(text))

    def bullets(self) -> list[str]:
        """The key figures in words: enterprises, totals, use of the maximum, largest rows."""
        lab, lang, out = self.labels, self.lang, []
        figures = self.dataset.key_figures
        if figures.enterprises:
            e = figures.enterprises
            out.append(
                lab.get("brief.bullets.enterprises", year=e.year, count=fmt.number(e.count, lang))
            )
        first = next((t for _, t in self.dataset.tables if t.primary_column is not None), None)
        facts = self.figures(first) if first is not None else None
        if first is not None and facts is not None and first.count_column is not None:
            count_index = first.count_column
            count_column = first.value_columns[count_index]
            count = facts.shown_totals[count_index]
            amount_index = first.amount_column
            amount = facts.shown_totals[amount_index] if amount_index is not None else None
            words = {
                "count_name": self.name(count_column.label),
                "rows": self.rows_words(first, len(facts.rows)),
            }
            text = None
            if count is not None:
                words["count"] = self.count_words(count, count_column)
                if amount is not None and amount_index is not None:
                    amount_column = first.value_columns[amount_index]
                    text = lab.get(
                        "brief.bullets.total",
                        amount=self.amount_words(amount, amount_column),
                        amount_name=self.amount_name(amount_column),
                        **words,
                    )
                else:
                    text = lab.get("brief.bullets.total_count", **words)
            if text is not None:
                # A published total that is not the sum of its rows is quoted with a caveat.
                quoted = {count_index, amount_index}
                for found in first.discrepancies():
                    if first.value_columns.index(found.column) in quoted:
                        dec = self.column_decimals(found.column)
                        text += " " + lab.get(
                            "brief.bullets.caveat",
                            column=self.name(found.column.label),
                            reported=self.cell_text(found.reported, found.column, dec),
                            computed=self.cell_text(found.computed, found.column, dec),
                        )
                out.append(text)
        if figures.usage and figures.usage.sizes:
            out.append(self.usage_bullet(figures.usage))
            if figures.usage.new_maximum:
                m = figures.usage.new_maximum
                out.append(
                    lab.get(
                        "brief.bullets.new_maximum",
                        date=fmt.date(m.since, lang),
                        amount=self.money(m.amount),
                    )
                )
        if first is not None and facts is not None:
            index = first.primary_column
            assert index is not None
            total = facts.totals[index]
            top = facts.largest(index, 3)
            if top and total:
                items = [
                    lab.get(
                        "brief.bullets.top_item",
                        label=r.label,
                        share=fmt.share(r.values[index] / total, lang),  # type: ignore[operator]
                    )
                    for r in top
                ]
                column = self.name(first.value_columns[index].label)
                plural = self.plural(first.label_column.label)
                if plural is not None:
                    key, label = "brief.bullets.top", plural
                else:
                    key, label = "brief.bullets.top_per", self.name(first.label_column.label)
                out.append(lab.get(key, column=column, label=label, items=fmt.join(items, lang)))
        return out

    def usage_bullet(self, usage: Usage) -> str:
        """Use of the maximum per company size, in one sentence."""
        items = [
            self.labels.get(
                "brief.bullets.usage_item",
                size=lower_first(self.size_label(size.key, size.label)),
                use=fmt.percent(size.use, self.lang, self.use_decimals(size.stated_use_percent)),
                average=self.money(size.average_granted),
                maximum=self.money(size.maximum),
            )
            for size in usage.sizes
        ]
        return self.labels.get(
            "brief.bullets.usage", year=usage.year, items=fmt.join(items, self.lang)
        )

    def questions_and_answers(self) -> None:
        """Each question under "Vraag n", its answer under "Antwoord", figures right there."""
        d = self.dataset
        self.heading(1, self.labels.get("brief.questions_and_answers"))
        for text in d.introduction:
            self.para("Question", self.src(text))
        answered: set[int] = set()
        for question in d.questions:
            self.heading(2, self.labels.get("brief.question", number=question.number))
            for text in question.paragraphs:
                self.para("Question", self.src(text))
            answer = d.answer(question.number)
            if answer is not None:
                answered.add(answer.number)
                self.write_answer(answer)
        for answer in d.answers:  # an answer without a question (validation normally refuses)
            if answer.number not in answered:
                self.heading(2, self.labels.get("brief.question", number=answer.number))
                self.write_answer(answer)

    def write_answer(self, answer: Answer) -> None:
        """The answer's text, then its figures: usage per company size, its tables."""
        self.heading(3, self.labels.get("brief.answer"))
        for text in answer.paragraphs:
            self.para("Normal", self.src(text))
        usage = self.dataset.key_figures.usage
        if usage is not None and usage.answer == answer.number and usage.sizes:
            self.usage_figures(usage)
        for table in answer.tables:
            self.answer_table(answer, table)

    # -- figures -----------------------------------------------------------------------

    def usage_figures(self, usage: Usage) -> None:
        """Maximum, average granted and use per company size: a table and a chart."""
        lab, lang = self.labels, self.lang
        max_dec = fmt.decimals_of([s.maximum for s in usage.sizes])
        avg_dec = fmt.decimals_of([s.average_granted for s in usage.sizes])
        header = [
            Cell(lab.get("brief.size")),
            Cell(lab.get("brief.maximum"), True),
            Cell(lab.get("brief.average_granted"), True),
            Cell(lab.get("brief.use"), True),
        ]
        rows = [
            [
                Cell(self.size_label(s.key, s.label)),
                Cell(fmt.number(s.maximum, lang, max_dec), True),
                Cell(fmt.number(s.average_granted, lang, avg_dec), True),
                Cell(fmt.percent(s.use, lang, self.use_decimals(s.stated_use_percent)), True),
            ]
            for s in usage.sizes
        ]
        caption = self.table_caption(lab.get("brief.usage_caption", year=usage.year))
        notes = []
        if usage.new_maximum:
            m = usage.new_maximum
            notes.append(
                run(
                    lab.get(
                        "brief.new_maximum",
                        date=fmt.date(m.since, lang),
                        amount=self.money(m.amount),
                    )
                )
            )
        self.write_table(header, rows, None, caption, notes)
        items = [
            f"{self.size_label(s.key, s.label)} {self.money(s.maximum)} / {self.money(s.average_granted)}"
            for s in usage.sizes
        ]
        # One number format for every data label of the chart (10.000,00 beside 988,70).
        same = _excel_format(max(max_dec, avg_dec))
        spec = ChartSpec(
            categories=[self.size_label(s.key, s.label) for s in usage.sizes],
            series=[
                (_strip_unit(lab.get("brief.maximum")), [s.maximum for s in usage.sizes], same),
                (
                    _strip_unit(lab.get("brief.average_granted")),
                    [s.average_granted for s in usage.sizes],
                    same,
                ),
            ],
            value_title=lab.get("brief.unit.EUR"),
            category_title=lab.get("brief.size"),
            description=lab.get("brief.usage_description", items="; ".join(items)),
            name="",
        )
        self.chart(
            spec, lab.get("brief.usage_chart", year=usage.year), 2.2 + 1.3 * len(usage.sizes)
        )

    def answer_table(self, answer: Answer, table: Table) -> None:
        """A table under its answer: top N and a chart if it is long, else all of it."""
        facts = self.figures(table)
        index = table.primary_column
        caption = self.caption_text(answer, table)
        long = index is not None and len(facts.rows) > self.report.top_n
        if long:
            assert index is not None
            self.annex.append((answer, table, facts))
            n = self.report.top_n
            shown = facts.largest(index, n)
            column = self.name(table.value_columns[index].label)
            title = self.labels.get(
                "brief.top_caption", number=self.next_table(), caption=caption, n=n, column=column
            )
            self.table_block(table, facts, shown, title, other=True)
            chart_rows = shown
        else:
            self.table_block(table, facts, table.rows, self.table_caption(caption), other=False)
            chart_rows = [
                r for r in facts.rows if index is not None and r.values[index] is not None
            ]
        if index is not None and len(chart_rows) >= 2:
            self.bar_chart(table, index, chart_rows[:MAX_BARS], long)

    def write_annex(self) -> None:
        """The full tables (long ones shortened to their largest rows, with a note)."""
        if not self.annex:
            return
        self.heading(1, self.labels.get("brief.annex"))
        for answer, table, facts in self.annex:
            caption = self.caption_text(answer, table)
            rows: list[Row] | tuple[Row, ...] = table.rows
            note = None
            if len(table.rows) > ANNEX_LIMIT:
                index = table.primary_column
                workbook = f"{self.dataset.stem}.xlsx"
                total_rows = fmt.number(len(table.rows), self.lang)
                if index is not None:
                    rows = facts.largest(index, ANNEX_SHOWN)
                    note = self.labels.get(
                        "brief.shortened",
                        rows=total_rows,
                        shown=ANNEX_SHOWN,
                        column=self.name(table.value_columns[index].label),
                        workbook=workbook,
                    )
                else:
                    rows = table.rows[:ANNEX_SHOWN]
                    note = self.labels.get(
                        "brief.shortened_plain",
                        rows=total_rows,
                        shown=ANNEX_SHOWN,
                        workbook=workbook,
                    )
            self.table_block(
                table, facts, rows, self.table_caption(caption), other=note is not None, note=note
            )

    def table_block(
        self,
        table: Table,
        facts: _Figures,
        rows: list[Row] | tuple[Row, ...],
        caption: str,
        *,
        other: bool,
        note: str | None = None,
    ) -> None:
        """One dataset table: header, rows, an "other" row if rows were left out, the total."""
        lang, lab = self.lang, self.labels
        columns = table.value_columns
        index = table.primary_column
        count = table.count_column
        averages = (
            [i for i, c in enumerate(columns) if c.type is ColumnType.AMOUNT]
            if count is not None
            else []
        )
        decimals = [self.column_decimals(c) for c in columns]
        header = [Cell(table.label_column.label)]
        for i, column in enumerate(columns):
            header.append(Cell(column.label, True))
            if i == index:
                header.append(Cell(lab.get("brief.share"), True))
        average_notes: list[str] = []
        for i in averages:
            assert count is not None
            title, explained = self.average_label(columns[i], columns[count])
            header.append(Cell(title, True))
            if explained:
                average_notes.append(explained)

        def line(
            label: Cell,
            values: list[Decimal | None],
            markers: dict[int, str] | None = None,
            derive_from: list[Decimal | None] | None = None,
        ) -> list[Cell]:
            # Shares and averages come from ``derive_from`` (the total row: the sums of the
            # rows, as in the workbook, even where the published total shown differs).
            basis = derive_from if derive_from is not None else values
            cells = [label]
            for i, column in enumerate(columns):
                value = values[i]
                marker = (markers or {}).get(i)
                cells.append(Cell(self.cell_text(value, column, decimals[i]), True, marker))
                if i == index:
                    total, part = facts.totals[i], basis[i]
                    share = part / total if part is not None and total else None
                    cells.append(Cell(fmt.share(share, lang) if share is not None else "", True))
            for i in averages:
                amount, n = basis[i], basis[count] if count is not None else None
                average = amount / n if amount is not None and n else None
                text = (
                    fmt.number(average, lang, max(2, columns[i].decimals))
                    if average is not None
                    else ""
                )
                cells.append(Cell(text, True))
            return cells

        body = [line(Cell(r.label, indent=r.level), list(r.values)) for r in rows]
        if other:
            left, sums = facts.rest(list(rows))
            if left:
                sums = [v if c.is_additive else None for v, c in zip(sums, columns, strict=True)]
                body.append(line(Cell(lab.get("brief.other", count=fmt.number(left, lang))), sums))
        total = None
        if any(v is not None for v in facts.shown_totals):
            total = line(
                Cell(table.total_label or lab.get("brief.total")),
                facts.shown_totals,
                facts.markers,
                list(facts.totals),
            )
        # The table's own notes first (its markers, the dataset's notes), then generic ones.
        notes = [run(text) for text in facts.notes]
        notes += [self.src(text) for text in table.notes]
        if note:
            notes.append(run(note))
        notes += [run(text) for text in average_notes]
        if any(r.level for r in rows):
            notes.append(run(lab.get("brief.detail_rows")))
        if any(v is None for r in rows for v in r.values):
            notes.append(run(lab.get("brief.empty_cells")))
        self.write_table(header, body, total, caption, notes)

    def write_table(
        self,
        header: list[Cell],
        rows: list[list[Cell]],
        total: list[Cell] | None,
        caption: str,
        notes: Sequence[str] = (),
    ) -> None:
        """A caption above, then the table, then its notes (kept with the table's last row)."""
        self.para("Caption", run(caption), "<w:keepNext/>")
        names = ", ".join(self.name(c.text, start=True) for c in header)
        description = self.labels.get(
            "brief.table_description", rows=fmt.number(len(rows), self.lang), columns=names
        )
        self.out.append(
            wordml.table(
                self.styles,
                header,
                rows,
                total,
                wordml.widths(header, rows, total),
                caption,
                description,
                self.source_rpr,
                keep_last=bool(notes),
            )
        )
        for i, content in enumerate(notes):
            self.para("Table Note", content, "<w:keepNext/>" if i < len(notes) - 1 else "")

    def bar_chart(self, table: Table, index: int, rows: list[Row], top: bool) -> None:
        """Bars of the primary column for ``rows``, in the order of the table above."""
        column = table.value_columns[index]
        values = [r.values[index] for r in rows]
        dec = self.column_decimals(column)
        largest = max(rows, key=lambda r: r.values[index])  # type: ignore[arg-type,return-value]
        smallest = min(rows, key=lambda r: r.values[index])  # type: ignore[arg-type,return-value]
        spec = ChartSpec(
            categories=[r.label for r in rows],
            series=[(column.label, values, _excel_format(dec))],  # type: ignore[list-item]
            category_title=table.label_column.label,
            value_title=self.axis_title(column),
            description=self.labels.get(
                "brief.chart_description",
                column=self.name(column.label),
                label=self.name(table.label_column.label),
                n=len(rows),
                largest=f"{largest.label} ({self.cell_text(largest.values[index], column, dec)})",
                smallest=f"{smallest.label} ({self.cell_text(smallest.values[index], column, dec)})",
            ),
            name="",
        )
        title = self.labels.get(
            "brief.chart_caption",
            column=self.name(column.label, start=True),
            label=self.name(table.label_column.label),
            n=len(rows),
        )
        if top:
            title = self.labels.get("brief.top_chart", caption=title, n=len(rows))
        self.chart(spec, title, max(4.0, 1.2 + 0.62 * len(rows)))

    def chart(self, spec: ChartSpec, caption: str, height_cm: float) -> None:
        """A native chart in its own paragraph, with a figure caption below."""
        self.figure_number += 1
        named = replace(
            spec,
            name=self.labels.get("brief.chart_name", number=self.figure_number),
            locale_prefix=self.labels.get("brief.format.chart_locale"),
        )
        drawing = add_chart(
            self.part,
            named,
            self.report.created,
            self.tag,
            self.drawing_id,
            CHART_WIDTH_CM,
            height_cm,
        )
        self.drawing_id += 1
        self.para("Normal", drawing, '<w:keepNext/><w:spacing w:before="120" w:after="0"/>')
        self.para(
            "Caption",
            run(
                self.labels.get("brief.figure_caption", number=self.figure_number, caption=caption)
            ),
        )

    def source_line(self) -> None:
        """Where the figures come from: the question, its date, the answer; link and text."""
        d, lab = self.dataset, self.labels
        person = d.addressed_to
        minister = f"{person.name}, {person.title}" if person.title else person.name
        parts = [
            lab.get(
                "brief.source",
                publisher=d.source.publisher or "Vlaams Parlement",
                number=d.number,
                date=fmt.date(d.date, self.lang),
                asked_by=d.asked_by,
                minister=minister,
            )
        ]
        # Only what the brief computes: shares, averages, use (never a file name).
        tables = [t for _, t in d.tables]
        derived = []
        if any(t.primary_column is not None for t in tables):
            derived.append(lab.get("brief.derived_share"))
        if any(t.count_column is not None and t.amount_column is not None for t in tables):
            derived.append(lab.get("brief.derived_average"))
        usage = d.key_figures.usage
        if usage is not None and usage.sizes:
            derived.append(lab.get("brief.derived_use"))
        if derived:
            parts.append(lab.get("brief.source_derived", items=fmt.join(derived, self.lang)))
        if d.source.url:
            parts.append(lab.get("brief.source_url", url=d.source.url))
        self.para("Source", run(" ".join(parts)))

    # -- helpers ----------------------------------------------------------------------

    def figures(self, table: Table) -> _Figures:
        """Sums, shown totals and discrepancy notes of ``table``, in one pass over its rows."""
        cached = getattr(self, "_figures", {})
        self._figures = cached
        if id(table) in cached:
            return cached[id(table)]
        rows = table.top_rows  # compact: a table may hold a million rows
        columns = table.value_columns
        totals: list[Decimal | None] = list(table.computed_totals)
        counts = [sum(v is not None for v in rows.column(i)) for i in range(len(columns))]
        shown: list[Decimal | None] = []
        markers: dict[int, str] = {}
        notes: list[str] = []
        for i, column in enumerate(columns):
            reported = table.reported_total[i] if table.reported_total is not None else None
            computed = totals[i]
            if reported is not None:
                shown.append(reported)
            else:
                shown.append(computed if column.is_additive else None)
        for found in table.discrepancies():
            i = columns.index(found.column)
            marker = str(len(markers) + 1)
            markers[i] = marker
            dec = self.column_decimals(found.column)
            notes.append(
                self.labels.get(
                    "brief.discrepancy",
                    marker=marker,
                    column=self.name(found.column.label, start=True),
                    reported=self.cell_text(found.reported, found.column, dec),
                    computed=self.cell_text(found.computed, found.column, dec),
                    difference=self.cell_text(found.difference, found.column, dec),
                )
            )
        keep = max(ANNEX_SHOWN, self.report.top_n, 3)
        result = _Figures(rows, totals, counts, shown, markers, notes, keep)
        cached[id(table)] = result
        return result

    def cell_text(self, value: Decimal | None, column: Column, decimals: int) -> str:
        """A value as the table shows it (percent columns with a percent sign)."""
        if value is None:
            return ""
        if column.type is ColumnType.PERCENT:
            return fmt.percent_value(value, self.lang, decimals)
        return fmt.number(value, self.lang, decimals)

    @staticmethod
    def column_decimals(column: Column) -> int:
        """Decimals a column is shown with: what the dataset declares (counts: none)."""
        return 0 if column.type is ColumnType.COUNT else column.decimals

    def average_label(self, amount: Column, count: Column) -> tuple[str, str | None]:
        """Header of an average column (``Gemiddeld per project (€)``) and, where the header
        cannot name what is counted, a note that says what the average divides."""
        unit = f" ({self.unit(amount)})" if amount.unit else ""
        singular = dutch_singular(count_noun(count.label)) if self.dutch_words else None
        if singular:
            return self.labels.get("brief.average_per", noun=singular) + unit, None
        note = self.labels.get(
            "brief.average_note",
            amount=self.name(amount.label, start=True),
            count=self.name(count.label),
        )
        return self.labels.get("brief.average") + unit, note

    def unit(self, column: Column) -> str:
        """A column's unit as the reader writes it (``€``, ``miljoen €``)."""
        assert column.unit is not None
        try:
            return self.labels.get(f"brief.unit.{column.unit}")
        except KeyError:
            return column.unit

    def axis_title(self, column: Column) -> str:
        """The value axis of a chart of ``column``: what it counts, or its unit."""
        if column.type is ColumnType.COUNT:
            noun = count_noun(column.label) if self.dutch_words else ""
            if self.dutch_words and noun and noun != lower_first(column.label):
                return column.label  # "Aantal projecten" says it already
            if noun:
                return self.labels.get("brief.axis_count", noun=noun)
            return column.label
        if column.type is ColumnType.PERCENT:
            return "%"
        if column.unit:
            return self.unit(column)
        return column.label

    def name(self, label: str, start: bool = False) -> str:
        """A column label of the dataset inside a generated sentence.

        Dutch: as a word, lower case but at the start (``naar aantal projecten``); another
        language: quoted as a name (``by “Aantal projecten”``), since the label stays Dutch.
        """
        if self.dutch_words:
            return label if start else lower_first(label)
        return self.labels.get("brief.format.quote", text=label)

    def plural(self, label: str) -> str | None:
        """The plural of a label column's label (``thema’s``), where it is certain."""
        return dutch_plural(label) if self.dutch_words else None

    def rows_words(self, table: Table, n: int) -> str:
        """``58 thema’s``, else ``12 rijen per omschrijving`` / ``58 rows by “Thema”``."""
        rows = fmt.number(n, self.lang)
        plural = self.plural(table.label_column.label)
        if plural is not None:
            return f"{rows} {plural}"
        return self.labels.get(
            "brief.bullets.rows_per", rows=rows, label=self.name(table.label_column.label)
        )

    def count_words(self, value: Decimal, column: Column) -> str:
        """A count with what it counts (``173.053 projecten``); just the number in English."""
        number = fmt.number(value, self.lang)
        noun = count_noun(column.label) if self.dutch_words else ""
        return f"{number} {noun}" if noun else number

    def amount_name(self, column: Column) -> str:
        """An amount column in a sentence: ``toegekende subsidie`` / ``“Bedrag (€)”``."""
        if self.dutch_words:
            return lower_first(without_unit(column.label))
        return self.name(column.label)

    def amount_words(self, value: Decimal, column: Column) -> str:
        """A total amount in words: ``€ 56,8 miljoen``."""
        if column.unit == "EUR":
            return fmt.money_short(value, self.lang)
        if column.unit == "EUR million":
            return fmt.money_short(value * 1_000_000, self.lang)
        unit = f" {column.unit}" if column.unit else ""
        return fmt.number(value, self.lang, column.decimals) + unit

    def money(self, value: Decimal) -> str:
        """Euro with the decimals the value is written with (``€ 10.000``, ``€ 988,70``)."""
        return fmt.money(value, self.lang, fmt.decimals_of([value]))

    @staticmethod
    def use_decimals(stated: Decimal | None) -> int:
        """Decimals of a use percentage: as the answer states it, else one."""
        return fmt.decimals_of([stated]) if stated is not None else 1

    def size_label(self, key: str, label: str) -> str:
        """Company size from the catalogue (``small``, ``medium``), else as in the dataset."""
        try:
            return self.labels.get(f"common.{key}")
        except KeyError:
            return label[:1].upper() + label[1:]

    def caption_text(self, answer: Answer, table: Table) -> str:
        """A table's caption: the dataset's, else its columns per its label column."""
        if table.caption:
            return table.caption
        labels = [c.label for c in table.value_columns]
        names = [self.name(n, start=i == 0) for i, n in enumerate(labels)]
        joined = (
            fmt.join(names, self.lang)
            if names
            else self.labels.get("brief.table_caption_default", answer=answer.number)
        )
        if not names:
            return joined
        label = self.name(table.label_column.label)
        return self.labels.get("brief.caption_per", columns=joined, label=label)

    def table_caption(self, caption: str) -> str:
        """``Tabel n. caption``, unless the dataset's caption carries its own number."""
        if _NUMBERED.match(caption):
            self.table_number += 1
            return caption
        return self.labels.get("brief.table_caption", number=self.next_table(), caption=caption)

    def next_table(self) -> int:
        """The next table number."""
        self.table_number += 1
        return self.table_number

    def heading(self, level: int, text: str) -> None:
        """A real Heading n paragraph."""
        self.para(f"Heading {level}", run(text))

    def para(self, style: str, content: str, ppr: str = "") -> None:
        """A paragraph of the required style ``style``."""
        self.out.append(paragraph(self.template.style(style), content, ppr))

    def src(self, text: str) -> str:
        """A run of the dataset's own text (kept as written, marked Dutch)."""
        return run(text, self.source_rpr)


_NUMBERED = re.compile(r"^\s*(tabel|table)\s+\S+[.:]", re.IGNORECASE)


# "Maximum (€)" -> "Maximum": a series name without the unit the axis already shows.
def _strip_unit(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", text)


# The Excel number format with ``decimals`` decimals (Excel shows it in the reader's locale).
def _excel_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")
