"""Rewrite every ``fixtures/<case>/expected.<target>.py`` from the tool's current output.

Usage: ``python tools/regen_fixtures.py [TARGET ...]`` (default: the targets already present).
Review the result with ``git diff fixtures/`` before committing: the fixtures are the spec,
and this script only saves typing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from codemods.options import Options
from codemods.python.source import migrate_source
from migrator import files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def options_for(case: Path, target: str) -> Options:
    extra = {}
    if (case / "options.json").is_file():
        extra = json.loads((case / "options.json").read_text(encoding="utf-8"))
    frozen = {k: tuple(map(tuple, v)) if isinstance(v, list) else v for k, v in extra.items()}
    return Options(target=target, **frozen)  # type: ignore[arg-type]


def main(targets: list[str]) -> None:
    for input_path in sorted(FIXTURES.glob("*/input.py")):
        case = input_path.parent
        wanted = targets or [
            p.name.removeprefix("expected.").removesuffix(".py") for p in case.glob("expected.*.py")
        ]
        source = files.decode(input_path, input_path.read_bytes())
        for target in wanted:
            result = migrate_source(source.text, options_for(case, target))
            out = case / f"expected.{target}.py"
            data = files.encode(source, result.code)
            if not out.is_file() or out.read_bytes() != data:
                out.write_bytes(data)
                print(f"wrote {out.relative_to(FIXTURES.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
