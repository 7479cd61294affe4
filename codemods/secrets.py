"""What counts as a secret, and how it is masked in everything the tool prints.

Two kinds, both defined here and nowhere else:

- **key-shaped tokens**, anywhere in any text: ``sk-``, ``sk-proj-`` (any ``sk-…``) or
  ``csk-`` followed by at least ``KEY_MIN_BODY`` characters of ``[A-Za-z0-9_-]``, not
  preceded by such a character. Real keys carry 40 to 160 random characters; the minimum
  keeps ``sk-1`` and words such as ``task-list-…`` or ``disk-cache-…`` unmasked.
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

KEY_PREFIXES = ("sk-", "csk-")  # ``sk-proj-``, ``sk-svcacct-``, ... are ``sk-`` keys too
KEY_MIN_BODY = 20
_KEY_CHAR = "[A-Za-z0-9_-]"
KEY_PATTERN = re.compile(
    f"(?<!{_KEY_CHAR})(?:{'|'.join(map(re.escape, KEY_PREFIXES))}){_KEY_CHAR}{{{KEY_MIN_BODY},}}"
)


def is_key_shaped(text: str) -> bool:
    """Whether ``text`` as a whole is a key of a known shape (``KEY_PATTERN``)."""
    return KEY_PATTERN.fullmatch(text) is not None


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
    return KEY_PATTERN.sub(lambda m: mask(m[0]), text)


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


def is_env_key(variable: str | None, value: str) -> bool:
    """Whether ``value``, given to the environment variable ``variable`` (None: a name not
    known from the source), is a hard-coded key: key-shaped, or ``MIN_HUNTED`` characters or
    more for a credential's name and no placeholder."""
    if is_key_shaped(value):
        return True
    return (
        variable is not None
        and is_credential_name(variable)
        and len(value) >= MIN_HUNTED
        and not is_placeholder(value)
    )
