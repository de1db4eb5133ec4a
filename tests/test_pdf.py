"""--format pdf: the brief through LibreOffice headless."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from kmo_export.build import BuildOptions, build
from kmo_export.errors import ConverterMissingError
from kmo_export.pdf import convert_to_pdf

from .conftest import BUNDLED, needs_libreoffice


@needs_libreoffice
def test_build_writes_a_pdf_of_the_brief(tmp_path):
    result = build(BUNDLED, BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    pdf = tmp_path / "kmo-portefeuille-2019.pdf"
    assert [w.path for w in result.outputs] == [pdf]
    assert not (tmp_path / "kmo-portefeuille-2019.docx").exists()  # only asked for the PDF
    reader = PdfReader(str(pdf))
    assert 3 <= len(reader.pages) <= 6
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("Kernboodschap", "Vraag 4", "Eindtotaal", "56.813.023,08", "24.252"):
        assert expected in text
    assert not list(tmp_path.glob("*.part"))


@needs_libreoffice
def test_a_pdf_only_build_leaves_an_existing_brief_alone(tmp_path):
    existing = tmp_path / "kmo-portefeuille-2019.docx"
    existing.write_bytes(b"the brief the office edited")
    build(BUNDLED, BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    assert existing.read_bytes() == b"the brief the office edited"
    assert (tmp_path / "kmo-portefeuille-2019.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kmo-portefeuille-2019.docx",
        "kmo-portefeuille-2019.pdf",
    ]


def test_missing_libreoffice_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    docx = tmp_path / "brief.docx"
    docx.write_bytes(b"")
    with pytest.raises(ConverterMissingError) as caught:
        convert_to_pdf(docx, tmp_path / "brief.pdf")
    message = str(caught.value)
    assert "LibreOffice" in message and "\n" not in message
    assert not (tmp_path / "brief.pdf").exists()
