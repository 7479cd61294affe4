"""JavaScript programs migrated between the two SDKs, run with node and the real npm packages
(``openai``, ``@cerebras/cerebras_cloud_sdk``) before and after, against the loopback server
(``tests/loopback.py``).

``--target cerebras``: each openai-node program of ``tests/js/programs/`` runs as written
(``OPENAI_BASE_URL`` at the server), is migrated with ``--base-url http://127.0.0.1:PORT/v1``
and runs again on the Cerebras TS SDK with ``CEREBRAS_API_KEY`` set and every OpenAI setting
a decoy: the same output, the same paths (so no ``/v1/v1``, and no ``/v1/tcp_warming`` from
the constructor), the Cerebras key, and the same bodies but for the mapped model and
``extra_body``'s entries, now top-level. Without ``CEREBRAS_API_KEY`` it stops before sending
anything.

The way back: each ``cerebras_sdk_*`` program runs as written on the Cerebras SDK
(``CEREBRAS_BASE_URL`` at the server), is migrated with ``--target openai`` and runs again on
openai-node: the same output, paths and bodies (Cerebras-only params at the top level), the
Cerebras key, no OpenAI account header or key, nothing sent when ``CEREBRAS_API_KEY`` is unset.
Node and npm are required (``tests/js_packages.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import js_packages
import pytest
from helpers import run_migrator
from loopback import LoopbackServer, Request
from test_js_e2e import CEREBRAS_KEY, DEAD_PROXY, DECOYS, JS, _env, _expected_body, _node

OPENAI_PROGRAMS = sorted(
    p.name for p in (JS / "programs").iterdir() if not p.name.startswith("cerebras_sdk_")
)
CEREBRAS_PROGRAMS = sorted(
    p.name for p in (JS / "programs").iterdir() if p.name.startswith("cerebras_sdk_")
)
HARD_CODED = "sk-proj-e2eHardCodedKey"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _check_wire(old: Request, new: Request) -> None:
    assert "/v1/v1" not in new.path
    assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
    assert "openai-organization" not in new.headers
    assert "openai-project" not in new.headers
    wire = json.dumps([new.headers, new.body])
    assert not any(decoy in wire for decoy in DECOYS.values())
    assert HARD_CODED not in wire


@pytest.mark.parametrize("name", OPENAI_PROGRAMS)
def test_openai_program_runs_on_the_cerebras_sdk(
    name: str, node_modules: Path, tmp_path: Path
) -> None:
    program = js_packages.copy_program(JS / "programs" / name, tmp_path)
    with LoopbackServer() as server:
        before = _node(program, _env(**DECOYS, OPENAI_BASE_URL=f"{server.url}/v1"))
        assert before.returncode == 0, before.stderr
        original = server.take()
        assert original and all(r.path.startswith("/v1/") for r in original)

        migrate = run_migrator(
            program.parent, "--target", "cerebras", "--base-url", f"{server.url}/v1"
        )
        assert migrate.returncode == 1, migrate.stderr
        source = program.read_text()
        assert '"@cerebras/cerebras_cloud_sdk"' in source and '"openai"' not in source
        assert HARD_CODED not in source + migrate.stdout + migrate.stderr

        after = _node(
            program,
            _env(**DECOYS, CEREBRAS_API_KEY=CEREBRAS_KEY, OPENAI_BASE_URL=f"{DEAD_PROXY}/v1"),
        )
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        migrated = server.take()
        # Every request the openai program made, and nothing else (no TCP warming).
        assert [r.path for r in migrated] == [r.path for r in original]
        for old, new in zip(original, migrated, strict=True):
            _check_wire(old, new)
            assert new.body["model"] == "gpt-oss-120b"
            assert {k: v for k, v in new.body.items() if k != "model"} == _expected_body(old.body)

        unset = _node(program, _env(**DECOYS))
        assert unset.returncode != 0
        assert "CEREBRAS_API_KEY" in unset.stderr
        assert server.take() == []


@pytest.mark.parametrize("name", CEREBRAS_PROGRAMS)
def test_cerebras_sdk_program_runs_on_openai_node(
    name: str, node_modules: Path, tmp_path: Path
) -> None:
    program = js_packages.copy_program(JS / "programs" / name, tmp_path)
    with LoopbackServer() as server:
        before = _node(
            program, _env(**DECOYS, CEREBRAS_API_KEY=CEREBRAS_KEY, CEREBRAS_BASE_URL=server.url)
        )
        assert before.returncode == 0, before.stderr
        original = [r for r in server.take() if not r.is_warming]
        assert original

        migrate = run_migrator(
            program.parent, "--target", "openai", "--base-url", f"{server.url}/v1"
        )
        assert migrate.returncode == 1, migrate.stderr
        source = program.read_text()
        assert '"openai"' in source and "@cerebras/cerebras_cloud_sdk" not in source

        after = _node(
            program,
            _env(
                **DECOYS,
                CEREBRAS_API_KEY=CEREBRAS_KEY,
                CEREBRAS_BASE_URL=DEAD_PROXY,
                OPENAI_BASE_URL=f"{DEAD_PROXY}/v1",
            ),
        )
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        migrated = server.take()
        assert [r.path for r in migrated] == [r.path for r in original]
        for old, new in zip(original, migrated, strict=True):
            _check_wire(old, new)
            assert new.body == old.body  # Cerebras-only params stay top-level in JavaScript

        unset = _node(program, _env(**DECOYS))
        assert unset.returncode != 0
        assert "CEREBRAS_API_KEY is not set" in unset.stderr
        assert server.take() == []
