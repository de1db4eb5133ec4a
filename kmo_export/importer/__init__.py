"""Import a published written question and answer (text or PDF) as a dataset."""

from __future__ import annotations

from pathlib import Path


def import_source(source: Path, target: Path) -> Path:
    """Parse ``source`` and write the dataset YAML to ``target``; return ``target``."""
    from ..errors import ImportTextError

    raise ImportTextError(f"{source}: import is not implemented yet")
