"""The brief and the workbook say the same thing, on the bundled dataset and every example.

Both outputs are built with the library and read back (python-docx, openpyxl with the cached
values XlsxWriter writes). Every number in the brief's tables, key message and charts must be a
figure of the workbook after rounding for display; and on each dataset the brief keeps the
meaning of its figures: no percentage added up, periods in their order and never ranked, a total
only where the source publishes one or the measure adds up, no key-message sum of a measure
that does not add up. The expected values are computed here from the dataset, not taken from
the analysis.
"""

from __future__ import annotations

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from kmo_export.brief import load_template, render_docx
from kmo_export.loader import read_dataset
from kmo_export.model import CheckKind, ColumnType, Dataset, DimensionKind, Report, Table
from kmo_export.workbook import render_xlsx

from .conftest import BUNDLED, ROOT

EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))
DATASETS = [BUNDLED, *EXAMPLES]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NBSP = "\u00a0"
#: A number as the Dutch brief writes it: 1.234.567,89 (a leading '<' marks a threshold).
NUMBER = re.compile(r"(?<![\d.,])(<\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?(?![\d])")
#: Dates in a sentence ("1 januari 2020"): the workbook keeps them as dates.
DATE = re.compile(r"\b\d{1,2} [a-zé]+ \d{4}\b")
SCALES = [Decimal(1), Decimal(100), *(Decimal(10) ** k for k in (-9, -6, -3, 3, 6, 9))]


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def numbers(text: str) -> list[tuple[Decimal, int]]:
    """The numbers in a Dutch text with their decimals shown (thresholds left out)."""
    out = []
    for m in NUMBER.finditer(text.replace(NBSP, " ")):
        if m.group(1):
            continue
        whole, fraction = m.group(2).replace(".", ""), (m.group(3) or "")[1:]
        out.append((Decimal(f"{whole}.{fraction}" if fraction else whole), len(fraction)))
    return out


class Workbook:
    """Every figure of a workbook: numeric cells (cached values) and numbers in its texts."""

    def __init__(self, path: Path) -> None:
        self.values: set[Decimal] = set()
        book = openpyxl.load_workbook(path, data_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, bool) or value is None:
                        continue
                    if isinstance(value, (int, float)):
                        self.values.add(Decimal(repr(value)))
                    elif isinstance(value, str):
                        for n, _ in numbers(value):
                            self.values.add(n)
                        for token in re.findall(r"\d+(?:\.\d+)?", value):
                            self.values.add(Decimal(token))
        self._rounded: dict[int, set[Decimal]] = {}

    def has(self, value: Decimal, places: int) -> bool:
        """True when some figure, at some power-of-ten scale (or x100: a fraction shown as a
        percentage), rounds to ``value`` at ``places`` decimals."""
        if places not in self._rounded:
            rounded = set()
            for v in self.values:
                for scale in SCALES:
                    try:
                        rounded.add(q(v * scale, places))
                    except InvalidOperation:
                        continue
            self._rounded[places] = rounded
        return value in self._rounded[places]


def adds_up(table: Table, index: int) -> bool:
    """Whether a measure adds up, from the dataset's own declarations (the format's rule)."""
    column = table.value_columns[index]
    if column.type is ColumnType.PERCENT or column.ratio or column.share_of:
        return False
    if column.additive is not None:
        return column.additive
    if table.kind is DimensionKind.PERIOD:
        return False
    return column.type in (ColumnType.COUNT, ColumnType.AMOUNT)


def row_sum(table: Table, index: int) -> Decimal:
    return sum(
        (
            r.values[index]
            for r in table.rows
            if not r.level and isinstance(r.values[index], Decimal)
        ),
        Decimal(0),
    )


@pytest.fixture(scope="module", params=DATASETS, ids=lambda p: p.stem)
def built(request, tmp_path_factory):
    path: Path = request.param
    data = read_dataset(path)  # an inconsistent answer is built too (--allow-inconsistent)
    out = tmp_path_factory.mktemp(path.stem)
    report = Report(data, "nl", allow_inconsistent=True)
    xlsx, brief = out / f"{path.stem}.xlsx", out / f"{path.stem}.docx"
    render_xlsx(report, xlsx)
    render_docx(report, brief, load_template(None))
    return data, Workbook(xlsx), brief, docx.Document(str(brief))


def body_tables(document) -> list[tuple[str, list[list[str]], list[str] | None]]:
    """Each table of the brief: its caption, its body rows and its total row (if set apart)."""
    out = []
    for table in document.tables:
        tbl = table._tbl
        caption = tbl.find(f"{{{W}}}tblPr/{{{W}}}tblCaption").get(f"{{{W}}}val")
        trs = tbl.findall(f"{{{W}}}tr")
        body, total = [], None
        for tr in trs:
            if tr.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None:
                continue
            cells = ["".join(tc.xpath(".//w:t/text()")) for tc in tr.findall(f"{{{W}}}tc")]
            if tr.xpath("./w:tc/w:tcPr/w:tcBorders/w:top") or (
                tr.xpath(".//w:b") and tr is trs[-1]
            ):
                total = cells
            else:
                body.append(cells)
        out.append((caption, body, total))
    return out


def dataset_table(data: Dataset, caption: str) -> Table | None:
    """The dataset table a brief table shows (its caption names it)."""
    for _, table in data.tables:
        if table.caption and table.caption in caption:
            return table
    tables = [t for _, t in data.tables]
    return tables[0] if len(tables) == 1 and not caption.startswith("Tabel 1. Benutting") else None


def key_message(data: Dataset, document) -> list[str]:
    """The generated bullets (a stated figure's own sentence, quoted as such, left out)."""
    stated = {f.sentence for f in data.figures if f.sentence}
    found = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    return [b for b in found if b not in stated]


def without_labels(data: Dataset, text: str) -> str:
    """A sentence without the dataset's own labels and dates (years, "2025 (31/10)", names)."""
    labels = {label for _, t in data.tables for label in t.rows.labels()}
    labels |= {c.label for _, t in data.tables for c in t.columns}
    labels |= {t.number for _, t in data.tables if t.number}
    labels |= {t.total_label for _, t in data.tables if t.total_label}
    labels |= {f.period for f in data.figures if f.period}
    for label in sorted(labels, key=len, reverse=True):
        text = re.sub(rf"(?<![\w.,]){re.escape(label)}(?![\w])", " ", text)
    return DATE.sub(" ", text)


def test_every_number_of_the_brief_is_a_figure_of_the_workbook(built):
    data, workbook, _, document = built
    counts = {len(t.rows) for _, t in data.tables} | {len(t.top_rows) for _, t in data.tables}
    # What a stated figure's check adds up (the key message names a contradicted one).
    stated = {f.id: f.value for f in data.figures}
    checked = {
        sum((stated[p] for p in f.check.figures if p in stated), Decimal(0))
        for f in data.figures
        if f.check is not None and f.check.kind is CheckKind.SUM
    }
    missing = []
    for caption, body, total in body_tables(document):
        for cells in [*body, *([total] if total else [])]:
            for text in cells[1:]:
                for value, places in numbers(text):
                    if not workbook.has(value, places):
                        missing.append((caption, text))
    for bullet in key_message(data, document):
        for value, places in numbers(without_labels(data, bullet)):
            if workbook.has(value, places) or value in checked:
                continue
            if not (places == 0 and value in counts):
                missing.append(("key message", bullet, value))
    assert not missing


def test_every_chart_value_is_a_figure_of_the_workbook(built):
    _, workbook, path, _ = built
    package = zipfile.ZipFile(path)
    names = [n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
    missing = []
    for name in names:
        chart = etree.fromstring(package.read(name))
        for val in chart.iter(f"{{{C}}}val"):
            for pt in val.iter(f"{{{C}}}pt"):
                value = Decimal(pt.find(f"{{{C}}}v").text)
                if not workbook.has(q(value, 6), 6):
                    missing.append((name, value))
    assert not missing


def test_no_percentage_is_added_up(built):
    data, _, _, document = built
    for caption, _, total in body_tables(document):
        table = dataset_table(data, caption)
        if table is None or total is None:
            continue
        for i, column in enumerate(table.value_columns):
            if column.type is not ColumnType.PERCENT:
                continue
            published = table.reported_total[i] if table.reported_total else None
            position = 1 + i
            if position >= len(total) or not total[position]:
                continue
            shown = numbers(total[position])[0][0]
            summed = row_sum(table, i)
            if summed != (published if isinstance(published, Decimal) else None):
                assert shown != q(summed, numbers(total[position])[0][1]) or shown == 100, (
                    caption,
                    column.label,
                )


def test_periods_keep_their_order_and_are_never_ranked(built):
    data, _, path, document = built
    periods = [t for _, t in data.tables if t.kind is not DimensionKind.CATEGORY]
    tables = body_tables(document)
    for table in periods:
        labels = list(table.rows.labels())
        shown = [b for c, b, _ in tables if dataset_table(data, c) is table]
        assert shown, f"{table.id} is not in the brief"
        for body in shown:
            assert [r[0] for r in body] == labels
        heads = [" ".join(c.text for c in t.rows[0].cells) for t in document.tables]
        assert not [h for h in heads if "Rang" in h]
    package = zipfile.ZipFile(path)
    charted = {table.id: 0 for table in periods}
    for name in (n for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)):
        chart = etree.fromstring(package.read(name))
        cat = chart.find(f".//{{{C}}}cat")
        found = [pt.find(f"{{{C}}}v").text for pt in cat.iter(f"{{{C}}}pt")]
        for table in periods:
            labels = list(table.rows.labels())
            if set(found) == set(labels):
                assert found == labels, name
                charted[table.id] += 1
    # Every period table is charted (a chart that matched no table would check nothing).
    assert all(charted.values()), charted


def test_a_total_only_where_published_or_additive(built):
    data, _, _, document = built
    for caption, _, total in body_tables(document):
        table = dataset_table(data, caption)
        if table is None or total is None:
            continue
        published = table.reported_total is not None
        assert published or any(adds_up(table, i) for i in range(len(table.value_columns)))
        for i, column in enumerate(table.value_columns):
            text = total[1 + i] if 1 + i < len(total) else ""
            if not text or published or adds_up(table, i):
                continue
            assert column.ratio or column.share_of, (caption, column.label, text)


def test_the_key_message_states_no_sum_of_what_does_not_add_up(built):
    data, _, _, document = built
    forbidden: set[Decimal] = set()
    allowed: set[Decimal] = set()
    for _, table in data.tables:
        for i, column in enumerate(table.value_columns):
            summed = row_sum(table, i)
            reported = table.reported_total[i] if table.reported_total else None
            if isinstance(reported, Decimal):
                allowed.add(reported)
            if adds_up(table, i):
                allowed.add(summed)
            elif column.type is not ColumnType.PERCENT and summed:
                forbidden.add(summed)
    forbidden -= allowed
    for bullet in key_message(data, document):
        if not bullet.startswith("Samen"):
            continue
        for value, _ in numbers(without_labels(data, bullet)):
            assert value not in forbidden, bullet
