"""Requests on something no client of the module is held under are reported (CM119).

``x.chat.completions.create({...})`` in a module that imports the SDK, where ``x`` is a
parameter, a client imported from another module the project does not show the making of,
or a name bound in its scope both to a client and to something else (``client =
pick()``): the request is left as written, its model not mapped, its ``extra_body`` not
flattened, and the report says so, rather than the run ending as if nothing needed doing.
Names are resolved through their scopes (``resolve.Scopes``): a parameter or a local
``client`` shadows the module's, and requests on each follow what that one holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    from codemods.js.context import Context


class UntracedRequests(Fixer):
    emits = (rules.CM119,)

    def run(self, ctx: Context) -> None:
        for found in ctx.module.untraced:
            ctx.report(found.node, rules.CM119, receiver=found.receiver, method=found.method)

    examples = (
        Example(
            name="parameter-and-shadowed-name",
            before="""
                import OpenAI from "openai";
                import Groq from "groq-sdk";

                export async function ask(llm, question) {
                  return llm.chat.completions.create({ model: "gpt-4o", messages: [question] });
                }

                function fast() {
                  const client = new Groq();
                  return client.chat.completions.create({ model: "gpt-4o", messages: [] });
                }

                function smart() {
                  const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                  return client.chat.completions.create({ model: "gpt-4o", messages: [] });
                }
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";
                    import Groq from "groq-sdk";

                    export async function ask(llm, question) {
                      return llm.chat.completions.create({ model: "gpt-4o", messages: [question] });
                    }

                    function fast() {
                      const client = new Groq();
                      return client.chat.completions.create({ model: "gpt-4o", messages: [] });
                    }

                    function smart() {
                      const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                      return client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                    }
                    """,
                "openai": """
                    import OpenAI from "openai";
                    import Groq from "groq-sdk";

                    export async function ask(llm, question) {
                      return llm.chat.completions.create({ model: "gpt-4o", messages: [question] });
                    }

                    function fast() {
                      const client = new Groq();
                      return client.chat.completions.create({ model: "gpt-4o", messages: [] });
                    }

                    function smart() {
                      const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                      return client.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                    }
                    """,
            },
            codes={
                "cerebras": ("CM119", "CM119", "CM102", "CM102", "CM301"),
                "openai": ("CM119", "CM119", "CM301"),
            },
        ),
    )
