"""Every figure that is not in the source, computed in one place from the model.

The renderers only format what this module gives them: the workbook writes each derived figure
as a formula with the value computed here cached, the brief prints the same value. A derived
figure is computed only where it means something:

* shares, ranks, cumulative shares and top-N + the rest: additive measures over categories;
* the change on the previous period: counts, amounts and numbers over periods (not for a partial
  period such as "2025 (31/10)", which is not comparable with a full one);
* recomputed ratios: percentages declared as ``ratio`` or ``share_of``, per row and on the total
  row, where the total is the ratio of the totals, never a sum;
* averages: only where the dataset declares them (format 1: amount per count, its one meaning);
* reconciliations: a published total against the sum of the rows (additive measures), against
  the ratio of the totals (ratios), or not at all (anything else).

Each derived figure carries its :class:`Definition` (what is divided by what), which both
outputs show.
"""

from .dataset import Analysis, analyse
from .kinds import (
    ChartKind,
    ChartPlan,
    Definition,
    Derived,
    DerivedKind,
    FigureResult,
    RatioCheck,
    TopN,
    TotalCheck,
    TotalKind,
)
from .table import TableAnalysis

__all__ = [
    "Analysis",
    "ChartKind",
    "ChartPlan",
    "Definition",
    "Derived",
    "DerivedKind",
    "FigureResult",
    "RatioCheck",
    "TableAnalysis",
    "TopN",
    "TotalCheck",
    "TotalKind",
    "analyse",
]
