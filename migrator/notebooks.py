"""Jupyter notebooks: the Python code cells of a ``.ipynb`` file, migrated as one module.

A client is often made in one cell and used in others, so the code cells are joined into one
module, each after a marker statement that splits the rewrite back into cells, and that
module goes through ``migrate_source`` like any ``.py`` file: the same rules, targets,
diagnostics and suppressions.

- Only notebooks whose kernel language is Python (``metadata.kernelspec.language``, else
  ``metadata.language_info.name``; none means Python) and only their code cells. A cell
  whose cell magic is not one that runs Python (``%%bash``, ``%%html``, ``%%writefile``...)
  is left alone; ``%%time``, ``%%timeit``, ``%%capture``... keep a Python body.
- IPython syntax is masked before parsing and restored byte for byte afterwards: each line
  of a line magic (``%pip``), a shell escape (``!cmd``), ``var = !cmd`` / ``var = %magic``,
  help (``obj?``, ``??obj``) or autocall (``/f x``) becomes a placeholder line with the same
  ending: a comment at the top level, a name statement in an indented block. Top-level
  ``await`` is Python to libcst and needs nothing.
- A cell that still does not parse on its own is reported (CM901, with its cell number) and
  left out; the others are migrated.
- The first cell that imports ``openai`` or ``cerebras`` goes first in the module (the cells
  before it go last), so the imports a rewrite adds (``import os``, the Cerebras SDK) join
  that cell's import block, never an earlier cell that happens to import ``json``.
- Each changed cell is checked on its own; a marker or placeholder that did not survive the
  rewrite is an internal error (CM903) and nothing is written.
- Only the ``source`` values of the changed cells change in the file: their new JSON text is
  spliced in at the offsets of the old one, so indentation, key order, escapes, outputs,
  execution counts, metadata and the final newline stay byte for byte. A list keeps the
  layout of its old items and reuses the exact text of the lines that did not change.

Diagnostics carry the cell (counted from 1 among all the cells of the file, markdown
included) and their line and column inside it, and where that is in the ``.ipynb`` file.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import difflib
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from codemods.diagnostics import Diagnostic

from . import files
from .engine import FileResult, Status, is_generated, may_use_sdk, migrate_source
from .settings import Settings

SUFFIX = ".ipynb"

# Cell magics whose body is Python run in the notebook's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})


@dataclass(frozen=True)
class CellDiagnostic(Diagnostic):
    """A diagnostic in a notebook: ``line`` and ``column`` count inside cell ``cell`` (1-based,
    among all the cells of the file); ``file_line``/``file_column`` locate that spot in the
    ``.ipynb`` text."""

    cell: int = 0
    file_line: int = 1
    file_column: int = 1


def is_notebook(path: Path) -> bool:
    return path.suffix == SUFFIX


# Lines ------------------------------------------------------------------------------------
_PHYSICAL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, split where Python splits them."""
    return _PHYSICAL.findall(text)


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


# Masking IPython syntax -------------------------------------------------------------------
_MAGIC_ASSIGN = re.compile(r"(?P<target>[^=#'\"]*?\S)\s*=(?!=)\s*[!%]")
_OPERATOR_END = tuple("=!<>:+-*/%&|^@")


def _is_escape(stripped: str) -> bool:
    """A logical line IPython rewrites before Python sees it."""
    if not stripped:
        return False
    if stripped[0] in "!%?/,;":  # no Python statement starts with one of these
        return True
    match = _MAGIC_ASSIGN.match(stripped)  # ``files = !ls``, ``t = %time f()``
    return match is not None and not match.group("target").endswith(_OPERATOR_END)


def _scan(body: str, depth: int, quote: str | None) -> tuple[int, str | None, str, bool]:
    """Carry the bracket depth and the open string over one physical line (without its
    ending). Also returns the last significant character outside comments and whether the
    line goes on with a backslash."""
    last = ""
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if quote is not None:
            if c == "\\":
                i += 2
            elif body.startswith(quote, i):
                i += len(quote)
                quote = None
                last = c
            else:
                i += 1
            continue
        if c == "#":
            return depth, None, last, False
        if c in "\"'":
            quote = c * 3 if body.startswith(c * 3, i) else c
            i += len(quote)
            last = c
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        if not c.isspace():
            last = c
        i += 1
    if quote is not None and len(quote) == 1 and i <= n:
        quote = None  # unterminated (no backslash before the newline): a syntax error anyway
    continued = quote is None and body.endswith("\\")
    return depth, quote, last, continued


@dataclass(frozen=True)
class MaskedCell:
    text: str  # what libcst parses: one line for each line of the cell, same endings
    originals: dict[str, str]  # placeholder -> the line it stands for (without its ending)


def mask_cell(source: str, tokens: Iterator[str]) -> MaskedCell | str:
    """The cell with its IPython syntax masked, or the name of the cell magic that makes it
    something other than Python."""
    lines = physical_lines(source)
    out: list[str] = []
    originals: dict[str, str] = {}

    def hide(index: int, indent: str) -> None:
        body, ending = _split_ending(lines[index])
        token = next(tokens)
        originals[token] = body
        out.append((f"{indent}{token}" if indent else f"# {token}") + ending)

    start = 0
    while True:  # cell magics: the first line (after blank ones), and any stacked under it
        first = start
        while first < len(lines) and not lines[first].strip():
            first += 1
        if first == len(lines) or not lines[first].startswith("%%"):
            break
        name = lines[first][2:].split(maxsplit=1)[0] if lines[first][2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return f"%%{name}"
        out.extend(lines[start:first])
        hide(first, "")
        start = first + 1

    depth, quote = 0, None
    j, n = start, len(lines)
    while j < n:
        body, _ = _split_ending(lines[j])
        stripped = body.lstrip(" \t")
        indent = body[: len(body) - len(stripped)]
        if _is_escape(stripped):
            hide(j, indent)
            while body.endswith("\\") and j + 1 < n:  # continued with a backslash
                j += 1
                body, _ = _split_ending(lines[j])
                hide(j, indent)
            j += 1
            continue
        first, last = j, ""
        while True:  # one logical line
            body, _ = _split_ending(lines[j])
            depth, quote, line_last, continued = _scan(body, depth, quote)
            last = line_last or last
            j += 1
            if j >= n or (depth == 0 and quote is None and not continued):
                break
        if last == "?" and depth == 0 and quote is None:  # ``obj?``, ``obj.method??``
            for index in range(first, j):
                hide(index, indent)
        else:
            out.extend(lines[first:j])
    return MaskedCell("".join(out), originals)


def unmask(text: str, masked: MaskedCell, tag: str) -> str | None:
    """``text`` with every placeholder of ``masked`` back as it was; None when one is missing,
    repeated or mangled."""
    pattern = re.compile(rf"[ \t]*(?:# )?({re.escape(tag)}_\d+__)")
    seen: set[str] = set()
    out = []
    for line in physical_lines(text):
        body, ending = _split_ending(line)
        match = pattern.fullmatch(body)
        if match is None:
            if tag in body:
                return None
            out.append(line)
            continue
        token = match.group(1)
        if token not in masked.originals or token in seen:
            return None
        seen.add(token)
        out.append(masked.originals[token] + ending)
    if seen != set(masked.originals):
        return None
    return "".join(out)


_AST_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def syntax_error(code: str) -> tuple[int, int, str] | None:
    """Where a cell's (masked) code fails to parse: (line, column, message), or None. CPython
    decides first (top-level ``await`` allowed, as IPython runs it) and says where and why
    more precisely; when it rejects the code, libcst, which may know newer syntax, has the
    last word."""
    try:
        compile(code, "<cell>", "exec", _AST_FLAGS, dont_inherit=True)
        return None
    except SyntaxError as exc:
        found = (exc.lineno or 1, max(exc.offset or 1, 1), f"syntax error: {exc.msg}")
    except RecursionError:
        found = (1, 1, "too deeply nested to parse")
    except (ValueError, MemoryError) as exc:  # a NUL character, say
        found = (1, 1, f"syntax error: {exc}")
    import libcst as cst

    try:
        cst.parse_module(code)
    except Exception:  # ParserSyntaxError, RecursionError, ...: CPython's account stands
        return found
    return None


# Locating values in the JSON text ---------------------------------------------------------
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


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


def _array(
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
            return _array(text, start, cell)[1]
        return _value_end(text, start)

    _object(text, _ws(text, 0), member)
    return spans


def _raw_offset(literal: str, index: int) -> int:
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


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts; lines end at CR, LF or CRLF."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def file_position(starts: list[int], offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset``, given the ``line_starts`` of its text."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


# Writing ----------------------------------------------------------------------------------
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
    items, _ = _array(text, start)
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


# The notebook -----------------------------------------------------------------------------
def kernel_language(data: dict[str, Any]) -> str | None:
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict):
            value = section.get(field_name)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def is_python(language: str | None) -> bool:
    return language is None or language.lower().startswith(("python", "ipython"))


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


def cell_sources(text: str) -> list[str | None]:
    """The source of every cell of the notebook ``text`` (None for a cell with none); an
    empty list for text that is not a notebook."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    cells = data.get("cells") if isinstance(data, dict) else None
    return [cell_source(cell) for cell in cells] if isinstance(cells, list) else []


@dataclass
class _Cell:
    index: int  # in the notebook's cells, from 0
    source: str
    masked: MaskedCell
    added: str  # the newline added to end the last line in the module, or ""


_ANCHOR = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:openai|cerebras)\b|import[ \t]+[\w., \t]*\b(?:openai|cerebras)\b)",
    re.MULTILINE,
)


def _module_order(cells: list[_Cell]) -> list[_Cell]:
    """The first cell importing an SDK first, so the rewrite's new imports land there."""
    anchor = next((i for i, c in enumerate(cells) if _ANCHOR.search(c.masked.text)), 0)
    return [*cells[anchor:], *cells[:anchor]]


def _tag(text: str) -> str:
    """A prefix for markers and placeholders that the notebook does not contain."""
    for n in itertools.count():
        tag = f"__cmnb{n}"
        if tag + "_" not in text:
            return tag
    raise AssertionError("unreachable")


@dataclass
class _Module:
    code: str
    cells: list[_Cell]  # in module order
    starts: list[int]  # the module line where each cell begins


def _join(cells: list[_Cell], tag: str, newline: str) -> _Module:
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for position, cell in enumerate(cells):
        if position:
            parts.append(f"{tag}_cell_{cell.index}__{newline}")
            line += 1
        starts.append(line)
        body = cell.masked.text + cell.added
        parts.append(body)
        line += len(physical_lines(body))
    parts.append(f"{tag}_end__{newline}")
    return _Module("".join(parts), cells, starts)


def _split(code: str, module: _Module, tag: str) -> list[str] | None:
    """The module's code back into one text per cell, or None if a marker did not survive."""
    expected = [f"{tag}_cell_{c.index}__" for c in module.cells[1:]] + [f"{tag}_end__"]
    segments: list[str] = []
    current: list[str] = []
    for line in physical_lines(code):
        body, _ = _split_ending(line)
        if len(segments) < len(expected) and body == expected[len(segments)]:
            segments.append("".join(current))
            current = []
            continue
        if f"{tag}_cell_" in body or f"{tag}_end__" in body:
            return None
        current.append(line)
    if len(segments) != len(expected) or current:
        return None
    return segments


def _locate(module: _Module, line: int) -> tuple[_Cell, int]:
    """The cell of a module line, and the line inside the cell."""
    position = 0
    for k, start in enumerate(module.starts):
        if start <= line:
            position = k
    cell = module.cells[position]
    count = max(len(physical_lines(cell.masked.text)), 1)
    return cell, min(max(line - module.starts[position] + 1, 1), count)


class _Notebook:
    """What a diagnostic needs to say where it is in the file."""

    def __init__(self, text: str, data: dict[str, Any], spans: list[tuple[int, int] | None]):
        self.text = text
        self.data = data
        self.spans = spans
        self._starts: list[int] | None = None  # line_starts(text), once a diagnostic needs it

    def diagnostic(
        self, cell: _Cell, code: str, line: int, column: int, message: str
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

    def position(self, cell: _Cell, line: int, column: int) -> tuple[int, int]:
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
            offset = start + _raw_offset(self.text[start:end], index)
        else:
            seen = 0
            items, _ = _array(self.text, start)
            for k, ((s, e), item) in enumerate(zip(items, value, strict=True)):
                if index < seen + len(item) or k == len(items) - 1:
                    offset = s + _raw_offset(self.text[s:e], index - seen)
                    break
                seen += len(item)
        if self._starts is None:
            self._starts = line_starts(self.text)
        return file_position(self._starts, offset)


def migrate_notebook(
    path: Path, raw: bytes, settings: Settings
) -> tuple[FileResult, files.Source | None]:
    """Migrate one notebook's bytes; the Source is returned when they could be decoded."""
    if not may_use_sdk(raw):
        return FileResult(path, Status.SKIPPED, note="no OpenAI or Cerebras usage"), None
    if is_generated(raw):
        return FileResult(path, Status.SKIPPED, note="marked @generated"), None
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start + (len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)
        line = raw.count(b"\n", 0, start) + 1
        message = f"cannot decode the notebook as UTF-8 (byte {raw[start]:#04x} at offset {start})"
        return _error(path, Diagnostic("CM902", line, 1, message)), None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostic = Diagnostic("CM902", exc.lineno, exc.colno, f"invalid notebook JSON: {exc.msg}")
        return _error(path, diagnostic), None
    except RecursionError:
        return _error(path, Diagnostic("CM902", 1, 1, "notebook JSON too deeply nested")), None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        if isinstance(data, dict) and "worksheets" in data:
            note = "nbformat 3 notebook (only nbformat 4 is migrated)"
            return FileResult(path, Status.SKIPPED, note=note), None
        diagnostic = Diagnostic("CM902", 1, 1, 'not a Jupyter notebook (no "cells" list)')
        return _error(path, diagnostic), None
    language = kernel_language(data)
    if not is_python(language):
        note = f"kernel language is {language!r} (only Python notebooks are migrated)"
        return FileResult(path, Status.SKIPPED, note=note), None
    source = files.Source(path, raw, text, encoding)
    try:
        outcome = _migrate(path, text, data, settings)
    except Exception as exc:  # a bug of ours: report it for this file, keep going
        message = f"internal error ({type(exc).__name__}: {exc}); nothing written"
        outcome = _error(path, Diagnostic("CM903", 1, 1, message))
    outcome.original = text
    if outcome.status is not Status.CHANGED:
        outcome.new = text
    return outcome, source


def _error(path: Path, diagnostic: Diagnostic, more: list[Diagnostic] | None = None) -> FileResult:
    return FileResult(path, Status.ERROR, diagnostics=[*(more or []), diagnostic])


def _sort_key(d: Diagnostic) -> tuple[int, int, int]:
    return getattr(d, "cell", 0), d.line, d.column


def _migrate(path: Path, text: str, data: dict[str, Any], settings: Settings) -> FileResult:
    spans = source_spans(text)
    if len(spans) != len(data["cells"]):
        raise ValueError("the cells found in the text do not match the parsed notebook")
    notebook = _Notebook(text, data, spans)
    tag = _tag(text)
    tokens = (f"{tag}_{k}__" for k in itertools.count())
    cells: list[_Cell] = []
    diagnostics: list[Diagnostic] = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or spans[index] is None:
            continue
        src = cell_source(cell)
        if src is None or not src.strip():
            continue
        masked = mask_cell(src, tokens)
        if isinstance(masked, str):
            continue  # a cell magic that does not run Python
        added = "" if masked.text.endswith(("\n", "\r")) else "\n"
        item = _Cell(index, src, masked, added)
        problem = syntax_error(masked.text)
        if problem is not None:
            diagnostics.append(notebook.diagnostic(item, "CM901", *problem))
            continue
        cells.append(item)
    if not cells:
        return _finish(path, text, text, diagnostics, changed=False)
    newline_match = _NEWLINE.search("".join(c.masked.text for c in cells))
    newline = newline_match.group() if newline_match else "\n"
    for cell in cells:
        if cell.added:
            cell.added = newline

    while True:
        module = _join(_module_order(cells), tag, newline)
        result = migrate_source(module.code, settings)
        if not result.error:
            break
        syntax = next((d for d in result.diagnostics if d.code == "CM901"), None)
        if syntax is None:  # CM903: the rewrite failed
            mapped = [_map(notebook, module, d) for d in result.diagnostics]
            failed = FileResult(path, Status.ERROR, diagnostics=[*diagnostics, *mapped])
            failed.secrets = result.secrets
            return failed
        # libcst cannot parse a cell CPython could: report that cell, migrate the others.
        cell, line = _locate(module, syntax.line)
        diagnostics.append(notebook.diagnostic(cell, "CM901", line, syntax.column, syntax.message))
        cells.remove(cell)
        if not cells:
            return _finish(path, text, text, diagnostics, changed=False)

    diagnostics.extend(_map(notebook, module, d) for d in result.diagnostics)
    new_text = text
    if result.code != module.code:
        segments = _split(result.code, module, tag)
        if segments is None:
            what = "a cell boundary did not survive the rewrite"
            return _internal(path, diagnostics, what, result.secrets)
        changes: dict[int, str] = {}
        for cell, segment in zip(module.cells, segments, strict=True):
            if cell.added and segment.endswith(cell.added):
                segment = segment[: -len(cell.added)]
            new = unmask(segment, cell.masked, tag)
            if new is None:
                what = f"IPython syntax in cell {cell.index + 1} was lost"
                return _internal(path, diagnostics, what, result.secrets)
            if new == cell.source:
                continue
            problem = syntax_error(segment)  # each changed cell must parse on its own
            if problem is not None:
                line, column, _ = problem
                what = f"cell {cell.index + 1} would not parse after the rewrite ({line}:{column})"
                return _internal(path, diagnostics, what, result.secrets)
            changes[cell.index] = new
        new_text = _rewrite(text, data, spans, changes)
        if not _reads_back(text, new_text, changes):
            what = "the rewritten notebook does not read back"
            return _internal(path, diagnostics, what, result.secrets)
    outcome = _finish(path, text, new_text, diagnostics, changed=new_text != text)
    outcome.secrets = result.secrets
    outcome.rewritten_sites = result.rewritten_sites if new_text != text else 0
    return outcome


def _map(notebook: _Notebook, module: _Module, d: Diagnostic) -> Diagnostic:
    cell, line = _locate(module, d.line)
    return notebook.diagnostic(cell, d.code, line, d.column, d.message)


def _finish(
    path: Path, text: str, new_text: str, diagnostics: list[Diagnostic], *, changed: bool
) -> FileResult:
    diagnostics.sort(key=_sort_key)
    if changed:
        status = Status.CHANGED
    elif any(d.code == "CM901" for d in diagnostics):
        status = Status.ERROR  # nothing migrated and a cell could not be read: as a .py file
    else:
        status = Status.UNCHANGED
    return FileResult(path, status, original=text, new=new_text, diagnostics=diagnostics)


def _internal(
    path: Path, diagnostics: list[Diagnostic], what: str, secrets: list[str]
) -> FileResult:
    diagnostics.sort(key=_sort_key)
    message = f"internal error: {what}; nothing written"
    outcome = _error(path, Diagnostic("CM903", 1, 1, message), diagnostics)
    outcome.secrets = secrets
    return outcome


def _rewrite(
    text: str, data: dict[str, Any], spans: list[tuple[int, int] | None], changes: dict[int, str]
) -> str:
    """``text`` with the new sources of ``changes`` (cell index -> source) spliced in."""
    ascii_only = escapes_non_ascii(text)
    replacements = []
    for index, new in changes.items():
        span = spans[index]
        assert span is not None
        old = data["cells"][index]["source"]
        replacements.append((*span, new_source_json(text, span, old, new, ascii_only)))
    return _splice(text, replacements)


def _splice(text: str, replacements: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    position = 0
    for start, end, value in sorted(replacements):
        out.append(text[position:start])
        out.append(value)
        position = end
    out.append(text[position:])
    return "".join(out)


def _reads_back(old_text: str, new_text: str, expected: dict[int, str]) -> bool:
    """The new text reads back as the old notebook with the expected sources in their old
    form (list or string); everything else was copied from the old text as it was."""
    try:
        old, new = json.loads(old_text), json.loads(new_text)
    except (ValueError, RecursionError):
        return False
    old_cells, new_cells = old["cells"], new["cells"]
    if len(old_cells) != len(new_cells):
        return False
    for index, source in expected.items():
        before, after = old_cells[index], new_cells[index]
        if cell_source(after) != source or type(after["source"]) is not type(before["source"]):
            return False
    return True
