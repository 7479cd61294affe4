"""What processing one file gives: shared by every layer of the application (a leaf).

The per-file core makes a ``FileResult``, the run loop hands it on (across processes too:
it pickles), and the reporters read it. Nothing here reads, writes or parses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from codemods.rules import Diagnostic


class Status(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class CellDiagnostic(Diagnostic):
    """A diagnostic in a notebook: ``line`` and ``column`` count inside cell ``cell`` (1-based,
    among all the cells of the file); ``file_line``/``file_column`` locate that spot in the
    ``.ipynb`` text."""

    cell: int = 0
    file_line: int = 1
    file_column: int = 1


class CellChange(NamedTuple):
    """The source of one notebook cell before and after (``number`` counts from 1)."""

    number: int
    old: str
    new: str


@dataclass
class FileResult:
    path: Path
    status: Status
    original: str = ""
    new: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0
    note: str = ""  # why a file was skipped, or what went wrong writing it
    written: bool = False
    # A notebook's changed cells, in order: what its diff shows (the JSON is not a patch).
    cells: list[CellChange] = field(default_factory=list)
    # A JavaScript/TypeScript module that uses openai: the openai-node release assumed for
    # it and why (``"web/package-lock.json: openai 6.8.1"``).
    openai_node: tuple[str, str] | None = None
    # A Python module (or notebook) that imports openai: the openai release assumed matters.
    uses_openai: bool = False

    @property
    def is_notebook(self) -> bool:
        return self.path is not None and self.path.suffix == NOTEBOOK_SUFFIX


NOTEBOOK_SUFFIX = ".ipynb"
