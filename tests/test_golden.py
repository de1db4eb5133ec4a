"""The bundled dataset's workbook and brief, part by part, against the golden files in tests/golden.

Each golden file holds every part of one output's package (embedded workbooks unpacked too),
XML re-indented one element a line, so a change of layout, style or wording shows in review
as a readable diff of the part it touches. The one volatile value, kmo-export's version in
docProps/app.xml, is masked. After an intended change, regenerate them with
``KMO_EXPORT_UPDATE_GOLDEN=1 uv run pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kmo_export.build import BuildOptions, build

from .conftest import BUNDLED

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KMO_EXPORT_UPDATE_GOLDEN") == "1"
# (part, pattern, replacement): values that change without the output changing
VOLATILE = [("docProps/app.xml", re.compile(r"kmo-export/[^<]+"), "kmo-export/VERSION")]
HEADING = "### "


def parts(package: bytes, prefix: str = "") -> dict[str, str]:
    """Every part of the ZIP ``package`` as text: XML re-indented, nested packages unpacked."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if name.endswith((".xlsx", ".docx")):
                out.update(parts(data, f"{prefix}{name}!"))
            elif name.endswith((".xml", ".rels")):
                text = etree.tostring(etree.fromstring(data), pretty_print=True, encoding="unicode")
                for part, pattern, replacement in VOLATILE:
                    if name == part:
                        text = pattern.sub(replacement, text)
                out[prefix + name] = text
            else:
                out[prefix + name] = f"(binary, {len(data)} bytes)\n"
    return out


def golden_text(found: dict[str, str]) -> str:
    """The parts as one golden file: a heading line before each part."""
    return "".join(f"{HEADING}{name}\n{text}" for name, text in found.items())


def split_golden(text: str) -> dict[str, str]:
    """A golden file's text back as part name -> text (the inverse of golden_text)."""
    out: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        if line.startswith(HEADING):
            name = line[len(HEADING) :].rstrip("\n")
            out[name] = ""
        else:
            assert name is not None, "text before the first part"
            out[name] += line
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)  # the answer's date stamps the outputs
    try:
        out = tmp_path_factory.mktemp("golden")
        result = build(BUNDLED, BuildOptions(output_dir=out, formats=("xlsx", "docx")))
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return {w.path.suffix.lstrip("."): w.path for w in result.outputs}


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_output_matches_its_golden_file_part_by_part(outputs, kind):
    found = parts(outputs[kind].read_bytes())
    golden = GOLDEN / f"{BUNDLED.stem}.{kind}.txt"
    if UPDATE:
        golden.write_text(golden_text(found), encoding="utf-8")
    assert golden.is_file(), f"no {golden}: run with KMO_EXPORT_UPDATE_GOLDEN=1 to make it"
    expected = split_golden(golden.read_text(encoding="utf-8"))
    assert list(found) == list(expected), "the package holds other parts than the golden file"
    changed = [name for name in found if found[name] != expected[name]]
    shown = ""
    if changed:  # the start of the first part's diff, for the failure message
        first = changed[0]
        diff = difflib.unified_diff(
            expected[first].splitlines(), found[first].splitlines(), "golden", "built", lineterm=""
        )
        shown = "\n".join(list(diff)[:40])
    assert not changed, f"parts that differ from {golden.name}: {changed}\n{shown}"
    assert len(found) > 10  # the comparison covered a whole package


def test_golden_files_read_back_as_written():
    sample = {"a.xml": "<a>\n  <b/>\n</a>\n", "x.png": "(binary, 3 bytes)\n"}
    assert split_golden(golden_text(sample)) == sample
