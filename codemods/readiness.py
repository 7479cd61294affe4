"""Readiness: call sites that cannot move to Cerebras as they are, reported precisely.

Nothing here rewrites code. It reports endpoints Cerebras does not serve
(``client.embeddings.create``), request keywords it restricts (``tools`` with
``response_format``, ``clear_thinking`` off zai-glm-4.7, the deprecated
``disable_reasoning``), model ids that are computed or unknown, ``**kwargs`` that cannot be
checked, the pre-1.0 module API, and OpenAI's rate-limit header names read from responses.
"""

from __future__ import annotations

import libcst as cst

from . import sdk
from .base import Fixer
from .context import Context
from .cst_util import dotted_name, find_keyword, keyword_node, string_value
from .resolve import ClientRef, RequestCall


def _unserved(names: list[str]) -> str | None:
    if not names:
        return None
    if names[0] in sdk.UNSERVED_RESOURCES:
        return names[0]
    if names[0] == "beta" and len(names) > 1 and names[1] in sdk.UNSERVED_BETA_RESOURCES:
        return f"beta.{names[1]}"
    return None


class Readiness(Fixer):
    def begin(self, ctx: Context) -> None:
        self.active = ctx.resolver.mentions_sdk
        # The outermost call of each chain is reported once: ``client.files.content(id).read()``
        self.reported_chains: set[int] = set()

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active:
            return updated
        found = ctx.resolver.client_chain(original.func, ctx.scope)
        names = found[2] if found is not None else []
        unserved = _unserved(names)
        if unserved is not None and found is not None:
            client = found[0]
            if client.migrated and client.sdk == "openai":
                ctx.report(
                    original,
                    "CM401",
                    f"Cerebras has no {unserved} endpoint: keep an OpenAI client for "
                    f"`{'.'.join(names)}`, or drop the feature",
                )
            return updated
        pre_v1 = self._pre_v1(ctx, original.func)
        if pre_v1:
            ctx.report(original, "CM408", pre_v1)
            return updated
        request = ctx.request(original)
        if request is not None and request.client.migrated and request.client.sdk != "azure":
            self._request(ctx, original, request)
        return updated

    def _pre_v1(self, ctx: Context, func: cst.BaseExpression) -> str | None:
        dotted = dotted_name(func) or ""
        base, _, rest = dotted.partition(".")
        names = rest.split(".") if rest else []
        if (
            names
            and names[0] in sdk.PRE_V1_RESOURCES
            and ctx.resolver.is_openai_module(cst.Name(base), ctx.scope)
        ):
            return (
                f"openai.{'.'.join(names)}() is the pre-1.0 API (removed in openai 1.0): "
                "move to the client API first (`openai migrate`), then run this tool again"
            )
        return None

    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not self.active or len(original.targets) != 1:
            return updated
        target = original.targets[0].target
        if (
            isinstance(target, cst.Attribute)
            and target.attr.value in sdk.PRE_V1_SETTINGS
            and ctx.resolver.is_openai_module(target.value, ctx.scope)
        ):
            ctx.report(
                original,
                "CM408",
                f"openai.{target.attr.value} belongs to the pre-1.0 API (openai.base_url and a "
                "client object replaced it): move to the client API first",
            )
        return updated

    def leave_SimpleString(
        self, ctx: Context, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.SimpleString:
        if not self.active:
            return updated
        value = string_value(original)
        if value is not None and value.lower() in sdk.OPENAI_RATE_LIMIT_HEADERS:
            ctx.report(
                original,
                "CM409",
                f"Cerebras does not send {value}; its rate-limit headers are "
                + ", ".join(sdk.CEREBRAS_RATE_LIMIT_HEADERS),
            )
        return updated

    # Requests -----------------------------------------------------------------------------
    def _request(self, ctx: Context, call: cst.Call, request: RequestCall) -> None:
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        body_keys = _extra_body_keys(call)
        if any(arg.star == "**" for arg in call.args):
            ctx.report(
                call,
                "CM402",
                "**kwargs into this request cannot be checked: keep Cerebras-only keywords out "
                "of it (or in extra_body) and OpenAI-only ones (store, metadata, ...) away",
            )
        if "tools" in keywords and "response_format" in keywords:
            ctx.report(
                keyword_node(call, "response_format"),
                "CM403",
                "tools and response_format in one request: gpt-oss-120b rejects the pair; "
                "send them in separate requests",
            )
        model = self._model(ctx, call, request.client)
        if ("clear_thinking" in keywords or "clear_thinking" in body_keys) and (
            model is not None and model not in sdk.CLEAR_THINKING_MODELS
        ):
            node = keyword_node(
                call, "clear_thinking" if "clear_thinking" in keywords else "extra_body"
            )
            ctx.report(node, "CM404", f"clear_thinking only works on zai-glm-4.7, not {model}")
        if "disable_reasoning" in keywords or "disable_reasoning" in body_keys:
            node = keyword_node(
                call, "disable_reasoning" if "disable_reasoning" in keywords else "extra_body"
            )
            ctx.report(
                node,
                "CM405",
                'disable_reasoning is deprecated: write reasoning_effort="none" instead',
            )

    def _model(self, ctx: Context, call: cst.Call, client: ClientRef) -> str | None:
        """The model id the request will name after the migration, when it is knowable."""
        index = find_keyword(call, "model")
        if index is None:
            return None
        value_node = call.args[index].value
        literal = string_value(value_node)
        if literal is None and isinstance(value_node, cst.Name):
            literal = _constant(ctx, value_node)
        if literal is None:
            imported = (
                ctx.resolver.qualname(value_node, ctx.scope)
                if isinstance(value_node, cst.Name)
                else None
            )
            where = (
                f"the model comes from {imported}: make sure it is mapped where it is defined"
                if imported
                else "the model is computed at run time, so it cannot be mapped: make sure it "
                "names a Cerebras model"
            )
            ctx.report(call.args[index], "CM406", f"{where} ({', '.join(sdk.CEREBRAS_MODELS)})")
            return None
        mapped = None if ctx.options.keep_models else sdk.map_model(literal, ctx.options.model_map)
        model = mapped or literal
        targets = {new for _, new in ctx.options.model_map}
        if model in sdk.CEREBRAS_MODELS or model in targets:
            return model
        if model in sdk.RETIRED_CEREBRAS_MODELS:
            message = f"{model} was retired by Cerebras in 2026: use gpt-oss-120b or zai-glm-4.7"
        else:
            message = (
                f"{model} is not a Cerebras model ({', '.join(sdk.CEREBRAS_MODELS)}); "
                "map it with --model-map"
            )
        ctx.report(call.args[index], "CM407", message)
        return model


def _constant(ctx: Context, name: cst.Name) -> str | None:
    """The literal a name is bound to, when it is bound once, to a string literal."""
    bindings = ctx.resolver.lookup(name.value, ctx.scope)
    if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].node is not None:
        return string_value(bindings[0].node)
    return None


def _extra_body_keys(call: cst.Call) -> set[str]:
    index = find_keyword(call, "extra_body")
    if index is None or not isinstance(call.args[index].value, cst.Dict):
        return set()
    keys = set()
    for element in call.args[index].value.elements:  # type: ignore[attr-defined]
        if isinstance(element, cst.DictElement):
            key = string_value(element.key)
            if key is not None:
                keys.add(key)
    return keys
