"""Column keys and table ids from the labels; names for a table printed without a header."""

from __future__ import annotations

import re
from collections import Counter

from .parsed import ParsedTable

SOM_VAN = re.compile(r"^(som van|sum of|aantal van|count of)\s+", re.IGNORECASE)


#: Table ids for the known label columns (English plurals); other tables take the key itself.
TABLE_IDS = {
    "theme": "themes",
    "province": "provinces",
    "municipality": "municipalities",
    "sector": "sectors",
    "year": "years",
    "label": "pivot",
    "description": "items",
    "region": "regions",
}


KNOWN_KEYS = {
    "thema": "theme",
    "aantal projecten": "projects",
    "toegekende subsidie": "subsidy",
    "aantal dossiers": "dossiers",
    "aantal ondernemingen": "enterprises",
    "aantal aanvragen": "applications",
    "bedrag": "amount",
    "jaar": "year",
    "sector": "sector",
    "provincie": "province",
    "gemeente": "municipality",
    "rijlabels": "label",
    "row labels": "label",
    "aandeel": "share",
    "percentage": "percent",
    "omschrijving": "description",
}


def column_key(label: str) -> str:
    """A snake_case ASCII key for a column label: a known Dutch header, else a slug."""
    import unicodedata

    bare = SOM_VAN.sub("", label).strip()
    bare = re.sub(r"^#\s*", "aantal ", re.sub(r"^%\s*", "aandeel ", bare))
    bare = re.sub(r"\((?:€|eur|euro|%|in [^)]*)\)", "", bare, flags=re.IGNORECASE).strip()
    bare = re.sub(r"\s*(€|%)$", "", bare).strip()
    folded = bare.casefold()
    if folded in KNOWN_KEYS:
        return KNOWN_KEYS[folded]
    ascii_text = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if not slug:
        slug = "column"
    if slug[0].isdigit():
        slug = f"col_{slug}"
    return slug[:40].rstrip("_")


def unique_keys(keys: list[str]) -> list[str]:
    """The keys made unique: a repeated key gets _2, _3, ..."""
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(key if seen[key] == 1 else f"{key}_{seen[key]}")
    return out


def table_id(table: ParsedTable) -> str:
    """The id a table gets from its label column (themes, provinces, years, ...)."""
    base = table.columns[0].key
    return TABLE_IDS.get(base, base)


_PER = re.compile(r"\bper\s+([a-zà-ÿ-]{3,30})", re.IGNORECASE)


_KIND_NAMES = {"count": "Aantal", "amount": "Bedrag", "percent": "Aandeel (%)", "number": "Waarde"}


def name_columns(
    table: ParsedTable, context: list[str], notes: list[tuple[int, str]], at: int
) -> None:
    """Name the columns of a table printed without a header row: from its caption ("... per
    provincie" names the label column) or the sentence before it, else by kind; each a guess."""
    sources = [t for t in [table.caption, *context[:1]] if t]
    first = "Jaar" if table.dimension == "period" else "Omschrijving"
    for text in sources:
        m = _PER.search(text)
        if m and table.dimension != "period":
            first = m.group(1)[:1].upper() + m.group(1)[1:].lower()
            break
    measures = [c for c in table.columns[1:]]
    named: list[str] = []
    for text in sources:
        head = _PER.split(text)[0]
        head = re.sub(r"^(?:overzicht\s+van\s+|het\s+|de\s+)", "", head.strip(), flags=re.I)
        parts = [p.strip(" .:") for p in re.split(r",\s*|\s+en\s+", head) if p.strip(" .:")]
        if len(parts) == len(measures) and all(
            0 < len(p) <= 40 and len(p.split()) <= 4 for p in parts
        ):
            named = [p[:1].upper() + p[1:] for p in parts]
            break
    if not named:
        named = [_KIND_NAMES[c.type] for c in measures]
    table.columns[0].label, table.columns[0].key = first, column_key(first)
    for c, label in zip(measures, named, strict=True):
        c.label, c.key = label, column_key(label)
    used = [first, *named]
    base = f"from the caption {table.caption!r}" if table.caption else "by their kind"
    notes.append((at, f"a table without a header row: columns named {used} {base}; check them"))
