"""Dataset format 2: each feature loads to the right model; the checks report each real
problem once, with the field and the line of the value; key figures are checked as warnings."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.checks import published_places, ratio_percent, within_rounding
from kmo_export.cli import main
from kmo_export.errors import DatasetError, InconsistentTotalsError
from kmo_export.loader import load, read_dataset
from kmo_export.model import (
    CellRef,
    CheckKind,
    ColumnType,
    DimensionKind,
    NotAvailable,
    Table,
    TotalSource,
)
from kmo_export.validate import dataset_warnings, figure_warnings, validate

HEAD = """\
format: 2
number: 12
date: 2025-11-20
asked_by: Jan Peeters
addressed_to: {name: Jo Brouns}
subject: Steun aan ondernemingen
"""


def write(tmp_path: Path, body: str, name: str = "vraag.yaml") -> Path:
    """A format-2 dataset: the common head, then ``body`` (questions, answers, ...)."""
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def one_table(tmp_path: Path, table: str, figures: str = "") -> Path:
    """A dataset with one question and one answer holding ``table`` (YAML, at indent 0)."""
    indented = textwrap.indent(textwrap.dedent(table), " " * 10)
    body = (
        "questions:\n  - {number: 1, paragraphs: [Hoeveel?]}\n"
        "answers:\n  - number: 1\n    content:\n      - text: Zie tabel.\n      - table:\n"
        + indented
        + textwrap.dedent(figures)
    )
    path = tmp_path / "vraag.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    """The 1-based line of ``path`` holding ``fragment`` (the only one)."""
    found = [i for i, t in enumerate(path.read_text().splitlines(), 1) if fragment in t]
    assert len(found) == 1, (fragment, found)
    return found[0]


def problems(path: Path) -> list[str]:
    """The lines of the DatasetError loading ``path`` raises (none: the test fails)."""
    with pytest.raises(DatasetError) as caught:
        load(path)
    return caught.value.lines()


# -- the answer as published ------------------------------------------------------------------


def test_content_interleaved_parts_opening_closing_and_several_numbers(tmp_path):
    path = write(
        tmp_path,
        """\
        opening: [Hierbij mijn antwoord op de vragen 1 tot 3.]
        closing: ["BIJLAGE – Bijlage 1"]
        questions:
          - {number: 1, paragraphs: [Hoeveel?]}
          - {number: 2, paragraphs: [Waar?]}
          - number: 3
            parts:
              - {label: a, paragraphs: [Hoeveel aanvragen?]}
              - {label: b, paragraphs: [Hoeveel goedgekeurd?]}
        answers:
          - number: [1, 2]
            content:
              - text: Eerst dit.
              - table:
                  id: t3a
                  number: 3a
                  columns:
                    - {key: theme, label: Thema}
                    - {key: n, label: Aantal, type: count}
                  rows: [[A, 1], [B, 2]]
              - text: Dan dit.
              - table:
                  id: t3b
                  columns:
                    - {key: theme, label: Thema}
                    - {key: n, label: Aantal, type: count}
                  rows: [[A, 3]]
          - number: 3
            parts:
              - label: a
                content: [{text: Er waren 1.250 aanvragen.}]
              - label: b
                content:
                  - text: Goedgekeurd werden er 1.051.
        """,
    )
    dataset = load(path)
    first, third = dataset.answers
    assert [b if isinstance(b, str) else b.id for b in first.content] == [
        "Eerst dit.",
        "t3a",
        "Dan dit.",
        "t3b",
    ]
    assert (first.number, first.also, first.numbers) == (1, (2,), (1, 2))
    assert [t.id for t in first.tables] == ["t3a", "t3b"]
    assert first.tables[0].number == "3a"
    assert dataset.answer(2) is first
    assert dataset.opening == ("Hierbij mijn antwoord op de vragen 1 tot 3.",)
    assert dataset.closing == ("BIJLAGE – Bijlage 1",)
    assert [(p.label, p.paragraphs) for p in dataset.question(3).parts] == [
        ("a", ("Hoeveel aanvragen?",)),
        ("b", ("Hoeveel goedgekeurd?",)),
    ]
    assert [(p.label, p.content) for p in third.parts] == [
        ("a", ("Er waren 1.250 aanvragen.",)),
        ("b", ("Goedgekeurd werden er 1.051.",)),
    ]
    assert third.paragraphs == ("Er waren 1.250 aanvragen.", "Goedgekeurd werden er 1.051.")
    assert dataset.format == 2


def test_paragraphs_and_tables_still_read_in_format_2(tmp_path):
    path = write(
        tmp_path,
        """\
        questions: [{number: 1, paragraphs: [Hoeveel?]}]
        answers:
          - number: 1
            paragraphs: [Zie tabel.]
            tables:
              - id: t
                columns: [{key: k, label: K}, {key: n, label: N, type: count}]
                rows: [[A, 1]]
        """,
    )
    answer = load(path).answers[0]
    assert [type(b) for b in answer.content] == [str, Table]


def test_table_declares_dimension_measures_groups_derived(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: per_instrument
        number: "2a"
        caption: Steun per instrument
        caption_en: Support per instrument
        dimension: {key: year, label: Jaar, label_en: Year, kind: ordered}
        measures:
          - {key: ond_lim, label: "# Limburg", kind: count, additive: false}
          - {key: ond_tot, label: "# totaal", label_en: "# total", kind: count}
          - {key: ond_pct, label: "% Limburg", kind: percent, ratio: [ond_lim, ond_tot]}
          - {key: amount, label: Steun, kind: amount, multiplier: million}
          - {key: km, label: Afstand, kind: number, unit: km, decimals: 2}
          - {key: share, label: Aandeel, kind: percent, share_of: ond_tot}
        groups:
          - {label: OND, label_en: OND, measures: [ond_lim, ond_tot, ond_pct]}
        derived:
          - {key: per_firm, label: Steun per onderneming, divide: [amount, ond_tot]}
        rows:
          - [2020, 41, 432, 9.5, 12.3, 1.25, 60]
          - [2021, 39, 288, 13.5, 11, 2, 40]
        """,
    )
    table = load(path).table("per_instrument")
    assert table is not None
    assert (table.number, table.caption_en, table.dimension) == (
        "2a",
        "Support per instrument",
        DimensionKind.ORDERED,
    )
    label, lim, tot, pct, amount, km, share = table.columns
    assert (label.key, label.label_en, label.type) == ("year", "Year", ColumnType.LABEL)
    assert lim.additive is False and tot.additive is None
    assert tot.text("en") == "# total" and tot.text("nl") == "# totaal"
    assert pct.ratio == ("ond_lim", "ond_tot") and not table.adds_up(pct)
    assert (amount.type, amount.unit, amount.multiplier, amount.decimals) == (
        ColumnType.AMOUNT,
        None,
        6,
        1,
    )
    assert (km.unit, km.decimals) == ("km", 2)
    assert share.share_of == "ond_tot"
    assert [c.group for c in table.value_columns] == ["OND", "OND", "OND", None, None, None]
    assert [(g.label, g.keys) for g in table.groups] == [("OND", ("ond_lim", "ond_tot", "ond_pct"))]
    (average,) = table.averages
    assert (average.key, average.numerator, average.denominator) == (
        "per_firm",
        "amount",
        "ond_tot",
    )
    assert table.rows[1].values == (
        Decimal(39),
        Decimal(288),
        Decimal("13.5"),
        Decimal(11),
        Decimal(2),
        Decimal(40),
    )


def test_dimension_kind_inferred_from_period_labels(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: year, label: Jaar}
        measures: [{key: n, label: Aantal, kind: count}]
        rows: [[2020, 1], [2021, 2], ["2025 (31/10)", 3]]
        total: {values: {n: 99}}
        """,
    )
    table = load(path).table("t")
    assert table.kind is DimensionKind.PERIOD
    # counts over periods are not declared additive: their total is shown, never checked
    assert not table.adds_up(table.value_columns[0])


def test_not_available_blank_and_zero_are_three_things(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: name, label: Naam}
        measures: [{key: a, label: A, kind: count}, {key: b, label: B, kind: amount}]
        rows:
          - [P, n.v.t., 0]
          - [Q, "", null]
          - {name: R, a: "–"}
          - [S, NVT, x]
        """,
    )
    rows = list(load(path).table("t").rows)
    assert rows[0].values == (NotAvailable("n.v.t."), Decimal(0))
    assert rows[1].values == (None, None)
    assert rows[2].values == (NotAvailable("–"), None)
    assert rows[3].values == (NotAvailable("NVT"), NotAvailable("x"))  # as the source writes it
    assert str(rows[0].values[0]) == "n.v.t."


def test_declared_missing_values_replace_the_defaults(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: name, label: Naam}
        measures: [{key: a, label: A, kind: count}]
        missing_values: ["*"]
        rows:
          - [P, "*"]
          - [Q, n.v.t.]
        """,
    )
    (message,) = problems(path)
    assert f"rows[1].a (line {line_of(path, '[Q, n.v.t.]')})" in message
    assert "must be a number, not 'n.v.t.'" in message


def test_format_1_has_no_not_available(tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text(
        HEAD.replace("format: 2", "format: 1")
        + "questions: [{number: 1, paragraphs: [Q]}]\n"
        + "answers:\n  - number: 1\n    tables:\n      - id: t\n"
        + "        columns: [{key: k, label: K}, {key: n, label: N, type: count}]\n"
        + "        rows: [[A, n.v.t.]]\n",
        encoding="utf-8",
    )
    (message,) = problems(path)
    assert "must be a number, not 'n.v.t.'" in message


def test_prose_total_with_its_sentence(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: provinces
        dimension: {key: province, label: Provincie}
        measures: [{key: amount, label: Steun, kind: amount, unit: EUR, multiplier: million}]
        rows: [[Limburg, 40.5], [Antwerpen, 79.5]]
        total:
          values: {amount: 120}
          stated: prose
          sentence: In totaal werd 120 miljoen euro toegekend.
        """,
    )
    table = load(path).table("provinces")
    assert table.total_source is TotalSource.PROSE
    assert table.total_sentence == "In totaal werd 120 miljoen euro toegekend."
    assert table.reported_total == (Decimal(120),)


def test_the_total_label_and_a_unit_in_english_reach_both_outputs(tmp_path):
    import docx
    import openpyxl

    from kmo_export.build import BuildOptions, build

    path = one_table(
        tmp_path,
        """\
        id: provinces
        dimension: {key: province, label: Provincie, label_en: Province}
        measures:
          - {key: n, label: Projecten, label_en: Projects, kind: count}
          - {key: d, label: Doorlooptijd, label_en: Lead time, kind: number, unit: dagen,
             unit_en: days, what: dagen doorlooptijd, what_en: days of lead time}
        rows: [[Limburg, 40, 12], [Antwerpen, 80, 14]]
        total: {label: Eindtotaal, label_en: Grand total, values: {n: 120}}
        """,
    )
    table = load(path).table("provinces")
    assert (table.total_text("nl"), table.total_text("en")) == ("Eindtotaal", "Grand total")
    assert [table.value_columns[1].unit_text(lang) for lang in ("nl", "en")] == ["dagen", "days"]
    lead = table.value_columns[1]
    assert [lead.what_text(lang) for lang in ("nl", "en")] == [
        "dagen doorlooptijd",
        "days of lead time",
    ]
    out = tmp_path / "out"
    build(path, BuildOptions(output_dir=out, formats=("xlsx", "docx"), language="en"))
    brief = docx.Document(str(out / f"{path.stem}.docx"))
    assert brief.tables[-1].rows[-1].cells[0].text == "Grand total"
    assert brief.tables[-1].rows[0].cells[-1].text == "Lead time (days)"
    labels = {
        c.value
        for ws in openpyxl.load_workbook(out / f"{path.stem}.xlsx")
        for row in ws.iter_rows()
        for c in row
    }
    assert "Grand total" in labels and "Eindtotaal" not in labels
    codes = {
        c.number_format
        for ws in openpyxl.load_workbook(out / f"{path.stem}.xlsx")
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, (int, float))
    }
    assert any('"days"' in code for code in codes) and not any("dagen" in c for c in codes)


def test_prose_total_needs_its_sentence_and_a_table_total_has_none(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: k, label: K}
        measures: [{key: n, label: N, kind: count}]
        rows: [[A, 1]]
        total: {values: {n: 1}, stated: prose}
        """,
    )
    (message,) = problems(path)
    assert "total.sentence" in message and "is missing" in message
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: k, label: K}
        measures: [{key: n, label: N, kind: count}]
        rows: [[A, 1]]
        total: {values: {n: 1}, sentence: Samen 1.}
        """,
    )
    (message,) = problems(path)
    assert "total.sentence" in message and "stated: prose" in message


# -- the checks: each real problem once --------------------------------------------------------

FOUR_RATIOS = """\
id: instruments
dimension: {key: year, label: Jaar}
measures:
  - {key: a_lim, label: "OND # Limburg", kind: count, additive: true}
  - {key: a_tot, label: "OND # totaal", kind: count, additive: true}
  - {key: a_pct, label: "OND % Limburg", kind: percent, ratio: [a_lim, a_tot]}
  - {key: b_lim, label: "ONTW # Limburg", kind: count, additive: true}
  - {key: b_tot, label: "ONTW # totaal", kind: count, additive: true}
  - {key: b_pct, label: "ONTW % Limburg", kind: percent, ratio: [b_lim, b_tot]}
  - {key: c_pct, label: "OND+ONTW % Limburg", kind: percent, ratio: [a_lim, b_tot]}
  - {key: d_pct, label: "ONTW/OND", kind: percent, ratio: [b_lim, a_tot]}
rows:
  - [2020, 41, 432, 9.5, 10, 100, 10.0, 41.0, 2.3]
  - [2021, 39, 400, 9.8, 20, 200, 10.0, 19.5, 5.0]
total:
  label: Totaal
  values:
    a_lim: 83
    a_tot: 832
    a_pct: 10.0
    b_lim: 30
    b_tot: 303
    b_pct: 9.9
    c_pct: 27.4
    d_pct: 3.6
"""


def test_two_wrong_totals_and_four_right_ratio_totals_give_exactly_two_problems(tmp_path):
    # a_lim: 83 (the rows add up to 80); b_tot: 303 (300). Every ratio total is the ratio of
    # the published totals (83 / 832 = 9.98 %, 30 / 303 = 9.90 %, 83 / 303 = 27.39 %,
    # 30 / 832 = 3.61 %), never the sum of the yearly percentages.
    path = one_table(tmp_path, FOUR_RATIOS)
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    lines = caught.value.lines()
    assert len(lines) == 2, lines
    assert lines[0].endswith(
        f"total.values.a_lim (line {line_of(path, 'a_lim: 83')}): reported total 83 of column "
        "'OND # Limburg' differs from the sum of the rows 80 (difference +3)"
    )
    assert f"total.values.b_tot (line {line_of(path, 'b_tot: 303')})" in lines[1]
    assert "(difference +3)" in lines[1]
    # --allow-inconsistent: the same two, as warnings
    dataset = read_dataset(path)
    assert [p.field for p in validate(dataset, allow_inconsistent=True)] == [
        "answers[0].content[1].table.total.values.a_lim",
        "answers[0].content[1].table.total.values.b_tot",
    ]


def test_a_wrong_ratio_is_reported_on_its_row_with_numbers_as_written(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: name, label: Naam}
        measures:
          - {key: part, label: Deel, kind: count}
          - {key: whole, label: Geheel, kind: count}
          - {key: pct, label: Aandeel, kind: percent, decimals: 2, ratio: [part, whole]}
        rows:
          - [A, 5816, 10000, 58.16]
          - [B, 4184, 10000, 41.48]
        """,
    )
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    (message,) = caught.value.lines()
    assert f"rows[1].pct (line {line_of(path, '[B, 4184')})" in message
    assert "'Aandeel' is 41.48 % on row 'B', but 'Deel' / 'Geheel' = 4184 / 10000 = 41.84 %" in (
        message
    )
    assert "41.4800" not in message and "41.840000" not in message


def test_a_ratio_total_is_the_ratio_of_the_totals_never_the_sum(tmp_path):
    # 9,8 % = 120 / 1225; the yearly percentages add up to 29.3
    table = """\
        id: t
        dimension: {key: year, label: Jaar}
        measures:
          - {key: lim, label: "# Limburg", kind: count}
          - {key: tot, label: "# totaal", kind: count}
          - {key: pct, label: "% Limburg", kind: percent, ratio: [lim, tot]}
        rows:
          - [2020, 41, 432, 9.5]
          - [2021, 39, 400, 9.8]
          - [2022, 40, 393, 10.2]
        total: {label: Totaal, values: {lim: 120, tot: 1225, pct: 9.8}}
        """
    assert load(one_table(tmp_path, table)).table("t") is not None
    path = one_table(tmp_path, table.replace("pct: 9.8}", "pct: 9.7}"))
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    (message,) = caught.value.lines()
    assert "total 9.7 % of '% Limburg' is not the ratio of the totals" in message
    assert "120 / 1225 = 9.796 %" in message


def test_ratio_check_allows_half_a_unit_of_the_published_rounding():
    assert within_rounding(Decimal("9.8"), Decimal("9.75"))
    assert within_rounding(Decimal("9.8"), Decimal("9.85"))
    assert not within_rounding(Decimal("9.8"), Decimal("9.8501"))
    assert not within_rounding(Decimal("57.4"), Decimal("57.04"))
    assert within_rounding(Decimal("120"), Decimal("120.5"))
    assert not within_rounding(Decimal("1250"), Decimal("1251"))
    assert published_places(Decimal("9.80")) == 2
    assert published_places(Decimal("1E+2")) == 0
    assert ratio_percent(Decimal(120), Decimal(1225)) == Decimal(12000) / Decimal(1225)
    assert ratio_percent(Decimal(1), Decimal(0)) is None


def test_share_of_rows_and_its_100_percent_total(tmp_path):
    table = """\
        id: t
        dimension: {key: theme, label: Thema}
        measures:
          - {key: n, label: Projecten, kind: count}
          - {key: pct, label: Aandeel, kind: percent, decimals: 2, share_of: n}
        rows: [[A, 1, 33.33], [B, 1, 33.33], [C, 1, 33.33]]
        total: {values: {n: 3, pct: 100}}
        """
    # 99.99 % of rounded shares: each row checked, the total is the whole
    assert load(one_table(tmp_path, table)).table("t") is not None
    # the total as the sum of the rounded rows, but nothing between that and 100 %
    assert load(one_table(tmp_path, table.replace("pct: 100}", "pct: 99.99}"))) is not None
    with pytest.raises(InconsistentTotalsError):
        load(one_table(tmp_path, table.replace("pct: 100}", "pct: 99.98}")))
    path = one_table(tmp_path, table.replace("[C, 1, 33.33]", "[C, 1, 30.33]"))
    with pytest.raises(InconsistentTotalsError) as caught:
        load(path)
    (message,) = caught.value.lines()
    assert "rows[2].pct" in message and "= 1 / 3 = 33.3333 %" in message


def test_additive_totals_are_exact_other_totals_unchecked(tmp_path):
    table = """\
        id: t
        dimension: {key: theme, label: Thema}
        measures:
          - {key: amount, label: Bedrag, kind: amount}
          - {key: firms, label: Ondernemingen, kind: count, additive: false}
          - {key: pct, label: Percentage, kind: percent}
        rows: [[A, 10.10, 5, 40], [B, 20.20, 7, 70]]
        total: {values: {amount: 30.31, firms: 9, pct: 55}}
        """
    with pytest.raises(InconsistentTotalsError) as caught:
        load(one_table(tmp_path, table))
    (message,) = caught.value.lines()
    assert "reported total 30.31 of column 'Bedrag' differs from the sum of the rows 30.30 " in (
        message
    )
    assert "(difference +0.01)" in message


def test_a_total_beside_not_available_cells_is_not_checked_as_a_sum(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: theme, label: Thema}
        measures: [{key: n, label: N, kind: count}]
        rows: [[A, 1], [B, n.v.t.]]
        total: {values: {n: 5}}
        """,
    )
    assert load(path).table("t").reported_total == (Decimal(5),)


def test_ratio_entered_as_fractions_is_one_error(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: year, label: Jaar}
        measures:
          - {key: lim, label: "# Limburg", kind: count}
          - {key: tot, label: "# totaal", kind: count}
          - {key: pct, label: "% Limburg", kind: percent, decimals: 3, ratio: [lim, tot]}
        rows: [[2020, 41, 432, 0.095], [2021, 39, 400, 0.098]]
        """,
    )
    (message,) = problems(path)
    assert f"measures[2] (line {line_of(path, '[2020, 41')})" in message
    assert "look like fractions (0.095 where the ratio is 9.49 %)" in message


def test_plain_percent_that_looks_like_fractions_is_a_warning(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: theme, label: Thema}
        measures: [{key: pct, label: Aandeel, kind: percent, decimals: 3}]
        rows: [[A, 0.812], [B, 0.188]]
        """,
    )
    (warning,) = dataset_warnings(load(path))
    assert "every value of 'Aandeel' is at most 1" in str(warning)


# -- errors name the field and the line of the value ----------------------------------------


def assert_located(path: Path, expected: list[tuple[str, str, str]]) -> None:
    """Each (field, fragment, what) is a problem of ``path`` on the line holding ``fragment``."""
    messages = problems(path)
    for field, fragment, what in expected:
        located = f"{field} (line {line_of(path, fragment)}): {what}"
        assert any(located in m for m in messages), (field, messages)


def test_errors_name_field_and_the_line_of_the_value(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: theme, label: Thema, kind: sorted}
        measures:
          - {key: n, label: N, kind: count}
          - {key: pct, label: P, kind: percent, ratio: [n, missing], unit: EUR}
          - {key: m, label: M, kind: amount, multiplier: millions}
          - {key: q, label: Q, kind: ratio}
        groups:
          - {label: G1, measures: [n, pct]}
          - {label: G2, measures: [pct, nothing]}
        derived:
          - {key: n, label: X, divide: [n, pct]}
        rows:
          - theme: A
            n: 12.5
            pct: 1
            m: 1
        """,
    )
    expected = [
        ("measures[1].unit", "key: pct", "a percentage has no unit or multiplier"),
        ("measures[2].multiplier", "multiplier: millions", "must be one of thousand"),
        ("measures[3].kind", "kind: ratio", "unknown measure kind 'ratio'"),
    ]
    assert_located(path, expected)


def test_errors_in_references_name_field_and_line(tmp_path):
    path = one_table(
        tmp_path,
        """\
        id: t
        dimension: {key: theme, label: Thema, kind: sorted}
        measures:
          - {key: n, label: N, kind: count}
          - {key: pct, label: P, kind: percent, ratio: [n, missing]}
        groups:
          - {label: G1, measures: [n, pct]}
          - {label: G2, measures: [pct, nothing]}
        derived:
          - {key: n, label: X, divide: [n, pct]}
        rows:
          - theme: A
            n: 12.5
            pct: 1
        """,
    )
    expected = [
        ("dimension.kind", "kind: sorted", "unknown kind 'sorted'"),
        ("measures[1].ratio[1]", "ratio: [n, missing]", "names no measure of this table"),
        ("groups[1].measures[0]", "{label: G2", "'pct' is already in group 'G1'"),
        ("groups[1].measures[1]", "{label: G2", "names no measure of this table: 'nothing'"),
        ("derived[0].key", "{key: n, label: X", "'n' is already a column of this table"),
        ("rows[0].n", "n: 12.5", "a count must be a whole number, not 12.5"),
    ]
    assert_located(path, expected)


def test_table_ids_are_unique_ignoring_case(tmp_path):
    path = write(
        tmp_path,
        """\
        questions: [{number: 1, paragraphs: [Q]}]
        answers:
          - number: 1
            content:
              - table:
                  id: Themes
                  dimension: {key: k, label: K}
                  measures: [{key: n, label: N, kind: count}]
                  rows: [[A, 1]]
              - table:
                  id: themes
                  dimension: {key: k, label: K}
                  measures: [{key: n, label: N, kind: count}]
                  rows: [[A, 1]]
        """,
    )
    (message,) = problems(path)
    assert "answers[0].content[1].table.id" in message
    assert "table id 'themes' differs from 'Themes' only in case" in message


def test_format_2_fields_in_a_format_1_file_say_so(tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text(
        HEAD.replace("format: 2", "format: 1")
        + "opening: [Hierbij.]\nquestions: [{number: 1, paragraphs: [Q]}]\n"
        + "answers: [{number: 1, paragraphs: [A]}]\n",
        encoding="utf-8",
    )
    (message,) = problems(path)
    assert "opening (line 7): is a format 2 field: begin the file with `format: 2`" in message


def test_format_1_million_unit_carries_its_multiplier(tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text(
        HEAD.replace("format: 2", "format: 1")
        + "questions: [{number: 1, paragraphs: [Q]}]\n"
        + "answers:\n  - number: 1\n    tables:\n      - id: t\n"
        + "        columns: [{key: k, label: K}, {key: m, label: M, type: amount, "
        + "unit: EUR million}]\n"
        + "        rows: [[A, 1.25]]\n",
        encoding="utf-8",
    )
    column = load(path).table("t").value_columns[0]
    assert (column.multiplier, column.decimals) == (6, 2)
    assert column.unit == "EUR million"  # as written, until the renderers read the multiplier


# -- key figures ---------------------------------------------------------------------------------

FIGURES_TABLE = """\
id: per_year
dimension: {key: year, label: Jaar}
measures:
  - {key: submitted, label: Ingediend, kind: count}
  - {key: approved, label: Goedgekeurd, kind: count}
  - {key: share, label: "% goedgekeurd", kind: percent, decimals: 2, ratio: [approved, submitted]}
  - {key: amount, label: Steun, kind: amount, multiplier: million}
rows:
  - [2022, 1000, 600, 60.00, 10.5]
  - [2023, 1830, 1044, 57.05, 12.0]
"""

FIGURES = """\
figures:
  - id: submitted
    answer: 1
    value: 1250
    kind: count
    what: ingediende aanvragen
    sentence: "In 2023 werden 1.250 aanvragen ingediend: 40 onontvankelijk, 160 negatief, 1.051 goedgekeurd."
    check: {sum: [inadmissible, refused, approved]}
  - {id: inadmissible, answer: 1, value: 40, kind: count, what: onontvankelijk}
  - {id: refused, answer: 1, value: 160, kind: count, what: negatief}
  - {id: approved, answer: 1, value: 1051, kind: count, what: goedgekeurd}
  - id: approved_share
    answer: 1
    value: 57.4
    kind: percent
    what: goedgekeurd
    sentence: "…57,4 % werd goedgekeurd."
    check: {cell: {table: per_year, row: "2023", measure: share}}
  - id: support
    answer: 1
    value: 12000000
    kind: amount
    unit: EUR
    what: steun in 2023
    check: {cell: {table: per_year, row: "2023", measure: amount}}
  - id: ratio_share
    answer: 1
    value: 57.0
    kind: percent
    what: goedgekeurd
    check: {ratio: [{table: per_year, row: "2023", measure: approved}, {table: per_year, row: "2023", measure: submitted}]}
"""


def test_key_figures_load_with_their_checks(tmp_path):
    dataset = load(one_table(tmp_path, FIGURES_TABLE, FIGURES))
    submitted, *_, share, support, ratio = dataset.figures
    assert submitted.check.kind is CheckKind.SUM
    assert submitted.check.figures == ("inadmissible", "refused", "approved")
    assert share.check.cell == CellRef("per_year", "share", "2023")
    assert share.value == Decimal("57.4") and share.kind is ColumnType.PERCENT
    assert ratio.check.kind is CheckKind.RATIO
    assert support.unit == "EUR"


def test_contradicted_key_figures_are_warnings_naming_the_sentence(tmp_path):
    path = one_table(tmp_path, FIGURES_TABLE, FIGURES)
    warnings = figure_warnings(load(path))
    assert [w.field for w in warnings] == ["figures[0].value", "figures[4].value"]
    first, second = (str(w) for w in warnings)
    assert f"figures[0].value (line {line_of(path, 'value: 1250')})" in first
    assert 'is 1250 in "In 2023 werden 1.250 aanvragen ingediend' in first
    assert "40 + 160 + 1051 = 1251" in first
    assert 'is 57.4 in "…57,4 % werd goedgekeurd.", but table per_year[2023, share] = 57.05' in (
        second
    )


def test_agreeing_key_figures_give_no_warning(tmp_path):
    figures = FIGURES.replace("value: 1250", "value: 1251").replace("value: 57.4", "value: 57.1")
    assert figure_warnings(load(one_table(tmp_path, FIGURES_TABLE, figures))) == []


def test_check_prints_warnings_exits_0_and_1_when_strict(tmp_path):
    path = one_table(tmp_path, FIGURES_TABLE, FIGURES)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 2
    assert f"ok {path}" in result.stdout
    strict = runner.invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1


def test_figure_references_must_exist(tmp_path):
    figures = """\
    figures:
      - {id: a, answer: 7, value: 1, what: x, check: {sum: [b, c]}}
      - {id: b, answer: 1, value: 1, what: x, check: {cell: {table: nope, row: "2023", measure: share}}}
      - {id: c, answer: 1, value: 1, what: x, check: {cell: {table: per_year, row: "1999", measure: share}}}
      - {id: d, answer: 1, value: 1, what: x, check: {cell: {table: per_year, row: total, measure: submitted}}}
      - {id: e, answer: 1, value: 1, what: x, check: {ratio: [e, zz]}}
    """
    path = one_table(tmp_path, FIGURES_TABLE, figures)
    messages = problems(path)
    for fragment in (
        "figures[0].answer",
        "refers to answer 7, which does not exist",
        "names no table of this dataset: 'nope'",
        "table 'per_year' has no row '1999'",
        "table 'per_year' publishes no total of 'submitted'",
        "a figure cannot check itself",
        "names no figure: 'zz'",
    ):
        assert any(fragment in m for m in messages), (fragment, messages)
    assert any(f"(line {line_of(path, 'id: c,')})" in m for m in messages)


def test_a_figure_is_checked_only_against_a_cell_of_its_own_kind(tmp_path):
    figures = """\
    figures:
      - {id: a, answer: 1, value: 1.83, kind: amount, unit: EUR, multiplier: million, what: steun,
         check: {cell: {table: per_year, row: "2023", measure: submitted}}}
      - {id: b, answer: 1, value: 57, kind: count, what: goedgekeurd,
         check: {cell: {table: per_year, row: "2023", measure: share}}}
      - {id: c, answer: 1, value: 1044, kind: number, what: goedgekeurd,
         check: {cell: {table: per_year, row: "2023", measure: approved}}}
    """
    path = one_table(tmp_path, FIGURES_TABLE, figures)
    messages = problems(path)
    assert len(messages) == 2, messages  # c: a count declared a number still checks a count
    first, second = messages
    assert "figures[0].check" in first and (
        "the figure is an amount but measure 'submitted' of table 'per_year' is a count" in first
    )
    assert "figures[1].check" in second and "is a percentage" in second


def test_readme_format_2_table_example_loads(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Dataset format 2", 1)[1].split("### A table", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    body = (
        "questions: [{number: 1, paragraphs: [Hoeveel?]}]\n"
        "answers:\n  - number: 1\n    content:\n" + textwrap.indent(example, "      ")
    )
    path = tmp_path / "vraag.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    table = load(path).table("per_year")
    assert table.kind is DimensionKind.PERIOD
    assert [c.group for c in table.value_columns] == [
        "Aantal ondernemingen",
        "Aantal ondernemingen",
        None,
        None,
    ]
    assert table.rows[1].values[1] == NotAvailable("n.v.t.")
    assert table.reported_total == (Decimal(120), Decimal(1225), Decimal("9.8"), None)
    assert table.notes == ("Bron: Agentschap Innoveren & Ondernemen",)


def test_a_subject_too_long_for_the_briefs_title_is_refused_by_check(tmp_path):
    # check and build agree: what check accepts, build writes (Word titles hold 255 characters)
    path = write(
        tmp_path,
        "questions: [{number: 1, paragraphs: [Q]}]\nanswers: [{number: 1, content: [A]}]\n",
    )
    path.write_text(
        path.read_text().replace("subject: Steun aan ondernemingen", "subject: " + "x" * 201)
    )
    (message,) = problems(path)
    assert "subject: is 201 characters long" in message and "at most 200" in message
    path.write_text(path.read_text().replace("x" * 201, "x" * 200))
    assert len(load(path).subject) == 200


def test_table_file_rows_with_not_available_and_the_total_row_of_the_file(tmp_path):
    (tmp_path / "per_year.csv").write_text(
        "Jaar;# Limburg;# totaal;% Limburg\n2020;41;432;9,5\n2021;n.v.t.;400;n.v.t.\n"
        "Totaal;41;832;4,9\n",
        encoding="utf-8",
    )
    path = one_table(
        tmp_path,
        """\
        id: per_year
        dimension: {key: year, label: Jaar}
        measures:
          - {key: lim, label: "# Limburg", kind: count}
          - {key: tot, label: "# totaal", kind: count}
          - {key: pct, label: "% Limburg", kind: percent, ratio: [lim, tot]}
        rows_file: per_year.csv
        total: {label: Totaal Vlaanderen}
        """,
    )
    table = load(path).table("per_year")
    assert [r.values for r in table.rows] == [
        (Decimal(41), Decimal(432), Decimal("9.5")),
        (NotAvailable("n.v.t."), Decimal(400), NotAvailable("n.v.t.")),
    ]
    assert table.total_label == "Totaal Vlaanderen"
    assert table.reported_total == (Decimal(41), Decimal(832), Decimal("4.9"))


def test_validate_guards_references_of_a_model_built_in_code(tmp_path):
    from dataclasses import replace

    dataset = load(one_table(tmp_path, FIGURES_TABLE))
    table = dataset.table("per_year")
    share = replace(table.value_columns[2], ratio=("approved", "nothing"))
    broken = replace(table, columns=(*table.columns[:3], share, *table.columns[4:]))
    answer = replace(dataset.answers[0], content=("Zie tabel.", broken))
    with pytest.raises(DatasetError) as caught:
        validate(replace(dataset, answers=(answer,)))
    (message,) = caught.value.lines()
    assert "measures[2]" in message and "'share' refers to 'nothing'" in message


# -- figures the outputs cannot hold, a total "not available": one clear problem each ------------

INCONSISTENT_EXAMPLE = (
    Path(__file__).parent.parent / "data" / "examples" / "year-series-ratio-inconsistent.yaml"
)
INCONSISTENT_TOTAL = "values: {limburg: 1183, flanders: 12054, share: 9.8}"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("values: {limburg: 1e400, flanders: 12054, share: 9.8}", "total.values.limburg"),
        ("values: {limburg: 1183, flanders: 12054, share: 1e400}", "total.values.share"),
        ("values: {limburg: 1183, flanders: 1e30, share: 9.8}", "total.values.flanders"),
    ],
)
def test_figures_beyond_excel_are_refused_not_reconciled(tmp_path, values, expected):
    path = tmp_path / "d.yaml"
    path.write_text(
        INCONSISTENT_EXAMPLE.read_text(encoding="utf-8").replace(INCONSISTENT_TOTAL, values),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert expected in line and "too large" in line


def test_a_total_not_available_is_shown_not_checked(tmp_path):
    path = tmp_path / "d.yaml"
    text = INCONSISTENT_EXAMPLE.read_text(encoding="utf-8").replace(
        INCONSISTENT_TOTAL, "values: {limburg: n.v.t., flanders: 12054, share: 9.8}"
    )
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    # the one real inconsistency left (flanders: 12.054 against rows of 12.050)
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "flanders" in errors[0] and "+4" in errors[0]
    assert "internal error" not in result.stderr
