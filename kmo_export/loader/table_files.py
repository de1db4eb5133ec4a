"""Table files: the rows of a table in a CSV or .xlsx file beside the dataset (``rows_file:``).

The header is matched to the columns by key or label, each record becomes a row (compact
:class:`Rows`: a file may hold a million), and a last row labelled as a total is the table's
reported total. Reading the bytes within bounds is :mod:`kmo_export.reading`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import reading
from ..errors import DatasetError
from ..model import Cell, Column, Row, Rows, column_scale
from .columns import _cell
from .fields import _Reader

#: Excel's rows a sheet, 1,048,576: one header and one total row besides the data.
MAX_ROWS = reading.MAX_ROWS - 2
#: Labels that make the last row of a table file its total row (compared in lower case).
TOTAL_LABELS = ("eindtotaal", "totaal", "total", "grand total", "algemeen totaal")

# A formula cell of an .xlsx file that holds no saved result.
_Formula = reading.Formula


def _csv_records(file: Path) -> Iterator[tuple[int, list[Any]]]:
    # The records of a CSV table file with their line numbers (see reading.csv_records).
    return reading.csv_records(file, _belgian_number)


def _belgian_number(text: str) -> str:
    # "7.029.304,65" -> "7029304.65" (the CSV a Dutch-language Excel writes, ';'-separated)
    s = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    return s.replace(".", "").replace(",", ".") if re.fullmatch(r"-?[\d.]*(,\d+)?", s) else text


def _xlsx_grid(
    r: _Reader, file: Path, where: str, sheet: str | None
) -> list[tuple[int, list[Any]]] | None:
    # The rows of an .xlsx table file (see reading.xlsx_grid), or None with its problem noted.
    try:
        return reading.xlsx_grid(file, sheet)[0]
    except reading.NoSuchSheet as exc:
        r.problem(where, f"sheet {sheet!r} not in {file.name!r} (sheets: {exc.sheets})")
        return None
    except DatasetError as exc:
        r.problems.extend(exc.problems)
        return None


def _rows_from_file(
    r: _Reader, file: Path, where: str, columns: tuple[Column, ...], sheet: str | None
) -> tuple[Rows | list[Row], tuple[str, tuple[Cell, ...]] | None]:
    # The rows of a CSV or .xlsx table file, read record by record into compact Rows (a file
    # may hold a million rows); the last row is the reported total if its label says so.
    escape = reading.confined(file, Path(r.file).parent)
    if escape is not None:
        r.problems.append(escape)
        return [], None
    if not file.is_file():
        r.problem(
            where,
            f"table file {str(file)!r} not found"
            if not file.exists()
            else f"{str(file)!r} is not a file",
        )
        return [], None
    records: Iterator[tuple[int, list[Any]]]
    if file.suffix.lower() == ".csv":
        records = _csv_records(file)
    elif file.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(r, file, where, sheet)
        if grid is None:
            return [], None
        records = iter(grid)
    else:
        r.problem(where, f"table file {file.name!r} must be .csv or .xlsx")
        return [], None
    sub = _Reader(str(file), {})
    sub.version, sub.missing = r.version, r.missing
    rows = Rows([column_scale(c) for c in columns[1:]])
    total: tuple[str, tuple[Cell, ...]] | None = None
    try:
        first = next(records, None)
        if first is None:
            r.problem(where, f"table file {file.name!r} is empty")
            return [], None
        header = [str(h).strip() if h is not None else "" for h in first[1]]
        index = _header_index(sub, header, columns, first[0])
        if index is None:
            r.problems.extend(sub.problems)
            return [], None
        held: tuple[int, int, list[Any]] | None = None  # the last record may be the total row
        count = 0
        for line, cells in records:
            if not any(str(c).strip() for c in cells if c is not None):
                continue
            count += 1
            if count > MAX_ROWS + 1:  # one more: the last row may be a total row
                count += sum(1 for _, more in records if any(str(c).strip() for c in more))
                r.problem(
                    where,
                    f"{file.name!r} has {count:,} rows; an Excel sheet holds at most "
                    f"{MAX_ROWS:,} besides header and total",
                )
                return [], None
            if held is not None:
                _file_row(sub, held, header, index, columns, rows)
            held = (count, line, cells)
        if held is not None:
            total = _file_row(sub, held, header, index, columns, rows, last=True)
    except DatasetError as exc:  # the file itself is unreadable (encoding, NUL bytes, CSV)
        r.problems.extend(exc.problems)
        return [], None
    if not rows and not sub.problems:
        sub.problem("", "holds no rows")
    r.problems.extend(sub.problems)
    return rows, total


def _file_row(
    sub: _Reader,
    record: tuple[int, int, list[Any]],
    header: list[str],
    index: list[int],
    columns: tuple[Column, ...],
    rows: Rows,
    last: bool = False,
) -> tuple[str, tuple[Cell, ...]] | None:
    # One record of a table file into ``rows``; the last one, if it is a total row, is returned.
    k, line, cells = record
    if len(cells) < len(header):
        cells = list(cells) + [None] * (len(header) - len(cells))
    formula = next((c for c in cells if isinstance(c, _Formula)), None)
    if formula is not None:
        sub.problem(
            f"row {k}",
            f"holds the formula {formula.text} without a saved result; open the file in "
            "Excel or LibreOffice and save it, or type the value",
            line,
        )
        return None
    raw_label = cells[index[0]]
    label = sub.check_text(
        raw_label if raw_label is not None else "", f"row {k}, column {columns[0].label!r}"
    )
    values = tuple(
        _cell(sub, _plain_number(cells[j]), c, f"row {k}, column {c.label!r}", line)
        for j, c in zip(index[1:], columns[1:], strict=True)
    )
    if label is None:
        return None
    if last and label.lower() in TOTAL_LABELS:
        return label, values
    rows.append(label, values, 0, line)
    return None


def _header_index(
    r: _Reader, header: list[str], columns: tuple[Column, ...], line: int
) -> list[int] | None:
    # The header's position of each column (by key or label), or None with its problem noted.
    found = []
    lowered = [h.lower() for h in header]
    for c in columns:
        for name in (c.key.lower(), c.label.lower()):
            if name in lowered:
                found.append(lowered.index(name))
                break
        else:
            r.problem(
                "header", f"no column {c.key!r} or {c.label!r} (header: {', '.join(header)})", line
            )
            return None
    return found


def _plain_number(value: Any) -> Any:
    # A number openpyxl read (float or int) as a Decimal; other values as they are.
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value
