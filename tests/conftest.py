"""Shared test helpers: the bundled dataset, the OOXML validator, LibreOffice headless."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "kmo-portefeuille-2019.yaml"
SEED_TEXT = ROOT / "data" / "sources" / "schriftelijke-vraag-835-2020.txt"
# The ECMA-376 validator sits beside the project in ../shared (read-only); a copy may be vendored.
VALIDATOR_CANDIDATES = [
    ROOT.parent / "shared" / "tools" / "ooxml_validate.py",
    ROOT / "tests" / "tools" / "ooxml_validate.py",
]

# Property tests run the same examples on every machine and in CI, so a red run is a real and
# reproducible failure; `HYPOTHESIS_PROFILE=explore uv run pytest` searches new random examples.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# LibreOffice reads OOXML formulas and recalculates them on load only when told so.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    soffice_path() is None, reason="LibreOffice (soffice) is not installed"
)


def validator_path() -> Path:
    for candidate in VALIDATOR_CANDIDATES:
        if candidate.is_file():
            return candidate
    pytest.fail("ooxml_validate.py not found (expected ../shared/tools/ooxml_validate.py)")


def ooxml_problems(*paths: Path) -> str:
    """Run the ECMA-376 validator; return its output if it found problems, else ''."""
    result = subprocess.run(
        [sys.executable, str(validator_path()), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def soffice_convert(source: Path, target_format: str, outdir: Path, recalc: bool = True) -> Path:
    """Convert ``source`` with LibreOffice headless (own profile, recalculation on load forced)."""
    profile = outdir / "lo-profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    if recalc:
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run(
        [
            soffice_path() or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    produced = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    assert produced.is_file(), f"LibreOffice wrote no {produced}"
    return produced


@pytest.fixture(scope="session")
def bundled_dataset():
    from kmo_export.loader import load

    return load(BUNDLED)


@pytest.fixture(scope="session")
def built_outputs(tmp_path_factory):
    """The bundled dataset built once (xlsx + docx) for tests that only read the outputs."""
    from kmo_export.build import BuildOptions, build

    out = tmp_path_factory.mktemp("built")
    result = build(BUNDLED, BuildOptions(output_dir=out))
    return {w.path.suffix.lstrip("."): w.path for w in result.outputs}
