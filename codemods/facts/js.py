"""Facts about the JavaScript/TypeScript SDKs (the ``openai`` npm package, openai-node, and
``@cerebras/cerebras_cloud_sdk``): module specifiers, classes, constructor options and the
environment variables they read. URLs, key variables, request methods and the Cerebras-only
request parameters are the Python side's (``facts/sdk.py``): the API is the same.

Checked against openai-node 6.30 (``tests/js/package-lock.json``): its constructor reads
``OPENAI_API_KEY`` when ``apiKey`` is undefined, ``OPENAI_BASE_URL`` when ``baseURL`` is, and
``OPENAI_ORG_ID`` / ``OPENAI_PROJECT_ID`` when ``organization`` / ``project`` are (``null``
stops that: destructuring defaults apply to ``undefined`` only, and a ``null`` header is not
sent). It JSON-encodes the params object as it is: it has no ``extra_body``.
"""

from __future__ import annotations

# File suffixes of JavaScript and TypeScript source, and which tree-sitter grammar reads each.
JAVASCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")
TYPESCRIPT_SUFFIXES = (".ts", ".mts", ".cts")
TSX_SUFFIXES = (".tsx",)
SUFFIXES = (*JAVASCRIPT_SUFFIXES, *TYPESCRIPT_SUFFIXES, *TSX_SUFFIXES)
# Files with these in their name are build output, not source (``app.min.js``).
MINIFIED_MARKERS = (".min.", "-min.")

# Only these exact specifiers make a client: ``@langchain/openai``, ``openai-edge`` or a local
# ``./openai`` are look-alikes.
OPENAI_SPECIFIER = "openai"
CEREBRAS_SPECIFIER = "@cerebras/cerebras_cloud_sdk"
SPECIFIERS = {OPENAI_SPECIFIER: "openai", CEREBRAS_SPECIFIER: "cerebras"}

# Client classes each package exports by name; the default export (and what ``require``
# returns) is the first one.
CLIENT_CLASSES = {"openai": ("OpenAI",), "cerebras": ("Cerebras",)}
AZURE_CLASSES = frozenset({"AzureOpenAI"})

# Constructor options of openai-node.
BASE_URL_OPTION = "baseURL"
API_KEY_OPTION = "apiKey"
# Read from OPENAI_ORG_ID / OPENAI_PROJECT_ID unless given; sent as OpenAI-Organization /
# OpenAI-Project to any base URL. ``null`` keeps them unset and unsent.
ACCOUNT_OPTIONS = ("organization", "project")

# How a program reads an environment variable: ``process.env.NAME`` or ``process.env["NAME"]``.
PROCESS_ENV = "process.env"
# The other environment accessors a key may be read with: Vite's (and other bundlers'),
# and Deno's (``Deno.env.get("X")``).
IMPORT_META_ENV = "import.meta.env"
DENO_ENV_GET = "Deno.env.get"

# The request options object's key for body fields in the Python SDK's style: openai-node
# sends it as a literal ``"extra_body"`` key (Cerebras rejects unknown properties).
EXTRA_BODY = "extra_body"
# ``client.withOptions({...})`` returns a client with the same requests.
CLIENT_WRAPPERS = frozenset({"withOptions"})

# ``@cerebras/cerebras_cloud_sdk`` (checked against 1.91 in ``tests/test_js_cerebras_facts.py``):
# its base URL has no ``/v1`` (the paths carry it: ``https://api.cerebras.ai/v1`` requests
# ``/v1/v1/...``). It reads ``CEREBRAS_API_KEY`` when ``apiKey`` is undefined and throws when
# that is unset too, and ``CEREBRAS_BASE_URL`` when ``baseURL`` is; it never reads an OpenAI
# variable.
CEREBRAS_SDK_BASE_URL = "https://api.cerebras.ai"
API_PATH = "/v1"
# On by default: the constructor sends ``GET /v1/tcp_warming`` (with the key), in the
# background, whether or not the program ever makes a request.
WARM_TCP_OPTION = "warmTCPConnection"

# Constructor options each SDK declares (``ClientOptions``); the others are dropped on the way
# to the other SDK (a TypeScript error there, and meaningless).
CLIENT_OPTIONS = {
    "openai": frozenset(
        {
            "apiKey",
            "organization",
            "project",
            "webhookSecret",
            "baseURL",
            "timeout",
            "fetchOptions",
            "fetch",
            "maxRetries",
            "defaultHeaders",
            "defaultQuery",
            "dangerouslyAllowBrowser",
            "logLevel",
            "logger",
        }
    ),
    "cerebras": frozenset(
        {
            "apiKey",
            "baseURL",
            "timeout",
            "httpAgent",
            "fetch",
            "maxRetries",
            "defaultHeaders",
            "defaultQuery",
            "warmTCPConnection",
        }
    ),
}

# Names the two packages export (and their client classes carry as statics) that stand for the
# same thing, openai's on the left; the error hierarchy matches name for name but its base.
# Any other name (``AzureOpenAI``, ``InvalidWebhookSignatureError``, ``fileFromPath``, the
# ``Chat`` type namespaces, whose types differ) has no counterpart: the module is left alone.
RENAMED_EXPORTS = {"OpenAI": "Cerebras", "OpenAIError": "CerebrasError"}
SHARED_EXPORTS = frozenset(
    {
        "default",
        "ClientOptions",
        "DEFAULT_TIMEOUT",
        "toFile",
        "APIError",
        "APIConnectionError",
        "APIConnectionTimeoutError",
        "APIUserAbortError",
        "NotFoundError",
        "ConflictError",
        "RateLimitError",
        "BadRequestError",
        "AuthenticationError",
        "InternalServerError",
        "PermissionDeniedError",
        "UnprocessableEntityError",
    }
)

# The body params the Cerebras SDK declares for ``chat.completions.create``
# (``ChatCompletionCreateParamsBase``): Cerebras-only ones are typed top-level params there.
CEREBRAS_CHAT_PARAMS = frozenset(
    {
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
    }
)
# Its ``ChatCompletion`` is a union of the response, a stream chunk and an error chunk, so
# ``r.choices`` does not type-check; a request that is not streamed resolves to this member
# (an HTTP error throws ``APIError``), relative to the client class.
CEREBRAS_CHAT_RESPONSE_TYPE = "Chat.ChatCompletion.ChatCompletionResponse"
# openai-node request helpers the Cerebras TS SDK has no counterpart of, and what to write.
NO_CEREBRAS_METHOD = {
    "stream": "use create({ ..., stream: true }) and iterate over the chunks",
    "parse": 'use create({ ..., response_format: { type: "json_schema", json_schema: ... } }) '
    "and validate the JSON of the reply yourself",
}

# Prefixes of the environment variables a bundler inlines into the page, where every browser
# that loads it can read them: Next.js, Vite, Create React App, Expo, Nuxt, Gatsby, and
# SvelteKit's and Astro's ``PUBLIC_``. A key read from one of them is public.
BROWSER_ENV_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
    "PUBLIC_",
)
# openai-node's constructor throws in a browser-like environment (``window``, ``document``
# and ``navigator`` defined) unless this option is true. The Cerebras TS SDK (1.91) declares
# no such option and checks nothing: it runs in a browser as it is.
BROWSER_OPTION = "dangerouslyAllowBrowser"

# openai-node releases. The newest these facts were checked against (``tests/js``'s lock):
# the release assumed when nothing in the project says which one it runs.
OPENAI_NODE_LATEST = "6.30.1"
# Releases before this one are the v3 API (``Configuration``, ``OpenAIApi``).
OPENAI_NODE_V4 = "4.0.0"
# Request param values openai-node's types take only from some release on: (param, value) ->
# the first release that types it. Spread in from an object literal, a param the release
# knows with a value it does not type is a TypeScript error (TS2769), so such an entry is
# spread from ``{...} as object`` instead. Checked with tsc against the two releases
# ``tests/js`` locks (``tests/test_js_version.py``).
TYPED_SINCE = {("reasoning_effort", "none"): "6.9.0"}

# openai-node's resources (the client's ``API.*`` properties in ``client.d.ts``, and
# ``beta``'s) that Cerebras has no endpoint for: it serves chat, completions and models.
# ``tests/test_js_unserved.py`` holds these lists to the installed package.
SERVED_RESOURCES = frozenset({"chat", "completions", "models"})
UNSERVED_RESOURCES = frozenset(
    {
        "audio",
        "batches",
        "containers",
        "conversations",
        "embeddings",
        "evals",
        "files",
        "fineTuning",
        "graders",
        "images",
        "moderations",
        "realtime",
        "responses",
        "skills",
        "uploads",
        "vectorStores",
        "videos",
        "webhooks",
    }
)
UNSERVED_BETA_RESOURCES = frozenset({"assistants", "chatkit", "realtime", "threads"})


def unserved_resource(names: tuple[str, ...]) -> str | None:
    """The resource Cerebras has no endpoint for that an attribute path below a client starts
    with (``embeddings`` for ``embeddings.create``, ``beta.assistants``), or None."""
    if len(names) < 2:
        return None
    if names[0] in UNSERVED_RESOURCES:
        return names[0]
    if names[0] == "beta" and len(names) > 2 and names[1] in UNSERVED_BETA_RESOURCES:
        return f"beta.{names[1]}"
    return None


# The openai npm package's v3 API (3.x, checked against 3.3.0, ``openai-v3`` in
# ``tests/js/package-lock.json``): ``new OpenAIApi(new Configuration({ apiKey, organization,
# basePath }))`` and one method per endpoint, whose responses are axios responses
# (``res.data.choices``). The v4 rewrite removed it; the Cerebras TS SDK has only the v4
# shape. ``Configuration`` reads no environment variable: an undefined ``apiKey`` is sent as
# ``Bearer undefined``, an ``organization`` as ``OpenAI-Organization``; ``basePath`` defaults
# to OpenAI's ``/v1`` URL, to which the method paths (``/chat/completions``) are appended.
V3_CONFIGURATION = "Configuration"
V3_CLIENT = "OpenAIApi"
V3_CLASSES = frozenset({V3_CONFIGURATION, V3_CLIENT})
V3_BASE_PATH_OPTION = "basePath"
V3_ACCOUNT_OPTIONS = ("organization",)
# The OpenAIApi methods (``api.d.ts``) Cerebras serves, and the openai-node request each
# stands for (its params are the same body).
V3_REQUESTS = {
    "createChatCompletion": "chat.completions.create",
    "createCompletion": "completions.create",
}
V3_SERVED = frozenset({*V3_REQUESTS, "listModels", "retrieveModel"})
V3_UNSERVED = frozenset(
    {
        "cancelFineTune",
        "createAnswer",
        "createClassification",
        "createEdit",
        "createEmbedding",
        "createFile",
        "createFineTune",
        "createImage",
        "createImageEdit",
        "createImageVariation",
        "createModeration",
        "createSearch",
        "createTranscription",
        "createTranslation",
        "deleteFile",
        "deleteModel",
        "downloadFile",
        "listEngines",
        "listFiles",
        "listFineTuneEvents",
        "listFineTunes",
        "retrieveEngine",
        "retrieveFile",
        "retrieveFineTune",
    }
)
