"""A table's header lines cut into column labels; column groups of a two-level header."""

from __future__ import annotations

_JOINERS = {
    "van",
    "per",
    "in",
    "en",
    "de",
    "het",
    "op",
    "voor",
    "met",
    "naar",
    "&",
    "-",
    "of",
    "the",
}


_STARTS = {
    "aantal",
    "bedrag",
    "som",
    "totaal",
    "toegekende",
    "percentage",
    "aandeel",
    "budget",
    "gemiddeld",
    "gemiddelde",
    "uitgaven",
    "ontvangsten",
    "jaar",
}


# Words of the header lines, a mid-word break ("subsi-" / "die") joined; with line starts.
def _header_words(header: list[str]) -> list[tuple[str, bool]]:
    words: list[tuple[str, bool]] = []
    for text in header:
        parts = text.split(" ")
        for k, word in enumerate(parts):
            if k == 0 and words and words[-1][0].endswith("-") and word[:1].islower():
                # A word hyphenated at the line end: "uitbe-" / "taalde" is "uitbetaalde".
                head = words[-1][0]
                head = head[:-1] if head[-2:-1].islower() and len(head) > 4 else head
                words[-1] = (head + word, words[-1][1])
                continue
            words.append((word, k == 0 and bool(words)))
    return words


def boundary_scores(header: list[str]) -> list[int]:
    """How strongly a column boundary falls before each word of the header (after the first)."""
    words = _header_words(header)
    scores = []
    for i in range(1, len(words)):
        prev, (word, line_start) = words[i - 1][0], words[i]
        score = 0
        if line_start:
            score += 3 if not word[:1].islower() else 1
        if word[:1].isupper():
            score += 2
        if word[:1].isdigit():
            score += 3
        if word.lower() in _STARTS:
            score += 1
        if prev.lower() in _JOINERS or prev.endswith("-"):
            score -= 5
        if prev in ("#", "%", "€"):
            score -= 6  # "# Limburg", "% Limburg": the sign starts the label it stands before
        if word in ("#", "%") and i + 1 < len(words) and words[i + 1][0][:1].isupper():
            score += 10
        if word[:1] in "(€%&-/" or word.lower() in ("euro", "eur", "€", "%"):
            score -= 5
        if prev.lower() in ("som", "sum", "count"):
            score -= 5
        scores.append(score)
    return scores


def split_header(header: list[str], n: int) -> list[str] | None:
    """The header lines cut into ``n + 1`` column labels, or None if they cannot be."""
    words = _header_words(header)
    if len(words) < n + 1:
        return None
    scores = boundary_scores(header)
    # The n strongest boundaries; on a tie the later one (labels of the first column run long).
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], -i))[:n]
    cuts = sorted(i + 1 for i in order)
    out, begin = [], 0
    for cut in [*cuts, len(words)]:
        out.append(" ".join(w for w, _ in words[begin:cut]))
        begin = cut
    return out


def group_line(text: str) -> bool:
    """Whether a header line names column groups ("OND ONTW ICON"): short words, no figures."""
    words = text.split()
    return (
        len(words) >= 2
        and all(len(w) <= 14 and w[:1].isupper() and not any(c.isdigit() for c in w) for w in words)
        and not any(w[:1] in "(€%" for w in words)
    )


def column_groups(line: str, labels: list[str], n: int) -> list[tuple[str, list[int]]]:
    """The column groups of a two-level header: each group over the same run of measure labels."""
    names = line.split()
    if n % len(names) or n // len(names) < 2:
        return []
    per = n // len(names)
    runs = [labels[1 + g * per : 1 + (g + 1) * per] for g in range(len(names))]
    if any([x.casefold() for x in run] != [x.casefold() for x in runs[0]] for run in runs):
        return []
    return [(name, list(range(g * per, (g + 1) * per))) for g, name in enumerate(names)]


def close_cut(header: list[str], n: int) -> bool:
    """Whether the n-th and the next boundary of a header score the same (the cut is a guess)."""
    scores = sorted(boundary_scores(header), reverse=True)
    return len(scores) > n and scores[n - 1] == scores[n]
