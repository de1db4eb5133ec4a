"""Table cells and rows, stored compactly: a table may hold a million rows.

A cell is a number (:class:`~decimal.Decimal`), blank (``None``) or not available
(:class:`NotAvailable`, with the symbol the source writes). :class:`Rows` keeps labels in a list
and each numeric column as scaled whole numbers, exactly.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, overload


@dataclass(frozen=True)
class NotAvailable:
    """A cell the source marks as not available (``n.v.t.``, ``–``, ``x``), as it writes it."""

    symbol: str

    def __str__(self) -> str:
        return self.symbol


#: A table cell: a number, ``None`` where the source leaves the cell blank, or NotAvailable.
Cell = Decimal | NotAvailable | None


def is_number(value: object) -> bool:
    """True for a cell that holds a number (not blank, not 'not available')."""
    return isinstance(value, Decimal)


class Row(NamedTuple):
    """One table row as the renderers see it (made on access from :class:`Rows`)."""

    label: str
    values: tuple[Cell, ...]  # one per numeric column, in column order
    level: int = 0  # 0 = top level; >0 = detail row of the nearest row above with a lower level
    line: int | None = None  # where the row stands in its file, for messages


#: Marks an empty cell in a column stored as scaled integers.
_EMPTY = -(2**63)
#: Marks a 'not available' cell; its symbol is kept in ``Rows._symbols``.
_NOT_AVAILABLE = -(2**63) + 1
_LIMIT = 2**63 - 1


class Rows(Sequence[Row]):
    """The rows of a table, stored compactly: a table may hold a million rows.

    Labels are kept in a list; each numeric column as whole numbers scaled by ``10**scale`` in an
    array of 64-bit integers (about 8 bytes a cell instead of a ~100-byte Decimal), or, for a
    column holding a value that does not fit, as Decimals. Rows, and the Decimals in them, are
    made when they are read. Two Rows with the same content compare equal.
    """

    __slots__ = ("_columns", "_labels", "_levels", "_lines", "_scales", "_symbols")

    def __init__(self, scales: Sequence[int], rows: Iterable[Row] = ()) -> None:
        self._labels: list[str] = []
        self._columns: list[array[int] | list[Cell]] = [array("q") for _ in scales]
        self._scales = tuple(scales)
        self._levels: array[int] | None = None  # made at the first detail row
        self._lines: array[int] = array("q")  # 0: no line known
        self._symbols: dict[tuple[int, int], str] = {}  # (row, column) -> 'not available' text
        for row in rows:
            self.append(row.label, row.values, row.level, row.line)

    def append(
        self, label: str, values: Sequence[Cell], level: int = 0, line: int | None = None
    ) -> None:
        """Add a row at the end (the loader fills a table this way, row by row)."""
        if len(values) != len(self._columns):
            raise ValueError(f"{len(values)} values for {len(self._columns)} columns")
        if level and self._levels is None:
            self._levels = array("b", bytes(len(self._labels)))
        self._labels.append(label)
        if self._levels is not None:
            self._levels.append(level)
        self._lines.append(line or 0)
        for j, value in enumerate(values):
            store = self._columns[j]
            if isinstance(store, list):
                store.append(value)
            elif value is None:
                store.append(_EMPTY)
            elif isinstance(value, NotAvailable):
                self._symbols[(len(self._labels) - 1, j)] = value.symbol
                store.append(_NOT_AVAILABLE)
            else:
                scaled = value.scaleb(self._scales[j])
                whole = int(scaled)
                if whole == scaled and -_LIMIT < whole < _LIMIT and whole > _NOT_AVAILABLE:
                    store.append(whole)
                else:  # keep this column as Decimals from now on
                    self._columns[j] = [*self.column(j), value]

    def _cell(self, row: int, column: int, stored: int) -> Cell:
        # One stored integer back to a cell.
        if stored == _EMPTY:
            return None
        if stored == _NOT_AVAILABLE:
            return NotAvailable(self._symbols[(row, column)])
        return Decimal(stored).scaleb(-self._scales[column])

    def column(self, index: int) -> Iterator[Cell]:
        """The values of numeric column ``index``, top to bottom (None for a blank cell)."""
        store = self._columns[index]
        if isinstance(store, list):
            return iter(store)
        if not self._symbols:
            scale = -self._scales[index]
            return (None if v == _EMPTY else Decimal(v).scaleb(scale) for v in store)
        return (self._cell(i, index, v) for i, v in enumerate(store))

    def total(self, index: int) -> Decimal | None:
        """Exact sum of the numbers in column ``index``; None if it holds no number."""
        store = self._columns[index]
        if isinstance(store, list):
            present = [v for v in store if isinstance(v, Decimal)]
            return sum(present, Decimal(0)) if present else None
        if _EMPTY in store or _NOT_AVAILABLE in store:
            whole, count = 0, 0
            for v in store:
                if v > _NOT_AVAILABLE:
                    whole += v
                    count += 1
            if not count:
                return None
        elif not store:
            return None
        else:
            whole = sum(store)
        return Decimal(whole).scaleb(-self._scales[index])

    def labels(self) -> Iterator[str]:
        """The labels, top to bottom."""
        return iter(self._labels)

    def levels(self) -> Iterator[int]:
        return iter(self._levels) if self._levels is not None else (0 for _ in self._labels)

    @property
    def has_hierarchy(self) -> bool:
        return self._levels is not None and any(self._levels)

    def top_level(self) -> Rows:
        """The rows of level 0 (all of them, the same object, when there is no hierarchy)."""
        if not self.has_hierarchy:
            return self
        return Rows(self._scales, (row for row in self if not row.level))

    @property
    def has_not_available(self) -> bool:
        return bool(self._symbols) or any(
            isinstance(v, NotAvailable) for s in self._columns if isinstance(s, list) for v in s
        )

    def __len__(self) -> int:
        return len(self._labels)

    def __iter__(self) -> Iterator[Row]:
        lines = (n or None for n in self._lines)
        if self._columns:
            values: Iterator[tuple[Cell, ...]] = zip(
                *map(self.column, range(len(self._columns))), strict=True
            )
        else:
            values = (() for _ in self._labels)
        return map(Row, self._labels, values, self.levels(), lines)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Row, ...]: ...
    def __getitem__(self, index: int | slice) -> Row | tuple[Row, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        label = self._labels[index]  # raises IndexError as a sequence should
        values: list[Cell] = []
        position = index if index >= 0 else len(self._labels) + index
        for j, store in enumerate(self._columns):
            if isinstance(store, list):
                values.append(store[index])
            else:
                values.append(self._cell(position, j, store[index]))
        level = self._levels[index] if self._levels is not None else 0
        return Row(label, tuple(values), level, self._lines[index] or None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"
