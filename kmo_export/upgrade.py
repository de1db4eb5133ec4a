"""Write the format-2 equivalent of a format-1 dataset (``kmo-export upgrade``).

The dataset's fields are carried over as written (numbers keep their decimals, text its
characters); each answer's ``paragraphs`` and ``tables`` become its ``content`` blocks, each
table's ``columns`` its ``dimension`` and ``measures`` (``unit: EUR million`` becomes ``unit:
EUR, multiplier: million``), each total its ``values``. The comment lines at the top of the file
and above each top-level field, answer and table are kept. Labels that YAML would read as
something else (``"2020"``, ``"ja"``, ``"a: b"``) are quoted.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import DatasetError, UpgradeError
from .loader import _parse_yaml, _split_scale, read_dataset, read_text
from .model import Dataset
from .output import WrittenFile, atomic_write

#: Rendered flow collections up to this width stay on one line (rows always do).
_FLOW_WIDTH = 100
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_INDENT = "  "
_SCALE_NAMES = {3: "thousand", 6: "million", 9: "billion"}
#: Top-level fields preceded by a blank line, as in the bundled dataset.
_SECTIONS = {"number", "questions", "answers", "key_figures", "figures"}


def upgrade_text(path: Path, target: Path | None = None) -> str:
    """The format-2 YAML text equivalent to the format-1 dataset at ``path``.

    ``target`` is where the text will be written: table files (``rows_file``) are named
    relative to it. Raises DatasetError if ``path`` is not a valid dataset.
    """
    dataset = read_dataset(path)  # a dataset that does not load is not upgraded
    implied = _implied_averages(dataset)
    file = str(path)
    text = read_text(path)
    data, lines = _parse_yaml(text, file)
    if data.get("format") == 2:
        raise UpgradeError(f"{file}: is already format 2")
    comments = _Comments(text.splitlines(), lines)
    out: dict[str, Any] = {"format": Decimal(2)}
    comments.move("format", out, "format")
    for key, value in data.items():
        if key == "format":
            continue
        if key == "answers" and isinstance(value, list):
            value = [
                _answer(a, f"answers[{i}]", comments, path, target or path, implied)
                for i, a in enumerate(value)
            ]
        out[key] = value
        comments.move(key, out, key)
    writer = _Writer(comments)
    writer.header(comments.header())
    writer.mapping(out, 0, top=True)
    return "".join(writer.parts)


def upgrade(path: Path, target: Path, force: bool = False) -> WrittenFile:
    """Write the format-2 equivalent of the dataset at ``path`` to ``target``.

    Refuses to overwrite ``target`` unless ``force``; checks that the result loads before it
    replaces anything (nothing half-written).
    """
    if target.exists() and not force:
        raise UpgradeError(f"{target}: exists; pass --force to overwrite it or -o for another name")
    if target.resolve() == path.resolve() and not force:
        raise UpgradeError(f"{target}: is the dataset itself; pass --force to replace it")
    text = upgrade_text(path, target)

    def render(tmp: Path) -> None:
        # write the text, then make sure it loads before it replaces anything
        tmp.write_text(text, encoding="utf-8", newline="\n")
        try:
            read_dataset(tmp)
        except DatasetError as exc:  # a bug in the upgrade: say so, write nothing
            raise UpgradeError(
                f"{path}: the upgraded dataset would not load ({exc}); please report it"
            ) from None

    return atomic_write(target, render)


# -- the format-2 structure ------------------------------------------------------------------


def _implied_averages(dataset: Dataset) -> dict[str, tuple[str, str]]:
    # The average format 1 implies (amount per count, as the analysis reads it), by table id:
    # format 2 declares it, so that both formats give the same outputs.
    from .analysis import analyse

    analysis = analyse(dataset)
    out = {}
    for _, table in dataset.tables:
        for average in analysis.table(table).averages:
            out[table.id] = (average.numerator, average.denominator)
    return out


def _answer(
    raw: Any,
    path: str,
    comments: _Comments,
    source: Path,
    target: Path,
    implied: dict[str, tuple[str, str]] | None = None,
) -> Any:
    # paragraphs + tables -> content blocks in the same order (the paragraphs first).
    if not isinstance(raw, dict) or ("paragraphs" not in raw and "tables" not in raw):
        return raw
    out: dict[str, Any] = {}
    content: list[Any] = []
    paragraphs = raw.get("paragraphs") or []
    for paragraph in [paragraphs] if isinstance(paragraphs, str) else paragraphs:
        content.append({"text": paragraph})
    for j, table in enumerate(raw.get("tables") or []):
        block = {"table": _table(table, source, target, implied or {})}
        comments.move(f"{path}.tables[{j}]", block, None)
        content.append(block)
    comments.move(path, out, None)
    for key, value in raw.items():
        if key in ("paragraphs", "tables"):
            if "content" not in out:
                out["content"] = content
        else:
            out[key] = value
    return out


def _table(
    raw: Any, source: Path, target: Path, implied: dict[str, tuple[str, str]] | None = None
) -> Any:
    # columns -> dimension + measures; total -> total.values; rows_file relative to target;
    # the average format 1 implied -> derived
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    columns = raw.get("columns") or []
    for key, value in raw.items():
        if key == "columns":
            first = columns[0] if columns else {}
            out["dimension"] = {k: v for k, v in first.items() if k in ("key", "label")}
            out["measures"] = [_measure(c) for c in columns[1:]]
        elif key == "total" and isinstance(value, dict):
            total: dict[str, Any] = {}
            if "label" in value:
                total["label"] = value["label"]
            values = {k: v for k, v in value.items() if k != "label"}
            if values:
                total["values"] = values
            out["total"] = total
        elif key == "rows_file" and isinstance(value, str):
            file = (source.parent / value).resolve()
            out[key] = Path(os.path.relpath(file, target.resolve().parent)).as_posix()
        else:
            out[key] = value
    average = (implied or {}).get(str(raw.get("id")))
    if average is not None:
        keys = {c.get("key") for c in columns if isinstance(c, dict)}
        key = next(k for k in ("average", *(f"average_{n}" for n in range(2, 99))) if k not in keys)
        out["derived"] = [{"key": key, "divide": list(average)}]
    return out


def _measure(raw: Any) -> Any:
    # A format-1 column as a format-2 measure: `type` is `kind`; a scale word is a multiplier.
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "type":
            out["kind"] = value
        elif key == "unit" and raw.get("type") == "percent":
            continue  # format 2: a percentage has no unit (its header says %)
        elif key == "unit" and isinstance(value, str):
            unit, multiplier = _split_scale(value.strip())
            if unit:
                out["unit"] = unit
            if multiplier:
                out["multiplier"] = _SCALE_NAMES[multiplier]
                if raw.get("type") == "amount" and "decimals" not in raw:
                    out["decimals"] = Decimal(2)  # format 1's default; format 2's would be 1
        else:
            out[key] = value
    return out


# -- comments --------------------------------------------------------------------------------


class _Comments:
    """The comment lines of the original file, to be written above the same fields again."""

    def __init__(self, lines: list[str], where: dict[str, int]) -> None:
        # the file's lines and the line of every field path
        self.lines = lines
        self.where = where
        self.attached: dict[tuple[int, str | None], list[str]] = {}

    def header(self) -> list[str]:
        # The comment block the file starts with (the format-1 mark becomes format 2).
        out = []
        for line in self.lines:
            if not line.startswith("#"):
                break
            out.append(line.replace("(format 1)", "(format 2)"))
        return out

    def above(self, path: str) -> list[str]:
        # Full-line comments directly above the field at ``path`` (not the file's header).
        line = self.where.get(path)
        if line is None:
            return []
        index = line - 1  # the value's line; a block value starts below its key
        key = re.search(r"([A-Za-z_][A-Za-z0-9_]*)$", path)
        if key is not None:
            pattern = re.compile(rf"\s*(?:-\s+)?{re.escape(key.group(1))}\s*:")
            while index > 0 and not pattern.match(self.lines[index]):
                index -= 1
        out: list[str] = []
        index -= 1
        while index >= 0 and self.lines[index].strip().startswith("#"):
            out.insert(0, self.lines[index].strip())
            index -= 1
        if index < 0:  # that is the header block, written once at the top
            return []
        return out

    def move(self, path: str, mapping: dict[str, Any], key: str | None) -> None:
        # Attach the comments above ``path`` to ``key`` of ``mapping`` (None: the item itself).
        found = self.above(path)
        if found:
            self.attached[(id(mapping), key)] = found

    def get(self, mapping: dict[str, Any], key: str | None) -> list[str]:
        return self.attached.get((id(mapping), key), [])


# -- YAML writing ----------------------------------------------------------------------------


class _Writer:
    """A small block-style YAML writer: short scalar collections and table rows in flow style."""

    def __init__(self, comments: _Comments) -> None:
        # the text is collected in parts and joined once
        self.comments = comments
        self.parts: list[str] = []

    def header(self, lines: list[str]) -> None:
        # the file's own header comment, and a line saying it was upgraded
        for line in lines:
            self.parts.append(line + "\n")
        if lines:
            self.parts.append("# Upgraded to format 2 by kmo-export upgrade.\n")

    def comment(self, lines: list[str], depth: int) -> None:
        # comment lines at the indentation of what they stand above
        for line in lines:
            self.parts.append(_INDENT * depth + line + "\n")

    def mapping(self, value: dict[str, Any], depth: int, top: bool = False) -> None:
        # a block mapping; a blank line before the main sections at the top level
        for i, (key, item) in enumerate(value.items()):
            if top and key in _SECTIONS and i:
                self.parts.append("\n")
            self.comment(self.comments.get(value, key), depth)
            self.entry(f"{_INDENT * depth}{_key(key)}:", item, depth, key)

    def entry(self, lead: str, item: Any, depth: int, key: str | None) -> None:
        # ``lead`` is "key:" or "-" at its indentation; the value follows on the line or below.
        if _is_scalar(item):
            self.parts.append(f"{lead} {_scalar(item, flow=False, key=key)}\n")
            return
        flow = _flow(item, force=key == "rows_item")
        if flow is not None:
            self.parts.append(f"{lead} {flow}\n")
            return
        if not item:
            self.parts.append(f"{lead} {'{}' if isinstance(item, dict) else '[]'}\n")
            return
        self.parts.append(lead + "\n")
        if isinstance(item, dict):
            self.mapping(item, depth + 1)
        else:
            self.sequence(item, depth + 1, rows=key == "rows")

    def sequence(self, items: list[Any], depth: int, rows: bool = False) -> None:
        # a block sequence; table rows one a line in flow style
        pad = _INDENT * depth
        for item in items:
            if isinstance(item, dict):
                self.comment(self.comments.get(item, None), depth)
            if rows or _is_scalar(item) or _flow(item) is not None:
                self.entry(f"{pad}-", item, depth, "rows_item" if rows else None)
                continue
            if isinstance(item, dict) and item:
                first = True
                for key, value in item.items():
                    lead = f"{pad}- " if first else f"{pad}  "
                    if not first:
                        self.comment(self.comments.get(item, key), depth + 1)
                    self.entry(f"{lead}{_key(key)}:", value, depth + 1, key)
                    first = False
            else:
                self.parts.append(f"{pad}-\n")
                self.sequence(item, depth + 1)


def _is_scalar(value: Any) -> bool:
    # what YAML writes as one scalar
    return value is None or isinstance(value, str | bool | Decimal | int)


def _flow(value: Any, force: bool = False) -> str | None:
    # A collection of scalars on one line, if it is short (or ``force``: a table row).
    if not isinstance(value, dict | list) or not value:
        return None
    items = value.values() if isinstance(value, dict) else value
    if not all(_is_scalar(v) for v in items):
        return None
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{_key(k)}: {_scalar(v, True, k)}" for k, v in value.items()) + "}"
    else:
        text = "[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
    if force:
        return text
    long_text = any(isinstance(v, str) and len(v) > 40 for v in items)
    return text if len(text) <= _FLOW_WIDTH and not long_text else None


def _key(key: str) -> str:
    # a mapping key, quoted unless it is a plain name
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key)


def _scalar(value: Any, flow: bool, key: str | None = None) -> str:
    # A scalar as YAML reads it back unchanged: text that YAML would change is quoted.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return str(value)
    if key in ("date", "since") and _DATE.fullmatch(value):
        return str(value)
    return str(value) if _plain_ok(value, flow) else str(json.dumps(value, ensure_ascii=False))


def _plain_ok(text: str, flow: bool) -> bool:
    # True when ``text`` written plain reads back as the same text, where it stands (in a
    # flow collection or as a block value), with the loader the dataset is read with.
    import yaml

    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    if flow and any(c in text for c in ",[]{}:"):
        return False
    if text[0] in "!&*?|>'\"%@`#-:" or ": " in text or " #" in text or text.endswith(":"):
        return False
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if flow:
            return bool(yaml.load(f"[{text}]", Loader=loader) == [text])
        return bool(yaml.load(f"k: {text}", Loader=loader) == {"k": text})
    except yaml.YAMLError:
        return False
