"""A table as the importer reads it: rows as read, columns, values, total, what it guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import Number
from .text import Line


@dataclass
class RawRow:
    """A row as read: label, one cell per numeric column, the lines it came from."""

    label: str
    cells: list[Number | None]
    line: Line
    partial: list[Number | None] | None = None  # fewer figures than columns: placed later
    label_on_value_line: bool = False
    level: int = 0


@dataclass
class ParsedColumn:
    """A column as read: key, label as published, type, unit and what it is a ratio of."""

    key: str
    label: str
    type: str
    unit: str | None = None
    decimals: int = 0
    multiplier: str | None = None  # "thousand" / "million": the values are in those units
    ratio: tuple[str, str] | None = None  # a percent column equal to a / b per row
    share_of: str | None = None  # a percent column equal to a / total of a per row
    group: str | None = None  # the upper header over it (a two-level header)


@dataclass
class ParsedTable:
    """A table as the importer found it; `dump` writes it in the dataset format."""

    id: str
    columns: list[ParsedColumn]
    rows: list[RawRow]
    caption: str | None = None
    total: RawRow | None = None
    values: list[list[Decimal | None]] = field(default_factory=list)
    total_values: list[Decimal | None] | None = None
    notes: list[str] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0
    number: str | None = None  # the table's own number as published ("2a")
    dimension: str = "category"  # category | period
    total_source: str = "table"  # table | prose
    total_sentence: str | None = None
    named: bool = True  # False: the columns are named by the importer, not by a header
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column): "n.v.t."
