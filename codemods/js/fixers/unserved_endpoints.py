"""Requests on endpoints Cerebras does not serve, on a client that is on Cerebras after the
migration, are reported (CM401), on both targets.

``client.embeddings.create(...)``, ``client.responses.create(...)``,
``client.audio.speech.create(...)``, ``client.beta.assistants.list()`` (openai-node's
resources, ``facts/js.UNSERVED_RESOURCES``) on a client that moves, one already on Cerebras
(a Cerebras TS SDK client, which has no such property: a TypeError as written) or one
imported from a module of the project that moves it: openai-node pointed at Cerebras gets a
404 there. Nothing is rewritten; the report says to keep an OpenAI client for the request or
drop the feature. A client used for nothing else stays on OpenAI instead
(``unserved_clients``, CM121).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js import unserved
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import Client, Exported

if TYPE_CHECKING:
    from codemods.js.context import Context


def _on_cerebras(ctx: Context, client: Client) -> bool:
    return client.moves or (client.sdk_name == "cerebras" and ctx.options.target == "cerebras")


class UnservedEndpoints(Fixer):
    emits = (rules.CM401,)

    def run(self, ctx: Context) -> None:
        module = ctx.module
        if not module.imports and not module.remote:
            return
        if not unserved.may_have_requests(ctx.data):
            return
        anchor = module.imports[0] if module.imports else next(iter(module.remote.values()))[2]
        for request in unserved.requests(unserved.root_of(anchor), ctx.data):
            clients = unserved.clients_of(module, request)
            if clients and all(_on_cerebras(ctx, c) for c in clients):
                ctx.report(
                    request.node, rules.CM401, "js", resource=request.resource, chain=request.chain
                )

    examples = (
        Example(
            name="served-and-unserved",
            suffix=".ts",
            before="""
                import OpenAI from "openai";

                class Assistant {
                  client = new OpenAI();

                  async ask(question: string) {
                    await this.client.responses.create({ model: "gpt-4o", input: question });
                    await this.client.beta.assistants.list();
                    return this.client.chat.completions.create({ model: "gpt-4o", messages: [] });
                  }
                }
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    class Assistant {
                      client = new OpenAI({
                        baseURL: "https://api.cerebras.ai/v1",
                        apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                        organization: null,
                        project: null,
                      });

                      async ask(question: string) {
                        await this.client.responses.create({ model: "gpt-4o", input: question });
                        await this.client.beta.assistants.list();
                        return this.client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                      }
                    }
                    """,
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    class Assistant {
                      client = new Cerebras({
                        warmTCPConnection: false,
                      });

                      async ask(question: string) {
                        await this.client.responses.create({ model: "gpt-4o", input: question });
                        await this.client.beta.assistants.list();
                        return this.client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                      }
                    }
                    """,
            },
            codes={
                "openai": ("CM401", "CM401", "CM301"),
                "cerebras": ("CM401", "CM401", "CM411", "CM301"),
            },
        ),
        Example(
            name="cerebras-sdk-client",
            before="""
                import Cerebras from "@cerebras/cerebras_cloud_sdk";

                const client = new Cerebras();
                await client.embeddings.create({ model: "m", input: "a" });
                await client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                """,
            codes={"cerebras": ("CM401",), "openai": ("CM401",)},
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });
                    await client.embeddings.create({ model: "m", input: "a" });
                    await client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                    """,
            },
        ),
        Example(
            name="imported-client",
            suffix=".ts",
            before="""
                import { openai } from "@/lib/openai";

                export const embed = (text: string) =>
                  openai.embeddings.create({ model: "text-embedding-3-small", input: text });
                """,
            codes={"openai": ("CM401",), "cerebras": ("CM401",)},
            imports={"@/lib/openai": {"openai": Exported("openai", "OpenAI", moves=True)}},
        ),
    )
