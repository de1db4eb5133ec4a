"""`kmo-export upgrade`: a format-1 dataset's format-2 equivalent loads to the same figures."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kmo_export.build import BuildOptions, build
from kmo_export.cli import main
from kmo_export.loader import bundled_dataset, load
from kmo_export.model import Dataset
from kmo_export.upgrade import UpgradeError, upgrade, upgrade_text

from .builders import valid_dataset, write_dataset
from .test_properties import _LABEL


def figures(dataset: Dataset) -> object:
    """What a dataset says, without where it says it (lines) or how (format)."""
    tables = [
        (
            t.id,
            t.caption,
            [(c.key, c.label, c.type, c.decimals, c.multiplier) for c in t.columns],
            [(r.label, r.values, r.level) for r in t.rows],
            t.total_label,
            t.reported_total,
            t.notes,
            t.kind,
        )
        for _, t in dataset.tables
    ]
    answers = [
        (a.numbers, a.paragraphs, [b if isinstance(b, str) else b.id for b in a.content])
        for a in dataset.answers
    ]
    return (
        dataset.number,
        dataset.date,
        dataset.asked_by,
        dataset.addressed_to,
        dataset.subject,
        dataset.introduction,
        dataset.questions,
        answers,
        tables,
        dataset.key_figures,
        dataset.source,
    )


@pytest.fixture()
def bundled_copy(tmp_path: Path) -> Path:
    """The bundled dataset and its sources, copied into tmp_path."""
    source = bundled_dataset()
    shutil.copy(source, tmp_path / source.name)
    shutil.copytree(source.parent / "sources", tmp_path / "sources")
    return tmp_path / source.name


def test_upgraded_bundled_dataset_loads_to_the_same_figures_and_builds(bundled_copy, tmp_path):
    target = tmp_path / "upgraded.yaml"
    upgrade(bundled_copy, target)
    old, new = load(bundled_copy), load(target)
    assert (old.format, new.format) == (1, 2)
    assert figures(new) == figures(old)
    themes = new.table("themes")
    assert len(themes.rows) == len(old.table("themes").rows) == 58
    assert themes.reported_total == old.table("themes").reported_total
    result = build(target, BuildOptions(output_dir=tmp_path / "out"))
    assert sorted(f.path.name for f in result.outputs) == ["upgraded.docx", "upgraded.xlsx"]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# kmo-export dataset (format 2)")
    assert "format: 2\n" in text
    assert "# Figures stated in the answers' text" in text  # a comment above a field is kept
    assert "          measures:\n" in text and "columns:" not in text
    assert "values: {projects: 173053, subsidy: 56813023.08}" in text
    assert "date: 2020-09-24\n" in text


def test_labels_that_yaml_would_change_are_quoted(tmp_path):
    labels = ["2020", "ja", "a: b", "#1", "- x", "null", "1,5", "[x]", "Tom's", "€ 5", "0x10"]
    rows = "\n".join(f"          - {{t: {label!r}, n: {i}}}" for i, label in enumerate(labels))
    path = tmp_path / "v1.yaml"
    path.write_text(
        "format: 1\nnumber: 1\ndate: 2020-01-01\nasked_by: X\naddressed_to: {name: Y}\n"
        "subject: 'yes'\nquestions: [{number: 1, paragraphs: ['Q: waarom?']}]\n"
        "answers:\n  - number: 1\n    paragraphs: ['on']\n    tables:\n"
        "      - id: t\n        columns: [{key: t, label: '2019'}, {key: n, label: N, type: count}]\n"
        "        rows:\n" + rows + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "v2.yaml"
    upgrade(path, target)
    old, new = load(path), load(target)
    assert figures(new) == figures(old)
    assert [r.label for r in new.table("t").rows] == labels
    assert new.subject == "yes" and new.answers[0].paragraphs == ("on",)
    assert new.table("t").label_column.label == "2019"
    assert "{t: Tom's, n: 8}" in target.read_text()  # what YAML keeps is not quoted


def test_table_file_is_named_relative_to_the_new_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text("theme,n\nA,1\nB,2\nTotaal,3\n", encoding="utf-8")
    path = data / "v1.yaml"
    path.write_text(
        "format: 1\nnumber: 1\ndate: 2020-01-01\nasked_by: X\naddressed_to: {name: Y}\n"
        "subject: S\nquestions: [{number: 1, paragraphs: [Q]}]\n"
        "answers:\n  - number: 1\n    tables:\n      - id: t\n"
        "        columns: [{key: theme, label: Thema}, {key: n, label: N, type: count}]\n"
        "        rows_file: t.csv\n",
        encoding="utf-8",
    )
    target = tmp_path / "elsewhere" / "v2.yaml"
    upgrade(path, target)
    assert "rows_file: ../data/t.csv" in target.read_text()
    assert figures(load(target)) == figures(load(path))


def test_upgrade_refuses_to_overwrite_without_force(bundled_copy, tmp_path):
    target = tmp_path / "upgraded.yaml"
    target.write_text("keep me", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["upgrade", str(bundled_copy), "-o", str(target)])
    assert refused.exit_code == 1
    assert "exists; pass --force" in refused.stderr
    assert target.read_text() == "keep me"
    forced = runner.invoke(main, ["upgrade", str(bundled_copy), "-o", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert load(target).format == 2


def test_upgrade_default_name_and_a_format_2_dataset(bundled_copy):
    runner = CliRunner()
    result = runner.invoke(main, ["upgrade", str(bundled_copy)])
    assert result.exit_code == 0, result.output
    written = bundled_copy.with_name("kmo-portefeuille-2019-format2.yaml")
    assert result.stdout == f"wrote {written}\n"
    with pytest.raises(UpgradeError, match="is already format 2"):
        upgrade_text(written)
    again = runner.invoke(main, ["upgrade", str(written), "-o", str(written.with_name("x.yaml"))])
    assert again.exit_code == 1 and "is already format 2" in again.stderr


def test_a_bad_dataset_is_not_upgraded(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nnumber: zero\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["upgrade", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ")
    assert not (tmp_path / "bad-format2.yaml").exists()


def test_percent_column_loses_its_unit_and_a_million_unit_becomes_a_multiplier(tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text(
        "format: 1\nnumber: 1\ndate: 2020-01-01\nasked_by: X\naddressed_to: {name: Y}\n"
        "subject: S\nquestions: [{number: 1, paragraphs: [Q]}]\n"
        "answers:\n  - number: 1\n    tables:\n      - id: t\n        columns:\n"
        "          - {key: k, label: Provincie}\n"
        "          - {key: pct, label: Aandeel, type: percent, unit: '%'}\n"
        "          - {key: m, label: Budget, type: amount, unit: EUR million}\n"
        "        rows: [[Limburg, 40.5, 1.25], [Antwerpen, 59.5, 2.50]]\n"
        "        total: {label: Totaal, pct: 100, m: 3.75}\n",
        encoding="utf-8",
    )
    target = tmp_path / "v2.yaml"
    upgrade(path, target)
    text = target.read_text()
    assert "{key: pct, label: Aandeel, kind: percent}" in text
    assert "{key: m, label: Budget, kind: amount, unit: EUR, multiplier: million, decimals: 2}" in (
        text
    )
    old, new = load(path), load(target)
    assert figures(new) == figures(old)
    budget = new.table("t").value_columns[1]
    assert (budget.unit, budget.multiplier, budget.decimals) == ("EUR", 6, 2)


def test_upgraded_bundled_dataset_builds_byte_identical_outputs(bundled_copy, tmp_path):
    # same stem, other folder: the workbook and the brief of both formats are the same bytes
    upgraded = tmp_path / "v2" / bundled_copy.name
    upgrade(bundled_copy, upgraded)
    shutil.copytree(bundled_copy.parent / "sources", upgraded.parent / "sources")
    old = build(bundled_copy, BuildOptions(output_dir=tmp_path / "out1"))
    new = build(upgraded, BuildOptions(output_dir=tmp_path / "out2"))
    assert [f.sha256 for f in new.outputs] == [f.sha256 for f in old.outputs]
    assert [f.path.suffix for f in new.outputs] == [".xlsx", ".docx"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(_LABEL, min_size=1, max_size=12, unique_by=lambda s: s.casefold()))
@example(labels=["0:?"])  # a ':' inside a flow collection: found by Hypothesis
def test_any_label_survives_the_upgrade(labels):
    # Unicode labels, YAML's special words and characters, numbers as text: upgraded as they were
    rows = [(label, i, Decimal(i).scaleb(-2)) for i, label in enumerate(labels)]
    with tempfile.TemporaryDirectory() as folder:
        path = write_dataset(Path(folder) / "v1.yaml", valid_dataset(rows))
        target = Path(folder) / "v2.yaml"
        upgrade(path, target)
        old, new = load(path), load(target)
        assert [r.label for _, t in new.tables for r in t.rows] == labels
        assert figures(new) == figures(old)
