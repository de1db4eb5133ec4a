"""The brief as PDF, through LibreOffice headless (``--format pdf``).

LibreOffice exports a tagged PDF: headings become the structure tree's H1-H3 and the outline
(bookmarks), a table's header row its TH cells, and the document's title and language are set.
The profile (:data:`PROFILES`) adds conformance: PDF/A-2b (archival) and PDF/UA-1
(accessibility), by default both. The export is then finished with pypdf:

* every chart gets its alternative text (LibreOffice drops a Word chart's description on
  import, so its /Figure would have no /Alt);
* every date is the build's timestamp (``SOURCE_DATE_EPOCH``, else the question's date), in
  the document information, the XMP metadata (the same instant, as PDF/A requires) and the
  embedded colour profile, and the file identifier (/ID) is a digest of the file itself: the
  same brief, built with the same LibreOffice, gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConverterMissingError, OutputError

#: Seconds LibreOffice may take for one document before the conversion is given up.
TIMEOUT = 180
#: The environment variable that names the LibreOffice program to use (``soffice``).
SOFFICE_ENV = "KMO_EXPORT_SOFFICE"
#: PDF profiles: LibreOffice's PDF/A version (0: none, 2: PDF/A-2b) and PDF/UA-1 or not.
#: Every profile is a tagged PDF with bookmarks; ``a2b-ua`` is what an office archives.
PROFILES: Mapping[str, tuple[int, bool]] = {
    "a2b-ua": (2, True),
    "a2b": (2, False),
    "ua": (0, True),
    "plain": (0, False),
}
DEFAULT_PROFILE = "a2b-ua"


def soffice(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """The LibreOffice program to run, or None if there is none.

    In this order: the program ``KMO_EXPORT_SOFFICE`` names (even if it does not exist, so
    that a wrong setting is reported rather than silently passed over), ``soffice`` or
    ``libreoffice`` on the PATH, then the folders the LibreOffice installers use on Windows
    (Program Files), macOS (/Applications, ~/Applications) and Linux (/usr/lib, /opt).
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    chosen = environ.get(SOFFICE_ENV, "").strip()
    if chosen:
        return chosen
    path = environ.get("PATH", os.defpath)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name, path=path)
        if found:
            return found
    for candidate in _install_candidates(environ, platform):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


# Where LibreOffice's installers put the program, newest-looking folder first under /opt.
def _install_candidates(environ: Mapping[str, str], platform: str) -> list[Path]:
    if platform.startswith("win"):
        roots = [environ.get(k) for k in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        local = environ.get("LOCALAPPDATA")
        folders = [Path(r) / "LibreOffice" for r in roots if r]
        if local:
            folders.append(Path(local) / "Programs" / "LibreOffice")
        return [f / "program" / "soffice.exe" for f in folders]
    if platform == "darwin":
        app = Path("LibreOffice.app") / "Contents" / "MacOS" / "soffice"
        apps = [Path("/Applications")]
        if environ.get("HOME"):
            apps.append(Path(environ["HOME"]) / "Applications")
        return [a / app for a in apps]
    opt = sorted(Path("/opt").glob("libreoffice*"), reverse=True) if Path("/opt").is_dir() else []
    return [f / "program" / "soffice" for f in [Path("/usr/lib/libreoffice"), *opt]]


def require_soffice() -> str:
    """The LibreOffice program; raise ConverterMissingError (one line) if there is none.

    Called before anything is written, so a build asked for a PDF on a machine without
    LibreOffice fails at once and names no file.
    """
    program = soffice()
    chosen = os.environ.get(SOFFICE_ENV, "").strip()
    if chosen and not (Path(chosen).is_file() or shutil.which(chosen)):
        raise ConverterMissingError(
            f"{SOFFICE_ENV}={chosen}: no such program; point it at LibreOffice's soffice "
            "program or unset it"
        )
    if program is None:
        raise ConverterMissingError(
            "a PDF needs LibreOffice, which is neither on the PATH ('soffice') nor in the "
            f"usual install folders; install it, set {SOFFICE_ENV} to its soffice program, "
            "or leave out --format pdf"
        )
    return program


def filter_options(profile: str = DEFAULT_PROFILE) -> str:
    """The ``--convert-to`` argument for a profile (LibreOffice 7.4's JSON filter options)."""
    import json

    version, ua = PROFILES[profile]
    options: dict[str, dict[str, str]] = {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
        "SelectPdfVersion": {"type": "long", "value": str(version)},
        "PDFUACompliance": {"type": "boolean", "value": "true" if ua else "false"},
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def convert_to_pdf(
    docx: Path,
    target: Path,
    timeout: float = TIMEOUT,
    *,
    profile: str = DEFAULT_PROFILE,
    created: dt.datetime | None = None,
    name: str | None = None,
) -> None:
    """Convert ``docx`` to a PDF at ``target`` with LibreOffice headless, then finish it.

    ``profile`` is a key of :data:`PROFILES`; ``created`` (naive UTC) is the date the PDF
    carries, by default the brief's own creation date (its core properties). LibreOffice
    runs with a profile of its own in a temporary folder (so conversions in parallel and a
    running LibreOffice do not get in each other's way) and a time limit. Raise
    ConverterMissingError if LibreOffice is not installed, OutputError if it fails or makes
    a PDF without the conformance asked for (a LibreOffice older than 7.4); their message
    starts with ``name`` (default: ``target``), e.g. the final file a temporary one becomes.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown PDF profile {profile!r}; one of {', '.join(PROFILES)}")
    program = require_soffice()
    name = name or str(target)
    with tempfile.TemporaryDirectory(prefix="kmo-export-pdf-") as tmp:
        work = Path(tmp)
        lo_profile = work / "profile"
        source = work / "brief.docx"  # a plain name: LibreOffice names its output after it
        shutil.copyfile(docx, source)
        command = [
            program,
            f"-env:UserInstallation={lo_profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            filter_options(profile),
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(lo_profile)}
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"{name}: LibreOffice did not finish the PDF within {timeout:.0f} s"
            ) from None
        except OSError as exc:
            raise OutputError(
                f"{name}: LibreOffice ({program}) could not be started: {exc}"
            ) from None
        produced = work / "brief.pdf"
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit code {result.returncode}"
            raise OutputError(f"{name}: LibreOffice could not convert the brief: {reason}")
        raw = produced.read_bytes()
    brief = _brief_facts(docx)
    when = created or brief.created
    try:
        finished = finish(raw, brief.descriptions, when, profile)
    except OutputError as exc:
        raise OutputError(f"{name}: {exc}") from None
    target.write_bytes(finished)


# What the PDF takes from the .docx: chart descriptions (body order), creation date.
class _Brief(NamedTuple):
    descriptions: list[str]
    created: dt.datetime | None


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


# The alternative text of every chart in the body, in order, and dcterms:created.
def _brief_facts(docx: Path) -> _Brief:
    from lxml import etree

    descriptions: list[str] = []
    created = None
    try:
        with zipfile.ZipFile(docx) as package:
            names = set(package.namelist())
            body = etree.fromstring(package.read("word/document.xml"))
            core_xml = package.read("docProps/core.xml") if "docProps/core.xml" in names else None
        core = etree.fromstring(core_xml) if core_xml else None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):  # no .docx: nothing to take
        return _Brief([], None)
    for doc_pr in body.iter(f"{_WP}docPr"):
        data = doc_pr.getparent().find(f"{_A}graphic/{_A}graphicData")
        if data is not None and data.get("uri") == _CHART_URI:
            descriptions.append(doc_pr.get("descr") or doc_pr.get("title") or "")
    if core is not None:
        stamp = core.findtext("{http://purl.org/dc/terms/}created")
        try:
            parsed = dt.datetime.fromisoformat((stamp or "").strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
        created = parsed
    return _Brief(descriptions, created)


def finish(raw: bytes, descriptions: list[str], created: dt.datetime | None, profile: str) -> bytes:
    """LibreOffice's PDF with chart alt texts, fixed dates and a content-derived /ID.

    ``descriptions`` go, in order, to the /Figure structure elements that have no /Alt (the
    charts: LibreOffice keeps a picture's description itself); if the numbers differ, none is
    guessed. ``created`` (naive UTC) replaces every date; None keeps LibreOffice's. Raise
    OutputError if the PDF lacks the conformance ``profile`` asks for.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    root: Any = writer.root_object
    _check_conformance(root, profile)
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        missing = [f for f in _figures(tree.get_object().get("/K")) if not f.get("/Alt")]
        if len(missing) == len(descriptions):
            for figure, text in zip(missing, descriptions, strict=True):
                if text:
                    figure[NameObject("/Alt")] = TextStringObject(text)
    if created is not None:
        info: Any = writer._info.get_object() if writer._info is not None else None
        if info is not None:
            info[NameObject("/CreationDate")] = TextStringObject(
                created.strftime("D:%Y%m%d%H%M%SZ")
            )
            if "/ModDate" in info:
                info[NameObject("/ModDate")] = info["/CreationDate"]
        _set_xmp_dates(root, created)
        _set_icc_dates(root, created)
    placeholder = ByteStringObject(b"\0" * 16)
    writer._ID = ArrayObject([placeholder, placeholder])
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    # The /ID: a digest of the file with the identifier zeroed, written over the zeros.
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode("ascii")
    trailer = data.rfind(b"trailer")
    zeros = b"<" + b"0" * 32 + b">"
    head, tail = data[:trailer], data[trailer:]
    if tail.count(zeros) != 2:
        raise OutputError("the PDF's trailer is not as expected: cannot set its /ID")
    return head + tail.replace(zeros, b"<" + digest + b">")


# The /Figure structure elements below ``kids``, in document order.
def _figures(kids: Any) -> list[Any]:
    found: list[Any] = []
    todo = [kids]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            todo.extend(reversed(node))
        elif isinstance(node, dict) and "/S" in node:
            if node["/S"] == "/Figure":
                found.append(node)
            if "/K" in node:
                todo.append(node["/K"])
    return found


# The conformance LibreOffice claims (XMP pdfaid/pdfuaid, /MarkInfo) must be what was asked.
def _check_conformance(root: Any, profile: str) -> None:
    version, ua = PROFILES[profile]
    xmp = _xmp(root) or b""
    marked = bool(root.get("/MarkInfo", {}).get("/Marked"))
    wanted = []
    if not marked:
        wanted.append("tagged")
    if version and not re.search(rb"pdfaid:part[>=\"']+2", xmp):
        wanted.append("PDF/A-2b")
    if ua and not re.search(rb"pdfuaid:part[>=\"']+1", xmp):
        wanted.append("PDF/UA-1")
    if wanted:
        raise OutputError(
            f"LibreOffice made a PDF that is not {' and '.join(wanted)} (profile {profile}); "
            "LibreOffice 7.4 or later is needed, or use --pdf-profile plain"
        )


# The XMP metadata packet of the catalogue, or None.
def _xmp(root: Any) -> bytes | None:
    stream = root.get("/Metadata")
    return stream.get_object().get_data() if stream is not None else None


_XMP_DATES = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:)"
    rb"|((?:xmp:(?:CreateDate|ModifyDate|MetadataDate))=[\"'])[^\"']*([\"'])"
)


# Every XMP date (element or attribute form) set to ``created``, as the Info dates are.
def _set_xmp_dates(root: Any, created: dt.datetime) -> None:
    stream = root.get("/Metadata")
    if stream is None:
        return
    stream = stream.get_object()
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

    def replace(match: re.Match[bytes]) -> bytes:
        if match.group(1):
            return match.group(1) + stamp + match.group(2)
        return match.group(3) + stamp + match.group(4)

    stream.set_data(_XMP_DATES.sub(replace, stream.get_data()))


# The creation date in the header of each embedded ICC colour profile (PDF/A's output intent).
def _set_icc_dates(root: Any, created: dt.datetime) -> None:
    import struct

    for intent in root.get("/OutputIntents", []):
        profile = intent.get_object().get("/DestOutputProfile")
        if profile is None:
            continue
        profile = profile.get_object()
        data = profile.get_data()
        if len(data) < 128 or data[36:40] != b"acsp":
            continue
        stamp = struct.pack(">6H", *created.timetuple()[:6])
        if any(data[84:100]):  # an MD5 profile ID covers the date: recompute it
            head = bytearray(data[:128])
            head[24:36] = stamp
            body = bytearray(head) + data[128:]
            body[44:48] = body[64:68] = b"\0\0\0\0"
            body[84:100] = b"\0" * 16
            ident = hashlib.md5(bytes(body), usedforsecurity=False).digest()
            data = bytes(head[:84]) + ident + bytes(head[100:]) + data[128:]
        else:
            data = data[:24] + stamp + data[36:]
        profile.set_data(data)
