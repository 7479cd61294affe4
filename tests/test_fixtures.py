"""Every ``fixtures/<case>/input.py`` against each ``expected.<target>.py`` beside it.

The comparison is on bytes: the input is decoded and the output encoded the way the tool does
it for real files (``migrator.files``), so encodings and line endings are part of the check.
Option overrides for a case live in its ``options.json``. A folder without ``input.py``
(``fixtures/demo``) is not a case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import (
    assert_no_errors,
    check_diagnostics,
    load_options,
    migrate,
    text_diff,
    undefined_names,
)

from codemods.result import SourceResult
from migrator import files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTED_PREFIX = "expected."


def _cases() -> list[Any]:
    params: list[Any] = []
    for input_path in sorted(FIXTURES.glob("*/input.py")):
        case = input_path.parent
        for expected in sorted(case.glob(f"{EXPECTED_PREFIX}*.py")):
            target = expected.name.removeprefix(EXPECTED_PREFIX).removesuffix(".py")
            params.append(pytest.param(case, target, id=f"{case.name}-{target}"))
    return params


CASES = _cases()


def _run(path: Path, target: str, options: dict) -> tuple[files.Source, bytes, SourceResult]:
    source = files.decode(path, path.read_bytes())
    result = migrate(source.text, target=target, **options)
    assert_no_errors(result, f"migrating {path.parent.name}/{path.name}")
    return source, files.encode(source, result.code), result


def test_there_are_cases() -> None:
    assert CASES, f"no fixtures/*/input.py with an expected.<target>.py found in {FIXTURES}"


@pytest.mark.parametrize(("case", "target"), CASES)
def test_fixture(case: Path, target: str) -> None:
    options = load_options(case / "options.json")
    expected_path = case / f"{EXPECTED_PREFIX}{target}.py"
    source, produced, result = _run(case / "input.py", target, options)
    expected = expected_path.read_bytes()
    if produced != expected:
        expected_text = files.decode(expected_path, expected).text
        produced_text = produced.decode(source.encoding)
        diff = text_diff(expected_text, produced_text, (expected_path.name, "produced"))
        if expected_text == produced_text:
            diff = "equal as text: the bytes differ in encoding\n"
        pytest.fail(
            f"{case.name}: --target {target} output differs from {expected_path.name}:\n{diff}"
        )
    check_diagnostics(case / f"{EXPECTED_PREFIX}{target}.diagnostics", result.diagnostics)
    new_names = undefined_names(result.code) - undefined_names(source.text)
    assert not new_names, f"the rewrite uses names it never defines: {sorted(new_names)}"


@pytest.mark.parametrize(("case", "target"), CASES)
def test_fixture_is_idempotent(case: Path, target: str) -> None:
    """Migrating the expected output again changes nothing."""
    options = load_options(case / "options.json")
    expected_path = case / f"{EXPECTED_PREFIX}{target}.py"
    source, produced, _ = _run(expected_path, target, options)
    if produced != source.raw:
        pytest.fail(
            f"{case.name}: a second --target {target} run changes {expected_path.name}:\n"
            + text_diff(source.text, produced.decode(source.encoding), ("first run", "second run"))
        )
