"""Raw responses of ``AsyncCerebras`` parse asynchronously: ``raw.parse()`` gets an ``await``.

With ``AsyncOpenAI``, ``raw = await client.chat.completions.with_raw_response.create(...)``
gives a response whose ``parse()`` returns the completion. The Cerebras SDK's async raw
response has a coroutine ``parse()``, so the same code, migrated, would read ``.choices`` off
a coroutine. Where the response is a name bound in the same function, ``raw.parse()`` becomes
``(await raw.parse())``; other uses are reported. The way back (``--target openai``) takes
the ``await`` off again.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.python.context import Context
from codemods.python.fixers.base import Example, Fixer


class AwaitAsyncRawParse(Fixer):
    emits = (rules.CM208, rules.CM209)

    def begin(self, ctx: Context) -> None:
        resolver = ctx.resolver
        # Raw responses of the source SDK's async client, when their parse() changes kind.
        self.source = "openai" if ctx.options.target == "cerebras" else "cerebras"
        self.raw_requests: set[int] = set()
        for call, scope in resolver.calls:
            request = resolver.request(call, scope)
            cls = request.client.cls if request is not None else None
            if (
                cls is not None
                and cls.sdk == self.source
                and cls.is_async
                and request is not None
                and request.client.migrated
                and ".with_raw_response." in cst.Module([]).code_for_node(call.func)
            ):
                self.raw_requests.add(id(call))
        self.parses: set[int] = set()
        self.handled: set[int] = set()
        if not self.raw_requests:
            return
        for call, scope in resolver.calls:
            func = call.func
            if not (
                isinstance(func, cst.Attribute)
                and func.attr.value == "parse"
                and isinstance(func.value, cst.Name)
            ):
                continue
            bindings = resolver.lookup(func.value.value, scope)
            if len(bindings) != 1 or not isinstance(bindings[0].node, cst.Await):
                continue
            made_by = bindings[0].node.expression
            if id(made_by) in self.raw_requests:
                self.parses.add(id(call))
                self.handled.add(id(made_by))
        self.awaited: set[int] = set()
        self.needs_parens: set[int] = set()

    def visit_Await(self, ctx: Context, node: cst.Await) -> None:
        if self.parses:
            self.awaited.add(id(node.expression))

    def visit_Attribute(self, ctx: Context, node: cst.Attribute) -> None:
        if self.parses:
            self.needs_parens.add(id(node.value))

    def visit_Subscript(self, ctx: Context, node: cst.Subscript) -> None:
        if self.parses:
            self.needs_parens.add(id(node.value))

    def leave_Await(
        self, ctx: Context, original: cst.Await, updated: cst.Await
    ) -> cst.BaseExpression:
        """``--target openai``: ``await raw.parse()`` of a Cerebras raw response loses the
        ``await``, since openai's async raw responses parse synchronously."""
        if self.source != "cerebras" or id(original.expression) not in self.parses:
            return updated
        ctx.report(original, rules.CM209, "removed")
        ctx.rewrote(original)
        return updated.expression.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if id(original) in self.raw_requests and id(original) not in self.handled:
            ctx.report(original, rules.CM208)
        if self.source == "cerebras" or id(original) not in self.parses:
            return updated
        if id(original) in self.awaited:
            return updated
        ctx.report(original, rules.CM209, "awaited")
        ctx.rewrote(original)
        parens = id(original) in self.needs_parens
        return cst.Await(
            expression=updated,
            lpar=[cst.LeftParen()] if parens else [],
            rpar=[cst.RightParen()] if parens else [],
        )

    examples = (
        Example(
            name="awaited",
            before="""
                from openai import AsyncOpenAI


                async def ask(client: AsyncOpenAI):
                    raw = await client.chat.completions.with_raw_response.create(
                        model="gpt-oss-120b", messages=[]
                    )
                    return raw.parse().choices[0].message.content
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import AsyncCerebras


                    async def ask(client: AsyncCerebras):
                        raw = await client.chat.completions.with_raw_response.create(
                            model="gpt-oss-120b", messages=[]
                        )
                        return (await raw.parse()).choices[0].message.content
                    """,
            },
            codes={"cerebras": ("CM209",)},
        ),
        Example(
            name="not-visible",
            before="""
                from openai import AsyncOpenAI


                async def raw_reply(client: AsyncOpenAI):
                    return await client.chat.completions.with_raw_response.create(
                        model="gpt-oss-120b", messages=[]
                    )
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import AsyncCerebras


                    async def raw_reply(client: AsyncCerebras):
                        return await client.chat.completions.with_raw_response.create(
                            model="gpt-oss-120b", messages=[]
                        )
                    """,
            },
            codes={"cerebras": ("CM208",)},
        ),
        Example(
            name="await-removed",
            before="""
                from cerebras.cloud.sdk import AsyncCerebras


                async def ask(client: AsyncCerebras):
                    raw = await client.chat.completions.with_raw_response.create(
                        model="gpt-oss-120b", messages=[]
                    )
                    reply = await raw.parse()
                    return reply.choices[0].message.content
                """,
            after={
                "openai": """
                    from openai import AsyncOpenAI


                    async def ask(client: AsyncOpenAI):
                        raw = await client.chat.completions.with_raw_response.create(
                            model="gpt-oss-120b", messages=[]
                        )
                        reply = raw.parse()
                        return reply.choices[0].message.content
                    """,
            },
            codes={"openai": ("CM209",)},
        ),
    )
