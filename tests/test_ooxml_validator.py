"""The project's ECMA-376 validator (tests/ooxml): unmodified schemas, and it does find faults."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from .ooxml.validate import SCHEMAS, problems

SCHEMA_DIR = Path(SCHEMAS)


def test_the_vendored_schemas_are_the_listed_unmodified_files():
    listed = {}
    for line in (SCHEMA_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
    present = {
        p.relative_to(SCHEMA_DIR).as_posix()
        for p in SCHEMA_DIR.glob("*/*.xsd")
        if p.parent.name != "support"  # written for the validator, not Ecma's
    }
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == digest, name
    assert "COPYRIGHT NOTICE" in (SCHEMA_DIR / "README.md").read_text(encoding="utf-8")


def test_the_schemas_cover_the_parts_of_a_workbook_and_a_brief():
    assert {"sml.xsd", "wml.xsd", "dml-chart.xsd", "dml-spreadsheetDrawing.xsd"} <= {
        p.name for p in (SCHEMA_DIR / "transitional").glob("*.xsd")
    }
    assert not (SCHEMA_DIR / "transitional" / "pml.xsd").exists()


def test_the_built_outputs_are_valid(built_outputs):
    assert problems(built_outputs["xlsx"], built_outputs["docx"]) == []


# A copy of ``source`` with ``part`` changed by ``edit`` (or left out when ``edit`` is None).
def _tampered(source: Path, target: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        assert part in zin.namelist()
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                if edit is None:
                    continue
                changed = edit(data)
                assert changed != data
                data = changed
            out.writestr(info, data)
    return target


@pytest.mark.parametrize(
    ("part", "edit", "expected"),
    [
        (
            "xl/worksheets/sheet2.xml",
            lambda d: d.replace(b"<sheetData>", b"<sheetData><bogus/>", 1),
            "xl/worksheets/sheet2.xml: line 2 /x:worksheet/x:sheetData/x:bogus: "
            "Element 'x:bogus': This element is not expected",
        ),
        (
            "xl/workbook.xml",
            lambda d: d.replace(b'r:id="rId1"', b'r:id="rId99"', 1),
            "names no relationship of this part",
        ),
        (
            "xl/charts/chart1.xml",
            lambda d: d.replace(b"<c:chart>", b'<c:lang val="nl-BE"/><c:chart>', 1),
            "Element 'c:lang': This element is not expected",
        ),
        ("xl/styles.xml", None, "target 'styles.xml' does not exist"),
        (
            "[Content_Types].xml",
            lambda d: d.replace(b'Extension="rels"', b'Extension="relz"', 1),
            "no content type",
        ),
    ],
)
def test_the_validator_reports_a_broken_workbook(built_outputs, tmp_path, part, edit, expected):
    broken = _tampered(built_outputs["xlsx"], tmp_path / "broken.xlsx", part, edit)
    found = problems(broken)
    assert found, "the validator found nothing wrong"
    assert all(line.startswith(f"{broken}:") for line in found)
    assert any(expected in line for line in found), found


def test_the_validator_reports_a_broken_brief(built_outputs, tmp_path):
    broken = _tampered(
        built_outputs["docx"],
        tmp_path / "broken.docx",
        "word/document.xml",
        lambda d: d.replace(b"<w:body>", b"<w:body><w:bogus/>", 1),
    )
    assert any("Element 'w:bogus': This element is not expected" in p for p in problems(broken))


def test_a_missing_file_is_a_problem(tmp_path):
    assert problems(tmp_path / "nothing.xlsx") == [f"{tmp_path / 'nothing.xlsx'}:-: no such file"]
