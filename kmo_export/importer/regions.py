"""Where the tables stand among an answer's lines, and running text that is no table.

A table is a run of lines that end in figures, with its caption and header lines above it;
a run whose lines read as sentences stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Split, bad_figure, is_total
from .text import Line, Source, join_lines

CAPTION = re.compile(r"^(tabel|table|overzicht|figuur|grafiek)\s+[\w.-]*\d[\w.-]*\b", re.IGNORECASE)


@dataclass
class Region:
    """Where a table stands among an answer's lines."""

    start: int  # first line of the table (caption / header / first row)
    body: int  # first line of the first row
    end: int  # one past the last row
    header: list[Line]
    caption: str | None


def prose(text: str, strict: bool = False) -> bool:
    """A sentence rather than a table label or header (strict: also mostly lower-case words)."""
    if strict and sentence_like(text, ends=False, short=7):
        return True
    if text.endswith(":"):
        return True
    if len(text) >= 40 and text[-1] in ".;!?":
        return True
    return len(text) >= 60 and bool(re.search(r"[.;:] [A-Z]", text))


#: Words a sentence breaks off after, never a row label's last word ("bedroeg in 2022 47").
_FUNCTION_WORDS = frozenset(
    (
        "van", "in", "op", "tot", "met", "voor", "aan", "bij", "naar", "over", "om", "te", "de",
        "het", "een", "en", "of", "dan", "is", "was", "werd", "werden", "bedroeg", "bedraagt",
        "bedroegen", "zijn", "waren", "wordt", "worden", "hebben", "heeft", "had", "ongeveer",
        "circa", "ca.", "nog", "maar", "slechts", "al", "ruim", "bijna", "meer", "minder", "dat",
        "die", "waarvan", "namelijk", "telkens", "respectievelijk", "tussen", "sinds", "vanaf",
        "na", "door", "tegenover", "vergeleken", "ten", "opzichte", "als", "zo'n", "zowat"
    )
)  # fmt: skip
#: A figure inside a line's text, followed by more text ("Antwerpen 12, Gent 14 en ...").
_NUMBER_INSIDE = re.compile(r"\s[-€]?\d[\d.,]*(?:,\s|\s+[a-zà-ÿ])")
#: Verbs of the answers' sentences: a line holding one is running text, not a label.
_VERBS = frozenset(
    (
        "werd", "werden", "is", "zijn", "was", "waren", "bedroeg", "bedraagt", "bedroegen",
        "heeft", "hebben", "had", "hadden", "wordt", "worden", "gaat", "ging", "gingen", "kreeg",
        "kregen", "ontving", "ontvingen", "zal", "zullen", "kan", "kunnen", "moet", "moeten",
        "steeg", "daalde", "stijgt", "daalt", "telt", "telde", "bevat", "bevatte", "gaf", "geeft"
    )
)  # fmt: skip


def sentence_like(text: str, ends: bool = True, short: int = 5) -> bool:
    """Whether a line reads as running text: it ends in a function word ("in", "van", "bedroeg"),
    holds a verb, has ``short`` words or more mostly in lower case, a sentence ends inside it,
    or a figure stands inside it ("12, Gent")."""
    tokens = text.split()
    words = [w for w in tokens if any(ch.isalpha() for ch in w)]
    if not words:
        return False
    if ends and len(tokens) >= 2 and tokens[-1].lower().strip(",;") in _FUNCTION_WORDS:
        return True
    if len(words) >= 2 and any(w.lower().strip(",;:") in _VERBS for w in words):
        return True
    lower = sum(1 for w in words if w[:1].islower())
    if len(words) >= short and lower >= 0.6 * len(words):
        return True
    if len(words) >= 4 and re.search(r"[.;!?](?:\s|$)", text):
        return True
    return bool(_NUMBER_INSIDE.search(text))


def find_regions(
    source: Source,
    lines: list[Line],
    splits: list[Split],
    guesses: list[tuple[int, str]] | None = None,
) -> list[Region]:
    """The tables among ``lines`` (an answer's lines): each a run of lines ending in figures.

    Running text whose lines happen to end in a figure is never a table: a run is kept as text
    when a line's label reads as a sentence or a figure is followed by the rest of its sentence
    (a lower-case line that ends it); ``guesses`` gets a note naming the lines.
    """
    regions: list[Region] = []
    i = 0
    while i < len(lines):
        if not splits[i].numeric or lines[i].blank:
            i += 1
            continue
        # Extend the run: figures, labels, blank lines and page breaks, but no prose.
        last = i
        numeric = 1
        j = i + 1
        gap = 0
        while j < len(lines):
            s = splits[j]
            if lines[j].blank:
                j += 1
                continue
            if s.numeric:
                last, gap = j, 0
                numeric += 1
                if is_total(s.text):
                    break
            else:
                if prose(s.text) or CAPTION.match(s.text):
                    break
                gap += 1
                if gap > 4:
                    break
            j += 1
        # A number in running text ("... voor kleine ondernemingen 10.000") is no table.
        if numeric < 2 and not (numeric == 1 and _single_row_table(lines, splits, i)):
            i = last + 1
            continue
        region = _with_header(lines, splits, i, last + 1, regions[-1].end if regions else 0)
        if region is not None:
            why = _running_text(lines, splits, region)
            if why is not None:
                if guesses is not None:
                    guesses.append(
                        (
                            lines[i].no,
                            f"lines {lines[i].no}-{lines[last].no} end in figures but {why}: "
                            "kept as text, not as a table",
                        )
                    )
            else:
                regions.append(region)
        i = last + 1
    return regions


# Why the lines of a region are running text rather than a table (None: a table).
def _running_text(lines: list[Line], splits: list[Split], region: Region) -> str | None:
    framed = bool(region.header) or region.caption is not None
    for k in range(region.body, region.end):
        s = splits[k]
        if not s.cells or lines[k].blank:
            continue
        label = s.text
        if label and label.split()[-1].lower().strip(",;") in _FUNCTION_WORDS and " " in label:
            return f"line {lines[k].no} breaks off after {label.split()[-1]!r}"
        if (
            label
            and not framed
            and (
                sentence_like(label, short=6)
                or re.search(r"[.!?:;](?:\s|$)", label)
                or any(bad_figure(t) for t in label.split(" "))
            )
        ):
            return f"line {lines[k].no} reads as a sentence"
        if label and _NUMBER_INSIDE.search(" " + label):
            return f"line {lines[k].no} holds figures inside its text"
        if label[:1].islower() and not framed:
            before = next(
                (b for b in range(k - 1, region.start - 1, -1) if not lines[b].blank), None
            )
            if before is None or splits[before].numeric:
                return f"line {lines[k].no} continues a sentence"
        nxt = k + 1
        if nxt < len(lines) and not lines[nxt].blank and not splits[nxt].numeric:
            text = lines[nxt].text
            if text[:1].islower() and (re.search(r"[.;!?]$", text) or sentence_like(text)):
                return f"the sentence of line {lines[k].no} runs on to line {lines[nxt].no}"
    return None


# Whether a lone line of figures is a one-row table: a header-like line stands just before it.
def _single_row_table(lines: list[Line], splits: list[Split], i: int) -> bool:
    return (
        i > 0
        and not lines[i - 1].blank
        and not splits[i - 1].numeric
        and splits[i].text != ""
        and not prose(lines[i - 1].text, strict=True)
        and len(splits[i].cells) >= 2
    )


def _with_header(
    lines: list[Line], splits: list[Split], first: int, end: int, floor: int
) -> Region | None:
    # Walk back from the first line with figures over the header lines (and the first label).
    collected: list[int] = []
    k = first - 1
    caption = None
    crossed = False
    while k >= floor:
        line = lines[k]
        if line.blank:
            own = len(collected) - _label_lines(lines, splits, first, collected)
            if own > 0 or crossed:
                break
            # The header may stand on the previous page: cross the blank lines once.
            m = k
            while m >= floor and lines[m].blank:
                m -= 1
            if m < floor or prose(lines[m].text, strict=True) or splits[m].numeric:
                break
            block = m
            while block >= floor and not lines[block].blank:
                block -= 1
            if m - block > 4:
                break
            crossed = True
            k = m
            continue
        if splits[k].numeric or prose(line.text, strict=True):
            break
        if CAPTION.match(line.text):
            caption = line.text
            break
        collected.insert(0, k)
        k -= 1
    if caption is None:
        m = k
        while m >= floor and lines[m].blank:
            m -= 1
        if m >= floor and CAPTION.match(lines[m].text) and not splits[m].numeric:
            caption, k = _caption_paragraph(lines, m, floor)
    start = min([*collected, first])
    if caption is not None:
        start = min(start, k)
    n_label = _label_lines(lines, splits, first, collected)
    header_idx = collected[: len(collected) - n_label] if n_label else collected
    body = collected[len(header_idx)] if n_label else first
    return Region(start, body, end, [lines[h] for h in header_idx], caption)


# How many of the lines before the first figures belong to the first row's label.
def _label_lines(lines: list[Line], splits: list[Split], first: int, collected: list[int]) -> int:
    if not collected:
        return 0
    s = splits[first]
    if s.text:  # the first row's label stands on its figures' line
        n = 0
        text = s.text
        while n < len(collected) and text[:1].islower():
            n += 1
            text = lines[collected[-n]].text
        return n
    if _number_labelled(splits, first):
        return 0
    n = 1
    while n < len(collected) and lines[collected[-n]].text[:1].islower():
        n += 1
    return n


# Whether the rows from lines[first] on are figures only, the first one a label ("2021 120 1.000").
def _number_labelled(splits: list[Split], first: int) -> bool:
    counts = []
    for s in splits[first : first + 12]:
        if s.line.blank:
            continue
        if s.text or not s.cells:
            break
        head = s.cells[0]
        if head is None or not head.is_plain_int:
            return False
        counts.append(len(s.cells))
    return len(counts) >= 2 and counts[0] >= 2 and len(set(counts[:-1])) == 1


# The caption paragraph ending at lines[m]: its text and its first line.
def _caption_paragraph(lines: list[Line], m: int, floor: int) -> tuple[str, int]:
    k = m
    while k - 1 >= floor and not lines[k - 1].blank and not prose(lines[k - 1].text):
        k -= 1
    return join_lines([line.text for line in lines[k : m + 1]]), k
