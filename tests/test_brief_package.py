"""The brief's package metadata: what docProps and the chart parts say is true of the brief."""

from __future__ import annotations

import importlib.metadata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kmo_export.brief import load_template, render_docx
from kmo_export.brief.template import default_template
from kmo_export.loader import load
from kmo_export.model import Report

from .conftest import BUNDLED, ooxml_problems

EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS = "http://purl.org/dc/terms/"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
#: What only Word knows after laying out the text, or what would name another program.
UNTRUE = ("Template", "TotalTime", "Pages", "Words", "Characters", "Lines", "Paragraphs")


def brief(tmp_path: Path, language: str = "nl") -> Path:
    out = tmp_path / f"brief-{language}.docx"
    render_docx(Report(load(BUNDLED), language), out, load_template(None))
    return out


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


@pytest.fixture(scope="module")
def nl_brief(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the date of the question, then
        return brief(tmp_path_factory.mktemp("brief"))


def test_app_properties_name_kmo_export_and_its_version(nl_brief):
    app = part(nl_brief, "docProps/app.xml")
    version = importlib.metadata.version("kmo-export")
    assert app.findtext(f"{{{EP}}}Application") == f"kmo-export/{version}"
    present = {etree.QName(child).localname for child in app}
    assert not present & set(UNTRUE), present
    assert b"Microsoft" not in etree.tostring(app) and b"Normal.dotm" not in etree.tostring(app)
    assert ooxml_problems(nl_brief) == ""


def test_core_properties_have_no_print_date(nl_brief):
    core = part(nl_brief, "docProps/core.xml")
    assert core.find(f"{{{CP}}}lastPrinted") is None
    created = core.findtext(f"{{{DCTERMS}}}created")
    assert created == core.findtext(f"{{{DCTERMS}}}modified") == "2020-09-24T00:00:00Z"


@pytest.mark.parametrize(("language", "tag"), [("nl", "nl-BE"), ("en", "en-GB")])
def test_chart_text_is_in_the_document_language(tmp_path, language, tag):
    path = brief(tmp_path, language)
    with zipfile.ZipFile(path) as package:
        charts = sorted(n for n in package.namelist() if n.startswith("word/charts/chart"))
        assert len(charts) == 2
        for name in charts:
            chart = etree.fromstring(package.read(name))
            tags = {e.get("lang") for e in chart.iter() if e.get("lang") is not None}
            assert tags == {tag}, name
            assert chart.find(f"{{{C}}}lang").get("val") == tag


def test_template_metadata_is_true():
    template = default_template()
    app = part(template, "docProps/app.xml")
    present = {etree.QName(child).localname for child in app}
    assert not present & set(UNTRUE), present
    assert "kmo-export" in app.findtext(f"{{{EP}}}Application")
    assert part(template, "docProps/core.xml").find(f"{{{CP}}}lastPrinted") is None
