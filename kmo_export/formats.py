"""The output formats kmo-export writes: one registry, as tablib keeps its formats.

Each :class:`Format` names its file suffix, its renderer and what the renderer needs (the Word
template, LibreOffice). The command line takes its choices (and ``-f all``) from
:data:`FORMATS`, the build renders what it lists, and the batch prepares its workers from it.
The renderers import their libraries only when called: importing this module stays light, so
``kmo-export --help`` starts without XlsxWriter or the brief.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .brief.template import Template
    from .model import Report


@dataclass(frozen=True, eq=False, repr=False)
class Format:
    """One output format.

    ``render(report, target, template)`` writes the file; for a format made from another
    one's file (``source``: the PDF from the brief), ``render(source_file, target, report,
    profile, name)`` converts that file instead. ``libraries`` are what the renderer imports
    when first called (a batch imports them once, before its workers fork).
    """

    name: str
    suffix: str
    render: Callable[..., None]
    libraries: tuple[str, ...] = ()
    needs_template: bool = False
    needs_libreoffice: bool = False
    source: str | None = None


# The workbook: XlsxWriter, no template.
def _render_xlsx(report: Report, target: Path, template: Template | None) -> None:
    from .workbook import render_xlsx

    render_xlsx(report, target)


# The brief: the Word template with a new body and the charts added.
def _render_docx(report: Report, target: Path, template: Template | None) -> None:
    from .brief import render_docx

    render_docx(report, target, template)


# The PDF: the brief converted by LibreOffice, to the PDF profile asked for.
def _convert_pdf(docx: Path, target: Path, report: Report, profile: str, name: str) -> None:
    from .pdf import convert_to_pdf

    convert_to_pdf(docx, target, profile=profile, created=report.created, name=name)


#: Every format, in the order ``-f all`` builds them.
FORMATS: dict[str, Format] = {
    "xlsx": Format("xlsx", ".xlsx", _render_xlsx, libraries=("xlsxwriter", "kmo_export.workbook")),
    "docx": Format(
        "docx",
        ".docx",
        _render_docx,
        libraries=("xlsxwriter", "kmo_export.brief"),
        needs_template=True,
    ),
    "pdf": Format(
        "pdf",
        ".pdf",
        _convert_pdf,
        libraries=("xlsxwriter", "kmo_export.brief", "kmo_export.pdf"),
        needs_template=True,
        needs_libreoffice=True,
        source="docx",
    ),
}
#: What ``build`` writes when no format is asked for.
DEFAULT_FORMATS = ("xlsx", "docx")


def chosen(names: Iterable[str]) -> list[Format]:
    """The formats named in ``names``, in the registry's order: the order a build writes and
    lists them, whatever order they were asked in."""
    wanted = set(names)
    return [fmt for name, fmt in FORMATS.items() if name in wanted]
