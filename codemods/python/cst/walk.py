"""Faster stand-ins for libcst's tree walks, with the same order and the same results.

libcst rebuilds every node of a tree on every ``visit`` — a read-only ``CSTVisitor`` too — and
validates each copy, so a walk costs about as much as parsing, and its position metadata
costs twice that again. The fixers need neither: they read the tree and change a few nodes.

- ``walk`` calls a visitor's ``visit_<Node>``/``leave_<Node>`` methods in libcst's order
  without copying anything.
- ``transform`` drives a transformer's ``on_visit``/``on_leave``; a node is rebuilt (by
  libcst's own code, so removals and flattening behave as in libcst) only when one of its
  children changed. Unchanged subtrees are passed on as they are: ``updated_node`` is then
  ``original_node`` itself rather than an equal copy.
- ``start_positions`` gives what ``PositionProvider`` gives as ``.start`` for a few nodes,
  from one code generation pass that stops as soon as they are all found.
- ``code`` is ``module.code`` without libcst's per-node context-manager overhead.

The child order comes from libcst itself: each node class's ``_visit_and_replace_children``
is run once with a visitor that records the fields it visits.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition

_FIELDS: dict[type, tuple[str, ...]] = {}


class _FieldRecorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        pass


def _fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The fields of ``node``'s class that may hold children, in libcst's visiting order."""
    cls = type(node)
    fields = _FIELDS.get(cls)
    if fields is None:
        recorder = _FieldRecorder()
        node._visit_and_replace_children(recorder)
        names = list(dict.fromkeys(recorder.fields))
        # A field libcst skips when it is None (an f-string's ``format_spec``) comes last.
        names += [f.name for f in dataclasses.fields(cls) if f.name not in names]
        fields = _FIELDS[cls] = tuple(names)
    return fields


# What a field value is, by its exact type: 1 a node, 2 a sequence (of nodes, maybe), 0 neither.
# ``isinstance(value, cst.CSTNode)`` goes through ``ABCMeta.__instancecheck__``: too slow for
# millions of calls.
_KINDS: dict[type, int] = {tuple: 2, list: 2, str: 0, type(None): 0, bool: 0, int: 0}


def _kind(cls: type) -> int:
    kind = _KINDS[cls] = 1 if issubclass(cls, cst.CSTNode) else 0
    return kind


def walk(root: cst.CSTNode, visitor: object) -> None:
    """``root.visit(visitor)`` for a read-only visitor: ``visit_<Node>`` (returning False
    skips the children) and ``leave_<Node>`` are called in libcst's order."""
    hooks: dict[type, tuple[Any, Any, tuple[str, ...]]] = {}
    kinds = _KINDS

    def go(node: cst.CSTNode) -> None:
        entry = hooks.get(type(node))
        if entry is None:
            name = type(node).__name__
            entry = hooks[type(node)] = (
                getattr(visitor, "visit_" + name, None),
                getattr(visitor, "leave_" + name, None),
                _fields(node),
            )
        visit, leave, fields = entry
        if visit is None or visit(node) is not False:
            for field in fields:
                value = getattr(node, field)
                kind = kinds.get(type(value))
                if kind is None:
                    kind = _kind(type(value))
                if kind == 1:
                    go(value)
                elif kind == 2:
                    for item in value:
                        if kinds.get(type(item)) or _kind(type(item)):
                            go(item)
        if leave is not None:
            leave(node)

    go(root)


class _Replay(cst.CSTTransformer):
    """Rebuilds one node from its children's new values, by libcst's own code."""

    def __init__(self, results: dict[int, Any]) -> None:
        super().__init__()
        self.results = results

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        return self.results.get(id(original_node), original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


_RESULT_TYPES = (cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel)


def transform(
    root: cst.Module,
    on_visit: Callable[[cst.CSTNode], bool],
    on_leave: Callable[[cst.CSTNode, cst.CSTNode], Any],
) -> cst.Module:
    """``root.visit(transformer)`` for a transformer given by its ``on_visit`` and
    ``on_leave``, rebuilding only the nodes whose children changed."""
    kinds = _KINDS
    fields_of = _FIELDS

    def go(node: cst.CSTNode) -> Any:
        updated = node
        if on_visit(node):
            results: dict[int, Any] | None = None
            for field in fields_of.get(type(node)) or _fields(node):
                value = getattr(node, field)
                kind = kinds.get(type(value))
                if kind is None:
                    kind = _kind(type(value))
                if kind == 1:
                    new = go(value)
                    if new is not value:
                        if results is None:
                            results = {}
                        results[id(value)] = new
                elif kind == 2:
                    for item in value:
                        if kinds.get(type(item)) or _kind(type(item)):
                            new = go(item)
                            if new is not item:
                                if results is None:
                                    results = {}
                                results[id(item)] = new
            if results is not None:
                updated = node._visit_and_replace_children(_Replay(results))
        result = on_leave(node, updated)
        if kinds.get(type(result)) != 1 and not isinstance(result, _RESULT_TYPES):
            raise cst.CSTValidationError(
                "Expected a node of type CSTNode or a RemovalSentinel, "
                f"but got a return value of {type(result).__name__}"
            )
        return result

    result = go(root)
    if isinstance(result, cst.RemovalSentinel):
        return root.with_changes(body=(), header=(), footer=())
    return result  # type: ignore[no-any-return]


# Code generation ------------------------------------------------------------------------


class _NoPosition:
    """The context manager ``record_syntactic_position`` returns: does nothing, cheaply."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_POSITION = _NoPosition()


class _FastState(CodegenState):
    def record_syntactic_position(self, node: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return _NO_POSITION


def code(module: cst.Module) -> str:
    """``module.code``, the same text."""
    state = _FastState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return "".join(state.tokens)


class _Found(Exception):
    pass


class _PositionState(CodegenState):
    """Records, for the wanted nodes only, the token index ``PositionProvider`` takes as a
    node's start: where its syntactic part begins when it declares one (or where its
    ``start_node`` begins), else where its code begins."""

    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        # id -> ids of the wanted nodes whose start is this node's start.
        self.pending: dict[int, list[int]] = {}
        for node in wanted:
            self.pending.setdefault(id(node), []).append(id(node))
        self.before: dict[int, int] = {}
        self.found: dict[int, int] = {}

    def _resolve(self, key: int, index: int) -> None:
        for target in self.pending.pop(key):
            self.found[target] = index
        if not self.pending:
            raise _Found

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.pending:
            self.before[key] = len(self.tokens)

    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Any:
        key = id(node)
        if key in self.pending:
            if start_node is None:
                self._resolve(key, len(self.tokens))
            else:
                self.pending.setdefault(id(start_node), []).extend(self.pending.pop(key))
        return _NO_POSITION

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.pending and key in self.before:
            self._resolve(key, self.before.pop(key))


def start_positions(
    module: cst.Module, nodes: Iterable[cst.CSTNode]
) -> dict[cst.CSTNode, CodePosition]:
    """``PositionProvider``'s start (1-based line, 0-based column) of each of ``nodes``;
    a node that is not in ``module`` is left out."""
    nodes = list(nodes)
    state = _PositionState(module, nodes)
    if state.pending:
        with contextlib.suppress(_Found):  # raised once the last one is found
            module._codegen(state)
    wanted = sorted(set(state.found.values()))
    at: dict[int, CodePosition] = {}
    line, column, done = 1, 0, 0
    tokens = state.tokens
    for index in wanted:
        for token in tokens[done:index]:
            if "\n" in token or "\r" in token:
                segments = token.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                line += len(segments) - 1
                column = len(segments[-1])
            else:
                column += len(token)
        done = index
        at[index] = CodePosition(line, column)
    return {node: at[state.found[id(node)]] for node in nodes if id(node) in state.found}
