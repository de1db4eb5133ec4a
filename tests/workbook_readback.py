"""Helpers for the workbook tests: building a workbook and reading it back."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any


def build_xlsx(dataset: Path, out: Path, **options: Any) -> Path:
    """Build only the workbook of ``dataset`` through the real build path."""
    from kmo_export.build import BuildOptions, build

    result = build(dataset, BuildOptions(output_dir=out, formats=("xlsx",), **options))
    return result.outputs[0].path


def open_both(path: Path) -> tuple[Any, Any]:
    """The workbook read twice: formulas, and cached values (``data_only``)."""
    import openpyxl

    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def close(a: Any, b: Any, rel: float = 1e-9, cent: bool = False) -> bool:
    """``a`` (a cell value) equals ``b`` (a Decimal computed in the test) to 1e-9 or the cent."""
    if a is None or isinstance(a, str):
        return False
    if cent:
        return abs(Decimal(repr(a)) - Decimal(b)) < Decimal("0.005")
    return abs(float(a) - float(b)) <= rel * max(1.0, abs(float(b)))


def header_row(ws: Any, first: str) -> int:
    """1-based row of the table header whose first cell is ``first``."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first and row[0].row > 1:
            return row[0].row
    raise AssertionError(f"no header {first!r} on {ws.title}")


def headers(ws: Any, row: int) -> dict[str, int]:
    """Header text -> 1-based column."""
    out = {}
    for cell in ws[row]:
        if cell.value is not None:
            out[str(cell.value)] = cell.column
    return out


def zip_text(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def formula_text(value: Any) -> str | None:
    """The formula of a cell value read with openpyxl (an array formula's text too), or None."""
    from openpyxl.worksheet.formula import ArrayFormula

    if isinstance(value, ArrayFormula):
        return str(value.text)
    return value if isinstance(value, str) and value.startswith("=") else None


def same_as_recalculated(original: Path, recalculated: Path) -> int:
    """Assert every formula of ``original`` caches what the engine computed in ``recalculated``;
    return how many formulas were compared."""
    formulas, cached = open_both(original)
    _, theirs = open_both(recalculated)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = formula_text(cell.value)
                if not text:
                    continue
                mine = cached[ws.title][cell.coordinate].value
                got = theirs[ws.title][cell.coordinate].value
                where = (original.stem, ws.title, cell.coordinate, text)
                if isinstance(mine, str):
                    assert got == mine, where
                else:
                    assert close(got, Decimal(repr(mine))), (*where, mine, got)
                checked += 1
    return checked
