"""Facts about the two SDKs and the Cerebras API, kept as data apart from the rewrite logic.

The only place that spells an SDK's module name, a URL, a host or an environment variable;
model ids live in ``facts/models.py``, the openai keyword tables in ``facts/openai_params.py``.

Everything here is checked by ``tests/test_sdk_facts.py`` against the installed ``openai`` and
``cerebras-cloud-sdk`` signatures, so an SDK release that changes a fact fails a test instead of
producing a silently wrong rewrite.
"""

from __future__ import annotations

CEREBRAS_BASE_URL = "https://api.cerebras.ai/v1"
CEREBRAS_HOST = "api.cerebras.ai"
OPENAI_HOST = "api.openai.com"
CEREBRAS_API_KEY_ENV = "CEREBRAS_API_KEY"
OPENAI_API_KEY_ENV = "OPENAI_API_KEY"
CEREBRAS_BASE_URL_ENV = "CEREBRAS_BASE_URL"  # the Cerebras SDK reads its base URL from it

# The environment variables the openai client (and the pre-1.0 module) reads its settings
# from: what each becomes on Cerebras, and the constructor keyword that spares a client
# reading it (None: the openai 1.x client never reads it). "key": the variable the migrated
# clients read their key from (--api-key-env); "base-url": nothing on the openai target (the
# URL is written into the code), CEREBRAS_BASE_URL on the Cerebras SDK; "none": no meaning.
OPENAI_ENVIRONMENT: dict[str, tuple[str, str | None]] = {
    "OPENAI_API_KEY": ("key", "api_key"),
    "OPENAI_BASE_URL": ("base-url", "base_url"),
    "OPENAI_API_BASE": ("base-url", None),  # openai < 1.0 (openai.api_base)
    "OPENAI_ORG_ID": ("none", "organization"),
    "OPENAI_PROJECT_ID": ("none", "project"),
    "OPENAI_ORGANIZATION": ("none", None),  # read for the organization by LangChain and others
}
# How a program reads an environment variable: ``os.environ.get(NAME)``, ``os.getenv(NAME)``
# (calls), ``os.environ[NAME]`` and ``NAME in os.environ``.
ENVIRONMENT_GETTERS = frozenset({"os.environ.get", "os.getenv"})
ENVIRONMENT_MAPPING = "os.environ"

# Client classes of the openai package, by the name the package exports them under.
OPENAI_CLIENTS = {
    "OpenAI": "sync",
    "Client": "sync",
    "AsyncOpenAI": "async",
    "AsyncClient": "async",
}
OPENAI_AZURE_CLIENTS = frozenset({"AzureOpenAI", "AsyncAzureOpenAI"})

OPENAI_MODULE = "openai"
CEREBRAS_MODULE = "cerebras.cloud.sdk"
CEREBRAS_CLIENTS = {
    "Cerebras": "sync",
    "Client": "sync",
    "AsyncCerebras": "async",
    "AsyncClient": "async",
}

# Headers the openai client fills from ``OPENAI_ORG_ID`` / ``OPENAI_PROJECT_ID`` (and from
# ``organization=`` / ``project=``) and sends to whatever base URL it has, Cerebras included.
# A migrated client (and the module-level client) sets each to the SDK's ``Omit()`` sentinel
# in ``default_headers``, which every 1.x-3.x release honours by not sending the header.
OPENAI_ACCOUNT_HEADERS = ("OpenAI-Organization", "OpenAI-Project")
# ``Omit`` is exported as ``openai.Omit`` from 1.57.0; every release has it in ``openai._types``.
OPENAI_OMIT = "openai.Omit"
OPENAI_OMIT_PRIVATE = "openai._types.Omit"
OPENAI_OMIT_PUBLIC_SINCE = "1.57.0"

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


# Resources of the openai client, as attributes of a client object, that Cerebras has no
# endpoint for (it serves chat, completions and models).
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


def unserved_resource(names: list[str] | tuple[str, ...]) -> str | None:
    """The resource Cerebras has no endpoint for that an attribute path below a client
    starts with (``embeddings`` for ``embeddings.create``, ``beta.assistants``), or None."""
    if not names:
        return None
    if names[0] in UNSERVED_RESOURCES:
        return names[0]
    if names[0] == "beta" and len(names) > 1 and names[1] in UNSERVED_BETA_RESOURCES:
        return f"beta.{names[1]}"
    return None


# The pre-1.0 module API: ``openai.ChatCompletion.create(...)`` raises APIRemovedInV1 from
# openai 1.0 on (openai/lib/_old_api.py lists the same names).
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
# The 0.x resources Cerebras serves, by the endpoint they post to (``{api_base}/chat/...``).
PRE_V1_SERVED = {
    "ChatCompletion": "chat.completions",
    "Completion": "completions",
    "Model": "models",
}
# Module settings only 0.x has (1.x keeps ``api_key``, ``organization``, ``api_type`` and
# ``api_version``, the last two for Azure): a module that sets one is written for 0.x.
PRE_V1_SETTINGS = frozenset({"api_base", "api_key_path", "requestssession", "aiosession", "proxy"})
# Submodules only 0.x has: ``openai.error.RateLimitError`` and friends.
PRE_V1_MODULES = frozenset(
    {"error", "api_requestor", "api_resources", "openai_object", "embeddings_utils"}
)
# What openai 0.x reads from the environment when it is imported, and the value the openai
# target sets so that none of it reaches Cerebras: an OpenAI organization id (sent as the
# OpenAI-Organization header), a key file that supersedes ``openai.api_key``
# (OPENAI_API_KEY_PATH), and OPENAI_API_TYPE=azure, which sends the key as ``api-key`` to
# deployment paths. ``api_base`` (OPENAI_API_BASE) and ``api_key`` are set outright.
PRE_V1_CLEARED = {"api_type": '"open_ai"', "organization": "None", "api_key_path": "None"}
PRE_V1_ENV = {
    "api_key": "OPENAI_API_KEY",
    "api_key_path": "OPENAI_API_KEY_PATH",
    "organization": "OPENAI_ORGANIZATION",
    "api_base": "OPENAI_API_BASE",
    "api_type": "OPENAI_API_TYPE",
    "api_version": "OPENAI_API_VERSION",
}
# The ``api_type`` values that make a 0.x request an Azure one.
PRE_V1_AZURE_TYPES = frozenset({"azure", "azure_ad", "azuread"})
# Per-request settings of a 0.x call (``openai.ChatCompletion.create(api_key=..., ...)``),
# which override the module's for that request.
PRE_V1_REQUEST_SETTINGS = frozenset({"api_key", "api_base", "api_type", "organization"})

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

SDK_MODULES = {"openai": OPENAI_MODULE, "cerebras": CEREBRAS_MODULE}
# The top-level packages of the two SDKs: a file that never mentions one is never parsed.
SDK_ROOTS = ("openai", "cerebras")
# Where the Cerebras SDK defines its client classes (also importable from there).
CEREBRAS_CLIENT_MODULES = (CEREBRAS_MODULE, "cerebras.cloud.sdk._client")

# The client class a migrated constructor gets, by target and whether it is async.
TARGET_CLASS = {
    ("openai", False): "openai.OpenAI",
    ("openai", True): "openai.AsyncOpenAI",
    ("cerebras", False): "cerebras.cloud.sdk.Cerebras",
    ("cerebras", True): "cerebras.cloud.sdk.AsyncCerebras",
}


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
