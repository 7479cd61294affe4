"""Runs every fixer of a target in one traversal of the module and collects what they found.

The order of the fixers, and what a hook may return, is the contract written in
codemods/python/pipeline.py; this module carries it out: the SDK import plan first, each
fixer's ``begin``, one walk whose hooks run in the fixers' order (a node whose kind a hook
changed goes to no later hook), the imports the fixers asked for, each ``finish``, and the
positions of what they reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods.facts import models
from codemods.options import Options
from codemods.python.context import Context, nothing_hidden
from codemods.python.cst.imports import add_imports, add_imports_beside
from codemods.python.cst.layout import HEADED, fit_statement
from codemods.python.cst.walk import start_positions, transform, walk
from codemods.python.fixers.base import Fixer
from codemods.python.plan import plan_imports, plan_models
from codemods.python.pre_v1 import classify
from codemods.python.resolve import Resolver
from codemods.rules import Diagnostic

if TYPE_CHECKING:
    from codemods.python.project import Place

Hook = Callable[[Context, Any, Any], Any]


@dataclass
class ModuleResult:
    module: cst.Module
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0
    # False when no fixer changed anything: the caller can keep the source text as it is
    # instead of paying for code generation.
    changed: bool = False


# What ``_Traversal`` keeps track of, as bits decided once per node class: ``isinstance``
# with libcst's classes (ABCs) is slow, and the traversal asks for every node.
_MODULE, _BLOCK, _CALL, _LINE, _STATEMENT, _SCOPE = 1, 2, 4, 8, 16, 32
_KIND_CLASSES: tuple[tuple[int, type | tuple[type, ...]], ...] = (
    (_MODULE, cst.Module),
    (_BLOCK, cst.IndentedBlock),
    (_CALL, cst.Call),
    (_LINE, (cst.SimpleStatementLine, *HEADED)),  # a line fit_statement may wrap
    (_STATEMENT, (cst.SimpleStatementLine, cst.BaseCompoundStatement)),
    (_SCOPE, (cst.FunctionDef, cst.ClassDef)),
)
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = sum(bit for bit, classes in _KIND_CLASSES if issubclass(cls, classes))
    return kind


class _Traversal(cst.CSTTransformer):
    def __init__(
        self,
        ctx: Context,
        fixers: Sequence[Fixer],
        skip_lines: frozenset[int] = frozenset(),
        skip_ranges: dict[cst.CSTNode, tuple[int, int]] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        # Lines marked ``# cerebras-migrate: ignore``: their statements are left as written.
        self.skip_lines = skip_lines
        self.skip_ranges = skip_ranges or {}
        self.skipping: list[bool] = []
        self.hooks: dict[str, list[Hook]] = {}
        self.visit_hooks: dict[str, list[Callable[[Context, Any], None]]] = {}
        for fixer in fixers:
            for attr in dir(type(fixer)):
                if attr.startswith("leave_"):
                    self.hooks.setdefault(attr[6:], []).append(getattr(fixer, attr))
                elif attr.startswith("visit_"):
                    self.visit_hooks.setdefault(attr[6:], []).append(getattr(fixer, attr))

        # Calls the fixers changed, by the id of the node they returned, per open statement.
        self.changed_calls: list[set[int]] = []
        self.indents: list[str] = []
        self.changed = False
        # Blank lines and comments of a removed statement, for the next one at that depth,
        # which claims them when it is visited: by the time a compound statement is left,
        # its own blocks have been left (and they end what is carried).
        self.carried: tuple[int, Sequence[cst.EmptyLine]] | None = None
        self.claimed: dict[int, Sequence[cst.EmptyLine]] = {}
        # Whether a module-level statement was kept yet, and whether the first was removed.
        self.kept_top = False
        self.removed_first = False
        self.plain_types: dict[type, bool] = {}
        # Statements a fixer replaced, by the original's id: an import added beside a nested
        # import goes beside what that import became (a switched SDK import, say).
        self.replaced: dict[int, cst.CSTNode] = {}

    def _plain(self, cls: type) -> bool:
        """Whether nodes of ``cls`` have no hooks and no bookkeeping: most of a tree (names,
        whitespace, operators). ``isinstance`` on libcst classes is slow (they are ABCs), so
        this is decided once per class."""
        plain = self.plain_types.get(cls)
        if plain is None:
            name = cls.__name__
            plain = self.plain_types[cls] = not (
                name in self.hooks or name in self.visit_hooks or _kind(cls)
            )
        return plain

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.plain_types.get(type(node)) or self._plain(type(node)):
            return True
        kind = _kind(type(node))
        if self.skip_ranges and kind & _STATEMENT:
            self.skipping.append(self._suppressed(node))
        if self.skipping and self.skipping[-1]:
            return self._bookkeeping_visit(node, kind)
        for visit_hook in self.visit_hooks.get(type(node).__name__, ()):
            visit_hook(self.ctx, node)
        return self._bookkeeping_visit(node, kind)

    def _suppressed(self, statement: cst.CSTNode) -> bool:
        """Inside a statement marked ``# cerebras-migrate: ignore``, or one it marks."""
        if self.skipping and self.skipping[-1]:
            return True
        start, end = self.skip_ranges[statement]
        return any(start <= line <= end for line in self.skip_lines)

    def _bookkeeping_visit(self, node: Any, kind: int) -> bool:
        if kind & _MODULE:
            self.unit = node.default_indent
        elif kind & _BLOCK:
            self.indents.append(node.indent if node.indent is not None else self.unit)
        if kind & _LINE:
            self.changed_calls.append(set())
        if kind & _SCOPE:
            self.ctx.scopes.append(self.ctx.resolver.scopes[node])
        if kind & _STATEMENT:
            self.ctx.statements.append(node)
            if self.carried is not None and self.carried[0] == len(self.indents):
                self.claimed[id(node)] = self.carried[1]
                self.carried = None
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        if self.plain_types.get(type(original_node)):
            return updated_node
        updated: Any = updated_node
        cls = type(original_node)
        kind = _kind(cls)
        skipped = bool(self.skipping and self.skipping[-1])
        if self.skip_ranges and kind & _STATEMENT:
            self.skipping.pop()
        hooks = () if skipped else self.hooks.get(cls.__name__, ())
        for hook in hooks:
            updated = hook(self.ctx, original_node, updated)
            if type(updated) is not cls and not isinstance(updated, cls):
                break  # another kind of node now: it goes to no later fixer (pipeline.py)
        if updated is not updated_node:
            self.changed = True
        if kind & (_BLOCK | _MODULE):
            self.carried = None
        if kind & _BLOCK:
            self.indents.pop()
            if _kind(type(updated)) & _BLOCK and not updated.body:
                # Every statement of the block was removed: Python needs one.
                updated = updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        elif kind & _CALL and updated is not updated_node:
            if self.changed_calls:
                self.changed_calls[-1].add(id(updated))
        elif kind & _LINE:
            changed = self.changed_calls.pop()
            if changed and _kind(type(updated)) & _LINE:
                indent = sum(len(i) for i in self.indents)
                limit = self.ctx.options.line_length
                updated = fit_statement(original_node, updated, changed, indent, self.unit, limit)
        if kind & _SCOPE:
            self.ctx.scopes.pop()
        if kind & _STATEMENT:
            self.ctx.statements.pop()
            updated = self._carry_leading_lines(original_node, updated)
            if updated is not original_node and isinstance(updated, cst.CSTNode):
                self.replaced[id(original_node)] = updated
            extra = self.ctx.after.pop(original_node, None)
            if extra and isinstance(updated, cst.CSTNode):
                self.changed = True
                return cst.FlattenSentinel([updated, *extra])
        return updated

    def _carry_leading_lines(self, original: cst.BaseStatement, updated: Any) -> Any:
        depth = len(self.indents)
        claimed = self.claimed.pop(id(original), None)
        if isinstance(updated, cst.RemovalSentinel):
            lines = claimed or original.leading_lines
            if lines:
                self.carried = (depth, lines)
            if depth == 0 and not self.kept_top:
                self.removed_first = True  # the next one becomes the module's first
            return updated
        if depth == 0:
            self.kept_top = True
        if claimed and isinstance(updated, cst.BaseStatement) and not updated.leading_lines:
            return updated.with_changes(leading_lines=claimed)
        if depth == 0 and self.removed_first:
            self.removed_first = False
            if isinstance(updated, cst.BaseStatement):
                # The blank lines that separated it from the removed first statement would
                # now open the file.
                lines = list(updated.leading_lines)
                while lines and lines[0].comment is None:
                    lines.pop(0)
                if len(lines) != len(updated.leading_lines):
                    return updated.with_changes(leading_lines=lines)
        return updated


def _statement_ranges(module: cst.Module) -> dict[cst.CSTNode, tuple[int, int]]:
    """Line ranges of every statement (a compound statement: its header line only)."""
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ranges = {}
    for node, span in positions.items():
        if isinstance(node, cst.SimpleStatementLine):
            ranges[node] = (span.start.line, span.end.line)
        elif isinstance(node, cst.BaseCompoundStatement):
            ranges[node] = (span.start.line, span.start.line)
    return ranges


class _Names:
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)


def _names_in_skipped(
    ranges: dict[cst.CSTNode, tuple[int, int]], skip_lines: frozenset[int]
) -> frozenset[str]:
    """The names that statements marked ``# cerebras-migrate: ignore`` use or bind."""
    names = _Names()
    for statement, (start, end) in ranges.items():
        if any(start <= line <= end for line in skip_lines):
            walk(statement, names)
    return frozenset(names.found)


def _moves(ctx: Context, request: Any) -> bool:
    """Whether a request (``RequestCall``) goes to a client the migration moves: not the
    module-level client of a module with openai 0.x code, which stays as it is."""
    if request.client.is_module and ctx.old_api.is_pre_v1:
        return False
    return ctx.attributed(request.client).migrated


def run_fixers(
    module: cst.Module,
    options: Options,
    fixers: Sequence[Fixer],
    skip_lines: frozenset[int] = frozenset(),
    hides: Callable[[str], bool] = nothing_hidden,
    place: Place | None = None,
) -> ModuleResult:
    """Apply ``fixers`` to ``module`` in one traversal; diagnostics carry 1-based positions.

    Statements on ``skip_lines`` (marked ``# cerebras-migrate: ignore``) are left alone;
    ``hides`` tells the names bound in parts of the file left out of ``module``.
    """
    ctx = Context(
        options=options,
        resolver=Resolver(module, options.own_urls, place),
        hides=hides,
    )
    if not ctx.resolver.relevant:
        # Every rewrite starts from an import of one of the SDKs, or of a client from
        # another module: none, nothing to do.
        return ModuleResult(module)
    ranges = _statement_ranges(module) if skip_lines else None
    # Whether the module is written for the openai 0.x API: on the cerebras target, which has
    # no counterpart of it, such a module is not planned, only reported (Fixer.pre_v1_targets).
    ctx.old_api = classify(ctx.resolver, options)
    active = [f for f in fixers if options.target in f.targets]
    if ctx.old_api.is_pre_v1:
        active = [f for f in active if options.target in f.pre_v1_targets]
    if not (ctx.old_api.is_pre_v1 and options.target == "cerebras"):
        pinned = _names_in_skipped(ranges, skip_lines) if ranges else frozenset()
        # Before any fixer: they all read it, and what it binds is taken for every new name.
        ctx.imports = plan_imports(ctx.resolver, options.target, hides, pinned)
        for qualname, scope, local in ctx.imports.bindings:
            ctx.plan_binding(qualname, scope, local)
        ctx.needed_imports.update(ctx.imports.imports)
        if not options.keep_models:
            ctx.models = plan_models(
                ctx.resolver,
                lambda value: models.map_model(value, options.model_map),
                lambda request: _moves(ctx, request),
                ctx.old_api.moving,
            )
    for fixer in active:
        fixer.begin(ctx)
    traversal = _Traversal(ctx, active, skip_lines, ranges)
    new_module = transform(module, traversal.on_visit, traversal.on_leave)  # copies only changes
    changed = traversal.changed
    if ctx.needed_imports:
        new_module = add_imports(new_module, list(ctx.needed_imports.values()), options.line_length)
        changed = True
    if ctx.nested_imports:
        replaced = traversal.replaced
        nested = {
            id(replaced.get(key, entry[0])): entry for key, entry in ctx.nested_imports.items()
        }
        new_module = add_imports_beside(new_module, nested, options.line_length)
        changed = True
    for fixer in active:
        finished = fixer.finish(ctx, new_module)
        changed = changed or finished is not new_module
        new_module = finished
    diagnostics: list[Diagnostic] = []
    if ctx.findings:
        # Positions cost a full code generation pass: pay it only when there is something
        # to report, and on the original tree, never a copy of it.
        positions = start_positions(module, [finding.node for finding in ctx.findings])
        for finding in ctx.findings:
            start = positions[finding.node]
            diagnostics.append(
                Diagnostic(finding.code, start.line, start.column + 1, finding.message)
            )
        diagnostics.sort(key=lambda d: (d.line, d.column, d.code))
    return ModuleResult(
        new_module if changed else module,
        diagnostics,
        list(ctx.secrets),
        len(ctx.rewritten_sites),
        changed,
    )
