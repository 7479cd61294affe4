"""A client used only for endpoints Cerebras does not serve stays on OpenAI (CM121).

``const embedder = new OpenAI()`` whose every use is ``embedder.embeddings.create(...)``
would only fail on Cerebras (a 404 for openai-node pointed there, no such property on the
Cerebras TS SDK's client), so it is left as written, key and URL included, and reported,
while the module's other clients move: the program keeps the OpenAI key for that client.
"Only" must be sure (``js/unserved.py``: the ``new`` is the receiver itself, or is declared
once under a name used nowhere else in its scope but as the receiver of such requests), and
the client must be one that would otherwise move on OpenAI's URL: another provider's, a
computed URL, options that cannot be checked or ``AzureOpenAI`` are reported by the
constructor fixers as before. This runs first and takes the client out of the module's
clients, so no constructor fixer touches it.

On ``--target cerebras`` the module keeps its import of openai for that client, and one
import serves every client of a module: a module that also has clients that would move is
left as it is, all of it (``sdk_switch.blocked``), and the report says to migrate it with
``--target openai`` (both clients in one import, the other one pointed at Cerebras) or to
give that client a module of its own. Switching half the module to a second import would
also split its ``OpenAI.APIError`` handlers and types between two SDKs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import constructors, unserved
from codemods.js.fixers.base import Example, Fixer
from codemods.js.requests import key_name
from codemods.js.resolve import Client

if TYPE_CHECKING:
    from codemods.js.context import Context


def _on_openai(client: Client) -> bool:
    """An openai-node ``OpenAI`` whose options can be read and name no URL but OpenAI's."""
    if client.sdk_name != "openai" or client.cls not in js.CLIENT_CLASSES["openai"]:
        return False
    _, options, checkable = constructors.options_of(client)
    if not checkable:
        return False
    for entry in options.named_children if options is not None else []:
        if entry.type == "pair" and key_name(entry) == js.BASE_URL_OPTION:
            url = constructors.literal(entry.child_by_field_name("value"))
            return url is not None and url.rstrip("/") in constructors.OPENAI_URLS
    return True


def _name(client: Client) -> str | None:
    declarator = client.node.parent
    if declarator is not None and declarator.type == "variable_declarator":
        name = declarator.child_by_field_name("name")
        if name is not None:
            return name.text.decode()
    return None


class UnservedClients(Fixer):
    emits = (rules.CM121,)

    def run(self, ctx: Context) -> None:
        module = ctx.module
        candidates = [c for c in module.clients if _on_openai(c)]
        if not candidates or not unserved.may_have_requests(ctx.data):
            return
        root = unserved.root_of(candidates[0].node)
        found = unserved.requests(root, ctx.data)
        if not found:
            return
        # Only names that receive such a request need counting.
        receivers = {r.receiver.text for r in found if r.receiver.type == "identifier"}
        names = [
            name
            for c in candidates
            if (name := unserved.declared_name(c)) is not None and name.text in receivers
        ]
        counts = unserved.occurrences(module, root, ctx.data, names)
        kept: list[tuple[Client, list[str]]] = []
        for client in candidates:
            resources = unserved.only_unserved(module, client, found, counts)
            if resources:
                kept.append((client, resources))
                module.clients.remove(client)
                module.kept.append(client)
        # On the Cerebras target the module's import stays for the kept clients, so the
        # others stay too: say so where the decision is made.
        whole = ctx.options.target == "cerebras" and any(
            c.sdk_name == "openai" for c in module.clients
        )
        for client, resources in kept:
            name = _name(client)
            listed = unserved.listed(resources)
            if whole:
                shown = f"`{name}`" if name is not None else "this client"
                ctx.report(client.node, rules.CM121, "js-module", client=shown, resources=listed)
            elif name is None:
                ctx.report(client.node, rules.CM121, "inline", resources=listed)
            else:
                ctx.report(client.node, rules.CM121, name=name, resources=listed)

    examples = (
        Example(
            name="embeddings-only",
            before="""
                import OpenAI from "openai";

                const chat = new OpenAI();
                const embedder = new OpenAI();

                export async function answer(question) {
                  const [vector] = (await embedder.embeddings.create({ model: "text-embedding-3-small", input: question })).data;
                  await new OpenAI().moderations.create({ input: question });
                  return chat.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: question }] });
                }
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const chat = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });
                    const embedder = new OpenAI();

                    export async function answer(question) {
                      const [vector] = (await embedder.embeddings.create({ model: "text-embedding-3-small", input: question })).data;
                      await new OpenAI().moderations.create({ input: question });
                      return chat.chat.completions.create({ model: "gpt-oss-120b", messages: [{ role: "user", content: question }] });
                    }
                    """,
            },
            codes={"openai": ("CM121", "CM121", "CM301"), "cerebras": ("CM121", "CM121")},
        ),
        Example(
            name="unsure-uses",
            before="""
                import OpenAI from "openai";

                const passed = new OpenAI();
                const wrapped = new OpenAI();
                export const shared = new OpenAI();

                await passed.embeddings.create({ model: "text-embedding-3-small", input: "a" });
                await wrapped.withOptions({ timeout: 5 }).embeddings.create({ model: "m", input: "b" });
                await shared.embeddings.create({ model: "text-embedding-3-small", input: "c" });
                index(passed);
                """,
            codes={
                "openai": ("CM401", "CM401", "CM401"),
                "cerebras": ("CM401", "CM401", "CM401"),
            },
            after={
                "openai": """
                    import OpenAI from "openai";

                    const passed = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });
                    const wrapped = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });
                    export const shared = new OpenAI({
                      baseURL: "https://api.cerebras.ai/v1",
                      apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(),
                      organization: null,
                      project: null,
                    });

                    await passed.embeddings.create({ model: "text-embedding-3-small", input: "a" });
                    await wrapped.withOptions({ timeout: 5 }).embeddings.create({ model: "m", input: "b" });
                    await shared.embeddings.create({ model: "text-embedding-3-small", input: "c" });
                    index(passed);
                    """,
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    const passed = new Cerebras({
                      warmTCPConnection: false,
                    });
                    const wrapped = new Cerebras({
                      warmTCPConnection: false,
                    });
                    export const shared = new Cerebras({
                      warmTCPConnection: false,
                    });

                    await passed.embeddings.create({ model: "text-embedding-3-small", input: "a" });
                    await wrapped.withOptions({ timeout: 5 }).embeddings.create({ model: "m", input: "b" });
                    await shared.embeddings.create({ model: "text-embedding-3-small", input: "c" });
                    index(passed);
                    """,
            },
        ),
    )
