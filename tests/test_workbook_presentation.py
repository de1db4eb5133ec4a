"""The workbook as a reader sees it: chart formats, English labels, print setup, the other bar,
axis titles, an honest contents list, chart-data headings, padding, computed shares, colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .builders import table, write_tables
from .conftest import BUNDLED, ooxml_problems
from .workbook_readback import (
    build_xlsx,
    header_row,
    headers,
    open_both,
    zip_names,
    zip_text,
)


def _budget_tables() -> list[dict]:
    """Two small tables as in the brief's MULTI dataset: amounts in EUR million, a detail row,
    an empty cell and a published percentage column."""
    provinces = table(
        "provincies",
        [
            ("Antwerpen", 120, "10500.25"),
            ("Limburg", 45, "3999.75"),
            ("Oost-Vlaanderen", 98, "8800.00"),
            ("Vlaams-Brabant", 77, "6100.10"),
            ("West-Vlaanderen", 101, "9050.90"),
        ],
        columns=[
            {"key": "provincie", "label": "Provincie", "type": "label"},
            {"key": "dossiers", "label": "Dossiers", "type": "count"},
            {
                "key": "bedrag",
                "label": "Bedrag (€)",
                "type": "amount",
                "unit": "EUR",
                "decimals": 2,
            },
        ],
        total={"label": "Totaal", "dossiers": 441, "bedrag": "38451.00"},
    )
    budget = table(
        "begroting",
        [
            ("5425: Subsidies", "12.500", "62.50", 0),
            ("Waarvan lokale besturen", "4.000", None, 1),
            ("2025 (31/10)", "7.500", "37.49", 0),
        ],
        columns=[
            {"key": "artikel", "label": "Begrotingsartikel", "type": "label"},
            {
                "key": "krediet",
                "label": "Krediet (mln)",
                "type": "amount",
                "unit": "EUR million",
                "decimals": 3,
            },
            {"key": "aandeel", "label": "Aandeel (%)", "type": "percent", "decimals": 2},
        ],
        total={"label": "Eindtotaal", "krediet": "20.000", "aandeel": "99.99"},
    )
    return [provinces, budget]


@pytest.fixture(scope="module")
def budget(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("budget")
    return write_tables(folder, _budget_tables(), name="begroting")


@pytest.fixture(scope="module")
def budget_xlsx(budget, tmp_path_factory) -> Path:
    return build_xlsx(budget, tmp_path_factory.mktemp("budget-nl"))


@pytest.fixture(scope="module")
def budget_xlsx_en(budget, tmp_path_factory) -> Path:
    return build_xlsx(budget, tmp_path_factory.mktemp("budget-en"), language="en")


@pytest.fixture(scope="module")
def bundled_nl(tmp_path_factory) -> Path:
    return build_xlsx(BUNDLED, tmp_path_factory.mktemp("review-nl"))


@pytest.fixture(scope="module")
def bundled_en(tmp_path_factory) -> Path:
    return build_xlsx(BUNDLED, tmp_path_factory.mktemp("review-en"), language="en")


def _charts(path: Path) -> list[str]:
    names = sorted(
        (n for n in zip_names(path) if re.match(r"xl/charts/chart\d+\.xml$", n)),
        key=lambda n: int(re.findall(r"\d+", n)[0]),
    )
    return [zip_text(path, n) for n in names]


def _texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_budget_workbooks_are_valid(budget_xlsx, budget_xlsx_en):
    assert ooxml_problems(budget_xlsx, budget_xlsx_en) == ""


# Charts of a column in millions keep its decimals (12,500 mln is not 13 mln).
def test_million_chart_keeps_the_columns_decimals(budget_xlsx):
    million = [x for x in _charts(budget_xlsx) if "Krediet (mln)" in x]
    assert million
    for xml in million:
        codes = re.findall(r'formatCode="([^"]*)"', xml)
        assert codes and all(".000" in c for c in codes if "mln" in c), codes
        assert any("mln" in c for c in codes)


# English: dataset labels are quoted as names, English euro format; Dutch unchanged.
def test_english_workbook_reads_english(bundled_en, bundled_nl):
    formulas, _ = open_both(bundled_en)
    assert formulas.sheetnames[1] == "By ‘Thema’"
    assert not any(n.startswith("By ") and n[3:4].islower() for n in formulas.sheetnames)
    ws = formulas["By ‘Thema’"]
    assert ws["A1"].value == "‘Aantal projecten’ and ‘Toegekende subsidie’ by ‘Thema’"
    cols = headers(ws, header_row(ws, "Thema"))
    assert "Share of ‘Aantal projecten’" in cols and "Rank by ‘Aantal projecten’" in cols
    assert ws["C5"].number_format == "[$€-1809]#,##0.00"
    key = _texts(formulas["Key figures"])
    assert "Total of ‘Aantal projecten’" in key and "Total aantal projecten" not in key
    nl = open_both(bundled_nl)[0]
    assert nl["Per thema"]["C5"].number_format == "#,##0.00 [$€-813]"
    assert "Totaal aantal projecten" in _texts(nl["Kerncijfers"])


def test_english_million_format(budget_xlsx_en):
    formulas, _ = open_both(budget_xlsx_en)
    ws = formulas[formulas.sheetnames[2]]
    h = header_row(ws, "Begrotingsartikel")
    cell = ws.cell(h + 1, headers(ws, h)["Krediet (mln)"])
    assert cell.number_format == '[$€-1809]#,##0.000 "mln"'


# The other bar: grey, labelled with how many rows it holds; the Pareto leaves it out.
def test_other_bar_is_grey_and_counted(bundled_nl):
    charts = _charts(bundled_nl)
    top = charts[0]
    assert "<c:dPt>" in top and "A5A5A5" in top.split("<c:dPt>")[1].split("</c:dPt>")[0]
    assert "$A$5:$A$20" in top  # the other bar is in the bar chart
    pareto = charts[2]
    assert "<c:dPt>" not in pareto and "$A$20" not in pareto
    _, values = open_both(bundled_nl)
    labels = [c.value for row in values["Grafiekgegevens"].iter_rows(max_col=1) for c in row]
    assert "Overige (43 rijen)" in labels


# Every sheet prints landscape, one page wide.
@pytest.mark.parametrize("which", ["bundled_nl", "budget_xlsx"])
def test_every_sheet_prints_landscape_one_page_wide(which, request):
    formulas, _ = open_both(request.getfixturevalue(which))
    for ws in formulas.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0


# Every chart's value axes carry a title.
def test_value_axes_have_titles(bundled_nl, budget_xlsx):
    for path in (bundled_nl, budget_xlsx):
        assert _charts(path), path.name
        for xml in _charts(path):
            axes = re.findall(r"<c:valAx>.*?</c:valAx>", xml, re.S)
            assert axes
            for axis in axes:
                assert "<c:title>" in axis, axis[:200]
    pareto = _charts(bundled_nl)[2]
    axes = re.findall(r"<c:valAx>.*?</c:valAx>", pareto, re.S)
    titles = ["".join(re.findall(r"<a:t>(.*?)</a:t>", a)) for a in axes]
    assert titles == ["Aantal projecten", "Cumulatief aandeel"]


# The cover lists only what the workbook holds.
def test_cover_contents_match_the_workbook(budget_xlsx, bundled_nl):
    formulas, _ = open_both(budget_xlsx)
    cover = "\n".join(_texts(formulas["Over deze cijfers"]))
    assert "overige" not in cover and "benutting" not in cover.lower()
    assert "staafdiagrammen van alle rijen" in cover and "Pareto" in cover
    bundled = "\n".join(_texts(open_both(bundled_nl)[0]["Over deze cijfers"]))
    assert "top 15 met een grijze balk voor de overige" in bundled
    assert "benutting tegenover het maximum" in bundled


# Chart-data blocks are titled by their series; their header rows are equally high.
def test_chart_data_blocks_have_their_own_titles(bundled_nl):
    formulas, _ = open_both(bundled_nl)
    ws = formulas["Grafiekgegevens"]
    texts = _texts(ws)
    assert "Aantal projecten per thema (blad 'Per thema')" in texts
    assert "Toegekende subsidie (€) per thema (blad 'Per thema')" in texts
    header_rows = [c.row for row in ws.iter_rows(max_col=1) for c in row if c.value == "Thema"]
    heights = {ws.row_dimensions[r].height for r in header_rows}
    assert len(header_rows) == 2 and len(heights) == 1


# Key figures: the source text is indented away from the right-aligned figure.
def test_key_figures_source_is_padded(bundled_nl):
    formulas, _ = open_both(bundled_nl)
    ws = formulas["Kerncijfers"]
    sources = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 3).value]
    assert sources
    for r in sources:
        assert ws.cell(r, 3).alignment.indent >= 1, r


# A computed share beside a published percentage says it is computed; detail rows have none.
def test_computed_share_is_labelled_and_detail_rows_have_no_share(budget_xlsx):
    formulas, values = open_both(budget_xlsx)
    ws, wv = formulas["Per begrotingsartikel"], values["Per begrotingsartikel"]
    h = header_row(ws, "Begrotingsartikel")
    cols = headers(ws, h)
    share = cols["Aandeel krediet (mln) (berekend)"]
    assert "Aandeel (%)" in cols
    assert ws.cell(h + 2, share).value is None
    assert wv.cell(h + 1, share).value == pytest.approx(0.625)
    # The other table has no published percentage: its share keeps the plain name.
    assert "Aandeel dossiers" in headers(formulas["Per provincie"], 4)


# House colours: single-series charts are house blue, never the accent colour.
def test_bar_charts_use_the_house_colour(bundled_nl, budget_xlsx):
    for path in (bundled_nl, budget_xlsx):
        bars = [xml for xml in _charts(path) if '<c:barDir val="bar"/>' in xml]
        assert bars, f"{path.name} has no bar chart"
        for xml in bars:
            assert "1F4E79" in xml and "ED7D31" not in xml
