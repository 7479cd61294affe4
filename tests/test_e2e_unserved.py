"""A client kept on OpenAI for an endpoint Cerebras does not serve, proven on the wire.

``fixtures/unserved_only_client/input.py`` has a chat client and a client used only for
embeddings. It runs with the real ``openai`` and ``cerebras-cloud-sdk`` against two loopback
servers (``tests/loopback.py``): one stands for OpenAI (``OPENAI_BASE_URL``, with the OpenAI
key in ``OPENAI_API_KEY``), the other for Cerebras (the ``--base-url`` of the migration, with
the Cerebras key in ``CEREBRAS_API_KEY``). As written, both requests go to OpenAI. Migrated to
each target, the chat request must reach Cerebras with the Cerebras key, and the embeddings
request must still reach OpenAI with the OpenAI key: nothing but chat reaches Cerebras, no
OpenAI key is sent to Cerebras and no Cerebras key to OpenAI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from loopback import LoopbackServer, Request
from test_e2e_programs import MIGRATE, TIMEOUT, _env

PROGRAM = Path(__file__).resolve().parent.parent / "fixtures" / "unserved_only_client" / "input.py"
OPENAI_KEY = "sk-openai-e2e"
CEREBRAS_KEY = "csk-test"
EXPECTED = "echo: hello\n[0.0, 0.5, 1.0]\n"


def _run(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _api(requests: list[Request]) -> list[tuple[str, str, str | None]]:
    return [
        (r.method, r.path, r.headers.get("authorization")) for r in requests if not r.is_warming
    ]


def _carries(requests: list[Request], key: str) -> bool:
    return any(key in value for r in requests for value in r.headers.values())


def test_the_program_as_written_sends_both_to_openai(tmp_path: Path) -> None:
    copy = tmp_path / "app.py"
    shutil.copyfile(PROGRAM, copy)
    with LoopbackServer() as openai_server:
        env = _env(OPENAI_API_KEY=OPENAI_KEY, OPENAI_BASE_URL=f"{openai_server.url}/v1")
        run = _run(copy, env)
        sent = openai_server.take()
    assert run.returncode == 0, run.stderr
    assert run.stdout == EXPECTED
    assert _api(sent) == [
        ("POST", "/v1/chat/completions", f"Bearer {OPENAI_KEY}"),
        ("POST", "/v1/embeddings", f"Bearer {OPENAI_KEY}"),
    ]


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_only_chat_moves_to_cerebras(tmp_path: Path, target: str) -> None:
    copy = tmp_path / "app.py"
    shutil.copyfile(PROGRAM, copy)
    with LoopbackServer() as cerebras_server, LoopbackServer() as openai_server:
        migrated = subprocess.run(
            [*MIGRATE, "--target", target, "--base-url", f"{cerebras_server.url}/v1", copy.name],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert migrated.returncode == 1, migrated.stdout + migrated.stderr  # rewritten
        assert " CM121 `embedder` is only used for embeddings" in migrated.stderr
        env = _env(
            CEREBRAS_API_KEY=CEREBRAS_KEY,
            OPENAI_API_KEY=OPENAI_KEY,
            OPENAI_BASE_URL=f"{openai_server.url}/v1",
        )
        run = _run(copy, env)
        on_cerebras, on_openai = cerebras_server.take(), openai_server.take()
    assert run.returncode == 0, copy.read_text() + run.stderr
    assert run.stdout == EXPECTED
    assert _api(on_cerebras) == [("POST", "/v1/chat/completions", f"Bearer {CEREBRAS_KEY}")]
    assert _api(on_openai) == [("POST", "/v1/embeddings", f"Bearer {OPENAI_KEY}")]
    assert on_openai[0].body["model"] == "text-embedding-3-small"
    assert not _carries(on_cerebras, OPENAI_KEY)
    assert not _carries(on_openai, CEREBRAS_KEY)


def test_embeddings_replies_validate_strictly_with_openai() -> None:
    from openai import OpenAI

    with LoopbackServer() as server:
        client = OpenAI(
            base_url=f"{server.url}/v1",
            api_key="k",
            max_retries=0,
            _strict_response_validation=True,
        )
        reply = client.embeddings.create(model="m", input=["a b", "c"])
        plain = client.embeddings.create(model="m", input="a", encoding_format="float")
    assert [item.embedding for item in reply.data] == [[0.0, 0.5, 1.0]] * 2
    assert reply.usage.prompt_tokens == 3
    assert plain.data[0].embedding == [0.0, 0.5, 1.0]
