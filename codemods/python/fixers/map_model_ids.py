"""Model ids: OpenAI model literals become the Cerebras models the map gives.

Cerebras does not serve ``gpt-4o`` and friends: a migrated program that keeps them fails with
404. Rewritten: the ``model=`` literal of a request on a resolved client, module and class
constants (``MODEL = "gpt-4o-mini"``) and parameter defaults (``def ask(model="gpt-4o")``) in
a file that imports the SDK. Each rewrite is reported; ``--keep-models`` turns this off.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import models
from codemods.options import Options
from codemods.python.context import Context
from codemods.python.cst.edit import find_keyword, make_string, replace_arg_value, string_value
from codemods.python.fixers.base import Example, Fixer


def _mapped(ctx: Context, original: cst.BaseExpression) -> cst.SimpleString | None:
    value = string_value(original)
    if value is None:
        return None
    new = models.map_model(value, ctx.options.model_map)
    if new is None:
        return None
    ctx.report(original, rules.CM301, old=value, new=new)
    return make_string(new, like=original)


class MapModelIds(Fixer):
    emits = (rules.CM301, rules.CM302)

    @staticmethod
    def reads_alone(value: str, options: Options) -> bool:
        return models.map_model(value, options.model_map) is not None

    def begin(self, ctx: Context) -> None:
        # Not in a module that is only read for its untraced requests: nothing there is
        # known to move, so its model ids stay with them.
        place = ctx.resolver.place
        moves = ctx.resolver.imports_sdk or (
            place is not None and bool(place.client_names or place.models)
        )
        self.active = not ctx.options.keep_models and moves
        if self.active:
            for use, name, model in ctx.models.other_uses:
                ctx.report(use, rules.CM302, name=name, model=model)
            for value, name, model, places in ctx.models.elsewhere:
                ctx.report(value, rules.CM302, "elsewhere", name=name, model=model, places=places)

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active:
            return updated
        request = ctx.request(original)
        if request is None or not request.client.migrated:
            return updated
        if request.client.is_module and ctx.old_api.is_pre_v1:
            return updated  # beside the openai 0.x API, the module client stays as it is
        index = find_keyword(original, "model")
        new_index = find_keyword(updated, "model")
        if index is None or new_index is None:
            return updated
        replacement = _mapped(ctx, original.args[index].value)
        if replacement is None:
            return updated
        ctx.rewrote(original)
        return replace_arg_value(updated, new_index, replacement)

    def _constant(
        self, ctx: Context, original: cst.BaseExpression | None, updated: cst.BaseExpression
    ) -> cst.BaseExpression | None:
        if not self.active or original is None or ctx.scope.kind == "function":
            return None
        replacement = _mapped(ctx, original)
        if replacement is not None and ctx.statement is not None:
            ctx.rewrote(ctx.statement)
        return replacement

    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        kept = ctx.models.kept
        if kept and any(
            isinstance(t.target, cst.Name) and t.target.value in kept for t in original.targets
        ):
            return updated  # the constant also feeds other code: reported at those uses
        replacement = self._constant(ctx, original.value, updated.value)
        return updated if replacement is None else updated.with_changes(value=replacement)

    def leave_AnnAssign(
        self, ctx: Context, original: cst.AnnAssign, updated: cst.AnnAssign
    ) -> cst.AnnAssign:
        if isinstance(original.target, cst.Name) and original.target.value in ctx.models.kept:
            return updated
        replacement = self._constant(ctx, original.value, updated.value)  # type: ignore[arg-type]
        return updated if replacement is None else updated.with_changes(value=replacement)

    def leave_Param(self, ctx: Context, original: cst.Param, updated: cst.Param) -> cst.Param:
        if not self.active or original.default is None:
            return updated
        replacement = _mapped(ctx, original.default)
        if replacement is None:
            return updated
        ctx.rewrote(original)
        return updated.with_changes(default=replacement)

    examples = (
        Example(
            name="request-constant-default",
            before="""
                from openai import OpenAI

                MODEL = "gpt-4o-mini"


                def ask(client: OpenAI, prompt, model="gpt-4o"):
                    draft = client.chat.completions.create(model="gpt-3.5-turbo", messages=[prompt])
                    return client.chat.completions.create(model=model, messages=[draft])
                """,
            after={
                "openai": """
                    from openai import OpenAI

                    MODEL = "gpt-oss-120b"


                    def ask(client: OpenAI, prompt, model="gpt-oss-120b"):
                        draft = client.chat.completions.create(model="gpt-oss-120b", messages=[prompt])
                        return client.chat.completions.create(model=model, messages=[draft])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    MODEL = "gpt-oss-120b"


                    def ask(client: Cerebras, prompt, model="gpt-oss-120b"):
                        draft = client.chat.completions.create(model="gpt-oss-120b", messages=[prompt])
                        return client.chat.completions.create(model=model, messages=[draft])
                    """,
            },
            codes={
                "openai": ("CM301", "CM301", "CM301", "CM406"),
                "cerebras": ("CM301", "CM301", "CM301", "CM406"),
            },
        ),
        Example(
            name="model-map",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(model="gpt-4o", messages=[])
                """,
            after={
                "openai": """
                    from openai import OpenAI


                    def ask(client: OpenAI):
                        return client.chat.completions.create(model="zai-glm-4.7", messages=[])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(model="zai-glm-4.7", messages=[])
                    """,
            },
            codes={"openai": ("CM301",), "cerebras": ("CM301",)},
            options={"model_map": [["gpt-4o", "zai-glm-4.7"]]},
        ),
        Example(
            name="keep-models",
            before="""
                from cerebras.cloud.sdk import Cerebras


                def ask(client: Cerebras):
                    return client.chat.completions.create(model="gpt-4o", messages=[])
                """,
            after={
                "openai": """
                    from openai import OpenAI


                    def ask(client: OpenAI):
                        return client.chat.completions.create(model="gpt-4o", messages=[])
                    """,
            },
            codes={"openai": ("CM407",), "cerebras": ("CM407",)},
            options={"keep_models": True},
        ),
        Example(
            name="constant-feeds-other-code",
            before="""
                from openai import OpenAI

                MODEL = "gpt-4o-mini"
                PRICE_PER_TOKEN = {"gpt-4o-mini": 0.15e-6}


                def ask(client: OpenAI, prompt: str):
                    reply = client.chat.completions.create(model=MODEL, messages=[prompt])
                    return reply, reply.usage.total_tokens * PRICE_PER_TOKEN[MODEL]
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    MODEL = "gpt-4o-mini"
                    PRICE_PER_TOKEN = {"gpt-4o-mini": 0.15e-6}


                    def ask(client: Cerebras, prompt: str):
                        reply = client.chat.completions.create(model=MODEL, messages=[prompt])
                        return reply, reply.usage.total_tokens * PRICE_PER_TOKEN[MODEL]
                    """,
            },
            codes={"openai": ("CM407", "CM302"), "cerebras": ("CM407", "CM302")},
        ),
    )
