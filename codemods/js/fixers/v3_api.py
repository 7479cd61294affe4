"""The openai npm package's v3 API (``Configuration``, ``OpenAIApi``), migrated as it is on
``--target openai`` and left alone on ``--target cerebras`` (CM408).

openai 3.x code reads ``const api = new OpenAIApi(new Configuration({ apiKey, organization,
basePath }))`` and ``api.createChatCompletion({...})``, whose response is an axios one
(``res.data.choices``). v4 replaced all of it, and the Cerebras TS SDK has the v4 shape only.

On ``--target openai`` the module keeps its v3 code and its ``Configuration`` reaches
Cerebras: ``basePath: "https://api.cerebras.ai/v1"`` (v3 appends ``/chat/completions``; an
OpenAI one is replaced, another provider's is CM103, a computed one CM104), ``apiKey`` read
as the v4 constructors read it, so that a missing variable throws before any request (v3
reads no environment variable, and sends an undefined key as ``Bearer undefined``): a read
of ``OPENAI_API_KEY`` becomes the Cerebras one in the same accessor style, a literal is
replaced (CM101, masked), a project's own variable is kept and read strictly, an expression
kept (CM107); ``organization``, sent as ``OpenAI-Organization``, is dropped (CM102). A client
``new OpenAIApi(configuration)`` on such a ``Configuration`` (the same name, declared once
with it, or inline) moves, and its ``createChatCompletion`` / ``createCompletion`` requests
become the request fixers' (``resolve.Request``): their models are mapped (CM301), their
``extra_body`` flattened, their Cerebras-only params left at the top level in JavaScript and
put in a spread in TypeScript (where v3's request types reject an unknown property as
openai-node's do), v3 sending its params as the JSON body. Its methods for endpoints
Cerebras does not serve (``createEmbedding``, ``createImage``, ...) are CM401. A client whose
configuration the tool cannot see is CM105, and its requests are left. The module is
reported once (CM408), as advice: v3 is unmaintained, upgrade to v4 or later.

On ``--target cerebras`` nothing of the module is rewritten, and CM408 says what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import constructors
from codemods.js.fixers.base import Example, Fixer
from codemods.js.requests import key_name
from codemods.js.resolve import Client, Key, Module, Request, bound, holder, walk

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

    Node = tree_sitter.Node


def v3_class(module: Module, node: Node) -> str | None:
    """``Configuration`` or ``OpenAIApi`` when a new_expression constructs one of openai's."""
    constructor = node.child_by_field_name("constructor")
    if constructor is None:
        return None
    if constructor.type == "identifier":
        binding = bound(module, constructor)
        if binding is None or binding.sdk_name != "openai" or binding.kind == "module":
            return None
        return binding.export if binding.export in js.V3_CLASSES else None
    if constructor.type == "member_expression":
        obj = constructor.child_by_field_name("object")
        prop = constructor.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier":
            return None
        binding = bound(module, obj)
        if binding is None or binding.sdk_name != "openai" or binding.kind == "class":
            return None
        return prop.text.decode() if prop.text.decode() in js.V3_CLASSES else None
    return None


class V3Api(Fixer):
    emits = (
        rules.CM408,
        rules.CM101,
        rules.CM102,
        rules.CM103,
        rules.CM104,
        rules.CM105,
        rules.CM107,
        rules.CM401,
    )

    def run(self, ctx: Context) -> None:
        module = ctx.module
        # Cheap first: a v3 ``new`` names one of the classes.
        bound_v3 = any(name.encode() in ctx.data for name in js.V3_CLASSES) and any(
            b.sdk_name == "openai" and (b.kind != "class" or b.export in js.V3_CLASSES)
            for b in module.bindings.values()
        )
        # ``import { openai } from "./lib/openai"`` where that module makes a v3 client.
        remote = [found[2] for found in module.remote.values() if found[0].cls == js.V3_CLIENT]
        if not (module.imports and bound_v3) and not remote:
            return
        root = module.imports[0] if module.imports else remote[0]
        while root.parent is not None:
            root = root.parent
        nodes = walk(root)
        news = [
            (n, cls) for n in nodes if n.type == "new_expression" and (cls := v3_class(module, n))
        ]
        if news:
            where = next(b.node for b in module.bindings.values() if b.sdk_name == "openai")
            what = "/".join(f"`{cls}`" for cls in sorted({cls for _, cls in news}))
            if ctx.options.target == "cerebras":
                ctx.report(where, rules.CM408, "js-v3-cerebras", what=what)
                ctx.module = Module()  # left as it is: no other fixer sees anything of it
                return
            ctx.report(where, rules.CM408, "js-v3", what=what)
        elif not remote or ctx.options.target == "cerebras":
            return  # an imported v3 client stays where its module leaves it on this target
        assert module.scopes is not None
        scopes = module.scopes
        configurations: dict[int, bool] = {}  # new Configuration -> whether it moves
        held: dict[Key, list[Node]] = {}  # where each v3 new is kept
        for node, cls in news:
            key = holder(scopes, node)
            if key is not None:
                held.setdefault(key, []).append(node)
            if cls == js.V3_CONFIGURATION:
                configurations[node.id] = self._configuration(ctx, node)
        clients: dict[Key, list[Client]] = {}
        made: dict[int, Client] = {}
        for node, cls in news:
            if cls != js.V3_CLIENT:
                continue
            client = module.made.get(node.id) or Client(node, "openai", js.V3_CLIENT)
            client.moves = self._moves(ctx, node, configurations, held)
            made[node.id] = client
            key = holder(scopes, node)
            if key is not None:
                clients.setdefault(key, []).append(client)
        for key, found in module.held.items():  # ``import { openai } from "./lib/openai"``
            imported = [c for c in found if c.origin is not None and c.cls == js.V3_CLIENT]
            if imported:
                clients.setdefault(key, []).extend(imported)
        for node in nodes:
            if node.type == "call_expression":
                self._request(ctx, node, clients, made)

    def _moves(
        self,
        ctx: Context,
        node: Node,
        configurations: dict[int, bool],
        held: dict[Key, list[Node]],
    ) -> bool:
        """Whether ``new OpenAIApi(configuration)`` gets a Configuration that moved."""
        scopes = ctx.module.scopes
        assert scopes is not None
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        configuration: Node | None = None
        if first is not None and first.id in configurations:
            configuration = first
        elif first is not None and first.type == "identifier":
            key = scopes.key(first)
            kept = held.get(key, []) if key is not None else []
            if key not in ctx.module.elsewhere and len(kept) == 1 and kept[0].id in configurations:
                configuration = kept[0]
        if configuration is None:
            ctx.report(
                node,
                rules.CM105,
                "js-v3",
                cls=js.V3_CLIENT,
                base_url=ctx.options.base_url,
                env=ctx.options.api_key_env,
            )
            return False
        return configurations[configuration.id]

    def _request(
        self, ctx: Context, node: Node, clients: dict[Key, list[Client]], made: dict[int, Client]
    ) -> None:
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            return
        prop = function.child_by_field_name("property")
        receiver = function.child_by_field_name("object")
        if prop is None or receiver is None:
            return
        method = prop.text.decode()
        if method not in js.V3_SERVED and method not in js.V3_UNSERVED:
            return
        if receiver.type == "new_expression":
            found = [made[receiver.id]] if receiver.id in made else []
        else:
            scopes = ctx.module.scopes
            assert scopes is not None
            key = scopes.key(receiver)
            found = clients.get(key, []) if key is not None else []
        if not found:
            return
        if method in js.V3_UNSERVED:
            if all(c.moves for c in found):
                ctx.report(node, rules.CM401, "js-v3", method=method)
            return
        request = js.V3_REQUESTS.get(method)
        if request is None:
            return  # listModels, retrieveModel: nothing to rewrite
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        params = first if first is not None and first.type == "object" else None
        ctx.module.requests.append(Request(node, request, tuple(found), params))

    def _configuration(self, ctx: Context, node: Node) -> bool:
        """Point one ``new Configuration({...})`` at Cerebras; whether it could be."""
        arguments = node.child_by_field_name("arguments")
        named = arguments.named_children if arguments is not None else []
        options = named[0] if named and named[0].type == "object" else None
        if (
            len(named) > 1
            or (named and options is None)
            or (
                options is not None
                and any(
                    e.type in ("spread_element", "shorthand_property_identifier")
                    for e in options.named_children
                )
            )
        ):
            ctx.report(
                node,
                rules.CM105,
                "js-v3",
                cls=js.V3_CONFIGURATION,
                base_url=ctx.options.base_url,
                env=ctx.options.api_key_env,
            )
            return False
        pairs: dict[str, Node] = {}
        for entry in options.named_children if options is not None else []:
            if entry.type == "pair" and (name := key_name(entry)) is not None:
                pairs[name] = entry
        base = pairs.get(js.V3_BASE_PATH_OPTION)
        if base is not None:
            url = constructors.literal(base.child_by_field_name("value"))
            if url is None:
                ctx.report(node, rules.CM104, "js-v3", base_url=ctx.options.base_url)
                return False
            if not constructors.known_url(ctx, url):
                ctx.report(node, rules.CM103, "client", url=url)
                return False
        before = len(ctx.edits)
        added = constructors.point_at_cerebras(
            ctx, pairs, js.V3_BASE_PATH_OPTION, "js-v3-expression"
        )
        dropped = [pairs[name] for name in js.V3_ACCOUNT_OPTIONS if name in pairs]
        for pair in dropped:
            ctx.report(pair, rules.CM102, keyword=key_name(pair))
        constructors.remove_entries(ctx, dropped)
        if added:
            constructors.add_entries(ctx, node, arguments, options, added)
        if len(ctx.edits) > before:
            ctx.rewrote(node)
        return True

    examples = (
        Example(
            name="commonjs",
            before="""
                const { Configuration, OpenAIApi } = require("openai");

                const configuration = new Configuration({
                  apiKey: process.env.OPENAI_API_KEY,
                  organization: "org-123",
                });
                const openai = new OpenAIApi(configuration);

                async function main() {
                  const res = await openai.createChatCompletion({
                    model: "gpt-3.5-turbo",
                    messages: [{ role: "user", content: "Hi" }],
                    clear_thinking: false,
                  });
                  await openai.createEmbedding({ model: "text-embedding-ada-002", input: "Hi" });
                  return res.data.choices[0].message.content;
                }
                """,
            after={
                "openai": """
                    const { Configuration, OpenAIApi } = require("openai");

                    const configuration = new Configuration({
                      basePath: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                    });
                    const openai = new OpenAIApi(configuration);

                    async function main() {
                      const res = await openai.createChatCompletion({
                        model: "gpt-oss-120b",
                        messages: [{ role: "user", content: "Hi" }],
                        clear_thinking: false,
                      });
                      await openai.createEmbedding({ model: "text-embedding-ada-002", input: "Hi" });
                      return res.data.choices[0].message.content;
                    }
                    """,
            },
            codes={
                "openai": ("CM408", "CM102", "CM301", "CM401"),
                "cerebras": ("CM408",),
            },
        ),
        Example(
            name="typescript-inline",
            suffix=".ts",
            before="""
                import { Configuration, OpenAIApi } from "openai";

                const api = new OpenAIApi(new Configuration({ apiKey: "sk-proj-abcdefghijklmnopqrstuvwxyz0123" }));
                const groq = new OpenAIApi(new Configuration({ basePath: "https://api.groq.com/openai/v1" }));
                const unknown = new OpenAIApi(settings);
                await api.createCompletion({ model: "gpt-3.5-turbo-instruct", prompt: "Hi", min_tokens: 2 });
                await groq.createChatCompletion({ model: "llama-3.1-8b-instant", messages: [] });

                declare const settings: Configuration;
                """,
            after={
                "openai": """
                    import { Configuration, OpenAIApi } from "openai";

                    const api = new OpenAIApi(new Configuration({ basePath: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() }));
                    const groq = new OpenAIApi(new Configuration({ basePath: "https://api.groq.com/openai/v1" }));
                    const unknown = new OpenAIApi(settings);
                    await api.createCompletion({ model: "gpt-oss-120b", prompt: "Hi", ...{ min_tokens: 2 } });
                    await groq.createChatCompletion({ model: "llama-3.1-8b-instant", messages: [] });

                    declare const settings: Configuration;
                    """,
            },
            codes={
                "openai": ("CM408", "CM101", "CM103", "CM105", "CM301", "CM201"),
                "cerebras": ("CM408",),
            },
        ),
        Example(
            # A public variable holding the OpenAI key becomes the Cerebras one, prefix kept,
            # as for a v4 client: kept, it would send the OpenAI key to Cerebras.
            name="public-key",
            before="""
                const { Configuration, OpenAIApi } = require("openai");

                const api = new OpenAIApi(new Configuration({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY }));
                """,
            after={
                "openai": """
                    const { Configuration, OpenAIApi } = require("openai");

                    const api = new OpenAIApi(new Configuration({ basePath: "https://api.cerebras.ai/v1", apiKey: process.env.NEXT_PUBLIC_CEREBRAS_API_KEY ?? (() => { throw new Error("NEXT_PUBLIC_CEREBRAS_API_KEY is not set"); })() }));
                    """,
            },
            codes={"openai": ("CM408",), "cerebras": ("CM408",)},
        ),
    )
