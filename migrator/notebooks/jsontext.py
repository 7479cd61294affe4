"""The notebook's JSON text: where each cell's ``source`` is, and a new one spliced in.

Only the ``source`` values of the changed cells change in the file: their new JSON text is
spliced in at the offsets of the old one, so indentation, key order, escapes, outputs,
execution counts, metadata and the final newline stay byte for byte. A list keeps the layout
of its old items and reuses the exact text of the lines that did not change.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from json.decoder import scanstring
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
# CPython refuses to convert integers of more than 4,300 digits (a denial-of-service guard):
# json.loads raised on a notebook holding one (in an output, say). The migration never uses
# such a number, so it is kept as its digits; equal texts still read back equal.
_INT_DIGITS = 4000


def _int(digits: str) -> int | str:
    return int(digits) if len(digits) <= _INT_DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_int)


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _value_end(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _object(
    text: str, i: int, value: Callable[[str, int], int] | None = None
) -> tuple[dict[str, tuple[int, int]], int]:
    """The members of the object at ``text[i]`` as key -> value span (the last of a repeated
    key, as ``json.loads`` keeps it), and the end of the object. ``value(key, start)`` walks a
    value and returns its end."""
    if text[i] != "{":
        raise ValueError(f"expected an object at offset {i}")
    members: dict[str, tuple[int, int]] = {}
    i = _ws(text, i + 1)
    if text[i] == "}":
        return members, i + 1
    while True:
        if text[i] != '"':
            raise ValueError(f"expected a key at offset {i}")
        key, i = scanstring(text, i + 1)
        i = _ws(text, i)
        if text[i] != ":":
            raise ValueError(f"expected ':' at offset {i}")
        start = _ws(text, i + 1)
        end = value(key, start) if value is not None else _value_end(text, start)
        members[key] = (start, end)
        i = _ws(text, end)
        if text[i] == ",":
            i = _ws(text, i + 1)
        elif text[i] == "}":
            return members, i + 1
        else:
            raise ValueError(f"expected ',' or '}}' at offset {i}")


def array_items(
    text: str, i: int, item: Callable[[int], int] | None = None
) -> tuple[list[tuple[int, int]], int]:
    """The item spans of the array at ``text[i]`` and its end."""
    if text[i] != "[":
        raise ValueError(f"expected an array at offset {i}")
    items: list[tuple[int, int]] = []
    i = _ws(text, i + 1)
    if text[i] == "]":
        return items, i + 1
    while True:
        end = item(i) if item is not None else _value_end(text, i)
        items.append((i, end))
        i = _ws(text, end)
        if text[i] == ",":
            i = _ws(text, i + 1)
        elif text[i] == "]":
            return items, i + 1
        else:
            raise ValueError(f"expected ',' or ']' at offset {i}")


def source_spans(text: str) -> list[tuple[int, int] | None]:
    """For each cell of the notebook ``text``, the span of its ``source`` value (None when it
    has none)."""
    spans: list[tuple[int, int] | None] = []

    def cell(start: int) -> int:
        if text[start] != "{":
            spans.append(None)
            return _value_end(text, start)
        members, end = _object(text, start)
        spans.append(members.get("source"))
        return end

    def member(key: str, start: int) -> int:
        if key == "cells" and text[start] == "[":
            spans.clear()  # a repeated "cells": the last one counts
            return array_items(text, start, cell)[1]
        return _value_end(text, start)

    _object(text, _ws(text, 0), member)
    return spans


def raw_offset(literal: str, index: int) -> int:
    """The offset in the JSON string ``literal`` (quotes included) of its ``index``-th
    decoded character."""
    i, count = 1, 0
    while count < index and i < len(literal) - 1:
        if literal[i] == "\\":
            if literal[i + 1] == "u":
                code = int(literal[i + 2 : i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and literal.startswith("\\u", i):
                    i += 6  # a surrogate pair is one character
            else:
                i += 2
        else:
            i += 1
        count += 1
    return i


_ESCAPED_NON_ASCII = re.compile(
    r"\\u(?:00[89a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2})"
)


def escapes_non_ascii(text: str) -> bool:
    """Whether the file was written with ``ensure_ascii``: no raw non-ASCII character, and
    an escaped one somewhere. Without any, nbformat's own style (raw) is used."""
    return text.isascii() and _ESCAPED_NON_ASCII.search(text) is not None


def _dump(value: str, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


def new_source_json(
    text: str, span: tuple[int, int], old: str | list[str], new: str, ascii_only: bool
) -> str:
    """The JSON text of a cell's new ``source``, in the form and layout of the old value."""
    if isinstance(old, str):
        return _dump(new, ascii_only)
    start, end = span
    items, _ = array_items(text, start)
    lines = new.splitlines(keepends=True)  # as nbformat splits them
    if not lines:
        return "[]"
    raws = [text[s:e] for s, e in items]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":  # the exact text of an unchanged line, escapes and all
            out.extend(raws[i1:i2])
        else:
            out.extend(_dump(line, ascii_only) for line in lines[j1:j2])
    head = text[start + 1 : items[0][0]] if items else ""
    tail = text[items[-1][1] : end - 1] if items else ""
    # Between two items as in the file; after a lone item, the layout of its opening.
    separator = (
        text[items[0][1] : items[1][0]] if len(items) > 1 else ("," + head if head else ", ")
    )
    return "[" + head + separator.join(out) + tail + "]"


def cell_source(cell: Any) -> str | None:
    """A cell's source as one string; None when it has none of the two nbformat shapes."""
    if not isinstance(cell, dict):
        return None
    value = cell.get("source")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "".join(value)
    return None


def loads(text: str) -> Any:
    """``json.loads``, with integers too long for ``int`` kept as their digits."""
    return json.loads(text, parse_int=_int)


def cell_sources(text: str) -> list[str | None]:
    """The source of every cell of the notebook ``text`` (None for a cell with none); an
    empty list for text that is not a notebook."""
    try:
        data = loads(text)
    except (ValueError, RecursionError):
        return []
    cells = data.get("cells") if isinstance(data, dict) else None
    return [cell_source(cell) for cell in cells] if isinstance(cells, list) else []


def splice(text: str, replacements: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    position = 0
    for start, end, value in sorted(replacements):
        out.append(text[position:start])
        out.append(value)
        position = end
    out.append(text[position:])
    return "".join(out)
