"""The diffs ``--diff`` shows: a unified diff of a file, or one per changed notebook cell."""

from __future__ import annotations

import re
from collections.abc import Iterable

from migrator.results import CellChange, FileResult

from .names import quote_name

# A diff's lines end at LF only, as ``git apply`` and ``patch`` read them: a CRLF line keeps
# its CR, a CR-only file is one line. str.splitlines would also end a line at a form feed or
# U+2028, and the patch would then not apply.
_PATCH_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff with ``a/``/``b/`` prefixes, as ``git apply`` and ``patch -p1`` read it
    (an absolute path is shown as it is). A name with a control character, a bidi override
    or a byte that is not UTF-8 is quoted and escaped as git writes it (``--- "a/a\\033.py"``),
    which ``git apply`` reads back: never raw on a terminal."""
    import difflib  # here: most runs print no diff

    before, after = (path, path) if path.startswith("/") else (f"a/{path}", f"b/{path}")
    before, after = quote_name(before), quote_name(after)
    lines = difflib.unified_diff(
        _PATCH_LINE.findall(old),
        _PATCH_LINE.findall(new),
        fromfile=before,
        tofile=after,
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


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
