"""Batch builds: many datasets, parallel workers, shards, manifest, atomic outputs, determinism."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export import batch
from kmo_export.batch import Outcome, parse_shard, remove_stale_parts, run, shard
from kmo_export.build import BuildOptions, NoMatchError, expand_inputs
from kmo_export.cli import main
from kmo_export.errors import printable, printable_name

from .conftest import BUNDLED

TEXT = BUNDLED.read_text(encoding="utf-8")
FIRST_ROW = "projects: 24252, subsidy: 7029304.65"
TOTAL_ROW = "projects: 173053, subsidy: 56813023.08"


def write_variant(folder: Path, name: str, k: int, valid: bool = True) -> Path:
    """A copy of the bundled dataset whose first theme has ``k`` more projects and cents.

    Valid: the reported total moves with it. Invalid: the total is left as published, so
    both columns are off by ``k``.
    """
    assert FIRST_ROW in TEXT and TOTAL_ROW in TEXT
    text = TEXT.replace(
        FIRST_ROW, f"projects: {24252 + k}, subsidy: {Decimal('7029304.65') + Decimal(k) / 100}"
    )
    if valid:
        text = text.replace(
            TOTAL_ROW,
            f"projects: {173053 + k}, subsidy: {Decimal('56813023.08') + Decimal(k) / 100}",
        )
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "sources").exists():
        shutil.copytree(BUNDLED.parent / "sources", folder / "sources")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones too) -> sha256."""
    return {
        p.relative_to(folder).as_posix(): sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def workbook_numbers(path: Path) -> set[float]:
    """Every number in every sheet of a workbook (cached values of formulas included)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            float(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
    finally:
        book.close()


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a batch must never wait forever on a dead worker."""

    def expired(signum, frame):
        raise TimeoutError(f"the batch did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> dict[str, object]:
    """Seven valid datasets and four invalid ones (each wrong in another way)."""
    folder = tmp_path_factory.mktemp("mixed")
    valid = {f"valid-{k:02d}": k for k in (1, 2, 3, 5, 8, 13, 21)}
    for name, k in valid.items():
        write_variant(folder, f"{name}.yaml", k)
    invalid = {}
    invalid["bad-total"] = write_variant(folder, "bad-total.yaml", 4, valid=False)
    path = folder / "bad-yaml.yaml"
    path.write_text(TEXT.replace("number: 835", "number: [835", 1), encoding="utf-8")
    invalid["bad-yaml"] = path
    path = folder / "bad-count.yml"
    path.write_text(TEXT.replace("projects: 16, ", "projects: -16, ", 1), encoding="utf-8")
    invalid["bad-count"] = path
    path = folder / "bad-empty.yaml"
    path.write_text("", encoding="utf-8")
    invalid["bad-empty"] = path
    return {"folder": folder, "valid": valid, "invalid": invalid}


# -- a batch with failures ----------------------------------------------------------------


def test_batch_reports_failures_and_completes_the_rest(mixed, tmp_path):
    out, manifest_path = tmp_path / "out", tmp_path / "m" / "manifest.json"
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(mixed["folder"]),
            "-o",
            str(out),
            "-j",
            "2",
            "--manifest",
            str(manifest_path),
        ],
    )
    valid, invalid = mixed["valid"], mixed["invalid"]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == f"{len(valid)} built, {len(invalid)} failed"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    for name, path in invalid.items():
        assert any(line.startswith(f"Error: {path}: ") for line in errors), name
    assert any("bad-total.yaml: answers[3].tables[0].total.projects" in e for e in errors)
    assert any("bad-count.yml: answers[3].tables[0].rows[" in e and "negative" in e for e in errors)
    assert any("bad-empty.yaml: is empty" in e for e in errors)

    # Every valid dataset built, with its own figures; nothing for the invalid ones.
    expected = {f"{n}.{fmt}" for n in valid for fmt in ("xlsx", "docx")}
    assert {p.name for p in out.iterdir()} == expected
    for name, k in valid.items():
        assert 24252 + k in workbook_numbers(out / f"{name}.xlsx")
        assert float(Decimal("7029304.65") + Decimal(k) / 100) in workbook_numbers(
            out / f"{name}.xlsx"
        )
        assert f"wrote {out / name}.xlsx" in result.stdout

    record = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert record["built"] == len(valid) and record["failed"] == len(invalid)
    assert record["formats"] == ["xlsx", "docx"] and record["output_dir"] == str(out)
    entries = {Path(e["dataset"]).name.rsplit(".", 1)[0]: e for e in record["datasets"]}
    assert set(entries) == set(valid) | set(invalid)
    assert [e["dataset"] for e in record["datasets"]] == sorted(
        e["dataset"] for e in record["datasets"]
    )
    for name in valid:
        entry = entries[name]
        assert entry["status"] == "built" and entry["error"] is None and entry["errors"] == []
        assert entry["duration_seconds"] > 0
        assert [o["format"] for o in entry["outputs"]] == ["xlsx", "docx"]
        for output in entry["outputs"]:
            written = Path(output["path"])
            assert written.parent == out and written.stem == name
            assert output["size"] == written.stat().st_size
            assert output["sha256"] == sha256(written)
    for name, path in invalid.items():
        entry = entries[name]
        assert entry["status"] == "failed" and entry["outputs"] == []
        assert entry["error"].startswith(f"{path}: ") and entry["error"] == entry["errors"][0]
        assert f"Error: {entry['error']}" in errors
    assert len(entries["bad-total"]["errors"]) == 2  # every problem listed: both columns are off


def test_plain_progress_lines_and_quiet(mixed, tmp_path):
    folder = mixed["folder"]
    paths = [str(folder / f"{n}.yaml") for n in list(mixed["valid"])[:3]]
    result = CliRunner().invoke(main, ["build", *paths, "-o", str(tmp_path / "a"), "-j", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 built, 0 failed"
    assert sorted(line.split(" ", 1)[0] for line in lines[:3]) == ["[1/3]", "[2/3]", "[3/3]"]
    assert all(".xlsx (" in line and ".docx (" in line for line in lines[:3])

    quiet = CliRunner().invoke(main, ["build", *paths, "-o", str(tmp_path / "b"), "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""
    failing = CliRunner().invoke(
        main, ["build", str(mixed["invalid"]["bad-empty"]), "-q", "-o", str(tmp_path / "c")]
    )
    assert failing.exit_code == 1
    assert failing.stdout == "" and failing.stderr.splitlines() == [
        f"Error: {mixed['invalid']['bad-empty']}: is empty",
        "0 built, 1 failed",
    ]


def test_api_outcomes_in_input_order_with_callback_per_dataset(mixed, tmp_path):
    paths = expand_inputs([str(mixed["folder"])])
    seen: list[Outcome] = []
    outcomes = run(
        paths, BuildOptions(output_dir=tmp_path, formats=("xlsx",)), jobs=2, on_outcome=seen.append
    )
    assert [o.dataset for o in outcomes] == paths
    assert sorted(map(str, (o.dataset for o in seen))) == sorted(map(str, paths))
    assert {o.dataset.stem for o in outcomes if o.ok} == set(mixed["valid"])


# -- determinism --------------------------------------------------------------------------


def test_jobs_1_and_2_and_reruns_give_identical_bytes(mixed, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600905600")  # 2020-09-24 00:00 UTC
    folder = mixed["folder"]
    paths = [str(folder / f"{n}.yaml") for n in mixed["valid"]]
    start = time.monotonic()
    for jobs, out in (("1", "j1"), ("2", "j2")):
        result = CliRunner().invoke(
            main, ["build", *paths, "-o", str(tmp_path / out), "-j", jobs, "-q"]
        )
        assert result.exit_code == 0, result.output
    time.sleep(max(0.0, 2.1 - (time.monotonic() - start)))  # zip entries keep time in 2 s steps
    result = CliRunner().invoke(
        main, ["build", *paths, "-o", str(tmp_path / "again"), "-j", "2", "-q"]
    )
    assert result.exit_code == 0, result.output
    j1, j2, again = (tree(tmp_path / d) for d in ("j1", "j2", "again"))
    assert len(j1) == 2 * len(paths)
    assert j1 == j2 == again
    with zipfile.ZipFile(tmp_path / "j1" / "valid-01.xlsx") as package:
        assert "2020-09-24T00:00:00Z" in package.read("docProps/core.xml").decode()


def test_source_date_epoch_changes_the_timestamp_only(mixed, tmp_path, monkeypatch):
    dataset = str(mixed["folder"] / "valid-01.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert (
        CliRunner()
        .invoke(main, ["build", dataset, "-o", str(tmp_path / "a"), "-f", "xlsx"])
        .exit_code
        == 0
    )
    with zipfile.ZipFile(tmp_path / "a" / "valid-01.xlsx") as package:
        assert "2023-11-14T22:13:20Z" in package.read("docProps/core.xml").decode()


# -- shards -------------------------------------------------------------------------------


def test_parse_shard():
    assert parse_shard("1/1") == (1, 1) and parse_shard(" 3 / 4 ") == (3, 4)
    for bad in ("0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2", ""):
        with pytest.raises(ValueError):
            parse_shard(bad)


@pytest.mark.parametrize("total", [0, 1, 5, 13, 200])
def test_shards_partition_the_inputs(total):
    paths = [Path(f"d/{i:03d}.yaml") for i in range(total)]
    for count in (1, 2, 3, 7, 16):
        slices = [shard(paths, i, count) for i in range(1, count + 1)]
        flat = [p for s in slices for p in s]
        assert sorted(flat) == paths and len(set(flat)) == len(flat)  # union == whole, no overlap
        assert max(map(len, slices)) - min(map(len, slices)) <= 1  # balanced
        assert slices == [shard(list(paths), i, count) for i in range(1, count + 1)]  # stable


def test_union_of_shard_runs_equals_the_whole_run(mixed, tmp_path):
    folder = str(mixed["folder"])
    whole = CliRunner().invoke(
        main,
        [
            "build",
            folder,
            "-o",
            str(tmp_path / "whole"),
            "-j",
            "2",
            "-q",
            "-f",
            "xlsx",
            "--manifest",
            str(tmp_path / "whole.json"),
        ],
    )
    assert whole.exit_code == 1
    seen: list[str] = []
    for i in (1, 2, 3):
        result = CliRunner().invoke(
            main,
            [
                "build",
                folder,
                "-o",
                str(tmp_path / "sharded"),
                "--shard",
                f"{i}/3",
                "-f",
                "xlsx",
                "--manifest",
                str(tmp_path / f"shard{i}.json"),
            ],
        )
        assert result.stdout.startswith(f"shard {i}/3: ")
        record = json.loads((tmp_path / f"shard{i}.json").read_text(encoding="utf-8"))
        assert record["shard"] == f"{i}/3"
        seen += [e["dataset"] for e in record["datasets"]]
    everything = [
        e["dataset"] for e in json.loads((tmp_path / "whole.json").read_text())["datasets"]
    ]
    assert sorted(seen) == everything and len(set(seen)) == len(seen)
    assert tree(tmp_path / "sharded") == tree(tmp_path / "whole")


def test_empty_shard_succeeds_with_an_empty_manifest(mixed, tmp_path):
    dataset = str(mixed["folder"] / "valid-01.yaml")
    result = CliRunner().invoke(
        main,
        [
            "build",
            dataset,
            "-o",
            str(tmp_path / "o"),
            "--shard",
            "2/2",
            "--manifest",
            str(tmp_path / "m.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["shard 2/2: 0 of 1 datasets", "0 built, 0 failed"]
    record = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert record["datasets"] == [] and record["built"] == record["failed"] == 0
    assert not (tmp_path / "o").exists()


# -- inputs -------------------------------------------------------------------------------


def test_expand_inputs_files_folders_globs_deduplicated_and_sorted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (
        "data/b.yaml",
        "data/a.yml",
        "data/A.YAML",
        "data/sub/c.yaml",
        "data/sub/deep/d.yaml",
        "data/.hidden.yaml",
        "data/notes.txt",
        "data/table.csv",
        "other/e.yaml",
    ):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("x", encoding="utf-8")
    Path("data/folder.yaml").mkdir()  # a folder named like a dataset is not one
    Path("link.yaml").symlink_to("data/b.yaml")

    assert expand_inputs(["data"]) == [Path("data/A.YAML"), Path("data/a.yml"), Path("data/b.yaml")]
    assert expand_inputs(["data/**/*.yaml"]) == [
        Path("data/b.yaml"),
        Path("data/sub/c.yaml"),
        Path("data/sub/deep/d.yaml"),
    ]
    assert expand_inputs(["data/s?b/*.yaml", "data/[ab].*"]) == [
        Path("data/a.yml"),
        Path("data/b.yaml"),
        Path("data/sub/c.yaml"),
    ]
    # The same file through a folder, a pattern, another spelling and a symlink counts once;
    # the order does not depend on the order of the arguments.
    once = expand_inputs(["other/e.yaml", "./data/b.yaml", "data", "data/*.yaml", "link.yaml"])
    assert once == expand_inputs(
        ["link.yaml", "data/*.yaml", "data", "./data/b.yaml", "other/e.yaml"]
    )
    assert sorted(p.resolve() for p in once) == sorted(
        Path(p).resolve() for p in ("data/A.YAML", "data/a.yml", "data/b.yaml", "other/e.yaml")
    )
    # An explicit file is taken whatever its name; a missing one is reported when read.
    assert expand_inputs(["data/notes.txt", "missing.yaml"]) == [
        Path("data/notes.txt"),
        Path("missing.yaml"),
    ]
    for nothing in ("empty", "data/*.json", "nowhere/**/*.yaml"):
        Path("empty").mkdir(exist_ok=True)
        with pytest.raises(NoMatchError, match="no dataset file"):
            expand_inputs([nothing])


def test_two_inputs_with_one_output_name_fail_before_anything_is_written(tmp_path):
    write_variant(tmp_path / "a", "kmo.yaml", 1)
    write_variant(tmp_path / "b", "kmo.yaml", 2)
    write_variant(tmp_path / "c", "KMO.yml", 3)
    write_variant(tmp_path / "c", "fine.yml", 4)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(tmp_path / "a"), str(tmp_path / "b"), str(tmp_path / "c"), "-o", str(out)],
    )
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and all(e.startswith("Error: ") for e in errors)
    assert (
        f"{tmp_path / 'b' / 'kmo.yaml'}: would write {out / 'kmo.xlsx'}, as {tmp_path / 'a' / 'kmo.yaml'}"
        in errors[0]
    )
    assert (
        str(tmp_path / "c" / "KMO.yml") in errors[1]
    )  # differs only in case: clashes on macOS/Windows
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("..yaml", "starts with a dot"),
        ("a..yaml", "ends with a space or a dot"),
        ("trailing .yaml", "ends with a space or a dot"),
        ("a:b.yaml", "holds the character ':'"),
        ("tab\there.yaml", "holds the character '\\t'"),
        ("new\nline.yaml", "holds the character '\\n'"),
        ("q?.yaml", "holds the character '?'"),
    ],
)
def test_unusable_output_names_fail_that_dataset_only(tmp_path, name, problem):
    folder = tmp_path / "in"
    odd = write_variant(folder, name, 1)
    good = write_variant(folder, "good.yaml", 2)
    out = tmp_path / "nest" / "out"
    before = {p for p in tmp_path.rglob("*")}
    result = CliRunner().invoke(main, ["build", str(odd), str(good), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    # Printed safely: a name with a control character is quoted, the character escaped ("\\t").
    message = f"{printable_name(str(odd))}: the file name gives no usable output name (it {problem}); rename the file"
    assert f"Error: {printable(message)}" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 built, 1 failed"
    new = {p for p in tmp_path.rglob("*")} - before
    assert new == {out.parent, out, out / "good.xlsx", out / "good.docx"}


def test_a_stem_with_spaces_and_accents_is_fine(tmp_path):
    dataset = write_variant(tmp_path / "in", "Vraag 835 – kmo’s (2019).yaml", 1)
    result = CliRunner().invoke(
        main, ["build", str(dataset), "-o", str(tmp_path / "out"), "-f", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Vraag 835 – kmo’s (2019).xlsx"]


# -- crashing workers, killed runs, stale temporary files -----------------------------------


def test_a_killed_worker_fails_its_dataset_and_the_batch_completes(mixed, tmp_path, monkeypatch):
    paths = [mixed["folder"] / f"{n}.yaml" for n in mixed["valid"]]
    victims = {paths[1]: signal.SIGKILL, paths[4]: None}
    real_build = batch.build

    def crashing_build(path, options):
        if path in victims:
            if victims[path] is None:
                os._exit(3)
            os.kill(os.getpid(), victims[path])
        return real_build(path, options)

    monkeypatch.setattr(batch, "build", crashing_build)  # inherited by the forked workers
    seen = []
    with deadline(120):
        outcomes = run(
            paths,
            BuildOptions(output_dir=tmp_path, formats=("xlsx",)),
            jobs=2,
            on_outcome=seen.append,
        )
    assert [o.dataset for o in outcomes] == paths and len(seen) == len(paths)
    assert [o.ok for o in outcomes] == [p not in victims for p in paths]
    assert outcomes[1].errors == [
        f"{paths[1]}: the worker process building it was killed by SIGKILL (out of memory?)"
    ]
    assert outcomes[4].errors == [
        f"{paths[4]}: the worker process building it stopped unexpectedly (exit code 3)"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{p.stem}.xlsx" for p in paths if p not in victims
    )


def test_remove_stale_parts_touches_only_our_own_pattern(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    ours = [out / ".kmo.xlsx.ab12_x9z.part", out / ".kmo.docx.00000000.part"]
    theirs = [
        out / ".other.xlsx.ab12_x9z.part",  # an output this run does not write
        out / ".kmo.xlsx.part",  # not the temporary-file pattern
        out / "kmo.xlsx.ab12_x9z.part",
        out / ".kmo.xlsx.AB12CDEF.part",
        out / ".kmo.xlsx.ab12_x9z.partial",
        out / "kmo.xlsx",
        tmp_path / ".kmo.xlsx.ab12_x9z.part",  # outside the output folder
    ]
    for path in ours + theirs:
        path.write_bytes(b"PK\x03\x04 truncated")
    (out / ".kmo.xlsx.dir12345.part").mkdir()  # not a file
    removed = remove_stale_parts([Path("data/kmo.yaml")], BuildOptions(output_dir=out))
    assert removed == sorted(ours)
    assert not any(p.exists() for p in ours) and all(p.exists() for p in theirs)
    assert remove_stale_parts([Path("x.yaml")], BuildOptions(output_dir=tmp_path / "missing")) == []


# kmo-export with every zip entry flushed to disk and followed by a pause, so a package is
# written over a second or more: long enough to kill the run while the file is half written.
SLOW_WRITER = """
import sys, time, zipfile

def slowed(original):
    def write(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        self.fp.flush()
        time.sleep(0.1)
        return result
    return write

zipfile.ZipFile.write = slowed(zipfile.ZipFile.write)
zipfile.ZipFile.writestr = slowed(zipfile.ZipFile.writestr)
from kmo_export.cli import main
main(sys.argv[1:], prog_name="kmo-export")
"""


def _kill_during_write(args: list[str], out: Path, target: str) -> subprocess.Popen:
    # Start kmo-export (with its workers in a process group of their own) and SIGKILL the whole
    # group as soon as the temporary file of ``target`` holds part of a package.
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        for part in out.glob(f".{target}.*.part"):
            try:
                size = part.stat().st_size
            except FileNotFoundError:
                continue
            if size > 0:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                assert not zipfile.is_zipfile(part)  # caught half written
                return process
        if process.poll() is not None:
            pytest.fail(
                f"the run ended (exit {process.returncode}) before it could be killed mid-write"
            )
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    pytest.fail("no temporary file appeared")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigkill_mid_write_keeps_the_previous_file(tmp_path, jobs):
    out = tmp_path / "out"
    old = write_variant(tmp_path / "old", "kmo.yaml", 1)
    first = subprocess.run(
        [sys.executable, "-m", "kmo_export", "build", str(old), "-o", str(out), "-f", "xlsx"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    previous = (out / "kmo.xlsx").read_bytes()

    new = write_variant(tmp_path / "new", "kmo.yaml", 2)
    other = write_variant(tmp_path / "new", "also.yaml", 3)
    process = _kill_during_write(
        ["build", str(new), str(other), "-o", str(out), "-f", "xlsx", "-j", jobs], out, "kmo.xlsx"
    )
    assert process.returncode == -signal.SIGKILL
    assert (out / "kmo.xlsx").read_bytes() == previous  # the good file stays, whole
    visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert visible <= {"kmo.xlsx", "also.xlsx"}  # nothing half written under an output name
    for name in visible:
        with zipfile.ZipFile(out / name) as package:
            assert package.testzip() is None
    leftovers = list(out.glob(".kmo.xlsx.*.part"))
    assert leftovers  # SIGKILL allows no clean-up; the next run removes what is left

    again = subprocess.run(
        [sys.executable, "-m", "kmo_export", "build", str(new), "-o", str(out), "-f", "xlsx"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert not any(p.exists() for p in leftovers)
    assert (out / "kmo.xlsx").read_bytes() != previous
    assert 24252 + 2 in workbook_numbers(out / "kmo.xlsx")


@pytest.mark.slow
def test_sigterm_stops_a_parallel_batch_cleanly(tmp_path):
    folder = tmp_path / "in"
    for k in range(40):
        write_variant(folder, f"d{k:02d}.yaml", k)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "kmo_export", "build", str(folder), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    give_up = time.monotonic() + 120
    while not (out.is_dir() and len(list(out.glob("*.docx"))) >= 2) and time.monotonic() < give_up:
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.splitlines()[-1].startswith("Error: interrupted;")
    assert "Traceback" not in stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]  # the workers cleaned up
    written = sorted(out.iterdir())
    assert 2 <= len(written) < 80
    for path in written:
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None


# A task that is interrupted as Ctrl-C interrupts a worker: SIGINT to its own process.
def _interrupted_task(item: int) -> int:
    if item == 1:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    return item


def _worker_died(item: int, why: str) -> int:
    raise AssertionError(f"item {item} reported as failed: {why}")


def test_a_worker_interrupted_mid_task_stops_the_batch_not_fails_the_item():
    from kmo_export.batch.pool import Pool

    pool = Pool([0, 1, 2], _interrupted_task, lambda item: None, _worker_died, jobs=1)
    with pytest.raises(KeyboardInterrupt):  # as if the parent had the Ctrl-C first
        pool.run()
