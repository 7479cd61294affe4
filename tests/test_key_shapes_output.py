"""Every provider's key shape is masked in everything the command line prints.

The installed ``cerebras-migrate`` runs over a tree holding, for each provider of
``codemods.secrets.KEY_SHAPES``, a key in a constructor's ``api_key=``, a comment, a header
dict, an environment default, a multi-line ``api_key`` literal (its removed lines start with
the key: the diff's ``-`` is right before it), a notebook cell, a file that does not parse and
a path argument. Only the constructor's literal is an ``api_key`` literal, so every other key
is masked for its shape alone. Each format and mode is searched for every key, whole and by
halves; the masked forms are where they belong.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from test_secrets import REAL_KEYS, fake_key, shown_text

from codemods.secrets import mask

PLACES = ("ctor", "comment", "header", "env", "multiline", "cell", "cell_comment", "broken", "path")
KEYS = {(provider, place): fake_key(provider, place) for provider in REAL_KEYS for place in PLACES}

MODULE = '''\
import os

from openai import OpenAI

# {provider} key, revoked: {comment}
client = OpenAI(
    api_key="{ctor}",
    default_headers={{"X-Upstream-Authorization": "Bearer {header}"}},
)
fallback = os.environ.get("UPSTREAM_API_KEY", "{env}")
legacy = OpenAI(api_key="""
{multiline}
""")
reply = client.chat.completions.create(model="gpt-4o-mini", messages=[])
'''
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _keys(provider: str) -> dict[str, str]:
    return {place: KEYS[provider, place] for place in PLACES}


def _module_name(provider: str) -> str:
    return re.sub(r"\W+", "_", provider.lower()).strip("_") + ".py"


def _cell(provider: str) -> dict[str, object]:
    keys = _keys(provider)
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": [
            "from openai import OpenAI\n",
            f"# {keys['cell_comment']}\n",
            f'client = OpenAI(api_key="{keys["cell"]}")',
        ],
    }


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("keys")
    for provider in REAL_KEYS:
        (root / _module_name(provider)).write_text(
            MODULE.format(provider=provider, **_keys(provider))
        )
    notebook = {
        "cells": [_cell(provider) for provider in REAL_KEYS],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "nb.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    # One syntax error, on a line that holds every provider's key.
    keys = " ".join(f'"{KEYS[p, "broken"]}"' for p in REAL_KEYS)
    (root / "broken.py").write_text(f"import openai\n\nprint {keys}\n")
    return root


def _command() -> list[str]:
    """The installed console script (tests run in the project's environment)."""
    script = Path(sys.executable).with_name("cerebras-migrate")
    return [str(script)] if script.exists() else [shutil.which("cerebras-migrate") or "false"]


def run(tree: Path, *args: str, color: bool = False) -> tuple[int, str, str]:
    """Run the real command line over a copy of ``tree`` plus every path key (each a missing
    path, reported for itself): exit code, stdout, stderr."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env.update({"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"})
    paths = [KEYS[p, "path"] for p in REAL_KEYS]
    proc = subprocess.run(
        [*_command(), *args, "-j", "1", ".", *paths],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def assert_no_key(shown: str) -> None:
    """No key, nor either half of one, is in ``shown``."""
    for (provider, place), key in KEYS.items():
        half = len(key) // 2
        for part in (key, key[:half], key[half:]):
            assert part not in shown, f"{provider} {place} key shown: {part}"


RUNS = [
    ("text", "--diff", "openai", False),
    ("text", "--diff", "openai", True),
    ("text", "--diff", "cerebras", False),
    ("text", "--check", "openai", False),
    ("json", "--diff", "openai", False),
    ("github", "--diff", "openai", False),
    ("sarif", "--diff", "openai", False),
    ("sarif", "--check", "openai", False),
]


@pytest.mark.parametrize(("fmt", "mode", "target", "color"), RUNS)
def test_no_provider_key_in_any_output(
    tree: Path, tmp_path: Path, fmt: str, mode: str, target: str, color: bool
) -> None:
    work = tmp_path / "tree"
    shutil.copytree(tree, work)
    args = ("--output-format", fmt, "--target", target, mode)
    code, out, err = run(work, *args, color=color)
    assert code == 2, err  # broken.py and the missing paths
    if color:
        assert "\x1b[" in out + err
    raw = _ANSI.sub("", out + err)  # a colour code inside a key would hide it from the search
    assert_no_key(raw)
    shown = shown_text(fmt, _ANSI.sub("", out), _ANSI.sub("", err))
    assert_no_key(shown)

    assert "CM901" in shown  # broken.py
    for provider in REAL_KEYS:
        keys = {place: mask(key) for place, key in _keys(provider).items()}
        assert f"hard-coded API key ({keys['ctor']})" in shown, provider
        # A path is shown masked; SARIF gives it as a URI (the mask percent-encoded).
        assert keys["path"] in shown or quote(keys["path"], safe="/") in shown, provider
        if mode == "--diff" and fmt in ("text", "json"):
            assert f"# {provider} key, revoked: {keys['comment']}\n" in shown
            assert f'"Bearer {keys["header"]}"' in shown
            assert f'os.environ.get("UPSTREAM_API_KEY", "{keys["env"]}")' in shown
            assert f'-    api_key="{keys["ctor"]}",\n' in shown
            assert f"\n-{keys['multiline']}\n" in shown  # the removed line of the literal
            assert f"# {keys['cell_comment']}\n" in shown  # a cell's diff
            assert f'-client = OpenAI(api_key="{keys["cell"]}")' in shown
    # Masking is for output only: the files keep the keys the rewrite did not replace.
    for provider in REAL_KEYS:
        written = (work / _module_name(provider)).read_text()
        assert written == MODULE.format(provider=provider, **_keys(provider))


def test_written_files_keep_the_keys_the_rewrite_did_not_replace(
    tree: Path, tmp_path: Path
) -> None:
    """Without --diff or --check the files are rewritten: the constructor keys and the key
    given as an environment default are removed, every other key keeps its bytes, and the
    report holds none of them."""
    work = tmp_path / "tree"
    shutil.copytree(tree, work)
    code, out, err = run(work)
    assert code == 2, err
    assert_no_key(out + err)
    notebook = (work / "nb.ipynb").read_text()
    for provider in REAL_KEYS:
        keys = _keys(provider)
        written = (work / _module_name(provider)).read_text()
        for place in ("ctor", "multiline", "env"):
            assert keys[place] not in written, (provider, place)
        for place in ("comment", "header"):
            assert keys[place] in written, (provider, place)
        assert keys["cell"] not in notebook and keys["cell_comment"] in notebook
    assert (work / "broken.py").read_text() == (tree / "broken.py").read_text()
