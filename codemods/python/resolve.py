"""Which names and receivers are OpenAI or Cerebras clients, resolved through imports.

A cheap walk over the module (no libcst scope metadata, which costs several parses) collects
bindings per scope: imports, assignments, parameters with annotations, ``with ... as`` targets,
``self.x = ...`` in methods, and what functions return. Questions are answered lazily from
those bindings, so a client made at the bottom of a module is known in a function above it.

The rules keep look-alikes out: a name counts as the openai ``OpenAI`` class only when it is
imported from ``openai``; ``from llama_index.llms.openai import OpenAI``, a project's own
``class OpenAI`` or ``from langfuse.openai import openai`` resolve to something else.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

import libcst as cst

from codemods.facts import sdk
from codemods.python.clients import (
    ClientClass,
    ClientRef,
    LeftAlone,
    Provider,
    Sdk,
    classifier,
    classify_url,
    decide,
)
from codemods.python.clients import client_class as sdk_client_class
from codemods.python.cst.edit import dotted_name, find_keyword, string_value
from codemods.python.cst.walk import walk
from codemods.python.unserved import Uses, only_unserved, unserved_chain, uses_in

if TYPE_CHECKING:
    from codemods.python.project import Place

# Re-exported: the fixers know clients through the resolver.
__all__ = [
    "ClientClass",
    "ClientRef",
    "Constructor",
    "LeftAlone",
    "Provider",
    "RequestCall",
    "Resolver",
    "Scope",
    "Sdk",
    "classify_url",
]

REQUEST_VERBS = frozenset(verb for path in sdk.REQUEST_METHODS for verb in path[-1:])
# Request paths, longest first: ``beta.chat.completions.parse`` before ``chat.completions...``.
_REQUEST_SIZES = sorted({len(path) for path in sdk.REQUEST_METHODS}, reverse=True)
_LONGEST = _REQUEST_SIZES[0]


class Constructor(NamedTuple):  # a NamedTuple: several times cheaper to define than a dataclass
    """A client constructor call: where it points, and whether the migration moves it."""

    cls: ClientClass
    provider: Provider
    left_alone: LeftAlone | None  # None: it is pointed at Cerebras
    url_index: int | None = None  # the ``base_url=`` argument, if any
    url: str | None = None  # its value, when a literal

    @property
    def migrates(self) -> bool:
        return self.left_alone is None


@dataclass(frozen=True)
class RequestCall:
    """A request method called on a resolved client, e.g. ``client.chat.completions.create``."""

    method: str  # a value of sdk.REQUEST_METHODS: "chat.completions.create", ...
    client: ClientRef


@dataclass
class Binding:
    kind: Literal["import", "value", "annotation", "def", "class", "param", "other"]
    qualname: str | None = None
    node: cst.CSTNode | None = None  # value expression, annotation, or the def
    scope: Scope | None = None  # where ``node`` is evaluated


@dataclass(eq=False)
class Scope:
    kind: Literal["module", "function", "class"]
    parent: Scope | None
    node: cst.CSTNode
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    # For methods: the class scope whose ``self.x`` attributes the first parameter reaches.
    owner_class: Scope | None = None
    self_name: str | None = None
    # For classes: ``self.x = value`` anywhere in its methods, and ``x: Client`` in its body.
    attributes: dict[str, list[Binding]] = field(default_factory=dict)
    # For functions: the expressions it returns.
    returns: list[cst.BaseExpression] = field(default_factory=list)

    def add(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


def _annotation_exprs(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The class expressions inside an annotation: ``X``, ``X | None``, ``Optional[X]``."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        yield from _annotation_exprs(node.left)
        yield from _annotation_exprs(node.right)
    elif isinstance(node, cst.Subscript) and dotted_name(node.value) in (
        "Optional",
        "Union",
        "typing.Optional",
        "typing.Union",
    ):
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                yield from _annotation_exprs(element.slice.value)
    elif isinstance(node, cst.SimpleString):
        text = string_value(node)
        if text:
            try:
                yield from _annotation_exprs(cst.parse_expression(text))
            except cst.ParserSyntaxError:
                return
    else:
        yield node


_TYPE_FORMS = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "typing.", "t.")
    for name in ("Optional", "Union", "Type", "type")
)


class _Collector(cst.CSTVisitor):
    """One walk that records every binding the resolver may need."""

    def __init__(self, module: cst.Module) -> None:
        self.module_scope = Scope("module", None, module)
        self.scopes: dict[cst.CSTNode, Scope] = {module: self.module_scope}
        self.stack: list[Scope] = [self.module_scope]
        self.imports_sdk = False
        self.attribute_assignments: list[tuple[cst.Attribute, cst.BaseExpression, Scope]] = []
        self.calls: list[tuple[cst.Call, Scope]] = []
        # Every imported name: (statement, scope, local name, qualified name).
        self.import_aliases: list[tuple[cst.SimpleStatementLine | None, Scope, str, str]] = []
        # Statements that bind the ``openai`` module itself, with the scope and local name.
        self.module_imports: list[tuple[cst.SimpleStatementLine, Scope, str]] = []
        self.statement: cst.SimpleStatementLine | None = None
        self.blocks: tuple[int, ...] = ()
        self.blocks_of: dict[int, tuple[int, ...]] = {}
        # Names imported from an SDK, and where such a name is used as a value rather than
        # called, caught, ``isinstance``-checked or written in an annotation: passed,
        # assigned, subclassed. A client made from a class used so cannot be followed.
        self.sdk_locals: set[str] = set()
        self.value_uses: list[tuple[cst.Name, Scope]] = []
        # Every name read anywhere (not bound, not an attribute or keyword), by name; the
        # names given as parameter defaults (``def ask(model=MODEL)``).
        self.name_uses: dict[str, list[cst.Name]] = {}
        self.param_defaults: set[int] = set()
        self._not_values: set[int] = set()
        self._annotations = 0
        self.lambdas = False  # whether a lambda is in the module (its body is not walked)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node
        self.blocks_of[id(node)] = self.blocks

    # The blocks each line is in, outermost first: which of two imports of one name in
    # two branches of a function a use sees.
    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.blocks = (*self.blocks, id(node))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.blocks = self.blocks[:-1]

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((node, self.scope))
        func = node.func
        if isinstance(func, cst.Name):
            self._not_values.add(id(func))
            if func.value in ("isinstance", "issubclass") and len(node.args) >= 2:
                self._types(node.args[1].value)
        if dotted_name(func) in ("cast", "typing.cast") and node.args:
            self._types(node.args[0].value)  # ``cast(OpenAI, x)`` names a type

    # ``Union[OpenAI, AsyncOpenAI]``, ``OpenAI | None``: a type (an alias), not a value.
    def visit_Subscript(self, node: cst.Subscript) -> None:
        if dotted_name(node.value) in _TYPE_FORMS:
            for element in node.slice:
                if isinstance(element.slice, cst.Index):
                    self._types(element.slice.value)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.BitOr):
            self._types(node.left)
            self._types(node.right)

    # Value uses of SDK names --------------------------------------------------------------
    def _types(self, node: cst.BaseExpression) -> None:
        """A type checked against or caught, ``X`` or ``(X, Y)``: not a value use."""
        elements = node.elements if isinstance(node, cst.Tuple) else [node]
        for element in elements:
            value = element.value if isinstance(element, cst.Element) else element
            if isinstance(value, cst.Name):
                self._not_values.add(id(value))

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self._not_values:
            return
        uses = self.name_uses.get(node.value)
        if uses is None:
            self.name_uses[node.value] = [node]
        else:
            uses.append(node)
        if node.value in self.sdk_locals and not self._annotations:
            self.value_uses.append((node, self.scope))

    # ``if OpenAI is None:``, ``if not OpenAI:``: checking the SDK is there, not a value use.
    def _tested(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self._not_values.add(id(node))
        elif isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            self._tested(node.expression)
        elif isinstance(node, cst.BooleanOperation):
            self._tested(node.left)
            self._tested(node.right)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if all(
            isinstance(c.operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual))
            and isinstance(c.comparator, cst.Name)
            and c.comparator.value == "None"
            for c in node.comparisons
        ):
            self._tested(node.left)

    def visit_If(self, node: cst.If) -> None:
        self._tested(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._tested(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._tested(node.test)

    def visit_Annotation(self, node: cst.Annotation) -> None:
        self._annotations += 1

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._annotations -= 1

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.type is not None:
            self._types(node.type)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_values.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_values.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._not_values.add(id(node.name))
        if isinstance(node.default, cst.Name):
            self.param_defaults.add(id(node.default))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._not_values.add(id(node.target))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False  # the names of an import are not uses

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    # Scopes -----------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._not_values.add(id(node.name))
        self.scope.add(node.name.value, Binding("class", node=node))
        scope = Scope("class", self.scope, node)
        self.scopes[node] = scope
        self.stack.append(scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._not_values.add(id(node.name))
        outer = self.scope
        outer.add(node.name.value, Binding("def", node=node, scope=outer))
        scope = Scope("function", outer, node)
        if outer.kind == "class":
            positional = [*node.params.posonly_params, *node.params.params]
            is_static = any(dotted_name(d.decorator) == "staticmethod" for d in node.decorators)
            if positional and not is_static:
                scope.owner_class = outer
                scope.self_name = positional[0].name.value
        self.scopes[node] = scope
        self.stack.append(scope)
        for param in (
            *node.params.posonly_params,
            *node.params.params,
            *node.params.kwonly_params,
        ):
            if param.annotation is not None:
                scope.add(
                    param.name.value,
                    Binding("annotation", node=param.annotation.annotation, scope=outer),
                )
            else:
                # Its function's scope, so that its callers can be asked what it is.
                scope.add(param.name.value, Binding("param", param.name.value, scope=scope))
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.add(star.name.value, Binding("param"))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.lambdas = True
        return False  # its parameters shadow nothing we resolve outside it

    # Imports ----------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            top = full.split(".")[0]
            if top in sdk.SDK_ROOTS:
                self.imports_sdk = True
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local, qualname = alias.asname.name.value, full
            else:
                local, qualname = top, top
            self.scope.add(local, Binding("import", qualname=qualname))
            self.import_aliases.append((self.statement, self.scope, local, qualname))
            if qualname == sdk.OPENAI_MODULE and self.statement is not None:
                self.module_imports.append((self.statement, self.scope, local))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            # It binds nothing the resolver can name, but the module uses the SDK all the
            # same: the fixers run, and one reports the star import (CM122).
            star = dotted_name(node.module) if node.module is not None else None
            if not node.relative and star and star.split(".")[0] in sdk.SDK_ROOTS:
                self.imports_sdk = True
            return
        module = dotted_name(node.module) if node.module is not None else ""
        if node.relative:
            # ``from .errors import RateLimitError``: the project's own name, never an SDK's
            # (its qualified name starts with a dot), but a binding a new name must avoid.
            module = "." * len(node.relative) + (module or "")
        elif module and module.split(".")[0] in sdk.SDK_ROOTS:
            self.imports_sdk = True
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            qualname = f"{module}{name}" if module.endswith(".") else f"{module}.{name}"
            self.scope.add(local, Binding("import", qualname=qualname))
            self.import_aliases.append((self.statement, self.scope, local, qualname))
            if not node.relative and module.split(".")[0] in sdk.SDK_ROOTS:
                self.sdk_locals.add(local)

    # Assignments ------------------------------------------------------------------------
    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            kind = "value" if value is not None else "other"
            self.scope.add(target.value, Binding(kind, node=value, scope=self.scope))
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            if value is not None:
                self.attribute_assignments.append((target, value, self.scope))
            method = self.scope
            if (
                method.owner_class is not None
                and target.value.value == method.self_name
                and value is not None
            ):
                method.owner_class.attributes.setdefault(target.attr.value, []).append(
                    Binding("value", node=value, scope=method)
                )
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        target = node.target
        annotation = Binding("annotation", node=node.annotation.annotation, scope=self.scope)
        if isinstance(target, cst.Name):
            self.scope.add(target.value, annotation)
            if self.scope.kind == "class":
                self.scope.attributes.setdefault(target.value, []).append(annotation)
        elif isinstance(target, cst.Attribute):
            method = self.scope
            if (
                method.owner_class is not None
                and isinstance(target.value, cst.Name)
                and target.value.value == method.self_name
            ):
                method.owner_class.attributes.setdefault(target.attr.value, []).append(annotation)
        if node.value is not None:
            self._bind_target(target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, node.item)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.scope.kind == "function":
            self.scope.returns.append(node.value)


class Resolver:
    """Answers "what is this expression?" for the module it was built from."""

    def __init__(
        self,
        module: cst.Module,
        own_urls: frozenset[str] = frozenset(),
        place: Place | None = None,
    ) -> None:
        # URLs the user named as Cerebras (``--base-url``): a loopback test server, a proxy.
        self.own_urls = own_urls
        # The rest of the project, as this module sees it: names imported from other
        # modules resolve through it (None: this module alone).
        self.place = place
        self.classify = classifier(own_urls)
        collector = _Collector(module)
        walk(module, collector)  # libcst's visit would copy the whole tree
        self.module_scope = collector.module_scope
        self.scopes = collector.scopes
        self.imports_sdk = collector.imports_sdk
        self._attribute_assignments = collector.attribute_assignments
        self.calls = collector.calls
        self.import_aliases = collector.import_aliases
        self.value_uses = collector.value_uses
        self.name_uses = collector.name_uses
        self.param_defaults = collector.param_defaults
        self._module_imports = collector.module_imports
        self._blocks_of = collector.blocks_of
        self._module = module
        self._module_config: dict[str, list[cst.BaseExpression]] | None = None
        self._busy: set[int] = set()
        self._constructors: dict[int, Constructor] = {}
        self._lambdas = collector.lambdas
        self._call_scopes: dict[int, Scope] | None = None
        self._uses: dict[int, Uses] = {}
        self._exported: set[str] | None = None

    @property
    def relevant(self) -> bool:
        """Whether the module can have anything to migrate: it imports an SDK, or a client
        (or a function returning one) from another module of the project, or makes calls
        shaped like requests in a project that uses an SDK (each is reported)."""
        return self.imports_sdk or (self.place is not None and self.place.relevant)

    # Names ------------------------------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> list[Binding]:
        """The bindings of ``name`` seen from ``scope`` (Python's rules: class scopes skipped)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if (first or current.kind != "class") and name in current.bindings:
                return current.bindings[name]
            first = False
            current = current.parent
        return []

    def qualname(self, node: cst.CSTNode, scope: Scope) -> str | None:
        """``openai.OpenAI`` for ``OpenAI`` imported from openai, ``oa.OpenAI`` with
        ``import openai as oa``, and so on; None when the name is not imported."""
        if isinstance(node, cst.Attribute):
            base = self.qualname(node.value, scope)
            return f"{base}.{node.attr.value}" if base else None
        if isinstance(node, cst.Name):
            bindings = self.lookup(node.value, scope)
            if any(b.kind in ("class", "def") for b in bindings):
                return None  # a local definition shadows any import of the same name
            names = {b.qualname for b in bindings if b.kind == "import"}
            if len(names) == 1:
                return names.pop()
        return None

    def client_class(self, node: cst.CSTNode, scope: Scope) -> ClientClass | None:
        """The SDK client class ``node`` names, if any."""
        return sdk_client_class(self.qualname(node, scope))

    def is_openai_module(self, node: cst.CSTNode, scope: Scope) -> bool:
        return self.qualname(node, scope) == sdk.OPENAI_MODULE

    def nested_import(
        self, local: str, scope: Scope, used_in: cst.CSTNode | None = None
    ) -> tuple[cst.SimpleStatementLine, Scope] | None:
        """The import statement that binds ``local`` as seen from ``scope`` (from the line
        ``used_in``, when given: of two imports in two branches, the one whose block holds
        it), with its scope, when it is nested (in a function, a class, a ``try:`` or
        ``if``) rather than at the top of the module; None otherwise."""
        where_used = self._blocks_of.get(id(used_in), ()) if used_in is not None else ()
        current: Scope | None = scope
        first = True
        while current is not None:
            if (first or current.kind != "class") and local in current.bindings:
                found = [
                    statement
                    for statement, where, name, _ in self.import_aliases
                    if where is current and name == local and statement is not None
                ]
                if not found:
                    return None

                def encloses(statement: cst.SimpleStatementLine) -> int:
                    blocks = self._blocks_of.get(id(statement), ())
                    return len(blocks) if where_used[: len(blocks)] == blocks else -1

                statement = max(found, key=encloses)  # the first of the deepest that holds it
                top = current.kind == "module" and any(s is statement for s in self._module.body)
                return None if top else (statement, current)
            first = False
            current = current.parent
        return None

    def import_reaches(
        self, local: str, qualname: str, scope: Scope, used_in: cst.CSTNode | None
    ) -> bool:
        """Whether an import binding ``local`` to ``qualname`` in ``scope`` is in effect at
        the line ``used_in``: at the top of its scope, or in a block that holds the line
        (an import in another branch of an ``if`` or ``try`` is not)."""
        where_used = self._blocks_of.get(id(used_in), ()) if used_in is not None else ()
        scope_blocks = self._blocks_of.get(id(_first_line(scope.node)), None)
        for statement, where, name, imported in self.import_aliases:
            if where is not scope or name != local or imported != qualname:
                continue
            if statement is None or used_in is None:
                return True
            blocks = self._blocks_of.get(id(statement), ())
            if where_used[: len(blocks)] == blocks or blocks == scope_blocks:
                return True
        return False

    def module_attribute(self, scope: Scope, target: cst.BaseExpression) -> str | None:
        """``api_key`` for ``openai.api_key`` (an attribute of the ``openai`` module)."""
        if isinstance(target, cst.Attribute) and self.is_openai_module(target.value, scope):
            return target.attr.value
        return None

    # Clients ----------------------------------------------------------------------------
    def constructor(self, call: cst.Call, cls: ClientClass) -> Constructor:
        """The one decision about a constructor call of ``cls``, asked by every fixer: where
        its ``base_url`` points (or the SDK's own default), and whether it migrates."""
        found = self._constructors.get(id(call))
        if found is None:
            found = self._constructors[id(call)] = self._decide(call, cls)
        return found

    def _decide(self, call: cst.Call, cls: ClientClass) -> Constructor:
        index = find_keyword(call, "base_url")
        url = string_value(call.args[index].value) if index is not None else None
        star = any(arg.star == "**" for arg in call.args)
        provider, left_alone = decide(
            cls, star_kwargs=star, has_url=index is not None, url=url, classify=self.classify
        )
        if left_alone is None and provider == "openai" and self.unserved_uses(call) is not None:
            provider, left_alone = decide(
                cls,
                star_kwargs=star,
                has_url=index is not None,
                url=url,
                classify=self.classify,
                unserved_only=True,
            )
        return Constructor(cls, provider, left_alone, index, url)

    def unserved_uses(self, call: cst.Call) -> tuple[str | None, tuple[str, ...]] | None:
        """For a client constructor whose every use is a request on an endpoint Cerebras
        does not serve (codemods/python/unserved.py says when that is sure): the name it is
        assigned to (None: the constructor is the receiver itself) and those endpoints. A
        module-level name that ``__all__`` exports or another module of the project reads
        is not sure either."""
        if self._call_scopes is None:
            self._call_scopes = {id(c): scope for c, scope in self.calls}
            # Cheap first: no unserved request anywhere (lambdas' bodies are not in
            # ``calls``), nothing to count.
            if not self._lambdas and not any(unserved_chain(c.func) for c, _ in self.calls):
                self._call_scopes = {}
        scope = self._call_scopes.get(id(call))
        if scope is None or scope.kind == "class":
            return None
        uses = self._uses.get(id(scope.node))
        if uses is None:
            uses = self._uses[id(scope.node)] = uses_in(scope.node)
        inline = uses.inline.get(id(call))
        if inline is not None:
            return None, (inline,)
        name = uses.assigned.get(id(call))
        found = only_unserved(uses, name) if name is not None else None
        if name is None or found is None:
            return None
        if scope.kind == "module" and (
            name in self.exported() or (self.place is not None and self.place.reached(name))
        ):
            return None
        return name, found

    def exported(self) -> set[str]:
        """The names the module's ``__all__`` lists (see ``listed_in_all``)."""
        if self._exported is None:
            self._exported = listed_in_all(self._module.body)
        return self._exported

    def client(self, node: cst.CSTNode, scope: Scope) -> ClientRef | None:
        """What client ``node`` evaluates to, if the code shows it is one."""
        key = id(node)
        if key in self._busy:  # ``client = client.with_options(...)`` and other cycles
            return None
        self._busy.add(key)
        try:
            return self._client(node, scope)
        finally:
            self._busy.discard(key)

    def _client(self, node: cst.CSTNode, scope: Scope) -> ClientRef | None:
        if isinstance(node, cst.Call):
            cls = self.client_class(node.func, scope)
            if cls is not None:
                return ClientRef(cls, self.constructor(node, cls).provider)
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in sdk.CLIENT_WRAPPER_CALLS:
                return self.client(func.value, scope)
            if isinstance(func, cst.Name):
                return self._returned_client(func, scope)
            if isinstance(func, cst.Attribute) and self.place is not None:
                qualname = self.qualname(func, scope)  # ``llm.get_client()``
                return self.place.returns(qualname) if qualname else None
            return None
        if isinstance(node, cst.Attribute):
            if node.attr.value in sdk.RESPONSE_WRAPPERS:
                return self.client(node.value, scope)
            if isinstance(node.value, cst.Name):
                owner = self._self_class(node.value.value, scope)
                if owner is not None:
                    return self._from_bindings(owner.attributes.get(node.attr.value, []))
            if self.place is not None:
                qualname = self.qualname(node, scope)  # ``llm.client``
                return self.place.client(qualname) if qualname else None
            return None
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            # ``client or OpenAI()``, ``client or get_client()``: either may be it.
            return _either(self.client(node.left, scope), self.client(node.right, scope))
        if isinstance(node, cst.IfExp):
            return _either(self.client(node.body, scope), self.client(node.orelse, scope))
        if isinstance(node, cst.Name):
            if self.is_openai_module(node, scope):
                return ClientRef(None, self.module_provider())
            return self._from_bindings(self.lookup(node.value, scope))
        return None

    def _self_class(self, name: str, scope: Scope) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.kind == "function":
            if current.owner_class is not None:
                return current.owner_class if current.self_name == name else None
            current = current.parent
        return None

    def _from_bindings(self, bindings: list[Binding]) -> ClientRef | None:
        found: ClientRef | None = None
        for binding in bindings:
            ref: ClientRef | None = None
            if binding.kind == "value" and binding.node is not None and binding.scope:
                ref = self.client(binding.node, binding.scope)
            elif binding.kind == "annotation" and binding.node is not None and binding.scope:
                for expr in _annotation_exprs(binding.node):  # type: ignore[arg-type]
                    cls = self.client_class(expr, binding.scope)
                    if cls is not None:
                        ref = ClientRef(cls, "unknown")
                        break
            elif binding.kind == "import" and self.place is not None and binding.qualname:
                ref = self.place.client(binding.qualname)
            elif binding.kind == "param" and self.place is not None and binding.scope:
                function = _function_key(binding.scope)
                if function is not None and binding.qualname:
                    ref = self.place.param(function, binding.qualname)
            if ref is not None and (found is None or found.provider == "unknown"):
                found = ref
        return found

    def _returned_client(self, func: cst.Name, scope: Scope) -> ClientRef | None:
        """A call of a function of this module that returns (or is annotated to return) a client."""
        for binding in self.lookup(func.value, scope):
            if binding.kind == "import" and self.place is not None and binding.qualname:
                ref = self.place.returns(binding.qualname)
                if ref is not None:
                    return ref
            if binding.kind != "def" or not isinstance(binding.node, cst.FunctionDef):
                continue
            definition = binding.node
            inner = self.scopes.get(definition)
            if inner is None:
                continue
            # A function taking a client is a wrapper (``patch(client)``): what it returns
            # is a client only when it builds one itself.
            wrapper = any(
                b.kind == "annotation"
                and b.node is not None
                and b.scope is not None
                and any(
                    self.client_class(e, b.scope)
                    for e in _annotation_exprs(b.node)  # type: ignore[arg-type]
                )
                for bindings in inner.bindings.values()
                for b in bindings
                if b.scope is not inner
            )
            for value in inner.returns:
                if _passes_through(value, inner):
                    continue  # ``return client``: a wrapper may have patched its methods
                if wrapper and not (
                    isinstance(value, cst.Call) and self.client_class(value.func, inner)
                ):
                    continue
                ref = self.client(value, inner)
                if ref is not None:
                    return ref
            if definition.returns is not None and binding.scope is not None and not wrapper:
                for expr in _annotation_exprs(definition.returns.annotation):
                    cls = self.client_class(expr, binding.scope)
                    if cls is not None:
                        return ClientRef(cls, "unknown")
        return None

    def module_provider(self) -> Provider:
        """Where the module-level ``openai`` client points, from ``openai.base_url = ...``."""
        provider: Provider = "openai"
        for url in self.module_base_urls():
            value = string_value(url)
            provider = self.classify(value) if value is not None else "dynamic"
        return provider

    def module_base_urls(self) -> list[cst.BaseExpression]:
        return self.module_config().get("base_url", [])

    def module_config(self) -> dict[str, list[cst.BaseExpression]]:
        """``openai.<attr> = value`` assignments to the module-level client, by attribute."""
        if self._module_config is None:
            config: dict[str, list[cst.BaseExpression]] = {}
            for target, value, scope in self._attribute_assignments:
                if self.is_openai_module(target.value, scope):
                    config.setdefault(target.attr.value, []).append(value)
            self._module_config = config
        return self._module_config

    # Requests ---------------------------------------------------------------------------
    def request(self, call: cst.Call, scope: Scope) -> RequestCall | None:
        """The request ``call`` makes, when it is a request method on a resolved client.

        ``client.with_options(...).chat.completions.with_raw_response.create`` counts: the
        wrappers change how the response is returned, not what is sent.
        """
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in REQUEST_VERBS:
            return None
        found = self.client_chain(func, scope)
        if found is None:
            return None
        client, _, names = found
        method = sdk.REQUEST_METHODS.get(tuple(names))
        return RequestCall(method, client) if method is not None else None

    def request_shape(self, call: cst.Call, scope: Scope) -> tuple[str, cst.BaseExpression] | None:
        """For a call that has the shape of a request (``x.chat.completions.create``) on a
        receiver that resolves to no client: the method and the receiver, unless the code
        shows the receiver is something else (built from, or annotated with, a class that is
        not a client: another SDK's client with the same methods)."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in REQUEST_VERBS:
            return None
        # The attributes from the call inward, each with what it is taken of: the path of
        # the request is a suffix (``ctx.client.chat.completions.create``: ``ctx.client``).
        names: list[str] = []
        bases: list[cst.BaseExpression] = []
        node: cst.BaseExpression = func
        # A wrapper (``with_raw_response``, ``with_options(...)``) is stepped over, and what
        # it wraps becomes the base of the name above it.
        while len(names) <= _LONGEST:
            if isinstance(node, cst.Attribute) and node.attr.value not in sdk.RESPONSE_WRAPPERS:
                names.append(node.attr.value)
                bases.append(node.value)
                node = node.value
                continue
            if isinstance(node, cst.Attribute):
                node = node.value
            elif (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value in sdk.CLIENT_WRAPPER_CALLS
            ):
                node = node.func.value
            else:
                break
            if bases:
                bases[-1] = node
        for size in _REQUEST_SIZES:
            path = tuple(reversed(names[:size]))
            method = sdk.REQUEST_METHODS.get(path) if len(names) >= size else None
            if method is None:
                continue
            receiver = bases[size - 1]
            if self.client(receiver, scope) is not None or self._known_other(receiver, scope):
                return None
            return method, receiver
        return None

    def _known_other(self, node: cst.BaseExpression, scope: Scope) -> bool:
        """Whether the code shows ``node`` is an object of some class that is no client."""
        bindings: list[Binding] = []
        if isinstance(node, cst.Name):
            bindings = self.lookup(node.value, scope)
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            owner = self._self_class(node.value.value, scope)
            if owner is not None:
                bindings = owner.attributes.get(node.attr.value, [])
        elif isinstance(node, cst.Call):
            return self.qualname(node.func, scope) is not None
        for binding in bindings:
            if binding.scope is None or binding.node is None:
                continue
            if binding.kind == "value" and isinstance(binding.node, cst.Call):
                func = binding.node.func
                if self.qualname(func, binding.scope) is not None:
                    return True
                if isinstance(func, cst.Name) and any(
                    b.kind == "class" for b in self.lookup(func.value, binding.scope)
                ):
                    return True  # an instance of a class of this module (a mock, a wrapper)
            elif binding.kind == "annotation":
                for expr in _annotation_exprs(binding.node):  # type: ignore[arg-type]
                    if self.qualname(expr, binding.scope) is not None:
                        return True
        return any(b.kind == "import" for b in bindings) and self.place is None

    def client_chain(
        self, func: cst.BaseExpression, scope: Scope
    ) -> tuple[ClientRef, cst.BaseExpression, list[str]] | None:
        """The client an attribute chain starts from, and the names after it:
        ``self.client.with_options(x).chat.with_raw_response.completions.create`` →
        (the client, ``self.client``, [chat, completions, create]). Wrappers that change how
        a response is returned, not what is sent, are left out of the names."""
        names: list[str] = []
        node = func
        while True:
            if names:
                client = self.client(node, scope)
                if client is not None:
                    return client, node, list(reversed(names))
            if isinstance(node, cst.Attribute):
                if node.attr.value not in sdk.RESPONSE_WRAPPERS:
                    names.append(node.attr.value)
                node = node.value
            elif (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value in sdk.CLIENT_WRAPPER_CALLS
            ):
                node = node.func.value
            else:
                return None

    def module_requests(self) -> list[cst.Call]:
        """Request calls made on the ``openai`` module itself."""
        found = []
        for call, scope in self.calls:
            request = self.request(call, scope)
            if request is not None and request.client.is_module:
                found.append(call)
        return found

    def module_import_anchor(self) -> cst.SimpleStatementLine | None:
        """The statement after which module-level configuration goes: the end of the import
        block holding the first ``import openai`` (or that import itself, inside a function)."""
        if not self._module_imports:
            return None
        statement, scope, _ = self._module_imports[0]
        if scope.kind != "module":
            return statement
        body = list(self._module.body)
        if statement not in body:
            return statement
        index = body.index(statement)
        while index + 1 < len(body) and _is_import_line(body[index + 1]):
            index += 1
        anchor = body[index]
        return anchor if isinstance(anchor, cst.SimpleStatementLine) else statement

    def module_alias(self) -> str | None:
        """The name the ``openai`` module is imported under (``oa`` for ``import openai as oa``)."""
        return self._module_imports[0][2] if self._module_imports else None


def _passes_through(value: cst.BaseExpression, scope: Scope) -> bool:
    """Whether a function returns one of its own parameters as it is (``return client``):
    what callers get is then whatever they passed, perhaps with its methods patched
    (``instructor.patch(client)`` returns the client, its ``create`` now taking
    ``response_model``), so it is not followed."""
    if not isinstance(value, cst.Name):
        return False
    bindings = scope.bindings.get(value.value, ())
    return bool(bindings) and all(b.kind in ("param", "annotation") for b in bindings)


def _first_line(node: cst.CSTNode) -> cst.CSTNode | None:
    """The first statement line directly in a module's or function's body, if any."""
    body = getattr(node, "body", None)
    statements = getattr(body, "body", body)
    if isinstance(statements, (list, tuple)) and statements:
        first = statements[0]
        return first if isinstance(first, cst.SimpleStatementLine) else None
    return None


def _function_key(scope: Scope) -> str | None:
    """``f`` or ``Class.method`` for a module-level function or a method of a module-level
    class (the index's keys); None for anything nested deeper."""
    node, parent = scope.node, scope.parent
    if not isinstance(node, cst.FunctionDef) or parent is None:
        return None
    if parent.kind == "module":
        return node.name.value
    if parent.kind == "class" and parent.parent is not None and parent.parent.kind == "module":
        assert isinstance(parent.node, cst.ClassDef)
        return f"{parent.node.name.value}.{node.name.value}"
    return None


def _either(first: ClientRef | None, second: ClientRef | None) -> ClientRef | None:
    """What one of two alternatives is: the one whose provider is known wins over a type;
    two clients that the migration treats differently cannot be told apart."""
    if first is None or (first.provider == "unknown" and second is not None):
        return second
    if second is not None and second.provider != "unknown" and second.migrated != first.migrated:
        return ClientRef(first.cls, "unattributed")
    return first


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


_ALL_GROWERS = frozenset({"append", "extend"})


def listed_in_all(body: Sequence[cst.CSTNode]) -> set[str]:
    """The names a module's top-level statements put in ``__all__``: assigned (a list or a
    tuple, annotated or not, or a sum of them), added with ``+=``, ``.extend`` or
    ``.append``, in ``if``/``try`` blocks too. Each is what ``from module import *`` and a
    reader of ``__all__`` rely on, so an import it lists keeps its name; reading only the
    first assignment let ``__all__ += ["OpenAI"]`` list a name the migration removed."""
    names: set[str] = set()
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                names.update(_all_additions(small))
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            for block in _blocks(statement):
                names.update(listed_in_all(block))
    return names


def _blocks(statement: cst.CSTNode) -> Iterator[Sequence[cst.CSTNode]]:
    """The statement lists of a module-level ``if``/``try``/``with`` (not of defs)."""
    body = getattr(statement, "body", None)
    if isinstance(body, cst.IndentedBlock):
        yield body.body
    for part in (*getattr(statement, "handlers", ()), getattr(statement, "orelse", None)):
        if isinstance(part, cst.If):
            yield from _blocks(part)
        elif part is not None and isinstance(part.body, cst.IndentedBlock):
            yield part.body.body
    final = getattr(statement, "finalbody", None)
    if final is not None and isinstance(final.body, cst.IndentedBlock):
        yield final.body.body


def _all_additions(small: cst.BaseSmallStatement) -> list[str]:
    if isinstance(small, cst.Assign):
        if any(_is_all(target.target) for target in small.targets):
            return _listed(small.value)
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        if _is_all(small.target) and small.value is not None:
            return _listed(small.value)
    elif isinstance(small, cst.Expr) and isinstance(call := small.value, cst.Call):
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and _is_all(func.value)
            and func.attr.value in _ALL_GROWERS
            and call.args
        ):
            value = call.args[0].value
            if func.attr.value == "append":
                name = string_value(value)
                return [name] if name is not None else []
            return _listed(value)
    return []


def _is_all(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "__all__"


def _listed(value: cst.BaseExpression) -> list[str]:
    """The strings of a list, tuple or set literal, or of a sum of them."""
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return [*_listed(value.left), *_listed(value.right)]
    if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
        return [
            name for element in value.elements if (name := string_value(element.value)) is not None
        ]
    return []
