"""What a name is in one module: which local names are the SDKs' classes or modules, which
values are clients, and which calls are requests.

Names are resolved through imports, never by spelling, and only the exact specifiers count
(``"openai"``, ``"@cerebras/cerebras_cloud_sdk"``; ``@langchain/openai`` or a local
``./openai`` are look-alikes):

- ``import OpenAI from "openai"`` (the default export is the client class),
  ``import { OpenAI as C } from "openai"``, ``import * as o from "openai"`` (``o.OpenAI``,
  ``o.default``);
- ``const OpenAI = require("openai")`` (CommonJS gets the class, which also carries the
  named exports), ``const { OpenAI: C } = require("openai")``,
  ``const C = require("openai").OpenAI``.

A client is a ``new`` of such a class held in a variable (``const client = new
OpenAI()``), in ``this.client`` (assigned, or a class field), or used where it is made
(``new OpenAI().chat...``). A request is a call of one of the SDK's request methods
(``facts/sdk.REQUEST_METHODS``) on a client, through ``withOptions(...)`` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from codemods.facts import js, sdk

if TYPE_CHECKING:
    import tree_sitter

    Node = tree_sitter.Node

Kind = Literal["class", "module", "both"]


@dataclass(frozen=True)
class Binding:
    """A local name bound by an SDK import: a class of ``sdk_name`` (``export``), its module
    object, or both (what ``require`` returns)."""

    sdk_name: str  # "openai" or "cerebras"
    kind: Kind
    export: str  # the class's exported name; the default class for a module
    node: Node  # the import or require that binds it
    scope: int = 0  # the scope declaring it (``Scopes.scope_of``): 0 for an import


@dataclass
class Client:
    """One ``new`` of an SDK class, and what the constructor fixer decided for it; or a
    client another module of the project makes (``origin``: the specifier it is imported
    by), with the decision made there."""

    node: Node  # the new_expression; for an imported client, its import
    sdk_name: str
    cls: str  # the exported class name: "OpenAI", "AzureOpenAI", "Cerebras"
    moves: bool = False  # pointed at Cerebras (or already there): its requests follow
    origin: str | None = None


@dataclass(frozen=True)
class Exported:
    """What another module exports that is a client (``export const openai = new
    OpenAI()``), or a function returning one (``factory``), with that module's decision."""

    sdk_name: str
    cls: str
    moves: bool
    factory: bool = False


# The clients other modules of the project export, by the specifier this module imports them
# with (``"./lib/openai"``, ``"@/lib/openai"``), then by export name (``"default"`` too).
Imports = Mapping[str, Mapping[str, Exported]]


@dataclass
class Request:
    node: Node  # the call_expression
    method: str  # "chat.completions.create", ...
    clients: tuple[Client, ...]  # what the receiver may be: each made under its name
    params: Node | None  # the first argument when it is an object literal

    @property
    def moves(self) -> bool:
        return all(client.moves for client in self.clients)


@dataclass
class Untraced:
    """A call shaped like a request on something no client in the module is held under."""

    node: Node
    receiver: str
    method: str


@dataclass
class Module:
    bindings: dict[str, Binding] = field(default_factory=dict)
    imports: list[Node] = field(default_factory=list)  # the SDK imports and requires
    clients: list[Client] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    untraced: list[Untraced] = field(default_factory=list)
    scopes: Scopes | None = None
    # Where each client is kept (``holder``), and what each new_expression (or call of an
    # imported factory) makes: what ``project.exports`` reads.
    held: dict[Key, list[Client]] = field(default_factory=dict)
    made: dict[int, Client] = field(default_factory=dict)
    # Local names bound to other modules' clients or factories (``import { openai } from
    # "./lib/openai"``), with the import that binds them.
    remote: dict[str, tuple[Exported, str, Node, int]] = field(default_factory=dict)
    quote: str | None = None  # the quote of the first SDK specifier: what new strings use
    # Keys also bound to something that is not a client (``_other_bindings``).
    elsewhere: set[Key] = field(default_factory=set)
    # Clients kept on OpenAI because every use is an endpoint Cerebras does not serve
    # (``js/unserved.py``): out of ``clients``, so no constructor fixer touches them.
    kept: list[Client] = field(default_factory=list)


def string_value(node: Node | None) -> str | None:
    """The value of a plain string literal (no escapes), else None."""
    if node is None or node.type != "string":
        return None
    parts = [c for c in node.named_children]
    if not parts:
        return ""
    if len(parts) == 1 and parts[0].type == "string_fragment":
        return parts[0].text.decode("utf-8")
    return None


def _awaited(node: Node | None) -> Node | None:
    """``node`` without the ``await`` and parentheses around it."""
    while node is not None and node.type in ("await_expression", "parenthesized_expression"):
        node = node.named_children[0] if node.named_children else None
    return node


def _is_dynamic_import(node: Node | None) -> bool:
    node = _awaited(node)
    function = node.child_by_field_name("function") if node is not None else None
    return function is not None and function.type == "import"


def _require_specifier(node: Node | None) -> str | None:
    """``x`` of ``require("x")``, or of ``await import("x")``."""
    node = _awaited(node)
    if node is None or node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None:
        return None
    if function.type != "import" and (function.type != "identifier" or function.text != b"require"):
        return None
    if arguments is None or arguments.named_child_count != 1:
        return None
    return string_value(arguments.named_children[0])


def walk(root: Node) -> list[Node]:
    """Every node below ``root``, in source order."""
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def _bind_import(module: Module, node: Node) -> None:
    source = string_value(node.child_by_field_name("source"))
    sdk_name = js.SPECIFIERS.get(source or "")
    if sdk_name is None:
        return
    module.imports.append(node)
    default_class = js.CLIENT_CLASSES[sdk_name][0]
    for clause in node.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                module.bindings[part.text.decode()] = Binding(
                    sdk_name, "class", default_class, node
                )
            elif part.type == "namespace_import":
                for name in part.named_children:
                    if name.type == "identifier":
                        module.bindings[name.text.decode()] = Binding(
                            sdk_name, "module", default_class, node
                        )
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if name is None or alias is None:
                        continue
                    export = name.text.decode()
                    if export == "default":
                        export = default_class
                    module.bindings[alias.text.decode()] = Binding(sdk_name, "class", export, node)


def _bind_remote(module: Module, node: Node, imports: Imports) -> None:
    """``import { openai as ai } from "./lib/openai"``, ``import client from "@/lib/llm"``,
    ``const { openai } = require("./lib/openai")``: names of clients other modules make."""
    if node.type == "import_statement":
        specifier = string_value(node.child_by_field_name("source"))
        exports = imports.get(specifier or "")
        if exports is None or specifier is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    pairs = [("default", part)]
                elif part.type == "named_imports":
                    pairs = []
                    for spec in part.named_children:
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if spec.type == "import_specifier" and name is not None and alias:
                            pairs.append((name.text.decode(), alias))
                else:
                    continue
                for export, local in pairs:
                    if export in exports:
                        module.remote[local.text.decode()] = (exports[export], specifier, node, 0)
        return
    value = node.child_by_field_name("value")
    target = node.child_by_field_name("name")
    specifier = _require_specifier(value)
    exports = imports.get(specifier or "")
    if exports is None or specifier is None or target is None:
        return
    if target.type == "identifier" and "default" in exports and module.scopes is not None:
        # ``const openai = require("./lib/openai")``: ``module.exports``, the default.
        scope = module.scopes.scope_of(target)
        module.remote[target.text.decode()] = (exports["default"], specifier, node, scope)
        return
    if target.type != "object_pattern":
        return
    for part in target.named_children:
        if part.type == "shorthand_property_identifier_pattern":
            export, local = part.text.decode(), part
        elif part.type == "pair_pattern":
            key, local = part.child_by_field_name("key"), part.child_by_field_name("value")
            if key is None or local is None or local.type != "identifier":
                continue
            export = key.text.decode()
        else:
            continue
        if export in exports and module.scopes is not None:
            scope = module.scopes.scope_of(local)
            module.remote[local.text.decode()] = (exports[export], specifier, node, scope)


def _bind_require(module: Module, node: Node) -> None:
    """A variable_declarator whose value is ``require(SDK)`` or ``require(SDK).Name``, or
    the same with ``await import(SDK)`` (``(await import("openai")).default``, ``const {
    default: OpenAI } = await import("openai")``), whose namespace is a module object."""
    value = _awaited(node.child_by_field_name("value"))
    target = node.child_by_field_name("name")
    if value is None or target is None:
        return
    export: str | None = None
    if value.type == "member_expression":
        prop = value.child_by_field_name("property")
        export = prop.text.decode() if prop is not None else None
        value = value.child_by_field_name("object")
    sdk_name = js.SPECIFIERS.get(_require_specifier(value) or "")
    if sdk_name is None:
        return
    module.imports.append(node)
    default_class = js.CLIENT_CLASSES[sdk_name][0]
    scopes = module.scopes
    assert scopes is not None
    if export is not None:
        if target.type == "identifier":
            name = default_class if export == "default" else export
            module.bindings[target.text.decode()] = Binding(
                sdk_name, "class", name, node, scopes.scope_of(target)
            )
        return
    if target.type == "identifier":
        # CommonJS gives the class (carrying the named exports), import() the namespace.
        kind: Kind = "module" if _is_dynamic_import(value) else "both"
        module.bindings[target.text.decode()] = Binding(
            sdk_name, kind, default_class, node, scopes.scope_of(target)
        )
    elif target.type == "object_pattern":
        for part in target.named_children:
            if part.type == "shorthand_property_identifier_pattern":
                name = part.text.decode()
                module.bindings[name] = Binding(
                    sdk_name, "class", name, node, scopes.scope_of(part)
                )
            elif part.type == "pair_pattern":
                key = part.child_by_field_name("key")
                local = part.child_by_field_name("value")
                if key is None or local is None or local.type != "identifier":
                    continue
                export = key.text.decode()
                if export == "default":
                    export = default_class
                module.bindings[local.text.decode()] = Binding(
                    sdk_name, "class", export, node, scopes.scope_of(local)
                )


def bound(module: Module, name: Node) -> Binding | None:
    """The SDK binding an identifier refers to: None when it is another name, or the SDK's
    name shadowed by a parameter or a local declaration."""
    binding = module.bindings.get(name.text.decode())
    if binding is None:
        return None
    if module.scopes is not None and module.scopes.scope_of(name) != binding.scope:
        return None
    return binding


def constructed_class(module: Module, node: Node) -> tuple[str, str] | None:
    """(sdk, exported class) that a new_expression constructs, or None."""
    constructor = node.child_by_field_name("constructor")
    if constructor is None:
        return None
    if constructor.type == "identifier":
        binding = bound(module, constructor)
        if binding is None or binding.kind == "module":
            return None
        return binding.sdk_name, binding.export
    if constructor.type == "member_expression":
        obj = constructor.child_by_field_name("object")
        prop = constructor.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier":
            return None
        binding = bound(module, obj)
        if binding is None or binding.kind == "class":
            return None
        name = prop.text.decode()
        if name == "default":
            return binding.sdk_name, binding.export
        if name in js.CLIENT_CLASSES[binding.sdk_name] or name in js.AZURE_CLASSES:
            return binding.sdk_name, name
    return None


def holder(scopes: Scopes, node: Node) -> Key | None:
    """The key a client made by ``node`` (a new_expression) is kept under: a variable or
    ``this.client``; None when it is used where it is made."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        target = parent.child_by_field_name("name")
        if target is not None and target.type == "identifier":
            return scopes.key(target)
    if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        return scopes.key(parent.child_by_field_name("left"))
    if parent.type in ("field_definition", "public_field_definition"):
        name = parent.child_by_field_name("property") or parent.child_by_field_name("name")
        if name is not None and name.type == "property_identifier":
            return scopes.this_key(parent, name.text.decode())
    return None


def receiver_text(call: Node) -> str:
    """How a request's receiver is written: ``llm``, ``getClient()``, ``this.client``."""
    function = call.child_by_field_name("function")
    text = function.text.decode(errors="replace") if function is not None else ""
    for marker in (".chat.", ".completions.", ".beta.", ".withOptions("):
        if marker in text:
            return text.split(marker, 1)[0]
    return text


def shown(key: Key) -> str:
    """How a key is written: ``client``, ``this.client``."""
    return key[2] if key[0] == "var" else "this." + key[2]


def receiver_path(function: Node) -> tuple[Node, tuple[str, ...], bool] | None:
    """What a call's function is called on, the attribute path below it
    (``client.chat.completions.create``: ``client`` and ``("chat", "completions",
    "create")``), looking through ``withOptions(...)``, and whether no ``withOptions(...)``
    stands between them. The receiver is a node (an identifier, a new_expression, the call
    of a factory, ``this.name``)."""
    names: list[str] = []
    direct = True
    node = function
    while True:
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            obj = node.child_by_field_name("object")
            if prop is None or obj is None or prop.type != "property_identifier":
                return None
            names.append(prop.text.decode())
            node = obj
            continue
        if node.type == "call_expression":
            inner = node.child_by_field_name("function")
            if inner is not None and inner.type == "identifier":
                break  # ``getClient().chat...``: a factory's call is the receiver
            if inner is None or inner.type != "member_expression":
                return None
            prop = inner.child_by_field_name("property")
            obj = inner.child_by_field_name("object")
            if prop is None or obj is None or prop.text.decode() not in js.CLIENT_WRAPPERS:
                return None
            node, direct = obj, False
            continue
        break
    path = tuple(reversed(names))
    receiver = node
    if node.type == "this":
        if len(path) < 2:
            return None
        receiver = node.parent  # ``this.client``
        while receiver is not None and receiver.child_by_field_name("object") != node:
            receiver = receiver.parent
        if receiver is None:
            return None
        path = path[1:]
    return receiver, path, direct


def _request_path(function: Node) -> tuple[Node, tuple[str, ...]] | None:
    """The receiver and path of a call shaped like a request (``sdk.REQUEST_METHODS``)."""
    found = receiver_path(function)
    if found is None or found[1] not in sdk.REQUEST_METHODS:
        return None
    return found[0], found[1]


# Scopes --------------------------------------------------------------------------------

# Nodes that open a scope: ``var`` and function names go to the nearest function one (or the
# module), ``let``/``const``/``class`` to the nearest of any kind.
_FUNCTION_SCOPES = frozenset(
    {
        "program",
        "function_declaration",
        "function_expression",
        "function",
        "generator_function_declaration",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
_BLOCK_SCOPES = _FUNCTION_SCOPES | frozenset(
    {
        "statement_block",
        "for_statement",
        "for_in_statement",
        "catch_clause",
        "switch_body",
        "class_body",
    }
)
_FUNCTIONS = _FUNCTION_SCOPES - {"program"}
_CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
_PARAMETER_WRAPPERS = frozenset({"required_parameter", "optional_parameter"})

# What a key names: a variable in a scope (the scope node's id, the name), or ``this.name``
# in a class (the class node's id; 0 outside any).
Key = tuple[str, int, str]


def pattern_names(node: Node | None) -> list[Node]:
    """The identifiers a binding pattern binds: ``a``, ``{ a, b: c, ...d }``, ``[e = 1]``."""
    if node is None:
        return []
    kind = node.type
    if kind in _PARAMETER_WRAPPERS:
        return pattern_names(node.child_by_field_name("pattern"))
    if kind in ("identifier", "shorthand_property_identifier_pattern"):
        return [node]
    if kind in ("assignment_pattern", "object_assignment_pattern"):
        return pattern_names(node.child_by_field_name("left"))
    if kind == "pair_pattern":
        return pattern_names(node.child_by_field_name("value"))
    if kind in ("object_pattern", "array_pattern", "rest_pattern"):
        return [name for child in node.named_children for name in pattern_names(child)]
    return []


class Scopes:
    """Which scope declares each name, for one parsed module: a reference resolves to the
    innermost scope around it that declares it (a parameter, a ``let`` in a block, a catch
    parameter shadow the module's name), so two ``client`` variables are two keys."""

    def __init__(self, nodes: list[Node]) -> None:
        self.declared: dict[int, set[str]] = {}
        for node in nodes:
            kind = node.type
            if kind == "variable_declarator":
                declaration = node.parent
                var = declaration is not None and declaration.type == "variable_declaration"
                scope = self._enclosing(node, _FUNCTION_SCOPES if var else _BLOCK_SCOPES)
                self._declare(scope, pattern_names(node.child_by_field_name("name")))
            elif kind == "formal_parameters" and node.parent is not None:
                names = [name for child in node.named_children for name in pattern_names(child)]
                self._declare(node.parent, names)
            elif kind == "arrow_function" or kind == "catch_clause":
                self._declare(node, pattern_names(node.child_by_field_name("parameter")))
            elif kind == "for_in_statement":
                self._declare(node, pattern_names(node.child_by_field_name("left")))
            elif kind in ("function_declaration", "generator_function_declaration"):
                self._declare(
                    self._enclosing(node, _FUNCTION_SCOPES), [node.child_by_field_name("name")]
                )
            elif kind in ("function_expression", "function", "generator_function"):
                self._declare(node, [node.child_by_field_name("name")])
            elif kind in ("class_declaration", "abstract_class_declaration"):
                self._declare(
                    self._enclosing(node, _BLOCK_SCOPES), [node.child_by_field_name("name")]
                )
            elif kind in ("import_specifier", "namespace_import", "import_clause"):
                pass  # imports are the module's: see ``module_scope``

    def _declare(self, scope: Node | None, names: list[Node | None]) -> None:
        if scope is None:
            return
        found = self.declared.setdefault(scope.id, set())
        found.update(name.text.decode() for name in names if name is not None)

    @staticmethod
    def _enclosing(node: Node, kinds: frozenset[str]) -> Node | None:
        parent = node.parent
        while parent is not None and parent.type not in kinds:
            parent = parent.parent
        return parent

    def scope_of(self, name: Node) -> int:
        """The id of the scope declaring the identifier ``name`` (a reference or a
        declaration); 0 when none does (a global, or an import: the module's)."""
        text = name.text.decode()
        node = name.parent
        while node is not None:
            if text in self.declared.get(node.id, ()):
                return node.id
            node = node.parent
        return 0

    def key(self, node: Node | None) -> Key | None:
        """The key of ``client`` (an identifier) or ``this.client``; None for anything else.
        ``this`` is the nearest class's: an arrow function keeps it, a function is taken as
        a method of the class it is in."""
        if node is None:
            return None
        if node.type == "identifier":
            return ("var", self.scope_of(node), node.text.decode())
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is not None and obj.type == "this" and prop is not None:
                return self.this_key(node, prop.text.decode())
        return None

    def this_key(self, node: Node, name: str) -> Key:
        owner = self._enclosing(node, _CLASSES)
        return ("this", owner.id if owner is not None else 0, name)


def _other_bindings(
    nodes: list[Node], made: dict[int, Client], scopes: Scopes, remote: frozenset[int]
) -> set[Key]:
    """Keys bound somewhere to something that is not a client: ``let client = pick()`` in
    the scope that declares the client too, ``this.client = client`` in its class. A
    parameter or a declaration in another scope is another key, and never one of these;
    nor is ``const { openai } = require("./lib/openai")`` (``remote``: those declarators),
    which binds another module's client."""
    found: set[Key] = set()

    def is_client(value: Node | None) -> bool:
        return value is not None and value.id in made  # a new_expression, a factory's call

    def add(key: Key | None) -> None:
        if key is not None:
            found.add(key)

    for node in nodes:
        kind = node.type
        if kind == "variable_declarator":
            target = node.child_by_field_name("name")
            # ``let client;`` (or ``= null``, a lazy getter's) binds nothing yet.
            value = node.child_by_field_name("value")
            if target is None or value is None or value.type in ("null", "undefined"):
                continue
            if node.id in remote:
                continue
            if target.type != "identifier":  # ``const { client } = deps``
                for name in pattern_names(target):
                    found.add(("var", scopes.scope_of(name), name.text.decode()))
            elif not is_client(value):
                add(scopes.key(target))
        elif kind == "assignment_expression":
            if not is_client(node.child_by_field_name("right")):
                add(scopes.key(node.child_by_field_name("left")))
        elif kind in ("field_definition", "public_field_definition"):
            name = node.child_by_field_name("property") or node.child_by_field_name("name")
            value = node.child_by_field_name("value")  # ``client: OpenAI;`` binds nothing
            if name is not None and value is not None and not is_client(value):
                found.add(scopes.this_key(node, name.text.decode()))
        elif kind in ("function_declaration", "class_declaration"):
            add(scopes.key(node.child_by_field_name("name")))
    return found


def _remote_client(module: Module, name: Node, factory: bool) -> Client | None:
    """The client an identifier names (or, with ``factory``, a call of it returns) when it
    is bound to another module's export, not shadowed."""
    found = module.remote.get(name.text.decode())
    if found is None or found[0].factory != factory:
        return None
    exported, specifier, node, scope = found
    if module.scopes is not None and module.scopes.scope_of(name) != scope:
        return None
    return Client(node, exported.sdk_name, exported.cls, exported.moves, specifier)


def read_module(root: Node, imports: Imports | None = None) -> Module:
    """Bindings, clients and requests of one parsed module; ``imports``: the clients other
    modules of the project export, by the specifiers this one may import them with."""
    module = Module()
    nodes = walk(root)
    scopes = module.scopes = Scopes(nodes)
    for node in nodes:
        if node.type == "import_statement":
            _bind_import(module, node)
            if imports:
                _bind_remote(module, node, imports)
        elif node.type == "variable_declarator":
            _bind_require(module, node)
            if imports:
                _bind_remote(module, node, imports)
    for node in module.imports:
        source = node.child_by_field_name("source")
        if source is None:
            for inner in walk(node):
                if inner.type == "string":
                    source = inner
                    break
        if source is not None and source.text[:1] in (b'"', b"'"):
            module.quote = source.text[:1].decode()
            break
    if not module.bindings and not module.remote:
        return module
    held, made = module.held, module.made
    for name in module.remote:
        # An imported client is held under its local name, at the module's level.
        exported, specifier, node, scope = module.remote[name]
        if not exported.factory:
            client = Client(node, exported.sdk_name, exported.cls, exported.moves, specifier)
            held.setdefault(("var", scope, name), []).append(client)
    for node in nodes:
        if node.type == "call_expression" and module.remote:
            function = node.child_by_field_name("function")
            if function is None or function.type != "identifier":
                continue
            remote = _remote_client(module, function, factory=True)
            if remote is None:
                continue
            made[node.id] = remote  # ``getClient()``: what that module's factory returns
            key = holder(scopes, node)
            if key is not None:
                held.setdefault(key, []).append(remote)
        elif node.type == "new_expression":
            found = constructed_class(module, node)
            if found is None:
                continue
            client = Client(node, found[0], found[1])
            module.clients.append(client)
            made[node.id] = client
            key = holder(scopes, node)
            if key is not None:
                held.setdefault(key, []).append(client)
    # A key also bound to anything but a client (``client = pick()`` beside ``client = new
    # OpenAI()``, ``this.client = client``): which one a request gets is not known, so its
    # requests are reported, never guessed.
    required = frozenset(
        n.id for _, _, n, _ in module.remote.values() if n.type != "import_statement"
    )
    elsewhere = module.elsewhere = _other_bindings(nodes, made, scopes, required)
    for node in nodes:
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is None:
            continue
        found_path = _request_path(function)
        if found_path is None:
            continue
        receiver, path = found_path
        method = sdk.REQUEST_METHODS[path]
        clients: list[Client] = []
        key: Key | None = None
        if receiver.type in ("new_expression", "call_expression"):
            client = made.get(receiver.id)
            if client is None and receiver.type == "call_expression":
                continue  # a call of anything else, as before: not a request on a client
            clients = [client] if client is not None else []
        else:
            key = scopes.key(receiver)
            if key is not None and key not in elsewhere:
                clients = held.get(key, [])
        if not clients:
            if receiver.type != "identifier" or bound(module, receiver) is None:
                name = shown(key) if key is not None else None
                name = name or function.text.decode(errors="replace").split(".", 1)[0]
                module.untraced.append(Untraced(node, name, method))
            continue
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        params = first if first is not None and first.type == "object" else None
        module.requests.append(Request(node, method, tuple(clients), params))
    return module
