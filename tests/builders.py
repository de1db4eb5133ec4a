"""The one way tests write a dataset: plain data (format 1 or 2) dumped to YAML, Decimals exact;
and the one way they build a dataset model in Python (``model_dataset``).

``write_dataset`` writes any dataset dict; ``questionnaire`` makes a format-1 dict with one
question per answer; ``valid_dataset`` is a dataset of the bundled shape; ``table`` and
``write_tables`` make generated tables (values as text) for the workbook tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kmo_export.model import Answer, Dataset, Figure, Person, Question


def model_dataset(
    *answers: Answer,
    path: Path = Path("test.yaml"),
    figures: tuple[Figure, ...] | list[Figure] = (),
    questions: tuple[Question, ...] | None = None,
    **fields: Any,
) -> Dataset:
    """A format-2 dataset model of ``answers``, one question per answer number unless given;
    ``fields`` override the other dataset fields (``subject``, ``number``, ``format`` …)."""
    numbers = sorted({n for a in answers for n in a.numbers})
    base: dict[str, Any] = {
        "path": path,
        "number": 412,
        "date": dt.date(2025, 11, 14),
        "asked_by": "Lien Vermeulen",
        "addressed_to": Person("Pieter Claes", "Vlaams minister van Economie"),
        "subject": "Steun aan Limburgse ondernemingen",
        "introduction": (),
        "questions": questions or tuple(Question(n, (f"Vraag {n}?",)) for n in numbers),
        "answers": answers,
        "figures": tuple(figures),
        "format": 2,
    }
    return Dataset(**{**base, **fields})


class DatasetDumper(yaml.SafeDumper):
    """PyYAML's safe dumper that writes a Decimal as a plain number read back exactly."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    # A plain scalar the loader reads back as the same Decimal (never through float).
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


DatasetDumper.add_representer(Decimal, _decimal)


def dump_dataset(data: dict[str, Any]) -> str:
    """``data`` as YAML text: keys in their order, non-ASCII kept, no line folding."""
    return yaml.dump(data, Dumper=DatasetDumper, allow_unicode=True, sort_keys=False, width=10**9)


def write_dataset(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as a UTF-8 YAML dataset at ``path`` (folders made); return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_dataset(data), encoding="utf-8")
    return path


# Fields written before the questions (the rest, such as key_figures, after the answers).
_HEAD_KEYS = ("format", "number", "date", "asked_by", "addressed_to", "subject", "introduction")


def questionnaire(
    answers: list[dict[str, Any]],
    *,
    question: Callable[[Any], str] = lambda number: "Vraag?",
    **fields: Any,
) -> dict[str, Any]:
    """A format-1 dataset dict: ``fields`` (number, date, subject, ...) over neutral defaults,
    then one question per answer (its text from ``question(number)``) and the answers."""
    head: dict[str, Any] = {
        "format": 1,
        "number": 101,
        "date": "2024-03-15",
        "asked_by": "Jan Peeters",
        "addressed_to": {"name": "Minister X", "title": "Vlaams minister van Economie"},
        "subject": "Gegenereerde vraag",
    }
    head.update(fields)
    extra = {k: head.pop(k) for k in list(head) if k not in _HEAD_KEYS}
    return {
        **head,
        "questions": [
            {"number": a["number"], "paragraphs": [question(a["number"])]} for a in answers
        ],
        "answers": answers,
        **extra,
    }


def table(
    table_id: str,
    rows: list[tuple[Any, ...]],
    columns: list[dict[str, Any]] | None = None,
    total: dict[str, Any] | None = None,
    caption: str | None = None,
) -> dict[str, Any]:
    """A table for write_tables; rows are (label, value, ..., [level]) with values as text."""
    columns = columns or [
        {"key": "theme", "label": "Thema", "type": "label"},
        {"key": "projects", "label": "Aantal projecten", "type": "count"},
        {"key": "subsidy", "label": "Subsidie (€)", "type": "amount", "unit": "EUR", "decimals": 2},
    ]
    keys = [c["key"] for c in columns]
    out_rows = []
    for row in rows:
        entry: dict[str, Any] = {}
        for key, value in zip(keys, row, strict=False):
            entry[key] = None if value is None else str(value)
        if len(row) > len(keys):
            entry["level"] = row[len(keys)]
        out_rows.append(entry)
    out: dict[str, Any] = {"id": table_id, "columns": columns, "rows": out_rows}
    if total is not None:
        out["total"] = {k: (v if k == "label" else str(v)) for k, v in total.items()}
    if caption:
        out["caption"] = caption
    return out


def write_tables(
    folder: Path,
    tables: list[dict[str, Any]],
    *,
    name: str = "generated",
    key_figures: dict[str, Any] | None = None,
    **fields: Any,
) -> Path:
    """Write ``folder/name.yaml``: a dataset with one answer per table (numbers as text)."""
    answers = [
        {"number": i + 1, "paragraphs": [f"Antwoord {i + 1}."], "tables": [table]}
        for i, table in enumerate(tables)
    ] or [{"number": 1, "paragraphs": ["Geen tabel."]}]
    if key_figures:
        fields["key_figures"] = key_figures
    return write_dataset(folder / f"{name}.yaml", questionnaire(answers, **fields))


THEMES = [
    ("Gezondheidszorg", 24252, "7029304.65"),
    ("Administratie & financiën", 23963, "5942507.37"),
    ("Logistiek & transport", 18293, "4751124.24"),
    ("Juridisch", 16608, "2243573.59"),
]


def valid_dataset(rows: list[tuple[str, int, Decimal | None]] | None = None) -> dict[str, Any]:
    """A dataset of the bundled shape (3 questions, key figures, one theme table) as plain data."""
    rows = rows if rows is not None else [(t, c, Decimal(a)) for t, c, a in THEMES]
    total_count = sum(c for _, c, _ in rows)
    total_amount = sum((a for _, _, a in rows if a is not None), Decimal("0.00"))
    return {
        "format": 1,
        "number": 835,
        "date": "2020-09-24",
        "asked_by": "Kurt Vanryckeghem",
        "addressed_to": {"name": "Hilde Crevits", "title": "Vlaams minister van Economie"},
        "subject": "Kmo-portefeuille - Benutting",
        "introduction": ["De kmo-portefeuille is een veelgebruikt instrument."],
        "questions": [
            {"number": 1, "paragraphs": ["Hoeveel ondernemingen gebruiken de portefeuille?"]},
            {"number": 2, "paragraphs": ["Hoeveel procent wordt opgebruikt?"]},
            {"number": 3, "paragraphs": ["Welke opleidingen worden het meest aangevraagd?"]},
        ],
        "answers": [
            {
                "number": 1,
                "paragraphs": ["In 2019 deden 69.215 ondernemingen beroep op de portefeuille."],
            },
            {"number": 2, "paragraphs": ["Gemiddeld 988,70 euro voor kleine ondernemingen, 9,9%."]},
            {
                "number": 3,
                "paragraphs": ["U ziet hieronder het aantal steundossiers per thema."],
                "tables": [
                    {
                        "id": "themes",
                        "columns": [
                            {"key": "theme", "label": "Thema", "type": "label"},
                            {"key": "projects", "label": "Aantal projecten", "type": "count"},
                            {
                                "key": "subsidy",
                                "label": "Toegekende subsidie (€)",
                                "type": "amount",
                                "unit": "EUR",
                                "decimals": 2,
                            },
                        ],
                        "rows": [
                            {"theme": t, "projects": c, **({"subsidy": a} if a is not None else {})}
                            for t, c, a in rows
                        ],
                        "total": {
                            "label": "Eindtotaal",
                            "projects": total_count,
                            "subsidy": total_amount,
                        },
                    }
                ],
            },
        ],
        "key_figures": {
            "enterprises": {"answer": 1, "year": 2019, "count": 69215},
            "usage": {
                "answer": 2,
                "year": 2019,
                "sizes": [
                    {
                        "key": "small",
                        "label": "kleine ondernemingen",
                        "maximum": 10000,
                        "average_granted": Decimal("988.70"),
                        "stated_use_percent": Decimal("9.9"),
                    },
                    {
                        "key": "medium",
                        "label": "middelgrote ondernemingen",
                        "maximum": 15000,
                        "average_granted": Decimal("2157.42"),
                        "stated_use_percent": Decimal("14.4"),
                    },
                ],
                "new_maximum": {"since": "2020-01-01", "amount": 7500},
            },
        },
    }
