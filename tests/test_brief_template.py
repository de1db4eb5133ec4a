"""The Word template: checked before anything is written, cached per process, reproducible."""

from __future__ import annotations

import subprocess
import sys

import docx
import pytest

from kmo_export.brief import REQUIRED_STYLES, load_template
from kmo_export.brief.template import default_template
from kmo_export.errors import TemplateError

from .conftest import ROOT, ooxml_problems


def test_bundled_template_has_every_required_style():
    template = load_template(None)
    assert set(template.style_ids) == set(REQUIRED_STYLES)
    assert ooxml_problems(default_template()) == ""


def test_bundled_template_is_a4_with_page_numbers():
    document = docx.Document(str(default_template()))
    section = document.sections[0]
    assert (section.page_width.cm, section.page_height.cm) == (
        pytest.approx(21, abs=0.01),
        pytest.approx(29.7, abs=0.01),
    )
    assert section.left_margin.cm == pytest.approx(2.5, abs=0.01)
    assert "PAGE" in section.footer._element.xml


def test_template_is_cached_per_process():
    assert load_template(None) is load_template(None)
    assert load_template(default_template()) is load_template(None)


def test_missing_styles_are_all_named(tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))  # python-docx's own template: no house styles
    with pytest.raises(TemplateError) as caught:
        load_template(plain)
    message = str(caught.value)
    assert str(plain) in message
    for name in ("Question", "Table Text", "Table Number", "Table Note", "Source", "Brief Table"):
        assert name in message
    assert "Heading 1" not in message  # present in that template


def test_a_style_of_the_wrong_kind_counts_as_missing(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document(str(default_template()))
    document.styles["Brief Table"].delete()
    document.styles.add_style("Brief Table", WD_STYLE_TYPE.PARAGRAPH)
    path = tmp_path / "wrong.docx"
    document.save(str(path))
    with pytest.raises(TemplateError, match=r"Brief Table \(as a table style\)"):
        load_template(path)


def test_missing_file_and_not_a_docx(tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        load_template(tmp_path / "nope.docx")
    text = tmp_path / "notes.docx"
    text.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"notes\.docx: is not a Word document"):
        load_template(text)
    with pytest.raises(TemplateError, match="folder"):
        load_template(tmp_path)


def test_template_script_is_reproducible(tmp_path):
    tracked = default_template().read_bytes()
    made = tmp_path / "brief.docx"
    subprocess.run(
        [sys.executable, str(ROOT / "templates" / "make_brief_template.py"), str(made)],
        check=True,
        capture_output=True,
    )
    assert made.read_bytes() == tracked  # the script makes exactly the tracked template
    assert default_template().read_bytes() == tracked  # which it left alone
