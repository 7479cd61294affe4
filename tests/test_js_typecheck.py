"""The TypeScript fixtures type-check after migration: ``tsc --noEmit --strict`` (the
``typescript`` package of ``tests/js/package-lock.json``) against the real ``openai`` types.

Each ``fixtures/js/<case>/input.{ts,mts,cts,tsx}`` and its ``expected.openai`` file are
checked in one run: the migrated file must have no error at all (the key read that throws
is a ``string``, ``organization: null`` is allowed, Cerebras-only params in a spread keep
the overloads, streaming included), while an input with Cerebras-only params or
``extra_body`` at the top level must show the excess-property error (TS2769) that the
spread removes, so that the check can fail. Node and npm are required
(``tests/js_packages.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import js_packages
import pytest

from codemods.facts import js

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "js"
TYPESCRIPT = (*js.TYPESCRIPT_SUFFIXES, *js.TSX_SUFFIXES)
_ERROR = re.compile(r"^(?P<file>[^(\s]+)\(\d+,\d+\): error (?P<code>TS\d+)", re.MULTILINE)
TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "types": ["node"],
        "skipLibCheck": True,
    }
}


@pytest.fixture(scope="module")
def node_modules() -> Path:
    return js_packages.node_modules()


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/input.*") if p.suffix in TYPESCRIPT)


def test_typescript_fixtures_type_check_after_migration(node_modules: Path, tmp_path: Path) -> None:
    cases = _cases()
    assert cases
    names: dict[str, tuple[str, bool]] = {}  # file in tmp_path -> (case, migrated)
    for source in cases:
        case = source.parent.name
        for path, migrated in (
            (source, False),
            (source.with_name(f"expected.openai{source.suffix}"), True),
        ):
            name = f"{case}.{'after' if migrated else 'before'}{source.suffix}"
            shutil.copyfile(path, tmp_path / name)
            names[name] = (case, migrated)
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    tsc = node_modules / ".bin" / "tsc"
    done = subprocess.run(
        [str(tsc), "-p", ".", "--pretty", "false"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {name: [] for name in names}
    for found in _ERROR.finditer(done.stdout):
        errors[found["file"]].append(found["code"])
    assert set(errors) == set(names), done.stdout  # every error is in a fixture
    for name, (case, migrated) in names.items():
        source = (FIXTURES / case / f"input{Path(name).suffix}").read_text()
        if migrated:
            assert errors[name] == [], (
                f"{case}: the migrated file does not type-check\n{done.stdout}"
            )
        elif js.CEREBRAS_SPECIFIER in source:
            continue  # the Cerebras TS SDK declares its params: the input type-checks too
        elif "extra_body" in source or "clear_thinking" in source or "reasoning_format" in source:
            assert "TS2769" in errors[name], f"{case}: the input was expected to fail TS2769"
