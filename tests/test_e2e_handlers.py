"""An exception handler keeps catching what every client it guards raises, once migrated.

``fixtures/handlers/rate_limited.py`` has a self-hosted client the migration leaves on the
openai SDK (its URL comes from the environment) and the main client it moves, behind one
``except RateLimitError`` handler. The loopback server answers every request with 429. The
program runs as written (as if the server were OpenAI), then migrated to each target with
only the Cerebras key set: each client's rate-limit error must still be caught, on the real
``openai`` and ``cerebras-cloud-sdk`` packages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from loopback import LoopbackServer
from test_e2e_programs import MIGRATE, TIMEOUT, _env

PROGRAM = Path(__file__).resolve().parent.parent / "fixtures" / "handlers" / "rate_limited.py"
EXPECTED = "local: rate limited\nmain: rate limited\n"


def _run(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_the_program_as_written_catches_both() -> None:
    with LoopbackServer(rate_limited=True) as server:
        env = _env(
            OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=f"{server.url}/v1",
            LOCAL_LLM_URL=f"{server.url}/v1",
        )
        run = _run(PROGRAM, env)
    assert run.returncode == 0, run.stderr
    assert run.stdout == EXPECTED


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_the_migrated_handler_catches_both(tmp_path: Path, target: str) -> None:
    copy = tmp_path / PROGRAM.name
    shutil.copyfile(PROGRAM, copy)
    with LoopbackServer(rate_limited=True) as server:
        base_url = f"{server.url}/v1"
        migrated = subprocess.run(
            [*MIGRATE, "--target", target, "--base-url", base_url, copy.name],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert migrated.returncode == 1, migrated.stdout + migrated.stderr  # rewritten
        env = _env(CEREBRAS_API_KEY="csk-test", LOCAL_LLM_URL=base_url)
        run = _run(copy, env)
        requests = server.take()
    assert run.returncode == 0, copy.read_text() + run.stderr
    assert run.stdout == EXPECTED
    api = [r for r in requests if not r.is_warming]
    assert [r.headers.get("authorization") for r in api] == ["Bearer local", "Bearer csk-test"]
