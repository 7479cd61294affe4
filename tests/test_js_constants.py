"""Model-id constants in JavaScript and TypeScript (``codemods/js/constants.py``,
``fixers/map_model_ids.py``): a ``const`` holding an OpenAI model id (a template literal, ``as
const``, a parameter's default too) is mapped where it is defined when every read of it is
the model of a request that moves, and kept, with its requests reported (CM302), when it is
read for anything else. Across modules (``migrator/project.py``) the project decides once:
the defining module is rewritten, also when a hook names only one file, and its importers
follow. The tree-wide case is ``fixtures/projects/js_model_constants``; the program of
``tests/js/projects/model_constant`` runs with node before and after, migrated for each target."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import invoke
from test_js_e2e import CEREBRAS_KEY, run_migrated_file_by_file
from test_js_projects import write_project

from codemods.js.source import migrate_js
from codemods.options import Options

CLIENT = 'import OpenAI from "openai";\nconst client = new OpenAI();\n'


def _run(text: str, suffix: str = ".ts", **options: object) -> tuple[str, list[str]]:
    """The migrated text and its codes, but for the client's own (its constructor)."""
    result = migrate_js(CLIENT + text, Options(target="openai", **options), suffix)  # type: ignore[arg-type]
    assert not result.error, result.diagnostics
    return result.code, [d.code for d in result.diagnostics]


@pytest.mark.parametrize(
    ("before", "after", "suffix"),
    [
        ('const MODEL = "gpt-4o";', 'const MODEL = "gpt-oss-120b";', ".js"),
        ("const MODEL = 'gpt-4o';", "const MODEL = 'gpt-oss-120b';", ".js"),
        ("const MODEL = `gpt-4o`;", "const MODEL = `gpt-oss-120b`;", ".js"),
        ('const MODEL = "gpt-4o" as const;', 'const MODEL = "gpt-oss-120b" as const;', ".ts"),
        ('const MODEL: string = "gpt-4o";', 'const MODEL: string = "gpt-oss-120b";', ".ts"),
        ('export const MODEL = "gpt-4o";', 'export const MODEL = "gpt-oss-120b";', ".ts"),
    ],
)
def test_a_constant_read_only_by_requests_is_mapped_where_it_is_defined(
    before: str, after: str, suffix: str
) -> None:
    uses = "client.chat.completions.create({ model: MODEL, messages: [] });\n"
    code, codes = _run(f"{before}\n{uses}{uses}", suffix)
    assert code.endswith(f"{after}\n{uses}{uses}")
    assert codes == ["CM301"]  # once, where it is defined; no CM406 at the requests


@pytest.mark.parametrize(
    ("text", "mapped"),
    [
        # The shorthand of a const named ``model``, in a function's block.
        (
            'function ask() {\n  const model = "gpt-4o";\n'
            "  return client.chat.completions.create({ model, messages: [] });\n}\n",
            'const model = "gpt-oss-120b";',
        ),
        # A parameter's default, read by the function's request.
        (
            'function ask(q, model = "gpt-4o") {\n'
            "  return client.chat.completions.create({ model, messages: [q] });\n}\n",
            'function ask(q, model = "gpt-oss-120b")',
        ),
        (
            'async function ask(q: string, model: string = "gpt-4o") {\n'
            "  return client.chat.completions.create({ model: model, messages: [] });\n}\n",
            'model: string = "gpt-oss-120b"',
        ),
        # A constant given as a parameter's default flows into the requests too.
        (
            'const MODEL = "gpt-4o";\nfunction ask(model = MODEL) {\n'
            "  return client.chat.completions.create({ model, messages: [] });\n}\n",
            'const MODEL = "gpt-oss-120b";',
        ),
    ],
)
def test_shorthand_and_parameter_defaults(text: str, mapped: str) -> None:
    code, codes = _run(text, ".ts" if ": string" in text else ".js")
    assert mapped in code
    assert "CM301" in codes


@pytest.mark.parametrize(
    "other",
    [
        "const PRICES = { [MODEL]: 10 };",
        'if (MODEL === "gpt-4o") console.log("big");',
        "console.log(`using ${MODEL}`);",
        "type Model = typeof MODEL;",
        'const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
        "groq.chat.completions.create({ model: MODEL, messages: [] });",
        "export default MODEL;",
    ],
)
def test_a_constant_read_for_anything_else_is_kept_and_its_requests_reported(other: str) -> None:
    text = (
        'const MODEL = "gpt-4o";\n'
        f"{other}\n"
        "client.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    code, codes = _run(text)
    assert 'const MODEL = "gpt-4o";' in code
    assert codes.count("CM302") == 1 and "CM301" not in codes


def test_the_kept_constants_report_says_where_else_it_is_read() -> None:
    text = (
        'const MODEL = "gpt-4o";\nconst PRICES = { [MODEL]: 10 };\n'
        "client.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    result = migrate_js(CLIENT + text, Options(target="openai"), ".js")
    (diagnostic,) = [d for d in result.diagnostics if d.code == "CM302"]
    assert diagnostic.line == 5
    assert "`MODEL` ('gpt-4o')" in diagnostic.message and "at line 4" in diagnostic.message


def test_another_scopes_name_is_another_constant() -> None:
    text = (
        'const MODEL = "gpt-4o";\n'
        "function price(MODEL) { return { [MODEL]: 1 }; }\n"  # a parameter: not the const
        "client.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    code, codes = _run(text, ".js")
    assert 'const MODEL = "gpt-oss-120b";' in code and codes == ["CM301"]


def test_unmapped_or_unread_constants_and_object_maps_are_left() -> None:
    text = (
        'const UNUSED = "gpt-4o";\n'  # no request reads it: nothing says it is a model
        'const MODELS = { fast: "gpt-4o-mini" };\n'  # as on the Python side: reported
        'const OURS = "zai-glm-4.7";\n'
        "client.chat.completions.create({ model: MODELS.fast, messages: [] });\n"
        "client.chat.completions.create({ model: OURS, messages: [] });\n"
    )
    code, codes = _run(text, ".js")
    assert code.endswith(text)
    assert codes == ["CM406"]


def test_keep_models_keeps_constants() -> None:
    text = 'const MODEL = "gpt-4o";\nclient.chat.completions.create({ model: MODEL });\n'
    code, codes = _run(text, ".js", keep_models=True)
    assert 'const MODEL = "gpt-4o";' in code and "CM301" not in codes


# Across modules -----------------------------------------------------------------------------

CONFIG = 'export const MODEL = "gpt-4o";\nexport const TEMPERATURE = 0.2;\n'
LIB = 'import OpenAI from "openai";\nexport const openai = new OpenAI();\n'
USE = (
    'import {{ openai }} from "./lib";\nimport {{ MODEL as M }} from "{spec}";\n'
    "openai.chat.completions.create({{ model: M, messages: [] }});\n"
)


def _project(root: Path, files: dict[str, str]) -> None:
    """``write_project``, with tsconfig paths mapping ``@/`` to the root."""
    (root / "tsconfig.json").write_text('{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }')
    write_project(root, files)


@pytest.mark.parametrize("spec", ["./config", "./config.js", "@/config"])
@pytest.mark.parametrize("named", ["config.ts", "app.ts"])
def test_a_constant_of_a_config_module_is_decided_by_the_project(
    tmp_path: Path, spec: str, named: str
) -> None:
    app = USE.format(spec=spec)
    _project(tmp_path, {"config.ts": CONFIG, "lib.ts": LIB, "app.ts": app})
    code, out, err = invoke("--no-cache", named, cwd=tmp_path)
    assert code == (1 if named == "config.ts" else 0), out + err
    config = (tmp_path / "config.ts").read_text()
    if named == "config.ts":  # a hook given the config module alone still sees its readers
        assert config == CONFIG.replace("gpt-4o", "gpt-oss-120b")
        assert "CM301" in out + err
    else:
        assert config == CONFIG  # only the named file is written
        assert (tmp_path / "app.ts").read_text() == app  # the import is read as it is
        assert "CM406" not in out + err and "CM302" not in out + err


@pytest.mark.parametrize(
    "reader",
    [
        'import { MODEL } from "./config";\nexport const PRICES = { [MODEL]: 10 };\n',
        'import * as config from "./config";\nconsole.log(config.MODEL);\n',
        'export * as config from "./config";\n',  # a namespace passed on: not followed
        'const config = require("./config");\nconsole.log(config);\n',
    ],
)
def test_a_read_in_another_module_keeps_the_constant(tmp_path: Path, reader: str) -> None:
    app = USE.format(spec="./config")
    _project(tmp_path, {"config.ts": CONFIG, "lib.ts": LIB, "app.ts": app, "costs.ts": reader})
    _, out, err = invoke("--no-cache", "--output-format", "json", ".", cwd=tmp_path)
    assert (tmp_path / "config.ts").read_text() == CONFIG
    assert "CM302" in out and "costs.ts" in out, out + err


def test_a_commonjs_reader_and_a_client_left_alone(tmp_path: Path) -> None:
    lib = (
        'import OpenAI from "openai";\n'
        "export const openai = new OpenAI();\n"
        'export const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
    )
    fine = (
        'const { openai } = require("./lib");\nconst { MODEL } = require("./config");\n'
        "openai.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    _project(tmp_path, {"config.js": CONFIG, "lib.js": lib, "app.js": fine})
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "config.js").read_text() == CONFIG.replace("gpt-4o", "gpt-oss-120b")
    # The same constant also given to the client left alone: kept.
    _project(tmp_path, {"config.js": CONFIG, "lib.js": lib, "app.js": fine})
    groq = (
        'const { groq } = require("./lib");\nconst { MODEL } = require("./config");\n'
        "groq.chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    (tmp_path / "other.js").write_text(groq)
    invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "config.js").read_text() == CONFIG


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_program_with_a_cross_module_constant_runs_on_cerebras(tmp_path: Path, target: str) -> None:
    # As a hook runs it: one file named at a time, each seeing the whole project.
    original, migrated = run_migrated_file_by_file(
        tmp_path, "model_constant", "app.mjs", ["app.mjs", "config.mjs", "lib/openai.mjs"], target
    )
    assert [r.body["model"] for r in original] == ["gpt-4o-mini", "gpt-4o-mini"]
    assert [r.body["model"] for r in migrated] == ["gpt-oss-120b", "gpt-oss-120b"]
    for new, old in zip(migrated, original, strict=True):
        assert new.headers.get("authorization") == f"Bearer {CEREBRAS_KEY}"
        assert {k: v for k, v in new.body.items() if k != "model"} == {
            k: v for k, v in old.body.items() if k != "model"
        }


@pytest.mark.parametrize(
    "costs", [None, 'import { MODEL } from "./config";\nexport const P = { [MODEL]: 1 };\n']
)
def test_a_project_without_client_exports_still_decides_its_constants(
    tmp_path: Path, costs: str | None
) -> None:
    # No module exports a client, so only the model constants make the index read the others.
    app = (
        'import OpenAI from "openai";\nimport { MODEL } from "./config";\n'
        "new OpenAI().chat.completions.create({ model: MODEL, messages: [] });\n"
    )
    files = {"config.ts": CONFIG, "app.ts": app}
    if costs is not None:
        files["costs.ts"] = costs
    _project(tmp_path, files)
    invoke("--no-cache", "config.ts", cwd=tmp_path)
    kept = costs is not None
    assert (tmp_path / "config.ts").read_text() == (
        CONFIG if kept else CONFIG.replace("gpt-4o", "gpt-oss-120b")
    )


@pytest.mark.parametrize(
    "binding", ['import * as config from "./config";', 'const config = require("./config");']
)
def test_a_namespaces_member_is_a_read_of_that_constant(tmp_path: Path, binding: str) -> None:
    app = (
        f'import {{ openai }} from "./lib";\n{binding}\n'
        "openai.chat.completions.create({ model: config.MODEL, messages: [] });\n"
    )
    _project(tmp_path, {"config.ts": CONFIG, "lib.ts": LIB, "app.ts": app})
    _, out, err = invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "config.ts").read_text() == CONFIG.replace("gpt-4o", "gpt-oss-120b")
    assert "CM406" not in out + err
    # Read for something else too: kept, and the request reported.
    _project(tmp_path, {"config.ts": CONFIG, "app.ts": app + "console.log(config.MODEL);\n"})
    _, out, err = invoke("--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "config.ts").read_text() == CONFIG
    assert "CM302" in out + err


@pytest.mark.parametrize(
    "barrel",
    [
        'export * from "./config";\n',
        'export { MODEL } from "./config";\n',
        'export { MODEL as M2 } from "./config";\n',
        'import { MODEL } from "./config";\nexport { MODEL };\n',
        # A cycle of barrels ends.
        'export * from "./config";\nexport * from "./loop";\n',
    ],
)
@pytest.mark.parametrize("priced", [False, True])
def test_a_constant_passed_on_by_barrels_is_decided_by_its_readers(
    tmp_path: Path, barrel: str, priced: bool
) -> None:
    name = "M2" if "M2" in barrel else "MODEL"
    app = (
        f'import {{ openai }} from "./lib";\nimport {{ {name} as M }} from "./index";\n'
        "openai.chat.completions.create({ model: M, messages: [] });\n"
    )
    files = {
        "config.ts": CONFIG,
        "lib.ts": LIB,
        "index.ts": barrel,
        "loop.ts": 'export * from "./index";\n',
        "app.ts": app,
    }
    if priced:  # read through the other barrel of the cycle, for a price table
        files["costs.ts"] = (
            f'import {{ {name} }} from "./loop";\nexport const P = {{ [{name}]: 1 }};\n'
        )
    _project(tmp_path, files)
    _, out, err = invoke("--no-cache", "--output-format", "json", "config.ts", cwd=tmp_path)
    config = (tmp_path / "config.ts").read_text()
    if priced:  # loop.ts passes on all that index.ts does
        assert config == CONFIG, out + err
    else:
        assert config == CONFIG.replace("gpt-4o", "gpt-oss-120b"), out + err
    invoke("--no-cache", "--output-format", "json", "app.ts", cwd=tmp_path)
    assert (tmp_path / "app.ts").read_text() == app
