"""The facts about the Cerebras TS SDK and openai-node in ``codemods/facts/js.py`` hold for the
installed npm packages (``tests/js/package-lock.json``): their constructor options and
exports read from the packages' own ``.d.ts`` files, and what the Cerebras SDK's module and
constructor do, run with node."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import js_packages
import pytest

from codemods.facts import js
from codemods.js import sdk_switch


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _interface(text: str, name: str) -> set[str]:
    """The member names of ``interface name { ... }`` in a ``.d.ts`` text (top level only)."""
    start = re.search(rf"interface {name}\b[^{{]*{{", text)
    assert start, name
    depth, at, members = 1, start.end(), set()
    line_start = True
    while depth:
        char = text[at]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 1 and line_start:
            found = re.match(r"\s*([A-Za-z_]\w*)\??:", text[at:])
            if found:
                members.add(found.group(1))
        line_start = char == "\n"
        at += 1
    return members


def _statics(text: str, cls: str) -> set[str]:
    body = text[text.index(f"declare class {cls} ") :]
    body = body[: body.index("\n}")]
    return set(re.findall(r"^\s*static (\w+):", body, re.MULTILINE))


def test_constructor_options(node_modules: Path) -> None:
    cerebras = (node_modules / js.CEREBRAS_SPECIFIER / "index.d.ts").read_text()
    openai = (node_modules / "openai" / "client.d.ts").read_text()
    assert _interface(cerebras, "ClientOptions") == js.CLIENT_OPTIONS["cerebras"]
    assert _interface(openai, "ClientOptions") == js.CLIENT_OPTIONS["openai"]
    assert js.WARM_TCP_OPTION in js.CLIENT_OPTIONS["cerebras"]


def test_chat_params(node_modules: Path) -> None:
    text = (
        node_modules / js.CEREBRAS_SPECIFIER / "resources" / "chat" / "completions.d.ts"
    ).read_text()
    assert _interface(text, "ChatCompletionCreateParamsBase") == js.CEREBRAS_CHAT_PARAMS
    for name in ("clear_thinking", "disable_reasoning", "reasoning_format", "min_tokens"):
        assert name in js.CEREBRAS_CHAT_PARAMS
    for name in ("store", "metadata", "modalities", "audio", "verbosity"):
        assert name not in js.CEREBRAS_CHAT_PARAMS
    # The response type the cast names exists (a namespace member of ChatCompletion).
    assert "interface ChatCompletionResponse" in text
    assert "export type ChatCompletion = ChatCompletion.ChatCompletionResponse |" in text


def test_counterparts_exist_in_both_packages(node_modules: Path) -> None:
    cerebras = (node_modules / js.CEREBRAS_SPECIFIER / "index.d.ts").read_text()
    openai_index = (node_modules / "openai" / "index.d.ts").read_text()
    openai_client = (node_modules / "openai" / "client.d.ts").read_text()
    cerebras_names = set(
        re.findall(r"\b(\w+)\b", "".join(re.findall(r"export \{[^}]*\}", cerebras)))
    )
    openai_names = set(
        re.findall(r"\b(\w+)\b", "".join(re.findall(r"export \{[^}]*\}", openai_index)))
    )
    cerebras_statics = _statics(cerebras, "Cerebras")
    openai_statics = _statics(openai_client, "OpenAI")
    for old, new in sdk_switch.COUNTERPARTS["openai"].items():
        if old == "default":
            continue
        assert old in openai_names | openai_statics, old
        assert new in cerebras_names | cerebras_statics | {"Cerebras", "ClientOptions"}, new
    # Every static the class carries that names an error has its counterpart.
    assert {n for n in cerebras_statics if n.endswith("Error")} <= set(
        sdk_switch.COUNTERPARTS["cerebras"]
    )


def test_module_and_constructor(node_modules: Path, tmp_path: Path) -> None:
    script = f"""
const m = require({json.dumps(js.CEREBRAS_SPECIFIER)});
const out = {{
  requireIsClass: m === m.Cerebras && m === m.default,
  baseURL: new m({{ apiKey: "k", {js.WARM_TCP_OPTION}: false }}).baseURL,
}};
delete process.env.CEREBRAS_API_KEY;
try {{ new m({{ {js.WARM_TCP_OPTION}: false }}); out.throws = false; }}
catch (e) {{ out.throws = String(e).includes("CEREBRAS_API_KEY"); }}
process.env.OPENAI_API_KEY = "sk-openai";
try {{ out.openaiKeyUsed = new m({{ {js.WARM_TCP_OPTION}: false }}).apiKey; }}
catch (e) {{ out.openaiKeyUsed = null; }}
console.log(JSON.stringify(out));
"""
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    (tmp_path / "check.cjs").write_text(script)
    done = subprocess.run(
        ["node", "check.cjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    (tmp_path / "check.mjs").write_text(
        f"import Cerebras, {{ Cerebras as Named }} from {json.dumps(js.CEREBRAS_SPECIFIER)};\n"
        "console.log(Cerebras === Named);\n"
    )
    esm = subprocess.run(
        ["node", "check.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert esm.stdout.strip() == "true", esm.stderr
    assert out == {
        "requireIsClass": True,
        "baseURL": js.CEREBRAS_SDK_BASE_URL,
        "throws": True,
        "openaiKeyUsed": None,
    }
