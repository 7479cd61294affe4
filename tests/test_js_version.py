"""The openai-node release a JavaScript/TypeScript module runs on (``codemods/js/version.py``)
and the decision that depends on it: an ``extra_body`` entry whose value the release does
not type (``reasoning_effort: "none"`` before 6.9.0) is spread from ``{...} as object``.

The facts (``TYPED_SINCE`` in ``codemods/facts/js.py``) are checked with tsc against the two
releases ``tests/js`` locks (``openai`` and ``openai-v6.8``, an npm alias of 6.8.1), and so
are the fixtures ``extra_body_old_release`` (type-checks on 6.8.1) and
``extra_body_new_release`` (the plain spread, which fails there). Node and npm are required
(``tests/js_packages.py``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import js_packages
import pytest
from helpers import invoke
from packaging.version import Version
from test_js_typecheck import _ERROR, TSCONFIG

from codemods.facts import js
from codemods.js import version
from codemods.js.source import migrate_js
from codemods.options import Options

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "js"
REQUEST = """\
import OpenAI from "openai";

const client = new OpenAI();
const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
export const reply = await client.chat.completions.create({{ model: "m", messages, {params} }});
"""


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _tsc(node_modules: Path, package: str, files: dict[str, str], where: Path) -> dict[str, list]:
    """tsc --strict on ``files`` with ``node_modules/openai`` the installed ``package``: the
    error codes of each file."""
    where.mkdir()
    modules = where / "node_modules"
    modules.mkdir()
    (modules / "openai").symlink_to(node_modules / package, target_is_directory=True)
    (modules / "@types").symlink_to(node_modules / "@types", target_is_directory=True)
    (where / "package.json").write_text('{"type": "module"}\n')
    (where / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    for name, text in files.items():
        (where / name).write_text(text)
    done = subprocess.run(
        [str(node_modules / ".bin" / "tsc"), "-p", ".", "--pretty", "false"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors: dict[str, list] = {name: [] for name in files}
    for found in _ERROR.finditer(done.stdout):
        errors[found["file"]].append(found["code"])
    return errors


def _installed(node_modules: Path, package: str) -> str:
    return json.loads((node_modules / package / "package.json").read_text())["version"]


def test_typed_since_facts_and_the_fixtures_against_both_releases(
    node_modules: Path, tmp_path: Path
) -> None:
    probes = {
        f"probe{i}.ts": REQUEST.format(params=f"...{{ {param}: {json.dumps(value)} }}")
        for i, (param, value) in enumerate(js.TYPED_SINCE)
    }
    old = (FIXTURES / "extra_body_old_release" / "expected.openai.ts").read_text()
    new = (FIXTURES / "extra_body_new_release" / "expected.openai.ts").read_text()
    assert "as object" in old and "as object" not in new
    releases = {"openai-v6.8": None, "openai": None}
    for package in releases:
        release = _installed(node_modules, package)
        files = {**probes, "old.ts": old, "new.ts": new}
        errors = _tsc(node_modules, package, files, tmp_path / package)
        for (param, value), name in zip(js.TYPED_SINCE, probes, strict=True):
            since = js.TYPED_SINCE[(param, value)]
            typed = Version(release) >= Version(since)
            assert (errors[name] == []) == typed, (release, param, value, errors[name])
            assert version.types_value(param, value, release) == typed
        assert errors["old.ts"] == [], (release, errors)  # as object: on every release
        # The plain spread, written for a release that types the value, fails on an older one.
        assert (errors["new.ts"] == []) == version.types_value(
            "reasoning_effort", "none", release
        ), (release, errors)
        releases[package] = release
    # The two releases bracket the fact, so that both outcomes are seen.
    assert not version.types_value("reasoning_effort", "none", releases["openai-v6.8"])
    assert version.types_value("reasoning_effort", "none", releases["openai"])
    assert releases["openai"] == js.OPENAI_NODE_LATEST


# Where the release comes from ---------------------------------------------------------------
def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _manifest(**tables: dict[str, str]) -> str:
    return json.dumps({"name": "app", **tables})


PNPM = """\
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      '@langchain/openai':
        specifier: ^0.3.0
        version: 0.3.17
      openai:
        specifier: ^6.8.0
        version: 6.8.1(ws@8.18.0)(zod@3.25.76)
"""
YARN_1 = """\
# yarn lockfile v1


"@langchain/openai@^0.3.0":
  version "0.3.17"

openai@^6.8.0, openai@^6.8.1:
  version "6.8.1"
  resolved "https://example.invalid/openai-6.8.1.tgz"
"""
YARN_BERRY = """\
"openai@npm:^6.8.0":
  version: 6.8.1
  resolution: "openai@npm:6.8.1"
"""


@pytest.mark.parametrize(
    ("files", "expected", "source"),
    [
        pytest.param(
            {
                "package.json": _manifest(dependencies={"openai": "^6.0.0"}),
                "node_modules/openai/package.json": '{"name": "openai", "version": "6.8.1"}',
            },
            "6.8.1",
            "node_modules/openai/package.json",
            id="installed",
        ),
        pytest.param(
            {
                "package.json": _manifest(dependencies={"openai": "^6.0.0"}),
                "package-lock.json": json.dumps(
                    {
                        "lockfileVersion": 3,
                        "packages": {
                            "": {},
                            "node_modules/openai": {"version": "6.8.1"},
                            "node_modules/openai-v3": {"name": "openai", "version": "3.3.0"},
                        },
                    }
                ),
            },
            "6.8.1",
            "package-lock.json",
            id="package-lock",
        ),
        pytest.param(
            {
                "package.json": _manifest(dependencies={"openai": "^4.0.0"}),
                "package-lock.json": json.dumps(
                    {"lockfileVersion": 1, "dependencies": {"openai": {"version": "4.20.1"}}}
                ),
            },
            "4.20.1",
            "package-lock.json",
            id="package-lock-v1",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"openai": "^6"}), "pnpm-lock.yaml": PNPM},
            "6.8.1",
            "pnpm-lock.yaml",
            id="pnpm",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"openai": "^6"}), "yarn.lock": YARN_1},
            "6.8.1",
            "yarn.lock",
            id="yarn-1",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"openai": "^6"}), "yarn.lock": YARN_BERRY},
            "6.8.1",
            "yarn.lock",
            id="yarn-berry",
        ),
        pytest.param(
            {"package.json": _manifest(devDependencies={"openai": "~6.8.0"})},
            "6.8.0",
            "package.json",
            id="declared-dev",
        ),
        pytest.param(
            {"package.json": _manifest(peerDependencies={"openai": ">=4.20 <7"})},
            "4.20.0",
            "package.json",
            id="declared-peer",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"openai": "npm:openai@^3.1.0"})},
            "3.1.0",
            "package.json",
            id="alias-v3",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"openai": "latest"})},
            js.OPENAI_NODE_LATEST,
            "package.json",
            id="latest",
        ),
        pytest.param(
            # The nearest package.json that names openai decides: the workspace's here.
            {
                "package.json": _manifest(dependencies={"openai": "6.8.1"}),
                "src/package.json": _manifest(dependencies={"react": "^19.0.0"}),
            },
            "6.8.1",
            "package.json",
            id="workspace-root",
        ),
        pytest.param(
            {"package.json": _manifest(dependencies={"react": "^19.0.0"})},
            js.OPENAI_NODE_LATEST,
            None,
            id="nothing",
        ),
    ],
)
def test_release_of(
    files: dict[str, str], expected: str, source: str | None, tmp_path: Path
) -> None:
    root = _project(tmp_path, files)
    release = version.release_of(root / "src" / "app.ts")
    assert release.version == expected
    assert release.path == (root / source if source is not None else None)


def test_the_nearest_package_json_wins_and_the_repository_bounds_the_search(
    tmp_path: Path,
) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "package.json").write_text(_manifest(dependencies={"openai": "4.0.0"}))
    root = _project(
        outer / "repo",
        {
            "package.json": _manifest(dependencies={"react": "^19.0.0"}),
            "web/package.json": _manifest(dependencies={"openai": "^6.8.0"}),
        },
    )
    assert version.release_of(root / "web" / "page.tsx").version == "6.8.0"
    # The repository's root has no openai: the package.json above it is not its project's.
    assert version.release_of(root / "server.js") == version.NEWEST


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("^6.8.0", "6.8.0"),
        ("~4.20", "4.20.0"),
        (">=4 <5", "4.0.0"),
        (">= 4.2", "4.2.0"),
        ("6.x", "6.0.0"),
        ("4.0.0 - 5", "4.0.0"),
        ("^3.2 || >=4.1.0", "3.2.0"),
        ("v6.9.1", "6.9.1"),
        ("npm:openai@^6.8.0", "6.8.0"),
        ("latest", None),
        ("*", None),
        ("<5", None),
        ("workspace:*", None),
        ("github:openai/openai-node", None),
    ],
)
def test_lowest(spec: str, expected: str | None) -> None:
    assert version.lowest(spec) == expected


def test_v3_is_exposed() -> None:
    assert version.is_v3("3.3.0") and version.is_v3("3.1.0")
    assert not version.is_v3("4.0.0") and not version.is_v3(None)


def test_the_decision_follows_the_release() -> None:
    source = (FIXTURES / "extra_body_old_release" / "input.ts").read_text()
    for release, spread in (("6.8.1", "...({"), ("6.9.0", "...{"), (None, "...{")):
        result = migrate_js(source, Options(openai_node_version=release), ".ts")
        assert f"    {spread} reasoning_effort" in result.code, release
    # JavaScript has no types: a plain entry whatever the release.
    result = migrate_js(source, Options(openai_node_version="6.8.1"), ".js")
    assert '    reasoning_effort: "none",\n' in result.code.replace(": string", "")


# The command line ---------------------------------------------------------------------------
APP = (FIXTURES / "extra_body_old_release" / "input.ts").read_text()


def test_the_cli_reads_the_release_from_package_json(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "old/package.json": _manifest(dependencies={"openai": "6.8.1"}),
            "old/app.ts": APP,
            "new/package.json": _manifest(dependencies={"openai": "^6.9.0"}),
            "new/app.ts": APP,
        },
    )
    code, out, err = invoke("--diff", ".", cwd=root)
    assert code == 1, err
    diffs = {part.split("\n", 1)[0]: part for part in out.split("--- a/")[1:]}
    assert "as object)" in diffs["old/app.ts"]
    assert "as object)" not in diffs["new/app.ts"]
    (line,) = [line for line in err.splitlines() if line.startswith("openai version assumed:")]
    # No Python module imports openai: the line names openai-node's releases only.
    assert line in (
        'openai version assumed: openai-node 6.9.0 (new/package.json: "openai": "^6.9.0"), '
        '6.8.1 (old/package.json: "openai": "6.8.1")',
        'openai version assumed: openai-node 6.8.1 (old/package.json: "openai": "6.8.1"), '
        '6.9.0 (new/package.json: "openai": "^6.9.0")',
    ), line


def test_the_line_names_openai_node_only_when_a_js_file_uses_openai(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "package.json": _manifest(dependencies={"openai": "6.8.1"}),
            "app.py": "from openai import OpenAI\nclient = OpenAI()\n",
            "other.ts": 'import { ChatOpenAI } from "@langchain/openai";\nexport const m = 1;\n',
        },
    )
    _, _, err = invoke("--check", ".", cwd=root)
    (line,) = [line for line in err.splitlines() if line.startswith("openai version assumed:")]
    assert "openai-node" not in line
    # Nor the Python release when no Python module imports openai; no line when nothing does.
    (root / "app.py").write_text("import json\n# openai\n")
    _, _, err = invoke("--check", ".", cwd=root)
    assert "openai version assumed" not in err
    (root / "app.py").write_text("from openai import OpenAI\nclient = OpenAI()\n")
    (root / "app.ts").write_text(APP)
    _, _, err = invoke("--check", ".", cwd=root)
    (line,) = [line for line in err.splitlines() if line.startswith("openai version assumed:")]
    assert line.endswith('; openai-node 6.8.1 (package.json: "openai": "6.8.1")'), line


def test_never_on_stderr_with_json_output(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"package.json": _manifest(dependencies={"openai": "6.8.1"}), "app.ts": APP},
    )
    code, out, err = invoke("--check", "--output-format", "json", ".", cwd=root)
    assert code == 1
    assert err == ""
    assert json.loads(out)["summary"]["files_changed"] == 1
