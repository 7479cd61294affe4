"""API keys: recognise environment lookups and literals, and build the Cerebras lookup.

Shared by the constructor and module-level client fixers. A hard-coded key is a secret: its
text is recorded so the report can mask it, and it never appears in a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import make_string, string_value
from codemods.secrets import mask

ENV_GETTERS = frozenset({"os.environ.get", "os.getenv"})


@dataclass(frozen=True)
class KeySource:
    kind: Literal["env", "literal", "none", "expression"]
    env_name: str | None = None
    literal: str | None = None


def classify_key(ctx: Context, value: cst.BaseExpression) -> KeySource:
    if isinstance(value, cst.Name) and value.value == "None":
        return KeySource("none")
    literal = string_value(value)
    if literal is not None:
        return KeySource("literal", literal=literal)
    name = env_lookup_name(ctx, value)
    if name is not None:
        return KeySource("env", env_name=name)
    return KeySource("expression")


def _env_string(ctx: Context, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The string node holding the variable name of ``os.environ[...]``/``get``/``getenv``."""
    resolver = ctx.resolver
    if (
        isinstance(value, cst.Call)
        and value.args
        and resolver.qualname(value.func, ctx.scope) in ENV_GETTERS
    ):
        return value.args[0].value
    if isinstance(value, cst.Subscript) and len(value.slice) == 1:
        element = value.slice[0].slice
        if (
            isinstance(element, cst.Index)
            and resolver.qualname(value.value, ctx.scope) == "os.environ"
        ):
            return element.value
    return None


def env_lookup_name(ctx: Context, value: cst.BaseExpression) -> str | None:
    node = _env_string(ctx, value)
    return string_value(node) if node is not None else None


def rename_env_lookup(ctx: Context, value: cst.BaseExpression) -> cst.BaseExpression:
    """``os.environ["OPENAI_API_KEY"]`` → ``os.environ["CEREBRAS_API_KEY"]``, style kept."""
    old = _env_string(ctx, value)
    new = make_string(ctx.options.api_key_env, like=old)
    if isinstance(value, cst.Call):
        args = list(value.args)
        args[0] = args[0].with_changes(value=new)
        return value.with_changes(args=args)
    assert isinstance(value, cst.Subscript)
    element = value.slice[0]
    return value.with_changes(slice=[element.with_changes(slice=cst.Index(value=new))])


def env_lookup(ctx: Context) -> cst.BaseExpression:
    """``os.environ.get("CEREBRAS_API_KEY")``, importing ``os`` when it is not bound."""
    os_name = ctx.bind("os")
    return cst.parse_expression(f'{os_name}.environ.get("{ctx.options.api_key_env}")')


def should_rename(ctx: Context, env_name: str | None) -> bool:
    """Only the OpenAI variable is renamed; a project's own variable name is its choice."""
    return env_name == sdk.OPENAI_API_KEY_ENV and env_name != ctx.options.api_key_env


def rewrite_key(
    ctx: Context, node: cst.CSTNode, value: cst.BaseExpression | None
) -> cst.BaseExpression | None:
    """The new api key expression for ``value`` (None: keep it as it is).

    ``node`` is the original node a diagnostic points at.
    """
    if value is None:
        return env_lookup(ctx)
    source = classify_key(ctx, value)
    if source.kind == "none":
        return env_lookup(ctx)
    if source.kind == "literal":
        if source.literal:
            ctx.secrets.append(source.literal)
        masked = mask(source.literal or "")
        ctx.report(node, rules.CM101, masked=masked, env=ctx.options.api_key_env)
        return env_lookup(ctx)
    if source.kind == "env":
        if should_rename(ctx, source.env_name):
            return rename_env_lookup(ctx, value)
        if source.env_name != ctx.options.api_key_env:
            ctx.report(node, rules.CM107, "env", env=source.env_name)
        return None
    ctx.report(node, rules.CM107, "expression")
    return None
