"""A big module parsed by CPython a group of top-level statements at a time, never whole.

CPython's ``ast`` costs about 160 times the text in memory: 8 GB for a 50 MB module, and as
long again to allocate. Nothing here needs the whole tree at once: the syntax check needs a
yes or no, codemods/python/focus.py needs each top-level statement's lines and a few facts
about it, and the project index (migrator/project.py) summarizes the statements focus keeps.
So a text above ``BIG_TEXT`` is cut at lines that may start a top-level statement (a
character in the first column that no continuation, block clause or closing bracket
begins with) into groups of about ``_GROUP`` characters, each parsed alone and dropped
once read.

A cut is right exactly when the text before it parses: a prefix that stops inside a
string, a bracket or after a backslash cannot parse, and a group that does not parse grows
to the next cut (twice as far each time) until it does. One that still fails at the end of
the text is the file's syntax error; that is reported where CPython reports it in the group,
which is where it reports it in the file. tests/test_statements.py holds both to
``ast.parse`` of the whole text.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from codemods.python.syntax import Rejected, cpython

# Below this a whole parse costs less than the cutting (about 160 MB of tree at most).
BIG_TEXT = 1 << 20
# The most text of one module shown whole to a parser, once focus has left out what cannot
# matter: libcst's tree costs several hundred times its text (CM905 refuses beyond it).
MAX_WHOLE = 4 << 20
_GROUP = 1 << 16
# A line that may begin a top-level statement: not blank, not a comment, not indented, not
# a clause of the statement before it nor a closing bracket.
_CUT = re.compile(
    r"^(?![ \t\f\r\n#)\]}]|(?:else|elif|except|finally)\b)",
    re.MULTILINE,
)

# CPython names a line in some messages: "unterminated string literal (detected at line 7)".
_DETECTED = re.compile(r"(\bline )(\d+)")


class Group(NamedTuple):
    """Consecutive top-level statements: their text starts at ``offset`` of the module, on
    1-based line ``line``; ``tree``'s line numbers count from that line (add
    ``line - 1``: moving every node's costs more than the parse)."""

    offset: int
    line: int
    tree: ast.Module


def is_big(text: str) -> bool:
    """Whether ``text`` is parsed in groups. Lone CRs end lines for CPython but not for the
    cutting, which counts lines by ``\\n``: such a text is parsed whole."""
    return len(text) > BIG_TEXT and text.count("\r") == text.count("\r\n")


def groups(text: str) -> Iterator[Group | Rejected]:
    """The statement groups of ``text``, each parsed as it is asked for (a caller that keeps
    no tree holds one at a time); when the text does not parse, the last item is why (as
    ``syntax.cpython`` says it of the whole text) and the groups before it are to be
    thrown away."""
    cuts = [match.start() for match in _CUT.finditer(text)]
    cuts.append(len(text))
    start, line, index = 0, 1, 0
    while start < len(text):
        # The first cut at least _GROUP past the start, then twice as far on each failure.
        reach = _GROUP
        while True:
            index = bisect.bisect_left(cuts, start + reach, index)
            end = cuts[min(index, len(cuts) - 1)]
            tree = cpython(text[start:end])
            if isinstance(tree, ast.Module):
                break
            if end >= len(text):
                yield _moved(tree, line - 1)
                return
            reach *= 2
        yield Group(start, line, tree)
        line += text.count("\n", start, end)
        start = end


def _moved(verdict: Rejected, after: int) -> Rejected:
    """A group's verdict as the module's: lines moved down ``after``, in the message too."""
    message = _DETECTED.sub(lambda m: f"{m[1]}{int(m[2]) + after}", verdict.message)
    return verdict._replace(line=verdict.line + after, message=message)


def check(text: str) -> Rejected | None:
    """Why ``text`` does not parse, or None; one group in memory at a time."""
    for group in groups(text):
        if isinstance(group, Rejected):
            return group
    return None
