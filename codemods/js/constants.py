"""Model-id constants of a JavaScript or TypeScript module: which ``const`` names holding an
OpenAI model id are read only as the model of requests that move, and which for more.

A candidate is a ``const`` (in any scope) whose value is a plain string, a template literal
without substitutions or either ``as const`` (so its requests name a known model, mapped
or not); or a parameter's default (``function ask(prompt, model = "gpt-4o")``), a
constant of its function. A read of it is fine when it is the ``model`` of a request on a
client that moves (``model: MODEL``, or the shorthand ``{ model }``) or a parameter's
default; any other read (a price table, a comparison, ``typeof``, a template, a request on
a client left alone) keeps its id. The same walk records what a module reads of the names
it imports from other modules of the project (``import { MODEL } from "./config"``,
``const { MODEL } = require(...)``, a namespace's member ``config.MODEL``); a namespace
used otherwise, a re-export or a dynamic ``import()`` reads all of that module's names,
for more than requests. ``migrator/project.py`` adds up every module's reads of an
exported constant and decides once (``Constant``); ``fixers/map_model_ids.py`` rewrites
and reports by that decision, or by the module's own reads when no other module imports
the constant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codemods.facts import js, models
from codemods.js.resolve import string_value, walk

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.resolve import Key, Module
    from codemods.options import Options

    Node = tree_sitter.Node

ALL = "*"  # the export name of a read that may be of any of the module's names
_PARAMETERS = frozenset({"required_parameter", "optional_parameter"})
_IMPORT_PARTS = frozenset({"import_specifier", "import_clause", "namespace_import"})


@dataclass(frozen=True)
class Constant:
    """What the project decided for one exported model constant."""

    model: str  # its id as written
    mapped: bool
    places: str = ""  # where it is read for more than requests, when kept: "in src/costs.ts"


@dataclass(frozen=True)
class Constants:
    """The project's decisions a module needs: for the constants it defines and exports
    (``own``, by local name) and for those it imports (``imported``, by specifier, then
    export name)."""

    own: Mapping[str, Constant] = field(default_factory=dict)
    imported: Mapping[str, Mapping[str, Constant]] = field(default_factory=dict)


@dataclass
class Local:
    """A candidate of this module."""

    name: str
    value: Node  # the string or template_string
    model: str
    new: str | None  # what the model map makes of it; None: it stays
    exports: list[str] = field(default_factory=list)  # its export names
    fine: list[Node] = field(default_factory=list)  # reads that are a moving request's model
    other: list[Node] = field(default_factory=list)


@dataclass
class Imported:
    """A local name bound to another module's export (``ALL``: any of them)."""

    specifier: str
    export: str
    node: Node  # the import, require or re-export
    fine: list[Node] = field(default_factory=list)
    other: list[Node] = field(default_factory=list)


@dataclass
class _Namespace:
    """``import * as config from "./config"``, ``const config = require("./config")``: each
    member read (``config.MODEL``) is a read of that export; any other use reads them all."""

    specifier: str
    node: Node
    members: dict[str, Imported] = field(default_factory=dict)


@dataclass
class Analysis:
    locals: list[Local] = field(default_factory=list)
    imported: list[Imported] = field(default_factory=list)
    # What the module passes on (``export { MODEL } from "./config"``, ``export *``, an
    # imported name exported again): (specifier, name there, name here; ``ALL`` for a star).
    passed: list[tuple[str, str, str]] = field(default_factory=list)
    _uses: dict[int, Local | Imported] | None = field(default=None, repr=False)

    def reading(self, node: Node) -> Local | Imported | None:
        """The candidate or imported name a fine read (a request's model) is of."""
        if self._uses is None:
            self._uses = {
                use.id: found for found in (*self.locals, *self.imported) for use in found.fine
            }
        return self._uses.get(node.id)


def literal(node: Node | None) -> str | None:
    """The text of a plain string or a template literal without substitutions, looking
    through ``as const``."""
    while node is not None and node.type in ("as_expression", "parenthesized_expression"):
        if node.type == "as_expression" and node.children[-1].type != "const":
            return None
        node = node.named_children[0] if node.named_children else None
    if node is None:
        return None
    if node.type == "template_string":
        parts = node.named_children
        if not parts:
            return ""
        if len(parts) == 1 and parts[0].type == "string_fragment":
            return parts[0].text.decode("utf-8")
        return None
    return string_value(node)


def literal_node(node: Node) -> Node:
    """The string itself, inside ``as const`` and parentheses."""
    while node.type in ("as_expression", "parenthesized_expression") and node.named_children:
        node = node.named_children[0]
    return node


def _specifier(node: Node | None) -> str | None:
    """``x`` of ``require("x")`` or ``import("x")`` (awaited or not)."""
    while node is not None and node.type in ("await_expression", "parenthesized_expression"):
        node = node.named_children[0] if node.named_children else None
    if node is None or node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or arguments is None or arguments.named_child_count != 1:
        return None
    if function.type != "import" and function.text != b"require":
        return None
    return string_value(arguments.named_children[0])


def _is_model(pair: Node) -> bool:
    """Whether an object entry is ``model: ...`` (or ``"model": ...``)."""
    key = pair.child_by_field_name("key")
    if key is None:
        return False
    return (
        key.text == b"model" if key.type == "property_identifier" else string_value(key) == "model"
    )


def _fine_reads(module: Module, nodes: list[Node]) -> set[int]:
    """The identifiers (and ``{ model }`` shorthands) that are the model of a request on a
    client that moves, or a parameter's default."""
    fine: set[int] = set()
    for request in module.requests:
        if not request.moves or request.params is None:
            continue
        for entry in request.params.named_children:
            if entry.type == "pair" and _is_model(entry):
                value = entry.child_by_field_name("value")
                if value is not None and value.type in ("identifier", "member_expression"):
                    fine.add(value.id)
            elif entry.type == "shorthand_property_identifier" and entry.text == b"model":
                fine.add(entry.id)
    for node in nodes:
        default = None
        if node.type == "assignment_pattern" and _in_parameters(node):
            default = node.child_by_field_name("right")
        elif node.type in _PARAMETERS:
            default = node.child_by_field_name("value")
        if default is not None and default.type == "identifier":
            fine.add(default.id)
    return fine


def _in_parameters(node: Node) -> bool:
    return node.parent is not None and node.parent.type == "formal_parameters"


def _is_const(declarator: Node) -> bool:
    declaration = declarator.parent
    return (
        declaration is not None
        and declaration.type == "lexical_declaration"
        and bool(declaration.children)
        and declaration.children[0].type == "const"
    )


def analyse(module: Module, root: Node, options: Options) -> Analysis:
    """The module's candidates and imported names, each with its reads."""
    analysis = Analysis()
    scopes = module.scopes
    if scopes is None:  # a module a fixer left as it is (``v3_api`` on --target cerebras)
        return analysis
    nodes = walk(root)
    by_key: dict[Key, Local | Imported | _Namespace] = {}
    declared: set[int] = set()  # the identifiers that declare, rather than read

    def candidate(name: Node | None, value: Node | None) -> Local | None:
        if name is None or name.type != "identifier" or value is None:
            return None
        model = literal(value)
        if model is None:
            return None
        new = models.map_model(model, options.model_map)  # None: a model it keeps
        local = Local(name.text.decode(), literal_node(value), model, new)
        key = scopes.key(name)
        assert key is not None
        by_key[key] = local
        declared.add(name.id)
        analysis.locals.append(local)
        return local

    def imported(specifier: str, export: str, local: Node | None, node: Node) -> None:
        if local is not None and export == ALL:  # ``import * as config``: its members are
            declared.add(local.id)
            key = ("var", scopes.scope_of(local), local.text.decode())
            by_key[key] = _Namespace(specifier, node)
            return
        found = Imported(specifier, export, node)
        analysis.imported.append(found)
        if local is None:  # the whole module: read for more than requests
            found.other.append(node)
            return
        declared.add(local.id)
        by_key[("var", scopes.scope_of(local), local.text.decode())] = found

    def member(namespace: _Namespace, node: Node) -> tuple[Imported, Node]:
        """What a use of a namespace reads: ``config.MODEL``, or all of it."""
        parent = node.parent
        prop = parent.child_by_field_name("property") if parent is not None else None
        export = ALL
        if (
            parent is not None
            and parent.type == "member_expression"
            and parent.child_by_field_name("object") == node
            and prop is not None
            and prop.type == "property_identifier"
        ):
            export, node = prop.text.decode(), parent
        if export not in namespace.members:
            namespace.members[export] = Imported(namespace.specifier, export, namespace.node)
            analysis.imported.append(namespace.members[export])
        return namespace.members[export], node

    seen: set[int] = set()  # the require/import calls bound by a declaration
    for node in nodes:
        kind = node.type
        if kind == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            specifier = _specifier(value)
            if specifier is not None and specifier not in js.SPECIFIERS:
                assert value is not None
                call = value
                while call.type != "call_expression":
                    call = call.named_children[0]
                seen.add(call.id)
                _bind_require(specifier, name, node, imported)
            elif _is_const(node):
                local = candidate(name, value)
                statement = node.parent.parent if node.parent is not None else None
                exported = statement is not None and statement.type == "export_statement"
                if local is not None and exported:  # ``export const MODEL = ...``
                    local.exports.append(local.name)
        elif kind == "assignment_pattern" and _in_parameters(node):
            candidate(node.child_by_field_name("left"), node.child_by_field_name("right"))
        elif kind in _PARAMETERS:
            candidate(node.child_by_field_name("pattern"), node.child_by_field_name("value"))
        elif kind == "import_statement":
            specifier = string_value(node.child_by_field_name("source"))
            if specifier is not None and specifier not in js.SPECIFIERS:
                _bind_import(specifier, node, imported)
        elif kind == "export_statement":
            specifier = string_value(node.child_by_field_name("source"))
            if specifier is not None and specifier not in js.SPECIFIERS:
                _reexport(specifier, node, analysis, imported)
        elif kind == "call_expression" and node.id not in seen:
            specifier = _specifier(node)
            if specifier is not None and specifier not in js.SPECIFIERS:
                imported(specifier, ALL, None, node)
    if not by_key:
        return analysis
    fine = _fine_reads(module, nodes)
    names = {key[2] for key in by_key}
    for node in nodes:
        if node.type not in ("identifier", "shorthand_property_identifier"):
            continue
        if node.id in declared or node.text.decode() not in names:
            continue
        parent = node.parent
        if parent is not None and parent.type in _IMPORT_PARTS:
            continue
        found = by_key.get(("var", scopes.scope_of(node), node.text.decode()))
        if found is None:
            continue
        if isinstance(found, _Namespace):
            found, node = member(found, node)
        export = _export_name(node)
        if export is not None:
            if isinstance(found, Local):
                found.exports.append(export)
            elif found.export != ALL:  # passed on: its importers' reads are its reads
                analysis.passed.append((found.specifier, found.export, export))
            else:
                found.other.append(node)
            continue
        (found.fine if node.id in fine else found.other).append(node)
    return analysis


def _reexport(specifier: str, node: Node, analysis: Analysis, imported: Any) -> None:
    """``export * from S`` and ``export { A as B } from S`` pass names on; ``export * as ns
    from S`` is read whole."""
    clauses = [c for c in node.named_children if c.type == "export_clause"]
    if not clauses:
        if any(c.type == "namespace_export" for c in node.named_children):
            imported(specifier, ALL, None, node)
        else:
            analysis.passed.append((specifier, ALL, ALL))
        return
    for clause in clauses:
        for spec in clause.named_children:
            name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias") or name
            if spec.type == "export_specifier" and name is not None and alias is not None:
                analysis.passed.append((specifier, name.text.decode(), alias.text.decode()))


def _export_name(node: Node) -> str | None:
    """The name a read exports its value as: ``export { MODEL as M }``, ``module.exports =
    { MODEL }`` (or ``{ M: MODEL }``), ``module.exports.M = MODEL``, ``exports.M = MODEL``;
    None when it is no export."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "export_specifier":
        if parent.child_by_field_name("name") != node:
            return None
        return (parent.child_by_field_name("alias") or node).text.decode()
    name, holder = node.text.decode(), parent
    if parent.type == "pair" and parent.child_by_field_name("value") == node:
        key = parent.child_by_field_name("key")
        if key is None or key.type != "property_identifier":
            return None
        name, holder = key.text.decode(), parent.parent
    if node.type == "shorthand_property_identifier" or holder is not parent:
        assignment = holder.parent if holder is not None and holder.type == "object" else None
        left = assignment.child_by_field_name("left") if assignment is not None else None
        return name if left is not None and left.text == b"module.exports" else None
    if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        left = parent.child_by_field_name("left")
        text = left.text.decode(errors="replace") if left is not None else ""
        if text.startswith(("module.exports.", "exports.")):
            return text.rpartition(".")[2]
    return None


def _bind_import(specifier: str, node: Node, imported: Any) -> None:
    for clause in node.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                imported(specifier, "default", part, node)
            elif part.type == "namespace_import":
                local = next((n for n in part.named_children if n.type == "identifier"), None)
                imported(specifier, ALL, local, node)
            elif part.type == "named_imports":
                for spec in part.named_children:
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    if spec.type == "import_specifier" and name is not None:
                        imported(specifier, name.text.decode(), alias, node)


def _bind_require(specifier: str, target: Node | None, node: Node, imported: Any) -> None:
    """``const { MODEL: M } = require("./config")``; a require kept whole reads them all."""
    if target is not None and target.type == "identifier":
        imported(specifier, ALL, target, node)  # a namespace: its members are followed
        return
    if target is None or target.type != "object_pattern":
        imported(specifier, ALL, None, node)
        return
    for part in target.named_children:
        if part.type == "shorthand_property_identifier_pattern":
            imported(specifier, part.text.decode(), part, node)
        elif part.type == "pair_pattern":
            key, local = part.child_by_field_name("key"), part.child_by_field_name("value")
            if key is not None and local is not None and local.type == "identifier":
                imported(specifier, key.text.decode(), local, node)
            else:
                imported(specifier, ALL, None, node)
        else:
            imported(specifier, ALL, None, node)


def lines(nodes: list[Node]) -> str:
    """``at line 9``, ``at lines 9, 12``."""
    found = sorted({node.start_point[0] + 1 for node in nodes})
    label = "line" if len(found) == 1 else "lines"
    return f"at {label} " + ", ".join(map(str, found))
