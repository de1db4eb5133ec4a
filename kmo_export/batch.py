"""Build many datasets in one call: parallel processes, deterministic shards, a manifest."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildOptions, build, output_paths
from .errors import KmoExportError, OutputError
from .output import atomic_write


@dataclass
class Outcome:
    """What became of one dataset in a batch."""

    dataset: Path
    ok: bool
    outputs: list[dict[str, object]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; ValueError unless 1 <= I <= N."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"{text!r} is not of the form I/N, e.g. 1/4") from None
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: I must be between 1 and N")
    return index, count


def shard(paths: Sequence[Path], index: int, count: int) -> list[Path]:
    """The ``index``-th (1-based) of ``count`` slices of the sorted inputs: round robin, stable."""
    return [p for i, p in enumerate(paths) if i % count == index - 1]


def check_output_names(paths: Sequence[Path], options: BuildOptions) -> None:
    """Raise OutputError if two inputs would write the same output file."""
    seen: dict[Path, Path] = {}
    for path in paths:
        for target in output_paths(path, options).values():
            if target in seen:
                raise OutputError(
                    f"{path}: would overwrite {target}, also written for {seen[target]}; rename one of them"
                )
            seen[target] = path


def build_one(path: Path, options: BuildOptions) -> Outcome:
    """Build one dataset and report the outcome; never raises for a bad dataset."""
    start = time.perf_counter()
    outcome = Outcome(path, ok=False)
    try:
        result = build(path, options)
    except KmoExportError as exc:
        outcome.errors = exc.lines() if hasattr(exc, "lines") else [str(exc)]
    except MemoryError:
        outcome.errors = [f"{path}: out of memory"]
    except Exception as exc:  # a bug in kmo-export: report it as one line, keep the batch going
        outcome.errors = [f"{path}: internal error: {type(exc).__name__}: {exc}"]
    else:
        outcome.ok = True
        outcome.outputs = [
            {"path": str(w.path), "size": w.size, "sha256": w.sha256} for w in result.outputs
        ]
        outcome.warnings = [str(p) for p in result.warnings]
    outcome.duration = time.perf_counter() - start
    return outcome


def run(
    paths: Sequence[Path],
    options: BuildOptions,
    jobs: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every dataset in ``paths``, ``jobs`` at a time; outcomes in input order."""
    check_output_names(paths, options)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    outcomes: dict[Path, Outcome] = {}
    if jobs == 1:
        for path in paths:
            outcomes[path] = build_one(path, options)
            if on_outcome:
                on_outcome(outcomes[path])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_warm_up
        ) as pool:
            futures = {pool.submit(build_one, path, options): path for path in paths}
            try:
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes[outcome.dataset] = outcome
                    if on_outcome:
                        on_outcome(outcome)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return [outcomes[p] for p in paths]


def _warm_up() -> None:
    # Import the renderers once per worker process, not once per dataset.
    from . import brief, workbook  # noqa: F401


def write_manifest(path: Path, outcomes: Sequence[Outcome]) -> None:
    """Write a JSON record of every dataset: status, outputs (path, size, sha256), time, errors."""
    from . import __version__

    record = {
        "tool": "kmo-export",
        "version": __version__,
        "built": sum(o.ok for o in outcomes),
        "failed": sum(not o.ok for o in outcomes),
        "datasets": [
            {
                "dataset": str(o.dataset),
                "status": "built" if o.ok else "failed",
                "outputs": o.outputs,
                "duration_seconds": round(o.duration, 4),
                "error": o.errors[0] if o.errors else None,
                "errors": o.errors,
                "warnings": o.warnings,
            }
            for o in outcomes
        ],
    }
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
