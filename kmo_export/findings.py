"""The findings about a published answer, worded: its inconsistencies (a total that is not the
sum of its rows, a percentage that is not the ratio it declares) and its warnings (a stated
figure the rest of the answer contradicts, percentages that look like fractions).

The analysis judges (:mod:`kmo_export.analysis`); this module only words what it finds, each
finding with its file, field and line.
"""

from __future__ import annotations

from decimal import Decimal

from .analysis import Analysis, RatioCheck, TableAnalysis, TotalCheck, TotalKind, analyse
from .checks import as_written, published_places
from .errors import Problem
from .model import (
    CellRef,
    CheckKind,
    Column,
    ColumnType,
    Dataset,
    Figure,
    Table,
    table_paths,
)

# -- format 2: totals and published ratios reconciled by what each measure is ---------------


def _as_published(value: Decimal, column: Column) -> Decimal:
    # A stored value with the decimals it was published with (at least the column's).
    places = max(published_places(value.normalize()), column.decimals)
    return value.quantize(Decimal(1).scaleb(-places))


def reconcile(
    analysis: TableAnalysis, file: str, path: str, format1: bool = False
) -> list[Problem]:
    """The inconsistencies of one table, as the analysis judges them, worded.

    Each published figure is checked once, by what its measure is: an additive total against
    the sum of the rows; a ratio or share, per row and on the total row, against its
    recomputation (the total row is the ratio of the totals); any other total as published,
    unchecked. Format 1: percent totals against their rounded rows.
    """
    table = analysis.table
    failed_rows = analysis.failed_ratio_checks
    failed_totals = {c.index: c for c in analysis.failed_total_checks}
    out = []
    for i, column in enumerate(table.value_columns):
        for check in (c for c in failed_rows if c.index == i):
            out.append(_ratio_row_problem(table, check, file, path))
        total = failed_totals.get(i)
        if total is None:
            continue
        if format1:
            where, line = f"{path}.total.{column.key}", table.total_line
        else:
            where = f"{path}.total.values.{column.key}"
            line = table.total_lines[i] if table.total_lines else table.total_line
        if total.kind is TotalKind.RATIO:
            out.append(_ratio_total_problem(table, analysis, total, file, where, line))
            continue
        published, computed = total.published, total.computed
        out.append(
            Problem(
                file,
                f"reported total {published:f} of column {column.label!r} differs "
                f"from the sum of the rows {_as_published(computed, column):f} "
                f"(difference {'+' if published > computed else '-'}"
                f"{as_written(abs(published - computed))})",
                where,
                line,
            )
        )
    return out


def _definition(table: Table, column: Column) -> str:
    # "'# Limburg' / '# totaal'" or "'Projecten' / total 'Projecten'", for messages.
    if column.ratio:
        num, den = (table.value_columns[table.column_index(k)].label for k in column.ratio)
        return f"{num!r} / {den!r}"
    label = table.value_columns[table.column_index(column.share_of or "")].label
    return f"{label!r} / total {label!r}"


def _ratio_row_problem(table: Table, check: RatioCheck, file: str, path: str) -> Problem:
    # A row's published ratio or share that is not its recomputation.
    column = table.value_columns[check.index]
    row = table.rows[check.row]
    unit = " %" if column.type is ColumnType.PERCENT else ""
    shown = _as_published(check.published, column)
    places = published_places(shown)
    parts = " / ".join(as_written(p) for p in (check.numerator, check.denominator) if p is not None)
    return Problem(
        file,
        f"{column.label!r} is {shown:f}{unit} on row {row.label!r}, but "
        f"{_definition(table, column)} = {parts} = "
        f"{as_written(round(check.computed, places + 2))}{unit}",
        f"{path}.rows[{check.row}].{column.key}",
        row.line,
    )


def _ratio_total_problem(
    table: Table,
    analysis: TableAnalysis,
    check: TotalCheck,
    file: str,
    where: str,
    line: int | None,
) -> Problem:
    # A ratio's total row that is not the ratio of the totals; a share's that is not the whole.
    column = check.column
    unit = " %" if column.type is ColumnType.PERCENT else ""
    if column.ratio:
        num, den = (analysis.base_total(table.column_index(k)) for k in column.ratio)
        definition = f"the ratio of the totals {_definition(table, column)}"
    else:
        num = den = analysis.base_total(table.column_index(column.share_of or ""))
        definition = "the whole (a share's total)"
    shown = _as_published(check.published, column)
    places = published_places(shown)
    return Problem(
        file,
        f"total {shown:f}{unit} of {column.label!r} is not {definition} = "
        f"{as_written(num or Decimal(0))} / {as_written(den or Decimal(0))} = "
        f"{as_written(round(check.computed, places + 2))}{unit}",
        where,
        line,
    )


def figure_warnings(dataset: Dataset) -> list[Problem]:
    """Key figures their check contradicts beyond the figure's published rounding.

    "1.250 ingediend: 40 onontvankelijk, 160 negatief, 1.051 goedgekeurd" (40 + 160 + 1.051 =
    1.251) or "57,4 %" where the table says 57,04 %: the answer checked against itself. These
    are warnings (``check`` prints them and exits 0, 1 with ``--strict``), each naming the
    figure's sentence. The analysis judges; this only words its findings.
    """
    analysis = analyse(dataset)
    out = []
    file = str(dataset.path)
    for i, figure in enumerate(dataset.figures):
        result = analysis.check_figure(figure)
        if not result.contradicted or result.computed is None or figure.check is None:
            continue
        places = published_places(figure.value)
        sentence = f' in "{figure.sentence}"' if figure.sentence else ""
        out.append(
            Problem(
                file,
                f"figure {figure.id!r} ({figure.what}) is {figure.value:f}{sentence}, but "
                f"{_described(analysis, figure)} = {as_written(round(result.computed, places + 2))}",
                f"figures[{i}].value",
                figure.line,
            )
        )
    return out


# How a figure's check reads in a message: "40 + 160 + 1051", "table t[2023, share]".
def _described(analysis: Analysis, figure: Figure) -> str:
    check = figure.check
    assert check is not None

    def name(ref: str | CellRef) -> str:
        if isinstance(ref, CellRef):
            return f"{ref.table}[{ref.row or 'total'}, {ref.measure}]"
        return ref

    if check.kind is CheckKind.CELL and check.cell is not None:
        return f"table {name(check.cell)}"
    if check.kind is CheckKind.SUM:
        values = (analysis.operand(ref) for ref in check.figures)
        return " + ".join(
            as_written(v.scaleb(-figure.multiplier)) if v is not None else "?" for v in values
        )
    return " / ".join(name(ref) for ref in check.figures)


def percent_warnings(dataset: Dataset) -> list[Problem]:
    """Percent columns whose values all look like fractions (0.812 where 81.2 % is meant).

    Percentages are entered as published: 81.2 means 81,2 %. (A ratio or share whose values
    are fractions contradicts its own definition and is an error of the loader instead.)
    """
    out = []
    file = str(dataset.path)
    for path, table in table_paths(dataset):
        for i, column in enumerate(table.value_columns):
            if column.type is not ColumnType.PERCENT or column.ratio or column.share_of:
                continue
            values = [v for v in table.rows.column(i) if isinstance(v, Decimal)]
            total = table.reported_total[i] if table.reported_total is not None else None
            if isinstance(total, Decimal):
                values.append(total)
            if len(values) < 2 or not any(values) or any(v > 1 or v < 0 for v in values):
                continue
            out.append(
                Problem(
                    file,
                    f"every value of {column.label!r} is at most 1: if these are fractions, "
                    "enter percentages as published (81.2 for 81,2 %)",
                    path,
                    table.line,
                )
            )
    return out


def dataset_warnings(dataset: Dataset) -> list[Problem]:
    """Everything ``check`` warns about in a valid dataset: percent values, key figures."""
    return percent_warnings(dataset) + figure_warnings(dataset)
