"""Words for generated sentences taken from a table's own column labels.

The brief never assumes what a table is about: "verdeeld over 58 thema’s", "Gemiddeld per
project" and "De grootste provincies" come from the label column ("Thema", "Provincie") and
the count column ("Aantal projecten", "Dossiers"). Dutch plurals and singulars are derived
only where a rule is certain; otherwise the functions return None and the brief uses a
phrasing that needs no such word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..model import Column, ColumnType, DimensionKind, Table

_UNIT = re.compile(r"\s*\([^)]*\)\s*$")
_PIVOT = re.compile(r"^(?:som|sum|totaal|total) (?:van|of) ", re.IGNORECASE)
#: Row headers that name no dimension: an Excel pivot's defaults ("Rijlabels", "Row Labels").
_GENERIC_ROW_HEADERS = {"rijlabels", "rijlabel", "row labels", "row label", "labels"}
_WORD = re.compile(r"^[a-zà-ÿ]+$")
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")
_APOSTROPHE = "\u2019"


def lower_first(text: str) -> str:
    """``Aantal projecten`` -> ``aantal projecten``; ``IT`` and ``EHBO`` stay as they are."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def without_unit(text: str) -> str:
    """``Toegekende subsidie (€)`` -> ``Toegekende subsidie``; an Excel pivot's ``Som van
    Subsidie`` -> ``Subsidie``."""
    text = _PIVOT.sub("", text) or text
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
    if word.endswith(("ing", "ment", "teit", "or")):
        return word + "en"  # opleidingen, instrumenten, activiteiten, sectoren
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


# -- phrasing of the brief: figures, units and labels in sentences and headers --------------

#: The unit names of the multipliers the catalogue knows (``brief.unit.million``).
_MULTIPLIER_NAMES = {3: "thousand", 6: "million", 9: "billion"}


def currency(column: Column) -> tuple[str, int]:
    """An amount column's currency and unit multiplier: ``("EUR", 6)`` for million euro.

    An amount without a unit is euro. Format 1 wrote million euro as the unit
    ``EUR million``; that declared name maps to the multiplier here, and only here.
    """
    unit = column.unit or "EUR"
    if unit.strip().upper() in ("EUR", "€"):
        unit = "EUR"
    if unit == "EUR million":
        return "EUR", max(column.multiplier, 6)
    return unit, column.multiplier


class Words:
    """How the brief in one language says figures, units and the dataset's labels.

    Dutch briefs use the dataset's labels as words ("naar aantal projecten", "58 thema’s");
    English briefs use the English labels where the dataset gives them and quote the Dutch
    ones as names (“Aantal projecten”).
    """

    def __init__(self, language: str) -> None:
        from ..labels import labels

        self.lang = language
        self.labels = labels(language)
        self.dutch = self.labels.get("brief.format.labels_in_text") == "dutch"
        self.tag = self.labels.get("language_tag")

    def get(self, key: str, **values: object) -> str:
        """A catalogue text of the brief."""
        return self.labels.get(key, **values)

    # -- labels --

    def label(self, text: str, translated: bool = False, start: bool = False) -> str:
        """A label of the dataset inside a generated sentence.

        As a word (lower case but at the start) where it is in the brief's language (Dutch,
        or an English twin: ``translated``); else quoted as a name.
        """
        if self.dutch or translated:
            text = _PIVOT.sub("", text) or text  # an Excel pivot's "Som van Subsidie"
            return text[:1].upper() + text[1:] if start else lower_first(text)
        return self.labels.get("brief.format.quote", text=text)

    def column(self, column: Column, start: bool = False) -> str:
        """A column's label inside a sentence (its English twin in English, where given)."""
        translated = self.lang != "nl" and bool(column.label_en)
        return self.label(column.text(self.lang), translated, start)

    def measure(self, column: Column, start: bool = False) -> str:
        """A column in a sentence: what it counts where the dataset says so (``goedgekeurde
        OND-projecten in Limburg``), else its label with its group: ``# Limburg, OND``."""
        what = column.what_text(self.lang)
        if what:
            return what[:1].upper() + what[1:] if start else what
        name = self.column(column, start)
        return f"{name}, {column.group}" if column.group else name

    def foreign(self, column: Column) -> str | None:
        """The language tag of a column's label where it is not the brief's language."""
        if self.lang == "nl" or column.label_en:
            return None
        return "nl-BE"

    def names_rows(self, column: Column) -> bool:
        """Whether the row header names what the rows are (not a pivot's "Rijlabels")."""
        return column.label.strip().casefold() not in _GENERIC_ROW_HEADERS

    def plural(self, column: Column) -> str | None:
        """The plural of the row dimension's label (``thema’s``, ``provinces``), if certain."""
        if not self.names_rows(column):
            return None
        if self.dutch:
            return dutch_plural(column.label)
        if column.label_en:
            return english_plural(column.label_en)
        return None

    def spread(self, table: Table, n: int, residual: Sequence[str] = ()) -> str:
        """Over what the rows are spread: ``verdeeld over 58 thema’s``, ``van 2020 tot 2024``;
        rows that gather the rest (``residual``) are no category: ``verdeeld over 9 sectoren,
        plus overige sectoren``."""
        from .. import formatting as fmt

        if table.kind is DimensionKind.PERIOD and n:
            labels = list(table.top_rows.labels())
            return self.get("brief.words.periods", first=labels[0], last=labels[-1])
        plural = self.plural(table.label_column)
        count = fmt.number(n - len(residual), self.lang)
        if plural is not None:
            spread = self.get("brief.words.spread", rows=f"{count} {plural}")
        else:
            spread = self.get("brief.words.spread_plain", rows=count)
        if residual:
            spread = self.get(
                "brief.words.spread_rest", spread=spread, rest=fmt.join(list(residual), self.lang)
            )
        return spread

    # -- units --

    def unit(self, column: Column) -> str | None:
        """The unit a header shows: ``€``, ``miljoen €``, ``%``, ``km``; None for a count."""
        if column.type is ColumnType.PERCENT:
            return "%"
        if column.is_money:
            code, multiplier = currency(column)
            symbol = self._currency(code)
            name = _MULTIPLIER_NAMES.get(multiplier)
            if name is None:
                return symbol
            return self.get(f"brief.unit.{name}", unit=symbol)
        if column.type is ColumnType.NUMBER and column.unit:
            return column.unit_text(self.lang)
        return None

    def _currency(self, code: str) -> str:
        # A currency code as its symbol (EUR -> €), an unknown one as written.
        try:
            return self.labels.get(f"brief.unit.{code}")
        except KeyError:
            return code

    def header(self, column: Column) -> str:
        """A column's header with its unit: ``Toegekende steun (miljoen €)``, ``% Limburg``.

        A label that already ends with its unit in brackets (format 1: ``Bedrag (€)``), or a
        percentage's label with a percent sign, is kept as it is.
        """
        text = column.text(self.lang)
        unit = self.unit(column)
        if unit is None or _UNIT.search(text):
            return text
        if unit == "%" and "%" in text:
            return text
        return self.get("brief.words.with_unit", label=text, unit=unit)

    # -- figures --

    def cell(self, value: object, column: Column, decimals: int | None = None) -> str:
        """A table cell as the source shows it: a number, a percentage, blank or ``n.v.t.``."""
        from .. import formatting as fmt

        if value is None:
            return ""
        if not isinstance(value, Decimal):
            return str(value)  # not available, as the source writes it
        places = self.decimals(column) if decimals is None else decimals
        if column.type is ColumnType.PERCENT:
            return fmt.percent_value(value, self.lang, places)
        return fmt.number(value, self.lang, places)

    @staticmethod
    def decimals(column: Column) -> int:
        """Decimals a column is shown with: what the dataset declares (counts: none)."""
        return 0 if column.type is ColumnType.COUNT else column.decimals

    def amount(self, value: Decimal, column: Column) -> str:
        """An amount as people write it: ``€ 30,1 miljoen``, ``€ 988,70``, ``12 km``."""
        from .. import formatting as fmt

        if column.type is not ColumnType.AMOUNT:
            unit = column.unit_text(self.lang)
            unit = f" {unit}" if unit else ""
            return fmt.number(value, self.lang, self.decimals(column)) + unit
        code, multiplier = currency(column)
        if code != "EUR":
            return f"{fmt.number(value, self.lang, column.decimals)} {self._currency(code)}"
        return fmt.money_short(value.scaleb(multiplier), self.lang)

    def quantity(self, value: Decimal, column: Column) -> str:
        """A total in a sentence: ``173.053 projecten``, ``€ 56,8 miljoen (toegekende
        subsidie)``, ``1.180 (# Limburg)``."""
        from .. import formatting as fmt

        what = column.what_text(self.lang)
        if column.type is ColumnType.COUNT:
            number = fmt.number(value, self.lang)
            if what:
                return f"{number} {what}"
            noun = count_noun(column.label) if self.dutch else ""
            if noun and noun[0].isalpha() and not column.group:
                return f"{number} {noun}"
            return self.get("brief.words.named", value=number, name=self.measure(column))
        if column.type is ColumnType.PERCENT:
            return self.get(
                "brief.words.named", value=self.cell(value, column), name=self.measure(column)
            )
        text = self.amount(value, column)
        name = self.measure(column)
        if not what:  # the amount carries its unit: the name repeats none ("(€)")
            bare = without_unit(column.text(self.lang))
            name = (
                lower_first(bare)
                if self.dutch
                else self.label(bare, self.lang != "nl" and bool(column.label_en))
            )
            name = f"{name}, {column.group}" if column.group else name
        return self.get("brief.words.named", value=text, name=name)

    def signed(self, value: Decimal, column: Column) -> str:
        """A difference without its sign (the sentence says higher or lower)."""
        return self.cell(abs(value), column)


def english_plural(label: str) -> str | None:
    """The plural of a one-word English label (``Province`` -> ``provinces``), or None."""
    word = lower_first(without_unit(label).strip())
    if not re.fullmatch(r"[a-z]{3,}", word):
        return None
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
