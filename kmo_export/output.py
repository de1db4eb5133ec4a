"""Writing outputs safely: atomically, inside the output folder, with clear errors."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    size: int
    sha256: str


def atomic_write(path: Path, render: Callable[[Path], None]) -> WrittenFile:
    """Call ``render(tmp)`` to write a temporary file beside ``path``, then rename it over ``path``.

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
        os.replace(tmp, path)
    except Exception as exc:
        cause = _os_error(exc)
        if cause is None:
            raise
        raise OutputError(
            f"{path}: cannot be written: {_reason(cause)}; nothing was changed"
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return WrittenFile(path, size, digest.hexdigest())


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
