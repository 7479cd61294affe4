"""Does a text parse? CPython's parser decides first, libcst has the last word.

CPython's parser is 10-20 times faster than libcst's, names the place and the mistake better
("Missing parentheses in call to 'print'"), and refuses nesting that would crash libcst's
native parser. libcst may know syntax newer than the running interpreter, so a text CPython
rejects for another reason is still given to libcst, below ``LIBCST_MAX_BRACKET_DEPTH``.
Used for ``.py`` files, notebook cells and the check of every rewrite before it is written.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import NamedTuple


class Rejected(NamedTuple):
    """Why this Python's own parser rejects a text: where (1-based) and its message."""

    line: int
    column: int
    message: str
    too_deep: bool  # nesting beyond what CPython (and so, safely, libcst) will parse
    raised: str = "SyntaxError"  # the exception's class: RecursionError, ValueError, ...


# libcst's native parser recurses without a guard and crashes the process (a segmentation
# fault, not an exception) somewhere between 1,000 and 2,000 nested brackets. CPython
# stops at 200; a text it rejects for another reason is given to libcst (newer syntax)
# only below this depth.
LIBCST_MAX_BRACKET_DEPTH = 500
_BRACKETS = re.compile(r"[()[\]{}]")
# IPython runs a notebook cell's top-level ``await``: a cell's code is parsed allowing it.
_TOP_LEVEL_AWAIT = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


def cpython(text: str, *, top_level_await: bool = False) -> ast.Module | Rejected:
    """``ast.parse(text)``, or why it fails; quietly: no SyntaxWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if top_level_await:
                return compile(text, "<cell>", "exec", _TOP_LEVEL_AWAIT, dont_inherit=True)
            return ast.parse(text)
        except SyntaxError as exc:
            message = exc.msg or "invalid syntax"
            too_deep = "too many nested" in message or "too many levels" in message
            return Rejected(exc.lineno or 1, exc.offset or 1, message, too_deep)
        except (RecursionError, MemoryError) as exc:
            return Rejected(1, 1, str(exc) or type(exc).__name__, True, type(exc).__name__)
        except ValueError as exc:  # source code string cannot contain null bytes
            return Rejected(1, 1, str(exc) or type(exc).__name__, False, type(exc).__name__)


def python_error(text: str) -> tuple[int, int, str] | None:
    """Where and why this Python's own parser rejects ``text`` (line, 1-based column,
    message), or None when it accepts it."""
    verdict = cpython(text)
    return verdict[:3] if isinstance(verdict, Rejected) else None


def libcst_error(text: str) -> tuple[int, int] | None:
    """Where libcst's parser rejects ``text`` (line, 1-based column), or None."""
    import libcst as cst

    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return exc.raw_line, exc.raw_column + 1
    return None


def bracket_depth(text: str) -> int:
    """The deepest bracket nesting of ``text``, brackets in strings and comments counted
    too (more, never less: only ever keeps a text away from libcst)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        if bracket in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def cell_syntax_error(code: str) -> tuple[int, int, str, str] | None:
    """Where a notebook cell's (masked) code fails to parse: (line, column, the CM901 message
    variant, its reason), or None. Top-level ``await`` is allowed, as IPython runs it; when
    CPython rejects the code, libcst, which may know newer syntax, has the last word."""
    verdict = cpython(code, top_level_await=True)
    if not isinstance(verdict, Rejected):
        return None
    if verdict.raised == "RecursionError":
        found = (1, 1, "nesting", "")
    else:
        found = (verdict.line, max(verdict.column, 1), "default", verdict.message)
    import libcst as cst

    try:
        cst.parse_module(code)
    except Exception:  # ParserSyntaxError, RecursionError, ...: CPython's account stands
        return found
    return None
