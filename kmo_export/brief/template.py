"""The Word template of the brief: found, opened and checked once per process."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TemplateError

if TYPE_CHECKING:
    from docx.document import Document

#: The styles the brief uses, by the name Word shows (any language's Word stores these names),
#: and their kind. A template lacking one is refused before anything is written.
REQUIRED_STYLES: Mapping[str, str] = {
    "Normal": "paragraph",
    "Title": "paragraph",
    "Subtitle": "paragraph",
    "Heading 1": "paragraph",
    "Heading 2": "paragraph",
    "Heading 3": "paragraph",
    "List Bullet": "paragraph",
    "Caption": "paragraph",
    "Question": "paragraph",
    "Table Text": "paragraph",
    "Table Number": "paragraph",
    "Table Note": "paragraph",
    "Source": "paragraph",
    "Brief Table": "table",
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Template:
    """A checked Word template: its bytes and the style id of every required style."""

    path: Path
    blob: bytes
    style_ids: Mapping[str, str]  # required style name -> w:styleId in this template

    def open(self) -> Document:
        """A fresh python-docx document on the template (each brief gets its own)."""
        import docx

        document = docx.Document(io.BytesIO(self.blob))
        _detach(document)
        return document

    def style(self, name: str) -> str:
        """The w:styleId of the required style ``name``."""
        return self.style_ids[name]


def default_template() -> Path:
    """The bundled house style: ``templates/brief.docx``."""
    from ..resources import templates_dir

    return templates_dir() / "brief.docx"


def load_template(path: Path | str | None = None) -> Template:
    """Find, open and check the Word template (default: the bundled one).

    Raise TemplateError naming the file for a missing file, a file that is not a .docx,
    or a template that lacks required styles (all of them named). Cached per process.
    """
    from .. import reading
    from ..errors import DatasetError

    path = Path(path) if path else default_template()
    try:
        stat = path.stat()
    except OSError:
        raise TemplateError(f"{path}: the Word template does not exist") from None
    if path.is_dir():
        raise TemplateError(f"{path}: is a folder, not a Word template (.docx)")
    try:  # a regular file of bounded size, with no DTD or entity in its XML
        reading.check_package(path, reading.TEMPLATE, "is not a Word document (.docx)")
    except DatasetError as exc:
        raise TemplateError(str(exc)) from None
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: str, mtime: int, size: int) -> Template:
    # Open and check one template file; mtime and size in the key notice an edited file.
    try:
        blob = Path(path).read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    document = _open(path, blob)
    found: dict[str, tuple[str, str]] = {}
    for style in document.styles.element.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None and style.get(f"{_W}styleId"):
            key = (name.get(f"{_W}val") or "").casefold()
            found.setdefault(key, (style.get(f"{_W}styleId"), style.get(f"{_W}type")))
    ids: dict[str, str] = {}
    missing: list[str] = []
    for name, kind in REQUIRED_STYLES.items():
        style_id, style_kind = found.get(name.casefold(), (None, None))
        if style_id is None:
            missing.append(name)
        elif style_kind != kind:
            missing.append(f"{name} (as a {kind} style)")
        else:
            ids[name] = style_id
    if missing:
        raise TemplateError(
            f"{path}: the Word template lacks the styles {', '.join(missing)}; add them in Word "
            "or start from the bundled templates/brief.docx"
        )
    return Template(Path(path), blob, ids)


# Remove the template's own attached template (w:attachedTemplate, often http://...): a brief
# refers to no file outside itself.
def _detach(document: Document) -> None:
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for attached in element.iter(f"{_W}attachedTemplate"):
            attached.getparent().remove(attached)
        for rid, rel in list(part.rels.items()):
            if rel.is_external and rel.reltype.endswith("/attachedTemplate"):
                del part.rels[rid]


# Open with python-docx; any failure means the file is no usable .docx.
def _open(path: str, blob: bytes) -> Document:
    import zipfile

    import docx

    if not zipfile.is_zipfile(io.BytesIO(blob)):
        raise TemplateError(f"{path}: is not a Word document (.docx): not a zip package")
    try:
        return docx.Document(io.BytesIO(blob))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        reason = str(exc).split("\n")[0] or type(exc).__name__
        raise TemplateError(f"{path}: is not a usable Word document (.docx): {reason}") from None
