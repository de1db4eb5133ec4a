"""Key figures: format 1's ``key_figures`` (enterprises, usage by company size) and format 2's
``figures`` (numbers stated in the text, each optionally checked against a cell or other
figures).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..model import (
    CellRef,
    CheckKind,
    ColumnType,
    CompanySizeUsage,
    Enterprises,
    Figure,
    FigureCheck,
    KeyFigures,
    NewMaximum,
    Usage,
)
from .columns import MEASURE_KINDS, _multiplier, _split_scale
from .fields import MISSING, _Reader


def _key_figures(r: _Reader, data: dict[str, Any]) -> KeyFigures:
    # Format 1: `key_figures:` (enterprises, and usage per company size).
    raw = r.section(data, "key_figures", "")
    if raw is None:
        return KeyFigures()
    r.unknown(raw, {"enterprises", "usage"}, "key_figures")
    enterprises = None
    ent = r.section(raw, "enterprises", "key_figures")
    if ent is not None:
        p = "key_figures.enterprises"
        r.unknown(ent, {"answer", "year", "count"}, p)
        enterprises = Enterprises(
            answer=r.integer(ent, "answer", p, minimum=1) or 0,
            year=r.integer(ent, "year", p, minimum=1900) or 0,
            count=r.integer(ent, "count", p) or 0,
        )
    usage = None
    use = r.section(raw, "usage", "key_figures")
    if use is not None:
        p = "key_figures.usage"
        r.unknown(use, {"answer", "year", "sizes", "new_maximum"}, p)
        sizes = []
        for sp, size in r.entries(use, "sizes", p):
            r.unknown(
                size, {"key", "label", "maximum", "average_granted", "stated_use_percent"}, sp
            )
            sizes.append(
                CompanySizeUsage(
                    key=r.text(size, "key", sp) or "",
                    label=r.text(size, "label", sp) or "",
                    maximum=r.decimal(size, "maximum", sp, positive=True) or Decimal(1),
                    average_granted=r.decimal(size, "average_granted", sp) or Decimal(0),
                    stated_use_percent=r.decimal(
                        size, "stated_use_percent", sp, decimals=4, required=False
                    ),
                )
            )
        new_max = None
        nm = r.section(use, "new_maximum", p)
        if nm is not None:
            r.unknown(nm, {"since", "amount"}, f"{p}.new_maximum")
            new_max = NewMaximum(
                since=r.date(nm, "since", f"{p}.new_maximum") or dt.date(1970, 1, 1),
                amount=r.decimal(nm, "amount", f"{p}.new_maximum", positive=True) or Decimal(0),
            )
        usage = Usage(
            answer=r.integer(use, "answer", p, minimum=1) or 0,
            year=r.integer(use, "year", p, minimum=1900) or 0,
            sizes=tuple(sizes),
            new_maximum=new_max,
        )
    return KeyFigures(enterprises, usage)


#: What a format-2 figure may say.
FIGURE_FIELDS = {
    "id",
    "answer",
    "value",
    "kind",
    "what",
    "what_en",
    "period",
    "sentence",
    "unit",
    "multiplier",
    "check",
}


def _figures(r: _Reader, data: dict[str, Any]) -> list[Figure]:
    # Key figures stated in the text, each optionally tied to a cell or other figures.
    out = []
    for path, raw in r.entries(data, "figures", "", required=False):
        r.unknown(raw, FIGURE_FIELDS, path)
        figure_id = r.key(raw, "id", path)
        kind_text = r.text(raw, "kind", path, required=False) or "number"
        if kind_text not in MEASURE_KINDS:
            r.problem(
                f"{path}.kind",
                f"unknown kind {kind_text!r} (expected one of: {', '.join(MEASURE_KINDS)})",
            )
            kind_text = "number"
        value = r.get(raw, "value", path)
        number = None if value is MISSING else r.number(value, f"{path}.value")
        named = _multiplier(r, raw, path, required=False)
        multiplier = named[1] if named is not None else 0
        unit = r.text(raw, "unit", path, required=False)
        if unit is not None and not multiplier:
            unit, multiplier = _split_scale(unit)
        out.append(
            Figure(
                id=figure_id,
                answer=r.integer(raw, "answer", path, minimum=1) or 0,
                value=number if number is not None else Decimal(0),
                kind=ColumnType(kind_text),
                what=r.text(raw, "what", path) or "",
                sentence=r.text(raw, "sentence", path, required=False),
                what_en=r.text(raw, "what_en", path, required=False),
                period=r.text(raw, "period", path, required=False),
                unit=unit,
                multiplier=multiplier,
                check=_figure_check(r, raw, path),
                line=r.line(f"{path}.value"),
            )
        )
    return out


def _figure_check(r: _Reader, raw: dict[str, Any], path: str) -> FigureCheck | None:
    # `check: {cell: {...}}`, `{sum: [ids]}` or `{ratio: [a, b]}` (ids or cells).
    check = r.section(raw, "check", path)
    where = f"{path}.check"
    if check is None:
        return None
    if len(check) != 1 or next(iter(check)) not in ("cell", "sum", "ratio"):
        r.problem(where, "must hold one of cell, sum or ratio")
        return None
    kind = CheckKind(next(iter(check)))
    if kind is CheckKind.CELL:
        cell = _cell_ref(r, check["cell"], f"{where}.cell")
        return FigureCheck(kind, cell=cell, line=r.line(where)) if cell is not None else None
    items = r.seq(check, kind.value, where)
    refs: list[str | CellRef] = []
    for k, item in enumerate(items):
        at = f"{where}.{kind.value}[{k}]"
        if isinstance(item, str):
            refs.append(item)
        elif kind is CheckKind.RATIO and isinstance(item, dict):
            ref = _cell_ref(r, item, at)
            if ref is not None:
                refs.append(ref)
        else:
            r.problem(at, f"must be a figure id{' or a cell' if kind is CheckKind.RATIO else ''}")
    if kind is CheckKind.SUM and len(items) < 2:
        r.problem(f"{where}.sum", "needs at least two figure ids")
        return None
    if kind is CheckKind.RATIO and len(items) != 2:
        r.problem(f"{where}.ratio", "must be [numerator, denominator]")
        return None
    if len(refs) != len(items):
        return None
    return FigureCheck(kind, figures=tuple(refs), line=r.line(where))


def _cell_ref(r: _Reader, raw: Any, where: str) -> CellRef | None:
    # {table, row (a label, or `total`), measure}
    if r.mapping(raw, where) is None:
        return None
    r.unknown(raw, {"table", "row", "measure"}, where)
    table = r.text(raw, "table", where)
    measure = r.text(raw, "measure", where)
    row = r.text(raw, "row", where)
    if table is None or measure is None or row is None:
        return None
    return CellRef(table, measure, None if row.casefold() == "total" else row)
