"""The command line: every command, exit codes, one "Error:" line per problem, help, speed."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kmo_export import __version__
from kmo_export.cli import main

from .conftest import BUNDLED
from .test_batch import workbook_numbers, write_variant

HEAVY = ("xlsxwriter", "docx", "openpyxl", "yaml", "babel", "lxml", "pypdf", "kmo_export.loader")


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), prog_name="kmo-export")


def error_lines(result: click.testing.Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def assert_clean_failure(result: click.testing.Result, code: int) -> list[str]:
    """Exit ``code``, at least one "Error:" line on stderr, no traceback anywhere."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = error_lines(result)
    assert lines, result.stderr
    return lines


# -- --version, help ---------------------------------------------------------------------


def test_version():
    for flag in ("--version", "-V"):
        result = invoke(flag)
        assert result.exit_code == 0 and result.stdout == f"kmo-export, version {__version__}\n"


def _commands() -> list[tuple[str, ...]]:
    return [(), *((name,) for name in sorted(main.commands))]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "kmo-export")
def test_every_command_has_help_with_an_example(command):
    assert {"build", "check", "import"} <= set(main.commands)
    for flag in ("-h", "--help"):
        result = invoke(*command, flag)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"Usage: kmo-export {' '.join(command)}".rstrip())
        assert re.search(r"^\s*Examples?:\s*$", result.stdout, re.MULTILINE), result.stdout
        examples = result.stdout.split("Example", 1)[1]
        assert re.search(rf"^\s+kmo-export {' '.join(command)}", examples, re.MULTILINE)
    if command:
        listing = invoke("--help").stdout
        assert re.search(
            rf"^  {command[0]} +{re.escape(main.commands[command[0]].short_help)}$",
            listing,
            re.MULTILINE,
        )


def test_build_help_documents_the_batch_options():
    text = invoke("build", "-h").stdout
    for option in (
        "-j, --jobs",
        "--shard I/N",
        "--manifest",
        "-q, --quiet",
        "-o, --output-dir",
        "-f, --format",
    ):
        assert option in text


def test_python_dash_m_and_help_stay_light():
    # `python -m kmo_export` works; help imports no renderer, parser or spreadsheet library.
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['kmo_export'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('kmo_export', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r})\n"
        "print('EXIT', code, 'HEAVY', heavy)\n"
    )
    for args in (["--help"], ["build", "--help"], ["check", "-h"], ["import", "-h"], ["--version"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        assert result.stdout.rstrip().endswith("EXIT 0 HEAVY []"), (
            args,
            result.stdout,
            result.stderr,
        )
    version = subprocess.run(
        [sys.executable, "-m", "kmo_export", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert version.returncode == 0 and version.stdout == f"kmo-export, version {__version__}\n"


# -- build --------------------------------------------------------------------------------


def test_build_one_dataset_in_one_format(tmp_path):
    dataset = write_variant(tmp_path / "in", "kmo.yaml", 7)
    result = invoke("build", str(dataset), "-o", str(tmp_path / "out"), "-f", "xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path / 'out' / 'kmo.xlsx'} ({_kib(tmp_path / 'out' / 'kmo.xlsx')})"
    ]
    assert result.stderr == ""
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["kmo.xlsx"]
    assert 24252 + 7 in workbook_numbers(tmp_path / "out" / "kmo.xlsx")


def _kib(path: Path) -> str:
    return f"{path.stat().st_size / 1024:,.0f} KiB"


def test_build_from_python_dash_m(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kmo_export",
            "build",
            str(BUNDLED),
            "-o",
            str(tmp_path),
            "-f",
            "xlsx",
            "-f",
            "xlsx",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {tmp_path / 'kmo-portefeuille-2019.xlsx'} (")


def test_build_a_bad_dataset_exits_1_with_one_line_per_problem(tmp_path):
    text = BUNDLED.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("projects: 16, ", "projects: 1.5, ", 1), encoding="utf-8")
    result = invoke("build", str(bad), "-o", str(tmp_path / "out"))
    lines = assert_clean_failure(result, 1)
    assert re.fullmatch(
        rf"Error: {re.escape(str(bad))}: answers\[3\]\.tables\[0\]\.rows\[57\]\.projects \(line \d+\): .*whole number.*",
        lines[0],
    )
    assert result.stderr.splitlines()[-1] == "0 built, 1 failed"
    assert not (tmp_path / "out").exists()


def test_build_missing_file_is_a_data_error(tmp_path):
    result = invoke("build", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out"))
    assert assert_clean_failure(result, 1) == [f"Error: {tmp_path / 'missing.yaml'}: no such file"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "0/2"], "Invalid value for '--shard': '0/2': I must be between 1 and N"),
        (["--shard", "half"], "Invalid value for '--shard': 'half' is not of the form I/N"),
        (["-j", "0"], "Invalid value for '-j' / '--jobs'"),
        (["-f", "csv"], "Invalid value for '-f' / '--format'"),
        (["--frobnicate"], "No such option '--frobnicate'"),
        (["{tmp}/nothing-here/*.yaml"], "the pattern matches no dataset file"),
        (["{tmp}"], "the folder holds no dataset file"),
    ],
)
def test_build_usage_errors_exit_2(tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    lines = assert_clean_failure(invoke("build", *args, "-o", str(tmp_path / "out")), 2)
    assert len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_build_output_dir_that_is_a_file_exits_1(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    result = invoke("build", str(BUNDLED), "-o", str(blocker / "sub"), "-f", "xlsx")
    lines = assert_clean_failure(result, 1)
    assert lines[0].startswith(f"Error: {blocker}") and "output folder" in lines[0]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_bug_is_one_error_line_not_a_traceback(tmp_path, monkeypatch):
    import kmo_export.batch

    def broken(path, options):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kmo_export.batch, "build", broken)
    result = invoke("build", str(BUNDLED), "-o", str(tmp_path), "-j", "1")
    lines = assert_clean_failure(result, 1)
    assert lines == [
        f"Error: {BUNDLED}: internal error (please report it): ZeroDivisionError: division by zero"
    ]

    import kmo_export.importer

    def broken_import(*args):
        raise KeyError("x")

    monkeypatch.setattr(kmo_export.importer, "import_source", broken_import)
    result = invoke("import", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.yaml"))
    lines = assert_clean_failure(result, 1)
    assert len(lines) == 1 and lines[0].startswith(
        "Error: internal error: KeyError: 'x' (a bug in kmo-export"
    )


def test_progress_bar_on_a_terminal(tmp_path):
    folder = tmp_path / "in"
    for k in range(3):
        write_variant(folder, f"d{k}.yaml", k)
    write_variant(folder, "bad.yaml", 5, valid=False)
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kmo_export",
            "build",
            str(folder),
            "-o",
            str(tmp_path / "out"),
            "-j",
            "2",
            "-f",
            "xlsx",
        ],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        close_fds=True,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(secondary)
    screen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            screen += chunk
        elif process.poll() is not None:
            break
    os.close(primary)
    assert process.wait(timeout=60) == 1
    text = screen.decode("utf-8", "replace")
    assert "Building" in text and "4/4" in text  # the bar, with its position
    assert "wrote " not in text  # no line per dataset on a terminal
    assert f"Error: {folder / 'bad.yaml'}: " in text
    assert text.rstrip().endswith("3 built, 1 failed")


# -- check --------------------------------------------------------------------------------


def test_check_valid_datasets(tmp_path):
    paths = [write_variant(tmp_path, f"d{k}.yaml", k) for k in (1, 2)]
    result = invoke("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"ok {paths[0]}", f"ok {paths[1]}", "2 valid, 0 invalid"]
    assert invoke("check", str(paths[0]), "-q").output == ""


def test_check_lists_every_problem_of_every_dataset(tmp_path):
    good = write_variant(tmp_path / "a", "good.yaml", 1)
    off = write_variant(tmp_path / "a", "off.yaml", 2, valid=False)
    text = BUNDLED.read_text(encoding="utf-8")
    broken = tmp_path / "a" / "broken.yaml"
    broken.write_text(
        text.replace("asked_by: Kurt Vanryckeghem\n", "").replace(
            "projects: 39, subsidy: 10851.31", "projects: -39, subsidy: 10851.319"
        ),
        encoding="utf-8",
    )
    clash = write_variant(tmp_path / "b", "good.yaml", 1)
    odd = write_variant(tmp_path / "b", "odd:name.yaml", 1)
    before = sorted(tmp_path.rglob("*"))
    result = invoke("check", str(tmp_path / "a"), str(tmp_path / "b" / "*.yaml"))
    lines = assert_clean_failure(result, 1)
    assert f"ok {good}" in result.stdout
    off_lines = [line for line in lines if line.startswith(f"Error: {off}: ")]
    assert (
        len(off_lines) == 2
        and "'Aantal projecten'" in off_lines[0]
        and "Toegekende subsidie" in off_lines[1]
    )
    broken_lines = [line for line in lines if line.startswith(f"Error: {broken}: ")]
    assert any("asked_by" in line and "missing" in line for line in broken_lines)
    assert any(".projects" in line and "negative" in line for line in broken_lines)
    assert any(".subsidy" in line and "decimals" in line for line in broken_lines)
    assert any(
        line.startswith(f"Error: {odd}: the file name gives no usable output name")
        for line in lines
    )
    assert any(
        line.startswith(f"Error: {clash}: would write output/good.xlsx, as {good}")
        for line in lines
    )
    assert result.stderr.splitlines()[-1] == "1 valid, 4 invalid"
    assert sorted(tmp_path.rglob("*")) == before  # check writes nothing


def test_check_usage_errors(tmp_path):
    assert_clean_failure(invoke("check"), 2)
    lines = assert_clean_failure(invoke("check", str(tmp_path / "*.yml")), 2)
    assert "matches no dataset file" in lines[0]


# -- import -------------------------------------------------------------------------------


def test_import_refuses_to_overwrite_without_force(tmp_path):
    source = tmp_path / "answer.txt"
    source.write_text("x", encoding="utf-8")
    existing = tmp_path / "answer.yaml"
    existing.write_text("keep me", encoding="utf-8")
    lines = assert_clean_failure(invoke("import", str(source)), 1)
    assert lines == [
        f"Error: {existing}: exists; pass --force to overwrite it or -o for another name"
    ]
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_import_missing_source_exits_1_naming_it(tmp_path):
    result = invoke("import", str(tmp_path / "nowhere.txt"), "-o", str(tmp_path / "new.yaml"))
    lines = assert_clean_failure(result, 1)
    assert len(lines) == 1 and str(tmp_path / "nowhere.txt") in lines[0]
    assert not (tmp_path / "new.yaml").exists()


def test_import_then_check_and_build(tmp_path):
    from .conftest import SEED_TEXT

    target = tmp_path / "imported.yaml"
    result = invoke("import", str(SEED_TEXT), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {target} (format 2) from {SEED_TEXT}\n")
    assert invoke("check", str(target)).exit_code == 0
    built = invoke("build", str(target), "-o", str(tmp_path / "out"), "-f", "xlsx")
    assert built.exit_code == 0, built.output
    assert 24252 in workbook_numbers(tmp_path / "out" / "imported.xlsx")
