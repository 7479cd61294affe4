"""The SDK a module imports switched to the target's: ``"openai"`` and
``"@cerebras/cerebras_cloud_sdk"`` both ways, with the class names and the errors.

``--target cerebras`` makes an openai-node client a Cerebras TS SDK one, and ``--target
openai`` the reverse (the Cerebras SDK's client pointed back through openai-node). The
import or ``require`` gets the other specifier, and the names bound through it the other
package's: ``import OpenAI from "openai"`` becomes ``import Cerebras from
"@cerebras/cerebras_cloud_sdk"`` and every ``OpenAI`` of the module (``new OpenAI``, ``client:
OpenAI``, ``OpenAI.APIError``) ``Cerebras``; a name the module gave itself is kept
(``import { OpenAI as LLM }`` becomes ``import { Cerebras as LLM }``), as it is when the new
name is already taken. ``OpenAIError`` is ``CerebrasError`` (``{ CerebrasError as OpenAIError
}`` in a named import); the other errors keep their names (``facts/js.RENAMED_EXPORTS``,
``SHARED_EXPORTS``).

Only local names change: ``export { OpenAI }`` becomes ``export { Cerebras as OpenAI }`` and
``{ OpenAI }`` ``{ OpenAI: Cerebras }``, so that what other modules import stays the same.

A module switches whole or not at all: one import serves every client of the module. It is
left as it is when a name it uses has no counterpart (``AzureOpenAI``, the ``Chat`` type
namespaces, whose types differ: CM111), or when one of its clients stays (another provider,
options that cannot be checked: the constructor fixers report those, and decide first with
``blocked``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js import sdk_switch
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    from codemods.js.context import Context


class SwitchSdk(Fixer):
    emits = (rules.CM111, rules.CM120)

    def run(self, ctx: Context) -> None:
        sdk_name = sdk_switch.source_sdk(ctx)
        plan = sdk_switch.Plan(ctx, sdk_name)
        if plan.mocked:
            # Mocked by its specifier: modules switched to the other SDK import another one,
            # which this mock does not reach (the test would call the real SDK).
            other = "openai" if sdk_name == "cerebras" else "cerebras"
            for node in plan.mocked:
                function = node.child_by_field_name("function")
                assert function is not None
                ctx.report(
                    node,
                    rules.CM120,
                    "js-mock",
                    text=function.text.decode(errors="replace"),
                    specifier=sdk_switch.SPECIFIER_OF[sdk_name],
                    counterpart=sdk_switch.SPECIFIER_OF[other],
                )
            return
        if not plan.found:
            return
        target = "Cerebras TS" if ctx.options.target == "cerebras" else "openai-node"
        if plan.missing:
            for node, qualname in plan.missing:
                ctx.report(node, rules.CM111, "js", qualname=qualname, target=target)
            return
        if plan.ignored:
            first = plan.ignored[0]
            where = ctx.module.imports[0]
            for node in ctx.module.imports:
                if sdk_switch.Plan.sdk_of(ctx, node) == sdk_name:
                    where = node
                    break
            ctx.report(
                where,
                rules.CM111,
                "js-ignored",
                qualname=first.text.decode(),
                line=first.start_point[0] + 1,
                target=target,
            )
            return
        clients = [*ctx.module.clients, *ctx.module.kept]  # kept: on OpenAI, unserved_clients
        if any(not c.moves for c in clients if c.sdk_name == sdk_name):
            return  # a client stays: the constructor fixers said why
        seen: set[int] = set()
        for node, text in plan.edits:
            if node.start_byte in seen:
                continue
            seen.add(node.start_byte)
            ctx.replace(node, text)
        for start, end in plan.removals:
            ctx.replace_range(start, end, "")
        for node in ctx.module.imports:
            if sdk_switch.Plan.sdk_of(ctx, node) == sdk_name:
                ctx.rewrote(node)

    examples = (
        Example(
            name="names-and-errors",
            before="""
                import OpenAI, { OpenAIError, RateLimitError } from "openai";

                const client = new OpenAI({ apiKey: process.env.CEREBRAS_API_KEY });
                try {
                  await client.models.list();
                } catch (e) {
                  if (e instanceof OpenAI.APIError || e instanceof OpenAIError) throw e;
                }
                """,
            after={
                "cerebras": """
                    import Cerebras, { CerebrasError as OpenAIError, RateLimitError } from "@cerebras/cerebras_cloud_sdk";

                    const client = new Cerebras({ warmTCPConnection: false, apiKey: process.env.CEREBRAS_API_KEY });
                    try {
                      await client.models.list();
                    } catch (e) {
                      if (e instanceof Cerebras.APIError || e instanceof OpenAIError) throw e;
                    }
                    """,
                "openai": """
                    import OpenAI, { OpenAIError, RateLimitError } from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    try {
                      await client.models.list();
                    } catch (e) {
                      if (e instanceof OpenAI.APIError || e instanceof OpenAIError) throw e;
                    }
                    """,
            },
        ),
        Example(
            name="exported-and-shorthand",
            before="""
                import OpenAI from "openai";

                export const client = new OpenAI({ maxRetries: 1 });
                export { OpenAI };
                export const sdk = { OpenAI };
                """,
            after={
                "cerebras": """
                    import Cerebras from "@cerebras/cerebras_cloud_sdk";

                    export const client = new Cerebras({ warmTCPConnection: false, maxRetries: 1 });
                    export { Cerebras as OpenAI };
                    export const sdk = { OpenAI: Cerebras };
                    """,
                "openai": """
                    import OpenAI from "openai";

                    export const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })(), organization: null, project: null, maxRetries: 1 });
                    export { OpenAI };
                    export const sdk = { OpenAI };
                    """,
            },
        ),
        Example(
            name="way-back",
            suffix=".ts",
            before="""
                import Cerebras from "@cerebras/cerebras_cloud_sdk";

                const client = new Cerebras({ apiKey: process.env.CEREBRAS_API_KEY, warmTCPConnection: false });
                const r = (await client.chat.completions.create({ model: "gpt-oss-120b", messages: [], clear_thinking: false })) as Cerebras.Chat.ChatCompletion.ChatCompletionResponse;
                """,
            after={
                "openai": """
                    import OpenAI from "openai";

                    const client = new OpenAI({ baseURL: "https://api.cerebras.ai/v1", organization: null, project: null, apiKey: process.env.CEREBRAS_API_KEY ?? (() => { throw new Error("CEREBRAS_API_KEY is not set"); })() });
                    const r = await client.chat.completions.create({ model: "gpt-oss-120b", messages: [], ...{ clear_thinking: false } });
                    """
            },
            codes={"openai": ("CM102", "CM201")},
        ),
        Example(
            name="no-counterpart",
            suffix=".ts",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI();
                const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
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
                    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
                    """
            },
            codes={"cerebras": ("CM111",)},
        ),
    )
