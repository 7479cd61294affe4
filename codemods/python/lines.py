"""Lines as Python counts them: only ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

``str.splitlines`` also ends a line at a form feed, ``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``
and U+2028/U+2029, which Python (its tokenizer, ``ast`` line numbers, libcst positions) reads
as ordinary characters: counting lines with it puts every line number after such a character
off by one. Every count of a source text's lines goes through here.
"""

from __future__ import annotations

import re

_PHYSICAL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
NEWLINE = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, split where Python splits them."""
    return _PHYSICAL.findall(text)


def split_ending(line: str) -> tuple[str, str]:
    """A line and its ending (``\\n``, ``\\r\\n``, ``\\r`` or nothing), apart."""
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts."""
    return [0, *(match.end() for match in NEWLINE.finditer(text))]
