"""Cerebras-only request params (``clear_thinking``, ``reasoning_format``, ...) in TypeScript.

openai-node sends unknown params as they are, so in JavaScript they stay where they are, at
the top level. In TypeScript a top-level property the request type does not declare is an
excess-property error (TS2769); the same property in a spread, ``...{ clear_thinking: false
}``, type-checks, keeps the streaming overload and sends the same body. The params are the
Python side's (``facts/sdk.CEREBRAS_ONLY_BODY``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js import requests
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    from codemods.js.context import Context


class CerebrasOnlyParams(Fixer):
    targets = frozenset({"openai"})
    emits = (rules.CM201,)

    def run(self, ctx: Context) -> None:
        if not ctx.typescript:
            return
        for request in requests.moving(ctx):
            assert request.params is not None
            only = requests.cerebras_only(request.method)
            for name, pair in requests.pairs(request.params):
                if name in only:
                    ctx.report(pair, rules.CM201, "typescript-spread", keyword=name)
                    ctx.insert(pair.start_byte, "...{ ")
                    ctx.insert(pair.end_byte, " }")
                    ctx.rewrote(request.node)

    examples = (
        Example(
            name="typescript",
            suffix=".ts",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({
                  model: "zai-glm-4.7",
                  messages: [],
                  clear_thinking: false,
                });
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                    await client.chat.completions.create({
                      model: "zai-glm-4.7",
                      messages: [],
                      ...{ clear_thinking: false },
                    });
                    """
            },
            codes={"openai": ("CM201",)},
        ),
        Example(
            name="javascript-unchanged",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({ model: "zai-glm-4.7", messages: [], clear_thinking: false });
                """,
        ),
    )
