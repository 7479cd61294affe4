"""What every output format shares: the mode, the tallies of a run, and where a diagnostic is.

``BaseReporter`` keeps the tallies every format needs (the summary, the secrets seen in the
run, the files needing manual work); the formats decide what is printed and when.

What is printed about a file is masked with that file's own secrets (and every key-shaped
token): never with another file's, so that what one file prints cannot depend on the files
before it. The secrets of the whole run mask only what the run prints at its end.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TextIO

from codemods import rules, secrets
from codemods.options import Options
from codemods.rules import Diagnostic, Severity
from migrator.results import CellDiagnostic, FileResult, Status

from .readiness import ManualWork, MapEntry, ReadinessSummary, model_map_used

TOOL_NAME = "cerebras-migrate"
INFORMATION_URI = "https://github.com/cerebras-migrate/cerebras-migrate"


class Mode(str, Enum):
    WRITE = "write"
    DIFF = "diff"
    CHECK = "check"


def use_color(stream: TextIO, no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


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


def file_location(d: Diagnostic) -> tuple[int, int, str]:
    """(line, column, message prefix) of a diagnostic in its file: a notebook's diagnostic is
    placed in the ``.ipynb`` text and its message names the cell, line and column."""
    if isinstance(d, CellDiagnostic) and d.cell:
        prefix = f"cell {d.cell}, line {d.line}, column {d.column}: "
        return d.file_line, d.file_column, prefix
    return d.line, d.column, ""


def file_secrets(result: FileResult) -> frozenset[str]:
    """The keys one file holds: those its rewrite removed, and the literals given to api_key
    anywhere in its old or new text, rewritten or not (diff context, a file that does not
    parse or an internal error's message may show them)."""
    found = {s for s in result.secrets if s}
    found.update(secrets.find_secrets(result.original))
    found.update(secrets.find_secrets(result.new))
    return frozenset(found)


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
        self.secrets: set[str] = set()  # every file's keys: for the end of the run only
        self.manual: dict[str, ManualWork] = {}
        self.fatal_error: str | None = None

    def redact(self, text: str, own: Iterable[str] | None = None) -> str:
        """``text`` masked with a file's ``own`` secrets, or (None) with the whole run's."""
        return secrets.redact(text, self.secrets if own is None else own)

    def file_done(self, result: FileResult, display: str) -> None:
        own = file_secrets(result)
        self.secrets.update(own)
        self._tally(result, display)
        self.show_file(result, display, own)

    def _tally(self, result: FileResult, display: str) -> None:
        summary = self.summary
        summary.scanned += 1
        if result.status is not Status.SKIPPED and not any(
            d.code == rules.CM902.code
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
            severity = diagnostic.severity
            if severity is Severity.FIXED:
                continue
            work = self.manual.setdefault(display, ManualWork(display))
            if severity is Severity.ERROR:
                work.errors += 1
            else:
                work.warnings += 1
            work.codes[diagnostic.code] += 1

    def readiness(self) -> ReadinessSummary:
        """The readiness summary, masked: a key given as ``--api-key-env`` or in a model map
        by mistake, or in a path, is not printed either."""
        r = self.redact
        return ReadinessSummary(
            env=(r(self.options.api_key_env),),
            model_map=tuple(
                MapEntry(r(e.pattern), r(e.model), e.source)
                for e in model_map_used(self.options, bool(self.summary.codes[rules.CM301.code]))
            ),
            manual=tuple(
                ManualWork(r(w.path), w.warnings, w.errors, w.codes) for w in self.manual.values()
            ),
        )

    def show_file(self, result: FileResult, display: str, own: frozenset[str]) -> None:
        """Per-file output, as the result arrives, masked with the file's ``own`` secrets."""

    def fatal(self, message: str) -> None:
        """The run stopped before any file was processed (a missing path, say)."""
        self.fatal_error = message

    def finish(self) -> None:
        """End-of-run output."""
