"""Everything the user sees: diffs on stdout, diagnostics and the summary on stderr.

Code is never interpreted as rich markup: a line containing ``[bold]`` or ``"[/tmp]"`` is
printed exactly as written. Without a terminal (pipes, CI logs) or with ``--no-color`` the
output is plain text, so a ``--diff`` can be piped straight into ``patch`` or ``git apply``.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TextIO

from codemods.diagnostics import RULES, Diagnostic, Severity
from codemods.keys import mask

from .engine import FileResult, Status


class Mode(str, Enum):
    WRITE = "write"
    DIFF = "diff"
    CHECK = "check"


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff with ``a/``/``b/`` prefixes, as ``git apply`` and ``patch -p1`` read it
    (an absolute path is shown as it is)."""
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


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, mask(secret))
    return text


def format_diagnostic(path: str, diagnostic: Diagnostic) -> str:
    return f"{path}:{diagnostic.line}:{diagnostic.column} {diagnostic.code} {diagnostic.message}"


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


class Reporter:
    """Prints per-file output as results arrive, then the summary."""

    def __init__(
        self,
        mode: Mode,
        *,
        quiet: bool = False,
        verbose: bool = False,
        no_color: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.mode = mode
        self.quiet = quiet
        self.verbose = verbose
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.out_color = use_color(self.out, no_color)
        self.err_color = use_color(self.err, no_color)
        self.summary = Summary()

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
    def file_done(self, result: FileResult, display: str) -> None:
        summary = self.summary
        summary.scanned += 1
        if result.status is not Status.SKIPPED:
            summary.parsed += 1
        if result.status is Status.CHANGED:
            summary.changed += 1
        if result.status is Status.ERROR:
            summary.errors += 1
        summary.sites += result.rewritten_sites
        summary.codes.update(d.code for d in result.diagnostics)

        if result.status is Status.CHANGED and self.mode is Mode.DIFF:
            self.diff(display, result)
        elif result.status is Status.CHANGED and self.mode is Mode.CHECK:
            self._print_lines(self.out, self.out_color, [(f"Would rewrite {display}", "bold")])
        elif result.status is Status.SKIPPED and self.verbose:
            self._print_lines(
                self.err, self.err_color, [(f"{display}: skipped, {result.note}", "dim")]
            )
        self.diagnostics(display, result)

    def diff(self, display: str, result: FileResult) -> None:
        text = redact(unified_diff(display, result.original, result.new), result.secrets)
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
            (redact(format_diagnostic(display, d), result.secrets), _SEVERITY_STYLES[d.severity])
            for d in shown
        ]
        self._print_lines(self.err, self.err_color, lines)

    # End of run -------------------------------------------------------------------------
    def finish(self) -> None:
        if self.quiet:
            return
        s = self.summary
        verb = {
            Mode.WRITE: "rewritten",
            Mode.DIFF: "would be rewritten",
            Mode.CHECK: "would be rewritten",
        }[self.mode]
        head = (
            f"{s.scanned} file{'s' if s.scanned != 1 else ''} scanned, {s.parsed} parsed, "
            f"{s.changed} {verb}, {s.sites} call site{'s' if s.sites != 1 else ''} "
            f"{'rewritten' if self.mode is Mode.WRITE else 'to rewrite'}"
        )
        if s.errors:
            head += f", {s.errors} could not be processed"
        lines = [(head, "bold")]
        for code, count in sorted(s.codes.items()):
            rule = RULES[code]
            lines.append((f"  {code} {rule.name}: {count}", _SEVERITY_STYLES[rule.severity]))
        self._print_lines(self.err, self.err_color, lines)
