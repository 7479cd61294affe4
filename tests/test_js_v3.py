"""The openai npm package's v3 API (``Configuration``/``OpenAIApi``), on openai 3.3.0 (the
lock's ``openai-v3``, an npm alias).

``codemods/facts/js.py``'s v3 methods are held to ``OpenAIApi`` in the package's
``api.d.ts``. The programs of ``tests/js/programs_v3/`` run with node where ``openai``
resolves to v3 (a temporary ``node_modules`` whose ``openai`` is a link to ``openai-v3``),
against the loopback server: as written, with OpenAI's ``basePath`` pointing at it, then
migrated by the real command line: the same output, the same paths under ``/v1/`` with the
Cerebras key and no ``OpenAI-Organization`` header, the same bodies but the model
(Cerebras-only params still at the top level); without ``CEREBRAS_API_KEY`` nothing is sent.
On ``--target cerebras`` they are left as they are (CM408). The TypeScript program is
checked with ``tsc --strict`` against the v3 types before and after: before, its
Cerebras-only param is an excess-property error; after, in a spread, nothing is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import js_packages
import pytest
from helpers import invoke, run_migrator
from loopback import LoopbackServer
from test_js_e2e import CEREBRAS_KEY, DEAD_PROXY, _node
from test_js_typecheck import TSCONFIG

from codemods.facts import js
from codemods.js.source import migrate_js
from codemods.options import Options

JS = js_packages.JS
PROGRAMS = JS / "programs_v3"
OPENAI_URL = "https://api.openai.com/v1"
OPENAI_KEY = "sk-proj-v3OpenAIKey0123456789abcdefgh"
_ERROR = re.compile(r"^(?P<file>[^(\s]+)\((?P<line>\d+),\d+\): error (?P<code>TS\d+)", re.M)


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _v3_modules(node_modules: Path, where: Path) -> None:
    """``where/node_modules``: the locked packages, with ``openai`` the v3 one."""
    target = where / "node_modules"
    target.mkdir()
    for entry in node_modules.iterdir():
        if entry.name not in ("openai", ".bin"):
            (target / entry.name).symlink_to(entry, target_is_directory=True)
    (target / "openai").symlink_to(node_modules / "openai-v3", target_is_directory=True)


def test_v3_methods_match_the_installed_package(node_modules: Path) -> None:
    api = (node_modules / "openai-v3" / "dist" / "api.d.ts").read_text()
    assert json.loads((node_modules / "openai-v3" / "package.json").read_text())["version"] == (
        "3.3.0"
    )
    body = api[api.index("export declare class OpenAIApi extends BaseAPI") :]
    body = body[: body.index("\n}\n")]
    methods = set(re.findall(r"^    (\w+)\(", body, re.MULTILINE))
    assert methods == js.V3_SERVED | js.V3_UNSERVED
    assert not js.V3_SERVED & js.V3_UNSERVED
    assert set(js.V3_REQUESTS) <= js.V3_SERVED
    configuration = (node_modules / "openai-v3" / "dist" / "configuration.d.ts").read_text()
    for option in (js.V3_BASE_PATH_OPTION, js.API_KEY_OPTION, *js.V3_ACCOUNT_OPTIONS):
        assert f"    {option}?:" in configuration


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("OPENAI_", "CEREBRAS_")) and "proxy" not in k.lower()
    }
    # axios reads the proxy variables: the loopback server is reached directly, any other
    # host through a proxy that does not exist.
    proxies = {"HTTP_PROXY": DEAD_PROXY, "HTTPS_PROXY": DEAD_PROXY, "NO_PROXY": "127.0.0.1"}
    return {**env, **proxies, **extra}


@pytest.mark.parametrize("name", ["chat.cjs", "esm.mjs"])
def test_v3_program_runs_on_cerebras_after_migration(
    name: str, node_modules: Path, tmp_path: Path
) -> None:
    _v3_modules(node_modules, tmp_path)
    program = tmp_path / name
    written = (PROGRAMS / name).read_text()
    assert OPENAI_URL in written
    with LoopbackServer() as server:
        # As written, with the server standing in for OpenAI.
        program.write_text(written.replace(OPENAI_URL, f"{server.url}/v1"))
        before = _node(program, _env(OPENAI_API_KEY=OPENAI_KEY))
        assert before.returncode == 0, before.stderr
        original = server.take()
        assert original and all(r.path.startswith("/v1/") for r in original)
        sent_org = any("openai-organization" in r.headers for r in original)
        assert sent_org == ("organization:" in written)

        program.write_text(written)
        migrate = run_migrator(program.parent, "--base-url", f"{server.url}/v1", program.name)
        assert migrate.returncode == 1, migrate.stderr
        assert "CM408" in migrate.stderr
        assert "sk-proj-v3HardCoded" not in program.read_text() + migrate.stdout + migrate.stderr

        after = _node(program, _env(OPENAI_API_KEY=OPENAI_KEY, CEREBRAS_API_KEY=CEREBRAS_KEY))
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        migrated = server.take()
        assert [r.path for r in migrated] == [r.path for r in original]
        for old, new in zip(original, migrated, strict=True):
            assert "/v1/v1" not in new.path
            assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
            assert "openai-organization" not in new.headers
            wire = json.dumps([new.headers, new.body])
            assert OPENAI_KEY not in wire and "sk-proj-v3HardCoded" not in wire
            assert new.body["model"] == "gpt-oss-120b"
            assert {k: v for k, v in new.body.items() if k != "model"} == {
                k: v for k, v in old.body.items() if k != "model"
            }

        unset = _node(program, _env(OPENAI_API_KEY=OPENAI_KEY))
        assert unset.returncode != 0
        assert "CEREBRAS_API_KEY is not set" in unset.stderr
        assert server.take() == []


def test_v3_program_is_left_alone_on_the_cerebras_target(tmp_path: Path) -> None:
    program = tmp_path / "chat.cjs"
    shutil.copyfile(PROGRAMS / "chat.cjs", program)
    migrate = run_migrator(program.parent, "--target", "cerebras", program.name)
    assert migrate.returncode == 0, migrate.stderr  # nothing rewritten
    assert program.read_bytes() == (PROGRAMS / "chat.cjs").read_bytes()
    assert re.search(r"chat\.cjs:2:\d+ CM408 .*v4 shape only", migrate.stderr)


def test_typescript_type_checks_against_the_v3_types(node_modules: Path, tmp_path: Path) -> None:
    _v3_modules(node_modules, tmp_path)
    source = (PROGRAMS / "typed.ts").read_text()
    result = migrate_js(source, Options(target="openai"), ".ts")
    assert not result.error, result.diagnostics
    assert "...{ clear_thinking: false }" in result.code
    (tmp_path / "before.ts").write_text(source)
    (tmp_path / "after.ts").write_text(result.code)
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    done = subprocess.run(
        [str(node_modules / ".bin" / "tsc"), "-p", ".", "--pretty", "false"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [(m["file"], int(m["line"]), m["code"]) for m in _ERROR.finditer(done.stdout)]
    line = source.splitlines().index("    clear_thinking: false,") + 1
    assert errors == [("before.ts", line, "TS2353")], done.stdout


LIB = """import { Configuration, OpenAIApi } from "openai";
export const openai = new OpenAIApi(new Configuration({ apiKey: process.env.OPENAI_API_KEY }));
"""
GROQ = """import { Configuration, OpenAIApi } from "openai";
const configuration = new Configuration({ basePath: "https://api.groq.com/openai/v1" });
export const groq = new OpenAIApi(configuration);
"""
USE = """import { openai } from "./lib/openai";
import { groq } from "./lib/groq";
await openai.createChatCompletion({ model: "gpt-3.5-turbo", messages: [] });
await openai.createEmbedding({ model: "text-embedding-ada-002", input: "a" });
await groq.createChatCompletion({ model: "llama-3.1-8b-instant", messages: [] });
"""


def test_a_v3_client_of_another_module_is_followed(tmp_path: Path) -> None:
    """The requests of an importer follow the decision of the module making the client,
    also when the command is given only the importer (a pre-commit hook)."""
    (tmp_path / "package.json").write_text('{ "name": "app" }\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "openai.ts").write_text(LIB)
    (tmp_path / "lib" / "groq.ts").write_text(GROQ)
    (tmp_path / "app.ts").write_text(USE)
    code, _, err = invoke("--no-cache", "app.ts", cwd=tmp_path)
    assert code == 1, err
    app = (tmp_path / "app.ts").read_text()
    assert 'openai.createChatCompletion({ model: "gpt-oss-120b"' in app
    assert 'groq.createChatCompletion({ model: "llama-3.1-8b-instant"' in app
    assert re.search(r"app\.ts:4:\d+ CM401 .*createEmbedding", err)
    assert re.search(r"app\.ts:5:\d+ CM103 ", err)
    assert (tmp_path / "lib" / "openai.ts").read_text() == LIB  # only the named file
    code, _, err = invoke("--no-cache", "--target", "cerebras", ".", cwd=tmp_path)
    assert code == 0, err
    assert (tmp_path / "app.ts").read_text() == app
