"""The .docx package as its parts (Open Packaging Conventions, ECMA-376 part 2).

A brief is its template with a new body, a few properties and the chart parts added, so the
package is handled as what it is: named parts (bytes), their relationships and content
types. The template's parts are copied as they are; only the parts the brief changes are
rewritten, and the zip is written in a fixed order with fixed times, so the same input gives
the same bytes. (python-docx, which used to do this, parsed and re-serialised every part of
the template for every brief: the largest import and a good part of the time of a build.)
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The earliest time a zip entry can carry.
ZIP_EPOCH = dt.datetime(1980, 1, 1)
CONTENT_TYPES = "[Content_Types].xml"
#: The relationship types of Office documents start with this.
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = RT + "officeDocument"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
#: The attributes of a start tag (values may hold ">").
ATTRIBUTES = r"""((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*"""
_ELEMENT = re.compile(rf"<(?:\w+:)?(Relationship|Default|Override)\b{ATTRIBUTES}/?>")
#: The first element of an XML part (its root): name, attributes, "/" if empty.
ROOT = re.compile(rf"<([\w:]+){ATTRIBUTES}(/?)>")
_ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# Parts that are compressed already: deflating them again costs time and gains nothing.
_COMPRESSED = {"xlsx", "jpeg", "jpg", "png", "gif"}
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


class PackageError(ValueError):
    """The package is not a usable OPC package (the message says why)."""


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its id, type, target (as written) and mode."""

    id: str
    type: str
    target: str
    external: bool = False


def attributes(tag_text: str) -> dict[str, str]:
    """The attributes of an XML start tag's text, entity references resolved."""
    return {
        m[1]: unescape(m[2] if m[2] is not None else m[3]) for m in _ATTRIBUTE.finditer(tag_text)
    }


def unescape(text: str) -> str:
    """XML text with its character and predefined entity references resolved."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_entity, text)


# One entity reference as its character.
def _entity(match: re.Match[str]) -> str:
    name = match[1]
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED[name]


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``word/document.xml`` -> ``word/_rels/document.xml.rels``)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """The parts of a package by zip name, in order, with their relationships and content types.

    Relationships and content types are read when first asked for and written back at
    :meth:`save` only where they changed; every other part keeps its bytes.
    """

    def __init__(self, parts: dict[str, bytes]) -> None:
        self._parts = parts
        self._rels: dict[str, list[Relationship]] = {}
        self._changed_rels: set[str] = set()
        self._defaults, self._overrides = _content_types(parts.get(CONTENT_TYPES))
        self._types_changed = False

    @classmethod
    def from_bytes(cls, blob: bytes) -> Package:
        """The parts of the zip ``blob``; PackageError if it is not an OPC package."""
        import io

        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                parts = {info.filename: archive.read(info) for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise PackageError(f"not a zip package: {exc}") from None
        if CONTENT_TYPES not in parts:
            raise PackageError(f"no {CONTENT_TYPES} in the package")
        return cls(parts)

    def copy(self) -> Package:
        """An independent copy (the part bytes are shared: they are never changed in place)."""
        self._flush()
        return Package(dict(self._parts))

    def __contains__(self, name: str) -> bool:
        return name in self._parts

    def names(self) -> Iterator[str]:
        """The part names (zip member names, relationship parts included), in order."""
        return iter(self._parts)

    def read(self, name: str) -> bytes:
        """The bytes of part ``name``."""
        return self._parts[name]

    def text(self, name: str) -> str:
        """Part ``name`` as text (UTF-8)."""
        return self._parts[name].decode("utf-8")

    def write(self, name: str, data: bytes, content_type: str | None = None) -> None:
        """Put part ``name`` (new or replaced); a new part's ``content_type`` is recorded."""
        self._parts[name] = data
        if content_type and self.content_type(name) != content_type:
            self._overrides["/" + name] = content_type
            self._types_changed = True

    def content_type(self, name: str) -> str | None:
        """The content type of part ``name`` (its override, else its extension's default)."""
        found = self._overrides.get("/" + name)
        if found is None:
            found = self._defaults.get(name.rsplit(".", 1)[-1].lower())
        return found

    def add_default(self, extension: str, content_type: str) -> None:
        """A content type for every part whose name ends in ``.extension``."""
        if self._defaults.get(extension) != content_type:
            self._defaults[extension] = content_type
            self._types_changed = True

    def relationships(self, source: str) -> list[Relationship]:
        """The relationships of part ``source`` (``""``: the package's own)."""
        name = rels_name(source) if source else "_rels/.rels"
        if name not in self._rels:
            data = self._parts.get(name)
            found = []
            for match in _ELEMENT.finditer(data.decode("utf-8") if data else ""):
                if match[1] != "Relationship":
                    continue
                attrs = attributes(match[2])
                found.append(
                    Relationship(
                        attrs.get("Id", ""),
                        attrs.get("Type", ""),
                        attrs.get("Target", ""),
                        attrs.get("TargetMode") == "External",
                    )
                )
            self._rels[name] = found
        return self._rels[name]

    def target(self, source: str, relationship: Relationship) -> str:
        """The part name an internal relationship of ``source`` points to."""
        if relationship.target.startswith("/"):
            return relationship.target.lstrip("/")
        base = posixpath.dirname(source)
        return posixpath.normpath(posixpath.join(base, relationship.target))

    def related(self, source: str, reltype: str) -> list[str]:
        """The parts ``source`` relates to with type ``reltype`` (internal ones, in order)."""
        return [
            self.target(source, r)
            for r in self.relationships(source)
            if r.type == reltype and not r.external
        ]

    def relate(self, source: str, reltype: str, target: str) -> str:
        """Add a relationship of ``source`` to part ``target``; return its new id.

        The id is the first unused ``rIdN``, as Word and python-docx choose it.
        """
        rels = self.relationships(source)
        used = {r.id for r in rels}
        number = 1
        while f"rId{number}" in used:
            number += 1
        rid = f"rId{number}"
        base = posixpath.dirname(source)
        rels.append(Relationship(rid, reltype, posixpath.relpath(target, base or ".")))
        self._changed_rels.add(rels_name(source) if source else "_rels/.rels")
        return rid

    def drop_relationships(self, source: str, reltype_suffix: str) -> None:
        """Remove the relationships of ``source`` whose type ends in ``reltype_suffix``."""
        rels = self.relationships(source)
        kept = [r for r in rels if not r.type.endswith(reltype_suffix)]
        if len(kept) != len(rels):
            rels[:] = kept
            self._changed_rels.add(rels_name(source) if source else "_rels/.rels")

    def next_name(self, template: str) -> str:
        """The first free part name of ``template`` (``word/charts/chart%d.xml``), from 1."""
        number = 1
        while template % number in self._parts:
            number += 1
        return template % number

    # Write changed relationships and content types into their parts.
    def _flush(self) -> None:
        for name in sorted(self._changed_rels):
            self._parts[name] = _rels_xml(self._rels[name])
            self.add_default("rels", _RELS_CT)
        self._changed_rels.clear()
        if self._types_changed:
            self._parts[CONTENT_TYPES] = _types_xml(self._defaults, self._overrides)
            self._types_changed = False

    def save(self, path: Path, created: dt.datetime) -> None:
        """Write the package to ``path``: parts in order, fixed entry times, one compression pass.

        Entries are stamped with ``created``, so the same input gives the same bytes.
        Already-compressed parts (embedded workbooks, images) are stored as they are.
        """
        self._flush()
        stamp = max(created, ZIP_EPOCH).timetuple()[:6]
        names = [CONTENT_TYPES, *(n for n in self._parts if n != CONTENT_TYPES)]
        with zipfile.ZipFile(path, "w") as target:
            for name in names:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                stored = name.rsplit(".", 1)[-1].lower() in _COMPRESSED
                entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, self._parts[name])


# [Content_Types].xml read: Default by extension (lower case), Override by part name.
def _content_types(data: bytes | None) -> tuple[dict[str, str], dict[str, str]]:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for match in _ELEMENT.finditer(data.decode("utf-8") if data else ""):
        attrs = attributes(match[2])
        if match[1] == "Default" and "Extension" in attrs:
            defaults[attrs["Extension"].lower()] = attrs.get("ContentType", "")
        elif match[1] == "Override" and "PartName" in attrs:
            overrides[attrs["PartName"]] = attrs.get("ContentType", "")
    return defaults, overrides


# [Content_Types].xml written: sorted, so the same parts give the same bytes.
def _types_xml(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    lines = [
        f'{XML_DECLARATION}<Types xmlns="{_CT_NS}">',
        *(
            f'<Default Extension="{_esc(e)}" ContentType="{_esc(t)}"/>'
            for e, t in sorted(defaults.items())
        ),
        *(
            f'<Override PartName="{_esc(n)}" ContentType="{_esc(t)}"/>'
            for n, t in sorted(overrides.items())
        ),
        "</Types>",
    ]
    return "".join(lines).encode("utf-8")


# A relationships part, in the order of its relationships.
def _rels_xml(rels: list[Relationship]) -> bytes:
    lines = [f'{XML_DECLARATION}<Relationships xmlns="{_RELS_NS}">']
    for r in rels:
        mode = ' TargetMode="External"' if r.external else ""
        lines.append(
            f'<Relationship Id="{_esc(r.id)}" Type="{_esc(r.type)}" '
            f'Target="{_esc(r.target)}"{mode}/>'
        )
    lines.append("</Relationships>")
    return "".join(lines).encode("utf-8")


# Text escaped for an attribute.
def _esc(text: str) -> str:
    return text.translate(_ESCAPES)
