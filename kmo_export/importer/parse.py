"""The structure of a published written question and answer, from its lines to a dataset.

Header block (optional "SCHRIFTELIJKE VRAAG", "nr.", "van", "datum:" lines; "aan <NAME>" and
the minister's title), subject, introduction, numbered questions (with sub-questions "a)"),
the minister's signature, "ANTWOORD op vraag nr. N van <date> van <NAME>", an opening
paragraph, numbered answers with their tables in place, closing annex references.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..limits import MAX_SUBJECT
from .numbering import Item, item_match, numbered, split_parts
from .tables import ParsedTable, Region, find_regions, parse_table, split_line, table_id
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

_ANSWER = re.compile(r"^ANTWOORD\b", re.IGNORECASE)
_ANSWER_HEAD = re.compile(
    r"^ANTWOORD\s*(?:op\s+(?:de\s+)?(?:schriftelijke\s+)?vraag\s+nr\.?\s*(?P<number>\d+))?"
    r"(?:\s+van\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}))?"
    r"(?:\s+van\s+(?P<name>.+?))?\s*$",
    re.IGNORECASE,
)
# The budget documents' technical questions: a question line, then "Antwoord:" and the answer.
_TECHNICAL = re.compile(r"^(?:technische\s+vra(?:ag|gen)\b|antwoord\s*[:.]?\s*(?:$|[A-Z]))", re.I)
# The closing parts: annex references ("BIJLAGE 1 – ...", "Bijlage 2: ...").
_ANNEX = re.compile(r"^(?:BIJLAGEN?\b|Bijlagen?\s*(?:\d+\w?)?\s*(?:[:.–-]|$))")
_SENTENCE_END = re.compile(r"[.!?]$|[.!?]\s+[A-Z]")
_JOINERS = ("-", "–", ":", " van", " en", " in", " op", " voor", " de", " het", " over", " bij")


@dataclass
class QuestionItem:
    """One question: its paragraphs and its sub-questions (label, paragraphs)."""

    number: int
    paragraphs: list[str]
    parts: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class AnswerItem:
    """One answer: the questions it answers, its paragraphs and tables in order, its parts."""

    numbers: list[int]
    content: list[str | ParsedTable]
    parts: list[tuple[str, list[str | ParsedTable]]] = field(default_factory=list)

    @property
    def tables(self) -> list[ParsedTable]:
        blocks = [*self.content, *(b for _, c in self.parts for b in c)]
        return [b for b in blocks if isinstance(b, ParsedTable)]

    @property
    def paragraphs(self) -> list[str]:
        blocks = [*self.content, *(b for _, c in self.parts for b in c)]
        return [b for b in blocks if isinstance(b, str)]


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
    questions: list[QuestionItem]
    answers: list[AnswerItem]
    skipped: list[Line]
    opening: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    url: str | None = None
    guesses: list[tuple[int, str]] = field(default_factory=list)


def parse(source: Source) -> Parsed:
    """Read the structure of the published text; raise ImportTextError naming the line."""
    lines = source.lines
    guesses: list[tuple[int, str]] = []
    i = _skip_blank(lines, 0)
    if i >= len(lines):
        raise source.error(None, "the text is empty")
    number = date = asker = None
    if re.match(r"^SCHRIFTELIJKE\s+VRAAG\b", lines[i].text, re.IGNORECASE):
        i = _skip_blank(lines, i + 1)
    while i < len(lines):
        text = lines[i].text
        if m := re.match(r"^nr\.?\s*(\d+)$", text, re.IGNORECASE):
            number = int(m.group(1))
        elif m := re.match(r"^datum\s*:?\s*(.+)$", text, re.IGNORECASE):
            date = parse_date(m.group(1))
            if date is None:
                raise source.error(
                    lines[i], "cannot read this date (expected e.g. 24 september 2020)"
                )
        elif m := re.match(r"^van\s+(.+)$", text, re.IGNORECASE):
            asker = name_case(m.group(1))
        elif text:
            break
        i += 1
    m = re.match(r"^aan\s+(\S.*)$", lines[i].text if i < len(lines) else "")
    if m and m.group(1) != m.group(1).upper():
        m = None  # the name stands in capitals
    if not m:
        _refuse_technical(source, lines)
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

    answer_at = next((k for k in range(i, len(lines)) if _ANSWER_HEAD.match(lines[k].text)), None)
    answer_at = answer_at if answer_at is not None else _answer_line(lines, i)
    if answer_at is None:
        _refuse_technical(source, lines)
        raise source.error(
            lines[i - 1], "no answer found (expected a line 'ANTWOORD op vraag nr. N ...')"
        )
    end = _signature(lines, i, answer_at)
    question_part = drop_page_furniture(source, lines[i:end])
    url = _url(question_part)
    question_part = [line for line in question_part if not _URL.fullmatch(line.text)]
    lead, items = numbered(question_part, strict=True)
    subject, introduction = _subject(source, lead, lines[answer_at], guesses)
    if not items:
        # One unnumbered question: what follows the subject (the introduction is the question).
        if not introduction:
            raise source.error(lines[answer_at], "no question before the answer")
        items = [Item([1], [Line(0, p, p) for p in _spaced(introduction)])]
        introduction = []
    questions = []
    for item in items:
        head, parts = split_parts(item.lines)
        paras = [p for _, p in paragraphs(head)]
        part_paras = [(label, [p for _, p in paragraphs(ls)]) for label, ls in parts]
        if not paras and not parts:
            raise source.error(
                item.first or lines[answer_at], f"question {item.numbers[0]} is empty"
            )
        questions.append(QuestionItem(item.numbers[0], paras, part_paras))

    k, number, date, asker = _answer_heading(source, lines, answer_at, number, date, asker)
    body = _end_signature(drop_page_furniture(source, lines[k:]), addressee, guesses)
    known = [q.number for q in questions]
    lead, answer_items = numbered(body, strict=False, known=set(known))
    # The annex references close the last answer (or the one unnumbered answer).
    if answer_items:
        answer_items[-1].lines, closing = _closing(answer_items[-1].lines)
    else:
        lead, closing = _closing(lead)
    opening: list[str] = []
    if not answer_items:
        answer_items = [Item(known if len(known) > 1 else [known[0]], lead)]
        if len(known) > 1:
            guesses.append(
                (
                    _first_no(lead),
                    f"one unnumbered answer: taken as the answer to questions {known}",
                )
            )
    elif any(not line.blank for line in lead):
        opening = [p for _, p in paragraphs(lead)]
        first = answer_items[0]
        if first.numbers[0] != known[0]:
            guesses.append(
                (
                    _first_no(lead),
                    f"text before answer {first.numbers[0]} kept as the opening; "
                    f"if it answers question {known[0]}, move it",
                )
            )
    answers = []
    table_ids: set[str] = set()
    with_parts = {q.number: [label for label, _ in q.parts] for q in questions}
    for item in answer_items:
        labels = [label for n in item.numbers for label in with_parts.get(n, [])]
        head, parts = split_parts(item.lines, labels) if labels else (item.lines, [])
        content = _content(source, head, table_ids, guesses)
        part_content = [(label, _content(source, ls, table_ids, guesses)) for label, ls in parts]
        answers.append(AnswerItem(item.numbers, content, part_content))
    answered = {n for a in answers for n in a.numbers}
    for q in questions:
        if q.number not in answered:
            guesses.append((0, f"no numbered answer found for question {q.number}"))
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
        opening,
        closing,
        url,
        guesses,
    )


_URL = re.compile(r"https?://\S+")


# A URL the text gives for itself (a line that is only a URL), or None.
def _url(lines: list[Line]) -> str | None:
    return next((line.text for line in lines if _URL.fullmatch(line.text)), None)


# The line of a bare "ANTWOORD" heading (its number and date given on the next lines), or None.
def _answer_line(lines: list[Line], i: int) -> int | None:
    for k in range(i, len(lines)):
        if _ANSWER.match(lines[k].text) and lines[k].text.split()[0].isupper():
            return k
    return None


# Refuse the budget documents' technical questions by name: they have no answer heading.
def _refuse_technical(source: Source, lines: list[Line]) -> None:
    if any(_ANSWER_HEAD.match(line.text) and line.text[:8].isupper() for line in lines):
        return  # a written question's answer heading stands in the text
    found = next((line for line in lines if _TECHNICAL.match(line.text)), None)
    if found is not None:
        raise source.error(
            found,
            "this looks like a budget document's technical questions (a question followed by "
            "'Antwoord', no 'aan <NAME>' and no 'ANTWOORD op vraag nr. N' heading); import reads "
            "written questions only: copy one question and its answer into that layout",
        )


# Where the question part ends: before the minister's signature (name and title in capitals).
def _signature(lines: list[Line], i: int, answer_at: int) -> int:
    end = answer_at
    while end > i and lines[end - 1].blank:
        end -= 1
    sig = end
    while (
        sig > i
        and lines[sig - 1].text
        and lines[sig - 1].text == lines[sig - 1].text.upper()
        and any(ch.isalpha() for ch in lines[sig - 1].text)
        and not item_match(lines[sig - 1].text)
    ):
        sig -= 1
    if sig < end and sig > i and lines[sig - 1].blank:
        end = sig
    return end


#: A name in capitals: two to six words of letters ("JO BROUNS", "HILDE CREVITS", "BART DE WEVER").
_CAPS_NAME = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’.-]*(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’.-]*){1,5}$")


# The answer's lines without the minister's signature at its end: a last block of lines in
# capitals (the title below the name) whose first line is the addressee's name (in any case) or
# a name in capitals, after a blank line or a finished sentence; ``guesses`` gets a note.
def _end_signature(body: list[Line], addressee: str, guesses: list[tuple[int, str]]) -> list[Line]:
    end = len(body)
    while end > 0 and body[end - 1].blank:
        end -= 1
    top = end
    while top > 0 and _capitals(body[top - 1].text):
        top -= 1
    if top > 0 and _same_name(body[top - 1].text, addressee):
        top -= 1  # the name as the header gives it, not in capitals
    # The addressee's name starts the signature where it stands in the block.
    top = next((k for k in range(top, end) if _same_name(body[k].text, addressee)), top)
    if top == end or not (
        _same_name(body[top].text, addressee)
        or (_CAPS_NAME.match(body[top].text) and not _ANNEX.match(body[top].text))
    ):
        return body
    before = next((b for b in reversed(body[:top]) if not b.blank), None)
    if before is None or not (
        body[top - 1].blank or _capitals(before.text) or re.search(r"[.!?:)]$", before.text)
    ):
        return body
    guesses.append(
        (body[top].no, f"{body[top].text!r} taken as the minister's signature: left out")
    )
    return body[:top]


# A line in capitals without figures: a name or a title of a signature.
def _capitals(text: str) -> bool:
    return text == text.upper() and any(ch.isalpha() for ch in text) and not re.search(r"\d", text)


# Whether a line is the addressee's name, in any case and spacing.
def _same_name(text: str, addressee: str) -> bool:
    return " ".join(text.split()).casefold() == addressee.casefold()


# The answer heading: "ANTWOORD" [op vraag nr. N] [van <date>] [van <NAME>], on one line or more.
def _answer_heading(
    source: Source,
    lines: list[Line],
    answer_at: int,
    number: int | None,
    date: dt.date | None,
    asker: str | None,
) -> tuple[int, int | None, dt.date | None, str | None]:
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
    return k, number, date, asker


def _skip_blank(lines: list[Line], i: int) -> int:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def _first_no(lines: list[Line]) -> int:
    return next((line.no for line in lines if not line.blank), 0)


# Paragraphs as lines with blank lines between (to read them again as lines).
def _spaced(paras: list[str]) -> list[str]:
    out: list[str] = []
    for p in paras:
        out += [p, ""]
    return out


# The subject (the title lines) and the introduction from the lines before question 1.
def _subject(
    source: Source, lead: list[Line], answer: Line, guesses: list[tuple[int, str]]
) -> tuple[str, list[str]]:
    paras = paragraphs(lead)
    if not paras:
        raise source.error(answer, "no subject and no question before the answer")
    first_line, text = paras[0]
    rest = [p for _, p in paras[1:]]
    if len(text) <= MAX_SUBJECT and not _SENTENCE_END.search(text.rstrip("?")):
        return text, rest
    # The title runs into the introduction: the title is the first line (and the next one
    # where the first breaks off after a joiner or a dash), the rest is the introduction.
    k = lead.index(first_line)
    block = []
    while k < len(lead) and not lead[k].blank:
        block.append(lead[k])
        k += 1
    # A title line runs on where it breaks off after a joiner or the next line starts in lower
    # case; a line that starts with a capital after an unfinished line starts the introduction.
    take = 1
    while (
        take < min(len(block), 3)
        and (block[take - 1].text.endswith(_JOINERS) or block[take].text[:1].islower())
        and len(join_lines([b.text for b in block[: take + 1]])) <= MAX_SUBJECT
        and not _SENTENCE_END.search(block[take - 1].text)
    ):
        take += 1
    subject = join_lines([b.text for b in block[:take]])
    intro = join_lines([b.text for b in block[take:]])
    if len(subject) > MAX_SUBJECT:
        cut = subject[: MAX_SUBJECT - 1].rsplit(" ", 1)[0]
        intro = join_lines([subject[len(cut) :], intro])
        subject = cut + "…"
    guesses.append(
        (
            first_line.no,
            f"subject taken as the title line(s) {subject!r}; the rest of that paragraph "
            "went to the introduction",
        )
    )
    return subject, ([intro] if intro else []) + rest


# The closing annex references after the last answer, split off the answers' lines.
def _closing(body: list[Line]) -> tuple[list[Line], list[str]]:
    for idx, line in enumerate(body):
        before = body[idx - 1] if idx else None
        if (
            _ANNEX.match(line.text)
            and (before is None or before.blank)
            and any(not x.blank for x in body[:idx])
        ):
            # Each annex line is a paragraph of its own, also without blank lines between.
            rest: list[Line] = []
            for annex in body[idx:]:
                if _ANNEX.match(annex.text) and rest and not rest[-1].blank:
                    rest.append(Line(annex.no, "", ""))
                rest.append(annex)
            return body[:idx], [p for _, p in paragraphs(rest)]
    return body, []


# An answer's paragraphs and tables, in the order they stand.
def _content(
    source: Source, lines: list[Line], table_ids: set[str], guesses: list[tuple[int, str]]
) -> list[str | ParsedTable]:
    splits = [split_line(line) for line in lines]
    regions = find_regions(source, lines, splits, guesses)
    out: list[str | ParsedTable] = []
    at = 0
    for region in regions:
        before = lines[at : region.start]
        out += [p for _, p in paragraphs(before)]
        table = parse_table(source, lines, region, guesses, context=_near_text(out, lines, region))
        table.id = _unique_id(table_id(table), table_ids)
        out.append(table)
        at = region.end
    out += [p for _, p in paragraphs(lines[at:])]
    return out


# The text around a table: the paragraph before it and the one after ("" where none).
def _near_text(before: list[str | ParsedTable], lines: list[Line], region: Region) -> list[str]:
    near = next((b for b in before[-1:] if isinstance(b, str)), "")
    tail = paragraphs(lines[region.end : region.end + 8])
    return [near, tail[0][1] if tail else ""]


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate.casefold())
    return candidate
