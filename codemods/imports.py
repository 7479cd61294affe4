"""Imports and names of one SDK become the other's: openai ⇄ cerebras.cloud.sdk.

``from openai import OpenAI, RateLimitError`` becomes
``from cerebras.cloud.sdk import Cerebras, RateLimitError`` and every reference to ``OpenAI``
(calls, annotations, ``isinstance``, ``except``) becomes ``Cerebras``; ``openai.OpenAIError``
becomes ``CerebrasError`` the same way, in ``except`` clauses, ``raise`` and ``isinstance``.
``openai.RateLimitError`` through ``import openai`` becomes a name imported from the Cerebras
SDK. The way back (``--target openai`` on Cerebras SDK code) is the same table read the other
way. Names with no exact counterpart (``LengthFinishReasonError``, most ``types``) keep their
import and are reported, and so does a client class that a constructor left alone (another
provider) still needs. A module import that nothing uses any more is removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from . import sdk
from .base import Fixer
from .clients import constructor_migrates
from .context import Context
from .cst_util import dotted_name, make_string
from .importing import (
    ImportSpec,
    alias_local,
    from_import,
    is_sorted,
    name_key,
    remove_unused_imports,
)
from .resolve import Scope


def _other(target: str) -> str:
    return "cerebras" if target == "openai" else "openai"


def _is_module(qualname: str) -> bool:
    """``openai``, ``cerebras.cloud.sdk`` and their parents name packages, not exports."""
    return any(
        module == qualname or module.startswith(qualname + ".")
        for module in sdk.SDK_MODULES.values()
    )


class SwitchSdk(Fixer):
    def begin(self, ctx: Context) -> None:
        target = ctx.options.target
        self.source = _other(target)
        resolver = ctx.resolver
        self.active = resolver.mentions_sdk
        if not self.active:
            return
        # Client class names that a constructor left alone still needs with their old meaning.
        stay: set[str] = set()
        self.kept_funcs: set[int] = set()
        for call, scope in resolver.calls:
            cls = resolver.client_class(call.func, scope)
            if cls is None or cls.sdk == target:
                continue
            if cls.sdk == "azure" or not constructor_migrates(ctx, call, cls):
                self.kept_funcs.add(id(call.func))
                if isinstance(call.func, cst.Name):
                    stay.add(call.func.value)
        # What becomes of each name of every ``from <source sdk> import ...``, by statement.
        self.plans: dict[int, dict[str, _Plan]] = {}
        self.rename_names: set[str] = set()
        self.module_imports: set[tuple[str, str]] = set()
        # Target modules the module already imports names from, at its top level: names that
        # move there join that statement instead of starting a second one.
        self.target_modules = {
            qualname.rpartition(".")[0]
            for statement, scope, _, qualname in resolver.import_aliases
            if scope.kind == "module" and sdk.in_sdk(qualname, target) and not _is_module(qualname)
        }
        source_module = sdk.SDK_MODULES[self.source]
        for statement, scope, local, qualname in resolver.import_aliases:
            if statement is None:
                continue
            if _is_module(qualname) and source_module.startswith(qualname):
                # ``import openai``, ``import cerebras.cloud.sdk``, ``from cerebras.cloud
                # import sdk``: removed at the end if nothing uses them any more.
                self.module_imports.add((local, qualname))
                continue
            if not sdk.in_sdk(qualname, self.source):
                continue
            plan = self._plan(ctx, statement, scope, local, qualname, stay)
            self.plans.setdefault(id(statement), {})[local] = plan

    def _plan(
        self,
        ctx: Context,
        statement: cst.SimpleStatementLine,
        scope: Scope,
        local: str,
        qualname: str,
        stay: set[str],
    ) -> _Plan:
        name = qualname.rpartition(".")[2]
        mapped = sdk.counterpart(qualname, ctx.options.target)
        if mapped is None:
            ctx.report(
                statement,
                "CM111",
                f"{qualname} has no exact counterpart in the {ctx.options.target} SDK; "
                "kept: rewrite its uses by hand",
            )
            return _Plan("keep")
        if local in stay:
            return _Plan("keep")
        module, _, new_name = mapped.rpartition(".")
        if local != name or new_name == name:
            # ``from openai import X as Y``, or the same name in both SDKs: uses stay as they are.
            new_local = local
        elif _taken(ctx, new_name, mapped):
            new_local = local  # the new name means something else here: import it as the old one
        else:
            new_local = new_name
            ctx.renames[(local, qualname)] = new_name
            self.rename_names.add(local)
        if _already_imported(ctx, statement, scope, new_local, mapped):
            ctx.moved.add((local, qualname))
            return _Plan("drop")  # ``from cerebras.cloud.sdk import Cerebras`` is there already
        ctx.plan_binding(mapped, scope, new_local)
        ctx.moved.add((local, qualname))
        if scope.kind == "module" and module in self.target_modules:
            alias = new_local if new_local != new_name else None
            ctx.needed_imports[mapped] = ImportSpec(module, new_name, alias)
            return _Plan("drop")
        return _Plan("move", module, _alias(new_name, new_local))

    # Import statements ------------------------------------------------------------------
    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        plans = self.plans.get(id(original)) if self.active else None
        if not plans or len(updated.body) != 1 or not isinstance(updated.body[0], cst.ImportFrom):
            return updated
        old = updated.body[0]
        if isinstance(old.names, cst.ImportStar):
            return updated
        actions = [plans.get(_local(alias)) for alias in old.names]
        if all(p is None or p.action == "keep" for p in actions):
            return updated
        ctx.rewrote(original)
        modules = {p.module for p in actions if p is not None and p.action == "move"}
        kept = [
            a for a, p in zip(old.names, actions, strict=True) if p is None or p.action == "keep"
        ]
        if not kept and len(modules) == 1:
            # All of it moves to one module: edit the names in place to keep the layout.
            names = [
                alias.with_changes(name=p.alias.name, asname=p.alias.asname)
                for alias, p in zip(old.names, actions, strict=True)
                if p is not None and p.action == "move"
            ]
            if not names:
                return cst.RemovalSentinel.REMOVE
            if is_sorted(old.names):
                # Kept in the order isort gives, since it was in that order before.
                names = _join(names)
                order = sorted(names, key=lambda a: name_key(dotted_name(a.name) or ""))
                names = [n.with_changes(comma=names[i].comma) for i, n in enumerate(order)]
            new = old.with_changes(module=cst.parse_expression(modules.pop()), names=_join(names))
            return updated.with_changes(body=[new])
        source_module = cst.Module([]).code_for_node(old.module) if old.module else ""
        parts: dict[str, list[cst.ImportAlias]] = {}
        if kept:
            parts[source_module] = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
        for p in actions:
            if p is not None and p.action == "move" and p.module and p.alias:
                parts.setdefault(p.module, []).append(p.alias)
        length = ctx.options.line_length
        statements = [
            from_import(module, sorted(aliases, key=lambda a: name_key(alias_local(a))), length)
            for module, aliases in sorted(parts.items())
        ]
        if not statements:
            return cst.RemovalSentinel.REMOVE
        if len(statements) > 1:
            ctx.insert_after(original, [cst.SimpleStatementLine([s]) for s in statements[1:]])
        return updated.with_changes(body=[statements[0]])

    # References -------------------------------------------------------------------------
    def visit_Attribute(self, ctx: Context, node: cst.Attribute) -> None:
        if self.active and node.attr.value in self.rename_names:
            ctx.not_references.add(id(node.attr))

    def visit_Arg(self, ctx: Context, node: cst.Arg) -> None:
        if self.active and node.keyword is not None and node.keyword.value in self.rename_names:
            ctx.not_references.add(id(node.keyword))

    def visit_ImportAlias(self, ctx: Context, node: cst.ImportAlias) -> None:
        if self.active:
            for name in (node.name, node.asname.name if node.asname else None):
                if isinstance(name, cst.Name):
                    ctx.not_references.add(id(name))

    def leave_Name(self, ctx: Context, original: cst.Name, updated: cst.Name) -> cst.Name:
        if not self.active or original.value not in self.rename_names:
            return updated
        if id(original) in ctx.not_references:
            return updated
        qualname = ctx.resolver.qualname(original, ctx.scope)
        new = ctx.renames.get((original.value, qualname or ""))
        return updated if new is None else updated.with_changes(value=new)

    def leave_Annotation(
        self, ctx: Context, original: cst.Annotation, updated: cst.Annotation
    ) -> cst.Annotation:
        """``client: "OpenAI | None"``: names inside a string annotation are renamed too."""
        node = updated.annotation
        if not self.active or not self.rename_names or not isinstance(node, cst.SimpleString):
            return updated
        text = node.evaluated_value
        if not isinstance(text, str) or not any(name in text for name in self.rename_names):
            return updated
        try:
            expression = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return updated
        renamer = _RenameInString(self, ctx)
        new = expression.visit(renamer)
        if not renamer.changed:
            return updated
        code = cst.Module([]).code_for_node(new)
        return updated.with_changes(annotation=make_string(code, like=node))

    def leave_Attribute(
        self, ctx: Context, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        """``openai.RateLimitError`` → ``RateLimitError`` imported from the Cerebras SDK."""
        if not self.active or id(original) in self.kept_funcs:
            return updated
        qualname = ctx.resolver.qualname(original, ctx.scope)
        if qualname is None or not sdk.in_sdk(qualname, self.source) or _is_module(qualname):
            return updated
        mapped = sdk.counterpart(qualname, ctx.options.target)
        if mapped is None:
            if _is_export(qualname):
                ctx.report(
                    original,
                    "CM111",
                    f"{qualname} has no exact counterpart in the {ctx.options.target} SDK; "
                    "kept: rewrite it by hand",
                )
            return updated
        ctx.rewrote(original)
        return cst.Name(ctx.bind(mapped))

    def finish(self, ctx: Context, module: cst.Module) -> cst.Module:
        if not self.active or not self.module_imports:
            return module
        return remove_unused_imports(module, self.module_imports)


class _RenameInString(cst.CSTTransformer):
    def __init__(self, fixer: SwitchSdk, ctx: Context) -> None:
        super().__init__()
        self.fixer, self.ctx, self.changed = fixer, ctx, False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # ``x.OpenAI`` is no reference

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.fixer.leave_Name(self.ctx, original_node, updated_node)
        self.changed = self.changed or new is not updated_node
        return new


def _is_export(qualname: str) -> bool:
    """``openai.LengthFinishReasonError`` is; ``openai.chat`` (the module client) is not."""
    name = qualname.rpartition(".")[2]
    return name[:1].isupper()


def _taken(ctx: Context, name: str, qualname: str) -> bool:
    """Whether ``name`` is bound to anything but ``qualname`` somewhere in the module."""
    if ctx.hides(name):  # never an SDK import: those are never hidden
        return True
    for scope in ctx.resolver.scopes.values():
        for binding in scope.bindings.get(name, ()):
            if not (binding.kind == "import" and binding.qualname == qualname):
                return True
    return any(
        local == name
        for other, entries in ctx.bound.items()
        if other != qualname
        for _, local in entries
    )


def _already_imported(
    ctx: Context, statement: cst.SimpleStatementLine, scope: Scope, local: str, qualname: str
) -> bool:
    """Whether another import statement of the same block already binds ``local`` to
    ``qualname``, so that ``statement`` would repeat it. One in another block (the other
    branch of ``if TYPE_CHECKING:``/``else``, a ``try``) does not count: dropping this one
    would leave its block without the name."""
    block = _block(scope)
    if not any(s is statement for s in block):
        return False
    return any(
        other is not statement
        and other_scope is scope
        and other_local == local
        and other_qualname == qualname
        and any(s is other for s in block)
        for other, other_scope, other_local, other_qualname in ctx.resolver.import_aliases
    )


def _block(scope: Scope) -> Sequence[cst.CSTNode]:
    """The statements directly in the module, class or function a scope is."""
    body = getattr(scope.node, "body", ())
    return body if isinstance(body, Sequence) else getattr(body, "body", ())


@dataclass(frozen=True)
class _Plan:
    action: Literal["keep", "move", "drop"]
    module: str | None = None
    alias: cst.ImportAlias | None = None


def _local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name) or ""


def _alias(name: str, local: str) -> cst.ImportAlias:
    asname = None if local == name else cst.AsName(name=cst.Name(local))
    return cst.ImportAlias(name=cst.parse_expression(name), asname=asname)  # type: ignore[arg-type]


def _join(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """Aliases separated as they were; the last one loses a comma it no longer needs
    unless the list is parenthesised one per line (a trailing comma is kept there)."""
    out = list(aliases)
    for i, alias in enumerate(out[:-1]):
        if not isinstance(alias.comma, cst.Comma):
            out[i] = alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    if out and isinstance(out[-1].comma, cst.Comma):
        ws = out[-1].comma.whitespace_after
        if not isinstance(ws, cst.ParenthesizedWhitespace):
            out[-1] = out[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return out
