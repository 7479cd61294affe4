"""The text libcst is given, so that what it gives back loses nothing of the original.

libcst's parser round-trips almost every valid module byte for byte; three kinds of text it
does not, each shown to it otherwise and put back in the code generated from it:

- a line holding only a backslash (``\\`` and its newline, whitespace before it allowed) at
  the start of a statement is dropped, and libcst's line numbers after it are one short
  (``# cerebras-migrate: ignore`` then marks the next statement); one opening a block is
  rejected outright. Such a line is shown to libcst as a comment line of the same
  indentation (a placeholder) and put back in the generated code;
- a block whose indentation does not begin with its enclosing block's (a block indented by
  a space holding one indented by a tab and a space: valid, as Python compares columns
  with tabs of 8 and of 1) is rejected. Its indentation is shown to libcst as the
  enclosing block's followed by blanks the file holds nowhere, and put back;
- the final ``\\r`` of a file whose lines end in CR only is dropped: the module is told it
  has a final newline.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterator
from typing import Any

# A backslash ending a line; a lone backslash line is one with only blanks before it.
_LINE_END_BACKSLASH = re.compile(r"\\(?=[\r\n])")
_BLANKS = " \t\f"
_MARK = "#cerebras-migrate-backslash-line"
# Tokens after which a statement may start.
_BETWEEN_STATEMENTS = frozenset(
    {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}
)
# Tokens that start no line of code.
_NO_LINE = frozenset({tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})


def _tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """Python's tokens of ``text``, lines counted as Python counts them: the tokenize module
    ends lines at LF only, so it reads a copy whose lines all end in LF (a token's line and
    column are the same in both)."""
    from codemods.python.lines import NEWLINE

    return tokenize.generate_tokens(io.StringIO(NEWLINE.sub("\n", text)).readline)


def _unchanged(code: str) -> str:
    return code


def parse(text: str) -> tuple[Any, Callable[[str], str]]:
    """libcst's module for ``text``, and what turns code generated from it (or from a rewrite
    of it) back into the original's bytes where it kept them. Raises what
    ``libcst.parse_module`` raises."""
    import libcst as cst

    shown, undo = _shown(text)
    try:
        module = cst.parse_module(shown)
    except cst.ParserSyntaxError:
        # Only after a failure: most files never pay for the tokenizer pass.
        reindented, put_back = _reindented(shown) if "\t" in shown else (shown, None)
        if put_back is None:
            raise
        module = cst.parse_module(reindented)  # still failing: that error is the answer
        undo = _then(put_back, undo)
        shown = reindented
    if shown.endswith("\r") and not module.has_trailing_newline:
        module = module.with_changes(has_trailing_newline=True)
    return module, undo


def _then(first: Callable[[str], str], second: Callable[[str], str]) -> Callable[[str], str]:
    return lambda code: second(first(code))


def _lone_backslashes(text: str) -> list[int]:
    """The offsets of the backslashes that are alone on their line (but for blanks)."""
    found = []
    for match in _LINE_END_BACKSLASH.finditer(text):  # a plain scan: fast on large files
        start = match.start()
        while start and text[start - 1] in _BLANKS:
            start -= 1
        if not start or text[start - 1] in "\r\n":
            found.append(match.start())
    return found


def _shown(text: str) -> tuple[str, Callable[[str], str]]:
    lone = _lone_backslashes(text)
    if lone:
        lone = _statement_starts(text, lone)
    if not lone:
        return text, _unchanged
    mark = _MARK
    while mark in text:  # a placeholder the text does not already hold
        mark += "-"
    parts, last = [], 0
    for backslash in lone:
        parts += [text[last:backslash], mark]
        last = backslash + 1
    parts.append(text[last:])
    # The mark, at the start of a line after its blanks, back to the backslash.
    placed = re.compile(r"(?:^|(?<=[\r\n]))([ \t\f]*)" + re.escape(mark) + r"(?=[\r\n])")

    def undo(code: str) -> str:
        return placed.sub(lambda match: match.group(1) + "\\", code)

    return "".join(parts), undo


def _statement_starts(text: str, lone: list[int]) -> list[int]:
    """The lone backslashes where a statement starts (the line before ended one, or
    opened a block): those libcst drops. Not those inside a string, brackets or a statement
    continued by a backslash, which libcst keeps, and where a comment would not do."""
    from codemods.python.lines import line_starts

    starts = line_starts(text)
    ends: list[tuple[int, bool]] = []  # (where a token ends, whether a statement may follow)
    depth = 0
    try:
        for token in _tokens(text):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(depth - 1, 0)
            free = depth == 0 and token.type in _BETWEEN_STATEMENTS
            line, column = token.end
            if line - 1 < len(starts):
                ends.append((starts[line - 1] + column, free))
    except (tokenize.TokenError, SyntaxError):
        return []  # CPython decides whether it parses; nothing shown differently
    found = []
    index = 0
    for backslash in lone:
        while index < len(ends) and ends[index][0] <= backslash:
            index += 1
        if index == 0 or ends[index - 1][1]:
            found.append(backslash)
    return found


def _reindented(text: str) -> tuple[str, Callable[[str], str] | None]:
    """``text`` with each block indentation that does not extend its enclosing block's
    replaced by one that does, and what puts the original back; None: nothing to replace
    (or CPython's tokenizer rejects the text)."""
    from codemods.python.lines import line_starts

    starts = line_starts(text)
    stack = [("", "")]  # (the file's indentation, the indentation libcst is shown)
    back: dict[str, str] = {}  # shown -> the file's, for each replaced indentation
    edits: list[tuple[int, int, str]] = []  # (start, end, shown) of line-leading blanks
    at_line_start = True
    try:
        for token in _tokens(text):
            kind = token.type
            if kind == tokenize.INDENT:
                own, parent_shown = token.string, stack[-1]
                if own.startswith(parent_shown[0]):
                    shown = parent_shown[1] + own[len(parent_shown[0]) :]
                else:
                    shown = _fresh(parent_shown[1], text, back)
                    back[shown] = own
                stack.append((own, shown))
            elif kind == tokenize.DEDENT:
                stack.pop()
            elif kind in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                at_line_start = kind != tokenize.COMMENT or at_line_start
                continue
            if at_line_start and kind not in _NO_LINE:
                own, shown = stack[-1]
                if own != shown:
                    line_start = starts[token.start[0] - 1]
                    edits.append((line_start, line_start + token.start[1], shown))
                at_line_start = False
    except (tokenize.TokenError, SyntaxError, IndexError):
        return text, None
    if not back:
        return text, None
    parts, last = [], 0
    for start, end, shown in edits:
        parts += [text[last:start], shown]
        last = end
    parts.append(text[last:])
    # Longest first: a nested block's replacement begins with its parent's.
    placed = re.compile(
        r"(?:^|(?<=[\r\n]))("
        + "|".join(re.escape(shown) for shown in sorted(back, key=len, reverse=True))
        + ")"
    )

    def undo(code: str) -> str:
        return placed.sub(lambda match: back[match.group(1)], code)

    return "".join(parts), undo


def _fresh(parent: str, text: str, taken: dict[str, str]) -> str:
    """An indentation beginning with ``parent`` that occurs nowhere in ``text`` and begins
    no other replacement: lines that begin with it are the replaced block's."""
    filler = "\t" * 8 + " "
    while parent + filler in text or any(t.startswith(parent + filler) for t in taken):
        filler = "\t" + filler
    return parent + filler
