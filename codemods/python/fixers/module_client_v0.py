"""The module-level client of openai 0.x: ``openai.api_key = ...`` then ``openai.ChatCompletion.create``.

openai 0.x (before 1.0) has no ``openai.base_url``: requests go to ``openai.api_base``, and
at import it fills its settings from the environment (``sdk.PRE_V1_ENV``). So in a module
written for 0.x (codemods/python/pre_v1.py), ``openai.api_key`` gets the Cerebras key (a
literal becomes an environment lookup), ``openai.api_base`` the Cerebras URL, and the settings
that would send an OpenAI id to Cerebras or change where requests go are set beside them
(``sdk.PRE_V1_CLEARED``): ``openai.organization`` (``OPENAI_ORGANIZATION``, sent as the
OpenAI-Organization header), ``openai.api_key_path`` (``OPENAI_API_KEY_PATH``: its key file
supersedes ``openai.api_key``) and ``openai.api_type`` (``OPENAI_API_TYPE=azure`` sends the
key as ``api-key`` to deployment paths). A line that already sets one is rewritten where it
is; a module that makes requests with no configuration gets them all after its imports.

The requests keep their form: 0.x sends every keyword in the body as it is, so Cerebras-only
keywords (``clear_thinking``) stay where they are. Their model ids are mapped. What a
request says of its own overrides the module's settings, and the request now goes to
Cerebras, so it is rewritten as a client's arguments are (reporting it would leave an OpenAI
credential on its way to Cerebras): a key of its own (``api_key=``) becomes the Cerebras
lookup when it is a literal or ``OPENAI_API_KEY``, ``organization=`` is dropped and an
``api_base=`` of OpenAI's becomes the Cerebras URL. A module client or request that points
at another provider, at a computed URL or at Azure (``api_type``) is left alone and reported.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import models, sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    find_keyword,
    keyword_node,
    make_string,
    remove_args,
    replace_arg_value,
    string_value,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.python.keys import env_lookup, rewrite_key
from codemods.python.pre_v1 import import_anchor, request_url

# The settings a module that sets none of them gets, in this order after its key.
_SETTINGS = ("api_base", "api_key", *sdk.PRE_V1_CLEARED)


class ModuleClientV0(Fixer):
    targets = frozenset({"openai"})
    emits = (
        rules.CM101,
        rules.CM102,
        rules.CM103,
        rules.CM104,
        rules.CM106,
        rules.CM107,
        rules.CM108,
        rules.CM301,
    )

    def begin(self, ctx: Context) -> None:
        old = ctx.old_api
        self.active = old.mode == "0.x"
        if not self.active:
            return
        self.config = set(ctx.resolver.module_config())
        # The settings still to write; once api_key or api_base is met, the rest go after it.
        self.missing = [name for name in _SETTINGS if name not in self.config]
        self.requests = {id(r.call): r for r in old.requests}
        configured = {"api_key", "api_base"} & self.config
        self.anchor = (
            import_anchor(ctx.resolver)
            if old.requests and not configured and not old.stays
            else None
        )

    # Module settings ------------------------------------------------------------------------
    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not self.active or len(original.targets) != 1:
            return updated
        attr = ctx.resolver.module_attribute(ctx.scope, original.targets[0].target)
        if attr is None:
            return updated
        stays = ctx.old_api.stays
        if stays:
            self._stays(ctx, original, attr, stays)
            return updated
        if attr == "api_key":
            self._after(ctx, original)
            replacement = rewrite_key(ctx, original.value, updated.value)
            if replacement is None:
                return updated
            ctx.rewrote(original)
            return updated.with_changes(value=replacement)
        if attr == "api_base":
            self._after(ctx, original)
            wanted = ctx.options.pre_v1_base_url
            if string_value(original.value) == wanted:
                return updated
            ctx.report(original.value, rules.CM108, "v0-base", base_url=wanted)
            ctx.rewrote(original)
            return updated.with_changes(value=make_string(wanted, like=original.value))
        cleared = sdk.PRE_V1_CLEARED.get(attr)
        if cleared is None or attr == "api_type":  # an api_type of Azure's: ``stays``
            return updated
        value = cst.parse_expression(cleared)
        if original.value.deep_equals(value):
            return updated
        ctx.report(original, rules.CM102, "v0-cleared", attr=attr, env=sdk.PRE_V1_ENV[attr])
        ctx.rewrote(original)
        return updated.with_changes(value=value)

    @staticmethod
    def _stays(ctx: Context, node: cst.Assign, attr: str, why: str) -> None:
        """Report, at its setting, why the module-level client stays where it points."""
        if attr == "api_base" and why in ("other", "dynamic"):
            url = string_value(node.value)
            if url is None:
                wanted = ctx.options.pre_v1_base_url
                ctx.report(node.value, rules.CM104, "v0-module", base_url=wanted)
            elif ctx.resolver.classify(url) == "other":
                ctx.report(node.value, rules.CM103, "v0-module", url=url)
        elif attr == "api_type" and why == "azure":
            ctx.report(node.value, rules.CM106, "v0-module")

    def _after(self, ctx: Context, original: cst.Assign) -> None:
        """The settings the module does not write yet, after its key or api_base."""
        if not self.missing or ctx.statement is None:
            return
        missing, self.missing = self.missing, []
        ctx.insert_after(ctx.statement, [self._statement(ctx, name) for name in missing])
        settings = ", ".join(self._shown(ctx, name) for name in missing if name != "api_base")
        if "api_base" in missing:
            base_url = ctx.options.pre_v1_base_url
            ctx.report(original, rules.CM108, "v0-beside-key", base_url=base_url, settings=settings)
        else:
            ctx.report(original, rules.CM108, "v0-settings", settings=settings)

    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if not self.active or original is not self.anchor or not self.missing:
            return updated
        # 0.x requests with no configuration anywhere: configure the module client here.
        missing, self.missing = self.missing, []
        statements = [self._statement(ctx, name) for name in missing]
        statements[0] = statements[0].with_changes(leading_lines=[cst.EmptyLine()])
        ctx.insert_after(original, statements)
        settings = ", ".join(
            self._shown(ctx, n) for n in missing if n not in ("api_base", "api_key")
        )
        first = ctx.old_api.requests[0].call
        ctx.report(first, rules.CM108, "v0-added", env=ctx.options.api_key_env, settings=settings)
        ctx.rewrote(original)
        return updated

    def _statement(self, ctx: Context, name: str) -> cst.SimpleStatementLine:
        # ``from openai import ChatCompletion`` alone: the settings need ``import openai``.
        module = ctx.resolver.module_alias() or ctx.bind(sdk.OPENAI_MODULE)
        value: cst.BaseExpression
        if name == "api_key":
            value = env_lookup(ctx)
        elif name == "api_base":
            value = make_string(ctx.options.pre_v1_base_url)
        else:
            value = cst.parse_expression(sdk.PRE_V1_CLEARED[name])
        target = cst.parse_expression(f"{module}.{name}")
        return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)])

    @staticmethod
    def _shown(ctx: Context, name: str) -> str:
        if name == "api_key":
            return f"the key from ${ctx.options.api_key_env}"
        return f"openai.{name} = {sdk.PRE_V1_CLEARED[name]}"

    # Requests -----------------------------------------------------------------------------
    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active:
            return updated
        request = self.requests.get(id(original))
        if request is None or not request.served or ctx.old_api.stays:
            return updated
        if id(original) not in ctx.old_api.moving:
            self._request_stays(ctx, original)
            return updated
        new = updated
        for name in ("model", "api_key", "api_base"):
            index, at = find_keyword(original, name), find_keyword(new, name)
            if index is None or at is None:
                continue
            value = self._request_value(ctx, name, original.args[index].value, new.args[at].value)
            if value is not None:
                new = replace_arg_value(new, at, value)
        at = find_keyword(new, "organization")
        if at is not None:
            ctx.report(keyword_node(original, "organization"), rules.CM102, keyword="organization")
            new = remove_args(new, {at})
        if new is not updated:
            ctx.rewrote(original)
        return new

    @staticmethod
    def _request_value(
        ctx: Context, name: str, original: cst.BaseExpression, updated: cst.BaseExpression
    ) -> cst.BaseExpression | None:
        """The new value of a request's ``model``, ``api_key`` or ``api_base`` (None: kept)."""
        if name == "api_key":
            return rewrite_key(ctx, original, updated)
        value = string_value(original)
        if value is None:
            return None
        if name == "model":
            mapped = (
                None if ctx.options.keep_models else models.map_model(value, ctx.options.model_map)
            )
            if mapped is not None:
                ctx.report(original, rules.CM301, old=value, new=mapped)
                return make_string(mapped, like=original)
            return None
        wanted = ctx.options.pre_v1_base_url
        if value != wanted and ctx.resolver.classify(value) == "openai":
            ctx.report(original, rules.CM108, "v0-request", base_url=wanted)
            return make_string(wanted, like=original)
        return None

    @staticmethod
    def _request_stays(ctx: Context, call: cst.Call) -> None:
        """A served request that names its own provider or Azure: why it is left alone."""
        has_url, url = request_url(call)
        if has_url and url is None:
            ctx.report(keyword_node(call, "api_base"), rules.CM104, "v0-request")
        elif has_url and url is not None and ctx.resolver.classify(url) == "other":
            ctx.report(keyword_node(call, "api_base"), rules.CM103, "v0-request", url=url)
        else:
            ctx.report(keyword_node(call, "api_type"), rules.CM106, "v0-request")

    examples = (
        Example(
            name="unconfigured",
            before="""
                import openai


                def ask(question):
                    return openai.ChatCompletion.create(model="gpt-4o", messages=[])
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_base = "https://api.cerebras.ai/v1"
                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.api_type = "open_ai"
                    openai.organization = None
                    openai.api_key_path = None


                    def ask(question):
                        return openai.ChatCompletion.create(model="gpt-oss-120b", messages=[])
                    """,
            },
            codes={"openai": ("CM108", "CM301"), "cerebras": ("CM408",)},
        ),
        Example(
            name="key-literal",
            before="""
                import openai

                openai.api_key = "sk-proj-0123456789abcdefghijklmnop"
                openai.organization = "org-123"
                reply = openai.ChatCompletion.create(
                    model="gpt-4o", messages=[], clear_thinking=False
                )
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.api_base = "https://api.cerebras.ai/v1"
                    openai.api_type = "open_ai"
                    openai.api_key_path = None
                    openai.organization = None
                    reply = openai.ChatCompletion.create(
                        model="gpt-oss-120b", messages=[], clear_thinking=False
                    )
                    """,
            },
            codes={"openai": ("CM108", "CM101", "CM102", "CM301"), "cerebras": ("CM408",)},
        ),
        Example(
            name="settings-in-place",
            before="""
                import os

                import openai

                openai.api_base = "https://api.openai.com/v1"
                openai.api_key = os.environ["LLM_KEY"]
                openai.organization = "org-123"
                openai.api_key_path = os.environ.get("KEY_FILE")
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_base = "https://api.cerebras.ai/v1"
                    openai.api_type = "open_ai"
                    openai.api_key = os.environ["LLM_KEY"]
                    openai.organization = None
                    openai.api_key_path = None
                    """,
            },
            codes={
                "openai": ("CM108", "CM108", "CM107", "CM102", "CM102"),
                "cerebras": ("CM408", "CM408"),
            },
        ),
        Example(
            name="request-settings",
            before="""
                import os

                import openai

                openai.api_key = os.environ["OPENAI_API_KEY"]
                first = openai.ChatCompletion.create(
                    model="gpt-4o",
                    messages=[],
                    api_key="sk-proj-0123456789abcdefghijklmnop",
                    organization="org-123",
                )
                local = openai.Completion.create(model="x", prompt="hi", api_base="http://localhost:8000/v1")
                other = openai.Completion.create(model="x", prompt="hi", api_base=os.environ["LLM_URL"])
                azure = openai.ChatCompletion.create(engine="gpt4", messages=[], api_type="azure")
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.api_base = "https://api.cerebras.ai/v1"
                    openai.api_type = "open_ai"
                    openai.organization = None
                    openai.api_key_path = None
                    first = openai.ChatCompletion.create(
                        model="gpt-oss-120b",
                        messages=[],
                        api_key=os.environ["CEREBRAS_API_KEY"],
                    )
                    local = openai.Completion.create(model="x", prompt="hi", api_base="http://localhost:8000/v1")
                    other = openai.Completion.create(model="x", prompt="hi", api_base=os.environ["LLM_URL"])
                    azure = openai.ChatCompletion.create(engine="gpt4", messages=[], api_type="azure")
                    """,
            },
            codes={
                "openai": ("CM108", "CM301", "CM101", "CM102", "CM103", "CM104", "CM106"),
                "cerebras": ("CM408", "CM408", "CM408", "CM408"),
            },
        ),
        Example(
            name="other-provider",
            before="""
                import openai

                openai.api_base = "https://api.groq.com/openai/v1"
                reply = openai.ChatCompletion.create(model="llama-3.3-70b-versatile", messages=[])
                """,
            codes={"openai": ("CM103",), "cerebras": ("CM408", "CM408")},
        ),
        Example(
            name="pinned-to-0.x",
            before="""
                import os

                import openai

                openai.api_key = os.environ["OPENAI_API_KEY"]
                """,
            after={
                "openai": """
                    import os

                    import openai

                    openai.api_key = os.environ["CEREBRAS_API_KEY"]
                    openai.api_base = "https://api.cerebras.ai/v1"
                    openai.api_type = "open_ai"
                    openai.organization = None
                    openai.api_key_path = None
                    """,
            },
            codes={"openai": ("CM108",)},
            options={"openai_version": "0.28.1"},
        ),
    )
