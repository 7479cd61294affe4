"""Model ids in requests mapped to Cerebras models, through the Python side's model map.

A string literal ``model:`` of a request on a client that moves becomes the Cerebras model
the map gives (``--model-map`` entries first, then every OpenAI chat model to the default),
in the same quotes (CM301). A model from a variable or an expression cannot be mapped here
and is reported (CM406). ``--keep-models`` turns this off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import models
from codemods.js import requests
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import string_value

if TYPE_CHECKING:
    from codemods.js.context import Context


class MapModelIds(Fixer):
    emits = (rules.CM301, rules.CM406)

    def run(self, ctx: Context) -> None:
        if ctx.options.keep_models:
            return
        for request in requests.moving(ctx):
            assert request.params is not None
            for name, pair in requests.pairs(request.params):
                if name != "model":
                    continue
                value = pair.child_by_field_name("value")
                if value is None:
                    continue
                model = string_value(value)
                if model is None:
                    ctx.report(value, rules.CM406, "computed")
                    continue
                new = models.map_model(model, ctx.options.model_map)
                if new is None:
                    continue
                ctx.report(value, rules.CM301, old=model, new=new)
                quote = value.text[:1].decode()
                ctx.replace(value, f"{quote}{new}{quote}")
                ctx.rewrote(request.node)

    examples = (
        Example(
            name="literal-and-computed",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
                await client.chat.completions.create({ model: pick(), messages });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    await client.chat.completions.create({ model: 'gpt-oss-120b', messages });
                    await client.chat.completions.create({ model: pick(), messages });
                    """,
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                    await client.chat.completions.create({ model: 'gpt-oss-120b', messages });
                    await client.chat.completions.create({ model: pick(), messages });
                    """,
            },
            codes={"cerebras": ("CM102", "CM102", "CM301", "CM406"), "openai": ("CM301", "CM406")},
        ),
    )
