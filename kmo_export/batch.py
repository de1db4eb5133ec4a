"""Build many datasets in one call: parallel worker processes, deterministic shards, a manifest.

The parallel builder is a small process pool of its own rather than
:class:`concurrent.futures.ProcessPoolExecutor`: it knows which dataset each worker is
building, so a worker that dies (killed, out of memory, a crash in a library) fails that one
dataset and is replaced, instead of breaking the whole pool. With the ``fork`` start method the
workers inherit the imported renderers, the loaded template, the list of inputs and the
options, so a task is one small integer down a pipe and one small :class:`Outcome` back.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .build import BuildOptions, build, output_paths
from .errors import DatasetError, KmoExportError, OutputError

#: Seconds a worker gets to clean up (remove its temporary file) after an interrupt.
_SHUTDOWN_GRACE = 10.0


@dataclass
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


class NameClashError(OutputError):
    """Two inputs would write the same output file; nothing was written."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        super().__init__(lines[0])

    def lines(self) -> list[str]:
        """One message per clash."""
        return list(self._lines)


# -- inputs -------------------------------------------------------------------------------


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


def check_output_names(paths: Sequence[Path], options: BuildOptions) -> None:
    """Raise NameClashError if two inputs would write the same output file.

    Names that differ only in case clash too: they would overwrite each other on macOS and
    Windows and in a CI artifact. Unusable names are left to the build of that dataset.
    """
    seen: dict[str, tuple[Path, Path]] = {}
    clashes: list[str] = []
    for path in paths:
        try:
            targets = output_paths(path, options).values()
        except KmoExportError:
            continue
        for target in targets:
            key = str(target).casefold()
            if key in seen:
                other, other_target = seen[key]
                same = "" if other_target == target else f" ({other_target})"
                clashes.append(
                    f"{path}: would write {target}, as {other} does{same}; rename one of them"
                )
                break
            seen[key] = (path, target)
    if clashes:
        raise NameClashError(clashes)


def remove_stale_parts(paths: Sequence[Path], options: BuildOptions) -> list[Path]:
    """Remove temporary files that a killed run left for the outputs of ``paths``.

    Only files of the exact pattern :func:`kmo_export.output.atomic_write` uses
    (``.<output name>.<8 characters>.part``), only in the output folder, only for outputs this
    run writes: a run in the same folder that builds other datasets is never disturbed.
    """
    folder = options.output_dir
    try:
        if not folder.is_dir():
            return []
    except OSError:  # a name too long, no permission: the build reports it as it writes
        return []
    names: set[str] = set()
    for path in paths:
        try:
            names.update(target.name for target in output_paths(path, options).values())
        except KmoExportError:
            continue
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


# ".<name>.<8 of [a-z0-9_]>.part", as tempfile.mkstemp(prefix=".<name>.", suffix=".part") makes.
_PART = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.part")


# -- building -----------------------------------------------------------------------------


def build_one(path: Path, options: BuildOptions) -> Outcome:
    """Build one dataset and report the outcome; never raises for a bad dataset."""
    start = time.perf_counter()
    outcome = Outcome(path, ok=False)
    rendering_failed = True
    try:
        result = build(path, options)
    except DatasetError as exc:  # found before anything is written
        outcome.errors = _lines(exc)
        outcome.problems = [asdict(p) for p in exc.problems]
        rendering_failed = False
    except KmoExportError as exc:
        outcome.errors = _lines(exc)
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


def default_jobs() -> int:
    """The number of CPUs this process may use (its affinity, e.g. a container's limit)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


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
    return _Pool(paths, options, jobs, on_outcome).run()


def _prepare(options: BuildOptions) -> None:
    # Import the renderers and check the template once, in the parent: workers forked from it
    # inherit both, and a bad template is one error before anything is written.
    # The renderers import their libraries lazily; import those here too, for the same reason.
    if "xlsx" in options.formats:
        import xlsxwriter  # noqa: F401

        from . import workbook  # noqa: F401
    if "docx" in options.formats or "pdf" in options.formats:
        import docx  # noqa: F401

        from .brief import load_template

        load_template(options.template)
    if "pdf" in options.formats:
        from .pdf import require_soffice

        require_soffice()  # no LibreOffice: one error before anything is written


class _Pool:
    # Worker processes fed one dataset index at a time; a dead worker fails its dataset only.

    def __init__(
        self,
        paths: list[Path],
        options: BuildOptions,
        jobs: int,
        on_outcome: Callable[[Outcome], None] | None,
    ) -> None:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.paths = paths
        self.options = options
        self.jobs = jobs
        self.on_outcome = on_outcome
        self.pending = list(range(len(paths)))[::-1]  # popped from the end: input order
        self.outcomes: list[Outcome | None] = [None] * len(paths)
        self.workers: list[_Worker] = []  # building, or about to be given a dataset
        self.retired: list[_Worker] = []  # told to stop, not yet joined

    def run(self) -> list[Outcome]:
        from multiprocessing.connection import wait

        try:
            for _ in range(self.jobs):
                self._start()
            while self.workers:
                waitables: list[Any] = []
                for worker in self.workers:
                    waitables += [worker.conn, worker.process.sentinel]
                ready = set(wait(waitables))
                for worker in list(self.workers):
                    if worker.conn in ready or worker.process.sentinel in ready:
                        self._service(worker, ready)
        finally:
            self._shutdown()
        return [o for o in self.outcomes if o is not None]

    def _start(self) -> None:
        import sys

        if not self.pending:
            return
        for stream in (sys.stdout, sys.stderr):  # a forked child must not repeat buffered output
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(
            target=_work,
            args=(child_end, self.paths, self.options),
            name="kmo-export-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        self._assign(worker)

    def _assign(self, worker: _Worker) -> None:
        # Give the worker the next dataset, or tell it to stop.
        if not self.pending:
            self._retire(worker)
            return
        index = self.pending.pop()
        try:
            worker.conn.send(index)
        except OSError:  # died before it could take it: the dataset was never started
            self.pending.append(index)
            self._bury(worker)
            return
        worker.task = index

    def _service(self, worker: _Worker, ready: set[Any]) -> None:
        # Collect a finished dataset and hand out the next; or find the worker dead.
        finished = dead = False
        try:
            while worker.conn.poll():
                index, outcome = worker.conn.recv()
                self._record(index, outcome)
                worker.task = None
                finished = True
        except (EOFError, OSError):
            dead = True
        if dead or worker.process.sentinel in ready:
            self._bury(worker)
        elif finished:
            self._assign(worker)

    def _bury(self, worker: _Worker) -> None:
        # A worker died: fail the dataset it was building, start a replacement if work is left.
        worker.process.join(_SHUTDOWN_GRACE)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        if worker.task is not None:
            path = self.paths[worker.task]
            self._record(
                worker.task,
                Outcome(path, ok=False, errors=[f"{path}: {_death(worker.process.exitcode)}"]),
            )
            worker.task = None
        self._start()

    def _retire(self, worker: _Worker) -> None:
        # No work left: let the worker exit.
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        worker.conn.close()
        self.workers.remove(worker)
        self.retired.append(worker)

    def _record(self, index: int, outcome: Outcome) -> None:
        self.outcomes[index] = outcome
        if self.on_outcome:
            self.on_outcome(outcome)

    def _shutdown(self) -> None:
        # Normal end: the workers exit by themselves. Interrupted or failed: stop them (SIGTERM
        # makes a worker remove its temporary file), then kill what does not stop.
        busy = self.workers
        for worker in busy:
            if worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + _SHUTDOWN_GRACE
        for worker in [*busy, *self.retired]:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            if not worker.conn.closed:
                worker.conn.close()
        self.workers = []
        self.retired = []


@dataclass
class _Worker:
    process: Any
    conn: Any
    task: int | None = None


def _death(exitcode: int | None) -> str:
    # Why a worker process ended without reporting its dataset, in words.
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"the worker process building it was killed by {name}{hint}"
    return f"the worker process building it stopped unexpectedly (exit code {exitcode})"


def _work(conn: Any, paths: list[Path], options: BuildOptions) -> None:
    # Worker process: build the datasets whose index arrives, send back each Outcome.
    import signal

    stopping = False

    def stop(signum: int, frame: object) -> None:
        # The first Ctrl-C or terminate() stops the build; later ones (the parent's SIGTERM
        # after the terminal's SIGINT) are let pass so the clean-up runs to its end. (Setting
        # SIG_IGN instead races with a pending signal and prints a traceback.)
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # terminate() cleans up like Ctrl-C, then exits
    signal.signal(signal.SIGINT, stop)
    current: int | None = None
    try:
        while True:
            index = conn.recv()
            if index is None:
                break
            current = index
            outcome = build_one(paths[index], options)
            current = None
            conn.send((index, outcome))
    except (KeyboardInterrupt, EOFError, OSError):
        pass
    finally:
        conn.close()
    stopping = True  # from here on a signal no longer interrupts
    if current is not None:  # interrupted mid-build: the traceback is gone, clean up
        discard_partial(paths[current], options)


def _lines(exc: KmoExportError) -> list[str]:
    lines = getattr(exc, "lines", None)
    return list(lines()) if callable(lines) else [str(exc)]


# -- manifest -----------------------------------------------------------------------------


def manifest(
    outcomes: Sequence[Outcome], options: BuildOptions, shard_spec: str | None = None
) -> dict[str, Any]:
    """A JSON-ready record of a batch: every dataset with status, outputs, duration, errors."""
    from . import __version__

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
    from .output import atomic_write

    record = manifest(outcomes, options or BuildOptions(), shard_spec)
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    if path.parent.is_dir():
        for entry in os.scandir(path.parent):
            match = _PART.fullmatch(entry.name)
            if match and match[1] == path.name and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
