"""The rules a dataset must keep, checked on the model. Every broken rule is a Problem."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal

from . import limits
from .checks import published_places, ratio_percent, within_rounding
from .errors import DatasetError, InconsistentTotalsError, Problem
from .model import (
    Cell,
    CellRef,
    CheckKind,
    Column,
    ColumnType,
    Dataset,
    Figure,
    NotAvailable,
    Row,
    Table,
)


def validate(dataset: Dataset, allow_inconsistent: bool = False) -> list[Problem]:
    """Check every rule; raise DatasetError listing all problems.

    A reported total that differs from the sum of its rows is a fact about the source:
    it raises InconsistentTotalsError, or, with ``allow_inconsistent``, is returned as a
    list of problems (warnings) for the caller to report while it builds anyway.
    """
    file = str(dataset.path)
    problems: list[Problem] = []
    problems += _questions_and_answers(dataset, file)
    table_ids: dict[str, str] = {}
    inconsistent: list[Problem] = []
    for path, table in table_paths(dataset):
        seen = table_ids.get(table.id.casefold())
        if seen is not None:
            problems.append(
                Problem(
                    file,
                    f"table id {table.id!r} is used twice"
                    + (f" (as {seen!r}: Excel ignores case)" if seen != table.id else ""),
                    f"{path}.id",
                    table.line,
                )
            )
        table_ids.setdefault(table.id.casefold(), table.id)
        problems += _labels(table, file, path)
        if dataset.format >= 2:
            broken = _references(table, file, path)
            problems += broken
            if not broken:
                inconsistent += _reconcile(table, file, path)
        else:
            inconsistent += _totals(table, file, path)
    problems += _key_figures(dataset, file)
    problems += limits.check(dataset)  # what the outputs can hold (Excel, Word, ZIP)
    problems += _figure_references(dataset, file)
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


def table_paths(dataset: Dataset) -> Iterator[tuple[str, Table]]:
    """Every table with its field path in the dataset file, in published order."""
    for a, answer in enumerate(dataset.answers):
        if dataset.format < 2:
            for t, table in enumerate(answer.tables):
                yield f"answers[{a}].tables[{t}]", table
            continue
        blocks = [(f"answers[{a}].content", answer.content)]
        blocks += [
            (f"answers[{a}].parts[{p}].content", part.content)
            for p, part in enumerate(answer.parts)
        ]
        for where, content in blocks:
            for k, block in enumerate(content):
                if isinstance(block, Table):
                    yield f"{where}[{k}].table", block


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
            f"reported total {_show(d.reported)} of column {d.column.label!r} differs from the "
            f"sum of the rows {_show(d.computed)} (difference "
            f"{'+' if d.difference > 0 else '-'}{_show(abs(d.difference))})",
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


# -- format 2: totals and published ratios reconciled by what each measure is ---------------


def _show(value: Decimal) -> str:
    # A number as the user wrote it, without the zeros compact storage adds (58.1600 -> 58.16).
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _as_published(value: Decimal, column: Column) -> Decimal:
    # A stored value with the decimals it was published with (at least the column's).
    places = max(published_places(value.normalize()), column.decimals)
    return value.quantize(Decimal(1).scaleb(-places))


def _recomputed(column: Column, num: Decimal, den: Decimal) -> Decimal | None:
    # What a ratio measure stands for: a percentage (x 100) or a plain ratio.
    ratio = ratio_percent(num, den)
    if ratio is None or column.type is ColumnType.PERCENT:
        return ratio
    return ratio / 100


def _has_not_available(table: Table, index: int) -> bool:
    # True when a top-level cell of column ``index`` is 'not available'
    return any(isinstance(v, NotAvailable) for v in table.top_rows.column(index))


def total_of(table: Table, key: str) -> Decimal | None:
    """The total of measure ``key``: as published, else the sum where the measure adds up."""
    index = table.column_index(key)
    if table.reported_total is not None:
        published = table.reported_total[index]
        if isinstance(published, Decimal):
            return published
    column = table.value_columns[index]
    if table.adds_up(column) and not _has_not_available(table, index):
        computed = table.computed_total(index)
        return computed if isinstance(computed, Decimal) else None
    return None


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


def _reconcile(table: Table, file: str, path: str) -> list[Problem]:
    # Each published figure checked once, by what its measure is: an additive total against the
    # sum of the rows; a ratio or share, per row and on the total row, against its recomputation
    # (the total row is the ratio of the totals); any other total as published, unchecked.
    out = []
    reported = table.reported_total
    for i, column in enumerate(table.value_columns):
        published = reported[i] if reported is not None else None
        line = table.total_lines[i] if table.total_lines else table.total_line
        where = f"{path}.total.values.{column.key}"
        if column.ratio or column.share_of:
            out += _ratio_rows(table, i, column, file, path)
            if isinstance(published, Decimal):
                out += _ratio_total(table, column, published, file, where, line)
        elif table.adds_up(column) and isinstance(published, Decimal):
            computed = table.computed_total(i)
            if not isinstance(computed, Decimal) or _has_not_available(table, i):
                continue
            if computed != published:
                out.append(
                    Problem(
                        file,
                        f"reported total {published:f} of column {column.label!r} differs "
                        f"from the sum of the rows {_as_published(computed, column):f} "
                        f"(difference {'+' if published > computed else '-'}"
                        f"{_show(abs(published - computed))})",
                        where,
                        line,
                    )
                )
    return out


def _ratio_of(table: Table, column: Column, row: Row) -> tuple[Decimal, Decimal] | None:
    # The numerator and denominator a ratio or share stands for on one row.
    if column.ratio:
        num, den = (row.values[table.column_index(k)] for k in column.ratio)
    else:
        assert column.share_of is not None
        num = row.values[table.column_index(column.share_of)]
        den = total_of(table, column.share_of)
    if isinstance(num, Decimal) and isinstance(den, Decimal):
        return num, den
    return None


def _definition(table: Table, column: Column) -> str:
    # "'# Limburg' / '# totaal'" or "'Projecten' / total 'Projecten'", for messages.
    if column.ratio:
        num, den = (table.value_columns[table.column_index(k)].label for k in column.ratio)
        return f"{num!r} / {den!r}"
    label = table.value_columns[table.column_index(column.share_of or "")].label
    return f"{label!r} / total {label!r}"


def _ratio_rows(table: Table, index: int, column: Column, file: str, path: str) -> list[Problem]:
    # each row's published ratio or share against its recomputation
    out = []
    unit = " %" if column.type is ColumnType.PERCENT else ""
    for r, row in enumerate(table.rows):
        value = row.values[index]
        parts = _ratio_of(table, column, row) if isinstance(value, Decimal) else None
        if parts is None or not isinstance(value, Decimal):
            continue
        computed = _recomputed(column, *parts)
        if computed is None:
            continue
        shown = _as_published(value, column)
        if within_rounding(shown, computed):
            continue
        places = published_places(shown)
        out.append(
            Problem(
                file,
                f"{column.label!r} is {shown:f}{unit} on row {row.label!r}, but "
                f"{_definition(table, column)} = {_show(parts[0])} / {_show(parts[1])} = "
                f"{_show(round(computed, places + 2))}{unit}",
                f"{path}.rows[{r}].{column.key}",
                row.line,
            )
        )
    return out


def _ratio_total(
    table: Table, column: Column, published: Decimal, file: str, where: str, line: int | None
) -> list[Problem]:
    # a ratio's total row against the ratio of the totals; a share's against the whole
    unit = " %" if column.type is ColumnType.PERCENT else ""
    if column.ratio:
        num, den = (total_of(table, k) for k in column.ratio)
        definition = f"the ratio of the totals {_definition(table, column)}"
    else:
        num = den = total_of(table, column.share_of or "")
        definition = "the whole (a share's total)"
    if num is None or den is None:
        return []
    computed = _recomputed(column, num, den)
    shown = _as_published(published, column)
    if computed is None or within_rounding(shown, computed):
        return []
    places = published_places(shown)
    return [
        Problem(
            file,
            f"total {shown:f}{unit} of {column.label!r} is not {definition} = "
            f"{_show(num)} / {_show(den)} = {_show(round(computed, places + 2))}{unit}",
            where,
            line,
        )
    ]


# -- key figures stated in the text ---------------------------------------------------------


def _find_row(table: Table, label: str) -> Row | None:
    # the row labelled ``label`` (case ignored), or None
    folded = label.casefold()
    return next((row for row in table.rows if row.label.casefold() == folded), None)


def _cell_problem(dataset: Dataset, ref: CellRef) -> str | None:
    # What is wrong with a reference to a table cell, or None.
    table = dataset.table(ref.table)
    if table is None:
        return f"names no table of this dataset: {ref.table!r}"
    column = table.measure(ref.measure)
    if column is None:
        return f"table {ref.table!r} has no measure {ref.measure!r}"
    if ref.row is None:
        if total_of(table, ref.measure) is None:
            return f"table {ref.table!r} publishes no total of {ref.measure!r}"
    elif _find_row(table, ref.row) is None:
        return f"table {ref.table!r} has no row {ref.row!r}"
    return None


def _figure_references(dataset: Dataset, file: str) -> list[Problem]:
    # figure ids unique, answers existing, every table/row/measure/figure a check names existing
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
                problem = _cell_problem(dataset, ref)
            elif ref == figure.id:
                problem = "a figure cannot check itself"
            else:
                problem = None if ref in known else f"names no figure: {ref!r}"
            if problem is not None:
                out.append(Problem(file, problem, where, check.line or figure.line))
    return out


def _cell_value(dataset: Dataset, ref: CellRef) -> tuple[Decimal, int] | None:
    # A referenced cell's value and its unit multiplier; None where it holds no number.
    table = dataset.table(ref.table)
    column = table.measure(ref.measure) if table is not None else None
    if table is None or column is None:
        return None
    value: Cell
    if ref.row is None:
        value = total_of(table, ref.measure)
    else:
        row = _find_row(table, ref.row)
        value = row.values[table.column_index(ref.measure)] if row is not None else None
    return (value, column.multiplier) if isinstance(value, Decimal) else None


def _expected(dataset: Dataset, figure: Figure) -> tuple[Decimal, str] | None:
    # What a figure's check says it should be (in the figure's units), and how it was found.
    check = figure.check
    figures = {f.id: f for f in dataset.figures}

    def base(ref: str | CellRef) -> Decimal | None:
        # a figure's or cell's value in base units (multiplier applied)
        if isinstance(ref, CellRef):
            found = _cell_value(dataset, ref)
            return found[0].scaleb(found[1]) if found is not None else None
        other = figures.get(ref)
        return other.value.scaleb(other.multiplier) if other is not None else None

    def name(ref: str | CellRef) -> str:
        # how a reference reads in a message
        if isinstance(ref, CellRef):
            return f"{ref.table}[{ref.row or 'total'}, {ref.measure}]"
        return ref

    if check is None:
        return None
    if check.kind is CheckKind.CELL and check.cell is not None:
        value = base(check.cell)
        described = f"table {name(check.cell)}"
    elif check.kind is CheckKind.SUM:
        values = [base(ref) for ref in check.figures]
        if any(v is None for v in values):
            return None
        value = sum((v for v in values if v is not None), Decimal(0))
        described = " + ".join(
            f"{_show(v.scaleb(-figure.multiplier))}" for v in values if v is not None
        )
    elif check.kind is CheckKind.RATIO and len(check.figures) == 2:
        num, den = (base(ref) for ref in check.figures)
        if num is None or den is None:
            return None
        ratio = ratio_percent(num, den)
        if ratio is None:
            return None
        described = f"{name(check.figures[0])} / {name(check.figures[1])}"
        if figure.kind is ColumnType.PERCENT:
            return ratio, described
        return ratio / 100, described
    else:
        return None
    if value is None:
        return None
    return value.scaleb(-figure.multiplier), described


def figure_warnings(dataset: Dataset) -> list[Problem]:
    """Key figures their check contradicts beyond the figure's published rounding.

    "1.250 ingediend: 40 onontvankelijk, 160 negatief, 1.051 goedgekeurd" (40 + 160 + 1.051 =
    1.251) or "57,4 %" where the table says 57,04 %: the answer checked against itself. These
    are warnings (``check`` prints them and exits 0, 1 with ``--strict``), each naming the
    figure's sentence.
    """
    out = []
    file = str(dataset.path)
    for i, figure in enumerate(dataset.figures):
        found = _expected(dataset, figure)
        if found is None:
            continue
        computed, described = found
        if within_rounding(figure.value, computed):
            continue
        places = published_places(figure.value)
        sentence = f' in "{figure.sentence}"' if figure.sentence else ""
        out.append(
            Problem(
                file,
                f"figure {figure.id!r} ({figure.what}) is {figure.value:f}{sentence}, but "
                f"{described} = {_show(round(computed, places + 2))}",
                f"figures[{i}].value",
                figure.line,
            )
        )
    return out


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
