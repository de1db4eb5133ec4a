"""Build one dataset: load, validate, and render each requested format into the output folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits
from .errors import (
    DatasetError,
    KmoExportError,
    NameClashError,
    NoMatchError,
    OutputError,
    Problem,
    printable_name,
)
from .formats import DEFAULT_FORMATS, FORMATS, Format, chosen
from .loader import read_dataset
from .model import Report
from .output import WrittenFile, atomic_write, together
from .validate import dataset_warnings, validate

if TYPE_CHECKING:
    from .brief.template import Template


@dataclass(frozen=True, eq=False, repr=False)
class BuildOptions:
    """Everything about a build except the dataset: shared by every dataset of a batch."""

    output_dir: Path = Path("output")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    language: str = "nl"
    top_n: int = 15
    template: Path | None = None
    allow_inconsistent: bool = False
    pdf_profile: str = "a2b-ua"  # a key of kmo_export.pdf.PROFILES


@dataclass(eq=False, repr=False)
class BuildResult:
    """What a build wrote (in the registry's order of formats) and the dataset's warnings."""

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
    return {fmt: options.output_dir / f"{stem}{FORMATS[fmt].suffix}" for fmt in options.formats}


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
    report = Report(dataset, options.language, options.top_n, options.allow_inconsistent)
    # One analysis for the whole build: validation judges with it, the renderers format it.
    warnings = validate(dataset, options.allow_inconsistent, report.analysis)
    result = BuildResult(dataset_path, warnings=warnings)
    formats = chosen(paths)
    if any(f.needs_libreoffice for f in formats):
        from .pdf import require_soffice

        require_soffice()  # no LibreOffice: fail before anything is written
    template = None
    if any(f.needs_template for f in formats):
        from .brief import load_template

        template = load_template(options.template)  # a bad one fails before anything is written
    with together():  # the workbook and the brief replace the earlier ones together, or neither
        for fmt in formats:
            if fmt.source is None:
                result.outputs.append(_render(fmt, report, template, paths[fmt.name]))
    for fmt in formats:
        if fmt.source is not None:
            source = FORMATS[fmt.source]
            result.outputs.append(_convert(fmt, source, report, template, paths, options))
    return result


# One output rendered from the report.
def _render(fmt: Format, report: Report, template: Template | None, path: Path) -> WrittenFile:
    return atomic_write(path, lambda tmp: fmt.render(report, tmp, template))


# An output converted from another format's file (the PDF from the brief): the one just
# written, or one rendered in a temporary folder, so an existing file of that format in the
# output folder is never touched.
def _convert(
    fmt: Format,
    source: Format,
    report: Report,
    template: Template | None,
    paths: dict[str, Path],
    options: BuildOptions,
) -> WrittenFile:
    import tempfile

    target = paths[fmt.name]

    def convert(file: Path, tmp: Path) -> None:
        fmt.render(file, tmp, report, options.pdf_profile, str(target))

    if source.name in paths:
        return atomic_write(target, lambda tmp: convert(paths[source.name], tmp))
    with tempfile.TemporaryDirectory(prefix="kmo-export-brief-") as folder:
        made = Path(folder) / target.with_suffix(source.suffix).name
        source.render(report, made, template)
        return atomic_write(target, lambda tmp: convert(made, tmp))


def check_output_names(paths: Sequence[Path], options: BuildOptions) -> None:
    """Raise NameClashError if two inputs would write the same output file.

    Names that differ only in case clash too: they would overwrite each other on macOS and
    Windows and in a CI artifact. Unusable names are left to the build of that dataset.
    """
    clashes = _clashes(paths, options)
    if clashes:
        raise NameClashError([line for _, line in clashes])


# (index, message) for each input that would write a file an earlier input writes.
def _clashes(paths: Sequence[Path], options: BuildOptions) -> list[tuple[int, str]]:
    seen: dict[str, tuple[Path, Path]] = {}
    clashes: list[tuple[int, str]] = []
    for index, path in enumerate(paths):
        try:
            targets = output_paths(path, options).values()
        except KmoExportError:
            continue
        for target in targets:
            key = str(target).casefold()
            if key in seen:
                other, other_target = seen[key]
                same = "" if other_target == target else f" ({other_target})"
                message = f"{path}: would write {target}, as {other} does{same}; rename one of them"
                clashes.append((index, message))
                break
            seen[key] = (path, target)
    return clashes


def check(dataset_path: Path) -> list[Problem]:
    """Validate one dataset; raise DatasetError listing every problem (inconsistent totals too).

    Returns the warnings of a valid dataset (key figures their checks contradict, percentages
    that look like fractions).
    """
    dataset = read_dataset(dataset_path)
    validate(dataset)
    return dataset_warnings(dataset)


@dataclass(eq=False, repr=False)
class CheckResult:
    """What :func:`check_many` found in one dataset.

    ``errors`` are messages, one a line: an unusable output name, then the dataset's
    problems; ``problems`` are those problems as :class:`Problem` objects where the dataset
    was read far enough to know them. ``clashes`` name another input writing the same file.
    """

    dataset: Path
    errors: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True if the dataset has no error and writes no file another input writes."""
        return not self.errors and not self.clashes


def check_many(
    paths: Sequence[Path],
    options: BuildOptions | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check every dataset without writing anything; one result each, in input order.

    Per dataset: whether its file name gives a usable output name, its validation problems
    (every one) and, if it is valid, its warnings. Then the datasets that would write the
    same output file (set in ``clashes``). ``on_result`` is called as each dataset is checked,
    before the clashes are known. A bug met in one dataset is one error line for it; the
    others are still checked.
    """
    options = options or BuildOptions()
    results: list[CheckResult] = []
    for path in paths:
        result = CheckResult(path)
        try:
            output_paths(path, options)
        except KmoExportError as exc:
            result.errors += exc.lines()
        try:
            result.warnings = check(path)
        except DatasetError as exc:
            result.errors += exc.lines()
            result.problems += exc.problems
        except KmoExportError as exc:
            result.errors += exc.lines()
        except (MemoryError, RecursionError) as exc:
            result.errors.append(f"{path}: cannot be read ({type(exc).__name__})")
        except Exception as exc:  # a bug: report it for this dataset, check the others
            result.errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
        results.append(result)
        if on_result:
            on_result(result)
    for index, line in _clashes(paths, options):
        results[index].clashes.append(line)
    return results


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
