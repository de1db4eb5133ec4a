"""The bundled dataset, the model and the validation rules, against figures typed from the published text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.cli import main
from kmo_export.errors import DatasetError, InconsistentTotalsError
from kmo_export.loader import load, read_dataset
from kmo_export.validate import validate

from .conftest import BUNDLED, SEED_TEXT

# Typed by hand from data/sources/schriftelijke-vraag-835-2020.txt, not from the dataset.
PUBLISHED_ROWS = {
    "Gezondheidszorg": (24252, "7029304.65"),
    "Administratie & financiën": (23963, "5942507.37"),
    "Communicatievaardigheden en talen": (1891, "831991.09"),  # label wrapped over two lines
    "Styling en lichaamsverzorging": (1468, "257239.62"),  # first row after a page break
    "Intellectuele eigendom": (39, "10851.31"),
    "Artificiële Intelligentie (AI)": (16, "11408.85"),
}


def test_bundled_dataset_holds_the_published_answer(bundled_dataset):
    d = bundled_dataset
    assert d.number == 835
    assert d.date == dt.date(2020, 9, 24)
    assert d.asked_by == "Kurt Vanryckeghem"
    assert d.addressed_to.name == "Hilde Crevits"
    assert d.addressed_to.title.startswith("Viceminister-president van de Vlaamse Regering")
    assert d.subject == "Kmo-portefeuille - Benutting"
    assert [q.number for q in d.questions] == [1, 2, 3, 4]
    assert [a.number for a in d.answers] == [1, 2, 3, 4]
    assert len(d.question(2).paragraphs) == 2
    assert "69.215 ondernemingen" in d.answer(1).paragraphs[0]


def test_every_paragraph_is_verbatim_in_the_published_text(bundled_dataset):
    published = re.sub(r"-\s*\n\s*", "-", SEED_TEXT.read_text(encoding="utf-8"))
    published = re.sub(r"\s+", " ", published)
    d = bundled_dataset
    texts = [*d.introduction]
    for q in d.questions:
        texts += q.paragraphs
    for a in d.answers:
        texts += a.paragraphs
    for text in texts:
        assert text in published, text


def test_table_of_answer_4(bundled_dataset):
    table = bundled_dataset.answer(4).tables[0]
    assert len(table.rows) == 58
    assert [c.key for c in table.columns] == ["theme", "projects", "subsidy"]
    rows = {r.label: r.values for r in table.rows}
    for label, (projects, subsidy) in PUBLISHED_ROWS.items():
        assert rows[label] == (Decimal(projects), Decimal(subsidy)), label
    assert table.rows[0].label == "Gezondheidszorg"
    assert table.rows[-1].label == "Artificiële Intelligentie (AI)"
    assert table.total_label == "Eindtotaal"
    assert table.reported_total == (Decimal(173053), Decimal("56813023.08"))
    assert table.computed_totals == (Decimal(173053), Decimal("56813023.08"))
    assert all(isinstance(v, Decimal) for r in table.rows for v in r.values)


def test_key_figures(bundled_dataset):
    figures = bundled_dataset.key_figures
    assert figures.enterprises.count == 69215 and figures.enterprises.year == 2019
    small, medium = figures.usage.sizes
    assert (small.maximum, small.average_granted, small.stated_use_percent) == (
        Decimal(10000),
        Decimal("988.70"),
        Decimal("9.9"),
    )
    assert (medium.maximum, medium.average_granted, medium.stated_use_percent) == (
        Decimal(15000),
        Decimal("2157.42"),
        Decimal("14.4"),
    )
    assert small.use == Decimal("0.09887")
    assert figures.usage.new_maximum.amount == Decimal(7500)
    assert figures.usage.new_maximum.since == dt.date(2020, 1, 1)


# -- validation rules --------------------------------------------------------------------


def _variant(tmp_path: Path, old: str, new: str, name: str = "variant.yaml") -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "sources").mkdir(exist_ok=True)
    return path


def _problem(path: Path) -> str:
    with pytest.raises(DatasetError) as caught:
        load(path)
    return str(caught.value)


def test_one_cent_off_names_column_and_both_totals(tmp_path):
    path = _variant(tmp_path, "subsidy: 7029304.65", "subsidy: 7029304.66")
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: answers[3].tables[0].total.subsidy (line 112)")
    assert "Toegekende subsidie" in message
    assert "56813023.08" in message and "56813023.09" in message


def test_inconsistent_totals_can_be_allowed(tmp_path):
    path = _variant(tmp_path, "subsidy: 7029304.65", "subsidy: 7029304.66")
    warnings = validate(read_dataset(path), allow_inconsistent=True)
    assert len(warnings) == 1 and "0.01" in str(warnings[0])


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            'theme: "IT", projects: 9683',
            'theme: "Juridisch", projects: 9683',
            "'Juridisch' appears twice",
        ),
        ('theme: "IT"', 'theme: ""', "rows[5].theme (line 59): is empty"),
        ("projects: 9683", "projects: -9683", "must not be negative"),
        ("projects: 9683", "projects: 9683.5", "whole number"),
        ("subsidy: 4540584.42", "subsidy: 4540584.425", "more than 2 decimals"),
        ("stated_use_percent: 9.9", "stated_use_percent: 9.8", "stated use 9.8 % disagrees"),
        (
            "  - number: 4\n    paragraphs:\n      - Welke",
            "  - number: 5\n    paragraphs:\n      - Welke",
            "question 5",
        ),
        ("date: 2020-09-24", "date: 24/09/2020", "YYYY-MM-DD"),
        ("subsidy: 4540584.42", "subsidy: .nan", "finite number"),
        ("subsidy: 4540584.42", "subsidy: 1234567890123456.5", "significant digits"),
    ],
)
def test_rules(tmp_path, old, new, fragment):
    message = _problem(_variant(tmp_path, old, new))
    assert message.startswith(str(tmp_path)), message
    assert fragment in message


def test_field_path_and_line_in_type_errors(tmp_path):
    path = _variant(tmp_path, "projects: 9683", "projects: veel")
    message = _problem(path)
    line = next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if "projects: veel" in text
    )
    assert f"answers[3].tables[0].rows[5].projects (line {line})" in message


def test_table_rows_from_csv_and_xlsx(tmp_path):
    import openpyxl

    table = load(BUNDLED).answer(4).tables[0]
    csv_lines = ["Thema;Aantal projecten;Toegekende subsidie (€)"]
    csv_lines += [
        f"{r.label};{r.values[0]};{str(r.values[1]).replace('.', ',')}" for r in table.rows
    ]
    (tmp_path / "themes.csv").write_text(
        "\n".join(csv_lines) + "\nEindtotaal;173053;56813023,08\n", encoding="utf-8"
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["theme", "projects", "subsidy"])
    for r in table.rows:
        sheet.append([r.label, int(r.values[0]), float(r.values[1])])
    workbook.save(tmp_path / "themes.xlsx")
    text = BUNDLED.read_text(encoding="utf-8")
    start, end = text.index("        rows:\n"), text.index("        total:")
    for name in ("themes.csv", "themes.xlsx"):
        path = tmp_path / f"from-{name}.yaml"
        path.write_text(
            text[:start] + f"        rows_file: {name}\n" + text[end:], encoding="utf-8"
        )
        loaded = load(path).answer(4).tables[0]
        assert loaded.rows == tuple(
            type(r)(r.label, r.values, 0, loaded.rows[i].line) for i, r in enumerate(table.rows)
        )
        assert loaded.reported_total == table.reported_total


def test_missing_table_file_is_named(tmp_path):
    text = BUNDLED.read_text(encoding="utf-8")
    start, end = text.index("        rows:\n"), text.index("        total:")
    path = tmp_path / "d.yaml"
    path.write_text(
        text[:start] + "        rows_file: nowhere.csv\n" + text[end:], encoding="utf-8"
    )
    assert "nowhere.csv' not found" in _problem(path)


# -- CLI and catalogue ---------------------------------------------------------------------


def test_check_one_cent_off_exits_1_with_one_line(tmp_path):
    path = _variant(tmp_path, "subsidy: 7029304.65", "subsidy: 7029304.66")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert (
        "Toegekende subsidie" in errors[0]
        and "56813023.08" in errors[0]
        and "56813023.09" in errors[0]
    )
    assert "Traceback" not in result.output


def test_build_default_writes_both_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        "kmo-portefeuille-2019.docx",
        "kmo-portefeuille-2019.xlsx",
    ]
    assert "wrote output/kmo-portefeuille-2019.xlsx" in result.stdout


def test_catalogues_have_the_same_keys():
    from kmo_export.labels import labels, languages

    def keys(node, prefix=""):
        out = set()
        for key, value in node.items():
            out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
        return out

    catalogues = {lang: keys(labels(lang)._entries) for lang in languages()}
    assert set(catalogues) >= {"nl", "en"}
    assert catalogues["nl"] == catalogues["en"]


def test_readme_example_is_a_valid_dataset(tmp_path):
    readme = (BUNDLED.parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("An example (abridged", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    dataset = load(path)
    table = dataset.answer(4).tables[0]
    assert table.computed_totals == table.reported_total == (Decimal(48215), Decimal("12971812.02"))
