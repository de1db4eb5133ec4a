"""The ``kmo-export`` command line. The only module that knows Click.

Exit codes: 0 success; 1 a data or output error (one ``Error: <file>: <field>: <what>`` line
each, on stderr, no traceback); 2 a usage error. Heavy modules are imported inside the
commands, so ``kmo-export --help`` stays fast: this module imports Click and nothing else
of weight.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__
from .formats import DEFAULT_FORMATS, FORMATS
from .problem_records import annotation as _annotation
from .problem_records import problem_records

if TYPE_CHECKING:
    from .batch import Outcome

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
#: Options not given on the command line come from KMO_EXPORT_<COMMAND>_<OPTION>; the common
#: ones also from shorter names (KMO_EXPORT_LANG, KMO_EXPORT_TEMPLATE, ...: see each option).
MAIN_CONTEXT = {**CONTEXT, "auto_envvar_prefix": "KMO_EXPORT"}
#: Exit status after Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

# At exit the interpreter's last garbage collections walk every object of every module a build
# imported (Click, XlsxWriter, PyYAML and kmo-export itself): ~15 ms of a ~140 ms build, to
# free memory the operating system takes back anyway. Freezing them first skips that walk. No
# output waits on it: every file is closed (and renamed into place) before the command returns.
atexit.register(gc.freeze)


def _fail(lines: list[str]) -> NoReturn:
    from .errors import printable

    for line in lines:
        click.echo(f"Error: {printable(line)}", err=True)
    raise click.exceptions.Exit(1)


# A Click command function, typed through a decorator.
_F = TypeVar("_F", bound=Callable[..., Any])


class _FormatList(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    # "-f docx,pdf", "-f all", or one format; each value a tuple of formats.
    name = "FORMAT[,FORMAT...]"
    choices = tuple(FORMATS)

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        out: list[str] = []
        for part in str(value).replace(" ", ",").split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part == "all":
                out += self.choices
            elif part in self.choices:
                out.append(part)
            else:
                self.fail(f"{part!r} is not one of {', '.join(self.choices)} or all", param, ctx)
        if not out:
            self.fail("no format given", param, ctx)
        return tuple(out)


def _formats(values: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    # The formats asked for, each once, in the order given.
    return tuple(dict.fromkeys(f for group in values for f in group))


def _problem_format_option(*names: str) -> Callable[[_F], _F]:
    # How problems are printed: text lines, one JSON document, or GitHub annotations.
    return click.option(
        *names,
        "problem_format",
        type=click.Choice(["text", "json", "github"]),
        default="text",
        show_default=True,
        envvar="KMO_EXPORT_PROBLEM_FORMAT",
        help="How problems are printed: 'Error:' lines on stderr (text), one JSON document on "
        "stdout (json), or GitHub Actions annotations on stdout (github).",
    )


class _Main(click.Group):
    # Turns library errors into "Error:" lines and exit 1; a bug into one line, not a traceback.

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import KmoExportError

        try:
            return super().invoke(ctx)
        except KmoExportError as exc:
            _fail(exc.lines())
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


@click.group(cls=_Main, context_settings=MAIN_CONTEXT)
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
    envvar="KMO_EXPORT_OUTPUT_DIR",
    help="Folder to write into (created if needed).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=_FormatList(),
    envvar="KMO_EXPORT_FORMAT",
    help=f"Output formats: {', '.join(FORMATS)}, or all; repeat or separate with commas "
    "(-f docx,pdf). Default: xlsx and docx. pdf needs LibreOffice (found on the PATH, in its "
    "usual install folder, or where KMO_EXPORT_SOFFICE points).",
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
    envvar="KMO_EXPORT_LANG",
    help="Language of the labels.",
)
@click.option(
    "--top-n",
    type=click.IntRange(1, 100),
    default=15,
    show_default=True,
    envvar="KMO_EXPORT_TOP_N",
    help="Themes shown before 'other themes' in charts.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KMO_EXPORT_TEMPLATE",
    help="Word template (.docx) with the house style. Default: the bundled templates/brief.docx.",
)
@click.option(
    "--style",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KMO_EXPORT_STYLE",
    help="Workbook style (.toml): its values replace those of the bundled templates/theme.toml.",
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
    envvar="KMO_EXPORT_JOBS",
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
@_problem_format_option("--problem-format")
def build(
    datasets: tuple[str, ...],
    output_dir: Path,
    formats: tuple[tuple[str, ...], ...],
    pdf_profile: str,
    lang: str,
    top_n: int,
    template: Path | None,
    allow_inconsistent: bool,
    jobs: int | None,
    shard: str | None,
    manifest: Path | None,
    quiet: bool,
    style: Path | None = None,
    problem_format: str = "text",
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
    from .build import BuildOptions
    from .loader import bundled_dataset

    shard_of: tuple[int, int] | None = None
    if shard:
        try:
            shard_of = parse_shard(shard)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--shard'") from None
    paths = _expand(datasets) if datasets else [bundled_dataset()]
    total = len(paths)
    chosen = _formats(formats) or DEFAULT_FORMATS
    _check_names_before_sharding(paths, chosen, output_dir)
    if shard_of:
        paths = take_shard(paths, *shard_of)
        if not quiet:
            click.echo(f"shard {shard}: {len(paths)} of {total} datasets")
    options = BuildOptions(
        output_dir=output_dir,
        formats=chosen,
        language=lang,
        top_n=top_n,
        template=template,
        allow_inconsistent=allow_inconsistent,
        pdf_profile=pdf_profile,
    )
    reporter = _Reporter(len(paths), quiet or problem_format == "json", problem_format)
    try:
        with _terminate_as_interrupt(), _style_file(style):
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
    if problem_format == "json":
        reporter.print_json(len(outcomes) - failed, failed)
    if failed or (not quiet and (len(paths) != 1 or shard_of)):
        click.echo(f"{len(outcomes) - failed} built, {failed} failed", err=bool(failed))
    if failed:
        sys.exit(1)


def _expand(inputs: tuple[str, ...]) -> list[Path]:
    # Dataset arguments -> sorted files; a folder or pattern with no dataset is a usage error.
    from .build import expand_inputs
    from .errors import NoMatchError

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

    def __init__(self, total: int, quiet: bool, problem_format: str = "text") -> None:
        self.quiet = quiet
        self.problem_format = problem_format
        self.records: list[dict[str, Any]] = []
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
        if self.problem_format == "text":
            for line in outcome.errors:
                self._echo(f"Error: {line}", err=True)
            for line in outcome.warnings:
                self._echo(f"Warning: {line}", err=True)
        else:
            for severity, items in (("error", outcome.errors), ("warning", outcome.warnings)):
                for item in problem_records(outcome.dataset, items, severity, outcome.problems):
                    self.records.append(item)
                    if self.problem_format == "github":
                        self._echo(_annotation(item), err=False)
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

    def print_json(self, built: int, failed: int) -> None:
        import json

        record = {"built": built, "failed": failed, "problems": self.records}
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# A file size for people: bytes below 1 KiB, whole KiB above.
def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KiB" if n >= 1024 else f"{n} bytes"


@main.command(
    context_settings=CONTEXT,
    short_help="Validate datasets and list every problem (a pull-request gate).",
)
@click.argument("datasets", nargs=-1, required=True, metavar="DATASET|DIR|GLOB...")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems.")
@_problem_format_option("--format", "--problem-format")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(
    datasets: tuple[str, ...], quiet: bool, strict: bool, problem_format: str = "text"
) -> None:
    """Validate datasets without writing anything; list every problem of every dataset.

    Also reports datasets that 'build' could not write together (two with the same
    output name) or at all (a file name unusable as an output name). Exits 1 if
    there is any problem, including a reported total that differs from the sum of
    its rows: use it as a pull-request gate. Key figures that the rest of the answer
    contradicts are warnings ('Warning:' lines, exit 0; exit 1 with --strict).

    \b
    With --format json the result is one JSON document on stdout; with --format github
    each problem is a GitHub Actions annotation (::error file=...,line=...::...).

    \b
    Examples:
      kmo-export check data/
      kmo-export check 'data/**/*.yaml' -q
      kmo-export check 'data/**/*.yaml' --format github
    """
    from .build import CheckResult, check_many
    from .errors import printable

    paths = _expand(datasets)
    invalid: set[Path] = set()
    text = problem_format == "text"
    records: list[dict[str, Any]] = []
    warned = False

    def report(
        path: Path, lines: list[str], structured: list[Any], severity: str = "error"
    ) -> None:
        for item in problem_records(path, lines, severity, structured):
            records.append(item)
            if problem_format == "github":
                click.echo(_annotation(item))
        if text:
            prefix = "Error" if severity == "error" else "Warning"
            for line in lines:
                click.echo(f"{prefix}: {printable(line)}", err=True)

    def print_result(result: CheckResult) -> None:
        nonlocal warned
        if result.warnings:
            report(result.dataset, [str(w) for w in result.warnings], result.warnings, "warning")
            warned = True
        report(result.dataset, result.errors, result.problems)
        if result.errors:
            invalid.add(result.dataset)
        elif not quiet and text:
            click.echo(f"ok {result.dataset}")

    for result in check_many(paths, on_result=print_result):
        for line in result.clashes:
            report(result.dataset, [line], [])
            invalid.add(result.dataset)
    if problem_format == "json":
        import json

        summary = {"valid": len(paths) - len(invalid), "invalid": len(invalid)}
        datasets_record = [{"dataset": str(p), "valid": p not in invalid} for p in paths]
        document = {**summary, "datasets": datasets_record, "problems": records}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif invalid or (not quiet and len(paths) > 1):
        click.echo(f"{len(paths) - len(invalid)} valid, {len(invalid)} invalid", err=bool(invalid))
    if invalid or (strict and warned):
        sys.exit(1)


def _output_file_options(output_help: str, force_help: str) -> Callable[[Any], Any]:
    # "-o/--output FILE" and "--force": the options of a command that writes one file.
    def decorate(command: Any) -> Any:
        command = click.option("--force", is_flag=True, help=force_help)(command)
        return click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help=output_help,
        )(command)

    return decorate


@main.command(
    context_settings=CONTEXT,
    short_help="Write the format-2 equivalent of a format-1 dataset.",
)
@click.argument("dataset", type=click.Path(path_type=Path))
@_output_file_options(
    "File to write. Default: the dataset's name with -format2.yaml, beside it.",
    "Overwrite an existing file.",
)
def upgrade(dataset: Path, output: Path | None, force: bool) -> None:
    """Write the format-2 equivalent of a format-1 dataset (see README, Dataset format 2).

    \b
    Example:
      kmo-export upgrade data/kmo-portefeuille-2019.yaml -o new.yaml
    """
    from .upgrade import upgrade as upgrade_dataset

    target = output or dataset.with_name(f"{dataset.stem}-format2.yaml")
    written = upgrade_dataset(dataset, target, force=force)
    click.echo(f"wrote {written.path}")


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
@click.option(
    "--source-url",
    metavar="URL",
    help="Where the text is published; recorded as source.url in the dataset.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the summary as JSON on stdout instead of text.",
)
@click.option(
    "--allow-inconsistent",
    is_flag=True,
    help="Exit 0 when a published total differs from its rows (it is reported and kept).",
)
def import_(
    source: Path,
    output: Path | None,
    force: bool,
    source_url: str | None,
    as_json: bool,
    allow_inconsistent: bool,
) -> None:
    """Turn the published text (.txt) or PDF of a written question and its answer
    into a dataset (format 2) that 'build' accepts, and print what was found: questions,
    answers, tables, totals and whether they reconcile, and every guess with its line.

    The dataset is checked as 'check' does. A published total that differs from its rows
    is a finding about the source: it is kept in the dataset, reported, and the exit code
    is 1 unless --allow-inconsistent.

    \b
    Example:
      kmo-export import data/sources/schriftelijke-vraag-835-2020.txt -o new.yaml
      kmo-export build new.yaml
    """
    from .importer import import_source
    from .importer.summary import summary_text

    target = output or source.with_suffix(".yaml")
    if target.exists() and not force:
        raise click.ClickException(
            f"{target}: exists; pass --force to overwrite it or -o for another name"
        )
    result = import_source(source, target, source_url)
    if as_json:
        import json

        click.echo(json.dumps(result.summary, ensure_ascii=False, indent=2))
    else:
        for line in summary_text(result.summary):
            click.echo(line)
    if result.inconsistencies:
        for line in result.inconsistencies:
            click.echo(f"{'Warning' if allow_inconsistent else 'Error'}: {line}", err=True)
        if not allow_inconsistent:
            click.echo(
                f"Error: {target}: written, but the source's totals are inconsistent (above); "
                "build it with --allow-inconsistent, or pass it here to exit 0",
                err=True,
            )
            raise click.exceptions.Exit(1)


# -- conveniences: a style file, names before sharding ------------------------------------


def _check_names_before_sharding(
    paths: list[Path], formats: tuple[str, ...], output_dir: Path
) -> None:
    # Two inputs writing the same file (also differing only in case) stop the run the same way
    # with and without --shard: every runner checks all inputs, not only its slice.
    from .build import BuildOptions, check_output_names

    check_output_names(paths, BuildOptions(output_dir=output_dir, formats=formats))


@contextmanager
def _style_file(style: Path | None) -> Iterator[None]:
    # The workbook style given with --style, checked before anything is written, for this run.
    from .workbook.style import STYLE_ENV, load_style

    if style is None:
        yield
        return
    previous = os.environ.get(STYLE_ENV)
    os.environ[STYLE_ENV] = str(style.resolve())
    try:
        load_style()
        yield
    finally:
        if previous is None:
            os.environ.pop(STYLE_ENV, None)
        else:
            os.environ[STYLE_ENV] = previous
