"""The published text as numbered lines: header block, paragraphs, numbered items, page furniture.

Every line keeps its line number in the source so that an error can name it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import ImportTextError

MONTHS = {
    name: i + 1
    for i, name in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ]
    )
}
# Word's bullet glyphs (Symbol/Wingdings in the private-use area) and ordinary bullets.
_BULLET = re.compile(r"^\s*([\ue000-\uf8ff•▪◦●■□➢►o*]|-(?=\s))\s+")
_PUA = re.compile(r"[\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_PAGE_NUMBER_STRONG = re.compile(
    r"^(?:[-–]\s*\d{1,4}\s*[-–]|(?:pagina|blz\.?|p\.|page)\s*\d{1,4}(?:\s*(?:van|/|of)\s*\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
_PAGE_NUMBER_PLAIN = re.compile(r"^\d{1,3}$")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_DATE_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@dataclass
class Line:
    """One line of the source: its 1-based number, its text, and what it turned out to be."""

    no: int
    text: str  # normalised: no trailing spaces, bullets replaced, PUA glyphs removed
    raw: str
    bullet: bool = False
    page_break: bool = False  # a form feed (a page boundary of a PDF) stands here

    @property
    def blank(self) -> bool:
        return not self.text


class Source:
    """The lines of one published text and the file it came from (for messages)."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines: list[Line] = []
        for no, raw in enumerate(text.split("\n"), start=1):
            parts = raw.split("\f")
            for k, part in enumerate(parts):
                if k:
                    self.lines.append(Line(no, "", "", page_break=True))
                if part.strip() or len(parts) == 1:
                    self.lines.append(_line(no, part))
        for line in self.lines:
            bad = _CONTROL.search(line.raw)
            if bad:
                raise self.error(
                    line,
                    f"holds control character U+{ord(bad.group()):04X}, which no output can store",
                )
        self.skipped: list[Line] = []  # page furniture left out, reported in the output

    def error(self, line: Line | int | None, message: str) -> ImportTextError:
        """The one-line error naming the file, the line and its text."""
        if isinstance(line, Line):
            return ImportTextError(f"{self.file}: line {line.no}: {message}: '{line.raw.strip()}'")
        if isinstance(line, int):
            raw = self.raw_line(line)
            return ImportTextError(f"{self.file}: line {line}: {message}: '{raw}'")
        return ImportTextError(f"{self.file}: {message}")

    def raw_line(self, no: int) -> str:
        for line in self.lines:
            if line.no == no and not line.page_break:
                return line.raw.strip()
        return ""


# Normalise one line: strip, replace bullet glyphs, drop other private-use glyphs, collapse spaces.
def _line(no: int, raw: str) -> Line:
    text = raw.replace("\u00ad", "")  # soft hyphen
    bullet = False
    match = None if _PAGE_NUMBER_STRONG.match(text.strip()) else _BULLET.match(text)
    if match and (match.group(1) != "o" or text.lstrip().startswith("o ")):
        text, bullet = text[match.end() :], True
    text = _PUA.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return Line(no, text, raw.rstrip(), bullet=bullet)


def is_break(lines: list[Line], i: int) -> bool:
    """Whether a page boundary stands at ``lines[i]``: a form feed or two blank lines or more."""
    if lines[i].page_break:
        return True
    if not lines[i].blank:
        return False
    j = i
    while j > 0 and lines[j - 1].blank and not lines[j - 1].page_break:
        j -= 1
    k = i
    while k + 1 < len(lines) and lines[k + 1].blank and not lines[k + 1].page_break:
        k += 1
    return k - j >= 1


def _near_break(lines: list[Line], i: int, reach: int = 1) -> bool:
    # Whether lines[i] stands at a page boundary (or the start/end), `reach` non-blank lines away.
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(lines):
            if lines[j].blank:
                if is_break(lines, j):
                    return True
                j += step
                continue
            seen += 1
            if seen >= reach:
                break
            j += step
        else:
            return True
    return False


def drop_page_furniture(source: Source, lines: list[Line]) -> list[Line]:
    """Leave out page numbers and running page headers and footers; note what was left out."""
    drop: set[int] = set()
    plain: list[int] = []
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if _PAGE_NUMBER_STRONG.match(line.text) and _near_break(lines, i):
            drop.add(i)
        elif _PAGE_NUMBER_PLAIN.match(line.text) and _near_break(lines, i):
            plain.append(i)
    values = [int(lines[i].text) for i in plain]
    for n, i in enumerate(plain):
        value = values[n]
        neighbours = values[max(n - 1, 0) : n] + values[n + 1 : n + 2]
        # A bare number is a page number when the numbers run on from page to page, or when it
        # stands at a form feed (a PDF page boundary) and equals that page's number.
        page = 1 + sum(1 for line in lines[:i] if line.page_break)
        # Numbers that run on only count where they stand apart (a blank line or a form feed on
        # both sides, or at a form feed and not under a column of figures): a blank run may stand
        # anywhere in a table, and a figure written right under a row's other cells ("1" / "1" /
        # "660" before a blank run) is that row's last cell, not a page number.
        apart = _apart(lines, i) or (_at_form_feed(lines, i) and not _beside_figures(lines, i))
        if (apart and any(abs(value - v) == 1 for v in neighbours)) or (
            _at_form_feed(lines, i) and value in (page, page + 1)
        ):
            drop.add(i)
    # Running headers: the same line at two page boundaries or more.
    counts = Counter(line.text for line in lines if not line.blank)
    for text, count in counts.items():
        if count < 2 or not any(ch.isalpha() for ch in text) or _figures_only(text):
            continue  # a figure is never page furniture
        where = [i for i, line in enumerate(lines) if line.text == text]
        # Only at form feeds (page boundaries of a PDF): in a text file a blank run may stand
        # anywhere in a table, and a label beside it is no page header.
        if all(_at_form_feed(lines, i) and not _label_of_figures(lines, i) for i in where):
            drop.update(where)
    source.skipped.extend(lines[i] for i in sorted(drop))
    return [line for i, line in enumerate(lines) if i not in drop]


# Whether lines[i] is a row label rather than a page header: the next line holds figures only,
# or the label runs on over lines that start in lower case ("Zorg zorg" / "bouw") to its figures.
# A label wrapped at the top of two pages ("Zorg zorg" / "zorg", "Zorg zorg" / "bouw") repeats
# its first line at page boundaries like a running header does.
def _label_of_figures(lines: list[Line], i: int) -> bool:
    wrapped = False
    for line in lines[i + 1 :]:
        if line.blank:
            if wrapped:
                return False
            continue
        if _figures_only(line.text):
            return True
        if not line.text[:1].islower():
            return False
        if _ends_in_figures(line.text):
            return True
        wrapped = True
    return False


# Whether a line ends in a figure ("bouw 9.893 20.435"): a row's label and its cells.
def _ends_in_figures(text: str) -> bool:
    from .numbers import EURO, PERCENT, parse_number

    tokens = text.split(" ")
    while len(tokens) > 1 and tokens[-1] in (EURO, PERCENT, "EUR"):
        tokens.pop()
    return parse_number(tokens[-1]) is not None


# Whether lines[i] has a blank line (or a page boundary, or the start or end) on both sides.
def _apart(lines: list[Line], i: int) -> bool:
    return (i == 0 or lines[i - 1].blank) and (i + 1 >= len(lines) or lines[i + 1].blank)


# Whether a line of figures only stands right above or below lines[i] (no blank line between).
def _beside_figures(lines: list[Line], i: int) -> bool:
    return any(
        0 <= j < len(lines) and not lines[j].blank and _figures_only(lines[j].text)
        for j in (i - 1, i + 1)
    )


# Whether a line holds figures (and signs) only.
def _figures_only(text: str) -> bool:
    from .numbers import EMPTY_MARKS, parse_number

    return all(t in ("€", "%") or t in EMPTY_MARKS or parse_number(t) for t in text.split(" "))


# Whether a form feed stands next to lines[i], with only blank lines between.
def _at_form_feed(lines: list[Line], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and lines[j].blank:
            if lines[j].page_break:
                return True
            j += step
    return False


def paragraphs(lines: list[Line]) -> list[tuple[Line, str]]:
    """Blank-line separated paragraphs, wrapped lines joined; a bullet starts its own paragraph."""
    out: list[tuple[Line, str]] = []
    current: list[Line] = []
    for line in [*lines, Line(0, "", "")]:
        if line.page_break:
            continue  # a paragraph may run on over a page boundary
        if line.blank or line.bullet:
            if current:
                out.append((current[0], join_lines([c.text for c in current], current[0].bullet)))
            current = [] if line.blank else [line]
        else:
            current.append(line)
    return out


def join_lines(texts: list[str], bullet: bool = False) -> str:
    """Join wrapped lines: one space, or none after a hyphen that a lowercase word follows."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if not out:
            out = text
        elif out.endswith("-") and not out.endswith(" -") and text[:1].islower():
            out += text
        else:
            out += " " + text
    out = _SPACES.sub(" ", out).strip()
    return f"• {out}" if bullet and out else out


def parse_date(text: str) -> dt.date | None:
    """A date as written in the header ("24 september 2020", "24/09/2020"), or None."""
    match = _DATE_WORDS.search(text)
    try:
        if match and match.group(2).lower() in MONTHS:
            day, month, year = match.groups()
            return dt.date(int(year), MONTHS[month.lower()], int(day))
        match = _DATE_NUMERIC.search(text)
        if match:
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None


_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "het", "'t", "le", "la", "du", "d'"}


def name_case(text: str) -> str:
    """'KURT VANRYCKEGHEM' -> 'Kurt Vanryckeghem'; 'VERA VAN DER BORGHT' -> 'Vera Van der Borght'."""
    words = text.strip().split()
    out: list[str] = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i > 0 and lower in _PARTICLES and out and out[-1].lower() in _PARTICLES:
            out.append(lower)
        else:
            out.append("-".join(_capital(part) for part in lower.split("-")))
    return " ".join(out)


# First letter up, including after an apostrophe (D'Haese, O'Neill).
def _capital(word: str) -> str:
    if not word:
        return word
    parts = word.split("'")
    if len(parts) == 2 and len(parts[0]) == 1:
        return parts[0].upper() + "'" + parts[1][:1].upper() + parts[1][1:]
    return word[:1].upper() + word[1:]


_PROPER = {
    "vlaams": "Vlaams",
    "vlaamse": "Vlaamse",
    "regering": "Regering",
    "vlaanderen": "Vlaanderen",
    "brussel": "Brussel",
    "brusselse": "Brusselse",
    "europese": "Europese",
    "belgische": "Belgische",
}
_SMALL = {"en", "van", "de", "het", "der", "den", "voor", "in", "op", "met", "'t", "bij", "aan"}


def title_case(text: str) -> str:
    """An all-caps minister's title in the house style: sentence case, proper nouns and the
    portfolio capitalised ("Vlaams minister van Economie, Innovatie, Werk en Landbouw")."""
    if text != text.upper():
        return _SPACES.sub(" ", text).strip()
    words = _SPACES.sub(" ", text).strip().lower().split(" ")
    out: list[str] = []
    portfolio = False
    for i, word in enumerate(words):
        bare = word.strip(",;.")
        if i == 0:
            word = _capital(word)
        elif bare in _PROPER:
            word = word.replace(bare, _PROPER[bare])
        elif portfolio and bare not in _SMALL:
            word = "-".join(_capital(p) for p in word.split("-"))
        out.append(word)
        if bare.endswith("minister") and i + 1 < len(words) and words[i + 1] == "van":
            portfolio = True  # the portfolio follows "minister van"
        elif (
            word.endswith(",")
            and i + 1 < len(words)
            and words[i + 1].strip(",")
            in (
                "vlaams",
                "viceminister-president",
                "minister-president",
                "minister",
            )
        ):
            portfolio = False
    return " ".join(out)
