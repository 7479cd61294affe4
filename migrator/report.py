"""Everything the user sees in the default ``text`` format: diffs on stdout, diagnostics, the
summary and the readiness summary on stderr.

Code is never interpreted as rich markup: a line containing ``[bold]`` or ``"[/tmp]"`` is
printed exactly as written. Without a terminal (pipes, CI logs) or with ``--no-color`` the
output is plain text, so a ``--diff`` can be piped straight into ``patch`` or ``git apply``.

``BaseReporter`` keeps the tallies every format needs (the summary, the secrets seen so far,
the files needing manual work); the machine-readable formats live in ``migrator.formats``.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TextIO

from codemods import sdk
from codemods import secrets as secrets_
from codemods.diagnostics import RULES, Diagnostic, Rule, Severity
from codemods.options import Options

from .engine import FileResult, Status


class Mode(str, Enum):
    WRITE = "write"
    DIFF = "diff"
    CHECK = "check"


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff with ``a/``/``b/`` prefixes, as ``git apply`` and ``patch -p1`` read it
    (an absolute path is shown as it is)."""
    import difflib  # here: most runs print no diff

    before, after = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=before,
        tofile=after,
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def notebook_diff(path: str, old: str, new: str) -> str:
    """A notebook's changes as one unified diff per changed cell, of the cell's source lines,
    headed ``--- a/nb.ipynb (cell 4)`` / ``+++ b/nb.ipynb (cell 4)`` (cells counted from 1,
    markdown included). For people and reviews: ``git apply`` cannot apply it to the JSON."""
    from .notebooks import cell_sources  # lazily, as notebooks are rare

    parts = []
    before, after = cell_sources(old), cell_sources(new)
    for number, (a, b) in enumerate(zip(before, after, strict=False), start=1):
        if a is not None and b is not None and a != b:
            parts.append(unified_diff(f"{path} (cell {number})", a, b))
    return "".join(parts)


def file_diff(path: str, result: FileResult) -> str:
    """The diff ``--diff`` shows for a changed file: per cell for a notebook."""
    from .notebooks import is_notebook

    if is_notebook(result.path):
        return notebook_diff(path, result.original, result.new)
    return unified_diff(path, result.original, result.new)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` as it may be printed: see ``codemods.secrets`` for what is masked."""
    return secrets_.redact(text, secrets)


def position(path: str, diagnostic: Diagnostic) -> str:
    """``path:line:col``; in a notebook ``path:cell 4:line 2:col 15``, inside the cell."""
    cell = getattr(diagnostic, "cell", None)
    if cell:
        return f"{path}:cell {cell}:line {diagnostic.line}:col {diagnostic.column}"
    return f"{path}:{diagnostic.line}:{diagnostic.column}"


def format_diagnostic(path: str, diagnostic: Diagnostic) -> str:
    return f"{position(path, diagnostic)} {diagnostic.code} {diagnostic.message}"


def rule_for(code: str) -> Rule:
    """The rule of ``code``; a code this module does not know yet still gets one (a warning)."""
    rule = RULES.get(code)
    return rule if rule is not None else Rule(code, code.lower(), Severity.WARNING, "")


def severity_of(diagnostic: Diagnostic) -> Severity:
    try:
        return diagnostic.severity
    except KeyError:
        return rule_for(diagnostic.code).severity


def use_color(stream: TextIO, no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


_DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))
_SEVERITY_STYLES = {Severity.FIXED: "green", Severity.WARNING: "yellow", Severity.ERROR: "red"}


@dataclass
class Summary:
    scanned: int = 0
    parsed: int = 0
    changed: int = 0
    errors: int = 0
    sites: int = 0
    codes: Counter[str] = field(default_factory=Counter)


def summary_line(summary: Summary, mode: Mode) -> str:
    s = summary
    verb = "rewritten" if mode is Mode.WRITE else "would be rewritten"
    head = (
        f"{s.scanned} file{'s' if s.scanned != 1 else ''} scanned, {s.parsed} parsed, "
        f"{s.changed} {verb}, {s.sites} call site{'s' if s.sites != 1 else ''} "
        f"{'rewritten' if mode is Mode.WRITE else 'to rewrite'}"
    )
    if s.errors:
        head += f", {s.errors} could not be processed"
    return head


# Readiness --------------------------------------------------------------------------------
DEFAULT_MAP_LABEL = "OpenAI chat or completion model"


@dataclass(frozen=True)
class MapEntry:
    pattern: str  # a glob; for the default map, one of sdk.OPENAI_MODEL_PATTERNS
    model: str
    source: str  # "user" (--model-map or the config file) or "default"


@dataclass
class ManualWork:
    """A file with at least one warning- or error-severity diagnostic."""

    path: str
    warnings: int = 0
    errors: int = 0
    codes: Counter[str] = field(default_factory=Counter)


@dataclass
class Readiness:
    """What is left to do before the migrated code runs on Cerebras."""

    env: tuple[str, ...]
    model_map: tuple[MapEntry, ...]  # empty: no model was mapped and the user gave no entry
    manual: tuple[ManualWork, ...]


def model_map_used(options: Options, summary: Summary) -> tuple[MapEntry, ...]:
    """The user's entries, then the default map: first match wins. Shown only when a model
    was mapped or the user gave entries; ``--keep-models`` maps nothing."""
    if options.keep_models or not (options.model_map or summary.codes.get("CM301")):
        return ()
    user = [MapEntry(old, new, "user") for old, new in options.model_map]
    default = [
        MapEntry(pattern, sdk.DEFAULT_CEREBRAS_MODEL, "default")
        for pattern in sdk.OPENAI_MODEL_PATTERNS
    ]
    return (*user, *default)


class BaseReporter:
    """Tallies results as they arrive; subclasses decide what is printed and when."""

    def __init__(
        self,
        mode: Mode,
        *,
        options: Options | None = None,
        quiet: bool = False,
        verbose: bool = False,
        no_color: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.mode = mode
        self.options = options or Options()
        self.quiet = quiet
        self.verbose = verbose
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.out_color = use_color(self.out, no_color)
        self.err_color = use_color(self.err, no_color)
        self.summary = Summary()
        self.secrets: set[str] = set()  # every key seen so far: masked in all output
        self.manual: dict[str, ManualWork] = {}
        self.fatal_error: str | None = None

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def file_done(self, result: FileResult, display: str) -> None:
        self._tally(result, display)
        self.show_file(result, display)

    def _tally(self, result: FileResult, display: str) -> None:
        self.secrets.update(s for s in result.secrets if s)
        # Literals given to api_key anywhere in the file, rewritten or not: diff context,
        # a file that does not parse or an internal error's message may show them.
        self.secrets.update(secrets_.find_secrets(result.original))
        summary = self.summary
        summary.scanned += 1
        if result.status is not Status.SKIPPED and not any(
            d.code == "CM902"
            for d in result.diagnostics  # never read or decoded
        ):
            summary.parsed += 1
        if result.status is Status.CHANGED:
            summary.changed += 1
        if result.status is Status.ERROR:
            summary.errors += 1
        summary.sites += result.rewritten_sites
        summary.codes.update(d.code for d in result.diagnostics)
        for diagnostic in result.diagnostics:
            severity = severity_of(diagnostic)
            if severity is Severity.FIXED:
                continue
            work = self.manual.setdefault(display, ManualWork(display))
            if severity is Severity.ERROR:
                work.errors += 1
            else:
                work.warnings += 1
            work.codes[diagnostic.code] += 1

    def readiness(self) -> Readiness:
        """The readiness summary, masked: a key given as ``--api-key-env`` or in a model map
        by mistake, or in a path, is not printed either."""
        r = self.redact
        return Readiness(
            env=(r(self.options.api_key_env),),
            model_map=tuple(
                MapEntry(r(e.pattern), r(e.model), e.source)
                for e in model_map_used(self.options, self.summary)
            ),
            manual=tuple(
                ManualWork(r(w.path), w.warnings, w.errors, w.codes) for w in self.manual.values()
            ),
        )

    def show_file(self, result: FileResult, display: str) -> None:
        """Per-file output, as the result arrives."""

    def fatal(self, message: str) -> None:
        """The run stopped before any file was processed (a missing path, say)."""
        self.fatal_error = message

    def finish(self) -> None:
        """End-of-run output."""


class Reporter(BaseReporter):
    """The ``text`` format: per-file output as results arrive, then the summaries."""

    # Low-level printing -----------------------------------------------------------------
    def _console(self, stream: TextIO):  # type: ignore[no-untyped-def]
        from rich.console import Console  # lazily: plain runs never import rich

        return Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True)

    def _print_lines(self, stream: TextIO, color: bool, lines: list[tuple[str, str]]) -> None:
        """Print ``(text, style)`` pairs; ``text`` is shown literally, never as markup."""
        if not color:
            stream.write("".join(text + "\n" for text, _ in lines))
            stream.flush()
            return
        from rich.text import Text

        console = self._console(stream)
        for text, style in lines:
            console.print(Text(text, style=style or ""))

    # Per file ---------------------------------------------------------------------------
    def show_file(self, result: FileResult, display: str) -> None:
        if result.status is Status.CHANGED and self.mode is Mode.DIFF:
            self.diff(display, result)
        elif result.status is Status.CHANGED and self.mode is Mode.CHECK:
            line = self.redact(f"Would rewrite {display}")
            self._print_lines(self.out, self.out_color, [(line, "bold")])
        elif result.status is Status.SKIPPED and self.verbose:
            line = self.redact(f"{display}: skipped, {result.note}")
            self._print_lines(self.err, self.err_color, [(line, "dim")])
        self.diagnostics(display, result)

    def diff(self, display: str, result: FileResult) -> None:
        text = self.redact(file_diff(display, result))
        if not self.out_color:
            self.out.write(text)
            self.out.flush()
            return
        lines = []
        for line in text.splitlines():
            style = next((s for prefix, s in _DIFF_STYLES if line.startswith(prefix)), "")
            lines.append((line, style))
        self._print_lines(self.out, True, lines)

    def diagnostics(self, display: str, result: FileResult) -> None:
        shown = result.diagnostics
        if not shown:
            return
        lines = [
            (self.redact(format_diagnostic(display, d)), _SEVERITY_STYLES[severity_of(d)])
            for d in shown
        ]
        self._print_lines(self.err, self.err_color, lines)

    # End of run -------------------------------------------------------------------------
    def fatal(self, message: str) -> None:
        super().fatal(message)
        self._print_lines(self.err, self.err_color, [(f"error: {self.redact(message)}", "red")])

    def finish(self) -> None:
        if self.quiet:
            return
        s = self.summary
        lines = [(summary_line(s, self.mode), "bold")]
        for code, count in sorted(s.codes.items()):
            rule = rule_for(code)
            lines.append((f"  {code} {rule.name}: {count}", _SEVERITY_STYLES[rule.severity]))
        self._print_lines(self.err, self.err_color, lines)
        if s.parsed:
            self._readiness(self.readiness())

    def _readiness(self, ready: Readiness) -> None:
        if self.err_color:
            self._readiness_tables(ready)
            return
        lines = ["Readiness:"]
        for name in ready.env:
            lines.append(f"  set {name} to a Cerebras API key before running the migrated code")
        if ready.model_map:
            lines.append("  model map (first match wins):")
            lines.extend(f"    {old} -> {new}" for old, new in _map_rows(ready))
        if ready.manual:
            lines.append(f"  files needing manual work: {len(ready.manual)}")
            lines.extend(f"    {w.path}: {_work_counts(w)}" for w in ready.manual)
        else:
            lines.append("  files needing manual work: none")
        self._print_lines(self.err, False, [(line, "") for line in lines])

    def _readiness_tables(self, ready: Readiness) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        console = self._console(self.err)
        console.print(Text("Readiness", style="bold"))
        env = Table("environment variable", "value", box=box.SIMPLE, title_justify="left")
        for name in ready.env:
            env.add_row(Text(name, style="bold"), Text("a Cerebras API key"))
        console.print(env)
        if ready.model_map:
            models = Table("model id (first match wins)", "becomes", box=box.SIMPLE)
            for old, new in _map_rows(ready):
                models.add_row(Text(old), Text(new, style="green"))
            console.print(models)
        if not ready.manual:
            console.print(Text("No file needs manual work.", style="green"))
            return
        work = Table(
            f"file needing manual work ({len(ready.manual)})",
            "warnings",
            "errors",
            "codes",
            box=box.SIMPLE,
        )
        for item in ready.manual:
            work.add_row(
                Text(item.path),
                Text(str(item.warnings), style="yellow" if item.warnings else ""),
                Text(str(item.errors), style="red" if item.errors else ""),
                Text(_code_counts(item)),
            )
        console.print(work)


def _map_rows(ready: Readiness) -> list[tuple[str, str]]:
    rows = [(e.pattern, e.model) for e in ready.model_map if e.source == "user"]
    defaults = sorted({e.model for e in ready.model_map if e.source == "default"})
    label = f"{'any other' if rows else 'any'} {DEFAULT_MAP_LABEL} (default)"
    rows.extend((label, model) for model in defaults)
    return rows


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _code_counts(work: ManualWork) -> str:
    return ", ".join(f"{code} x{count}" for code, count in sorted(work.codes.items()))


def _work_counts(work: ManualWork) -> str:
    return (
        f"{_plural(work.warnings, 'warning')}, {_plural(work.errors, 'error')} "
        f"({_code_counts(work)})"
    )
