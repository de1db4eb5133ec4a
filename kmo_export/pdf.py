"""The brief as PDF, through LibreOffice headless (``--format pdf``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ConverterMissingError, OutputError

#: Seconds LibreOffice may take for one document before the conversion is given up.
TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice program (``soffice`` or ``libreoffice`` on PATH), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, target: Path, timeout: float = TIMEOUT) -> None:
    """Convert ``docx`` to a PDF at ``target`` with LibreOffice headless.

    LibreOffice runs with a profile of its own in a temporary folder (so conversions in
    parallel and a running LibreOffice do not get in each other's way) and a time limit.
    Raise ConverterMissingError if LibreOffice is not installed, OutputError if it fails.
    """
    program = soffice()
    if program is None:
        raise ConverterMissingError(
            f"{target}: a PDF needs LibreOffice, but 'soffice' is not on the PATH; "
            "install LibreOffice or leave out --format pdf"
        )
    with tempfile.TemporaryDirectory(prefix="kmo-export-pdf-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        source = work / "brief.docx"  # a plain name: LibreOffice names its output after it
        shutil.copyfile(docx, source)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(profile)}
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"{target}: LibreOffice did not finish the PDF within {timeout:.0f} s"
            ) from None
        except OSError as exc:
            raise OutputError(f"{target}: LibreOffice could not be started: {exc}") from None
        produced = work / "brief.pdf"
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit code {result.returncode}"
            raise OutputError(f"{target}: LibreOffice could not convert {docx.name}: {reason}")
        shutil.copyfile(produced, target)
