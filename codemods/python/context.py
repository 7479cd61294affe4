"""Per-file state of the single traversal: where it is, and what the fixers produce.

The fixers write their output here (findings, secrets, statements to add, imports to add,
names they bind) and read where the traversal is (scope, statement). What they decide from
is read-only: the resolver, the options, the import plan (codemods/python/plan.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from codemods.options import Options
from codemods.python.cst.imports import ImportSpec
from codemods.python.plan import ImportPlan, ModelPlan
from codemods.python.pre_v1 import OldApi
from codemods.python.resolve import ClientRef, RequestCall, Resolver, Scope
from codemods.rules import DEFAULT, Rule


@dataclass
class Finding:
    node: cst.CSTNode  # an original node: its position is looked up at the end
    code: str
    message: str


def nothing_hidden(name: str) -> bool:
    """``hides`` when libcst was shown the whole module."""
    return False


class Taken:
    """The names a new binding must avoid: the module's, the planned ones, hidden ones."""

    def __init__(self, names: set[str], hides: Callable[[str], bool]) -> None:
        self.names = names
        self.hides = hides

    def __contains__(self, name: object) -> bool:
        return name in self.names or (isinstance(name, str) and self.hides(name))


@dataclass
class Context:
    options: Options
    resolver: Resolver
    findings: list[Finding] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: set[int] = field(default_factory=set)
    scopes: list[Scope] = field(default_factory=list)
    statements: list[cst.BaseStatement] = field(default_factory=list)
    # Statements to add after an original statement, and modules to import at the top.
    after: dict[cst.CSTNode, list[cst.BaseStatement]] = field(default_factory=dict)
    # Qualified name -> (scope, local name) of bindings that exist or that a fixer plans.
    bound: dict[str, list[tuple[Scope, str]]] = field(default_factory=dict)
    needed_imports: dict[str, ImportSpec] = field(default_factory=dict)  # the ones to add
    # Imports to add beside a nested import (in a function, a ``try:``), so that a lazy
    # import stays lazy: the import statement's id -> (it, the specs to add after it).
    nested_imports: dict[int, tuple[cst.SimpleStatementLine, list[ImportSpec]]] = field(
        default_factory=dict
    )
    # What becomes of the SDK imports (codemods/python/plan.py), made before any fixer runs.
    imports: ImportPlan = field(default_factory=ImportPlan)
    # Which model-id constants are mapped (codemods/python/plan.py), decided the same way.
    models: ModelPlan = field(default_factory=ModelPlan)
    # Whether the module is written for the openai 0.x API (codemods/python/pre_v1.py).
    old_api: OldApi = field(default_factory=OldApi)
    # Whether a name is bound in the parts of the file libcst was not shown
    # (codemods/python/focus.py): a name a fixer creates must not collide with those either.
    hides: Callable[[str], bool] = nothing_hidden
    _requests: dict[int, RequestCall | None] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return self.scopes[-1] if self.scopes else self.resolver.module_scope

    @property
    def statement(self) -> cst.BaseStatement | None:
        return self.statements[-1] if self.statements else None

    def report(
        self, node: cst.CSTNode, rule: Rule, variant: str = DEFAULT, /, **fields: Any
    ) -> None:
        """Report ``rule`` at ``node``, with its ``variant`` message filled from ``fields``."""
        self.findings.append(Finding(node, rule.code, rule.format(variant, **fields)))

    def rewrote(self, node: cst.CSTNode) -> None:
        """Count ``node`` (an original call or statement) as one rewritten call site."""
        self.rewritten_sites.add(id(node))

    def insert_after(self, statement: cst.CSTNode, new: list[cst.BaseStatement]) -> None:
        self.after.setdefault(statement, []).extend(new)

    def plan_binding(self, qualname: str, scope: Scope, local: str) -> None:
        """Record that ``local`` will name ``qualname`` in ``scope`` after the rewrite."""
        self.bound.setdefault(qualname, []).append((scope, local))

    def _visible(self, scope: Scope) -> set[int]:
        chain, current = set(), scope
        while current is not None:
            chain.add(id(current))
            current = current.parent
        return chain

    def taken_names(self) -> Taken:
        names = {name for scope in self.resolver.scopes.values() for name in scope.bindings}
        names.update(local for entries in self.bound.values() for _, local in entries)
        return Taken(names, self.hides)

    def bind(self, qualname: str, beside: str | None = None) -> str:
        """A local name for ``qualname`` usable here, importing it when needed.

        ``os`` gives ``import os``; ``cerebras.cloud.sdk.Cerebras`` gives
        ``from cerebras.cloud.sdk import Cerebras``. A name already bound to something else
        gets a fresh alias instead; nothing already imported is imported twice. The import
        goes at the top, or, when ``beside`` names a local bound by an import nested in a
        function or a ``try:``, right after that import: a lazy import stays lazy.
        """
        module, _, name = qualname.rpartition(".")
        is_module = "." not in qualname
        wanted = qualname if is_module else name
        visible = self._visible(self.scope)
        found = [local for scope, local in self.bound.get(qualname, ()) if id(scope) in visible]
        for scope in self.resolver.scopes.values():
            if id(scope) not in visible:
                continue
            for local, bindings in scope.bindings.items():
                if (
                    len(bindings) == 1
                    and bindings[0].kind == "import"
                    and bindings[0].qualname == qualname
                    and (local, qualname) not in self.imports.renames
                    and self.resolver.import_reaches(local, qualname, scope, self.statement)
                ):
                    found.append(local)
        if found:
            return wanted if wanted in found else found[0]
        taken = self.taken_names()
        local = wanted
        while local in taken and not self._same_import(local, qualname):
            local = "_" + local
        if is_module:
            spec = ImportSpec(qualname, alias=local if local != qualname else None)
        else:
            spec = ImportSpec(module, name, alias=local if local != name else None)
        nested = self.resolver.nested_import(beside, self.scope, self.statement) if beside else None
        if nested is not None:
            statement, scope = nested
            self.plan_binding(qualname, scope, local)
            self.nested_imports.setdefault(id(statement), (statement, []))[1].append(spec)
            return local
        self.plan_binding(qualname, self.resolver.module_scope, local)
        self.needed_imports[qualname] = spec
        return local

    def _same_import(self, local: str, qualname: str) -> bool:
        """Whether ``local`` is bound only by imports of ``qualname``, all in scopes seen
        from here (another branch of this function): one more is no collision. A name bound
        anywhere else (or in what libcst was not shown) is left alone, as before."""
        if self.hides(local) or any(
            local == name and other != qualname
            for other, entries in self.bound.items()
            for _, name in entries
        ):
            return False
        visible = self._visible(self.scope)
        found = False
        for scope in self.resolver.scopes.values():
            for binding in scope.bindings.get(local, ()):
                if id(scope) not in visible or binding.kind != "import":
                    return False
                if binding.qualname != qualname:
                    return False
                found = True
        return found

    def request(self, call: cst.Call) -> RequestCall | None:
        """The request this original call makes, if it is one on a resolved client. A client
        known only by its type, of a class some client of this module keeps on its old
        provider, is ``unattributed``: which of the two it is cannot be told."""
        key = id(call)
        if key not in self._requests:
            found = self.resolver.request(call, self.scope)
            if found is not None:
                found = RequestCall(found.method, self.attributed(found.client))
            self._requests[key] = found
        return self._requests[key]

    def attributed(self, client: ClientRef) -> ClientRef:
        """``client``, or the same marked ``unattributed`` when only its type is known and
        this module keeps a client of that class on its old provider."""
        cls = client.cls
        if (
            cls is not None
            and client.provider == "unknown"
            and (cls.sdk, cls.name) in self.imports.unsure
        ):
            return ClientRef(cls, "unattributed")
        return client
