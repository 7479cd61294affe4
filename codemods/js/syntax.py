"""Parsing a JavaScript or TypeScript text, and where it fails to parse.

The grammar follows the file's suffix: ``.ts``/``.mts``/``.cts`` are TypeScript (where
``<T>x`` is a cast), ``.tsx`` TypeScript with JSX, everything else JavaScript with JSX. The
grammars come compiled in their wheels (never downloaded at run time); a parser is made
once per grammar and process.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from codemods.facts import js

if TYPE_CHECKING:
    import tree_sitter


class SyntaxProblem(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based, in characters
    message: str


def grammar(suffix: str) -> str:
    """``javascript``, ``typescript`` or ``tsx``: which grammar reads a file of ``suffix``."""
    suffix = suffix.lower()
    if suffix in js.TSX_SUFFIXES:
        return "tsx"
    if suffix in js.TYPESCRIPT_SUFFIXES:
        return "typescript"
    return "javascript"


def is_typescript(suffix: str) -> bool:
    return grammar(suffix) != "javascript"


@cache
def _parser(name: str) -> tree_sitter.Parser:
    import tree_sitter  # lazily: a run over Python files never loads it

    if name == "javascript":
        import tree_sitter_javascript

        language = tree_sitter_javascript.language()
    else:
        import tree_sitter_typescript

        language = (
            tree_sitter_typescript.language_tsx()
            if name == "tsx"
            else tree_sitter_typescript.language_typescript()
        )
    return tree_sitter.Parser(tree_sitter.Language(language))


def parse(data: bytes, suffix: str) -> tree_sitter.Tree:
    return _parser(grammar(suffix)).parse(data)


def column(data: bytes, row: int, byte_column: int, line_start: int) -> int:
    """The 1-based character column of a byte column on a line starting at ``line_start``."""
    prefix = data[line_start : line_start + byte_column]
    return len(prefix.decode("utf-8", errors="replace")) + 1


def first_problem(tree: tree_sitter.Tree, data: bytes) -> SyntaxProblem | None:
    """Where the text does not parse (the first error or missing token), or None."""
    root = tree.root_node
    if not root.has_error:
        return None
    cursor = [root]
    while cursor:
        node = cursor.pop()
        if node.is_missing or node.is_error:
            row, byte_column = node.start_point
            line_start = node.start_byte - byte_column
            if node.is_missing:
                message = f"missing {node.type!r}"
            else:
                text = data[node.start_byte : node.end_byte].split(b"\n", 1)[0][:20]
                shown = text.decode("utf-8", errors="replace")
                message = f"unexpected {shown!r}" if shown else "unexpected end of file"
            return SyntaxProblem(row + 1, column(data, row, byte_column, line_start), message)
        if node.has_error:
            cursor.extend(reversed(node.children))
    return SyntaxProblem(1, 1, "invalid syntax")
