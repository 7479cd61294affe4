"""The module-level client: ``openai.api_key = ...`` then ``openai.chat.completions.create``.

``openai.api_key`` gets the Cerebras key (a literal becomes an environment lookup) and
``openai.base_url`` the Cerebras URL with a trailing slash: the module client joins paths to it
without one, so ``.../v1`` would post to ``/v1chat/completions``. When the module makes
requests with no configuration at all, both settings are added after the import block.
The key is read as ``os.environ["CEREBRAS_API_KEY"]``: with ``.get``, a missing variable gives
None and the module client reads ``OPENAI_API_KEY`` instead. ``openai.default_headers`` omits
``OpenAI-Organization`` and ``OpenAI-Project``, which the client would otherwise fill from
``OPENAI_ORG_ID``/``OPENAI_PROJECT_ID`` (or ``openai.organization``) and send to Cerebras.

Not in a module written for the openai 0.x API (codemods/python/pre_v1.py): 0.x ignores
``openai.base_url``, so the Cerebras key would go to OpenAI; ``module_client_v0.py`` does
those, or they stay as they are.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    dotted,
    make_string,
    string_value,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.python.keys import account_headers, env_lookup, rewrite_key


class ModuleClient(Fixer):
    targets = frozenset({"openai"})
    emits = (rules.CM101, rules.CM103, rules.CM104, rules.CM107, rules.CM108, rules.CM109)

    def begin(self, ctx: Context) -> None:
        self.active = not ctx.old_api.is_pre_v1
        resolver = ctx.resolver
        config = resolver.module_config()
        self.configured = {"api_key", "base_url", "default_headers"} & set(config)
        self.module_calls = resolver.module_requests()
        self.anchor = resolver.module_import_anchor() if self.module_calls else None
        url_values = [string_value(v) for v in config.get("base_url", [])]
        self.foreign = any(v is None or ctx.resolver.classify(v) == "other" for v in url_values)

    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if len(original.targets) != 1 or not self.active:
            return updated
        attr = ctx.resolver.module_attribute(ctx.scope, original.targets[0].target)
        if attr == "api_key" and not self.foreign:
            self._after_key(ctx)
            self._headers_after(ctx, ctx.statement)
            replacement = rewrite_key(ctx, original.value, updated.value)
            if replacement is None:
                return updated
            ctx.rewrote(original)
            return updated.with_changes(value=replacement)
        if attr == "base_url":
            return self._base_url(ctx, original, updated)
        if attr == "default_headers" and not self.foreign:
            headers = account_headers(ctx, updated.value, module=self._module_name(ctx))
            if headers is None:
                return updated
            ctx.rewrote(original)
            return updated.with_changes(value=headers)
        if attr in ("organization", "project"):
            ctx.report(original, rules.CM109, attr=attr)
        return updated

    def _after_key(self, ctx: Context) -> None:
        """Add ``openai.base_url`` after the key when the module never sets it."""
        if "base_url" in self.configured or ctx.statement is None:
            return
        self.configured.add("base_url")
        name = self._module_name(ctx)
        ctx.insert_after(ctx.statement, [self._statement(f"{name}.base_url", self._url(ctx))])
        ctx.report(ctx.statement, rules.CM108, "beside-key", base_url=ctx.options.module_base_url)

    def _headers_after(self, ctx: Context, statement: cst.CSTNode | None) -> None:
        """Add ``openai.default_headers`` omitting the account headers, once, when the module
        does not set it (an assignment of its own is completed where it stands)."""
        if "default_headers" in self.configured or statement is None:
            return
        self.configured.add("default_headers")
        name = self._module_name(ctx)
        headers = account_headers(ctx, None, module=name)
        assert isinstance(headers, cst.Dict)
        line = self._statement(f"{name}.default_headers", headers)
        if len(cst.Module([]).code_for_node(line)) > ctx.options.line_length:
            # One entry per line, as a formatter would lay out the dict.
            entries = "".join(f"    {cst.Module([]).code_for_node(e)},\n" for e in headers.elements)
            line = cst.parse_statement(f"{name}.default_headers = {{\n{entries}}}\n")
        ctx.insert_after(statement, [line])

    def _base_url(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        url = string_value(original.value)
        wanted = ctx.options.module_base_url
        if url is None:
            ctx.report(original.value, rules.CM104, "module", base_url=wanted)
            return updated
        if ctx.resolver.classify(url) == "other":
            ctx.report(original.value, rules.CM103, "module", url=url)
            return updated
        if "api_key" not in self.configured and ctx.statement is not None:
            self.configured.add("api_key")
            name = self._module_name(ctx)
            ctx.insert_after(ctx.statement, [self._statement(f"{name}.api_key", env_lookup(ctx))])
            self._headers_after(ctx, ctx.statement)
        if url == wanted:
            return updated
        ctx.rewrote(original)
        return updated.with_changes(value=make_string(wanted, like=original.value))

    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if original is not self.anchor or self.configured or self.foreign or not self.active:
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
        self._headers_after(ctx, original)
        ctx.report(self.module_calls[0], rules.CM108, "added", env=ctx.options.api_key_env)
        ctx.rewrote(original)
        return updated

    def _module_name(self, ctx: Context) -> str:
        return ctx.resolver.module_alias() or sdk.OPENAI_MODULE

    def _url(self, ctx: Context) -> cst.SimpleString:
        return make_string(ctx.options.module_base_url)

    @staticmethod
    def _statement(target: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
        return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(dotted(target))], value)])

    examples = (
        Example(
            name="unconfigured",
            before="""
                import openai

                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.base_url = "https://api.cerebras.ai/v1/"
                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.default_headers = {
                        "OpenAI-Organization": openai.Omit(),
                        "OpenAI-Project": openai.Omit(),
                    }

                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()

                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM108",), "cerebras": ("CM112",)},
        ),
        Example(
            name="key-literal",
            before="""
                import openai

                openai.api_key = "sk-proj-0123456789abcdefghijklmnop"
                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.base_url = "https://api.cerebras.ai/v1/"
                    openai.default_headers = {
                        "OpenAI-Organization": openai.Omit(),
                        "OpenAI-Project": openai.Omit(),
                    }
                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    import os

                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(api_key=os.environ["CEREBRAS_API_KEY"])
                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM108", "CM101"), "cerebras": ("CM101", "CM112")},
        ),
        Example(
            name="other-provider",
            before="""
                import openai

                openai.base_url = "https://api.groq.com/openai/v1/"
                reply = openai.chat.completions.create(model="llama-3.3-70b-versatile", messages=[])
                """,
            codes={"openai": ("CM103",), "cerebras": ("CM103",)},
        ),
        Example(
            name="computed-base-url",
            before="""
                import os

                import openai

                openai.base_url = os.environ["LLM_URL"]
                """,
            codes={"openai": ("CM104",)},
        ),
        Example(
            name="project-key-variable",
            before="""
                import os

                import openai

                openai.api_key = os.environ["LLM_KEY"]
                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_key = os.environ["LLM_KEY"]
                    openai.base_url = "https://api.cerebras.ai/v1/"
                    openai.default_headers = {
                        "OpenAI-Organization": openai.Omit(),
                        "OpenAI-Project": openai.Omit(),
                    }
                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    import os

                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(api_key=os.environ["LLM_KEY"])
                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM108", "CM107"), "cerebras": ("CM107", "CM112")},
        ),
        Example(
            name="organization",
            before="""
                import openai

                openai.organization = "org-123"
                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.base_url = "https://api.cerebras.ai/v1/"
                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.default_headers = {
                        "OpenAI-Organization": openai.Omit(),
                        "OpenAI-Project": openai.Omit(),
                    }

                    openai.organization = "org-123"
                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()

                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM109", "CM108"), "cerebras": ("CM102", "CM112")},
        ),
    )
