"""Facts about the two SDKs and the Cerebras API, kept as data apart from the rewrite logic.

Everything here is checked by ``tests/test_sdk_facts.py`` against the installed ``openai`` and
``cerebras-cloud-sdk`` signatures, so an SDK release that changes a fact fails a test instead of
producing a silently wrong rewrite.
"""

from __future__ import annotations

import fnmatch
from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

CEREBRAS_BASE_URL = "https://api.cerebras.ai/v1"
CEREBRAS_HOST = "api.cerebras.ai"
OPENAI_HOST = "api.openai.com"
CEREBRAS_API_KEY_ENV = "CEREBRAS_API_KEY"
OPENAI_API_KEY_ENV = "OPENAI_API_KEY"

# Client classes of the openai package, by the name the package exports them under.
OPENAI_CLIENTS = {
    "OpenAI": "sync",
    "Client": "sync",
    "AsyncOpenAI": "async",
    "AsyncClient": "async",
}
OPENAI_AZURE_CLIENTS = frozenset({"AzureOpenAI", "AsyncAzureOpenAI"})

CEREBRAS_MODULE = "cerebras.cloud.sdk"
CEREBRAS_CLIENTS = {
    "Cerebras": "sync",
    "Client": "sync",
    "AsyncCerebras": "async",
    "AsyncClient": "async",
}

# Constructor keywords that have no meaning on Cerebras: the rewrite drops them.
OPENAI_ONLY_CLIENT_KWARGS = frozenset({"organization", "project"})
# ... and those the Cerebras SDK does not take at all (a TypeError there).
OPENAI_CLIENT_KWARGS_WITHOUT_CEREBRAS_EQUIVALENT = frozenset(
    {
        "organization",
        "project",
        "websocket_base_url",
        "webhook_secret",
        "workload_identity",
        "admin_api_key",
        "provider",
        "data_residency",
    }
)
CEREBRAS_ONLY_CLIENT_KWARGS = frozenset({"warm_tcp_connection"})

# Top-level names of the two packages that stand for the same thing. The exception
# hierarchy matches name for name except its base class.
RENAMED_EXPORTS = {
    "OpenAI": "Cerebras",
    "AsyncOpenAI": "AsyncCerebras",
    "OpenAIError": "CerebrasError",
}
SHARED_EXPORTS = frozenset(
    {
        "Client",
        "AsyncClient",
        "APIError",
        "APIStatusError",
        "APIConnectionError",
        "APITimeoutError",
        "APIResponseValidationError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
        "NOT_GIVEN",
        "NotGiven",
        "not_given",
        "Omit",
        "omit",
        "Timeout",
        "Stream",
        "AsyncStream",
        "APIResponse",
        "AsyncAPIResponse",
        "RequestOptions",
        "DefaultHttpxClient",
        "DefaultAsyncHttpxClient",
        "DefaultAioHttpClient",
        "DEFAULT_TIMEOUT",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_CONNECTION_LIMITS",
    }
)
# Types with an exact counterpart, by qualified name (REFERENCE: anything else is reported).
TYPE_COUNTERPARTS = {
    "openai.types.chat.ChatCompletionMessageParam": (
        "cerebras.cloud.sdk.types.chat.completion_create_params.Message"
    ),
}

# Request methods, addressed by the attribute path below the client.
REQUEST_METHODS: dict[tuple[str, ...], str] = {
    ("chat", "completions", "create"): "chat.completions.create",
    ("chat", "completions", "parse"): "chat.completions.parse",
    ("chat", "completions", "stream"): "chat.completions.stream",
    ("beta", "chat", "completions", "parse"): "beta.chat.completions.parse",
    ("beta", "chat", "completions", "stream"): "beta.chat.completions.stream",
    ("completions", "create"): "completions.create",
}
# Wrappers that may sit between a client and a resource without changing the request body.
CLIENT_WRAPPER_CALLS = frozenset({"with_options", "copy"})
RESPONSE_WRAPPERS = frozenset({"with_raw_response", "with_streaming_response"})

# Header keywords of the Cerebras SDK and the HTTP header each one sets.
CEREBRAS_HEADER_KWARGS = {
    "cf_ray": "CF-RAY",
    "x_amz_cf_id": "X-Amz-Cf-Id",
    "x_delay_time": "X-delay-time",
}

# Header keywords whose value is not a string: headers must be ``str`` in ``extra_headers``,
# and the Cerebras SDK itself sends ``str(value)``.
CEREBRAS_HEADER_STR_CONVERSION = frozenset({"x_delay_time"})

# Body keywords that only the Cerebras API knows, per endpoint.
CEREBRAS_ONLY_BODY = {
    "chat.completions.create": frozenset(
        {
            "clear_thinking",
            "disable_reasoning",
            "reasoning_format",
            "min_tokens",
            "min_completion_tokens",
            "model_parameters",
        }
    ),
    "completions.create": frozenset(
        {"grammar_root", "min_tokens", "reasoning_format", "return_raw_tokens", "prompt_cache_key"}
    ),
}

# Keyword parameters of cerebras-cloud-sdk request methods (checked against the installed SDK).
# Both methods end with the same header keywords and request options.
_CEREBRAS_REQUEST_PLUMBING = frozenset(
    [
        "cf_ray",
        "x_amz_cf_id",
        "x_delay_time",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
    ]
)
CEREBRAS_PARAMS: dict[str, frozenset[str]] = {
    "chat.completions.create": frozenset(
        [
            "messages",
            "model",
            "clear_thinking",
            "disable_reasoning",
            "frequency_penalty",
            "logit_bias",
            "logprobs",
            "max_completion_tokens",
            "max_tokens",
            "min_completion_tokens",
            "min_tokens",
            "model_parameters",
            "n",
            "parallel_tool_calls",
            "prediction",
            "presence_penalty",
            "prompt_cache_key",
            "reasoning_effort",
            "reasoning_format",
            "response_format",
            "seed",
            "service_tier",
            "stop",
            "stream",
            "stream_options",
            "temperature",
            "tool_choice",
            "tools",
            "top_logprobs",
            "top_p",
            "user",
        ]
    )
    | _CEREBRAS_REQUEST_PLUMBING,
    "completions.create": frozenset(
        [
            "model",
            "prompt",
            "best_of",
            "echo",
            "frequency_penalty",
            "grammar_root",
            "logit_bias",
            "logprobs",
            "max_tokens",
            "min_tokens",
            "n",
            "presence_penalty",
            "prompt_cache_key",
            "reasoning_format",
            "return_raw_tokens",
            "seed",
            "stop",
            "stream",
            "stream_options",
            "suffix",
            "temperature",
            "top_p",
            "user",
        ]
    )
    | _CEREBRAS_REQUEST_PLUMBING,
}
CEREBRAS_CLIENT_PARAMS = frozenset(
    [
        "api_key",
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
        "_strict_response_validation",
        "warm_tcp_connection",
    ]
)

# Keywords that never move into extra_body: they are how a request reaches the wire.
REQUEST_PLUMBING = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})

# OpenAI model ids, as glob patterns: chat and legacy completion models that Cerebras does not
# serve. Embedding, audio, image and realtime models are not listed: they have no chat
# equivalent to map to, and their endpoints are not served at all.
OPENAI_MODEL_PATTERNS = (
    "gpt-3.5-turbo*",
    "gpt-4",
    "gpt-4-*",
    "gpt-4o",
    "gpt-4o-*",
    "gpt-4.1*",
    "gpt-4.5*",
    "gpt-5",
    "gpt-5-*",
    "gpt-5.*",
    "chatgpt-*",
    "o1",
    "o1-*",
    "o3",
    "o3-*",
    "o4-mini",
    "o4-mini-*",
    "text-davinci-*",
    "davinci-002",
    "babbage-002",
)
NON_CHAT_MODEL_PATTERNS = ("*realtime*", "*audio*", "*transcribe*", "*tts*", "gpt-image*")
DEFAULT_CEREBRAS_MODEL = "gpt-oss-120b"


# Resources of the openai client, as attributes of a client object. Cerebras serves the
# first group; for the rest there is no endpoint at all.
SERVED_RESOURCES = frozenset({"chat", "completions", "models"})
UNSERVED_RESOURCES = frozenset(
    {
        "admin",
        "audio",
        "batches",
        "containers",
        "content_provenance_checks",
        "conversations",
        "decisions",
        "embeddings",
        "evals",
        "files",
        "fine_tuning",
        "images",
        "live",
        "moderations",
        "realtime",
        "responses",
        "safety",
        "skills",
        "uploads",
        "vector_stores",
        "videos",
        "webhooks",
    }
)
UNSERVED_BETA_RESOURCES = frozenset(
    {"agents", "assistants", "chatkit", "realtime", "responses", "threads", "vector_stores"}
)
# The pre-1.0 module API: ``openai.ChatCompletion.create(...)`` raises APIRemovedInV1.
PRE_V1_RESOURCES = frozenset(
    {
        "ChatCompletion",
        "Completion",
        "Customer",
        "Deployment",
        "Edit",
        "Embedding",
        "Engine",
        "ErrorObject",
        "File",
        "FineTune",
        "FineTuningJob",
        "Image",
        "Audio",
        "Moderation",
        "Model",
    }
)
PRE_V1_SETTINGS = frozenset({"api_base", "api_type", "api_version", "organization_id"})

# Cerebras models today, and the ids retired during 2026 (a 404 now).
CEREBRAS_MODELS = {"gpt-oss-120b": "production", "zai-glm-4.7": "preview", "gemma-4-31b": "preview"}
RETIRED_CEREBRAS_MODELS = frozenset(
    {"llama3.1-8b", "llama-3.3-70b", "qwen-3-32b", "qwen-3-235b-a22b-instruct-2507"}
)
CLEAR_THINKING_MODELS = frozenset({"zai-glm-4.7"})

# Rate-limit response headers: OpenAI's names, which Cerebras does not send, and Cerebras's.
OPENAI_RATE_LIMIT_HEADERS = frozenset(
    {
        "x-ratelimit-limit-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-requests",
        "x-ratelimit-reset-tokens",
    }
)
CEREBRAS_RATE_LIMIT_HEADERS = (
    "x-ratelimit-limit-requests-day",
    "x-ratelimit-remaining-requests-day",
    "x-ratelimit-limit-tokens-minute",
    "x-ratelimit-remaining-tokens-minute",
)

SDK_MODULES = {"openai": "openai", "cerebras": CEREBRAS_MODULE}


def counterpart(qualname: str, target: str) -> str | None:
    """The qualified name in the ``target`` SDK for ``qualname`` of the other SDK, or None."""
    source = SDK_MODULES["cerebras" if target == "openai" else "openai"]
    module, _, name = qualname.rpartition(".")
    if module == source:
        if target == "cerebras":
            mapped = RENAMED_EXPORTS.get(name, name if name in SHARED_EXPORTS else None)
        else:
            back = {v: k for k, v in RENAMED_EXPORTS.items()}
            mapped = back.get(name, name if name in SHARED_EXPORTS else None)
        return f"{SDK_MODULES[target]}.{mapped}" if mapped else None
    pairs = TYPE_COUNTERPARTS if target == "cerebras" else _REVERSE_TYPES
    return pairs.get(qualname)


_REVERSE_TYPES = {v: k for k, v in TYPE_COUNTERPARTS.items()}


def in_sdk(qualname: str, sdk_name: str) -> bool:
    """Whether ``qualname`` names something inside the package of ``sdk_name``."""
    module = SDK_MODULES[sdk_name]
    return qualname == module or qualname.startswith(module + ".")


def is_openai_model(model_id: str) -> bool:
    """True for an OpenAI chat or legacy completion model id that Cerebras does not serve."""
    if any(fnmatch.fnmatchcase(model_id, p) for p in NON_CHAT_MODEL_PATTERNS):
        return False
    return any(fnmatch.fnmatchcase(model_id, p) for p in OPENAI_MODEL_PATTERNS)


def map_model(model_id: str, user_map: tuple[tuple[str, str], ...]) -> str | None:
    """The Cerebras id for ``model_id``, or None when it should stay.

    ``user_map`` entries are ``(pattern, replacement)``; a pattern may be a glob. The first
    matching entry wins; the default maps every OpenAI chat model to the production model.
    """
    for pattern, replacement in user_map:
        if fnmatch.fnmatchcase(model_id, pattern):
            return None if replacement == model_id else replacement
    if is_openai_model(model_id):
        return DEFAULT_CEREBRAS_MODEL
    return None


def _version_key(version: str) -> Version:
    """PEP 440 order: ``1.58`` equals ``1.58.0``; ``1.58.0rc1`` comes before ``1.58.0``."""
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


@cache
def _openai_table() -> dict[str, dict[str, list[str]]]:
    import json

    # Beside this module, where the package data is installed. importlib.resources would
    # find the same file for 10-25 ms of imports and lookups, paid by every run at its end.
    path = Path(__file__).parent / "data" / "openai_params.json"
    return json.loads(path.read_text("utf-8"))


def known_openai_versions() -> list[str]:
    return sorted(_openai_table(), key=_version_key)


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


def openai_method_params(method: str, version: str | None = None) -> frozenset[str] | None:
    """Keywords the openai client accepts for ``method`` (``chat.completions.create``, ...)."""
    table = openai_params(version)
    if method in table:
        return table[method]
    # Releases before 1.92 had parse/stream under beta only; ≥1.92 keep beta as an alias.
    if method.startswith("beta."):
        return table.get(method.removeprefix("beta."))
    return table.get("beta." + method)
