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
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path}: the existing file is read-only; it was left as it was")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write in the output folder: {_reason(exc)}") from None
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        render(tmp)
        data = tmp.read_bytes()
        with tmp.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot be written: {_reason(exc)}; nothing was changed"
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return WrittenFile(path, len(data), hashlib.sha256(data).hexdigest())


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    return exc.strerror or str(exc)
