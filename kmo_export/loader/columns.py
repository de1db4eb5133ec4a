"""A table's columns: format 1's ``columns``, format 2's ``dimension`` and ``measures``.

Each measure says what it means (kind, unit, multiplier, decimals, additivity, a ratio or a
share); format 2 adds column groups (a two-level header) and declared averages. What a cell of
each column may hold is decided here too (:func:`_cell`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import MULTIPLIERS, Average, Cell, Column, ColumnGroup, ColumnType, NotAvailable
from .fields import MISSING, _kind, _quote, _Reader

#: What a format-1 `columns` entry may say.
COLUMN_FIELDS = {"key", "label", "type", "unit", "decimals"}
#: What a format-2 measure (or a format-2 `columns` entry) may say besides.
MEASURE_FIELDS = {
    "key",
    "label",
    "label_en",
    "kind",
    "unit",
    "unit_en",
    "what",
    "what_en",
    "multiplier",
    "decimals",
    "additive",
    "ratio",
    "share_of",
}
#: The kinds a measure (or a figure) may be: every column type but the label.
MEASURE_KINDS = [t.value for t in ColumnType if t is not ColumnType.LABEL]
#: Scale words a format-1 unit may end in (`EUR million`): the unit multiplier they mean.
_SCALE_WORDS = {
    "thousand": 3,
    "duizend": 3,
    "k": 3,
    "million": 6,
    "miljoen": 6,
    "mln": 6,
    "billion": 9,
    "miljard": 9,
}


def _columns(r: _Reader, raw: dict[str, Any], path: str) -> tuple[Column, ...]:
    # `columns:` (format 1, or format 2 without measures): the label column, then the measures.
    out: list[Column] = []
    for i, col in enumerate(r.seq(raw, "columns", path)):
        where = f"{path}.columns[{i}]"
        if r.mapping(col, where) is None:
            return ()
        if i == 0:
            r.unknown(col, COLUMN_FIELDS | ({"label_en"} if r.version == 2 else set()), where)
            key = r.key(col, "key", where)
            type_text = r.text(col, "type", where, required=False) or "label"
            if type_text != "label":
                types = [t.value for t in ColumnType]
                misplaced = type_text in types
                _bad_type(r, f"{where}.type", "column type", type_text, types, misplaced)
                return ()
            out.append(
                Column(
                    key,
                    r.text(col, "label", where) or key,
                    ColumnType.LABEL,
                    r.text(col, "unit", where, required=False),
                    label_en=r.text(col, "label_en", where, required=False)
                    if r.version == 2
                    else None,
                )
            )
            continue
        column = _measure(r, col, where, "type")
        if column is None:
            return ()
        out.append(column)
    return _unique_keys(r, out, f"{path}.columns")


def _dimension_and_measures(r: _Reader, raw: dict[str, Any], path: str) -> tuple[Column, ...]:
    # Format 2: the row dimension and the measures, each with what it means.
    dim = r.get(raw, "dimension", path)
    where = f"{path}.dimension"
    out: list[Column] = []
    if dim is not MISSING and r.mapping(dim, where) is not None:
        r.unknown(dim, {"key", "label", "label_en", "kind"}, where)
        key = r.key(dim, "key", where)
        out.append(
            Column(
                key,
                r.text(dim, "label", where, required=False) or key,
                ColumnType.LABEL,
                label_en=r.text(dim, "label_en", where, required=False),
            )
        )
    else:
        return ()
    measures = r.seq(raw, "measures", path)
    if "measures" in raw and not measures and isinstance(raw["measures"], list):
        r.problem(f"{path}.measures", "is empty: a table needs at least one measure")
    for i, col in enumerate(measures):
        column = _measure(r, col, f"{path}.measures[{i}]", "kind")
        if column is None:
            return ()
        out.append(column)
    return _unique_keys(r, out, f"{path}.measures")


def _unique_keys(r: _Reader, columns: list[Column], where: str) -> tuple[Column, ...]:
    # Column keys are unique in a table; a table has a label column and a numeric one.
    keys = [c.key for c in columns]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        r.problem(where, f"column key {key!r} appears twice")
    if columns and len(columns) < 2:
        r.problem(where, "a table needs a label column and at least one numeric column")
        return ()
    return tuple(columns)


def _measure(r: _Reader, col: Any, where: str, kind_field: str) -> Column | None:
    # One measure: its kind, unit, multiplier, decimals, additivity, ratio or share.
    if r.mapping(col, where) is None:
        return None
    v2 = r.version == 2
    allowed = (
        MEASURE_FIELDS
        if kind_field == "kind"
        else COLUMN_FIELDS | (MEASURE_FIELDS - {"kind"} if v2 else set())
    )
    r.unknown(col, allowed, where, MEASURE_FIELDS)
    key = r.key(col, "key", where)
    label = r.text(col, "label", where, required=kind_field == "type") or key
    type_text = r.text(col, kind_field, where, required=False) or "number"
    if type_text not in MEASURE_KINDS:
        noun = "column type" if kind_field == "type" else "measure kind"
        misplaced = kind_field == "type" and type_text == "label"
        _bad_type(r, f"{where}.{kind_field}", noun, type_text, MEASURE_KINDS, misplaced)
        return None
    kind = ColumnType(type_text)
    unit = r.text(col, "unit", where, required=False)
    multiplier = 0
    if unit is not None:
        scaled, multiplier = _split_scale(unit)
        if v2:  # format 1 keeps the unit as written until the renderers read the multiplier
            unit = scaled
    named = _multiplier(r, col, where, required=True) if "multiplier" in col else None
    if named is not None:
        name, power = named
        if multiplier and multiplier != power:
            r.problem(f"{where}.multiplier", f"{name!r} contradicts the unit")
        else:
            multiplier = power
    if kind is ColumnType.PERCENT and v2 and (unit is not None or multiplier):
        r.problem(f"{where}.unit", "a percentage has no unit or multiplier")
    default_decimals = (
        (1 if multiplier else 2)
        if kind is ColumnType.AMOUNT
        else 1
        if kind is ColumnType.PERCENT
        else 0
    )
    if not v2 and kind is ColumnType.AMOUNT:
        default_decimals = 2
    decimals = r.integer(col, "decimals", where, required=False)
    decimals = default_decimals if decimals is None else decimals
    if kind is ColumnType.COUNT and decimals:
        r.problem(f"{where}.decimals", "a count has no decimals")
    additive = None
    if "additive" in col:
        if not isinstance(col["additive"], bool):
            r.problem(f"{where}.additive", f"must be true or false, not {_kind(col['additive'])}")
        elif col["additive"] and kind is ColumnType.PERCENT:
            r.problem(f"{where}.additive", "a percentage never adds up across rows")
        else:
            additive = col["additive"]
    ratio = None
    if "ratio" in col:
        value = col["ratio"]
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
        ):
            r.problem(
                f"{where}.ratio",
                "must be [numerator, denominator]: two measure keys of this table",
            )
        elif kind not in (ColumnType.PERCENT, ColumnType.NUMBER):
            r.problem(f"{where}.ratio", f"a {kind.value} is no ratio (kind: percent or number)")
        else:
            ratio = (value[0], value[1])
    share_of = r.text(col, "share_of", where, required=False)
    if share_of is not None and kind is not ColumnType.PERCENT:
        r.problem(f"{where}.share_of", "a share is a percentage (kind: percent)")
        share_of = None
    if share_of is not None and ratio is not None:
        r.problem(f"{where}.share_of", "give ratio or share_of, not both")
    return Column(
        key,
        label,
        kind,
        unit,
        min(decimals, 10),
        label_en=r.text(col, "label_en", where, required=False),
        unit_en=r.text(col, "unit_en", where, required=False) if v2 else None,
        what=r.text(col, "what", where, required=False) if v2 else None,
        what_en=r.text(col, "what_en", where, required=False) if v2 else None,
        multiplier=multiplier,
        additive=additive,
        ratio=ratio,
        share_of=share_of,
    )


def _bad_type(
    r: _Reader, where: str, noun: str, text: str, expected: list[str], misplaced: bool
) -> None:
    # A column's type that does not fit: the label type out of its place, or an unknown one.
    if misplaced:
        r.problem(where, "the first column, and only the first, is the label column (type: label)")
    else:
        r.problem(where, f"unknown {noun} {text!r} (expected one of: {', '.join(expected)})")


def _multiplier(
    r: _Reader, raw: dict[str, Any], path: str, required: bool
) -> tuple[str, int] | None:
    # `multiplier:` as written and as a power of ten (million -> 6); None if absent or unknown.
    name = r.text(raw, "multiplier", path, required=required)
    if name is None:
        return None
    if name.lower() not in MULTIPLIERS:
        r.problem(f"{path}.multiplier", f"must be one of {', '.join(MULTIPLIERS)}, not {name!r}")
        return None
    return name, MULTIPLIERS[name.lower()]


def _split_scale(unit: str) -> tuple[str | None, int]:
    # "EUR million" -> ("EUR", 6); a unit without a scale word is kept as written.
    words = unit.split()
    if len(words) >= 2 and words[-1].lower().rstrip(".") in _SCALE_WORDS:
        return " ".join(words[:-1]), _SCALE_WORDS[words[-1].lower().rstrip(".")]
    if len(words) >= 2 and words[0].lower().rstrip(".") in _SCALE_WORDS:
        return " ".join(words[1:]), _SCALE_WORDS[words[0].lower().rstrip(".")]
    return unit, 0


def _measure_references(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> None:
    # A ratio or share_of names measures of the same table (never itself, never the label).
    keys = {c.key for c in columns[1:]}
    field = "measures" if "measures" in raw else "columns"
    offset = 0 if field == "measures" else 1
    for i, column in enumerate(columns[1:]):
        where = f"{path}.{field}[{i + offset}]"
        for name, refs in (("ratio", column.ratio or ()), ("share_of", (column.share_of,))):
            for k, ref in enumerate(x for x in refs if x is not None):
                at = f"{where}.{name}" + (f"[{k}]" if name == "ratio" else "")
                if ref not in keys:
                    r.problem(at, f"names no measure of this table: {ref!r}")
                elif ref == column.key:
                    r.problem(at, "names the measure itself")


def _groups(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> tuple[ColumnGroup, ...]:
    # Column groups of a two-level header; each measure in at most one group.
    keys = {c.key for c in columns[1:]}
    seen: dict[str, str] = {}
    out = []
    for where, group in r.entries(raw, "groups", path, required=False):
        r.unknown(group, {"label", "label_en", "measures"}, where)
        label = r.text(group, "label", where) or ""
        members = []
        for k, key in enumerate(r.seq(group, "measures", where)):
            at = f"{where}.measures[{k}]"
            if not isinstance(key, str) or key not in keys:
                r.problem(at, f"names no measure of this table: {_quote(key)}")
            elif key in seen:
                r.problem(at, f"{key!r} is already in group {seen[key]!r}")
            else:
                seen[key] = label
                members.append(key)
        out.append(
            ColumnGroup(label, tuple(members), r.text(group, "label_en", where, required=False))
        )
    return tuple(out)


def _derived(
    r: _Reader, raw: dict[str, Any], path: str, columns: tuple[Column, ...]
) -> tuple[Average, ...]:
    # Declared averages: one measure divided by another, per row.
    keys = {c.key for c in columns}
    out = []
    for where, item in r.entries(raw, "derived", path, required=False):
        r.unknown(item, {"key", "label", "label_en", "divide", "decimals"}, where)
        key = r.text(item, "key", where) or ""
        if r.valid_key(key, f"{where}.key") and key in keys:
            r.problem(f"{where}.key", f"{key!r} is already a column of this table")
        keys.add(key)
        divide = r.seq(item, "divide", where)
        measures = {c.key for c in columns[1:]}
        if len(divide) != 2 or not all(isinstance(d, str) and d in measures for d in divide):
            r.problem(
                f"{where}.divide",
                "must be [numerator, denominator]: two measure keys of this table",
            )
            continue
        decimals = r.integer(item, "decimals", where, required=False)
        out.append(
            Average(
                key,
                r.text(item, "label", where, required=False) or "",  # none: the outputs' words
                divide[0],
                divide[1],
                r.text(item, "label_en", where, required=False),
                2 if decimals is None else min(decimals, 10),
            )
        )
    return tuple(out)


def _cell(r: _Reader, value: Any, column: Column, where: str, line: int | None) -> Cell:
    # One cell: empty (None), 'not available', or a number that suits its column.
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and r.missing:
        symbol = value.strip()
        if symbol.casefold() in r.missing:
            return NotAvailable(symbol)
    number = r.number(value, where, line)
    if number is None:
        return None
    if column.type is ColumnType.COUNT:
        if r.thousands_separator(number, where, 0, line):
            return None
        if number != number.to_integral_value():
            r.problem(where, f"a count must be a whole number, not {number}", line)
            return None
        if number < 0:
            r.problem(where, f"a count must not be negative, not {number}", line)
            return None
        return Decimal(int(number))
    if column.type is ColumnType.AMOUNT:
        return r.check_amount(number, where, column.decimals, line)
    return r.check_amount(number, where, column.decimals + 4, line, allow_negative=True)
