"""The module-level client: ``openai.api_key = ...`` then ``openai.chat.completions.create``.

``openai.api_key`` gets the Cerebras key (a literal becomes an environment lookup) and
``openai.base_url`` the Cerebras URL with a trailing slash: the module client joins paths to it
without one, so ``.../v1`` would post to ``/v1chat/completions``. When the module makes
requests with no configuration at all, both settings are added after the import block.
"""

from __future__ import annotations

import libcst as cst

from . import sdk
from .base import Fixer
from .context import Context
from .cst_util import append_args, keyword_arg, make_string, replace_chain_base, string_value
from .keys import env_lookup, rewrite_key


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
        self.foreign = any(v is None or ctx.resolver.classify(v) == "other" for v in url_values)

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
        ctx.report(
            ctx.statement,
            "CM108",
            f"openai.base_url set to {ctx.options.module_base_url} beside the key",
        )

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
        if ctx.resolver.classify(url) == "other":
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


class ModuleClientToInstance(Fixer):
    """``--target cerebras``: the Cerebras SDK has no module-level client, so a module that
    calls ``openai.chat.completions.create(...)`` gets ``client = Cerebras()`` (a name that
    collides with nothing) and its calls go through it. ``openai.api_key = value`` becomes
    that client's construction; ``openai.base_url = ...`` goes away."""

    targets = frozenset({"cerebras"})

    def begin(self, ctx: Context) -> None:
        resolver = ctx.resolver
        self.calls = {id(call) for call in resolver.module_requests()}
        self.active = bool(self.calls)
        if not self.active:
            return
        config = resolver.module_config()
        urls = [string_value(v) for v in config.get("base_url", [])]
        if any(v is None or ctx.resolver.classify(v) == "other" for v in urls):
            self.active = False  # it points elsewhere: reported by the request fixers
            for call in resolver.module_requests():
                ctx.report(
                    call,
                    "CM103",
                    "the module-level client points at another provider or a computed URL; "
                    "left alone",
                )
            return
        taken = ctx.taken_names()
        name = "client"
        for candidate in ("client", "cerebras_client", "llm_client"):
            if candidate not in taken:
                name = candidate
                break
        else:
            while name in taken:
                name = "_" + name
        self.name = name
        self.created = False
        self.key_statement = self._top_level_key_statement(ctx)
        self.anchor = resolver.module_import_anchor()

    def _top_level_key_statement(self, ctx: Context) -> cst.SimpleStatementLine | None:
        for statement in ctx.resolver.module_scope.node.body:  # type: ignore[attr-defined]
            if (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
                and _module_attr(ctx, statement.body[0].targets[0].target) == "api_key"
            ):
                return statement
        return None

    def _client_statement(
        self, ctx: Context, key: cst.BaseExpression | None, node: cst.CSTNode
    ) -> cst.SimpleStatementLine:
        cls = ctx.bind("cerebras.cloud.sdk.Cerebras")
        args = []
        if key is not None:
            # The key the module set, kept in its style (the variable renamed, a literal
            # replaced by a lookup), so nothing the module imported for it goes unused.
            replacement = rewrite_key(ctx, node, key)
            args.append(keyword_arg("api_key", replacement if replacement is not None else key))
        elif ctx.options.api_key_env != sdk.CEREBRAS_API_KEY_ENV:
            args.append(keyword_arg("api_key", env_lookup(ctx)))
        if ctx.options.base_url.rstrip("/") != sdk.CEREBRAS_BASE_URL:
            url = ctx.options.base_url.rstrip("/").removesuffix("/v1")
            args.append(keyword_arg("base_url", make_string(url)))
        call = append_args(cst.Call(cst.Name(cls)), args)
        self.created = True
        return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(self.name))], call)])

    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        if not self.active:
            return updated
        if original is self.key_statement:
            assign = original.body[0]
            assert isinstance(assign, cst.Assign)
            ctx.rewrote(original)
            return self._client_statement(ctx, assign.value, assign.value).with_changes(
                leading_lines=updated.leading_lines
            )
        attr = None
        if len(original.body) == 1 and isinstance(original.body[0], cst.Assign):
            targets = original.body[0].targets
            attr = _module_attr(ctx, targets[0].target) if len(targets) == 1 else None
        if attr in ("base_url", "organization", "project") and ctx.scope.kind == "module":
            # Settings of the module client that the Cerebras client does not need.
            if attr != "base_url":
                ctx.report(original, "CM102", f"openai.{attr} has no meaning on Cerebras; dropped")
            ctx.rewrote(original)
            return cst.RemovalSentinel.REMOVE
        if original is self.anchor and self.key_statement is None and not self.created:
            statement = self._client_statement(ctx, None, original)
            ctx.insert_after(original, [statement.with_changes(leading_lines=[cst.EmptyLine()])])
        return updated

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active or id(original) not in self.calls:
            return updated
        ctx.report(
            original,
            "CM112",
            f"the Cerebras SDK has no module-level client; this call now uses `{self.name}`",
        )
        ctx.rewrote(original)
        return updated.with_changes(func=replace_chain_base(updated.func, cst.Name(self.name)))
