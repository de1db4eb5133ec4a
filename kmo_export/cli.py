"""The ``kmo-export`` command line. The only module that knows Click.

Exit codes: 0 success; 1 a data or output error (one ``Error: <file>: <field>: <what>`` line
each, on stderr, no traceback); 2 a usage error. Heavy modules are imported inside the
commands, so ``kmo-export --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__

if TYPE_CHECKING:
    from .batch import Outcome
    from .errors import KmoExportError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(exc: KmoExportError) -> NoReturn:
    lines = exc.lines() if hasattr(exc, "lines") else [str(exc)]
    for line in lines[1:]:
        click.echo(f"Error: {line}", err=True)
    raise click.ClickException(lines[0])


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="kmo-export")
def main() -> None:
    """Turn a Flemish Parliament written question and its answer into a finance
    workbook (.xlsx) and a ministerial brief (.docx).

    \b
    Start here:
      kmo-export build                 the bundled dataset into output/
      kmo-export build data/ -j 4      every dataset in data/, 4 at a time
      kmo-export check data/*.yaml     validate only (a pull-request gate)
      kmo-export import answer.txt     a published text -> a dataset

    Run 'kmo-export COMMAND -h' for the options of a command.
    """


@main.command(context_settings=CONTEXT)
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
    help="Output format; repeat for several. Default: xlsx and docx. pdf needs LibreOffice.",
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
    help="Datasets built in parallel. Default: the number of CPUs.",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Build only the I-th of N deterministic slices of the inputs (for a CI matrix).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON record of every dataset (status, outputs with size and sha256, errors).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(
    datasets: tuple[str, ...],
    output_dir: Path,
    formats: tuple[str, ...],
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

    DATASET is a dataset file, a folder (every .yaml file in it) or a glob pattern;
    with none, the bundled dataset (written question nr. 835 of 2020) is built.
    Each dataset writes OUTPUT_DIR/<dataset name>.xlsx and .docx.

    \b
    Examples:
      kmo-export build
      kmo-export build data/kmo-portefeuille-2019.yaml -o out -f xlsx
      kmo-export build 'data/**/*.yaml' -j 4 --shard 1/3 --manifest out/manifest.json
    """
    from .batch import parse_shard, run, write_manifest
    from .batch import shard as take_shard
    from .build import DEFAULT_FORMATS, BuildOptions, expand_inputs
    from .errors import KmoExportError
    from .loader import bundled_dataset

    paths = expand_inputs(datasets) if datasets else [bundled_dataset()]
    if datasets and not paths:
        raise click.UsageError(f"no dataset files match {' '.join(datasets)}")
    if shard:
        try:
            index, count = parse_shard(shard)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--shard") from None
        paths = take_shard(paths, index, count)
    options = BuildOptions(
        output_dir=output_dir,
        formats=tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS,
        language=lang,
        top_n=top_n,
        template=template,
        allow_inconsistent=allow_inconsistent,
    )
    reporter = _Reporter(len(paths), quiet)
    try:
        outcomes = run(paths, options, jobs=jobs, on_outcome=reporter)
        if manifest:
            write_manifest(manifest, outcomes)
    except KmoExportError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo(
            "Error: interrupted; finished outputs were kept, no partial file was left", err=True
        )
        sys.exit(130)
    finally:
        reporter.close()
    failed = sum(not o.ok for o in outcomes)
    if len(paths) > 1 or failed or not paths:
        click.echo(f"{len(outcomes) - failed} built, {failed} failed", err=bool(failed) or quiet)
    if failed:
        sys.exit(1)


class _Reporter:
    # Prints each finished dataset: a progress bar on a terminal, one plain line otherwise.
    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        if not quiet and total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="Building", file=sys.stderr)
            self.bar.__enter__()

    def __call__(self, outcome: Outcome) -> None:
        for line in outcome.errors:
            self._echo(f"Error: {line}", err=True)
        for line in outcome.warnings:
            self._echo(f"Warning: {line}", err=True)
        if outcome.ok and not self.quiet and self.bar is None:
            for output in outcome.outputs:
                click.echo(f"wrote {output['path']} ({_size(int(output['size']))})")  # type: ignore[call-overload]
        if self.bar is not None:
            self.bar.update(1)

    def _echo(self, text: str, err: bool) -> None:
        if self.bar is not None:
            click.echo("\r\033[K", nl=False, err=True)
        click.echo(text, err=err)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KiB" if n >= 1024 else f"{n} bytes"


@main.command(context_settings=CONTEXT)
@click.argument("datasets", nargs=-1, required=True, metavar="DATASET|DIR|GLOB...")
def check(datasets: tuple[str, ...]) -> None:
    """Validate datasets without writing anything; list every problem.

    Exits 1 if any dataset has a problem, including a reported total that differs
    from the sum of its rows. Use it as a pull-request gate.

    \b
    Example:
      kmo-export check data/
    """
    from .build import check as check_one
    from .build import expand_inputs
    from .errors import KmoExportError

    paths = expand_inputs(datasets)
    if not paths:
        raise click.UsageError(f"no dataset files match {' '.join(datasets)}")
    failed = 0
    for path in paths:
        try:
            check_one(path)
        except KmoExportError as exc:
            failed += 1
            for line in exc.lines() if hasattr(exc, "lines") else [str(exc)]:
                click.echo(f"Error: {line}", err=True)
        else:
            click.echo(f"ok {path}")
    if len(paths) > 1 or failed:
        click.echo(f"{len(paths) - failed} valid, {failed} invalid", err=bool(failed))
    if failed:
        sys.exit(1)


@main.command("import", context_settings=CONTEXT)
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
    from .errors import KmoExportError
    from .importer import import_source

    target = output or source.with_suffix(".yaml")
    if target.exists() and not force:
        raise click.ClickException(
            f"{target}: exists; pass --force to overwrite it or -o for another name"
        )
    try:
        written = import_source(source, target)
    except KmoExportError as exc:
        _fail(exc)
    click.echo(f"wrote {written}")
