"""The kmo-export benchmark: whole processes, repeated, medians, checked against the targets.

    uv run --group bench python bench/run.py            # everything (10 to 20 minutes)
    uv run --group bench python bench/run.py --quick    # fewer repetitions, no 1,000,000 rows
    uv run python bench/run.py                          # without pandas: no baseline ratio

Prints the results and writes them to bench/README.md with the machine they ran on. The
"Findings" section of that file is written by hand and kept as it is. Work files (generated
datasets, outputs, profiles) go to bench/work/, which git ignores.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

import datasets
from measure import (
    BENCH,
    ROOT,
    WORK,
    Run,
    compile_bytecode,
    kmo_command,
    load_average,
    machine,
    median,
    no_bytecode_env,
    run_process,
)

README = BENCH / "README.md"
FINDINGS_HEADING = "## Findings"
MIB = 1024

# Targets from issue 7.
COLD_RATIO_MAX = 0.6
HELP_MAX_S = 0.100
BATCH_PER_DATASET_MAX_S = 0.040
BATCH_SPEEDUP_MIN = 1.7
XLSX_1M_PEAK_MAX_MIB = 200
LINEAR_SLACK = 1.5  # marginal cost per row may grow at most this much from size to size


def main() -> int:
    """Run the benchmark sections asked for; print and write the results."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions, skip 1,000,000 rows"
    )
    parser.add_argument(
        "--only",
        default="cold,help,batch,scaling,profile",
        help="comma-separated sections (cold, help, batch, scaling, profile)",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="write bench/README.md even for --quick or --only (a full run always writes it)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/README.md")
    parser.add_argument("--batch-count", type=int, default=200, help="datasets in the batch runs")
    args = parser.parse_args()
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = sections - {"cold", "help", "batch", "scaling", "profile"}
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["load average at start"] = load_average()
    info["mode"] = "quick" if args.quick else "full"
    print(
        "... compiling bytecode (.pyc) of the environment and kmo_export",
        file=sys.stderr,
        flush=True,
    )
    info["bytecode"] = (
        f".pyc compiled before the run, as pip does at install ({compile_bytecode():.1f} s); "
        "rows marked *no .pyc* run with an empty PYTHONPYCACHEPREFIX"
    )
    have_pandas = importlib.util.find_spec("pandas") is not None
    if not have_pandas and "cold" in sections:
        print(
            "pandas is not installed, so the baseline of the cold build cannot run.\n"
            "For the ratio, run:  uv run --group bench python bench/run.py\n",
            file=sys.stderr,
        )
    parts: list[str] = []
    verdicts: list[tuple[str, str, str, bool | None]] = []
    steps: list[tuple[str, Callable[[], str]]] = [
        ("cold", lambda: cold(args.quick, have_pandas, verdicts)),
        ("help", lambda: help_time(args.quick, verdicts)),
        ("batch", lambda: batch(args.quick, args.batch_count, verdicts)),
        ("scaling", lambda: scaling(args.quick, verdicts)),
    ]
    for name, step in steps:
        if name in sections:
            print(f"... {name}", file=sys.stderr, flush=True)
            compile_bytecode()  # again: the package may have been edited since the last section
            try:
                parts.append(step())
            except SectionFailed as exc:
                print(f"    {name} failed: {exc}", file=sys.stderr, flush=True)
                verdicts.append((f"section {name}", "failed", "runs", False))
                parts.append(f"### {name}: failed\n\n```\n{exc}\n```\n")
    if "profile" in sections:
        import profile_build

        print("... profile", file=sys.stderr, flush=True)
        compile_bytecode()
        try:
            parts.append(profile_build.profile_section(args.quick))
        except Exception as exc:  # a profiled process failed: keep the measured sections
            print(f"    profile failed: {exc}", file=sys.stderr, flush=True)
            parts.append(f"### Profile: failed\n\n```\n{exc}\n```\n")
    info["load average at end"] = load_average()
    commit_at_end = machine()["git commit"]
    if commit_at_end != info["git commit"]:
        info["git commit"] += f" at the start, {commit_at_end} at the end"

    report = "\n".join([summary(verdicts), *parts])
    print(machine_table(info))
    print(report)
    complete = not args.quick and sections == {"cold", "help", "batch", "scaling", "profile"}
    if args.no_write or not (complete or args.write):
        print(
            f"{README.relative_to(ROOT)} left as it was (a full run writes it; or pass --write)",
            file=sys.stderr,
        )
    else:
        write_readme(info, report)
        print(f"wrote {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


# -- 1. cold build against the pandas baseline ----------------------------------------------


def cold(quick: bool, have_pandas: bool, verdicts: list) -> str:
    """Cold `kmo-export build` (bundled dataset, xlsx + docx) against pandas to_excel, interleaved."""
    reps = 5 if quick else 11
    kmo = [*kmo_command(), "build", "-o", str(WORK / "cold" / "out"), "-q"]
    table_json = datasets.bundled_table_json(WORK / "cold" / "themes.json")
    base = [
        sys.executable,
        str(BENCH / "baseline_pandas.py"),
        str(table_json),
        str(WORK / "cold" / "pandas.xlsx"),
    ]
    ours: list[Run] = []
    theirs: list[Run] = []
    _checked(run_process(kmo), "kmo-export build (warm-up)")
    if have_pandas:
        _checked(run_process(base), "pandas baseline (warm-up)")
    for i in range(reps):
        # Alternate the order so drift in the machine's load hits both sides alike.
        order = [(ours, kmo, "kmo-export build"), (theirs, base, "pandas baseline")]
        for runs, argv, what in order if i % 2 == 0 else reversed(order):
            if runs is theirs and not have_pandas:
                continue
            runs.append(_checked(run_process(argv), what))
    # The same two processes where no bytecode is cached (uv's default install with
    # PYTHONDONTWRITEBYTECODE set, as on this workplace): every import compiles its source.
    cold_env = no_bytecode_env()
    ours_src: list[Run] = []
    theirs_src: list[Run] = []
    for _ in range(2 if quick else 3):
        ours_src.append(_checked(run_process(kmo, env=cold_env), "kmo-export build (no .pyc)"))
        if have_pandas:
            theirs_src.append(
                _checked(run_process(base, env=cold_env), "pandas baseline (no .pyc)")
            )
    t_ours = median([r.wall for r in ours])
    lines = [
        "### 1. Cold build of the bundled dataset (xlsx + docx) against a pandas baseline",
        "",
        f"Each process {reps} times, interleaved; median wall time, spawn to exit, of a fresh process.",
        "",
        "| process | median | min | max | CPU | peak RSS | other load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        _row("`kmo-export build` (xlsx + docx, bundled dataset)", ours),
    ]
    if have_pandas:
        t_base = median([r.wall for r in theirs])
        ratio = t_ours / t_base
        lines.append(
            _row(
                "baseline: pandas `DataFrame.to_excel` of the bare 58-row table (xlsxwriter)",
                theirs,
            )
        )
        lines.append(_row("*no .pyc*: `kmo-export build`", ours_src))
        lines.append(_row("*no .pyc*: pandas baseline", theirs_src))
        ratio_src = median([r.wall for r in ours_src]) / median([r.wall for r in theirs_src])
        lines += [
            "",
            f"**Ratio ours / baseline: {ratio:.2f}** (target <= {COLD_RATIO_MAX}). "
            f"Without cached bytecode (*no .pyc*): {ratio_src:.2f}. "
            f"Ratio of the CPU times (user + system; less sensitive to other load): "
            f"{median([r.cpu for r in ours]) / median([r.cpu for r in theirs]):.2f}.",
        ]
        verdicts.append(
            (
                "cold build / pandas baseline",
                f"{ratio:.2f}",
                f"<= {COLD_RATIO_MAX}",
                ratio <= COLD_RATIO_MAX,
            )
        )
    else:
        lines.append(_row("*no .pyc*: `kmo-export build`", ours_src))
        lines += [
            "",
            "Baseline not run: pandas is missing. Run `uv run --group bench python bench/run.py`.",
        ]
        verdicts.append(
            (
                "cold build / pandas baseline",
                f"{_ms(t_ours)} (no baseline)",
                f"<= {COLD_RATIO_MAX}",
                None,
            )
        )
    return "\n".join(lines) + "\n"


# -- 2. --help ---------------------------------------------------------------------------------


def help_time(quick: bool, verdicts: list) -> str:
    """`kmo-export --help` from the installed console script, and a bare interpreter for scale."""
    reps = 7 if quick else 21
    kmo = [*kmo_command(), "--help"]
    floor = [sys.executable, "-c", "pass"]
    cli_import = [sys.executable, "-c", "import click"]
    runs: dict[str, list[Run]] = {"help": [], "floor": [], "click": [], "src": []}
    _checked(run_process(kmo), "kmo-export --help (warm-up)")
    for _ in range(reps):
        runs["help"].append(_checked(run_process(kmo), "kmo-export --help"))
        runs["floor"].append(_checked(run_process(floor), "python -c pass"))
        runs["click"].append(_checked(run_process(cli_import), "python -c 'import click'"))
        runs["src"].append(_checked(run_process(kmo, env=no_bytecode_env()), "--help (no .pyc)"))
    t = median([r.wall for r in runs["help"]])
    verdicts.append(
        ("`kmo-export --help`", _ms(t), f"< {HELP_MAX_S * 1000:.0f} ms", t < HELP_MAX_S)
    )
    return "\n".join(
        [
            "### 2. `kmo-export --help`",
            "",
            f"{reps} runs each of the console script in {Path(kmo[0]).parent.relative_to(ROOT) if Path(kmo[0]).is_relative_to(ROOT) else Path(kmo[0]).parent}/ and, for scale, of a bare interpreter.",
            "",
            "| process | median | min | max | CPU | peak RSS | other load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            _row("`kmo-export --help`", runs["help"]),
            _row("`python -c 'import click'` (the CLI's one unavoidable import)", runs["click"]),
            _row("`python -c pass` (interpreter start-up)", runs["floor"]),
            _row("*no .pyc*: `kmo-export --help`", runs["src"]),
            "",
        ]
    )


# -- 3. batch ----------------------------------------------------------------------------------


def batch(quick: bool, count: int, verdicts: list) -> str:
    """`kmo-export build DIR -j 1` and `-j 2` on ``count`` generated datasets."""
    reps = 1 if quick else 3
    folder = WORK / "batch" / "data"
    _generated(folder, f"batch {count}", lambda: datasets.batch_datasets(folder, count))
    results: dict[int, list[Run]] = {1: [], 2: []}
    inside: dict[int, list[float]] = {1: [], 2: []}
    for rep in range(reps):
        for jobs in (1, 2) if rep % 2 == 0 else (2, 1):
            out = WORK / "batch" / f"out-j{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            manifest = WORK / "batch" / f"manifest-j{jobs}.json"
            argv = [
                *kmo_command(),
                "build",
                str(folder),
                "-o",
                str(out),
                "-j",
                str(jobs),
                "-q",
                "--manifest",
                str(manifest),
            ]
            run = _checked(run_process(argv), f"batch -j {jobs}")
            results[jobs].append(run)
            record = json.loads(manifest.read_text(encoding="utf-8"))
            if record["built"] != count:
                raise SectionFailed(
                    f"batch -j {jobs}: {record['failed']} of {count} datasets failed; see {manifest}"
                )
            inside[jobs] += [d["duration_seconds"] for d in record["datasets"]]
    t1 = median([r.wall for r in results[1]])
    t2 = median([r.wall for r in results[2]])
    per2 = t2 / count
    speedup = t1 / t2
    verdicts.append(
        (
            "batch: time per dataset, `-j 2`",
            _ms(per2),
            f"<= {BATCH_PER_DATASET_MAX_S * 1000:.0f} ms",
            per2 <= BATCH_PER_DATASET_MAX_S,
        )
    )
    verdicts.append(
        (
            "batch: speed-up `-j 2` over `-j 1`",
            f"{speedup:.2f} x",
            f">= {BATCH_SPEEDUP_MIN}",
            speedup >= BATCH_SPEEDUP_MIN,
        )
    )
    lines = [
        f"### 3. Batch: {count} generated datasets",
        "",
        f"`kmo-export build bench/work/batch/data -j N -q --manifest ...`, {reps} run(s) each; every dataset has "
        "20-80 table rows (bench/datasets.py). *In-process* is the median build time of one dataset as "
        "the manifest records it (load, validate, render, write), without process start-up.",
        "",
        "| jobs | wall (median) | per dataset | in-process per dataset | CPU per dataset | peak RSS | other load | speed-up |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for jobs, t in ((1, t1), (2, t2)):
        rss = max(r.maxrss_kib for r in results[jobs])
        lines.append(
            f"| {jobs} | {t:.2f} s | {_ms(t / count)} | {_ms(median(inside[jobs]))} | "
            f"{_ms(median([r.cpu for r in results[jobs]]) / count)} | {rss / MIB:.0f} MiB | "
            f"{median([r.others_cores for r in results[jobs]]):.2f} | "
            + ("1.00 x" if jobs == 1 else f"{speedup:.2f} x")
            + " |"
        )
    lines.append("")
    return "\n".join(lines)


# -- 4. scaling --------------------------------------------------------------------------------


def scaling(quick: bool, verdicts: list) -> str:
    """`build -f xlsx`, `build -f docx` and `check` of tables of 1,000 to 1,000,000 rows."""
    sizes = [1_000, 10_000, 100_000] if quick else [1_000, 10_000, 100_000, 1_000_000]
    folder = WORK / "scaling" / "data"
    paths = {}
    for n in sizes:
        paths[n] = _generated(folder, f"scale {n}", lambda n=n: datasets.scaling_dataset(folder, n))
    modes = [
        ("check", ["check"]),
        ("xlsx", ["build", "-f", "xlsx"]),
        ("docx", ["build", "-f", "docx"]),
    ]
    results: dict[tuple[str, int], list[Run]] = {}
    for n in sizes:
        reps = 1 if quick or n >= 1_000_000 else 3
        for mode, verb in modes:
            out = WORK / "scaling" / f"out-{mode}"
            argv = [*kmo_command(), *verb, str(paths[n])]
            if verb[0] == "build":
                argv += ["-o", str(out), "-q"]
            runs = []
            for _ in range(reps):
                print(f"    {mode} {n:,} rows", file=sys.stderr, flush=True)
                run = run_process(argv, timeout=600 if n >= 1_000_000 else 300)
                runs.append(run)
                if not run.ok:
                    break
            results[mode, n] = runs
    lines = [
        "### 4. Scaling: one table of N rows (CSV `rows_file`)",
        "",
        "`kmo-export check` (load + validate only), `build -f xlsx` and `build -f docx`, each a fresh process; "
        "median of 3 runs (1 at 1,000,000 rows or with --quick). Peak RSS of the process and its children (GNU time `%M`, else wait4 rusage). "
        "*Per row* is the marginal cost from the size before: (t(N) - t(previous N)) / (N - previous N).",
        "",
        "| rows | " + " | ".join(f"{m} time | {m} per row | {m} peak RSS" for m, _ in modes) + " |",
        "| ---: | " + " | ".join("---: | ---: | ---:" for _ in modes) + " |",
    ]
    marginal: dict[str, list[float]] = {m: [] for m, _ in modes}
    previous: dict[str, tuple[int, float]] = {}
    for n in sizes:
        cells = []
        for mode, _ in modes:
            runs = results[mode, n]
            if not runs[-1].ok:
                why = "timeout" if runs[-1].timed_out else f"failed (exit {runs[-1].returncode})"
                cells += [why, "", f"{runs[-1].maxrss_kib / MIB:.0f} MiB"]
                print(
                    f"    {mode} {n:,} rows: {why}: {runs[-1].stderr.strip()[-300:]}",
                    file=sys.stderr,
                )
                continue
            t = median([r.wall for r in runs])
            rss = max(r.maxrss_kib for r in runs)
            per_row = ""
            if mode in previous:
                n0, t0 = previous[mode]
                per = (t - t0) / (n - n0)
                marginal[mode].append(per)
                per_row = f"{per * 1e6:.1f} µs"
            previous[mode] = (n, t)
            cells += [f"{t:.2f} s", per_row, f"{rss / MIB:.0f} MiB"]
        lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    lines.append("")
    for mode in ("xlsx", "docx"):
        costs = marginal[mode]
        complete = all(results[mode, n][-1].ok for n in sizes)
        if len(costs) >= 2 and complete:
            # Skip the first interval (1,000 -> 10,000): start-up noise dominates it.
            tail = costs[1:] if len(costs) >= 3 else costs
            growth = max(b / a for a, b in itertools.pairwise(tail)) if len(tail) > 1 else 1.0
            verdicts.append(
                (
                    f"scaling `-f {mode}`: time linear in rows",
                    f"marginal cost x{growth:.2f} per decade",
                    f"<= x{LINEAR_SLACK}",
                    growth <= LINEAR_SLACK,
                )
            )
        else:
            verdicts.append(
                (
                    f"scaling `-f {mode}`: time linear in rows",
                    "not all sizes finished",
                    f"<= x{LINEAR_SLACK}",
                    False if not complete else None,
                )
            )
    biggest = sizes[-1]
    runs = results["xlsx", biggest]
    peak = max(r.maxrss_kib for r in runs) / MIB
    if biggest >= 1_000_000:
        ok = runs[-1].ok and peak < XLSX_1M_PEAK_MAX_MIB
        verdicts.append(
            (
                "scaling: peak RSS of `-f xlsx` at 1,000,000 rows",
                f"{peak:.0f} MiB" + ("" if runs[-1].ok else " (did not finish)"),
                f"< {XLSX_1M_PEAK_MAX_MIB} MiB",
                ok,
            )
        )
    else:
        verdicts.append(
            (
                "scaling: peak RSS of `-f xlsx` at 1,000,000 rows",
                f"not run (--quick; {peak:.0f} MiB at {biggest:,})",
                f"< {XLSX_1M_PEAK_MAX_MIB} MiB",
                None,
            )
        )
    return "\n".join(lines) + "\n"


# -- helpers -----------------------------------------------------------------------------------


def _generated(folder: Path, name: str, make: Callable[[], object]) -> object:
    # Run a generator unless its files are there from this generator version (a stamp file).
    stamp = folder / f".{name.replace(' ', '-')}.stamp"
    want = f"{datasets.GENERATOR_VERSION}"
    if stamp.is_file() and stamp.read_text() == want:
        result = json.loads((folder / f".{name.replace(' ', '-')}.json").read_text())
        return Path(result) if isinstance(result, str) else result
    print(f"    generating {name}", file=sys.stderr, flush=True)
    result = make()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f".{name.replace(' ', '-')}.json").write_text(
        json.dumps(str(result) if isinstance(result, Path) else [str(p) for p in result])
    )  # type: ignore[attr-defined]
    stamp.write_text(want)
    return result


class SectionFailed(Exception):
    """A measured process failed: the section has no figures (the others still run)."""


def _checked(run: Run, what: str) -> Run:
    # Stop the section on a failed process: a timing of a failure is no timing.
    if not run.ok:
        why = "timed out" if run.timed_out else f"exit {run.returncode}"
        raise SectionFailed(f"{what} failed ({why}):\n{run.stderr.strip()[-1500:]}")
    return run


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _row(name: str, runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    rss = max(r.maxrss_kib for r in runs) / MIB
    others = median([r.others_cores for r in runs])
    cpu = median([r.cpu for r in runs])
    return (
        f"| {name} | {_ms(median(walls))} | {_ms(min(walls))} | {_ms(max(walls))} "
        f"| {_ms(cpu)} | {rss:.0f} MiB | {others:.2f} |"
    )


def summary(verdicts: list[tuple[str, str, str, bool | None]]) -> str:
    """The targets of issue 7 and whether this run met them."""
    mark = {True: "met", False: "**NOT MET**", None: "n/a"}
    lines = ["### Targets", "", "| measure | result | target | |", "| --- | ---: | ---: | --- |"]
    lines += [
        f"| {name} | {value} | {target} | {mark[ok]} |" for name, value, target, ok in verdicts
    ]
    return "\n".join(lines) + "\n"


def machine_table(info: dict[str, str]) -> str:
    """The machine the figures were taken on, as a table."""
    lines = ["| machine | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    return "\n".join(lines) + "\n"


README_HEAD = """# kmo-export benchmark

Whole processes, as a user runs them, each repeated; the tables give medians. Run it:

    uv run --group bench python bench/run.py            # everything, 10 to 20 minutes
    uv run --group bench python bench/run.py --quick    # development: fewer repetitions, no 1,000,000 rows
    uv run --group bench python bench/run.py --only cold,help
    uv run --group bench python bench/profile_build.py  # the profiles alone (bench/work/profile/)
    uv run python bench/whatif.py [DATASET]             # gains of proposed changes, patched at run time

Files: run.py (the sections and this file), measure.py (processes: wall, CPU, peak RSS, other
load; the machine), datasets.py (generated datasets), baseline_pandas.py (the baseline process),
phases.py (stage times inside one process), profile_build.py (import times, cProfile),
whatif.py (what-if variants).

`uv run python bench/run.py` works too; without pandas (only in the `bench` dependency group,
never a runtime dependency) it skips the baseline and says so. The figures below are rewritten
by every full run (`--quick` and `--only` runs print only, unless `--write`); the *Findings*
section is written by hand and kept.

What is measured (issue 7):

1. a cold `kmo-export build` of the bundled dataset (xlsx + docx) against a process that writes the
   bare 58-row table with pandas `DataFrame.to_excel` (bench/baseline_pandas.py); target ratio <= 0.6;
2. `kmo-export --help` from the installed console script; target < 100 ms;
3. a batch of 200 generated datasets with `--jobs 1` and `--jobs 2`; targets <= 40 ms per dataset
   with 2 jobs and a speed-up >= 1.7;
4. tables of 1,000 to 1,000,000 rows, `build -f xlsx` and `build -f docx`: time must grow linearly;
   peak memory of the workbook build < 200 MiB at 1,000,000 rows.

The datasets are generated by bench/datasets.py (seeded, so every run measures the same files) under
bench/work/, which git ignores. Timings on a shared machine are noisy: the load average at the start
and the end of the run is in the machine table, and *other load* in the tables is the number of
cores that other processes kept busy while a measured process ran (from /proc/stat, median);
*CPU* is the user + system time of the measured process and its children, which other load
inflates far less than wall time.
With 2 cores, an other load near 1 leaves a `-j 2` batch one core: read its speed-up with that.
"""


def write_readme(info: dict[str, str], report: str) -> None:
    """Write bench/README.md: the fixed head, this run's figures, the hand-written findings."""
    findings = f"{FINDINGS_HEADING}\n\n(Not written yet.)\n"
    if README.is_file():
        text = README.read_text(encoding="utf-8")
        at = text.find(f"\n{FINDINGS_HEADING}")
        if at >= 0:
            findings = text[at + 1 :]
    body = "\n".join([README_HEAD, "## Results", "", machine_table(info), report, findings])
    README.write_text(body.rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
