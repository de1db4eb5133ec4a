"""Read a dataset file (YAML) into the model, with the file, field path and line in every error.

Numbers never pass through float: YAML scalars are read as text and turned into Decimal.
Tables may stand inline (``rows:``) or in a CSV or .xlsx file beside the dataset
(``rows_file:``). Every problem found is collected; :class:`DatasetError` carries them all.

This module reads the dataset's own fields; the rest is one job a module: ``fields`` (the field
walker, :class:`_Reader`), ``answers`` (questions, answers, content, parts), ``tables`` (a
table in either format), ``columns`` (its columns and cells), ``table_files`` (``rows_file:``,
CSV or .xlsx) and ``figures`` (key figures, format 1 and 2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .. import reading
from ..errors import DatasetError
from ..limits import MAX_LEVEL
from ..model import Dataset, Person, Source
from ..yaml_lines import parse_yaml
from .answers import _answers, _questions
from .columns import _split_scale as _split_scale
from .fields import MAX_DIGITS, MAX_TEXT, MISSING, _quote, _Reader
from .figures import _figures, _key_figures
from .table_files import MAX_ROWS, TOTAL_LABELS

__all__ = [
    "DATASET_SUFFIXES",
    "FORMAT_VERSION",
    "FORMAT_VERSIONS",
    "MAX_DIGITS",
    "MAX_LEVEL",
    "MAX_ROWS",
    "MAX_TEXT",
    "TOTAL_LABELS",
    "bundled_dataset",
    "load",
    "read_dataset",
    "read_text",
]

#: The newest dataset format, the one `kmo-export upgrade` writes.
FORMAT_VERSION = 2
#: The dataset formats this version reads.
FORMAT_VERSIONS = (1, 2)
#: Dataset file suffixes that ``build`` and ``check`` pick up in a directory.
DATASET_SUFFIXES = (".yaml", ".yml")
#: Top-level fields of format 1.
TOP_LEVEL = {
    "format",
    "source",
    "number",
    "date",
    "asked_by",
    "addressed_to",
    "subject",
    "introduction",
    "questions",
    "answers",
    "key_figures",
}
#: Top-level fields format 2 adds.
TOP_LEVEL_2 = {"opening", "closing", "figures"}


# Reading files within bounds lives in kmo_export.reading; these names are the loader's own.
read_text = reading.read_text
_parse_yaml = parse_yaml


def load(path: str | Path) -> Dataset:
    """Read and validate the dataset at ``path``; raise DatasetError listing every problem."""
    from ..validate import validate

    dataset = read_dataset(path)
    validate(dataset)
    return dataset


def read_dataset(path: str | Path) -> Dataset:
    """Read the dataset at ``path`` into the model, checking types and formats (not the rules)."""
    path = Path(path)
    file = str(path)
    data, lines = _parse_yaml(read_text(path), file)
    if data is None:
        raise DatasetError.single(file, "holds no fields, only comments or blank lines")
    if not isinstance(data, dict):
        raise DatasetError.single(
            file, "must be a YAML mapping of fields (see README, Dataset format)", line=1
        )
    r = _Reader(file, lines)
    version = r.get(data, "format", "", required=False)
    if version is not MISSING and version not in FORMAT_VERSIONS:
        r.problem(
            "format",
            f"unsupported format {_quote(version)}; this version reads formats "
            f"{' and '.join(map(str, FORMAT_VERSIONS))}",
        )
    r.version = 2 if version == 2 else 1
    r.unknown(data, TOP_LEVEL | (TOP_LEVEL_2 if r.version == 2 else set()), "", TOP_LEVEL_2)
    addressed = (
        r.mapping(r.get(data, "addressed_to", ""), "addressed_to")
        if "addressed_to" in data
        else None
    )
    if addressed is None and "addressed_to" not in data:
        r.problem("addressed_to", "is missing", 1)
    person = (
        Person(
            name=r.text(addressed, "name", "addressed_to") or "",
            title=r.text(addressed, "title", "addressed_to", required=False),
        )
        if addressed is not None
        else Person("")
    )
    dataset = Dataset(
        path=path,
        number=r.integer(data, "number", "", minimum=1) or 0,
        date=r.date(data, "date", "") or dt.date(1970, 1, 1),
        asked_by=r.text(data, "asked_by", "") or "",
        addressed_to=person,
        subject=_subject(r, data),
        introduction=r.paragraphs(data, "introduction", "", required=False),
        questions=tuple(_questions(r, data)),
        answers=tuple(_answers(r, data, path)),
        key_figures=_key_figures(r, data),
        source=_source(r, data),
        opening=r.paragraphs(data, "opening", "", required=False),
        closing=r.paragraphs(data, "closing", "", required=False),
        figures=tuple(_figures(r, data)),
        format=r.version,
    )
    if r.problems:
        raise DatasetError(r.problems)
    return dataset


def _subject(r: _Reader, data: dict[str, Any]) -> str:
    # The subject titles the brief; its length limit is kmo_export.limits' (one owner).
    return r.text(data, "subject", "") or ""


def _source(r: _Reader, data: dict[str, Any]) -> Source:
    # `source:` (publisher, text, url), where the dataset's figures come from.
    raw = r.section(data, "source", "")
    if raw is None:
        return Source()
    r.unknown(raw, {"publisher", "text", "url"}, "source")
    return Source(
        publisher=r.text(raw, "publisher", "source", required=False),
        text=r.text(raw, "text", "source", required=False),
        url=r.text(raw, "url", "source", required=False),
    )


def bundled_dataset() -> Path:
    """The dataset that ships with kmo-export (written question nr. 835 of 2020)."""
    from ..resources import data_dir

    return data_dir() / "kmo-portefeuille-2019.yaml"
