"""``// cerebras-migrate: ignore``: a line of JavaScript or TypeScript opts out of the
migration, or of some codes, as ``# cerebras-migrate: ignore`` does in Python
(``codemods/python/suppressions.py``, whose semantics these are).

``// cerebras-migrate: ignore`` (or ``/* cerebras-migrate: ignore */``) leaves the statement
on that line as written and reports nothing for it: a constructor there is not pointed at
Cerebras, so the requests on its client are not touched either; a compound statement
(``if``, a function, a class) is marked by its header line and left whole.
``// cerebras-migrate: ignore[CM301, CM406]`` only silences those codes on that line
(rewrites still happen). Errors are never silenced. Only comments count: the words in a
string are not a mark.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from codemods.python.suppressions import Marks, unsilenced

if TYPE_CHECKING:
    import tree_sitter

__all__ = ["Marks", "skipped_ranges", "suppressions", "unsilenced", "within"]

_SUPPRESSION = re.compile(r"^(?://|/\*)\s*cerebras-migrate:\s*ignore(?:\[([^\]]*)\])?")

# Statements marked by any of their lines; every other statement by its first line only,
# and left whole (its body included).
_SIMPLE = frozenset(
    {
        "expression_statement",
        "lexical_declaration",
        "variable_declaration",
        "return_statement",
        "throw_statement",
        "import_statement",
        "public_field_definition",
        "field_definition",
    }
)
_COMPOUND = frozenset(
    {
        "if_statement",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
        "try_statement",
        "switch_statement",
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "method_definition",
        "statement_block",
        "labeled_statement",
    }
)


def suppressions(data: bytes, root: tree_sitter.Node) -> Marks:
    """The marks by (1-based) line, from the module's comments; None means every code."""
    if b"cerebras-migrate:" not in data:
        return {}
    found: Marks = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            match = _SUPPRESSION.search(node.text.decode("utf-8", errors="replace"))
            if match is not None:
                codes = match.group(1)
                found[node.start_point[0] + 1] = (
                    None
                    if codes is None
                    else frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
                )
        stack.extend(node.children)
    return found


def _line_of(node: tree_sitter.Node) -> tuple[int, int]:
    return node.start_point[0] + 1, node.end_point[0] + 1


def _statement(node: tree_sitter.Node) -> str | None:
    """``simple``, ``compound`` or None (an ``export`` is what it exports)."""
    if node.type == "export_statement":
        declaration = node.child_by_field_name("declaration")
        return "compound" if declaration is not None and declaration.type in _COMPOUND else "simple"
    if node.type in _COMPOUND:
        return "compound"
    return "simple" if node.type in _SIMPLE else None


def _on_line(node: tree_sitter.Node, line: int) -> list[tuple[int, int]]:
    """The innermost statements below ``node`` a mark on ``line`` leaves as written: a
    compound one whose header is on it, else the simple ones holding it (each of them, when
    the line has two)."""
    found: list[tuple[int, int]] = []
    for child in node.children:
        start, end = _line_of(child)
        if not start <= line <= end:
            continue
        kind = _statement(child)
        if kind == "compound" and start == line:
            found.append((child.start_byte, child.end_byte))
            continue
        inner = _on_line(child, line)
        if inner:
            found.extend(inner)
        elif kind == "simple":
            found.append((child.start_byte, child.end_byte))
    return found


def skipped_ranges(root: tree_sitter.Node, marks: Marks) -> list[tuple[int, int]]:
    """The byte ranges of the statements ``// cerebras-migrate: ignore`` leaves as written."""
    return sorted(
        {span for line, codes in marks.items() if codes is None for span in _on_line(root, line)}
    )


def within(ranges: list[tuple[int, int]], start: int, end: int | None = None) -> bool:
    """Whether bytes ``start``..``end`` lie in one of ``ranges``."""
    end = start if end is None else end
    return any(low <= start and end <= high for low, high in ranges)
