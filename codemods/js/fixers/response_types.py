"""The Cerebras TS SDK's response union, in TypeScript (``--target cerebras``).

Its ``ChatCompletion`` is ``ChatCompletionResponse | ChatChunkResponse |
ErrorChunkResponse``, for a request and for each chunk of a stream, so ``r.choices`` fails
``tsc --strict`` (TS2339) where openai-node's type had it. A request that is not streamed
(no ``stream`` entry, or ``stream: false``) resolves to a ``ChatCompletionResponse``: an HTTP
error throws ``APIError`` instead of resolving. Awaited into a variable (``const r = await
client.chat.completions.create({...})``), it is cast there, ``as
Cerebras.Chat.ChatCompletion.ChatCompletionResponse`` (the ``await`` in parentheses): a type,
nothing at run time (CM412).
A type guard would change the program; a cast of a stream's chunks would hide the error chunk
the API does send mid-stream. Every other chat request (streamed, params not a literal, the
response returned or passed on) is reported where it is made (CM411).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import requests, sdk_switch
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context
    from codemods.js.resolve import Request


def _streamed(request: Request) -> bool | None:
    """Whether the request streams; None when its params cannot tell."""
    if request.params is None:
        return None
    for name, pair in requests.pairs(request.params):
        if name == "stream":
            value = pair.child_by_field_name("value")
            return (
                None
                if value is None or value.type not in ("false", "true")
                else (value.type == "true")
            )
        if name == "..." or pair.type == "spread_element":
            return None
    if any(entry.type == "spread_element" for entry in request.params.named_children):
        return None
    return False


def _declared(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The ``await`` of ``const r = await <node>`` (no type annotation), else None."""
    parent = node.parent
    if parent is None or parent.type != "await_expression":
        return None
    holder = parent.parent
    if holder is None or holder.type != "variable_declarator":
        return None
    if holder.child_by_field_name("value") != parent or holder.child_by_field_name("type"):
        return None
    return parent


def _cast(node: tree_sitter.Node) -> bool:
    """Whether ``node`` is already cast: ``(await <node>) as ...ChatCompletionResponse``."""
    parent = node.parent
    grand = parent.parent if parent is not None else None
    cast = grand.parent if grand is not None else None
    if cast is not None and cast.parent is not None and cast.parent.type == "member_expression":
        cast = cast.parent  # tree-sitter reads ``(x) as A.B.C.D`` as ``((x) as A.B.C).D``
    return (
        parent is not None
        and parent.type == "await_expression"
        and grand is not None
        and grand.type == "parenthesized_expression"
        and cast is not None
        and cast.type in ("as_expression", "member_expression")
        and cast.text.decode().endswith(js.CEREBRAS_CHAT_RESPONSE_TYPE)
    )


class ResponseTypes(Fixer):
    targets = frozenset({"cerebras"})
    emits = (rules.CM411, rules.CM412)

    def run(self, ctx: Context) -> None:
        if not ctx.typescript:
            return
        cls = sdk_switch.class_reference(ctx)
        for request in ctx.module.requests:
            if not request.moves or request.method != "chat.completions.create":
                continue
            if all(client.sdk_name == "cerebras" for client in request.clients):
                continue  # written for the Cerebras SDK already: its types are the user's
            shown = cls or js.CLIENT_CLASSES["cerebras"][0]
            if _cast(request.node):
                continue
            awaited = _declared(request.node)
            if _streamed(request) is False and awaited is not None and cls is not None:
                ctx.report(request.node, rules.CM412)
                # Parenthesized: tree-sitter reads ``await f() as A.B`` as ``await (f() as A).B``.
                ctx.insert(awaited.start_byte, "(")
                ctx.insert(awaited.end_byte, f") as {cls}.{js.CEREBRAS_CHAT_RESPONSE_TYPE}")
                ctx.rewrote(request.node)
                continue
            access = "this stream's chunks" if _streamed(request) else "this response"
            ctx.report(request.node, rules.CM411, access=access, cls=shown)

    examples = (
        Example(
            name="cast-and-stream",
            suffix=".ts",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI();
                const r = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                const s = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [], stream: true });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({
                      warmTCPConnection: false,
                    });
                    const r = (await client.chat.completions.create({ model: "gpt-oss-120b", messages: [] })) as Cerebras.Chat.ChatCompletion.ChatCompletionResponse;
                    const s = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [], stream: true });
                    """,
            },
            codes={"cerebras": ("CM412", "CM411")},
        ),
    )
