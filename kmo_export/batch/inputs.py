"""Which datasets a runner builds: shards of the inputs, the output names they claim, and the
temporary files an earlier, killed run left for them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..build import BuildOptions, output_paths
from ..errors import KmoExportError
from ..output import remove_parts


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; ValueError unless it reads I/N with 1 <= I <= N."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not of the form I/N, e.g. 1/4")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"{text!r}: I must be between 1 and N, and N at least 1")
    return index, count


def shard(paths: Sequence[Path], index: int, count: int) -> list[Path]:
    """The ``index``-th (1-based) of ``count`` slices of ``paths``: round robin, stable.

    ``paths`` comes sorted from :func:`kmo_export.build.expand_inputs`, so every runner of a
    CI matrix computes the same slices; together they hold every input exactly once.
    """
    return [p for i, p in enumerate(paths) if i % count == index - 1]


def remove_stale_parts(paths: Sequence[Path], options: BuildOptions) -> list[Path]:
    """Remove temporary files that a killed run left for the outputs of ``paths``.

    Only files of the exact pattern :func:`kmo_export.output.atomic_write` uses
    (``.<output name>.<8 characters>.part``), only in the output folder, only for outputs this
    run writes: a run in the same folder that builds other datasets is never disturbed.
    """
    names: set[str] = set()
    for path in paths:
        try:
            names.update(target.name for target in output_paths(path, options).values())
        except KmoExportError:
            continue
    return remove_parts(options.output_dir, names)
