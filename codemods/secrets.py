"""What counts as a secret, and how it is masked in everything the tool prints.

Two kinds, both defined here and nowhere else:

- **key-shaped tokens**, anywhere in any text: a provider's key prefix followed by enough
  characters of its key's alphabet (``KEY_SHAPES``: ``sk-``, ``csk-``, ``gsk_``, ``xai-``,
  ``hf_``, ``AIza``, ...), not preceded by a letter, digit or ``_`` (a ``-`` may precede it:
  it marks a diff's removed line). Real keys carry 32 to 160 random characters; each minimum
  keeps words and names unmasked (``task-list-…``, ``hf_hub_download``, ``xai-grok``).
- **literals given to ``api_key``**, whatever their shape: ``api_key="…"`` (a keyword of any
  call), ``x.api_key = "…"``, ``"api_key": "…"``. Such a literal is masked where it stands,
  also in a notebook's JSON (quotes escaped); ``find_secrets`` returns them so that a reporter
  masks them wherever else they appear, once they are at least ``MIN_HUNTED`` characters long.

Pure standard library: the reporters use it without loading libcst. Masking is for output
only; the files written keep their bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Key alphabets, as regex classes. TOKEN is the widest: every key character is in it, and a
# key never starts right after a letter, digit or ``_`` (``task-list`` holds no ``sk-`` key).
TOKEN = "[A-Za-z0-9_-]"
WORD = "[A-Za-z0-9_]"
ALNUM = "[A-Za-z0-9]"
HEX = "[0-9a-f]"


@dataclass(frozen=True)
class KeyShape:
    """A provider's key: ``prefix``, then at least ``min_body`` characters of ``body`` (exactly
    that many when ``fixed``, and then no further ``TOKEN`` character)."""

    provider: str
    prefix: str
    body: str
    min_body: int
    fixed: bool = False


# Bodies are what the providers issue, widened where that costs nothing; where a prefix ends
# in ``_`` the body has no ``_`` if the real keys have none, so a snake_case name
# (``hf_hub_download``) stops at its next underscore. Minimums sit below the real lengths (in
# the comments) and above those of placeholders and names (``gsk_test``, ``xai-grok-3-mini``).
KEY_SHAPES: tuple[KeyShape, ...] = (
    KeyShape("OpenAI", "sk-", TOKEN, 20),  # sk-proj-, sk-svcacct-, sk-admin-: 48 to 164
    KeyShape("Anthropic", "sk-ant-", TOKEN, 80),  # api03-… and admin01-…: 95 and more
    KeyShape("OpenRouter", "sk-or-v1-", HEX, 48),  # 64
    KeyShape("DeepSeek", "sk-", HEX, 32),  # 32
    KeyShape("Cerebras", "csk-", TOKEN, 20),  # 48
    KeyShape("Groq", "gsk_", ALNUM, 40),  # 52
    KeyShape("xAI", "xai-", TOKEN, 60),  # 80
    KeyShape("Hugging Face", "hf_", ALNUM, 30),  # 34 letters
    KeyShape("Google (Gemini)", "AIza", TOKEN, 35, fixed=True),  # 35
    KeyShape("Perplexity", "pplx-", TOKEN, 40),  # 48
    KeyShape("Replicate", "r8_", ALNUM, 30),  # 37
    KeyShape("Fireworks", "fw_", ALNUM, 20),  # 24 and more
    KeyShape("Together", "tgp_v1_", TOKEN, 30),  # 43
    KeyShape("NVIDIA", "nvapi-", TOKEN, 40),  # 64
    KeyShape("LangSmith", "lsv2_", WORD, 40),  # 46: pt_ or sk_, 32 hex, _, 10 hex
    KeyShape("GitHub Models (classic token)", "ghp_", ALNUM, 30),  # 36
    KeyShape("GitHub Models (fine-grained token)", "github_pat_", WORD, 60),  # 82
)


def _covers(wide: KeyShape, narrow: KeyShape) -> bool:
    """Whether ``wide`` matches every key of ``narrow`` (``sk-`` covers ``sk-ant-``): its body
    takes any key character, so it is enough that it starts no later and asks for no more."""
    return (
        wide.body == TOKEN
        and not wide.fixed
        and narrow.prefix.startswith(wide.prefix)
        and len(narrow.prefix) - len(wide.prefix) + narrow.min_body >= wide.min_body
    )


def _alternative(shape: KeyShape) -> str:
    if shape.fixed:
        return f"{re.escape(shape.prefix)}{shape.body}{{{shape.min_body}}}(?!{TOKEN})"
    return f"{re.escape(shape.prefix)}{shape.body}{{{shape.min_body},}}"


def _distinct(shapes: tuple[KeyShape, ...]) -> tuple[KeyShape, ...]:
    """The shapes no earlier one covers: one alternative each, so the pattern stays short."""
    kept: list[KeyShape] = []
    for shape in shapes:
        if not any(_covers(k, shape) for k in kept):
            kept.append(shape)
    return tuple(kept)


DISTINCT_SHAPES = _distinct(KEY_SHAPES)
# One key-shaped token from its first character (``is_key_shaped`` full-matches it).
_KEY = re.compile("|".join(map(_alternative, DISTINCT_SHAPES)))
# A key inside a text, after the character before it. Starting with a character class rather
# than a lookbehind lets the regex engine skip in C the letters and digits inside words,
# where no key starts; the lookahead drops most of the other places on one character.
_PREFIXES = tuple(shape.prefix for shape in DISTINCT_SHAPES)
_FIRST = "".join(sorted({shape.prefix[0] for shape in DISTINCT_SHAPES}))
_KEY_IN_TEXT = re.compile(f"(?P<before>[^A-Za-z0-9_])(?=[{_FIRST}])(?P<key>{_KEY.pattern})")


def is_key_shaped(text: str) -> bool:
    """Whether ``text``, whole, is one key-shaped token (a shape of ``KEY_SHAPES``)."""
    return _KEY.fullmatch(text) is not None


# The literal after ``api_key=``, ``.api_key =`` or ``"api_key":``; quotes may be escaped
# (``\"``) as in a notebook's JSON. f-strings are not literals and are left alone.
API_KEY_LITERAL = re.compile(
    r"""(?:\bapi_key\s*=(?!=)|(?P<kq>\\?["'])api_key(?P=kq)\s*:)\s*"""
    r"""(?:[rRbBuU]{1,2})?(?P<q>'''|\"\"\"|\\?["'])(?P<value>.*?)(?P=q)"""
)
# Shorter api_key literals are placeholders ("EMPTY", "ollama"): masked where they are
# passed, not hunted elsewhere, where masking every occurrence would garble messages and URLs.
MIN_HUNTED = 8


def mask(secret: str) -> str:
    """What is shown instead of a key: its first characters, never enough to use it."""
    keep = 3 if len(secret) > 12 else 0
    return secret[:keep] + "…" * (1 if keep else 0) + "*" * 4


def find_secrets(text: str) -> list[str]:
    """The non-empty literals ``text`` gives to ``api_key``, in order."""
    if "api_key" not in text:  # most files: no regex run at all
        return []
    return [m["value"] for m in API_KEY_LITERAL.finditer(text) if m["value"]]


def _mask_literal(match: re.Match[str]) -> str:
    if not match["value"]:
        return match[0]
    start, end = (i - match.start() for i in match.span("value"))
    return match[0][:start] + mask(match["value"]) + match[0][end:]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret masked: api_key literals where they stand, then the known
    ``secrets`` (longest first), then any key-shaped token."""
    if "api_key" in text:
        text = API_KEY_LITERAL.sub(_mask_literal, text)
    for secret in sorted({s for s in secrets if len(s) >= MIN_HUNTED}, key=len, reverse=True):
        text = text.replace(secret, mask(secret))
    # A key at the very start has no character before it (startswith: fast, for short texts).
    if text.startswith(_PREFIXES) and (head := _KEY.match(text)):
        text = mask(head[0]) + text[head.end() :]
    return _KEY_IN_TEXT.sub(lambda m: m["before"] + mask(m["key"]), text)


# Keys given to environment variables ---------------------------------------------------
# ``os.environ["X"] = "…"``, ``os.getenv("X", "…")``, ``%env X=…``: a key-shaped value is a
# key whatever the variable; any other value is one when the variable's name says it holds a
# credential: its last ``_``-separated word is one of these (``OPENAI_API_KEY``, ``GROQ_KEY``,
# ``OPENAI_APIKEY``, ``HF_TOKEN``, ``CLIENT_SECRET``). Not ``PASSWORD`` (a database's, not an
# API's: dev setups write them in the open), nor ``CREDENTIALS`` (usually a file's path), nor
# ``_KEY_ID`` (an identifier: its secret half ends in ``_KEY``).
CREDENTIAL_WORDS = frozenset({"KEY", "APIKEY", "TOKEN", "SECRET"})
# Values that stand for a key without being one, by their words (split at anything but
# letters and digits, compared case-insensitively): ``your-api-key``, ``dummy_token``,
# ``test-key``, ``not-needed``, ``changeme``; a word of one repeated character (``xxxxxxxx``)
# too. A key is one random word: it holds none of these but by a chance too small to count.
PLACEHOLDER_WORDS = frozenset(
    {
        "your",
        "dummy",
        "fake",
        "test",
        "testing",
        "example",
        "sample",
        "placeholder",
        "changeme",
        "replace",
        "insert",
        "needed",
        "redacted",
        "empty",
        "none",
        "null",
        "todo",
    }
)
# Templates, elisions and references (``<your key>``, ``sk-...``, ``${KEY}``, ``{key}``,
# ``****``), and text with blanks, are not keys either.
PLACEHOLDER_MARKS = ("<", ">", "...", "…", "{", "}", "$", "*", " ", "\t")
_NOT_WORD = re.compile("[^a-z0-9]+")


def is_credential_name(variable: str) -> bool:
    """Whether the name of an environment variable says it holds a credential."""
    return variable.upper().rpartition("_")[2] in CREDENTIAL_WORDS


def is_placeholder(value: str) -> bool:
    """Whether ``value`` stands for a key rather than being one (``"your-api-key"``)."""
    if any(mark in value for mark in PLACEHOLDER_MARKS):
        return True
    words = _NOT_WORD.split(value.lower())
    return any(w in PLACEHOLDER_WORDS or (len(w) >= 3 and len(set(w)) == 1) for w in words)


def looks_random(value: str) -> bool:
    """Whether ``value`` has the letters and digits of a generated secret: a test's
    ``"env-api-key"`` or ``"secret"`` has no digit, and a real key without a known prefix
    (Mistral's, Cohere's, a hex token) always has both."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def is_env_key(variable: str | None, value: str) -> bool:
    """Whether ``value``, given to the environment variable ``variable`` (None: a name not
    known from the source), is a hard-coded key: key-shaped, or ``MIN_HUNTED`` characters or
    more of letters and digits for a credential's name, and no placeholder."""
    if is_key_shaped(value):
        return True
    return (
        variable is not None
        and is_credential_name(variable)
        and len(value) >= MIN_HUNTED
        and looks_random(value)
        and not is_placeholder(value)
    )
