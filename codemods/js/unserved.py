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

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemods.facts import js
from codemods.js.resolve import Client, Key, Module, receiver_path

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


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _names(names: frozenset[str] | set[str]) -> re.Pattern[bytes]:
    """Where any of ``names`` is written as a whole identifier (``$`` is part of one)."""
    alternatives = b"|".join(re.escape(name.encode()) for name in sorted(names))
    return re.compile(rb"(?<![\w$])(?:" + alternatives + rb")(?![\w$])")


# The tree is searched where the text names a resource or a client, not walked whole: a
# large module with one such request costs a few lookups.
_RESOURCES = _names(js.UNSERVED_RESOURCES | js.UNSERVED_BETA_RESOURCES)


def _at(root: Node, start: int, end: int, kinds: frozenset[str]) -> Node | None:
    """The node of one of ``kinds`` spanning exactly bytes ``start``-``end``, if any."""
    node = root.descendant_for_byte_range(start, end)
    if node is None or node.type not in kinds:
        return None
    return node if node.start_byte == start and node.end_byte == end else None


def may_have_requests(data: bytes) -> bool:
    """Cheap first: no resource name in the text, no unserved request."""
    return _RESOURCES.search(data) is not None


def requests(root: Node, data: bytes) -> list[UnservedRequest]:
    """Every call in the module (``data``, parsed as ``root``) shaped like a request on an
    unserved endpoint, in source order."""
    found: dict[int, UnservedRequest] = {}
    for match in _RESOURCES.finditer(data):
        prop = _at(root, match.start(), match.end(), frozenset({"property_identifier"}))
        top = prop.parent if prop is not None else None
        if top is None or top.type != "member_expression":
            continue
        # Up the chain to the call: ``client.embeddings`` -> ``.create`` -> ``(...)``.
        while (
            top.parent is not None
            and top.parent.type == "member_expression"
            and top.parent.child_by_field_name("object") == top
        ):
            top = top.parent
        call = top.parent
        if call is None or call.type != "call_expression" or call.start_byte in found:
            continue
        if call.child_by_field_name("function") != top:
            continue
        path = receiver_path(top)
        if path is None:
            continue
        receiver, names, direct = path
        resource = js.unserved_resource(names)
        if resource is not None:
            chain = ".".join(names)
            found[call.start_byte] = UnservedRequest(call, resource, chain, receiver, direct)
    return [found[start] for start in sorted(found)]


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


def declared_name(client: Client) -> Node | None:
    """The name a client is declared under, alone (``const embedder = new OpenAI()``, not
    exported), else None."""
    declarator = client.node.parent
    if declarator is None or declarator.type != "variable_declarator":
        return None
    name = declarator.child_by_field_name("name")
    if name is None or name.type != "identifier":
        return None
    if declarator.child_by_field_name("value") != client.node:
        return None
    declaration = declarator.parent
    if declaration is None or (
        declaration.parent is not None and declaration.parent.type == "export_statement"
    ):
        return None
    return name


def occurrences(module: Module, root: Node, data: bytes, names: list[Node]) -> dict[Key, int]:
    """How many times each of ``names`` (declared identifiers) occurs in the scope declaring
    it, itself included: one pass over the text for all of them."""
    scopes = module.scopes
    assert scopes is not None
    wanted = {("var", scopes.scope_of(name), name.text.decode()) for name in names}
    counts = dict.fromkeys(wanted, 0)
    for match in _names({key[2] for key in wanted}).finditer(data):
        other = _at(root, match.start(), match.end(), _OCCURRENCES)
        if other is not None:
            key = ("var", scopes.scope_of(other), other.text.decode())
            if key in counts:
                counts[key] += 1
    return counts


def only_unserved(
    module: Module, client: Client, found: list[UnservedRequest], counts: dict[Key, int]
) -> list[str]:
    """The resources ``client`` is used for, when for sure that is all it is used for; an
    empty list otherwise. ``counts``: ``occurrences`` of the names clients are declared
    under."""
    inline = [r.resource for r in found if r.receiver == client.node]
    if inline:
        return inline
    name = declared_name(client)
    if name is None:
        return []
    scopes = module.scopes
    assert scopes is not None
    key = ("var", scopes.scope_of(name), name.text.decode())
    received = [
        r.resource
        for r in found
        if r.direct and r.receiver.type == "identifier" and scopes.key(r.receiver) == key
    ]
    if not received or counts.get(key, 0) != 1 + len(received):
        return []
    return received


def listed(resources: list[str]) -> str:
    """``embeddings, responses``: the resources a client is used for, for a message."""
    return ", ".join(sorted(set(resources)))


def root_of(node: Node) -> Node:
    """The module's root node, from any node of it."""
    return _root(node)
