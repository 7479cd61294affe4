"""Model ids: what OpenAI serves, what Cerebras serves, and the default map between them.

Checked by ``tests/test_sdk_facts.py``; the only place that spells a model id.
"""

from __future__ import annotations

import fnmatch

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


# Cerebras models today, and the ids retired during 2026 (a 404 now).
CEREBRAS_MODELS = {"gpt-oss-120b": "production", "zai-glm-4.7": "preview", "gemma-4-31b": "preview"}
RETIRED_CEREBRAS_MODELS = frozenset(
    {"llama3.1-8b", "llama-3.3-70b", "qwen-3-32b", "qwen-3-235b-a22b-instruct-2507"}
)
CLEAR_THINKING_MODELS = frozenset({"zai-glm-4.7"})
# What to use instead of a retired id.
REPLACEMENTS_OF_RETIRED = ("gpt-oss-120b", "zai-glm-4.7")
# Models that reject ``tools`` together with ``response_format`` in one request.
NO_TOOLS_WITH_RESPONSE_FORMAT = ("gpt-oss-120b",)


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
