"""Profiles of the cold build and of the batch path: import times, stage times, cProfile hot spots.

    uv run python bench/profile_build.py [--quick]

Writes the full profiles to bench/work/profile/ and prints a Markdown summary; bench/run.py puts
that summary in bench/README.md.
"""

from __future__ import annotations

import io
import json
import pstats
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets
from measure import BENCH, ROOT, WORK, compile_bytecode, kmo_command, median
from whatif import gc_check_table, whatif_table

PROFILE = WORK / "profile"
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def import_times(runs: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Total import time of a cold build and the self time summed per top-level package (ms)."""
    per_package: dict[str, list[float]] = defaultdict(list)
    totals = []
    argv = [
        sys.executable,
        "-X",
        "importtime",
        *kmo_command(),
        "build",
        "-o",
        str(PROFILE / "out"),
        "-q",
    ]
    for i in range(runs + 1):
        result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
        if i == 0:
            (PROFILE / "importtime-cold-build.txt").write_text(result.stderr, encoding="utf-8")
            continue  # the first run may still compile .pyc files
        sums: dict[str, float] = defaultdict(float)
        for line in result.stderr.splitlines():
            match = _IMPORT_LINE.match(line)
            if match:
                sums[match.group(4).split(".")[0]] += int(match.group(1)) / 1000
        for name, ms in sums.items():
            per_package[name].append(ms)
        totals.append(sum(sums.values()))
    ranked = sorted(((name, median(v)) for name, v in per_package.items()), key=lambda x: -x[1])
    return median(totals), ranked


def stage_times(dataset: Path, repeat: int = 6) -> dict[str, tuple[float, float]]:
    """(first call, median of later calls) in seconds per stage, from bench/phases.py."""
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "phases.py"),
            str(dataset),
            str(PROFILE / "phases"),
            str(repeat),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    record = json.loads(out)
    result = {name: (t, t) for name, t in record["import"].items()}
    for name, times in record["stages"].items():
        result[name] = (times[0], median(times[1:]) if len(times) > 1 else times[0])
    return result


def cprofile(name: str, args: list[str]) -> list[tuple[str, int, float, float]]:
    """cProfile a kmo-export process; save the stats; return (function, calls, own, cumulative)."""
    prof = PROFILE / f"{name}.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(prof), *kmo_command(), *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    (PROFILE / f"{name}.txt").write_text(text.getvalue(), encoding="utf-8")
    rows = []
    for (file, line, func), (_, ncalls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = _short(file)
        rows.append((f"{where}:{line}({func})", ncalls, tottime, cumtime))
    return rows


def _short(file: str) -> str:
    # site-packages/xlsxwriter/worksheet.py -> xlsxwriter/worksheet.py; ROOT/kmo_export/x -> kmo_export/x
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def profile_section(quick: bool = False) -> str:
    """Run the profiles and return the Markdown section for bench/README.md."""
    PROFILE.mkdir(parents=True, exist_ok=True)
    total, packages = import_times(3 if quick else 5)
    stages = stage_times(datasets_bundled())
    batch_folder = WORK / "batch" / "data"
    if not batch_folder.is_dir():
        datasets.batch_datasets(batch_folder, 200)
    batch_files = sorted(str(p) for p in batch_folder.glob("*.yaml"))[:50]
    cold = cprofile("cprofile-cold-build", ["build", "-o", str(PROFILE / "out"), "-q"])
    hot = cprofile(
        "cprofile-batch-j1-50",
        ["build", *batch_files, "-o", str(PROFILE / "out-batch"), "-j", "1", "-q"],
    )
    lines = [
        "### Profile",
        "",
        f"Import time of a cold `kmo-export build` (`python -X importtime`, median of runs): **{total:.0f} ms** "
        "in all; self time summed per top-level package:",
        "",
        "| package | import ms |",
        "| --- | ---: |",
        *(f"| {name} | {ms:.1f} |" for name, ms in packages[:14]),
        "",
        "Stages of one build inside one process (bench/phases.py on the bundled dataset): the first call "
        "carries lazy imports and caches; *warm* is the median of the later calls, i.e. what a batch worker "
        "pays per dataset.",
        "",
        "| stage | first call | warm |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms |" for name, (a, b) in stages.items()),
        "",
        "cProfile, top functions by own time (full listings in bench/work/profile/):",
        "",
        "*Cold build of the bundled dataset, kmo-export's own functions by cumulative time "
        "(imports included where a function imports lazily):*",
        "",
        _top_table(
            sorted((r for r in cold if r[0].startswith("kmo_export/")), key=lambda r: -r[3]), 14
        ),
        "*Batch path, 50 generated datasets, `-j 1`, one process:*",
        "",
        _top_table(sorted(hot, key=lambda r: -r[2]), 14),
        gc_check_table(WORK / "scaling" / "data" / "scale-100000.yaml", reps=2 if quick else 3)
        if (WORK / "scaling" / "data" / "scale-100000.yaml").is_file()
        else "",
        whatif_table(
            batch_folder / "bench-007.yaml", repeat=6 if quick else 8, rounds=2 if quick else 3
        ),
    ]
    return "\n".join(lines)


def datasets_bundled() -> Path:
    """The bundled dataset."""
    return ROOT / "data" / "kmo-portefeuille-2019.yaml"


def _top_table(rows: list[tuple[str, int, float, float]], n: int) -> str:
    lines = ["| function | calls | own | cumulative |", "| --- | ---: | ---: | ---: |"]
    lines += [
        f"| `{name}` | {calls:,} | {own * 1000:.1f} ms | {cum * 1000:.1f} ms |"
        for name, calls, own, cum in rows[:n]
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    compile_bytecode()
    print(profile_section("--quick" in sys.argv))
