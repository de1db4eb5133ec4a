"""The data model: a written question, its answer, and the figures in it.

The pipeline is  load -> validate -> model -> render:

* :mod:`kmo_export.loader` reads a dataset file (YAML, with tables inline or in a CSV/.xlsx
  file beside it) and builds a :class:`Dataset`, naming file, field and line in every error;
* :mod:`kmo_export.validate` checks the rules (totals reconcile to the cent, no duplicate
  labels, stated percentages agree with their parts, ...);
* :class:`Report` bundles a valid dataset with the build options;
* the renderers take a :class:`Report`: ``render_xlsx(report, path)`` in
  :mod:`kmo_export.workbook` and ``render_docx(report, path)`` in :mod:`kmo_export.brief`.

This module knows no output format and no command line. Money and every other figure is
:class:`~decimal.Decimal`; nothing here is ever a float.

Dataclasses that code or tests compare by value keep the generated ``__eq__``/``__hash__`` and
``__repr__`` (a :class:`Question`, a :class:`CellRef`); the others (``eq=False, repr=False``: a
:class:`Table`, a :class:`Dataset`) compare by identity. Every generated method is compiled at
import, in every run, so a class gets only those in use (the same holds across the package).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

# The cells and rows of a table (their own module: a compact store), part of the model.
from .rows import Cell as Cell
from .rows import NotAvailable as NotAvailable
from .rows import Row as Row
from .rows import Rows as Rows
from .rows import is_number as is_number

if TYPE_CHECKING:
    from .analysis import Analysis


class ColumnType(StrEnum):
    """What a table column holds; decides validation, number format and derived columns."""

    LABEL = "label"  # the row label (exactly one per table, the first column)
    COUNT = "count"  # non-negative whole numbers (dossiers, enterprises)
    AMOUNT = "amount"  # non-negative money, `unit` (EUR, EUR million) and `decimals`
    PERCENT = "percent"  # percentages as written (12.5 means 12.5 %)
    NUMBER = "number"  # any other number


class DimensionKind(StrEnum):
    """What the rows of a table are (the SDMX row dimension)."""

    CATEGORY = "category"  # themes, provinces: unordered, may be ranked and sorted by size
    PERIOD = "period"  # years, quarters: kept in source order, never ranked or sorted
    ORDERED = "ordered"  # size bands: kept in order, never sorted


class TotalSource(StrEnum):
    """Where a published total stands in the source."""

    TABLE = "table"  # a total row of the published table
    PROSE = "prose"  # a total stated only in the text, with its sentence


#: Unit multipliers (SDMX UNIT_MULT) by name: the power of ten the values are given in.
MULTIPLIERS = {"thousand": 3, "million": 6, "billion": 9}


@dataclass(frozen=True, eq=False, repr=False)
class Column:
    """A column of a table: the label column (the row dimension) or a measure."""

    key: str
    label: str
    type: ColumnType
    unit: str | None = None  # amount: currency (EUR); number: free text; never for a percent
    decimals: int = 0
    label_en: str | None = None
    multiplier: int = 0  # values are in 10**multiplier units (6: million)
    additive: bool | None = None  # declared; None: the default for its kind and dimension
    ratio: tuple[str, str] | None = None  # a percent or ratio: (numerator, denominator) keys
    share_of: str | None = None  # a percent of this measure key's total
    group: str | None = None  # the label of its column group (two-level header)
    unit_en: str | None = None  # a number's unit in English ("days" for "dagen")
    what: str | None = None  # what it counts, as words in a sentence ("projecten in Limburg")
    what_en: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.type is ColumnType.PERCENT

    @property
    def is_money(self) -> bool:
        """An amount, or another number in euro (a budget change: it may be below zero)."""
        if self.type is ColumnType.NUMBER:
            return (self.unit or "").strip().upper() in ("EUR", "€")
        return self.type is ColumnType.AMOUNT

    def text(self, language: str) -> str:
        """The label in ``language`` where the dataset gives one, else as published."""
        return self.label_en if language == "en" and self.label_en else self.label

    def what_text(self, language: str) -> str | None:
        """What the measure counts, in ``language`` (never Dutch words in another language)."""
        return self.what_en if language == "en" else self.what

    def unit_text(self, language: str) -> str | None:
        """The unit in ``language`` where the dataset gives one, else as published."""
        return self.unit_en if language == "en" and self.unit_en else self.unit


@dataclass(frozen=True, eq=False, repr=False)
class ColumnGroup:
    """Measures under one upper header (OND / ONTW / ICON)."""

    label: str
    keys: tuple[str, ...]
    label_en: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Average:
    """A derived figure the dataset declares: one measure divided by another, per row."""

    key: str
    label: str
    numerator: str
    denominator: str
    label_en: str | None = None
    decimals: int = 2


def column_scale(column: Column) -> int:
    """Decimal places a numeric column's values are stored with (more falls back to Decimals)."""
    if column.type is ColumnType.COUNT:
        return 0
    if column.type is ColumnType.AMOUNT:
        return column.decimals
    return column.decimals + 4


#: Labels that name a period: 2020, 2020-2021, 2021Q3, Q3 2021, 2025 (31/10), 2019-2020 (1/9).
_PERIOD = re.compile(
    r"(?:(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?(?:\s*[-/]?\s*[QKT][1-4]|\s*[QKT][1-4])?"
    r"|[QKT][1-4]\s*[-/]?\s*(?:19|20)\d\d|(?:H|S)[12]\s*(?:19|20)\d\d)"
    r"(?:\s*\([^()]{1,20}\))?\*?",
    re.IGNORECASE,
)


def looks_like_period(label: str) -> bool:
    """True for a label that names a year or a part of one (``2025 (31/10)``, ``Q3 2021``)."""
    return bool(_PERIOD.fullmatch(label.strip()))


def infer_dimension(labels: Iterable[str]) -> DimensionKind:
    """Periods when every label names a year or a part of one; categories otherwise."""
    seen = False
    for label in labels:
        if not looks_like_period(label):
            return DimensionKind.CATEGORY
        seen = True
    return DimensionKind.PERIOD if seen else DimensionKind.CATEGORY


@dataclass(frozen=True, eq=False, repr=False)
class Table:
    """A table in an answer: a label column, numeric columns, rows, an optional total row.

    ``rows`` may be given as any sequence of :class:`Row`; the table keeps them as :class:`Rows`.
    """

    id: str
    columns: tuple[Column, ...]  # columns[0] is the label column (the row dimension)
    rows: Rows
    caption: str | None = None
    total_label: str | None = None
    reported_total: tuple[Cell, ...] | None = None  # the total row as published, if any
    notes: tuple[str, ...] = ()
    total_line: int | None = None  # where the reported total stands in the dataset file
    dimension: DimensionKind | None = None  # None: inferred from the labels
    number: str | None = None  # the table's own number as published ("2a")
    caption_en: str | None = None
    groups: tuple[ColumnGroup, ...] = ()
    averages: tuple[Average, ...] = ()
    total_source: TotalSource = TotalSource.TABLE
    total_label_en: str | None = None  # the published total row's label in English
    total_sentence: str | None = None  # the sentence of a total stated in the prose
    line: int | None = None  # where the table starts in the dataset file
    total_lines: tuple[int | None, ...] = ()  # per numeric column: where its total value stands

    def __post_init__(self) -> None:
        if not isinstance(self.rows, Rows):
            scales = [column_scale(c) for c in self.columns[1:]]
            object.__setattr__(self, "rows", Rows(scales, self.rows))
        if self.dimension is None:
            object.__setattr__(self, "dimension", infer_dimension(self.rows.labels()))

    @property
    def kind(self) -> DimensionKind:
        """The row dimension's kind (declared, or inferred from the labels)."""
        return self.dimension or DimensionKind.CATEGORY

    def measure(self, key: str) -> Column | None:
        """The measure ``key``, or None."""
        return next((c for c in self.value_columns if c.key == key), None)

    def adds_up(self, column: Column) -> bool:
        """True when the rows of ``column`` add up to a meaningful total.

        Declared ``additive`` wins, except that a percent never adds up. Not declared: counts and
        amounts add up over categories and ordered classes; over periods a sum is never stated.
        """
        if column.type is ColumnType.PERCENT or column.ratio or column.share_of:
            return False
        if column.additive is not None:
            return column.additive
        if self.kind is DimensionKind.PERIOD:
            return False
        return column.type in (ColumnType.COUNT, ColumnType.AMOUNT)

    def caption_text(self, language: str) -> str | None:
        """The caption in ``language`` where given, else as published."""
        return self.caption_en if language == "en" and self.caption_en else self.caption

    @property
    def label_column(self) -> Column:
        return self.columns[0]

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return self.columns[1:]

    def column_index(self, key: str) -> int:
        """Index into ``Row.values`` of the numeric column ``key``."""
        for i, column in enumerate(self.value_columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def total_text(self, language: str) -> str | None:
        """The published total row's label in ``language`` where the dataset gives one."""
        if language == "en" and self.total_label_en:
            return self.total_label_en
        return self.total_label

    @cached_property
    def top_rows(self) -> Rows:
        """The rows that add up to the total: detail rows of a hierarchy are left out."""
        return self.rows.top_level()

    @property
    def has_hierarchy(self) -> bool:
        return self.rows.has_hierarchy

    def computed_total(self, index: int) -> Decimal | None:
        """Sum of the top-level rows of numeric column ``index``; None if all are empty."""
        return self.computed_totals[index]

    @cached_property
    def computed_totals(self) -> tuple[Decimal | None, ...]:
        """Sum of the top-level rows per numeric column (None where every cell is empty)."""
        top = self.top_rows
        return tuple(top.total(i) for i in range(len(self.value_columns)))

    @property
    def has_empty_cells(self) -> bool:
        return any(v is None for i in range(len(self.value_columns)) for v in self.rows.column(i))


@dataclass(frozen=True)
class Part:
    """A sub-question or the answer to one: ``a)``, ``b)``."""

    label: str
    paragraphs: tuple[str, ...] = ()
    content: tuple[str | Table, ...] = ()  # answers: text and tables in published order


@dataclass(frozen=True)
class Question:
    number: int
    paragraphs: tuple[str, ...]
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class Answer:
    """The answer to one question (or, with ``also``, to several at once).

    ``content`` is the answer as published: paragraphs (str) and tables interleaved. Format 1
    gives ``paragraphs`` and ``tables`` only; then content is the paragraphs, then the tables.
    """

    number: int
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    content: tuple[str | Table, ...] = ()
    also: tuple[int, ...] = ()  # further questions this answer answers ("1 en 2.")
    parts: tuple[Part, ...] = ()

    def __post_init__(self) -> None:
        if not self.content and not self.parts:
            object.__setattr__(self, "content", (*self.paragraphs, *self.tables))
        else:
            texts = tuple(b for b in self.content if isinstance(b, str))
            tables = tuple(b for b in self.content if isinstance(b, Table))
            parts = tuple(b for p in self.parts for b in p.content)
            object.__setattr__(
                self, "paragraphs", texts + tuple(b for b in parts if isinstance(b, str))
            )
            object.__setattr__(
                self, "tables", tables + tuple(b for b in parts if isinstance(b, Table))
            )

    @property
    def numbers(self) -> tuple[int, ...]:
        """Every question this answer answers."""
        return (self.number, *self.also)


@dataclass(frozen=True)
class Person:
    name: str
    title: str | None = None


@dataclass(frozen=True)
class CompanySizeUsage:
    """Use of the portfolio by one company size: average granted against the maximum."""

    key: str  # "small", "medium": labels come from the catalogue
    label: str  # as written in the answer ("kleine ondernemingen")
    maximum: Decimal
    average_granted: Decimal
    stated_use_percent: Decimal | None = None  # as stated in the answer, e.g. 9.9

    @property
    def use(self) -> Decimal:
        """Average granted as a fraction of the maximum (0.09887)."""
        return self.average_granted / self.maximum


@dataclass(frozen=True)
class NewMaximum:
    since: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Usage:
    answer: int
    year: int
    sizes: tuple[CompanySizeUsage, ...]
    new_maximum: NewMaximum | None = None


@dataclass(frozen=True)
class Enterprises:
    answer: int
    year: int
    count: int


@dataclass(frozen=True)
class KeyFigures:
    enterprises: Enterprises | None = None
    usage: Usage | None = None


class CheckKind(StrEnum):
    CELL = "cell"  # a table cell (or its total)
    SUM = "sum"  # the sum of other figures
    RATIO = "ratio"  # one figure or cell divided by another


@dataclass(frozen=True)
class CellRef:
    """A table cell a figure refers to; ``row`` None means the table's (published) total."""

    table: str
    measure: str
    row: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class FigureCheck:
    """What a stated figure must agree with."""

    kind: CheckKind
    cell: CellRef | None = None
    figures: tuple[str | CellRef, ...] = ()  # SUM: figure ids; RATIO: (numerator, denominator)
    line: int | None = None  # where the check stands in the dataset file


@dataclass(frozen=True, eq=False, repr=False)
class Figure:
    """A key figure stated in the text of an answer: value, unit, what it counts, its sentence."""

    id: str
    answer: int
    value: Decimal
    kind: ColumnType  # COUNT, AMOUNT, PERCENT or NUMBER
    what: str
    sentence: str | None = None
    what_en: str | None = None
    period: str | None = None
    unit: str | None = None
    multiplier: int = 0
    check: FigureCheck | None = None
    line: int | None = None

    def text(self, language: str) -> str:
        return self.what_en if language == "en" and self.what_en else self.what


@dataclass(frozen=True)
class Source:
    publisher: str | None = None
    text: str | None = None  # path of the published text, relative to the dataset
    url: str | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """One written question with its answer: the complete content of the published text."""

    path: Path  # the dataset file; its stem names the outputs
    number: int
    date: dt.date
    asked_by: str
    addressed_to: Person
    subject: str
    introduction: tuple[str, ...]
    questions: tuple[Question, ...]
    answers: tuple[Answer, ...]
    key_figures: KeyFigures = field(default_factory=KeyFigures)
    source: Source = field(default_factory=Source)
    opening: tuple[str, ...] = ()  # text before answer 1
    closing: tuple[str, ...] = ()  # text after the last answer (annex references)
    figures: tuple[Figure, ...] = ()  # key figures stated in the text (format 2)
    format: int = 1  # the format version the dataset was written in

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def tables(self) -> Iterator[tuple[Answer, Table]]:
        """Every table with the answer it belongs to, in published order."""
        for answer in self.answers:
            for table in answer.tables:
                yield answer, table

    def answer(self, number: int) -> Answer | None:
        return next((a for a in self.answers if number in a.numbers), None)

    def table(self, table_id: str) -> Table | None:
        return next((t for _, t in self.tables if t.id == table_id), None)

    def question(self, number: int) -> Question | None:
        return next((q for q in self.questions if q.number == number), None)


@dataclass(frozen=True, eq=False, repr=False)
class Report:
    """A validated dataset plus the options of one build: what every renderer takes."""

    dataset: Dataset
    language: str = "nl"
    top_n: int = 15
    allow_inconsistent: bool = False

    @cached_property
    def analysis(self) -> Analysis:
        """The derived figures of the dataset, computed once for the whole build."""
        from .analysis import analyse  # the analysis works on the model, not the reverse

        return analyse(self.dataset)

    @property
    def created(self) -> dt.datetime:
        """The one timestamp written into outputs: SOURCE_DATE_EPOCH, else the answer's date."""
        import os

        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        return dt.datetime.combine(self.dataset.date, dt.time(0, 0))


def table_paths(dataset: Dataset) -> Iterator[tuple[str, Table]]:
    """Every table with its field path in the dataset file, in published order."""
    for a, answer in enumerate(dataset.answers):
        if dataset.format < 2:
            for t, table in enumerate(answer.tables):
                yield f"answers[{a}].tables[{t}]", table
            continue
        blocks = [(f"answers[{a}].content", answer.content)]
        blocks += [
            (f"answers[{a}].parts[{p}].content", part.content)
            for p, part in enumerate(answer.parts)
        ]
        for where, content in blocks:
            for k, block in enumerate(content):
                if isinstance(block, Table):
                    yield f"{where}[{k}].table", block
