"""LibreOffice and Gnumeric reopen the workbook with recalculation forced: every formula gives
its cached value in both engines.

Also the streamed path (big tables, XlsxWriter constant_memory), checked on a small table by
lowering the style's threshold.
"""

from __future__ import annotations

import copy
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl.worksheet.formula import ArrayFormula

from .builders import table, write_tables
from .conftest import (
    BUNDLED,
    needs_gnumeric,
    needs_libreoffice,
    ooxml_problems,
    soffice_convert,
    ssconvert_recalc,
)
from .workbook_readback import (
    build_xlsx,
    close,
    header_row,
    headers,
    open_both,
)


def _multi_table(folder: Path) -> Path:
    pivot = table(
        "pivot",
        [
            ("Antwerpen", 10, "100.00", 0),
            ("Mechelen", 4, "40.00", 1),
            ("Turnhout", 6, "60.00", 1),
            ("Gent", 5, None, 0),
            ("Brugge", None, "25.50", 0),
            ('=HYPERLINK("http://x","y")', 2, "1.25", 0),
        ],
        total={"label": "Eindtotaal", "projects": 17, "subsidy": "126.75"},
    )
    return write_tables(folder, [pivot], name="multi")


def _is_formula(value: object) -> bool:
    # A formula cell: text starting with "=", or an array formula (the top-N positions).
    return isinstance(value, ArrayFormula) or (isinstance(value, str) and value.startswith("="))


# The workbook recalculated by each engine (LibreOffice needs OOXMLRecalcMode 0 in its profile).
ENGINES = [
    pytest.param(
        lambda xlsx, folder: soffice_convert(xlsx, "xlsx", folder / "lo"),
        id="libreoffice",
        marks=needs_libreoffice,
    ),
    pytest.param(
        lambda xlsx, folder: ssconvert_recalc(xlsx, folder / "gnumeric"),
        id="gnumeric",
        marks=needs_gnumeric,
    ),
]


# Every formula cell's cached value equals the engine's recalculated one; returns how many.
def _recalculated_matches_cached(xlsx: Path, folder: Path, engine) -> int:
    formulas, cached = open_both(xlsx)
    with warnings.catch_warnings():
        # Gnumeric writes no cell style named Normal; openpyxl says so, and that is all.
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        _, recalculated = open_both(engine(xlsx, folder))
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not _is_formula(cell.value):
                    continue
                mine = cached[ws.title][cell.coordinate].value
                theirs = recalculated[ws.title][cell.coordinate].value
                where = f"{ws.title}!{cell.coordinate} {cell.value}"
                assert mine is not None, f"{where}: no cached value"
                assert not (isinstance(theirs, str) and theirs.startswith("#")), (where, theirs)
                if isinstance(mine, str):
                    assert theirs == mine, where
                else:
                    assert close(theirs, Decimal(repr(mine))), (where, mine, theirs)
                checked += 1
    return checked


@pytest.mark.parametrize("engine", ENGINES)
def test_the_bundled_workbook_recalculates_to_the_cached_values(tmp_path, engine):
    xlsx = build_xlsx(BUNDLED, tmp_path / "out")
    assert _recalculated_matches_cached(xlsx, tmp_path, engine) > 300


@pytest.mark.parametrize("engine", ENGINES)
def test_the_english_workbook_recalculates_to_the_cached_values(tmp_path, engine):
    xlsx = build_xlsx(BUNDLED, tmp_path / "out", language="en")
    assert _recalculated_matches_cached(xlsx, tmp_path, engine) > 300


@pytest.mark.parametrize("engine", ENGINES)
def test_hierarchy_and_empty_cells_recalculate_to_the_cached_values(tmp_path, engine):
    xlsx = build_xlsx(_multi_table(tmp_path), tmp_path / "out")
    assert _recalculated_matches_cached(xlsx, tmp_path, engine) > 30


@pytest.mark.parametrize("engine", ENGINES)
def test_a_column_of_zeros_recalculates_to_the_cached_values(tmp_path, engine):
    # Shares, averages and the Pareto series over a total of 0 give "–" or 0, never #DIV/0!.
    rows = [("Antwerpen", 0, "0.00"), ("Gent", 0, "0.00"), ("Brugge", 0, None)]
    xlsx = build_xlsx(write_tables(tmp_path, [table("zero", rows)], name="zero"), tmp_path / "out")
    formulas, _ = open_both(xlsx)
    pareto = [c.value for c in formulas["Grafiekgegevens"]["D"] if str(c.value).startswith("=")]
    assert pareto and all(f.startswith("=IF(") for f in pareto)
    assert _recalculated_matches_cached(xlsx, tmp_path, engine) > 15


@pytest.fixture
def small_threshold(monkeypatch):
    from kmo_export import theme

    lowered = copy.deepcopy(theme.load_theme())
    lowered["layout"]["big_table_rows"] = 5
    monkeypatch.setattr(theme, "load_theme", lambda: lowered)


def test_big_tables_are_streamed_as_plain_ranges(tmp_path, small_threshold):
    rows = [(f"Rij {k:02d}", k, f"{k}.{k % 100:02d}") for k in range(1, 41)]
    projects = sum(k for k in range(1, 41))
    subsidy = sum(Decimal(f"{k}.{k % 100:02d}") for k in range(1, 41))
    path = write_tables(
        tmp_path,
        [table("big", rows, total={"label": "Totaal", "projects": projects, "subsidy": subsidy})],
    )
    xlsx = build_xlsx(path, tmp_path / "out", top_n=5)
    assert ooxml_problems(xlsx) == ""
    formulas, values = open_both(xlsx)
    ws, wv = formulas["Per thema"], values["Per thema"]
    assert not ws.tables  # constant_memory writes no Excel table
    h = header_row(ws, "Thema")
    cols = headers(ws, h)
    assert "Rang (aantal projecten)" not in cols
    share = cols["Aandeel aantal projecten"]
    cumulative = cols["Cumulatief aandeel aantal projecten"]
    running = Decimal(0)
    for k in range(1, 41):
        r = h + k
        assert ws.cell(r, 1).value == f"Rij {k:02d}"
        assert ws.cell(r, share).value.startswith("=")
        assert close(wv.cell(r, share).value, Decimal(k) / projects)
        running += Decimal(k) / projects
        assert close(wv.cell(r, cumulative).value, running)
    total = h + 41
    assert ws.cell(total, 2).value.startswith("=SUBTOTAL(9,")
    assert wv.cell(total, 2).value == projects
    assert close(wv.cell(total, 3).value, subsidy, cent=True)
    assert wv["B3"].value == "OK"
    notes = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "gewoon bereik" in notes
    # The usage and other sheets still get their Excel tables; chart data follows the top 5.
    data = values["Grafiekgegevens"]
    first = header_row(formulas["Grafiekgegevens"], "Thema") + 1
    assert [data.cell(first + i, 1).value for i in range(6)] == [
        "Rij 40",
        "Rij 39",
        "Rij 38",
        "Rij 37",
        "Rij 36",
        "Overige (35 rijen)",
    ]
    assert data.cell(first + 5, 2).value == sum(range(1, 36))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_streamed_sheet_recalculates_to_the_cached_values(tmp_path, small_threshold, engine):
    rows = [(f"Rij {k:02d}", k, f"{k}.50") for k in range(1, 13)]
    path = write_tables(tmp_path, [table("big", rows)], name="streamed")
    xlsx = build_xlsx(path, tmp_path / "out")
    assert _recalculated_matches_cached(xlsx, tmp_path, engine) > 40
