"""Pivot tables repeat parents above their children: the levels that never double-count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .parsed import ParsedTable

PIVOT = re.compile(r"\b(rijlabels|row labels|som van|sum of|aantal van|count of)\b", re.IGNORECASE)


def hierarchy(table: ParsedTable, pivot: bool) -> None:
    """Pivot tables repeat parents above their children: find the levels, never double-count."""
    values = [[v or Decimal(0) for v in row] for row in table.values]
    given = [[v is not None for v in row] for row in table.values]
    total = table.total_values
    count = len(values)
    width = len(table.columns) - 1
    nonnegative = all(v >= 0 for row in values for v in row)
    flat = [sum((row[j] for row in values), Decimal(0)) for j in range(width)]
    if total is not None and all(t is None or t == f for t, f in zip(total, flat, strict=True)):
        return
    if total is None and not pivot:
        return
    budget = [5_000]

    Need = list[Decimal | None]

    def subtract(need: Need, i: int) -> Need | None:
        # What is still needed after row i; None if row i overshoots.
        out: Need = []
        for j, n in enumerate(need):
            if n is None:
                out.append(None)
                continue
            rest = n - values[i][j]
            if nonnegative and rest < 0:
                return None
            out.append(rest)
        return out

    def subtrees(
        i: int, level: int
    ) -> Iterator[tuple[int, dict[int, int]]]:  # (next row, levels) of the subtree rooted at row i
        budget[0] -= 1
        if budget[0] < 0:
            return
        need: Need = [values[i][j] if given[i][j] else None for j in range(width)]
        if any(n is not None for n in need):
            for nxt, assign in sequence(i + 1, level + 1, need):
                yield nxt, {i: level, **assign}
        yield i + 1, {i: level}

    def sequence(
        k: int, level: int, need: Need
    ) -> Iterator[tuple[int, dict[int, int]]]:  # subtrees from row k that add up to need
        if k >= count:
            return
        for nxt, assign in subtrees(k, level):
            rest = subtract(need, k)
            if rest is None:
                continue
            if all(n is None or n == 0 for n in rest):
                yield nxt, assign
            for nxt2, assign2 in sequence(nxt, level, rest):
                yield nxt2, {**assign, **assign2}

    def forest(
        k: int,
    ) -> Iterator[dict[int, int]]:  # the whole table from row k as top-level subtrees
        if k >= count:
            yield {}
            return
        for nxt, assign in subtrees(k, 0):
            for rest in forest(nxt):
                yield {**assign, **rest}

    for assign in forest(0):
        levels = [assign[i] for i in range(count)]
        if not any(levels):
            continue
        tops = [i for i in range(count) if levels[i] == 0]
        sums = [sum((values[i][j] for i in tops), Decimal(0)) for j in range(width)]
        if total is None or all(t is None or t == s for t, s in zip(total, sums, strict=True)):
            for row, level in zip(table.rows, levels, strict=True):
                row.level = level
            return
        if budget[0] < 0:
            return
