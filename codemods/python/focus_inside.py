"""Holes inside the functions and classes that ``focus`` keeps: statement by statement.

On real code top-level focus hides little: the class that makes the client also holds forty
methods that never touch it, and one relevant method keeps the whole class in view. Here the
statements inside each kept function and class (at any depth: method bodies, ``if``/``for``/
``try`` blocks) are decided one by one, and runs of statements that cannot matter become
holes of the same lines, like focus's top-level ones.

A statement is kept when

- *forward*: its text (a compound statement's header only) names something SDK-related as
  seen from where it stands: the SDKs, what their imports bind, the project's client names,
  a request's resource names (``chat``, ``embeddings``...), a module-level name or an
  attribute an SDK-related statement binds, or a local one an SDK-related statement of an
  enclosing function binds (``response = client.chat...`` makes ``response`` matter in
  that function only); or it holds a string a fixer reads on its own. What it binds then
  matters in turn, and so does the name of each function holding it (``self._client()``);
- *backward*: it binds a name that a kept statement of its scope (or of one inside it) uses,
  so that the resolver sees every binding of every name it is asked about;
- it holds a kept statement (its header is kept), or cannot be cut out cleanly (it shares a
  line with another statement, binds with ``:=``, deletes names, carries an ignore comment).

Functions that declare ``global`` or ``nonlocal`` are kept whole: their bindings reach other
scopes. tests/test_focus.py holds every result to the whole-module one.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from codemods.python.bindings import own_nodes, resolver_bindings, target_names

_WORD = re.compile(r"\w+")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFS = (*_FUNCTIONS, ast.ClassDef)
# Blocks of statements, in source order.
_BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody")
_STICKY = (ast.Delete, ast.Global, ast.Nonlocal)
# A ``global``/``nonlocal`` statement, or a line of a string that looks like one (then the
# function is only kept whole, which is always safe).
_DECLARES = re.compile(r"^[ \t]*(?:global|nonlocal)[ \t]+\w", re.MULTILINE)
# Below this many lines a hole costs libcst about what the statements it stands for do.
MIN_RUN_LINES = 3

# How far what a statement binds is followed (``_decide``): a name at level 0 is the SDK's
# (an import, a module-level name, an attribute holding a client); what a statement naming
# it binds is at 1 (``client = OpenAI()``), then 2 (``response = client.chat...``); names at
# level 2 still keep the statements that name them (``response.parse()``), but what those
# bind is not followed.
_LAST_LEVEL = 2


@dataclass(eq=False)
class _Scope:
    parent: _Scope | None
    # A class body: its names are reached as attributes (``self.client``) from its
    # methods, whose scopes do not see it; what matters here matters at module level.
    is_class: bool = False
    levels: dict[str, int] = field(default_factory=dict)  # forward: what matters here
    used: set[str] = field(default_factory=set)  # backward: what kept statements here use

    def chain(self) -> Iterator[_Scope]:
        scope: _Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent


@dataclass(eq=False)
class Leaf:
    """A statement inside a kept function or class (or a parameter, or a top-level statement
    focus always keeps): the unit kept or hidden."""

    node: ast.AST
    first: int  # 1-based lines of the whole statement, inclusive
    last: int
    words: set[str]  # of its own text: a compound statement's header only
    scope: _Scope  # where what it binds is bound
    parent: Leaf | None
    binds: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()  # ``self.client = ...``: ``client``
    hideable: bool = True
    trigger: bool = False
    inner: _Scope | None = None  # a function's own scope
    name: str | None = None  # a def's or class's
    blocks: list[list[Leaf]] = field(default_factory=list)
    kept: bool = False
    # The lowest level it was reached at (``_decide``); above ``_LAST_LEVEL``: never.
    reached: int = _LAST_LEVEL + 1
    segment: str = ""

    @cached_property
    def bindings(self) -> frozenset[str]:
        """What ``Focus.hides`` asks of a hidden statement: every name it binds anywhere."""
        return frozenset(resolver_bindings(self.node))


@dataclass
class Inside:
    """What was decided: the runs of hidden statements, each as its first and last line,
    its indentation and its statements."""

    runs: list[tuple[int, int, str, list[Leaf]]]


def plan(
    text: str,
    starts: list[int],
    top: Iterable[tuple[ast.stmt, int, int, bool]],
    names: set[str],
    seeds: frozenset[str],
    triggers: list[int],
) -> Inside:
    """The holes inside ``top``'s kept functions and classes. ``top``: each top-level
    statement focus keeps, with its first and last line and whether it is a def or class
    whose inside may be cut; ``names``: what matters at module level to begin with;
    ``seeds``: the functions and classes the project passes clients to (every parameter of
    theirs matters); ``triggers``: the lines, in order, that hold a string a fixer reads on
    its own, a request's shape or an ignore comment."""
    builder = _Builder(text, starts, triggers)
    module = _Scope(None)
    leaves: list[Leaf] = []
    for node, first, last, inside in top:
        leaves.extend(builder.top(node, first, last, inside, module, _seeded(node, seeds)))
    _decide(leaves, module, names)
    runs: list[tuple[int, int, str, list[Leaf]]] = []
    for leaf in leaves:
        if leaf.kept and leaf.parent is None:
            _collect(leaf, runs, text, starts)
    return Inside(runs)


def _seeded(node: ast.stmt, seeds: frozenset[str]) -> bool:
    return isinstance(node, _DEFS) and node.name in seeds


class _Builder:
    def __init__(self, text: str, starts: list[int], triggers: list[int]) -> None:
        self.text = text
        self.starts = starts
        self.triggers = triggers

    def segment(self, first: int, last: int) -> str:
        starts = self.starts
        end = starts[last] if last < len(starts) else len(self.text)
        return self.text[starts[first - 1] : end]

    def leaf(self, node: ast.AST, first: int, last: int, header_last: int, **kw: object) -> Leaf:
        segment = self.segment(first, header_last)
        leaf = Leaf(node, first, last, set(_WORD.findall(segment)), segment=segment, **kw)  # type: ignore[arg-type]
        at = bisect_left(self.triggers, first)
        leaf.trigger = at < len(self.triggers) and self.triggers[at] <= header_last
        return leaf

    def top(
        self, node: ast.stmt, first: int, last: int, inside: bool, module: _Scope, seeded: bool
    ) -> list[Leaf]:
        """The leaves of one top-level statement focus keeps: itself (never hidden here) and,
        for a function or class, what is inside it."""
        whole = not inside or not isinstance(node, _DEFS)
        if not whole and isinstance(node, _FUNCTIONS):
            whole = _DECLARES.search(self.segment(first, last)) is not None
        if whole:
            leaf = self.leaf(node, first, last, last, scope=module, parent=None)
            leaf.hideable = False
            leaf.binds = frozenset(_binds_of(node))
            leaf.kept = True
            return [leaf]
        assert isinstance(node, _DEFS)
        out: list[Leaf] = []
        self.definition(node, first, last, module, None, out, seeded)
        out[0].hideable = False
        out[0].kept = True
        return out

    def definition(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
        first: int,
        last: int,
        scope: _Scope,
        parent: Leaf | None,
        out: list[Leaf],
        seeded: bool,
    ) -> Leaf:
        body_first = node.body[0].lineno
        header_last = max(first, body_first - 1) if body_first > node.lineno else node.lineno
        if body_first <= node.lineno:  # ``def f(): return x``: one leaf, never entered
            return self.whole(node, first, last, scope, parent, out)
        if isinstance(node, _FUNCTIONS) and _DECLARES.search(self.segment(first, last)):
            # Its ``global``/``nonlocal`` names bind in other scopes: always seen, whole.
            leaf = self.whole(node, first, last, scope, parent, out)
            leaf.hideable = False
            return leaf
        leaf = self.leaf(node, first, last, header_last, scope=scope, parent=parent)
        leaf.name = node.name
        leaf.binds = frozenset({node.name})
        out.append(leaf)
        if isinstance(node, ast.ClassDef):
            inner = _Scope(scope, is_class=True)
        else:
            inner = leaf.inner = _Scope(scope.parent if scope.is_class else scope)
            for argument in _arguments(node.args):
                words: set[str] = set()
                for part in (argument.annotation, *_default_of(node.args, argument)):
                    if part is not None:
                        words.update(_expression_words(part))
                param = Leaf(argument, first, first, words, inner, leaf, hideable=False)
                param.binds = frozenset({argument.arg})
                param.trigger = seeded
                out.append(param)
        leaf.blocks = [self.block(node.body, inner, leaf, out, seeded)]
        return leaf

    def block(
        self, body: list[ast.stmt], scope: _Scope, parent: Leaf, out: list[Leaf], seeded: bool
    ) -> list[Leaf]:
        leaves: list[Leaf] = []
        for index, node in enumerate(body):
            first = node.lineno
            if isinstance(node, _DEFS) and node.decorator_list:
                first = min(first, *(d.lineno for d in node.decorator_list))
            last = node.end_lineno or node.lineno
            own_line = self._own_lines(node, first, last, body, index)
            if isinstance(node, _DEFS):
                leaf = self.definition(node, first, last, scope, parent, out, seeded)
                leaf.hideable = leaf.hideable and own_line
            else:
                leaf = self.statement(node, first, last, scope, parent, out, seeded)
                leaf.hideable = leaf.hideable and own_line
            leaves.append(leaf)
        return leaves

    def _own_lines(
        self, node: ast.stmt, first: int, last: int, body: list[ast.stmt], i: int
    ) -> bool:
        """Whether the statement's lines hold nothing else (no ``a; b``, no body on its
        header's line): a hole spans whole lines."""
        start = self.starts[first - 1]
        column = node.col_offset if first == node.lineno else None
        if column is None:
            decorator = min(node.decorator_list, key=lambda d: d.lineno)  # type: ignore[attr-defined]
            column = decorator.col_offset - 1  # the ``@``
        if self.text[start : start + column].strip():
            return False
        if i + 1 < len(body) and body[i + 1].lineno <= last:
            return False
        return not (i > 0 and (body[i - 1].end_lineno or 0) >= first)

    def whole(
        self, node: ast.stmt, first: int, last: int, scope: _Scope, parent: Leaf, out: list[Leaf]
    ) -> Leaf:
        """A statement decided as one: a simple one, or a compound one not entered."""
        leaf = self.leaf(node, first, last, last, scope=scope, parent=parent)
        leaf.binds = frozenset(_binds_of(node))
        simple = isinstance(node, _SIMPLE)
        leaf.attributes = frozenset(_attribute_targets(node) if simple else _every_attribute(node))
        leaf.hideable = not isinstance(node, _STICKY) and ":=" not in leaf.segment
        out.append(leaf)
        return leaf

    def statement(
        self,
        node: ast.stmt,
        first: int,
        last: int,
        scope: _Scope,
        parent: Leaf,
        out: list[Leaf],
        seeded: bool,
    ) -> Leaf:
        blocks = [
            (name, getattr(node, name))
            for name in _BLOCK_FIELDS
            if isinstance(getattr(node, name, None), list) and getattr(node, name)
        ]
        if not blocks or isinstance(node, ast.Match) or blocks[0][1][0].lineno <= node.lineno:
            return self.whole(node, first, last, scope, parent, out)
        children = [child for _, block in blocks for child in block]
        header_last = max(first, children[0].lineno - 1)
        leaf = self.leaf(node, first, last, header_last, scope=scope, parent=parent)
        leaf.binds = frozenset(_targets(node))
        leaf.attributes = frozenset(_attribute_targets(node))
        leaf.hideable = ":=" not in leaf.segment
        out.append(leaf)
        for name, block in blocks:
            if name == "handlers":
                for handler in block:
                    leaf.blocks.append([self.handler(handler, scope, leaf, out, seeded)])
            elif name == "orelse" and _is_elif(self.text, self.starts, block):
                elif_node = block[0]
                inner = self.statement(
                    elif_node,
                    elif_node.lineno,
                    elif_node.end_lineno or elif_node.lineno,
                    scope,
                    leaf,
                    out,
                    seeded,
                )
                inner.hideable = False
                leaf.blocks.append([inner])
            else:
                leaf.blocks.append(self.block(block, scope, leaf, out, seeded))
        return leaf

    def handler(
        self, node: ast.ExceptHandler, scope: _Scope, parent: Leaf, out: list[Leaf], seeded: bool
    ) -> Leaf:
        first, last = node.lineno, node.end_lineno or node.lineno
        header_last = max(first, node.body[0].lineno - 1)
        leaf = self.leaf(node, first, last, header_last, scope=scope, parent=parent)
        leaf.binds = frozenset({node.name} if node.name else ())
        leaf.hideable = False  # an ``except`` clause is not a statement
        out.append(leaf)
        if node.body[0].lineno > node.lineno:
            leaf.blocks = [self.block(node.body, scope, leaf, out, seeded)]
        else:  # ``except E: pass``: its words are the clause's
            leaf.words = set(_WORD.findall(self.segment(first, last)))
        return leaf


def _is_elif(text: str, starts: list[int], orelse: list[ast.stmt]) -> bool:
    node = orelse[0]
    if len(orelse) != 1 or not isinstance(node, ast.If):
        return False
    at = starts[node.lineno - 1] + node.col_offset
    return text.startswith("elif", at)


def _arguments(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [star for star in (args.vararg, args.kwarg) if star is not None]
    return found


def _default_of(args: ast.arguments, argument: ast.arg) -> list[ast.expr | None]:
    positional = [*args.posonlyargs, *args.args]
    if argument in positional:
        offset = len(positional) - len(args.defaults)
        index = positional.index(argument) - offset
        return [args.defaults[index]] if index >= 0 else []
    if argument in args.kwonlyargs:
        return [args.kw_defaults[args.kwonlyargs.index(argument)]]
    return []


def _expression_words(node: ast.expr) -> set[str]:
    """The words of an annotation or a default: names, attributes, and those of strings
    (``"OpenAI"`` as an annotation)."""
    if isinstance(node, ast.Name):
        return {node.id}
    words: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            words.add(part.id)
        elif isinstance(part, ast.Attribute):
            words.add(part.attr)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            words.update(_WORD.findall(part.value))
    return words


# Statements whose targets are all they bind in their scope (``:=`` aside: such statements
# are never hidden); any other is walked (``_whole_binds``).
_SIMPLE = (
    ast.Import,
    ast.ImportFrom,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Expr,
    ast.Return,
)


def _binds_of(node: ast.AST) -> set[str]:
    """What a statement taken whole binds in its own scope."""
    return _targets(node) if isinstance(node, _SIMPLE) else _whole_binds(node)


def _whole_binds(node: ast.AST) -> set[str]:
    """The names a statement taken whole binds in its own scope."""
    if isinstance(node, _DEFS):
        return {node.name}
    found: set[str] = set()
    for part in own_nodes(node):
        if isinstance(part, ast.Name) and not isinstance(part.ctx, ast.Load):
            found.add(part.id)
        elif isinstance(part, _DEFS):
            found.add(part.name)
        elif isinstance(part, (ast.Import, ast.ImportFrom)):
            found.update(_targets(part))
        elif isinstance(part, ast.ExceptHandler) and part.name:
            found.add(part.name)
    return found


def _every_attribute(node: ast.AST) -> set[str]:
    found: set[str] = set()
    if isinstance(node, _DEFS):
        return found
    for part in own_nodes(node):
        if isinstance(part, ast.Attribute) and not isinstance(part.ctx, ast.Load):
            found.add(part.attr)
    return found


def _target_nodes(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _targets(node: ast.AST) -> set[str]:
    """The names a statement binds in its own scope."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {
            alias.asname or alias.name.split(".")[0] for alias in node.names if alias.name != "*"
        }
    if isinstance(node, _DEFS):
        return {node.name}
    found: set[str] = set()
    for target in _target_nodes(node):
        found.update(target_names(target))
    return found


def _attribute_targets(node: ast.AST) -> set[str]:
    found: set[str] = set()
    stack = _target_nodes(node)
    while stack:
        target = stack.pop()
        if isinstance(target, ast.Attribute):
            found.add(target.attr)
        elif isinstance(target, (ast.Tuple, ast.List)):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            stack.append(target.value)
    return found


def _decide(leaves: list[Leaf], module: _Scope, names: set[str]) -> None:
    """Mark what is kept, forward and backward, to a fixed point (one work list)."""
    by_bind: dict[str, list[Leaf]] = {}
    # Only a name something binds (or ``names``) can ever matter: the words indexed.
    bindable = set(names)
    for leaf in leaves:
        bindable |= leaf.binds
        bindable |= leaf.attributes
        if leaf.name is not None:
            bindable.add(leaf.name)
        for name in leaf.binds:
            by_bind.setdefault(name, []).append(leaf)
    by_word: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        for word in leaf.words & bindable:
            by_word.setdefault(word, []).append(leaf)
    # (kind, leaf or scope, name or None, level)
    work: list[tuple[int, object, object, int]] = []
    FORWARD, NAME, KEEP = 0, 1, 2

    def sees(leaf: Leaf, scope: _Scope) -> bool:
        return any(s is scope for s in leaf.scope.chain())

    for name in names:
        work.append((NAME, module, name, 0))
    for leaf in leaves:
        if leaf.trigger:
            # A string a fixer reads: the statements naming what holds it are read too
            # (the model map reads every use of a constant), no further.
            work.append((FORWARD, leaf, None, _LAST_LEVEL - 1))
        if leaf.kept:
            leaf.kept = False  # kept from the start: kept below, with its words used
            work.append((KEEP, leaf, None, 0))
    while work:
        kind, subject, extra, level = work.pop()
        if kind == NAME:
            scope, name = subject, extra
            assert isinstance(scope, _Scope) and isinstance(name, str)
            if scope.is_class:
                scope = module
            if scope.levels.get(name, _LAST_LEVEL + 1) <= level:
                continue
            scope.levels[name] = level
            for leaf in by_word.get(name, ()):
                if leaf.reached > level and sees(leaf, scope):
                    work.append((FORWARD, leaf, None, level))
        elif kind == FORWARD:
            leaf = subject  # type: ignore[assignment]
            assert isinstance(leaf, Leaf)
            if leaf.reached <= level:
                continue
            leaf.reached = level
            work.append((KEEP, leaf, None, 0))
            # An import or a parameter names the same thing; an assignment, the next level.
            bound = (
                level if isinstance(leaf.node, (ast.Import, ast.ImportFrom, ast.arg)) else level + 1
            )
            if bound <= _LAST_LEVEL:
                for name in leaf.binds:
                    work.append((NAME, leaf.scope, name, bound))
            if level < _LAST_LEVEL:
                # ``self.client = client``: the attribute holds what the value is.
                for attribute in leaf.attributes:
                    work.append((NAME, module, attribute, level))
                if isinstance(leaf.node, ast.Return) or _yields(leaf.node):
                    # A function returning it is a factory: its name matters as it does.
                    holder = leaf.parent
                    while holder is not None and holder.inner is None:
                        holder = holder.parent
                    if holder is not None and holder.name is not None:
                        work.append((NAME, holder.scope, holder.name, level))
        else:
            leaf = subject  # type: ignore[assignment]
            assert isinstance(leaf, Leaf)
            while leaf is not None and not leaf.kept:
                leaf.kept = True
                for block in leaf.blocks:
                    for child in block:
                        if not child.hideable and not child.kept:
                            work.append((KEEP, child, None, 0))
                for scope in leaf.scope.chain():
                    fresh = leaf.words - scope.used
                    if not fresh:
                        continue
                    scope.used |= fresh
                    for word in fresh:
                        for binder in by_bind.get(word, ()):
                            if not binder.kept and binder.scope is scope:
                                work.append((KEEP, binder, None, 0))
                leaf = leaf.parent  # type: ignore[assignment]


def _yields(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, (ast.Yield, ast.YieldFrom))


def _collect(
    leaf: Leaf, runs: list[tuple[int, int, str, list[Leaf]]], text: str, starts: list[int]
) -> None:
    """The runs of hidden statements in ``leaf``'s blocks (it is kept), depth first."""
    for block in leaf.blocks:
        run: list[Leaf] = []
        for child in [*block, None]:
            if child is not None and not child.kept and child.hideable:
                run.append(child)
                continue
            if run:
                first, last = run[0].first, run[-1].last
                if last - first + 1 >= MIN_RUN_LINES:
                    start = starts[first - 1]
                    line = text[start : starts[first] if first < len(starts) else len(text)]
                    runs.append((first, last, line[: len(line) - len(line.lstrip())], run))
                run = []
            if child is not None and child.kept:
                _collect(child, runs, text, starts)
