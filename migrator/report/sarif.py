"""``--output-format sarif``: a SARIF 2.1.0 log on stdout, for code-scanning tools.

Every rule of ``codemods.rules`` is in ``runs[0].tool.driver.rules``; each diagnostic is a
result. Each changed file also gets a result of the synthetic rule ``rewrite``; with
``--diff``/``--check`` it carries the fix: one replacement whose ``deletedRegion`` spans the
whole original file and whose ``insertedContent`` is the whole new text (with the default
write mode the file is already rewritten, so no fix is attached; nor is one when the new
text holds a key: a masked fix would write the mask into the file).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from codemods.rules import RULES, Fix, Rule, Severity
from migrator import __version__
from migrator.results import CellDiagnostic, Status

from .base import INFORMATION_URI, TOOL_NAME, Mode, file_location
from .collecting import Collecting, FileRecord

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"  # the working directory the paths are relative to
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.FIXED: "note"}
# Not a diagnostic code: the rule of the result that carries a changed file's fix.
REWRITE_RULE = Rule(
    "rewrite",
    "file-rewrite",
    Severity.WARNING,
    Fix.SAFE,
    "the file is (or would be) rewritten for Cerebras; with --diff or --check the result "
    "carries the whole new file as its fix, unless that would print a hard-coded key",
    "",
    {},
)


def artifact_location(path: str, cwd: Path | None = None) -> dict[str, str]:
    """A path as SARIF wants it: a URI relative to ``%SRCROOT%`` (the working directory), or
    an absolute ``file:`` URI for a path outside it. The URI is percent-encoded from the
    name's bytes (RFC 3986, which SARIF's URIs follow): a byte that is not UTF-8 is ``%FF``,
    a control character ``%1B``, and the name can be read back exactly."""
    pure = PurePosixPath(path)
    if pure.is_absolute():
        base = cwd or Path.cwd()
        try:
            pure = PurePosixPath(Path(path).relative_to(base).as_posix())
        except ValueError:
            return {"uri": Path(path).as_uri()}  # from the bytes too
    return {"uri": quote(os.fsencode(pure.as_posix()), safe="/"), "uriBaseId": SRCROOT}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    full = rule.explanation or rule.sentence
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.sentence},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} Severity: {rule.severity.value}; fix: {rule.fix.value}."},
        "helpUri": f"{INFORMATION_URI}#diagnostics",
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"severity": rule.severity.value, "fix": rule.fix.value},
    }


class SarifReporter(Collecting):
    keep_new_text = True

    def document(self) -> dict[str, Any]:
        rules = [*RULES.values(), REWRITE_RULE]
        index = {rule.code: i for i, rule in enumerate(rules)}
        results: list[dict[str, Any]] = []

        for record in self.records:

            def r(text: str, own: frozenset[str] = record.secrets) -> str:
                return self.redact(text, own)

            location = artifact_location(r(record.path))
            for d in record.diagnostics:
                line, column, prefix = file_location(d)
                result: dict[str, Any] = {
                    "ruleId": d.code,
                    "ruleIndex": index[d.code],
                    "level": _SARIF_LEVELS[d.severity],
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
                if isinstance(d, CellDiagnostic) and prefix:
                    result["properties"] = {
                        "cell": d.cell,
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
        if new_text is not None and self.redact(new_text, record.secrets) != new_text:
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
