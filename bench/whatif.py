"""What-if measurements: the gain of a proposed change, measured before anyone makes it.

    uv run python bench/whatif.py [DATASET]

Each variant runs in a fresh process that patches a library or a helper at run time (the
package itself is not edited), then renders the same dataset repeatedly; the table gives the
median warm time per dataset (what a batch worker pays) of each stage.

Variants:
* ``as-is``: the code as it stands;
* ``no-fsync``: ``os.fsync`` made a no-op during ``atomic_write`` (what a batch would pay if
  it synced once at its end instead of once per output file);
* ``gc-off``: Python's cyclic garbage collector disabled (``gc.disable()``), as a build could do
  while it loads and renders (the model holds no reference cycles).

:func:`gc_check_table` measures the last one where it matters, on a table of 100,000 rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, WORK, median

VARIANTS = ("as-is", "no-fsync", "gc-off")


def _patch(variant: str) -> None:
    # Apply the run-time patches of ``variant`` (in the child process only).
    import gc
    import os
    import types

    if variant == "no-fsync":
        import kmo_export.output

        # The module's own name "os" now points at a copy of os whose fsync does nothing.
        kmo_export.output.os = types.SimpleNamespace(**{**vars(os), "fsync": lambda fd: None})  # type: ignore[attr-defined]
    if variant == "gc-off":
        gc.disable()


def child(variant: str, dataset: Path, repeat: int) -> None:
    """Time the stages ``repeat`` times under ``variant``; print JSON of the warm medians."""
    _patch(variant)
    from kmo_export.brief import load_template, render_docx
    from kmo_export.build import BuildOptions, build
    from kmo_export.loader import read_dataset
    from kmo_export.model import Report
    from kmo_export.workbook import render_xlsx

    out = WORK / "whatif" / variant
    out.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = {"render_xlsx": [], "render_docx": [], "build.build": []}
    template = load_template(None)
    for _ in range(repeat):
        report = Report(read_dataset(dataset))
        start = time.perf_counter()
        render_xlsx(report, out / "w.xlsx")
        times["render_xlsx"].append(time.perf_counter() - start)
        start = time.perf_counter()
        render_docx(report, out / "w.docx", template)
        times["render_docx"].append(time.perf_counter() - start)
        start = time.perf_counter()
        build(dataset, BuildOptions(output_dir=out))
        times["build.build"].append(time.perf_counter() - start)
    print(json.dumps({k: v[1:] for k, v in times.items()}))


def whatif_table(dataset: Path, repeat: int = 8, rounds: int = 3) -> str:
    """Run every variant in its own process, round robin; a Markdown table of warm medians (ms)."""
    samples: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
    failed: dict[str, str] = {}
    for _ in range(rounds):  # interleaved, so a busy spell of the machine hits every variant
        for variant in VARIANTS:
            if variant in failed:
                continue
            result = subprocess.run(
                [sys.executable, __file__, "--child", variant, str(dataset), str(repeat)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                failed[variant] = (result.stderr.strip().splitlines() or ["?"])[-1]
                continue
            for stage, values in json.loads(result.stdout).items():
                samples[variant].setdefault(stage, []).extend(values)
    rows = []
    for variant in VARIANTS:
        if variant in failed:
            rows.append(f"| {variant} | failed: {failed[variant]} | | | |")
            continue
        t = {stage: median(values) * 1000 for stage, values in samples[variant].items()}
        best = min(samples[variant]["build.build"]) * 1000
        rows.append(
            f"| {variant} | {t['render_xlsx']:.1f} ms | {t['render_docx']:.1f} ms "
            f"| {t['build.build']:.1f} ms | {best:.1f} ms |"
        )
    return "\n".join(
        [
            f"What-if on {dataset.name}: warm wall time per dataset in one process, median of "
            f"{rounds} x {repeat - 1} calls, variants interleaved:",
            "",
            "| variant | render_xlsx | render_docx | build.build (xlsx + docx, atomic writes) | build.build, best |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        target = (
            Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "kmo-portefeuille-2019.yaml"
        )
        print(whatif_table(target))


def gc_check_table(dataset: Path, reps: int = 3) -> str:
    """`kmo-export check` of a big table with the garbage collector on and off, interleaved."""
    from measure import kmo_command, run_process

    on = [*kmo_command(), "check", str(dataset)]
    off = [
        sys.executable,
        "-c",
        "import gc, sys; gc.disable(); from kmo_export.cli import main; "
        "sys.argv[0] = 'kmo-export'; main()",
        "check",
        str(dataset),
    ]
    runs: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(reps):
        for name, argv in (("on", on), ("off", off)):
            run = run_process(argv, timeout=600)
            if run.ok:
                runs[name].append(run.wall)
    if not runs["on"] or not runs["off"]:
        return f"Garbage collector what-if on {dataset.name}: a run failed.\n"
    a, b = median(runs["on"]), median(runs["off"])
    return (
        f"Garbage collector what-if, `kmo-export check {dataset.name}` (load + validate), median of "
        f"{reps}: collector on {a:.2f} s, off {b:.2f} s ({(1 - b / a) * 100:.0f} % less).\n"
    )
