"""Reporters that keep a record per file and write one document when the run ends."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from codemods.rules import Diagnostic
from migrator.results import FileResult, Status

from .base import BaseReporter, Mode
from .diff import file_diff

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
    secrets: frozenset[str] = frozenset()  # the file's own: they mask what it prints


class Collecting(BaseReporter):
    """Keeps a ``FileRecord`` per file and writes one document when the run ends."""

    keep_new_text = False

    def __init__(self, mode: Mode, **kwargs: Any) -> None:
        super().__init__(mode, **kwargs)
        self.records: list[FileRecord] = []

    def show_file(self, result: FileResult, display: str, own: frozenset[str]) -> None:
        changed = result.status is Status.CHANGED
        record = FileRecord(
            path=display,
            status=result.status,
            written=result.written,
            sites=result.rewritten_sites,
            diagnostics=list(result.diagnostics),
            secrets=own,
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


def text_end(text: str) -> tuple[int, int]:
    """The (line, column), 1-based and in code points, just past the end of ``text``, with
    SARIF's line breaks (CR, LF, CRLF): the exclusive end of a region spanning all of it."""
    lines = _LINE_BREAK.split(text)
    return len(lines), len(lines[-1]) + 1
