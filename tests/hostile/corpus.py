"""The hostile corpus: datasets built from the valid one by one change each, written to tmp_path.

Each case is (name, change, expected): ``expected`` is None for a dataset that ``check`` must
accept and ``build`` must then build, or a fragment of the one message that refuses it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

Change = Callable[[dict[str, Any]], None]


def theme_table(data: dict[str, Any]) -> dict[str, Any]:
    """The theme table of the valid dataset."""
    return data["answers"][2]["tables"][0]


def _drop_totals(data: dict[str, Any]) -> None:
    theme_table(data).pop("total")


def _row(index: int, **values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        theme_table(data)["rows"][index].update(values)
        _drop_totals(data)

    return change


def _set(path: tuple[Any, ...], value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _second_table(table_id: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        other = copy.deepcopy(theme_table(data))
        other["id"] = table_id
        data["answers"][2]["tables"].append(other)

    return change


def _numbered(number: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["questions"][0]["number"] = number
        data["answers"][0]["number"] = number
        data["key_figures"]["enterprises"]["answer"] = number

    return change


def _level(level: int) -> Change:
    def change(data: dict[str, Any]) -> None:
        theme_table(data)["rows"][1]["level"] = level
        _drop_totals(data)

    return change


def _columns_label(index: int, label: str) -> Change:
    return _set(("answers", 2, "tables", 0, "columns", index, "label"), label)


EMOJI = "\U0001f600"
BIG = Decimal(10) ** 3000

# (name, change, None if accepted else a fragment of the refusal)
CASES: list[tuple[str, Change, str | None]] = [
    # text at and beyond the outputs' limits
    ("subject-200", _set(("subject",), "S" * 200), None),
    ("subject-300", _set(("subject",), "S" * 300), "keeps at most 200"),
    ("asked-by-300", _set(("asked_by",), "A" * 300), None),
    ("title-2000", _set(("addressed_to", "title"), "T" * 2000), None),
    ("emoji-caption", _set(("answers", 2, "tables", 0, "caption"), EMOJI * 40), None),
    ("emoji-column-label", _columns_label(1, EMOJI * 40), None),
    ("emoji-label-column", _columns_label(0, EMOJI * 40), None),
    ("cell-32767-units", _set(("introduction",), [EMOJI * 16_383]), None),
    ("cell-emoji-over-32767", _set(("introduction",), [EMOJI * 16_384]), "UTF-16 units"),
    ("label-emoji-over-32767", _row(0, theme=EMOJI * 20_000), "UTF-16 units"),
    ("table-id-64", _set(("answers", 2, "tables", 0, "id"), "t" * 64), None),
    ("table-id-300", _set(("answers", 2, "tables", 0, "id"), "t" * 300), "keeps at most 64"),
    ("table-ids-in-case", _second_table("THEMES"), "only in case"),
    ("table-ids-distinct", _second_table("themes_2"), None),
    # numbers beyond what Excel computes exactly
    ("amount-29-digits", _row(0, subsidy=Decimal("12345678901234567890123456.789")), "digits"),
    ("amount-1e30", _row(0, subsidy=Decimal("1E+30")), "too large"),
    ("count-1e30", _row(0, projects=Decimal("1E+30")), "too large"),
    ("amounts-1e308-sum", _row(0, subsidy=Decimal("1E+308")), "too large"),
    ("amount-1e400", _row(0, subsidy=Decimal("1E+400")), "too large"),
    ("amount-just-fits", _row(0, subsidy=Decimal("9999000000000.00")), None),
    ("amounts-sum-overflows", _row(0, subsidy=Decimal("9999999999999.99")), "add up to"),
    ("number-of-3000-digits", _numbered(BIG), "larger than 999,999,999"),
    ("dataset-number-3000-digits", _set(("number",), BIG), "larger than 999,999,999"),
    ("year-40-digits", _set(("key_figures", "enterprises", "year"), Decimal(10) ** 40), "larger"),
    (
        "maximum-1e300",
        _set(("key_figures", "usage", "sizes", 0, "maximum"), Decimal("1E+300")),
        "too large",
    ),
    ("level-9", _level(9), None),
    ("level-128", _level(128), "at most 9"),
    ("level-huge", _level(10**30), "at most 9"),
    # dates
    ("date-0202", _set(("date",), "0202-09-24"), "before 1900"),
    ("date-1900", _set(("date",), "1900-01-01"), None),
    (
        "new-maximum-0020",
        _set(("key_figures", "usage", "new_maximum", "since"), "0020-01-01"),
        "before 1900",
    ),
    # text that looks like something else
    (
        "sheet-reference-labels",
        lambda d: (_columns_label(1, "'x'!A1")(d), _columns_label(2, "cmd|' /C calc'!A0")(d)),
        None,
    ),
    (
        "yaml-1-1-numbers-as-labels",
        lambda d: [
            theme_table(d)["rows"][i].update(theme=t)
            for i, t in enumerate(("0x10", "1_000", "+1", "1e3"))
        ],
        None,
    ),
]
