"""Numbered items of a question or an answer: "1.", "1)", "1." alone on a line, "Vraag 1",
"1 en 2.", "1-3."; and sub-questions or sub-answers "a)", "b)"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line

# "1. text", "1)", "1 en 2.", "1-3.", "Vraag 1", "Vraag 2:", "Antwoord op vraag 3".
_NUMBERS = r"\d{1,2}(?:\s*(?:,|en|&|[-–]|tot)\s*\d{1,2})*"
_ITEM = re.compile(rf"^(?P<numbers>{_NUMBERS})\s*[.)](?:\s+(?P<rest>\S.*))?$")
_VRAAG = re.compile(
    rf"^(?:antwoord\s+(?:op\s+)?)?vra(?:ag|gen)\s+(?P<numbers>{_NUMBERS})\s*[.:)–-]?"
    r"(?:\s+(?P<rest>\S.*))?$",
    re.IGNORECASE,
)
_PART = re.compile(r"^(?P<label>[a-h])\s*\)(?:\s+(?P<rest>\S.*))?$")


@dataclass
class Item:
    """A numbered question or answer: the question numbers it stands for, and its lines."""

    numbers: list[int]
    lines: list[Line] = field(default_factory=list)
    first: Line | None = None


def item_match(text: str) -> re.Match[str] | None:
    """The numbering a line starts with ("1. ...", "Vraag 2"), or None."""
    return _ITEM.match(text) or _VRAAG.match(text)


def question_numbers(text: str) -> list[int]:
    """ "1 en 2" -> [1, 2]; "1-3" / "1 tot 3" -> [1, 2, 3]; "1, 2 en 4" -> [1, 2, 4]."""
    out: list[int] = []
    for m in re.finditer(r"(\d{1,2})(?:\s*(?:[-–]|tot)\s*(\d{1,2}))?", text):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        out += list(range(a, b + 1)) if a <= b <= a + 20 else [a]
    return out


def numbered(
    lines: list[Line], strict: bool, known: set[int] | None = None
) -> tuple[list[Line], list[Item]]:
    """The lines before the first numbered item, and the items.

    Each number follows the previous one, or, in the answers (``known``: the questions asked),
    is a question asked and not answered yet. An item starts a paragraph, stands alone, or
    follows a full stop; ``strict`` (the questions) takes one number at a time, in order.
    """
    lead: list[Line] = []
    items: list[Item] = []
    previous = 0
    done: set[int] = set()
    for idx, line in enumerate(lines):
        m = item_match(line.text)
        if m:
            numbers = question_numbers(m.group("numbers"))
            rest = m.group("rest") or ""
            before = lines[idx - 1] if idx else None
            at_start = (
                before is None
                or before.blank
                or not rest
                or (not items and not any(not x.blank for x in lead))
                or bool(re.search(r"[.?!:;]$", before.text))
                # A question "1. Hoeveel ..." at a line start, after an unfinished line.
                or (strict and rest[:1].isupper())
            )
            first = numbers[0]
            if strict:
                fits = len(numbers) == 1 and first == previous + 1
            else:
                fits = first == previous + 1 and (known is None or first in known)
                fits = fits or (known is not None and first in known and first > previous)
                # "Vraag 2" after "Vraag 1 en 3": named, so any question not answered yet.
                fits = fits or (
                    known is not None and m.re is _VRAAG and not any(n in done for n in numbers)
                )
                fits = fits and (known is None or all(n in known for n in numbers))
                fits = fits and numbers == sorted(set(numbers))
            if at_start and fits:
                previous = max(previous, numbers[-1])
                done.update(numbers)
                items.append(
                    Item(
                        numbers, [Line(line.no, rest, line.raw, line.bullet)] if rest else [], line
                    )
                )
                continue
        if items:
            items[-1].lines.append(line)
        else:
            lead.append(line)
    return lead, items


def split_parts(
    lines: list[Line], labels: list[str] | None = None
) -> tuple[list[Line], list[tuple[str, list[Line]]]]:
    """Sub-questions or sub-answers "a)", "b)" (two at least; in an answer, the ``labels`` its
    question has): the lines before the first, and each part's label and lines."""
    head: list[Line] = []
    parts: list[tuple[str, list[Line]]] = []
    for idx, line in enumerate(lines):
        m = _PART.match(line.text)
        before = lines[idx - 1] if idx else None
        at_start = before is None or before.blank or bool(re.search(r"[.?!:;]$", before.text))
        if m and at_start:
            label = m.group("label")
            expected = chr(ord(parts[-1][0]) + 1) if parts else "a"
            if label == expected and (labels is None or label in labels):
                rest = m.group("rest")
                parts.append((label, [Line(line.no, rest, line.raw)] if rest else []))
                continue
        if parts:
            parts[-1][1].append(line)
        else:
            head.append(line)
    if len(parts) < 2:
        return lines, []
    return head, parts
