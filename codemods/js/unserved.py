"""Requests on endpoints Cerebras does not serve, and whether a client is used for nothing
else, read with tree-sitter: the JavaScript counterpart of ``codemods/python/unserved.py``.

An unserved request is a call below a client whose attribute path starts with one of
openai-node's resources Cerebras has no endpoint for (``facts/js.UNSERVED_RESOURCES``:
``client.embeddings.create``, ``client.audio.speech.create``, ``client.beta.assistants.list``),
through ``withOptions(...)`` too. Its receiver resolves as a request's does (``resolve``).

A client is only used for such requests, for sure, by the same plain rule as in Python: the
``new`` is itself the receiver of one (``new OpenAI().moderations.create(...)``), or it is the
value of a declaration of one name (``const embedder = new OpenAI()``, not exported) whose
every other occurrence in the scope declaring it is the receiver of one. Any other occurrence
(passed, returned, stored, reassigned, exported by ``export { }`` or ``module.exports``,
reached through ``withOptions``, ``typeof``) makes it unsure, and the client moves as any
other. Clients in ``this.x`` or a class field are never sure: they are reached as attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemods.facts import js
from codemods.js.resolve import Client, Module

if TYPE_CHECKING:
    import tree_sitter

    Node = tree_sitter.Node

# Nodes that are an occurrence of a variable (a value, ``{ client }``, a pattern).
_OCCURRENCES = frozenset(
    {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
)


@dataclass(frozen=True)
class UnservedRequest:
    node: Node  # the call_expression
    resource: str  # "embeddings", "beta.assistants"
    chain: str  # the path below the client: "embeddings.create"
    receiver: Node  # an identifier, ``this.x``, a new_expression or a call
    direct: bool  # the path starts at the receiver (no ``withOptions(...)`` between)


def _walk(root: Node) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def may_have_requests(data: bytes) -> bool:
    """Cheap first: no resource name in the text, no unserved request."""
    return any(name.encode() in data for name in js.UNSERVED_RESOURCES) or b"beta" in data


def _path(function: Node) -> tuple[Node, tuple[str, ...], bool] | None:
    """The receiver of a call's function, the attribute path below it, and whether no
    ``withOptions(...)`` stands between them."""
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
                break  # ``getClient().embeddings...``: a factory's call is the receiver
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
        if len(path) < 3:
            return None
        receiver = node.parent  # ``this.client``
        while receiver is not None and receiver.child_by_field_name("object") != node:
            receiver = receiver.parent
        if receiver is None:
            return None
        path = path[1:]
    return receiver, path, direct


def requests(module: Module, root: Node) -> list[UnservedRequest]:
    """Every call in the module shaped like a request on an unserved endpoint."""
    found: list[UnservedRequest] = []
    for node in _walk(root):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            continue
        path = _path(function)
        if path is None:
            continue
        receiver, names, direct = path
        resource = js.unserved_resource(names)
        if resource is not None:
            found.append(UnservedRequest(node, resource, ".".join(names), receiver, direct))
    return found


def clients_of(module: Module, request: UnservedRequest) -> list[Client]:
    """The clients a request's receiver may be (none when the tool cannot follow it)."""
    receiver = request.receiver
    if receiver.type in ("new_expression", "call_expression"):
        client = module.made.get(receiver.id)
        return [client] if client is not None else []
    assert module.scopes is not None
    key = module.scopes.key(receiver)
    if key is None or key in module.elsewhere:
        return []
    return list(module.held.get(key, []))


def only_unserved(module: Module, client: Client, found: list[UnservedRequest]) -> list[str]:
    """The resources ``client`` is used for, when for sure that is all it is used for; an
    empty list otherwise."""
    node = client.node
    inline = [r.resource for r in found if r.receiver == node]
    if inline:
        return inline
    declarator = node.parent
    if declarator is None or declarator.type != "variable_declarator":
        return []
    name = declarator.child_by_field_name("name")
    declaration = declarator.parent
    if name is None or name.type != "identifier" or declarator.child_by_field_name("value") != node:
        return []
    if declaration is None or (
        declaration.parent is not None and declaration.parent.type == "export_statement"
    ):
        return []
    scopes = module.scopes
    assert scopes is not None
    text, scope = name.text, scopes.scope_of(name)
    occurrences = 0
    for other in _walk(_root(node)):
        if other.type in _OCCURRENCES and other.text == text and scopes.scope_of(other) == scope:
            occurrences += 1
    received = [
        r.resource
        for r in found
        if r.direct
        and r.receiver.type == "identifier"
        and r.receiver.text == text
        and scopes.scope_of(r.receiver) == scope
    ]
    if not received or occurrences != 1 + len(received):
        return []
    return received


def listed(resources: list[str]) -> str:
    """``embeddings, responses``: the resources a client is used for, for a message."""
    return ", ".join(sorted(set(resources)))


def root_of(node: Node) -> Node:
    """The module's root node, from any node of it."""
    return _root(node)
