"""Client constructors: point them at Cerebras, on either SDK.

``--target openai``: ``OpenAI()`` becomes ``OpenAI(base_url="https://api.cerebras.ai/v1",
api_key=os.environ.get("CEREBRAS_API_KEY"))``, and ``Cerebras(...)`` becomes the same
``OpenAI(...)`` (``warm_tcp_connection`` dropped).

``--target cerebras``: ``OpenAI(...)`` becomes ``Cerebras(...)``; an OpenAI or Cerebras
``base_url`` is dropped, because the SDK's default is right and its paths already start with
``/v1`` (``https://api.cerebras.ai/v1`` would post to ``/v1/v1/chat/completions``); a custom
``--base-url`` is passed without its ``/v1``. The SDK reads ``CEREBRAS_API_KEY`` itself.

Either way an existing key lookup keeps its style and only changes the variable name; a
hard-coded key becomes a lookup and is reported (masked); arguments the target has no use
for (``organization``, ``project``, ...) are dropped and reported. A client that points at
another provider, or whose URL or arguments are only known at run time, is left alone and
reported: migrating it would send that provider's traffic to Cerebras. ``AzureOpenAI``
builds deployment URLs that cannot point at Cerebras, so it is reported, not rewritten.
"""

from __future__ import annotations

import libcst as cst

from . import sdk
from .base import Fixer
from .context import Context
from .cst_util import (
    append_args,
    find_keyword,
    keyword_arg,
    keyword_node,
    make_string,
    remove_args,
    replace_arg_value,
    string_value,
)
from .keys import rewrite_key
from .resolve import ClientClass

TARGET_CLASS = {
    ("openai", False): "openai.OpenAI",
    ("openai", True): "openai.AsyncOpenAI",
    ("cerebras", False): "cerebras.cloud.sdk.Cerebras",
    ("cerebras", True): "cerebras.cloud.sdk.AsyncCerebras",
}


def constructor_migrates(ctx: Context, call: cst.Call, cls: ClientClass) -> bool:
    """Whether the constructor call will be pointed at Cerebras (not left alone)."""
    if cls.sdk == "azure" or any(arg.star == "**" for arg in call.args):
        return False
    index = find_keyword(call, "base_url")
    if index is None:
        return True
    url = string_value(call.args[index].value)
    return url is not None and ctx.resolver.classify(url) != "other"


class ClientConstructors(Fixer):
    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        cls = ctx.resolver.client_class(original.func, ctx.scope)
        if cls is None:
            return updated
        if cls.sdk == "azure":
            ctx.report(
                original,
                "CM106",
                f"{cls.name} cannot be pointed at Cerebras (deployment URLs); replace it with "
                f"OpenAI(base_url=...) and map its deployment names to model ids",
            )
            return updated
        if any(arg.star == "**" for arg in original.args):
            ctx.report(
                original,
                "CM105",
                f"{cls.name}(**...) cannot be checked; set base_url={ctx.options.base_url!r} and "
                f"api_key from ${ctx.options.api_key_env} where those arguments are built",
            )
            return updated
        url_index = find_keyword(original, "base_url")
        if url_index is not None:
            url = string_value(original.args[url_index].value)
            if url is None:
                ctx.report(
                    original.args[url_index],
                    "CM104",
                    "base_url is computed at run time; client left alone: point it at "
                    f"{ctx.options.base_url} where the value comes from",
                )
                return updated
            if ctx.resolver.classify(url) == "other":
                ctx.report(
                    original.args[url_index],
                    "CM103",
                    f"client points at another provider ({url}); left alone",
                )
                return updated
        new = self._arguments(ctx, original, updated, cls)
        if cls.sdk != ctx.options.target and self._class_stays(ctx, original.func):
            # The class name still means the old SDK here (another constructor needs it).
            local = ctx.bind(TARGET_CLASS[(ctx.options.target, cls.is_async)])
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
            return (func.value, qualname) not in ctx.moved
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
                where = "the openai client" if target == "openai" else "the Cerebras SDK"
                reason = "has no meaning on Cerebras"
                if name in sdk.CEREBRAS_ONLY_CLIENT_KWARGS:
                    reason = f"is not an argument of {where}"
                ctx.report(keyword_node(original, name), "CM102", f"`{name}` {reason}; dropped")
            elif name == "http_client" and target != cls.sdk:
                ctx.report(
                    keyword_node(original, name),
                    "CM110",
                    f"http_client is passed as it is; the {target} SDK wants "
                    f"{'an httpx' if target == 'cerebras' else 'its own'} client",
                )
        return remove_args(new, drop)


def _set_base_url(ctx: Context, original: cst.Call, call: cst.Call) -> cst.Call:
    """The ``base_url`` the target needs: ``.../v1`` for openai; none or no ``/v1`` for
    the Cerebras SDK, whose paths already start with ``/v1``."""
    options = ctx.options
    index = find_keyword(call, "base_url")
    if options.target == "openai":
        wanted: str | None = options.base_url
    elif options.base_url.rstrip("/") == sdk.CEREBRAS_BASE_URL:
        wanted = None
    else:
        wanted = options.base_url.rstrip("/").removesuffix("/v1")
    if wanted is None:
        if index is None:
            return call
        ctx.report(
            keyword_node(original, "base_url"),
            "CM113",
            "base_url dropped: the Cerebras SDK's default is right, and its paths already "
            "start with /v1 (an openai-style URL would post to /v1/v1/...)",
        )
        return remove_args(call, {index})
    value = make_string(wanted)
    if index is None:
        return append_args(call, [keyword_arg("base_url", value)])
    if string_value(call.args[index].value) == wanted:
        return call
    return replace_arg_value(call, index, make_string(wanted, like=call.args[index].value))
