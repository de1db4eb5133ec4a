"""The registry of formats, check_many() and the messages of errors, used as a library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kmo_export.build import BuildOptions, build, check_many
from kmo_export.cli import _FormatList
from kmo_export.errors import DatasetError, KmoExportError, NameClashError, Problem
from kmo_export.formats import DEFAULT_FORMATS, FORMATS, chosen

from .conftest import BUNDLED

BAD = Path(__file__).parent / "bad_datasets" / "amount-nan.yaml"


def test_the_cli_offers_what_the_registry_holds():
    assert _FormatList().convert("all", None, None) == ("xlsx", "docx", "pdf") == tuple(FORMATS)
    assert set(DEFAULT_FORMATS) < set(FORMATS)
    assert [f.suffix for f in FORMATS.values()] == [".xlsx", ".docx", ".pdf"]
    assert [f.name for f in FORMATS.values() if f.needs_libreoffice] == ["pdf"]
    assert [f.name for f in chosen(["pdf", "docx", "xlsx"])] == ["xlsx", "docx", "pdf"]


def test_outputs_come_in_the_registry_order_whatever_order_is_asked(tmp_path):
    result = build(BUNDLED, BuildOptions(output_dir=tmp_path, formats=("docx", "xlsx")))
    assert [w.path.name for w in result.outputs] == [f"{BUNDLED.stem}.xlsx", f"{BUNDLED.stem}.docx"]
    for written in result.outputs:
        assert written.path.stat().st_size == written.size > 0


def test_check_many_reports_per_dataset_then_clashes(tmp_path):
    good = shutil.copy(BUNDLED, tmp_path / "good.yaml")
    bad = shutil.copy(BAD, tmp_path / "bad.yaml")
    unusable = shutil.copy(BUNDLED, tmp_path / "un:usable.yaml")
    (tmp_path / "sub").mkdir()
    twin = shutil.copy(BUNDLED, tmp_path / "sub" / "GOOD.yaml")
    paths = [Path(p) for p in (good, bad, unusable, twin)]
    seen = []
    results = check_many(paths, on_result=lambda r: seen.append((r.dataset, list(r.clashes))))
    assert [r.dataset for r in results] == paths
    assert seen == [(p, []) for p in paths]  # each reported before the clashes are known
    assert [r.valid for r in results] == [True, False, False, False]
    assert results[0].errors == results[0].clashes == []
    with pytest.raises(DatasetError) as caught:
        build(paths[1], BuildOptions(output_dir=tmp_path / "out"))
    assert (
        results[1].errors == caught.value.lines() and results[1].problems == caught.value.problems
    )
    assert results[2].errors == [
        f"{unusable}: the file name gives no usable output name (it holds the character ':'); "
        "rename the file"
    ]
    assert results[3].errors == []
    assert results[3].clashes == [
        f"{twin}: would write output/GOOD.xlsx, as {good} does (output/good.xlsx); "
        "rename one of them"
    ]
    assert not (tmp_path / "out").exists() and not Path("output/GOOD.xlsx").exists()


def test_every_error_gives_its_lines():
    assert KmoExportError("a: b").lines() == ["a: b"]
    assert KmoExportError("a\nb").lines() == ["a\\nb"]
    assert NameClashError(["x: one", "y: two"]).lines() == ["x: one", "y: two"]
    error = DatasetError([Problem("f.yaml", "bad", "a.b", 3), Problem("f.yaml", "worse")])
    assert error.lines() == ["f.yaml: a.b (line 3): bad", "f.yaml: worse"]
