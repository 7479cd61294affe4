"""Lines as Python and Jupyter split them, and positions in a text from offsets."""

from __future__ import annotations

import bisect

# One line model for the whole tool: codemods/python/lines.py.
from codemods.python.lines import NEWLINE, line_starts, physical_lines, split_ending

__all__ = ["NEWLINE", "file_position", "line_starts", "physical_lines", "split_ending"]


def file_position(starts: list[int], offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset``, given the ``line_starts`` of its text."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
