"""The analysis: each derived figure only where it means something, with values checked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kmo_export.analysis import ChartKind, DerivedKind, TotalKind, analyse
from kmo_export.checks import half_unit, published_places, ratio_percent, within_rounding
from kmo_export.model import (
    Answer,
    Average,
    CellRef,
    CheckKind,
    Column,
    ColumnGroup,
    ColumnType,
    Dataset,
    DimensionKind,
    Figure,
    FigureCheck,
    NotAvailable,
    Row,
    Table,
    TotalSource,
)

from .builders import model_dataset

LABEL = Column("label", "Label", ColumnType.LABEL)


def dataset(*tables: Table, figures: tuple[Figure, ...] = (), format: int = 2) -> Dataset:
    return model_dataset(Answer(1, ("Antwoord.",), tables), figures=figures, format=format)


def year_series(total: tuple | None = None) -> Table:
    columns = (
        Column("year", "Jaar", ColumnType.LABEL),
        Column("limburg", "# Limburg", ColumnType.COUNT),
        Column("flanders", "# Vlaanderen", ColumnType.COUNT),
        Column("share", "% Limburg", ColumnType.PERCENT, decimals=1, ratio=("limburg", "flanders")),
    )
    rows = [
        Row("2020", (D(10), D(100), D("10.0"))),
        Row("2021", (D(20), D(400), D("5.0"))),
        Row("2022", (D(30), D(300), D("10.5"))),  # 10.0 % in truth: a published error
        Row("2025 (31/10)", (D(60), D(425), D("14.1"))),
    ]
    return Table("per_year", columns, rows, reported_total=total, total_label="Totaal")


def themes() -> Table:
    columns = (
        Column("theme", "Thema", ColumnType.LABEL),
        Column("projects", "Projecten", ColumnType.COUNT),
        Column("subsidy", "Subsidie", ColumnType.AMOUNT, unit="EUR", decimals=2),
    )
    rows = [
        Row("A", (D(5), D("100.10"))),
        Row("B", (D(20), D("50.00"))),
        Row("C", (D(20), D("300.05"))),
        Row("D", (D(1), D("0.00"))),
    ]
    return Table("themes", columns, rows, reported_total=(D(46), D("450.15")))


def test_checks_arithmetic():
    assert published_places(D("9.8")) == 1 and published_places(D("120")) == 0
    assert half_unit(D("9.80")) == D("0.005")
    assert ratio_percent(D(120), D(1225)).quantize(D("0.0001")) == D("9.7959")
    assert ratio_percent(D(1), D(0)) is None
    assert within_rounding(D("9.8"), D(120) * 100 / D(1225))
    assert not within_rounding(D("9.9"), D(120) * 100 / D(1225))
    assert within_rounding(D("100"), D("99.99"), rows=4)


def test_periods_are_inferred_and_never_ranked():
    table = year_series()
    assert table.kind is DimensionKind.PERIOD
    ta = analyse(dataset(table)).table(table)
    kinds = {d.kind for d in ta.derived}
    assert DerivedKind.RANK not in kinds and DerivedKind.SHARE not in kinds
    assert DerivedKind.CUMULATIVE not in kinds
    with pytest.raises(ValueError):
        ta.ranked(0)
    # counts of firms per year do not add up unless declared: no total row made up
    assert ta.additive == (False, False, False)
    assert not ta.has_total_row


def test_change_on_previous_period_skips_a_partial_period():
    table = year_series()
    ta = analyse(dataset(table)).table(table)
    change = next(d for d in ta.derived if d.kind is DerivedKind.CHANGE and d.source == 0)
    pct = next(d for d in ta.derived if d.kind is DerivedKind.CHANGE_PERCENT and d.source == 0)
    assert list(ta.values(change)) == [None, D(10), D(10), None]
    assert list(ta.values(pct)) == [None, D(1), D(10) / D(20), None]
    # a percentage gets no change column (points, not a change of a quantity)
    assert all(d.source != 2 for d in ta.derived if d.kind is DerivedKind.CHANGE)


def test_ratio_total_is_the_ratio_of_the_totals_and_each_row_is_checked():
    table = year_series(total=(D(120), D(1225), D("9.8")))
    ta = analyse(dataset(table)).table(table)
    value, kind = ta.totals[2]
    assert kind is TotalKind.RATIO and value == D(120) * 100 / D(1225)
    assert [c.ok for c in ta.total_checks] == [True]  # 9.8 is 120 / 1225 rounded
    failed = ta.failed_ratio_checks
    assert [(c.row, c.published) for c in failed] == [(2, D("10.5"))]
    ratio = next(d for d in ta.derived if d.kind is DerivedKind.RATIO)
    assert list(ta.values(ratio))[1] == D(20) / D(400)
    assert ta.total_value(ratio) == D(120) / D(1225)


def test_a_published_ratio_total_that_is_a_sum_is_a_finding():
    summed = D("10.0") + D("5.0") + D("10.5") + D("14.1")
    table = year_series(total=(D(120), D(1225), summed))
    ta = analyse(dataset(table)).table(table)
    assert [c.ok for c in ta.total_checks] == [False]


def test_categories_shares_ranks_cumulative_and_top():
    table = themes()
    ta = analyse(dataset(table)).table(table)
    assert ta.additive == (True, True)
    assert ta.sums == (D(46), D("450.15"))
    assert all(c.ok for c in ta.total_checks)
    share = next(d for d in ta.derived if d.kind is DerivedKind.SHARE and d.source == 1)
    assert list(ta.values(share)) == [
        D("100.10") / D("450.15"),
        D("50.00") / D("450.15"),
        D("300.05") / D("450.15"),
        D(0),
    ]
    rank = next(d for d in ta.derived if d.kind is DerivedKind.RANK)
    assert list(ta.values(rank)) == [3, 1, 2, 4]  # ties keep the published order
    cumulative = next(d for d in ta.derived if d.kind is DerivedKind.CUMULATIVE)
    assert list(ta.values(cumulative))[-1] == 1
    top = ta.top(1, 2)
    assert top.rows == (2, 0) and top.rest_count == 2 and top.rest_total == D("50.00")
    # no average unless declared (format 2)
    assert DerivedKind.AVERAGE not in {d.kind for d in ta.derived}


def test_format_1_implies_the_one_average_it_always_meant():
    table = themes()
    ta = analyse(dataset(table, format=1)).table(table)
    average = next(d for d in ta.derived if d.kind is DerivedKind.AVERAGE)
    assert average.definition.measure == "subsidy" and average.definition.denominator == "projects"
    assert list(ta.values(average))[:2] == [D("100.10") / 5, D("50.00") / 20]
    assert ta.total_value(average) == D("450.15") / 46


def test_declared_average_and_non_additive_measure_get_no_rest_bar():
    base = themes()
    table = Table(
        base.id,
        (
            base.columns[0],
            Column("projects", "Projecten", ColumnType.COUNT, additive=False),
            base.columns[2],
        ),
        base.rows,
        averages=(Average("per_project", "Subsidie per project", "subsidy", "projects"),),
    )
    ta = analyse(dataset(table)).table(table)
    assert ta.top(0, 1).rest_total is None  # the others of a non-additive count do not add up
    assert ta.top(1, 1).rest_total == D("150.10")
    assert [d.label for d in ta.derived if d.kind is DerivedKind.AVERAGE] == [
        "Subsidie per project"
    ]
    assert ta.primary == 1  # rankings follow the additive amount


def test_share_of_distribution_summing_to_99_99_is_consistent():
    columns = (
        LABEL,
        Column("n", "Aantal", ColumnType.COUNT),
        Column("pct", "Aandeel", ColumnType.PERCENT, decimals=2, share_of="n"),
    )
    rows = [
        Row("a", (D(1), D("33.33"))),
        Row("b", (D(1), D("33.33"))),
        Row("c", (D(1), D("33.33"))),
    ]
    for published in (D("100.00"), D("99.99")):
        table = Table("t", columns, rows, reported_total=(D(3), published))
        ta = analyse(dataset(table)).table(table)
        assert all(c.ok for c in ta.total_checks), published
        assert not ta.failed_ratio_checks
    table = Table("t", columns, rows, reported_total=(D(3), D("98.00")))
    assert not all(c.ok for c in analyse(dataset(table)).table(table).total_checks)


def test_not_available_and_blank_are_never_computed_with():
    columns = (LABEL, Column("n", "Aantal", ColumnType.COUNT))
    rows = [
        Row("a", (D(4),)),
        Row("b", (NotAvailable("n.v.t."),)),
        Row("c", (None,)),
        Row("d", (D(0),)),
    ]
    table = Table("t", columns, rows)
    assert table.rows[1].values == (NotAvailable("n.v.t."),)
    assert table.rows.has_not_available
    ta = analyse(dataset(table)).table(table)
    # the rows do not show all the total holds: no sum is made, so no share of it either
    assert ta.not_available == (True,) and ta.sums == (None,)
    assert ta.totals == ((None, None),)
    assert DerivedKind.SHARE not in {d.kind for d in ta.derived}
    published = Table("t", columns, rows, reported_total=(D(10),))
    ta = analyse(dataset(published)).table(published)
    assert ta.total_checks == ()  # a published total beside n.v.t. is not checked as a sum
    assert ta.base_total(0) == D(10) and ta.totals == ((D(10), TotalKind.PUBLISHED),)


def test_prose_total_is_a_published_total():
    columns = (
        Column("province", "Provincie", ColumnType.LABEL),
        Column("amount", "Steun", ColumnType.AMOUNT, unit="EUR", decimals=1, multiplier=6),
    )
    rows = [Row("Antwerpen", (D("40.5"),)), Row("Limburg", (D("79.5"),))]
    table = Table(
        "p",
        columns,
        rows,
        reported_total=(D("120.0"),),
        total_source=TotalSource.PROSE,
        total_sentence="In totaal werd 120 miljoen euro steun gegeven.",
    )
    ta = analyse(dataset(table)).table(table)
    assert ta.total_is_prose and ta.totals[0] == (D("120.0"), TotalKind.SUM)
    assert all(c.ok for c in ta.total_checks)


def test_charts_follow_the_meaning():
    period = year_series()
    plans = analyse(dataset(period)).table(period).charts(15)
    assert [p.kind for p in plans] == [ChartKind.COLUMNS]
    assert plans[0].measures == (0, 1) and plans[0].secondary == (2,)
    cats = themes()
    plans = analyse(dataset(cats)).table(cats).charts(2)
    assert [p.kind for p in plans] == [ChartKind.BARS, ChartKind.BARS, ChartKind.PARETO]
    assert plans[0].top.rows == (1, 2)  # 20, 20 (tie: published order), then 5
    groups = Table(
        "g",
        (
            Column("year", "Jaar", ColumnType.LABEL),
            Column("a_n", "#", ColumnType.COUNT, group="OND"),
            Column("a_p", "%", ColumnType.PERCENT, group="OND"),
            Column("b_n", "#", ColumnType.COUNT, group="ICON"),
            Column("b_p", "%", ColumnType.PERCENT, group="ICON"),
        ),
        [Row("2020", (D(1), D(2), D(3), D(4)))],
        groups=(ColumnGroup("OND", ("a_n", "a_p")), ColumnGroup("ICON", ("b_n", "b_p"))),
    )
    plans = analyse(dataset(groups)).table(groups).charts(15)
    assert [(p.kind, p.measures) for p in plans] == [
        (ChartKind.GROUPS, (0, 2)),
        (ChartKind.LINE, (1, 3)),
    ]


def test_stated_figures_are_checked_against_the_answer():
    figures = (
        Figure(
            "submitted",
            1,
            D(1250),
            ColumnType.COUNT,
            "ingediend",
            "1.250 ingediend",
            check=FigureCheck(CheckKind.SUM, figures=("a", "b", "c")),
        ),
        Figure("a", 1, D(40), ColumnType.COUNT, "onontvankelijk"),
        Figure("b", 1, D(160), ColumnType.COUNT, "negatief"),
        Figure("c", 1, D(1051), ColumnType.COUNT, "goedgekeurd"),
        Figure(
            "pct",
            1,
            D("57.4"),
            ColumnType.PERCENT,
            "aandeel",
            check=FigureCheck(CheckKind.CELL, CellRef("per_year", "share", "2020")),
        ),
        Figure(
            "ok",
            1,
            D("10.0"),
            ColumnType.PERCENT,
            "aandeel",
            check=FigureCheck(
                CheckKind.RATIO,
                figures=(
                    CellRef("per_year", "limburg", "2020"),
                    CellRef("per_year", "flanders", "2020"),
                ),
            ),
        ),
    )
    analysis = analyse(dataset(year_series(), figures=figures))
    results = {r.figure.id: r for r in analysis.figures}
    assert results["submitted"].computed == D(1251) and results["submitted"].contradicted
    assert results["pct"].computed == D("10.0") and results["pct"].contradicted
    assert results["ok"].ok is True
    assert results["a"].ok is None
    assert [r.figure.id for r in analysis.contradicted_figures] == ["submitted", "pct"]


def test_bundled_dataset_keeps_its_figures(bundled_dataset):
    ta = analyse(bundled_dataset).table("themes")
    assert ta.kind is DimensionKind.CATEGORY
    assert ta.sums == (D(173053), D("56813023.08"))
    kinds = [d.kind for d in ta.derived]
    assert kinds == [
        DerivedKind.SHARE,
        DerivedKind.SHARE,
        DerivedKind.AVERAGE,
        DerivedKind.CUMULATIVE,
        DerivedKind.RANK,
    ]
    top = ta.top(0, 15)
    assert (
        len(top.rows) == 15
        and top.rest_count == len(bundled_dataset.answers[3].tables[0].rows) - 15
    )


def test_a_blank_cell_leaves_no_sum_in_format_2_and_is_left_out_in_format_1():
    columns = (LABEL, Column("n", "Aantal", ColumnType.COUNT))
    rows = [Row("a", (D(4),)), Row("b", (None,)), Row("c", (D(6),))]
    table = Table("t", columns, rows)
    ta = analyse(dataset(table)).table(table)
    assert ta.incomplete == (True,) and ta.sums == (None,) and not ta.has_total_row
    assert DerivedKind.SHARE not in {d.kind for d in ta.derived} and ta.primary is None
    # format 1 documents a blank cell as left out of every sum, with a note
    ta1 = analyse(dataset(table, format=1)).table(table)
    assert ta1.sums == (D(10),) and ta1.has_total_row


def test_quarters_compare_with_the_same_quarter_a_year_earlier():
    columns = (
        Column("q", "Kwartaal", ColumnType.LABEL),
        Column("n", "Aanvragen", ColumnType.COUNT),
    )
    labels = ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024", "Q1 2025", "Q2 2025", "Q3 2025"]
    table = Table("q", columns, [Row(label, (D(k),)) for k, label in enumerate(labels, 1)])
    ta = analyse(dataset(table)).table(table)
    assert table.kind is DimensionKind.PERIOD
    assert ta.comparable_periods(0) == (2, 6)  # Q3 2025 against Q3 2024, not Q1 2024
    short = Table("s", columns, [Row(label, (D(1),)) for label in labels[:3]])
    assert analyse(dataset(short)).table(short).comparable_periods(0) is None
    years = year_series()
    assert analyse(dataset(years)).table(years).comparable_periods(0) == (0, 2)  # not 2025 (31/10)


@pytest.mark.parametrize(
    ("labels", "kind", "expected"),
    [
        (["Industrie", "Overige sectoren", "Andere", "Onbekend", "Overijse"], None, (1, 2, 3)),
        (["Industry", "Other", "Others (12)", "Not allocated", "Rest"], None, (1, 2, 3, 4)),
        (["Niet ingedeeld", "Overig", "Restauratie", "Niet toe te wijzen"], None, (0, 1, 3)),
        (["2023", "Overige"], DimensionKind.ORDERED, ()),  # only categories gather a rest
    ],
)
def test_rows_that_gather_the_rest_are_found_by_their_label(labels, kind, expected):
    columns = (LABEL, Column("n", "Aantal", ColumnType.COUNT))
    table = Table("t", columns, [Row(x, (D(1),)) for x in labels], dimension=kind)
    assert analyse(dataset(table)).table(table).residual_rows == expected


def test_a_measure_that_goes_below_zero_has_no_shares_ranking_or_pareto():
    columns = (
        LABEL,
        Column("initial", "Initieel", ColumnType.AMOUNT, "EUR", multiplier=3),
        Column("change", "Verschil", ColumnType.NUMBER, "EUR", multiplier=3, additive=True),
    )
    rows = [Row("A", (D(100), D(-20))), Row("B", (D(50), D(5))), Row("C", (D(10), D(30)))]
    table = Table("t", columns, rows, dimension=DimensionKind.CATEGORY)
    ta = analyse(dataset(table)).table(table)
    assert ta.sums == (D(160), D(15))  # it adds up: the change of the total
    assert ta.nonnegative == (True, False)
    shares = [d.source for d in ta.derived if d.kind is DerivedKind.SHARE]
    assert shares == [0]  # -20 / 15 = -133 % of the total change means nothing
    assert ta.primary == 0
    assert not any(1 in plan.measures for plan in ta.charts(15) if plan.kind is ChartKind.PARETO)


def test_rankings_follow_the_measure_the_source_publishes_shares_of():
    columns = (
        LABEL,
        Column("files", "Dossiers", ColumnType.COUNT),
        Column("amount", "Bedrag", ColumnType.AMOUNT, "EUR"),
        Column("pct", "Aandeel", ColumnType.PERCENT, decimals=1, share_of="amount"),
    )
    rows = [Row("A", (D(10), D(100), D("25.0"))), Row("B", (D(30), D(300), D("75.0")))]
    table = Table("t", columns, rows, dimension=DimensionKind.CATEGORY)
    assert analyse(dataset(table)).table(table).primary == 1  # the amount, not the first count
    plain = Table("t", columns[:3], [Row(r.label, r.values[:2]) for r in rows])
    assert analyse(dataset(plain)).table(plain).primary == 0
