"""The manifest of a batch: one JSON record of every dataset's status, outputs and errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build import BuildOptions
from ..output import atomic_write, remove_parts

if TYPE_CHECKING:
    from . import Outcome


def manifest(
    outcomes: Sequence[Outcome], options: BuildOptions, shard_spec: str | None = None
) -> dict[str, Any]:
    """A JSON-ready record of a batch: every dataset with status, outputs, duration, errors."""
    from .. import __version__

    return {
        "tool": "kmo-export",
        "version": __version__,
        "output_dir": str(options.output_dir),
        "formats": list(options.formats),
        "shard": shard_spec,
        "built": sum(o.ok for o in outcomes),
        "failed": sum(not o.ok for o in outcomes),
        "datasets": [
            {
                "dataset": str(o.dataset),
                "status": o.status,
                "outputs": o.outputs,
                "duration_seconds": round(o.duration, 4),
                "error": o.errors[0] if o.errors else None,
                "errors": o.errors,
                "warnings": o.warnings,
            }
            for o in outcomes
        ],
    }


def write_manifest(
    path: Path,
    outcomes: Sequence[Outcome],
    options: BuildOptions | None = None,
    shard_spec: str | None = None,
) -> None:
    """Write :func:`manifest` as JSON to ``path`` atomically."""
    import json  # only a build with --manifest writes one

    record = manifest(outcomes, options or BuildOptions(), shard_spec)
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    remove_parts(path.parent, {path.name})  # what a killed earlier run left
    atomic_write(path, write)
