"""``new OpenAI({...})`` becomes ``new Cerebras({...})`` (``--target cerebras``).

The Cerebras TS SDK (``@cerebras/cerebras_cloud_sdk``) reads ``CEREBRAS_API_KEY`` when
``apiKey`` is undefined and throws when it is unset too, and has no OpenAI fallback at all,
so its key needs no strict read. The options (``switch_sdk`` switches the class name):

- ``baseURL``: an OpenAI or Cerebras URL is dropped (the SDK's default is the Cerebras URL,
  without ``/v1``: with it, it would request ``/v1/v1/...``); a ``--base-url`` of your own is
  written without ``/v1``;
- ``apiKey``: a read of ``OPENAI_API_KEY`` becomes one of ``CEREBRAS_API_KEY`` in the same
  style, as the Cerebras SDK's README writes it (undefined is then the SDK's own read, which
  throws), and a public one the bundler inlines into the page (``VITE_OPENAI_API_KEY``) the
  Cerebras one with its prefix kept; a literal key is replaced by that read (CM101, masked); a project's own variable
  or an expression is kept (CM107: it must hold a Cerebras key);
- options the SDK does not declare (``organization``, ``project``, ``dangerouslyAllowBrowser``,
  ``fetchOptions``, ``logger``, ...) are dropped (CM102): a TypeScript error there, and
  ``organization``/``project`` mean nothing to Cerebras;
- front-end code (a public key variable, ``dangerouslyAllowBrowser``) is reported (CM123):
  the SDK has no browser check (nor that option, dropped), so it runs in a browser as it
  is, and the Cerebras key is shipped to every browser that loads the code;
- ``warmTCPConnection: false``: by default the constructor sends ``GET /v1/tcp_warming``
  with the key, in the background, whether or not the program makes a request (a module-level
  client in a build step, a test run or a cold start); the openai program did not, so the
  migrated one does not either. Set it to true by hand to have the connection warmed.

A module whose client cannot move (another provider's URL CM103, a computed one CM104,
options that cannot be checked CM105, ``AzureOpenAI`` CM106) or that uses a name with no
Cerebras counterpart (CM111) is left as it is, every client of it: the import serves them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js, sdk
from codemods.js import constructors, keys, sdk_switch
from codemods.js.fixers.base import Example, Fixer
from codemods.js.requests import key_name
from codemods.js.resolve import Client
from codemods.secrets import mask

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

    Node = tree_sitter.Node


class CerebrasConstructors(Fixer):
    targets = frozenset({"cerebras"})
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
        clients = [c for c in ctx.module.clients if c.sdk_name == "openai"]
        if clients:
            constructors.transaction(ctx, clients, self._client, sdk_switch.blocked(ctx))
        for client in ctx.module.clients:
            if client.sdk_name == "cerebras":
                # Already on Cerebras: its requests are migrated (models mapped) as those of
                # a switched client, as on the Python side, unless it names another host.
                _, options, _ = constructors.options_of(client)
                url = _base_url(options)
                client.moves = url is None or constructors.known_url(ctx, url)

    def _client(self, ctx: Context, client: Client) -> None:
        node = client.node
        if client.cls in js.AZURE_CLASSES:
            ctx.report(node, rules.CM106, cls=client.cls)
            return
        if client.cls not in js.CLIENT_CLASSES["openai"]:
            return
        sdk_url = ctx.options.client_base_url
        arguments, options, checkable = constructors.options_of(client)
        if not checkable:
            ctx.report(
                node,
                rules.CM105,
                "js",
                cls=client.cls,
                base_url=sdk_url or js.CEREBRAS_SDK_BASE_URL,
                env=ctx.options.api_key_env,
            )
            return
        pairs: dict[str, Node] = {}
        for entry in options.named_children if options is not None else []:
            if entry.type == "pair" and (name := key_name(entry)) is not None:
                pairs[name] = entry
        base = pairs.get(js.BASE_URL_OPTION)
        if base is not None:
            url = constructors.literal(base.child_by_field_name("value"))
            if url is None:
                ctx.report(
                    node, rules.CM104, "js-client", base_url=sdk_url or js.CEREBRAS_SDK_BASE_URL
                )
                return
            if not constructors.known_url(ctx, url):
                ctx.report(node, rules.CM103, "client", url=url)
                return
        client.moves = True
        added: list[str] = []
        dropped: list[Node] = []
        if js.WARM_TCP_OPTION not in pairs:
            added.append(f"{js.WARM_TCP_OPTION}: false")
        if base is not None:
            value = base.child_by_field_name("value")
            assert value is not None
            if sdk_url is None:
                dropped.append(base)
            elif constructors.literal(value) != sdk_url:
                ctx.replace(value, ctx.layout.string(sdk_url))
        elif sdk_url is not None:
            added.append(f"{js.BASE_URL_OPTION}: {ctx.layout.string(sdk_url)}")
        key = pairs.get(js.API_KEY_OPTION)
        if key is not None:
            self._key(ctx, key)
        browser = keys.in_browser(key, pairs.get(js.BROWSER_OPTION), ctx.options.api_key_env)
        if browser is not None and browser.variable is not None:
            ctx.report(browser.pair, rules.CM123, "cerebras", variable=browser.variable)
        elif browser is not None:
            ctx.report(browser.pair, rules.CM123, "cerebras-option")
        elif ctx.options.api_key_env != sdk.CEREBRAS_API_KEY_ENV:
            added.append(f"{js.API_KEY_OPTION}: {js.PROCESS_ENV}.{ctx.options.api_key_env}")
        for name, pair in pairs.items():
            if name not in js.CLIENT_OPTIONS["cerebras"]:
                ctx.report(
                    pair, rules.CM102, "not-an-argument", keyword=name, sdk="the Cerebras TS SDK"
                )
                dropped.append(pair)
        constructors.remove_entries(ctx, dropped)
        if added:
            constructors.add_entries(ctx, node, arguments, options, added)
        ctx.rewrote(node)

    def _key(self, ctx: Context, pair: Node) -> None:
        value = pair.child_by_field_name("value")
        if value is None:
            return
        env = ctx.options.api_key_env
        read = keys.env_read(value)
        fallback = keys.with_fallback(value)
        text = constructors.literal(keys.unwrap(value))

        def plain(name: str, style: keys.Style | None = None) -> str:
            # The SDK reads CEREBRAS_API_KEY from process.env itself, but in a browser
            # (Vite's import.meta.env) or in Deno the file's own accessor is what works.
            return keys.read(ctx, name, style)

        if fallback is not None:
            read, default = fallback
            default_text = constructors.literal(default)
            if default_text:
                ctx.secrets.append(default_text)
                name = keys.key_variable(read.name, env)[0]
                ctx.report(
                    pair, rules.CM101, "env-default", masked=mask(default_text), variable=name
                )
                ctx.replace(value, plain(name, read.style))
            return
        if text is not None:
            if text:
                ctx.secrets.append(text)
            ctx.report(pair, rules.CM101, masked=mask(text), env=env)
            ctx.replace(value, plain(env))
        elif keys.is_strict(value):
            return
        elif read is not None:
            name, cerebras = keys.key_variable(read.name, env)
            if not cerebras:
                ctx.report(pair, rules.CM107, "js-env", env=read.name)
            elif name != read.name:
                ctx.replace(keys.unwrap(value), plain(name, read.style))
        else:
            ctx.report(pair, rules.CM107, "js-expression")

    examples = (
        Example(
            name="options",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI({
                  apiKey: process.env.OPENAI_API_KEY,
                  baseURL: "https://api.openai.com/v1",
                  organization: "org-123",
                  dangerouslyAllowBrowser: true,
                  maxRetries: 2,
                });
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({
                      warmTCPConnection: false,
                      apiKey: process.env.CEREBRAS_API_KEY,
                      maxRetries: 2,
                    });
                    """,
            },
            codes={
                "cerebras": ("CM102", "CM123", "CM102"),
            },
        ),
        Example(
            name="stays-together",
            before="""
                const OpenAI = require("openai");

                const cerebras = new OpenAI({ apiKey: "sk-proj-abcdefghijklmnopqrstuvwxyz0123" });
                const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });
                """,
            codes={
                "cerebras": ("CM103",),
            },
        ),
    )


def _base_url(options: Node | None) -> str | None:
    """The literal ``baseURL`` of a constructor's options object, else None."""
    for entry in options.named_children if options is not None else []:
        if entry.type == "pair" and key_name(entry) == js.BASE_URL_OPTION:
            return constructors.literal(entry.child_by_field_name("value"))
    return None
