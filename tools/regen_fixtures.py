"""Rewrite the expected outputs of every fixture from the tool's current output.

For ``fixtures/<case>/input.py``: ``expected.<target>.py`` and ``expected.<target>.diagnostics``;
for ``fixtures/notebooks/<case>/input.ipynb``: ``expected.<target>.ipynb`` and its
``.diagnostics``. A case with no diagnostics for a target has no ``.diagnostics`` file.

Usage: ``python tools/regen_fixtures.py [TARGET ...]`` (default: the targets already present).
Review the result with ``git diff fixtures/`` before committing: the fixtures are the spec,
and this script only saves typing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from codemods.options import Options
from codemods.python.source import migrate_source
from codemods.rules import Diagnostic
from migrator import files
from migrator.notebooks import migrate_notebook
from migrator.report.text import position

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def options_for(case: Path, target: str) -> Options:
    extra = {}
    if (case / "options.json").is_file():
        extra = json.loads((case / "options.json").read_text(encoding="utf-8"))
    frozen = {k: tuple(map(tuple, v)) if isinstance(v, list) else v for k, v in extra.items()}
    return Options(target=target, **frozen)  # type: ignore[arg-type]


def _write(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
        print(f"wrote {path.relative_to(FIXTURES.parent)}")


def _diagnostics(path: Path, diagnostics: Iterable[Diagnostic]) -> None:
    """The same lines as tests/helpers.diagnostic_lines; no file when there are none."""
    text = "".join(f"{position('', d)[1:]} {d.code} {d.message}\n" for d in diagnostics)
    if text:
        _write(path, text.encode("utf-8"))
    elif path.is_file():
        path.unlink()
        print(f"removed {path.relative_to(FIXTURES.parent)}")


def _targets(case: Path, suffix: str, wanted: list[str]) -> list[str]:
    return wanted or [p.name.split(".")[1] for p in sorted(case.glob(f"expected.*{suffix}"))]


def main(wanted: list[str]) -> None:
    for input_path in sorted(FIXTURES.glob("*/input.py")):
        case = input_path.parent
        source = files.decode(input_path, input_path.read_bytes())
        for target in _targets(case, ".py", wanted):
            result = migrate_source(source.text, options_for(case, target))
            _write(case / f"expected.{target}.py", files.encode(source, result.code))
            _diagnostics(case / f"expected.{target}.diagnostics", result.diagnostics)
    for input_path in sorted(FIXTURES.glob("notebooks/*/input.ipynb")):
        case = input_path.parent
        raw = input_path.read_bytes()
        for target in _targets(case, ".ipynb", wanted):
            outcome, _ = migrate_notebook(input_path, raw, options_for(case, target))
            new = outcome.new.encode("utf-8") if outcome.new else raw
            _write(case / f"expected.{target}.ipynb", new)
            _diagnostics(case / f"expected.{target}.diagnostics", outcome.diagnostics)


if __name__ == "__main__":
    main(sys.argv[1:])
