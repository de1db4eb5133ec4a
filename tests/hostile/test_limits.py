"""What ``check`` accepts, ``build`` builds: every limit of the outputs is decided by validation.

The corpus (tests/hostile/corpus.py) changes the valid dataset one way each. A dataset that
``check`` accepts must then build (xlsx and docx) with exit 0, no warning and no internal
error; one it refuses must be refused by ``check`` and ``build`` alike, with one line per
problem, before anything is written.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export import limits
from kmo_export.cli import main

from ..builders import valid_dataset, write_dataset
from .corpus import CASES


def case_dataset(tmp_path: Path, name: str, change) -> Path:
    data = valid_dataset()
    change(data)
    return write_dataset(tmp_path / "in" / f"{name}.yaml", data)


def assert_clean(output: str) -> None:
    assert "Traceback" not in output
    assert "internal error" not in output
    assert "UserWarning" not in output and "Warning:" not in output


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_what_check_accepts_builds(tmp_path, name, change, expected):
    dataset = case_dataset(tmp_path, name, change)
    checked = CliRunner().invoke(main, ["check", str(dataset)])
    assert_clean(checked.output)
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out), "-j", "1"])
    assert_clean(built.output)
    if expected is None:
        assert checked.exit_code == 0, checked.output
        assert built.exit_code == 0, built.output
        names = sorted(p.name for p in out.iterdir())
        assert names == [f"{name}.docx", f"{name}.xlsx"]
        for path in out.iterdir():
            with zipfile.ZipFile(path) as package:
                assert package.testzip() is None
    else:
        assert checked.exit_code == 1
        errors = [line for line in checked.stderr.splitlines() if line.startswith("Error: ")]
        assert errors and all(len(line) < 1000 for line in errors)
        assert any(expected in line for line in errors), checked.stderr
        assert built.exit_code == 1
        assert any(expected in line for line in built.stderr.splitlines())
        assert not out.exists() or not any(out.iterdir())


def test_sheet_names_cut_to_31_utf16_units_stay_unique(tmp_path):
    from openpyxl import load_workbook

    data = valid_dataset()
    emoji = "\U0001f600" * 40
    data["answers"][2]["tables"][0]["columns"][0]["label"] = emoji  # the sheet: "Per <label>"
    second = dict(data["answers"][2]["tables"][0], id="other")
    data["answers"][2]["tables"].append(second)
    dataset = write_dataset(tmp_path / "emoji.yaml", data)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(tmp_path), "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    names = load_workbook(tmp_path / "emoji.xlsx", read_only=True).sheetnames
    assert all(len(n.encode("utf-16-le")) // 2 <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert sum("\U0001f600" in n for n in names) == 2


def test_a_refused_build_keeps_the_earlier_outputs(tmp_path):
    data = valid_dataset()
    dataset = write_dataset(tmp_path / "keep.yaml", data)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data["subject"] = "S" * 300  # check refuses it now
    write_dataset(dataset, data)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)])
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("99999999999999999999", "not a number of seconds"),
        ("12abc", "not a number of seconds"),
        ("-5", "not a number of seconds"),
        ("100", "outside 1980-01-01 to 2107-12-31"),
        ("4354819200", "outside 1980-01-01 to 2107-12-31"),
    ],
)
def test_source_date_epoch_out_of_range_is_refused_before_writing(tmp_path, value, fragment):
    dataset = write_dataset(tmp_path / "epoch.yaml", valid_dataset())
    out = tmp_path / "out"
    env = {"SOURCE_DATE_EPOCH": value}
    for args in (["check", str(dataset)], ["build", str(dataset), "-o", str(out)]):
        result = CliRunner(env=env).invoke(main, args)
        assert result.exit_code == 1, result.output
        assert (
            f"Error: SOURCE_DATE_EPOCH: {value!r}"[:30] in result.stderr
            or fragment in result.stderr
        )
        assert fragment in result.stderr
        assert_clean(result.output)
    assert not out.exists()


def test_source_date_epoch_at_the_zip_limits_builds(tmp_path):
    dataset = write_dataset(tmp_path / "epoch.yaml", valid_dataset())
    for value in (str(limits.FIRST_EPOCH), str(limits.LAST_EPOCH)):
        out = tmp_path / value
        result = CliRunner(env={"SOURCE_DATE_EPOCH": value}).invoke(
            main, ["build", str(dataset), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output


def test_a_dataset_name_too_long_for_its_temporary_file_is_refused_by_check(tmp_path):
    data = valid_dataset()
    name = "n" * (limits.MAX_OUTPUT_STEM_BYTES + 1)
    dataset = write_dataset(tmp_path / f"{name}.yaml", data)
    checked = CliRunner().invoke(main, ["check", str(dataset)])
    assert checked.exit_code == 1
    assert "an output name keeps at most" in checked.stderr
    fits = write_dataset(tmp_path / f"{'n' * limits.MAX_OUTPUT_STEM_BYTES}.yaml", data)
    built = CliRunner().invoke(main, ["build", str(fits), "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output


def test_an_output_folder_too_long_fails_cleanly(tmp_path):
    dataset = write_dataset(tmp_path / "deep.yaml", valid_dataset())
    out = tmp_path / ("d" * 300)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)])
    assert result.exit_code == 1
    assert_clean(result.output)
    assert "File name too long" in result.stderr


@pytest.mark.parametrize("failure", [RuntimeError("a bug in the brief"), OSError(28, "No space")])
def test_a_build_failing_in_the_brief_keeps_the_earlier_workbook(tmp_path, monkeypatch, failure):
    import kmo_export.brief as brief

    data = valid_dataset()
    dataset = write_dataset(tmp_path / "keep.yaml", data)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data["subject"] = "Een ander onderwerp"  # a new workbook would differ
    write_dataset(dataset, data)

    def broken(report, path, template=None):
        path.write_bytes(b"half a brief")
        raise failure

    monkeypatch.setattr(brief, "render_docx", broken)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no .part file either
