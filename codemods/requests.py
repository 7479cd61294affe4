"""Request keywords the openai client would reject move into ``extra_body``/``extra_headers``.

The openai client raises ``TypeError`` for any keyword its installed release does not declare,
before sending anything, so ``create(..., clear_thinking=False)`` cannot work as written. The
same request is sent by ``create(..., extra_body={"clear_thinking": False})``. Cerebras header
keywords (``cf_ray``, ...) become ``extra_headers`` entries under their HTTP header names.
An existing ``extra_body`` dict literal is extended; any other expression is spread:
``extra_body={**expr, "clear_thinking": False}``.
"""

from __future__ import annotations

import libcst as cst

from . import sdk
from .base import Fixer
from .context import Context
from .cst_util import (
    append_args,
    dict_append,
    find_keyword,
    keyword_arg,
    keyword_node,
    make_string,
    remove_args,
    replace_arg_value,
    string_value,
)


def _dict_keys(node: cst.BaseExpression) -> set[str] | None:
    if not isinstance(node, cst.Dict):
        return None
    keys = set()
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            key = string_value(element.key)
            if key is not None:
                keys.add(key)
    return keys


def merge_into_dict_arg(
    call: cst.Call, name: str, entries: list[tuple[str, cst.BaseExpression]]
) -> cst.Call:
    """Add ``entries`` to the dict passed as keyword ``name``, creating or spreading it."""
    new_elements = [cst.DictElement(make_string(key), value) for key, value in entries]
    index = find_keyword(call, name)
    if index is None:
        return append_args(call, [keyword_arg(name, cst.Dict(new_elements))])
    current = call.args[index].value
    if isinstance(current, cst.Dict):
        merged: cst.BaseExpression = dict_append(current, new_elements)
    elif isinstance(current, cst.Name) and current.value == "None":
        merged = cst.Dict(new_elements)
    else:
        merged = cst.Dict([cst.StarredDictElement(current), *new_elements])
    return replace_arg_value(call, index, merged)


class NestRejectedKeywords(Fixer):
    targets = frozenset({"openai"})

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        request = ctx.request(original)
        if request is None or request.client.sdk != "openai" or request.client.provider == "other":
            return updated
        accepted = sdk.openai_method_params(request.method, ctx.options.openai_version)
        if accepted is None:
            return updated
        body_index = find_keyword(updated, "extra_body")
        existing = _dict_keys(updated.args[body_index].value) if body_index is not None else None
        body: list[tuple[str, cst.BaseExpression]] = []
        headers: list[tuple[str, cst.BaseExpression]] = []
        drop: set[int] = set()
        for i, arg in enumerate(updated.args):
            if arg.keyword is None or arg.keyword.value in accepted:
                continue
            name = arg.keyword.value
            if name in sdk.CEREBRAS_HEADER_KWARGS:
                headers.append((sdk.CEREBRAS_HEADER_KWARGS[name], arg.value))
                ctx.report(
                    keyword_node(original, name),
                    "CM202",
                    f"`{name}` moved into extra_headers as {sdk.CEREBRAS_HEADER_KWARGS[name]}",
                )
            elif existing is not None and name in existing:
                ctx.report(
                    keyword_node(original, name),
                    "CM203",
                    f"`{name}` is also set in extra_body; remove one of them",
                )
                continue
            else:
                body.append((name, arg.value))
                ctx.report(
                    keyword_node(original, name),
                    "CM201",
                    f"`{name}` is not a keyword of the openai client; moved into extra_body",
                )
            drop.add(i)
        if not drop:
            return updated
        new = remove_args(updated, drop)
        if body:
            new = merge_into_dict_arg(new, "extra_body", body)
        if headers:
            new = merge_into_dict_arg(new, "extra_headers", headers)
        ctx.rewrote(original)
        return new
