"""Request keywords the openai client would reject move into ``extra_body``/``extra_headers``.

The openai client raises ``TypeError`` for any keyword its installed release does not declare,
before sending anything, so ``create(..., clear_thinking=False)`` cannot work as written. The
same request is sent by ``create(..., extra_body={"clear_thinking": False})``. Cerebras header
keywords (``cf_ray``, ...) become ``extra_headers`` entries under their HTTP header names.
An existing ``extra_body`` dict literal is extended; any other expression is spread:
``extra_body={**expr, "clear_thinking": False}``.

Not on the module-level client of a module written for the openai 0.x API
(codemods/python/pre_v1.py): 0.x has no ``extra_body`` (it sends every keyword as it is), and
a module that mixes the two APIs is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods import rules
from codemods.facts import openai_params, sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    PW,
    append_args,
    arg_indent,
    dict_append,
    find_keyword,
    keyword_arg,
    keyword_node,
    make_string,
    multiline_dict,
    remove_args,
    replace_arg_value,
    string_value,
    take_leading_comments,
    trailing_comment,
    with_comment,
)
from codemods.python.fixers.base import Example, Fixer


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


def _as_header_value(value: cst.BaseExpression) -> cst.BaseExpression:
    """``1.5`` → ``"1.5"``; ``delay`` → ``str(delay)``: header values must be strings."""
    if string_value(value) is not None:
        return value
    if isinstance(value, (cst.Integer, cst.Float)):
        return make_string(value.value)
    return cst.Call(cst.Name("str"), [cst.Arg(value)])


@dataclass
class Moved:
    """A keyword on its way into a dict, with the comments written beside and above it."""

    key: str
    value: cst.BaseExpression
    comment: cst.Comment | None = None
    leading: list[cst.EmptyLine] = field(default_factory=list)


def _one_line(node: cst.Dict) -> bool:
    spaces = [node.lbrace.whitespace_after, node.rbrace.whitespace_before]
    spaces += [e.comma.whitespace_after for e in node.elements if isinstance(e.comma, cst.Comma)]
    return not any(isinstance(ws, PW) for ws in spaces)


def _dict_is_multiline(call: cst.Call, name: str, moved: list[Moved]) -> bool:
    """The dict is (re)written one entry per line when the call is and comments come along:
    a one-line dict has no room for them. A dict already written over lines is appended to
    in its own layout instead."""
    index = find_keyword(call, name)
    current = call.args[index].value if index is not None else None
    if isinstance(current, cst.Dict) and not _one_line(current):
        return False
    return arg_indent(call) is not None and any(m.comment or m.leading for m in moved)


def merge_into_dict_arg(call: cst.Call, name: str, moved: list[Moved]) -> cst.Call:
    """Add ``moved`` to the dict passed as keyword ``name``, creating or spreading it."""
    elements = [
        with_comment(cst.DictElement(make_string(m.key), m.value), m.comment) for m in moved
    ]
    plain = [e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in elements]
    index = find_keyword(call, name)
    current = call.args[index].value if index is not None else None
    is_none = isinstance(current, cst.Name) and current.value == "None"
    indent = arg_indent(call)
    if _dict_is_multiline(call, name, moved) and indent is not None:
        # What was there comes first: a one-line dict's entries, or the expression spread.
        kept: list[cst.BaseDictElement] = []
        if isinstance(current, cst.Dict):
            kept = list(current.elements)
        elif current is not None and not is_none:
            kept = [cst.StarredDictElement(current)]
        leading = [[] for _ in kept] + [m.leading for m in moved]
        fresh: cst.BaseExpression = multiline_dict([*kept, *elements], indent, leading)
        if current is None:
            return append_args(call, [keyword_arg(name, fresh)])
        return replace_arg_value(call, index, fresh)  # type: ignore[arg-type]
    if isinstance(current, cst.Dict):
        merged = dict_append(current, plain if _one_line(current) else elements)
        return replace_arg_value(call, index, merged)  # type: ignore[arg-type]
    fresh = cst.Dict(plain)
    if current is None:
        return append_args(call, [keyword_arg(name, fresh)])
    if is_none:
        return replace_arg_value(call, index, fresh)  # type: ignore[arg-type]
    spread = cst.Dict([cst.StarredDictElement(current), *plain])
    return replace_arg_value(call, index, spread)  # type: ignore[arg-type]


class NestRejectedKeywords(Fixer):
    targets = frozenset({"openai"})
    emits = (rules.CM201, rules.CM202, rules.CM203, rules.CM204)

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        request = ctx.request(original)
        if request is None or request.client.sdk == "azure" or not request.client.migrated:
            return updated
        if request.client.is_module and ctx.old_api.is_pre_v1:
            return updated
        accepted = openai_params.openai_method_params(request.method, ctx.options.openai_version)
        if accepted is None:
            return updated
        body_index = find_keyword(updated, "extra_body")
        existing = _dict_keys(updated.args[body_index].value) if body_index is not None else None
        body: list[Moved] = []
        headers: list[Moved] = []
        drop: dict[int, Moved] = {}
        cerebras_accepts = sdk.CEREBRAS_PARAMS.get(request.method)
        for i, arg in enumerate(updated.args):
            if arg.keyword is None:
                continue
            name = arg.keyword.value
            if name in accepted:
                if cerebras_accepts is not None and name not in cerebras_accepts:
                    # The openai client sends it; Cerebras ignores or rejects it.
                    ctx.report(keyword_node(original, name), rules.CM204, "openai", keyword=name)
                continue
            if name in sdk.CEREBRAS_HEADER_KWARGS:
                value = arg.value
                if name in sdk.CEREBRAS_HEADER_STR_CONVERSION:
                    value = _as_header_value(value)
                entry = Moved(sdk.CEREBRAS_HEADER_KWARGS[name], value, trailing_comment(arg))
                headers.append(entry)
                header = sdk.CEREBRAS_HEADER_KWARGS[name]
                ctx.report(keyword_node(original, name), rules.CM202, keyword=name, header=header)
            elif existing is not None and name in existing:
                ctx.report(keyword_node(original, name), rules.CM203, keyword=name)
                continue
            else:
                entry = Moved(name, arg.value, trailing_comment(arg))
                body.append(entry)
                version = ctx.options.openai_version
                release = f" {version}" if version else ""
                ctx.report(keyword_node(original, name), rules.CM201, keyword=name, release=release)
            drop[i] = entry
        if not drop:
            return updated
        new = updated
        for name, entries in (("extra_body", body), ("extra_headers", headers)):
            for i, entry in drop.items():
                if entry in entries:
                    entry.leading = take_leading_comments(new, i)[1]
            if _dict_is_multiline(new, name, entries):
                # The comments above each moved keyword travel with it into the new dict.
                for i, entry in drop.items():
                    if entry in entries:
                        new, entry.leading = take_leading_comments(new, i)
            else:
                for entry in entries:
                    entry.leading = []
        new = remove_args(new, set(drop))
        if body:
            new = merge_into_dict_arg(new, "extra_body", body)
        if headers:
            new = merge_into_dict_arg(new, "extra_headers", headers)
        ctx.rewrote(original)
        return new

    examples = (
        Example(
            name="cerebras-keyword",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="zai-glm-4.7",
                        messages=[],
                        clear_thinking=False,  # keep the reasoning apart
                    )
                """,
            after={
                "openai": """
                    from openai import OpenAI


                    def ask(client: OpenAI):
                        return client.chat.completions.create(
                            model="zai-glm-4.7",
                            messages=[],
                            extra_body={
                                "clear_thinking": False,  # keep the reasoning apart
                            },
                        )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="zai-glm-4.7",
                            messages=[],
                            clear_thinking=False,  # keep the reasoning apart
                        )
                    """,
            },
            codes={"openai": ("CM201",)},
        ),
        Example(
            name="older-openai-release",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="gpt-oss-120b", messages=[], reasoning_effort="low"
                    )
                """,
            after={
                "openai": """
                    from openai import OpenAI


                    def ask(client: OpenAI):
                        return client.chat.completions.create(
                            model="gpt-oss-120b", messages=[], extra_body={"reasoning_effort": "low"}
                        )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="gpt-oss-120b", messages=[], reasoning_effort="low"
                        )
                    """,
            },
            codes={"openai": ("CM201",)},
            options={"openai_version": "1.30.0"},
        ),
        Example(
            name="header-keyword",
            before="""
                from cerebras.cloud.sdk import Cerebras


                def ask(client: Cerebras, delay: float):
                    return client.chat.completions.create(
                        model="gpt-oss-120b", messages=[], x_delay_time=delay
                    )
                """,
            after={
                "openai": """
                    from openai import OpenAI


                    def ask(client: OpenAI, delay: float):
                        return client.chat.completions.create(
                            model="gpt-oss-120b", messages=[], extra_headers={"X-delay-time": str(delay)}
                        )
                    """,
            },
            codes={"openai": ("CM202",)},
        ),
        Example(
            name="also-in-extra-body",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="zai-glm-4.7",
                        messages=[],
                        clear_thinking=False,
                        extra_body={"clear_thinking": True},
                    )
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="zai-glm-4.7",
                            messages=[],
                            clear_thinking=False,
                            extra_body={"clear_thinking": True},
                        )
                    """,
            },
            codes={"openai": ("CM203",)},
        ),
        Example(
            name="unsupported-keyword",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="gpt-oss-120b", messages=[], store=True
                    )
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="gpt-oss-120b", messages=[], store=True
                        )
                    """,
            },
            codes={"openai": ("CM204",), "cerebras": ("CM204",)},
        ),
    )
