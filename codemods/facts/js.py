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
