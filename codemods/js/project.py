"""What a JavaScript or TypeScript module offers the rest of its project: the clients it
exports, each with the decision its own migration makes for it.

A module's summary is simple: its export names that are a client (``export const openai
= new OpenAI(...)``, ``export default new OpenAI()``, ``export { client as openai }``,
``export default client``) or a function returning one (``export function getClient()``
whose every ``return`` is a client, a lazy ``if (!client) client = new OpenAI(); return
client`` too, or ``export const getClient = () => new OpenAI()``), with whether that client
moves to Cerebras: the module's own fixers decide it (``summarize`` runs them), so an
importer follows exactly what the constructor's module does. ``migrator/project.py`` finds
the modules importing them (relative specifiers, ``tsconfig.json`` ``paths``/``baseUrl``)
and hands each its ``resolve.Imports``.

Model constants (``constants.py``) are the project's too: ``model_reads`` gives what one
module reads of the constants it imports and what it does with those it exports, and the
index adds them up into one decision per constant (``constants.Constant``), handed to the
defining module and to each importer in its ``Place``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemods.js import constants, edits, syntax
from codemods.js.constants import Constants
from codemods.js.context import Context
from codemods.js.resolve import Client, Exported, Imports, Module, read_module
from codemods.js.source import may_import_sdk
from codemods.options import Options

if TYPE_CHECKING:
    import tree_sitter

_FUNCTIONS = frozenset(
    {"function_declaration", "function_expression", "function", "arrow_function"}
)
_WRAPPERS = frozenset({"await_expression", "parenthesized_expression", "as_expression"})


@dataclass(frozen=True)
class Place:
    """The project as one JavaScript or TypeScript module sees it: the clients it imports
    from other modules, by the specifiers it imports them with."""

    imports: Imports
    constants: Constants = field(default_factory=Constants)


@dataclass(frozen=True)
class Summary:
    """What the index keeps of one module (cached): the clients it exports, by export name,
    and whether it imports an SDK at all."""

    exports: dict[str, Exported] = field(default_factory=dict)
    sdk: bool = False


@dataclass(frozen=True)
class ModelReads:
    """One module's model constants, as the index adds them up: ``own``, its exported
    candidates by local name (model id, export names, fine reads here, lines of the other
    reads here); ``imported``, by (specifier, export name or ``constants.ALL``), the fine
    reads and the lines of the other reads of that name."""

    own: dict[str, tuple[str, tuple[str, ...], int, tuple[int, ...]]] = field(default_factory=dict)
    imported: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = field(default_factory=dict)


def _decided(
    text: str, suffix: str, options: Options, imports: Imports | None = None
) -> tuple[Module, tree_sitter.Node] | None:
    """The module read and its clients decided by its own fixers (each ``Client.moves``:
    the edits are not kept); None when it does not parse (the per-file pass reports it)."""
    from codemods.js.pipeline import fixers_for

    data = text.encode("utf-8", errors="surrogatepass")
    tree = syntax.parse(data, suffix)
    if syntax.first_problem(tree, data) is not None:
        return None
    module = read_module(tree.root_node, imports)
    if module.clients:
        ctx = Context(data, options, syntax.is_typescript(suffix), module, edits.Layout(data))
        for fixer in fixers_for(options.target):
            fixer.run(ctx)
    return module, tree.root_node


def summarize(text: str, suffix: str, options: Options) -> Summary:
    """The clients the module exports; empty when none (or when it does not parse)."""
    if not may_import_sdk(text):
        return Summary()
    found = _decided(text, suffix, options)
    if found is None:
        return Summary()
    module, root = found
    return Summary(exports(module, root) if module.clients else {}, sdk=bool(module.imports))


def model_reads(
    text: str, suffix: str, options: Options, imports: Imports | None = None
) -> ModelReads:
    """What the module does with its exported model constants and those it imports."""
    found = _decided(text, suffix, options, imports)
    if found is None:
        return ModelReads()
    module, root = found
    analysis = constants.analyse(module, root, options)
    reads = ModelReads()
    for local in analysis.locals:
        if local.exports and local.new is not None:
            reads.own[local.name] = (
                local.model,
                tuple(local.exports),
                len(local.fine),
                _lines(local.other),
            )
    for name in analysis.imported:
        fine, other = reads.imported.get((name.specifier, name.export), (0, ()))
        reads.imported[(name.specifier, name.export)] = (
            fine + len(name.fine),
            other + _lines(name.other),
        )
    return reads


def _lines(nodes: list[tree_sitter.Node]) -> tuple[int, ...]:
    return tuple(sorted({node.start_point[0] + 1 for node in nodes}))


def _unwrap(node: tree_sitter.Node | None) -> tree_sitter.Node | None:
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def _clients_of(module: Module, value: tree_sitter.Node | None) -> list[Client]:
    """What an expression is, when it is a client of the module: one it makes, or a name
    holding one."""
    value = _unwrap(value)
    if value is None:
        return []
    found = module.made.get(value.id)
    if found is not None:
        return [found]
    assert module.scopes is not None
    key = module.scopes.key(value)
    return list(module.held.get(key, [])) if key is not None else []


def _returned(function: tree_sitter.Node) -> list[tree_sitter.Node | None]:
    """The values a function returns (its own ``return``s, not nested functions')."""
    body = function.child_by_field_name("body")
    if body is None:
        return []
    if body.type != "statement_block":
        return [body]  # ``() => new OpenAI()``
    found: list[tree_sitter.Node | None] = []
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type in _FUNCTIONS or node.type in ("class_declaration", "class"):
            continue
        if node.type == "return_statement":
            found.append(node.named_children[0] if node.named_children else None)
            continue
        stack.extend(node.named_children)
    return found


def _factory(module: Module, function: tree_sitter.Node) -> list[Client]:
    """The clients a function returns, when every ``return`` returns one."""
    clients: list[Client] = []
    returned = _returned(function)
    for value in returned:
        found = _clients_of(module, value)
        if not found:
            return []
        clients.extend(found)
    return clients


def _exported(clients: list[Client], factory: bool = False) -> Exported | None:
    if not clients or any(c.origin is not None for c in clients):
        return None  # a re-export of another module's client is not followed
    first = clients[0]
    return Exported(first.sdk_name, first.cls, all(c.moves for c in clients), factory)


def _value(module: Module, node: tree_sitter.Node | None) -> Exported | None:
    """An exported value: a client, or a function returning one."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.type in _FUNCTIONS:
        return _exported(_factory(module, node), factory=True)
    return _exported(_clients_of(module, node))


def exports(module: Module, root: tree_sitter.Node) -> dict[str, Exported]:
    """The module's exports that are clients or factories of clients."""
    found: dict[str, Exported | None] = {}
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        if declaration is not None:
            if declaration.type in ("function_declaration",):
                name = declaration.child_by_field_name("name")
                if name is not None:
                    found[name.text.decode()] = _value(module, declaration)
            elif declaration.type in ("lexical_declaration", "variable_declaration"):
                for declarator in declaration.named_children:
                    name = declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator" and name is not None:
                        init = _unwrap(declarator.child_by_field_name("value"))
                        if init is not None and init.type in _FUNCTIONS:
                            found[name.text.decode()] = _value(module, init)
                        else:
                            found[name.text.decode()] = _value(module, name)
            continue
        if value is not None or any(c.type == "default" for c in statement.children):
            if value is None:  # ``export default function getClient() {...}``
                value = next((c for c in statement.named_children if c.type in _FUNCTIONS), None)
            found["default"] = _value(module, value)
            continue
        for clause in statement.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if spec.type == "export_specifier" and name is not None and alias is not None:
                    found[alias.text.decode()] = _local(module, root, name)
    return {name: exported for name, exported in found.items() if exported is not None}


def _local(module: Module, root: tree_sitter.Node, name: tree_sitter.Node) -> Exported | None:
    """``export { client }``: the module-level declaration of that name."""
    text = name.text
    for statement in root.named_children:
        if statement.type == "function_declaration":
            declared = statement.child_by_field_name("name")
            if declared is not None and declared.text == text:
                return _value(module, statement)
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                declared = declarator.child_by_field_name("name")
                if declared is not None and declared.text == text:
                    init = _unwrap(declarator.child_by_field_name("value"))
                    if init is not None and init.type in _FUNCTIONS:
                        return _value(module, init)
                    return _value(module, declared)
    return None
