"""Endpoints Cerebras does not serve, in JavaScript and TypeScript.

``codemods/facts/js.py``'s lists of openai-node's resources are held to the installed
package (``client.d.ts``, ``resources/beta/beta.d.ts``): every resource of the client is
either served or listed as unserved. Then a program with a chat client and a client used
only for embeddings runs with node and the real ``openai`` package against two loopback
servers, one standing for OpenAI and one for Cerebras, before and after the real command
line migrates it: the chat request goes to Cerebras with the Cerebras key and the mapped
model, the embeddings request still to OpenAI with the OpenAI key (CM121), each with the
body it had; no key reaches the other's server; and without ``CEREBRAS_API_KEY`` nothing is
sent. On ``--target cerebras`` the module is left as it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import js_packages
import pytest
from helpers import run_migrator
from loopback import LoopbackServer
from test_js_e2e import _env, _node

from codemods.facts import js

JS = js_packages.JS
PROGRAM = JS / "programs_unserved" / "chat_and_embeddings.mjs"
OPENAI_KEY = "sk-proj-openaiKeyKeptForEmbeddings0123"
CEREBRAS_KEY = "csk-test"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _resources(declarations: str) -> set[str]:
    """The resource properties a class declares: ``embeddings: API.Embeddings;``."""
    return set(re.findall(r"^\s+(\w+): \w+\.\w+;$", declarations, re.MULTILINE))


def test_resource_lists_match_the_installed_package(node_modules: Path) -> None:
    package = node_modules / "openai"
    client = (package / "client.d.ts").read_text()
    body = client[client.index("export declare class OpenAI") :]
    body = body[: body.index("\n}\n")]
    resources = _resources(body)
    assert "embeddings" in resources and "chat" in resources
    assert resources == js.SERVED_RESOURCES | js.UNSERVED_RESOURCES | {"beta"}
    assert not js.SERVED_RESOURCES & js.UNSERVED_RESOURCES
    beta = (package / "resources" / "beta" / "beta.d.ts").read_text()
    beta = beta[beta.index("export declare class Beta") :]
    beta_resources = _resources(beta[: beta.index("\n}\n")])
    assert beta_resources == js.UNSERVED_BETA_RESOURCES


def test_embeddings_client_stays_on_openai(node_modules: Path, tmp_path: Path) -> None:
    program = js_packages.copy_program(PROGRAM, tmp_path)
    with LoopbackServer() as openai, LoopbackServer() as cerebras:
        openai_env = {"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": f"{openai.url}/v1"}
        before = _node(program, _env(**openai_env))
        assert before.returncode == 0, before.stderr
        original = {r.path: r for r in openai.take()}
        assert set(original) == {"/v1/embeddings", "/v1/chat/completions"}

        migrate = run_migrator(program.parent, "--base-url", f"{cerebras.url}/v1", program.name)
        assert migrate.returncode == 1, migrate.stderr
        assert "CM121" in migrate.stderr

        after = _node(program, _env(**openai_env, CEREBRAS_API_KEY=CEREBRAS_KEY))
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        (kept,) = openai.take()
        (moved,) = cerebras.take()
        assert kept.path == "/v1/embeddings"
        assert kept.headers["authorization"] == f"Bearer {OPENAI_KEY}"
        assert kept.body == original["/v1/embeddings"].body
        assert CEREBRAS_KEY not in json.dumps([kept.headers, kept.body])
        assert moved.path == "/v1/chat/completions"
        assert moved.headers["authorization"] == f"Bearer {CEREBRAS_KEY}"
        assert OPENAI_KEY not in json.dumps([moved.headers, moved.body])
        assert moved.body["model"] == "gpt-oss-120b"
        old = original["/v1/chat/completions"].body
        assert {k: v for k, v in moved.body.items() if k != "model"} == {
            k: v for k, v in old.items() if k != "model"
        }

        unset = _node(program, _env(**openai_env))
        assert unset.returncode != 0
        assert "CEREBRAS_API_KEY is not set" in unset.stderr
        assert openai.take() == [] and cerebras.take() == []


def test_cerebras_target_leaves_the_module(node_modules: Path, tmp_path: Path) -> None:
    """Its one import serves the kept client too: nothing is switched, and the report says
    so at the kept client."""
    program = js_packages.copy_program(PROGRAM, tmp_path)
    migrate = run_migrator(program.parent, "--target", "cerebras", program.name)
    assert migrate.returncode == 0, migrate.stderr  # nothing rewritten
    assert program.read_bytes() == PROGRAM.read_bytes()
    assert re.search(r":6:\d+ CM121 `embedder` .* and so does this module", migrate.stderr)


KEPT = 'import OpenAI from "openai";\nconst embedder = new OpenAI();\n'


@pytest.mark.parametrize(
    ("rest", "kept"),
    [
        # Comments and strings are no uses; a parameter of the same name is another name.
        (
            '// embedder: the "embedder" client\n'
            'await embedder\n  .embeddings\n  .create({ model: "m", input: "embedder" });\n'
            "function f(embedder) { return embedder.chat.completions.create({}); }\n",
            True,
        ),
        ("await embedder.files.list();\nawait embedder.beta.threads.create();\n", True),
        # Any other use makes it unsure: the client moves, its requests are reported.
        ("await embedder.embeddings.create({});\nexport { embedder };\n", False),
        ("await embedder.embeddings.create({});\nmodule.exports = { embedder };\n", False),
        ("await embedder.embeddings.create({});\nconst t: typeof embedder = embedder;\n", False),
        ("await embedder.embeddings.create({});\nawait embedder.models.list();\n", False),
        ("await embedder.embeddings.create({});\nregister(embedder);\n", False),
        ("await embedder.withOptions({}).embeddings.create({});\n", False),
    ],
)
def test_only_sure_uses_keep_a_client(rest: str, kept: bool) -> None:
    from codemods.js.source import migrate_js
    from codemods.options import Options

    text = KEPT + rest
    result = migrate_js(text, Options(target="openai"), ".ts")
    codes = [d.code for d in result.diagnostics]
    assert ("CM121" in codes) == kept, result.diagnostics
    assert ("CM401" in codes) == (not kept), result.diagnostics
    assert (result.code == text) == kept
