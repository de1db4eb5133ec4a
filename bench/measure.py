"""Running whole processes and measuring them: wall time, peak memory, the machine."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "work"


@dataclass
class Run:
    """One finished process: wall time (s), peak resident memory (KiB), exit code, stderr tail."""

    wall: float
    maxrss_kib: int
    returncode: int
    stderr: str = ""
    timed_out: bool = False
    cpu: float = 0.0  # user + system seconds of the process and the children it reaped
    others: float = 0.0  # CPU seconds the rest of the machine used meanwhile (/proc/stat)

    @property
    def others_cores(self) -> float:
        """How many cores other work kept busy on average while this process ran."""
        return self.others / self.wall if self.wall else 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def kmo_command() -> list[str]:
    """The installed console script of the environment that runs the bench (.venv/bin/kmo-export)."""
    script = Path(sys.executable).parent / "kmo-export"
    if script.is_file():
        return [str(script)]
    found = shutil.which("kmo-export")
    return [found] if found else [sys.executable, "-m", "kmo_export"]


def run_process(
    argv: list[str], timeout: float = 900.0, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> Run:
    """Run ``argv`` to its end; wall time from spawn to reap, peak RSS of it and its children.

    Peak RSS comes from GNU time (/usr/bin/time) where it is installed: a process forked from
    this (bigger) bench process would inherit the bench's RSS as the floor of its ru_maxrss.
    Without GNU time the wait4 rusage is used, and small figures are too high by that floor.
    """
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    rss_file = logs / "last-maxrss.txt"
    rss_file.unlink(missing_ok=True)
    prefix = [GNU_TIME, "-f", "%M", "-o", str(rss_file)] if GNU_TIME else []
    with (logs / "last-stderr.txt").open("w+b") as err:
        busy_before = machine_busy()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*prefix, *argv],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)  # the process group we started, nothing else

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            # wait4: this child's own rusage (with the children it reaped), unlike
            # getrusage(RUSAGE_CHILDREN), whose ru_maxrss is a maximum over all past children.
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        busy = machine_busy() - busy_before
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    maxrss = usage.ru_maxrss
    if GNU_TIME and rss_file.is_file():
        last = rss_file.read_text().strip().splitlines()[-1:]
        if last and last[0].isdigit():
            maxrss = int(last[0])
    cpu = usage.ru_utime + usage.ru_stime
    others = max(busy - cpu, 0.0)
    return Run(wall, maxrss, proc.returncode, tail, timed_out.is_set(), cpu, others)


def machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (0.0 where /proc/stat is missing)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()[1:]
    except OSError:
        return 0.0
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    ticks = [int(f) for f in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _gnu_time() -> str | None:
    # /usr/bin/time if it is GNU time (it understands -f %M -o FILE).
    path = shutil.which("time", path="/usr/bin:/bin")
    if not path:
        return None
    try:
        probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True)
    except OSError:
        return None
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def compile_bytecode() -> float:
    """Compile the environment's and the package's .py files to .pyc (as pip does at install).

    uv installs without bytecode by default, and this workplace sets PYTHONDONTWRITEBYTECODE,
    so without this step every process would compile every module it imports, again and again.
    Returns the seconds it took (near 0 when everything is up to date).
    """
    import compileall
    import sysconfig

    start = time.perf_counter()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        compileall.compile_dir(folder, quiet=2, workers=0)
    compileall.compile_dir(str(ROOT / "kmo_export"), quiet=2, workers=0)
    return time.perf_counter() - start


def no_bytecode_env() -> dict[str, str]:
    """An environment in which Python finds no .pyc and writes none: every import compiles."""
    empty = WORK / "no-pycache"
    empty.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "PYTHONPYCACHEPREFIX": str(empty), "PYTHONDONTWRITEBYTECODE": "1"}


def median(values: list[float]) -> float:
    """The median (the lower/upper mean for an even count, as statistics.median)."""
    return statistics.median(values)


def machine() -> dict[str, str]:
    """CPU model, cores, Python, OS, date, git commit: what a reader needs to compare runs."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    try:
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        mem = f"{memory / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem = "?"
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable",
        "memory": mem,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": os_name,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git commit": _git_commit(),
        "libraries": _versions(),
    }


def load_average() -> str:
    """The 1-minute load average: other work on the machine shows up here."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _git_commit() -> str:
    # Short commit, plus a note when the package has uncommitted changes (what was measured).
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "kmo_export", "templates"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"
    return f"{commit} (+ uncommitted changes in kmo_export/ or templates/)" if dirty else commit


def _versions() -> str:
    # Versions of the libraries that decide the figures.
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("kmo-export", "xlsxwriter", "python-docx", "pyyaml", "click", "pandas"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)
