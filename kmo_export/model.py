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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path

#: A table cell: a number, or ``None`` where the source leaves the cell empty.
Cell = Decimal | None


class ColumnType(StrEnum):
    """What a table column holds; decides validation, number format and derived columns."""

    LABEL = "label"  # the row label (exactly one per table, the first column)
    COUNT = "count"  # non-negative whole numbers (dossiers, enterprises)
    AMOUNT = "amount"  # non-negative money, `unit` (EUR, EUR million) and `decimals`
    PERCENT = "percent"  # percentages as written (12.5 means 12.5 %)
    NUMBER = "number"  # any other number


#: Column types whose values add up to a meaningful total.
ADDITIVE = (ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.NUMBER)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: ColumnType
    unit: str | None = None
    decimals: int = 0

    @property
    def is_additive(self) -> bool:
        return self.type in ADDITIVE


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Cell, ...]  # one per numeric column, in column order
    level: int = 0  # 0 = top level; >0 = detail row of the nearest row above with a lower level
    line: int | None = None  # where the row stands in its file, for messages


@dataclass(frozen=True)
class Table:
    """A table in an answer: a label column, numeric columns, rows, an optional total row."""

    id: str
    columns: tuple[Column, ...]  # columns[0] is the label column
    rows: tuple[Row, ...]
    caption: str | None = None
    total_label: str | None = None
    reported_total: tuple[Cell, ...] | None = None  # the total row as published, if any
    notes: tuple[str, ...] = ()

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

    @cached_property
    def top_rows(self) -> tuple[Row, ...]:
        """The rows that add up to the total: detail rows of a hierarchy are left out."""
        return tuple(r for r in self.rows if r.level == 0)

    @property
    def has_hierarchy(self) -> bool:
        return any(r.level for r in self.rows)

    def computed_total(self, index: int) -> Cell:
        """Sum of the top-level rows of numeric column ``index``; None if all are empty."""
        return self.computed_totals[index]

    @cached_property
    def computed_totals(self) -> tuple[Cell, ...]:
        """Sum of the top-level rows per numeric column (None where every cell is empty)."""
        totals: list[Cell] = [None] * len(self.value_columns)
        for row in self.top_rows:
            for i, value in enumerate(row.values):
                if value is not None:
                    current = totals[i]
                    totals[i] = value if current is None else current + value
        return tuple(totals)

    @property
    def has_empty_cells(self) -> bool:
        return any(v is None for r in self.rows for v in r.values)

    def discrepancies(self) -> list[Discrepancy]:
        """Columns whose reported total differs from the sum of the rows."""
        if self.reported_total is None:
            return []
        found = []
        for i, column in enumerate(self.value_columns):
            reported = self.reported_total[i]
            computed = self.computed_total(i)
            if reported is None or computed is None:
                continue
            if column.type is ColumnType.PERCENT:
                # Published percentages are rounded per row: 99.99 % is 100 %.
                tolerance = Decimal(len(self.top_rows)) * Decimal(5).scaleb(-column.decimals - 1)
                if abs(reported - computed) <= tolerance:
                    continue
            elif reported == computed:
                continue
            found.append(Discrepancy(self.id, column, reported, computed))
        return found

    # -- figures the renderers compute with (formulas in the workbook carry these values) --

    def share(self, row: Row, index: int) -> Decimal | None:
        """Row value as a fraction of the computed total of column ``index``."""
        value, total = row.values[index], self.computed_total(index)
        if value is None or not total:
            return None
        return value / total

    def ranked(self, index: int) -> list[Row]:
        """Top-level rows by column ``index``, largest first; ties keep the published order."""
        rows = [r for r in self.top_rows if r.values[index] is not None]
        return sorted(rows, key=lambda r: -r.values[index])  # type: ignore[operator]

    def top(self, index: int, n: int) -> tuple[list[Row], Decimal | None]:
        """The ``n`` largest rows by column ``index`` and the sum of all the others."""
        ranked = self.ranked(index)
        rest = ranked[n:]
        return ranked[:n], (sum((r.values[index] for r in rest), Decimal(0)) if rest else None)  # type: ignore[misc]

    @property
    def count_column(self) -> int | None:
        """Index of the first count column (ranks, cumulative shares, charts follow it)."""
        return _first(self.value_columns, ColumnType.COUNT)

    @property
    def amount_column(self) -> int | None:
        return _first(self.value_columns, ColumnType.AMOUNT)

    @property
    def primary_column(self) -> int | None:
        """The column charts and rankings use: the first count, else the first additive one."""
        if self.count_column is not None:
            return self.count_column
        for i, column in enumerate(self.value_columns):
            if column.is_additive:
                return i
        return None


def _first(columns: Sequence[Column], kind: ColumnType) -> int | None:
    return next((i for i, c in enumerate(columns) if c.type is kind), None)


@dataclass(frozen=True)
class Discrepancy:
    """A reported total that is not the sum of its rows: a fact about the source."""

    table_id: str
    column: Column
    reported: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.reported - self.computed


@dataclass(frozen=True)
class Question:
    number: int
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    number: int
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...] = ()


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


@dataclass(frozen=True)
class Source:
    publisher: str | None = None
    text: str | None = None  # path of the published text, relative to the dataset
    url: str | None = None


@dataclass(frozen=True)
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
        return next((a for a in self.answers if a.number == number), None)

    def question(self, number: int) -> Question | None:
        return next((q for q in self.questions if q.number == number), None)

    def discrepancies(self) -> list[Discrepancy]:
        return [d for _, table in self.tables for d in table.discrepancies()]


@dataclass(frozen=True)
class Report:
    """A validated dataset plus the options of one build: what every renderer takes."""

    dataset: Dataset
    language: str = "nl"
    top_n: int = 15
    allow_inconsistent: bool = False

    @property
    def created(self) -> dt.datetime:
        """The one timestamp written into outputs: SOURCE_DATE_EPOCH, else the answer's date."""
        import os

        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        return dt.datetime.combine(self.dataset.date, dt.time(0, 0))
