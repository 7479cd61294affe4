"""The command line: click options in, a ``Settings`` value and an exit code out."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from codemods import sdk
from codemods.diagnostics import RULES, Severity
from codemods.secrets import redact

from . import __version__
from .discover import discover
from .engine import FileResult, Status, migrate_bytes, run_candidates
from .files import encode
from .formats import FORMATS, make_reporter
from .pins import assumed_line
from .progress import progress
from .report import BaseReporter, Mode
from .settings import (
    ConfigError,
    Settings,
    build_settings,
    find_pyproject,
    formatter_line_length,
)

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C

EPILOG = """\b
Exit codes:
  0  nothing to change (diagnostics alone do not fail a run, unless --strict)
  1  files were rewritten (or would be, with --diff / --check), or --strict and a warning
  2  a file could not be processed (the others still were), or bad usage

Settings can also live under [tool.cerebras-migrate] in pyproject.toml; flags win.
"""


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--exclude a,b --exclude c`` → ``("a", "b", "c")``, as ruff reads its lists."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


class _Command(click.Command):
    """Usage errors repeat what was typed: a key pasted into an option by mistake is masked
    there as everywhere else."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _masked_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _masked_usage_errors():
            return super().invoke(ctx)


@contextmanager
def _masked_usage_errors() -> Iterator[None]:
    try:
        yield
    except click.UsageError as exc:
        exc.message = redact(exc.message)
        raise


@click.command(
    cls=_Command,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--diff", "diff", is_flag=True, help="Write nothing; print a unified diff.")
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change.")
@click.option(
    "--target",
    type=click.Choice(["openai", "cerebras"]),
    default=None,
    help="What the code should run on: the openai client pointed at Cerebras, or the "
    "Cerebras SDK (cerebras-cloud-sdk).  [default: openai]",
)
@click.option(
    "--api-key-env",
    metavar="NAME",
    default=None,
    help=f"Environment variable holding the Cerebras key.  [default: {sdk.CEREBRAS_API_KEY_ENV}]",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help=f"Cerebras API base URL.  [default: {sdk.CEREBRAS_BASE_URL}]",
)
@click.option(
    "--model-map",
    metavar="OLD=NEW",
    multiple=True,
    help=f"Map a model id (OLD may be a glob); repeatable. "
    f"Default: OpenAI chat models → {sdk.DEFAULT_CEREBRAS_MODEL}.",
)
@click.option("--keep-models", is_flag=True, default=None, help="Leave model ids as they are.")
@click.option(
    "--drop-unsupported",
    is_flag=True,
    default=None,
    help="With --target cerebras: remove request keywords the Cerebras SDK does not take "
    "(store, metadata, ...) instead of only reporting them.",
)
@click.option(
    "--openai-version",
    metavar="X.Y.Z",
    default=None,
    help="The openai release the code runs on: keywords it does not know move into "
    "extra_body.  [default: read from the project's pins, else the newest known]",
)
@click.option(
    "--exclude",
    metavar="PATTERNS",
    multiple=True,
    help="Gitignore-style patterns to skip, replacing the defaults (.git, .venv, build, ...).",
)
@click.option(
    "--extend-exclude",
    metavar="PATTERNS",
    multiple=True,
    help="Patterns to skip in addition to the defaults.",
)
@click.option(
    "--select",
    metavar="CODES",
    multiple=True,
    help="Report only these diagnostic codes (or prefixes: CM4 is every CM4xx).",
)
@click.option("--ignore", metavar="CODES", multiple=True, help="Never report these codes.")
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Exit 1 when a warning remains, even if nothing is rewritten (for CI gates).",
)
@click.option(
    "--list-rules",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _list_rules(ctx) if value else None,
    help="List every diagnostic code and exit.",
)
@click.option(
    "--explain",
    metavar="CODE",
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _explain(ctx, value) if value else None,
    help="Explain one diagnostic code and exit.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics and diffs only.")
@click.option("-v", "--verbose", is_flag=True, help="Also list skipped files and why.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    default=None,
    help="Processes that parse files, when there are enough files to share.  "
    "[default: the number of cores]",
)
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; json, github (Actions annotations) or sarif for tools: "
    "printed on stdout, without diffs (json holds them inside).",
)
@click.version_option(__version__, "--version", prog_name="cerebras-migrate")
def main(
    paths: tuple[str, ...],
    diff: bool,
    check: bool,
    target: str | None,
    api_key_env: str | None,
    base_url: str | None,
    model_map: tuple[str, ...],
    keep_models: bool | None,
    drop_unsupported: bool | None,
    openai_version: str | None,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    strict: bool | None,
    quiet: bool,
    verbose: bool,
    no_color: bool,
    output_format: str,
    jobs: int | None,
) -> None:
    """Rewrite OpenAI SDK code in PATHS (default: .) to run on Cerebras Inference.

    Files are rewritten in place unless --diff or --check is given. PATHS may be files or
    directories; "-" reads source from stdin and writes the result to stdout.
    """
    if diff and check:
        raise click.UsageError("--diff and --check cannot be combined")
    paths = paths or (".",)
    mode = Mode.DIFF if diff else Mode.CHECK if check else Mode.WRITE
    flags = {
        "target": target,
        "api_key_env": api_key_env,
        "base_url": base_url,
        "model_map": model_map,
        "keep_models": keep_models,
        "drop_unsupported": drop_unsupported,
        "openai_version": openai_version,
        "exclude": _split(exclude) or None,
        "extend_exclude": _split(extend_exclude) or None,
        "select": _split(select) or None,
        "ignore": _split(ignore) or None,
        "strict": strict,
    }
    start = Path(paths[0]) if paths[0] != "-" else Path.cwd()
    try:
        settings = build_settings(
            flags, find_pyproject(start), formatter_line_length(start), start=start
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc

    reporter = make_reporter(
        output_format,
        mode,
        options=settings.options,
        quiet=quiet,
        verbose=verbose,
        no_color=no_color,
    )
    if "-" in paths:
        if len(paths) > 1:
            raise click.UsageError('"-" (stdin) cannot be combined with other paths')
        if output_format != "text" and mode is Mode.WRITE:
            raise click.UsageError(
                f'"-" (stdin) writes the code to stdout: with --output-format {output_format} '
                "use --diff or --check"
            )
    try:
        if "-" in paths:
            code = _run_stdin(settings, mode, reporter)
        else:
            code = _run_paths(paths, settings, mode, reporter, jobs)
    except KeyboardInterrupt:
        # Every write is atomic: a file is either as it was or fully migrated.
        click.echo(
            "\ninterrupted: files already written are complete, the others are untouched; "
            "run again to finish",
            err=True,
        )
        code = EXIT_INTERRUPTED
    sys.exit(code)


def _run_paths(
    paths: tuple[str, ...],
    settings: Settings,
    mode: Mode,
    reporter: BaseReporter,
    jobs: int | None = None,
) -> int:
    candidates = discover([Path(p) for p in paths], settings.excludes)
    exit_code = EXIT_CLEAN
    results = run_candidates(candidates, settings, write=mode is Mode.WRITE, jobs=jobs)
    with progress(len(candidates), reporter) as bar:
        for candidate, result in zip(candidates, results, strict=True):
            reporter.file_done(result, candidate.path.as_posix())
            exit_code = max(exit_code, _exit_code(result, settings.strict))
            bar.advance()
    _say_openai_version(settings, reporter)
    reporter.finish()
    return exit_code


def _run_stdin(settings: Settings, mode: Mode, reporter: BaseReporter) -> int:
    raw = sys.stdin.buffer.read()
    result, source = migrate_bytes(Path("-"), raw, settings)
    if mode is Mode.WRITE:
        # The code goes to stdout as it is, even unchanged: this is a filter.
        stdout = sys.stdout.buffer
        changed = result.status is Status.CHANGED and source is not None
        stdout.write(encode(source, result.new) if changed else raw)  # type: ignore[arg-type]
        stdout.flush()
    reporter.file_done(result, "-")
    _say_openai_version(settings, reporter)
    reporter.finish()
    return _exit_code(result, settings.strict)


def _say_openai_version(settings: Settings, reporter: BaseReporter) -> None:
    """One stderr line before the summary: the openai release assumed, and why."""
    if settings.options.target == "openai" and not reporter.quiet:
        version, source = settings.options.openai_version, settings.openai_version_source
        click.echo(reporter.redact(assumed_line(version, source)), err=True)


def _exit_code(result: FileResult, strict: bool = False) -> int:
    if result.status is Status.ERROR:
        return EXIT_ERROR
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return EXIT_ERROR  # a notebook cell that does not parse, the other cells migrated
    if result.status is Status.CHANGED:
        return EXIT_CHANGED
    if strict and any(d.severity is Severity.WARNING for d in result.diagnostics):
        return EXIT_CHANGED
    return EXIT_CLEAN


def _list_rules(ctx: click.Context) -> None:
    for rule in RULES.values():
        click.echo(f"{rule.code}  {rule.severity.value:<8} {rule.name:<32} {rule.summary}")
    ctx.exit(EXIT_CLEAN)


def _explain(ctx: click.Context, code: str) -> None:
    rule = RULES.get(code.upper())
    if rule is None:
        raise click.BadParameter(f"no such code {code!r}; see --list-rules", param_hint="--explain")
    click.echo(f"{rule.code} ({rule.name}), severity {rule.severity.value}\n\n{rule.summary}")
    click.echo(
        "\nSilence it on one line with `# cerebras-migrate: ignore["
        f"{rule.code}]`, or everywhere with --ignore {rule.code}."
    )
    ctx.exit(EXIT_CLEAN)
