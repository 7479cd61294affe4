"""Rewrite the expected outputs of every fixture from the tool's current output.

For ``fixtures/<case>/input.py``: ``expected.<target>.py`` and ``expected.<target>.diagnostics``;
for ``fixtures/notebooks/<case>/input.ipynb``: ``expected.<target>.ipynb`` and its
``.diagnostics``. A case with no diagnostics for a target has no ``.diagnostics`` file.

Usage: ``python tools/regen_fixtures.py [TARGET ...]`` (default: the targets already present).

``python tools/regen_fixtures.py --projects [TARGET ...]`` does the multi-module projects
instead: for each ``fixtures/projects/<case>/input/`` it runs the real command line over a
copy of the tree and writes ``expected.<target>/`` (the whole tree after the run, without the
index cache) and ``expected.<target>.diagnostics`` (see tests/test_projects.py for the
format). Default targets: those already present, else openai and cerebras. A case and target
listed in ``KNOWN_BUGS`` of tests/test_projects.py keeps its hand-written expectations (what
the tool should do); drop the entry once the bug is fixed.

Review the result with ``git diff fixtures/`` before committing: the fixtures are the spec,
and this script only saves typing.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
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


# Multi-module projects (--projects) ---------------------------------------------------------

PROJECTS = FIXTURES / "projects"
PROJECT_TARGETS = ("openai", "cerebras")
CACHE_DIR = ".cerebras-migrate-cache"


def project_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its posix path, without the index cache."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and CACHE_DIR not in path.relative_to(root).parts
    }


def project_diagnostics(report: dict, cwd: Path, root: Path) -> str:
    """The JSON report's diagnostics as tests/test_projects.py stores them: one
    ``path:line:col CODE message`` line each, the path relative to ``root``, sorted."""
    rows = []
    for item in report["diagnostics"]:
        path = Path(os.path.normpath(cwd / item["path"])).relative_to(root).as_posix()
        rows.append((path, item["line"], item["column"], item["code"], item["message"]))
    return "".join(
        f"{p}:{line}:{col} {code} {message}\n" for p, line, col, code, message in sorted(rows)
    )


def run_project(root: Path, target: str) -> tuple[int, dict]:
    """Run ``cerebras-migrate --target TARGET --output-format json .`` in ``root``."""
    from click.testing import CliRunner

    from migrator.cli import main as cli

    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            cli, ["--target", target, "--output-format", "json", "."], catch_exceptions=False
        )
    finally:
        os.chdir(old)
    return result.exit_code, json.loads(result.stdout)


def _write_tree(folder: Path, tree: dict[str, bytes]) -> None:
    """Make ``folder`` hold exactly ``tree``."""
    old = project_tree(folder) if folder.is_dir() else {}
    if old == tree:
        return
    if folder.is_dir():
        shutil.rmtree(folder)
    for name, data in tree.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {folder.relative_to(FIXTURES.parent)}/")


def _known_bugs() -> dict[tuple[str, str], str]:
    tests = str(FIXTURES.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)  # test_projects imports its helpers as pytest does
    from test_projects import KNOWN_BUGS

    return KNOWN_BUGS


def main_projects(wanted: list[str]) -> None:
    known_bugs = _known_bugs()
    for input_dir in sorted(PROJECTS.glob("*/input")):
        case = input_dir.parent
        present = [p.name.split(".")[1] for p in sorted(case.glob("expected.*")) if p.is_dir()]
        for target in wanted or present or list(PROJECT_TARGETS):
            if (case.name, target) in known_bugs:
                print(f"kept fixtures/projects/{case.name}/expected.{target}* (a known bug)")
                continue
            with tempfile.TemporaryDirectory() as scratch:
                root = Path(os.path.realpath(scratch)) / case.name
                shutil.copytree(input_dir, root)
                code, report = run_project(root, target)
                if code not in (0, 1) or report["error"]:
                    sys.exit(f"{case.name}: --target {target} exited {code}: {report['error']}")
                _write_tree(case / f"expected.{target}", project_tree(root))
                text = project_diagnostics(report, root, root)
            path = case / f"expected.{target}.diagnostics"
            if text:
                _write(path, text.encode("utf-8"))
            elif path.is_file():
                path.unlink()
                print(f"removed {path.relative_to(FIXTURES.parent)}")


if __name__ == "__main__":
    if "--projects" in sys.argv[1:]:
        main_projects([arg for arg in sys.argv[1:] if arg != "--projects"])
    else:
        main(sys.argv[1:])
