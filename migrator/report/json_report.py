"""``--output-format json``: one JSON document on stdout, written at the end of the run.

With ``--diff`` each changed file's unified diff is inside it (``files[].diff``); nothing
else goes to stdout. A notebook's diagnostics add their ``cell``.
"""

from __future__ import annotations

from typing import Any

from migrator import __version__
from migrator.results import CellDiagnostic, Status

from .base import TOOL_NAME
from .collecting import Collecting
from .readiness import ReadinessSummary

JSON_FORMAT_VERSION = 1


class JsonReporter(Collecting):
    def document(self) -> dict[str, Any]:
        s = self.summary
        files = []
        diagnostics = []
        for record in self.records:

            def r(text: str, own: frozenset[str] = record.secrets) -> str:
                return self.redact(text, own)

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
                    "name": d.rule.name,
                    "severity": d.severity.value,
                    "message": r(d.message),
                }
                if isinstance(d, CellDiagnostic) and d.cell:
                    item["cell"] = d.cell
                diagnostics.append(item)
        return {
            "version": JSON_FORMAT_VERSION,
            "tool": {"name": TOOL_NAME, "version": __version__},
            "mode": self.mode.value,
            "target": self.options.target,
            "error": None if self.fatal_error is None else self.redact(self.fatal_error),
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

    def _readiness_json(self, ready: ReadinessSummary) -> dict[str, Any]:
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
