"""A small process pool that knows which item each worker is working on.

Rather than :class:`concurrent.futures.ProcessPoolExecutor`: a worker that dies (killed, out of
memory, a crash in a library) fails only the item it held and is replaced, instead of breaking
the whole pool. With the ``fork`` start method the workers inherit the parent's imports and the
list of items, so a task is one small integer down a pipe and one small result back.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Seconds a worker gets to clean up (remove its temporary file) after an interrupt.
_SHUTDOWN_GRACE = 10.0


class Pool(Generic[Item, Result]):
    """Run ``task(item)`` for every item, ``jobs`` worker processes at a time.

    ``on_result(result)`` is called in the parent as each item finishes; an item whose worker
    died gets ``died(item, why)`` as its result. A worker interrupted mid-task (Ctrl-C,
    SIGTERM) calls ``cleanup(item)`` before it exits. ``task`` and ``cleanup`` must be picklable
    where ``fork`` is not available (module-level functions, ``functools.partial``).
    """

    def __init__(
        self,
        items: Sequence[Item],
        task: Callable[[Item], Result],
        cleanup: Callable[[Item], None],
        died: Callable[[Item, str], Result],
        jobs: int,
        on_result: Callable[[Result], None] | None = None,
    ) -> None:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        # A fork or spawn context (typeshed's BaseContext has no Process).
        self.context: Any = multiprocessing.get_context(method)
        self.items = list(items)
        self.task = task
        self.cleanup = cleanup
        self.died = died
        self.jobs = jobs
        self.on_result = on_result
        self.pending = list(range(len(self.items)))[::-1]  # popped from the end: input order
        self.results: list[Result | None] = [None] * len(self.items)
        self.workers: list[_Worker] = []  # working, or about to be given an item
        self.retired: list[_Worker] = []  # told to stop, not yet joined

    def run(self) -> list[Result]:
        """Work through every item; the results in input order."""
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
        return [r for r in self.results if r is not None]

    def _start(self) -> None:
        # A new worker process, given its first item.
        import sys

        if not self.pending:
            return
        for stream in (sys.stdout, sys.stderr):  # a forked child must not repeat buffered output
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(
            target=_work,
            args=(child_end, self.items, self.task, self.cleanup),
            name="kmo-export-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        self._assign(worker)

    def _assign(self, worker: _Worker) -> None:
        # Give the worker the next item, or tell it to stop.
        if not self.pending:
            self._retire(worker)
            return
        index = self.pending.pop()
        try:
            worker.conn.send(index)
        except OSError:  # died before it could take it: the item was never started
            self.pending.append(index)
            self._bury(worker)
            return
        worker.task = index

    def _service(self, worker: _Worker, ready: set[Any]) -> None:
        # Collect a finished item and hand out the next; or find the worker dead.
        finished = dead = False
        try:
            while worker.conn.poll():
                index, result = worker.conn.recv()
                self._record(index, result)
                worker.task = None
                finished = True
        except (EOFError, OSError):
            dead = True
        if dead or worker.process.sentinel in ready:
            self._bury(worker)
        elif finished:
            self._assign(worker)

    def _bury(self, worker: _Worker) -> None:
        # A worker died: fail the item it held, start a replacement if work is left.
        worker.process.join(_SHUTDOWN_GRACE)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        if worker.task is not None and worker.process.exitcode == 0:
            # A worker leaves mid-task with status 0 only when interrupted (Ctrl-C reaches the
            # whole process group, the worker cleans up and exits): the batch is being stopped,
            # its item did not fail. Give the parent's own signal a moment, then stop as it does.
            time.sleep(0.5)
            raise KeyboardInterrupt
        if worker.task is not None:
            item = self.items[worker.task]
            self._record(worker.task, self.died(item, _death(worker.process.exitcode)))
            worker.task = None
        self._start()

    def _retire(self, worker: _Worker) -> None:
        # No work left: let the worker exit.
        with contextlib.suppress(OSError):
            worker.conn.send(None)
        worker.conn.close()
        self.workers.remove(worker)
        self.retired.append(worker)

    def _record(self, index: int, result: Result) -> None:
        # Keep a result in its input place and pass it on.
        self.results[index] = result
        if self.on_result:
            self.on_result(result)

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


# One worker process: its process, its end of the pipe, the index of the item it holds.
@dataclass
class _Worker:
    process: Any
    conn: Any
    task: int | None = None


def _death(exitcode: int | None) -> str:
    # Why a worker process ended without reporting its item, in words.
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"the worker process building it was killed by {name}{hint}"
    return f"the worker process building it stopped unexpectedly (exit code {exitcode})"


def _work(
    conn: Any, items: list[Any], task: Callable[[Any], Any], cleanup: Callable[[Any], None]
) -> None:
    # Worker process: run the task on each item whose index arrives, send back each result.
    import signal

    stopping = False

    def stop(signum: int, frame: object) -> None:
        # The first Ctrl-C or terminate() stops the task; later ones (the parent's SIGTERM
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
            result = task(items[index])
            current = None
            conn.send((index, result))
    except (KeyboardInterrupt, EOFError, OSError):
        pass
    finally:
        conn.close()
    stopping = True  # from here on a signal no longer interrupts
    if current is not None:  # interrupted mid-task: the traceback is gone, clean up
        cleanup(items[current])
