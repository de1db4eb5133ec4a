"""Reading input files within bounds: what is read, how much, and in which encoding.

Every input (a dataset, a CSV or .xlsx table file, a published text or PDF to import, a Word
template) goes through here before any parser sees it:

* only a regular file is read: a folder, a FIFO, a device (``/dev/zero``) or a socket is
  refused before it is opened, so nothing blocks or reads forever;
* at most a size limit per kind of input is read (:data:`LIMITS`; each overridable with an
  environment variable, in MiB); a ZIP package (.xlsx, .docx) is also limited in what it
  unpacks to, and may not declare a DTD or an entity (an entity bomb, an external entity):
  nothing is ever resolved;
* text is UTF-8 (a byte-order mark and CRLF or CR line ends are accepted); UTF-16 is named
  as UTF-16, a ZIP archive as a ZIP archive, other binary data as binary;
* a table file reached through a symbolic link that leaves the dataset's folder is refused,
  so no content of a file that was not meant to be read ends up in a message.

Problems are raised as :class:`~kmo_export.errors.DatasetError` naming the file (and the line).
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DatasetError, Problem

MIB = 1 << 20


@dataclass(frozen=True, eq=False, repr=False)
class Limit:
    """The most bytes read for one kind of input, and the environment variable that sets it."""

    kind: str  # "a dataset", "a table file", ...
    default_mib: int
    env: str

    @property
    def bytes(self) -> int:
        """The limit in bytes: the environment variable's MiB if set to a whole number."""
        value = os.environ.get(self.env, "").strip()
        mib = int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None
        return (mib or self.default_mib) * MIB


#: The limits per kind of input (README, "Limits").
DATASET = Limit("a dataset", 128, "KMO_EXPORT_MAX_DATASET_MB")
TABLE = Limit("a table file", 1024, "KMO_EXPORT_MAX_TABLE_MB")
UNZIPPED = Limit("an unpacked .xlsx or .docx", 1024, "KMO_EXPORT_MAX_UNZIPPED_MB")
SOURCE = Limit("a text to import", 16, "KMO_EXPORT_MAX_SOURCE_MB")
SOURCE_PDF = Limit("a PDF to import", 64, "KMO_EXPORT_MAX_PDF_MB")
TEMPLATE = Limit("a Word template", 64, "KMO_EXPORT_MAX_TEMPLATE_MB")
LIMITS = (DATASET, TABLE, UNZIPPED, SOURCE, SOURCE_PDF, TEMPLATE)
#: The most rows an Excel sheet holds.
MAX_ROWS = 1_048_576
#: The most columns a table file's sheet may have (a sheet's dimension can claim 16,384).
MAX_COLUMNS = 1024


def _error(file: Path | str, message: str, line: int | None = None) -> DatasetError:
    return DatasetError.single(str(file), message, line=line)


def regular_file(path: Path, kind: str = "a file") -> os.stat_result:
    """The stat of ``path`` if it is a regular file; else DatasetError before it is opened."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _error(path, "no such file") from None
    except OSError as exc:
        raise _error(path, f"cannot be read: {exc.strerror or exc}") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise _error(path, f"is a directory, not {kind}")
    if not stat.S_ISREG(mode):
        what = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise _error(path, f"is {what}, not {kind}; only regular files are read")
    return info


def _check_size(path: Path, size: int, limit: Limit) -> None:
    if size > limit.bytes:
        raise _error(
            path,
            f"is {_mib(size)}, more than {limit.bytes // MIB:,} MiB, the most read for "
            f"{limit.kind} (set {limit.env} to change it)",
        )


def read_bytes(path: Path, limit: Limit) -> bytes:
    """The bytes of the regular file ``path``, refused beyond ``limit``."""
    info = regular_file(path, limit.kind)
    _check_size(path, info.st_size, limit)
    try:
        with path.open("rb") as stream:
            raw = stream.read(limit.bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise _error(path, f"cannot be read: {exc.strerror or exc}") from None
    _check_size(path, len(raw), limit)
    return raw


def encoding_problem(head: bytes) -> str | None:
    """What makes bytes starting with ``head`` no UTF-8 text (UTF-16, ZIP), or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        return "is UTF-16 text; save it as UTF-8"
    if head.startswith(b"PK\x03\x04"):
        return "is a ZIP archive (an .xlsx or .docx file?), not a text file"
    return None


# UTF-16 without a byte-order mark: ASCII text with a NUL byte beside every character.
def _looks_utf16(head: bytes) -> bool:
    sample = head[:512]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0) or (
        even.count(0) >= 0.9 * len(even) and odd.count(0) == 0
    )


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 ``raw`` as text (BOM dropped, CRLF and CR as LF); DatasetError naming the line."""
    if not raw.strip():
        raise _error(path, "is empty")
    problem = encoding_problem(raw)
    if problem:
        raise _error(path, problem)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise _error(
            path,
            "is binary, not a text file (it holds NUL bytes)",
            line=raw.count(b"\n", 0, nul) + 1,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            path,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            line=raw.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, limit: Limit = DATASET) -> str:
    """Read a UTF-8 text input (a BOM and CRLF line ends are accepted), or raise DatasetError."""
    return decode_text(path, read_bytes(path, limit))


def confined(file: Path, folder: Path) -> Problem | None:
    """A problem if ``file`` is a symbolic link that leads out of ``folder`` (the dataset's).

    A table file named by a dataset may be a link inside the dataset's folder; one that
    leaves it is refused without being opened, so nothing of it is printed.
    """
    try:
        if not file.is_symlink():
            return None
        target = file.resolve()
        base = folder.resolve()
    except (OSError, RuntimeError):
        return Problem(str(file), "is a symbolic link that cannot be followed")
    if target == base or base in target.parents:
        return None
    return Problem(
        str(file),
        "is a symbolic link to a file outside the dataset's folder; copy the file there",
    )


# -- text and CSV table files, read line by line -------------------------------------------


def text_lines(file: Path) -> Iterator[str]:
    """The lines of a UTF-8 text file (a BOM and CRLF or CR line ends accepted), each ending
    in "\\n", read one at a time; DatasetError, with the line, for what read_text refuses."""
    info = regular_file(file, TABLE.kind)
    _check_size(file, info.st_size, TABLE)
    name = str(file)
    try:
        stream = file.open("rb")
    except OSError as exc:
        raise DatasetError.single(name, f"cannot be read: {exc.strerror or exc}") from None
    with stream:
        head = stream.read(512)
        problem = encoding_problem(head)
        if problem:
            raise DatasetError.single(name, problem)
        stream.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        read = 0
        for number, raw in enumerate(stream, 1):
            read += len(raw)
            if read > TABLE.bytes:
                _check_size(file, read, TABLE)
            if b"\x00" in raw:
                raise DatasetError.single(
                    name, "is binary, not a text file (it holds NUL bytes)", line=number
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DatasetError.single(
                    name,
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                    line=number,
                ) from None
            if "\r" in text:  # CR or CRLF ends; only these (not U+2028, U+0085) end a line
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                yield from (part + "\n" for part in text.split("\n")[:-1])
                if not text.endswith("\n"):
                    yield text.rsplit("\n", 1)[-1]
            else:
                yield text


def csv_records(
    file: Path, convert_belgian: Callable[[str], Any]
) -> Iterator[tuple[int, list[Any]]]:
    """The records of a CSV table file with their line numbers, read line by line (never the
    whole file at once); a ';'-separated file (a Dutch-language Excel's) has its figures
    passed through ``convert_belgian``. DatasetError for a file that is not UTF-8 or not CSV."""
    import csv  # only a table file in CSV needs it

    lines = text_lines(file)
    skipped = 0  # blank lines before the header
    first = next(lines, None)
    while first is not None and not first.strip():
        skipped += 1
        first = next(lines, None)
    if first is None:
        raise DatasetError.single(str(file), "is empty")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    convert: Callable[[str], Any] = convert_belgian if delimiter == ";" else (lambda s: s)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    try:
        for cells in reader:
            line = skipped + reader.line_num
            if len(cells) > MAX_COLUMNS * 16:
                raise DatasetError.single(
                    str(file), f"has {len(cells):,} columns on one line; too many", line=line
                )
            yield line, [cells[0], *map(convert, cells[1:])] if cells else []
    except csv.Error as exc:
        line = skipped + reader.line_num
        raise DatasetError.single(str(file), f"invalid CSV: {exc}", line=line) from None


# -- ZIP packages: .xlsx table files and .docx templates --------------------------------------

# What no OOXML part holds and a parser must never act on: a DTD, an entity declaration.
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


def check_package(path: Path, limit: Limit, unreadable: str) -> None:
    """Refuse a ZIP package (.xlsx, .docx) that is too big, unpacks to too much, or whose XML
    declares a DTD or an entity, with ``unreadable`` ("the table file is not a readable
    workbook") and the reason."""
    import zipfile  # only a table file or template that is a package needs it

    info = regular_file(path, limit.kind)
    _check_size(path, info.st_size, limit)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > UNZIPPED.bytes:
                raise _error(
                    path,
                    f"{unreadable}: it unpacks to {_mib(unpacked)}, more than "
                    f"{UNZIPPED.bytes // MIB:,} MiB (set {UNZIPPED.env} to change it)",
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    with package.open(member) as stream:
                        if _declares(stream):
                            raise _error(
                                path,
                                f"{unreadable}: {member.filename} declares a DTD or an "
                                "entity, which no Office file holds",
                            )
    except DatasetError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _error(path, f"{unreadable}: not a zip package") from None
    except Exception:  # zlib errors, NotImplementedError (a compression we cannot read)
        raise _error(path, f"{unreadable}: a damaged zip package") from None


# Whether an XML stream holds "<!DOCTYPE" or "<!ENTITY", read in chunks (never all at once).
def _declares(stream: Any) -> bool:
    tail = b""
    while chunk := stream.read(1 << 20):
        if _DECLARATION.search(tail + chunk):
            return True
        tail = chunk[-16:]
    return False


def _mib(size: int) -> str:
    return f"{size / MIB:,.1f} MiB" if size >= MIB else f"{size:,} bytes"


class NoSuchSheet(DatasetError):
    """The sheet a dataset names is not in its .xlsx table file."""

    def __init__(self, file: Path, sheet: str, sheets: list[str]) -> None:
        self.sheets = ", ".join(sheets)
        super().__init__([Problem(str(file), f"has no sheet {sheet!r} (sheets: {self.sheets})")])


@dataclass(frozen=True, eq=False, repr=False)
class Formula:
    """A formula cell of an .xlsx table file whose result was never saved."""

    text: str


def xlsx_grid(file: Path, sheet: str | None) -> tuple[list[tuple[int, list[Any]]], str]:
    """The rows of a sheet of the .xlsx table file (the first, or ``sheet``) with their row
    numbers, and the sheet's title; a formula without a saved result as :class:`Formula`.

    DatasetError naming the file when it is not a readable workbook (damaged, not a ZIP, too
    big, an entity declared) or the sheet does not exist; KeyError-free, parser-object-free.
    """
    check_package(file, TABLE, "the table file is not a readable workbook")
    grid, title = _sheet_rows(file, sheet, data_only=True)
    if any(c is None for _, cells in grid for c in cells):
        # An empty cached value may hide a formula never calculated (a file written by a program).
        formulas, _ = _sheet_rows(file, title, data_only=False)
        for (_, cells), (_, row) in zip(grid, formulas, strict=False):
            for j, value in enumerate(row[: len(cells)]):
                if cells[j] is None and isinstance(value, str) and value.startswith("="):
                    cells[j] = Formula(value)
    return grid, title


# The rows of one sheet (openpyxl, read-only); its library warnings are not printed.
def _sheet_rows(
    file: Path, sheet: str | None, data_only: bool
) -> tuple[list[tuple[int, list[Any]]], str]:
    import warnings

    from openpyxl import load_workbook

    unreadable = "the table file is not a readable workbook"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(file, read_only=True, data_only=data_only)
        except Exception:
            raise _error(file, unreadable) from None
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                raise NoSuchSheet(file, sheet, workbook.sheetnames)
            if not workbook.sheetnames:
                raise _error(file, f"{unreadable}: it has no sheet")
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            grid: list[tuple[int, list[Any]]] = []
            for i, row in enumerate(worksheet.iter_rows(values_only=True)):
                if len(row) > MAX_COLUMNS:
                    raise _error(
                        file,
                        f"its sheet has {len(row):,} columns; a table file holds at most "
                        f"{MAX_COLUMNS:,}",
                    )
                if i >= MAX_ROWS:
                    raise _error(
                        file, f"its sheet has more than {MAX_ROWS:,} rows, more than Excel holds"
                    )
                grid.append((i + 1, list(row)))
            title = worksheet.title
        except DatasetError:
            raise
        except Exception:
            raise _error(file, unreadable) from None
        finally:
            workbook.close()
    return grid, title
