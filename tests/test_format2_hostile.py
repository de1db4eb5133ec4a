"""Format-2 datasets with figures the outputs cannot hold or a total 'not available': one clear
problem each, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.cli import main

EXAMPLE = Path(__file__).parent.parent / "data" / "examples" / "year-series-ratio-inconsistent.yaml"
TOTAL = "values: {limburg: 1183, flanders: 12054, share: 9.8}"


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
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(TOTAL, values), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert expected in line and "too large" in line


def test_a_total_not_available_is_shown_not_checked(tmp_path):
    path = tmp_path / "d.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        TOTAL, "values: {limburg: n.v.t., flanders: 12054, share: 9.8}"
    )
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    # the one real inconsistency left (flanders: 12.054 against rows of 12.050)
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "flanders" in errors[0] and "+4" in errors[0]
    assert "internal error" not in result.stderr
