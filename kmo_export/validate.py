"""The rules a dataset must keep, checked on the model. Every broken rule is a Problem."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal

from . import limits
from .errors import DatasetError, InconsistentTotalsError, Problem
from .model import Dataset, Table


def validate(dataset: Dataset, allow_inconsistent: bool = False) -> list[Problem]:
    """Check every rule; raise DatasetError listing all problems.

    A reported total that differs from the sum of its rows is a fact about the source:
    it raises InconsistentTotalsError, or, with ``allow_inconsistent``, is returned as a
    list of problems (warnings) for the caller to report while it builds anyway.
    """
    file = str(dataset.path)
    problems: list[Problem] = []
    problems += _questions_and_answers(dataset, file)
    table_ids: set[str] = set()
    inconsistent: list[Problem] = []
    for a, answer in enumerate(dataset.answers):
        for t, table in enumerate(answer.tables):
            path = f"answers[{a}].tables[{t}]"
            if table.id in table_ids:
                problems.append(Problem(file, f"table id {table.id!r} is used twice", f"{path}.id"))
            table_ids.add(table.id)
            problems += _labels(table, file, path)
            inconsistent += _totals(table, file, path)
    problems += _key_figures(dataset, file)
    problems += limits.check(dataset)  # what the outputs can hold (Excel, Word, ZIP)
    if problems:
        raise DatasetError(problems + inconsistent)
    if inconsistent and not allow_inconsistent:
        raise InconsistentTotalsError(inconsistent)
    return inconsistent


def _questions_and_answers(dataset: Dataset, file: str) -> list[Problem]:
    out = []
    for kind, items in (("questions", dataset.questions), ("answers", dataset.answers)):
        seen: set[int] = set()
        for i, item in enumerate(items):
            if item.number in seen:
                out.append(
                    Problem(file, f"number {item.number} appears twice", f"{kind}[{i}].number")
                )
            seen.add(item.number)
    asked = {q.number for q in dataset.questions}
    answered = {a.number for a in dataset.answers}
    for i, q in enumerate(dataset.questions):
        if q.number not in answered:
            out.append(Problem(file, f"question {q.number} has no answer", f"questions[{i}]"))
    for i, a in enumerate(dataset.answers):
        if a.number not in asked:
            out.append(Problem(file, f"answer {a.number} answers no question", f"answers[{i}]"))
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


def _totals(table: Table, file: str, path: str) -> list[Problem]:
    return [
        Problem(
            file,
            f"reported total {d.reported} of column {d.column.label!r} differs from the sum of "
            f"the rows {d.computed} (difference {d.difference:+})",
            f"{path}.total.{d.column.key}",
            table.total_line,
        )
        for d in table.discrepancies()
    ]


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
