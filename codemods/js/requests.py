"""What the request fixers share: the entries of a request's params object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods.facts import sdk
from codemods.js.resolve import Request, string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context


def key_name(pair: tree_sitter.Node) -> str | None:
    """The name of a ``pair``'s key: ``model``, ``"model"``; None when computed."""
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "property_identifier":
        return key.text.decode()
    return string_value(key)


def pairs(obj: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node]]:
    """The ``key: value`` entries of an object literal, by name, in order."""
    found = []
    for entry in obj.named_children:
        if entry.type == "pair":
            name = key_name(entry)
            if name is not None:
                found.append((name, entry))
    return found


def cerebras_only(method: str) -> frozenset[str]:
    """The Cerebras-only body params of a request method (``parse``/``stream`` take the chat
    ones)."""
    if method == "completions.create":
        return sdk.CEREBRAS_ONLY_BODY["completions.create"]
    return sdk.CEREBRAS_ONLY_BODY["chat.completions.create"]


def moving(ctx: Context) -> list[Request]:
    """The requests on clients that are on Cerebras after the migration, with their params
    written as an object literal."""
    return [r for r in ctx.module.requests if r.moves and r.params is not None]
