"""Every example dataset's workbook: what it shows follows what its figures mean.

On each example (data/examples): no percentage is summed, periods stay in their order and are
never ranked, a total row stands only where the source publishes one or a measure adds up, the
charts are the ones the analysis plans, in its order, and LibreOffice and Gnumeric recalculate
every formula to its cached value.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kmo_export.analysis import ChartKind, analyse
from kmo_export.loader import read_dataset
from kmo_export.model import DimensionKind

from .conftest import ROOT, needs_gnumeric, needs_libreoffice, soffice_convert, ssconvert_recalc
from .workbook_readback import (
    build_xlsx,
    close,
    formula_text,
    open_both,
    same_as_recalculated,
    zip_names,
    zip_text,
)

EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("examples")
    return {
        p.stem: build_xlsx(p, out, allow_inconsistent="inconsistent" in p.stem) for p in EXAMPLES
    }


def _load(path: Path):
    # The dataset as built (the inconsistent example is built with --allow-inconsistent).
    return read_dataset(path)


def _table_sheets(path: Path, xlsx: Path):
    # (table, its worksheet) in order: the table sheets follow the cover.
    dataset = _load(path)
    formulas, values = open_both(xlsx)
    tables = [t for _, t in dataset.tables]
    names = formulas.sheetnames[1 : 1 + len(tables)]
    return dataset, [(t, formulas[n], values[n]) for t, n in zip(tables, names, strict=True)]


def _header_row(ws, table) -> int:
    label = table.label_column.label
    return next(c.row for c in ws["A"] if c.value == label and c.row > 2)


# The sheet column (1-based) of each measure: its header is its label, with its group where the
# label repeats across groups; a measure's recomputed ratio and check may stand between them.
def _measure_columns(ws, h: int, table) -> list[int]:
    out, c = [], 1
    for column in table.value_columns:
        names = {
            column.label,
            f"{column.label} ({column.group})",
            f"{column.label} – {column.group}",
        }
        c += 1
        while ws.cell(h, c).value not in names:
            c += 1
            assert c < 200, (ws.title, column.label)
        out.append(c)
    return out


def test_there_are_examples():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_percentage_is_ever_summed(built, path):
    _, sheets = _table_sheets(path, built[path.stem])
    for table, ws, _ in sheets:
        h = _header_row(ws, table)
        at = _measure_columns(ws, h, table)
        percent = [
            ws.cell(h, at[j]).column_letter
            for j, c in enumerate(table.value_columns)
            if c.is_percent
        ]
        for row in ws.iter_rows():
            for cell in row:
                text = formula_text(cell.value) or ""
                for letter in percent:
                    assert not re.search(rf"(SUM|SUBTOTAL|SUMIF)\([^)]*\${letter}\$", text), (
                        ws.title,
                        cell.coordinate,
                        text,
                    )
                    assert not re.search(rf"SUM\(\${letter}\$\d+:{letter}\d+\)", text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_rows_in_source_order_and_periods_never_ranked(built, path):
    _, sheets = _table_sheets(path, built[path.stem])
    formulas, _ = open_both(built[path.stem])
    data = formulas["Grafiekgegevens"] if "Grafiekgegevens" in formulas.sheetnames else None
    for table, ws, _ in sheets:
        h = _header_row(ws, table)
        labels = [ws.cell(h + 1 + i, 1).value for i in range(len(table.rows))]
        assert labels == [r.label for r in table.rows]
        if table.kind is DimensionKind.CATEGORY:
            continue
        texts = [formula_text(c.value) or "" for row in ws.iter_rows() for c in row]
        assert not any(re.search(r"RANK\(|COUNTIFS\(|LARGE\(", t) for t in texts), ws.title
        if data is not None:  # no top N of a period table
            refs = [formula_text(c.value) or "" for row in data.iter_rows() for c in row]
            assert not any(f"'{ws.title}'!" in r for r in refs), ws.title


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_total_row_only_where_published_or_adding_up(built, path):
    _, sheets = _table_sheets(path, built[path.stem])
    for table, ws, wv in sheets:
        published = table.reported_total is not None
        # a measure adds up to a total only where its rows hold every figure (format 2)
        adds_up = any(
            table.adds_up(c) and not _has_not_available(table, j)
            for j, c in enumerate(table.value_columns)
        )
        (excel_table,) = ws.tables.values()
        assert bool(excel_table.totalsRowCount) == (published or adds_up), ws.title
        if not (published or adds_up):
            continue
        total = _header_row(ws, table) + len(table.rows) + 1
        at = _measure_columns(ws, h := _header_row(ws, table), table)
        assert total == h + len(table.rows) + 1
        # the label says where the total comes from, as the brief does
        if not published:
            label = "Som van de rijen"
        elif table.total_label:
            label = table.total_label
        else:
            label = "Totaal (uit de tekst)" if table.total_sentence else "Totaal"
        assert ws.cell(total, 1).value == label, ws.title
        for j, column in enumerate(table.value_columns):
            cell, value = ws.cell(total, at[j]), wv.cell(total, at[j]).value
            reported = table.reported_total[j] if published else None
            if table.adds_up(column) and not _has_not_available(table, j):
                # an additive measure: the sum of the top-level rows, by formula
                expected = sum(
                    (v for v in table.top_rows.column(j) if isinstance(v, Decimal)), Decimal(0)
                )
                assert formula_text(cell.value), (ws.title, cell.coordinate)
                assert close(value, expected, cent=True), (ws.title, cell.coordinate)
            elif column.ratio or column.share_of:
                assert value is None or formula_text(cell.value), (ws.title, cell.coordinate)
            elif isinstance(reported, Decimal):
                # shown as published (a percentage as a fraction), never a sum
                shown = reported / 100 if column.is_percent else reported
                assert formula_text(cell.value) is None and close(value, shown), cell.coordinate
            else:
                assert value is None, (ws.title, cell.coordinate, value)


# True where a top-level cell holds no number: not available, or (format 2) left blank.
def _has_not_available(table, j: int) -> bool:
    return any(not isinstance(v, Decimal) for v in table.top_rows.column(j))


# What each planned chart looks like in its chart part.
def _kind(xml: str) -> ChartKind:
    bar_dir = re.findall(r'<c:barDir val="(\w+)"', xml)
    if bar_dir == ["bar"]:
        return ChartKind.BARS
    if bar_dir and "<c:lineChart>" in xml and "Cumulatief aandeel" in xml:
        return ChartKind.PARETO
    if bar_dir:
        series = len(re.findall(r"<c:ser>", xml.split("<c:lineChart>")[0]))
        return ChartKind.GROUPS if series > 1 and "per groep" in xml else ChartKind.COLUMNS
    return ChartKind.LINE


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_charts_follow_the_plan(built, path):
    dataset = _load(path)
    analysis = analyse(dataset)
    planned = []
    for _, table in dataset.tables:
        ta = analysis.table(table)
        for plan in ta.charts(15):
            if plan.top is not None and len(plan.top.rows) < 2:
                continue
            if plan.top is None and len(table.top_rows) < 2:
                continue
            if plan.kind is ChartKind.PARETO and ta.sums[plan.measures[0]] is None:
                continue
            planned.append(plan.kind)
    xlsx = built[path.stem]
    names = sorted(
        (n for n in zip_names(xlsx) if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
        key=lambda n: int(re.findall(r"\d+", n)[0]),
    )
    drawn = [_kind(zip_text(xlsx, n)) for n in names]
    assert drawn == planned
    drawing = "".join(
        zip_text(xlsx, n) for n in zip_names(xlsx) if n.startswith("xl/drawings/drawing")
    )
    assert drawing.count('descr="') == len(planned)  # alt text on every chart


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_formula_caches_a_value(built, path):
    formulas, values = open_both(built[path.stem])
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if formula_text(cell.value):
                    cached = values[ws.title][cell.coordinate].value
                    assert cached is not None and not str(cached).startswith("#"), (
                        ws.title,
                        cell.coordinate,
                    )
                    checked += 1
    # Every table has a formula (a total, a share or a check); only a dataset without tables has none.
    assert checked or not list(_load(path).tables), "no formula to check"


@needs_libreoffice
def test_libreoffice_recalculates_every_example_to_the_cached_values(built, tmp_path):
    checked = sum(
        same_as_recalculated(x, soffice_convert(x, "xlsx", tmp_path / x.stem))
        for x in built.values()
    )
    assert checked > 500


@needs_gnumeric
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # Gnumeric's output
def test_gnumeric_recalculates_every_example_to_the_cached_values(built, tmp_path):
    checked = sum(
        same_as_recalculated(x, ssconvert_recalc(x, tmp_path / x.stem)) for x in built.values()
    )
    assert checked > 500


def test_stated_figures_with_their_checks_on_the_key_figures_sheet(built):
    formulas, values = open_both(built["no-table-figures"])
    ws, wv = formulas["Kerncijfers"], values["Kerncijfers"]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    submitted = rows["Ingediende aanvragen (2023)"]
    # 40 + 160 + 1.051 = 1.251, not the 1.250 the sentence states
    assert ws.cell(submitted, 2).value == 1250
    assert ws.cell(submitted, 4).value == "VERSCHIL" and ws.cell(submitted, 5).value == 1251
    assert "1.250 aanvragen ingediend" in ws.cell(submitted, 3).value
    share = rows["Goedkeuringspercentage (2024)"]
    assert ws.cell(share, 2).value == pytest.approx(0.831)  # 83,1 % as a fraction
    assert ws.cell(share, 2).number_format == "0.0%"
    assert ws.cell(share, 4).value == "OK"
    assert close(wv.cell(share, 5).value, Decimal(1097) / 1320)
