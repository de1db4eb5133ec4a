"""The ministerial brief (.docx). Entry points: :func:`load_template`, :func:`render_docx`.

The brief mirrors the written question and its answer: the subject and the question's
number, date, asker and minister; a key message of figures computed from the dataset; each
question with its answer and, right there, the answer's figures (tables and native Word
charts whose data sits in an embedded workbook); an annex with the full tables; a source
line. It is built on a Word template (``templates/brief.docx``) that staff may restyle.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Report
from .template import REQUIRED_STYLES, Template, load_template

__all__ = ["REQUIRED_STYLES", "Template", "load_template", "render_docx"]


def render_docx(report: Report, path: Path, template: Template | None = None) -> None:
    """Write the brief for ``report`` to ``path`` (a .docx; byte-identical for the same input)."""
    from .. import formatting as fmt
    from ..labels import labels
    from . import package
    from .content import Composer

    template = template or load_template(None)
    document = template.open()
    tag = labels(report.language).get("language_tag")
    composer = Composer(report, document, template, template.first_drawing_id)
    package.set_body(document, template.document, composer.compose())
    dataset = report.dataset
    subject = labels(report.language).get(
        "brief.written_question",
        number=dataset.number,
        date=fmt.date(dataset.date, report.language),
    )
    package.set_language(document, template.styles, tag)
    if template.bundled and report.language != "nl":  # the house header in the brief's language
        header = "brief.house_header"
        old, new = labels("nl").get(header), labels(report.language).get(header)
        package.translate_headers(document, template.document, old, new)
    package.set_properties(document, dataset.subject, subject, tag, report.created)
    document.save(Path(path), report.created)
