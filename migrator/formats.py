"""``--output-format``: the machine-readable reports, beside the default ``text`` one.

- ``json``: one JSON document on stdout, written at the end of the run and nothing else on
  stdout; with ``--diff`` each changed file's unified diff is inside it (``files[].diff``).
- ``github``: GitHub Actions workflow commands on stdout, one annotation per diagnostic
  (``::error``, ``::warning`` or ``::notice`` by severity) and one ``::notice`` per changed
  file, then one plain summary line. No diff, no ``Would rewrite`` list: annotations only.
- ``sarif``: a SARIF 2.1.0 log on stdout. Every rule of ``codemods.diagnostics.RULES`` is in
  ``runs[0].tool.driver.rules``; each diagnostic is a result. Each changed file also gets a
  result of the synthetic rule ``rewrite``; with ``--diff``/``--check`` it carries the fix:
  one replacement whose ``deletedRegion`` spans the whole original file and whose
  ``insertedContent`` is the whole new text (with the default write mode the file is already
  rewritten, so no fix is attached; nor is one when the new text holds a key, see below).

In a notebook a diagnostic's ``line``/``column`` count inside its cell: ``json`` adds the
cell's number (``cell``, from 1, among all the cells of the file); ``github`` and ``sarif``
locate it in the ``.ipynb`` text itself (where the line is in the cell's ``source``) and start
the message with ``cell N, line L, column C:`` (SARIF also has them in ``properties``). A
notebook's ``diff`` is the per-cell one ``--diff`` prints.

Hard-coded keys never appear: every free-text string (paths, messages, diffs) is masked as
``codemods.secrets`` says, with the ``api_key`` literals of every file seen in the run. A SARIF
fix cannot be masked without corrupting the file it writes, so a file whose new text holds a
key gets no fix, and its result says why. Nothing goes to stderr except what click itself
prints for bad usage.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from codemods.diagnostics import RULES, Diagnostic, Rule, Severity

from . import __version__
from .engine import FileResult, Status
from .report import (
    BaseReporter,
    Mode,
    Readiness,
    Reporter,
    file_diff,
    rule_for,
    severity_of,
    summary_line,
)

TOOL_NAME = "cerebras-migrate"
INFORMATION_URI = "https://github.com/cerebras-migrate/cerebras-migrate"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"  # the working directory the paths are relative to
JSON_FORMAT_VERSION = 1


class OutputFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


FORMATS: tuple[str, ...] = tuple(f.value for f in OutputFormat)


def make_reporter(output_format: str | OutputFormat, mode: Mode, **kwargs: Any) -> BaseReporter:
    """The reporter for ``output_format``; ``kwargs`` are ``BaseReporter``'s keywords."""
    cls = {
        OutputFormat.TEXT: Reporter,
        OutputFormat.JSON: JsonReporter,
        OutputFormat.GITHUB: GithubReporter,
        OutputFormat.SARIF: SarifReporter,
    }[OutputFormat(output_format)]
    return cls(mode, **kwargs)


@dataclass
class FileRecord:
    """What a collecting reporter keeps of one file (not the whole result: a big repository
    must not stay in memory)."""

    path: str
    status: Status
    written: bool
    sites: int
    diagnostics: list[Diagnostic]
    diff: str | None = None  # with --diff, changed files only
    new_text: str | None = None  # for a SARIF fix: changed files, --diff/--check only
    end: tuple[int, int] = (1, 1)  # (line, column) just past the original text's end


class _Collecting(BaseReporter):
    """Keeps a ``FileRecord`` per file and writes one document when the run ends."""

    keep_new_text = False

    def __init__(self, mode: Mode, **kwargs: Any) -> None:
        super().__init__(mode, **kwargs)
        self.records: list[FileRecord] = []

    def show_file(self, result: FileResult, display: str) -> None:
        changed = result.status is Status.CHANGED
        record = FileRecord(
            path=display,
            status=result.status,
            written=result.written,
            sites=result.rewritten_sites,
            diagnostics=list(result.diagnostics),
        )
        if changed and self.mode is Mode.DIFF:
            record.diff = file_diff(display, result)
        if changed and self.keep_new_text and self.mode is not Mode.WRITE:
            record.new_text = result.new
            record.end = text_end(result.original)
        self.records.append(record)

    def fatal(self, message: str) -> None:
        super().fatal(message)
        self.finish()  # the document is still written, with its ``error`` set

    def _write(self, document: dict[str, Any]) -> None:
        self.out.write(json.dumps(document, indent=2) + "\n")
        self.out.flush()


# json -------------------------------------------------------------------------------------
class JsonReporter(_Collecting):
    def document(self) -> dict[str, Any]:
        r = self.redact
        s = self.summary
        files = []
        diagnostics = []
        for record in self.records:
            if record.status in (Status.CHANGED, Status.ERROR):
                entry: dict[str, Any] = {
                    "path": r(record.path),
                    "status": record.status.value,
                    "written": record.written,
                    "call_sites": record.sites,
                }
                if record.diff is not None:
                    entry["diff"] = r(record.diff)
                files.append(entry)
            for d in record.diagnostics:
                item: dict[str, Any] = {
                    "path": r(record.path),
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "name": rule_for(d.code).name,
                    "severity": severity_of(d).value,
                    "message": r(d.message),
                }
                if getattr(d, "cell", None):
                    item["cell"] = d.cell  # type: ignore[attr-defined]
                diagnostics.append(item)
        return {
            "version": JSON_FORMAT_VERSION,
            "tool": {"name": TOOL_NAME, "version": __version__},
            "mode": self.mode.value,
            "target": self.options.target,
            "error": None if self.fatal_error is None else r(self.fatal_error),
            "diagnostics": diagnostics,
            "files": files,
            "summary": {
                "files_scanned": s.scanned,
                "files_parsed": s.parsed,
                "files_changed": s.changed,
                "files_with_errors": s.errors,
                "call_sites_rewritten": s.sites,
                "codes": dict(sorted(s.codes.items())),
            },
            "readiness": self._readiness_json(self.readiness()),
        }

    def _readiness_json(self, ready: Readiness) -> dict[str, Any]:
        return {
            "env": list(ready.env),
            "model_map": [
                {"pattern": e.pattern, "model": e.model, "source": e.source}
                for e in ready.model_map
            ],
            "manual_work": [
                {
                    "path": w.path,
                    "warnings": w.warnings,
                    "errors": w.errors,
                    "codes": dict(sorted(w.codes.items())),
                }
                for w in ready.manual
            ],
        }

    def finish(self) -> None:
        self._write(self.document())


# github -----------------------------------------------------------------------------------
def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.FIXED: "notice"}


def file_location(d: Diagnostic) -> tuple[int, int, str]:
    """(line, column, message prefix) of a diagnostic in its file: a notebook's diagnostic is
    placed in the ``.ipynb`` text and its message names the cell, line and column."""
    cell = getattr(d, "cell", None)
    if cell:
        prefix = f"cell {cell}, line {d.line}, column {d.column}: "
        return d.file_line, d.file_column, prefix  # type: ignore[attr-defined]
    return d.line, d.column, ""


def workflow_command(command: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


class GithubReporter(BaseReporter):
    """Annotations as the results arrive, then one summary line; never a diff."""

    def _emit(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def show_file(self, result: FileResult, display: str) -> None:
        path = self.redact(display)
        for d in result.diagnostics:
            command = _GITHUB_COMMANDS[severity_of(d)]
            line, column, prefix = file_location(d)
            self._emit(
                workflow_command(
                    command,
                    self.redact(prefix + d.message),
                    file=path,
                    line=max(line, 1),
                    col=max(column, 1),
                    title=d.code,
                )
            )
        if result.status is Status.CHANGED:
            verb = "rewritten" if self.mode is Mode.WRITE else "would be rewritten"
            sites = result.rewritten_sites
            message = f"{verb} for Cerebras ({sites} call site{'s' if sites != 1 else ''})"
            self._emit(workflow_command("notice", message, file=path, title=TOOL_NAME))

    def fatal(self, message: str) -> None:
        super().fatal(message)
        self._emit(workflow_command("error", self.redact(message), title=TOOL_NAME))

    def finish(self) -> None:
        if self.quiet or self.fatal_error is not None:
            return
        s = self.summary
        codes = ", ".join(f"{code} x{count}" for code, count in sorted(s.codes.items()))
        self._emit(f"{TOOL_NAME}: {summary_line(s, self.mode)}{'; ' + codes if codes else ''}")


# sarif ------------------------------------------------------------------------------------
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.FIXED: "note"}
REWRITE_RULE = Rule(
    "rewrite",
    "file-rewrite",
    Severity.WARNING,
    "The file is (or would be) rewritten for Cerebras; with --diff or --check the result "
    "carries the whole new file as its fix, unless that would print a hard-coded key.",
)


def text_end(text: str) -> tuple[int, int]:
    """The (line, column), 1-based and in code points, just past the end of ``text``, with
    SARIF's line breaks (CR, LF, CRLF): the exclusive end of a region spanning all of it."""
    lines = _LINE_BREAK.split(text)
    return len(lines), len(lines[-1]) + 1


def artifact_location(path: str, cwd: Path | None = None) -> dict[str, str]:
    """A path as SARIF wants it: a URI relative to ``%SRCROOT%`` (the working directory), or
    an absolute ``file:`` URI for a path outside it."""
    pure = PurePosixPath(path)
    if pure.is_absolute():
        base = cwd or Path.cwd()
        try:
            pure = PurePosixPath(Path(path).relative_to(base).as_posix())
        except ValueError:
            return {"uri": Path(path).as_uri()}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    text = rule.summary or f"{rule.code} ({rule.name})"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": f"{text} Severity: {rule.severity.value}."},
        "helpUri": f"{INFORMATION_URI}#diagnostics",
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value},
    }


class SarifReporter(_Collecting):
    keep_new_text = True

    def document(self) -> dict[str, Any]:
        r = self.redact
        rules = [*RULES.values(), REWRITE_RULE]
        index = {rule.code: i for i, rule in enumerate(rules)}
        results: list[dict[str, Any]] = []

        def rule_index(code: str) -> int:
            if code not in index:  # a code added after this module: it still gets a rule
                index[code] = len(rules)
                rules.append(rule_for(code))
            return index[code]

        for record in self.records:
            location = artifact_location(r(record.path))
            for d in record.diagnostics:
                line, column, prefix = file_location(d)
                result: dict[str, Any] = {
                    "ruleId": d.code,
                    "ruleIndex": rule_index(d.code),
                    "level": _SARIF_LEVELS[severity_of(d)],
                    "message": {"text": r(prefix + d.message) or d.code},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": location,
                                "region": {
                                    "startLine": max(line, 1),
                                    "startColumn": max(column, 1),
                                },
                            }
                        }
                    ],
                }
                if prefix:
                    result["properties"] = {
                        "cell": d.cell,  # type: ignore[attr-defined]
                        "cellLine": d.line,
                        "cellColumn": d.column,
                    }
                results.append(result)
            if record.status is Status.CHANGED:
                results.append(self._rewrite_result(record, location, index[REWRITE_RULE.code]))
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": [_sarif_rule(rule) for rule in rules],
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [self._invocation()],
            "results": results,
            "properties": {
                "mode": self.mode.value,
                "target": self.options.target,
                "summary": {
                    "filesScanned": self.summary.scanned,
                    "filesParsed": self.summary.parsed,
                    "filesChanged": self.summary.changed,
                    "filesWithErrors": self.summary.errors,
                    "callSitesRewritten": self.summary.sites,
                },
            },
        }
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}

    def _rewrite_result(
        self, record: FileRecord, location: dict[str, str], rule_index: int
    ) -> dict[str, Any]:
        sites = f"{record.sites} call site{'s' if record.sites != 1 else ''}"
        written = self.mode is Mode.WRITE
        message = f"{'Rewritten' if written else 'Would be rewritten'} for Cerebras ({sites})."
        new_text = record.new_text
        if new_text is not None and self.redact(new_text) != new_text:
            # A masked fix would write the mask into the file, and the key itself must not
            # be printed: no fix for this file, and the message says why.
            new_text = None
            message += (
                " There is no fix: the new file holds a hard-coded API key (a comment, a "
                "header, ...), which this log does not print; run cerebras-migrate to rewrite "
                "the file."
            )
        result: dict[str, Any] = {
            "ruleId": REWRITE_RULE.code,
            "ruleIndex": rule_index,
            "level": "note" if written else "warning",
            "message": {"text": message},
            "locations": [
                {"physicalLocation": {"artifactLocation": location, "region": {"startLine": 1}}}
            ],
        }
        if new_text is not None:
            end_line, end_column = record.end
            result["fixes"] = [
                {
                    "description": {"text": f"Migrate the file to Cerebras ({sites})."},
                    "artifactChanges": [
                        {
                            "artifactLocation": location,
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": 1,
                                        "startColumn": 1,
                                        "endLine": end_line,
                                        "endColumn": end_column,
                                    },
                                    "insertedContent": {"text": new_text},
                                }
                            ],
                        }
                    ],
                }
            ]
        return result

    def _invocation(self) -> dict[str, Any]:
        invocation: dict[str, Any] = {"executionSuccessful": self.fatal_error is None}
        if self.fatal_error is not None:
            invocation["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": self.redact(self.fatal_error)}}
            ]
        return invocation

    def finish(self) -> None:
        self._write(self.document())
