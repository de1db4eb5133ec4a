"""The finance workbook: formulas with correct cached values, reconciliation, charts, determinism.

Every expected figure is computed here from the dataset with Decimal, independently of the
renderer, and compared with what openpyxl reads back from the written file.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from openpyxl.worksheet.formula import ArrayFormula

from kmo_export.loader import load
from kmo_export.model import Report

from .builders import table, write_tables
from .conftest import BUNDLED, ooxml_problems
from .workbook_readback import (
    build_xlsx,
    close,
    header_row,
    headers,
    open_both,
    zip_names,
    zip_text,
)


@pytest.fixture(scope="module")
def bundled_xlsx(tmp_path_factory):
    return build_xlsx(BUNDLED, tmp_path_factory.mktemp("wb-nl"))


@pytest.fixture(scope="module")
def bundled_xlsx_en(tmp_path_factory):
    return build_xlsx(BUNDLED, tmp_path_factory.mktemp("wb-en"), language="en")


@pytest.fixture(scope="module")
def dataset():
    return load(BUNDLED)


# -- the bundled dataset --------------------------------------------------------------------


def test_sheets_in_order_with_dutch_names(bundled_xlsx):
    formulas, _ = open_both(bundled_xlsx)
    assert formulas.sheetnames == [
        "Over deze cijfers",
        "Per thema",
        "Benutting",
        "Kerncijfers",
        "Grafieken",
        "Grafiekgegevens",
    ]


def test_theme_table_formulas_and_cached_values(bundled_xlsx, dataset):
    formulas, values = open_both(bundled_xlsx)
    ws, wv = formulas["Per thema"], values["Per thema"]
    table_ = next(t for _, t in dataset.tables)
    h = header_row(ws, "Thema")
    cols = headers(ws, h)
    projects, subsidy = cols["Aantal projecten"], cols["Toegekende subsidie (€)"]
    share_p, share_s = cols["Aandeel aantal projecten"], cols["Aandeel toegekende subsidie"]
    average = cols["Gemiddelde: toegekende subsidie / aantal projecten"]
    cumulative = cols["Cumulatief aandeel aantal projecten"]
    rank = cols["Rang (aantal projecten)"]
    total_p = sum((r.values[0] for r in table_.rows), Decimal(0))
    total_s = sum((r.values[1] for r in table_.rows), Decimal(0))
    assert (total_p, total_s) == (Decimal(173053), Decimal("56813023.08"))
    running = Decimal(0)
    all_projects = [r.values[0] for r in table_.rows]
    for i, row in enumerate(table_.rows):
        r = h + 1 + i
        p, s = row.values
        assert ws.cell(r, 1).value == row.label
        assert ws.cell(r, projects).value == int(p)
        assert close(ws.cell(r, subsidy).value, s, cent=True)
        for c in (share_p, share_s, average, cumulative, rank):
            assert str(ws.cell(r, c).value).startswith("="), (r, c)
            assert "[@" not in ws.cell(r, c).value
        running += p / total_p
        assert close(wv.cell(r, share_p).value, p / total_p)
        assert close(wv.cell(r, share_s).value, s / total_s)
        assert close(wv.cell(r, average).value, s / p)
        assert close(wv.cell(r, cumulative).value, running)
        # Rank 1 is the largest; equal values are ranked in the published order.
        ties_above = sum(1 for q in all_projects[:i] if q == p)
        assert wv.cell(r, rank).value == 1 + sum(1 for q in all_projects if q > p) + ties_above
        assert ws.cell(r, cumulative).value == f"=SUM($B$5:B{r})/$B$63"
    total = h + 1 + len(table_.rows)
    assert ws.cell(total, projects).value == "=SUBTOTAL(9,$B$5:$B$62)"
    assert wv.cell(total, projects).value == 173053
    assert close(wv.cell(total, subsidy).value, total_s, cent=True)
    assert close(wv.cell(total, share_p).value, 1)
    assert close(wv.cell(total, average).value, total_s / total_p)
    # The two themes with 39 projects: ranks 53 and 54 in the published order.
    ranks = {ws.cell(h + 1 + i, 1).value: wv.cell(h + 1 + i, rank).value for i in range(58)}
    assert (ranks["Intellectuele eigendom"], ranks["Cybersecurity"]) == (53, 54)


def test_theme_table_is_a_named_excel_table_with_filter_buttons(bundled_xlsx):
    formulas, _ = open_both(bundled_xlsx)
    ws = formulas["Per thema"]
    assert list(ws.tables) == ["tbl_themes"]
    tbl = ws.tables["tbl_themes"]
    assert tbl.ref == "A4:H63"
    assert tbl.totalsRowCount == 1
    assert tbl.autoFilter is not None and tbl.autoFilter.ref == "A4:H62"
    assert ws.freeze_panes == "B5"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (
        ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    )  # 1 is the default


def test_reconciliation_reads_ok(bundled_xlsx):
    formulas, values = open_both(bundled_xlsx)
    ws, wv = formulas["Per thema"], values["Per thema"]
    rows = _reconciliation_rows(ws)
    assert [ws.cell(r, 1).value for r in rows] == ["Aantal projecten", "Toegekende subsidie (€)"]
    expected = [(Decimal(173053),) * 2, (Decimal("56813023.08"),) * 2]
    for r, (reported, computed) in zip(rows, expected, strict=True):
        assert close(ws.cell(r, 2).value, reported, cent=True)  # as published, a number
        assert ws.cell(r, 3).value.startswith("=SUM(")
        assert close(wv.cell(r, 3).value, computed, cent=True)
        assert ws.cell(r, 4).value.startswith("=ROUND(")
        assert wv.cell(r, 4).value == 0
        assert wv.cell(r, 5).value == "OK"
        assert ws.cell(r, 5).value.startswith("=IF(ISNUMBER(")
    assert wv["B3"].value == "OK" and ws["B3"].value.startswith("=IF(COUNTIF(")
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any('"VERSCHIL"' in f for r in rules for f in r.formula)


def test_usage_sheet(bundled_xlsx, dataset):
    formulas, values = open_both(bundled_xlsx)
    ws, wv = formulas["Benutting"], values["Benutting"]
    sizes = dataset.key_figures.usage.sizes
    assert [ws.cell(5 + i, 1).value for i in range(2)] == [
        "Kleine ondernemingen",
        "Middelgrote ondernemingen",
    ]
    for i, size in enumerate(sizes):
        r = 5 + i
        assert close(ws.cell(r, 2).value, size.maximum, cent=True)
        assert close(ws.cell(r, 3).value, size.average_granted, cent=True)
        assert ws.cell(r, 4).value == f"=C{r}/B{r}"
        assert close(wv.cell(r, 4).value, size.average_granted / size.maximum)
        assert close(ws.cell(r, 5).value, size.stated_use_percent / 100)
        assert wv.cell(r, 6).value == "OK"
    assert close(wv["D5"].value, Decimal("0.09887"))
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("1 januari 2020" in t and "7.500" in t for t in texts)


def test_key_figures_point_at_the_table_totals(bundled_xlsx):
    formulas, values = open_both(bundled_xlsx)
    ws, wv = formulas["Kerncijfers"], values["Kerncijfers"]
    found = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    r = found["Ondernemingen die in 2019 een beroep deden op de kmo-portefeuille"]
    assert ws.cell(r, 2).value == 69215
    r = found["Totaal aantal projecten"]
    assert ws.cell(r, 2).value == "='Per thema'!$B$63" and wv.cell(r, 2).value == 173053
    r = found["Totaal toegekende subsidie (€)"]
    assert ws.cell(r, 2).value == "='Per thema'!$C$63"
    assert close(wv.cell(r, 2).value, Decimal("56813023.08"), cent=True)
    r = found["Gemiddelde: toegekende subsidie / aantal projecten"]
    assert ws.cell(r, 2).value == "='Per thema'!$F$63"  # the average's cell on the total row
    assert close(wv.cell(r, 2).value, Decimal("56813023.08") / 173053)


def test_cover_cites_the_source_and_links_every_sheet(bundled_xlsx):
    formulas, _ = open_both(bundled_xlsx)
    ws = formulas["Over deze cijfers"]
    assert ws["A1"].value == "Kmo-portefeuille - Benutting"
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(texts)
    for needle in (
        "835",
        "24 september 2020",
        "Kurt Vanryckeghem",
        "Hilde Crevits, Viceminister-president van de Vlaamse Regering",
        "Kmo-portefeuille - Benutting",
        "7.500",
        "1 januari 2020",
        "steundossier",
        "euro",
    ):
        assert needle in joined, needle
    links = {c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {f"'{name}'!A1" for name in formulas.sheetnames[1:]}


def test_chart_data_is_top_n_plus_other_by_formula(bundled_xlsx, dataset):
    formulas, values = open_both(bundled_xlsx)
    ws, wv = formulas["Grafiekgegevens"], values["Grafiekgegevens"]
    table_ = next(t for _, t in dataset.tables)
    by_projects = sorted(table_.rows, key=lambda r: -r.values[0])  # stable: published order on ties
    first = header_row(ws, "Thema") + 1
    for k, row in enumerate(by_projects[:15]):
        i = table_.rows.index(row)
        r = first + k
        # LARGE finds the k-th value, MATCH its row in the table, INDEX the label: they re-rank.
        assert ws.cell(r, 2).value == f"=LARGE('Per thema'!$B$5:$B$62,{k + 1})"
        assert wv.cell(r, 2).value == row.values[0]
        position = ws.cell(r, 3).value.text
        assert position.startswith("=MATCH(1,ISNUMBER('Per thema'!$B$5:$B$62)")
        assert wv.cell(r, 3).value == i + 1
        assert ws.cell(r, 1).value == f"=INDEX('Per thema'!$A$5:$A$62,C{r})"
        assert wv.cell(r, 1).value == row.label
    other = first + 15
    # The other row's label counts its rows by formula (58 themes less the top 15).
    assert wv.cell(other, 1).value == "Overige (43 rijen)"
    assert ws.cell(other, 1).value == (
        "=IF((COUNT('Per thema'!$B$5:$B$62)-15)=1,\"Overige (1 rij)\","
        '"Overige ("&(COUNT(\'Per thema\'!$B$5:$B$62)-15)&" rijen)")'
    )
    assert ws.cell(other, 2).value == f"=SUM('Per thema'!$B$5:$B$62)-SUM(B{first}:B{other - 1})"
    assert wv.cell(other, 2).value == sum(r.values[0] for r in by_projects[15:])
    assert close(wv.cell(other, 4).value, 1)  # the Pareto line ends at 100 %


def test_charts_reference_the_intended_cells(bundled_xlsx):
    names = sorted(n for n in zip_names(bundled_xlsx) if re.match(r"xl/charts/chart\d+\.xml", n))
    refs = [re.findall(r"<c:f>(.*?)</c:f>", zip_text(bundled_xlsx, n)) for n in names]
    assert len(refs) == 4
    projects, subsidy, pareto, usage = refs
    assert projects == [
        "'Grafiekgegevens'!$B$4",
        "'Grafiekgegevens'!$A$5:$A$20",
        "'Grafiekgegevens'!$B$5:$B$20",
    ]
    assert pareto == [  # the top 15 only: no "other" column in the sorted Pareto
        "'Grafiekgegevens'!$B$4",
        "'Grafiekgegevens'!$A$5:$A$19",
        "'Grafiekgegevens'!$B$5:$B$19",
        "'Grafiekgegevens'!$D$4",
        "'Grafiekgegevens'!$A$5:$A$19",
        "'Grafiekgegevens'!$D$5:$D$19",
    ]
    assert subsidy == [
        "'Grafiekgegevens'!$B$23",
        "'Grafiekgegevens'!$A$24:$A$39",
        "'Grafiekgegevens'!$B$24:$B$39",
    ]
    assert usage == [
        "'Benutting'!$B$4",
        "'Benutting'!$A$5:$A$6",
        "'Benutting'!$B$5:$B$6",
        "'Benutting'!$C$4",
        "'Benutting'!$A$5:$A$6",
        "'Benutting'!$C$5:$C$6",
    ]
    formulas, _ = open_both(bundled_xlsx)
    assert formulas["Grafiekgegevens"]["B23"].value == "Toegekende subsidie (€)"
    assert formulas["Grafiekgegevens"]["B24"].value == "=LARGE('Per thema'!$C$5:$C$62,1)"
    assert formulas["Grafiekgegevens"]["C24"].value.text.startswith("=MATCH(1,")
    drawing = zip_text(bundled_xlsx, "xl/drawings/drawing1.xml")
    assert drawing.count('descr="') == 4  # alt text on every chart


def test_every_formula_cell_caches_a_value(bundled_xlsx):
    formulas, values = open_both(bundled_xlsx)
    count = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, ArrayFormula) or (
                    isinstance(cell.value, str) and cell.value.startswith("=")
                ):
                    count += 1
                    cached = values[ws.title][cell.coordinate].value
                    assert cached is not None, (ws.title, cell.coordinate)
                    assert not str(cached).startswith("#"), (ws.title, cell.coordinate)
    assert count > 58 * 5


def test_number_formats(bundled_xlsx):
    formulas, _ = open_both(bundled_xlsx)
    ws = formulas["Per thema"]
    assert ws["B5"].number_format == "#,##0"
    assert ws["C5"].number_format == "#,##0.00 [$€-813]"
    assert ws["D5"].number_format == "0.0%"
    assert ws["F5"].number_format == "#,##0.00 [$€-813]"


def test_document_properties(bundled_xlsx, dataset):
    core = zip_text(bundled_xlsx, "docProps/core.xml")
    assert "<dc:language>nl-BE</dc:language>" in core
    created = Report(dataset).created.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{created}</dcterms:created>" in core
    formulas, _ = open_both(bundled_xlsx)
    props = formulas.properties
    assert props.title == "Kmo-portefeuille - Benutting: cijfers"
    assert props.subject == "Schriftelijke vraag nr. 835 van 24 september 2020"
    assert props.creator and props.keywords


def test_english_labels(bundled_xlsx_en):
    formulas, values = open_both(bundled_xlsx_en)
    assert formulas.sheetnames == [
        "About these figures",
        "By ‘Thema’",
        "Use",
        "Key figures",
        "Charts",
        "Chart data",
    ]
    assert values["By ‘Thema’"]["B3"].value == "OK"
    assert "<dc:language>en-GB</dc:language>" in zip_text(bundled_xlsx_en, "docProps/core.xml")
    assert values["Use"]["A5"].value == "Small enterprises"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_bundled_validates(language, bundled_xlsx, bundled_xlsx_en):
    assert ooxml_problems(bundled_xlsx if language == "nl" else bundled_xlsx_en) == ""


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = build_xlsx(BUNDLED, tmp_path / "a")
    b = build_xlsx(BUNDLED, tmp_path / "b")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)]
    assert digest[0] == digest[1]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    c = build_xlsx(BUNDLED, tmp_path / "c")
    assert "2023-11-14T22:13:20Z" in zip_text(c, "docProps/core.xml")


# -- other datasets --------------------------------------------------------------------------


def _reconciliation_rows(ws) -> list[int]:
    rows = []
    for r in range(1, ws.max_row + 1):
        value = ws.cell(r, 5).value
        if isinstance(value, str) and value.startswith("=IF(ISNUMBER(") and "ABS(" in value:
            rows.append(r)
    return rows


def test_other_shape_builds(tmp_path):
    rows = [(f"Regio {k}", 10 * k + 3, f"{1000 * k}.5{k}") for k in range(1, 8)]
    path = write_tables(
        tmp_path,
        [table("regions", rows, total={"label": "Totaal", "projects": 301, "subsidy": "28003.78"})],
        date="2023-11-30",
        number=77,
    )
    xlsx = build_xlsx(path, tmp_path / "out", top_n=3)
    assert ooxml_problems(xlsx) == ""
    formulas, values = open_both(xlsx)
    assert formulas.sheetnames == [
        "Over deze cijfers",
        "Per thema",
        "Grafieken",
        "Grafiekgegevens",
    ]
    ws, wv = formulas["Per thema"], values["Per thema"]
    assert ws["A2"].value.endswith("nr. 77 van 30 november 2023.")
    assert ws.tables["tbl_regions"].ref == "A4:H12"
    assert wv["B12"].value == 301 and close(wv["C12"].value, Decimal("28003.78"), cent=True)
    assert wv["B3"].value == "OK"
    data = values["Grafiekgegevens"]
    first = header_row(formulas["Grafiekgegevens"], "Thema") + 1
    assert [data.cell(first + k, 1).value for k in range(4)] == [
        "Regio 7",
        "Regio 6",
        "Regio 5",
        "Overige (4 rijen)",
    ]
    assert data.cell(first + 3, 2).value == 13 + 23 + 33 + 43


def test_multi_table_with_hierarchy_and_empty_cells(tmp_path):
    pivot = table(
        "pivot",
        [
            ("Antwerpen", 10, "100.00", 0),
            ("Mechelen", 4, "40.00", 1),
            ("Turnhout", 6, "60.00", 1),
            ("Gent", 5, None, 0),
            ("Aalst", 5, None, 1),
            ("Brugge", None, "25.50", 0),
        ],
        total={"label": "Eindtotaal", "projects": 15, "subsidy": "125.50"},
        caption="Tabel 2a. Dossiers per provincie",
    )
    shares = table(
        "shares",
        [("A", "60.0", "1.25"), ("B", "39.9", "0.75"), ("C", None, "2.10")],
        columns=[
            {"key": "name", "label": "Naam", "type": "label"},
            {"key": "pct", "label": "Aandeel (%)", "type": "percent", "decimals": 1},
            {
                "key": "budget",
                "label": "Budget",
                "type": "amount",
                "unit": "EUR million",
                "decimals": 2,
            },
        ],
        total={"label": "Totaal", "pct": "100.0", "budget": "4.10"},
    )
    path = write_tables(tmp_path, [pivot, shares])
    xlsx = build_xlsx(path, tmp_path / "out")
    assert ooxml_problems(xlsx) == ""
    formulas, values = open_both(xlsx)
    assert formulas.sheetnames[:3] == ["Over deze cijfers", "Per thema", "Per naam"]
    ws, wv = formulas["Per thema"], values["Per thema"]
    h = header_row(ws, "Thema")
    cols = headers(ws, h)
    level, projects, subsidy = cols["Niveau"], cols["Aantal projecten"], cols["Subsidie (€)"]
    share_p, average = (
        cols["Aandeel aantal projecten"],
        cols["Gemiddelde: subsidie / aantal projecten"],
    )
    cumulative, rank = cols["Cumulatief aandeel aantal projecten"], cols["Rang (aantal projecten)"]
    total = h + 7
    # Totals count only level 0: 10 + 5 projects (Brugge is empty), 100 + 25.50 euro.
    assert ws.cell(total, projects).value.startswith("=SUMIF(")
    assert wv.cell(total, projects).value == 15
    assert close(wv.cell(total, subsidy).value, Decimal("125.50"), cent=True)
    assert ws.cell(h + 6, projects).value is None  # Brugge: empty, not 0
    assert wv.cell(h + 6, share_p).value == "–"
    assert wv.cell(h + 4, average).value == "–"  # Gent: no subsidy
    assert ws.cell(h + 2, share_p).value is None  # a detail row's share is in the row above
    assert ws.cell(h + 1, level).value == 0 and ws.cell(h + 2, level).value == 1
    # Cumulative share and rank only on level-0 rows.
    assert close(wv.cell(h + 1, cumulative).value, Decimal(10) / 15)
    assert ws.cell(h + 2, cumulative).value is None
    assert close(wv.cell(h + 4, cumulative).value, Decimal(15) / 15)
    assert close(wv.cell(h + 6, cumulative).value, 1)
    assert wv.cell(h + 1, rank).value == 1 and wv.cell(h + 4, rank).value == 2
    assert "COUNTIFS(" in ws.cell(h + 1, rank).value
    assert wv["B3"].value == "OK"
    assert ws["A1"].value == "Tabel 2a. Dossiers per provincie"
    # Second table: percentages as written (99.9 % + rounding is not an error), EUR million.
    ws2, wv2 = formulas["Per naam"], values["Per naam"]
    h2 = header_row(ws2, "Naam")
    cols2 = headers(ws2, h2)
    assert "Aandeel aandeel (%)" not in cols2  # no share of a percentage
    assert ws2.cell(h2 + 1, cols2["Budget"]).number_format == '#,##0.00 "mln" [$€-813]'
    assert wv2["B3"].value == "OK"
    # A percentage is a fraction with a percent format; its total is the published one, no sum.
    pct = cols2["Aandeel (%)"]
    assert ws2.cell(h2 + 1, pct).value == pytest.approx(0.6)
    assert ws2.cell(h2 + 1, pct).number_format == "0.0%"
    assert ws2.cell(h2 + 4, pct).value == pytest.approx(1.0)
    cover = "\n".join(
        str(c.value) for row in formulas["Over deze cijfers"].iter_rows() for c in row if c.value
    )
    assert "miljoen euro" in cover
    assert "Benutting" not in formulas.sheetnames and "Kerncijfers" not in formulas.sheetnames


def test_inconsistent_total_builds_with_difference(tmp_path):
    rows = [("A", 10, "100.00"), ("B", 20, "200.00"), ("C", 30, "300.00")]
    path = write_tables(
        tmp_path,
        [table("bad", rows, total={"label": "Totaal", "projects": 61, "subsidy": "600.00"})],
    )
    xlsx = build_xlsx(path, tmp_path / "out", allow_inconsistent=True)
    assert ooxml_problems(xlsx) == ""
    formulas, values = open_both(xlsx)
    ws, wv = formulas["Per thema"], values["Per thema"]
    rec = _reconciliation_rows(ws)
    assert ws.cell(rec[0], 2).value == 61  # the published total, never replaced
    assert wv.cell(rec[0], 3).value == 60
    assert wv.cell(rec[0], 4).value == 1
    assert wv.cell(rec[0], 5).value == "VERSCHIL"
    assert wv.cell(rec[1], 5).value == "OK"
    assert wv["B3"].value == "VERSCHIL"
    assert wv["B8"].value == 60  # the total row is the sum of the rows
    notes = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "verschilt van de som van de rijen" in notes


HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@x",
    "\tTab",
    "\rCR",
    "<b>&amp;</b>",
]


def test_hostile_labels_stay_text(tmp_path):
    rows = [(label, k + 1, f"{k}.25") for k, label in enumerate(HOSTILE)]
    columns = [
        {"key": "name", "label": "History/[x]:*?\\ a very long label of a column", "type": "label"},
        {"key": "projects", "label": "=SUM(A1:A2)", "type": "count"},
        {"key": "subsidy", "label": "Subsidie (€)", "type": "amount", "unit": "EUR"},
    ]
    path = write_tables(tmp_path, [table("hostile", rows, columns=columns)])
    xlsx = build_xlsx(path, tmp_path / "out", top_n=3)
    assert ooxml_problems(xlsx) == ""
    formulas, _values = open_both(xlsx)
    name = formulas.sheetnames[1]
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    ws = formulas[name]
    h = header_row(ws, columns[0]["label"].strip())
    # The loader strips surrounding whitespace; what remains is written as a string.
    for k, label in enumerate(HOSTILE):
        cell = ws.cell(h + 1 + k, 1)
        assert cell.data_type == "s" and cell.value == label.strip()
    assert ws.cell(h, 2).value == "=SUM(A1:A2)" and ws.cell(h, 2).data_type == "s"
    # The chart series only reference the label cells.
    data = formulas["Grafiekgegevens"]
    refs = [c.value for row in data.iter_rows(max_col=1) for c in row if c.value]
    assert any(str(r).startswith(f"=INDEX('{name}'!$A$") for r in refs)


def test_safe_sheet_names():
    from kmo_export.workbook.names import safe_sheet_name

    taken: set[str] = set()
    assert safe_sheet_name("History", taken) == "History (2)"
    assert safe_sheet_name("a/b\\c[d]e:f*g?h", taken) == "a b c d e f g h"
    long = safe_sheet_name("x" * 40, taken)
    assert long == "x" * 31
    assert safe_sheet_name("x" * 40, taken) == "x" * 27 + " (2)"
    assert safe_sheet_name("'quoted'", taken) == "quoted"
    assert safe_sheet_name("", taken) == "Blad"
