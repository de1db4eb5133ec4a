"""What every sheet writer gets: the report, its labels, the style and the formats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..labels import Labels
from ..model import Report
from .names import long_date
from .style import Formats


@dataclass(eq=False, repr=False)
class Context:
    """One build of one workbook."""

    report: Report
    labels: Labels
    style: dict[str, Any]
    formats: Formats

    @property
    def empty(self) -> str:
        """What a derived cell shows when its input is empty: ``–``."""
        return self.labels["workbook.empty"]

    @property
    def ok(self) -> str:
        return self.labels["workbook.ok"]

    @property
    def mismatch(self) -> str:
        return self.labels["workbook.mismatch"]

    @property
    def question_date(self) -> str:
        return long_date(self.report.dataset.date, self.labels)

    def number(self, value: int) -> str:
        """A whole number in running text (nl 69.215, en 69,215)."""
        from .names import number_text

        return number_text(value, self.labels)

    def status_formats(self, worksheet: Any, cells: str) -> None:
        """Highlight OK (green) and the mismatch status (red) in ``cells``."""
        from .names import formula_text

        for text, fmt in ((self.mismatch, self.formats.bad()), (self.ok, self.formats.ok())):
            worksheet.conditional_format(
                cells,
                {"type": "cell", "criteria": "==", "value": formula_text(text), "format": fmt},
            )
