"""Clients across JavaScript/TypeScript modules (``codemods/js/project.py``,
``migrator/project.py``): a client made in one module and imported in another — by a
relative specifier, with or without its extension, a folder's ``index``, or a
``tsconfig.json`` alias — has its requests migrated there by its own module's decision,
also when the command is given only the importing file (a pre-commit hook). The tree-wide
cases are ``fixtures/projects/js_*`` (tests/test_projects.py); the program of
``tests/js/projects/across_modules`` runs with node before and after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import invoke
from test_js_e2e import (
    CEREBRAS_KEY,
    DECOYS,
    _expected_body,
    run_migrated_file_by_file,
)

LIB = 'import OpenAI from "openai";\nexport const openai = new OpenAI();\n'
USE = 'import {{ openai }} from "{spec}";\nopenai.chat.completions.create({{ model: "gpt-4o" }});\n'
TSCONFIG = """{
  // comments and trailing commas, as tsc allows
  "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["./*"], "~lib": ["./lib/openai"], }, },
}
"""


def write_project(root: Path, files: dict[str, str]) -> None:
    """A JS project in ``root``: a ``package.json`` and ``files`` (path -> text)."""
    (root / "package.json").write_text('{ "name": "app" }\n')
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize(
    ("lib", "user", "spec"),
    [
        ("src/lib/openai.ts", "src/app.ts", "./lib/openai"),
        ("src/lib/openai.ts", "src/app.ts", "./lib/openai.js"),  # TypeScript's ESM spelling
        ("src/lib/openai.mjs", "src/app.mjs", "./lib/openai.mjs"),
        ("src/lib/index.ts", "src/app.ts", "./lib"),
        ("src/lib/openai.ts", "src/deep/app.ts", "../lib/openai"),
        ("src/lib/openai.ts", "src/deep/app.ts", "@/lib/openai"),  # paths, against baseUrl
        ("src/lib/openai.ts", "src/deep/app.ts", "lib/openai"),  # baseUrl alone
        ("src/lib/openai.ts", "src/deep/app.ts", "~lib"),  # a pattern without a star
    ],
)
def test_an_imported_client_is_followed_from_the_one_file_a_hook_names(
    tmp_path: Path, lib: str, user: str, spec: str
) -> None:
    write_project(tmp_path, {"tsconfig.json": TSCONFIG, lib: LIB, user: USE.format(spec=spec)})
    code, out, _ = invoke("--no-cache", user, cwd=tmp_path)
    assert code == 1, out
    assert 'model: "gpt-oss-120b"' in (tmp_path / user).read_text()
    assert "baseURL" not in (tmp_path / lib).read_text()  # only the named file is written


@pytest.mark.parametrize(
    "lib",
    [
        "export default new OpenAI();\n",
        "const c = new OpenAI();\nexport { c as openai };\n",
        "const c = new OpenAI();\nexport default c;\n",
    ],
)
def test_default_and_renamed_exports(tmp_path: Path, lib: str) -> None:
    name = "openai" if "as openai" in lib else "default"
    user = (
        'import { openai } from "./lib";\n' if name == "openai" else 'import openai from "./lib";\n'
    ) + 'openai.chat.completions.create({ model: "gpt-4o" });\n'
    write_project(tmp_path, {"lib.ts": 'import OpenAI from "openai";\n' + lib, "app.ts": user})
    invoke("--no-cache", ".", cwd=tmp_path)
    assert 'model: "gpt-oss-120b"' in (tmp_path / "app.ts").read_text()


@pytest.mark.parametrize(
    ("lib", "call"),
    [
        ("export function getClient() { return new OpenAI(); }", "getClient()"),
        ("export const getClient = () => new OpenAI();", "getClient()"),
        (
            "let c = null;\nexport function getClient() { if (!c) c = new OpenAI(); return c; }",
            "getClient()",
        ),
    ],
)
def test_factories(tmp_path: Path, lib: str, call: str) -> None:
    user = (
        'const { getClient } = require("./lib");\n'
        f'const client = {call};\nclient.chat.completions.create({{ model: "gpt-4o" }});\n'
        f'{call}.chat.completions.create({{ model: "gpt-4o" }});\n'
    )
    write_project(
        tmp_path, {"lib.js": 'import OpenAI from "openai";\n' + lib + "\n", "app.js": user}
    )
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "app.js").read_text().count('model: "gpt-oss-120b"') == 2


def test_a_client_left_alone_leaves_its_importers_requests_alone(tmp_path: Path) -> None:
    lib = (
        'import OpenAI from "openai";\n'
        'export const openai = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
    )
    user = USE.format(spec="./lib")
    write_project(tmp_path, {"lib.ts": lib, "app.ts": user})
    _, out, err = invoke("--no-cache", "--check", "app.ts", cwd=tmp_path)
    assert (tmp_path / "app.ts").read_text() == user
    assert "CM103" in out + err


def test_a_lookalike_specifier_or_an_unrelated_file_is_not_followed(tmp_path: Path) -> None:
    user = USE.format(spec="./other")
    write_project(
        tmp_path, {"lib.ts": LIB, "other.ts": "export const openai = {};\n", "app.ts": user}
    )
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "app.ts").read_text() == user


def test_program_across_modules_runs_on_cerebras(tmp_path: Path) -> None:
    # As a hook runs it: one file named at a time, each seeing the whole project.
    original, migrated = run_migrated_file_by_file(
        tmp_path, "across_modules", "app.mjs", ["app.mjs", "lib/openai.mjs"], "openai", (1,)
    )
    assert len(migrated) == len(original) == 1
    new, old = migrated[0], original[0]
    assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
    assert not any(decoy in json.dumps([new.headers, new.body]) for decoy in DECOYS.values())
    assert new.body["model"] == "gpt-oss-120b"
    assert {k: v for k, v in new.body.items() if k != "model"} == _expected_body(old.body)
