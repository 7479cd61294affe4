"""TypeScript migrated with ``--target cerebras`` type-checks against the real Cerebras TS SDK
types: ``tsc --noEmit --strict`` (the ``typescript`` package of ``tests/js/package-lock.json``).

Every TypeScript input under ``fixtures/js/`` that imports openai-node is migrated here by
``migrate_js`` (not read from its expected file, so that a change to the fixers is what is
checked) and all are checked in one run. A migrated file has no error at all, except where
the tool reported the response-type union (CM411): there only the union's own errors
(``.choices`` missing or possibly undefined) may remain, and where it reported a param the
SDK lacks (CM204), that excess property (TS2769). The openai-node inputs with
``r.choices`` fail without the cast (CM412), which the test asserts for the one that shows it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import js_packages
import pytest
from test_js_typecheck import FIXTURES, TSCONFIG, TYPESCRIPT

from codemods.facts import js
from codemods.js.source import migrate_js
from codemods.options import Options

_ERROR = re.compile(r"^(?P<file>[^(\s]+)\(\d+,\d+\): error (?P<code>TS\d+)", re.MULTILINE)
# What the union itself causes: a member missing on the error chunk, a possibly undefined one.
UNION_ERRORS = frozenset({"TS2339", "TS18047", "TS18048", "TS18049", "TS2532", "TS2533"})


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _tsc(directory: Path, node_modules: Path) -> dict[str, list[str]]:
    (directory / "node_modules").symlink_to(node_modules, target_is_directory=True)
    (directory / "package.json").write_text('{"type": "module"}\n')
    (directory / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    done = subprocess.run(
        [str(node_modules / ".bin" / "tsc"), "-p", ".", "--pretty", "false"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {}
    for found in _ERROR.finditer(done.stdout):
        errors.setdefault(found["file"], []).append(found["code"])
    return errors


def test_typescript_migrated_to_the_cerebras_sdk_type_checks(
    node_modules: Path, tmp_path: Path
) -> None:
    reported: dict[str, set[str]] = {}
    for source in sorted(FIXTURES.glob("*/input.*")):
        text = source.read_text()
        if source.suffix not in TYPESCRIPT or f'"{js.OPENAI_SPECIFIER}"' not in text:
            continue
        result = migrate_js(text, Options(target="cerebras"), source.suffix)
        assert not result.error, result.diagnostics
        name = f"{source.parent.name}{source.suffix}"
        (tmp_path / name).write_text(result.code)
        reported[name] = {d.code for d in result.diagnostics}
    assert any("CM412" in codes for codes in reported.values())
    errors = _tsc(tmp_path, node_modules)
    assert set(errors) <= set(reported), errors
    for name, codes in reported.items():
        found = set(errors.get(name, []))
        if "CM111" in codes or any(c in codes for c in ("CM103", "CM104", "CM105", "CM106")):
            continue  # left on openai-node as it was
        if "CM204" in codes:
            found.discard("TS2769")  # the param the SDK lacks, reported
        if "CM411" in codes:
            assert found <= UNION_ERRORS, (name, found)
        else:
            assert not found, (name, errors[name])


def test_without_the_cast_the_response_does_not_type_check(
    node_modules: Path, tmp_path: Path
) -> None:
    """What CM412 prevents: the same migrated file without its cast fails TS2339."""
    source = FIXTURES / "cerebras_target_names" / "input.ts"
    result = migrate_js(source.read_text(), Options(target="cerebras"), ".ts")
    cast = f" as Cerebras.{js.CEREBRAS_CHAT_RESPONSE_TYPE}"
    assert cast in result.code
    uncast = result.code.replace(cast, "")
    (tmp_path / "cast.ts").write_text(result.code)
    (tmp_path / "uncast.ts").write_text(uncast)
    errors = _tsc(tmp_path, node_modules)
    assert "TS2339" not in errors.get("cast.ts", []), errors
    assert "TS2339" in errors["uncast.ts"]
