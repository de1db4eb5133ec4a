"""Shared test helpers: the bundled dataset, the OOXML validator, LibreOffice and Gnumeric.

Tests that need an external program carry its marker (``needs_libreoffice``, ``needs_gnumeric``,
``needs_poppler``): where the program is missing they are skipped, with the reason in the
``-ra`` summary. CI (``.ci/run``) installs them all, so there nothing is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "kmo-portefeuille-2019.yaml"
SEED_TEXT = ROOT / "data" / "sources" / "schriftelijke-vraag-835-2020.txt"

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
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


# marker -> (the program is installed, what to install)
PROGRAMS: dict[str, tuple[Callable[[], bool], str]] = {
    "libreoffice": (lambda: soffice_path() is not None, "LibreOffice (soffice)"),
    "gnumeric": (lambda: shutil.which("ssconvert") is not None, "Gnumeric (ssconvert)"),
    "poppler": (
        lambda: bool(shutil.which("pdfinfo") and shutil.which("pdftoppm")),
        "poppler (pdfinfo, pdftoppm)",
    ),
}
# A test (or pytest.param) that needs one of the programs carries its marker; it is skipped,
# with the reason, where the program is missing, and ``-m "not gnumeric"`` leaves it out.
needs_libreoffice = pytest.mark.libreoffice
needs_gnumeric = pytest.mark.gnumeric
needs_poppler = pytest.mark.poppler


def pytest_configure(config):
    # (the libreoffice marker is declared in pyproject.toml)
    for name in ("gnumeric", "poppler"):
        config.addinivalue_line("markers", f"{name}: needs {PROGRAMS[name][1]} installed")


def pytest_collection_modifyitems(config, items):
    missing = {name: what for name, (found, what) in PROGRAMS.items() if not found()}
    for item in items:
        for name, what in missing.items():
            if item.get_closest_marker(name) is not None:
                item.add_marker(pytest.mark.skip(reason=f"{what} is not installed"))


def ooxml_problems(*paths: Path) -> str:
    """The ECMA-376 validator's problem lines for ``paths`` (tests/ooxml), '' when all are valid."""
    from .ooxml.validate import problems

    return "\n".join(problems(*paths))


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


def ssconvert_recalc(source: Path, outdir: Path) -> Path:
    """``source`` recalculated by Gnumeric (``ssconvert --recalc``) and written as .xlsx."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / source.name
    env = {**os.environ, "HOME": str(outdir)}  # Gnumeric's settings stay in tmp_path
    subprocess.run(
        ["ssconvert", "--recalc", str(source), str(target)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    assert target.is_file(), f"ssconvert wrote no {target}"
    return target


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
