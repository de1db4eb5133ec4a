"""Read a dataset file (YAML) into the model, with the file, field path and line in every error.

Numbers never pass through float: YAML scalars are read as text and turned into Decimal.
Tables may stand inline (``rows:``) or in a CSV or .xlsx file beside the dataset
(``rows_file:``). Every problem found is collected; :class:`DatasetError` carries them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import reading
from .checks import ratio_percent
from .errors import DatasetError, Problem
from .model import (
    MULTIPLIERS,
    Answer,
    Average,
    Cell,
    CellRef,
    CheckKind,
    Column,
    ColumnGroup,
    ColumnType,
    CompanySizeUsage,
    Dataset,
    DimensionKind,
    Enterprises,
    Figure,
    FigureCheck,
    KeyFigures,
    NewMaximum,
    NotAvailable,
    Part,
    Person,
    Question,
    Row,
    Rows,
    Source,
    Table,
    TotalSource,
    Usage,
    column_scale,
)
from .yaml_lines import parse_yaml, written_text

FORMAT_VERSION = 2
#: The dataset formats this version reads.
FORMAT_VERSIONS = (1, 2)
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
        self.version = 1  # the dataset's format
        self.missing: frozenset[str] = frozenset()  # 'not available' cell texts, casefolded

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

    def unknown(
        self,
        mapping: Any,
        allowed: set[str],
        path: str,
        newer: Collection[str] = (),  # fields of format 2: in format 1, say so
    ) -> None:
        if isinstance(mapping, dict):
            for key in mapping:
                if key not in allowed:
                    where = f"{path}.{key}" if path else str(key)
                    if key in newer and self.version == 1:
                        self.problem(where, "is a format 2 field: begin the file with `format: 2`")
                        continue
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
    version = r.get(data, "format", "", required=False)
    if version is not MISSING and version not in FORMAT_VERSIONS:
        r.problem(
            "format",
            f"unsupported format {_quote(version)}; this version reads formats "
            f"{' and '.join(map(str, FORMAT_VERSIONS))}",
        )
    r.version = 2 if version == 2 else 1
    r.unknown(data, TOP_LEVEL | (TOP_LEVEL_2 if r.version == 2 else set()), "", TOP_LEVEL_2)
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
        subject=_subject(r, data),
        introduction=r.paragraphs(data, "introduction", "", required=False),
        questions=tuple(_questions(r, data)),
        answers=tuple(_answers(r, data, path)),
        key_figures=_key_figures(r, data),
        source=_source(r, data),
        opening=r.paragraphs(data, "opening", "", required=False),
        closing=r.paragraphs(data, "closing", "", required=False),
        figures=tuple(_figures(r, data)),
        format=r.version,
    )
    if r.problems:
        raise DatasetError(r.problems)
    return dataset


def _subject(r: _Reader, data: dict[str, Any]) -> str:
    # The subject titles the brief; its length limit is kmo_export.limits' (one owner).
    return r.text(data, "subject", "") or ""


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
#: Top-level fields format 2 adds.
TOP_LEVEL_2 = {"opening", "closing", "figures"}


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
    v2 = r.version == 2
    for i, raw in enumerate(r.seq(data, "questions", "")):
        path = f"questions[{i}]"
        if r.mapping(raw, path) is None:
            continue
        r.unknown(raw, {"number", "paragraphs"} | ({"parts"} if v2 else set()), path, {"parts"})
        parts = _parts(r, raw, path, None) if v2 else ()
        out.append(
            Question(
                r.integer(raw, "number", path, minimum=1) or 0,
                r.paragraphs(raw, "paragraphs", path, required=not parts),
                parts,
            )
        )
    if "questions" in data and not out and not r.problems:
        r.problem("questions", "is empty: a dataset holds at least one question")
    return out


def _parts(
    r: _Reader, raw: dict[str, Any], path: str, dataset_path: Path | None
) -> tuple[Part, ...]:
    # Sub-questions (paragraphs) or the answers to them (content), a) b) c).
    out = []
    labels: set[str] = set()
    for i, part in enumerate(r.seq(raw, "parts", path, required=False)):
        where = f"{path}.parts[{i}]"
        if r.mapping(part, where) is None:
            continue
        label = r.text(part, "label", where) or ""
        if label.casefold() in labels:
            r.problem(f"{where}.label", f"part {label!r} appears twice")
        labels.add(label.casefold())
        if dataset_path is None:
            r.unknown(part, {"label", "paragraphs"}, where)
            out.append(Part(label, r.paragraphs(part, "paragraphs", where)))
        else:
            r.unknown(part, {"label", "content"}, where)
            out.append(Part(label, content=_content(r, part, where, dataset_path, required=True)))
    return tuple(out)


def _answers(r: _Reader, data: dict[str, Any], dataset_path: Path) -> list[Answer]:
    out = []
    v2 = r.version == 2
    for i, raw in enumerate(r.seq(data, "answers", "")):
        path = f"answers[{i}]"
        if r.mapping(raw, path) is None:
            continue
        r.unknown(
            raw,
            {"number", "paragraphs", "tables"} | ({"content", "parts"} if v2 else set()),
            path,
            {"content", "parts"},
        )
        if v2:
            number, also = _answer_numbers(r, raw, path)
            parts = _parts(r, raw, path, dataset_path)
            if "content" in raw and ("paragraphs" in raw or "tables" in raw):
                r.problem(
                    f"{path}.content",
                    "give the answer as content, or as paragraphs and tables, not both",
                )
            if "content" in raw or ("paragraphs" not in raw and "tables" not in raw):
                content = _content(r, raw, path, dataset_path, required=not parts)
                out.append(Answer(number=number, content=content, also=also, parts=parts))
                continue
        else:
            number, also, parts = r.integer(raw, "number", path, minimum=1) or 0, (), ()
        tables = []
        for j, raw_table in enumerate(r.seq(raw, "tables", path, required=False)):
            table = _table(r, raw_table, f"{path}.tables[{j}]", dataset_path)
            if table is not None:
                tables.append(table)
        paragraphs = r.paragraphs(raw, "paragraphs", path, required=not tables and not parts)
        if v2:
            content = (*paragraphs, *tables)
            out.append(Answer(number=number, content=content, also=also, parts=parts))
        else:
            out.append(Answer(number=number, paragraphs=paragraphs, tables=tuple(tables)))
    return out


def _answer_numbers(r: _Reader, raw: dict[str, Any], path: str) -> tuple[int, tuple[int, ...]]:
    # `number: 3` or `number: [1, 2]` (an answer to several questions at once).
    value = r.get(raw, "number", path)
    if not isinstance(value, list):
        return r.integer(raw, "number", path, minimum=1) or 0, ()
    if not value:
        r.problem(f"{path}.number", "is empty: give the number of the question answered")
        return 0, ()
    numbers = []
    for k, item in enumerate(value):
        where = f"{path}.number[{k}]"
        number = r.number(item, where)
        if number is not None and (number != number.to_integral_value() or number < 1):
            r.problem(where, f"must be a question number (1, 2, ...), not {item}")
            number = None
        numbers.append(int(number) if number is not None else 0)
    return numbers[0], tuple(numbers[1:])


def _content(
    r: _Reader, raw: dict[str, Any], path: str, dataset_path: Path, required: bool
) -> tuple[str | Table, ...]:
    # The answer as published: `- text: ...` and `- table: {...}` blocks in their order.
    blocks = r.seq(raw, "content", path, required=required)
    if "content" in raw and not blocks and isinstance(raw.get("content"), list):
        r.problem(f"{path}.content", "is empty")
    out: list[str | Table] = []
    for k, block in enumerate(blocks):
        where = f"{path}.content[{k}]"
        if isinstance(block, str):
            text = r.check_text(block, where)
            if text is not None:
                out.append(text)
            continue
        if r.mapping(block, where) is None:
            continue
        if len(block) != 1 or next(iter(block)) not in ("text", "table"):
            r.problem(where, "must hold one block: `text: ...` or `table: {...}`")
            continue
        if "text" in block:
            text = r.text(block, "text", where)
            if text is not None:
                out.append(text)
        else:
            table = _table(r, block["table"], f"{where}.table", dataset_path)
            if table is not None:
                out.append(table)
    return tuple(out)


COLUMN_FIELDS = {"key", "label", "type", "unit", "decimals"}
#: What a format-2 measure (or a format-2 `columns` entry) may say besides.
MEASURE_FIELDS = {
    "key",
    "label",
    "label_en",
    "kind",
    "unit",
    "multiplier",
    "decimals",
    "additive",
    "ratio",
    "share_of",
}
TABLE_FIELDS = {"id", "caption", "columns", "rows", "rows_file", "sheet", "total", "notes"}
TABLE_FIELDS_2 = {
    "number",
    "caption_en",
    "dimension",
    "measures",
    "groups",
    "derived",
    "missing_values",
}
#: Cells that mean 'not available' when a format-2 table declares no missing_values.
DEFAULT_MISSING = ("n.v.t.", "nvt", "n/a", "–", "-", "x")
#: Scale words a format-1 unit may end in (`EUR million`): the unit multiplier they mean.
_SCALE_WORDS = {
    "thousand": 3,
    "duizend": 3,
    "k": 3,
    "million": 6,
    "miljoen": 6,
    "mln": 6,
    "billion": 9,
    "miljard": 9,
}


def _table(r: _Reader, raw: Any, path: str, dataset_path: Path) -> Table | None:
    if r.mapping(raw, path) is None:
        return None
    v2 = r.version == 2
    r.unknown(raw, TABLE_FIELDS | (TABLE_FIELDS_2 if v2 else set()), path, TABLE_FIELDS_2)
    if v2 and ("dimension" in raw or "measures" in raw):
        if "columns" in raw:
            r.problem(f"{path}.columns", "give dimension and measures, or columns, not both")
        columns = _dimension_and_measures(r, raw, path)
    else:
        columns = _columns(r, raw, path)
    table_id = r.text(raw, "id", path) or ""
    if table_id and not _KEY.match(table_id):
        r.problem(
            f"{path}.id", f"{table_id!r} must be letters, digits and _ (it names the Excel table)"
        )
    if not columns:
        return None
    groups: tuple[ColumnGroup, ...] = ()
    averages: tuple[Average, ...] = ()
    if v2:
        _measure_references(r, raw, path, columns)
        groups = _groups(r, raw, path, columns)
        grouped = {k: g.label for g in groups for k in g.keys}
        if grouped:
            columns = tuple(replace(c, group=grouped.get(c.key)) for c in columns)
        averages = _derived(r, raw, path, columns)
        r.missing = frozenset(m.casefold() for m in _missing_values(r, raw, path))
    else:
        r.missing = frozenset()
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
    total_line: int | None = None
    total_lines: tuple[int | None, ...] = ()
    source, sentence = TotalSource.TABLE, None
    where = f"{path}.total"
    if total_raw is not MISSING and r.mapping(total_raw, where) is not None:
        values_path = where
        values: Any = total_raw
        if v2:
            r.unknown(total_raw, {"label", "values", "stated", "sentence"}, where)
            values_path = f"{where}.values"
            values = r.get(total_raw, "values", where, required=not has_file)
            if values is not MISSING and r.mapping(values, values_path) is None:
                values = MISSING
            source, sentence = _total_source(r, total_raw, where)
        else:
            r.unknown(total_raw, {"label"} | {c.key for c in columns[1:]}, where)
        total_label = r.text(total_raw, "label", where, required=False)
        if values is not MISSING:
            if v2:
                r.unknown(values, {c.key for c in columns[1:]}, values_path)
            total_lines = tuple(r.line(f"{values_path}.{c.key}") for c in columns[1:])
            reported = tuple(
                _cell(r, values.get(c.key), c, f"{values_path}.{c.key}", line)
                for c, line in zip(columns[1:], total_lines, strict=True)
            )
            total_line = r.line(values_path)
            if file_total is not None:
                _same_totals(r, values_path, columns, reported, file_total)
        elif file_total is not None:  # format 2: the label here, the values in the file
            reported = file_total[1]
            total_label = total_label or file_total[0]
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
    dimension = None
    if v2 and isinstance(raw.get("dimension"), dict):
        kind = r.text(raw["dimension"], "kind", f"{path}.dimension", required=False)
        if kind is not None:
            try:
                dimension = DimensionKind(kind)
            except ValueError:
                r.problem(
                    f"{path}.dimension.kind",
                    f"unknown kind {kind!r} (expected one of: "
                    f"{', '.join(k.value for k in DimensionKind)})",
                )
    table = Table(
        id=table_id,
        columns=columns,
        rows=rows,
        caption=r.text(raw, "caption", path, required=False),
        total_label=total_label,
        reported_total=reported,
        notes=r.paragraphs(raw, "notes", path, required=False),
        total_line=total_line,
        dimension=dimension,
        number=r.text(raw, "number", path, required=False) if v2 else None,
        caption_en=r.text(raw, "caption_en", path, required=False) if v2 else None,
        groups=groups,
        averages=averages,
        total_source=source,
        total_sentence=sentence,
        line=r.line(path),
        total_lines=total_lines,
    )
    if v2:
        _fraction_percent(r, table, path, "measures" if "measures" in raw else "columns")
    return table


def _total_source(r: _Reader, raw: dict[str, Any], where: str) -> tuple[TotalSource, str | None]:
    # `stated: table` (the default) or `stated: prose` with the sentence that states the total.
    stated = r.text(raw, "stated", where, required=False) or "table"
    try:
        source = TotalSource(stated)
    except ValueError:
        r.problem(f"{where}.stated", f"must be table or prose, not {stated!r}")
        return TotalSource.TABLE, None
    sentence = r.text(raw, "sentence", where, required=source is TotalSource.PROSE)
    if sentence is not None and source is TotalSource.TABLE:
        r.problem(f"{where}.sentence", "belongs to a total stated in the prose (stated: prose)")
    return source, sentence


def _fraction_percent(r: _Reader, table: Table, path: str, field: str) -> None:
    # A ratio percent whose values are the ratio / 100 was entered as fractions (0.812 for 81.2).
    for i, column in enumerate(table.value_columns):
        if column.type is not ColumnType.PERCENT or not (column.ratio or column.share_of):
            continue
        values = [v for v in table.rows.column(i) if isinstance(v, Decimal)]
        if not values or any(v > 1 for v in values) or not any(values):
            continue
        first = next(row for row in table.rows if isinstance(row.values[i], Decimal))
        computed = _row_ratio(table, column, first)
        value = first.values[i]
        if (
            computed is not None
            and isinstance(value, Decimal)
            and computed > 1
            and value * 100 >= computed / 2
        ):
            r.problem(
                f"{path}.{field}[{i if field == 'measures' else i + 1}]",
                f"the values of {column.label!r} look like fractions ({_show(value)} where "
                f"the ratio is {_show(round(computed, 2))} %); enter percentages as published "
                "(81.2 for 81,2 %)",
                first.line,
            )


def _row_ratio(table: Table, column: Column, row: Row) -> Decimal | None:
    # The ratio a `ratio` or `share_of` percent stands for on one row, recomputed (in %).
    if any(table.measure(k) is None for k in (*(column.ratio or ()), column.share_of) if k):
        return None  # reported where the reference is
    if column.ratio:
        num, den = (row.values[table.column_index(k)] for k in column.ratio)
        if isinstance(num, Decimal) and isinstance(den, Decimal):
            return ratio_percent(num, den)
        return None
    if column.share_of:
        index = table.column_index(column.share_of)
        value, total = row.values[index], table.computed_total(index)
        if isinstance(value, Decimal) and isinstance(total, Decimal):
            return ratio_percent(value, total)
    return None


def _show(value: Decimal) -> str:
    # A number as the user wrote it, without the zeros compact storage adds (58.1600 -> 58.16).
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _missing_values(r: _Reader, raw: dict[str, Any], path: str) -> tuple[str, ...]:
    # The cell texts that mean 'not available' in this table.
    if "missing_values" not in raw:
        return DEFAULT_MISSING
    out = []
    for k, value in enumerate(r.seq(raw, "missing_values", path)):
        text = r.check_text(value, f"{path}.missing_values[{k}]")
        if text is not None:
            out.append(text)
    return tuple(out)


def _dimension_and_measures(r: _Reader, raw: dict[str, Any], path: str) -> tuple[Column, ...]:
    # Format 2: the row dimension and the measures, each with what it means.
    dim = r.get(raw, "dimension", path)
    where = f"{path}.dimension"
    out: list[Column] = []
    if dim is not MISSING and r.mapping(dim, where) is not None:
        r.unknown(dim, {"key", "label", "label_en", "kind"}, where)
        key = r.text(dim, "key", where) or ""
        if key and not _KEY.match(key):
            r.problem(f"{where}.key", f"{key!r} must be letters, digits and _")
        out.append(
            Column(
                key,
                r.text(dim, "label", where, required=False) or key,
                ColumnType.LABEL,
                label_en=r.text(dim, "label_en", where, required=False),
            )
        )
    else:
        return ()
    measures = r.seq(raw, "measures", path)
    if "measures" in raw and not measures and isinstance(raw["measures"], list):
        r.problem(f"{path}.measures", "is empty: a table needs at least one measure")
    for i, col in enumerate(measures):
        column = _measure(r, col, f"{path}.measures[{i}]", "kind")
        if column is None:
            return ()
        out.append(column)
    return _unique_keys(r, out, f"{path}.measures")


def _unique_keys(r: _Reader, columns: list[Column], where: str) -> tuple[Column, ...]:
    # Column keys are unique in a table; a table has a label column and a numeric one.
    keys = [c.key for c in columns]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        r.problem(where, f"column key {key!r} appears twice")
    if columns and len(columns) < 2:
        r.problem(where, "a table needs a label column and at least one numeric column")
        return ()
    return tuple(columns)


def _measure(r: _Reader, col: Any, where: str, kind_field: str) -> Column | None:
    # One measure: its kind, unit, multiplier, decimals, additivity, ratio or share.
    if r.mapping(col, where) is None:
        return None
    v2 = r.version == 2
    allowed = (
        MEASURE_FIELDS
        if kind_field == "kind"
        else COLUMN_FIELDS | (MEASURE_FIELDS - {"kind"} if v2 else set())
    )
    r.unknown(col, allowed, where, MEASURE_FIELDS)
    key = r.text(col, "key", where) or ""
    if key and not _KEY.match(key):
        r.problem(f"{where}.key", f"{key!r} must be letters, digits and _")
    label = r.text(col, "label", where, required=kind_field == "type") or key
    type_text = r.text(col, kind_field, where, required=False) or "number"
    kinds = [t.value for t in ColumnType if t is not ColumnType.LABEL]
    if type_text not in kinds:
        if kind_field == "type" and type_text == "label":
            r.problem(
                f"{where}.type",
                "the first column, and only the first, is the label column (type: label)",
            )
        else:
            noun = "column type" if kind_field == "type" else "measure kind"
            r.problem(
                f"{where}.{kind_field}",
                f"unknown {noun} {type_text!r} (expected one of: {', '.join(kinds)})",
            )
        return None
    kind = ColumnType(type_text)
    unit = r.text(col, "unit", where, required=False)
    multiplier = 0
    if unit is not None:
        scaled, multiplier = _split_scale(unit)
        if v2:  # format 1 keeps the unit as written until the renderers read the multiplier
            unit = scaled
    if "multiplier" in col:
        name = r.text(col, "multiplier", where)
        if name is not None:
            if name.lower() not in MULTIPLIERS:
                r.problem(
                    f"{where}.multiplier",
                    f"must be one of {', '.join(MULTIPLIERS)}, not {name!r}",
                )
            elif multiplier and multiplier != MULTIPLIERS[name.lower()]:
                r.problem(f"{where}.multiplier", f"{name!r} contradicts the unit")
            else:
                multiplier = MULTIPLIERS[name.lower()]
    if kind is ColumnType.PERCENT and v2 and (unit is not None or multiplier):
        r.problem(f"{where}.unit", "a percentage has no unit or multiplier")
    default_decimals = (
        (1 if multiplier else 2)
        if kind is ColumnType.AMOUNT
        else 1
        if kind is ColumnType.PERCENT
        else 0
    )
    if not v2 and kind is ColumnType.AMOUNT:
        default_decimals = 2
    decimals = r.integer(col, "decimals", where, required=False)
    decimals = default_decimals if decimals is None else decimals
    if kind is ColumnType.COUNT and decimals:
        r.problem(f"{where}.decimals", "a count has no decimals")
    additive = None
    if "additive" in col:
        if not isinstance(col["additive"], bool):
            r.problem(f"{where}.additive", f"must be true or false, not {_kind(col['additive'])}")
        elif col["additive"] and kind is ColumnType.PERCENT:
            r.problem(f"{where}.additive", "a percentage never adds up across rows")
        else:
            additive = col["additive"]
    ratio = None
    if "ratio" in col:
        value = col["ratio"]
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
        ):
            r.problem(
                f"{where}.ratio",
                "must be [numerator, denominator]: two measure keys of this table",
            )
        elif kind not in (ColumnType.PERCENT, ColumnType.NUMBER):
            r.problem(f"{where}.ratio", f"a {kind.value} is no ratio (kind: percent or number)")
        else:
            ratio = (value[0], value[1])
    share_of = r.text(col, "share_of", where, required=False)
    if share_of is not None and kind is not ColumnType.PERCENT:
        r.problem(f"{where}.share_of", "a share is a percentage (kind: percent)")
        share_of = None
    if share_of is not None and ratio is not None:
        r.problem(f"{where}.share_of", "give ratio or share_of, not both")
    return Column(
        key,
        label,
        kind,
        unit,
        min(decimals, 10),
        label_en=r.text(col, "label_en", where, required=False),
        multiplier=multiplier,
        additive=additive,
        ratio=ratio,
        share_of=share_of,
    )


def _split_scale(unit: str) -> tuple[str | None, int]:
    # "EUR million" -> ("EUR", 6); a unit without a scale word is kept as written.
    words = unit.split()
    if len(words) >= 2 and words[-1].lower().rstrip(".") in _SCALE_WORDS:
        return " ".join(words[:-1]), _SCALE_WORDS[words[-1].lower().rstrip(".")]
    if len(words) >= 2 and words[0].lower().rstrip(".") in _SCALE_WORDS:
        return " ".join(words[1:]), _SCALE_WORDS[words[0].lower().rstrip(".")]
    return unit, 0


def _measure_references(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> None:
    # A ratio or share_of names measures of the same table (never itself, never the label).
    keys = {c.key for c in columns[1:]}
    field = "measures" if "measures" in raw else "columns"
    offset = 0 if field == "measures" else 1
    for i, column in enumerate(columns[1:]):
        where = f"{path}.{field}[{i + offset}]"
        for name, refs in (("ratio", column.ratio or ()), ("share_of", (column.share_of,))):
            for k, ref in enumerate(x for x in refs if x is not None):
                at = f"{where}.{name}" + (f"[{k}]" if name == "ratio" else "")
                if ref not in keys:
                    r.problem(at, f"names no measure of this table: {ref!r}")
                elif ref == column.key:
                    r.problem(at, "names the measure itself")


def _groups(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> tuple[ColumnGroup, ...]:
    # Column groups of a two-level header; each measure in at most one group.
    keys = {c.key for c in columns[1:]}
    seen: dict[str, str] = {}
    out = []
    for i, group in enumerate(r.seq(raw, "groups", path, required=False)):
        where = f"{path}.groups[{i}]"
        if r.mapping(group, where) is None:
            continue
        r.unknown(group, {"label", "label_en", "measures"}, where)
        label = r.text(group, "label", where) or ""
        members = []
        for k, key in enumerate(r.seq(group, "measures", where)):
            at = f"{where}.measures[{k}]"
            if not isinstance(key, str) or key not in keys:
                r.problem(at, f"names no measure of this table: {_quote(key)}")
            elif key in seen:
                r.problem(at, f"{key!r} is already in group {seen[key]!r}")
            else:
                seen[key] = label
                members.append(key)
        out.append(
            ColumnGroup(label, tuple(members), r.text(group, "label_en", where, required=False))
        )
    return tuple(out)


def _derived(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> tuple[Average, ...]:
    # Declared averages: one measure divided by another, per row.
    keys = {c.key for c in columns}
    out = []
    for i, item in enumerate(r.seq(raw, "derived", path, required=False)):
        where = f"{path}.derived[{i}]"
        if r.mapping(item, where) is None:
            continue
        r.unknown(item, {"key", "label", "label_en", "divide", "decimals"}, where)
        key = r.text(item, "key", where) or ""
        if key and not _KEY.match(key):
            r.problem(f"{where}.key", f"{key!r} must be letters, digits and _")
        elif key in keys:
            r.problem(f"{where}.key", f"{key!r} is already a column of this table")
        keys.add(key)
        divide = r.seq(item, "divide", where)
        measures = {c.key for c in columns[1:]}
        if len(divide) != 2 or not all(isinstance(d, str) and d in measures for d in divide):
            r.problem(
                f"{where}.divide",
                "must be [numerator, denominator]: two measure keys of this table",
            )
            continue
        decimals = r.integer(item, "decimals", where, required=False)
        out.append(
            Average(
                key,
                r.text(item, "label", where, required=False) or "",  # none: the outputs' words
                divide[0],
                divide[1],
                r.text(item, "label_en", where, required=False),
                2 if decimals is None else min(decimals, 10),
            )
        )
    return tuple(out)


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
        if i == 0:
            r.unknown(col, COLUMN_FIELDS | ({"label_en"} if r.version == 2 else set()), where)
            key = r.text(col, "key", where) or ""
            if key and not _KEY.match(key):
                r.problem(f"{where}.key", f"{key!r} must be letters, digits and _")
            type_text = r.text(col, "type", where, required=False) or "label"
            if type_text != "label":
                if type_text in {t.value for t in ColumnType}:
                    r.problem(
                        f"{where}.type",
                        "the first column, and only the first, is the label column (type: label)",
                    )
                else:
                    r.problem(
                        f"{where}.type",
                        f"unknown column type {type_text!r} (expected one of: "
                        f"{', '.join(t.value for t in ColumnType)})",
                    )
                return ()
            out.append(
                Column(
                    key,
                    r.text(col, "label", where) or key,
                    ColumnType.LABEL,
                    r.text(col, "unit", where, required=False),
                    label_en=r.text(col, "label_en", where, required=False)
                    if r.version == 2
                    else None,
                )
            )
            continue
        column = _measure(r, col, where, "type")
        if column is None:
            return ()
        out.append(column)
    return _unique_keys(r, out, f"{path}.columns")


def _cell(r: _Reader, value: Any, column: Column, where: str, line: int | None) -> Cell:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and r.missing:
        symbol = value.strip()
        if symbol.casefold() in r.missing:
            return NotAvailable(symbol)
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
    keys = [c.key for c in columns]
    allowed = set(keys) | {"level"}
    for i, raw in enumerate(raw_rows):
        where = f"{path}[{i}]"
        line = r.line(where)
        cell_path = {k: f"{where}.{k}" for k in keys}
        if isinstance(raw, list):  # [label, value, value, ...]
            if len(raw) != len(columns):
                r.problem(where, f"has {len(raw)} cells; the table has {len(columns)} columns")
                continue
            raw = dict(zip(keys, raw, strict=True))
            cell_path = {k: f"{where}[{j}]" for j, k in enumerate(keys)}
        if r.mapping(raw, where) is None:
            continue
        r.unknown(raw, allowed, where)
        label = r.check_text(raw.get(label_key, ""), f"{where}.{label_key}")
        values = tuple(
            _cell(r, raw.get(c.key), c, f"{where}.{c.key}", r.lines.get(cell_path[c.key], line))
            for c in columns[1:]
        )
        level = r.integer(raw, "level", where, required=False, maximum=MAX_LEVEL) or 0
        if label is not None:
            out.append(Row(label, values, level, line))
    return out


FIGURE_FIELDS = {
    "id",
    "answer",
    "value",
    "kind",
    "what",
    "what_en",
    "period",
    "sentence",
    "unit",
    "multiplier",
    "check",
}


def _figures(r: _Reader, data: dict[str, Any]) -> list[Figure]:
    # Key figures stated in the text, each optionally tied to a cell or other figures.
    out = []
    for i, raw in enumerate(r.seq(data, "figures", "", required=False)):
        path = f"figures[{i}]"
        if r.mapping(raw, path) is None:
            continue
        r.unknown(raw, FIGURE_FIELDS, path)
        figure_id = r.text(raw, "id", path) or ""
        if figure_id and not _KEY.match(figure_id):
            r.problem(f"{path}.id", f"{figure_id!r} must be letters, digits and _")
        kind_text = r.text(raw, "kind", path, required=False) or "number"
        kinds = [t.value for t in ColumnType if t is not ColumnType.LABEL]
        if kind_text not in kinds:
            r.problem(
                f"{path}.kind", f"unknown kind {kind_text!r} (expected one of: {', '.join(kinds)})"
            )
            kind_text = "number"
        value = r.get(raw, "value", path)
        number = None if value is MISSING else r.number(value, f"{path}.value")
        multiplier = 0
        name = r.text(raw, "multiplier", path, required=False)
        if name is not None:
            if name.lower() in MULTIPLIERS:
                multiplier = MULTIPLIERS[name.lower()]
            else:
                r.problem(
                    f"{path}.multiplier", f"must be one of {', '.join(MULTIPLIERS)}, not {name!r}"
                )
        unit = r.text(raw, "unit", path, required=False)
        if unit is not None and not multiplier:
            unit, multiplier = _split_scale(unit)
        out.append(
            Figure(
                id=figure_id,
                answer=r.integer(raw, "answer", path, minimum=1) or 0,
                value=number if number is not None else Decimal(0),
                kind=ColumnType(kind_text),
                what=r.text(raw, "what", path) or "",
                sentence=r.text(raw, "sentence", path, required=False),
                what_en=r.text(raw, "what_en", path, required=False),
                period=r.text(raw, "period", path, required=False),
                unit=unit,
                multiplier=multiplier,
                check=_figure_check(r, raw, path),
                line=r.line(f"{path}.value"),
            )
        )
    return out


def _figure_check(r: _Reader, raw: dict[str, Any], path: str) -> FigureCheck | None:
    # `check: {cell: {...}}`, `{sum: [ids]}` or `{ratio: [a, b]}` (ids or cells).
    check = r.get(raw, "check", path, required=False)
    where = f"{path}.check"
    if check is MISSING or r.mapping(check, where) is None:
        return None
    if len(check) != 1 or next(iter(check)) not in ("cell", "sum", "ratio"):
        r.problem(where, "must hold one of cell, sum or ratio")
        return None
    kind = CheckKind(next(iter(check)))
    if kind is CheckKind.CELL:
        cell = _cell_ref(r, check["cell"], f"{where}.cell")
        return FigureCheck(kind, cell=cell, line=r.line(where)) if cell is not None else None
    items = r.seq(check, kind.value, where)
    refs: list[str | CellRef] = []
    for k, item in enumerate(items):
        at = f"{where}.{kind.value}[{k}]"
        if isinstance(item, str):
            refs.append(item)
        elif kind is CheckKind.RATIO and isinstance(item, dict):
            ref = _cell_ref(r, item, at)
            if ref is not None:
                refs.append(ref)
        else:
            r.problem(at, f"must be a figure id{' or a cell' if kind is CheckKind.RATIO else ''}")
    if kind is CheckKind.SUM and len(items) < 2:
        r.problem(f"{where}.sum", "needs at least two figure ids")
        return None
    if kind is CheckKind.RATIO and len(items) != 2:
        r.problem(f"{where}.ratio", "must be [numerator, denominator]")
        return None
    if len(refs) != len(items):
        return None
    return FigureCheck(kind, figures=tuple(refs), line=r.line(where))


def _cell_ref(r: _Reader, raw: Any, where: str) -> CellRef | None:
    # {table, row (a label, or `total`), measure}
    if r.mapping(raw, where) is None:
        return None
    r.unknown(raw, {"table", "row", "measure"}, where)
    table = r.text(raw, "table", where)
    measure = r.text(raw, "measure", where)
    row = r.text(raw, "row", where)
    if table is None or measure is None or row is None:
        return None
    return CellRef(table, measure, None if row.casefold() == "total" else row)


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
