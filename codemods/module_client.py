"""The module-level client: ``openai.api_key = ...`` then ``openai.chat.completions.create``.

``openai.api_key`` gets the Cerebras key (a literal becomes an environment lookup) and
``openai.base_url`` the Cerebras URL with a trailing slash: the module client joins paths to it
without one, so ``.../v1`` would post to ``/v1chat/completions``. When the module makes
requests with no configuration at all, both settings are added after the import block.
"""

from __future__ import annotations

import libcst as cst

from .base import Fixer
from .context import Context
from .cst_util import make_string, string_value
from .keys import env_lookup, rewrite_key
from .resolve import classify_url


def _module_attr(ctx: Context, target: cst.BaseExpression) -> str | None:
    if isinstance(target, cst.Attribute) and ctx.resolver.is_openai_module(target.value, ctx.scope):
        return target.attr.value
    return None


class ModuleClient(Fixer):
    targets = frozenset({"openai"})

    def begin(self, ctx: Context) -> None:
        resolver = ctx.resolver
        config = resolver.module_config()
        self.configured = {"api_key", "base_url"} & set(config)
        self.module_calls = resolver.module_requests()
        self.anchor = resolver.module_import_anchor() if self.module_calls else None
        url_values = [string_value(v) for v in config.get("base_url", [])]
        self.foreign = any(v is None or classify_url(v) == "other" for v in url_values)

    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if len(original.targets) != 1:
            return updated
        attr = _module_attr(ctx, original.targets[0].target)
        if attr == "api_key" and not self.foreign:
            self._after_key(ctx)
            replacement = rewrite_key(ctx, original.value, updated.value)
            if replacement is None:
                return updated
            ctx.rewrote(original)
            return updated.with_changes(value=replacement)
        if attr == "base_url":
            return self._base_url(ctx, original, updated)
        if attr in ("organization", "project"):
            ctx.report(
                original,
                "CM109",
                f"openai.{attr} has no meaning on Cerebras; remove this line",
            )
        return updated

    def _after_key(self, ctx: Context) -> None:
        """Add ``openai.base_url`` after the key when the module never sets it."""
        if "base_url" in self.configured or ctx.statement is None:
            return
        self.configured.add("base_url")
        name = self._module_name(ctx)
        ctx.insert_after(ctx.statement, [self._statement(f"{name}.base_url", self._url(ctx))])

    def _base_url(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        url = string_value(original.value)
        wanted = ctx.options.module_base_url
        if url is None:
            ctx.report(
                original.value,
                "CM104",
                f"openai.base_url is computed at run time; left alone: set it to {wanted!r}",
            )
            return updated
        if classify_url(url) == "other":
            ctx.report(
                original.value,
                "CM103",
                f"the module-level client points at another provider ({url}); left alone",
            )
            return updated
        if "api_key" not in self.configured and ctx.statement is not None:
            self.configured.add("api_key")
            name = self._module_name(ctx)
            ctx.insert_after(ctx.statement, [self._statement(f"{name}.api_key", env_lookup(ctx))])
        if url == wanted:
            return updated
        ctx.rewrote(original)
        return updated.with_changes(value=make_string(wanted, like=original.value))

    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if original is not self.anchor or self.configured or self.foreign:
            return updated
        # Requests on the module client with no configuration anywhere: configure it here.
        self.configured.update({"api_key", "base_url"})
        name = self._module_name(ctx)
        statements = [
            self._statement(f"{name}.base_url", self._url(ctx)).with_changes(
                leading_lines=[cst.EmptyLine()]
            ),
            self._statement(f"{name}.api_key", env_lookup(ctx)),
        ]
        ctx.insert_after(original, statements)
        ctx.report(
            self.module_calls[0],
            "CM108",
            f"the module-level openai client now points at Cerebras (${ctx.options.api_key_env})",
        )
        ctx.rewrote(original)
        return updated

    def _module_name(self, ctx: Context) -> str:
        return ctx.resolver.module_alias() or "openai"

    def _url(self, ctx: Context) -> cst.SimpleString:
        return make_string(ctx.options.module_base_url)

    @staticmethod
    def _statement(target: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
        return cst.SimpleStatementLine(
            [cst.Assign([cst.AssignTarget(cst.parse_expression(target))], value)]
        )
