"""Clients passed on through a third module (``codemods/js/project.py``'s ``reexports`` and
CommonJS exports, ``migrator/project.py``'s ``_through_reexports``): ``export { openai } from
"./client"``, ``export { default as openai }``, ``export *`` (barrels of barrels, cycles),
an imported name exported again, ``module.exports = { openai }``, ``module.exports = new
OpenAI()``, ``module.exports.openai = ...``, ``exports.openai = ...``, and on the importing
side ``const { openai } = require(...)`` and ``const openai = require(...)`` (the default is
``module.exports``). A client reached so is decided as where it is made: one left alone
leaves its importers' requests alone (CM103). The tree-wide case is
``fixtures/projects/js_reexports``; the program of ``tests/js/projects/commonjs_reexport``
runs with node before and after, migrated for each target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import invoke
from test_js_e2e import CEREBRAS_KEY, DECOYS, _expected_body, run_migrated_file_by_file
from test_js_projects import write_project

ESM_CLIENT = (
    'import OpenAI from "openai";\n'
    "export const openai = new OpenAI();\n"
    "export default openai;\n"
    'export const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
)
REQUEST = '{name}.chat.completions.create({{ model: "gpt-4o", messages: [] }});\n'


def _migrated(root: Path, named: str = ".") -> tuple[str, str]:
    """The run's JSON report and the app's text after it."""
    _, out, _ = invoke("--no-cache", "--output-format", "json", named, cwd=root)
    return out, (root / "app.ts").read_text() if (root / "app.ts").exists() else ""


@pytest.mark.parametrize(
    ("barrel", "imported"),
    [
        ('export { openai } from "./lib/client";\n', "openai"),
        ('export { openai as llm } from "./lib/client";\n', "llm"),
        ('export { default as llm } from "./lib/client";\n', "llm"),
        ('export { default } from "./lib/client";\n', "default"),
        ('export * from "./lib/client";\n', "openai"),
        ('import { openai } from "./lib/client";\nexport { openai as llm };\n', "llm"),
        ('import llm from "./lib/client";\nexport default llm;\n', "default"),
        ('import { openai } from "./lib/client";\nexport const llm = openai;\n', "llm"),
        ('const { openai } = require("./lib/client");\nmodule.exports = { openai };\n', "openai"),
        ('const { openai } = require("./lib/client");\nmodule.exports = { llm: openai };\n', "llm"),
        ('const { openai } = require("./lib/client");\nmodule.exports.llm = openai;\n', "llm"),
        ('const { openai } = require("./lib/client");\nexports.llm = openai;\n', "llm"),
    ],
)
@pytest.mark.parametrize("named", [".", "app.ts"])
def test_a_client_passed_on_by_a_barrel_is_followed(
    tmp_path: Path, barrel: str, imported: str, named: str
) -> None:
    spec = "ai" if imported == "default" else f"{{ {imported} as ai }}"
    app = f'import {spec} from "./index";\n' + REQUEST.format(name="ai")
    write_project(tmp_path, {"lib/client.ts": ESM_CLIENT, "index.ts": barrel, "app.ts": app})
    out, text = _migrated(tmp_path, named)
    assert 'model: "gpt-oss-120b"' in text, out


def test_chains_of_barrels_and_cycles_end(tmp_path: Path) -> None:
    files = {
        "lib/client.ts": ESM_CLIENT,
        "lib/index.ts": 'export * from "./client";\n',
        "src/index.ts": 'export * from "../lib";\nexport * from "./loop";\n',
        "src/loop.ts": 'export * from "./index";\n',  # a cycle: src/index <-> src/loop
        "app.ts": 'import { openai, groq } from "./src/loop";\n'
        + REQUEST.format(name="openai")
        + REQUEST.format(name="groq"),
    }
    write_project(tmp_path, files)
    out, text = _migrated(tmp_path)
    openai_line, groq_line = text.splitlines()[1:3]
    assert 'model: "gpt-oss-120b"' in openai_line
    # Another provider's client is left alone where it is made: so are its requests here.
    assert 'model: "gpt-4o"' in groq_line
    report = json.loads(out)
    assert any(d["code"] == "CM103" and d["path"] == "app.ts" for d in report["diagnostics"])


def test_export_star_does_not_pass_on_the_default(tmp_path: Path) -> None:
    app = 'import ai from "./index";\n' + REQUEST.format(name="ai")
    files = {"lib/client.ts": ESM_CLIENT, "index.ts": 'export * from "./lib/client";\n'}
    write_project(tmp_path, {**files, "app.ts": app})
    _, text = _migrated(tmp_path)
    assert text == app  # an ``export *`` has no default: ``ai`` is not the client


@pytest.mark.parametrize(
    ("client", "user"),
    [
        (
            'const OpenAI = require("openai");\nmodule.exports = new OpenAI();\n',
            'const openai = require("./client");\n',
        ),
        (
            'const OpenAI = require("openai");\nconst c = new OpenAI();\nmodule.exports = c;\n',
            'import openai from "./client";\n',
        ),
        (
            'const OpenAI = require("openai");\nconst c = new OpenAI();\n'
            "module.exports = { openai: c };\n",
            'const { openai } = require("./client");\n',
        ),
        (
            'const { OpenAI } = require("openai");\nconst openai = new OpenAI();\n'
            "module.exports = { openai };\n",
            'const { openai } = require("./client.js");\n',
        ),
        (
            'const OpenAI = require("openai");\nmodule.exports.openai = new OpenAI();\n',
            'const { openai } = require("./client");\n',
        ),
        (
            'const OpenAI = require("openai");\nexports.openai = new OpenAI();\n',
            'const { openai } = require("./client");\n',
        ),
        (
            'const OpenAI = require("openai");\n'
            "module.exports = { getClient: () => new OpenAI() };\n",
            'const { getClient } = require("./client");\nconst openai = getClient();\n',
        ),
        (  # a whole module passed on
            'const OpenAI = require("openai");\nexports.openai = new OpenAI();\n',
            'const { openai } = require("./barrel");\n',
        ),
    ],
)
def test_commonjs_exports_and_requires(tmp_path: Path, client: str, user: str) -> None:
    app = user + REQUEST.format(name="openai")
    barrel = 'module.exports = require("./client");\n'
    write_project(tmp_path, {"client.js": client, "barrel.js": barrel, "app.js": app})
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "app.js").read_text() == app.replace("gpt-4o", "gpt-oss-120b")


def test_a_commonjs_client_left_alone_leaves_its_importers_alone(tmp_path: Path) -> None:
    client = (
        'const OpenAI = require("openai");\n'
        "const openai = new OpenAI();\n"
        'const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
        "module.exports = { openai, groq };\n"
    )
    app = 'const { openai, groq } = require("./index");\n' + (
        REQUEST.format(name="openai") + REQUEST.format(name="groq")
    )
    index = 'const lib = require("./client");\nmodule.exports = lib;\n'
    write_project(tmp_path, {"client.js": client, "index.js": index, "app.js": app})
    _, out, err = invoke("--no-cache", ".", cwd=tmp_path)
    lines = (tmp_path / "app.js").read_text().splitlines()
    assert 'model: "gpt-oss-120b"' in lines[1] and 'model: "gpt-4o"' in lines[2]
    assert "CM103" in out + err


def test_a_model_constant_and_a_client_of_a_commonjs_module(tmp_path: Path) -> None:
    lib = (
        'const OpenAI = require("openai");\n'
        "const openai = new OpenAI();\n"
        'const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
        "module.exports = { openai, groq };\n"
    )
    config = 'export const MODEL = "gpt-4o";\n'
    fine = (
        'const { openai } = require("./lib");\nconst { MODEL } = require("./config");\n'
        "openai.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    write_project(tmp_path, {"config.js": config, "lib.js": lib, "app.js": fine})
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "config.js").read_text() == config.replace("gpt-4o", "gpt-oss-120b")


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_program_with_a_commonjs_reexport_runs_on_cerebras(tmp_path: Path, target: str) -> None:
    # As a hook runs it: one file named at a time, each seeing the whole project. The
    # client's module first: on --target cerebras the later runs see a client already on
    # the Cerebras SDK, which counts as moved, so the constant is still mapped.
    original, migrated = run_migrated_file_by_file(
        tmp_path,
        "commonjs_reexport",
        "app.js",
        ["lib/client.js", "app.js", "config.js", "lib/index.js"],
        target,
    )
    assert len(migrated) == len(original) == 2
    for new, old in zip(migrated, original, strict=True):
        assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
        assert not any(decoy in json.dumps([new.headers, new.body]) for decoy in DECOYS.values())
        assert new.body["model"] == "gpt-oss-120b"
        assert {k: v for k, v in new.body.items() if k != "model"} == _expected_body(old.body)
