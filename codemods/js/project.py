"""What a JavaScript or TypeScript module offers the rest of its project: the clients it
exports, each with the decision its own migration makes for it.

A module's summary is simple: its export names that are a client (``export const openai
= new OpenAI(...)``, ``export default new OpenAI()``, ``export { client as openai }``,
``export default client``; CommonJS's ``module.exports = new OpenAI()``, the default, and
``module.exports = { openai }``, ``exports.openai = ...``) or a function returning one
(``export function getClient()`` whose every ``return`` is a client, a lazy ``if
(!client) client = new OpenAI(); return client`` too, or ``export const getClient = () =>
new OpenAI()``), with whether that client moves to Cerebras: the module's own fixers
decide it (``summarize`` runs them), so an importer follows exactly what the constructor's
module does. ``migrator/project.py`` finds the modules importing them (relative
specifiers, ``tsconfig.json`` ``paths``/``baseUrl``) and hands each its
``resolve.Imports``. What a module passes on from others (``export { openai } from
"./client"``, ``export *``, ``module.exports = require(...)``) is ``reexports``: the index
follows it to the module that makes the client.

Model constants (``constants.py``) are the project's too: ``model_reads`` gives what one
module reads of the constants it imports and what it does with those it exports, and the
index adds them up into one decision per constant (``constants.Constant``), handed to the
defining module and to each importer in its ``Place``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemods.facts import js
from codemods.js import constants, edits, syntax
from codemods.js.constants import Constants
from codemods.js.context import Context
from codemods.js.resolve import Client, Exported, Imports, Module, read_module, string_value
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
    and whether it exports a model constant or names a request's model by an imported name
    (only then are the project's model constants looked for)."""

    exports: dict[str, Exported] = field(default_factory=dict)
    constants: bool = False


@dataclass(frozen=True)
class ModelReads:
    """One module's model constants, as the index adds them up: ``own``, its exported
    candidates by local name (model id, export names, fine reads here, lines of the other
    reads here); ``imported``, by (specifier, export name or ``constants.ALL``), the fine
    reads and the lines of the other reads of that name."""

    own: dict[str, tuple[str, tuple[str, ...], int, tuple[int, ...]]] = field(default_factory=dict)
    imported: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = field(default_factory=dict)
    passed: tuple[tuple[str, str, str], ...] = ()  # ``constants.Analysis.passed``


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
        ctx.root = tree.root_node  # what decides as in the per-file pass (``sdk_switch.mocks``)
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
    analysis = constants.analyse(module, root, options)
    models = any(local.exports and local.new for local in analysis.locals) or any(
        name.fine for name in analysis.imported
    )
    return Summary(exports(module, root) if module.clients else {}, constants=models)


def model_reads(
    text: str, suffix: str, options: Options, imports: Imports | None = None
) -> ModelReads:
    """What the module does with its exported model constants and those it imports."""
    found = _decided(text, suffix, options, imports)
    if found is None:
        return ModelReads()
    module, root = found
    analysis = constants.analyse(module, root, options)
    reads = ModelReads(passed=tuple(analysis.passed))
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
    if value.type == "shorthand_property_identifier":  # ``module.exports = { client }``
        value_key = ("var", module.scopes.scope_of(value), value.text.decode())
        return list(module.held.get(value_key, []))
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
    for target, value in _commonjs(root):
        if value.type in ("identifier", "shorthand_property_identifier"):
            found[target] = _local(module, root, value)
        else:
            found[target] = _value(module, value)
    return {name: exported for name, exported in found.items() if exported is not None}


def _commonjs(root: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node]]:
    """What a CommonJS module exports, by export name: ``module.exports = X`` is the
    ``default`` (what ``require`` returns), ``module.exports = { a, b: X }``,
    ``module.exports.b = X`` and ``exports.b = X`` are named."""
    found: list[tuple[str, tree_sitter.Node]] = []
    for statement in root.named_children:
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        assignment = statement.named_children[0]
        if assignment.type != "assignment_expression":
            continue
        left = assignment.child_by_field_name("left")
        right = _unwrap(assignment.child_by_field_name("right"))
        if left is None or right is None:
            continue
        target = left.text.decode(errors="replace").replace(" ", "")
        if target == "module.exports":
            if right.type != "object":
                found.append(("default", right))
                continue
            for entry in right.named_children:
                if entry.type == "shorthand_property_identifier":
                    found.append((entry.text.decode(), entry))
                elif entry.type == "pair":
                    key = entry.child_by_field_name("key")
                    value = entry.child_by_field_name("value")
                    if key is not None and value is not None and key.type == "property_identifier":
                        found.append((key.text.decode(), value))
        elif target.startswith(("module.exports.", "exports.")):
            name = target.rpartition(".")[2]
            if name.isidentifier():
                found.append((name, right))
    return found


# Re-exports: ``export { openai } from "./client"``, ``export * from "./client"``, an
# imported name exported again (``import { openai } from "./client"; export { openai }``,
# ``module.exports = { openai }`` after ``const { openai } = require("./client")``), and
# ``module.exports = require("./client")``. The index follows them to the module that makes
# the client (``migrator/project.py``), through chains of barrels.
Reexport = tuple[str, str, str]  # (name here or "*", specifier, name there or "*")
_WHOLE = ""  # what ``const lib = require("./client")`` binds: all of its ``module.exports``


def reexports(text: str, suffix: str) -> tuple[Reexport, ...]:
    """The names the module passes on from other modules of the project."""
    data = text.encode("utf-8", errors="surrogatepass")
    tree = syntax.parse(data, suffix)
    if syntax.first_problem(tree, data) is not None:
        return ()
    root = tree.root_node
    imported = _imported_names(root)
    found: list[Reexport] = []

    def passed(here: str, value: tree_sitter.Node | None) -> None:
        value = _unwrap(value)
        if value is None:
            return
        specifier = _required(value)
        if specifier is None and value.type in ("identifier", "shorthand_property_identifier"):
            specifier, there = imported.get(value.text.decode(), (None, ""))
            if specifier is not None and there != _WHOLE:
                found.append((here, specifier, there))
                return
        if specifier is not None:  # ``require(...)``: what that module's exports are
            if here == "default":
                found.append(("*", specifier, "*"))
            found.append((here, specifier, "default"))

    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        source = string_value(statement.child_by_field_name("source"))
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None and declaration.type == "lexical_declaration":
            for declarator in declaration.named_children:
                name = declarator.child_by_field_name("name")
                if declarator.type == "variable_declarator" and name is not None:
                    passed(name.text.decode(), declarator.child_by_field_name("value"))
            continue
        value = statement.child_by_field_name("value")
        if value is not None:
            passed("default", value)
            continue
        clauses = [c for c in statement.named_children if c.type == "export_clause"]
        if source is not None and not clauses:
            if not any(c.type == "namespace_export" for c in statement.named_children):
                found.append(("*", source, "*"))  # ``export * from``; ``* as ns`` is not
            continue
        for clause in clauses:
            for spec in clause.named_children:
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                if spec.type != "export_specifier" or name is None or alias is None:
                    continue
                if source is not None:
                    found.append((alias.text.decode(), source, name.text.decode()))
                else:
                    passed(alias.text.decode(), name)
    for here, value in _commonjs(root):
        passed(here, value)
    return tuple(found)


def _required(node: tree_sitter.Node) -> str | None:
    """``x`` of ``require("x")`` for a module of the project (not an SDK)."""
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    arguments = node.child_by_field_name("arguments")
    if function is None or function.text != b"require" or arguments is None:
        return None
    if arguments.named_child_count != 1:
        return None
    specifier = string_value(arguments.named_children[0])
    return None if specifier in js.SPECIFIERS else specifier


def _imported_names(root: tree_sitter.Node) -> dict[str, tuple[str, str]]:
    """Module-level names bound to another module's export: local -> (specifier, name
    there); ``const lib = require(...)`` binds the whole of ``module.exports`` (``_WHOLE``)."""
    found: dict[str, tuple[str, str]] = {}
    for statement in root.named_children:
        if statement.type == "import_statement":
            specifier = string_value(statement.child_by_field_name("source"))
            if specifier is None or specifier in js.SPECIFIERS:
                continue
            for clause in statement.named_children:
                for part in clause.named_children if clause.type == "import_clause" else ():
                    if part.type == "identifier":
                        found[part.text.decode()] = (specifier, "default")
                    elif part.type == "named_imports":
                        for spec in part.named_children:
                            name = spec.child_by_field_name("name")
                            alias = spec.child_by_field_name("alias") or name
                            if spec.type == "import_specifier" and name and alias:
                                found[alias.text.decode()] = (specifier, name.text.decode())
        elif statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                target = declarator.child_by_field_name("name")
                value = _unwrap(declarator.child_by_field_name("value"))
                specifier = _required(value) if value is not None else None
                if target is None or specifier is None:
                    continue
                if target.type == "identifier":
                    found[target.text.decode()] = (specifier, _WHOLE)
                elif target.type == "object_pattern":
                    for part in target.named_children:
                        if part.type == "shorthand_property_identifier_pattern":
                            found[part.text.decode()] = (specifier, part.text.decode())
                        elif part.type == "pair_pattern":
                            key = part.child_by_field_name("key")
                            local = part.child_by_field_name("value")
                            if key is not None and local is not None:
                                found[local.text.decode()] = (specifier, key.text.decode())
    return found


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
