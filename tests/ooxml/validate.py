"""Validate .xlsx / .docx (Office Open XML) packages the way Office is strict.

The project's own ECMA-376 validator, so that a lone clone runs its tests: it needs nothing
outside this repository. It checks packages, parts against the schemas and Office's own rules,
offers :func:`problems` for the tests, and reads the schemas from ``schemas/`` beside this
file. Those are the ECMA-376 5th edition Transitional schemas (Part 4) and the Open Packaging
Conventions schemas (Part 2), unmodified, with three small stand-ins for the W3C ``xml:`` and
Dublin Core schemas; ``schemas/README.md`` says where they come from and carries Ecma's
copyright notice, ``schemas/SHA256SUMS`` their checksums.

In the tests::

    from tests.ooxml.validate import problems
    assert problems(xlsx, docx) == []

From the command line::

    uv run python -m tests.ooxml.validate [-v] [--time] [--strict] [--no-vml] FILE.xlsx ...

Checks, per package:

* ZIP: readable, no duplicate (case-insensitive) part names, only stored/deflated entries, no
  encryption, valid part names.
* ``[Content_Types].xml``: present, schema-valid, no duplicate Default/Override, every part has
  a content type.
* Relationships: every .rels part is schema-valid and belongs to an existing part, every
  internal target exists, the target's content type fits the relationship type, every r:id /
  r:embed / o:relid used in a part names a relationship of that part, and of the right kind
  (e.g. c:chart -> chart).
* XML parts: well-formed, UTF-8/UTF-16, no DTD; Markup Compatibility (mc:Ignorable,
  mc:AlternateContent, mc:ProcessContent, mc:MustUnderstand) is processed as by a consumer
  that understands only the ECMA-376 namespaces; the root element must fit the content type;
  then the part is validated against the ECMA-376 Transitional XSD (VML shapes too).
* Office rules the XSD does not express: duplicate drawing ids (wp:docPr across a document,
  xdr:cNvPr per drawing), sheet and defined names, table ids/names/columns/overlaps, row/cell
  order, merged-cell overlaps, shared-string / style / dxf indexes, chart axis ids and series
  idx, xsi:type on core-properties dates.
* Embedded packages (e.g. the workbook behind a chart in a .docx).

A few constructs that Office itself writes although the XSD rejects them are tolerated (see
relax_office); things Office tolerates but a generator should not produce are reported as
warnings (counted as problems with --strict).

Output: one line per problem, "FILE:PART: message", then "N files, M problems" (plus
" (K warnings)" when there are any). Exit status: 1 if any problem was found, 0 otherwise,
2 on usage errors. Office 2010+ extension markup (x14, w14, c14, ...) is not validated: it is
dropped where declared ignorable, as an ECMA-376-only consumer would.
"""

from __future__ import annotations

import argparse
import copy
import glob
import io
import os
import posixpath
import re
import sys
import time
import zipfile
from urllib.parse import unquote

from lxml import etree

#: The vendored schemas (see schemas/README.md).
SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")

# --------------------------------------------------------------------------
# Namespaces
# --------------------------------------------------------------------------
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCT_NS = "http://purl.org/dc/terms/"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
DGM_NS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
CS_NS = "http://schemas.microsoft.com/office/drawing/2012/chartStyle"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"

PREFIXES = {
    S_NS: "x",
    W_NS: "w",
    A_NS: "a",
    C_NS: "c",
    CDR_NS: "cdr",
    XDR_NS: "xdr",
    WP_NS: "wp",
    PIC_NS: "pic",
    DGM_NS: "dgm",
    R_NS: "r",
    MC: "mc",
    CT_NS: "ct",
    PR_NS: "pr",
    CP_NS: "cp",
    DC_NS: "dc",
    DCT_NS: "dcterms",
    EP_NS: "ep",
    CUP_NS: "cup",
    VT_NS: "vt",
    DS_NS: "ds",
    M_NS: "m",
    V_NS: "v",
    "urn:schemas-microsoft-com:office:office": "o",
    "urn:schemas-microsoft-com:office:excel": "xv",
    "urn:schemas-microsoft-com:office:word": "wv",
    XML_NS: "xml",
    XSI: "xsi",
    # common Office 2010+ extension namespaces (no schema here; named for readability)
    "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac": "x14ac",
    "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main": "x14",
    "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main": "x15",
    "http://schemas.microsoft.com/office/excel/2006/main": "xm",
    "http://schemas.microsoft.com/office/word/2010/wordml": "w14",
    "http://schemas.microsoft.com/office/word/2012/wordml": "w15",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing": "wp14",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "wps",
    "http://schemas.microsoft.com/office/drawing/2007/8/2/chart": "c14",
    "http://schemas.microsoft.com/office/drawing/2010/main": "a14",
    CS_NS: "cs",
}
STRICT_PREFIX = "http://purl.oclc.org/ooxml/"

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_PKG = "http://schemas.openxmlformats.org/package/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."

# content type -> expected root element (namespace, local name)
CONTENT_TYPE_ROOTS = {
    CT + "spreadsheetml.sheet.main+xml": (S_NS, "workbook"),
    CT + "spreadsheetml.template.main+xml": (S_NS, "workbook"),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": (S_NS, "workbook"),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": (S_NS, "workbook"),
    CT + "spreadsheetml.worksheet+xml": (S_NS, "worksheet"),
    CT + "spreadsheetml.chartsheet+xml": (S_NS, "chartsheet"),
    CT + "spreadsheetml.dialogsheet+xml": (S_NS, "dialogsheet"),
    CT + "spreadsheetml.styles+xml": (S_NS, "styleSheet"),
    CT + "spreadsheetml.sharedStrings+xml": (S_NS, "sst"),
    CT + "spreadsheetml.table+xml": (S_NS, "table"),
    CT + "spreadsheetml.comments+xml": (S_NS, "comments"),
    CT + "spreadsheetml.calcChain+xml": (S_NS, "calcChain"),
    CT + "spreadsheetml.sheetMetadata+xml": (S_NS, "metadata"),
    CT + "spreadsheetml.pivotTable+xml": (S_NS, "pivotTableDefinition"),
    CT + "spreadsheetml.pivotCacheDefinition+xml": (S_NS, "pivotCacheDefinition"),
    CT + "spreadsheetml.pivotCacheRecords+xml": (S_NS, "pivotCacheRecords"),
    CT + "spreadsheetml.externalLink+xml": (S_NS, "externalLink"),
    CT + "spreadsheetml.connections+xml": (S_NS, "connections"),
    CT + "spreadsheetml.queryTable+xml": (S_NS, "queryTable"),
    CT + "spreadsheetml.tableSingleCells+xml": (S_NS, "singleXmlCells"),
    CT + "spreadsheetml.volatileDependencies+xml": (S_NS, "volTypes"),
    CT + "spreadsheetml.revisionHeaders+xml": (S_NS, "headers"),
    CT + "spreadsheetml.revisionLog+xml": (S_NS, "revisions"),
    CT + "spreadsheetml.userNames+xml": (S_NS, "users"),
    CT + "drawing+xml": (XDR_NS, "wsDr"),
    CT + "drawingml.chart+xml": (C_NS, "chartSpace"),
    CT + "drawingml.chartshapes+xml": (C_NS, "userShapes"),
    CT + "drawingml.diagramData+xml": (DGM_NS, "dataModel"),
    CT + "drawingml.diagramLayout+xml": (DGM_NS, "layoutDef"),
    CT + "drawingml.diagramStyle+xml": (DGM_NS, "styleDef"),
    CT + "drawingml.diagramColors+xml": (DGM_NS, "colorsDef"),
    CT + "theme+xml": (A_NS, "theme"),
    CT + "themeOverride+xml": (A_NS, "themeOverride"),
    CT + "extended-properties+xml": (EP_NS, "Properties"),
    CT + "custom-properties+xml": (CUP_NS, "Properties"),
    CT + "customXmlProperties+xml": (DS_NS, "datastoreItem"),
    "application/vnd.openxmlformats-package.core-properties+xml": (CP_NS, "coreProperties"),
    "application/vnd.openxmlformats-package.relationships+xml": (PR_NS, "Relationships"),
    CT + "wordprocessingml.document.main+xml": (W_NS, "document"),
    CT + "wordprocessingml.template.main+xml": (W_NS, "document"),
    "application/vnd.ms-word.document.macroEnabled.main+xml": (W_NS, "document"),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": (W_NS, "document"),
    CT + "wordprocessingml.styles+xml": (W_NS, "styles"),
    "application/vnd.ms-word.stylesWithEffects+xml": (W_NS, "styles"),
    CT + "wordprocessingml.numbering+xml": (W_NS, "numbering"),
    CT + "wordprocessingml.settings+xml": (W_NS, "settings"),
    CT + "wordprocessingml.webSettings+xml": (W_NS, "webSettings"),
    CT + "wordprocessingml.fontTable+xml": (W_NS, "fonts"),
    CT + "wordprocessingml.header+xml": (W_NS, "hdr"),
    CT + "wordprocessingml.footer+xml": (W_NS, "ftr"),
    CT + "wordprocessingml.footnotes+xml": (W_NS, "footnotes"),
    CT + "wordprocessingml.endnotes+xml": (W_NS, "endnotes"),
    CT + "wordprocessingml.comments+xml": (W_NS, "comments"),
    CT + "wordprocessingml.document.glossary+xml": (W_NS, "glossaryDocument"),
    # Office 2013+ chart style parts (root checked only; no schema bundled)
    "application/vnd.ms-office.chartstyle+xml": (CS_NS, "chartStyle"),
    "application/vnd.ms-office.chartcolorstyle+xml": (CS_NS, "colorStyle"),
}

WORD_STORY_TYPES = {
    CT + "wordprocessingml.document.main+xml",
    CT + "wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    CT + "wordprocessingml.header+xml",
    CT + "wordprocessingml.footer+xml",
    CT + "wordprocessingml.footnotes+xml",
    CT + "wordprocessingml.endnotes+xml",
    CT + "wordprocessingml.comments+xml",
}

EMBEDDED_PACKAGE_TYPES = {
    CT + "spreadsheetml.sheet",
    CT + "wordprocessingml.document",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
    CT + "spreadsheetml.template",
    CT + "wordprocessingml.template",
}

_WB = {
    CT + "spreadsheetml.sheet.main+xml",
    CT + "spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
_DOC = {
    CT + "wordprocessingml.document.main+xml",
    CT + "wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_PPT = {
    CT + "presentationml.presentation.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    CT + "presentationml.template.main+xml",
    CT + "presentationml.slideshow.main+xml",
}

# relationship type -> allowed target content types (None: any; "image/": prefix)
REL_TARGET_TYPES = {
    RT + "officeDocument": _WB | _DOC | _PPT,
    RT + "worksheet": {CT + "spreadsheetml.worksheet+xml"},
    RT + "chartsheet": {CT + "spreadsheetml.chartsheet+xml"},
    RT + "dialogsheet": {CT + "spreadsheetml.dialogsheet+xml"},
    RT + "styles": {CT + "spreadsheetml.styles+xml", CT + "wordprocessingml.styles+xml"},
    RT + "sharedStrings": {CT + "spreadsheetml.sharedStrings+xml"},
    RT + "theme": {CT + "theme+xml"},
    RT + "themeOverride": {CT + "themeOverride+xml"},
    RT + "drawing": {CT + "drawing+xml"},
    RT + "chart": {CT + "drawingml.chart+xml"},
    RT + "chartUserShapes": {CT + "drawingml.chartshapes+xml"},
    RT + "table": {CT + "spreadsheetml.table+xml"},
    RT + "comments": {CT + "spreadsheetml.comments+xml", CT + "wordprocessingml.comments+xml"},
    RT + "vmlDrawing": {CT + "vmlDrawing"},
    RT + "calcChain": {CT + "spreadsheetml.calcChain+xml"},
    RT + "sheetMetadata": {CT + "spreadsheetml.sheetMetadata+xml"},
    RT + "pivotTable": {CT + "spreadsheetml.pivotTable+xml"},
    RT + "pivotCacheDefinition": {CT + "spreadsheetml.pivotCacheDefinition+xml"},
    RT + "pivotCacheRecords": {CT + "spreadsheetml.pivotCacheRecords+xml"},
    RT + "externalLink": {CT + "spreadsheetml.externalLink+xml"},
    RT + "numbering": {CT + "wordprocessingml.numbering+xml"},
    RT + "settings": {CT + "wordprocessingml.settings+xml"},
    RT + "webSettings": {CT + "wordprocessingml.webSettings+xml"},
    RT + "fontTable": {CT + "wordprocessingml.fontTable+xml"},
    RT + "header": {CT + "wordprocessingml.header+xml"},
    RT + "footer": {CT + "wordprocessingml.footer+xml"},
    RT + "footnotes": {CT + "wordprocessingml.footnotes+xml"},
    RT + "endnotes": {CT + "wordprocessingml.endnotes+xml"},
    RT + "extended-properties": {CT + "extended-properties+xml"},
    RT + "custom-properties": {CT + "custom-properties+xml"},
    RT_PKG + "metadata/core-properties": {
        "application/vnd.openxmlformats-package.core-properties+xml"
    },
    RT + "customXmlProps": {CT + "customXmlProperties+xml"},
    RT + "image": "image/",
    RT_PKG + "metadata/thumbnail": "image/",
    "http://schemas.microsoft.com/office/2011/relationships/chartStyle": {
        "application/vnd.ms-office.chartstyle+xml"
    },
    "http://schemas.microsoft.com/office/2011/relationships/chartColorStyle": {
        "application/vnd.ms-office.chartcolorstyle+xml"
    },
}
# (element, r: attribute) -> relationship types (last URI segment) it may name
REF_REL_TYPES = {
    (f"{{{C_NS}}}chart", "id"): {"chart"},
    (f"{{{C_NS}}}externalData", "id"): {"package", "oleObject"},
    (f"{{{C_NS}}}userShapes", "id"): {"chartUserShapes"},
    (f"{{{A_NS}}}blip", "embed"): {"image"},
    (f"{{{A_NS}}}blip", "link"): {"image"},
    (f"{{{W_NS}}}headerReference", "id"): {"header"},
    (f"{{{W_NS}}}footerReference", "id"): {"footer"},
    (f"{{{W_NS}}}hyperlink", "id"): {"hyperlink"},
    (f"{{{S_NS}}}hyperlink", "id"): {"hyperlink"},
    (f"{{{S_NS}}}drawing", "id"): {"drawing"},
    (f"{{{S_NS}}}legacyDrawing", "id"): {"vmlDrawing"},
    (f"{{{S_NS}}}tablePart", "id"): {"table"},
    (f"{{{S_NS}}}sheet", "id"): {
        "worksheet",
        "chartsheet",
        "dialogsheet",
        "xlMacrosheet",
        "xlIntlMacrosheet",
    },
    (f"{{{S_NS}}}pivotCache", "id"): {"pivotCacheDefinition"},
}
OFFICE_DOCUMENT_RELS = {
    RT + "officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
}

ZIP_METHODS_OK = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
MAX_SCHEMA_MESSAGES = 20


def short(text: str) -> str:
    """Replace '{namespace}' by 'prefix:' in lxml messages."""

    def sub(m):
        ns = m.group(1)
        p = PREFIXES.get(ns)
        return f"{p}:" if p else "{" + ns + "}"

    return re.sub(r"\{([^}]*)\}", sub, text)


def qn(tag: str) -> str:
    return short(tag)


def split_tag(tag):
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


# --------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------
class SchemaSet:
    """All schemas under one wrapper, compiled once per process."""

    SUPPORT = ("support/xml.xsd", "support/dc.xsd", "support/dcterms.xsd")

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._schema = None
        self.namespaces: set[str] = set()
        self.files: list[tuple[str, str]] = []
        found = sorted(
            os.path.relpath(p, self.root)
            for sub in ("transitional", "opc")
            for p in glob.glob(os.path.join(self.root, sub, "*.xsd"))
        )
        for rel in [*self.SUPPORT, *found]:
            path = os.path.join(self.root, rel)
            if not os.path.exists(path):
                continue
            ns = None
            with open(path, "rb") as xsd:
                for _, el in etree.iterparse(xsd, events=("start",)):
                    ns = el.get("targetNamespace")
                    break
            if ns and ns not in self.namespaces:
                self.namespaces.add(ns)
                self.files.append((ns, rel.replace(os.sep, "/")))
        if S_NS not in self.namespaces or W_NS not in self.namespaces:
            raise SystemExit(f"ooxml_validate: no ECMA-376 schemas found under {self.root}")

    @property
    def schema(self) -> etree.XMLSchema:
        if self._schema is None:
            imports = "".join(
                f'<xs:import namespace="{ns}" schemaLocation="{rel}"/>' for ns, rel in self.files
            )
            wrapper = f'<xs:schema xmlns:xs="{XSD}">{imports}</xs:schema>'
            support = os.path.join(self.root, "support")

            class Resolver(etree.Resolver):
                def resolve(self, url, pubid, context):
                    # the OPC core-properties schema points at dublincore.org
                    base = url.rsplit("/", 1)[-1]
                    if url.startswith(("http://", "https://")) and base in (
                        "dc.xsd",
                        "dcterms.xsd",
                        "xml.xsd",
                    ):
                        return self.resolve_filename(os.path.join(support, base), context)
                    return None

            parser = etree.XMLParser(no_network=True)
            parser.resolvers.add(Resolver())
            doc = etree.fromstring(wrapper.encode(), parser, base_url=self.root + "/__all__.xsd")
            self._schema = etree.XMLSchema(etree.ElementTree(doc))
        return self._schema


# --------------------------------------------------------------------------
# Markup compatibility (ECMA-376 Part 3)
# --------------------------------------------------------------------------
MC_ATTRS = {
    f"{{{MC}}}{n}"
    for n in (
        "Ignorable",
        "ProcessContent",
        "MustUnderstand",
        "PreserveElements",
        "PreserveAttributes",
    )
}


XMLNS_RE = re.compile(rb"""xmlns(?::[^\s=/>]+)?\s*=\s*["']([^"']*)["']""")
FIND_R_ATTRS = etree.XPath("//@r:* | //@o:relid", namespaces={"r": R_NS, "o": O_NS})
FIND_XML_SPACE = etree.XPath("//@xml:space")
FIND_GFXDATA = etree.XPath("//@o:gfxdata", namespaces={"o": O_NS})


class MceProcessor:
    """ECMA-376 Part 3 processing for a consumer that understands `understood`.

    mc:AlternateContent is replaced by its first mc:Choice whose Requires are all
    understood (else its mc:Fallback, else nothing); elements and attributes of
    ignorable, not-understood namespaces are removed (elements named in
    mc:ProcessContent are unwrapped); mc:MustUnderstand of an unknown namespace
    is an error; finally all mc:* attributes are dropped. Content of
    extLst/ext elements is left alone (the schemas skip it anyway).
    Works with XPath so that large parts stay fast.
    """

    def __init__(self, understood: set[str], report):
        self.understood = understood
        self.report = report

    FIND_MC_ATTRS = etree.XPath("//@mc:*", namespaces={"mc": MC})

    def _nss(self, el, value, what):
        out = set()
        for p in value.split():
            ns = el.nsmap.get(p)
            if ns is None:
                self.report(f"line {el.sourceline}: mc:{what} names undeclared prefix '{p}'")
            elif ns == MC:
                self.report(f"line {el.sourceline}: mc:{what} must not name the mc namespace")
            else:
                out.add(ns)
        return out

    @staticmethod
    def _in_ext(el) -> bool:
        p = el.getparent()
        while p is not None:
            if split_tag(p.tag)[1] == "ext":
                gp = p.getparent()
                if gp is not None and split_tag(gp.tag)[1] == "extLst":
                    return True
            p = p.getparent()
        return False

    def run(self, root, declared: set[str]):
        """declared: the namespace URIs declared anywhere in the part."""
        if MC not in declared:
            return  # no markup compatibility at all: nothing is ignorable
        self.root = root
        self.extra = {}  # element moved out of an mc:AlternateContent -> (ignorable nss, ProcessContent)
        self._alternates()
        for el in list(root.iter(f"{{{MC}}}*")):
            if self._attached(el) and not self._in_ext(el):
                self.report(f"line {el.sourceline}: {qn(el.tag)} outside mc:AlternateContent")
                _remove(el, el.getparent())
        mc_attrs = self.FIND_MC_ATTRS(root)
        for a in mc_attrs:
            el = a.getparent()
            if a.attrname == f"{{{MC}}}Ignorable":
                self._nss(el, a, "Ignorable")  # reports undeclared prefixes
            elif a.attrname == f"{{{MC}}}MustUnderstand":
                for ns in self._nss(el, a, "MustUnderstand"):
                    if ns not in self.understood:
                        self.report(
                            f"line {el.sourceline}: mc:MustUnderstand names namespace {ns}, "
                            "which ECMA-376 consumers do not understand"
                        )
        unknown = sorted(declared - self.understood - {MC})
        if unknown:
            for el in list(root.iter(*[f"{{{ns}}}*" for ns in unknown])):
                if not self._attached(el) or self._in_ext(el):
                    continue
                ns, local = split_tag(el.tag)
                if ns not in self._ignorable(el):
                    continue  # left for the schema to reject
                parent = el.getparent()
                if parent is None:
                    self.report(f"line {el.sourceline}: root element is in an ignorable namespace")
                    continue
                if self._process_content(el, ns, local):
                    idx = parent.index(el)
                    for k in reversed(list(el)):
                        parent.insert(idx + 1, k)
                _remove(el, parent)
            nsb = {f"n{i}": ns for i, ns in enumerate(unknown)}
            for a in root.xpath("|".join(f"//@{p}:*" for p in nsb), namespaces=nsb):
                el = a.getparent()
                if el is None or not self._attached(el) or self._in_ext(el):
                    continue
                ns, _ = split_tag(a.attrname)
                if ns in self._ignorable(el) and a.attrname in el.attrib:
                    del el.attrib[a.attrname]
        for a in mc_attrs:
            el = a.getparent()
            if a.attrname not in MC_ATTRS:
                self.report(f"line {el.sourceline}: unknown attribute {qn(a.attrname)}")
            if not self._attached(el) or self._in_ext(el):
                continue
            if a.attrname in el.attrib:
                del el.attrib[a.attrname]

    def _attached(self, el) -> bool:
        top = el
        while True:
            p = top.getparent()
            if p is None:
                return top is self.root
            top = p

    def _ignorable(self, el) -> set[str]:
        out = set()
        node = el
        while node is not None:
            v = node.get(f"{{{MC}}}Ignorable")
            if v:
                for p in v.split():
                    ns = node.nsmap.get(p)
                    if ns:
                        out.add(ns)
            if node in self.extra:
                out |= self.extra[node][0]
            node = node.getparent()
        return out

    def _process_content(self, el, ns, local) -> bool:
        node = el
        while node is not None:
            v = node.get(f"{{{MC}}}ProcessContent")
            if v:
                for item in v.split():
                    p, _, loc = item.partition(":")
                    if node.nsmap.get(p) == ns and loc in (local, "*"):
                        return True
            if node in self.extra and (
                (ns, local) in self.extra[node][1] or (ns, "*") in self.extra[node][1]
            ):
                return True
            node = node.getparent()
        return False

    def _alternates(self):
        tag = f"{{{MC}}}AlternateContent"
        while True:
            acs = []
            for ac in self.root.iter(tag):
                p, nested = ac.getparent(), False
                while p is not None:
                    if p.tag == tag:
                        nested = True
                        break
                    p = p.getparent()
                if not nested and not self._in_ext(ac):
                    acs.append(ac)
            if not acs:
                return
            for ac in acs:
                self._alternate(ac)

    def _alternate(self, ac):
        parent = ac.getparent()
        if parent is None:
            self.report(f"line {ac.sourceline}: root element is mc:AlternateContent")
            for k in list(ac):
                ac.remove(k)
            return
        chosen = None
        seen_fallback = False
        n_choice = 0
        for br in ac:
            if not isinstance(br.tag, str):
                continue
            bns, blocal = split_tag(br.tag)
            if bns != MC or blocal not in ("Choice", "Fallback"):
                self.report(
                    f"line {br.sourceline}: {qn(br.tag)} is not allowed in mc:AlternateContent"
                )
                continue
            if blocal == "Choice":
                n_choice += 1
                if seen_fallback:
                    self.report(f"line {br.sourceline}: mc:Choice after mc:Fallback")
                req = br.get("Requires")
                if not req:
                    self.report(f"line {br.sourceline}: mc:Choice without Requires")
                    continue
                nss = self._nss(br, req, "Choice/@Requires")
                if chosen is None and nss and all(n in self.understood for n in nss):
                    chosen = br
            else:
                if seen_fallback:
                    self.report(f"line {br.sourceline}: more than one mc:Fallback")
                seen_fallback = True
                if chosen is None:
                    chosen = br
        if n_choice == 0:
            self.report(f"line {ac.sourceline}: mc:AlternateContent without mc:Choice")
        idx = parent.index(ac)
        if chosen is not None:
            # mc:Ignorable / mc:ProcessContent written on the wrapper still apply to the content
            ign, pcs = set(), set()
            for x in (ac, chosen):
                v = x.get(f"{{{MC}}}Ignorable")
                if v:
                    ign |= self._nss(x, v, "Ignorable")
                v = x.get(f"{{{MC}}}ProcessContent")
                if v:
                    for item in v.split():
                        p, _, loc = item.partition(":")
                        if x.nsmap.get(p):
                            pcs.add((x.nsmap[p], loc))
            for k in reversed(list(chosen)):
                parent.insert(idx + 1, k)
                if isinstance(k.tag, str) and (ign or pcs):
                    self.extra[k] = (ign, pcs)
        _remove(ac, parent)


# --------------------------------------------------------------------------
# Known places where Office itself writes (and accepts) markup that the
# ECMA-376 XSD rejects; the tree is adjusted before validation so that these
# do not show up as false positives.
# --------------------------------------------------------------------------
XML_SPACE = f"{{{XML_NS}}}space"
# xml:space is only declared by the WordprocessingML and Math schemas, but
# Excel writes it on SpreadsheetML text elements (<t xml:space="preserve">).
XML_SPACE_OK = {W_NS, M_NS}


def relax_office(root):
    for a in FIND_XML_SPACE(root):
        el = a.getparent()
        if split_tag(el.tag)[0] not in XML_SPACE_OK:
            del el.attrib[XML_SPACE]
    # Word writes o:gfxdata (an embedded preview) on VML shapes
    for a in FIND_GFXDATA(root):
        del a.getparent().attrib[a.attrname]
    ns, _ = split_tag(root.tag)
    if ns == W_NS:
        # w:zoom/@w:percent is required by the XSD; Word writes <w:zoom w:val="bestFit"/>
        for el in root.iter(f"{{{W_NS}}}zoom"):
            if f"{{{W_NS}}}percent" not in el.attrib:
                el.set(f"{{{W_NS}}}percent", "100")
        # Word writes w:hint="cs" (the XSD knows only default/eastAsia)
        for el in root.iter(f"{{{W_NS}}}rFonts"):
            if el.get(f"{{{W_NS}}}hint") == "cs":
                el.set(f"{{{W_NS}}}hint", "default")
        # Word 2007 settings element from ECMA-376 1st edition
        for el in list(root.iter(f"{{{W_NS}}}uiCompat97To2003")):
            el.getparent().remove(el)
    elif ns == S_NS:
        # Excel 2007 writes alignment/@mergeCell (ECMA-376 1st edition)
        for el in root.iter(f"{{{S_NS}}}alignment"):
            if "mergeCell" in el.attrib:
                del el.attrib["mergeCell"]
    elif ns == C_NS:
        # Office for Mac writes negative (signed 32-bit) axis ids
        for tag in ("axId", "crossAx"):
            for el in root.iter(f"{{{C_NS}}}{tag}"):
                v = el.get("val") or ""
                if v.startswith("-") and v[1:].isdigit():
                    el.set("val", str(int(v) & 0xFFFFFFFF))
        # Excel writes stock charts with fewer than the 3 series the XSD demands
        for el in root.iter(f"{{{C_NS}}}stockChart"):
            sers = el.findall(f"{{{C_NS}}}ser")
            while sers and len(sers) < 3:
                dup = copy.deepcopy(sers[-1])
                sers[-1].addnext(dup)
                sers.append(dup)


def primary_branch(el) -> bool:
    """False for elements inside an mc:Fallback or a non-first mc:Choice: those are
    alternatives of the content Office reads, and may legitimately repeat ids."""
    p = el.getparent()
    while p is not None:
        if isinstance(p.tag, str) and p.tag.startswith("{" + MC + "}"):
            local = split_tag(p.tag)[1]
            if local == "Fallback":
                return False
            if local == "Choice":
                ac = p.getparent()
                first = ac.find(f"{{{MC}}}Choice") if ac is not None else None
                if first is not None and first is not p:
                    return False
        p = p.getparent()
    return True


def _remove(el, parent):
    # keep the text that follows the element
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# --------------------------------------------------------------------------
# Helpers for A1 references
# --------------------------------------------------------------------------
_CELL_RE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def parse_cell(ref: str):
    m = _CELL_RE.match(ref)
    if not m:
        return None
    return col_index(m.group(1)), int(m.group(2))


def parse_range(ref: str):
    parts = ref.split(":")
    if len(parts) == 1:
        c = parse_cell(parts[0])
        return (c[0], c[1], c[0], c[1]) if c else None
    if len(parts) == 2:
        a, b = parse_cell(parts[0]), parse_cell(parts[1])
        if a and b:
            return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
    return None


def overlaps(a, b) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


_R1C1_RE = re.compile(r"^[Rr]([0-9]*)[Cc]([0-9]*)$|^[RrCc]$")
_NAME_RE = re.compile(r"^[^\W\d.?][\w.\\?]*$")


def bad_defined_name(name: str) -> str:
    """Why Excel would reject a defined name, or ''."""
    if name.lower().startswith("_xlnm."):
        return ""
    if not name or len(name) > 255:
        return "has a bad length"
    if not _NAME_RE.match(name) and not (name.startswith("\\") and _NAME_RE.match("_" + name[1:])):
        return "contains characters Excel does not allow in names"
    if _R1C1_RE.match(name):
        return "looks like an R1C1 reference"
    c = parse_cell(name.upper())
    if c and c[0] <= 16384 and 1 <= c[1] <= 1048576:
        return "looks like a cell reference"
    return ""


# --------------------------------------------------------------------------
# Package validation
# --------------------------------------------------------------------------
class PackageValidator:
    def __init__(
        self,
        schemas: SchemaSet,
        out,
        label: str,
        data: bytes | None = None,
        path: str | None = None,
        depth: int = 0,
        opts=None,
    ):
        self.schemas = schemas
        self.out = out
        self.label = label
        self.data = data
        self.path = path
        self.depth = depth
        self.opts = opts
        self.count = 0
        self.warnings = 0
        self.strict_seen = False
        self.parts: dict[str, str] = {}  # lower-case part name -> zip name
        self.content_types: dict[str, str] = {}  # zip name -> content type
        self.rels: dict[
            str, dict[str, tuple[str, str, str | None]]
        ] = {}  # source -> Id -> (type, target, resolved)
        self.trees: dict[str, etree._ElementTree] = {}
        self.declared: dict[str, set[str]] = {}  # part -> namespace URIs declared in it

    # ---- reporting
    def problem(self, part: str, msg: str):
        self.count += 1
        self.out.write(f"{self.label}:{part}: {msg}\n")

    def warn(self, part: str, msg: str):
        if self.opts is not None and getattr(self.opts, "strict", False):
            self.problem(part, msg)
            return
        self.warnings += 1
        self.out.write(f"{self.label}:{part}: warning: {msg}\n")

    def note(self, part: str, msg: str):
        if self.opts is not None and getattr(self.opts, "verbose", False):
            sys.stderr.write(f"{self.label}:{part}: {msg}\n")

    # ---- main
    def run(self) -> int:
        try:
            zf = zipfile.ZipFile(io.BytesIO(self.data) if self.data is not None else self.path)
        except (zipfile.BadZipFile, OSError) as e:
            self.problem("-", f"not a readable ZIP package: {e}")
            return self.count
        with zf:
            self.zf = zf
            self.check_zip()
            self.check_content_types()
            self.load_relationships()
            self.check_parts()
            self.check_relationship_targets()
            self.check_office_rules()
        return self.count

    # ---- ZIP
    def check_zip(self):
        seen = {}
        for info in self.zf.infolist():
            name = info.filename
            if name.endswith("/"):
                continue
            low = name.lower()
            if low in seen:
                self.problem(name, f"duplicate part name (case-insensitive) of '{seen[low]}'")
                continue
            seen[low] = name
            self.parts[low] = name
            if info.compress_type not in ZIP_METHODS_OK:
                self.problem(
                    name,
                    f"ZIP compression method {info.compress_type} (Office reads only stored/deflate)",
                )
            if info.flag_bits & 0x1:
                self.problem(name, "encrypted ZIP entry")
            if name.startswith("/") or "\\" in name:
                self.problem(name, "invalid ZIP item name")
            segs = name.split("/")
            if any(s == "" or s.endswith(".") or s in (".", "..") for s in segs):
                self.problem(name, "invalid part name (empty segment or segment ending with '.')")
        if "[content_types].xml" not in self.parts:
            self.problem("[Content_Types].xml", "missing")

    def read(self, name: str) -> bytes:
        return self.zf.read(name)

    # ---- content types
    def check_content_types(self):
        name = self.parts.get("[content_types].xml")
        if not name:
            return
        tree = self.parse_xml(name, self.read(name))
        if tree is None:
            return
        self.validate_tree(name, tree, (CT_NS, "Types"))
        defaults, overrides = {}, {}
        root = tree.getroot()
        for el in root:
            if not isinstance(el.tag, str):
                continue
            if el.tag == f"{{{CT_NS}}}Default":
                ext = (el.get("Extension") or "").lower()
                if ext in defaults:
                    self.problem(
                        name, f"line {el.sourceline}: duplicate Default for extension '{ext}'"
                    )
                defaults[ext] = el.get("ContentType") or ""
            elif el.tag == f"{{{CT_NS}}}Override":
                pn = el.get("PartName") or ""
                key = unquote(pn).lower()
                if key in overrides:
                    self.problem(name, f"line {el.sourceline}: duplicate Override for '{pn}'")
                overrides[key] = el.get("ContentType") or ""
                if not pn.startswith("/"):
                    self.problem(
                        name, f"line {el.sourceline}: Override PartName '{pn}' must start with '/'"
                    )
                elif key[1:] not in self.parts:
                    # Excel itself leaves such Overrides (e.g. shared-workbook revision logs)
                    self.warn(name, f"line {el.sourceline}: Override for missing part '{pn}'")
        for low, zname in self.parts.items():
            if low == "[content_types].xml":
                continue
            ct = overrides.get("/" + low)
            if ct is None:
                ext = low.rsplit(".", 1)[-1] if "." in low.rsplit("/", 1)[-1] else ""
                ct = defaults.get(ext)
            if ct is None:
                self.problem(
                    zname, "no content type (no Override and no Default for its extension)"
                )
            else:
                self.content_types[zname] = ct

    # ---- relationships
    @staticmethod
    def source_of_rels(relsname: str) -> str | None:
        d, _, base = relsname.rpartition("/")
        if not base.endswith(".rels"):
            return None
        if d == "_rels":
            src_dir = ""
        elif d.endswith("/_rels"):
            src_dir = d[: -len("/_rels")]
        else:
            return None
        src = base[: -len(".rels")]
        return (src_dir + "/" + src) if src_dir else src

    def resolve_target(self, source: str, target: str) -> str | None:
        t = unquote(target.split("#", 1)[0])
        if not t:
            return None
        if t.startswith("/"):
            path = t[1:]
        else:
            base = posixpath.dirname(source) if source else ""
            path = posixpath.join(base, t) if base else t
        norm = posixpath.normpath(path)
        if norm.startswith("../") or norm == "..":
            return None
        return norm

    def find_part(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.parts.get(name.lower())

    def load_relationships(self):
        for low, zname in sorted(self.parts.items()):
            if not low.endswith(".rels"):
                continue
            src = self.source_of_rels(zname)
            if src is None:
                self.problem(zname, "relationship part outside a _rels folder")
                continue
            if src and self.find_part(src) is None:
                self.problem(zname, f"relationships for missing source part '{src}'")
            ct = self.content_types.get(zname)
            if ct and ct != "application/vnd.openxmlformats-package.relationships+xml":
                self.problem(zname, f"content type '{ct}' for a relationship part")
            tree = self.parse_xml(zname, self.read(zname))
            if tree is None:
                continue
            self.validate_tree(zname, tree, (PR_NS, "Relationships"))
            table = {}
            for el in tree.getroot():
                if el.tag != f"{{{PR_NS}}}Relationship":
                    continue
                rid, rtype, target = el.get("Id"), el.get("Type") or "", el.get("Target") or ""
                mode = el.get("TargetMode") or "Internal"
                resolved = None
                if mode == "Internal":
                    # "#name": a location inside the source part (Office writes these for
                    # hyperlinks to bookmarks / cells); nothing to resolve
                    resolved = None if target.startswith("#") else self.resolve_target(src, target)
                    if target.startswith("#"):
                        pass
                    elif resolved is None:
                        self.problem(
                            zname, f"line {el.sourceline}: {rid}: bad internal target '{target}'"
                        )
                    else:
                        actual = self.find_part(resolved)
                        if actual is None:
                            self.problem(
                                zname,
                                f"line {el.sourceline}: {rid}: target '{target}' does not exist",
                            )
                        else:
                            resolved = actual
                            if actual.lower().endswith(".rels") or actual == self.parts.get(
                                "[content_types].xml"
                            ):
                                self.problem(
                                    zname,
                                    f"line {el.sourceline}: {rid}: target is a package-internal part",
                                )
                            self.check_rel_type(zname, el, rid, rtype, actual)
                if rid in table:
                    continue  # duplicate Id already reported by the schema (xsd:ID)
                table[rid] = (rtype, target, resolved if mode == "Internal" else None)
            self.rels[src] = table

    def check_rel_type(self, relsname, el, rid, rtype, target):
        allowed = REL_TARGET_TYPES.get(rtype)
        if allowed is None:
            return
        ct = self.content_types.get(target)
        if ct is None:
            return
        ok = ct.startswith(allowed) if isinstance(allowed, str) else ct in allowed
        if not ok:
            hint = (
                " (missing Override in [Content_Types].xml?)"
                if ct in ("application/xml", "text/xml")
                else ""
            )
            self.problem(
                relsname,
                f"line {el.sourceline}: {rid}: relationship type "
                f"'{rtype.rsplit('/', 1)[-1]}' points at content type '{ct}'{hint}",
            )

    def check_relationship_targets(self):
        # r:id-style attributes must name a relationship of their part
        for zname, tree in self.trees.items():
            if zname.lower().endswith(".rels") or zname == self.parts.get("[content_types].xml"):
                continue
            table = self.rels.get(zname, {})
            for v in FIND_R_ATTRS(tree):
                if not v:
                    continue
                el = v.getparent()
                if v not in table:
                    self.problem(
                        zname,
                        f"line {el.sourceline}: {qn(el.tag)}/@{qn(v.attrname)}="
                        f"'{v}' names no relationship of this part",
                    )
                    continue
                allowed = REF_REL_TYPES.get((el.tag, split_tag(v.attrname)[1]))
                rtype = table[v][0].rsplit("/", 1)[-1]
                if allowed and rtype not in allowed:
                    self.problem(
                        zname,
                        f"line {el.sourceline}: {qn(el.tag)}/@{qn(v.attrname)}='{v}' names a "
                        f"'{rtype}' relationship, expected {' or '.join(sorted(allowed))}",
                    )
        # officeDocument relationship present
        if "" in self.rels:
            if not any(t in OFFICE_DOCUMENT_RELS for t, _, _ in self.rels[""].values()):
                self.problem("_rels/.rels", "no officeDocument relationship")
        elif self.parts:
            self.problem("_rels/.rels", "missing")

    # ---- XML parts
    def parse_xml(self, zname: str, data: bytes):
        if zname in self.trees:
            return self.trees[zname]
        head = data[:200]
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        m = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", head)
        if m and m.group(1).lower() not in (b"utf-8", b"utf-16", b"utf8"):
            self.problem(
                zname, f"XML encoding '{m.group(1).decode()}' (Office requires UTF-8 or UTF-16)"
            )
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False
        )
        try:
            tree = etree.parse(io.BytesIO(data), parser)
        except etree.XMLSyntaxError as e:
            self.problem(zname, f"not well-formed XML: {e}")
            return None
        if tree.docinfo.doctype:
            self.problem(zname, "XML part has a DOCTYPE (forbidden in OPC packages)")
        self.trees[zname] = tree
        if (
            data[:2] in (b"\xff\xfe", b"\xfe\xff")
            or (b"\x00<" in data[:4])
            or (b"<\x00" in data[:4])
        ):
            self.declared[zname] = {
                u for el in tree.iter() if isinstance(el.tag, str) for u in el.nsmap.values()
            }
        else:
            self.declared[zname] = {m.decode("utf-8", "replace") for m in XMLNS_RE.findall(data)}
        return tree

    def validate_tree(self, zname, tree, expected_root=None):
        root = tree.getroot()
        ns, local = split_tag(root.tag)
        if ns.startswith(STRICT_PREFIX):
            if not self.strict_seen:
                self.strict_seen = True
                self.warn(
                    zname,
                    "ISO/IEC 29500 Strict markup: only Transitional schemas are "
                    "bundled, Strict parts are not schema-checked",
                )
            return
        if expected_root and (ns, local) != expected_root:
            self.problem(
                zname,
                f"root element {qn(root.tag)}, expected "
                f"{qn('{{{}}}{}'.format(*expected_root))} for its content type",
            )
            return
        if ns not in self.schemas.namespaces:
            self.note(zname, f"not schema-checked: no schema for root {qn(root.tag)}")
            return
        self.note(zname, f"schema-checked as {qn(root.tag)}")
        work = etree.ElementTree(copy.deepcopy(root))
        MceProcessor(self.schemas.namespaces | {XML_NS, XSI}, lambda m: self.problem(zname, m)).run(
            work.getroot(), self.declared.get(zname, set())
        )
        relax_office(work.getroot())
        self.schema_check(zname, work)

    def schema_check(self, zname, work, limit=MAX_SCHEMA_MESSAGES):
        schema = self.schemas.schema
        if schema.validate(work):
            return 0
        errs = list(schema.error_log)
        for e in errs[:limit]:
            self.problem(
                zname,
                f"line {e.line}{self.where(work, e)}: {short(e.message)}{self.hint(e.message)}",
            )
        if len(errs) > limit:
            self.problem(zname, f"... {len(errs) - limit} more schema errors")
        return len(errs)

    @staticmethod
    def where(work, e) -> str:
        """Readable element path of a schema error (most writers put a whole part on one line)."""
        if not e.path:
            return ""
        nsmap = {}
        if ":" in e.path:
            for el in work.iter():
                if isinstance(el.tag, str):
                    for p, u in el.nsmap.items():
                        if p and p not in nsmap:
                            nsmap[p] = u
        try:
            nodes = work.xpath(e.path, namespaces=nsmap)
        except etree.XPathError:
            return ""
        if not nodes or not isinstance(nodes[0], etree._Element):
            return ""
        steps = []
        el = nodes[0]
        while el is not None:
            parent = el.getparent()
            name = qn(el.tag)
            if parent is not None:
                same = [c for c in parent if c.tag == el.tag]
                if len(same) > 1:
                    name += f"[{same.index(el) + 1}]"
            steps.append(name)
            el = parent
        return " " + "/" + "/".join(reversed(steps))

    def hint(self, message: str) -> str:
        for ns in re.findall(r"\{((?:https?|urn):[^}]*)\}", message):
            if ns and ns not in self.schemas.namespaces and ns != XSD:
                return (
                    " (namespace " + ns + " is not ECMA-376: list its prefix in mc:Ignorable, "
                    "or put it in mc:AlternateContent or an extLst/ext)"
                )
        return ""

    def check_vml(self, zname, tree):
        """VML parts: each top-level shape is checked against the VML schemas."""
        root = tree.getroot()
        n = 0
        for child in root:
            if not isinstance(child.tag, str):
                continue
            ns, _ = split_tag(child.tag)
            if ns not in self.schemas.namespaces:
                continue
            shape = copy.deepcopy(child)
            relax_office(shape)
            n += self.schema_check(zname, etree.ElementTree(shape), limit=5)
            if n >= MAX_SCHEMA_MESSAGES:
                break
        self.note(zname, "VML: top-level shapes schema-checked")

    def check_parts(self):
        for low, zname in sorted(self.parts.items()):
            if low == "[content_types].xml" or low.endswith(".rels"):
                continue
            ct = self.content_types.get(zname, "")
            if ct in EMBEDDED_PACKAGE_TYPES or (
                not ct and low.endswith((".xlsx", ".docx", ".xlsm"))
            ):
                self.check_embedded(zname)
                continue
            is_xml = (
                ct.endswith("+xml")
                or ct in ("application/xml", "text/xml")
                or ct == CT + "vmlDrawing"
                or low.endswith((".xml", ".vml"))
            )
            if not is_xml:
                continue
            tree = self.parse_xml(zname, self.read(zname))
            if tree is None:
                continue
            if ct == CT + "vmlDrawing" or low.endswith(".vml"):
                if not (self.opts is not None and getattr(self.opts, "no_vml", False)):
                    self.check_vml(zname, tree)
                continue
            # parts with an unknown content type (e.g. chart styles) are validated
            # only when their root namespace has a schema here
            self.validate_tree(zname, tree, CONTENT_TYPE_ROOTS.get(ct))
            if ct == "application/vnd.openxmlformats-package.core-properties+xml":
                self.check_core(zname, tree)

    def check_embedded(self, zname):
        if self.depth >= 3:
            return
        data = self.read(zname)
        if not data.startswith(b"PK"):
            return
        sub = PackageValidator(
            self.schemas,
            self.out,
            f"{self.label}!{zname}",
            data=data,
            depth=self.depth + 1,
            opts=self.opts,
        )
        self.count += sub.run()
        self.warnings += sub.warnings

    def check_core(self, zname, tree):
        for el in tree.getroot():
            if el.tag in (f"{{{DCT_NS}}}created", f"{{{DCT_NS}}}modified"):
                t = el.get(f"{{{XSI}}}type")
                if (
                    t is None
                    or t.split(":")[-1] != "W3CDTF"
                    or el.nsmap.get(t.split(":")[0]) != DCT_NS
                ):
                    self.problem(
                        zname, f'line {el.sourceline}: {qn(el.tag)} needs xsi:type="dcterms:W3CDTF"'
                    )

    # ---- Office rules the schemas do not express
    def parts_of_type(self, types):
        if isinstance(types, str):
            types = {types}
        return [
            z for z, ct in sorted(self.content_types.items()) if ct in types and z in self.trees
        ]

    def rel_targets(self, source, rtype):
        return [res for t, _, res in self.rels.get(source, {}).values() if t == rtype and res]

    def check_office_rules(self):
        for z in self.parts_of_type(_WB):
            self.check_workbook(z)
        for z in self.parts_of_type(CT + "drawing+xml"):
            self.check_unique_ids(
                z, self.trees[z].getroot().iter(f"{{{XDR_NS}}}cNvPr"), "xdr:cNvPr"
            )
        for z in self.parts_of_type(CT + "drawingml.chart+xml"):
            self.check_chart(z)
        stories = self.parts_of_type(WORD_STORY_TYPES)
        if stories:
            seen = {}
            for z in stories:
                for el in self.trees[z].getroot().iter(f"{{{WP_NS}}}docPr"):
                    if not primary_branch(el):
                        continue
                    i = el.get("id")
                    if i in seen:
                        self.problem(
                            z,
                            f"line {el.sourceline}: duplicate wp:docPr id={i} "
                            f"(also in {seen[i][0]} line {seen[i][1]})",
                        )
                    else:
                        seen[i] = (z, el.sourceline)

    def check_unique_ids(self, z, elements, what):
        seen = {}
        for el in elements:
            i = el.get("id")
            if i is None or not primary_branch(el):
                continue
            if i in seen:
                self.problem(
                    z, f"line {el.sourceline}: duplicate {what} id={i} (first at line {seen[i]})"
                )
            else:
                seen[i] = el.sourceline

    def check_chart(self, z):
        root = self.trees[z].getroot()
        plot = root.find(f"{{{C_NS}}}chart/{{{C_NS}}}plotArea")
        if plot is None:
            return
        axes = {}
        for ax in plot:
            if split_tag(ax.tag)[1] in ("catAx", "valAx", "dateAx", "serAx"):
                aid = ax.find(f"{{{C_NS}}}axId")
                if aid is not None:
                    if aid.get("val") in axes:
                        self.problem(
                            z, f"line {aid.sourceline}: duplicate axis id {aid.get('val')}"
                        )
                    axes[aid.get("val")] = ax
        for ax in axes.values():
            cross = ax.find(f"{{{C_NS}}}crossAx")
            if cross is not None and cross.get("val") not in axes:
                self.problem(
                    z, f"line {cross.sourceline}: c:crossAx {cross.get('val')} names no axis"
                )
        idx_seen = {}
        for grp in plot:
            local = split_tag(grp.tag)[1] if isinstance(grp.tag, str) else ""
            if not local.endswith("Chart"):
                continue
            for aid in grp.findall(f"{{{C_NS}}}axId"):
                # 3-D chart groups name a third (series) axis; Office writes 0 when there is none
                if aid.get("val") == "0" and "3D" in local:
                    continue
                if aid.get("val") not in axes:
                    self.problem(
                        z, f"line {aid.sourceline}: c:{local}/c:axId {aid.get('val')} names no axis"
                    )
            for ser in grp.findall(f"{{{C_NS}}}ser"):
                idx = ser.find(f"{{{C_NS}}}idx")
                if idx is None:
                    continue
                v = idx.get("val")
                if v in idx_seen:
                    self.problem(
                        z,
                        f"line {idx.sourceline}: series c:idx {v} used twice "
                        f"(first at line {idx_seen[v]})",
                    )
                else:
                    idx_seen[v] = idx.sourceline

    def check_workbook(self, wbz):
        wb = self.trees[wbz].getroot()
        S = f"{{{S_NS}}}"
        rid_attr = f"{{{R_NS}}}id"
        names, ids = {}, set()
        sheets = []
        for sh in wb.iterfind(f"{S}sheets/{S}sheet"):
            name = sh.get("name") or ""
            low = name.lower()
            if (
                not (1 <= len(name) <= 31)
                or re.search(r"[\[\]:*?/\\]", name)
                or name.startswith("'")
                or name.endswith("'")
            ):
                self.problem(wbz, f"line {sh.sourceline}: invalid sheet name '{name}'")
            if low in names:
                self.problem(wbz, f"line {sh.sourceline}: duplicate sheet name '{name}'")
            names[low] = sh
            sid = sh.get("sheetId")
            if sid in ids:
                self.problem(wbz, f"line {sh.sourceline}: duplicate sheetId {sid}")
            ids.add(sid)
            rel = self.rels.get(wbz, {}).get(sh.get(rid_attr))
            sheets.append((name, rel[2] if rel else None))
        dn_seen = set()
        for dn in wb.iterfind(f"{S}definedNames/{S}definedName"):
            scope = dn.get("localSheetId")
            bad = bad_defined_name(dn.get("name") or "")
            if bad:
                self.problem(wbz, f"line {dn.sourceline}: defined name '{dn.get('name')}' {bad}")
            key = ((dn.get("name") or "").lower(), scope)
            if key in dn_seen:
                self.problem(
                    wbz,
                    f"line {dn.sourceline}: duplicate defined name '{dn.get('name')}'"
                    + (f" for localSheetId {scope}" if scope else ""),
                )
            dn_seen.add(key)
            if scope is not None and scope.isdigit() and int(scope) >= len(sheets):
                self.problem(
                    wbz, f"line {dn.sourceline}: localSheetId {scope} but only {len(sheets)} sheets"
                )
        # styles / shared strings
        styles = self.rel_targets(wbz, RT + "styles")
        n_xf = n_dxf = None
        if styles and styles[0] in self.trees:
            n_xf, n_dxf = self.check_styles(styles[0])
        sst = self.rel_targets(wbz, RT + "sharedStrings")
        n_sst = None
        if sst and sst[0] in self.trees:
            n_sst = len(self.trees[sst[0]].getroot().findall(f"{S}si"))
        table_ids, table_names = {}, {}
        for _, ws in sheets:
            if not ws or ws not in self.trees:
                continue
            if self.content_types.get(ws) == CT + "spreadsheetml.worksheet+xml":
                self.check_worksheet(ws, n_sst, n_xf, n_dxf, table_ids, table_names)
        for n, scope in dn_seen:
            if scope is None and n in table_names:
                self.warn(
                    table_names[n][0],
                    f"table name '{n}' is also a defined name "
                    "(Excel keeps table and defined names in one namespace)",
                )

    def check_styles(self, z):
        S = f"{{{S_NS}}}"
        root = self.trees[z].getroot()

        def count(tag):
            el = root.find(S + tag)
            return len([c for c in el if isinstance(c.tag, str)]) if el is not None else 0

        n_fonts, n_fills, n_borders = count("fonts"), count("fills"), count("borders")
        n_style_xf = count("cellStyleXfs")
        numfmts = {nf.get("numFmtId") for nf in root.iterfind(f"{S}numFmts/{S}numFmt")}
        for group in ("cellStyleXfs", "cellXfs"):
            for xf in root.iterfind(f"{S}{group}/{S}xf"):
                for attr, n in (("fontId", n_fonts), ("fillId", n_fills), ("borderId", n_borders)):
                    v = xf.get(attr)
                    if v is not None and v.isdigit() and int(v) >= n:
                        self.problem(
                            z, f"line {xf.sourceline}: {group}/xf/@{attr}={v} but only {n} defined"
                        )
                if group == "cellXfs":
                    v = xf.get("xfId")
                    if v is not None and v.isdigit() and int(v) >= n_style_xf:
                        self.problem(
                            z,
                            f"line {xf.sourceline}: cellXfs/xf/@xfId={v} but only "
                            f"{n_style_xf} cellStyleXfs",
                        )
                v = xf.get("numFmtId")
                if v is not None and v.isdigit() and int(v) >= 164 and v not in numfmts:
                    self.problem(z, f"line {xf.sourceline}: numFmtId {v} is not defined in numFmts")
        return count("cellXfs"), count("dxfs")

    def check_worksheet(self, z, n_sst, n_xf, n_dxf, table_ids, table_names):
        S = f"{{{S_NS}}}"
        root = self.trees[z].getroot()
        last_row = 0
        for row in root.iterfind(f"{S}sheetData/{S}row"):
            r = row.get("r")
            if r is not None:
                if not r.isdigit() or not (1 <= int(r) <= 1048576):
                    self.problem(z, f"line {row.sourceline}: bad row number r='{r}'")
                    continue
                rn = int(r)
                if rn <= last_row:
                    self.problem(
                        z, f"line {row.sourceline}: row {rn} out of order (after row {last_row})"
                    )
                last_row = rn
            else:
                last_row += 1
                rn = last_row
            last_col = 0
            for c in row.iterfind(f"{S}c"):
                ref = c.get("r")
                if ref is not None:
                    p = parse_cell(ref)
                    if p is None or p[0] > 16384:
                        self.problem(z, f"line {c.sourceline}: bad cell reference '{ref}'")
                        continue
                    if p[1] != rn:
                        self.problem(z, f"line {c.sourceline}: cell {ref} inside row {rn}")
                    if p[0] <= last_col:
                        self.problem(z, f"line {c.sourceline}: cell {ref} out of order in its row")
                    last_col = p[0]
                else:
                    last_col += 1
                if c.get("t") == "s" and n_sst is not None:
                    v = c.find(f"{S}v")
                    if (
                        v is not None
                        and v.text
                        and v.text.strip().isdigit()
                        and int(v.text) >= n_sst
                    ):
                        self.problem(
                            z,
                            f"line {c.sourceline}: shared string index {v.text} but only {n_sst} strings",
                        )
                s = c.get("s")
                if s is not None and n_xf is not None and s.isdigit() and int(s) >= n_xf:
                    self.problem(
                        z, f"line {c.sourceline}: style index s={s} but only {n_xf} cellXfs"
                    )
        merged = []
        for mc in root.iterfind(f"{S}mergeCells/{S}mergeCell"):
            rg = parse_range(mc.get("ref") or "")
            if rg is None:
                self.problem(z, f"line {mc.sourceline}: bad merge range '{mc.get('ref')}'")
                continue
            for other, oref in merged:
                if overlaps(rg, other):
                    self.problem(
                        z, f"line {mc.sourceline}: merged range {mc.get('ref')} overlaps {oref}"
                    )
                    break
            merged.append((rg, mc.get("ref")))
        if n_dxf is not None:
            for rule in root.iter(f"{S}cfRule"):
                v = rule.get("dxfId")
                if v is not None and v.isdigit() and int(v) >= n_dxf:
                    self.problem(z, f"line {rule.sourceline}: dxfId {v} but only {n_dxf} dxfs")
        # tables on this sheet
        ranges = []
        for tz in self.rel_targets(z, RT + "table"):
            if tz not in self.trees:
                continue
            t = self.trees[tz].getroot()
            if t.tag != f"{S}table":
                continue
            tid = t.get("id")
            if tid in table_ids:
                self.problem(tz, f"table id {tid} also used by {table_ids[tid]}")
            table_ids[tid] = tz
            for attr in ("name", "displayName"):
                v = (t.get(attr) or "").lower()
                if v and v in table_names and table_names[v][0] != tz:
                    self.problem(
                        tz, f"table {attr} '{t.get(attr)}' also used by {table_names[v][0]}"
                    )
                table_names.setdefault(v, (tz, attr))
            rg = parse_range(t.get("ref") or "")
            cols = t.findall(f"{S}tableColumns/{S}tableColumn")
            if rg is not None:
                if len(cols) != rg[2] - rg[0] + 1:
                    self.problem(
                        tz,
                        f"table ref {t.get('ref')} is {rg[2] - rg[0] + 1} columns wide "
                        f"but has {len(cols)} tableColumn",
                    )
                for other, oz in ranges:
                    if overlaps(rg, other):
                        self.problem(tz, f"table range {t.get('ref')} overlaps table {oz}")
                ranges.append((rg, tz))
            tc = t.find(f"{S}tableColumns")
            if tc is not None and tc.get("count") is not None and tc.get("count") != str(len(cols)):
                self.problem(
                    tz, f"tableColumns count={tc.get('count')} but {len(cols)} tableColumn"
                )
            cn = set()
            for col in cols:
                n = (col.get("name") or "").lower()
                if n in cn:
                    self.problem(
                        tz,
                        f"line {col.sourceline}: duplicate table column name '{col.get('name')}'",
                    )
                cn.add(n)
            if n_dxf is not None:
                for el in t.iter():
                    for attr in ("dataDxfId", "headerRowDxfId", "totalsRowDxfId"):
                        v = el.get(attr)
                        if v is not None and v.isdigit() and int(v) >= n_dxf:
                            self.problem(
                                tz, f"line {el.sourceline}: {attr} {v} but only {n_dxf} dxfs"
                            )


_SCHEMA_SETS: dict[str, SchemaSet] = {}


# One compiled SchemaSet per folder and process (compiling takes about 0.1 s).
def _schema_set(root: str) -> SchemaSet:
    if root not in _SCHEMA_SETS:
        _SCHEMA_SETS[root] = SchemaSet(root)
    return _SCHEMA_SETS[root]


def problems(*paths, strict: bool = False, schemas: str = SCHEMAS) -> list[str]:
    """The problem lines ("FILE:PART: message") of the packages at ``paths``; [] if all are valid.

    Warnings (things Office tolerates) are left out, unless ``strict``.
    """
    opts = argparse.Namespace(strict=strict, verbose=False, no_vml=False)
    out = io.StringIO()
    for path in map(str, paths):
        if not os.path.isfile(path):
            out.write(f"{path}:-: no such file\n")
            continue
        PackageValidator(_schema_set(schemas), out, path, path=path, opts=opts).run()
    return [line for line in out.getvalue().splitlines() if ": warning: " not in line]


def main(argv=None) -> int:
    """The command line: validate the files, print the problems, exit 1 if there are any."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", help=".xlsx / .docx (or other OOXML ZIP) packages")
    ap.add_argument("--schemas", default=SCHEMAS, help="schema folder (default: schemas/ here)")
    ap.add_argument("--time", action="store_true", help="print the time taken per file on stderr")
    ap.add_argument(
        "-v", "--verbose", action="store_true", help="say on stderr how each part was checked"
    )
    ap.add_argument(
        "--strict",
        action="store_true",
        help="count warnings (things Office itself tolerates or writes) as problems",
    )
    ap.add_argument("--no-vml", action="store_true", help="do not schema-check VML drawing parts")
    args = ap.parse_args(argv)
    schemas = _schema_set(args.schemas)
    out = sys.stdout
    total = warnings = 0
    for f in args.files:
        t0 = time.perf_counter()
        if not os.path.isfile(f):
            out.write(f"{f}:-: no such file\n")
            total += 1
            continue
        pv = PackageValidator(schemas, out, f, path=f, opts=args)
        total += pv.run()
        warnings += pv.warnings
        if args.time:
            sys.stderr.write(f"{f}: {time.perf_counter() - t0:.3f}s\n")
    tail = f" ({warnings} warnings)" if warnings else ""
    out.write(f"{len(args.files)} files, {total} problems{tail}\n")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
