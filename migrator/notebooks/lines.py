"""Lines as Python and Jupyter split them, and positions in a text from offsets."""

from __future__ import annotations

import bisect
import re

_PHYSICAL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
NEWLINE = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, split where Python splits them."""
    return _PHYSICAL.findall(text)


def split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts; lines end at CR, LF or CRLF."""
    return [0, *(match.end() for match in NEWLINE.finditer(text))]


def file_position(starts: list[int], offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset``, given the ``line_starts`` of its text."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
