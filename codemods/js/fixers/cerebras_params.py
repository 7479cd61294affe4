"""Request params the Cerebras TS SDK does not declare are reported (``--target cerebras``).

``store``, ``metadata``, ``modalities``, ``audio``, ``verbosity``, ... are openai-node params
that ``ChatCompletionCreateParams`` of ``@cerebras/cerebras_cloud_sdk`` lacks
(``facts/js.CEREBRAS_CHAT_PARAMS``): a TypeScript excess-property error, and at run time the
SDK sends them as they are, to be ignored or rejected by Cerebras. What they asked of OpenAI
is the author's to replace or drop, so they are reported (CM204), not removed; with
``--drop-unsupported`` they are removed (CM207), as on the Python side. The
``chat.completions.parse``/``stream`` helpers have no counterpart there either: reported with
what to write instead (CM205).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import constructors, requests
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    from codemods.js.context import Context


class CerebrasParams(Fixer):
    targets = frozenset({"cerebras"})
    emits = (rules.CM204, rules.CM205, rules.CM207)

    def run(self, ctx: Context) -> None:
        for request in ctx.module.requests:
            verb = request.method.rpartition(".")[2]
            if request.moves and verb in js.NO_CEREBRAS_METHOD:
                instead = js.NO_CEREBRAS_METHOD[verb]
                ctx.report(request.node, rules.CM205, method=request.method, instead=instead)
        for request in requests.moving(ctx):
            if request.method != "chat.completions.create":
                continue
            assert request.params is not None
            unknown = [
                (name, pair)
                for name, pair in requests.pairs(request.params)
                if name not in js.CEREBRAS_CHAT_PARAMS and name != js.EXTRA_BODY
            ]
            for name, pair in unknown:
                if ctx.options.drop_unsupported:
                    ctx.report(pair, rules.CM207, keyword=name)
                else:
                    ctx.report(pair, rules.CM204, "js-cerebras", keyword=name)
            if unknown and ctx.options.drop_unsupported:
                constructors.remove_entries(ctx, [pair for _, pair in unknown])
                ctx.rewrote(request.node)

    examples = (
        Example(
            name="store-and-metadata",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI();
                await client.chat.completions.create({ model: "gpt-oss-120b", messages, store: true, metadata: { a: "b" } });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({
                      warmTCPConnection: false,
                    });
                    await client.chat.completions.create({ model: "gpt-oss-120b", messages, store: true, metadata: { a: "b" } });
                    """,
            },
            codes={"cerebras": ("CM204", "CM204")},
        ),
        Example(
            name="dropped",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ maxRetries: 1 });
                await client.chat.completions.create({
                  model: "gpt-oss-120b",
                  store: true,
                  messages,
                  modalities: ["text"],
                });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, maxRetries: 1 });
                    await client.chat.completions.create({
                      model: "gpt-oss-120b",
                      messages,
                    });
                    """,
            },
            codes={"cerebras": ("CM207", "CM207")},
            options={"drop_unsupported": True},
        ),
        Example(
            name="helpers",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ maxRetries: 1 });
                const runner = client.chat.completions.stream({ model: "gpt-oss-120b", messages });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, maxRetries: 1 });
                    const runner = client.chat.completions.stream({ model: "gpt-oss-120b", messages });
                    """,
            },
            codes={"cerebras": ("CM205",)},
        ),
    )
