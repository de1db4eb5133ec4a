"""Bad input: every dataset in tests/bad_datasets/ fails with one clear line and writes nothing.

For each bad dataset ``kmo-export build`` exits 1; the first stderr line is
``Error: <file>: <field or line>: <what is wrong>`` naming the file at fault (the dataset, or the
table file it references); no traceback; no output file is created and an existing output file
of the same name is left byte for byte as it was. Merely unusual input (BOM, CRLF) builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.cli import main

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "bad_datasets"
TABLES = CORPUS / "tables"

# file -> (the file the message names, relative to the corpus, or None for the dataset itself;
#          fragments the first "Error:" line must hold: the field or line, then the problem)
EXPECTED: dict[str, tuple[str | None, tuple[str, ...]]] = {
    # syntax and structure
    "invalid-yaml-unclosed-bracket.yaml": (None, ("line 43", "invalid YAML", "'}'")),
    "invalid-yaml-tab-indentation.yaml": (None, ("line 46", "invalid YAML")),
    "invalid-yaml-bad-indentation.yaml": (None, ("line 6", "invalid YAML")),
    "top-level-is-a-list.yaml": (None, ("line 1", "must be a YAML mapping of fields")),
    "top-level-is-text.yaml": (None, ("line 1", "must be a YAML mapping of fields")),
    "duplicate-key.yaml": (None, ("subject (line 10)", "appears twice")),
    "unknown-field.yaml": (None, ("subjekt (line 9)", "unknown field")),
    "unsupported-format-version.yaml": (None, ("format (line 2)", "unsupported format '3'")),
    "missing-subject.yaml": (None, ("subject", "is missing")),
    "missing-questions.yaml": (None, ("questions", "is missing")),
    "missing-table-columns.yaml": (None, ("answers[2].tables[0].columns", "is missing")),
    "empty-subject.yaml": (None, ("subject (line 9)", "is empty")),
    "number-is-text.yaml": (
        None,
        ("number (line 3)", "must be a number", "achthonderdvijfendertig"),
    ),
    "number-is-zero.yaml": (None, ("number (line 3)", "must be at least 1, not 0")),
    "date-not-iso.yaml": (None, ("date (line 4)", "YYYY-MM-DD", "24/09/2020")),
    "date-impossible.yaml": (None, ("date (line 4)", "YYYY-MM-DD", "2020-02-30")),
    "paragraphs-is-a-mapping.yaml": (
        None,
        ("introduction (line 11)", "must be a list of paragraphs"),
    ),
    "questions-empty-list.yaml": (None, ("questions (line 12)", "is empty")),
    "label-is-a-list.yaml": (None, ("rows[3].theme (line 42)", "must be text, not a list")),
    "amount-is-boolean.yaml": (
        None,
        ("rows[3].subsidy (line 42)", "must be a number, not 'yes'"),
    ),
    "amount-with-thousands-separators.yaml": (None, ("rows[3].subsidy", "'2.243.573,59'")),
    "row-has-too-many-cells.yaml": (
        None,
        ("rows[3] (line 42)", "has 4 cells; the table has 3 columns"),
    ),
    "unknown-column-type.yaml": (None, ("columns[1].type", "unknown column type 'integer'")),
    "duplicate-column-key.yaml": (
        None,
        ("tables[0].columns", "column key 'projects' appears twice"),
    ),
    "count-column-with-decimals.yaml": (None, ("columns[1].decimals", "a count has no decimals")),
    "table-id-with-space.yaml": (None, ("tables[0].id (line 33)", "'per thema' must be letters")),
    "table-has-rows-and-rows-file.yaml": (None, ("answers[2].tables[0] (line 33)", "not both")),
    "table-has-no-rows.yaml": (None, ("answers[2].tables[0] (line 33)", "has no rows")),
    # rules
    "negative-count.yaml": (None, ("rows[2].projects (line 41)", "must not be negative", "-18293")),
    "fractional-count.yaml": (None, ("rows[2].projects (line 41)", "whole number", "18293.5")),
    "amount-three-decimals.yaml": (
        None,
        ("rows[2].subsidy (line 41)", "4751124.245 has more than 2 decimals"),
    ),
    "amount-dot-thousands.yaml": (
        None,
        ("rows[2].subsidy (line 41)", "45.660 is written with 3 decimals", "write 45660"),
    ),
    "count-dot-thousands.yaml": (None, ("rows[2].projects (line 41)", "write 18000")),
    "negative-amount.yaml": (None, ("rows[2].subsidy (line 41)", "must not be negative")),
    "total-off-by-a-cent.yaml": (
        None,
        (
            "tables[0].total.subsidy (line 43)",
            "Toegekende subsidie",
            "19966509.86",
            "19966509.85",
            "+0.01",
        ),
    ),
    "count-total-off-by-one.yaml": (
        None,
        ("tables[0].total.projects (line 43)", "83115", "83116", "-1"),
    ),
    "duplicate-theme.yaml": (None, ("rows[3].theme (line 42)", "'Gezondheidszorg' appears twice")),
    "duplicate-theme-differing-in-case.yaml": (
        None,
        ("rows[3].theme (line 42)", "'GEZONDHEIDSZORG' appears twice"),
    ),
    "empty-label.yaml": (None, ("rows[3].theme (line 42)", "is empty")),
    "question-without-answer.yaml": (None, ("questions[0]", "question 1 has no answer")),
    "answer-without-question.yaml": (None, ("answers[3]", "answer 4 answers no question")),
    "duplicate-question-number.yaml": (None, ("questions[1].number", "number 1 appears twice")),
    "empty-table.yaml": (None, ("tables[0].rows (line 38)", "a table needs at least one row")),
    "amount-beyond-15-digits.yaml": (
        None,
        ("rows[3].subsidy (line 42)", "more than 15 significant digits"),
    ),
    "count-beyond-15-digits.yaml": (
        None,
        ("rows[3].projects (line 42)", "more than 15 significant digits"),
    ),
    "amount-nan.yaml": (None, ("rows[3].subsidy (line 42)", "must be a finite number")),
    "count-infinity.yaml": (None, ("rows[3].projects (line 42)", "must be a finite number")),
    "amount-text-infinity.yaml": (None, ("rows[3].subsidy (line 42)", "must be a finite number")),
    "control-character-in-label.yaml": (
        None,
        ("rows[3].theme (line 42)", "control character U+0007"),
    ),
    "control-character-in-answer.yaml": (
        None,
        ("answers[2].paragraphs[0] (line 31)", "control character U+001B"),
    ),
    "stated-percent-disagrees.yaml": (
        None,
        ("sizes[0].stated_use_percent", "9.8 % disagrees", "988.70 / 10000"),
    ),
    "average-above-maximum.yaml": (None, ("sizes[1].average_granted", "exceeds the maximum 15000")),
    "key-figure-for-missing-answer.yaml": (None, ("key_figures.enterprises.answer", "answer 7")),
    "duplicate-table-id.yaml": (None, ("answers[2].tables[1].id", "'themes' is used twice")),
    # format 2
    "format2-ratio-total-summed.yaml": (
        None,
        (
            "table.total.values.share (line 28)",
            "total 29.5 % of '% Limburg' is not the ratio of the totals",
            "120 / 1225 = 9.796 %",
        ),
    ),
    "format2-ratio-names-missing-measure.yaml": (
        None,
        ("measures[2].ratio[1] (line 21)", "names no measure of this table: 'vlaanderen'"),
    ),
    "format2-undeclared-not-available.yaml": (
        None,
        ("rows[1].limburg (line 23)", "must be a number, not 'n.v.t.'"),
    ),
    "format2-figure-names-missing-table.yaml": (
        None,
        ("figures[0].check (line 28)", "names no table of this dataset: 'per_jaar'"),
    ),
    "format2-prose-total-without-sentence.yaml": (
        None,
        ("table.total.sentence", "is missing"),
    ),
    # table files
    "missing-table-file.yaml": (
        None,
        ("tables[0].rows_file (line 38)", "does-not-exist.csv' not found"),
    ),
    "table-file-is-a-directory.yaml": (
        None,
        ("rows_file (line 38)", "a-directory.csv' is not a file"),
    ),
    "table-file-wrong-kind.yaml": (None, ("rows_file (line 38)", "must be .csv or .xlsx")),
    "csv-bad-number.yaml": (
        "tables/bad-number.csv",
        ("row 3, column 'Aantal projecten' (line 4)", "'veel'"),
    ),
    "csv-missing-column.yaml": (
        "tables/missing-column.csv",
        ("header (line 1)", "no column 'subsidy'"),
    ),
    "csv-total-off-by-a-cent.yaml": (
        None,
        ("tables[0].total.subsidy", "19966509.84", "19966509.85"),
    ),
    "csv-total-contradicts-dataset-total.yaml": (
        None,
        ("tables[0].total.subsidy", "19966509.84", "keep one total"),
    ),
    "csv-latin-1.yaml": ("tables/latin-1.csv", ("line 3", "is not UTF-8", "save it as UTF-8")),
    "csv-empty.yaml": ("tables/empty.csv", ("is empty",)),
    "csv-header-only.yaml": ("tables/header-only.csv", ("holds no rows",)),
    "csv-duplicate-theme.yaml": (
        None,
        ("rows[3].theme (line 5)", "'Gezondheidszorg' appears twice"),
    ),
    "xlsx-not-a-workbook.yaml": (
        "tables/not-a-workbook.xlsx",
        ("the table file is not a readable workbook",),
    ),
    "xlsx-missing-sheet.yaml": (
        None,
        ("rows_file (line 38)", "sheet 'Blad9' not in 'themes.xlsx'"),
    ),
    "xlsx-text-in-count.yaml": (
        "tables/text-in-count.xlsx",
        ("row 2, column 'Aantal projecten' (line 3)", "'ca. 24.000'"),
    ),
    "xlsx-formula-without-cached-value.yaml": (
        "tables/formula-without-value.xlsx",
        ("row 3 (line 4)", "formula =20000-1707 without a saved result"),
    ),
    # the bytes are the problem
    "empty.yaml": (None, ("is empty",)),
    "only-whitespace.yaml": (None, ("is empty",)),
    "only-a-comment.yaml": (None, ("holds no fields",)),
    "latin-1-bytes.yaml": (None, ("line 39", "is not UTF-8 text (byte 0xeb)")),
    "binary-noise.yaml": (None, ("is binary",)),
    "nul-byte.yaml": (None, ("is binary",)),
    "utf-16.yaml": (None, ("is UTF-16 text", "save it as UTF-8")),
    "zip-archive-named-yaml.yaml": (None, ("is a ZIP archive",)),
    "truncated.yaml": (None, ("line 40", "invalid YAML", "end of stream")),
}
ACCEPTED = ["accepted-bom.yaml", "accepted-crlf.yaml", "accepted-bom-crlf-csv.yaml"]
# A handful run as a real process: nothing but the one line may reach stderr.
SUBPROCESS = [
    "binary-noise.yaml",
    "missing-questions.yaml",
    "total-off-by-a-cent.yaml",
    "csv-latin-1.yaml",
    "xlsx-not-a-workbook.yaml",
    "truncated.yaml",
]


def test_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.glob("*.yaml")}
    assert on_disk == set(EXPECTED) | set(ACCEPTED)
    assert len(EXPECTED) >= 40


# -- helpers ----------------------------------------------------------------------------------


def _prepare_output(out: Path, stem: str) -> bytes:
    # An earlier good build left <stem>.xlsx; <stem>.docx does not exist yet.
    out.mkdir()
    sentinel = b"an earlier workbook: must survive a failed build\n" + stem.encode()
    (out / f"{stem}.xlsx").write_bytes(sentinel)
    return sentinel


def _assert_failed_cleanly(
    exit_code: int, stderr: str, out: Path, stem: str, sentinel: bytes, named: Path, fragments
):
    assert exit_code == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines, "nothing on stderr"
    first = lines[0]
    assert first.startswith(f"Error: {named}: "), first
    for fragment in fragments:
        assert fragment in first, f"{fragment!r} not in {first!r}"
    assert all(line.startswith("Error: ") or " failed" in line for line in lines), stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.xlsx"]
    assert (out / f"{stem}.xlsx").read_bytes() == sentinel


def _named(dataset: Path, table_file: str | None) -> Path:
    return dataset if table_file is None else dataset.parent / table_file


# -- the corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_dataset_fails_with_one_clear_line(name, tmp_path):
    dataset = CORPUS / name
    table_file, fragments = EXPECTED[name]
    out = tmp_path / "out"
    sentinel = _prepare_output(out, dataset.stem)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    _assert_failed_cleanly(
        result.exit_code,
        result.stderr,
        out,
        dataset.stem,
        sentinel,
        _named(dataset, table_file),
        fragments,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_the_same_first_line(name):
    dataset = CORPUS / name
    table_file, fragments = EXPECTED[name]
    result = CliRunner().invoke(main, ["check", str(dataset)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: {_named(dataset, table_file)}: ")
    assert all(fragment in first for fragment in fragments), first


@pytest.mark.parametrize("name", SUBPROCESS)
def test_bad_dataset_in_a_real_process(name, tmp_path):
    dataset = CORPUS / name
    table_file, fragments = EXPECTED[name]
    out = tmp_path / "out"
    sentinel = _prepare_output(out, dataset.stem)
    process = subprocess.run(
        [sys.executable, "-m", "kmo_export", "build", str(dataset), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    _assert_failed_cleanly(
        process.returncode,
        process.stderr,
        out,
        dataset.stem,
        sentinel,
        _named(dataset, table_file),
        fragments,
    )
    assert process.stdout == ""


@pytest.mark.parametrize("name", ACCEPTED)
def test_unusual_but_unambiguous_input_builds(name, tmp_path):
    from kmo_export.loader import load

    dataset = CORPUS / name
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{dataset.stem}.docx",
        f"{dataset.stem}.xlsx",
    ]
    loaded = load(dataset)
    table = loaded.answer(3).tables[0]
    assert loaded.number == 835 and loaded.subject == "Kmo-portefeuille - Benutting"
    assert [r.label for r in table.rows][1] == "Administratie & financiën"
    assert [str(v) for v in table.reported_total] == ["83116", "19966509.85"]


# -- generated: too big to store ----------------------------------------------------------------


def _base_text() -> str:
    return (CORPUS / "accepted-crlf.yaml").read_bytes().decode("utf-8").replace("\r\n", "\n")


def _build_fails(tmp_path: Path, dataset: Path, named: Path, fragments: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    sentinel = _prepare_output(out, dataset.stem)
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)])
    _assert_failed_cleanly(
        result.exit_code, result.stderr, out, dataset.stem, sentinel, named, fragments
    )


def test_label_longer_than_an_excel_cell(tmp_path):
    label = "Opleiding " + "x" * 32_758  # 32,768 characters: one more than Excel holds
    assert len(label) == 32_768
    dataset = tmp_path / "label-too-long.yaml"
    dataset.write_text(_base_text().replace('"Juridisch"', f'"{label}"'), encoding="utf-8")
    _build_fails(
        tmp_path, dataset, dataset, ("rows[3].theme", "is 32,768 characters long", "32,767")
    )


def test_label_of_exactly_32767_characters_is_accepted(tmp_path):
    from kmo_export.loader import load

    label = "y" * 32_767
    dataset = tmp_path / "label-longest.yaml"
    dataset.write_text(_base_text().replace('"Juridisch"', f'"{label}"'), encoding="utf-8")
    assert load(dataset).answer(3).tables[0].rows[3].label == label


def test_more_rows_than_an_excel_sheet_holds(tmp_path):
    rows = 1_048_575  # a sheet has 1,048,576 rows: one header, 1,048,574 data rows, one total
    text = _base_text()
    start, end = text.index("        rows:\n"), text.index("key_figures:")
    dataset = tmp_path / "too-many-rows.yaml"
    dataset.write_text(
        text[:start] + "        rows_file: huge.csv\n" + text[end:], encoding="utf-8"
    )
    with (tmp_path / "huge.csv").open("w", encoding="utf-8") as stream:
        stream.write("theme,projects,subsidy\n")
        stream.writelines(f"t{i},1,0.01\n" for i in range(rows))
        stream.write(f"Eindtotaal,{rows},{rows / 100:.2f}\n")
    _build_fails(
        tmp_path, dataset, dataset, ("rows_file", "'huge.csv' has 1,048,576 rows", "1,048,574")
    )


def test_a_dataset_that_does_not_exist(tmp_path):
    dataset = tmp_path / "nowhere.yaml"
    _build_fails(tmp_path, dataset, dataset, ("no such file",))


def test_a_folder_named_like_a_dataset_file_is_a_table_file(tmp_path):
    # rows_file pointing at a folder: covered by the corpus; here the folder is the dataset's
    # own table file given with an absolute path.
    folder = tmp_path / "themes.xlsx"
    folder.mkdir()
    text = _base_text()
    start, end = text.index("        rows:\n"), text.index("key_figures:")
    dataset = tmp_path / "folder-as-table.yaml"
    dataset.write_text(
        text[:start] + f"        rows_file: {folder}\n" + text[end:], encoding="utf-8"
    )
    _build_fails(tmp_path, dataset, dataset, ("rows_file", "is not a file"))


def test_a_trailing_zero_after_many_digits_is_no_thousands_separator(tmp_path):
    source = (CORPUS / "amount-three-decimals.yaml").read_text(encoding="utf-8")
    path = tmp_path / "trailing-zero.yaml"
    path.write_text(source.replace("4751124.245", "4751124.240"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
