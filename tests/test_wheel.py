"""The wheel carries the bundled dataset and templates: install it in a fresh venv and build."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
def test_wheel_builds_the_bundled_dataset_in_an_empty_folder(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("kmo_export-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kmo_export/_bundled/data/kmo-portefeuille-2019.yaml" in names
    assert "kmo_export/_bundled/data/sources/schriftelijke-vraag-835-2020.txt" in names
    assert "kmo_export/_bundled/templates/brief.docx" in names
    assert "kmo_export/catalogue/nl.toml" in names
    venv = tmp_path / "venv"
    subprocess.run(["uv", "venv", "--quiet", str(venv)], check=True, capture_output=True)
    subprocess.run(
        ["uv", "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    result = subprocess.run(
        [str(venv / "bin" / "kmo-export"), "build"],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (work / "output").iterdir())
    assert made == ["kmo-portefeuille-2019.docx", "kmo-portefeuille-2019.xlsx"]
    assert all((work / "output" / name).stat().st_size > 5000 for name in made)
