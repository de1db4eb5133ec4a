"""The rules a dataset must keep, checked on the model. Every broken rule is a Problem."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal

from . import limits
from .analysis import Analysis, analyse
from .errors import DatasetError, InconsistentTotalsError, Problem
from .findings import dataset_warnings, figure_warnings, percent_warnings, reconcile
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


def validate(
    dataset: Dataset, allow_inconsistent: bool = False, analysis: Analysis | None = None
) -> list[Problem]:
    """Check every rule; raise DatasetError listing all problems.

    A reported total that differs from the sum of its rows is a fact about the source:
    it raises InconsistentTotalsError, or, with ``allow_inconsistent``, is returned as a
    list of problems (warnings) for the caller to report while it builds anyway. ``analysis``:
    the dataset's analysis where the caller has it already (a build renders from the same).
    """
    file = str(dataset.path)
    analysis = analysis or analyse(dataset)
    problems: list[Problem] = []
    problems += _questions_and_answers(dataset, file)
    # What the outputs can hold (Excel, Word, ZIP) first: figures beyond it (1e400) are not
    # reconciled, only reported.
    beyond = limits.check(dataset)
    problems += beyond
    table_ids: dict[str, str] = {}
    inconsistent: list[Problem] = []
    for path, table in table_paths(dataset):
        # (ids that differ only in case are kmo_export.limits' concern: Excel's names)
        if table.id in table_ids:
            problems.append(
                Problem(file, f"table id {table.id!r} is used twice", f"{path}.id", table.line)
            )
        table_ids.setdefault(table.id, table.id)
        problems += _labels(table, file, path)
        if dataset.format >= 2:
            broken = _references(table, file, path)
            problems += broken
            if not broken and not beyond:
                inconsistent += reconcile(analysis.table(table), file, path)
        elif not beyond:
            inconsistent += reconcile(analysis.table(table), file, path, format1=True)
    problems += _key_figures(dataset, file)
    problems += _figure_references(analysis, file)
    if problems:
        raise DatasetError(problems + inconsistent)
    if inconsistent and not allow_inconsistent:
        raise InconsistentTotalsError(inconsistent)
    return inconsistent


def _questions_and_answers(dataset: Dataset, file: str) -> list[Problem]:
    out = []
    numbered: dict[str, list[int]] = {
        "questions": [q.number for q in dataset.questions],
        "answers": [a.number for a in dataset.answers],
    }
    for kind, numbers in numbered.items():
        seen: set[int] = set()
        for i, number in enumerate(numbers):
            if number in seen:
                out.append(Problem(file, f"number {number} appears twice", f"{kind}[{i}].number"))
            seen.add(number)
    answers_seen = {a.number for a in dataset.answers}
    for i, a in enumerate(dataset.answers):
        for k, number in enumerate(a.also):
            if number in answers_seen:
                out.append(
                    Problem(file, f"number {number} appears twice", f"answers[{i}].number[{k + 1}]")
                )
            answers_seen.add(number)
    asked = {q.number for q in dataset.questions}
    answered = {n for a in dataset.answers for n in a.numbers}
    for i, q in enumerate(dataset.questions):
        if q.number not in answered:
            out.append(Problem(file, f"question {q.number} has no answer", f"questions[{i}]"))
    for i, a in enumerate(dataset.answers):
        for number in a.numbers:
            if number not in asked:
                out.append(Problem(file, f"answer {number} answers no question", f"answers[{i}]"))
    return out


def _labels(table: Table, file: str, path: str) -> list[Problem]:
    # Labels are unique among siblings (a pivot repeats a child label under other parents).
    rows = table.rows

    def keys() -> Iterator[Hashable]:
        parents: list[int] = []
        for i, (label, level) in enumerate(zip(rows.labels(), rows.levels(), strict=True)):
            del parents[level:]
            yield tuple(parents), label.casefold()
            parents.extend([i] * (level + 1 - len(parents)))

    out = []
    for i in _repeated(keys, len(rows)):
        row = rows[i]
        out.append(
            Problem(
                file,
                f"label {row.label!r} appears twice",
                f"{path}.rows[{i}].{table.label_column.key}",
                row.line,
            )
        )
    return out


def _repeated(keys: Callable[[], Iterator[Hashable]], count: int) -> list[int]:
    """Indexes of the keys equal to an earlier one, in order.

    A table may hold a million labels: the first pass keeps only their hashes, in an open-
    addressing table of 8 bytes a slot (a set of the keys would hold a second copy of every
    label); only hashes seen twice are checked again, exactly, in a second pass.
    """
    size = 1 << (2 * count + 1).bit_length()
    mask = size - 1
    slots = array("q", bytes(8 * size))  # 0: free
    clashes: set[int] = set()
    for key in keys():
        code = hash(key) or 1
        slot = code & mask
        while True:
            held = slots[slot]
            if held == 0:
                slots[slot] = code
                break
            if held == code:
                clashes.add(code)
                break
            slot = (slot + 1) & mask
    if not clashes:
        return []
    first: set[Hashable] = set()
    repeated = []
    for index, key in enumerate(keys()):
        if (hash(key) or 1) in clashes:
            if key in first:
                repeated.append(index)
            first.add(key)
    return repeated


def _key_figures(dataset: Dataset, file: str) -> list[Problem]:
    out = []
    answered = {a.number for a in dataset.answers}
    figures = dataset.key_figures
    for name, figure in (("enterprises", figures.enterprises), ("usage", figures.usage)):
        if figure is not None and figure.answer not in answered:
            out.append(
                Problem(
                    file,
                    f"refers to answer {figure.answer}, which does not exist",
                    f"key_figures.{name}.answer",
                )
            )
    if figures.usage is not None:
        keys: set[str] = set()
        for i, size in enumerate(figures.usage.sizes):
            path = f"key_figures.usage.sizes[{i}]"
            if size.key in keys:
                out.append(Problem(file, f"company size {size.key!r} appears twice", f"{path}.key"))
            keys.add(size.key)
            if size.average_granted > size.maximum:
                out.append(
                    Problem(
                        file,
                        f"average granted {size.average_granted} exceeds the maximum {size.maximum}",
                        f"{path}.average_granted",
                    )
                )
            stated = size.stated_use_percent
            if stated is not None:
                places = max(-int(stated.as_tuple().exponent), 0)
                computed = size.use * 100
                half_unit = Decimal(5).scaleb(-places - 1)
                if abs(computed - stated) > half_unit:
                    out.append(
                        Problem(
                            file,
                            f"stated use {stated} % disagrees with average / maximum = "
                            f"{size.average_granted} / {size.maximum} = {round(computed, places + 2)} %",
                            f"{path}.stated_use_percent",
                        )
                    )
    return out


def _references(table: Table, file: str, path: str) -> list[Problem]:
    # Ratios, shares, groups and averages name measures of the same table; a measure is in at
    # most one group. (The loader reports these with their lines; this guards a model built
    # in code.)
    keys = {c.key for c in table.value_columns}
    out = []
    for i, column in enumerate(table.value_columns):
        for ref in (*(column.ratio or ()), column.share_of):
            if ref is not None and (ref not in keys or ref == column.key):
                out.append(
                    Problem(
                        file,
                        f"{column.key!r} refers to {ref!r}, which is no other measure of this table",
                        f"{path}.measures[{i}]",
                        table.line,
                    )
                )
    grouped: set[str] = set()
    for g, group in enumerate(table.groups):
        for key in group.keys:
            if key not in keys or key in grouped:
                out.append(
                    Problem(
                        file,
                        f"group {group.label!r} names {key!r}, which is no measure of this table "
                        "or is in another group",
                        f"{path}.groups[{g}]",
                        table.line,
                    )
                )
            grouped.add(key)
    for d, average in enumerate(table.averages):
        for key in (average.numerator, average.denominator):
            if key not in keys:
                out.append(
                    Problem(
                        file,
                        f"average {average.key!r} divides by or into {key!r}, which is no "
                        "measure of this table",
                        f"{path}.derived[{d}]",
                        table.line,
                    )
                )
    return out


# -- key figures stated in the text ---------------------------------------------------------


def _cell_problem(analysis: Analysis, ref: CellRef) -> str | None:
    # What is wrong with a reference to a table cell, or None.
    table = analysis.dataset.table(ref.table)
    if table is None:
        return f"names no table of this dataset: {ref.table!r}"
    column = table.measure(ref.measure)
    if column is None:
        return f"table {ref.table!r} has no measure {ref.measure!r}"
    if ref.row is None:
        if analysis.table(table).base_total(table.column_index(ref.measure)) is None:
            return f"table {ref.table!r} publishes no total of {ref.measure!r}"
    elif Analysis.row_index(table, ref.row) is None:
        return f"table {ref.table!r} has no row {ref.row!r}"
    return None


def _kind_problem(figure: Figure, analysis: Analysis, ref: CellRef) -> str | None:
    # A figure checked against a cell must be the same kind of figure: an amount in euro is
    # never confirmed or contradicted by a count of applications.
    table = analysis.dataset.table(ref.table)
    column = table.measure(ref.measure) if table is not None else None
    if column is None:
        return None
    stated = Column(figure.id, figure.what, figure.kind, figure.unit)
    if _family(stated) == _family(column):
        return None
    return (
        f"the figure is {_family(stated)} but measure {ref.measure!r} of table {ref.table!r} "
        f"is {_family(column)}: it cannot check it"
    )


# What kind of figure a column or a stated figure is, in words (counts and other numbers
# may check each other: a count is often declared a number).
def _family(column: Column) -> str:
    if column.is_money:
        return "an amount"
    return "a percentage" if column.type is ColumnType.PERCENT else "a count or number"


def _figure_references(analysis: Analysis, file: str) -> list[Problem]:
    # figure ids unique, answers existing, every table/row/measure/figure a check names existing
    dataset = analysis.dataset
    out = []
    answered = {n for a in dataset.answers for n in a.numbers}
    ids: set[str] = set()
    for i, figure in enumerate(dataset.figures):
        path = f"figures[{i}]"
        if figure.id in ids:
            out.append(
                Problem(file, f"figure id {figure.id!r} is used twice", f"{path}.id", figure.line)
            )
        ids.add(figure.id)
        if figure.answer not in answered:
            out.append(
                Problem(
                    file,
                    f"refers to answer {figure.answer}, which does not exist",
                    f"{path}.answer",
                    figure.line,
                )
            )
    known = {f.id for f in dataset.figures}
    for i, figure in enumerate(dataset.figures):
        check = figure.check
        if check is None:
            continue
        where = f"figures[{i}].check"
        refs: list[str | CellRef] = [check.cell] if check.cell is not None else []
        refs += list(check.figures)
        for ref in refs:
            if isinstance(ref, CellRef):
                problem = _cell_problem(analysis, ref)
                if problem is None and check.kind is not CheckKind.RATIO:
                    problem = _kind_problem(figure, analysis, ref)
            elif ref == figure.id:
                problem = "a figure cannot check itself"
            else:
                problem = None if ref in known else f"names no figure: {ref!r}"
            if problem is not None:
                out.append(Problem(file, problem, where, check.line or figure.line))
    return out


__all__ = [
    "dataset_warnings",
    "figure_warnings",
    "percent_warnings",
    "table_paths",
    "validate",
]
