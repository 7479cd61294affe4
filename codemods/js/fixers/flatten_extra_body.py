"""``extra_body: {...}`` in an openai-node request becomes top-level params.

The Python SDK's ``extra_body`` does not exist in openai-node, which JSON-encodes the params
object as it is: ``extra_body: { clear_thinking: false }`` (the Cerebras page's own Node
example) sends a literal ``"extra_body"`` property, which Cerebras rejects, and is a
TypeScript error. Its entries are sent at the top level instead, where openai-node passes
unknown params through: in JavaScript as plain entries, in TypeScript as a spread
``...{ clear_thinking: false }``, which type-checks and keeps the streaming overload. A
value that is not an object literal is spread (``...extra``). An entry also set at the top
level is left as it is and reported: which one should win is the author's call.

In TypeScript the spread must type-check against the module's openai-node release
(``version.py``: its nearest ``package.json``): a param the release knows with a value it does
not type yet (``reasoning_effort: "none"`` before 6.9.0: ``TYPED_SINCE`` in ``facts/js.py``)
fails even in a spread, so that object is spread as ``...({ ... } as object)``, which
type-checks on every release and sends the same body.

On ``--target cerebras`` the same holds for the Cerebras TS SDK, which declares the
Cerebras-only params as typed top-level ones: their entries are plain there, in TypeScript
too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import requests, version
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context


class FlattenExtraBody(Fixer):
    emits = (rules.CM210,)

    def run(self, ctx: Context) -> None:
        for request in requests.moving(ctx):
            assert request.params is not None
            entries = requests.pairs(request.params)
            top = {name for name, _ in entries}
            for name, pair in entries:
                if name == js.EXTRA_BODY:
                    self._flatten(ctx, pair, top, request.node)

    def _flatten(
        self, ctx: Context, pair: tree_sitter.Node, top: set[str], site: tree_sitter.Node
    ) -> None:
        value = pair.child_by_field_name("value")
        if value is None:
            return
        if value.type == "object":
            for name, inner in requests.pairs(value):
                if name in top:
                    ctx.report(inner, rules.CM210, "conflict", keyword=name)
                    return
        cerebras = ctx.options.target == "cerebras"
        untyped = self._untyped(ctx, value) if ctx.typescript and not cerebras else None
        if untyped is not None:
            keyword, text, since = untyped
            release = ctx.options.openai_node_version or js.OPENAI_NODE_LATEST
            ctx.report(
                pair,
                rules.CM210,
                "untyped",
                keyword=keyword,
                value=text,
                release=release,
                since=since,
            )
            ctx.rewrote(site)
            # A known param with a value this release does not type fails even in a spread;
            # ``as object`` spreads it in untyped, and keeps the overloads (streaming too).
            ctx.replace_range(pair.start_byte, value.start_byte, "...(")
            ctx.insert(value.end_byte, " as object)")
            return
        ctx.report(pair, rules.CM210, "cerebras" if cerebras else rules.DEFAULT)
        ctx.rewrote(site)
        if (ctx.typescript and not cerebras) or value.type != "object" or not value.named_children:
            ctx.replace_range(pair.start_byte, value.start_byte, "...")
            return
        inner = ctx.data[value.start_byte + 1 : value.end_byte - 1].decode().strip()
        inner = inner.removesuffix(",").rstrip()
        if ctx.layout.on_own_lines(value):
            # Entries one level deeper than the pair move out by one level.
            pair_indent = ctx.layout.line_indent(pair.start_byte)
            entry_indent = ctx.layout.line_indent(value.named_children[0].start_byte)
            extra = len(entry_indent) - len(pair_indent)
            lines = inner.split("\n")
            for index in range(1, len(lines)):
                line = lines[index]
                lead = len(line) - len(line.lstrip(" \t"))
                lines[index] = line[min(lead, max(extra, 0)) :]
            inner = "\n".join(lines)
        ctx.replace(pair, inner)

    def _untyped(self, ctx: Context, value: tree_sitter.Node) -> tuple[str, str, str] | None:
        """An entry whose value the module's openai-node release does not type (``facts/js``'s
        ``TYPED_SINCE``): its param, value and the first release that types it."""
        if value.type != "object":
            return None
        for name, inner in requests.pairs(value):
            literal = string_value(inner.child_by_field_name("value"))
            if literal is None or version.types_value(
                name, literal, ctx.options.openai_node_version
            ):
                continue
            return name, literal, js.TYPED_SINCE[(name, literal)]
        return None

    examples = (
        Example(
            name="javascript",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({
                  model: "zai-glm-4.7",
                  messages,
                  extra_body: {
                    clear_thinking: false,
                  },
                });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    await client.chat.completions.create({
                      model: "zai-glm-4.7",
                      messages,
                      clear_thinking: false,
                    });
                    """,
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                    await client.chat.completions.create({
                      model: "zai-glm-4.7",
                      messages,
                      clear_thinking: false,
                    });
                    """,
            },
            codes={"cerebras": ("CM102", "CM102", "CM210"), "openai": ("CM210",)},
        ),
        Example(
            name="typescript",
            suffix=".ts",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({ model: "zai-glm-4.7", messages, extra_body: { clear_thinking: false } });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    await client.chat.completions.create({ model: "zai-glm-4.7", messages, clear_thinking: false });
                    """,
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                    await client.chat.completions.create({ model: "zai-glm-4.7", messages, ...{ clear_thinking: false } });
                    """,
            },
            codes={"cerebras": ("CM102", "CM102", "CM411", "CM210"), "openai": ("CM210",)},
        ),
        Example(
            name="typescript-older-release",
            suffix=".ts",
            options={"openai_node_version": "6.8.1"},
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                await client.chat.completions.create({ model: "zai-glm-4.7", messages, extra_body: { reasoning_effort: "none" } });
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null });
                    await client.chat.completions.create({ model: "zai-glm-4.7", messages, ...({ reasoning_effort: "none" } as object) });
                    """,
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    await client.chat.completions.create({ model: "zai-glm-4.7", messages, reasoning_effort: "none" });
                    """,
            },
            codes={"cerebras": ("CM102", "CM102", "CM411", "CM210"), "openai": ("CM210",)},
        ),
    )
