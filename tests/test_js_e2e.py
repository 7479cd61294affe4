"""JavaScript programs run with node and the real ``openai`` npm package, before and after
``cerebras-migrate``, against the loopback server (``tests/loopback.py``).

Each program in ``tests/js/programs/`` runs once as written, as if the server were OpenAI
(``OPENAI_BASE_URL``, ``OPENAI_API_KEY``), then is migrated by the real command line with
``--base-url http://127.0.0.1:PORT/v1`` and runs again with ``CEREBRAS_API_KEY`` set and
every OpenAI setting a decoy: it must print the same, reach the same paths under ``/v1/``
(never ``/v1/v1``) with the Cerebras key and no OpenAI account header, and send the same
bodies but for the mapped model and ``extra_body``'s entries, now at the top level. Without
``CEREBRAS_API_KEY`` the migrated program must stop before sending anything.

The packages come from ``tests/js/package-lock.json`` (``tests/js_packages.py``). Node and
npm are required: without them these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import js_packages
import pytest
from helpers import run_migrator
from loopback import LoopbackServer, Request

JS = js_packages.JS
# Programs written for the Cerebras TS SDK run the way back (``tests/test_js_cerebras_e2e.py``).
PROGRAMS = sorted(
    p.name for p in (JS / "programs").iterdir() if not p.name.startswith("cerebras_sdk_")
)
CEREBRAS_KEY = "csk-test"
DECOYS = {
    "OPENAI_API_KEY": "sk-decoy-openai-key-0000000000000000",
    "OPENAI_ORG_ID": "org-decoy",
    "OPENAI_PROJECT_ID": "proj_decoy",
}
DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens: a request that leaves 127.0.0.1 fails


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("OPENAI_", "CEREBRAS_")) and not k.lower().endswith("_proxy")
    }
    return {**env, "HTTP_PROXY": DEAD_PROXY, "HTTPS_PROXY": DEAD_PROXY, **extra}


def _node(program: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", program.name],
        cwd=program.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _expected_body(body: dict[str, Any]) -> dict[str, Any]:
    """What the migrated program must send for ``body``: extra_body's entries at the top
    level (the model is compared apart)."""
    flat = {k: v for k, v in body.items() if k not in ("extra_body", "model")}
    flat.update(body.get("extra_body", {}))
    return flat


def _api(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.path.startswith("/v1/")]


def run_migrated_file_by_file(
    tmp_path: Path,
    project: str,
    program: str,
    names: list[str],
    target: str,
    exit_codes: tuple[int, ...] = (0, 1),
) -> tuple[list[Request], list[Request]]:
    """Run ``tests/js/projects/<project>``'s ``program`` on the loopback server as if it
    were OpenAI, migrate it for ``target`` as a hook would (one of ``names`` at a time, in
    that order, each run seeing the whole project), and run it again on Cerebras with every
    OpenAI setting a decoy. Each migration must exit with one of ``exit_codes``; the program
    must print the same and reach the same paths (no ``/v1/v1``). The API requests of each
    run are returned, the first run's first."""
    root = tmp_path / project
    shutil.copytree(JS / "projects" / project, root)
    (root / "node_modules").symlink_to(js_packages.node_modules(), target_is_directory=True)
    with LoopbackServer() as server:
        before = _node(root / program, _env(**DECOYS, OPENAI_BASE_URL=f"{server.url}/v1"))
        assert before.returncode == 0, before.stderr
        original = _api(server.take())
        for name in names:
            migrate = run_migrator(root, "--target", target, "--base-url", f"{server.url}/v1", name)
            assert migrate.returncode in exit_codes, migrate.stdout + migrate.stderr
        after = _node(
            root / program,
            _env(**DECOYS, CEREBRAS_API_KEY=CEREBRAS_KEY, OPENAI_BASE_URL=f"{DEAD_PROXY}/v1"),
        )
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        wire = server.take()
        assert [r.path for r in wire] == [r.path for r in original]  # no /v1/v1, no warming
    return original, _api(wire)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_runs_on_cerebras_after_migration(
    name: str, node_modules: Path, tmp_path: Path
) -> None:
    program = js_packages.copy_program(JS / "programs" / name, tmp_path)
    with LoopbackServer() as server:
        before = _node(program, _env(**DECOYS, OPENAI_BASE_URL=f"{server.url}/v1"))
        assert before.returncode == 0, before.stderr
        original = _api(server.take())
        assert original

        migrate = run_migrator(tmp_path, "--base-url", f"{server.url}/v1", name)
        assert migrate.returncode == 1, migrate.stderr
        source = program.read_text()
        for secret in ("sk-proj-e2eHardCodedKey0123456789abcdef",):
            assert secret not in source
            assert secret not in migrate.stdout + migrate.stderr

        after = _node(
            program,
            _env(**DECOYS, CEREBRAS_API_KEY=CEREBRAS_KEY, OPENAI_BASE_URL=f"{DEAD_PROXY}/v1"),
        )
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        migrated = server.take()
        assert [r.path for r in migrated] == [r.path for r in original]
        for old, new in zip(original, migrated, strict=True):
            assert "/v1/v1" not in new.path
            assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
            assert "openai-organization" not in new.headers
            assert "openai-project" not in new.headers
            wire = json.dumps([new.headers, new.body])
            assert not any(decoy in wire for decoy in DECOYS.values())
            assert "sk-proj-e2eHardCodedKey" not in wire
            assert new.body["model"] == "gpt-oss-120b"
            assert {k: v for k, v in new.body.items() if k != "model"} == _expected_body(old.body)

        unset = _node(program, _env(**DECOYS))
        assert unset.returncode != 0
        assert "CEREBRAS_API_KEY is not set" in unset.stderr
        assert server.take() == []
