"""A dataset's YAML as plain values, with the line of every field.

Decisions (README, "Dataset format"):

* Numbers are never floats: an int or float scalar becomes a Decimal.
* Text stays as written: a plain scalar that YAML 1.1 reads as a number (``0x10``, ``1_000``,
  ``+1``, ``1e3``) keeps its written form where a text is expected (a label, an id), as
  :class:`WrittenNumber`, a Decimal that remembers it. Only ``true`` and ``false`` are
  booleans (the YAML 1.2 core schema); ``yes``, ``no``, ``on``, ``off`` are text.
* Line numbers count only LF, CRLF and CR line ends, as editors do: a U+2028, U+2029 or
  U+0085 inside a string (which YAML 1.1 counts as a line break) does not shift them.
* Aliases (``*name``) are allowed, but what they expand to is bounded
  (:data:`MAX_ALIAS_NODES`): a "billion laughs" document is refused, not expanded.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import DatasetError, Problem

#: The most values that aliases may add to a dataset by repeating what they name.
MAX_ALIAS_NODES = 100_000
# YAML 1.2 core booleans; YAML 1.1's yes/no/on/off/y/n stay text.
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}


class WrittenNumber(Decimal):
    """A number as YAML read it, with the text it was written as (``0x10`` is 16)."""

    written: str

    def __new__(cls, value: Any, written: str) -> WrittenNumber:
        number = super().__new__(cls, value)
        number.written = written
        return number


def written_text(value: Any) -> Any:
    """The text a number was written as, where it stands for a text; other values as they are."""
    return value.written if isinstance(value, WrittenNumber) else value


def parse_yaml(text: str, file: str) -> tuple[Any, dict[str, int]]:
    """``text`` as plain values (dict, list, str, Decimal, bool, None) and the line of every
    field path (``answers[3].tables[0].rows[2]``); DatasetError naming the line."""
    import yaml

    breaks = [m.start() for m in re.finditer("\n", text)]

    def line_of(mark: Any) -> int:
        return bisect_right(breaks, mark.index - 1) + 1

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_class)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = line_of(mark) if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DatasetError.single(file, f"invalid YAML: {what}", line=line) from None
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    seen: set[int] = set()
    repeated = 0

    def convert(node: Any, path: str) -> Any:
        nonlocal repeated
        if id(node) in seen:  # reached again through an alias
            repeated += 1
            if repeated > MAX_ALIAS_NODES:
                raise DatasetError.single(
                    file,
                    f"its aliases (*name) repeat more than {MAX_ALIAS_NODES:,} values; "
                    "write the values out",
                    line=line_of(node.start_mark),
                )
        else:
            seen.add(id(node))
        if path:
            lines.setdefault(path, line_of(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(
                        Problem(
                            file,
                            "a field name must be plain text, not a list or a mapping",
                            path or None,
                            line_of(key_node.start_mark),
                        )
                    )
                    continue
                key = str(key_node.value)
                where = f"{path}.{key}" if path else key
                if key in out:
                    problems.append(
                        Problem(file, "appears twice", where, line_of(key_node.start_mark))
                    )
                out[key] = convert(value_node, where)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        return _scalar(node.tag, node.value, node.style)

    data = convert(root, "") if root is not None else None
    if problems:
        raise DatasetError(problems)
    return data, lines


# One scalar as a plain value: null, a boolean (true/false), a Decimal, or the text.
def _scalar(tag: str, value: str, style: str | None) -> Any:
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value  # yes, no, on, off: text (YAML 1.2)
    if tag.endswith((":int", ":float")) and not style:  # plain (None, or "" from libyaml)
        if value.lower().lstrip("+-") in (".nan", ".inf"):
            return value  # reported as "must be a finite number"
        try:
            number = (
                Decimal(int(value.replace("_", ""), 0))
                if tag.endswith(":int")
                else Decimal(value.replace("_", ""))
            )
        except (ValueError, InvalidOperation):
            return value
        return number if str(number) == value else WrittenNumber(number, value)
    return value  # str, timestamp (parsed where a date is expected)
