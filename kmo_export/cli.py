"""The ``kmo-export`` command line. The only module that knows Click.

Exit codes: 0 success; 1 a data or output error (one ``Error: <file>: <field>: <what>`` line
each, on stderr, no traceback); 2 a usage error. Heavy modules are imported inside the
commands, so ``kmo-export --help`` stays fast: this module imports Click and nothing else
of weight.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__

if TYPE_CHECKING:
    from .batch import Outcome

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: Exit status after Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _lines(exc: BaseException) -> list[str]:
    # The messages of an error: one per problem where it holds several.
    lines = getattr(exc, "lines", None)
    return list(lines()) if callable(lines) else [str(exc)]


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(f"Error: {line}", err=True)
    raise click.exceptions.Exit(1)


class _Main(click.Group):
    # Turns library errors into "Error:" lines and exit 1; a bug into one line, not a traceback.

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import KmoExportError

        try:
            return super().invoke(ctx)
        except KmoExportError as exc:
            _fail(_lines(exc))
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("KMO_EXPORT_DEBUG") or (
                isinstance(exc, OSError) and exc.errno == 32  # EPIPE: Click handles it
            ):
                raise
            _fail(
                [
                    f"internal error: {type(exc).__name__}: {exc} (a bug in kmo-export: please "
                    "report it; KMO_EXPORT_DEBUG=1 shows the traceback)"
                ]
            )


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kmo-export")
def main() -> None:
    """Turn a Flemish Parliament written question and its answer into a finance
    workbook (.xlsx) and a ministerial brief (.docx).

    \b
    Examples:
      kmo-export build                 the bundled dataset into output/
      kmo-export build data/ -j 4      every dataset in data/, 4 at a time
      kmo-export check data/           validate only (a pull-request gate)
      kmo-export import answer.txt     a published text -> a dataset

    Exit status: 0 success, 1 a data or output error, 2 a usage error.
    Run 'kmo-export COMMAND -h' for the options of a command.
    """


@main.command(
    context_settings=CONTEXT,
    short_help="Build the workbook and brief of each dataset (in parallel, sharded).",
)
@click.argument("datasets", nargs=-1, metavar="[DATASET|DIR|GLOB]...")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder to write into (created if needed).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["xlsx", "docx", "pdf"]),
    help="Output format; repeat for several. Default: xlsx and docx. pdf needs LibreOffice "
    "(found on the PATH, in its usual install folder, or where KMO_EXPORT_SOFFICE points).",
)
@click.option(
    "--pdf-profile",
    type=click.Choice(["a2b-ua", "a2b", "ua", "plain"]),
    default="a2b-ua",
    show_default=True,
    help="What the PDF conforms to: PDF/A-2b (archival) and PDF/UA-1 (accessible), one of "
    "them, or neither (plain); every profile is tagged, with bookmarks and chart alt texts.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the labels.",
)
@click.option(
    "--top-n",
    type=click.IntRange(1, 100),
    default=15,
    show_default=True,
    help="Themes shown before 'other themes' in charts.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Word template (.docx) with the house style. Default: the bundled templates/brief.docx.",
)
@click.option(
    "--allow-inconsistent",
    is_flag=True,
    help="Build even where a reported total differs from the sum of its rows (the outputs show the difference).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Datasets built at once, each in its own process. Default: the number of CPUs.",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Build only the I-th of N slices of the inputs (for a CI matrix): every input lands in "
    "exactly one slice, the same one on every machine.",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON record of every dataset: status, outputs (path, size, sha256), "
    "duration, errors.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only errors and, if any failed, the summary."
)
def build(
    datasets: tuple[str, ...],
    output_dir: Path,
    formats: tuple[str, ...],
    pdf_profile: str,
    lang: str,
    top_n: int,
    template: Path | None,
    allow_inconsistent: bool,
    jobs: int | None,
    shard: str | None,
    manifest: Path | None,
    quiet: bool,
) -> None:
    """Build the workbook and the brief for each DATASET.

    DATASET is a dataset file, a folder (every .yaml/.yml file directly in it) or a
    glob pattern (quote it; '**' matches any depth); with none, the bundled dataset
    (written question nr. 835 of 2020) is built. Inputs are sorted and duplicates
    dropped. Each dataset writes OUTPUT_DIR/<dataset name>.xlsx and .docx, each file
    atomically: an interrupted run never leaves a truncated file.

    A dataset that fails is reported and the others are still built; the run ends
    with "N built, M failed" and exits 1 if any failed.

    \b
    Examples:
      kmo-export build
      kmo-export build data/kmo-portefeuille-2019.yaml -o out -f xlsx
      kmo-export build data/ -j 4 --manifest output/manifest.json
      kmo-export build 'data/**/*.yaml' --shard 2/3 -q
    """
    from .batch import parse_shard, run, write_manifest
    from .batch import shard as take_shard
    from .build import DEFAULT_FORMATS, BuildOptions
    from .loader import bundled_dataset

    shard_of: tuple[int, int] | None = None
    if shard:
        try:
            shard_of = parse_shard(shard)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--shard'") from None
    paths = _expand(datasets) if datasets else [bundled_dataset()]
    total = len(paths)
    if shard_of:
        paths = take_shard(paths, *shard_of)
        if not quiet:
            click.echo(f"shard {shard}: {len(paths)} of {total} datasets")
    options = BuildOptions(
        output_dir=output_dir,
        formats=tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS,
        language=lang,
        top_n=top_n,
        template=template,
        allow_inconsistent=allow_inconsistent,
        pdf_profile=pdf_profile,
    )
    reporter = _Reporter(len(paths), quiet)
    try:
        with _terminate_as_interrupt():
            outcomes = run(paths, options, jobs=jobs, on_outcome=reporter)
    except KeyboardInterrupt:
        reporter.close()
        click.echo(
            "Error: interrupted; the files finished so far were kept, no partial file was left",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    finally:
        reporter.close()
    if manifest:
        write_manifest(manifest, outcomes, options, shard)
    failed = sum(not o.ok for o in outcomes)
    if failed or (not quiet and (len(paths) != 1 or shard_of)):
        click.echo(f"{len(outcomes) - failed} built, {failed} failed", err=bool(failed))
    if failed:
        sys.exit(1)


def _expand(inputs: tuple[str, ...]) -> list[Path]:
    # Dataset arguments -> sorted files; a folder or pattern with no dataset is a usage error.
    from .build import NoMatchError, expand_inputs

    try:
        return expand_inputs(inputs)
    except NoMatchError as exc:
        raise click.BadParameter(str(exc), param_hint="'DATASET'") from None


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    # SIGTERM (a CI job cancelled, `kill`) stops the run like Ctrl-C: workers are stopped and
    # remove their temporary files, finished outputs stay.
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Reporter:
    # Prints each finished dataset: a progress bar on a terminal, one plain line otherwise.

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
        self.bar: Any = None
        if not quiet and total > 1 and sys.stdout.isatty() and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=total,
                label="Building",
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda name: name,
            )
            self.bar.__enter__()

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        for line in outcome.errors:
            self._echo(f"Error: {line}", err=True)
        for line in outcome.warnings:
            self._echo(f"Warning: {line}", err=True)
        if self.bar is not None:
            self.bar.update(1, outcome.dataset.name)
        elif outcome.ok and not self.quiet:
            counter = f"[{self.done}/{self.total}] " if self.total > 1 else ""
            files = ", ".join(f"{o['path']} ({_size(o['size'])})" for o in outcome.outputs)
            click.echo(f"{counter}wrote {files}")

    def _echo(self, text: str, err: bool) -> None:
        if self.bar is not None:
            click.echo("\r\033[K", nl=False, err=True)  # clear the bar's line, it redraws below
        click.echo(text, err=err)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KiB" if n >= 1024 else f"{n} bytes"


@main.command(
    context_settings=CONTEXT,
    short_help="Validate datasets and list every problem (a pull-request gate).",
)
@click.argument("datasets", nargs=-1, required=True, metavar="DATASET|DIR|GLOB...")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems.")
def check(datasets: tuple[str, ...], quiet: bool) -> None:
    """Validate datasets without writing anything; list every problem of every dataset.

    Also reports datasets that 'build' could not write together (two with the same
    output name) or at all (a file name unusable as an output name). Exits 1 if
    there is any problem, including a reported total that differs from the sum of
    its rows: use it as a pull-request gate.

    \b
    Examples:
      kmo-export check data/
      kmo-export check 'data/**/*.yaml' -q
    """
    from .batch import NameClashError, check_output_names
    from .build import BuildOptions, output_paths
    from .build import check as check_one
    from .errors import KmoExportError

    paths = _expand(datasets)
    options = BuildOptions()
    invalid: set[Path] = set()
    for path in paths:
        problems: list[str] = []
        try:
            output_paths(path, options)
        except KmoExportError as exc:
            problems += _lines(exc)
        try:
            check_one(path)
        except KmoExportError as exc:
            problems += _lines(exc)
        except (MemoryError, RecursionError) as exc:
            problems.append(f"{path}: cannot be read ({type(exc).__name__})")
        except Exception as exc:  # a bug: report it for this dataset, check the others
            problems.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
        for line in problems:
            click.echo(f"Error: {line}", err=True)
        if problems:
            invalid.add(path)
        elif not quiet:
            click.echo(f"ok {path}")
    try:
        check_output_names(paths, options)
    except NameClashError as exc:
        for line in exc.lines():
            click.echo(f"Error: {line}", err=True)
            invalid.add(Path(line.split(": ", 1)[0]))
    if invalid or (not quiet and len(paths) > 1):
        click.echo(f"{len(paths) - len(invalid)} valid, {len(invalid)} invalid", err=bool(invalid))
    if invalid:
        sys.exit(1)


@main.command(
    "import",
    context_settings=CONTEXT,
    short_help="Turn a published answer (.txt or PDF) into a dataset.",
)
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dataset file to write. Default: the source's name with .yaml, beside it.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing dataset file.")
def import_(source: Path, output: Path | None, force: bool) -> None:
    """Turn the published text (.txt) or PDF of a written question and its answer
    into a dataset that 'build' accepts.

    \b
    Example:
      kmo-export import data/sources/schriftelijke-vraag-835-2020.txt -o new.yaml
      kmo-export build new.yaml
    """
    from .importer import import_source

    target = output or source.with_suffix(".yaml")
    if target.exists() and not force:
        raise click.ClickException(
            f"{target}: exists; pass --force to overwrite it or -o for another name"
        )
    written = import_source(source, target)
    click.echo(f"wrote {written}")
