"""Every ``fixtures/js/<case>/input.<ext>`` against each ``expected.<target>.<ext>`` beside it,
byte for byte (BOM and CRLF included: the files are read and written as the tool does), with
the diagnostics of ``expected.<target>.diagnostics``; then the expected file again, which
must come back unchanged. ``CEREBRAS_MIGRATE_REGEN=1`` rewrites the expected files from the
tool's output instead (review ``git diff fixtures/js`` before committing)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from helpers import check_diagnostics, diagnostic_lines, load_options

from codemods.js.source import migrate_js
from codemods.options import TARGETS
from migrator import files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "js"
REGEN = os.environ.get("CEREBRAS_MIGRATE_REGEN") == "1"


def _cases() -> list[Any]:
    params = []
    for case in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        (source,) = case.glob("input.*")
        for target in TARGETS:
            params.append(pytest.param(source, target, id=f"{case.name}-{target}"))
    return params


def _migrate(path: Path, target: str) -> tuple[bytes, Any]:
    source = files.decode(path, path.read_bytes())
    options = load_options(path.parent / "options.json")
    from helpers import make_options

    result = migrate_js(source.text, make_options(target=target, **options), path.suffix)
    assert not result.error, result.diagnostics
    return files.encode(source, result.code), result


@pytest.mark.parametrize(("source", "target"), _cases())
def test_fixture(source: Path, target: str) -> None:
    expected_path = source.with_name(f"expected.{target}{source.suffix}")
    diagnostics_path = source.with_name(f"expected.{target}.diagnostics")
    produced, result = _migrate(source, target)
    if REGEN:
        expected_path.write_bytes(produced)
        lines = diagnostic_lines(result.diagnostics)
        if lines:
            diagnostics_path.write_text(lines, encoding="utf-8")
        elif diagnostics_path.exists():
            diagnostics_path.unlink()
    assert produced == expected_path.read_bytes()
    check_diagnostics(diagnostics_path, result.diagnostics)
    again, _ = _migrate(expected_path, target)
    assert again == produced, "a second run changed the file"
