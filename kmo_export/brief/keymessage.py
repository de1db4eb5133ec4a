"""The key message ("Kernboodschap"): only sentences that are true.

Each sentence says a figure the answer states, or a figure the analysis declares valid: the
answer's own key figures first, then totals of measures that add up (never a sum of one that
does not, never a share of a period total), the largest categories with their share, and every
inconsistency in the published answer, each named in one sentence. This module chooses and
words; the figures come from :mod:`kmo_export.analysis`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .. import formatting as fmt
from ..analysis import Analysis, DerivedKind, FigureResult, TableAnalysis, TotalKind
from ..model import (
    CheckKind,
    Column,
    ColumnType,
    Dataset,
    DimensionKind,
    Figure,
    KeyFigures,
    Table,
)
from .tables import CellFacts
from .wording import Words, lower_first

#: Sentences of information at most (inconsistencies come on top: they are never left out).
MOST = 5


class KeyMessage:
    """The key message of one brief."""

    def __init__(
        self,
        dataset: Dataset,
        analysis: Analysis,
        words: Words,
        table_name: Callable[[Table], str],
        facts: Callable[[Table], CellFacts],
    ) -> None:
        self.facts = facts  # blank and withheld cells of a table
        self.dataset = dataset
        self.analysis = analysis
        self.words = words
        self.table_name = table_name  # "tabel 2a": how the brief names a table in a sentence

    def sentences(self) -> list[str]:
        """The bullets, in order: stated figures, totals, largest rows; then the warnings."""
        usage = self.usage(self.dataset.key_figures)
        enterprises = usage[:1] if self.dataset.key_figures.enterprises else []
        usage = usage[len(enterprises) :]
        totals = self.tables()
        info = self.stated() + enterprises + totals[:1] + usage + totals[1:]
        return info[:MOST] + self.inconsistencies()

    # -- what the answer states --

    def stated(self) -> list[str]:
        """The answer's own key figures, one bullet per sentence of the answer: the sentence
        itself in Dutch, else its figures (``2023: 40 applications inadmissible, …``)."""
        words = self.words
        # A sentence with a figure its check contradicts is not repeated as a fact: the
        # warning below names it.
        false = {r.figure.sentence or r.figure.id for r in self.analysis.figures if r.contradicted}
        groups: dict[str, list[Figure]] = {}
        for result in self.analysis.figures:
            figure = result.figure
            key = figure.sentence or figure.id
            if key not in false:
                groups.setdefault(key, []).append(figure)
        out = []
        for key, figures in groups.items():
            if words.lang == "nl" and figures[0].sentence:
                out.append(key)
                continue
            items = []
            for figure in figures:
                what = figure.text(words.lang)
                if words.lang != "nl" and not figure.what_en:
                    what = words.label(what)
                items.append(
                    words.get(
                        "brief.bullets.figure_item", value=self.figure_value(figure), what=what
                    )
                )
            periods = {f.period for f in figures}
            joined = fmt.join(items, words.lang)
            if len(periods) == 1 and figures[0].period:
                out.append(
                    words.get("brief.bullets.figure_period", period=figures[0].period, items=joined)
                )
            else:
                out.append(words.get("brief.bullets.figure", items=joined[:1].upper() + joined[1:]))
        return out

    def figure_value(self, figure: Figure, value: Decimal | None = None) -> str:
        """A stated figure's value as people write it (``€ 30,1 miljoen``, ``9,5 %``)."""
        value = figure.value if value is None else value
        lang = self.words.lang
        places = max(-int(figure.value.as_tuple().exponent), 0)
        if figure.kind is ColumnType.PERCENT:
            return fmt.percent_value(value, lang, places)
        if figure.kind is ColumnType.AMOUNT and (figure.unit or "EUR") == "EUR":
            return fmt.money_short(value.scaleb(figure.multiplier), lang)
        unit = f" {figure.unit}" if figure.unit else ""
        return fmt.number(value, lang, places) + unit

    def usage(self, figures: KeyFigures) -> list[str]:
        """Format 1's key figures of the kmo-portefeuille: enterprises and use of the maximum."""
        words, lang, out = self.words, self.words.lang, []
        if figures.enterprises:
            e = figures.enterprises
            out.append(
                words.get("brief.bullets.enterprises", year=e.year, count=fmt.number(e.count, lang))
            )
        usage = figures.usage
        if usage and usage.sizes:
            items = [
                words.get(
                    "brief.bullets.usage_item",
                    size=lower_first(size_label(words, size.key, size.label)),
                    use=fmt.percent(size.use, lang, use_decimals(size.stated_use_percent)),
                    average=money(size.average_granted, lang),
                    maximum=money(size.maximum, lang),
                )
                for size in usage.sizes
            ]
            out.append(
                words.get("brief.bullets.usage", year=usage.year, items=fmt.join(items, lang))
            )
            if usage.new_maximum:
                m = usage.new_maximum
                out.append(
                    words.get(
                        "brief.bullets.new_maximum",
                        date=fmt.date(m.since, lang),
                        amount=money(m.amount, lang),
                    )
                )
        return out

    # -- what the analysis declares valid --

    def tables(self) -> list[str]:
        """Of the first table that supports one: its totals that add up, its largest rows (or
        its first and last period)."""
        for _, table in self.dataset.tables:
            ta = self.analysis.table(table)
            found = [
                self.total(table, ta) or self.published(table, ta),
                self.largest(table, ta),
                self.evolution(table, ta),
            ]
            out = [s for s in found if s]
            if out:
                return out
        return []

    def published(self, table: Table, ta: TableAnalysis) -> str | None:
        """A published total row of measures that do not add up, as the source states it:
        ``Totaal 2020-2025 (unieke ondernemingen): 120 (# Limburg), 1.225 (# Vlaanderen).``"""
        if table.reported_total is None:
            return None
        failed = {c.index for c in ta.failed_total_checks}
        items = []
        counted = False
        for i, column in enumerate(ta.columns):
            value = ta.published_total(i)
            if value is None or i in failed:
                continue
            items.append(self.words.quantity(value, column))
            counted = counted or not column.is_percent
        if not counted:  # a percentage alone ("Totaal: 9,8 %") says nothing of what it is of
            return None
        label = table.total_text(self.words.lang) or self.words.get("brief.total")
        return self.words.get(
            "brief.bullets.published", label=label, items=fmt.join(items, self.words.lang)
        )

    def evolution(self, table: Table, ta: TableAnalysis) -> str | None:
        """A period table's first measure in its last full period and in a comparable earlier
        one, as published: ``# Limburg: 228 in 2024, tegenover 186 in 2020.`` (a quarter is
        compared with the same quarter a year earlier, never with another season)."""
        if table.kind is not DimensionKind.PERIOD or table.has_hierarchy:
            return None
        words = self.words
        labels = list(table.rows.labels())
        for kind in (ColumnType.COUNT, ColumnType.AMOUNT, ColumnType.PERCENT):
            for i, column in enumerate(ta.columns):
                if column.type is not kind:
                    continue
                pair = ta.comparable_periods(i)  # quarters: the same quarter a year earlier
                if pair is None:
                    continue
                values = list(table.rows.column(i))
                first, last = pair
                return words.get(
                    "brief.bullets.evolution",
                    column=words.measure(column, start=True),
                    first=self.value(values[first], column),
                    last=self.value(values[last], column),
                    first_label=labels[first],
                    last_label=labels[last],
                )
        return None

    def value(self, value: object, column: Column) -> str:
        """A cell in a sentence: an amount as people write it, else as the table shows it."""
        if column.type is ColumnType.AMOUNT and isinstance(value, Decimal):
            return self.words.amount(value, column)
        return self.words.cell(value, column)

    def total(self, table: Table, ta: TableAnalysis) -> str | None:
        """``Samen 173.053 projecten en € 56,8 miljoen (toegekende subsidie), verdeeld over 58
        thema’s.``: counts and amounts that add up, as published where they agree."""
        words = self.words
        failed = {c.index for c in ta.failed_total_checks}
        # A sum the source does not publish is stated only over complete columns: a blank or
        # withheld cell may hide a figure.
        incomplete = self.facts(table).withheld
        items = []
        for wanted in (ColumnType.COUNT, ColumnType.AMOUNT):  # the first count, the first amount
            for i, column in enumerate(ta.columns):
                value, kind = ta.totals[i]
                if column.type is not wanted or kind is not TotalKind.SUM or value is None:
                    continue
                published = ta.published_total(i)
                if i in failed or (published is None and i in incomplete):
                    continue
                items.append(words.quantity(published if published is not None else value, column))
                break
        if not items:
            return None
        return words.get(
            "brief.bullets.total",
            items=fmt.join(items, words.lang),
            spread=words.spread(table, len(table.top_rows), self.residual(table, ta)),
        )

    def residual(self, table: Table, ta: TableAnalysis) -> list[str]:
        """The labels of the rows that gather the rest (``Overige sectoren``), as in a sentence."""
        return [self.words.label(table.rows[r].label) for r in ta.residual_rows]

    def largest(self, table: Table, ta: TableAnalysis) -> str | None:
        """The three largest categories with their share of the measure that ranks them."""
        words = self.words
        index = ta.primary
        if not ta.ranks_categories or index is None or len(table.top_rows) < 4:
            return None
        if index in self.facts(table).withheld:
            return None  # shares of a total that hides a withheld figure
        share = next(
            (d for d in ta.derived if d.kind is DerivedKind.SHARE and d.source == index), None
        )
        if share is None:
            return None
        residual = set(ta.residual_rows)  # "Overige" is no category of its own
        leaders = [r for r in ta.top(index, 3 + len(residual)).rows if r not in residual][:3]
        rows = table.rows
        items = [
            words.get(
                "brief.bullets.top_item",
                label=rows[r].label,
                share=fmt.share(ta.value_of(share, rows[r].values) or Decimal(0), words.lang),
            )
            for r in leaders
        ]
        column = words.column(table.value_columns[index])
        plural = words.plural(table.label_column)
        if plural is not None:
            key, label = "brief.bullets.top", plural
        elif words.names_rows(table.label_column):
            key, label = "brief.bullets.top_per", words.column(table.label_column)
        else:  # "per rijlabels" would name nothing
            key, label = "brief.bullets.top_plain", ""
        return words.get(key, column=column, label=label, items=fmt.join(items, words.lang))

    # -- what does not add up in the published answer --

    def inconsistencies(self) -> list[str]:
        """Each inconsistency of the published answer in one sentence."""
        words, out = self.words, []
        for _, table in self.dataset.tables:
            ta = self.analysis.table(table)
            items = []
            for check in ta.failed_total_checks:
                column = check.column
                if check.kind is TotalKind.SUM:
                    direction = "higher" if check.difference > 0 else "lower"
                    items.append(
                        words.get(
                            f"brief.bullets.total_{direction}",
                            column=words.column(column, start=True),
                            difference=words.signed(check.difference, column),
                            published=words.cell(check.published, column),
                            computed=words.cell(check.computed, column),
                        )
                    )
                else:
                    items.append(
                        words.get(
                            "brief.bullets.total_ratio",
                            column=words.column(column, start=True),
                            published=words.cell(check.published, column),
                            computed=words.cell(check.computed, column),
                        )
                    )
            if items:
                out.append(
                    words.get(
                        "brief.bullets.inconsistent_total",
                        table=self.table_name(table),
                        items=fmt.join(items, words.lang),
                    )
                )
            failed = ta.failed_ratio_checks
            if failed:
                columns = sorted({c.index for c in failed})
                out.append(
                    words.get(
                        "brief.bullets.inconsistent_ratio",
                        table=self.table_name(table),
                        columns=fmt.join(
                            [words.column(ta.columns[i]) for i in columns], words.lang
                        ),
                        n=fmt.number(len(failed), words.lang),
                    )
                )
        for result in self.analysis.contradicted_figures:
            out.append(self.contradiction(result))
        return out

    def contradiction(self, result: FigureResult) -> str:
        """``Let op: het antwoord vermeldt 57,4 % (goedgekeurd); tabel 1 geeft 57,0 %.``"""
        figure, words = result.figure, self.words
        check = figure.check
        assert check is not None and result.computed is not None
        if check.kind is CheckKind.CELL and check.cell is not None:
            table = self.dataset.table(check.cell.table)
            source = self.table_name(table) if table is not None else check.cell.table
        elif check.kind is CheckKind.SUM:
            source = words.get("brief.bullets.by_sum")
        else:
            source = words.get("brief.bullets.by_ratio")
        what = figure.text(words.lang)
        if words.lang != "nl" and not figure.what_en:
            what = words.label(what)
        return words.get(
            "brief.bullets.contradicted",
            value=self.figure_value(figure),
            what=what,
            source=source,
            computed=self.figure_value(figure, result.computed),
        )


def size_label(words: Words, key: str, label: str) -> str:
    """Company size from the catalogue (``small``, ``medium``), else as in the dataset."""
    try:
        return words.get(f"common.{key}")
    except KeyError:
        return label[:1].upper() + label[1:]


def use_decimals(stated: Decimal | None) -> int:
    """Decimals of a use percentage: as the answer states it, else one."""
    return fmt.decimals_of([stated]) if stated is not None else 1


def money(value: Decimal, language: str) -> str:
    """Euro with the decimals the value is written with (``€ 10.000``, ``€ 988,70``)."""
    return fmt.money(value, language, fmt.decimals_of([value]))


__all__ = ["KeyMessage"]
