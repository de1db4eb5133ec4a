"""The use of the portfolio per company size ("Benutting"): average granted against the maximum."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..model import Usage
from .context import Context
from .names import formula_text, long_date, number_text, quote_sheet, ref
from .page import print_setup
from .sizing import header_height

HEADER_ROW, FIRST_ROW = 3, 4
SIZE, MAXIMUM, AVERAGE, USE, STATED, CHECK = range(6)


@dataclass(eq=False, repr=False)
class UsageLayout:
    """Where the usage figures stand, for the chart."""

    sheet: str
    usage: Usage

    @property
    def last_row(self) -> int:
        return FIRST_ROW + len(self.usage.sizes) - 1

    def column(self, column: int) -> str:
        """Sheet-qualified absolute range of one column over the company sizes."""
        return (
            f"{quote_sheet(self.sheet)}!{ref(FIRST_ROW, column, True)}:"
            f"{ref(self.last_row, column, True)}"
        )

    def header(self, column: int) -> str:
        return f"{quote_sheet(self.sheet)}!{ref(HEADER_ROW, column, True)}"


def size_label(ctx: Context, key: str, written: str) -> str:
    """The catalogue's name of a company size, else the label as written in the answer."""
    try:
        return ctx.labels[f"common.{key}"]
    except KeyError:
        return written[:1].upper() + written[1:]


def write(ctx: Context, ws: Any, layout: UsageLayout) -> None:
    """Write the usage sheet: an Excel table with the use as a formula, and the new maximum."""
    labels, formats, usage = ctx.labels, ctx.formats, layout.usage
    euro = formats.value(ctx.style["number_formats"]["euro"].format(decimals=".00"))
    share = formats.value(ctx.style["number_formats"]["share"])
    year = usage.year
    headers = [
        labels["workbook.usage.size"],
        labels.get("workbook.usage.maximum", year=year),
        labels.get("workbook.usage.average", year=year),
        labels["workbook.usage.use"],
        labels["workbook.usage.stated"],
        labels["workbook.usage.check"],
    ]
    widths = ctx.style["widths"]
    texts = [size_label(ctx, s.key, s.label) for s in usage.sizes]
    if usage.new_maximum is not None:
        texts.append(
            labels.get(
                "workbook.usage.new_maximum", date=long_date(usage.new_maximum.since, labels)
            )
        )
    longest = max(len(t) for t in texts)
    column_widths = [
        min(max(longest + 3, 28), widths["max_label"]),
        *[widths["max_number"]] * 4,
        11,
    ]
    for c, width in enumerate(column_widths):
        ws.set_column(c, c, width)
    ws.set_row(HEADER_ROW, header_height(headers, column_widths))
    ws.write_string(0, 0, labels.get("workbook.usage.title", year=year), formats.title())
    ws.write_string(
        1,
        0,
        labels.get("workbook.usage.source", answer=usage.answer, number=ctx.report.dataset.number),
        formats.note(),
    )
    ws.add_table(
        HEADER_ROW,
        0,
        layout.last_row,
        CHECK,
        {
            "name": "tbl_usage",
            "style": ctx.style["layout"]["table_style"],
            "autofilter": False,
            "columns": [{"header": h, "header_format": formats.header()} for h in headers],
        },
    )
    for i, size in enumerate(usage.sizes):
        r = FIRST_ROW + i
        ws.write_string(r, SIZE, size_label(ctx, size.key, size.label))
        ws.write_number(r, MAXIMUM, float(size.maximum), euro)
        ws.write_number(r, AVERAGE, float(size.average_granted), euro)
        ws.write_formula(r, USE, f"={ref(r, AVERAGE)}/{ref(r, MAXIMUM)}", share, float(size.use))
        if size.stated_use_percent is None:
            ws.write_blank(r, STATED, None, share)
            ws.write_blank(r, CHECK, None)
            continue
        stated = size.stated_use_percent
        ws.write_number(r, STATED, float(stated / 100), share)
        places = max(0, -stated.as_tuple().exponent)  # type: ignore[operator]
        same = (size.use * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) == stated
        ws.write_formula(
            r,
            CHECK,
            f"=IF(ROUND({ref(r, USE)}*100,{places})=ROUND({ref(r, STATED)}*100,{places}),"
            f"{formula_text(ctx.ok)},{formula_text(ctx.mismatch)})",
            formats.status(),
            ctx.ok if same else ctx.mismatch,
        )
    ctx.status_formats(ws, f"{ref(FIRST_ROW, CHECK)}:{ref(layout.last_row, CHECK)}")
    row = layout.last_row + 2
    if usage.new_maximum is not None:
        new = usage.new_maximum
        day = long_date(new.since, labels)
        ws.write_string(
            row, SIZE, labels.get("workbook.usage.new_maximum", date=day), formats.text(bold=True)
        )
        ws.write_number(row, MAXIMUM, float(new.amount), euro)
        ws.write_string(
            row + 1,
            SIZE,
            labels.get(
                "workbook.usage.note_new_maximum",
                date=day,
                amount=number_text(new.amount, labels),
            ),
            formats.note(),
        )
    ws.freeze_panes(FIRST_ROW, 1)
    print_setup(ctx.style, ws)
