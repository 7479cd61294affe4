"""Credentials: recognise key lookups and literals, build the Cerebras lookup, and keep
OpenAI's account headers from reaching Cerebras.

Shared by the constructor and module-level client fixers. Everything here fails closed: a
missing Cerebras key stops the program, and no OpenAI credential is ever sent to Cerebras.
A hard-coded key is a secret: its text is recorded so the report can mask it, and it never
appears in a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.facts.openai_params import omit_name
from codemods.python.context import Context
from codemods.python.cst.edit import (
    dict_append,
    dotted,
    leading_text,
    literal_texts,
    make_string,
    remove_items,
    string_value,
)
from codemods.secrets import TOKEN, is_key_shaped, mask, starts_a_key


@dataclass(frozen=True)
class KeySource:
    kind: Literal["env", "literal", "part", "none", "expression"]
    env_name: str | None = None
    literal: str | None = None  # "part": the literal text the key starts with
    parts: tuple[str, ...] = ()  # "part": every literal text in the expression


def classify_key(ctx: Context, value: cst.BaseExpression) -> KeySource:
    if isinstance(value, cst.Name) and value.value == "None":
        return KeySource("none")
    literal = string_value(value)
    if literal is None:
        literal = _fstring_key(value)
    if literal is not None:
        return KeySource("literal", literal=literal)
    name = env_lookup_name(ctx, value)
    if name is not None:
        return KeySource("env", env_name=name)
    head = leading_text(value)
    if head and starts_a_key(head):
        return KeySource("part", literal=head, parts=tuple(literal_texts(value)))
    return KeySource("expression")


def _fstring_key(value: cst.BaseExpression) -> str | None:
    """The text of an f-string that holds a key: one with nothing to fill in
    (``f"sk-…"``), or whose text holds a key-shaped token (``f"sk-…{suffix}"``). Its text is
    what the report masks; the key goes all the same."""
    if not isinstance(value, cst.FormattedString):
        return None
    parts = value.parts
    text = "".join(p.value for p in parts if isinstance(p, cst.FormattedStringText))
    if all(isinstance(p, cst.FormattedStringText) for p in parts) or any(
        is_key_shaped(token) for token in _KEY_TOKEN.findall(text)
    ):
        return text
    return None


_KEY_TOKEN = re.compile(f"{TOKEN}+")


def _env_string(ctx: Context, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The string node holding the variable name of ``os.environ[...]``/``get``/``getenv``."""
    resolver = ctx.resolver
    if (
        isinstance(value, cst.Call)
        and value.args
        and resolver.qualname(value.func, ctx.scope) in sdk.ENVIRONMENT_GETTERS
    ):
        return value.args[0].value
    if isinstance(value, cst.Subscript) and len(value.slice) == 1:
        element = value.slice[0].slice
        if (
            isinstance(element, cst.Index)
            and resolver.qualname(value.value, ctx.scope) == sdk.ENVIRONMENT_MAPPING
        ):
            return element.value
    return None


def env_lookup_name(ctx: Context, value: cst.BaseExpression) -> str | None:
    node = _env_string(ctx, value)
    return string_value(node) if node is not None else None


def _env_default(value: cst.BaseExpression) -> int | None:
    """The index of the default of ``os.environ.get(name, default)``/``getenv``, if any."""
    if not isinstance(value, cst.Call):
        return None
    for i, arg in enumerate(value.args):
        if (arg.keyword is None and i == 1) or (arg.keyword and arg.keyword.value == "default"):
            return i
    return None


def _default_literal(value: cst.BaseExpression) -> str | None:
    index = _env_default(value)
    if index is None:
        return None
    assert isinstance(value, cst.Call)
    return string_value(value.args[index].value)


def _environ(ctx: Context, value: cst.BaseExpression) -> cst.BaseExpression:
    """The ``os.environ`` a lookup reads: its own receiver (``environ.get`` keeps ``environ``),
    else ``os.environ`` with ``os`` bound."""
    if isinstance(value, cst.Subscript):
        return value.value
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        receiver = value.func.value
        if ctx.resolver.qualname(receiver, ctx.scope) == sdk.ENVIRONMENT_MAPPING:
            return receiver
    return dotted(f"{ctx.bind('os')}.environ")


def _subscript(environ: cst.BaseExpression, name: cst.BaseExpression) -> cst.Subscript:
    return cst.Subscript(value=environ, slice=[cst.SubscriptElement(cst.Index(value=name))])


def strict_lookup(ctx: Context, value: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """The lookup ``value`` as ``os.environ["NAME"]``: ``.get`` and ``getenv`` become a
    subscript and lose their default. A missing variable then stops the program at the
    lookup (``KeyError: 'NAME'``) instead of giving None, which the openai client replaces
    with ``OPENAI_API_KEY``: the OpenAI key, sent to Cerebras."""
    return _subscript(_environ(ctx, value), make_string(name, like=_env_string(ctx, value)))


def rename_env_lookup(ctx: Context, value: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """``os.environ.get("OPENAI_API_KEY", "…")`` → ``os.environ.get("CEREBRAS_API_KEY")``:
    the variable renamed, the style kept, a literal default dropped."""
    new = make_string(name, like=_env_string(ctx, value))
    if isinstance(value, cst.Call):
        args = list(value.args)
        args[0] = args[0].with_changes(value=new)
        default = _env_default(value)
        if default is not None and _default_literal(value) is not None:
            del args[default]
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return value.with_changes(args=args)
    assert isinstance(value, cst.Subscript)
    element = value.slice[0]
    return value.with_changes(slice=[element.with_changes(slice=cst.Index(value=new))])


def env_lookup(ctx: Context) -> cst.BaseExpression:
    """``os.environ["CEREBRAS_API_KEY"]``, importing ``os`` when it is not bound: a missing
    variable stops the program rather than letting a client fall back to another key."""
    os_name = ctx.bind("os")
    return _subscript(dotted(f"{os_name}.environ"), make_string(ctx.options.api_key_env))


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
    if source.kind == "part":
        # ``"sk-proj-" + rest``: the start of a key is written here, its rest elsewhere. The
        # prefix says whose key it is (an OpenAI one must not reach Cerebras), so it goes like
        # a whole literal; each literal part is a secret of the report.
        ctx.secrets.extend(source.parts)
        masked = mask(source.literal or "")
        ctx.report(node, rules.CM101, "key-part", masked=masked, env=ctx.options.api_key_env)
        return env_lookup(ctx)
    if source.kind == "env":
        assert source.env_name is not None
        name = ctx.options.api_key_env if should_rename(ctx, source.env_name) else source.env_name
        literal = _default_literal(value)
        if literal:
            # ``os.getenv("OPENAI_API_KEY", "sk-…")``: a key all the same, and the one sent
            # whenever the variable is unset.
            ctx.secrets.append(literal)
            ctx.report(node, rules.CM101, "env-default", masked=mask(literal), variable=name)
        if name != ctx.options.api_key_env:
            ctx.report(node, rules.CM107, "env", env=name)
        if ctx.options.target == "openai":
            new = strict_lookup(ctx, value, name)
        else:  # the Cerebras SDK fails closed itself: a None key makes it read CEREBRAS_API_KEY
            new = rename_env_lookup(ctx, value, name)
        return None if new.deep_equals(value) else new
    # The openai client replaces a None key with OPENAI_API_KEY, whatever its base URL.
    ctx.report(
        node, rules.CM107, "expression-openai" if ctx.options.target == "openai" else "expression"
    )
    return None


def _is_omit(value: cst.BaseExpression) -> bool:
    """``Omit()``, ``openai.Omit()``, ``openai._types.Omit()``: the SDK's "send nothing"."""
    if not isinstance(value, cst.Call) or value.args:
        return False
    func = value.func
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
    return name == "Omit"


def account_headers(
    ctx: Context,
    existing: cst.BaseExpression | None,
    module: str | None = None,
    beside: str | None = None,
) -> cst.BaseExpression | None:
    """``default_headers`` that keep the openai client from sending ``OpenAI-Organization``
    and ``OpenAI-Project``, which it fills from ``OPENAI_ORG_ID``/``OPENAI_PROJECT_ID`` and
    sends to any base URL: each set to ``Omit()``. ``existing`` is the current value (None:
    there is none); returns None when it already omits both.

    ``module`` is the local name of ``import openai`` to reach ``Omit`` through (the module
    client, ``openai.OpenAI(...)``); otherwise ``Omit`` is imported where the release exports
    it, beside the import that binds ``beside`` (a lazy import stays lazy)."""
    wanted = list(sdk.OPENAI_ACCOUNT_HEADERS)
    replace: dict[int, cst.DictElement] = {}
    if isinstance(existing, cst.Dict):
        for i, element in enumerate(existing.elements):
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            header = next((h for h in wanted if key and key.lower() == h.lower()), None)
            if header is None:
                continue
            wanted.remove(header)
            if not _is_omit(element.value):  # an explicit account id: it must not go either
                replace[i] = element
    if not wanted and not replace:
        return None
    qualname = omit_name(ctx.options.openai_version)
    if module is not None:
        omit = f"{module}.{qualname.removeprefix(sdk.OPENAI_MODULE + '.')}"
    else:
        omit = ctx.bind(qualname, beside=beside)
    sentinel = cst.Call(dotted(omit))
    new = [cst.DictElement(make_string(h), sentinel) for h in wanted]
    if isinstance(existing, cst.Dict):
        elements = list(existing.elements)
        for i, element in replace.items():
            elements[i] = element.with_changes(value=sentinel)
        return dict_append(existing.with_changes(elements=elements), new)
    if existing is None:
        return cst.Dict(new)
    return dict_append(cst.Dict([cst.StarredDictElement(existing)]), new)


def account_header_entries(existing: cst.BaseExpression) -> list[int]:
    """The indexes of ``OpenAI-Organization``/``OpenAI-Project`` entries of a dict literal."""
    if not isinstance(existing, cst.Dict):
        return []
    wanted = {h.lower() for h in sdk.OPENAI_ACCOUNT_HEADERS}
    return [
        i
        for i, element in enumerate(existing.elements)
        if isinstance(element, cst.DictElement)
        and (string_value(element.key) or "").lower() in wanted
    ]


def drop_entries(existing: cst.Dict, drop: list[int]) -> cst.Dict:
    elements, open_ws, close_ws = remove_items(
        existing.elements,
        set(drop),
        existing.lbrace.whitespace_after,
        existing.rbrace.whitespace_before,
    )
    return existing.with_changes(
        elements=elements,
        lbrace=existing.lbrace.with_changes(whitespace_after=open_ws),
        rbrace=existing.rbrace.with_changes(whitespace_before=close_ws),
    )
