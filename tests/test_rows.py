"""Rows: the compact table storage gives back exactly what was put in, and the checks on it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kmo_export.model import Column, ColumnType, Row, Rows, Table
from kmo_export.validate import _repeated

D = Decimal
COLUMNS = (
    Column("theme", "Thema", ColumnType.LABEL),
    Column("projects", "Projecten", ColumnType.COUNT),
    Column("subsidy", "Subsidie", ColumnType.AMOUNT, "EUR", 2),
    Column("share", "Aandeel", ColumnType.PERCENT, None, 1),
)


def table(rows: list[Row]) -> Table:
    return Table("t", COLUMNS, rows)  # type: ignore[arg-type]


def test_rows_read_back_as_given():
    given_rows = [
        Row("Gezondheidszorg", (D(24252), D("7029304.65"), D("12.5")), 0, 54),
        Row("Leeg", (None, D("0.10"), None), 0, 55),
        Row("Detail", (D(3), None, D("-0.25")), 1, None),
    ]
    rows = table(given_rows).rows
    assert isinstance(rows, Rows)
    assert len(rows) == 3
    assert list(rows) == given_rows
    assert rows[1] == given_rows[1] and rows[-1] == given_rows[-1]
    assert rows[:2] == tuple(given_rows[:2])
    assert rows == given_rows and rows == tuple(given_rows)
    assert list(rows.column(1)) == [D("7029304.65"), D("0.10"), None]
    assert list(rows.labels()) == ["Gezondheidszorg", "Leeg", "Detail"]
    assert list(rows.levels()) == [0, 0, 1]
    assert rows[2].line is None and rows[0].line == 54
    with pytest.raises(IndexError):
        rows[3]


def test_totals_are_exact_and_skip_empty_cells_and_detail_rows():
    t = table(
        [
            Row("a", (D(1), D("0.01"), None)),
            Row("a1", (D(1), D("0.01"), None), 1),
            Row("b", (None, D("56813023.07"), None)),
        ]
    )
    assert t.has_hierarchy
    assert [r.label for r in t.top_rows] == ["a", "b"]
    assert t.computed_totals == (D(1), D("56813023.08"), None)
    assert t.has_empty_cells


def test_a_value_that_does_not_fit_keeps_its_column_as_decimals():
    # A percent column with 1 decimal is stored scaled by 10**5; 15 digits scaled so pass 2**63:
    # the whole column falls back to Decimals, exactly.
    big = D("123456789012345")  # x 10**5 = 1.2e19 > 2**63 = 9.2e18
    rows = table([Row("x", (D(1), D(1), D("1.5"))), Row("y", (D(2), D(2), big))]).rows
    assert list(rows.column(2)) == [D("1.5"), big]
    assert isinstance(rows._columns[2], list) and not isinstance(rows._columns[1], list)
    assert rows.total(2) == big + D("1.5")
    more = table([Row("x", (D(1), D("0.001"), D(0)))]).rows  # more decimals than the scale
    assert list(more.column(1)) == [D("0.001")]


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=8),
            st.one_of(st.none(), st.integers(0, 10**15 - 1)),
            st.one_of(st.none(), st.decimals(0, 10**13, places=2)),
            st.one_of(st.none(), st.decimals(-1000, 1000, places=3)),
        ),
        max_size=30,
    )
)
def test_any_rows_round_trip(cells):
    given_rows = [
        Row(label, (None if p is None else D(p), s, share)) for label, p, s, share in cells
    ]
    t = table(given_rows)
    assert list(t.rows) == given_rows
    for j in range(3):
        present = [r.values[j] for r in given_rows if r.values[j] is not None]
        assert t.rows.total(j) == (sum(present, D(0)) if present else None)


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "é", "É", ""]), max_size=40))
def test_repeated_finds_exactly_the_later_copies(keys):
    expected = [i for i, k in enumerate(keys) if k in keys[:i]]
    assert _repeated(lambda: iter(keys), len(keys)) == expected


def test_repeated_survives_hash_collisions():
    class Clash:
        def __init__(self, name: str) -> None:
            self.name = name

        def __hash__(self) -> int:
            return 42

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Clash) and other.name == self.name

    keys = [Clash("a"), Clash("b"), Clash("a"), Clash("c"), Clash("b")]
    assert _repeated(lambda: iter(keys), len(keys)) == [2, 4]
