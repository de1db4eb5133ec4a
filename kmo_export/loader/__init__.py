"""Read a dataset file (YAML) into the model, with the file, field path and line in every error.

Numbers never pass through float: YAML scalars are read as text and turned into Decimal.
Tables may stand inline (``rows:``) or in a CSV or .xlsx file beside the dataset
(``rows_file:``). Every problem found is collected; :class:`DatasetError` carries them all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import reading
from ..errors import DatasetError
from ..model import (
    MULTIPLIERS,
    Answer,
    CellRef,
    CheckKind,
    ColumnType,
    CompanySizeUsage,
    Dataset,
    Enterprises,
    Figure,
    FigureCheck,
    KeyFigures,
    NewMaximum,
    Part,
    Person,
    Question,
    Source,
    Table,
    Usage,
)
from ..yaml_lines import parse_yaml
from .columns import _split_scale
from .fields import _KEY, MAX_DIGITS, MAX_TEXT, MISSING, _quote, _Reader
from .table_files import MAX_ROWS, TOTAL_LABELS
from .tables import MAX_LEVEL, _table

__all__ = [
    "DATASET_SUFFIXES",
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "MAX_DIGITS",
    "MAX_LEVEL",
    "MAX_ROWS",
    "MAX_TEXT",
    "TOTAL_LABELS",
    "bundled_dataset",
    "load",
    "read_dataset",
    "read_text",
]

FORMAT_VERSION = 2
#: The dataset formats this version reads.
FORMAT_VERSIONS = (1, 2)
#: Dataset file suffixes that ``build`` and ``check`` pick up in a directory.
DATASET_SUFFIXES = (".yaml", ".yml")


# Reading files within bounds lives in kmo_export.reading; these names are the loader's own.
read_text = reading.read_text
_parse_yaml = parse_yaml


def load(path: str | Path) -> Dataset:
    """Read and validate the dataset at ``path``; raise DatasetError listing every problem."""
    from ..validate import validate

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
    from ..resources import data_dir

    return data_dir() / "kmo-portefeuille-2019.yaml"
