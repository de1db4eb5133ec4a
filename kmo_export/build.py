"""Build one dataset: load, validate, and render each requested format into the output folder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits
from .errors import KmoExportError, OutputError, Problem, printable_name
from .loader import read_dataset
from .model import Report
from .output import WrittenFile, atomic_write, together
from .validate import dataset_warnings, validate

if TYPE_CHECKING:
    from .brief.template import Template

FORMATS = ("xlsx", "docx", "pdf")
DEFAULT_FORMATS = ("xlsx", "docx")


@dataclass(frozen=True)
class BuildOptions:
    """Everything about a build except the dataset: shared by every dataset of a batch."""

    output_dir: Path = Path("output")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    language: str = "nl"
    top_n: int = 15
    template: Path | None = None
    allow_inconsistent: bool = False
    pdf_profile: str = "a2b-ua"  # a key of kmo_export.pdf.PROFILES


@dataclass
class BuildResult:
    dataset: Path
    outputs: list[WrittenFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def output_paths(dataset: Path, options: BuildOptions) -> dict[str, Path]:
    """Where the outputs of ``dataset`` go: ``<output_dir>/<dataset stem>.<format>``.

    Raise OutputError for a name that would not stay a plain, visible file inside the output
    folder on every system and in a CI artifact (``..``, a leading dot, a control character or
    one of ``<>:"|?*\\``).
    """
    stem = dataset.stem
    problem = _name_problem(stem)
    if problem:
        raise OutputError(
            f"{printable_name(str(dataset))}: the file name gives no usable output name "
            f"(it {problem}); rename the file"
        )
    return {fmt: options.output_dir / f"{stem}.{fmt}" for fmt in options.formats}


# Characters an output name may not hold: path separators, control characters, and what
# Windows, macOS and CI artifact uploads refuse in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]')


# What is wrong with an output name (the dataset's stem), or None.
def _name_problem(stem: str) -> str | None:
    bad = _UNSAFE.search(stem)
    if bad:
        return f"holds the character {bad.group()!r}"
    if not stem:
        return "is empty"
    if stem.startswith("."):
        return "starts with a dot"
    if stem.endswith((" ", ".")):
        return "ends with a space or a dot"
    return limits.output_stem_problem(stem)


def build(dataset_path: Path, options: BuildOptions) -> BuildResult:
    """Load, validate and render one dataset; raise KmoExportError before writing if it is bad."""
    paths = output_paths(dataset_path, options)
    dataset = read_dataset(dataset_path)
    warnings = validate(dataset, allow_inconsistent=options.allow_inconsistent)
    report = Report(dataset, options.language, options.top_n, options.allow_inconsistent)
    result = BuildResult(dataset_path, warnings=warnings)
    if "pdf" in paths:
        from .pdf import require_soffice

        require_soffice()  # no LibreOffice: fail before anything is written
    template = None
    if "docx" in paths or "pdf" in paths:
        from .brief import load_template

        template = load_template(
            options.template
        )  # a bad template fails before anything is written
    with together():  # the workbook and the brief replace the earlier ones together, or neither
        if "xlsx" in paths:
            from .workbook import render_xlsx

            result.outputs.append(atomic_write(paths["xlsx"], lambda tmp: render_xlsx(report, tmp)))
        if "docx" in paths:
            from .brief import render_docx

            result.outputs.append(
                atomic_write(paths["docx"], lambda tmp: render_docx(report, tmp, template))
            )
    if "pdf" in paths:
        result.outputs.append(_write_pdf(report, template, paths, options))
    return result


# The PDF from the brief just written, or (pdf without docx) from one rendered in a temporary
# folder, so an existing .docx in the output folder is never touched.
def _write_pdf(
    report: Report, template: Template | None, paths: dict[str, Path], options: BuildOptions
) -> WrittenFile:
    import tempfile

    from .brief import render_docx
    from .pdf import convert_to_pdf

    def convert(docx: Path, tmp: Path) -> None:
        convert_to_pdf(docx, tmp, profile=profile, created=report.created, name=str(paths["pdf"]))

    profile = options.pdf_profile
    if "docx" in paths:
        return atomic_write(paths["pdf"], lambda tmp: convert(paths["docx"], tmp))
    with tempfile.TemporaryDirectory(prefix="kmo-export-brief-") as folder:
        docx = Path(folder) / paths["pdf"].with_suffix(".docx").name
        render_docx(report, docx, template)
        return atomic_write(paths["pdf"], lambda tmp: convert(docx, tmp))


def check(dataset_path: Path) -> list[Problem]:
    """Validate one dataset; raise DatasetError listing every problem (inconsistent totals too).

    Returns the warnings of a valid dataset (key figures their checks contradict, percentages
    that look like fractions).
    """
    dataset = read_dataset(dataset_path)
    validate(dataset)
    return dataset_warnings(dataset)


class NoMatchError(KmoExportError):
    """A folder or glob pattern given as input holds no dataset file."""


def expand_inputs(inputs: Sequence[str]) -> list[Path]:
    """Files, folders and glob patterns as one sorted, duplicate-free list of dataset files.

    * a folder gives every ``.yaml``/``.yml`` file directly in it (not in subfolders; use a
      pattern such as ``data/**/*.yaml`` for those); hidden files are skipped;
    * a glob pattern (``*``, ``?``, ``[...]``, ``**`` for any depth) gives the dataset files it
      matches;
    * a file is taken as it is, whatever its suffix; a missing one is reported when it is read.

    The same file reached twice (also through a symlink or another spelling) counts once.
    The order is by path, character by character, so it is the same on every machine and
    shards cut from it agree. Raise NoMatchError for a folder or pattern with no dataset file.
    """
    import glob

    from .loader import DATASET_SUFFIXES

    def is_dataset(path: Path) -> bool:
        return (
            path.suffix.lower() in DATASET_SUFFIXES
            and not path.name.startswith(".")
            and path.is_file()
        )

    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            matches = sorted(p for p in path.iterdir() if is_dataset(p))
            if not matches:
                raise NoMatchError(
                    f"{item}: the folder holds no dataset file ({', '.join(DATASET_SUFFIXES)})"
                )
        elif glob.has_magic(item) and not path.exists():
            matches = [Path(p) for p in glob.glob(item, recursive=True) if is_dataset(Path(p))]
            if not matches:
                raise NoMatchError(f"{item}: the pattern matches no dataset file")
        else:
            matches = [path]
        found += matches
    unique: dict[str, Path] = {}
    for path in sorted(found, key=lambda p: p.as_posix()):  # of two spellings, the first sorted
        unique.setdefault(_identity(path), path)
    return sorted(unique.values(), key=lambda p: p.as_posix())


# The same file under every spelling: resolved path, or device and inode where it exists.
def _identity(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return str(path.resolve())
    return f"{stat.st_dev}:{stat.st_ino}"
