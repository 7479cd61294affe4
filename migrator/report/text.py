"""Everything the user sees in the default ``text`` format: diffs on stdout, diagnostics, the
summary and the readiness summary on stderr.

Code is never interpreted as rich markup: a line containing ``[bold]`` or ``"[/tmp]"`` is
printed exactly as written. Without a terminal (pipes, CI logs) or with ``--no-color`` the
output is plain text, so a ``--diff`` can be piped straight into ``patch`` or ``git apply``.

File names are shown as ``names.quote_name`` writes them and every other line goes through
``names.printable``: a name or message never puts a raw control character, an escape
sequence or a bidi override on the terminal. A diff's code lines are the file's own bytes,
as git shows them.

The machine-readable formats are ``json_report``, ``github`` and ``sarif`` beside this one.
"""

from __future__ import annotations

from typing import TextIO

from codemods.rules import RULES, Diagnostic, Severity
from migrator.results import CellDiagnostic, FileResult, Status

from .base import BaseReporter, Mode, summary_line
from .diff import file_diff
from .names import printable, quote_name
from .readiness import DEFAULT_MAP_LABEL, ManualWork, ReadinessSummary


def position(path: str, diagnostic: Diagnostic) -> str:
    """``path:line:col``; in a notebook ``path:cell 4:line 2:col 15``, inside the cell."""
    if isinstance(diagnostic, CellDiagnostic) and diagnostic.cell:
        cell = diagnostic.cell
        return f"{path}:cell {cell}:line {diagnostic.line}:col {diagnostic.column}"
    return f"{path}:{diagnostic.line}:{diagnostic.column}"


def format_diagnostic(path: str, diagnostic: Diagnostic) -> str:
    return f"{position(path, diagnostic)} {diagnostic.code} {diagnostic.message}"


_DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))
_SEVERITY_STYLES = {Severity.FIXED: "green", Severity.WARNING: "yellow", Severity.ERROR: "red"}


class Reporter(BaseReporter):
    """The ``text`` format: per-file output as results arrive, then the summaries."""

    # Low-level printing -----------------------------------------------------------------
    def _console(self, stream: TextIO):  # type: ignore[no-untyped-def]
        from rich.console import Console  # lazily: plain runs never import rich

        return Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True)

    def _print_lines(
        self, stream: TextIO, color: bool, lines: list[tuple[str, str]], code: bool = False
    ) -> None:
        """Print ``(text, style)`` pairs; ``text`` is shown literally, never as markup, with
        unprintable characters escaped unless the lines are ``code`` (a diff's)."""
        if not code:
            lines = [(printable(text), style) for text, style in lines]
        if not color:
            stream.write("".join(text + "\n" for text, _ in lines))
            stream.flush()
            return
        from rich.text import Text

        console = self._console(stream)
        for text, style in lines:
            console.print(Text(text, style=style or ""))

    # Per file ---------------------------------------------------------------------------
    def _tally(self, result: FileResult, display: str) -> None:
        super()._tally(result, quote_name(display))  # the readiness summary lists it

    def show_file(self, result: FileResult, display: str, own: frozenset[str]) -> None:
        name = quote_name(display)
        if result.status is Status.CHANGED and self.mode is Mode.DIFF:
            self.diff(display, result, own)  # the diff quotes its headers itself
        elif result.status is Status.CHANGED and self.mode is Mode.CHECK:
            line = self.redact(f"Would rewrite {name}", own)
            self._print_lines(self.out, self.out_color, [(line, "bold")])
        elif result.status is Status.SKIPPED and self.verbose:
            line = self.redact(f"{name}: skipped, {result.note}", own)
            self._print_lines(self.err, self.err_color, [(line, "dim")])
        self.diagnostics(name, result, own)

    def diff(self, display: str, result: FileResult, own: frozenset[str]) -> None:
        text = self.redact(file_diff(display, result), own)
        if not self.out_color:
            self.out.write(text)
            self.out.flush()
            return
        lines = []
        for line in text.removesuffix("\n").split("\n"):  # a diff's lines end at LF only
            style = next((s for prefix, s in _DIFF_STYLES if line.startswith(prefix)), "")
            lines.append((line, style))
        self._print_lines(self.out, True, lines, code=True)

    def diagnostics(self, display: str, result: FileResult, own: frozenset[str]) -> None:
        shown = result.diagnostics
        if not shown:
            return
        lines = [
            (self.redact(format_diagnostic(display, d), own), _SEVERITY_STYLES[d.severity])
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
            rule = RULES[code]
            lines.append((f"  {code} {rule.name}: {count}", _SEVERITY_STYLES[rule.severity]))
        self._print_lines(self.err, self.err_color, lines)
        if s.parsed:
            self._readiness(self.readiness())

    def _readiness(self, ready: ReadinessSummary) -> None:
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

    def _readiness_tables(self, ready: ReadinessSummary) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        console = self._console(self.err)
        console.print(Text("Readiness", style="bold"))
        env = Table("environment variable", "value", box=box.SIMPLE, title_justify="left")
        for name in ready.env:
            env.add_row(Text(printable(name), style="bold"), Text("a Cerebras API key"))
        console.print(env)
        if ready.model_map:
            models = Table("model id (first match wins)", "becomes", box=box.SIMPLE)
            for old, new in _map_rows(ready):
                models.add_row(Text(printable(old)), Text(printable(new), style="green"))
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


def _map_rows(ready: ReadinessSummary) -> list[tuple[str, str]]:
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
