"""The ministerial brief (.docx). Entry points: :func:`load_template`, :func:`render_docx`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Report


def load_template(path: Path | None) -> Any:
    """Check the Word template (default: the bundled one) before anything is written."""
    from ..resources import templates_dir

    return path or templates_dir() / "brief.docx"


def render_docx(report: Report, path: Path, template: Any = None) -> None:
    """Write the brief for ``report`` to ``path`` (minimal placeholder until issue 4 lands)."""
    import docx

    document = docx.Document()
    dataset = report.dataset
    document.add_heading(dataset.subject, 0)
    for question in dataset.questions:
        document.add_heading(f"Vraag {question.number}", 1)
        for paragraph in question.paragraphs:
            document.add_paragraph(paragraph)
        answer = dataset.answer(question.number)
        if answer:
            document.add_heading("Antwoord", 2)
            for paragraph in answer.paragraphs:
                document.add_paragraph(paragraph)
    document.save(str(path))
