"""Client constructors: point them at Cerebras, on either SDK.

``--target openai``: ``OpenAI()`` becomes ``OpenAI(base_url="https://api.cerebras.ai/v1",
api_key=os.environ["CEREBRAS_API_KEY"], default_headers={"OpenAI-Organization": Omit(),
"OpenAI-Project": Omit()})``, and ``Cerebras(...)`` becomes the same ``OpenAI(...)``
(``warm_tcp_connection`` dropped). Fail closed (``keys.py``): no ``.get``, whose None would
make the client send ``OPENAI_API_KEY``, and no account headers filled from ``OPENAI_ORG_ID``
and ``OPENAI_PROJECT_ID``.

``--target cerebras``: ``OpenAI(...)`` becomes ``Cerebras(...)``; an OpenAI or Cerebras
``base_url`` is dropped, because the SDK's default is right and its paths already start with
``/v1`` (``https://api.cerebras.ai/v1`` would post to ``/v1/v1/chat/completions``); a custom
``--base-url`` is passed without its ``/v1``. The SDK reads ``CEREBRAS_API_KEY`` itself.

An existing key lookup becomes that strict form on the openai target and keeps its style
on the Cerebras one (the SDK fails closed itself), losing any default; an
``OpenAI-Organization``/``OpenAI-Project`` entry of ``default_headers`` goes on the Cerebras
target. A hard-coded key becomes a lookup and is reported (masked); arguments the target has no use
for (``organization``, ``project``, ...) are dropped and reported. A client that points at
another provider, or whose URL or arguments are only known at run time, is left alone and
reported: migrating it would send that provider's traffic to Cerebras. ``AzureOpenAI``
builds deployment URLs that cannot point at Cerebras, so it is reported, not rewritten.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    append_args,
    find_keyword,
    keyword_arg,
    keyword_node,
    make_string,
    remove_args,
    replace_arg_value,
    string_value,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.python.keys import (
    account_header_entries,
    account_headers,
    drop_entries,
    rewrite_key,
)
from codemods.python.resolve import ClientClass


class ClientConstructors(Fixer):
    emits = (
        rules.CM101,
        rules.CM102,
        rules.CM103,
        rules.CM104,
        rules.CM105,
        rules.CM106,
        rules.CM107,
        rules.CM110,
        rules.CM113,
    )

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        cls = ctx.resolver.client_class(original.func, ctx.scope)
        if cls is None:
            return updated
        decision = ctx.resolver.constructor(original, cls)
        options = ctx.options
        if decision.left_alone == "azure":
            ctx.report(original, rules.CM106, cls=cls.name)
            return updated
        if decision.left_alone == "dynamic-arguments":
            env = options.api_key_env
            ctx.report(original, rules.CM105, cls=cls.name, base_url=options.base_url, env=env)
            return updated
        if decision.left_alone == "dynamic-url":
            node = original.args[decision.url_index]  # type: ignore[index]
            ctx.report(node, rules.CM104, "client", base_url=options.base_url)
            return updated
        if decision.left_alone == "other-provider":
            node = original.args[decision.url_index]  # type: ignore[index]
            ctx.report(node, rules.CM103, "client", url=decision.url)
            return updated
        if decision.left_alone is not None:
            return updated  # kept on OpenAI for its unserved endpoints: readiness_checks.py
        new = self._arguments(ctx, original, updated, cls)
        if cls.sdk != options.target and self._class_stays(ctx, original.func):
            # The class name still means the old SDK here (another constructor needs it).
            beside = original.func.value if isinstance(original.func, cst.Name) else None
            local = ctx.bind(sdk.TARGET_CLASS[(options.target, cls.is_async)], beside=beside)
            new = new.with_changes(func=cst.Name(local))
        if not new.deep_equals(updated):
            ctx.rewrote(original)
        return new

    @staticmethod
    def _class_stays(ctx: Context, func: cst.BaseExpression) -> bool:
        """False when the import fixer already renames ``func`` (a moved import, or an
        attribute of the SDK module)."""
        if isinstance(func, cst.Name):
            qualname = ctx.resolver.qualname(func, ctx.scope)
            return not ctx.imports.moves(func.value, qualname)
        return not isinstance(func, cst.Attribute)

    def _arguments(
        self, ctx: Context, original: cst.Call, updated: cst.Call, cls: ClientClass
    ) -> cst.Call:
        target = ctx.options.target
        new = _set_base_url(ctx, original, updated)
        key_index = find_keyword(new, "api_key")
        if key_index is None:
            if target == "openai" or ctx.options.api_key_env != sdk.CEREBRAS_API_KEY_ENV:
                new = append_args(new, [keyword_arg("api_key", rewrite_key(ctx, original, None))])
        else:
            value = new.args[key_index].value
            replacement = rewrite_key(ctx, original.args[key_index], value)
            if replacement is not None:
                new = replace_arg_value(new, key_index, replacement)
        if target == "openai":
            new = _omit_account_headers(ctx, original, new)
        else:
            new = _drop_account_headers(ctx, original, new)
        unwanted = (
            sdk.OPENAI_CLIENT_KWARGS_WITHOUT_CEREBRAS_EQUIVALENT
            if target == "cerebras"
            else sdk.OPENAI_ONLY_CLIENT_KWARGS | sdk.CEREBRAS_ONLY_CLIENT_KWARGS
        )
        drop = set()
        for i, arg in enumerate(new.args):
            name = arg.keyword.value if arg.keyword is not None else None
            if name in unwanted:
                drop.add(i)
                node = keyword_node(original, name)
                if name in sdk.CEREBRAS_ONLY_CLIENT_KWARGS:
                    where = "the openai client" if target == "openai" else "the Cerebras SDK"
                    ctx.report(node, rules.CM102, "not-an-argument", keyword=name, sdk=where)
                else:
                    ctx.report(node, rules.CM102, keyword=name)
            elif name == "http_client" and target != cls.sdk:
                wants = "an httpx" if target == "cerebras" else "its own"
                ctx.report(keyword_node(original, name), rules.CM110, target=target, wants=wants)
        return remove_args(new, drop)

    examples = (
        Example(
            name="point-at-cerebras",
            before="""
                from openai import AsyncOpenAI, OpenAI

                client = OpenAI(timeout=30)
                aclient = AsyncOpenAI()
                """,
            after={
                "openai": """
                    import os

                    from openai import AsyncOpenAI, Omit, OpenAI

                    client = OpenAI(
                        timeout=30,
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    aclient = AsyncOpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import AsyncCerebras, Cerebras

                    client = Cerebras(timeout=30)
                    aclient = AsyncCerebras()
                    """,
            },
        ),
        Example(
            name="hard-coded-key",
            before="""
                from openai import OpenAI

                client = OpenAI(api_key="sk-proj-0123456789abcdefghijklmnop")
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        base_url="https://api.cerebras.ai/v1",
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    import os

                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(api_key=os.environ["CEREBRAS_API_KEY"])
                    """,
            },
            codes={"openai": ("CM101",), "cerebras": ("CM101",)},
        ),
        Example(
            name="openai-only-arguments",
            before="""
                from openai import OpenAI

                client = OpenAI(organization="org-123", project="proj_456")
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()
                    """,
            },
            codes={"openai": ("CM102", "CM102"), "cerebras": ("CM102", "CM102")},
        ),
        Example(
            name="account-headers",
            before="""
                from openai import OpenAI

                client = OpenAI(default_headers={"OpenAI-Organization": "org-1"})
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                    )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(default_headers={})
                    """,
            },
            codes={"cerebras": ("CM102",)},
        ),
        Example(
            name="warm-tcp-connection",
            before="""
                from cerebras.cloud.sdk import Cerebras

                client = Cerebras(warm_tcp_connection=False)
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
            },
            codes={"openai": ("CM102",)},
        ),
        Example(
            name="other-provider",
            before="""
                from openai import OpenAI

                groq = OpenAI(base_url="https://api.groq.com/openai/v1")
                """,
            codes={"openai": ("CM103",), "cerebras": ("CM103",)},
        ),
        Example(
            name="computed-base-url",
            before="""
                import os

                from openai import OpenAI

                client = OpenAI(base_url=os.environ["LLM_URL"])
                """,
            codes={"openai": ("CM104",), "cerebras": ("CM104",)},
        ),
        Example(
            name="arguments-from-a-mapping",
            before="""
                from openai import OpenAI

                config = {"timeout": 30}
                client = OpenAI(**config)
                """,
            codes={"openai": ("CM105",), "cerebras": ("CM105",)},
        ),
        Example(
            name="azure",
            before="""
                from openai import AzureOpenAI

                client = AzureOpenAI(api_version="2024-06-01", azure_endpoint="https://x.openai.azure.com")
                """,
            codes={"openai": ("CM106",), "cerebras": ("CM111", "CM106")},
        ),
        Example(
            name="project-key-variable",
            before="""
                import os

                from openai import OpenAI

                client = OpenAI(api_key=os.environ["LLM_KEY"])
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        api_key=os.environ["LLM_KEY"],
                        base_url="https://api.cerebras.ai/v1",
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    import os

                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(api_key=os.environ["LLM_KEY"])
                    """,
            },
            codes={"openai": ("CM107",), "cerebras": ("CM107",)},
        ),
        Example(
            name="http-client",
            before="""
                import httpx
                from openai import OpenAI

                client = OpenAI(http_client=httpx.Client(timeout=10))
                """,
            after={
                "openai": """
                    import os

                    import httpx
                    from openai import Omit, OpenAI

                    client = OpenAI(
                        http_client=httpx.Client(timeout=10),
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    import httpx
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras(http_client=httpx.Client(timeout=10))
                    """,
            },
            codes={"cerebras": ("CM110",)},
        ),
        Example(
            name="cerebras-base-url",
            before="""
                from openai import OpenAI

                client = OpenAI(base_url="https://api.cerebras.ai/v1")
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras

                    client = Cerebras()
                    """,
            },
            codes={"cerebras": ("CM113",)},
        ),
    )


def _omit_account_headers(ctx: Context, original: cst.Call, call: cst.Call) -> cst.Call:
    """``default_headers`` gets ``OpenAI-Organization``/``OpenAI-Project`` as ``Omit()``: the
    openai client would otherwise fill them from ``OPENAI_ORG_ID``/``OPENAI_PROJECT_ID`` and
    send OpenAI account ids to Cerebras (dropping ``organization=`` alone does not stop it)."""
    index = find_keyword(call, "default_headers")
    existing = call.args[index].value if index is not None else None
    func, module = original.func, None
    while isinstance(func, cst.Attribute):
        func = func.value
    root = func.value if isinstance(func, cst.Name) else None
    if root is not None and ctx.resolver.qualname(func, ctx.scope) == sdk.OPENAI_MODULE:
        module = root  # ``openai.OpenAI(...)``: ``openai.Omit()``, no new import
    headers = account_headers(ctx, existing, module=module, beside=root)
    if headers is None:
        return call
    if index is None:
        return append_args(call, [keyword_arg("default_headers", headers)])
    return replace_arg_value(call, index, headers)


def _drop_account_headers(ctx: Context, original: cst.Call, call: cst.Call) -> cst.Call:
    """An ``OpenAI-Organization``/``OpenAI-Project`` entry of ``default_headers`` is an OpenAI
    account id the Cerebras SDK would send as it is: it goes (the SDK fills neither itself)."""
    index = find_keyword(call, "default_headers")
    if index is None:
        return call
    value = call.args[index].value
    drop = account_header_entries(value)
    if not drop:
        return call
    assert isinstance(value, cst.Dict)
    before = original.args[index].value
    for i in drop:
        node = before.elements[i] if isinstance(before, cst.Dict) else before  # type: ignore[index]
        header = string_value(value.elements[i].key)  # type: ignore[attr-defined]
        ctx.report(node, rules.CM102, "header", header=header)
    return replace_arg_value(call, index, drop_entries(value, drop))


def _set_base_url(ctx: Context, original: cst.Call, call: cst.Call) -> cst.Call:
    """The ``base_url`` the target needs: ``.../v1`` for openai; none or no ``/v1`` for
    the Cerebras SDK, whose paths already start with ``/v1``."""
    index = find_keyword(call, "base_url")
    wanted = ctx.options.client_base_url
    if wanted is None:
        if index is None:
            return call
        ctx.report(keyword_node(original, "base_url"), rules.CM113)
        return remove_args(call, {index})
    value = make_string(wanted)
    if index is None:
        return append_args(call, [keyword_arg("base_url", value)])
    if string_value(call.args[index].value) == wanted:
        return call
    return replace_arg_value(call, index, make_string(wanted, like=call.args[index].value))
