"""What the brief says, in what order: the outline of the document.

Heading block, key message (:mod:`.keymessage`), each question with its answer as published
(text and tables interleaved, sub-questions a) b), the opening and closing text), the charts
the analysis plans (:mod:`.plots`, drawn by :mod:`.charts`), an annex with long tables in full, a source line. Words
come from :mod:`.wording`, tables from :mod:`.tables`, XML from :mod:`.wordml`; every derived
figure from :mod:`kmo_export.analysis`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import formatting as fmt
from ..analysis import Analysis, DerivedKind, TableAnalysis
from ..model import Answer, Part, Report, Table, Usage
from . import wordml
from .charts import add_chart
from .keymessage import KeyMessage, money, size_label, use_decimals
from .plots import Plot, Plots
from .tables import CellFacts, TableLayout, caption_words, cell_facts
from .wording import Words
from .wordml import Cell, Page, paragraph, run

if TYPE_CHECKING:
    from .opc import Package
    from .template import Template

#: A table with more rows than this is shortened in the annex (top rows, a note, the workbook
#: holds it all); the brief stays a readable document whatever the size of the table.
ANNEX_LIMIT = 500
#: How many rows a shortened annex table shows.
ANNEX_SHOWN = 100
CHART_WIDTH_CM = 16.0
#: Twips per centimetre.
TWIPS_PER_CM = 567


class Composer:
    """Writes the body of one brief into a list of XML strings."""

    def __init__(self, report: Report, package: Package, template: Template, first_id: int):
        self.report = report
        self.dataset = report.dataset
        self.analysis: Analysis = report.analysis
        self.words = Words(report.language)
        self.lang = report.language
        self.tag = self.words.tag
        self.package = package
        self.template = template
        self.out: list[str] = []
        self.figure_number = 0
        self.drawing_id = first_id
        self.annex: list[Table] = []
        # Dataset text is Dutch: mark it so where the brief is in another language.
        self.source_language = None if self.lang == "nl" else "nl-BE"
        self.styles = wordml.TableStyles(
            template.style("Brief Table"),
            template.style("Table Text"),
            template.style("Table Number"),
            *template.house_colours(),
        )
        self.sect_pr = template.sect_pr
        self.page: Page = wordml.page_of(self.sect_pr) if self.sect_pr is not None else wordml.A4
        self.numbers = self._number_tables()
        self.plots = Plots(self.words, report.top_n)
        self._facts: dict[str, CellFacts] = {}

    # -- the document ------------------------------------------------------------------

    def compose(self) -> str:
        """The whole body (without the final w:sectPr) as XML text."""
        self.heading_block()
        self.key_message()
        self.questions_and_answers()
        self.write_annex()
        self.source_line()
        return "".join(self.out)

    def heading_block(self) -> None:
        """Subject as title; question number and date; who asked; the minister addressed."""
        d, words = self.dataset, self.words
        self.para("Title", self.src(d.subject))
        self.para(
            "Subtitle",
            run(words.get("brief.written_question", number=d.number, date=self.date(d.date))),
        )
        self.para("Normal", run(words.get("brief.asked_by", name=d.asked_by)), after=0)
        person = d.addressed_to
        key = "brief.addressed_to_title" if person.title else "brief.addressed_to"
        self.para("Normal", run(words.get(key, name=person.name, title=person.title or "")))

    def key_message(self) -> None:
        """The key message: true sentences only (see :mod:`.keymessage`)."""
        message = KeyMessage(
            self.dataset, self.analysis, self.words, self.table_name, self.cell_facts
        )
        bullets = message.sentences()
        if not bullets:
            return
        self.heading(1, self.words.get("brief.key_message"))
        stated = {f.sentence for f in self.dataset.figures if f.sentence}
        for text in bullets:
            self.para("List Bullet", self.src(text) if text in stated else run(text))

    def questions_and_answers(self) -> None:
        """Each question, then its answer; an answer to several questions after the last."""
        d, words = self.dataset, self.words
        self.heading(1, words.get("brief.questions_and_answers"))
        for text in d.introduction:
            self.para("Question", self.src(text))
        asked = {q.number for q in d.questions}
        written: set[int] = set()
        first = True
        for question in d.questions:
            self.heading(2, words.get("brief.question", number=question.number))
            for text in question.paragraphs:
                self.para("Question", self.src(text))
            for part in question.parts:
                self.part_paragraphs(part, "Question")
            answer = d.answer(question.number)
            if answer is None or answer.number in written:
                continue
            if any(n in asked and n > question.number for n in answer.numbers):
                continue  # answered after the last of its questions
            written.add(answer.number)
            self.write_answer(answer, first)
            first = False
        for answer in d.answers:  # an answer without a question (validation normally refuses)
            if answer.number not in written:
                self.heading(2, words.get("brief.question", number=answer.number))
                self.write_answer(answer, first)
                first = False
        for text in d.closing:
            self.para("Normal", self.src(text))

    def write_answer(self, answer: Answer, first: bool) -> None:
        """The answer as published: text and tables in order, then its sub-answers."""
        words = self.words
        if answer.also:
            numbers = fmt.join([str(n) for n in answer.numbers], self.lang)
            self.heading(3, words.get("brief.answer_to", numbers=numbers))
        else:
            self.heading(3, words.get("brief.answer"))
        if first:
            for text in self.dataset.opening:
                self.para("Normal", self.src(text))
        self.content(answer, answer.content)
        usage = self.dataset.key_figures.usage
        if usage is not None and usage.answer in answer.numbers and usage.sizes:
            self.usage_figures(usage)
        for part in answer.parts:
            self.part_paragraphs(part, "Normal", answer)

    def part_paragraphs(self, part: Part, style: str, answer: Answer | None = None) -> None:
        """A sub-question or sub-answer: ``a)`` before its first paragraph."""
        mark = self.words.get("brief.part", label=part.label)
        blocks: Sequence[str | Table] = part.content or part.paragraphs
        if not blocks or not isinstance(blocks[0], str):
            self.para(style, run(mark, bold=True))
        for i, block in enumerate(blocks):
            if isinstance(block, str):
                lead = run(mark + " ", bold=True) if i == 0 else ""
                self.para(style, lead + self.src(block))
            elif answer is not None:
                self.answer_table(answer, block)

    def content(self, answer: Answer, blocks: Sequence[str | Table]) -> None:
        """Paragraphs and tables in published order."""
        for block in blocks:
            if isinstance(block, str):
                self.para("Normal", self.src(block))
            else:
                self.answer_table(answer, block)

    # -- tables --------------------------------------------------------------------------

    def _number_tables(self) -> dict[str, str]:
        # Each table's number: its own ("2a"), else its place among the brief's tables.
        out: dict[str, str] = {}
        n = 0
        usage = self.dataset.key_figures.usage
        for answer in self.dataset.answers:
            if usage is not None and usage.answer in answer.numbers and usage.sizes:
                n += 1
                out["\0usage"] = str(n)
            for table in answer.tables:
                n += 1
                numbered = _NUMBERED.match(table.caption or "")
                out[table.id] = table.number or (numbered.group(2) if numbered else str(n))
        return out

    def cell_facts(self, table: Table) -> CellFacts:
        """Blank and not-available cells of ``table`` (found once per table)."""
        if table.id not in self._facts:
            self._facts[table.id] = cell_facts(table)
        return self._facts[table.id]

    def table_name(self, table: Table) -> str:
        """How a sentence names a table: ``tabel 2a``."""
        return self.words.get("brief.table_name", number=self.numbers.get(table.id, "?"))

    def caption(self, table: Table) -> str:
        """``Tabel 2a. Caption`` (a caption that carries its own number is kept as it is)."""
        text = caption_words(table, self.words)
        if _NUMBERED.match(text):
            return text
        number = self.numbers.get(table.id, "?")
        if not text:
            return self.words.get("brief.table_caption_bare", number=number)
        return self.words.get("brief.table_caption", number=number, caption=text)

    def answer_table(self, answer: Answer, table: Table) -> None:
        """A table under its answer: the largest rows and the rest if it is long, then the
        chart the analysis plans for it."""
        ta = self.analysis.table(table)
        layout = TableLayout(table, ta, self.words, self.cell_facts(table))
        index = ta.primary
        n = self.report.top_n
        long = ta.ranks_categories and index is not None and len(table.top_rows) > n
        if long:
            assert index is not None
            self.annex.append(table)
            body = _top_body(layout, ta, index, n)
            title = self.words.get(
                "brief.top_caption",
                caption=self.caption(table),
                n=n,
                column=self.words.column(table.value_columns[index]),
            )
            self.table_block(layout, body, title)
        else:
            self.table_block(layout, layout.body(), self.caption(table))
        for plot in self.plots.table(table, ta):
            self.chart(plot)

    def write_annex(self) -> None:
        """The long tables in full (very long ones shortened to their largest rows, noted)."""
        if not self.annex:
            return
        self.heading(1, self.words.get("brief.annex"))
        for number, table in enumerate(self.annex, 1):
            ta = self.analysis.table(table)
            layout = TableLayout(table, ta, self.words, self.cell_facts(table))
            note = None
            if len(table.rows) > ANNEX_LIMIT:
                index = ta.primary
                workbook = f"{self.dataset.stem}.xlsx"
                rows = fmt.number(len(table.rows), self.lang)
                if index is not None and ta.ranks_categories:
                    body = _top_body(layout, ta, index, ANNEX_SHOWN)
                    note = self.words.get(
                        "brief.shortened",
                        rows=rows,
                        shown=ANNEX_SHOWN,
                        column=self.words.column(table.value_columns[index]),
                        workbook=workbook,
                    )
                else:
                    body = layout.body(range(ANNEX_SHOWN))
                    note = self.words.get(
                        "brief.shortened_plain", rows=rows, shown=ANNEX_SHOWN, workbook=workbook
                    )
            else:
                body = layout.body()
            text = caption_words(table, self.words)
            if text and not _NUMBERED.match(text):  # "Bijlage 1. … (volledige tabel 2)"
                table_number = self.numbers.get(table.id, "?")
                caption = self.words.get(
                    "brief.annex_table_of", number=number, caption=text, table=table_number
                )
            else:
                caption = self.words.get(
                    "brief.annex_table", number=number, caption=self.caption(table)
                )
            self.table_block(layout, body, caption, note)

    def table_block(
        self, layout: TableLayout, body: list[list[Cell]], caption: str, note: str | None = None
    ) -> None:
        """Caption, table and notes; a wide table on a landscape page of its own."""
        header, names = layout.header()
        total = layout.total()
        own, dataset_notes = layout.notes()
        notes = [run(text) for text in layout.marker_notes]
        notes += [self.src(text) for text in dataset_notes]
        notes += [run(text) for text in own[len(layout.marker_notes) :]]
        if note:
            notes.append(run(note))
        wide = layout.is_wide(self.page.text_width, names, body, total)
        page = self.page.turned() if wide and not self.page.landscape else self.page
        if page is not self.page:
            self.section_break(self.page)
        self.write_table(header, names, body, total, caption, notes, page.text_width)
        if page is not self.page:
            self.section_break(page)

    def write_table(
        self,
        header: list[list[Cell]],
        names: list[Cell],
        rows: list[list[Cell]],
        total: list[Cell] | None,
        caption: str,
        notes: Sequence[str] = (),
        text_width: int = wordml.TEXT_WIDTH,
    ) -> None:
        """A caption above, then the table, then its notes (kept with the table's last row)."""
        self.para("Caption", run(caption), keep_next=True)
        description = self.words.get(
            "brief.table_description",
            rows=fmt.number(len(rows), self.lang),
            columns=", ".join(self.words.label(c.text, True, start=True) for c in names),
        )
        size = wordml.font_size(names, rows, total, text_width)
        widths = wordml.widths(names, rows, total, text_width, size)
        self.out.append(
            wordml.table(
                self.styles, header, rows, total, widths, caption, description, bool(notes), size
            )
        )
        for i, content in enumerate(notes):
            self.para("Table Note", content, keep_next=i < len(notes) - 1)

    def section_break(self, page: Page) -> None:
        """End the current section (laid out as ``page``): what follows starts a new page."""
        self.out.append(wordml.section_break(self.template.style("Normal"), self.sect_pr, page))

    # -- format 1: use of the maximum per company size ------------------------------------

    def usage_figures(self, usage: Usage) -> None:
        """Maximum, average granted and use per company size: a table and a chart."""
        words, lang = self.words, self.lang
        max_dec = fmt.decimals_of([s.maximum for s in usage.sizes])
        avg_dec = fmt.decimals_of([s.average_granted for s in usage.sizes])
        header = [
            Cell(words.get("brief.size")),
            Cell(words.get("brief.maximum"), True),
            Cell(words.get("brief.average_granted"), True),
            Cell(words.get("brief.use"), True),
        ]
        rows = [
            [
                Cell(size_label(words, s.key, s.label)),
                Cell(fmt.number(s.maximum, lang, max_dec), True),
                Cell(fmt.number(s.average_granted, lang, avg_dec), True),
                Cell(fmt.percent(s.use, lang, use_decimals(s.stated_use_percent)), True),
            ]
            for s in usage.sizes
        ]
        number = self.numbers.get("\0usage", "?")
        caption = words.get(
            "brief.table_caption",
            number=number,
            caption=words.get("brief.usage_caption", year=usage.year),
        )
        notes = []
        if usage.new_maximum:
            m = usage.new_maximum
            notes.append(
                run(
                    words.get(
                        "brief.new_maximum", date=self.date(m.since), amount=money(m.amount, lang)
                    )
                )
            )
        self.write_table([header], header, rows, None, caption, notes, self.page.text_width)
        self.chart(self.plots.usage(usage))

    # -- charts ------------------------------------------------------------------------

    def chart(self, plot: Plot) -> None:
        """A native chart in its own paragraph, with a figure caption below."""
        spec, caption, height_cm = plot.spec, plot.caption, plot.height_cm
        self.figure_number += 1
        named = replace(
            spec,
            name=self.words.get("brief.chart_name", number=self.figure_number),
            locale_prefix=self.words.get("brief.format.chart_locale"),
        )
        width = min(CHART_WIDTH_CM, self.page.text_width / TWIPS_PER_CM)
        drawing = add_chart(
            self.package,
            self.template.document,
            named,
            self.report.created,
            self.tag,
            self.drawing_id,
            width,
            height_cm,
        )
        self.drawing_id += 1
        self.para("Normal", drawing, keep_next=True, before=120, after=0)
        self.para(
            "Caption",
            run(self.words.get("brief.figure_caption", number=self.figure_number, caption=caption)),
        )

    # -- the end -------------------------------------------------------------------------

    def source_line(self) -> None:
        """Where the figures come from: the question, its date, the answer; what is derived."""
        d, words = self.dataset, self.words
        person = d.addressed_to
        minister = f"{person.name}, {person.title}" if person.title else person.name
        parts = [
            words.get(
                "brief.source",
                publisher=d.source.publisher or words.get("brief.publisher"),
                number=d.number,
                date=self.date(d.date),
                asked_by=d.asked_by,
                minister=minister,
            )
        ]
        # Only what the brief prints of the analysis: shares, averages, use.
        kinds = {
            derived.kind
            for _, table in d.tables
            for derived in TableLayout(
                table, self.analysis.table(table), self.words, self.cell_facts(table)
            ).derived_shown()
        }
        derived = []
        if DerivedKind.SHARE in kinds:
            derived.append(words.get("brief.derived_share"))
        if DerivedKind.AVERAGE in kinds:
            derived.append(words.get("brief.derived_average"))
        usage = d.key_figures.usage
        if usage is not None and usage.sizes:
            derived.append(words.get("brief.derived_use"))
        if derived:
            parts.append(words.get("brief.source_derived", items=fmt.join(derived, self.lang)))
        if d.source.url:
            parts.append(words.get("brief.source_url", url=d.source.url))
        self.para("Source", run(" ".join(parts)))

    # -- helpers ----------------------------------------------------------------------

    def date(self, value: dt.date) -> str:
        """A date as the brief's language writes it."""
        return fmt.date(value, self.lang)

    def heading(self, level: int, text: str) -> None:
        """A real Heading n paragraph."""
        self.para(f"Heading {level}", run(text))

    def para(
        self,
        style: str,
        content: str,
        *,
        keep_next: bool = False,
        before: int | None = None,
        after: int | None = None,
    ) -> None:
        """A paragraph of the required style ``style`` (layout: see :func:`wordml.paragraph`)."""
        self.out.append(
            paragraph(
                self.template.style(style), content, keep_next=keep_next, before=before, after=after
            )
        )

    def src(self, text: str) -> str:
        """A run of the dataset's own text (kept as written, marked Dutch)."""
        return run(text, language=self.source_language)


_NUMBERED = re.compile(r"^\s*(tabel|table)\s+(\S+?)[.:]", re.IGNORECASE)


__all__ = ["Composer"]


# The rows of the ``n`` largest, then one row for all the others (where there are others).
def _top_body(layout: TableLayout, ta: TableAnalysis, index: int, n: int) -> list[list[Cell]]:
    top = ta.top(index, n)
    body = layout.body(top.rows)
    if top.rest_count:
        body.append(layout.rest(top))
    return body
