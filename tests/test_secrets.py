"""Hard-coded API keys are never printed: every output of the real command line, in every
format and mode, is searched for every key of a project that holds them in many places.

A key is masked in what is printed, never in what is written: the files keep their bytes,
except what the rewrite itself changed (a constructor's literal becomes an environment lookup).
"""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import invoke
from test_formats import apply_sarif_fix, assert_valid_sarif

from codemods.secrets import (
    ALNUM,
    DISTINCT_SHAPES,
    HEX,
    KEY_SHAPES,
    TOKEN,
    WORD,
    find_secrets,
    is_key_shaped,
    mask,
    redact,
)

# Fake keys, shaped like real ones (an OpenAI project key, a legacy one, a Cerebras one).
CTOR_KEY = "sk-proj-CtorKey0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3_Ab-Cd"
COMMENT_KEY = "sk-CommentKey9zY8xW7vU6tS5rQ4pO3nM2lK1jI0hG9fE8dC7b"
HEADER_KEY = "csk-headerkey4n5b6v7c8x9z0l1k2j3h4g5f6d7s8a9p0o1i2u3y"
MODULE_KEY = "sk-ModuleKey1qW2eR3tY4uI5oP6aS7dF8gH9jK0lZ1xC2vB3nM"
NOTEBOOK_KEY = "csk-notebookkey0q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k"
BROKEN_KEY = "sk-proj-BrokenKey5tG6yH7uJ8iK9oL0pQ1aZ2wS3xE4dC5rF6vT7gB"
# Literals passed as ``api_key`` that do not look like keys: secrets all the same.
ATTR_LITERAL = "team-shared-secret-0042"
CALL_LITERAL = "another-plain-secret-77"
SECRETS = (
    CTOR_KEY,
    COMMENT_KEY,
    HEADER_KEY,
    MODULE_KEY,
    NOTEBOOK_KEY,
    BROKEN_KEY,
    ATTR_LITERAL,
    CALL_LITERAL,
)

# Each key sits within three lines of a rewritten line, so a diff shows it as context.
APP = f"""\
from openai import OpenAI

# old key, revoked: {COMMENT_KEY}
client = OpenAI(
    api_key="{CTOR_KEY}",
    default_headers={{"Authorization": "Bearer {HEADER_KEY}"}},
)
client.api_key = "{ATTR_LITERAL}"
fast = client.with_options(api_key="{CALL_LITERAL}", timeout=5)
reply = fast.chat.completions.create(model="gpt-4o-mini", messages=[])
"""
LEGACY = f"""\
import openai

openai.api_key = "{MODULE_KEY}"


def ask(question):
    return openai.chat.completions.create(
        model="gpt-4o-mini", messages=[{{"role": "user", "content": question}}]
    )
"""
BROKEN = f"""\
import openai

KEY = "{BROKEN_KEY}"
print "no parentheses"
"""
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "from openai import OpenAI\n",
                f"# {COMMENT_KEY}\n",
                f'client = OpenAI(api_key="{NOTEBOOK_KEY}")',
            ],
        }
    ],
    "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def write_project(root: Path) -> None:
    (root / "app.py").write_text(APP)
    (root / "legacy.py").write_text(LEGACY)
    (root / "broken.py").write_text(BROKEN)
    (root / "nb.ipynb").write_text(json.dumps(NOTEBOOK, indent=1) + "\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_project(tmp_path)
    return tmp_path


def assert_no_secret(*outputs: str) -> str:
    """None of the secrets, nor a long prefix of one, is in the outputs (colour codes
    removed, so a key cut by one would still be found); returns them joined."""
    shown = _ANSI.sub("", "".join(outputs))
    for secret in SECRETS:
        assert secret not in shown, secret
        assert secret[:12] not in shown, secret[:12]
    return shown


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def shown_text(fmt: str, out: str, err: str) -> str:
    """What a reader sees: the strings of a JSON document decoded (``…`` is not ``\\u2026``,
    a quote not ``\\"``), one a line."""
    if fmt in ("json", "sarif"):
        return "\n".join(_strings(json.loads(out))) + "\n" + err
    return out + err


# The pattern ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "token",
    [CTOR_KEY, COMMENT_KEY, HEADER_KEY, "sk-" + "a" * 20, "csk-" + "0" * 20, "sk-ant-" + "x" * 20],
)
def test_key_shaped_tokens_are_masked_anywhere(token: str) -> None:
    for text in (token, f"Bearer {token}", f"'{token}'", f"x={token}.", f"#{token}\n"):
        masked = redact(text, ())
        assert token not in masked and token[:8] not in masked
        assert mask(token) in masked


_ALNUM = string.ascii_letters + string.digits
_TOKEN = _ALNUM + "_-"
_HEX = "0123456789abcdef"
# Each provider's keys as it issues them, written here independently of ``KEY_SHAPES``: a
# literal part, or (alphabet, length) for random characters.
REAL_KEYS: dict[str, tuple[str | tuple[str, int], ...]] = {
    "OpenAI": ("sk-proj-", (_TOKEN, 74), "T3BlbkFJ", (_TOKEN, 74)),
    "Anthropic": ("sk-ant-api03-", (_TOKEN, 93), "AA"),
    "OpenRouter": ("sk-or-v1-", (_HEX, 64)),
    "DeepSeek": ("sk-", (_HEX, 32)),
    "Cerebras": ("csk-", (string.ascii_lowercase + string.digits, 48)),
    "Groq": ("gsk_", (_ALNUM, 52)),
    "xAI": ("xai-", (_ALNUM, 80)),
    "Hugging Face": ("hf_", (string.ascii_letters, 34)),
    "Google (Gemini)": ("AIzaSy", (_TOKEN, 33)),
    "Perplexity": ("pplx-", (_ALNUM, 48)),
    "Replicate": ("r8_", (_ALNUM, 37)),
    "Fireworks": ("fw_", (_ALNUM, 24)),
    "Together": ("tgp_v1_", (_TOKEN, 43)),
    "NVIDIA": ("nvapi-", (_TOKEN, 64)),
    "LangSmith": ("lsv2_pt_", (_HEX, 32), "_", (_HEX, 10)),
    "GitHub Models (classic token)": ("ghp_", (_ALNUM, 36)),
    "GitHub Models (fine-grained token)": ("github_pat_", (_ALNUM, 22), "_", (_ALNUM, 59)),
}


def fake_key(provider: str, seed: str = "") -> str:
    """A fake key of ``provider``'s real shape, the same for the same seed."""
    rng = random.Random(f"{provider}/{seed}")
    return "".join(
        part if isinstance(part, str) else "".join(rng.choices(part[0], k=part[1]))
        for part in REAL_KEYS[provider]
    )


def test_every_shape_has_a_real_key_to_test() -> None:
    assert set(REAL_KEYS) == {shape.provider for shape in KEY_SHAPES}


def test_the_table_is_consistent() -> None:
    """Prefixes start with a letter and hold key characters only; every body character is a
    key character (TOKEN bounds a key); the pattern keeps one alternative per distinct shape,
    and the shapes it leaves out are covered (the Anthropic, OpenRouter and DeepSeek keys are
    ``sk-`` keys)."""
    printable = [chr(c) for c in range(32, 127)]
    for shape in KEY_SHAPES:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", shape.prefix), shape
        assert {c for c in printable if re.fullmatch(shape.body, c)} <= set(_TOKEN), shape
    assert TOKEN == "[A-Za-z0-9_-]"
    left_out = {shape.provider for shape in KEY_SHAPES} - {s.provider for s in DISTINCT_SHAPES}
    assert left_out == {"Anthropic", "OpenRouter", "DeepSeek"}
    prefixes = [shape.prefix for shape in DISTINCT_SHAPES]
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a)]


_ALPHABETS = {TOKEN: "A-Z a-z 0-9 _ -", WORD: "A-Z a-z 0-9 _", ALNUM: "A-Z a-z 0-9", HEX: "0-9 a-f"}


def test_the_readme_lists_the_shapes() -> None:
    """The README's table of key shapes is ``KEY_SHAPES``, row for row: one row a pattern
    alternative, naming the providers whose keys it covers."""
    rows = []
    for shape in DISTINCT_SHAPES:
        covered = [
            s for s in KEY_SHAPES if s not in DISTINCT_SHAPES and s.prefix.startswith(shape.prefix)
        ]
        names = [shape.provider] + [
            s.provider if s.prefix == shape.prefix else f"{s.provider} (`{s.prefix}`)"
            for s in covered
        ]
        length = f"{'exactly ' if shape.fixed else ''}{shape.min_body}"
        rows.append(
            f"| {', '.join(names)} | `{shape.prefix}` | {length} of `{_ALPHABETS[shape.body]}` |"
        )
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Keys are never printed.**", 1)[1].split("- a string literal", 1)[0]
    table = [line.strip() for line in section.splitlines() if line.strip().startswith("| ")]
    assert table[1:] == rows


@pytest.mark.parametrize("provider", list(REAL_KEYS))
def test_every_providers_key_is_masked_wherever_it_stands(provider: str) -> None:
    key = fake_key(provider)
    assert is_key_shaped(key)
    contexts = [
        key,
        f"{key} and more",
        f"Authorization: Bearer {key}\n",
        f"api_token = '{key}'",
        f'{{"token": "{key}"}}',
        f'"source": ["headers = {{\\"Authorization\\": \\"Bearer {key}\\"}}\\n"]',  # JSON
        f"x={key}.",
        f"#{key}\r\n",
        f"-{key}\n",  # a removed line of a diff
        f"https://example.invalid/v1?key={key}&alt=json",
        f"(…{key})",
        f"{key},{fake_key(provider, 'second')}",
    ]
    for text in contexts:
        masked = redact(text)
        assert key not in masked and key[:8] not in masked and key[-8:] not in masked, text
        assert mask(key) in masked, text
    assert redact(f"{key} {key}") == f"{mask(key)} {mask(key)}"


@pytest.mark.parametrize("shape", DISTINCT_SHAPES, ids=lambda s: s.prefix)
def test_minimum_lengths(shape) -> None:
    """At its minimum a body is a key; one character less is not (nor, for a fixed length,
    one more)."""
    assert is_key_shaped(shape.prefix + "a" * shape.min_body)
    assert redact(f"= {shape.prefix}{'a' * shape.min_body}") == f"= {shape.prefix[:3]}…****"
    for length in [shape.min_body - 1] + ([shape.min_body + 1] if shape.fixed else []):
        text = shape.prefix + "a" * length
        assert not is_key_shaped(text)
        assert redact(f"= {text}") == f"= {text}"


@pytest.mark.parametrize(
    "text",
    [
        "sk-1",
        "sk-" + "a" * 19,  # too short to be a key
        "task-list-of-everything-to-do-today",
        "disk-cache-configuration-setting",
        "mask-" + "b" * 30,
        "xsk-" + "c" * 30,
        "sk_" + "d" * 30,
        "sk-ant-",
        "csk-test",
        # Names and words that start like other providers' keys.
        "hf_hub_download",
        "hf_token",
        "hf_hub_download_with_retries_and_a_local_cache_directory",
        "hf_" + "model_name_or_path_" * 3,
        "my_hf_" + "a" * 34,  # a key does not start inside a name
        "gsk_test",
        "gsk_your_groq_api_key_goes_here",
        "gsk_YourGroqApiKeyGoesHere",
        "xai-grok",
        "xai-grok-3-mini-fast-beta",
        "xai-grok-4-fast-reasoning-latest-2025-09-01",
        "AIzaSomething",
        "AIzaSyThisIsNotAKeyButAnIdentifierLongerThanOne",  # longer than Google's 35
        "AIza" + "b" * 34,
        "pplx-70b-online",
        "pplx-llama-3-sonar-large-32k-online",
        "r8_config",
        "r8_" + "e" * 29,
        "fw_accounts_fireworks_models_llama_v3_70b",
        "fw_" + "f" * 19,
        "tgp_v1_example",
        "nvapi-key-goes-here",
        "lsv2_pt_short",
        "ghp_xxxxxxxx",
        "github_pat_placeholder",
        "github_pat_" + "g" * 59,
    ],
)
def test_words_names_and_short_tokens_are_not_keys(text: str) -> None:
    assert not is_key_shaped(text)
    for shown in (text, f"x = {text}\n", f'"{text}"', f"-{text}"):
        assert redact(shown, ()) == shown


def test_api_key_literals_are_secrets_whatever_their_shape() -> None:
    source = (
        'c = OpenAI(api_key="EMPTY")\n'
        "c.with_options(api_key='hunter2')\n"
        'openai.api_key = """triple-quoted-secret"""\n'
        'config = {"api_key": "dict-held-secret"}\n'
        'c = OpenAI(api_key=f"{prefix}-x")\n'  # not a literal: left alone
        'c = OpenAI(api_key="")\n'
    )
    assert find_secrets(source) == ["EMPTY", "hunter2", "triple-quoted-secret", "dict-held-secret"]
    masked = redact(source, find_secrets(source))
    for literal in ("EMPTY", "hunter2", "triple-quoted-secret", "dict-held-secret"):
        assert literal not in masked
    assert 'api_key="****"' in masked and "api_key='****'" in masked
    assert 'api_key=f"{prefix}-x"' in masked
    # In a notebook's JSON the quotes are escaped.
    assert redact('"c = OpenAI(api_key=\\"hunter2\\")"', ()) == '"c = OpenAI(api_key=\\"****\\")"'


def test_a_known_secret_is_masked_wherever_it_is() -> None:
    assert redact(f"error: {ATTR_LITERAL} in it", [ATTR_LITERAL]) == "error: tea…**** in it"
    assert redact("EMPTY is a word", ["EMPTY"]) == "EMPTY is a word"  # too short to hunt


# Every format and mode --------------------------------------------------------------------
MODES = {"write": (), "diff": ("--diff",), "check": ("--check",)}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize(
    ("fmt", "color"),
    [("text", False), ("text", True), ("json", False), ("github", False), ("sarif", False)],
)
@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_no_key_in_any_output(project: Path, fmt: str, color: bool, mode: str, target: str) -> None:
    env = {"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"}
    args = ("--output-format", fmt, "--target", target, *MODES[mode], "-j", "1")
    code, out, err = invoke(*args, cwd=project, env=env)
    assert code == 2  # broken.py
    if color:
        assert "\x1b[" in out + err
    shown = assert_no_secret(out, err)
    if fmt in ("json", "sarif"):
        shown = shown_text(fmt, out, err)
    # The output is there, with the keys masked.
    assert f"hard-coded API key ({mask(CTOR_KEY)})" in shown
    assert f"hard-coded API key ({mask(MODULE_KEY)})" in shown
    assert "CM901" in shown
    if mode == "diff" and fmt in ("text", "json"):
        assert f"# old key, revoked: {mask(COMMENT_KEY)}" in shown
        assert f'"Bearer {mask(HEADER_KEY)}"' in shown
        assert f'client.api_key = "{mask(ATTR_LITERAL)}"' in shown
        assert f'api_key="{mask(CALL_LITERAL)}"' in shown
        assert f'-client = OpenAI(api_key="{mask(NOTEBOOK_KEY)}")' in shown  # a cell's diff
    if mode == "check" and fmt == "text":
        assert "Would rewrite app.py" in out
    # Masking is for the output only: a written file keeps every byte the rewrite did not
    # change, and what it did change holds no key.
    written = mode == "write"
    app = (project / "app.py").read_text()
    assert (CTOR_KEY in app) is not written
    for kept in (COMMENT_KEY, HEADER_KEY, ATTR_LITERAL, CALL_LITERAL):
        assert kept in app
    assert (MODULE_KEY in (project / "legacy.py").read_text()) is not written
    assert (NOTEBOOK_KEY in (project / "nb.ipynb").read_text()) is not written
    assert COMMENT_KEY in (project / "nb.ipynb").read_text()
    assert (project / "broken.py").read_text() == BROKEN


def test_text_diff_through_a_real_pipe(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "migrator", "--diff", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert_no_secret(proc.stdout, proc.stderr)
    assert f'-    api_key="{mask(CTOR_KEY)}",\n' in proc.stdout
    assert f" # old key, revoked: {mask(COMMENT_KEY)}\n" in proc.stdout
    assert f"hard-coded API key ({mask(CTOR_KEY)})" in proc.stderr


@pytest.mark.parametrize("mode", ["diff", "check"])
def test_sarif_fix_is_withheld_when_the_new_file_holds_a_key(project: Path, mode: str) -> None:
    """A masked fix would write the mask into the file: no fix then, and the result says
    why. A file whose new text holds no key still gets its fix, and it applies."""
    _, out, _ = invoke("--output-format", "sarif", f"--{mode}", cwd=project)
    doc = json.loads(out)
    assert_valid_sarif(doc)
    rewrites = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r
        for r in doc["runs"][0]["results"]
        if r["ruleId"] == "rewrite"
    }
    assert set(rewrites) == {"app.py", "legacy.py", "nb.ipynb"}
    for path in ("app.py", "nb.ipynb"):  # comments and headers keep their keys
        assert "fixes" not in rewrites[path]
        assert (
            "There is no fix: the new file holds a hard-coded API key"
            in (rewrites[path]["message"]["text"])
        )
    [fix] = rewrites["legacy.py"]["fixes"]
    fixed = apply_sarif_fix(LEGACY, fix)
    assert MODULE_KEY not in fixed and 'os.environ["CEREBRAS_API_KEY"]' in fixed


# Standard input ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
@pytest.mark.parametrize("mode", ["--diff", "--check"])
def test_stdin_reports_mask_keys(tmp_path: Path, fmt: str, mode: str) -> None:
    code, out, err = invoke("--output-format", fmt, mode, "-", cwd=tmp_path, stdin=APP.encode())
    assert code == 1
    shown = shown_text(fmt, *[assert_no_secret(s) for s in (out, err)])
    assert f"hard-coded API key ({mask(CTOR_KEY)})" in shown
    if mode == "--diff" and fmt in ("text", "json"):
        assert f"# old key, revoked: {mask(COMMENT_KEY)}" in shown


def test_stdin_filter_writes_the_code_as_it_is(tmp_path: Path) -> None:
    """As a filter, stdout is the file: it keeps its bytes as a written file does. The
    report on stderr is masked."""
    code, out, err = invoke("-", cwd=tmp_path, stdin=APP.encode())
    assert code == 1
    assert_no_secret(err)
    assert f"hard-coded API key ({mask(CTOR_KEY)})" in err
    assert CTOR_KEY not in out  # the rewrite replaced it
    assert f"# old key, revoked: {COMMENT_KEY}\n" in out
    assert f'client.api_key = "{ATTR_LITERAL}"\n' in out


# Error messages ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_syntax_error_file_with_a_key(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "broken.py").write_text(BROKEN)
    code, out, err = invoke("--diff", "--output-format", fmt, "broken.py", cwd=tmp_path)
    assert code == 2
    shown = shown_text(fmt, *[assert_no_secret(s) for s in (out, err)])
    assert "CM901" in shown and "syntax error" in shown


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_key_given_as_a_path_is_masked_in_the_error(tmp_path: Path, fmt: str) -> None:
    """A key pasted where a path goes: that path is an error, shown without the key."""
    code, out, err = invoke("--output-format", fmt, CTOR_KEY, cwd=tmp_path)
    assert code == 2
    shown = shown_text(fmt, *[assert_no_secret(s) for s in (out, err)])
    # SARIF gives the path as a URI: the mask percent-encoded.
    assert mask(CTOR_KEY) in shown or quote(mask(CTOR_KEY), safe="/") in shown


@pytest.mark.parametrize(
    "args",
    [
        ("--model-map", CTOR_KEY),
        ("--target", CTOR_KEY),
        ("--explain", CTOR_KEY),
        ("--openai-version", CTOR_KEY),
    ],
)
def test_usage_errors_mask_a_key(tmp_path: Path, args: tuple[str, ...]) -> None:
    code, out, err = invoke(*args, ".", cwd=tmp_path)
    assert code == 2
    assert_no_secret(out, err)
    assert mask(CTOR_KEY) in err


def test_notebook_cell_that_does_not_parse(tmp_path: Path) -> None:
    nb = json.loads(json.dumps(NOTEBOOK))
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [f'print "{BROKEN_KEY}"'],
        }
    )
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    for fmt in ("text", "json", "github", "sarif"):
        code, out, err = invoke("--diff", "--output-format", fmt, ".", cwd=tmp_path)
        assert code == 2
        shown = shown_text(fmt, *[assert_no_secret(s) for s in (out, err)])
        assert "CM901" in shown
