"""Writing outputs safely: atomically, inside the output folder, with clear errors."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError


@dataclass(frozen=True, eq=False, repr=False)
class WrittenFile:
    """An output written: where, how many bytes, its SHA-256 (hex)."""

    path: Path
    size: int
    sha256: str


# The outputs finished inside together(), as (temporary file, target), not yet renamed.
_STAGED: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("staged", default=None)


@contextmanager
def together() -> Iterator[None]:
    """Rename every output that :func:`atomic_write` finishes inside this block into place
    only when the whole block succeeds: a build that fails half-way keeps every earlier output
    of its dataset, so a workbook and a brief of two different runs never stand side by side.
    """
    staged: list[tuple[Path, Path]] = []
    token = _STAGED.set(staged)
    try:
        yield
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _STAGED.reset(token)
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written: {_reason(exc)}") from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def atomic_write(path: Path, render: Callable[[Path], None]) -> WrittenFile:
    """Call ``render(tmp)`` to write a temporary file beside ``path``, then rename it over ``path``
    (inside :func:`together`: when the block ends well).

    An interrupted or failed render leaves no partial file and keeps what ``path`` held.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder: {_reason(exc)}") from None
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; the output cannot take its place")
    if path.exists() and _read_only(path):
        raise OutputError(f"{path}: the existing file is read-only; it was left as it was")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write in the output folder: {_reason(exc)}") from None
    tmp = Path(tmp_name)
    staged = _STAGED.get()
    handed_over = False  # to together(), which renames or removes it
    try:
        os.close(handle)
        render(tmp)
        digest, size = hashlib.sha256(), 0
        with tmp.open("rb+") as stream:
            while chunk := stream.read(1 << 20):  # a workbook may be 100 MB: never all at once
                digest.update(chunk)
                size += len(chunk)
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        if staged is None:
            os.replace(tmp, path)
        else:  # renamed by together() when every output of the block is finished
            staged.append((tmp, path))
            handed_over = True
    except Exception as exc:
        cause = _os_error(exc)
        if cause is None:
            raise
        raise OutputError(
            f"{path}: cannot be written: {_reason(cause)}; nothing was changed"
        ) from None
    finally:
        if not handed_over and tmp.exists():
            tmp.unlink()
    return WrittenFile(path, size, digest.hexdigest())


# The temporary file of an output: ".<output name>.<8 of [a-z0-9_]>.part", as
# tempfile.mkstemp(prefix=".<name>.", suffix=".part") makes in atomic_write.
_PART = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.part")


def remove_parts(folder: Path, names: Collection[str]) -> list[Path]:
    """Remove the temporary files that a killed run left in ``folder`` for outputs named ``names``.

    Only files of the exact pattern :func:`atomic_write` uses (``.<output name>.<8
    characters>.part``), only directly in ``folder``, only for those names: a run in the same
    folder that writes other outputs is never disturbed. Returns what was removed, sorted.
    """
    try:
        if not folder.is_dir():
            return []
    except OSError:  # a name too long, no permission: the build reports it as it writes
        return []
    removed = []
    for entry in os.scandir(folder):
        match = _PART.fullmatch(entry.name)
        if match and match[1] in names and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return sorted(removed)


def _read_only(path: Path) -> bool:
    # No write permission for us, or no write bit at all (root may write anyway: we don't).
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def _os_error(exc: BaseException) -> OSError | None:
    # The OSError behind an exception: libraries wrap it (XlsxWriter's FileCreateError).
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        todo += [current.__cause__, current.__context__]
        todo += [a for a in current.args if isinstance(a, BaseException)]
    return None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
