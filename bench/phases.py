"""Time each stage of a build inside one fresh process: first call (cold) and later calls (warm).

Usage: python bench/phases.py DATASET OUTDIR [REPEAT]
Prints JSON: {"import": {...}, "stages": {stage: [seconds of call 1, call 2, ...]}}.
The first call of a stage carries the lazy imports of its libraries; the later calls are what a
batch worker pays per dataset. The stages follow kmo_export.build.build.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

t0 = time.perf_counter()
from kmo_export.build import BuildOptions, build  # noqa: E402
from kmo_export.loader import read_dataset  # noqa: E402
from kmo_export.model import Report  # noqa: E402
from kmo_export.output import atomic_write  # noqa: E402
from kmo_export.validate import validate  # noqa: E402

imports = {"kmo_export.build (loader, model, validate, output)": time.perf_counter() - t0}


def _timed(stages: dict[str, list[float]], name: str, call):  # type: ignore[no-untyped-def]
    # Run call(), add its wall time to stages[name], return its result.
    start = time.perf_counter()
    result = call()
    stages.setdefault(name, []).append(time.perf_counter() - start)
    return result


def main() -> None:
    """Time the stages ``REPEAT`` times on one dataset and print them as JSON."""
    dataset_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    out.mkdir(parents=True, exist_ok=True)
    stages: dict[str, list[float]] = {}
    for _ in range(repeat):
        dataset = _timed(stages, "read_dataset (YAML -> model)", lambda: read_dataset(dataset_path))
        _timed(stages, "validate", lambda d=dataset: validate(d))
        report = Report(dataset)
        start = time.perf_counter()
        from kmo_export.workbook import render_xlsx

        stages.setdefault("import kmo_export.workbook", []).append(time.perf_counter() - start)
        _timed(stages, "render_xlsx", lambda r=report: render_xlsx(r, out / "phase.xlsx"))
        start = time.perf_counter()
        from kmo_export.brief import load_template, render_docx

        stages.setdefault("import kmo_export.brief", []).append(time.perf_counter() - start)
        template = _timed(stages, "brief.load_template", lambda: load_template(None))
        _timed(
            stages,
            "render_docx",
            lambda r=report, t=template: render_docx(r, out / "phase.docx", t),
        )
        _timed(
            stages,
            "atomic_write of a 10 KiB file (mkstemp, fsync, rename, sha256)",
            lambda: atomic_write(out / "phase.bin", lambda tmp: tmp.write_bytes(b"x" * 10240)),
        )
        _timed(
            stages,
            "build.build (all of it, xlsx + docx)",
            lambda: build(dataset_path, BuildOptions(output_dir=out)),
        )
    print(json.dumps({"import": imports, "stages": stages}))


if __name__ == "__main__":
    main()
