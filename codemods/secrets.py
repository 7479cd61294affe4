"""What counts as a secret, and how it is masked in everything the tool prints.

Two kinds, both defined here and nowhere else:

- **key-shaped tokens**, anywhere in any text: a provider's key prefix followed by enough
  characters of its key's alphabet (``KEY_SHAPES``: ``sk-``, ``csk-``, ``gsk_``, ``xai-``,
  ``hf_``, ``AIza``, ...), not preceded by a letter, digit or ``_`` (a ``-`` may precede it:
  it marks a diff's removed line). Real keys carry 32 to 160 random characters; each minimum
  keeps words and names unmasked (``task-list-…``, ``hf_hub_download``, ``xai-grok``).
- **literals given to ``api_key``**, whatever their shape: ``api_key="…"`` (a keyword of any
  call), ``x.api_key = "…"``, ``api_key: str = "…"``, ``"api_key": "…"``, each part of one
  split in parts, an escaped quote inside one. Such a literal is masked where it stands, also
  in a notebook's JSON (quotes escaped); ``find_secrets`` returns them so that a reporter
  masks them wherever else its file's output shows them, once they are at least
  ``MIN_HUNTED`` characters long.

Also a URL's password, and (``typed_secrets``) a command-line argument that looks like a key
pasted by mistake. ``redact`` masks in one pass: the stretches to mask are found, merged where
they overlap, then masked, so that no secret can split or unmask another.

Pure standard library: the reporters use it without loading libcst. Masking is for output
only; the files written keep their bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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


# Each provider's key prefix, then only characters of its key: the head of a key whose rest
# is elsewhere (``"sk-proj-" + rest``).
_KEY_HEADS = tuple(re.compile(f"{re.escape(k.prefix)}{k.body}*") for k in DISTINCT_SHAPES)


def starts_a_key(text: str) -> bool:
    """Whether ``text``, whole, can be the start of a key: a ``KEY_SHAPES`` prefix (``sk-``,
    ``csk-``, ``gsk_``, ...) and then only characters of that key's alphabet."""
    return any(head.fullmatch(text) for head in _KEY_HEADS)


# What comes before an api_key literal: ``api_key=`` (a keyword), ``x.api_key = ``,
# ``api_key: str = `` (annotated), ``"api_key": `` (a dict; quotes may be escaped, ``\"``,
# as in a notebook's JSON), then any opening parentheses.
_API_KEY_HEAD = re.compile(
    r"""(?:\bapi_key\s*(?::[\w.\[\]|, ]*)?=(?!=)|(?P<kq>\\?["'])api_key(?P=kq)\s*:)[\s(]*"""
)
# A string literal's opening (f-strings are not literals and are left alone), then its
# value and closing quote, by quote: an escaped quote (``\"``) does not close it. In a
# notebook's JSON (``\"`` quotes) a backslash of the Python text is itself escaped.
_OPEN = re.compile(r"""(?:[rRbBuU]{1,2})?(?P<q>'''|\"\"\"|\\?["'])""")
_ESCAPED = r"(?:\\.|[^\\\n])*?"
_JSON_ESCAPED = r"(?:\\\\(?:\\.|[^\\])|\\[^\\]|[^\\\n])*?"
_VALUE = {
    q: re.compile(f"(?P<value>{body}){re.escape(q)}", re.S)
    for q, body in (
        ("'''", _ESCAPED.replace("\\n", "")),
        ('"""', _ESCAPED.replace("\\n", "")),
        ('"', _ESCAPED),
        ("'", _ESCAPED),
        ('\\"', _JSON_ESCAPED),
        ("\\'", _JSON_ESCAPED),
    )
}
# Between the parts of a literal split in two or more (``"sk-proj-" "…"``, ``"…" + "…"``,
# over several lines in parentheses, also in a diff where each line starts with ``-``/``+``).
_JOIN = re.compile(r"(?:\s|\+|(?<=\n)-)*")
# Shorter api_key literals are placeholders ("EMPTY", "ollama"): masked where they are
# passed, not hunted elsewhere, where masking every occurrence would garble messages and URLs.
MIN_HUNTED = 8
# The password of a URL (``https://user:password@host``): masked wherever a URL is printed.
_URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:'\"]*:(?P<password>[^\s/@'\"]+)@")


def mask(secret: str) -> str:
    """What is shown instead of a key: its first characters, never enough to use it."""
    keep = 3 if len(secret) > 12 else 0
    return secret[:keep] + "…" * (1 if keep else 0) + "*" * 4


def _api_key_values(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each non-empty part of each literal ``text`` gives to
    ``api_key``."""
    for head in _API_KEY_HEAD.finditer(text):
        pos = head.end()
        while opening := _OPEN.match(text, pos):
            value = _VALUE[opening["q"]].match(text, opening.end())
            if value is None:
                break
            yield from _lines(text, *value.span("value"))
            joined = _JOIN.match(text, value.end())
            pos = joined.end() if joined else value.end()


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The non-blank lines of ``text[start:end]``, stripped (a triple-quoted key is masked
    line by line, so that a diff keeps its lines), without the first character of a line that
    is a diff's ``-`` or ``+``."""
    while start < end:
        stop = text.find("\n", start, end)
        stop = end if stop == -1 else stop
        first = start
        if start > 0 and text[start - 1] == "\n" and text[start] in "-+":
            first += 1
        segment = text[first:stop]
        stripped = segment.strip()
        if stripped:
            lead = first + len(segment) - len(segment.lstrip())
            yield lead, lead + len(stripped)
        start = stop + 1


def find_secrets(text: str) -> list[str]:
    """The non-empty literals ``text`` gives to ``api_key``, in order: each part of a
    literal split in parts, then the parts joined."""
    if "api_key" not in text:  # most files: no regex run at all
        return []
    found: list[str] = []
    parts: list[str] = []
    last = -1
    for start, end in _api_key_values(text):
        if parts and _JOIN.fullmatch(text, last, start) is None:
            if len(parts) > 1:
                found.append("".join(parts))
            parts = []
        found.append(text[start:end])
        parts.append(text[start:end])
        last = end
    if len(parts) > 1:
        found.append("".join(parts))
    return found


_TOKEN_CHAR = re.compile(TOKEN)


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened to the run of key characters around them: a known secret
    that is part of a longer token masks the whole token, never leaving the rest of a key
    printed. Not over a line's first character (a diff's ``-``/``+``)."""
    while start > 1 and text[start - 2] not in "\n\r" and _TOKEN_CHAR.match(text, start - 1):
        start -= 1
    while end < len(text) and _TOKEN_CHAR.match(text, end):
        end += 1
    return start, end


def secret_spans(text: str, secrets: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Every stretch of ``text`` to mask, sorted and merged: api_key literals where they
    stand, the known ``secrets`` wherever they appear (widened to their whole token), any
    key-shaped token and a URL's password."""
    spans: list[tuple[int, int]] = []
    if "api_key" in text:
        spans.extend(_api_key_values(text))
    for secret in {s for s in secrets if len(s) >= MIN_HUNTED}:
        at = text.find(secret)
        while at != -1:
            spans.append(_word_around(text, at, at + len(secret)))
            at = text.find(secret, at + len(secret))
    # A key at the very start has no character before it (startswith: fast, for short texts).
    if text.startswith(_PREFIXES) and (head := _KEY.match(text)):
        spans.append(head.span())
    spans.extend(m.span("key") for m in _KEY_IN_TEXT.finditer(text))
    if "://" in text:
        spans.extend(m.span("password") for m in _URL_PASSWORD.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every stretch ``secret_spans`` finds masked, in one pass: what one
    secret masks can never unmask or split another."""
    spans = secret_spans(text, secrets)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(mask(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


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


# A command-line argument is taken for a pasted key (and masked in a usage error, which
# repeats what was typed) from this length on, when it is one token of key characters with
# the letters and digits of a generated secret and no placeholder's words.
MIN_TYPED = 16
_TYPED = re.compile(f"{TOKEN}{{{MIN_TYPED},}}")


def typed_secrets(args: Iterable[str]) -> list[str]:
    """The parts of command-line ``args`` that look like a key pasted by mistake: an
    argument, or the value after its ``=``, without leading dashes."""
    found = []
    for arg in args:
        for part in arg.split("="):
            part = part.lstrip("-")
            if _TYPED.fullmatch(part) and looks_random(part) and not is_placeholder(part):
                found.append(part)
    return found


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
