"""Read a dataset file (YAML) into the model, with the file, field path and line in every error.

Numbers never pass through float: YAML scalars are read as text and turned into Decimal.
Tables may stand inline (``rows:``) or in a CSV or .xlsx file beside the dataset
(``rows_file:``). Every problem found is collected; :class:`DatasetError` carries them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import reading
from .errors import DatasetError, Problem
from .model import (
    Answer,
    Cell,
    Column,
    ColumnType,
    CompanySizeUsage,
    Dataset,
    Enterprises,
    KeyFigures,
    NewMaximum,
    Person,
    Question,
    Row,
    Rows,
    Source,
    Table,
    Usage,
    column_scale,
)
from .yaml_lines import parse_yaml, written_text

FORMAT_VERSION = 1
#: Dataset file suffixes that ``build`` and ``check`` pick up in a directory.
DATASET_SUFFIXES = (".yaml", ".yml")
#: Limits of the formats we write (Excel: 15 significant digits, 32,767 characters a cell,
#: 1,048,576 rows a sheet: one header and one total row besides the data).
MAX_DIGITS = 15
MAX_TEXT = 32_767
MAX_ROWS = 1_048_576 - 2
#: The deepest level of a detail row (see kmo_export.limits).
MAX_LEVEL = 9
TOTAL_LABELS = ("eindtotaal", "totaal", "total", "grand total", "algemeen totaal")
# Characters an XML 1.0 document cannot hold (tab, LF and CR are fine).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# Reading files within bounds lives in kmo_export.reading; these names are the loader's own.
read_text = reading.read_text
_parse_yaml = parse_yaml
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


class _Missing:
    pass


MISSING: Any = _Missing()


class _Reader:
    """Walks the parsed YAML, tracking the field path; records problems instead of stopping."""

    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, message, path or None, line or self.line(path)))

    def line(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            parent = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path)
            if parent == path:  # a top-level field that is not in the file
                return None
            path = parent
        return None

    def get(self, mapping: Any, key: str, path: str, required: bool = True) -> Any:
        where = f"{path}.{key}" if path else key
        if not isinstance(mapping, dict):
            return MISSING
        if key not in mapping or mapping[key] is None:
            if required:
                self.problem(where, "is missing", self.line(path))
            return MISSING
        return mapping[key]

    def unknown(self, mapping: Any, allowed: set[str], path: str) -> None:
        if isinstance(mapping, dict):
            for key in mapping:
                if key not in allowed:
                    where = f"{path}.{key}" if path else str(key)
                    self.problem(
                        where, f"unknown field (expected one of: {', '.join(sorted(allowed))})"
                    )

    def text(self, mapping: Any, key: str, path: str, required: bool = True) -> str | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        return self.check_text(value, f"{path}.{key}" if path else key)

    def check_text(self, value: Any, where: str) -> str | None:
        value = written_text(value)  # 0x10 stays "0x10" where a text is expected
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(where, f"must be text, not {_kind(value)}")
            return None
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not value:
            self.problem(where, "is empty")
            return None
        bad = _XML_ILLEGAL.search(value)
        if bad:
            self.problem(
                where,
                f"holds control character U+{ord(bad.group()):04X}, which Word and Excel cannot store",
            )
            return None
        if len(value) > MAX_TEXT:
            self.problem(
                where, f"is {len(value):,} characters long; Excel holds at most {MAX_TEXT:,}"
            )
            return None
        return value

    def paragraphs(
        self, mapping: Any, key: str, path: str, required: bool = True
    ) -> tuple[str, ...]:
        value = self.get(mapping, key, path, required)
        where = f"{path}.{key}" if path else key
        if value is MISSING:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(where, f"must be a list of paragraphs, not {_kind(value)}")
            return ()
        out = [self.check_text(p, f"{where}[{i}]") for i, p in enumerate(value)]
        if not value and required:
            self.problem(where, "is empty")
        return tuple(p for p in out if p is not None)

    def integer(
        self,
        mapping: Any,
        key: str,
        path: str,
        minimum: int = 0,
        required: bool = True,
        maximum: int | None = None,
    ) -> int | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        where = f"{path}.{key}" if path else key
        number = self.number(value, where)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.problem(where, f"must be a whole number, not {number}")
            return None
        if number < minimum:
            self.problem(where, f"must be at least {minimum}, not {number}")
            return None
        if maximum is not None and number > maximum:
            self.problem(where, f"must be at most {maximum}, not {number}")
            return None
        return int(number)

    def decimal(
        self,
        mapping: Any,
        key: str,
        path: str,
        decimals: int = 2,
        required: bool = True,
        positive: bool = False,
    ) -> Decimal | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        where = f"{path}.{key}" if path else key
        number = self.number(value, where)
        if number is None:
            return None
        return self.check_amount(number, where, decimals, positive=positive)

    def number(self, value: Any, where: str, line: int | None = None) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            self.problem(where, f"must be a number, not {_kind(value)}", line)
            return None
        if isinstance(value, str) and value.strip().lower().lstrip("+-") in (
            ".nan",
            ".inf",
            "nan",
            "inf",
            "infinity",
        ):
            self.problem(where, f"must be a finite number, not {value.strip()}", line)
            return None
        try:
            number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            self.problem(where, f"must be a number, not {_quote(value)}", line)
            return None
        if not number.is_finite():
            self.problem(where, f"must be a finite number, not {value}", line)
            return None
        if number and len(number.normalize().as_tuple().digits) > MAX_DIGITS:
            self.problem(
                where,
                f"{value} has more than {MAX_DIGITS} significant digits, more than Excel can hold",
                line,
            )
            return None
        return number

    def check_amount(
        self,
        number: Decimal,
        where: str,
        decimals: int,
        line: int | None = None,
        positive: bool = False,
        allow_negative: bool = False,
    ) -> Decimal | None:
        if number < 0 and not allow_negative:
            self.problem(where, f"must not be negative, not {number}", line)
            return None
        if positive and number == 0:
            self.problem(where, "must be greater than 0", line)
            return None
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals and number != round(number, decimals):
            self.problem(where, f"{number} has more than {decimals} decimals", line)
            return None
        return number

    def date(self, mapping: Any, key: str, path: str, required: bool = True) -> dt.date | None:
        value = self.get(mapping, key, path, required)
        if value is MISSING:
            return None
        where = f"{path}.{key}" if path else key
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(where, f"must be a date as YYYY-MM-DD, not {_quote(value)}")
            return None

    def seq(self, mapping: Any, key: str, path: str, required: bool = True) -> list[Any]:
        value = self.get(mapping, key, path, required)
        where = f"{path}.{key}" if path else key
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.problem(where, f"must be a list, not {_kind(value)}")
            return []
        return value

    def mapping(self, value: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(where, f"must be a mapping of fields, not {_kind(value)}")
            return None
        return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_quote(value)}"
    if isinstance(value, Decimal | int):
        return f"the number {value}"
    return type(value).__name__


def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def load(path: str | Path) -> Dataset:
    """Read and validate the dataset at ``path``; raise DatasetError listing every problem."""
    from .validate import validate

    dataset = read_dataset(path)
    validate(dataset)
    return dataset


def read_dataset(path: str | Path) -> Dataset:
    """Read the dataset at ``path`` into the model, checking types and formats (not the rules)."""
    path = Path(path)
    file = str(path)
    data, lines = _parse_yaml(read_text(path), file)
    if data is None:
        raise DatasetError.single(file, "holds no fields, only comments or blank lines")
    if not isinstance(data, dict):
        raise DatasetError.single(
            file, "must be a YAML mapping of fields (see README, Dataset format)", line=1
        )
    r = _Reader(file, lines)
    r.unknown(data, TOP_LEVEL, "")
    version = r.get(data, "format", "", required=False)
    if version is not MISSING and version != FORMAT_VERSION:
        r.problem(
            "format",
            f"unsupported format {_quote(version)}; this version reads format {FORMAT_VERSION}",
        )
    addressed = (
        r.mapping(r.get(data, "addressed_to", ""), "addressed_to")
        if "addressed_to" in data
        else None
    )
    if addressed is None and "addressed_to" not in data:
        r.problem("addressed_to", "is missing", 1)
    person = (
        Person(
            name=r.text(addressed, "name", "addressed_to") or "",
            title=r.text(addressed, "title", "addressed_to", required=False),
        )
        if addressed is not None
        else Person("")
    )
    dataset = Dataset(
        path=path,
        number=r.integer(data, "number", "", minimum=1) or 0,
        date=r.date(data, "date", "") or dt.date(1970, 1, 1),
        asked_by=r.text(data, "asked_by", "") or "",
        addressed_to=person,
        subject=r.text(data, "subject", "") or "",
        introduction=r.paragraphs(data, "introduction", "", required=False),
        questions=tuple(_questions(r, data)),
        answers=tuple(_answers(r, data, path)),
        key_figures=_key_figures(r, data),
        source=_source(r, data),
    )
    if r.problems:
        raise DatasetError(r.problems)
    return dataset


TOP_LEVEL = {
    "format",
    "source",
    "number",
    "date",
    "asked_by",
    "addressed_to",
    "subject",
    "introduction",
    "questions",
    "answers",
    "key_figures",
}


def _source(r: _Reader, data: dict[str, Any]) -> Source:
    raw = r.get(data, "source", "", required=False)
    if raw is MISSING or r.mapping(raw, "source") is None:
        return Source()
    r.unknown(raw, {"publisher", "text", "url"}, "source")
    return Source(
        publisher=r.text(raw, "publisher", "source", required=False),
        text=r.text(raw, "text", "source", required=False),
        url=r.text(raw, "url", "source", required=False),
    )


def _questions(r: _Reader, data: dict[str, Any]) -> list[Question]:
    out = []
    for i, raw in enumerate(r.seq(data, "questions", "")):
        path = f"questions[{i}]"
        if r.mapping(raw, path) is None:
            continue
        r.unknown(raw, {"number", "paragraphs"}, path)
        out.append(
            Question(
                r.integer(raw, "number", path, minimum=1) or 0,
                r.paragraphs(raw, "paragraphs", path),
            )
        )
    if "questions" in data and not out and not r.problems:
        r.problem("questions", "is empty: a dataset holds at least one question")
    return out


def _answers(r: _Reader, data: dict[str, Any], dataset_path: Path) -> list[Answer]:
    out = []
    for i, raw in enumerate(r.seq(data, "answers", "")):
        path = f"answers[{i}]"
        if r.mapping(raw, path) is None:
            continue
        r.unknown(raw, {"number", "paragraphs", "tables"}, path)
        tables = []
        for j, raw_table in enumerate(r.seq(raw, "tables", path, required=False)):
            table = _table(r, raw_table, f"{path}.tables[{j}]", dataset_path)
            if table is not None:
                tables.append(table)
        out.append(
            Answer(
                number=r.integer(raw, "number", path, minimum=1) or 0,
                paragraphs=r.paragraphs(raw, "paragraphs", path, required=not tables),
                tables=tuple(tables),
            )
        )
    return out


COLUMN_FIELDS = {"key", "label", "type", "unit", "decimals"}
TABLE_FIELDS = {"id", "caption", "columns", "rows", "rows_file", "sheet", "total", "notes"}


def _table(r: _Reader, raw: Any, path: str, dataset_path: Path) -> Table | None:
    if r.mapping(raw, path) is None:
        return None
    r.unknown(raw, TABLE_FIELDS, path)
    columns = _columns(r, raw, path)
    table_id = r.text(raw, "id", path) or ""
    if table_id and not _KEY.match(table_id):
        r.problem(
            f"{path}.id", f"{table_id!r} must be letters, digits and _ (it names the Excel table)"
        )
    if not columns:
        return None
    has_rows, has_file = "rows" in raw, "rows_file" in raw
    total_raw = r.get(raw, "total", path, required=False)
    if has_rows == has_file:
        r.problem(
            path,
            "needs either rows (inline) or rows_file (a CSV or .xlsx file), not both"
            if has_rows
            else "has no rows: give rows or rows_file",
        )
        return None
    if has_rows:
        rows = _inline_rows(r, r.seq(raw, "rows", path), f"{path}.rows", columns)
        file_total: tuple[str, tuple[Cell, ...]] | None = None
    else:
        name = r.text(raw, "rows_file", path) or ""
        sheet = r.text(raw, "sheet", path, required=False)
        rows, file_total = _rows_from_file(
            r, dataset_path.parent / name, f"{path}.rows_file", columns, sheet
        )
    total_label, reported = None, None
    if total_raw is not MISSING and r.mapping(total_raw, f"{path}.total") is not None:
        allowed = {"label"} | {c.key for c in columns[1:]}
        r.unknown(total_raw, allowed, f"{path}.total")
        total_label = r.text(total_raw, "label", f"{path}.total", required=False)
        reported = tuple(
            _cell(r, total_raw.get(c.key), c, f"{path}.total.{c.key}", None) for c in columns[1:]
        )
        if file_total is not None:
            _same_totals(r, f"{path}.total", columns, reported, file_total)
    elif file_total is not None:
        total_label, reported = file_total
    if not rows and has_rows:
        r.problem(f"{path}.rows", "is empty: a table needs at least one row")
    if len(rows) > MAX_ROWS:
        r.problem(
            f"{path}.rows",
            f"has {len(rows):,} rows; an Excel sheet holds at most {MAX_ROWS:,} besides header and total",
        )
        return None
    return Table(
        id=table_id,
        columns=columns,
        rows=rows,
        caption=r.text(raw, "caption", path, required=False),
        total_label=total_label,
        reported_total=reported,
        notes=r.paragraphs(raw, "notes", path, required=False),
        total_line=r.line(f"{path}.total") if total_raw is not MISSING else None,
    )


def _same_totals(
    r: _Reader,
    where: str,
    columns: tuple[Column, ...],
    reported: tuple[Cell, ...],
    file_total: tuple[str, tuple[Cell, ...]],
) -> None:
    # The dataset's total and the total row of its table file must not contradict each other.
    for column, mine, theirs in zip(columns[1:], reported, file_total[1], strict=True):
        if mine is not None and theirs is not None and mine != theirs:
            r.problem(
                f"{where}.{column.key}",
                f"{mine} differs from {theirs} in the total row of the table file "
                f"(column {column.label!r}); keep one total",
            )


def _columns(r: _Reader, raw: dict[str, Any], path: str) -> tuple[Column, ...]:
    out: list[Column] = []
    for i, col in enumerate(r.seq(raw, "columns", path)):
        where = f"{path}.columns[{i}]"
        if r.mapping(col, where) is None:
            return ()
        r.unknown(col, COLUMN_FIELDS, where)
        key = r.text(col, "key", where) or ""
        if key and not _KEY.match(key):
            r.problem(f"{where}.key", f"{key!r} must be letters, digits and _")
        label = r.text(col, "label", where) or key
        type_text = r.text(col, "type", where, required=False) or ("label" if i == 0 else "number")
        try:
            kind = ColumnType(type_text)
        except ValueError:
            r.problem(
                f"{where}.type",
                f"unknown column type {type_text!r} (expected one of: {', '.join(t.value for t in ColumnType)})",
            )
            return ()
        if (i == 0) != (kind is ColumnType.LABEL):
            r.problem(
                f"{where}.type",
                "the first column, and only the first, is the label column (type: label)",
            )
            return ()
        default_decimals = (
            2 if kind is ColumnType.AMOUNT else 1 if kind is ColumnType.PERCENT else 0
        )
        decimals = r.integer(col, "decimals", where, required=False)
        decimals = default_decimals if decimals is None else decimals
        if kind is ColumnType.COUNT and decimals:
            r.problem(f"{where}.decimals", "a count has no decimals")
        out.append(
            Column(key, label, kind, r.text(col, "unit", where, required=False), min(decimals, 10))
        )
    keys = [c.key for c in out]
    for key in {k for k in keys if keys.count(k) > 1}:
        r.problem(f"{path}.columns", f"column key {key!r} appears twice")
    if out and len(out) < 2:
        r.problem(f"{path}.columns", "a table needs a label column and at least one numeric column")
        return ()
    return tuple(out)


def _cell(r: _Reader, value: Any, column: Column, where: str, line: int | None) -> Cell:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = r.number(value, where, line)
    if number is None:
        return None
    if column.type is ColumnType.COUNT:
        if number != number.to_integral_value():
            r.problem(where, f"a count must be a whole number, not {number}", line)
            return None
        if number < 0:
            r.problem(where, f"a count must not be negative, not {number}", line)
            return None
        return Decimal(int(number))
    if column.type is ColumnType.AMOUNT:
        return r.check_amount(number, where, column.decimals, line)
    return r.check_amount(number, where, column.decimals + 4, line, allow_negative=True)


def _inline_rows(
    r: _Reader, raw_rows: list[Any], path: str, columns: tuple[Column, ...]
) -> list[Row]:
    out = []
    label_key = columns[0].key
    allowed = {c.key for c in columns} | {"level"}
    for i, raw in enumerate(raw_rows):
        where = f"{path}[{i}]"
        line = r.line(where)
        if isinstance(raw, list):  # [label, value, value, ...]
            if len(raw) != len(columns):
                r.problem(where, f"has {len(raw)} cells; the table has {len(columns)} columns")
                continue
            raw = dict(zip([c.key for c in columns], raw, strict=True))
        if r.mapping(raw, where) is None:
            continue
        r.unknown(raw, allowed, where)
        label = r.check_text(raw.get(label_key, ""), f"{where}.{label_key}")
        values = tuple(_cell(r, raw.get(c.key), c, f"{where}.{c.key}", line) for c in columns[1:])
        level = r.integer(raw, "level", where, required=False, maximum=MAX_LEVEL) or 0
        if label is not None:
            out.append(Row(label, values, level, line))
    return out


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
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _key_figures(r: _Reader, data: dict[str, Any]) -> KeyFigures:
    raw = r.get(data, "key_figures", "", required=False)
    if raw is MISSING or r.mapping(raw, "key_figures") is None:
        return KeyFigures()
    r.unknown(raw, {"enterprises", "usage"}, "key_figures")
    enterprises = None
    ent = r.get(raw, "enterprises", "key_figures", required=False)
    if ent is not MISSING and r.mapping(ent, "key_figures.enterprises") is not None:
        p = "key_figures.enterprises"
        r.unknown(ent, {"answer", "year", "count"}, p)
        enterprises = Enterprises(
            answer=r.integer(ent, "answer", p, minimum=1) or 0,
            year=r.integer(ent, "year", p, minimum=1900) or 0,
            count=r.integer(ent, "count", p) or 0,
        )
    usage = None
    use = r.get(raw, "usage", "key_figures", required=False)
    if use is not MISSING and r.mapping(use, "key_figures.usage") is not None:
        p = "key_figures.usage"
        r.unknown(use, {"answer", "year", "sizes", "new_maximum"}, p)
        sizes = []
        for i, size in enumerate(r.seq(use, "sizes", p)):
            sp = f"{p}.sizes[{i}]"
            if r.mapping(size, sp) is None:
                continue
            r.unknown(
                size, {"key", "label", "maximum", "average_granted", "stated_use_percent"}, sp
            )
            sizes.append(
                CompanySizeUsage(
                    key=r.text(size, "key", sp) or "",
                    label=r.text(size, "label", sp) or "",
                    maximum=r.decimal(size, "maximum", sp, positive=True) or Decimal(1),
                    average_granted=r.decimal(size, "average_granted", sp) or Decimal(0),
                    stated_use_percent=r.decimal(
                        size, "stated_use_percent", sp, decimals=4, required=False
                    ),
                )
            )
        new_max = None
        nm = r.get(use, "new_maximum", p, required=False)
        if nm is not MISSING and r.mapping(nm, f"{p}.new_maximum") is not None:
            r.unknown(nm, {"since", "amount"}, f"{p}.new_maximum")
            new_max = NewMaximum(
                since=r.date(nm, "since", f"{p}.new_maximum") or dt.date(1970, 1, 1),
                amount=r.decimal(nm, "amount", f"{p}.new_maximum", positive=True) or Decimal(0),
            )
        usage = Usage(
            answer=r.integer(use, "answer", p, minimum=1) or 0,
            year=r.integer(use, "year", p, minimum=1900) or 0,
            sizes=tuple(sizes),
            new_maximum=new_max,
        )
    return KeyFigures(enterprises, usage)


def bundled_dataset() -> Path:
    """The dataset that ships with kmo-export (written question nr. 835 of 2020)."""
    from .resources import data_dir

    return data_dir() / "kmo-portefeuille-2019.yaml"
