"""Words for generated sentences taken from a table's own column labels.

The brief never assumes what a table is about: "verdeeld over 58 thema’s", "Gemiddeld per
project" and "De grootste provincies" come from the label column ("Thema", "Provincie") and
the count column ("Aantal projecten", "Dossiers"). Dutch plurals and singulars are derived
only where a rule is certain; otherwise the functions return None and the brief uses a
phrasing that needs no such word.
"""

from __future__ import annotations

import re

_UNIT = re.compile(r"\s*\([^)]*\)\s*$")
_WORD = re.compile(r"^[a-zà-ÿ]+$")
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")
_APOSTROPHE = "\u2019"


def lower_first(text: str) -> str:
    """``Aantal projecten`` -> ``aantal projecten``; ``IT`` and ``EHBO`` stay as they are."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def without_unit(text: str) -> str:
    """``Toegekende subsidie (€)`` -> ``Toegekende subsidie``."""
    return _UNIT.sub("", text) or text


def count_noun(label: str) -> str:
    """What a count column counts, as a Dutch plural noun: ``Aantal projecten`` -> ``projecten``.

    ``Dossiers`` -> ``dossiers``; ``Aantal`` alone -> ``""`` (the count needs no noun then).
    """
    noun = lower_first(without_unit(label).strip())
    if noun.casefold() == "aantal":
        return ""
    if noun.casefold().startswith("aantal "):
        noun = noun[len("aantal ") :].strip()
    return noun


def dutch_plural(label: str) -> str | None:
    """The plural of a one-word Dutch label (``Thema`` -> ``thema’s``), or None if unsure."""
    word = lower_first(without_unit(label).strip())
    if not _WORD.match(word) or len(word) < 3:
        return None
    if word[-1] in "aiouy" and word[-2] not in _VOWELS:
        return word + _APOSTROPHE + "s"  # thema’s, regio’s, menu’s
    if word.endswith(("gie", "rie")):
        return word + "ën"  # categorieën, strategieën
    if word.endswith("e"):
        return word + "s"  # provincies, gemeentes, premies, types
    if word.endswith(("el", "em", "en", "er")) and word[-3] not in _VOWELS:
        return word + "s"  # begrotingsartikels, kaders (not systeem, probleem)
    return None


def dutch_singular(noun: str) -> str | None:
    """The singular of a Dutch plural noun (``projecten`` -> ``project``), or None if unsure."""
    word = noun.strip()
    if not _WORD.match(word.replace(_APOSTROPHE, "").replace("'", "")) or len(word) < 4:
        return None
    if word.endswith((_APOSTROPHE + "s", "'s")):
        return word[:-2]  # thema’s
    if word.endswith("es") or word.endswith(("ers", "els", "ems", "ens")):
        return word[:-1]  # premies, types, dossiers, artikels
    if word.endswith("en"):
        stem = word[:-2]
        a, b = stem[-2], stem[-1]
        if a not in _VOWELS and b not in _VOWELS and a != b and b not in "vz":
            return stem  # projecten, ondernemingen, studenten
    return None
