"""Runs every fixer of a target in one traversal of the module and collects what they found."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .base import Fixer
from .context import Context
from .diagnostics import Diagnostic
from .options import Options
from .resolve import Resolver

Hook = Callable[[Context, Any, Any], Any]


@dataclass
class ModuleResult:
    module: cst.Module
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0


class _Traversal(cst.CSTTransformer):
    def __init__(self, ctx: Context, fixers: Sequence[Fixer]) -> None:
        super().__init__()
        self.ctx = ctx
        self.hooks: dict[str, list[Hook]] = {}
        for fixer in fixers:
            for attr in dir(type(fixer)):
                if attr.startswith("leave_"):
                    self.hooks.setdefault(attr[6:], []).append(getattr(fixer, attr))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self.ctx.scopes.append(self.ctx.resolver.scopes[node])
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.ctx.statements.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        updated: Any = updated_node
        for hook in self.hooks.get(type(original_node).__name__, ()):
            updated = hook(self.ctx, original_node, updated)
            if not isinstance(updated, type(original_node)):
                break
        if isinstance(original_node, (cst.FunctionDef, cst.ClassDef)):
            self.ctx.scopes.pop()
        if isinstance(original_node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.ctx.statements.pop()
            extra = self.ctx.after.pop(original_node, None)
            if extra and isinstance(updated, cst.CSTNode):
                return cst.FlattenSentinel([updated, *extra])
        return updated


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _import_sort_key(statement: cst.BaseStatement) -> tuple[int, str] | None:
    """Where an import sits in isort's order (plain imports first), or None if not one."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return (0, cst.Module([]).code_for_node(small.names[0].name))
    if isinstance(small, cst.ImportFrom):
        module = small.module
        name = cst.Module([]).code_for_node(module) if module is not None else ""
        return (1, "." * len(small.relative) + name)
    return None


def add_imports(module: cst.Module, imports: dict[str, str]) -> cst.Module:
    """Add ``import m`` (or ``import m as alias``) into the module's top import block."""
    body = list(module.body)
    start = 0
    if body and _is_docstring(body[0]):
        start = 1
    while start < len(body) and _import_sort_key(body[start]) == (1, "__future__"):
        start += 1
    for name in sorted(imports):
        alias = imports[name]
        text = f"import {name}" if alias == name else f"import {name} as {alias}"
        statement = cst.parse_statement(text)
        index = start
        # Inside the first run of imports, keep isort's order where it already holds.
        while index < len(body):
            key = _import_sort_key(body[index])
            if key is None or key > (0, name):
                break
            index += 1
        if index == start and index < len(body):
            # First in its block: take over the blank lines and comments that lead it.
            following = body[index]
            statement = statement.with_changes(leading_lines=following.leading_lines)
            gap = () if _import_sort_key(following) is not None else (cst.EmptyLine(),)
            body[index] = following.with_changes(leading_lines=gap)
        body.insert(index, statement)
    return module.with_changes(body=body)


def run_fixers(module: cst.Module, options: Options, fixers: Sequence[Fixer]) -> ModuleResult:
    """Apply ``fixers`` to ``module`` in one traversal; diagnostics carry 1-based positions."""
    ctx = Context(options=options, resolver=Resolver(module))
    active = [f for f in fixers if options.target in f.targets]
    for fixer in active:
        fixer.begin(ctx)
    new_module = module.visit(_Traversal(ctx, active))
    if ctx.needed_imports:
        new_module = add_imports(new_module, ctx.needed_imports)
    for fixer in active:
        new_module = fixer.finish(ctx, new_module)
    diagnostics: list[Diagnostic] = []
    if ctx.findings:
        # Positions cost a full code generation pass: pay it only when there is something
        # to report, and on the original tree, never a copy of it.
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        for finding in ctx.findings:
            start = positions[finding.node].start
            diagnostics.append(
                Diagnostic(finding.code, start.line, start.column + 1, finding.message)
            )
        diagnostics.sort(key=lambda d: (d.line, d.column, d.code))
    return ModuleResult(new_module, diagnostics, list(ctx.secrets), len(ctx.rewritten_sites))
