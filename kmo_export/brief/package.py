"""The brief's package around its body: the body spliced in, language, core and app properties.

Each function changes one part of a :class:`~kmo_export.brief.opc.Package` opened on the
template; every other part keeps the template's bytes.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import TemplateError
from .opc import ATTRIBUTES, ROOT, RT, XML_DECLARATION, Package, attributes
from .template import DOCUMENT_CT, Body
from .wordml import A4, NAMESPACES, Page, esc

_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_RT_APP = RT + "extended-properties"
_CORE_CT = "application/vnd.openxmlformats-package.core-properties+xml"
_APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_LANG = re.compile(rf"<w:lang\b{ATTRIBUTES}/>")


def set_body(package: Package, document: str, body: str) -> None:
    """Replace the template's body content by ``body``, keeping its final w:sectPr.

    The namespace prefixes the body uses (``w``, ``r``, ``wp``, ``a``, ``c``) are declared
    on the document's root where the template does not declare them already.
    """
    xml = package.text(document)
    root = ROOT.search(xml)
    if root is None:
        raise TemplateError(f"{document}: has no root element")
    declared = attributes(root[2])  # a binding to another namespace: refused by load_template
    added = "".join(
        f' xmlns:{prefix}="{uri}"'
        for prefix, uri in NAMESPACES.items()
        if f"xmlns:{prefix}" not in declared
    )
    xml = xml[: root.start()] + f"<{root[1]}{root[2]}{added}>" + xml[root.end() :]
    parts = Body.of(xml)
    new = parts.head + body + _with_page(parts.sect_pr) + parts.tail
    package.write(document, new.encode("utf-8"), DOCUMENT_CT)


# The body's final w:sectPr with a page size and margins where the template gives none (Word
# would take US Letter; the brief is laid out for A4, as wordml.page_of assumes then).
def _with_page(sect_pr: str | None) -> str:
    if sect_pr is None or re.fullmatch(r"<w:sectPr\b[^>]*/>", sect_pr):
        return f"<w:sectPr>{_page_size(A4)}{_margins(A4)}</w:sectPr>"
    if "<w:pgSz" in sect_pr:
        return sect_pr
    missing = _page_size(A4) + ("" if "<w:pgMar" in sect_pr else _margins(A4))
    # w:pgSz and w:pgMar come after the header and footer references, notes and section type.
    follower = _AFTER_PAGE_SIZE.search(sect_pr, sect_pr.index(">") + 1)
    at = follower.start() if follower else sect_pr.rindex("</w:sectPr>")
    return sect_pr[:at] + missing + sect_pr[at:]


_AFTER_PAGE_SIZE = re.compile(
    r"<w:(?:pgMar|paperSrc|pgBorders|lnNumType|pgNumType|cols|formProt|vAlign|noEndnote"
    r"|titlePg|textDirection|bidi|rtlGutter|docGrid|printerSettings|sectPrChange)\b"
)


# The w:pgSz of a page.
def _page_size(page: Page) -> str:
    orient = ' w:orient="landscape"' if page.landscape else ""
    return f'<w:pgSz w:w="{page.width}" w:h="{page.height}"{orient}/>'


# The w:pgMar of a page (top and bottom as the bundled template's).
def _margins(page: Page) -> str:
    return (
        f'<w:pgMar w:top="1418" w:right="{page.right}" w:bottom="1418" w:left="{page.left}" '
        'w:header="709" w:footer="709" w:gutter="0"/>'
    )


def translate_headers(package: Package, document: str, old: str, new: str) -> None:
    """In the document's headers and footers, a text run ``old`` becomes ``new``."""
    for reltype in ("header", "footer"):
        for name in package.related(document, RT + reltype):
            xml = package.text(name)
            changed = xml.replace(f">{esc(old)}</w:t>", f">{esc(new)}</w:t>")
            if changed != xml:
                package.write(name, changed.encode("utf-8"))


def set_language(package: Package, styles: str, tag: str) -> None:
    """The document language in the style defaults (what Word and screen readers use)."""
    xml = package.text(styles)
    lang = f'<w:lang w:val="{esc(tag)}"/>'
    defaults = re.search(r"<w:docDefaults\s*(/?)>", xml)
    if defaults is None or defaults[1]:
        block = f"<w:docDefaults><w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault></w:docDefaults>"
        if defaults is not None:
            xml = xml[: defaults.start()] + block + xml[defaults.end() :]
        else:
            root = ROOT.search(xml)
            if root is None or root[3]:
                raise TemplateError(f"{styles}: has no styles")
            xml = xml[: root.end()] + block + xml[root.end() :]
    else:
        end = xml.index("</w:docDefaults>", defaults.end())
        xml = xml[: defaults.end()] + _with_language(xml[defaults.end() : end], lang) + xml[end:]
    package.write(styles, xml.encode("utf-8"))


# The inside of w:docDefaults with w:lang set in w:rPrDefault/w:rPr (each made if missing).
def _with_language(inside: str, lang: str) -> str:
    default = re.search(r"<w:rPrDefault\s*(/?)>", inside)
    if default is None or default[1]:
        block = f"<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"
        if default is None:  # w:rPrDefault comes first in w:docDefaults
            return block + inside
        return inside[: default.start()] + block + inside[default.end() :]
    end = inside.index("</w:rPrDefault>", default.end())
    rpr = re.search(r"<w:rPr\s*(/?)>", inside[default.end() : end])
    if rpr is None or rpr[1]:
        block = f"<w:rPr>{lang}</w:rPr>"
        at = default.end() + (rpr.start() if rpr else 0)
        skip = rpr.end() - rpr.start() if rpr else 0
        return inside[:at] + block + inside[at + skip :]
    start = default.end() + rpr.end()
    stop = inside.index("</w:rPr>", start)
    properties = inside[start:stop]
    found = _LANG.search(properties)
    if found is not None:
        attrs = attributes(found[1])
        attrs["w:val"] = lang.split('"')[1]
        written = "".join(f' {k}="{esc(v)}"' for k, v in attrs.items())
        properties = properties[: found.start()] + f"<w:lang{written}/>" + properties[found.end() :]
    else:
        # w:lang comes before these in w:rPr (schema order).
        followers = [properties.find(f"<w:{t}") for t in ("eastAsianLayout", "specVanish", "oMath")]
        at = min((f for f in followers if f >= 0), default=len(properties))
        properties = properties[:at] + lang + properties[at:]
    return inside[:start] + properties + inside[stop:]


def set_properties(
    package: Package, title: str, subject: str, tag: str, created: dt.datetime
) -> None:
    """Core and application properties that are true of the brief.

    Core: title and subject for readers, the language, both dates the build's timestamp,
    no print date (the brief was never printed). Application (docProps/app.xml): made by
    kmo-export and its version; no template name and no page or word counts, which only
    Word computes when it lays out the text.
    """
    core_name = _property_part(package, _RT_CORE, "docProps/core.xml")
    package.write(core_name, core_properties_xml(title, subject, tag, created), _CORE_CT)
    app_name = _property_part(package, _RT_APP, "docProps/app.xml")
    package.write(app_name, app_properties_xml(), _APP_CT)


# The package's part of a property relationship type; related under ``default`` if missing.
def _property_part(package: Package, reltype: str, default: str) -> str:
    found = package.related("", reltype)
    if found:
        return found[0]
    package.relate("", reltype, default)
    return default


def core_properties_xml(title: str, subject: str, tag: str, created: dt.datetime) -> bytes:
    """docProps/core.xml: title, subject, creator, revision 1, the dates and the language."""
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    date = f'xsi:type="dcterms:W3CDTF">{stamp}'
    return (
        XML_DECLARATION
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(title)}</dc:title><dc:subject>{esc(subject)}</dc:subject>"
        "<dc:creator>kmo-export</dc:creator><cp:lastModifiedBy>kmo-export</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><dcterms:created {date}</dcterms:created>"
        f"<dcterms:modified {date}</dcterms:modified><dc:language>{esc(tag)}</dc:language>"
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_properties_xml() -> bytes:
    """docProps/app.xml naming kmo-export and its version as the application."""
    from .. import __version__

    return (
        XML_DECLARATION + f'<Properties xmlns="{_EP}" xmlns:vt="{_VT}">'
        f"<Application>kmo-export/{esc(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity>"
        "<LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()
