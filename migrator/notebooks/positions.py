"""Where a diagnostic of a cell is: inside the cell, and in the ``.ipynb`` text itself."""

from __future__ import annotations

from typing import Any

from migrator.results import CellDiagnostic

from .cells import Cell
from .jsontext import array_items, raw_offset
from .lines import file_position, line_starts, physical_lines


class Positions:
    """What a diagnostic needs to say where it is in the file."""

    def __init__(self, text: str, data: dict[str, Any], spans: list[tuple[int, int] | None]):
        self.text = text
        self.data = data
        self.spans = spans
        self._starts: list[int] | None = None  # line_starts(text), once a diagnostic needs it

    def diagnostic(
        self, cell: Cell, code: str, line: int, column: int, message: str
    ) -> CellDiagnostic:
        file_line, file_column = self.position(cell, line, column)
        return CellDiagnostic(
            code,
            line,
            column,
            message,
            cell=cell.index + 1,
            file_line=file_line,
            file_column=file_column,
        )

    def position(self, cell: Cell, line: int, column: int) -> tuple[int, int]:
        """Where line ``line``, column ``column`` of ``cell`` is in the ``.ipynb`` text."""
        span = self.spans[cell.index]
        if span is None:
            return 1, 1
        lines = physical_lines(cell.source)
        index = sum(len(x) for x in lines[: line - 1]) + column - 1
        index = max(min(index, len(cell.source)), 0)
        start, end = span
        value = self.data["cells"][cell.index]["source"]
        offset = start
        if isinstance(value, str):
            offset = start + raw_offset(self.text[start:end], index)
        else:
            seen = 0
            items, _ = array_items(self.text, start)
            for k, ((s, e), item) in enumerate(zip(items, value, strict=True)):
                if index < seen + len(item) or k == len(items) - 1:
                    offset = s + raw_offset(self.text[s:e], index - seen)
                    break
                seen += len(item)
        if self._starts is None:
            self._starts = line_starts(self.text)
        return file_position(self._starts, offset)
