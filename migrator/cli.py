"""The command line: click options in, a ``Settings`` value and an exit code out."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from codemods import rules
from codemods.facts import js
from codemods.rules import RULES, Severity
from codemods.secrets import redact, typed_secrets

from . import __version__
from .discover import discover
from .files import SourceError, encode
from .pins import assumed_line
from .progress import progress
from .report import FORMATS, BaseReporter, Mode, make_reporter
from .report.names import printable
from .results import FileResult, Status
from .settings import (
    SETTINGS,
    ConfigError,
    Settings,
    build_settings,
    find_pyproject,
    formatter_line_length,
)

EXIT_CLEAN, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a program stopped by Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (what ``timeout``, CI runners and service managers send) stops a run exactly
    as Ctrl-C does: nothing more is started, and what is being written is finished."""


def _terminate(_signum: int, _frame: Any) -> None:
    # A second SIGTERM must not cut the clean-up short (SIGKILL still ends it at once).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


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


def _setting_options(command: Any) -> Any:
    """The options of every setting a flag can give (``migrator.settings.SETTINGS``), in
    the table's order. Flags default to None (not given): the config file then decides."""
    for setting in reversed(SETTINGS):
        if not setting.flag:
            continue
        kwargs: dict[str, Any] = {"help": setting.help, "default": None}
        if setting.metavar:
            kwargs["metavar"] = setting.metavar
        if setting.kind is bool:
            kwargs["is_flag"] = True
        elif setting.choices:
            kwargs["type"] = click.Choice(setting.choices)
        elif setting.kind in (list, dict):
            kwargs.update(multiple=True, default=())
        command = click.option(setting.option, setting.name, **kwargs)(command)
    return command


class _Tolerant:
    """stdout or stderr, as the run writes to it: output is never what stops a run. A pipe
    whose reader has gone (``| head``), a closed stream or a full disk makes the rest of the
    output go nowhere, and the run writes every file all the same, with its exit code; text
    the stream's encoding cannot take is written with backslash escapes (``\\xe9``)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.lost = False

    def write(self, text: str) -> int:
        if not self.lost:
            try:
                self._stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self._stream, "encoding", None) or "utf-8"
                escaped = text.encode(encoding, "backslashreplace").decode(encoding)
                self._guarded(self._stream.write, escaped)
            except (OSError, ValueError):
                self._lose()
        return len(text)

    def flush(self) -> None:
        if not self.lost:
            self._guarded(self._stream.flush)

    def write_bytes(self, data: bytes) -> None:
        """Bytes as they are (stdin's migrated code), through the stream's buffer."""
        if not self.lost:
            self._guarded(self._stream.flush)
            buffer = getattr(self._stream, "buffer", None)
            if buffer is not None and not self.lost:
                self._guarded(buffer.write, data)
                self._guarded(buffer.flush)

    def _guarded(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except (OSError, ValueError):
            self._lose()

    def _lose(self) -> None:
        # What is still buffered goes to /dev/null at exit, not into a traceback.
        self.lost = True
        with contextlib.suppress(Exception):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guard_streams() -> None:
    """Standard streams the run can always write to. A descriptor 0-2 closed by the caller
    (``>&-``) is opened on /dev/null first: otherwise the next file opened (a temporary
    file being written) would take its number, and whatever reaches that descriptor (a
    native library's message, a child's output) would land in the user's code."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: ``fd``
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # closed when Python started
            stream = open(os.devnull, "w")  # noqa: SIM115  # the process's own, for its life
        if not isinstance(stream, _Tolerant):
            setattr(sys, name, _Tolerant(stream))


class _Command(click.Command):
    """Usage errors repeat what was typed: a key pasted into an option by mistake is masked
    there as everywhere else."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _guard_streams()
        return super().main(*args, **kwargs)

    def make_context(
        self, info_name: str | None, args: list[str], *rest: Any, **kwargs: Any
    ) -> click.Context:
        typed = typed_secrets(args)
        with _masked_usage_errors(typed):
            ctx = super().make_context(info_name, args, *rest, **kwargs)
        ctx.meta["typed_secrets"] = typed
        return ctx

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _dash_named_files(args))

    def invoke(self, ctx: click.Context) -> Any:
        with _masked_usage_errors(ctx.meta.get("typed_secrets", ())):
            return super().invoke(ctx)


# What pre-commit passes (the hooks' types): an argument like this that names a file is one.
_SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb", *js.SUFFIXES)


def _dash_named_files(args: list[str]) -> list[str]:
    """A staged ``-x.py`` reaches the command line as it is (pre-commit puts no ``--`` before
    the file names), where it would read as an unknown option: an argument that starts with
    ``-``, ends like a source file and names one is a path, passed on as ``./-x.py``. Nothing
    after a ``--`` is touched; a mistyped option names no file and stays a usage error."""
    out = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        if (
            arg.startswith("-")
            and arg != "-"
            and arg.endswith(_SOURCE_SUFFIXES)
            and os.path.lexists(arg)
        ):
            arg = os.path.join(os.curdir, arg)
        out.append(arg)
    return out


@contextmanager
def _masked_usage_errors(typed: Iterable[str]) -> Iterator[None]:
    """Key-shaped tokens and the arguments that look like a pasted key are masked."""
    try:
        yield
    except click.UsageError as exc:
        exc.message = redact(exc.message, typed)
        raise


@click.command(
    cls=_Command,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--diff", "diff", is_flag=True, help="Write nothing; print a unified diff.")
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change.")
@_setting_options
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
    quiet: bool,
    verbose: bool,
    no_color: bool,
    output_format: str,
    jobs: int | None,
    **given: Any,
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
        setting.name: _split(given[setting.name]) or None
        if setting.comma_list
        else given[setting.name]
        for setting in SETTINGS
        if setting.flag
    }
    start = Path(paths[0]) if paths[0] != "-" else Path.cwd()
    report = {"quiet": quiet, "verbose": verbose, "no_color": no_color}
    try:
        settings = build_settings(
            flags, find_pyproject(start), formatter_line_length(start), start=start
        )
    except ConfigError as exc:
        if output_format == "text":
            raise click.UsageError(printable(str(exc))) from exc
        # A machine reads stdout: it gets its document, with the reason in its ``error``.
        make_reporter(output_format, mode, **report).fatal(str(exc))
        sys.exit(EXIT_ERROR)

    reporter = make_reporter(output_format, mode, options=settings.options, **report)
    if "-" in paths:
        if len(paths) > 1:
            raise click.UsageError('"-" (stdin) cannot be combined with other paths')
        if output_format != "text" and mode is Mode.WRITE:
            raise click.UsageError(
                f'"-" (stdin) writes the code to stdout: with --output-format {output_format} '
                "use --diff or --check"
            )
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if "-" in paths:
            code = _run_stdin(settings, mode, reporter)
        else:
            code = _run_paths(paths, settings, mode, reporter, jobs)
    except KeyboardInterrupt as exc:
        # Every write is atomic: a file is either as it was or fully migrated.
        terminated = isinstance(exc, Terminated)
        what = "terminated" if terminated else "\ninterrupted"  # past the ^C the terminal echoed
        click.echo(
            f"{what}: files already written are complete, the others are untouched; "
            "run again to finish",
            err=True,
        )
        code = EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    sys.stdout.flush()
    sys.stderr.flush()
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
    from .project import index_project

    # Here: --help and --explain never load the run loop.
    from .run import default_jobs, run_candidates

    # The whole project first (the named files' projects, whatever was named): every file
    # is then rewritten by one plan.
    project = index_project(
        [Path(p) for p in paths], settings, jobs=default_jobs() if jobs is None else jobs
    )
    results = run_candidates(
        candidates, settings, write=mode is Mode.WRITE, jobs=jobs, project=project
    )
    node: dict[tuple[str, str], None] = {}  # openai-node releases assumed, in order seen
    python = False  # whether a Python module imports openai
    with progress(len(candidates), reporter) as bar:
        try:
            for candidate, result in zip(candidates, results, strict=True):
                python = python or result.uses_openai
                if result.openai_node is not None:
                    node[result.openai_node] = None
                reporter.file_done(result, candidate.path.as_posix())
                exit_code = max(exit_code, _exit_code(result, settings.strict))
                bar.advance()
        finally:
            results.close()  # stopped: the workers stop before anything is printed
    _say_openai_version(settings, reporter, python, list(node))
    reporter.finish()
    return exit_code


def _run_stdin(settings: Settings, mode: Mode, reporter: BaseReporter) -> int:
    raw = sys.stdin.buffer.read()
    from .core import migrate_bytes

    result, source = migrate_bytes(Path("-"), raw, settings)
    if mode is Mode.WRITE:
        # The code goes to stdout as it is, even unchanged: this is a filter.
        out = raw
        if result.status is Status.CHANGED and source is not None:
            try:
                out = encode(source, result.new)
            except SourceError as exc:  # its encoding cannot take the rewrite: as it came
                result.status = Status.ERROR
                result.rewritten_sites = 0
                result.diagnostics.append(rules.CM904.at(1, 1, reason=str(exc)))
        stdout = sys.stdout
        if isinstance(stdout, _Tolerant):
            stdout.write_bytes(out)
        else:
            stdout.buffer.write(out)
            stdout.flush()
    reporter.file_done(result, "-")
    _say_openai_version(
        settings, reporter, result.uses_openai, [result.openai_node] if result.openai_node else []
    )
    reporter.finish()
    return _exit_code(result, settings.strict)


_ASSUMED = "openai version assumed: "


def _say_openai_version(
    settings: Settings, reporter: BaseReporter, python: bool, node: list[tuple[str, str]]
) -> None:
    """One stderr line before the summary: the openai release assumed, and why, when a Python
    module imports openai; then the openai-node releases the JavaScript modules that use
    openai were taken to run on. Not with ``--output-format json``, whose stderr stays
    empty."""
    from .report.json_report import JsonReporter

    if isinstance(reporter, JsonReporter) or not (python or node):
        return
    if settings.options.target == "openai" and not reporter.quiet:
        version, source = settings.options.openai_version, settings.openai_version_source
        parts = [assumed_line(version, source).removeprefix(_ASSUMED)] if python else []
        if node:
            parts.append("openai-node " + ", ".join(f"{v} ({why})" for v, why in node))
        line = _ASSUMED + "; ".join(parts)
        # The line names the requirements file it read: no raw control character of its path.
        click.echo(printable(reporter.redact(line)), err=True)


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
    found = rules.rule(code)
    if found is None:
        raise click.BadParameter(f"no such code {code!r}; see --list-rules", param_hint="--explain")
    from .explain import explain

    click.echo(explain(found))
    ctx.exit(EXIT_CLEAN)
