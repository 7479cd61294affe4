"""Parse with libcst only the top-level statements that can matter to the fixers.

libcst's parse, walks and code generation cost about ten times CPython's parser, and in a
real module most top-level functions and classes never touch the SDK: validation helpers,
dataclasses, I/O. ``focus`` reads the module with ``ast`` and replaces every top-level
``def``/``class`` that cannot matter by a *hole*, a placeholder function spanning the same
lines, so libcst sees a much smaller module whose positions are those of the file.
``Focus.restore`` puts the original text back in place of each hole.

A function or class matters (is kept) when its text (strings and comments included) names
something SDK-related, transitively: the ``openai``/``cerebras`` modules, a name an import of
them binds, or a module-level name or attribute that an SDK-related statement binds; when it
binds, at module level, a name that kept code uses; or when it holds a string a fixer reads
on its own (a model id the map rewrites, a rate-limit header name: ``reads_alone``, which
the pipeline gathers from the fixers' declarations). Every other top-level
statement (imports, assignments, ``if``/``try`` blocks) is always kept: they are short, and
where imports go depends on them. The fixers see the names the holes bind through
``Focus.hides`` so that a name they create collides with nothing in the file.

tests/test_focus.py holds the result to that of a whole-module parse, byte for byte and
diagnostic for diagnostic, over every fixture, program and benchmark module.
"""

from __future__ import annotations

import ast
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from codemods.facts import sdk
from codemods.python import focus_inside, statements
from codemods.python.bindings import every_binding, resolver_bindings
from codemods.python.syntax import Rejected

_HOLE = "__cerebras_migrate_hole_"
_WORD = re.compile(r"\w+")
# A quoted string on one line, without escapes: how model ids and header names are written.
_QUOTED = re.compile(r"""(["'])([^"'\\\n]{1,200})\1""")
# ``.name =``, ``.name: T =``, ``.name +=`` and the like: an attribute assigned. It errs
# towards more names (``{a.b: 1}; c = 2``), which only keeps more statements.
_ATTRIBUTE_TARGET = re.compile(r"\.\s*(\w+)\s*(?::[^=\n]*)?(?:<<|>>|\*\*|//|[-+*/%@&|^])?=(?!=)")
# A top-level def or class: without one there is nothing to hide.
_TOP_LEVEL_DEF = re.compile(r"^(?:@|def[ \t]|class[ \t]|async[ \t]+def[ \t])", re.MULTILINE)
_ROOTS = frozenset(sdk.SDK_ROOTS)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Below this many lines in holes the bookkeeping costs about what it saves.
_MIN_HIDDEN_LINES = 20


@dataclass
class _Chunk:
    first: int  # 1-based lines, inclusive
    last: int
    segment: str
    hideable: bool
    is_def: bool
    compound: bool  # a statement with a body: only these can hold an indented block
    sdk_imports: frozenset[str]  # the names an import of either SDK binds
    other_imports: frozenset[str]  # those an import of a module outside the stdlib binds
    # The statement's tree, or None once dropped (a big module's, codemods/python/
    # statements.py): then it is parsed again from ``segment`` if ever asked for, at
    # (line within the segment, column).
    kept: ast.stmt | None
    at: tuple[int, int]
    relevant: bool = False
    _words: set[str] | None = None

    @classmethod
    def of(
        cls, node: ast.stmt, first: int, last: int, segment: str, keep: bool, node_first: int
    ) -> _Chunk:
        """``node_first``: the first line of ``node`` (decorators included) as its line
        numbers count, which may differ from the text's ``first``."""
        imports: set[str] = set()
        others: set[str] = set()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports = _sdk_import_names(node)
            others = _import_names(node) - imports
        compound = hasattr(node, "body") or hasattr(node, "cases")  # match
        is_def = isinstance(node, _DEFS)
        hideable = is_def and ":=" not in segment
        chunk = cls(
            first,
            last,
            segment,
            hideable,
            is_def,
            compound,
            frozenset(imports),
            frozenset(others),
            node,
            (node.lineno - node_first + 1, node.col_offset),
        )
        if not keep:
            if is_def:
                chunk.defines  # noqa: B018 - read while the tree is at hand
            chunk.kept = None
        return chunk

    @property
    def node(self) -> ast.stmt:
        if self.kept is not None:
            return self.kept
        line, column = self.at
        for node in ast.parse(self.segment).body:
            if node.lineno == line and node.col_offset == column:
                return node
        raise AssertionError("a statement's own text holds it")  # pragma: no cover

    @property
    def hidden(self) -> bool:
        return self.hideable and not self.relevant

    @property
    def words(self) -> set[str]:
        # Kept only with the tree: a big module's hundreds of thousands of sets would cost
        # more than the tree focus drops (it is read again instead, a few times at most).
        if self.kept is None:
            return set(_WORD.findall(self.segment))
        if self._words is None:
            self._words = set(_WORD.findall(self.segment))
        return self._words

    @cached_property
    def defines(self) -> set[str]:
        """The module-level names a hideable def or class binds: its own, and any it
        declares ``global``."""
        node = self.node
        assert isinstance(node, _DEFS)
        names = {node.name}
        if "global" in self.segment:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Global):
                    names.update(inner.names)
        return names

    @cached_property
    def bindings(self) -> frozenset[str]:
        """Every name it binds, as codemods.python.resolve counts bindings (for ``Focus.hides``)."""
        return frozenset(resolver_bindings(self.node))

    def binds(self) -> set[str]:
        """What other statements could reach of what this one binds (asked once it is
        relevant): module-level names, and attribute names (``self.client = ...``)."""
        if not self.is_def:
            return every_binding(self.node)
        # Read off the text: walking the function's tree costs more than all the rest here.
        return self.defines | set(_ATTRIBUTE_TARGET.findall(self.segment))


@dataclass
class Focus:
    """A module text with holes, and what is needed to put the original text back."""

    text: str
    holes: dict[str, str]  # placeholder -> the original text it stands for
    _hidden: list[_Chunk] = field(default_factory=list)

    def hides(self, name: str) -> bool:
        """Whether a hidden statement binds ``name``, as codemods.python.resolve counts bindings.
        Only statements whose text holds the word are walked, once each."""
        return any(name in c.words and name in c.bindings for c in self._hidden)

    def restore(self, code: str) -> str | None:
        """``code`` with each hole's text back in place; None when a hole is not there
        exactly once (a fixer moved or dropped one: the caller parses the whole file)."""
        seen: dict[str, int] = {}

        def put_back(match: re.Match[str]) -> str:
            # With the indentation before it: a hole moved to another depth is not put back.
            placeholder = match.group(0)
            seen[placeholder] = seen.get(placeholder, 0) + 1
            if match.start() and code[match.start() - 1] != "\n":
                seen[placeholder] += 1  # moved off the start of a line: not put back
            return self.holes.get(placeholder, placeholder)

        restored = _PLACEHOLDER.sub(put_back, code)
        if seen.keys() != self.holes.keys() or any(count != 1 for count in seen.values()):
            return None
        return restored


_PLACEHOLDER = re.compile(
    r"[ \t\f]*def " + _HOLE + r'\d+__\(\):(?: |\r?\n[ \t\f]*)"""(?:\r?\n)*"""'
)
_IGNORE = re.compile("cerebras-migrate")
# A request's shape (``x.chat.completions.create``, ``x.embeddings.create``): what the
# resolver reports when it cannot tell the client (CM119), whatever the names around it.
_REQUEST = re.compile(
    r"\.\s*(?:"
    + "|".join(
        sorted({path[0] for path in sdk.REQUEST_METHODS} | sdk.UNSERVED_RESOURCES | {"models"})
    )
    + r")\s*\."
)


def may_focus(text: str) -> bool:
    """False when ``focus`` cannot leave anything out of ``text``, read off the text alone
    (before paying for ``ast.parse``)."""
    # CR-only line ends would be lines CPython counts and the line starts here do not.
    return (
        _HOLE not in text
        and text.count("\r") == text.count("\r\n")
        and _TOP_LEVEL_DEF.search(text) is not None
    )


def focus(
    text: str,
    tree: ast.Module,
    reads_alone: Callable[[str], bool],
    seeds: frozenset[str] = frozenset(),
) -> Focus | None:
    """``text`` with the top-level functions and classes that cannot matter as holes, or
    None when there is nothing (worth) hiding. ``tree`` is ``ast.parse(text)``; ``seeds``
    are names that matter as an SDK import's do (clients imported from the project)."""
    if not may_focus(text):
        return None
    starts = _line_starts(text)
    return _focus(text, list(_chunks(tree.body, text, starts)), starts, reads_alone, seeds)


def focus_big(
    text: str,
    reads_alone: Callable[[str], bool],
    seeds: frozenset[str] = frozenset(),
    imported: bool = False,
) -> Focus | Rejected | None:
    """``focus`` for a text ``statements.is_big`` holds too big to parse whole: parsed a
    group of statements at a time, each group's tree dropped once its statements are read,
    so that memory is the text's and one group's. Why the text does not parse, when it
    does not (the syntax check of the whole text). ``imported``: every name imported from
    outside the standard library matters too (for the project index, which does not yet
    know which of them are clients)."""
    starts = _line_starts(text)
    chunks: list[_Chunk] = []
    for group in statements.groups(text):
        if isinstance(group, Rejected):
            return group
        chunks.extend(_chunks(group.tree.body, text, starts, False, group.line - 1))
    if not may_focus(text):
        return None
    if imported:
        seeds = seeds.union(*(chunk.other_imports for chunk in chunks))
    return _focus(text, chunks, starts, reads_alone, seeds)


def _focus(
    text: str,
    chunks: list[_Chunk],
    starts: list[int],
    reads_alone: Callable[[str], bool],
    seeds: frozenset[str],
) -> Focus | None:
    if sum(c.last - c.first + 1 for c in chunks if c.hideable) < _MIN_HIDDEN_LINES:
        return None
    quoted = _quoted_lines(text, starts, reads_alone)
    names = _mark_relevant(chunks, quoted, seeds)
    hidden: list[_Chunk | focus_inside.Leaf] = [c for c in chunks if c.hidden]
    # (first line, last line, indentation) of each hole, in the order of the text.
    spans: list[tuple[int, int, str]] = []
    previous_hidden = False
    for chunk in chunks:
        # Neighbouring hidden statements make one hole, with the blank lines and comments
        # between them: each hole costs libcst a statement to parse, walk and print.
        if chunk.hidden and previous_hidden:
            spans[-1] = (spans[-1][0], chunk.last, "")
        elif chunk.hidden:
            spans.append((chunk.first, chunk.last, ""))
        previous_hidden = chunk.hidden
    kept = [c for c in chunks if not c.hidden]
    if any(c.is_def and c.kept is not None for c in kept):
        inside = focus_inside.plan(
            text,
            starts,
            [(c.node, c.first, c.last, c.is_def and c.kept is not None) for c in kept],
            names,
            seeds,
            _trigger_lines(text, starts, quoted),
        )
        for first, last, indent, leaves in inside.runs:
            spans.append((first, last, indent))
            hidden.extend(leaves)
        spans.sort()
    if sum(last - first + 1 for first, last, _ in spans) < _MIN_HIDDEN_LINES:
        return None
    parts: list[str] = []
    holes: dict[str, str] = {}
    position = 0
    indent = _first_indent(chunks)
    first_end = text.find("\n")
    newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"
    for index, (first, last, margin) in enumerate(spans):
        begin = starts[first - 1]
        end = starts[last] - 1 if last < len(starts) else len(text)
        if last < len(starts) and text[end - 1] == "\r":
            end -= 1  # the CRLF that ends the hole stays outside it
        original = text[begin:end]
        # A function, as what it hides is functions and classes (the fixers lay out what
        # they add by what follows), whose body is one string token however many lines:
        # newlines between brackets would each be a node to build, walk and print. Its
        # newlines are the file's, which libcst takes for the lines a rewrite adds. Inside
        # a function or class it starts with the indentation of the statements it replaces.
        placeholder = f'{margin}def {_HOLE}{index}__(): """' + newline * (last - first) + '"""'
        if not margin and indent is not None and first <= indent[0] <= last:
            if not indent[1]:
                return None
            # This hole holds the file's first indented block, whose indentation libcst
            # gives the lines a rewrite adds: the body goes on the next line, as indented.
            placeholder = (
                f'def {_HOLE}{index}__():{newline}{indent[1]}"""'
                + newline * (last - first - 1)
                + '"""'
            )
        parts.append(text[position:begin])
        parts.append(placeholder)
        holes[placeholder] = original
        position = end
    parts.append(text[position:])
    return Focus("".join(parts), holes, hidden)


def _first_indent(chunks: list[_Chunk]) -> tuple[int, str] | None:
    """The line and whitespace of the file's first indented block, from which libcst takes
    the indentation of every line a rewrite adds (``Module.default_indent``); None when
    there is none. Only multi-line compound statements can hold one: they are tokenized in
    turn until one does, usually the first."""
    import io
    import tokenize

    for chunk in chunks:
        if chunk.first == chunk.last or not chunk.compound:
            continue
        try:
            for token in tokenize.generate_tokens(io.StringIO(chunk.segment).readline):
                if token.type == tokenize.INDENT:
                    return chunk.first + token.start[0] - 1, token.string
        except (tokenize.TokenError, SyntaxError):
            return chunk.first, ""  # unknown: keep this statement in view
    return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index != -1:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return starts


def _chunks(
    body: Iterable[ast.stmt], text: str, starts: list[int], keep: bool = True, after: int = 0
) -> Iterator[_Chunk]:
    """The chunks of top-level statements ``body``, whose line numbers are ``after`` lines
    short of the text's (a group's, codemods/python/statements.py)."""
    for node in body:
        first = node.lineno
        if isinstance(node, _DEFS) and node.decorator_list:
            first = min(first, *(d.lineno for d in node.decorator_list))
        first += after
        last = (node.end_lineno or node.lineno) + after
        end = starts[last] if last < len(starts) else len(text)
        yield _Chunk.of(node, first, last, text[starts[first - 1] : end], keep, first - after)


def _mark_relevant(chunks: list[_Chunk], quoted: list[int], seeds: frozenset[str]) -> set[str]:
    """Mark the top-level statements that matter (``quoted``: the lines, in order, holding a
    string a fixer reads on its own); the names that matter to begin with (the SDKs', what
    their imports bind, ``seeds``), for focus_inside."""
    names = set(_ROOTS) | seeds
    for chunk in chunks:
        names.update(chunk.sdk_imports)
    start = set(names)
    used: set[str] = set()

    def relevant(chunk: _Chunk) -> None:
        chunk.relevant = True
        names.update(chunk.binds())
        used.update(chunk.words)

    # A string a fixer reads on its own makes a statement relevant whatever else it holds.
    pending = []
    for chunk in chunks:
        at = bisect_left(quoted, chunk.first)
        if at < len(quoted) and quoted[at] <= chunk.last:
            relevant(chunk)
        else:
            pending.append(chunk)
    progress = True
    while progress:
        progress = False
        still = []
        for chunk in pending:
            if not chunk.words.isdisjoint(names) or (
                chunk.hideable and not chunk.defines.isdisjoint(used)
            ):
                relevant(chunk)
                progress = True
            else:
                still.append(chunk)
        pending = still
    return start


def _quoted_lines(text: str, starts: list[int], reads_alone: Callable[[str], bool]) -> list[int]:
    """The lines, in order, holding a string a fixer reads on its own: one pass over the
    text, for both levels of focus."""
    lines = {
        bisect_right(starts, match.start())
        for match in _QUOTED.finditer(text)
        if reads_alone(match.group(2))
    }
    return sorted(lines)


def _trigger_lines(text: str, starts: list[int], quoted: list[int]) -> list[int]:
    """The lines, in order, that focus_inside keeps whatever names they hold: ``quoted``,
    those shaped like a request (not an import path) and those with an ignore comment."""
    found = set(quoted)
    for match in _REQUEST.finditer(text):
        line = bisect_right(starts, match.start())
        end = starts[line] if line < len(starts) else len(text)
        if not text[starts[line - 1] : end].lstrip(" \t\f").startswith(("from ", "import ")):
            found.add(line)
    found.update(bisect_right(starts, match.start()) for match in _IGNORE.finditer(text))
    return sorted(found)


def _import_names(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The names an import of a module outside the standard library binds (relative ones
    included): what may be a client of the project's."""
    if isinstance(node, ast.Import):
        return {
            alias.asname or alias.name.split(".")[0]
            for alias in node.names
            if alias.name.split(".")[0] not in sys.stdlib_module_names
        }
    if node.level == 0 and (node.module or "").split(".")[0] in sys.stdlib_module_names:
        return set()
    return {alias.asname or alias.name for alias in node.names if alias.name != "*"}


def _sdk_import_names(node: ast.Import | ast.ImportFrom) -> set[str]:
    found = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] in _ROOTS:
                found.add(alias.asname or alias.name.split(".")[0])
    elif node.module and node.module.split(".")[0] in _ROOTS:
        found.update(alias.asname or alias.name for alias in node.names)
    return found
