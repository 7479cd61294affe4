"""API keys in JavaScript: environment reads, and the Cerebras read that fails closed.

openai-node reads ``OPENAI_API_KEY`` whenever ``apiKey`` is ``undefined``, which is what
``process.env.CEREBRAS_API_KEY`` gives when the variable is unset: the OpenAI key would go to
Cerebras. A TypeScript non-null assertion (``!``) changes nothing at run time, so the
migrated read throws instead:

    process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })()

It is an expression (it fits where the key was), needs no helper or import, and type-checks
as ``string`` (the thrown branch is ``never``). A read keeps its accessor: ``process.env.X``,
``process.env["X"]``, ``import.meta.env.X`` (Vite and other bundlers), ``import.meta.env["X"]``
or ``Deno.env.get("X")`` (all ``undefined`` when the variable is unset, so the same ``??``
fails closed); a key added where none was read uses the accessor the file already reads the
environment with, ``process.env`` when it reads none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from codemods.facts import js
from codemods.js.resolve import string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

Style = Literal["dot", "subscript", "meta", "meta-subscript", "deno"]
_ROOTS: dict[str, tuple[Style, Style]] = {  # accessor object -> its dot and subscript styles
    js.PROCESS_ENV: ("dot", "subscript"),
    js.IMPORT_META_ENV: ("meta", "meta-subscript"),
}
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
    """``process.env.NAME``, ``process.env["NAME"]``, ``import.meta.env.NAME`` (or
    subscripted) or ``Deno.env.get("NAME")``, through ``!`` and ``as``; else None."""
    if node is None:
        return None
    node = unwrap(node)
    index = 0
    if node.type == "member_expression":
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        name = prop.text.decode() if prop is not None else None
    elif node.type == "subscript_expression":
        obj = node.child_by_field_name("object")
        index = 1
        name = string_value(node.child_by_field_name("index"))
    elif node.type == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or function.text.decode() != js.DENO_ENV_GET or arguments is None:
            return None
        if arguments.named_child_count != 1:
            return None
        name = string_value(arguments.named_children[0])
        return EnvRead(name, "deno") if name else None
    else:
        return None
    styles = _ROOTS.get(obj.text.decode()) if obj is not None else None
    if styles is None or name is None:
        return None
    return EnvRead(name, styles[index])


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


def _file_style(ctx: Context) -> Style:
    """The accessor the file reads its environment with: a key added beside it matches."""
    if js.IMPORT_META_ENV.encode() in ctx.data and js.PROCESS_ENV.encode() not in ctx.data:
        return "meta"
    if js.DENO_ENV_GET.encode() + b"(" in ctx.data and js.PROCESS_ENV.encode() not in ctx.data:
        return "deno"
    return "dot"


def read(ctx: Context, name: str, style: Style | None = None) -> str:
    """A read of variable ``name`` in ``style`` (the file's when None), ``undefined`` when
    it is unset."""
    quote = ctx.layout.quote
    style = _file_style(ctx) if style is None else style
    return {
        "dot": f"{js.PROCESS_ENV}.{name}",
        "subscript": f"{js.PROCESS_ENV}[{quote}{name}{quote}]",
        "meta": f"{js.IMPORT_META_ENV}.{name}",
        "meta-subscript": f"{js.IMPORT_META_ENV}[{quote}{name}{quote}]",
        "deno": f"{js.DENO_ENV_GET}({quote}{name}{quote})",
    }[style]


def strict_read(ctx: Context, name: str, style: Style | None = None) -> str:
    read_text = read(ctx, name, style)
    message = ctx.layout.string(f"{name} is not set")
    return f"{read_text} ?? (() => {{ throw new Error({message}); }})()"
