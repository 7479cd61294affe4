"""``new OpenAI({...})`` pointed at Cerebras: ``baseURL``, the Cerebras key, no account ids.

openai-node falls back to the environment for every option it is not given: ``baseURL``
to ``OPENAI_BASE_URL``, ``apiKey`` to ``OPENAI_API_KEY`` (also when the value given is
``undefined``), ``organization`` and ``project`` to ``OPENAI_ORG_ID`` / ``OPENAI_PROJECT_ID``,
sent as headers to any host. So a migrated constructor gets all four:

- ``baseURL: "https://api.cerebras.ai/v1"`` (an OpenAI one is replaced);
- ``apiKey``: the Cerebras variable read so that a missing one throws (``keys.py``); a read of
  ``OPENAI_API_KEY`` becomes it in the same accessor style (``process.env.X`` or
  ``process.env["X"]``), and a public one the bundler inlines into the page
  (``NEXT_PUBLIC_OPENAI_API_KEY``) the Cerebras one with its prefix kept; a project's own
  variable is kept and read the same strict way (CM107), a literal key is replaced (CM101,
  masked); a key from an expression is kept (CM107: it must never be ``undefined``);
- ``organization: null, project: null``: ``null`` stops the environment read (a destructuring
  default applies to ``undefined`` only) and a ``null`` header is not sent; a value given is
  dropped (CM102).

Front-end code, a key read from a public variable or ``dangerouslyAllowBrowser`` set, ships
the Cerebras key to every browser that loads it (CM123). openai-node throws in a browser
unless ``dangerouslyAllowBrowser`` is true, so the option is kept; Cerebras SDK code reading
a public key gets it added on the way back (that SDK has no such check).

Left alone and reported: another provider's ``baseURL`` (CM103), a computed one (CM104),
options that are not an object literal or hold a spread (CM105), ``AzureOpenAI`` (CM106).

The same for a Cerebras TS SDK client (``new Cerebras({...})``, the way back): its URL, with
or without ``/v1``, becomes the openai one, and the options openai-node does not declare
(``warmTCPConnection``, ``httpAgent``) are dropped (CM102).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import constructors, keys, sdk_switch
from codemods.js.fixers.base import Example, Fixer
from codemods.js.resolve import Client, string_value

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context


def _key_name(pair: tree_sitter.Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "property_identifier":
        return key.text.decode()
    return string_value(key)


class ClientConstructors(Fixer):
    targets = frozenset({"openai"})
    emits = (
        rules.CM101,
        rules.CM102,
        rules.CM103,
        rules.CM104,
        rules.CM105,
        rules.CM106,
        rules.CM107,
        rules.CM123,
    )

    def run(self, ctx: Context) -> None:
        for client in ctx.module.clients:
            if client.sdk_name == "openai":
                self._client(ctx, client)
        # The way back: Cerebras TS SDK clients become openai-node ones (``switch_sdk``
        # switches the import), all of a module's or none.
        cerebras = [c for c in ctx.module.clients if c.sdk_name == "cerebras"]
        if cerebras:
            constructors.transaction(ctx, cerebras, self._client, sdk_switch.blocked(ctx))

    def _client(self, ctx: Context, client: Client) -> None:
        node = client.node
        if client.cls in js.AZURE_CLASSES:
            ctx.report(node, rules.CM106, cls=client.cls)
            return
        if client.cls not in js.CLIENT_CLASSES[client.sdk_name]:
            return
        arguments = node.child_by_field_name("arguments")
        named = arguments.named_children if arguments is not None else []
        if len(named) > 1 or (named and named[0].type != "object"):
            self._dynamic(ctx, client)
            return
        options = named[0] if named else None
        pairs: dict[str, tree_sitter.Node] = {}
        if options is not None:
            for entry in options.named_children:
                if entry.type in ("spread_element", "shorthand_property_identifier"):
                    self._dynamic(ctx, client)
                    return
                if entry.type == "pair":
                    name = _key_name(entry)
                    if name is not None:
                        pairs[name] = entry
        base = pairs.get(js.BASE_URL_OPTION)
        if base is not None:
            value = base.child_by_field_name("value")
            url = constructors.literal(value) if value is not None else None
            if url is None:
                ctx.report(node, rules.CM104, "js-client", base_url=ctx.options.base_url)
                return
            known = constructors.OPENAI_URLS | ctx.options.own_urls
            if client.sdk_name == "cerebras":
                known = known | constructors.CEREBRAS_URLS
            if url.rstrip("/") not in known:
                ctx.report(node, rules.CM103, "client", url=url)
                return
        client.moves = True
        before = len(ctx.edits)
        added = constructors.point_at_cerebras(
            ctx, pairs, js.BASE_URL_OPTION, "js-expression-openai"
        )
        for option in js.ACCOUNT_OPTIONS:
            pair = pairs.get(option)
            if pair is None:
                added.append(f"{option}: null")
                continue
            value = pair.child_by_field_name("value")
            if value is not None and value.type != "null":
                ctx.report(pair, rules.CM102, "js-null", keyword=option)
                ctx.replace(value, "null")
        self._browser(
            ctx, client, pairs.get(js.API_KEY_OPTION), pairs.get(js.BROWSER_OPTION), added
        )
        if client.sdk_name == "cerebras":
            dropped = [p for n, p in pairs.items() if n not in js.CLIENT_OPTIONS["openai"]]
            for pair in dropped:
                name = _key_name(pair)
                ctx.report(pair, rules.CM102, "not-an-argument", keyword=name, sdk="openai-node")
            constructors.remove_entries(ctx, dropped)
        if added:
            constructors.add_entries(ctx, node, arguments, options, added)
        if len(ctx.edits) > before:
            ctx.rewrote(node)

    def _browser(
        self,
        ctx: Context,
        client: Client,
        key: tree_sitter.Node | None,
        option: tree_sitter.Node | None,
        added: list[str],
    ) -> None:
        """Front-end code (a public key variable, ``dangerouslyAllowBrowser``) ships the
        Cerebras key to every browser: CM123. Cerebras SDK code there had no option to set
        (that SDK checks nothing); openai-node throws in a browser without it, so it is added."""
        browser = keys.in_browser(key, option, ctx.options.api_key_env)
        if browser is None:
            return
        if client.sdk_name == "cerebras" and option is None and browser.variable is not None:
            added.append(f"{js.BROWSER_OPTION}: true")
            ctx.report(browser.pair, rules.CM123, "added", variable=browser.variable)
        elif browser.variable is not None:
            ctx.report(browser.pair, rules.CM123, variable=browser.variable)
        else:
            ctx.report(browser.pair, rules.CM123, "option")

    def _dynamic(self, ctx: Context, client: Client) -> None:
        ctx.report(
            client.node,
            rules.CM105,
            "js",
            cls=client.cls,
            base_url=ctx.options.base_url,
            env=ctx.options.api_key_env,
        )

    examples = (
        Example(
            name="default-import",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI();
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });
                    """,
            },
        ),
        Example(
            name="openai-key-read",
            before="""
                const { OpenAI } = require('openai');

                const client = new OpenAI({
                  apiKey: process.env['OPENAI_API_KEY'],
                  organization: 'org-123',
                });
                """,
            after={
                "openai": """
                    const { OpenAI } = require('openai');

                    const client = new OpenAI({
                      baseURL: 'https://api.cerebras.ai/v1',
                      project: null,
                      apiKey: process.env['CEREBRAS_API_KEY'] ?? (() => { throw new Error('CEREBRAS_API_KEY is not set'); })(),
                      organization: null,
                    });
                    """,
            },
            codes={"openai": ("CM102",)},
        ),
        Example(
            name="other-provider",
            suffix=".ts",
            before="""
                import * as o from "openai";

                const groq = new o.OpenAI({ baseURL: "https://api.groq.com/openai/v1" });
                const azure = new o.AzureOpenAI();
                const made = new o.OpenAI(config);
                const computed = new o.OpenAI({ baseURL: process.env.LLM_URL });
                """,
            codes={"openai": ("CM103", "CM106", "CM105", "CM104")},
        ),
        Example(
            name="hard-coded-key",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ apiKey: "sk-proj-abcdefghijklmnopqrstuvwxyz0123" });
                const own = new OpenAI({ apiKey: process.env.LLM_KEY, baseURL: "https://api.openai.com/v1" });
                const other = new OpenAI({ apiKey: settings.key });
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    const own = new OpenAI({ organization: null, project: null, apiKey: process.env.LLM_KEY ?? (() => { throw new Error("LLM_KEY is not set"); })(), baseURL: "https://api.cerebras.ai/v1" });
                    const other = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: settings.key });
                    """,
            },
            codes={"openai": ("CM101", "CM107", "CM107")},
        ),
        Example(
            name="key-fallbacks",
            before="""
                import OpenAI from "openai";

                const a = new OpenAI({ apiKey: process.env.OPENAI_API_KEY || "sk-proj-fallbackKey0123456789abcdef" });
                const b = new OpenAI({ /* keyed */ apiKey: `sk-proj-templateKey0123456789abcdef` });
                const c = new OpenAI({ timeout: 5,
                  maxRetries: 1 });
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const a = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    const b = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, /* keyed */ apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    const c = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null, timeout: 5,
                      maxRetries: 1 });
                    """,
            },
            codes={"openai": ("CM101", "CM101")},
        ),
        Example(
            name="browser-key",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_API_KEY, dangerouslyAllowBrowser: true });
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: import.meta.env.VITE_CEREBRAS_API_KEY ?? (() => { throw new Error("VITE_CEREBRAS_API_KEY is not set"); })(), dangerouslyAllowBrowser: true });
                    """,
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: import.meta.env.VITE_CEREBRAS_API_KEY });
                    """,
            },
            codes={"openai": ("CM123",), "cerebras": ("CM123", "CM102")},
        ),
    )
