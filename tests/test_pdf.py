"""--format pdf: the brief through LibreOffice headless, read back with pypdf.

The PDF is checked against the .docx it was made from (python-docx and lxml read that one):
headings -> outline and H1-H3, tables -> TH header cells, charts -> /Figure with /Alt, the
document's title and language, PDF/A-2b and PDF/UA-1 claims, dates from the build's timestamp
in the Info dictionary, the XMP metadata and the colour profile, and a content-derived /ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from kmo_export import pdf
from kmo_export.build import BuildOptions, build
from kmo_export.cli import main
from kmo_export.errors import ConverterMissingError, OutputError
from kmo_export.loader import load
from kmo_export.pdf import SOFFICE_ENV, convert_to_pdf, finish, soffice

from .conftest import BUNDLED, needs_libreoffice

STEM = "kmo-portefeuille-2019"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


# -- reading a PDF back ------------------------------------------------------------------


def struct_elements(reader: PdfReader, kind: str | None = None) -> list:
    """The structure elements (of type ``kind``) in document order."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict) and "/S" in node:
            if kind is None or node["/S"] == kind:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"])
    return found


def children(element, kind: str) -> list:
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    out = []
    for kid in kids:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/S") == kind:
            out.append(kid)
    return out


def outline(reader: PdfReader) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), level 1 at the top."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))

    walk(reader.outline, 1)
    return out


def xmp(reader: PdfReader) -> str:
    """The XMP metadata packet, or '' if there is none."""
    stream = reader.trailer["/Root"].get("/Metadata")
    return stream.get_object().get_data().decode("utf-8") if stream is not None else ""


def docx_headings(path: Path) -> list[tuple[int, str]]:
    out = []
    for paragraph in docx.Document(str(path)).paragraphs:
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match:
            out.append((int(match[1]), paragraph.text))
    return out


def docx_chart_descriptions(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    out = []
    for inline in body.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
        if CHART_URI in etree.tostring(inline).decode():
            out.append(inline.find(f"{{{WP}}}docPr").get("descr"))
    return out


def id_is_digest_of_file(data: bytes) -> bool:
    """The trailer /ID is the MD5 of the file with the /ID written as zeros."""
    trailer = data.rfind(b"trailer")
    ids = re.findall(rb"<([0-9a-f]{32})>", data[trailer:])
    if len(ids) != 2 or ids[0] != ids[1]:
        return False
    zeroed = data[:trailer] + data[trailer:].replace(ids[0], b"0" * 32)
    return hashlib.md5(zeroed).hexdigest().encode() == ids[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled dataset built twice (docx + default PDF), in two folders."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        build(BUNDLED, BuildOptions(output_dir=out, formats=("docx", "pdf")))
        outs.append(out)
    return outs


# -- the PDF ---------------------------------------------------------------------------------


@needs_libreoffice
def test_build_writes_a_pdf_of_the_brief(tmp_path):
    result = build(BUNDLED, BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    pdf_path = tmp_path / f"{STEM}.pdf"
    assert [w.path for w in result.outputs] == [pdf_path]
    assert not (tmp_path / f"{STEM}.docx").exists()  # only asked for the PDF
    reader = PdfReader(str(pdf_path))
    assert 3 <= len(reader.pages) <= 6
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("Kernboodschap", "Vraag 4", "Eindtotaal", "56.813.023,08", "24.252"):
        assert expected in text
    assert not list(tmp_path.glob("*.part"))


@needs_libreoffice
def test_a_pdf_only_build_leaves_an_existing_brief_alone(tmp_path):
    existing = tmp_path / f"{STEM}.docx"
    existing.write_bytes(b"the brief the office edited")
    build(BUNDLED, BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    assert existing.read_bytes() == b"the brief the office edited"
    assert (tmp_path / f"{STEM}.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{STEM}.docx", f"{STEM}.pdf"]


@needs_libreoffice
def test_two_builds_are_byte_identical(built):
    first, second = ((out / f"{STEM}.pdf").read_bytes() for out in built)
    assert first == second
    assert id_is_digest_of_file(first)


@needs_libreoffice
def test_pdf_is_tagged_archival_and_accessible(built):
    reader = PdfReader(str(built[0] / f"{STEM}.pdf"))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "nl-BE"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == load(BUNDLED).subject
    assert reader.pdf_header == "%PDF-1.6"
    meta = xmp(reader)
    assert re.search(r"<pdfaid:part>2</pdfaid:part>\s*<pdfaid:conformance>B<", meta)
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(built[0] / f"{STEM}.pdf")], check=False)
        assert check.returncode == 0


@needs_libreoffice
def test_headings_become_the_outline_and_the_structure(built):
    reader = PdfReader(str(built[0] / f"{STEM}.pdf"))
    headings = docx_headings(built[0] / f"{STEM}.docx")
    assert len(headings) >= 10 and {level for level, _ in headings} == {1, 2, 3}
    # Every heading is a bookmark, nested by its level.
    assert outline(reader) == headings
    for level in (1, 2, 3):
        tagged = struct_elements(reader, f"/H{level}")
        assert len(tagged) == sum(1 for lv, _ in headings if lv == level)


@needs_libreoffice
def test_tables_keep_their_header_cells(built):
    reader = PdfReader(str(built[0] / f"{STEM}.pdf"))
    tables = docx.Document(str(built[0] / f"{STEM}.docx")).tables
    tagged = struct_elements(reader, "/Table")
    assert len(tagged) == len(tables) >= 3
    for table, element in zip(tables, tagged, strict=True):
        rows = children(element, "/TR")
        assert len(rows) == len(table.rows)
        header = rows[0]
        assert len(children(header, "/TH")) == len(table.columns)
        for cell in children(header, "/TH"):  # a screen reader reads it as the column's header
            attributes = cell["/A"] if isinstance(cell["/A"], list) else [cell["/A"]]
            scopes = {a.get_object().get("/Scope") for a in attributes}
            assert "/Column" in scopes
        assert not children(header, "/TD")
        for row in rows[1:]:
            assert not children(row, "/TH")


@needs_libreoffice
def test_every_chart_figure_has_the_charts_alternative_text(built):
    reader = PdfReader(str(built[0] / f"{STEM}.pdf"))
    descriptions = docx_chart_descriptions(built[0] / f"{STEM}.docx")
    assert len(descriptions) == 2 and all(descriptions)
    figures = struct_elements(reader, "/Figure")
    assert [f.get("/Alt") for f in figures] == descriptions


@needs_libreoffice
def test_dates_come_from_the_build_timestamp(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    options = BuildOptions(output_dir=tmp_path, formats=("pdf",), language="en", pdf_profile="a2b")
    build(BUNDLED, options)
    data = (tmp_path / f"{STEM}.pdf").read_bytes()
    reader = PdfReader(str(tmp_path / f"{STEM}.pdf"))
    info = reader.trailer["/Info"].get_object()
    assert info["/CreationDate"] == "D:20231114221320Z"
    assert "/ModDate" not in info
    assert re.findall(r"<xmp:(\w+Date)>([^<]*)<", xmp(reader)) == [
        ("CreateDate", "2023-11-14T22:13:20Z")
    ]
    icc = reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/DestOutputProfile"]
    assert struct.unpack(">6H", icc.get_object().get_data()[24:36]) == (2023, 11, 14, 22, 13, 20)
    assert id_is_digest_of_file(data)
    now = dt.datetime.now(dt.UTC)
    assert now.strftime("%Y%m%d").encode() not in data  # no trace of the clock
    # An English brief is an English PDF.
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert outline(reader)[0] == (1, "Key message")


@needs_libreoffice
@pytest.mark.parametrize(
    ("profile", "archival", "accessible"),
    [("a2b", True, False), ("ua", False, True), ("plain", False, False)],
)
def test_profiles(built, tmp_path, profile, archival, accessible):
    target = tmp_path / "brief.pdf"
    convert_to_pdf(built[0] / f"{STEM}.docx", target, profile=profile)
    reader = PdfReader(str(target))
    meta = xmp(reader)
    assert ("pdfaid:part" in meta) is archival
    assert ("pdfuaid:part" in meta) is accessible
    assert ("/OutputIntents" in reader.trailer["/Root"]) is archival
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])  # tagged in every profile
    figures = struct_elements(reader, "/Figure")
    assert [f.get("/Alt") for f in figures] == docx_chart_descriptions(built[0] / f"{STEM}.docx")
    # The docx's own creation date when none is given: the same instant as the brief's.
    created = docx.Document(str(built[0] / f"{STEM}.docx")).core_properties.created
    assert reader.trailer["/Info"]["/CreationDate"] == created.strftime("D:%Y%m%d%H%M%SZ")
    if profile == "plain":  # a PDF that lacks what a profile claims is refused
        with pytest.raises(OutputError, match=r"not PDF/A-2b and PDF/UA-1 .*7\.4"):
            finish(target.read_bytes(), [], None, "a2b-ua")


# -- finding LibreOffice ----------------------------------------------------------------------


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_soffice_on_the_path_comes_first(tmp_path):
    on_path = executable(tmp_path / "bin" / "soffice")
    installed = executable(tmp_path / "pf" / "LibreOffice" / "program" / "soffice.exe")
    environ = {"PATH": str(on_path.parent), "ProgramFiles": str(tmp_path / "pf")}
    assert soffice(environ, "linux") == str(on_path)
    assert soffice({**environ, "PATH": str(tmp_path / "empty")}, "win32") == str(installed)


def test_soffice_in_the_usual_install_folders(tmp_path):
    empty = str(tmp_path / "empty")
    windows = executable(tmp_path / "x86" / "LibreOffice" / "program" / "soffice.exe")
    assert soffice({"PATH": empty, "ProgramFiles(x86)": str(tmp_path / "x86")}, "win32") == str(
        windows
    )
    mac = executable(tmp_path / "home" / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    if not Path("/Applications/LibreOffice.app").exists():
        assert soffice({"PATH": empty, "HOME": str(tmp_path / "home")}, "darwin") == str(mac)
    assert soffice({"PATH": empty, "ProgramFiles": str(tmp_path / "none")}, "win32") is None


def test_the_environment_variable_wins(tmp_path):
    chosen = executable(tmp_path / "lo" / "soffice")
    on_path = executable(tmp_path / "bin" / "soffice")
    environ = {"PATH": str(on_path.parent), SOFFICE_ENV: str(chosen)}
    assert soffice(environ, "linux") == str(chosen)


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    """A machine without LibreOffice: an empty PATH, no usual install folder, no variable."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setattr(pdf, "_install_candidates", lambda environ, platform: [])


def test_missing_libreoffice_is_one_clear_error_before_anything_is_written(
    tmp_path, no_libreoffice
):
    out = tmp_path / "out"
    with pytest.raises(ConverterMissingError) as caught:
        build(BUNDLED, BuildOptions(output_dir=out, formats=("xlsx", "docx", "pdf")))
    message = str(caught.value)
    assert "LibreOffice" in message and SOFFICE_ENV in message and "\n" not in message
    assert ".part" not in message and "tmp" not in message.lower()
    assert not out.exists()


def test_missing_libreoffice_from_the_command_line(tmp_path, no_libreoffice):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-o", str(out), "-f", "docx", "-f", "pdf"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: a PDF needs LibreOffice")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_wrong_environment_variable_is_named(tmp_path, no_libreoffice, monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "nowhere" / "soffice"))
    docx_path = tmp_path / "brief.docx"
    docx_path.write_bytes(b"")
    with pytest.raises(ConverterMissingError, match=f"{SOFFICE_ENV}=.*nowhere.*no such program"):
        convert_to_pdf(docx_path, tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_the_environment_variable_is_what_runs(tmp_path, no_libreoffice, monkeypatch):
    log = tmp_path / "arguments"
    fake = tmp_path / "fake-soffice"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\nexit 3\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    docx_path = tmp_path / "brief.docx"
    docx_path.write_bytes(b"")
    with pytest.raises(OutputError, match="LibreOffice could not convert"):
        convert_to_pdf(docx_path, tmp_path / "brief.pdf", profile="ua")
    arguments = log.read_text(encoding="utf-8").splitlines()
    assert "--headless" in arguments
    options = next(a for a in arguments if a.startswith("pdf:writer_pdf_Export:"))
    assert '"PDFUACompliance":{"type":"boolean","value":"true"}' in options
    assert '"SelectPdfVersion":{"type":"long","value":"0"}' in options
    assert not (tmp_path / "brief.pdf").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_a_failing_libreoffice_names_the_pdf_not_a_temporary_file(
    tmp_path, no_libreoffice, monkeypatch
):
    fake = tmp_path / "fake-soffice"
    fake.write_text(
        '#!/bin/sh\necho "Error: source file could not be loaded" >&2\nexit 1\n', encoding="utf-8"
    )
    fake.chmod(0o755)
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    out = tmp_path / "out"
    with pytest.raises(OutputError) as caught:
        build(BUNDLED, BuildOptions(output_dir=out, formats=("pdf",)))
    message = str(caught.value)
    assert message.startswith(f"{out / STEM}.pdf: LibreOffice could not convert the brief")
    assert "could not be loaded" in message
    assert ".part" not in message and "kmo-export-" not in message
    assert list(out.iterdir()) == []
