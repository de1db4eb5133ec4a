"""Build one dataset: load, validate, and render each requested format into the output folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, Problem
from .loader import read_dataset
from .model import Report
from .output import WrittenFile, atomic_write
from .validate import validate

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


@dataclass
class BuildResult:
    dataset: Path
    outputs: list[WrittenFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def output_paths(dataset: Path, options: BuildOptions) -> dict[str, Path]:
    """Where the outputs of ``dataset`` go: ``<output_dir>/<dataset stem>.<format>``."""
    stem = dataset.stem
    if not stem or stem.startswith(".") or "/" in stem or "\\" in stem:
        raise OutputError(f"{dataset}: the file name gives no usable output name")
    return {fmt: options.output_dir / f"{stem}.{fmt}" for fmt in options.formats}


def build(dataset_path: Path, options: BuildOptions) -> BuildResult:
    """Load, validate and render one dataset; raise KmoExportError before writing if it is bad."""
    dataset = read_dataset(dataset_path)
    warnings = validate(dataset, allow_inconsistent=options.allow_inconsistent)
    report = Report(dataset, options.language, options.top_n, options.allow_inconsistent)
    paths = output_paths(dataset_path, options)
    result = BuildResult(dataset_path, warnings=warnings)
    template = None
    if "docx" in paths or "pdf" in paths:
        from .brief import load_template

        template = load_template(
            options.template
        )  # a bad template fails before anything is written
    if "xlsx" in paths:
        from .workbook import render_xlsx

        result.outputs.append(atomic_write(paths["xlsx"], lambda tmp: render_xlsx(report, tmp)))
    if "docx" in paths or "pdf" in paths:
        from .brief import render_docx

        docx_path = paths.get("docx") or paths["pdf"].with_suffix(".docx")
        written = atomic_write(docx_path, lambda tmp: render_docx(report, tmp, template))
        if "docx" in paths:
            result.outputs.append(written)
        if "pdf" in paths:
            from .pdf import convert_to_pdf

            result.outputs.append(
                atomic_write(paths["pdf"], lambda tmp: convert_to_pdf(docx_path, tmp))
            )
            if "docx" not in paths:
                docx_path.unlink()
    return result


def check(dataset_path: Path) -> None:
    """Validate one dataset; raise DatasetError listing every problem (inconsistent totals too)."""
    validate(read_dataset(dataset_path))


def expand_inputs(inputs: Sequence[str]) -> list[Path]:
    """Files, folders (every dataset file in them) and glob patterns, as a sorted list of files."""
    import glob

    from .loader import DATASET_SUFFIXES

    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found += [
                p
                for p in sorted(path.iterdir())
                if p.suffix.lower() in DATASET_SUFFIXES and p.is_file()
            ]
        elif any(ch in item for ch in "*?[") and not path.exists():
            found += [Path(p) for p in sorted(glob.glob(item, recursive=True))]
        else:
            found.append(path)  # missing files are reported when they are read
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(str(path.resolve()), path)
    return sorted(unique.values(), key=lambda p: str(p))
