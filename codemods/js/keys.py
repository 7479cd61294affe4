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

Front-end code reads its key from a variable the bundler inlines into the page
(``NEXT_PUBLIC_OPENAI_API_KEY``, ``VITE_OPENAI_API_KEY``: ``facts/js.py``). Kept, that
variable would send the OpenAI key to Cerebras; it becomes the Cerebras one with its prefix
kept (``NEXT_PUBLIC_CEREBRAS_API_KEY``), so the bundler still inlines it (``key_variable``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from codemods.facts import js, sdk
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


def browser_prefix(name: str) -> str | None:
    """The prefix of a variable the bundler inlines into the page (``NEXT_PUBLIC_``), or None."""
    return next((p for p in js.BROWSER_ENV_PREFIXES if name.startswith(p)), None)


def key_variable(name: str, env: str) -> tuple[str, bool]:
    """The variable a migrated key read of ``name`` reads, and whether it is the Cerebras
    key's (``env``) rather than a project's own (CM107, kept as it is).

    ``OPENAI_API_KEY`` becomes ``env``; a public one (``VITE_OPENAI_API_KEY``) becomes ``env``
    with the same prefix, so that the bundler still inlines it into the page."""
    if name in (sdk.OPENAI_API_KEY_ENV, env):
        return env, True
    prefix = browser_prefix(name)
    if prefix is not None:
        public = env if env.startswith(prefix) else prefix + env
        if name in (prefix + sdk.OPENAI_API_KEY_ENV, public):
            return public, True
    return name, False


def read_name(node: tree_sitter.Node | None) -> str | None:
    """The variable a key value reads: a plain read, one with a literal default, or the
    strict read this module writes; None for anything else."""
    if node is None:
        return None
    found = env_read(node)
    if found is None:
        fallback = with_fallback(node)
        found = fallback[0] if fallback is not None else None
    if found is None and is_strict(node):
        found = env_read(unwrap(node).child_by_field_name("left"))
    return found.name if found is not None else None


class Browser(NamedTuple):
    """What shows a client runs in a browser: the pair to report at, and the public variable
    the migrated key is read from (None: only ``dangerouslyAllowBrowser`` says so)."""

    pair: tree_sitter.Node
    variable: str | None


def in_browser(
    key: tree_sitter.Node | None, option: tree_sitter.Node | None, env: str
) -> Browser | None:
    """A key pair that reads a public variable, else a ``dangerouslyAllowBrowser`` pair that
    is not ``false``; None when neither is there."""
    name = read_name(key.child_by_field_name("value")) if key is not None else None
    if name is not None and browser_prefix(name) is not None:
        assert key is not None
        return Browser(key, key_variable(name, env)[0])
    value = option.child_by_field_name("value") if option is not None else None
    if option is not None and value is not None and value.type != "false":
        return Browser(option, None)
    return None
