"""Edits as byte ranges of the original text, and the layout the inserted code follows.

Every rewrite replaces a range of the UTF-8 bytes it was parsed from; everything else keeps
its bytes. Inserted code follows the file: its quote character, its indentation unit and
its newline (CRLF stays CRLF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter


class OverlappingEdits(Exception):
    """Two fixers rewrote the same bytes: a bug, reported as an internal error."""


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str


def apply(data: bytes, edits: list[Edit]) -> bytes:
    """``data`` with every edit made; edits at one point are kept in the order given."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    out: list[bytes] = []
    at = 0
    for _, edit in ordered:
        if edit.start < at:
            raise OverlappingEdits(f"bytes {edit.start}-{edit.end}")
        out.append(data[at : edit.start])
        out.append(edit.text.encode("utf-8"))
        at = edit.end
    out.append(data[at:])
    return b"".join(out)


_INDENTED = re.compile(rb"^([ \t]+)\S", re.MULTILINE)


class Layout:
    """How the file writes code: what inserted code copies."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.newline = "\r\n" if b"\r\n" in data else "\n"
        self.quote = '"' if data.count(b'"') >= data.count(b"'") else "'"
        found = _INDENTED.search(data)
        unit = found.group(1).decode() if found else "  "
        self.indent_unit = "\t" if unit.startswith("\t") else " " * min(len(unit), 4)

    def string(self, value: str) -> str:
        """A string literal in the file's quotes (``value`` holds no quote or backslash)."""
        return f"{self.quote}{value}{self.quote}"

    def line_indent(self, offset: int) -> str:
        """The indentation of the line holding byte ``offset``."""
        start = self.data.rfind(b"\n", 0, offset) + 1
        end = start
        while end < len(self.data) and self.data[end : end + 1] in (b" ", b"\t"):
            end += 1
        return self.data[start:end].decode()

    def on_own_lines(self, node: tree_sitter.Node) -> bool:
        """Whether the node (an object literal) spans lines: its entries each on one."""
        return node.start_point[0] != node.end_point[0]


def text(data: bytes, node: tree_sitter.Node) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8")
