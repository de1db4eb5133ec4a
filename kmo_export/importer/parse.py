"""The structure of a published written question and answer, from its lines to a dataset.

Header block (optional "SCHRIFTELIJKE VRAAG", "nr.", "van", "datum:" lines; "aan <NAME>" and
the minister's title), subject, introduction, numbered questions, the minister's signature,
"ANTWOORD op vraag nr. N van <date> van <NAME>", numbered answers with their tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .tables import TABLE_IDS, ParsedTable, Region, find_regions, parse_table, split_line
from .text import (
    Line,
    Source,
    drop_page_furniture,
    join_lines,
    name_case,
    paragraphs,
    parse_date,
    title_case,
)

_ITEM = re.compile(r"^(\d{1,2})\s*[.)]\s+(\S.*)$")
_ITEM_ALONE = re.compile(r"^(\d{1,2})\s*[.)]$")
_ANSWER = re.compile(r"^ANTWOORD\b", re.IGNORECASE)
_ANSWER_HEAD = re.compile(
    r"^ANTWOORD\s*(?:op\s+(?:de\s+)?(?:schriftelijke\s+)?vraag\s+nr\.?\s*(?P<number>\d+))?"
    r"(?:\s+van\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}))?"
    r"(?:\s+van\s+(?P<name>.+?))?\s*$",
    re.IGNORECASE,
)


@dataclass
class Item:
    """A numbered question or answer: its number and lines."""

    number: int
    lines: list[Line] = field(default_factory=list)


@dataclass
class Parsed:
    """Everything read from the text, before it is written as a dataset."""

    number: int
    date: dt.date
    asked_by: str
    addressee: str
    title: str | None
    subject: str
    introduction: list[str]
    questions: list[tuple[int, list[str]]]
    answers: list[tuple[int, list[str], list[ParsedTable]]]
    skipped: list[Line]


def parse(source: Source) -> Parsed:
    """Read the structure of the published text; raise ImportTextError naming the line."""
    lines = source.lines
    i = _skip_blank(lines, 0)
    if i >= len(lines):
        raise source.error(None, "the text is empty")
    number = date = asker = None
    head: dict[str, Line] = {}
    if re.match(r"^SCHRIFTELIJKE\s+VRAAG\b", lines[i].text, re.IGNORECASE):
        i = _skip_blank(lines, i + 1)
    while i < len(lines):
        text = lines[i].text
        if m := re.match(r"^nr\.?\s*(\d+)$", text, re.IGNORECASE):
            number, head["number"] = int(m.group(1)), lines[i]
        elif m := re.match(r"^datum\s*:?\s*(.+)$", text, re.IGNORECASE):
            date, head["date"] = parse_date(m.group(1)), lines[i]
            if date is None:
                raise source.error(
                    lines[i], "cannot read this date (expected e.g. 24 september 2020)"
                )
        elif m := re.match(r"^van\s+(.+)$", text, re.IGNORECASE):
            asker, head["asker"] = name_case(m.group(1)), lines[i]
        elif not text:
            pass
        else:
            break
        i += 1
    m = re.match(r"^aan\s+(\S.*)$", lines[i].text if i < len(lines) else "")
    if m and m.group(1) != m.group(1).upper():
        m = None  # the name stands in capitals
    if not m:
        raise source.error(
            lines[min(i, len(lines) - 1)],
            "expected the minister the question is addressed to ('aan <NAME>')",
        )
    addressee = name_case(m.group(1))
    i += 1
    title_lines = []
    while i < len(lines) and lines[i].text and lines[i].text == lines[i].text.upper():
        title_lines.append(lines[i].text)
        i += 1
    title = title_case(join_lines(title_lines)) if title_lines else None

    answer_at = next((k for k in range(i, len(lines)) if _ANSWER.match(lines[k].text)), None)
    if answer_at is None:
        raise source.error(
            lines[i - 1], "no answer found (expected a line 'ANTWOORD op vraag nr. N ...')"
        )
    # The minister's signature (name and title in capitals) stands before the answer.
    end = answer_at
    while end > i and lines[end - 1].blank:
        end -= 1
    sig = end
    while (
        sig > i
        and lines[sig - 1].text
        and lines[sig - 1].text == lines[sig - 1].text.upper()
        and not _ITEM.match(lines[sig - 1].text)
    ):
        sig -= 1
    if sig < end and sig > i and lines[sig - 1].blank:
        end = sig
    question_part = drop_page_furniture(source, lines[i:end])
    paras = paragraphs(question_part)
    if not paras:
        raise source.error(lines[answer_at], "no subject and no question before the answer")
    subject = paras[0][1]
    rest = question_part[_after_paragraph(question_part, paras[0][0]) :]
    intro_lines, items = _numbered(rest, strict=True)
    introduction = [p for _, p in paragraphs(intro_lines)]
    if not items:
        items = [Item(1, intro_lines)]
        introduction = []
    questions = [(q.number, [p for _, p in paragraphs(q.lines)]) for q in items]
    for (n, paras_q), item in zip(questions, items, strict=True):
        if not paras_q:
            raise source.error(
                item.lines[0] if item.lines else lines[answer_at], f"question {n} is empty"
            )

    # The answer header: "ANTWOORD" [op vraag nr. N] [van <date>] [van <NAME>], on one line or more.
    k = answer_at
    header_lines = []
    while k < len(lines) and lines[k].text:
        header_lines.append(lines[k])
        k += 1
        if len(header_lines) >= 4:
            break
    joined = join_lines([h.text for h in header_lines])
    m = _ANSWER_HEAD.match(joined)
    while m is None and len(header_lines) > 1:
        header_lines.pop()
        k -= 1
        joined = join_lines([h.text for h in header_lines])
        m = _ANSWER_HEAD.match(joined)
    if m is None:
        raise source.error(
            lines[answer_at],
            "cannot read the answer's heading (expected 'ANTWOORD op vraag nr. N van <date> van <NAME>')",
        )
    if m.group("number"):
        n_answer = int(m.group("number"))
        if number is not None and n_answer != number:
            raise source.error(
                lines[answer_at],
                f"the answer is to question nr. {n_answer}, the header says nr. {number}",
            )
        number = n_answer
    if m.group("date"):
        d = parse_date(m.group("date"))
        if d is None:
            raise source.error(lines[answer_at], f"cannot read the date {m.group('date')!r}")
        date = date or d
    if m.group("name"):
        asker = asker or name_case(m.group("name"))
    missing = [
        what
        for what, v in (("question number", number), ("date", date), ("asker's name", asker))
        if v is None
    ]
    if missing:
        raise source.error(
            lines[answer_at],
            f"no {' and no '.join(missing)} found (expected 'ANTWOORD op vraag nr. N van <date> van <NAME>' "
            "or 'nr.', 'datum:' and 'van' lines in the header)",
        )
    body = drop_page_furniture(source, lines[k:])
    lead, answer_items = _numbered(body, strict=False, known={q for q, _ in questions})
    if not answer_items:
        answer_items = [Item(questions[0][0] if len(questions) == 1 else 1, lead)]
    elif any(not line.blank for line in lead):
        first = next(line for line in lead if not line.blank)
        answer_items[0].lines[:0] = lead
        if len(answer_items) > 1 and answer_items[0].number != 1:
            raise source.error(first, "text before the first numbered answer")
    answers = []
    table_ids: set[str] = set()
    for item in answer_items:
        paras_a, tables = _answer(source, item, table_ids)
        answers.append((item.number, paras_a, tables))
    assert number is not None and date is not None and asker is not None
    return Parsed(
        number,
        date,
        asker,
        addressee,
        title,
        subject,
        introduction,
        questions,
        answers,
        source.skipped,
    )


def _skip_blank(lines: list[Line], i: int) -> int:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


# Index in `lines` just past the paragraph that starts at `first`.
def _after_paragraph(lines: list[Line], first: Line) -> int:
    k = lines.index(first)
    while k < len(lines) and not lines[k].blank:
        k += 1
    return k


def _numbered(
    lines: list[Line], strict: bool, known: set[int] | None = None
) -> tuple[list[Line], list[Item]]:
    # Split lines at "N. " items: the number follows the previous one (or is a known question).
    lead: list[Line] = []
    items: list[Item] = []
    previous = 0
    for idx, line in enumerate(lines):
        at_start = (
            idx == 0 or lines[idx - 1].blank or (not items and not any(not x.blank for x in lead))
        )
        m = _ITEM.match(line.text) or _ITEM_ALONE.match(line.text)
        if m and at_start:
            n = int(m.group(1))
            fits = n == previous + 1 or (
                not strict and known is not None and n in known and n > previous
            )
            if fits:
                previous = n
                rest = m.group(2) if m.re is _ITEM else ""
                items.append(Item(n, [Line(line.no, rest, line.raw, line.bullet)] if rest else []))
                continue
        if items:
            items[-1].lines.append(line)
        else:
            lead.append(line)
    return lead, items


def _answer(source: Source, item: Item, table_ids: set[str]) -> tuple[list[str], list[ParsedTable]]:
    # An answer's paragraphs and tables (the lines outside the tables make the paragraphs).
    lines = item.lines
    splits = [split_line(line) for line in lines]
    regions: list[Region] = find_regions(source, lines, splits)
    tables = []
    inside: set[int] = set()
    for region in regions:
        table = parse_table(source, lines, region, "")
        base = table.columns[0].key
        table_id = TABLE_IDS.get(base, base)
        candidate, n = table_id, 2
        while candidate in table_ids:
            candidate, n = f"{table_id}_{n}", n + 1
        table.id = candidate
        table_ids.add(candidate)
        tables.append(table)
        inside.update(range(region.start, region.end))
    outside = [line if k not in inside else Line(line.no, "", "") for k, line in enumerate(lines)]
    paras = [p for _, p in paragraphs(outside)]
    return paras, tables


def as_data(parsed: Parsed, source_text: str | None) -> dict[str, Any]:
    """The dataset as plain data (Decimal numbers, dates), in the order the file shows it."""
    from .key_figures import key_figures

    data: dict[str, Any] = {"format": 1}
    data["source"] = {
        "publisher": "Vlaams Parlement",
        **({"text": source_text} if source_text else {}),
    }
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
    data["questions"] = [{"number": n, "paragraphs": p} for n, p in parsed.questions]
    answers = []
    for n, paras, tables in parsed.answers:
        answer: dict[str, Any] = {"number": n}
        if paras:
            answer["paragraphs"] = paras
        if tables:
            answer["tables"] = [_table_data(t) for t in tables]
        answers.append(answer)
    data["answers"] = answers
    figures = key_figures([(n, paras) for n, paras, _ in parsed.answers])
    if figures:
        data["key_figures"] = figures
    return data


def _table_data(table: ParsedTable) -> dict[str, Any]:
    # One table in the dataset layout.
    columns = []
    for c in table.columns:
        col: dict[str, Any] = {"key": c.key, "label": c.label, "type": c.type}
        if c.unit:
            col["unit"] = c.unit
        if c.type in ("amount", "percent", "number") and (c.decimals or c.type != "number"):
            col["decimals"] = c.decimals
        columns.append(col)
    label_key = table.columns[0].key
    rows = []
    for row, values in zip(table.rows, table.values, strict=True):
        out: dict[str, Any] = {label_key: row.label}
        for c, v in zip(table.columns[1:], values, strict=True):
            if v is not None:
                out[c.key] = v
        if row.level:
            out["level"] = row.level
        rows.append(out)
    data: dict[str, Any] = {"id": table.id}
    if table.caption:
        data["caption"] = table.caption
    data["columns"] = columns
    data["rows"] = rows
    if table.total is not None and table.total_values is not None:
        total: dict[str, Any] = {"label": table.total.label}
        for c, v in zip(table.columns[1:], table.total_values, strict=True):
            if v is not None:
                total[c.key] = v
        data["total"] = total
    return data
