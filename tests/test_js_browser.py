"""Front-end code (CM123): a key read from a variable the bundler inlines into the page, and
``dangerouslyAllowBrowser``.

``tests/js/programs/browser_key.mjs`` reads ``process.env.NEXT_PUBLIC_OPENAI_API_KEY`` in a
browser stood in for under node (``window``, ``document``, ``navigator``: what openai-node
looks for). Migrated, it must read ``NEXT_PUBLIC_CEREBRAS_API_KEY`` and send that variable's
value, never the public OpenAI key, and still run in the browser (openai-node throws there
without ``dangerouslyAllowBrowser``), on both targets: the Cerebras TS SDK runs there
without the option. ``cerebras_sdk_browser.mjs`` goes the way back: openai-node needs the
option the Cerebras SDK never had. The generic runs of these programs (``test_js_e2e.py``,
``test_js_cerebras_e2e.py``) give every public variable the plain one's value; here each has
a value of its own. Node and npm are required (``tests/js_packages.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import js_packages
import pytest
from helpers import run_migrator
from loopback import LoopbackServer
from test_js_e2e import DEAD_PROXY, DECOYS, JS, _env, _node

from codemods.facts import js
from codemods.js import keys
from codemods.js.source import migrate_js
from codemods.options import Options

PUBLIC_CEREBRAS = "csk-public-browser-key-0000"
PUBLIC_OPENAI = "sk-decoy-public-openai-key-00000000"
PLAIN_CEREBRAS = "csk-server-only-key-0000"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_the_public_cerebras_variable_is_what_is_sent(
    target: str, node_modules: Path, tmp_path: Path
) -> None:
    program = js_packages.copy_program(JS / "programs" / "browser_key.mjs", tmp_path)
    with LoopbackServer() as server:
        before = _node(
            program,
            _env(
                **DECOYS,
                NEXT_PUBLIC_OPENAI_API_KEY=PUBLIC_OPENAI,
                OPENAI_BASE_URL=f"{server.url}/v1",
            ),
        )
        assert before.returncode == 0, before.stderr
        (sent,) = server.take()
        assert sent.headers["authorization"] == f"Bearer {PUBLIC_OPENAI}"

        migrate = run_migrator(program.parent, "--target", target, "--base-url", f"{server.url}/v1")
        assert migrate.returncode == 1, migrate.stderr
        assert "CM123" in migrate.stderr and "NEXT_PUBLIC_CEREBRAS_API_KEY" in migrate.stderr
        code = program.read_text().split("await import")[1]  # past the stand-ins
        assert "NEXT_PUBLIC_OPENAI_API_KEY" not in code
        # openai-node throws in the browser without it; the Cerebras SDK has no such option.
        assert (f"{js.BROWSER_OPTION}: true" in code) == (target == "openai")

        # The public OpenAI key, the plain one and the plain Cerebras one all set: only the
        # public Cerebras variable's value may leave.
        env = _env(
            **DECOYS,
            NEXT_PUBLIC_OPENAI_API_KEY=PUBLIC_OPENAI,
            NEXT_PUBLIC_CEREBRAS_API_KEY=PUBLIC_CEREBRAS,
            CEREBRAS_API_KEY=PLAIN_CEREBRAS,
            OPENAI_BASE_URL=f"{DEAD_PROXY}/v1",
            CEREBRAS_BASE_URL=DEAD_PROXY,
        )
        after = _node(program, env)
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        (sent,) = server.take()
        assert sent.headers["authorization"] == f"Bearer {PUBLIC_CEREBRAS}"
        wire = json.dumps([sent.headers, sent.body])
        assert PUBLIC_OPENAI not in wire
        assert not any(decoy in wire for decoy in DECOYS.values())

        if target == "openai":
            # Without the public Cerebras variable (the page's build did not set it) nothing
            # is sent, whatever the public OpenAI one holds.
            unset = _node(program, _env(**DECOYS, NEXT_PUBLIC_OPENAI_API_KEY=PUBLIC_OPENAI))
            assert unset.returncode != 0
            assert "NEXT_PUBLIC_CEREBRAS_API_KEY is not set" in unset.stderr
            assert server.take() == []


def test_cerebras_sdk_code_in_a_browser_gets_the_option_on_openai_node(
    node_modules: Path, tmp_path: Path
) -> None:
    program = js_packages.copy_program(JS / "programs" / "cerebras_sdk_browser.mjs", tmp_path)
    with LoopbackServer() as server:
        env = _env(NEXT_PUBLIC_CEREBRAS_API_KEY=PUBLIC_CEREBRAS, CEREBRAS_BASE_URL=server.url)
        before = _node(program, env)
        assert before.returncode == 0, before.stderr  # that SDK runs in the browser as it is
        original = [r for r in server.take() if not r.is_warming]

        migrate = run_migrator(
            program.parent, "--target", "openai", "--base-url", f"{server.url}/v1"
        )
        assert migrate.returncode == 1, migrate.stderr
        assert "`dangerouslyAllowBrowser: true` added" in migrate.stderr
        source = program.read_text()
        assert f"{js.BROWSER_OPTION}: true" in source

        after = _node(program, _env(**DECOYS, NEXT_PUBLIC_CEREBRAS_API_KEY=PUBLIC_CEREBRAS))
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
        (sent,) = server.take()
        assert sent.headers["authorization"] == f"Bearer {PUBLIC_CEREBRAS}"
        assert sent.body == original[0].body

        # Without the option openai-node refuses to run in the browser: why it is added.
        program.write_text(source.replace(f"{js.BROWSER_OPTION}: true, ", ""))
        refused = _node(program, _env(NEXT_PUBLIC_CEREBRAS_API_KEY=PUBLIC_CEREBRAS))
        assert refused.returncode != 0
        assert js.BROWSER_OPTION in refused.stderr
        assert server.take() == []


@pytest.mark.parametrize(
    ("name", "env", "expected"),
    [
        ("OPENAI_API_KEY", "CEREBRAS_API_KEY", ("CEREBRAS_API_KEY", True)),
        ("NEXT_PUBLIC_OPENAI_API_KEY", "CEREBRAS_API_KEY", ("NEXT_PUBLIC_CEREBRAS_API_KEY", True)),
        ("VITE_CEREBRAS_API_KEY", "CEREBRAS_API_KEY", ("VITE_CEREBRAS_API_KEY", True)),
        ("NUXT_PUBLIC_OPENAI_API_KEY", "MY_KEY", ("NUXT_PUBLIC_MY_KEY", True)),
        ("PUBLIC_OPENAI_API_KEY", "PUBLIC_CEREBRAS", ("PUBLIC_CEREBRAS", True)),
        ("REACT_APP_LLM_KEY", "CEREBRAS_API_KEY", ("REACT_APP_LLM_KEY", False)),
        ("MY_OPENAI_API_KEY", "CEREBRAS_API_KEY", ("MY_OPENAI_API_KEY", False)),
    ],
)
def test_key_variable(name: str, env: str, expected: tuple[str, bool]) -> None:
    assert keys.key_variable(name, env) == expected


def test_every_prefix_is_renamed_and_reported() -> None:
    for prefix in js.BROWSER_ENV_PREFIXES:
        source = (
            'import OpenAI from "openai";\n'
            f"const c = new OpenAI({{ apiKey: process.env.{prefix}OPENAI_API_KEY }});\n"
        )
        for target in ("openai", "cerebras"):
            result = migrate_js(source, Options(target=target), ".js")
            assert f"{prefix}CEREBRAS_API_KEY" in result.code, (prefix, target)
            assert f"{prefix}OPENAI_API_KEY" not in result.code, (prefix, target)
            codes = [d.code for d in result.diagnostics]
            assert codes == ["CM123"], (prefix, target, result.diagnostics)


def test_a_server_client_is_not_reported() -> None:
    source = (
        'import OpenAI from "openai";\n'
        "const a = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n"
        "const b = new OpenAI({ dangerouslyAllowBrowser: false });\n"
    )
    for target in ("openai", "cerebras"):
        result = migrate_js(source, Options(target=target), ".js")
        assert "CM123" not in [d.code for d in result.diagnostics], target
