"""``--target cerebras``: module-level ``openai`` calls go through one Cerebras client object.

The Cerebras SDK has no module-level client, so a module that calls
``openai.chat.completions.create(...)`` gets ``client = Cerebras()`` (a name that collides
with nothing) and its calls go through it. ``openai.api_key = value`` becomes that client's
construction; ``openai.base_url = ...`` goes away, and ``openai.organization``/``project``
are dropped and reported. Any other ``openai.api_key = "…"`` (in a function, or a second one)
that sets a hard-coded key is removed and reported (CM101): the client never reads it, and
leaving it would keep the key in the code.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    append_args,
    keyword_arg,
    make_string,
    replace_chain_base,
    string_value,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.python.keys import classify_key, env_lookup, rewrite_key
from codemods.secrets import mask


class ModuleClientToInstance(Fixer):
    targets = frozenset({"cerebras"})
    emits = (rules.CM101, rules.CM102, rules.CM103, rules.CM107, rules.CM112)

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
                ctx.report(call, rules.CM103, "module-request")
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
                and ctx.resolver.module_attribute(ctx.scope, statement.body[0].targets[0].target)
                == "api_key"
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
        url = ctx.options.client_base_url
        if url is not None:
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
            assign, new = original.body[0], updated.body[0]
            assert isinstance(assign, cst.Assign) and isinstance(new, cst.Assign)
            ctx.rewrote(original)
            # The key as the other fixers left it: a literal default of its lookup
            # (``os.getenv("OPENAI_API_KEY", "sk-…")``) is already removed and reported.
            return self._client_statement(ctx, new.value, assign.value).with_changes(
                leading_lines=updated.leading_lines
            )
        attr = None
        if len(original.body) == 1 and isinstance(original.body[0], cst.Assign):
            targets = original.body[0].targets
            attr = (
                ctx.resolver.module_attribute(ctx.scope, targets[0].target)
                if len(targets) == 1
                else None
            )
        if attr == "api_key" and (key := self._literal_key(ctx, original)) is not None:
            ctx.secrets.append(key)
            ctx.report(
                original, rules.CM101, "module-key", masked=mask(key), env=ctx.options.api_key_env
            )
            ctx.rewrote(original)
            return cst.RemovalSentinel.REMOVE  # a block left empty gets ``pass`` (traversal)
        if attr in ("base_url", "organization", "project") and ctx.scope.kind == "module":
            # Settings of the module client that the Cerebras client does not need.
            if attr != "base_url":
                ctx.report(original, rules.CM102, "module-setting", attr=attr)
            ctx.rewrote(original)
            return cst.RemovalSentinel.REMOVE
        if original is self.anchor and self.key_statement is None and not self.created:
            statement = self._client_statement(ctx, None, original)
            ctx.insert_after(original, [statement.with_changes(leading_lines=[cst.EmptyLine()])])
        return updated

    @staticmethod
    def _literal_key(ctx: Context, statement: cst.SimpleStatementLine) -> str | None:
        """The hard-coded key ``openai.api_key = "…"`` sets, if it is one (or the start of
        one, ``"sk-proj-" + rest``: its other literal parts are secrets too)."""
        assign = statement.body[0]
        assert isinstance(assign, cst.Assign)
        source = classify_key(ctx, assign.value)
        if source.kind not in ("literal", "part") or not source.literal:
            return None
        ctx.secrets.extend(source.parts)
        return source.literal

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active or id(original) not in self.calls:
            return updated
        ctx.report(original, rules.CM112, name=self.name)
        ctx.rewrote(original)
        return updated.with_changes(func=replace_chain_base(updated.func, cst.Name(self.name)))

    examples = (
        Example(
            name="name-taken",
            before="""
                import openai

                client = "a local name"


                def ask(prompt):
                    return openai.chat.completions.create(model="gpt-oss-120b", messages=[prompt])


                def complete(prompt):
                    return openai.completions.create(model="gpt-oss-120b", prompt=prompt)
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

                    client = "a local name"


                    def ask(prompt):
                        return openai.chat.completions.create(model="gpt-oss-120b", messages=[prompt])


                    def complete(prompt):
                        return openai.completions.create(model="gpt-oss-120b", prompt=prompt)
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    cerebras_client = Cerebras()

                    client = "a local name"


                    def ask(prompt):
                        return cerebras_client.chat.completions.create(
                            model="gpt-oss-120b",
                            messages=[prompt],
                        )


                    def complete(prompt):
                        return cerebras_client.completions.create(model="gpt-oss-120b", prompt=prompt)
                    """,
            },
            codes={"openai": ("CM108",), "cerebras": ("CM112", "CM112")},
        ),
        Example(
            name="key-literal",
            before="""
                import openai as oa

                oa.api_key = "csk-0123456789abcdefghijklmnop"
                reply = oa.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai as oa

                    oa.api_key = os.environ["CEREBRAS_API_KEY"]
                    oa.base_url = "https://api.cerebras.ai/v1/"
                    oa.default_headers = {"OpenAI-Organization": oa.Omit(), "OpenAI-Project": oa.Omit()}
                    reply = oa.chat.completions.create(model="gpt-oss-120b", messages=[])
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
            name="organization-and-project",
            before="""
                import openai

                openai.organization = "org-123"
                openai.project = "proj_456"
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
                    openai.project = "proj_456"
                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()

                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM109", "CM109", "CM108"), "cerebras": ("CM102", "CM102", "CM112")},
        ),
        Example(
            name="computed-base-url",
            before="""
                import os

                import openai

                openai.base_url = os.environ["LLM_URL"]
                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            codes={"openai": ("CM104",), "cerebras": ("CM103",)},
        ),
        Example(
            name="key-from-config",
            before="""
                import openai

                import config

                openai.api_key = config.load()["key"]
                reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                """,
            after={
                "openai": """
                    import openai

                    import config

                    openai.api_key = config.load()["key"]
                    openai.base_url = "https://api.cerebras.ai/v1/"
                    openai.default_headers = {
                        "OpenAI-Organization": openai.Omit(),
                        "OpenAI-Project": openai.Omit(),
                    }
                    reply = openai.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
                "cerebras": """
                    import config
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(api_key=config.load()["key"])
                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM108", "CM107"), "cerebras": ("CM107", "CM112")},
        ),
        Example(
            name="key-in-a-function",
            before="""
                import openai


                def setup():
                    openai.api_key = "csk-0123456789abcdefghijklmnop"


                def ask(prompt):
                    return openai.chat.completions.create(model="gpt-oss-120b", messages=[prompt])
                """,
            after={
                "openai": """
                    import os

                    import openai


                    def setup():
                        openai.api_key = os.environ["CEREBRAS_API_KEY"]
                        openai.base_url = "https://api.cerebras.ai/v1/"
                        openai.default_headers = {
                            "OpenAI-Organization": openai.Omit(),
                            "OpenAI-Project": openai.Omit(),
                        }


                    def ask(prompt):
                        return openai.chat.completions.create(model="gpt-oss-120b", messages=[prompt])
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()


                    def setup():
                        pass


                    def ask(prompt):
                        return client.chat.completions.create(model="gpt-oss-120b", messages=[prompt])
                    """,
            },
            codes={"openai": ("CM108", "CM101"), "cerebras": ("CM101", "CM112")},
        ),
    )
