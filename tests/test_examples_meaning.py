"""The format-2 examples in data/examples/: each loads, and the model says what each figure means.

These tests read the model only (no output is written). Every expected value is computed here
from the published cells or stated as the example's comment states it, never taken from the
analysis under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kmo_export.cli import main
from kmo_export.errors import InconsistentTotalsError
from kmo_export.loader import load, read_dataset
from kmo_export.model import (
    CheckKind,
    Column,
    ColumnType,
    Dataset,
    DimensionKind,
    NotAvailable,
    Table,
    TotalSource,
    is_number,
)
from kmo_export.validate import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
ALL = sorted(EXAMPLES.glob("*.yaml"))
INCONSISTENT = "year-series-ratio-inconsistent.yaml"
CONSISTENT = [p for p in ALL if p.name != INCONSISTENT]


# The published totals the analysis finds inconsistent with their rows.
def _failed(table):
    from kmo_export.analysis import TableAnalysis

    return list(TableAnalysis(table).failed_total_checks)


@cache
def dataset(name: str) -> Dataset:
    # Each consistent example is loaded (and validated) once per test session.
    return load(EXAMPLES / name)


def table(name: str, table_id: str) -> Table:
    found = dataset(name).table(table_id)
    assert found is not None, f"{name} has no table {table_id}"
    return found


def cells(t: Table, key: str) -> list:
    # The published cells of one measure, top to bottom.
    return list(t.rows.column(t.column_index(key)))


def total(t: Table, key: str):
    # The published (table or prose) total of one measure.
    assert t.reported_total is not None
    return t.reported_total[t.column_index(key)]


def half_unit(column: Column) -> Decimal:
    # Half the last published digit: how far a rounded percentage may lie from its exact value.
    return Decimal(5).scaleb(-column.decimals - 1)


def raw_labels(name: str, table_id: str) -> list[str]:
    # The row labels in file order, read with plain YAML, independently of the loader.
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    for answer in data["answers"]:
        blocks = list(answer.get("content", []))
        for part in answer.get("parts", []):
            blocks += part.get("content", [])
        for block in blocks:
            raw = block.get("table")
            if raw and raw["id"] == table_id:
                key = raw["dimension"]["key"]
                return [str(r[0] if isinstance(r, list) else r[key]) for r in raw["rows"]]
    raise AssertionError(f"{name}: no table {table_id}")


# -- the set of examples -----------------------------------------------------------------


def test_at_least_ten_examples_each_listed_in_the_readme():
    assert len(ALL) >= 10
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    listed = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")}
    assert listed == {p.name for p in ALL}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_example_says_what_it_shows_and_that_its_figures_are_invented(path):
    head = path.read_text(encoding="utf-8").split("\nformat:", 1)[0]
    assert head.startswith("# kmo-export example dataset (format 2)")
    assert "Shows" in head and "invented" in head


@pytest.mark.parametrize("path", CONSISTENT, ids=lambda p: p.stem)
def test_every_consistent_example_loads_as_format_2_without_problems(path):
    ds = dataset(path.name)
    assert ds.format == 2
    found = validate(ds)  # raises on any problem; may return figure-check warnings
    if not ds.figures:
        assert found == []
    answered = {n for a in ds.answers for n in a.numbers}
    assert answered == {q.number for q in ds.questions}


def test_inconsistent_example_has_exactly_the_two_published_totals_that_are_too_high():
    path = EXAMPLES / INCONSISTENT
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    problems = caught.value.problems
    assert len(problems) == 2
    assert sorted("flanders" in (p.field or "") for p in problems) == [False, True]
    assert sorted("limburg" in (p.field or "") for p in problems) == [False, True]
    ds = read_dataset(path)
    assert len(validate(ds, allow_inconsistent=True)) == 2
    t = ds.table("projects_per_year")
    assert t is not None
    # Published 1.183 and 12.054 against rows adding up to 1.180 and 12.050.
    assert {d.column.key: d.difference for d in _failed(t)} == {
        "limburg": Decimal(3),
        "flanders": Decimal(4),
    }
    # The ratio total is no problem: 1.183 / 12.054 and 1.180 / 12.050 both round to 9,8 %.
    share = t.measure("share")
    assert share is not None and not t.adds_up(share)
    for limburg, flanders in ((1183, 12054), (1180, 12050)):
        assert abs(Decimal(limburg) / flanders * 100 - Decimal("9.8")) <= half_unit(share)


# -- meaning common to every example ---------------------------------------------------


def _tables() -> list[tuple[str, str]]:
    out = []
    for path in CONSISTENT:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for answer in data["answers"]:
            blocks = list(answer.get("content", []))
            for part in answer.get("parts", []):
                blocks += part.get("content", [])
            out += [(path.name, b["table"]["id"]) for b in blocks if "table" in b]
    return out


TABLES = _tables()


@pytest.mark.parametrize(("name", "table_id"), TABLES, ids=lambda v: str(v))
def test_no_percentage_or_plain_number_adds_up(name, table_id):
    t = table(name, table_id)
    for column in t.value_columns:
        if column.type in (ColumnType.PERCENT, ColumnType.NUMBER) or column.ratio:
            assert not t.adds_up(column), column.key


@pytest.mark.parametrize(("name", "table_id"), TABLES, ids=lambda v: str(v))
def test_rows_keep_the_published_order(name, table_id):
    assert list(table(name, table_id).rows.labels()) == raw_labels(name, table_id)


@pytest.mark.parametrize(("name", "table_id"), TABLES, ids=lambda v: str(v))
def test_every_published_ratio_agrees_with_its_parts_within_its_rounding(name, table_id):
    t = table(name, table_id)
    for column in t.value_columns:
        if not column.ratio:
            continue
        numerators, denominators = (cells(t, k) for k in column.ratio)
        for value, n, d in zip(cells(t, column.key), numerators, denominators, strict=True):
            assert abs(n / d * 100 - value) <= half_unit(column), (column.key, value)
        if t.reported_total is not None:
            n, d = (total(t, k) for k in column.ratio)
            assert abs(n / d * 100 - total(t, column.key)) <= half_unit(column)


@pytest.mark.parametrize(("name", "table_id"), TABLES, ids=lambda v: str(v))
def test_published_totals_of_additive_measures_are_the_sums_of_the_top_rows(name, table_id):
    t = table(name, table_id)
    if t.reported_total is None:
        return
    for column in t.value_columns:
        published = total(t, column.key)
        if t.adds_up(column) and published is not None:
            top = [r.values[t.column_index(column.key)] for r in t.rows if not r.level]
            assert published == sum(v for v in top if is_number(v)), column.key


@pytest.mark.parametrize(("name", "table_id"), TABLES, ids=lambda v: str(v))
def test_period_tables_never_add_up_what_is_not_declared(name, table_id):
    t = table(name, table_id)
    if t.kind is not DimensionKind.PERIOD:
        return
    for column in t.value_columns:
        if t.adds_up(column):
            assert column.additive is True, column.key


def test_at_least_three_examples_give_english_labels():
    def english(ds: Dataset) -> bool:
        in_tables = any(t.caption_en or any(c.label_en for c in t.columns) for _, t in ds.tables)
        return in_tables or any(f.what_en for f in ds.figures)

    assert sum(english(dataset(p.name)) for p in CONSISTENT) >= 3


# -- what each example shows -----------------------------------------------------------


def test_year_series_counts_do_not_add_up_and_the_total_share_is_the_ratio_of_the_totals():
    t = table("year-series-ratio.yaml", "firms_per_year")
    assert t.kind is DimensionKind.PERIOD
    assert list(t.rows.labels())[-1] == "2025 (31/10)"
    limburg, flanders, share = (t.measure(k) for k in ("limburg", "flanders", "share"))
    assert limburg and flanders and share
    assert not t.adds_up(limburg) and not t.adds_up(flanders) and not t.adds_up(share)
    assert share.ratio == ("limburg", "flanders")
    # Distinct firms over the period: fewer than the sum of the years, and no problem for that.
    assert total(t, "limburg") == 120 < sum(cells(t, "limburg"))
    assert total(t, "flanders") == 1225 < sum(cells(t, "flanders"))
    assert _failed(t) == []
    exact = Decimal(120) / Decimal(1225) * 100
    assert exact.quantize(Decimal("0.1"), ROUND_HALF_UP) == total(t, "share") == Decimal("9.8")
    # The sum of the yearly percentages is no total at all.
    assert sum(cells(t, "share")) > 50
    assert t.caption_text("en") == "Firms supported per year"
    assert flanders.text("en") == "# Flanders" and flanders.text("nl") == "# Vlaanderen"


def test_categories_add_up_and_declare_their_average():
    t = table("categories-additive.yaml", "per_sector")
    assert t.kind is DimensionKind.CATEGORY and len(t.rows) == 10
    projects, subsidy = t.measure("projects"), t.measure("subsidy")
    assert projects and subsidy and t.adds_up(projects) and t.adds_up(subsidy)
    assert subsidy.type is ColumnType.AMOUNT and subsidy.decimals == 2
    assert total(t, "projects") == sum(cells(t, "projects")) == 1936
    assert total(t, "subsidy") == sum(cells(t, "subsidy")) == Decimal("60100672.45")
    assert [(a.key, a.numerator, a.denominator) for a in t.averages] == [
        ("per_project", "subsidy", "projects")
    ]


def test_provinces_in_million_euro_with_the_total_stated_only_in_the_prose():
    ds = dataset("provinces-million-prose-total.yaml")
    t = table("provinces-million-prose-total.yaml", "per_province")
    assert t.kind is DimensionKind.CATEGORY
    assert set(t.rows.labels()) == {
        "Antwerpen",
        "Limburg",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "West-Vlaanderen",
    }
    amount = t.measure("amount")
    assert amount and amount.multiplier == 6 and amount.decimals == 1 and amount.unit == "EUR"
    assert t.total_source is TotalSource.PROSE
    assert t.total_sentence and "137,8 miljoen euro" in t.total_sentence
    answer = ds.answer(1)
    assert answer is not None
    assert any(t.total_sentence in p for p in answer.paragraphs)
    assert total(t, "amount") == sum(cells(t, "amount")) == Decimal("137.8")
    assert total(t, "projects") == sum(cells(t, "projects")) == 1412


def test_two_level_header_groups_each_hold_a_count_pair_and_their_ratio():
    t = table("two-level-header.yaml", "per_instrument")
    assert t.kind is DimensionKind.PERIOD
    assert [g.label for g in t.groups] == ["OND", "ONTW", "ICON"]
    grouped = [k for g in t.groups for k in g.keys]
    assert sorted(grouped) == sorted(c.key for c in t.value_columns)  # each in exactly one
    for group in t.groups:
        lim, tot, pct = group.keys
        ratio = t.measure(pct)
        assert ratio and ratio.ratio == (lim, tot) and not t.adds_up(ratio)
        assert all(t.adds_up(m) for m in (t.measure(lim), t.measure(tot)) if m)
    assert _failed(t) == []
    assert t.groups[0].label_en == "Research (OND)"


def test_pivot_subtotals_are_the_sums_of_their_detail_rows_and_only_level_0_makes_the_total():
    t = table("pivot-subtotals.yaml", "per_sector_pivot")
    assert t.has_hierarchy
    assert [r.label for r in t.rows if r.level == 0] == ["Industrie", "Bouw", "Diensten", "Handel"]
    assert [r.label for r in t.rows if r.level == 1].count("Overige") == 2
    rows = list(t.rows)
    for i, parent in enumerate(rows):
        if parent.level:
            continue
        children = []
        for row in rows[i + 1 :]:
            if not row.level:
                break
            children.append(row)
        for j in range(len(t.value_columns)):
            assert parent.values[j] == sum(c.values[j] for c in children), parent.label
    assert total(t, "files") == 910 and total(t, "subsidy") == Decimal("11934199.00")
    assert sum(cells(t, "files")) == 2 * 910  # adding the detail rows too would double it
    assert _failed(t) == []


def test_wide_table_of_eleven_columns_and_five_kinds_of_measure():
    t = table("wide-11-columns.yaml", "per_municipality")
    assert len(t.columns) == 11
    kinds = {c.key: c.type for c in t.value_columns}
    assert set(kinds.values()) == set(ColumnType) - {ColumnType.LABEL}
    growth, lead, share = (t.measure(k) for k in ("growth_amount", "lead_time", "portfolio_share"))
    assert growth and growth.multiplier == 3 and growth.decimals == 1
    assert lead and lead.unit == "dagen" and not t.adds_up(lead)
    assert share and share.share_of == "portfolio" and not t.adds_up(share)
    # The lead time's total is the published regional average, not a sum of days.
    assert total(t, "lead_time") == 19 != sum(cells(t, "lead_time"))
    portfolio = total(t, "portfolio")
    for value, part in zip(cells(t, "portfolio_share"), cells(t, "portfolio"), strict=True):
        assert abs(part / portfolio * 100 - value) <= half_unit(share)
    assert total(t, "portfolio_share") == 100
    assert _failed(t) == []


def test_blank_zero_and_three_kinds_of_not_available_stay_distinct():
    t = table("blanks-zeros-not-available.yaml", "per_instrument")
    by_label = {
        r.label: dict(zip(("y2022", "y2023", "y2024"), r.values, strict=True)) for r in t.rows
    }
    assert by_label["Transformatiesubsidie"]["y2022"] == NotAvailable("n.v.t.")
    assert by_label["Coronacompensatiepremie"]["y2023"] == Decimal(0)
    assert is_number(by_label["Coronacompensatiepremie"]["y2023"])
    assert by_label["Coronacompensatiepremie"]["y2024"] == NotAvailable("n.v.t.")
    assert by_label["Strategische transformatiesteun"]["y2022"] == NotAvailable("x")
    assert by_label["Innovatiesteun voor starters"]["y2024"] == NotAvailable("–")
    assert by_label["Kmo-investeringssteun"]["y2023"] is None
    assert t.rows.has_not_available and t.has_empty_cells
    assert t.reported_total is None
    # Not-available and blank cells are never computed with; the zero is.
    assert t.computed_total(t.column_index("y2023")) == 40107 + 1788 + 212 + 0 + 7 + 71
    notes = " ".join(t.notes)
    for symbol in ("n.v.t.", "–", "x:", "0:"):
        assert symbol in notes


def test_prose_between_tables_in_published_order_with_opening_parts_and_closing():
    ds = dataset("prose-between-tables.yaml")
    assert ds.opening == ("Hierbij mijn antwoord op de vragen 1 tot 3.",)
    assert any("Bijlage 1" in p for p in ds.closing)
    answer = ds.answer(3)
    assert answer is not None
    assert [type(b).__name__ for b in answer.content] == ["str", "Table", "str", "Table"]
    assert [t.number for t in answer.tables] == ["3a", "3b"]
    question = ds.question(2)
    assert question and [p.label for p in question.parts] == ["a", "b"]
    answer2 = ds.answer(2)
    assert answer2 and [p.label for p in answer2.parts] == ["a", "b"]
    assert all(isinstance(p.content[0], str) for p in answer2.parts)
    sizes = table("prose-between-tables.yaml", "per_size")
    assert sizes.kind is DimensionKind.ORDERED
    instruments = table("prose-between-tables.yaml", "per_instrument")
    assert instruments.kind is DimensionKind.CATEGORY
    # The same projects and euros split two ways.
    assert sizes.reported_total == instruments.reported_total == sizes.computed_totals


def test_figures_without_a_table_one_sum_that_holds_one_that_does_not_and_a_ratio():
    ds = dataset("no-table-figures.yaml")
    assert all(not a.tables for a in ds.answers)
    figures = {f.id: f for f in ds.figures}
    assert len(figures) == 10
    for f in ds.figures:
        answer = ds.answer(f.answer)
        assert answer is not None and f.sentence
        assert any(f.sentence in p for p in answer.paragraphs), f.id
    failing = []
    for f in ds.figures:
        if f.check is not None and f.check.kind is CheckKind.SUM:
            parts = sum(figures[str(i)].value for i in f.check.figures)
            if parts != f.value:
                failing.append((f.id, f.value, parts))
    assert failing == [("submitted_2023", Decimal(1250), Decimal(1251))]
    rate = figures["approval_rate_2024"]
    assert rate.kind is ColumnType.PERCENT and rate.check is not None
    assert rate.check.figures == ("approved_2024", "submitted_2024")
    assert abs(Decimal(1097) / 1320 * 100 - rate.value) <= Decimal("0.05")
    assert figures["submitted_2024"].text("en") == "applications submitted"


def test_shares_that_sum_to_99_99_are_no_inconsistency():
    t = table("shares-99-99.yaml", "per_pillar")
    share = t.measure("share")
    assert share and share.share_of == "applications" and share.decimals == 2
    assert not t.adds_up(share)
    assert sum(cells(t, "share")) == Decimal("99.99")
    assert total(t, "share") == 100
    applications = total(t, "applications")
    assert applications == sum(cells(t, "applications")) == 151354
    for value, part in zip(cells(t, "share"), cells(t, "applications"), strict=True):
        assert (part / applications * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) == value
    assert _failed(t) == []


def test_one_answer_to_two_questions_with_quarters_inferred_as_periods():
    ds = dataset("several-questions-quarterly.yaml")
    answer = ds.answer(1)
    assert answer is not None and answer.numbers == (1, 2) and ds.answer(2) is answer
    t = table("several-questions-quarterly.yaml", "per_quarter")
    assert t.kind is DimensionKind.PERIOD  # not declared: inferred from "Q1 2024" ...
    assert not any(t.adds_up(c) for c in t.value_columns)
    assert t.reported_total is None
    paid = t.measure("paid")
    assert paid and paid.multiplier == 3
    assert t.caption_text("en") == "SME wallet, applications and payments per quarter"


# -- the command line on the examples --------------------------------------------------


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args], prog_name="kmo-export")


def test_check_accepts_every_consistent_example_and_reports_two_problems_for_the_other():
    result = _check(*map(str, CONSISTENT))
    assert result.exit_code == 0, result.output
    result = _check(str(EXAMPLES / INCONSISTENT))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2, result.stderr


def test_check_warns_once_naming_the_sentence_the_other_figures_contradict():
    path = str(EXAMPLES / "no-table-figures.yaml")
    result = _check(path)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1, result.stderr
    assert "In 2023 werden 1.250 aanvragen ingediend" in warnings[0]
    assert _check("--strict", path).exit_code == 1
