"""A table, in either format: its columns, rows (inline or from a table file) and total.

Format 1 gives ``columns`` and a total as a mapping of values; format 2 may give ``dimension``
and ``measures`` instead, with groups, derived averages, the texts that mean 'not available',
and a total that says where it is stated (the table or the prose).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..checks import as_written, ratio_percent
from ..limits import MAX_LEVEL
from ..model import (
    Average,
    Cell,
    Column,
    ColumnGroup,
    ColumnType,
    DimensionKind,
    Row,
    Rows,
    Table,
    TotalSource,
    column_scale,
)
from .columns import (
    _cell,
    _columns,
    _derived,
    _dimension_and_measures,
    _groups,
    _measure_references,
)
from .fields import MISSING, _Reader
from .table_files import MAX_ROWS, _rows_from_file

#: What a table may say in format 1, and what format 2 adds.
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


def _table(r: _Reader, raw: Any, path: str, dataset_path: Path) -> Table | None:
    # One table (inline or in a table file beside ``dataset_path``), or None if it cannot be.
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
    table_id = r.key(raw, "id", path, " (it names the Excel table)")
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
    if has_rows == has_file:
        r.problem(
            path,
            "needs either rows (inline) or rows_file (a CSV or .xlsx file), not both"
            if has_rows
            else "has no rows: give rows or rows_file",
        )
        return None
    rows: Rows | list[Row]
    if has_rows:
        rows = _inline_rows(r, r.seq(raw, "rows", path), f"{path}.rows", columns)
        file_total: tuple[str, tuple[Cell, ...]] | None = None
    else:
        name = r.text(raw, "rows_file", path) or ""
        sheet = r.text(raw, "sheet", path, required=False)
        rows, file_total = _rows_from_file(
            r, dataset_path.parent / name, f"{path}.rows_file", columns, sheet
        )
    total = _total(r, raw, path, columns, has_file, file_total)
    if not rows and has_rows:
        r.problem(f"{path}.rows", "is empty: a table needs at least one row")
    if len(rows) > MAX_ROWS:
        r.problem(
            f"{path}.rows",
            f"has {len(rows):,} rows; an Excel sheet holds at most {MAX_ROWS:,} besides header and total",
        )
        return None
    dimension = _dimension_kind(r, raw, path) if v2 else None
    table = Table(
        id=table_id,
        columns=columns,
        rows=rows if isinstance(rows, Rows) else Rows([column_scale(c) for c in columns[1:]], rows),
        caption=r.text(raw, "caption", path, required=False),
        total_label=total.label,
        total_label_en=total.label_en,
        reported_total=total.reported,
        notes=r.paragraphs(raw, "notes", path, required=False),
        total_line=total.line,
        dimension=dimension,
        number=r.text(raw, "number", path, required=False) if v2 else None,
        caption_en=r.text(raw, "caption_en", path, required=False) if v2 else None,
        groups=groups,
        averages=averages,
        total_source=total.source,
        total_sentence=total.sentence,
        line=r.line(path),
        total_lines=total.lines,
    )
    if v2:
        _fraction_percent(r, table, path, "measures" if "measures" in raw else "columns")
    return table


@dataclass(frozen=True, eq=False, repr=False)
class _Total:
    # What a table's `total:` says, or its table file's total row: label, values, where stated.
    label: str | None
    reported: tuple[Cell, ...] | None
    line: int | None
    lines: tuple[int | None, ...]
    source: TotalSource
    sentence: str | None
    label_en: str | None = None


def _total(
    r: _Reader,
    raw: dict[str, Any],
    path: str,
    columns: tuple[Column, ...],
    has_file: bool,
    file_total: tuple[str, tuple[Cell, ...]] | None,
) -> _Total:
    # The reported total: `total:` in the dataset, the total row of the table file, or both.
    v2 = r.version == 2
    total_label, reported, label_en = None, None, None
    total_line: int | None = None
    total_lines: tuple[int | None, ...] = ()
    source, sentence = TotalSource.TABLE, None
    where = f"{path}.total"
    total_raw = r.section(raw, "total", path)
    if total_raw is not None:
        values_path = where
        values: Any = total_raw
        if v2:
            r.unknown(total_raw, {"label", "label_en", "values", "stated", "sentence"}, where)
            values_path = f"{where}.values"
            values = r.get(total_raw, "values", where, required=not has_file)
            if values is not MISSING and r.mapping(values, values_path) is None:
                values = MISSING
            source, sentence = _total_source(r, total_raw, where)
        else:
            r.unknown(total_raw, {"label"} | {c.key for c in columns[1:]}, where)
        total_label = r.text(total_raw, "label", where, required=False)
        label_en = r.text(total_raw, "label_en", where, required=False) if v2 else None
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
    return _Total(total_label, reported, total_line, total_lines, source, sentence, label_en)


def _dimension_kind(r: _Reader, raw: dict[str, Any], path: str) -> DimensionKind | None:
    # Format 2: what the rows are (`dimension.kind`), if the table says.
    dimension = None
    if isinstance(raw.get("dimension"), dict):
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
    return dimension


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
                f"the values of {column.label!r} look like fractions ({as_written(value)} where "
                f"the ratio is {as_written(round(computed, 2))} %); enter percentages as published "
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


def _inline_rows(
    r: _Reader, raw_rows: list[Any], path: str, columns: tuple[Column, ...]
) -> list[Row]:
    # `rows:` in the dataset, each a mapping of column keys or a list of cells.
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
