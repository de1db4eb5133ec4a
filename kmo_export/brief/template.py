"""The Word template of the brief: found, opened and checked once per process."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import TemplateError
from . import opc
from .opc import ATTRIBUTES, Package, PackageError, attributes
from .wordml import NAMESPACES

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

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: The content type of the brief's main part (a template saved as .dotx has another).
DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_STYLE = re.compile(rf"<w:style\b{ATTRIBUTES}(/?)>")
_NAME = re.compile(rf"<w:name\b{ATTRIBUTES}/?>")
_BODY = re.compile(rf"<w:body\b{ATTRIBUTES}(/?)>")
_SECT_PR_TAG = re.compile(rf"<w:sectPr\b{ATTRIBUTES}(/?)>|</w:sectPr>")
_DOCPR_ID = re.compile(rb"<wp:docPr\b[^>]*?\bid=\"(\d+)\"")
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_ATTACHED = re.compile(rf"<w:attachedTemplate\b{ATTRIBUTES}/>")


@dataclass(frozen=True)
class Template:
    """A checked Word template: its parts and the style id of every required style."""

    path: Path
    package: Package  # never changed: each brief works on its own copy
    document: str  # the main document part (``word/document.xml``)
    styles: str  # the styles part (``word/styles.xml``)
    style_ids: Mapping[str, str]  # required style name -> w:styleId in this template
    styled_tables: bool = False  # its table style shades or rules parts of a table itself
    sect_pr: str | None = None  # the body's final w:sectPr (page, header, footer), as XML
    first_drawing_id: int = 1  # above every drawing id the headers and footers use

    def open(self) -> Package:
        """A fresh copy of the template's package (each brief gets its own)."""
        return self.package.copy()

    def style(self, name: str) -> str:
        """The w:styleId of the required style ``name``."""
        return self.style_ids[name]

    @property
    def bundled(self) -> bool:
        """Whether this is the bundled house style (``templates/brief.docx``)."""
        return self.path.resolve() == default_template().resolve()

    def house_colours(self) -> tuple[str | None, str | None]:
        """The header shading and the total row's rule (hex RGB) the brief applies itself.

        From the theme (``templates/theme.toml``, ``[brief]``), unless a user's template
        styles its tables' header or total rows: then its own colours win (None, None).
        """
        if self.styled_tables and not self.bundled:
            return None, None
        from ..theme import load_theme

        brief = load_theme()["brief"]
        return brief["header_fill"].lstrip("#"), brief["rule"].lstrip("#")


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
    package, document, styles = _open(path, blob)
    found: dict[str, tuple[str, str]] = {}
    bodies: dict[str, str] = {}
    text = package.text(styles)
    for match in _STYLE.finditer(text):
        attrs = attributes(match[1])
        end = text.find("</w:style>", match.end()) if not match[2] else match.end()
        body = text[match.end() : end]
        name_tag = _NAME.search(body)
        style_id = attrs.get("w:styleId")
        if name_tag is not None and style_id:
            key = attributes(name_tag[1]).get("w:val", "").casefold()
            found.setdefault(key, (style_id, attrs.get("w:type", "paragraph")))
            bodies.setdefault(style_id, body)
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
    table_style = bodies.get(ids["Brief Table"], "")
    styled = "<w:tblStylePr" in table_style or "<w:shd" in table_style
    _detach(package)
    sect_pr = Body.of(package.text(document)).sect_pr
    return Template(
        Path(path),
        package,
        document,
        styles,
        ids,
        styled,
        sect_pr,
        _first_drawing_id(package, document),
    )


# A drawing id above every one the template's other parts (headers, footers) use; the main
# document's own drawings go with its body, which the brief replaces.
def _first_drawing_id(package: Package, document: str) -> int:
    used = [0]
    for name in package.names():
        if name.endswith(".xml") and name != document:
            used += [int(m) for m in _DOCPR_ID.findall(package.read(name))]
    return max(used) + 1


@dataclass(frozen=True)
class Body:
    """A main document's XML cut around its body: what comes before the body's content (up to
    and including ``<w:body>``), the body's final ``w:sectPr`` (page, header, footer; None if it
    has none) and what follows the content (from ``</w:body>``)."""

    head: str
    sect_pr: str | None
    tail: str

    @classmethod
    def of(cls, xml: str) -> Body:
        """Cut ``xml``; TemplateError if it has no ``w:body``."""
        start = _BODY.search(xml)
        if start is None:
            raise TemplateError("the main document has no w:body")
        if start[2]:  # <w:body/>: an empty body
            head = xml[: start.start()] + f"<w:body{start[1]}>"
            return cls(head, None, "</w:body>" + xml[start.end() :])
        end = xml.rfind("</w:body>")
        if end < start.end():
            raise TemplateError("the main document's w:body is not closed")
        content = xml[start.end() : end].rstrip()
        at = _final_sect_pr(content)
        sect_pr = content[at:] if at is not None else None
        return cls(xml[: start.end()], sect_pr, xml[end:])


# Where the body's final w:sectPr starts in its content, or None. A w:sectPr may hold another
# (w:sectPrChange, a tracked change of the page setup): the outer one is the body's.
def _final_sect_pr(content: str) -> int | None:
    if not content.endswith(("</w:sectPr>", "/>")):
        return None
    depth = 0
    for tag in reversed(list(_SECT_PR_TAG.finditer(content))):
        if tag[0] == "</w:sectPr>":
            depth += 1
        elif tag[2]:  # <w:sectPr/>
            if depth == 0:
                return tag.start() if tag.end() == len(content) else None
        else:
            depth -= 1
            if depth == 0:
                return tag.start()
    return None


# Remove the template's own attached template (w:attachedTemplate, often http://...): a brief
# refers to no file outside itself.
def _detach(package: Package) -> None:
    for name in list(package.names()):
        if not name.endswith(".xml"):
            continue
        data = package.read(name)
        if b"attachedTemplate" in data:
            package.write(name, _ATTACHED.sub("", data.decode("utf-8")).encode("utf-8"))
            package.drop_relationships(name, "/attachedTemplate")


# Open the package; anything unusable means the file is no usable .docx.
def _open(path: str, blob: bytes) -> tuple[Package, str, str]:
    try:
        package = Package.from_bytes(blob)
    except PackageError as exc:
        raise TemplateError(f"{path}: is not a Word document (.docx): {exc}") from None
    documents = package.related("", opc.RT_OFFICE_DOCUMENT)
    if not documents or documents[0] not in package:
        raise TemplateError(f"{path}: is not a Word document (.docx): it has no main document")
    document = documents[0]
    styles = [s for s in package.related(document, opc.RT + "styles") if s in package]
    if not styles:
        raise TemplateError(f"{path}: is not a usable Word document (.docx): it has no styles")
    for name in (document, styles[0]):
        try:
            text = package.text(name)
        except UnicodeDecodeError:
            raise TemplateError(f"{path}: {name} is not UTF-8 XML") from None
        # The brief is written with the w: prefix of WordprocessingML, as Word writes it.
        root = opc.ROOT.search(text)
        bound = attributes(root[2]).get("xmlns:w") if root is not None else None
        if bound == _STRICT_W:
            raise TemplateError(
                f"{path}: is saved as Strict Open XML; save it as a Word Document (.docx)"
            )
        if bound != _W_NS:
            raise TemplateError(
                f"{path}: {name} does not use the w: prefix for WordprocessingML; "
                "save the template again in Word or LibreOffice"
            )
    # The prefixes the brief's body uses may be declared by the template, but not otherwise.
    root = opc.ROOT.search(package.text(document))
    declared = attributes(root[2]) if root is not None else {}
    for prefix, uri in NAMESPACES.items():
        bound = declared.get(f"xmlns:{prefix}")
        if bound is not None and bound != uri:
            raise TemplateError(
                f"{path}: {document} binds the prefix {prefix}: to {bound}, not to {uri}; "
                "save the template again in Word or LibreOffice"
            )
    try:
        Body.of(package.text(document))
    except TemplateError as exc:
        raise TemplateError(f"{path}: is not a usable Word document (.docx): {exc}") from None
    return package, document, styles[0]
