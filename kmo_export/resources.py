"""Where the bundled dataset, templates and label catalogues are: in the wheel or the checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _root(name: str) -> Path:
    # In a wheel the folders ship as kmo_export/_bundled/<name>; in a checkout they sit at the top.
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kmo-export is installed without its {name}/ folder")


def data_dir() -> Path:
    """The folder of bundled datasets."""
    return _root("data")


def templates_dir() -> Path:
    """The folder of house-style files (Word template, workbook style)."""
    return _root("templates")
