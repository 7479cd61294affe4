"""openai 0.x programs, migrated by the real command line and run on the wire with openai 0.28.1.

A venv with ``openai==0.28.1`` (and what it needs: requests, aiohttp) is made once from the
package index and kept in ``.cache/``, as the 1.30 one of ``tests/test_e2e_programs.py`` is;
without the index these tests skip, saying why. Two loopback servers (``tests/loopback.py``)
stand in for the two providers: ``cerebras``, the URL the programs are migrated to
(``--base-url``), and ``openai``, where ``OPENAI_API_BASE`` points.

- Each original program runs against ``openai`` as if it were OpenAI: the server speaks what
  0.28.1 expects, and the program prints what it prints.
- Each migrated copy (``--openai-version 0.28.1``) runs with ``CEREBRAS_API_KEY`` set and
  every OpenAI setting 0.28.1 reads at import set as well, hostile: ``OPENAI_API_KEY``,
  ``OPENAI_ORGANIZATION``, ``OPENAI_ORG_ID``, ``OPENAI_API_BASE`` (the ``openai`` server),
  ``OPENAI_API_KEY_PATH`` (a key file), ``OPENAI_API_TYPE=azure``. Every request must reach
  ``cerebras`` under ``/v1/`` with ``Authorization: Bearer <Cerebras key>``, no organization
  header, the Cerebras-only keyword at the top of the JSON body and the model mapped; the
  ``openai`` server must receive nothing, and the output must be the original's.
- With ``CEREBRAS_API_KEY`` unset (the OpenAI settings still there), a migrated program stops
  before sending anything to either server.
- Migrated with no pin and no flag, each program comes out the same: its 0.x calls say
  which API it is written for.
- The facts the migration relies on (``sdk.PRE_V1_*``: what 0.x reads from the environment
  at import, the names only 0.x has) are asked of openai 0.28.1 itself and of the installed
  openai.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, Request
from test_e2e_programs import MIGRATE, TIMEOUT, OldOpenAIUnavailable, _env, _old_openai_python

from codemods.facts import openai_params, sdk

V0 = openai_params.LAST_PRE_V1  # 0.28.1
REQUIREMENTS = (f"openai=={V0}",)
# The venv these tests run in: conftest.py starts making it when the session starts.
pytestmark = pytest.mark.venv(*REQUIREMENTS)
CEREBRAS_KEY = "csk-pre-v1-test"
OPENAI_KEY = "sk-original-openai"
FILE_KEY = "sk-from-the-key-file"
HARD_CODED = "sk-proj-FAKEFAKEFAKE0123456789abcdef"
ORGANIZATION = "org-openai-account"
MIGRATED_MODEL = "gpt-oss-120b"


PROGRAMS: dict[str, str] = {
    # The module client set from the environment, ChatCompletion with a Cerebras-only keyword.
    "chat_keyword": """\
import os

import openai

openai.api_key = os.environ.get("OPENAI_API_KEY")

reply = openai.ChatCompletion.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "hi there"}],
    clear_thinking=False,
)
print(reply["choices"][0]["message"]["content"])
""",
    # A hard-coded key and openai.Completion.
    "completion_literal_key": f"""\
import openai

openai.api_key = "{HARD_CODED}"
openai.organization = "{ORGANIZATION}"

reply = openai.Completion.create(model="gpt-3.5-turbo-instruct", prompt="say hi", max_tokens=5)
print(reply.choices[0].text)
""",
    # No configuration at all (0.28.1 reads it all from the environment), a stream, a request
    # with keys of its own, and the asyncio client (aiohttp).
    "unconfigured_stream_async": """\
import asyncio
import os

import openai

chunks = openai.ChatCompletion.create(
    model="gpt-4o",
    messages=[{"role": "user", "content": "stream this"}],
    stream=True,
)
print("".join(c["choices"][0]["delta"].get("content", "") for c in chunks))

own = openai.ChatCompletion.create(
    model="gpt-4o",
    messages=[{"role": "user", "content": "own key"}],
    api_key=os.environ["OPENAI_API_KEY"],
    organization=os.environ.get("OPENAI_ORGANIZATION"),
    reasoning_format="parsed",
)
print(own.choices[0].message.content)


async def main() -> None:
    reply = await openai.ChatCompletion.acreate(
        model="gpt-4o", messages=[{"role": "user", "content": "async"}]
    )
    print(reply.choices[0].message.content)


asyncio.run(main())
""",
}
# What each program's requests must carry at the top of the body once migrated, beside the
# model (0.x sends every keyword as it is: no extra_body).
CEREBRAS_ONLY = {
    "chat_keyword": [{"clear_thinking": False}],
    "completion_literal_key": [{}],
    "unconfigured_stream_async": [{}, {"reasoning_format": "parsed"}, {}],
}


@pytest.fixture(scope="module")
def python0() -> str:
    try:
        return str(_old_openai_python(REQUIREMENTS))
    except OldOpenAIUnavailable as exc:
        pytest.skip(f"no venv with openai {V0}: {exc}")


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    """The Cerebras stand-in (``--base-url``) and the OpenAI one (``OPENAI_API_BASE``)."""
    with LoopbackServer() as cerebras, LoopbackServer() as openai_stand_in:
        yield cerebras, openai_stand_in


@dataclass(frozen=True)
class Copies:
    originals: Path
    migrated: Path  # with --openai-version 0.28.1
    detected: Path  # with no pin and no flag: the code says which API it is
    runs: dict[str, tuple[subprocess.CompletedProcess[str], list[Request]]]  # the originals'


@pytest.fixture(scope="module")
def copies(
    python0: str, servers: tuple[LoopbackServer, LoopbackServer], tmp_path_factory: Any
) -> Copies:
    """Every program written three times, two of them migrated (one ``cerebras-migrate`` run
    each), and each original run once against the OpenAI stand-in."""
    cerebras, openai_server = servers
    root: Path = tmp_path_factory.mktemp("pre_v1")
    folders = [root / "originals", root / "migrated", root / "detected"]
    for folder in folders:
        folder.mkdir()
        for name, text in PROGRAMS.items():
            (folder / f"{name}.py").write_text(text, encoding="utf-8")
    for folder, extra in ((folders[1], ("--openai-version", V0)), (folders[2], ())):
        proc = _migrate(folder, cerebras, *extra)
        assert proc.returncode == 1, proc.stdout + proc.stderr  # 1: files changed
    runs = {}
    env = _env(OPENAI_API_KEY=OPENAI_KEY, OPENAI_API_BASE=f"{openai_server.url}/v1")
    for name in PROGRAMS:
        openai_server.take()
        proc = _run(python0, folders[0] / f"{name}.py", env)
        runs[name] = (proc, openai_server.take())
    return Copies(*folders, runs)


def _run(python: str, path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _hostile(openai_server: LoopbackServer, folder: Path, azure: bool = True) -> dict[str, str]:
    """Every OpenAI setting openai 0.28.1 reads at import, pointing at the stand-in
    (``azure``: ``OPENAI_API_TYPE=azure`` too, which makes a request fail before it is sent
    unless the program sets ``openai.api_type`` itself)."""
    key_file = folder / "openai-key.txt"
    key_file.write_text(FILE_KEY)
    env = {
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_ORGANIZATION": ORGANIZATION,
        "OPENAI_ORG_ID": ORGANIZATION,
        "OPENAI_API_BASE": f"{openai_server.url}/v1",
        "OPENAI_API_KEY_PATH": str(key_file),
    }
    if azure:
        env.update(OPENAI_API_TYPE="azure", OPENAI_API_VERSION="2023-05-15")
    return env


def _migrate(folder: Path, server: LoopbackServer, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MIGRATE, "--target", "openai", "--base-url", f"{server.url}/v1", *extra, "."],
        cwd=folder,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _describe(proc: subprocess.CompletedProcess[str], requests: list[Request]) -> str:
    lines = [f"exit {proc.returncode}", *(f"  {r.method} {r.path} {r.body!r}" for r in requests)]
    return "\n".join([*lines, proc.stdout, proc.stderr[-3000:]])


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_original_runs_on_the_stand_in(name: str, copies: Copies) -> None:
    """The loopback server speaks what openai 0.28.1 expects: the program as written works
    against it, sending its own key."""
    proc, sent = copies.runs[name]
    assert proc.returncode == 0, _describe(proc, sent)
    assert len(sent) == len(CEREBRAS_ONLY[name]), _describe(proc, sent)
    expected_key = HARD_CODED if name == "completion_literal_key" else OPENAI_KEY
    assert {r.headers["authorization"] for r in sent} == {f"Bearer {expected_key}"}
    assert proc.stdout.count("echo: ") == len(sent)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_migrated_it_talks_to_cerebras_only(
    name: str,
    python0: str,
    copies: Copies,
    servers: tuple[LoopbackServer, LoopbackServer],
    tmp_path: Path,
) -> None:
    cerebras, openai_server = servers
    path = copies.migrated / f"{name}.py"
    source = path.read_text("utf-8")
    assert "base_url" not in source, source
    assert "api_base" in source, source
    cerebras.take()  # what earlier tests left
    openai_server.take()
    env = _env(CEREBRAS_API_KEY=CEREBRAS_KEY, **_hostile(openai_server, tmp_path))
    proc = _run(python0, path, env)
    sent, stolen = cerebras.take(), openai_server.take()
    assert proc.returncode == 0, _describe(proc, sent) + "\n" + source
    assert stolen == [], f"the OpenAI stand-in received {len(stolen)} request(s)"
    assert proc.stdout == copies.runs[name][0].stdout
    assert len(sent) == len(CEREBRAS_ONLY[name]), _describe(proc, sent)
    for request, extra in zip(sent, CEREBRAS_ONLY[name], strict=True):
        assert request.path.startswith("/v1/") and not request.path.startswith("/v1/v1")
        assert request.path.split("?")[0] in ("/v1/chat/completions", "/v1/completions")
        assert request.headers["authorization"] == f"Bearer {CEREBRAS_KEY}"
        assert "openai-organization" not in request.headers
        assert "api-key" not in request.headers
        assert OPENAI_KEY not in str(request.headers) and FILE_KEY not in str(request.headers)
        body: dict[str, Any] = request.body
        assert body["model"] == MIGRATED_MODEL
        assert "extra_body" not in body
        assert {k: body[k] for k in extra} == extra  # at the top of the body


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_without_the_cerebras_key_nothing_is_sent(
    name: str,
    python0: str,
    copies: Copies,
    servers: tuple[LoopbackServer, LoopbackServer],
    tmp_path: Path,
) -> None:
    cerebras, openai_server = servers
    cerebras.take()  # what earlier tests left
    openai_server.take()
    # No CEREBRAS_API_KEY; nor OPENAI_API_TYPE=azure, which would stop the requests anyway.
    env = _env(**_hostile(openai_server, tmp_path, azure=False))
    proc = _run(python0, copies.migrated / f"{name}.py", env)
    sent = cerebras.take() + openai_server.take()
    assert proc.returncode != 0, _describe(proc, sent)
    assert sent == [], _describe(proc, sent)
    # It stops for want of the key (``.get``: 0.x has none; ``[...]``: a KeyError).
    assert "No API key provided" in proc.stderr or "CEREBRAS_API_KEY" in proc.stderr


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_detected_from_the_code_the_same_as_pinned(name: str, copies: Copies) -> None:
    """With no pin and no flag, the 0.x calls say which API the code is written for."""
    detected = (copies.detected / f"{name}.py").read_text("utf-8")
    assert detected == (copies.migrated / f"{name}.py").read_text("utf-8")
    assert detected != PROGRAMS[name]


def test_the_facts_about_0x_hold_in_openai_0_28_1(python0: str, tmp_path: Path) -> None:
    """What the migration relies on, asked of openai 0.28.1 itself: the settings it reads
    from the environment at import, the names only 0.x has, and no ``base_url``."""
    probe = tmp_path / "probe.py"
    env_names = dict(sdk.PRE_V1_ENV)
    probe.write_text(
        "import json, openai\n"
        f"env = {env_names!r}\n"
        "print(json.dumps({\n"
        "    'read': {attr: getattr(openai, attr) for attr in env},\n"
        "    'names': sorted(n for n in dir(openai) if not n.startswith('_')),\n"
        "    'version': openai.version.VERSION,\n"
        "}))\n"
    )
    values = {name: f"value-of-{name}" for name in env_names.values()}
    proc = _run(python0, probe, _env(**values))
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found["version"] == V0
    assert found["read"] == {attr: values[name] for attr, name in env_names.items()}
    names = set(found["names"])
    assert "base_url" not in names
    assert names >= sdk.PRE_V1_RESOURCES
    assert sdk.PRE_V1_MODULES - {"embeddings_utils"} <= names  # imported only on demand
    assert names >= sdk.PRE_V1_SETTINGS
    assert set(sdk.PRE_V1_CLEARED) <= names


def test_the_names_only_0x_has_are_gone_from_1x() -> None:
    """The installed openai (1.0 or later) has none of the settings and submodules that mark
    a module as written for 0.x, and only the removed-API stand-ins of its resources."""
    import openai

    assert not [name for name in sdk.PRE_V1_SETTINGS | sdk.PRE_V1_MODULES if hasattr(openai, name)]
    from openai.lib._old_api import SYMBOLS

    assert set(SYMBOLS) == sdk.PRE_V1_RESOURCES
