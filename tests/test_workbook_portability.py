"""Workbook details that make it hold up in any program: no recalculation forced on open, no
volatile functions, chart text in the workbook's language (in memory and streamed)."""

from __future__ import annotations

import copy
import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from .builders import table, write_tables
from .conftest import BUNDLED, ooxml_problems
from .workbook_readback import build_xlsx

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
VOLATILE = {"NOW", "TODAY", "RAND", "RANDBETWEEN", "OFFSET", "INDIRECT", "CELL", "INFO"}


# The parts of the package whose names match ``pattern``, parsed.
def _parts(xlsx: Path, pattern: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(xlsx) as z:
        return {
            n: etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if re.fullmatch(pattern, n)
        }


# Stream every table of more than 5 rows (as a big one would be).
def _lower_threshold(monkeypatch) -> None:
    from kmo_export import theme

    lowered = copy.deepcopy(theme.load_theme())
    lowered["layout"]["big_table_rows"] = 5
    monkeypatch.setattr(theme, "load_theme", lambda: lowered)


# A table whose count column's label holds the text XlsxWriter writes as a language tag.
def _tricky_dataset(folder: Path) -> Path:
    columns = [
        {"key": "theme", "label": "Thema", "type": "label"},
        {"key": "projects", "label": 'Aantal lang="en-US"', "type": "count"},
        {"key": "subsidy", "label": "Subsidie (€)", "type": "amount", "unit": "EUR", "decimals": 2},
    ]
    rows = [(f"Thema {k}", k, f"{k}0.50") for k in range(1, 9)]
    return write_tables(folder, [table("tricky", rows, columns=columns)], name="tricky")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_workbook_does_not_force_a_recalculation_on_open(tmp_path, language):
    xlsx = build_xlsx(BUNDLED, tmp_path, language=language)
    workbook = _parts(xlsx, "xl/workbook.xml")["xl/workbook.xml"]
    calc = workbook.find(f"{S}calcPr")
    assert calc is not None
    assert calc.get("fullCalcOnLoad") is None
    assert calc.get("calcMode") in (None, "auto")  # automatic: edits still update the totals
    formulas = [
        f.text
        for sheet in _parts(xlsx, r"xl/worksheets/sheet\d+\.xml").values()
        for f in sheet.iter(f"{S}f")
    ]
    assert len(formulas) > 300
    used = {name for f in formulas for name in re.findall(r"([A-Z][A-Z0-9.]*)\(", f)}
    assert used and not used & VOLATILE


@pytest.mark.parametrize(("language", "tag"), [("nl", "nl-BE"), ("en", "en-GB")])
@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed"])
def test_chart_text_is_tagged_with_the_workbook_language(
    tmp_path, monkeypatch, language, tag, streamed
):
    if streamed:  # a big table: XlsxWriter writes the parts to temporary files
        _lower_threshold(monkeypatch)
    xlsx = build_xlsx(_tricky_dataset(tmp_path), tmp_path / "out", language=language)
    core = _parts(xlsx, "docProps/core.xml")["docProps/core.xml"]
    assert core.find(DC_LANGUAGE).text == tag
    charts = _parts(xlsx, r"xl/charts/chart\d+\.xml")
    assert len(charts) >= 2
    for name, chart in charts.items():
        assert [e.get("val") for e in chart.iter(f"{C}lang")] == [tag], name
        tagged = [e.get("lang") for e in chart.iter(f"{A}rPr", f"{A}endParaRPr", f"{A}defRPr")]
        assert tagged and set(tagged) - {None} == {tag}, name
    with zipfile.ZipFile(xlsx) as z:
        raw = b"".join(z.read(n) for n in charts)
    assert b'lang="en-US"' in raw  # the column label, kept as written ...
    titles = "".join(t.text or "" for chart in charts.values() for t in chart.iter(f"{A}t"))
    assert 'Aantal lang="en-US"' in titles  # ... in the titles and series names
    text = "".join(text for chart in charts.values() for text in chart.itertext())
    assert raw.count(b"en-US") == text.count("en-US")  # and nowhere else
    assert ooxml_problems(xlsx) == ""


def test_the_retagged_workbook_is_byte_identical_between_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dataset = _tricky_dataset(tmp_path)
    digests = [
        hashlib.sha256(build_xlsx(dataset, tmp_path / name).read_bytes()).hexdigest()
        for name in ("a", "b")
    ]
    assert digests[0] == digests[1]
