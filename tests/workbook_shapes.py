"""Format-2 tables of the shapes real answers have, built in Python for the workbook tests.

Figures are invented; each table declares what its columns mean (as a format-2 dataset would).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from kmo_export.model import (
    Answer,
    Average,
    Column,
    ColumnGroup,
    ColumnType,
    Dataset,
    DimensionKind,
    Figure,
    NotAvailable,
    Person,
    Row,
    Table,
    TotalSource,
)

from .builders import model_dataset

D = Decimal
LABEL = ColumnType.LABEL
COUNT, AMOUNT, PERCENT, NUMBER = (
    ColumnType.COUNT,
    ColumnType.AMOUNT,
    ColumnType.PERCENT,
    ColumnType.NUMBER,
)


def _cells(values: tuple[object, ...]) -> tuple[object, ...]:
    # Numbers as Decimal (given as text), None blank, other text 'not available'.
    out: list[object] = []
    for v in values:
        if v is None or isinstance(v, Decimal):
            out.append(v)
        elif isinstance(v, int) or (
            isinstance(v, str) and v.replace(".", "", 1).lstrip("-").isdigit()
        ):
            out.append(D(v))
        else:
            out.append(NotAvailable(str(v)))
    return tuple(out)


def rows(*data: tuple[object, ...]) -> list[Row]:
    """Rows from (label, value, ...) tuples; a trailing ('level', n) pair sets the level."""
    out = []
    for item in data:
        level = 0
        if len(item) >= 2 and isinstance(item[-1], tuple):
            level = item[-1][1]  # type: ignore[index]
            item = item[:-1]
        out.append(Row(str(item[0]), _cells(item[1:]), level))  # type: ignore[arg-type]
    return out


def year_series() -> Table:
    """Years with non-additive counts and a ratio percentage; a published total row."""
    return Table(
        "per_year",
        (
            Column("year", "Jaar", LABEL, label_en="Year"),
            Column("limburg", "# Limburg", COUNT, additive=False),
            Column("flanders", "# Vlaanderen", COUNT, label_en="# Flanders", additive=False),
            Column("share", "% Limburg", PERCENT, decimals=1, ratio=("limburg", "flanders")),
        ),
        rows(
            ("2020", 41, 432, "9.5"),
            ("2021", 38, 401, "9.5"),
            ("2022", 44, 398, "11.1"),
            ("2023", 0, 0, None),
            ("2024", 52, 410, "12.7"),
            ("2025 (31/10)", 20, "n.v.t.", "n.v.t."),
        ),
        caption="Steun aan Limburgse ondernemingen per jaar",
        caption_en="Support to Limburg firms per year",
        total_label="Totaal",
        reported_total=_cells((195, 1641, "11.9")),  # type: ignore[arg-type]
        dimension=DimensionKind.PERIOD,
        number="2a",
    )


def two_level() -> Table:
    """Column groups OND / ONTW / ICON, each # Limburg, # totaal and % Limburg; years."""
    columns = [Column("year", "Jaar", LABEL, label_en="Year")]
    groups = []
    for group in ("OND", "ONTW", "ICON"):
        g = group.lower()
        columns += [
            Column(f"{g}_lim", "# Limburg", COUNT, additive=True, group=group),
            Column(f"{g}_tot", "# totaal", COUNT, label_en="# total", additive=True, group=group),
            Column(
                f"{g}_pct",
                "% Limburg",
                PERCENT,
                decimals=1,
                ratio=(f"{g}_lim", f"{g}_tot"),
                group=group,
            ),
        ]
        groups.append(ColumnGroup(group, (f"{g}_lim", f"{g}_tot", f"{g}_pct")))
    return Table(
        "per_instrument",
        tuple(columns),
        rows(
            ("2021", 14, 162, "8.6", 41, 498, "8.2", 3, 38, "7.9"),
            ("2022", 17, 171, "9.9", 47, 512, "9.2", 5, 41, "12.2"),
            ("2023", 12, 158, "7.6", 52, 530, "9.8", 2, 36, "5.6"),
            ("2024", 19, 184, "10.3", 44, 547, "8.0", 4, 44, "9.1"),
        ),
        caption="Goedgekeurde O&O-projecten per instrument en per jaar",
        total_label="Totaal",
        reported_total=_cells((62, 675, "9.2", 184, 2087, "8.8", 14, 159, "8.8")),  # type: ignore[arg-type]
        dimension=DimensionKind.PERIOD,
        groups=tuple(groups),
    )


def provinces_million() -> Table:
    """Provinces in million euro; the total only in the prose; a declared average."""
    return Table(
        "provinces",
        (
            Column("province", "Provincie", LABEL, label_en="Province"),
            Column("projects", "Projecten", COUNT, label_en="Projects"),
            Column(
                "amount", "Steun", AMOUNT, unit="EUR", decimals=1, multiplier=6, label_en="Support"
            ),
            Column("share", "Aandeel", PERCENT, decimals=1, share_of="amount"),
        ),
        rows(
            ("Antwerpen", 120, "35.2", "29.3"),
            ("Limburg", 64, "14.8", "12.3"),
            ("Oost-Vlaanderen", 101, "27.0", "22.5"),
            ("Vlaams-Brabant", 88, "21.4", "17.8"),
            ("West-Vlaanderen", 95, "21.7", "18.1"),
        ),
        caption="Steun per provincie",
        total_label="Totaal",
        reported_total=_cells((None, "120.1", None)),  # type: ignore[arg-type]
        total_source=TotalSource.PROSE,
        total_sentence="In totaal ging 120,1 miljoen euro naar de vijf provincies.",
        averages=(Average("per_project", "Steun per project", "amount", "projects", decimals=3),),
        dimension=DimensionKind.CATEGORY,
    )


def pivot() -> Table:
    """An Excel pivot: sectors with subsectors (level 1), additive counts and amounts."""
    return Table(
        "pivot",
        (
            Column("sector", "Rijlabels", LABEL),
            Column("files", "Som van Aantal dossiers", COUNT),
            Column("subsidy", "Som van Subsidie", AMOUNT, unit="EUR", decimals=2),
        ),
        rows(
            ("Industrie", 300, "4909701.50"),
            ("Voeding", 84, "1204310.50", ("level", 1)),
            ("Metaal", 216, "3705391.00", ("level", 1)),
            ("Bouw", 239, "2338695.50"),
            ("Ruwbouw", 239, "2338695.50", ("level", 1)),
            ("Diensten", 209, "3140311.15"),
            ("Handel", 209, "1545490.85"),
            ("Groothandel", 49, "640118.20", ("level", 1)),
            ("Kleinhandel", 160, "905372.65", ("level", 1)),
        ),
        total_label="Eindtotaal",
        reported_total=_cells((957, "11934199.00")),  # type: ignore[arg-type]
        dimension=DimensionKind.CATEGORY,
    )


def not_available() -> Table:
    """Categories with blanks, zeros and 'not available' cells."""
    return Table(
        "na",
        (
            Column("region", "Regio", LABEL),
            Column("files", "Dossiers", COUNT),
            Column("amount", "Bedrag", AMOUNT, unit="EUR", decimals=2),
            Column("days", "Doorlooptijd", NUMBER, unit="dagen", decimals=0),
        ),
        rows(
            ("Noord", 12, "1500.00", 30),
            ("Oost", 0, "0.00", "n.v.t."),
            ("Zuid", None, "250.50", None),
            ("West", "x", "–", 41),
            ("Midden", 7, "700.25", 12),
        ),
        dimension=DimensionKind.CATEGORY,
    )


def dataset(*tables: Table, path: Path = Path("shapes.yaml")) -> Dataset:
    """A format-2 dataset with one answer per table and one stated figure."""
    answers = tuple(Answer(i + 1, content=(f"Antwoord {i + 1}.", t)) for i, t in enumerate(tables))
    return model_dataset(
        *answers,
        path=path,
        figures=(
            Figure("firms", 1, D("41"), COUNT, "Limburgse ondernemingen met steun", period="2020"),
        ),
        number=77,
        date=dt.date(2025, 3, 1),
        asked_by="An Peeters",
        addressed_to=Person("Minister Y", "Vlaams minister van Economie"),
        subject="Vormen van tabellen",
    )
