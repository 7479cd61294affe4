"""Model ids in requests mapped to Cerebras models, through the Python side's model map.

A string literal ``model:`` of a request on a client that moves becomes the Cerebras model
the map gives (``--model-map`` entries first, then every OpenAI chat model to the default),
in the same quotes (CM301). So does a model constant, where it is defined (``const MODEL =
"gpt-4o"``, a template literal, ``as const``, a parameter's default ``model = "gpt-4o"``),
when every read of it is the ``model`` of a request that moves (``model: MODEL``, ``{ model
}``) and there is one (``constants.py``); one exported to other modules follows the
project's decision, which counts their reads too. A constant also read for anything else (a
price table, a comparison, a client left alone) keeps its id, since changing it would
change that code, and the requests reading it are reported (CM302). A model from anything
else cannot be mapped here and is reported (CM406). ``--keep-models`` turns this off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import models
from codemods.js import constants, requests
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context


class MapModelIds(Fixer):
    emits = (rules.CM301, rules.CM302, rules.CM406)

    def run(self, ctx: Context) -> None:
        if ctx.options.keep_models:
            return
        found = (
            constants.analyse(ctx.module, ctx.root, ctx.options)
            if ctx.root is not None
            else constants.Analysis()
        )
        decided = ctx.constants or constants.Constants()
        for local in found.locals:
            if local.new is None:
                continue  # already a model the map keeps: nothing to do, nothing to say
            project = decided.own.get(local.name) if local.exports else None
            if project is not None:
                mapped, places = project.mapped, project.places
            else:
                mapped, places = bool(local.fine) and not local.other, constants.lines(local.other)
            if mapped:
                self._map(ctx, local.value, local.model, local.new)
                ctx.rewrote(local.value)
                continue
            for use in local.fine:
                ctx.report(
                    use, rules.CM302, "request", name=local.name, model=local.model, places=places
                )
        for name in found.imported:
            if name.export == constants.ALL:
                continue
            project = decided.imported.get(name.specifier, {}).get(name.export)
            for use in name.fine:
                if project is None:
                    qualname = f"`{name.export}` of {name.specifier}"
                    ctx.report(use, rules.CM406, "imported", qualname=qualname)
                elif not project.mapped:
                    ctx.report(
                        use,
                        rules.CM302,
                        "request",
                        name=name.export,
                        model=project.model,
                        places=project.places,
                    )
        for request in requests.moving(ctx):
            assert request.params is not None
            for entry in request.params.named_children:
                shorthand = entry.type == "shorthand_property_identifier"
                if shorthand and entry.text == b"model" and found.reading(entry) is None:
                    ctx.report(entry, rules.CM406, "computed")
            for name, pair in requests.pairs(request.params):
                if name != "model":
                    continue
                value = pair.child_by_field_name("value")
                if value is None or found.reading(value) is not None:
                    continue  # a constant: mapped, or reported, where it is defined
                model = string_value(value)
                if model is None:
                    ctx.report(value, rules.CM406, "computed")
                    continue
                new = models.map_model(model, ctx.options.model_map)
                if new is not None:
                    self._map(ctx, value, model, new)
                    ctx.rewrote(request.node)

    @staticmethod
    def _map(ctx: Context, value: tree_sitter.Node, model: str, new: str) -> None:
        ctx.report(value, rules.CM301, old=model, new=new)
        quote = value.text[:1].decode()
        ctx.replace(value, f"{quote}{new}{quote}")

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
        Example(
            name="constants",
            before="""
                import OpenAI from "openai";

                const MODEL = "gpt-4o-mini";
                const PRICED = "gpt-4o";
                const PRICES = { [PRICED]: 10 };
                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });

                export function ask(content, model = "gpt-4o") {
                  client.chat.completions.create({ model: MODEL, messages: [] });
                  client.chat.completions.create({ model: PRICED, messages: [] });
                  return client.chat.completions.create({ model, messages: [{ role: "user", content }] });
                }
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const MODEL = "gpt-oss-120b";
                    const PRICED = "gpt-4o";
                    const PRICES = { [PRICED]: 10 };
                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });

                    export function ask(content, model = "gpt-oss-120b") {
                      client.chat.completions.create({ model: MODEL, messages: [] });
                      client.chat.completions.create({ model: PRICED, messages: [] });
                      return client.chat.completions.create({ model, messages: [{ role: "user", content }] });
                    }
                    """,
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const MODEL = "gpt-oss-120b";
                    const PRICED = "gpt-4o";
                    const PRICES = { [PRICED]: 10 };
                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });

                    export function ask(content, model = "gpt-oss-120b") {
                      client.chat.completions.create({ model: MODEL, messages: [] });
                      client.chat.completions.create({ model: PRICED, messages: [] });
                      return client.chat.completions.create({ model, messages: [{ role: "user", content }] });
                    }
                    """,
            },
            codes={
                "openai": ("CM301", "CM301", "CM302"),
                "cerebras": ("CM301", "CM102", "CM102", "CM301", "CM302"),
            },
        ),
    )
