"""What the outputs can hold: every limit of Excel, Word and the file system, decided once.

``check`` and ``build`` call :func:`check` from :func:`kmo_export.validate.validate`, so a
dataset that ``check`` accepts builds: no limit is found by a renderer half-way through a
build. Each limit carries its reason, which the message repeats. Where the output can adapt
instead (a sheet name cut to 31 characters and kept unique), the renderer adapts and no limit
is set here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal

from .checks import published_places
from .errors import Problem
from .model import ColumnType, Dataset, Table, table_paths

#: Excel holds at most 32,767 characters in a cell, counted in UTF-16 units (an emoji is two).
MAX_CELL_UNITS = 32_767
#: Excel and Word keep at most 255 characters in a document property; the workbook's title is
#: the subject plus a few words (": cijfers"), so the subject keeps 200.
MAX_SUBJECT = 200
#: A table id names the Excel table ``tbl_<id>``; Excel allows 255 characters in a name, and
#: kmo-export derives longer names from it, so an id keeps 64.
MAX_TABLE_ID = 64
#: Question, answer and dataset numbers, and years: whole numbers of at most 9 digits, so they
#: stay exact in Excel and fit the document properties ("Schriftelijke vraag nr. N ...").
MAX_NUMBER = 999_999_999
#: A detail row's level: a pivot of at most 10 levels (0 to 9); the brief indents each level.
MAX_LEVEL = 9
#: Excel computes with 15 significant digits: a value, and the sum of its column, stays below
#: 10**(15 - decimals), so it is exact to the last decimal the column shows (cents for money).
EXCEL_DIGITS = 15
#: Excel's dates start in 1900 (and a year before 1000 cannot be written as a document date).
FIRST_YEAR, LAST_YEAR = 1900, 9999
#: SOURCE_DATE_EPOCH stamps the entries of the .xlsx and .docx ZIP packages, whose times run
#: from 1980-01-01 to 2107-12-31.
FIRST_EPOCH = 315_532_800
LAST_EPOCH = 4_354_819_199
#: An output's file name, in UTF-8 bytes: most file systems allow 255; the temporary file
#: beside it (``.<name>.<8 characters>.part``) adds 15, the suffix (``.xlsx``) 5.
MAX_OUTPUT_STEM_BYTES = 200


def check(dataset: Dataset) -> list[Problem]:
    """Every value of ``dataset`` that an output cannot hold, as problems (none: it builds)."""
    file = str(dataset.path)
    out: list[Problem] = []

    def problem(field: str | None, message: str, line: int | None = None) -> None:
        out.append(Problem(file, message, field, line))

    for field, text in _texts(dataset):
        units = _utf16_units(text)
        if units > MAX_CELL_UNITS:
            problem(
                field,
                f"is {units:,} UTF-16 units long (an emoji counts two); Excel holds at most "
                f"{MAX_CELL_UNITS:,} in a cell",
            )
    if len(dataset.subject) > MAX_SUBJECT:
        problem(
            "subject",
            f"is {len(dataset.subject):,} characters long; it keeps at most {MAX_SUBJECT} "
            "(Excel and Word hold 255 in a document's title)",
        )
    for field, number in _numbers(dataset):
        if number > MAX_NUMBER:
            problem(field, f"{_short(number)} is larger than {MAX_NUMBER:,}, the most it may be")
    for field, day in _dates(dataset):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problem(
                field,
                f"year {day.year} is before {FIRST_YEAR}, where Excel's dates start (a typo?)",
            )
    ids: dict[str, str] = {}
    for path, table in table_paths(dataset):
        if len(table.id) > MAX_TABLE_ID:
            problem(
                f"{path}.id",
                f"is {len(table.id)} characters long; a table id keeps at most {MAX_TABLE_ID} "
                "(it names the Excel table, and Excel allows 255 characters in a name)",
                table.line,
            )
        other = ids.setdefault(table.id.casefold(), table.id)
        if other != table.id:
            problem(
                f"{path}.id",
                f"table id {table.id!r} differs from {other!r} only in case; Excel's table "
                "and sheet names ignore case",
                table.line,
            )
        out.extend(_table_numbers(table, file, path))
    out.extend(_key_figure_numbers(dataset, file))
    epoch = source_date_epoch_problem()
    if epoch:
        out.append(Problem("SOURCE_DATE_EPOCH", epoch))
    return out


def source_date_epoch_problem() -> str | None:
    """What is wrong with the environment's SOURCE_DATE_EPOCH, or None (unset or usable)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return f"{value[:40]!r} is not a number of seconds since 1970"
    if not FIRST_EPOCH <= int(text) <= LAST_EPOCH:
        return (
            f"{text} is outside 1980-01-01 to 2107-12-31, the times a ZIP package "
            "(.xlsx, .docx) can hold"
        )
    return None


def output_stem_problem(stem: str) -> str | None:
    """Why ``stem`` is too long to name an output (with its temporary file), or None."""
    size = len(stem.encode("utf-8", "surrogatepass"))
    if size > MAX_OUTPUT_STEM_BYTES:
        return (
            f"is {size} bytes long; an output name keeps at most {MAX_OUTPUT_STEM_BYTES} "
            "(file systems allow 255, with the temporary file's additions)"
        )
    return None


# UTF-16 code units of ``text``, as Excel counts; cheap for text that cannot reach the limit.
def _utf16_units(text: str) -> int:
    if len(text) <= MAX_CELL_UNITS // 2:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# A number for a message: a thousand-digit one is not printed whole.
def _short(number: int | Decimal) -> str:
    text = str(number)
    return text if len(text) <= 20 else format(Decimal(number), ".3E")


# Every text of the dataset that an output shows, with its field path.
def _texts(dataset: Dataset) -> Iterator[tuple[str, str]]:
    yield "subject", dataset.subject
    yield "asked_by", dataset.asked_by
    yield "addressed_to.name", dataset.addressed_to.name
    if dataset.addressed_to.title:
        yield "addressed_to.title", dataset.addressed_to.title
    for i, text in enumerate(dataset.introduction):
        yield f"introduction[{i}]", text
    for i, question in enumerate(dataset.questions):
        for k, text in enumerate(question.paragraphs):
            yield f"questions[{i}].paragraphs[{k}]", text
        for p, part in enumerate(question.parts):
            for k, text in enumerate(part.paragraphs):
                yield f"questions[{i}].parts[{p}].paragraphs[{k}]", text
    for i, answer in enumerate(dataset.answers):
        if dataset.format == 1:
            for k, text in enumerate(answer.paragraphs):
                yield f"answers[{i}].paragraphs[{k}]", text
            continue
        blocks = [(f"answers[{i}].content", answer.content)]
        blocks += [
            (f"answers[{i}].parts[{p}].content", q.content) for p, q in enumerate(answer.parts)
        ]
        for where, content in blocks:
            for k, block in enumerate(content):
                if isinstance(block, str):
                    yield f"{where}[{k}].text", block
    for name, texts in (("opening", dataset.opening), ("closing", dataset.closing)):
        for k, text in enumerate(texts):
            yield f"{name}[{k}]", text
    for i, figure in enumerate(dataset.figures):
        yield from _present(
            f"figures[{i}]",
            (("what", figure.what), ("what_en", figure.what_en), ("sentence", figure.sentence)),
        )
    for path, table in table_paths(dataset):
        yield from _present(
            path,
            (
                ("caption", table.caption),
                ("caption_en", table.caption_en),
                ("total.label", table.total_label),
                ("total.sentence", table.total_sentence),
            ),
        )
        for k, text in enumerate(table.notes):
            yield f"{path}.notes[{k}]", text
        for c, column in enumerate(table.columns):
            yield f"{path}.columns[{c}].label", column.label
            if column.label_en:
                yield f"{path}.columns[{c}].label_en", column.label_en
            if column.unit:
                yield f"{path}.columns[{c}].unit", column.unit
        for r, label in enumerate(table.rows.labels()):
            if len(label) > MAX_CELL_UNITS // 2:
                yield f"{path}.rows[{r}].{table.columns[0].key}", label
    usage = dataset.key_figures.usage
    if usage is not None:
        for i, size in enumerate(usage.sizes):
            yield f"key_figures.usage.sizes[{i}].label", size.label


# The texts that are given, each with its field below ``path``.
def _present(path: str, texts: tuple[tuple[str, str | None], ...]) -> Iterator[tuple[str, str]]:
    for name, text in texts:
        if text:
            yield f"{path}.{name}", text


# Every whole number that names something (a question, an answer, a year), with its field.
def _numbers(dataset: Dataset) -> Iterator[tuple[str, int]]:
    yield "number", dataset.number
    for i, question in enumerate(dataset.questions):
        yield f"questions[{i}].number", question.number
    for i, answer in enumerate(dataset.answers):
        for number in answer.numbers:
            yield f"answers[{i}].number", number
    for i, figure in enumerate(dataset.figures):
        yield f"figures[{i}].answer", figure.answer
    key = dataset.key_figures
    for name, stated in (("enterprises", key.enterprises), ("usage", key.usage)):
        if stated is not None:
            yield f"key_figures.{name}.answer", stated.answer
            yield f"key_figures.{name}.year", stated.year


# Every date of the dataset, with its field.
def _dates(dataset: Dataset) -> Iterator[tuple[str, dt.date]]:
    yield "date", dataset.date
    usage = dataset.key_figures.usage
    if usage is not None and usage.new_maximum is not None:
        yield "key_figures.usage.new_maximum.since", usage.new_maximum.since


# The largest value a column may hold (and its sum): exact in Excel to its last decimal.
def _ceiling(decimals: int) -> Decimal:
    return Decimal(10) ** max(EXCEL_DIGITS - decimals, 1)


# Values, sums and reported totals of a table beyond what Excel computes exactly; levels too deep.
def _table_numbers(table: Table, file: str, path: str) -> list[Problem]:
    out: list[Problem] = []
    for r, level in enumerate(table.rows.levels()):
        if level > MAX_LEVEL:
            out.append(
                Problem(
                    file,
                    f"level {level} is deeper than {MAX_LEVEL}, the deepest a detail row may be",
                    f"{path}.rows[{r}].level",
                )
            )
            break
    hierarchy = table.has_hierarchy
    for j, column in enumerate(table.columns[1:]):
        ceiling = _ceiling(column.decimals)
        reason = (
            f"Excel computes with {EXCEL_DIGITS} significant digits, so a column with "
            f"{column.decimals} decimals stays below {_short(int(ceiling))}"
        )
        signed = column.type not in (ColumnType.COUNT, ColumnType.AMOUNT)
        if signed or hierarchy:  # else every value is at most the sum, checked below
            for r, value in enumerate(table.rows.column(j)):
                if isinstance(value, Decimal) and abs(value) >= ceiling:
                    out.append(
                        Problem(
                            file,
                            f"{_short(value)} is too large: {reason}",
                            f"{path}.rows[{r}].{column.key}",
                        )
                    )
                    break
        computed = table.computed_total(j)
        if computed is not None and abs(computed) >= ceiling:
            out.append(
                Problem(
                    file,
                    f"the rows add up to {_short(computed)}, too large: {reason}",
                    f"{path}.rows",
                )
            )
        reported = table.reported_total[j] if table.reported_total is not None else None
        if isinstance(reported, Decimal) and abs(reported) >= ceiling:
            out.append(
                Problem(
                    file,
                    f"{_short(reported)} is too large: {reason}",
                    f"{path}.total.values.{column.key}"
                    if path.endswith(".table")  # format 2
                    else f"{path}.total.{column.key}",
                    table.total_line,
                )
            )
    return out


# Key figures beyond what Excel computes exactly.
def _key_figure_numbers(dataset: Dataset, file: str) -> list[Problem]:
    out: list[Problem] = []
    figures = dataset.key_figures
    values: list[tuple[str, Decimal | int, int]] = []
    if figures.enterprises is not None:
        values.append(("key_figures.enterprises.count", figures.enterprises.count, 0))
    if figures.usage is not None:
        for i, size in enumerate(figures.usage.sizes):
            path = f"key_figures.usage.sizes[{i}]"
            values.append((f"{path}.maximum", size.maximum, 2))
            values.append((f"{path}.average_granted", size.average_granted, 2))
            if size.stated_use_percent is not None:
                values.append((f"{path}.stated_use_percent", size.stated_use_percent, 4))
        if figures.usage.new_maximum is not None:
            values.append(
                ("key_figures.usage.new_maximum.amount", figures.usage.new_maximum.amount, 2)
            )
    for i, figure in enumerate(dataset.figures):
        values.append((f"figures[{i}].value", figure.value, published_places(figure.value)))
    for field, value, decimals in values:
        ceiling = _ceiling(decimals)
        if abs(Decimal(value)) >= ceiling:
            out.append(
                Problem(
                    file,
                    f"{_short(value)} is too large: Excel computes with {EXCEL_DIGITS} "
                    f"significant digits, so it stays below {_short(int(ceiling))}",
                    field,
                )
            )
    return out
