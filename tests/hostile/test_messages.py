"""Messages safe to print: one line each, capped, control characters escaped, file names with
line breaks quoted, no parser objects, no library warnings."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kmo_export.cli import main
from kmo_export.errors import MAX_MESSAGE, Problem, printable

from ..builders import valid_dataset, write_dataset
from .test_limits import assert_clean

LONGEST = MAX_MESSAGE + 300  # "Error: " + a capped file name and field besides the message


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error: ")]


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(path)])
    assert_clean(result.output)
    return result.exit_code, result.stderr


def test_a_one_megabyte_unknown_key_is_not_echoed_whole(tmp_path):
    text = write_dataset(tmp_path / "d.yaml", valid_dataset()).read_text(encoding="utf-8")
    (tmp_path / "d.yaml").write_text(text + "? " + "k" * (1 << 20) + "\n: 1\n", encoding="utf-8")
    code, stderr = check(tmp_path / "d.yaml")
    assert code == 1
    lines = error_lines(stderr)
    assert lines and all(len(line) <= LONGEST for line in lines)
    assert "unknown field" in stderr and " … " in stderr


def test_a_header_of_10000_columns_is_not_echoed_whole(tmp_path):
    header = ",".join(f"c{i}" for i in range(10_000))
    (tmp_path / "t.csv").write_text(header + "\n" + ",".join("1" * 10_000) + "\n")
    data = valid_dataset()
    table = data["answers"][2]["tables"][0]
    del table["rows"], table["total"]
    table["rows_file"] = "t.csv"
    code, stderr = check(write_dataset(tmp_path / "d.yaml", data))
    assert code == 1
    assert all(len(line) <= LONGEST for line in error_lines(stderr))
    assert "no column 'theme'" in stderr


def test_terminal_escapes_and_controls_from_the_input_are_shown_escaped(tmp_path):
    text = write_dataset(tmp_path / "d.yaml", valid_dataset()).read_text(encoding="utf-8")
    evil = '"\\e[31mRED\\e]0;title\\a\\u009b2J\\u202eevil"'
    (tmp_path / "d.yaml").write_text(text + f"{evil}: 1\n", encoding="utf-8")
    code, stderr = check(tmp_path / "d.yaml")
    assert code == 1
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in stderr
    assert "\\x1b[31mRED" in stderr and "\\u202e" in stderr


def test_a_file_name_with_a_line_break_is_quoted_on_one_line(tmp_path):
    odd = write_dataset(tmp_path / "two\nlines.yaml", {"format": 1})
    code, stderr = check(odd)
    assert code == 1
    for line in error_lines(stderr):
        assert line.startswith("Error: '") and "two\\nlines.yaml'" in line
    assert all(line.startswith(("Error: ", "0 valid")) for line in stderr.splitlines())


def test_no_parser_objects_in_messages(tmp_path):
    text = write_dataset(tmp_path / "d.yaml", valid_dataset()).read_text(encoding="utf-8")
    (tmp_path / "d.yaml").write_text(text + "? [a, b]\n: 1\n? {x: 1}\n: 2\n", encoding="utf-8")
    code, stderr = check(tmp_path / "d.yaml")
    assert code == 1
    assert "a field name must be plain text" in stderr
    for marker in ("Node(", "object at 0x", "<_io.", "tag:yaml.org"):
        assert marker not in stderr


def test_problem_text_is_capped_and_one_line():
    problem = Problem("a\rb.yaml", "x\n" * 10_000, "f\x1bield", 3)
    text = str(problem)
    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert len(text) <= LONGEST
    assert text.startswith("'a\\rb.yaml': f\\x1bield (line 3): x\\nx\\n")
    assert printable("plain") == "plain"


def test_a_bug_is_reported_on_one_capped_line(tmp_path, monkeypatch):
    from kmo_export import build

    def broken(path):
        raise ValueError("line one\nline two " + "z" * 100_000)

    monkeypatch.setattr(build, "check", broken)
    result = CliRunner().invoke(
        main, ["check", str(write_dataset(tmp_path / "d.yaml", valid_dataset()))]
    )
    assert result.exit_code == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and len(lines[0]) <= LONGEST and "line one\\nline two" in lines[0]
