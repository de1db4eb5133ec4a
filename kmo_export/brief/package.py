"""The .docx package around the body: language, core properties, a deterministic zip."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .wordml import DECLS, esc

if TYPE_CHECKING:
    from docx.document import Document

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADER_FOOTER = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
)
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_DOCPR_ID = re.compile(rb"<wp:docPr\b[^>]*?\bid=\"(\d+)\"")
#: The earliest time a zip entry can carry.
ZIP_EPOCH = dt.datetime(1980, 1, 1)


def clear_body(document: Document) -> None:
    """Remove the template's content, keeping its section properties (page, header, footer)."""
    body = document.element.body
    for child in list(body):
        if child.tag != f"{_W}sectPr":
            body.remove(child)


def first_drawing_id(document: Document) -> int:
    """A drawing id above every one the template's headers and footers already use."""
    used = [0]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.target_part.content_type in _HEADER_FOOTER:
            used += [int(m) for m in _DOCPR_ID.findall(rel.target_part.blob)]
    return max(used) + 1


def fill_body(document: Document, xml: str) -> None:
    """Parse the body XML once and put it before the section properties."""
    from docx.oxml.parser import parse_xml

    holder = parse_xml(f"<w:body {DECLS}>{xml}</w:body>")
    body = document.element.body
    anchor = body.find(f"{_W}sectPr")
    for child in list(holder):
        if anchor is not None:
            anchor.addprevious(child)
        else:
            body.append(child)


def set_language(document: Document, tag: str) -> None:
    """The document language in the style defaults (what Word and screen readers use)."""
    from docx.oxml.parser import OxmlElement

    styles = document.styles.element
    defaults = styles.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{_W}rPrDefault")
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{_W}rPr")
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(f"{_W}lang")
    if lang is None:
        lang = OxmlElement("w:lang")
        # w:lang comes before these in w:rPr (schema order).
        followers = [rpr.find(f"{_W}{t}") for t in ("eastAsianLayout", "specVanish", "oMath")]
        follower = next((f for f in followers if f is not None), None)
        if follower is not None:
            follower.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(f"{_W}val", tag)


def set_properties(
    document: Document, title: str, subject: str, tag: str, created: dt.datetime
) -> None:
    """Core and application properties that are true of the brief.

    Core: title and subject for readers, the language, both dates the build's timestamp,
    no print date (the brief was never printed). Application (docProps/app.xml): made by
    kmo-export and its version; no template name and no page or word counts, which only
    Word computes when it lays out the text.
    """
    props = document.core_properties
    props.title = title
    props.subject = subject
    props.language = tag
    props.author = "kmo-export"
    props.last_modified_by = "kmo-export"
    props.revision = 1
    props.created = props.modified = created
    printed = props._element.find(f"{_CP}lastPrinted")
    if printed is not None:
        props._element.remove(printed)
    set_app_properties(document)


def app_properties_xml() -> bytes:
    """docProps/app.xml naming kmo-export and its version as the application."""
    from .. import __version__

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_EP}" xmlns:vt="{_VT}">'
        f"<Application>kmo-export/{esc(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity>"
        "<LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


def set_app_properties(document: Document) -> None:
    """Replace (or add) the package's docProps/app.xml with :func:`app_properties_xml`."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    blob = app_properties_xml()
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/app.xml"), _APP_CT, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def save(document: Document, path: Path, created: dt.datetime) -> None:
    """Write the package: fixed entry times, a fixed order, one compression pass.

    The parts come from python-docx's package (a depth-first walk of the relationships, the
    same order every time); entries are stamped with ``created``, so the same input gives the
    same bytes. Already-compressed parts (embedded workbooks, images) are stored as they are.
    """
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    entries: list[tuple[str, bytes | str]] = [
        ("[Content_Types].xml", _content_types(parts)),
        ("_rels/.rels", package.rels.xml),
    ]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    stamp = max(created, ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            stored = name.rsplit(".", 1)[-1].lower() in _COMPRESSED
            entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)


# Parts that are compressed already: deflating them again costs time and gains nothing.
_COMPRESSED = {"xlsx", "jpeg", "jpg", "png", "gif"}


# [Content_Types].xml: a Default per well-known extension, an Override for every other part.
def _content_types(parts: list) -> bytes:  # type: ignore[type-arg]
    from docx.opc.spec import default_content_types

    known = set(default_content_types)
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
    }
    overrides: dict[str, str] = {}
    for part in parts:
        ext = part.partname.ext.lower()
        if (ext, part.content_type) in known:
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        *(
            f'<Default Extension="{esc(e)}" ContentType="{esc(t)}"/>'
            for e, t in sorted(defaults.items())
        ),
        *(
            f'<Override PartName="{esc(n)}" ContentType="{esc(t)}"/>'
            for n, t in sorted(overrides.items())
        ),
        "</Types>",
    ]
    return "".join(lines).encode("utf-8")
