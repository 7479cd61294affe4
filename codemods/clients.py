"""Client constructors: point ``OpenAI(...)`` / ``AsyncOpenAI(...)`` at Cerebras.

``OpenAI()`` becomes ``OpenAI(base_url="https://api.cerebras.ai/v1",
api_key=os.environ.get("CEREBRAS_API_KEY"))``. An existing key lookup keeps its style and only
changes the variable name; a hard-coded key becomes a lookup and is reported (masked);
``organization``/``project`` are dropped. A client that points at another provider, or whose
URL or arguments are only known at run time, is left alone and reported: migrating it would
send that provider's traffic to Cerebras. ``AzureOpenAI`` builds deployment URLs that cannot
point at Cerebras, so it is reported, not rewritten.
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
    remove_args,
    replace_arg_value,
    string_value,
)
from .keys import rewrite_key
from .resolve import classify_url


class ClientConstructors(Fixer):
    targets = frozenset({"openai"})

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
        if cls.sdk != "openai":
            return updated
        if any(arg.star == "**" for arg in original.args):
            ctx.report(
                original,
                "CM105",
                f"{cls.name}(**...) cannot be checked; set base_url={ctx.options.base_url!r} and "
                f"api_key from ${ctx.options.api_key_env} where those arguments are built",
            )
            return updated
        return self._point_at_cerebras(ctx, original, updated)

    def _point_at_cerebras(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        options = ctx.options
        new = updated
        url_index = find_keyword(new, "base_url")
        if url_index is not None:
            url = string_value(new.args[url_index].value)
            if url is None:
                ctx.report(
                    original.args[url_index],
                    "CM104",
                    "base_url is computed at run time; client left alone: point it at "
                    f"{options.base_url} where the value comes from",
                )
                return updated
            if classify_url(url) == "other":
                ctx.report(
                    original.args[url_index],
                    "CM103",
                    f"client points at another provider ({url}); left alone",
                )
                return updated
            if url != options.base_url:
                new = replace_arg_value(new, url_index, cst.SimpleString(_quoted(options.base_url)))
        else:
            new = append_args(
                new, [keyword_arg("base_url", cst.SimpleString(_quoted(options.base_url)))]
            )

        key_index = find_keyword(new, "api_key")
        if key_index is None:
            new = append_args(new, [keyword_arg("api_key", rewrite_key(ctx, original, None))])
        else:
            replacement = rewrite_key(ctx, original.args[key_index], new.args[key_index].value)
            if replacement is not None:
                new = replace_arg_value(new, key_index, replacement)

        drop = {
            i
            for i, arg in enumerate(new.args)
            if arg.keyword is not None and arg.keyword.value in sdk.OPENAI_ONLY_CLIENT_KWARGS
        }
        for i in sorted(drop):
            ctx.report(
                keyword_node(original, new.args[i].keyword.value),  # type: ignore[union-attr]
                "CM102",
                f"`{new.args[i].keyword.value}` has no meaning on Cerebras; dropped",  # type: ignore[union-attr]
            )
        new = remove_args(new, drop)
        if not new.deep_equals(updated):
            ctx.rewrote(original)
        return new


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
