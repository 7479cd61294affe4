"""The request keywords each openai release accepts, from ``data/openai_params.json``.

The openai client raises ``TypeError`` for a keyword its release does not declare, so
``--target openai`` writes for one release. ``tools/update_openai_params.py`` regenerates the
table; ``tests/test_sdk_facts.py`` checks it against the installed openai package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from codemods.facts import sdk


def _version_key(version: str) -> Version:
    """PEP 440 order: ``1.58`` equals ``1.58.0``; ``1.58.0rc1`` comes before ``1.58.0``."""
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


# Beside this module, where the package data is installed. importlib.resources would find
# the same file for 10-25 ms of imports and lookups, paid by every run at its end.
TABLE = Path(__file__).parent / "data" / "openai_params.json"


@cache
def _openai_table() -> dict[str, dict[str, list[str]]]:
    import json

    return json.loads(TABLE.read_text("utf-8"))


def known_openai_versions() -> list[str]:
    return sorted(_openai_table(), key=_version_key)


# The last release of the 0.x API (module-level ``openai.ChatCompletion.create``,
# ``openai.api_base``), which 1.0.0 removed. No keyword table: 0.x sends a request's keywords
# as they are, and the openai target rewrites 0.x code apart (fixers/module_client_v0.py).
LAST_PRE_V1 = "0.28.1"


def is_pre_v1(version: str) -> bool:
    """Whether ``version`` is a 0.x release (``0.27.8``, ``0.28.1``, not ``1.0.0rc1``)."""
    try:
        return Version(version).release[0] < 1
    except InvalidVersion:
        return False


# First openai release that accepts each request keyword (REFERENCE). The recorded releases in
# data/openai_params.json bracket a version; this table settles the keywords added in between.
KEYWORD_INTRODUCED: dict[str, dict[str, str]] = {
    "chat.completions.create": {
        "response_format": "1.1.0",
        "seed": "1.1.0",
        "tool_choice": "1.1.0",
        "tools": "1.1.0",
        "logprobs": "1.5.0",
        "top_logprobs": "1.5.0",
        "stream_options": "1.26.0",
        "parallel_tool_calls": "1.32.0",
        "service_tier": "1.35.0",
        "max_completion_tokens": "1.45.0",
        "metadata": "1.51.0",
        "store": "1.51.0",
        "audio": "1.52.0",
        "modalities": "1.52.0",
        "prediction": "1.54.0",
        "reasoning_effort": "1.58.0",
        "web_search_options": "1.66.0",
        "prompt_cache_key": "1.98.0",
        "safety_identifier": "1.98.0",
        "verbosity": "1.99.2",
        "prompt_cache_retention": "2.8.0",
        "moderation": "2.41.0",
        "prompt_cache_options": "2.45.0",
    },
    "completions.create": {"seed": "1.1.0", "stream_options": "1.26.0"},
}


@cache
def openai_params(version: str | None = None) -> dict[str, frozenset[str]]:
    """Keyword parameters per method of openai ``version`` (default: the newest recorded).

    Between two recorded releases, a keyword counts when the older one has it, or when the
    newer one has it and KEYWORD_INTRODUCED says it arrived at or before ``version``.
    """
    table = _openai_table()
    versions = known_openai_versions()
    if version is None:
        version = versions[-1]
    wanted = _version_key(version)
    older = [v for v in versions if _version_key(v) <= wanted]
    newer = [v for v in versions if _version_key(v) > wanted]
    low = table[older[-1]] if older else {}
    high = table[newer[0]] if newer else {}
    result: dict[str, frozenset[str]] = {}
    for name in {*low, *high}:
        params = set(low.get(name, ()))
        introduced = KEYWORD_INTRODUCED.get(name.removeprefix("beta."), {})
        for keyword in set(high.get(name, ())) - params:
            since = introduced.get(keyword)
            if since is not None and _version_key(since) <= wanted:
                params.add(keyword)
        if params:
            result[name] = frozenset(params)
    return result


def omit_name(version: str | None = None) -> str:
    """Where openai ``version`` (default: the newest) exports the ``Omit`` sentinel."""
    if version is None or _version_key(version) >= _version_key(sdk.OPENAI_OMIT_PUBLIC_SINCE):
        return sdk.OPENAI_OMIT
    return sdk.OPENAI_OMIT_PRIVATE


def openai_method_params(method: str, version: str | None = None) -> frozenset[str] | None:
    """Keywords the openai client accepts for ``method`` (``chat.completions.create``, ...)."""
    table = openai_params(version)
    if method in table:
        return table[method]
    # Releases before 1.92 had parse/stream under beta only; ≥1.92 keep beta as an alias.
    if method.startswith("beta."):
        return table.get(method.removeprefix("beta."))
    return table.get("beta." + method)
