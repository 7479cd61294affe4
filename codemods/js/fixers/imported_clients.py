"""Requests on a client another module of the project makes, and leaves alone, are
reported (CM103).

``import { llm } from "./lib/llm"`` where ``lib/llm.ts`` makes ``new OpenAI({ baseURL:
"https://api.groq.com/openai/v1" })``: that module's constructor is left alone (CM103 there),
so the requests here must not be rewritten for Cerebras either (their model ids are
Groq's). They are left as written, and each says why, so that the importer's report does
not read as if it needed nothing. Requests on an imported client that moves are rewritten
by the request fixers like those on a client made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import Exported, receiver_text

if TYPE_CHECKING:
    from codemods.js.context import Context


class ImportedClients(Fixer):
    emits = (rules.CM103,)

    def run(self, ctx: Context) -> None:
        for request in ctx.module.requests:
            if request.moves:
                continue
            origin = next((c.origin for c in request.clients if c.origin and not c.moves), None)
            if origin is None:
                continue
            ctx.report(
                request.node,
                rules.CM103,
                "js-imported",
                receiver=receiver_text(request.node),
                origin=origin,
                method=request.method,
            )

    examples = (
        Example(
            name="left-alone-and-moving",
            suffix=".ts",
            before="""
                import { groq } from "./lib/groq";
                import { openai } from "@/lib/openai";

                await groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [] });
                await openai.chat.completions.create({ model: "gpt-4o", messages: [] });
                """,
            after={
                "openai": """
                    import { groq } from "./lib/groq";
                    import { openai } from "@/lib/openai";

                    await groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [] });
                    await openai.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                    """,
                "cerebras": """
                    import { groq } from "./lib/groq";
                    import { openai } from "@/lib/openai";

                    await groq.chat.completions.create({ model: "llama-3.1-8b-instant", messages: [] });
                    await openai.chat.completions.create({ model: "gpt-oss-120b", messages: [] });
                    """,
            },
            codes={"openai": ("CM103", "CM301"), "cerebras": ("CM103", "CM411", "CM301")},
            imports={
                "./lib/groq": {"groq": Exported("openai", "OpenAI", moves=False)},
                "@/lib/openai": {"openai": Exported("openai", "OpenAI", moves=True)},
            },
        ),
    )
