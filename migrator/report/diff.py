"""The diffs ``--diff`` shows: a unified diff of a file, or one per changed notebook cell."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from migrator.results import CellChange, FileResult

from .names import quote_name

# A diff's lines end at LF only, as ``git apply`` and ``patch`` read them: a CRLF line keeps
# its CR, a CR-only file is one line. str.splitlines would also end a line at a form feed or
# U+2028, and the patch would then not apply.
_PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_CONTEXT = 3
_LONG = 20_000  # lines


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff with ``a/``/``b/`` prefixes, as ``git apply`` and ``patch -p1`` read it
    (an absolute path is shown as it is). A name with a control character, a bidi override
    or a byte that is not UTF-8 is quoted and escaped as git writes it (``--- "a/a\\033.py"``),
    which ``git apply`` reads back: never raw on a terminal."""
    before, after = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
    before, after = quote_name(before), quote_name(after)
    a, b = _PATCH_LINE.findall(old), _PATCH_LINE.findall(new)
    out: list[str] = []
    for group in _opcodes(a, b).get_grouped_opcodes(_CONTEXT):
        if not out:
            out += [f"--- {before}\n", f"+++ {after}\n"]
        first, last = group[0], group[-1]
        old_range = _range(first[1], last[2] - first[1])
        new_range = _range(first[3], last[4] - first[3])
        out.append(f"@@ -{old_range} +{new_range} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out
    )


def _opcodes(a: list[str], b: list[str]) -> difflib.SequenceMatcher[str]:
    """A matcher of ``a`` and ``b`` whose opcodes are known. A long file's lines that both
    texts share at their ends are left out of the matching (difflib's index of every line of
    a 50 MB file costs gigabytes) and put back as equal: a line added beside its twins may
    then show elsewhere among them, as valid a diff."""
    if len(a) <= _LONG:
        return difflib.SequenceMatcher(None, a, b)
    head, limit = 0, min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail])
    ops = [("equal", 0, head, 0, head)] if head else []
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        ops.append((tag, head + i1, head + i2, head + j1, head + j2))
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # neighbouring equal runs as one, as difflib gives them
        if merged and op[0] == merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    known: difflib.SequenceMatcher[str] = difflib.SequenceMatcher()
    known.opcodes = merged  # what get_grouped_opcodes reads
    return known


def _range(start: int, length: int) -> str:
    """A hunk's range as ``diff -u`` writes it (as difflib does): 1-based, and an empty one
    names the line before it."""
    beginning = start + 1
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def notebook_diff(path: str, cells: Iterable[CellChange]) -> str:
    """A notebook's changes as one unified diff per changed cell, of the cell's source lines,
    headed ``--- a/nb.ipynb (cell 4)`` / ``+++ b/nb.ipynb (cell 4)`` (cells counted from 1,
    markdown included). For people and reviews: ``git apply`` cannot apply it to the JSON."""
    return "".join(
        unified_diff(f"{path} (cell {cell.number})", cell.old, cell.new) for cell in cells
    )


def file_diff(path: str, result: FileResult) -> str:
    """The diff ``--diff`` shows for a changed file: per cell for a notebook."""
    if result.is_notebook:
        return notebook_diff(path, result.cells)
    return unified_diff(path, result.original, result.new)
