"""Property-based: any valid dataset of the bundled shape builds, both outputs pass the OOXML
validator, and the numbers read back from the workbook are exactly the dataset's.

Random tables of 1 to 500 rows with unicode labels, counts and amounts up to the largest whose
total still fits Excel's 15 significant digits, inline or in a CSV file beside the dataset.
"""

from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kmo_export.cli import main
from kmo_export.loader import TOTAL_LABELS

from .builders import valid_dataset, write_dataset
from .conftest import ooxml_problems

LIMIT = 10**15 - 1  # the largest whole number of 15 significant digits
COLUMNS = ("Thema", "Aantal projecten", "Toegekende subsidie (€)")

# Any character XML and YAML can hold and that is not a line or paragraph break or a control.
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"),
    blacklist_characters="\ufeff\u0085",
)
_LABEL = st.text(_CHARS, min_size=1, max_size=60).filter(
    lambda s: s == s.strip() and s.casefold() not in TOTAL_LABELS
)


@st.composite
def tables(draw) -> list[tuple[str, int, Decimal | None]]:
    """1 to 500 rows: unique labels, counts and amounts whose totals stay within 15 digits."""
    n = draw(st.integers(1, 500))
    labels = draw(st.lists(_LABEL, min_size=n, max_size=n, unique_by=lambda s: s.casefold()))
    bound = LIMIT // n
    extreme = st.sampled_from([0, 1, bound])
    counts = draw(st.lists(st.one_of(extreme, st.integers(0, bound)), min_size=n, max_size=n))
    cents = draw(st.lists(st.one_of(extreme, st.integers(0, bound)), min_size=n, max_size=n))
    empty = draw(st.sets(st.integers(0, n - 1), max_size=min(n - 1, 3)))  # a few empty amounts
    return [
        (label, count, None if i in empty else Decimal(cent).scaleb(-2))
        for i, (label, count, cent) in enumerate(zip(labels, counts, cents, strict=True))
    ]


def _as_csv(data: dict, folder: Path) -> None:
    # Move the table's rows into a CSV file beside the dataset (the total stays in the dataset).
    table = data["answers"][2]["tables"][0]
    with (folder / "rows.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["theme", "projects", "subsidy"])
        for row in table.pop("rows"):
            subsidy = row.get("subsidy")
            writer.writerow(
                [row["theme"], row["projects"], "" if subsidy is None else format(subsidy, "f")]
            )
    table["rows_file"] = "rows.csv"


def _table_in_workbook(path: Path, rows: list[tuple[str, int, Decimal | None]]):
    # The sheet whose header row holds the three column labels; the data rows under it.
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)  # cached values, as readers see them
    for sheet in workbook.worksheets:
        for header in sheet.iter_rows():
            texts = [c.value for c in header]
            if all(label in texts for label in COLUMNS):
                columns = [texts.index(label) + 1 for label in COLUMNS]
                first = header[0].row + 1
                return sheet, first, columns
    raise AssertionError(f"no sheet has a header row with {COLUMNS}")


def _number(value) -> Decimal:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@settings(
    max_examples=18,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=tables(), subject=_LABEL, in_csv=st.booleans())
def test_any_valid_dataset_builds_and_reads_back(rows, subject, in_csv):
    event(f"rows {len(rows) // 100 * 100}+, csv={in_csv}")
    with tempfile.TemporaryDirectory(prefix="kmo-prop-") as tmp:
        folder = Path(tmp)
        data = valid_dataset(rows)
        data["subject"] = subject
        data["questions"][2]["paragraphs"] = [rows[0][0]]
        if in_csv:
            _as_csv(data, folder)
        dataset = write_dataset(folder / "random.yaml", data)
        out = folder / "out"
        result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out)])
        assert result.exit_code == 0, result.output
        xlsx, docx = out / "random.xlsx", out / "random.docx"
        assert ooxml_problems(xlsx, docx) == ""

        sheet, first, (label_col, count_col, amount_col) = _table_in_workbook(xlsx, rows)
        for offset, (label, count, amount) in enumerate(rows):
            r = first + offset
            assert sheet.cell(r, label_col).value == label
            assert sheet.cell(r, label_col).data_type == "s"
            assert _number(sheet.cell(r, count_col).value) == count, (r, label)
            cell = sheet.cell(r, amount_col).value
            if amount is None:
                assert cell in (None, ""), (r, label, cell)
            else:
                assert _number(cell) == amount, (r, label)

        # The total row under the data carries the sums as cached values.
        total_count = sum(count for _, count, _ in rows)
        total_amount = sum((a for _, _, a in rows if a is not None), Decimal(0))
        below = [sheet.cell(first + len(rows), c).value for c in (count_col, amount_col)]
        assert [_number(v) for v in below] == [total_count, total_amount]
