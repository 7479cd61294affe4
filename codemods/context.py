"""Per-file state shared by the fixers during the single traversal."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from .importing import ImportSpec
from .options import Options
from .resolve import RequestCall, Resolver, Scope


@dataclass
class Finding:
    node: cst.CSTNode  # an original node: its position is looked up at the end
    code: str
    message: str


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
    imports: dict[str, str] = field(default_factory=dict)  # module -> local name
    needed_imports: dict[str, ImportSpec] = field(default_factory=dict)  # the ones to add
    _requests: dict[int, RequestCall | None] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return self.scopes[-1] if self.scopes else self.resolver.module_scope

    @property
    def statement(self) -> cst.BaseStatement | None:
        return self.statements[-1] if self.statements else None

    def report(self, node: cst.CSTNode, code: str, message: str) -> None:
        self.findings.append(Finding(node, code, message))

    def rewrote(self, node: cst.CSTNode) -> None:
        """Count ``node`` (an original call or statement) as one rewritten call site."""
        self.rewritten_sites.add(id(node))

    def insert_after(self, statement: cst.CSTNode, new: list[cst.BaseStatement]) -> None:
        self.after.setdefault(statement, []).extend(new)

    def module_name(self, module: str) -> str:
        """A local name bound to ``module``, importing it at the top when none is."""
        if module in self.imports:
            return self.imports[module]
        top = self.resolver.module_scope
        for name, bindings in top.bindings.items():
            if (
                len(bindings) == 1
                and bindings[0].kind == "import"
                and bindings[0].qualname == module
            ):
                self.imports[module] = name
                return name
        local = module
        taken = {*top.bindings, *self.scope.bindings}
        while local in taken:
            local = "_" + local
        self.imports[module] = local
        self.needed_imports[module] = ImportSpec(module, alias=local if local != module else None)
        return local

    def request(self, call: cst.Call) -> RequestCall | None:
        """The request this original call makes, if it is one on a resolved client."""
        key = id(call)
        if key not in self._requests:
            self._requests[key] = self.resolver.request(call, self.scope)
        return self._requests[key]
