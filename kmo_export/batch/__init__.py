"""Build many datasets in one call: parallel worker processes, deterministic shards, a manifest.

* :mod:`.inputs`: shards of the inputs and the temporary files a killed run left for them;
* :mod:`.pool`: the process pool, in which a dead worker fails only its dataset;
* :mod:`.manifest`: the JSON record of a batch.

This module builds one dataset into an :class:`Outcome` and runs the batch. The workers are
forked from a parent that has imported the renderers and loaded the template, so each inherits
them instead of loading them again.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..build import BuildOptions, build, check_output_names
from ..errors import DatasetError, KmoExportError, NameClashError
from ..formats import chosen
from .inputs import parse_shard, remove_stale_parts, shard
from .manifest import manifest, write_manifest

__all__ = [
    "NameClashError",
    "Outcome",
    "build_one",
    "check_output_names",
    "default_jobs",
    "discard_partial",
    "manifest",
    "parse_shard",
    "remove_stale_parts",
    "run",
    "shard",
    "write_manifest",
]


@dataclass(eq=False, repr=False)
class Outcome:
    """What became of one dataset in a batch."""

    dataset: Path
    ok: bool
    outputs: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0
    #: The errors as records (file, message, field, line), where the dataset's problems are known.
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``"built"`` or ``"failed"``."""
        return "built" if self.ok else "failed"


def build_one(path: Path, options: BuildOptions) -> Outcome:
    """Build one dataset and report the outcome; never raises for a bad dataset."""
    start = time.perf_counter()
    outcome = Outcome(path, ok=False)
    rendering_failed = True
    try:
        result = build(path, options)
    except DatasetError as exc:  # found before anything is written
        outcome.errors = exc.lines()
        outcome.problems = [asdict(p) for p in exc.problems]
        rendering_failed = False
    except KmoExportError as exc:
        outcome.errors = exc.lines()
    except MemoryError:
        outcome.errors = [f"{path}: out of memory"]
    except RecursionError:
        outcome.errors = [f"{path}: nested too deeply to be read"]
    except Exception as exc:  # a bug in kmo-export: report it as one line, keep the batch going
        outcome.errors = [f"{path}: internal error (please report it): {type(exc).__name__}: {exc}"]
    else:
        outcome.ok = True
        outcome.outputs = [
            {
                "path": str(w.path),
                "format": w.path.suffix.lstrip("."),
                "size": w.size,
                "sha256": w.sha256,
            }
            for w in result.outputs
        ]
        outcome.warnings = [str(p) for p in result.warnings]
    if not outcome.ok and rendering_failed:
        discard_partial(path, options)
    outcome.duration = time.perf_counter() - start
    return outcome


def discard_partial(path: Path, options: BuildOptions) -> None:
    """Remove what a failed or interrupted build of ``path`` may have left in the output folder.

    A renderer object abandoned mid-write can still write when it is garbage-collected
    (XlsxWriter's ``Workbook.__del__`` closes, and so writes, an unclosed workbook), after
    :func:`~kmo_export.output.atomic_write` removed its temporary file: collect such objects
    now, then remove the temporary files of this dataset's outputs.
    """
    import gc

    gc.collect()
    remove_stale_parts([path], options)


def run(
    paths: Sequence[Path],
    options: BuildOptions,
    jobs: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every dataset in ``paths``, ``jobs`` at a time; outcomes in input order.

    Raises KmoExportError before anything is written if two inputs would write the same
    file or the Word template is unusable. A dataset that fails, or whose worker process
    dies, is an outcome with ``ok=False``; the others still complete. ``on_outcome`` is
    called in the parent process as each dataset finishes.
    """
    paths = list(paths)
    check_output_names(paths, options)
    _prepare(options)
    remove_stale_parts(paths, options)
    jobs = max(1, min(jobs or default_jobs(), len(paths)))
    if jobs == 1:
        outcomes: list[Outcome] = []
        current: Path | None = None
        try:
            for current in paths:
                outcomes.append(build_one(current, options))
                if on_outcome:
                    on_outcome(outcomes[-1])
            current = None
        except KeyboardInterrupt:
            pass
        if current is not None:  # interrupted: the traceback is gone, clean up, then stop
            discard_partial(current, options)
            raise KeyboardInterrupt
        return outcomes
    from .pool import Pool  # only a batch of several datasets at a time needs it

    pool = Pool(
        paths,
        task=functools.partial(build_one, options=options),
        cleanup=functools.partial(discard_partial, options=options),
        died=_died,
        jobs=jobs,
        on_result=on_outcome,
    )
    return pool.run()


def default_jobs() -> int:
    """The number of CPUs this process may use (its affinity, e.g. a container's limit)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# The outcome of a dataset whose worker process died while building it.
def _died(path: Path, why: str) -> Outcome:
    return Outcome(path, ok=False, errors=[f"{path}: {why}"])


def _prepare(options: BuildOptions) -> None:
    # Import the renderers and check the template once, in the parent: workers forked from it
    # inherit both, and a bad template is one error before anything is written.
    # The renderers import their libraries lazily; import those here too, for the same reason.
    import importlib

    formats = chosen(options.formats)
    for fmt in formats:
        for library in fmt.libraries:
            importlib.import_module(library)
    if any(f.needs_template for f in formats):
        from ..brief import load_template

        load_template(options.template)
    if any(f.needs_libreoffice for f in formats):
        from ..pdf import require_soffice

        require_soffice()  # no LibreOffice: one error before anything is written
