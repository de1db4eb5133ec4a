"""The parsed text as dataset data in format 2 (plain data: Decimal numbers, dates).

Format 2 (README, "Dataset format"): answers hold ``content`` (paragraphs and tables in published
order), tables a ``dimension`` and ``measures``; ``opening``, ``closing`` and sub-question
``parts`` keep the answer's structure.
"""

from __future__ import annotations

import re
from typing import Any

from .parse import AnswerItem, Parsed
from .tables import ParsedColumn, ParsedTable

FORMAT = 2
#: The marks format 2 reads as 'not available' without being told.
MISSING_VALUES = ("n.v.t.", "nvt", "n/a", "–", "-", "x")
_UNIT_SUFFIX = re.compile(
    r"\s*(?:\((?:in\s+)?(?:€|eur|euro|%|procent|(?:miljoen|mio|duizend)\s*(?:euro|eur|€)?)\)|€|%)\s*$",
    re.IGNORECASE,
)


def as_data(parsed: Parsed, url: str | None = None) -> dict[str, Any]:
    """The dataset as plain data (Decimal numbers, dates), in the order the file shows it."""
    from .key_figures import key_figures

    data: dict[str, Any] = {"format": FORMAT}
    source: dict[str, Any] = {"publisher": "Vlaams Parlement"}
    if url or parsed.url:
        source["url"] = url or parsed.url
    data["source"] = source
    data["number"] = parsed.number
    data["date"] = parsed.date
    data["asked_by"] = parsed.asked_by
    data["addressed_to"] = {
        "name": parsed.addressee,
        **({"title": parsed.title} if parsed.title else {}),
    }
    data["subject"] = parsed.subject
    if parsed.introduction:
        data["introduction"] = parsed.introduction
    questions = []
    for q in parsed.questions:
        question: dict[str, Any] = {"number": q.number, "paragraphs": q.paragraphs}
        if q.parts:
            question["parts"] = [{"label": label, "paragraphs": p} for label, p in q.parts]
        questions.append(question)
    data["questions"] = questions
    if parsed.opening:
        data["opening"] = parsed.opening
    data["answers"] = [_answer(a) for a in parsed.answers]
    if parsed.closing:
        data["closing"] = parsed.closing
    figures = key_figures([(a.numbers[0], a.paragraphs) for a in parsed.answers])
    if figures:
        data["key_figures"] = figures
    return data


def _answer(answer: AnswerItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": answer.numbers[0] if len(answer.numbers) == 1 else list(answer.numbers)
    }
    if answer.content:
        out["content"] = [_block(b) for b in answer.content]
    if answer.parts:
        out["parts"] = [
            {"label": label, "content": [_block(b) for b in content]}
            for label, content in answer.parts
        ]
    return out


def _block(block: str | ParsedTable) -> dict[str, Any]:
    return {"text": block} if isinstance(block, str) else {"table": table_data(block)}


def measure_label(column: ParsedColumn) -> str:
    """A measure's label as published, without its unit ("Bedrag (€)" -> "Bedrag")."""
    label = _UNIT_SUFFIX.sub("", column.label).strip()
    return label or column.label


def table_data(table: ParsedTable) -> dict[str, Any]:
    """One table in the format-2 layout: dimension, measures, rows, total."""
    dim = table.columns[0]
    data: dict[str, Any] = {"id": table.id}
    if table.number:
        data["number"] = table.number
    if table.caption:
        data["caption"] = table.caption
    data["dimension"] = {"key": dim.key, "label": dim.label, "kind": table.dimension}
    measures = []
    for c in table.columns[1:]:
        m: dict[str, Any] = {"key": c.key, "label": measure_label(c), "kind": c.type}
        if c.type == "amount":
            m["unit"] = c.unit or "EUR"
        elif c.type == "number" and c.unit:
            m["unit"] = c.unit  # a number in euro that goes below zero
        if c.multiplier:
            m["multiplier"] = c.multiplier
        if c.type in ("amount", "percent", "number") and (c.decimals or c.type != "number"):
            m["decimals"] = c.decimals
        if c.ratio:
            m["ratio"] = list(c.ratio)
        if c.share_of:
            m["share_of"] = c.share_of
        measures.append(m)
    data["measures"] = measures
    groups: dict[str, list[str]] = {}
    for c in table.columns[1:]:
        if c.group:
            groups.setdefault(c.group, []).append(c.key)
    if groups:
        data["groups"] = [{"label": g, "measures": keys} for g, keys in groups.items()]
    rows = []
    for r, (row, values) in enumerate(zip(table.rows, table.values, strict=True)):
        out: dict[str, Any] = {dim.key: row.label}
        for j, (c, v) in enumerate(zip(table.columns[1:], values, strict=True)):
            if v is not None:
                out[c.key] = v
            elif (r, j) in table.marks:
                out[c.key] = table.marks[(r, j)]  # not available, as the source writes it
        if row.level:
            out["level"] = row.level
        rows.append(out)
    data["rows"] = rows
    if table.total is not None and table.total_values is not None:
        total: dict[str, Any] = {"label": table.total.label}
        at = len(table.rows)
        total["values"] = {
            c.key: v if v is not None else table.marks[(at, j)]
            for j, (c, v) in enumerate(zip(table.columns[1:], table.total_values, strict=True))
            if v is not None or (at, j) in table.marks
        }
        if table.total_source == "prose":
            total["stated"] = "prose"
            total["sentence"] = table.total_sentence
        data["total"] = total
    unusual = sorted({m for m in table.marks.values() if m not in MISSING_VALUES})
    if unusual:
        data["missing_values"] = [*MISSING_VALUES, *unusual]
    if table.notes:
        data["notes"] = table.notes
    return data
