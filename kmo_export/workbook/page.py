"""The printed page of every sheet: landscape, A4, one page wide, the house footer."""

from __future__ import annotations

from typing import Any


def print_setup(
    style: dict[str, Any],
    ws: Any,
    repeat_row: int | None = None,
    wide: int = 1,
    repeat_from: int | None = None,
) -> None:
    """Landscape, ``wide`` pages wide; the header rows (``repeat_from`` to ``repeat_row``)
    printed on every page."""
    layout = style["layout"]
    ws.set_landscape()
    ws.set_paper(layout["paper"])
    ws.fit_to_pages(wide, 0)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row if repeat_from is None else repeat_from, repeat_row)
    ws.set_margins(left=layout["margin"], right=layout["margin"])
    ws.set_footer(layout["footer"])
