"""Failing environments: an output folder that cannot be written, a read-only output file, a disk
that fills up mid-write, Ctrl-C during a batch. Each gives a clear message, leaves no partial file
(no *.part, no truncated output), keeps what was there, and exits non-zero.

Tests run as root here, which writes through permission bits: a real read-only file system and a
real full disk are small tmpfs mounts (skipped where mounting is not allowed); the same failures
are also simulated by monkeypatching the operating-system calls, which works everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.cli import main

from .conftest import BUNDLED

STEM = BUNDLED.stem
OLD_XLSX = b"the workbook of an earlier build"
OLD_DOCX = b"the brief of an earlier build"


def _build(out: Path, *datasets: Path, extra: tuple[str, ...] = ()):
    return CliRunner().invoke(
        main, ["build", *map(str, datasets or (BUNDLED,)), "-o", str(out), *extra]
    )


def _earlier_outputs(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{STEM}.xlsx").write_bytes(OLD_XLSX)
    (out / f"{STEM}.docx").write_bytes(OLD_DOCX)


def _no_partial_files(folder: Path) -> None:
    leftovers = [
        p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")
    ]
    assert not leftovers, f"partial files left: {leftovers}"
    for path in folder.rglob("*"):
        if path.suffix in (".xlsx", ".docx") and path.read_bytes() not in (OLD_XLSX, OLD_DOCX):
            with zipfile.ZipFile(path) as package:  # a truncated file is not a readable zip
                assert package.testzip() is None, path


def _one_error(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("Error: "), first
    for fragment in fragments:
        assert fragment in first, f"{fragment!r} not in {first!r}"
    return first


@contextlib.contextmanager
def _tmpfs(mountpoint: Path, options: str) -> Iterator[Path]:
    # A small tmpfs (root only); skip the test where mounting is not allowed.
    mountpoint.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], check=False)


# -- output folder not writable ------------------------------------------------------------------


def test_output_folder_under_a_regular_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = _build(blocker / "out")
    _one_error(result, str(blocker / "out"), "cannot create the output folder")
    assert blocker.read_text() == "a file where a folder should be"


def test_output_folder_is_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    result = _build(blocker)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert blocker.read_text() == "x"


def test_output_folder_on_a_read_only_file_system(tmp_path):
    with _tmpfs(tmp_path / "ro", "ro,size=64k") as mount:
        result = _build(mount / "out")
        _one_error(result, str(mount / "out"), "read-only")
        assert list(mount.iterdir()) == []


def test_read_only_mount_keeps_the_earlier_outputs(tmp_path):
    mount = tmp_path / "mnt"
    with _tmpfs(mount, "size=256k"):
        _earlier_outputs(mount)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        result = _build(mount)
        _one_error(result, str(mount), "read-only")
        assert (mount / f"{STEM}.xlsx").read_bytes() == OLD_XLSX
        assert (mount / f"{STEM}.docx").read_bytes() == OLD_DOCX
        _no_partial_files(mount)


def test_output_folder_without_permission_simulated(tmp_path, monkeypatch):
    # What a non-root user meets in a folder without write permission.
    import tempfile

    real = tempfile.mkstemp

    def refuse(*args, **kwargs):
        if str(kwargs.get("dir", "")).startswith(str(tmp_path)):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    _earlier_outputs(tmp_path)
    result = _build(tmp_path)
    _one_error(result, str(tmp_path), "cannot write in the output folder", "permission denied")
    assert (tmp_path / f"{STEM}.xlsx").read_bytes() == OLD_XLSX
    _no_partial_files(tmp_path)


# -- an existing read-only output file -----------------------------------------------------------


def test_read_only_output_file_is_left_alone(tmp_path):
    _earlier_outputs(tmp_path)
    target = tmp_path / f"{STEM}.xlsx"
    target.chmod(0o444)  # root could write it: kmo-export respects the mode all the same
    result = _build(tmp_path)
    _one_error(result, str(target), "read-only")
    assert target.read_bytes() == OLD_XLSX
    assert (tmp_path / f"{STEM}.docx").read_bytes() == OLD_DOCX
    _no_partial_files(tmp_path)


def test_read_only_output_file_for_a_non_root_user(tmp_path, monkeypatch):
    # os.access answers for the user who runs the build: a non-root user without write permission.
    _earlier_outputs(tmp_path)
    target = tmp_path / f"{STEM}.docx"
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: (
            False if Path(path) == target and mode & os.W_OK else real(path, mode, **kw)
        ),
    )
    result = _build(tmp_path, extra=("-f", "docx"))
    _one_error(result, str(target), "read-only")
    assert target.read_bytes() == OLD_DOCX


def test_a_folder_where_the_output_file_goes(tmp_path):
    (tmp_path / f"{STEM}.xlsx").mkdir()
    result = _build(tmp_path, extra=("-f", "xlsx"))
    _one_error(result, str(tmp_path / f"{STEM}.xlsx"), "is a folder")
    assert (tmp_path / f"{STEM}.xlsx").is_dir()


# -- a disk that fills up ------------------------------------------------------------------------


def test_disk_fills_up_mid_write_on_a_small_tmpfs(tmp_path):
    # 48 KiB: the earlier outputs and the new workbook (about 30 KiB) fit, the brief does not.
    mount = tmp_path / "small"
    with _tmpfs(mount, "size=48k"):
        _earlier_outputs(mount)
        result = _build(mount)
        _one_error(result, "the disk is full", "nothing was changed")
        assert (mount / f"{STEM}.docx").read_bytes() == OLD_DOCX
        _no_partial_files(mount)
        written = {p.name for p in mount.iterdir()}
        assert written == {f"{STEM}.xlsx", f"{STEM}.docx"}


def test_disk_full_while_a_renderer_writes_simulated(tmp_path, monkeypatch):
    # The zip writer (both renderers write zip packages) fails after its first entry.
    calls = {"n": 0}
    for name in ("write", "writestr"):
        real = getattr(zipfile.ZipFile, name)

        def failing(self, *args, _real=real, **kwargs):
            calls["n"] += 1
            if calls["n"] > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, name, failing)
    _earlier_outputs(tmp_path)
    result = _build(tmp_path)
    first = _one_error(result, "the disk is full")
    assert first.startswith(f"Error: {tmp_path / STEM}.")
    assert (tmp_path / f"{STEM}.xlsx").read_bytes() == OLD_XLSX
    assert (tmp_path / f"{STEM}.docx").read_bytes() == OLD_DOCX
    _no_partial_files(tmp_path)


def test_disk_full_when_flushing_simulated(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    _earlier_outputs(tmp_path)
    result = _build(tmp_path)
    _one_error(result, f"{tmp_path / STEM}.xlsx", "the disk is full", "nothing was changed")
    assert (tmp_path / f"{STEM}.xlsx").read_bytes() == OLD_XLSX
    assert (tmp_path / f"{STEM}.docx").read_bytes() == OLD_DOCX
    _no_partial_files(tmp_path)


# -- Ctrl-C during a batch -----------------------------------------------------------------------


def _many_datasets(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = BUNDLED.read_bytes()
    for i in range(count):
        (folder / f"dataset-{i:03}.yaml").write_bytes(text)
    return folder


def _interrupt_batch(tmp_path: Path, jobs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    # Start a batch in its own process group, wait for its first output, then press Ctrl-C:
    # the terminal sends SIGINT to the whole foreground group, workers included.
    datasets = _many_datasets(tmp_path / "in", 150)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "kmo_export", "build", str(datasets), "-o", str(out), "-j", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1600905600"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and any(p.suffix == ".docx" for p in out.iterdir()):
            break
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_batch(tmp_path, jobs):
    done, out = _interrupt_batch(tmp_path, jobs)
    assert done.returncode not in (0, None), done.stderr
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "KeyboardInterrupt" not in done.stderr, done.stderr
    assert "interrupted" in done.stderr
    error_lines = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1, done.stderr
    _no_partial_files(out)
    built = sorted(p for p in out.iterdir() if p.suffix in (".xlsx", ".docx"))
    assert built, "nothing was finished before the interrupt"
    assert len(built) < 300, "the interrupt came too late to test anything"
    import docx
    import openpyxl

    for path in built:  # each finished output is complete and opens
        if path.suffix == ".xlsx":
            openpyxl.load_workbook(path, read_only=True).close()
        else:
            docx.Document(str(path))
