"""Model ids: OpenAI model literals become the Cerebras models the map gives.

Cerebras does not serve ``gpt-4o`` and friends: a migrated program that keeps them fails with
404. Rewritten: the ``model=`` literal of a request on a resolved client, module and class
constants (``MODEL = "gpt-4o-mini"``) and parameter defaults (``def ask(model="gpt-4o")``) in
a file that imports the SDK. Each rewrite is reported; ``--keep-models`` turns this off.
"""

from __future__ import annotations

import libcst as cst

from . import sdk
from .base import Fixer
from .context import Context
from .cst_util import find_keyword, make_string, replace_arg_value, string_value


def _mapped(ctx: Context, original: cst.BaseExpression) -> cst.SimpleString | None:
    value = string_value(original)
    if value is None:
        return None
    new = sdk.map_model(value, ctx.options.model_map)
    if new is None:
        return None
    ctx.report(original, "CM301", f"model {value!r} is not served by Cerebras; now {new!r}")
    return make_string(new, like=original)


class MapModelIds(Fixer):
    def begin(self, ctx: Context) -> None:
        self.active = not ctx.options.keep_models and ctx.resolver.mentions_sdk

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active:
            return updated
        request = ctx.request(original)
        if request is None or not request.client.migrated:
            return updated
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
        replacement = self._constant(ctx, original.value, updated.value)
        return updated if replacement is None else updated.with_changes(value=replacement)

    def leave_AnnAssign(
        self, ctx: Context, original: cst.AnnAssign, updated: cst.AnnAssign
    ) -> cst.AnnAssign:
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
