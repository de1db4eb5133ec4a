"""The workbook follows what each figure means: tables of the shapes real answers have.

Every expected figure is computed here from the table's own numbers (not by the analysis),
and compared with what openpyxl reads back; LibreOffice (and Gnumeric where installed)
recalculate every formula to its cached value; a figure edited in a table re-ranks the top N.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kmo_export.model import Report
from kmo_export.workbook import render_xlsx

from . import workbook_shapes as shapes
from .conftest import (
    needs_gnumeric,
    needs_libreoffice,
    ooxml_problems,
    soffice_convert,
    ssconvert_recalc,
)
from .workbook_readback import (
    close,
    formula_text,
    header_row,
    headers,
    open_both,
    same_as_recalculated,
    zip_names,
    zip_text,
)

SHAPES = {
    "year": shapes.year_series,
    "groups": shapes.two_level,
    "provinces": shapes.provinces_million,
    "pivot": shapes.pivot,
    "na": shapes.not_available,
}


def _build(folder: Path, name: str, language: str = "nl", top_n: int = 3) -> Path:
    path = folder / f"{name}-{language}.xlsx"
    dataset = shapes.dataset(SHAPES[name](), path=Path(f"{name}.yaml"))
    render_xlsx(Report(dataset, language=language, top_n=top_n), path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("shapes")
    return {name: _build(folder, name) for name in SHAPES}


def _charts(path: Path) -> list[str]:
    names = sorted(
        (n for n in zip_names(path) if re.match(r"xl/charts/chart\d+\.xml$", n)),
        key=lambda n: int(re.findall(r"\d+", n)[0]),
    )
    return [zip_text(path, n) for n in names]


@pytest.mark.parametrize("name", SHAPES)
def test_valid_and_every_formula_cached(built, name):
    assert ooxml_problems(built[name]) == ""
    formulas, values = open_both(built[name])
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if formula_text(cell.value):
                    cached = values[ws.title][cell.coordinate].value
                    assert cached is not None and not str(cached).startswith("#"), cell


@pytest.mark.parametrize("name", SHAPES)
def test_no_percentage_is_summed(built, name):
    table = SHAPES[name]()
    formulas, _ = open_both(built[name])
    ws = formulas[formulas.sheetnames[1]]
    h = header_row(ws, table.label_column.label)
    cols = headers(ws, h)
    percent_letters = {
        ws.cell(h, cols[text]).column_letter
        for text in cols
        for c in table.value_columns
        if c.is_percent and text.startswith(c.label)
    }
    assert percent_letters or not any(c.is_percent for c in table.value_columns)
    for row in ws.iter_rows():
        for cell in row:
            text = formula_text(cell.value) or ""
            for letter in percent_letters:
                assert not re.search(rf"(SUM|SUBTOTAL|SUMIF)\([^)]*\${letter}\$", text), text


def test_year_series_ratios_changes_and_totals(built):
    table = shapes.year_series()
    formulas, values = open_both(built["year"])
    ws, wv = formulas["Per jaar"], values["Per jaar"]
    h = header_row(ws, "Jaar")
    cols = headers(ws, h)
    assert [ws.cell(h + 1 + i, 1).value for i in range(6)] == [r.label for r in table.rows]
    # Periods are never ranked, shared out or accumulated.
    assert not any(re.match(r"(Rang|Aandeel|Cumulatief)", t) for t in cols)
    pct, recomputed = cols["% Limburg"], cols["% Limburg herberekend: # Limburg / # Vlaanderen"]
    check = cols["Controle % Limburg"]
    change = cols["Verschil # Limburg t.o.v. vorige periode"]
    change_pct = cols["Verschil # Limburg t.o.v. vorige periode (%)"]
    data = [
        (41, 432, "9.5"),
        (38, 401, "9.5"),
        (44, 398, "11.1"),
        (0, 0, None),
        (52, 410, "12.7"),
        (20, "n.v.t.", "n.v.t."),
    ]
    previous = None
    for i, (lim, fla, published) in enumerate(data):
        r = h + 1 + i
        if published is None:
            assert ws.cell(r, pct).value is None  # blank stays blank
        elif published == "n.v.t.":
            assert ws.cell(r, pct).value == "n.v.t."  # as the source writes it
        else:
            assert ws.cell(r, pct).value == pytest.approx(float(Decimal(published) / 100))
            assert ws.cell(r, pct).number_format == "0.0%"
        if isinstance(fla, int) and fla:
            ratio = Decimal(lim) / Decimal(fla)
            assert close(wv.cell(r, recomputed).value, ratio)
            expected = (
                "OK" if abs(Decimal(published) - ratio * 100) <= Decimal("0.05") else "VERSCHIL"
            )
            assert wv.cell(r, check).value == expected
        else:
            assert wv.cell(r, recomputed).value == "–"
            assert wv.cell(r, check).value == "–"
        if previous is None or i == 5:  # the first year; a partial period is not compared
            assert wv.cell(r, change).value == "–"
        else:
            assert wv.cell(r, change).value == lim - previous
            if previous:
                assert close(wv.cell(r, change_pct).value, Decimal(lim - previous) / previous)
            else:
                assert wv.cell(r, change_pct).value == "–"
        assert formula_text(ws.cell(r, check).value)
        previous = lim
    # The change has one pattern on every row (the row above), the first row included.
    assert ws.cell(h + 1, change).value.replace(str(h + 1), "R").replace(str(h), "P") == (
        ws.cell(h + 2, change).value.replace(str(h + 2), "R").replace(str(h + 1), "P")
    )
    total = h + 7
    assert ws.cell(total, 1).value == "Totaal"
    # The counts do not add up over years: the published total, as published; the percentage
    # as the ratio of the totals (a formula), never a sum.
    assert ws.cell(total, cols["# Limburg"]).value == 195
    assert ws.cell(total, cols["# Vlaanderen"]).value == 1641
    assert ws.cell(total, pct).value.startswith("=")
    assert close(wv.cell(total, pct).value, Decimal(195) / 1641)
    assert wv.cell(total, check).value == "OK"  # 11,9 % published, 11,88 % computed
    assert wv["B3"].value == "OK"


def test_two_level_header_is_merged_over_each_group(built):
    formulas, values = open_both(built["groups"])
    ws, wv = formulas["Per jaar"], values["Per jaar"]
    merged = sorted(str(m) for m in ws.merged_cells.ranges)
    # each band over its measures and the recomputed ratio and check beside its percentage
    assert merged == ["B4:F4", "G4:K4", "L4:P4"]
    assert [ws["B4"].value, ws["G4"].value, ws["L4"].value] == ["OND", "ONTW", "ICON"]
    assert ws.print_title_rows == "$4:$5"  # both header rows on every printed page
    cols = headers(ws, 5)
    assert "# Limburg (OND)" in cols and "# Limburg (ICON)" in cols
    total = 10
    assert ws.cell(total, cols["# Limburg (OND)"]).value.startswith("=SUBTOTAL(9,")
    assert wv.cell(total, cols["# Limburg (OND)"]).value == 62
    assert close(wv.cell(total, cols["% Limburg (OND)"]).value, Decimal(62) / 675)
    assert wv["B3"].value == "OK"
    charts = _charts(built["groups"])
    clustered = [
        x for x in charts if '<c:grouping val="clustered"/>' in x and '<c:barDir val="col"/>' in x
    ]
    assert clustered  # one series per group
    assert "'Per jaar'!$B$4" in clustered[0] and "'Per jaar'!$G$4" in clustered[0]


def test_provinces_prose_total_shares_and_average(built):
    formulas, values = open_both(built["provinces"])
    ws, wv = formulas["Per provincie"], values["Per provincie"]
    h = header_row(ws, "Provincie")
    cols = headers(ws, h)
    amounts = [Decimal(v) for v in ("35.2", "14.8", "27.0", "21.4", "21.7")]
    projects = [120, 64, 101, 88, 95]
    published = [Decimal(v) for v in ("29.3", "12.3", "22.5", "17.8", "18.1")]
    assert ws.cell(h + 1, cols["Steun"]).number_format == '#,##0.0 "mln" [$€-813]'
    # The published share recomputed is the share of the amount: no second column says it again.
    assert "Aandeel steun (berekend)" not in cols and "Aandeel projecten (berekend)" in cols
    recomputed = cols["Aandeel herberekend: steun / totaal"]
    average = cols["Steun per project (steun / projecten)"]
    rank = cols["Rang (steun)"]  # the measure the answer publishes shares of
    for i in range(5):
        r = h + 1 + i
        assert close(wv.cell(r, cols["Aandeel projecten (berekend)"]).value, projects[i] / 468)
        # The prose total (120,1) is the base of the published shares.
        assert close(wv.cell(r, recomputed).value, amounts[i] / Decimal("120.1"))
        assert wv.cell(r, cols["Controle aandeel"]).value == (
            "OK"
            if abs(published[i] - amounts[i] * 100 / Decimal("120.1")) <= Decimal("0.05")
            else "VERSCHIL"
        )
        assert close(wv.cell(r, average).value, amounts[i] / projects[i])
        assert wv.cell(r, rank).value == 1 + sum(1 for a in amounts if a > amounts[i])
    notes = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "In totaal ging 120,1 miljoen euro" in notes


def test_pivot_top_n_skips_detail_rows(built):
    formulas, values = open_both(built["pivot"])
    data, dv = formulas["Grafiekgegevens"], values["Grafiekgegevens"]
    first = header_row(data, "Rijlabels") + 1
    # Level-0 rows only: Industrie 300, Bouw 239, then Diensten and Handel tie at 209.
    assert [dv.cell(first + k, 1).value for k in range(4)] == [
        "Industrie",
        "Bouw",
        "Diensten",
        "Overige (1 rij)",
    ]
    assert dv.cell(first + 3, 2).value == 209
    assert "=0" in data.cell(first, 2).value.text  # LARGE over the level-0 rows only


def test_not_available_blank_and_zero_are_three_things(built):
    formulas, values = open_both(built["na"])
    ws, wv = formulas["Per regio"], values["Per regio"]
    h = header_row(ws, "Regio")
    cols = headers(ws, h)
    files = cols["Dossiers"]
    assert ws.cell(h + 2, files).value == 0
    assert ws.cell(h + 3, files).value is None and wv.cell(h + 3, files).value is None
    assert ws.cell(h + 4, files).value == "x"
    assert ws.cell(h + 2, cols["Doorlooptijd"]).value == "n.v.t."
    assert ws.cell(h + 1, cols["Doorlooptijd"]).number_format == '#,##0 "dagen"'
    # A column with a cell 'not available' or blank has no sum of its rows, so no share of it
    # either, no rank and no total row (no measure here holds every figure).
    assert not any(t.startswith(("Aandeel", "Rang")) for t in cols)
    assert ws.cell(h + 6, 1).value != "Totaal"
    notes = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "'n.v.t.', 'x', '–'" in notes


def test_english_labels_where_the_dataset_gives_them(tmp_path):
    formulas, _ = open_both(_build(tmp_path, "year", "en"))
    ws = formulas[formulas.sheetnames[1]]
    assert ws["A1"].value == "Table 2a. Support to Limburg firms per year"
    cols = headers(ws, header_row(ws, "Year"))
    assert "# Flanders" in cols and "Check of ‘% Limburg’" in cols


def test_periods_chart_in_order_with_percent_on_second_axis(built):
    charts = _charts(built["year"])
    assert len(charts) == 1
    xml = charts[0]
    assert '<c:barDir val="col"/>' in xml and "<c:lineChart>" in xml
    assert xml.count("<c:valAx>") == 2  # the percentage on its own axis
    assert "'Per jaar'!$A$5:$A$10" in xml  # the table's order
    assert 'formatCode="0%"' in xml


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SHAPES)
def test_libreoffice_recalculates_to_the_cached_values(built, name, tmp_path):
    assert same_as_recalculated(built[name], soffice_convert(built[name], "xlsx", tmp_path)) > 10


@needs_gnumeric
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")  # Gnumeric's output
@pytest.mark.parametrize("name", SHAPES)
def test_gnumeric_recalculates_to_the_cached_values(built, name, tmp_path):
    assert same_as_recalculated(built[name], ssconvert_recalc(built[name], tmp_path)) > 10


@needs_libreoffice
@pytest.mark.libreoffice
def test_an_edited_figure_re_ranks_the_top_n(built, tmp_path):
    import openpyxl

    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(built["pivot"])
    ws = wb["Per rijlabels"]
    h = header_row(ws, "Rijlabels")
    handel = next(r for r in range(h + 1, h + 10) if ws.cell(r, 1).value == "Handel")
    ws.cell(handel, 3).value = 400  # Handel: 209 -> 400 dossiers, now the largest
    wb.save(edited)
    _, values = open_both(soffice_convert(edited, "xlsx", tmp_path / "lo"))
    data = values["Grafiekgegevens"]
    first = next(r for r in range(1, 20) if data.cell(r, 1).value == "Rijlabels") + 1
    assert [data.cell(first + k, 1).value for k in range(4)] == [
        "Handel",
        "Industrie",
        "Bouw",
        "Overige (1 rij)",
    ]
    assert data.cell(first + 3, 2).value == 209  # Diensten is the other bar now


@pytest.fixture
def streamed(monkeypatch):
    # Stream every table of more than 2 rows, as a table of a million rows would be.
    import copy

    from kmo_export import theme

    lowered = copy.deepcopy(theme.load_theme())
    lowered["layout"]["big_table_rows"] = 2
    monkeypatch.setattr(theme, "load_theme", lambda path=None: lowered)


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SHAPES)
def test_streamed_sheets_recalculate_to_the_cached_values(streamed, name, tmp_path):
    xlsx = _build(tmp_path, name)
    assert ooxml_problems(xlsx) == ""
    formulas, _ = open_both(xlsx)
    assert not formulas[formulas.sheetnames[1]].tables  # written as a plain range
    assert same_as_recalculated(xlsx, soffice_convert(xlsx, "xlsx", tmp_path / "lo")) > 15


@needs_libreoffice
@pytest.mark.libreoffice
def test_equal_values_in_the_top_n_keep_the_table_order(tmp_path):
    # Diensten and Handel both hold 209 dossiers: both shown, in the table's order.
    xlsx = _build(tmp_path, "pivot", top_n=4)
    formulas, values = open_both(xlsx)
    data = values["Grafiekgegevens"]
    first = header_row(formulas["Grafiekgegevens"], "Rijlabels") + 1
    assert [data.cell(first + k, 1).value for k in range(4)] == [
        "Industrie",
        "Bouw",
        "Diensten",
        "Handel",
    ]
    assert [data.cell(first + k, 3).value for k in range(4)] == [1, 4, 6, 7]  # rows in the table
    assert same_as_recalculated(xlsx, soffice_convert(xlsx, "xlsx", tmp_path / "lo")) > 20


def test_english_names_inside_a_header_or_title_are_lower_case(tmp_path):
    path = _build(tmp_path, "provinces", "en")
    formulas, _ = open_both(path)
    ws = formulas[formulas.sheetnames[1]]
    cols = headers(ws, header_row(ws, "Province"))
    assert "Share of projects (computed)" in cols and "Rank by support" in cols, cols
    titles = " ".join(_charts(path))
    assert "by province" in titles and "by Province" not in titles, titles


def test_a_long_word_in_a_header_is_never_broken(tmp_path):
    import openpyxl

    from kmo_export.model import Column, ColumnType, Row, Table

    word = "Begrotingsaanpassing"
    table = Table(
        "budget",
        (
            Column("item", "Programma", ColumnType.LABEL),
            Column("adjusted", f"{word} 2024", ColumnType.AMOUNT, "EUR", multiplier=3),
        ),
        [Row("A", (Decimal(1000),)), Row("B", (Decimal(500),))],
    )
    dataset = shapes.dataset(table, path=Path("budget.yaml"))
    path = tmp_path / "budget.xlsx"
    render_xlsx(Report(dataset, "nl"), path)
    ws = openpyxl.load_workbook(path).worksheets[1]
    assert ws.column_dimensions["B"].width >= len(word) * 1.1 + 2  # bold, on one line


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Toegekende subsidie (€)", "Toegekende subsidie"),
        ("Steun (miljoen EUR)", "Steun"),
        ("Aandeel (%)", "Aandeel"),
        ("Aantal (2023)", "Aantal (2023)"),  # a bracket that is no unit stays
        ("(€)", "(€)"),  # nothing left: as it was
    ],
)
def test_a_measure_is_named_without_its_unit_inside_another_header(header, name):
    from kmo_export.workbook.names import measure_name

    assert measure_name(header) == name


def test_a_long_published_total_label_fits_its_column(tmp_path):
    import openpyxl

    from kmo_export.model import Column, ColumnType, Row, Table

    label = "Totaal 2020-2025 (unieke ondernemingen)"
    table = Table(
        "per_year",
        (Column("year", "Jaar", ColumnType.LABEL), Column("n", "# Limburg", ColumnType.COUNT)),
        [Row("2020", (Decimal(31),)), Row("2021", (Decimal(28),))],
        reported_total=(Decimal(50),),
        total_label=label,
    )
    path = tmp_path / "total.xlsx"
    render_xlsx(Report(shapes.dataset(table, path=Path("total.yaml")), "nl"), path)
    ws = openpyxl.load_workbook(path).worksheets[1]
    assert label in [c.value for row in ws.iter_rows() for c in row]
    assert ws.column_dimensions["A"].width >= len(label)
