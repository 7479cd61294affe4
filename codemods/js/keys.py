"""API keys in JavaScript: environment reads, and the Cerebras read that fails closed.

openai-node reads ``OPENAI_API_KEY`` whenever ``apiKey`` is ``undefined``, which is what
``process.env.CEREBRAS_API_KEY`` gives when the variable is unset: the OpenAI key would go to
Cerebras. A TypeScript non-null assertion (``!``) changes nothing at run time, so the
migrated read throws instead:

    process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })()

It is an expression (it fits where the key was), needs no helper or import, and type-checks
as ``string`` (the thrown branch is ``never``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from codemods.facts import js
from codemods.js.resolve import string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

Style = Literal["dot", "subscript"]
# What TypeScript wraps a value in without changing it at run time.
_TRANSPARENT = (
    "non_null_expression",
    "as_expression",
    "satisfies_expression",
    "parenthesized_expression",
)


class EnvRead(NamedTuple):
    name: str
    style: Style


def unwrap(node: tree_sitter.Node) -> tree_sitter.Node:
    while node.type in _TRANSPARENT and node.named_children:
        node = node.named_children[0]
    return node


def env_read(node: tree_sitter.Node | None) -> EnvRead | None:
    """``process.env.NAME`` or ``process.env["NAME"]`` (through ``!``, ``as``), else None."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        style: Style = "dot"
        name = prop.text.decode() if prop is not None else None
    elif node.type == "subscript_expression":
        obj = node.child_by_field_name("object")
        style = "subscript"
        name = string_value(node.child_by_field_name("index"))
    else:
        return None
    if obj is None or name is None or obj.text.decode() != js.PROCESS_ENV:
        return None
    return EnvRead(name, style)


def with_fallback(node: tree_sitter.Node) -> tuple[EnvRead, tree_sitter.Node] | None:
    """``process.env.X || "..."`` or ``?? "..."``: the read and its literal default."""
    node = unwrap(node)
    if node.type != "binary_expression":
        return None
    operator = node.child_by_field_name("operator")
    right = node.child_by_field_name("right")
    read = env_read(node.child_by_field_name("left"))
    if operator is None or operator.type not in ("||", "??") or right is None or read is None:
        return None
    right = unwrap(right)
    substituted = any(c.type == "template_substitution" for c in right.named_children)
    if right.type not in ("string", "template_string") or substituted:
        return None
    return read, right


def is_strict(node: tree_sitter.Node) -> bool:
    """Whether ``node`` is already a read that throws when the variable is unset (``X ??
    (() => { throw ... })()``): what this module writes."""
    node = unwrap(node)
    if node.type != "binary_expression":
        return False
    operator = node.child_by_field_name("operator")
    right = node.child_by_field_name("right")
    if operator is None or operator.type != "??" or right is None:
        return False
    if env_read(node.child_by_field_name("left")) is None:
        return False
    return b"throw" in right.text and right.type == "call_expression"


def strict_read(ctx: Context, name: str, style: Style = "dot") -> str:
    quote = ctx.layout.quote
    read = (
        f"{js.PROCESS_ENV}[{quote}{name}{quote}]"
        if style == "subscript"
        else (f"{js.PROCESS_ENV}.{name}")
    )
    message = ctx.layout.string(f"{name} is not set")
    return f"{read} ?? (() => {{ throw new Error({message}); }})()"
