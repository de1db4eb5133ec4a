"""CLI conveniences: format lists, options from the environment, problems as JSON or GitHub
annotations, output names that clash only in case with and without --shard, --style FILE."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kmo_export.cli import _FormatList, main

from ..builders import valid_dataset, write_dataset
from .test_limits import assert_clean


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("docx,pdf", ("docx", "pdf")),
        ("all", ("xlsx", "docx", "pdf")),
        ("XLSX, docx", ("xlsx", "docx")),
        ("pdf", ("pdf",)),
    ],
)
def test_format_lists(value, expected):
    assert _FormatList().convert(value, None, None) == expected


def test_a_bad_format_in_a_list_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", "-f", "xlsx,odt", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "'odt' is not one of xlsx, docx, pdf or all" in result.output
    with pytest.raises(click.BadParameter):
        _FormatList().convert(",", None, None)


def test_repeated_and_listed_formats_combine_once(tmp_path):
    dataset = write_dataset(tmp_path / "d.yaml", valid_dataset())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(dataset), "-o", str(out), "-f", "xlsx,docx", "-f", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert names(out) == ["d.docx", "d.xlsx"]


def test_options_come_from_kmo_export_variables(tmp_path):
    dataset = write_dataset(tmp_path / "d.yaml", valid_dataset())
    out = tmp_path / "out"
    env = {"KMO_EXPORT_FORMAT": "xlsx", "KMO_EXPORT_LANG": "en", "KMO_EXPORT_OUTPUT_DIR": str(out)}
    result = CliRunner(env=env).invoke(main, ["build", str(dataset)])
    assert result.exit_code == 0, result.output
    assert names(out) == ["d.xlsx"]
    with zipfile.ZipFile(out / "d.xlsx") as package:
        assert b"Key figures" in package.read("xl/workbook.xml")
    # The command line wins over the environment.
    result = CliRunner(env=env).invoke(main, ["build", str(dataset), "-f", "docx", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert names(out) == ["d.docx", "d.xlsx"]


def test_a_template_from_the_environment_is_used(tmp_path):
    dataset = write_dataset(tmp_path / "d.yaml", valid_dataset())
    result = CliRunner(env={"KMO_EXPORT_TEMPLATE": str(tmp_path / "missing.docx")}).invoke(
        main, ["build", str(dataset), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "missing.docx: the Word template does not exist" in result.stderr


def broken_and_good(tmp_path: Path) -> tuple[Path, Path]:
    data = valid_dataset()
    text = write_dataset(tmp_path / "broken.yaml", data).read_text(encoding="utf-8")
    text = text.replace("subsidy: 5942507.37", "subsidy: veel", 1)
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "broken.yaml", write_dataset(tmp_path / "good.yaml", data)


def test_check_format_json(tmp_path):
    broken, good = broken_and_good(tmp_path)
    result = CliRunner().invoke(main, ["check", str(broken), str(good), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] == 1 and document["invalid"] == 1
    assert {d["dataset"]: d["valid"] for d in document["datasets"]} == {
        str(broken): False,
        str(good): True,
    }
    (problem,) = document["problems"]
    assert problem["file"] == str(broken)
    assert problem["field"] == "answers[2].tables[0].rows[1].subsidy"
    assert isinstance(problem["line"], int) and problem["line"] > 1
    assert problem["message"] == "must be a number, not 'veel'"
    assert result.stderr == ""


def test_check_format_github(tmp_path):
    broken, good = broken_and_good(tmp_path)
    result = CliRunner(env={"KMO_EXPORT_PROBLEM_FORMAT": "github"}).invoke(
        main, ["check", str(broken), str(good)]
    )
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("::")]
    assert line.startswith(f"::error file={broken},line=")
    assert line.endswith("::answers[2].tables[0].rows[1].subsidy: must be a number, not 'veel'")


def test_github_annotations_escape_their_data():
    from kmo_export.cli import _annotation

    text = _annotation(
        {"severity": "error", "file": "a,b:c.yaml", "line": 3, "field": None, "message": "50%\nx"}
    )
    assert text == "::error file=a%2Cb%3Ac.yaml,line=3::50%25%0Ax"


@pytest.mark.parametrize("problem_format", ["json", "github"])
def test_build_problems_in_the_same_formats(tmp_path, problem_format):
    broken, good = broken_and_good(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(broken), str(good), "-o", str(out), "--problem-format", problem_format],
    )
    assert result.exit_code == 1
    assert_clean(result.stdout)
    if problem_format == "json":
        document = json.loads(result.stdout)
        assert document["built"] == 1 and document["failed"] == 1
        (problem,) = document["problems"]
        assert problem["file"] == str(broken) and problem["line"]
    else:
        assert f"::error file={broken},line=" in result.stdout
    assert names(out) == ["good.docx", "good.xlsx"]


@pytest.mark.parametrize("shard", [None, "1/2", "2/2"])
def test_names_clashing_only_in_case_are_refused_with_and_without_shard(tmp_path, shard):
    data = valid_dataset()
    write_dataset(tmp_path / "a" / "Groei-1.yaml", data)
    write_dataset(tmp_path / "b" / "groei-1.yaml", data)
    out = tmp_path / "out"
    args = ["build", "-o", str(out), str(tmp_path / "a"), str(tmp_path / "b")]
    result = CliRunner().invoke(main, args + (["--shard", shard] if shard else []))
    assert result.exit_code == 1
    assert "would write" in result.stderr and "rename one of them" in result.stderr
    assert names(out) == []


STYLE = """
[colours]
header_fill = "#C00000"
"""


def test_style_file_on_the_command_line(tmp_path):
    dataset = write_dataset(tmp_path / "d.yaml", valid_dataset())
    style = tmp_path / "house.toml"
    style.write_text(STYLE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(dataset), "-o", str(out), "-f", "xlsx", "--style", str(style)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "d.xlsx") as package:
        assert b"FFC00000" in package.read("xl/styles.xml")
    plain = tmp_path / "plain"
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(plain), "-f", "xlsx"])
    with zipfile.ZipFile(plain / "d.xlsx") as package:
        assert b"FFC00000" not in package.read("xl/styles.xml")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[colours]\nheader_fil = '#C00000'\n", "unknown key 'colours.header_fil'"),
        ("[colours]\nheader_fill = 3\n", "'colours.header_fill' must be a str"),
        ("[colours\n", "is not valid TOML"),
        ("colours = 1\n", "'colours' must be a table"),
    ],
)
def test_a_bad_style_file_fails_before_anything_is_written(tmp_path, text, fragment):
    dataset = write_dataset(tmp_path / "d.yaml", valid_dataset())
    style = tmp_path / "house.toml"
    style.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(dataset), "-o", str(out), "--style", str(style)]
    )
    assert result.exit_code == 1
    assert fragment in result.stderr, result.stderr
    assert_clean(result.output)
    assert names(out) == []
