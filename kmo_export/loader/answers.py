"""The questions and the answers: paragraphs, tables, format 2's content blocks and parts.

Format 1 answers with paragraphs and tables; format 2 may give ``content`` (text and table
blocks in their published order), answer several questions at once (``number: [1, 2]``) and
split a question or an answer into parts a) b) c).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Answer, Part, Question, Table
from .fields import _Reader
from .tables import _table


def _questions(r: _Reader, data: dict[str, Any]) -> list[Question]:
    # `questions:`, each with its paragraphs (and, in format 2, its parts).
    out = []
    v2 = r.version == 2
    for path, raw in r.entries(data, "questions", ""):
        r.unknown(raw, {"number", "paragraphs"} | ({"parts"} if v2 else set()), path, {"parts"})
        parts = _parts(r, raw, path, None) if v2 else ()
        out.append(
            Question(
                r.integer(raw, "number", path, minimum=1) or 0,
                r.paragraphs(raw, "paragraphs", path, required=not parts),
                parts,
            )
        )
    if "questions" in data and not out and not r.problems:
        r.problem("questions", "is empty: a dataset holds at least one question")
    return out


def _parts(
    r: _Reader, raw: dict[str, Any], path: str, dataset_path: Path | None
) -> tuple[Part, ...]:
    # Sub-questions (paragraphs) or the answers to them (content), a) b) c).
    out = []
    labels: set[str] = set()
    for where, part in r.entries(raw, "parts", path, required=False):
        label = r.text(part, "label", where) or ""
        if label.casefold() in labels:
            r.problem(f"{where}.label", f"part {label!r} appears twice")
        labels.add(label.casefold())
        if dataset_path is None:
            r.unknown(part, {"label", "paragraphs"}, where)
            out.append(Part(label, r.paragraphs(part, "paragraphs", where)))
        else:
            r.unknown(part, {"label", "content"}, where)
            out.append(Part(label, content=_content(r, part, where, dataset_path, required=True)))
    return tuple(out)


def _answers(r: _Reader, data: dict[str, Any], dataset_path: Path) -> list[Answer]:
    # `answers:`: paragraphs and tables (format 1), or content and parts (format 2).
    out = []
    v2 = r.version == 2
    for path, raw in r.entries(data, "answers", ""):
        r.unknown(
            raw,
            {"number", "paragraphs", "tables"} | ({"content", "parts"} if v2 else set()),
            path,
            {"content", "parts"},
        )
        if v2:
            number, also = _answer_numbers(r, raw, path)
            parts = _parts(r, raw, path, dataset_path)
            if "content" in raw and ("paragraphs" in raw or "tables" in raw):
                r.problem(
                    f"{path}.content",
                    "give the answer as content, or as paragraphs and tables, not both",
                )
            if "content" in raw or ("paragraphs" not in raw and "tables" not in raw):
                content = _content(r, raw, path, dataset_path, required=not parts)
                out.append(Answer(number=number, content=content, also=also, parts=parts))
                continue
        else:
            number, also, parts = r.integer(raw, "number", path, minimum=1) or 0, (), ()
        tables = []
        for j, raw_table in enumerate(r.seq(raw, "tables", path, required=False)):
            table = _table(r, raw_table, f"{path}.tables[{j}]", dataset_path)
            if table is not None:
                tables.append(table)
        paragraphs = r.paragraphs(raw, "paragraphs", path, required=not tables and not parts)
        if v2:
            content = (*paragraphs, *tables)
            out.append(Answer(number=number, content=content, also=also, parts=parts))
        else:
            out.append(Answer(number=number, paragraphs=paragraphs, tables=tuple(tables)))
    return out


def _answer_numbers(r: _Reader, raw: dict[str, Any], path: str) -> tuple[int, tuple[int, ...]]:
    # `number: 3` or `number: [1, 2]` (an answer to several questions at once).
    value = r.get(raw, "number", path)
    if not isinstance(value, list):
        return r.integer(raw, "number", path, minimum=1) or 0, ()
    if not value:
        r.problem(f"{path}.number", "is empty: give the number of the question answered")
        return 0, ()
    numbers = []
    for k, item in enumerate(value):
        where = f"{path}.number[{k}]"
        number = r.number(item, where)
        if number is not None and (number != number.to_integral_value() or number < 1):
            r.problem(where, f"must be a question number (1, 2, ...), not {item}")
            number = None
        numbers.append(int(number) if number is not None else 0)
    return numbers[0], tuple(numbers[1:])


def _content(
    r: _Reader, raw: dict[str, Any], path: str, dataset_path: Path, required: bool
) -> tuple[str | Table, ...]:
    # The answer as published: `- text: ...` and `- table: {...}` blocks in their order.
    blocks = r.seq(raw, "content", path, required=required)
    if "content" in raw and not blocks and isinstance(raw.get("content"), list):
        r.problem(f"{path}.content", "is empty")
    out: list[str | Table] = []
    for k, block in enumerate(blocks):
        where = f"{path}.content[{k}]"
        if isinstance(block, str):
            text = r.check_text(block, where)
            if text is not None:
                out.append(text)
            continue
        if r.mapping(block, where) is None:
            continue
        if len(block) != 1 or next(iter(block)) not in ("text", "table"):
            r.problem(where, "must hold one block: `text: ...` or `table: {...}`")
            continue
        if "text" in block:
            text = r.text(block, "text", where)
            if text is not None:
                out.append(text)
        else:
            table = _table(r, block["table"], f"{where}.table", dataset_path)
            if table is not None:
                out.append(table)
    return tuple(out)
