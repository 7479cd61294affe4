"""Multi-module projects: every ``fixtures/projects/<case>/`` through the real command line.

A case is a small program of several modules whose clients, factories and handlers reach
across files (an import by name, ``import pkg.llm as llm``, relative imports, a factory, a
``self.client``, a package re-export, a ``src/`` layout, ...):

- ``input/``: the project before migration, a tree with its own ``pyproject.toml`` (so it is
  its own project root, as the index finds it: migrator/project.py);
- ``expected.<target>/``: the whole tree after ``cerebras-migrate --target <target> .``, every
  file, changed or not, without the index cache (``.cerebras-migrate-cache/``);
- ``expected.<target>.diagnostics``: the diagnostics of that run, one per line as
  ``path:line:col CODE message`` (the path relative to the project root, with ``/``; line and
  column in the file as it was read), sorted by path, then line and column as numbers, then
  code and message. No file: no diagnostic.

For each case and target the tests run the CLI (click's runner, in-process, as
tests/test_cli.py does) on a copy of ``input/`` and check that:

- the run over the whole tree gives ``expected.<target>/`` byte for byte and exactly the
  diagnostics listed; it reports no error and leaves no changed ``.py`` file using a name
  pyflakes finds undefined that was defined before; a second run changes nothing (the cache
  of the first run is stale by then: the files it indexed were rewritten);
- running it on one named file of the project, the way a pre-commit hook does (from the
  project root, and from an unrelated folder with the file's absolute path), gives that file
  exactly its content in ``expected.<target>/`` and its diagnostics, and touches no other
  file: the hook sees the whole project;
- ``--no-cache`` writes no cache folder, and a cold, a warm and a cache-less run (and one
  with ``-j 1``) report the same diffs and diagnostics and write the same trees (compared
  with each other, not with the expected files: this holds for the known bugs too).

``python tools/regen_fixtures.py --projects`` rewrites the expected trees and diagnostics
from the tool's output; read ``git diff fixtures/projects`` before committing them. A case
the tool gets wrong keeps the right expected files and is listed in ``KNOWN_BUGS``
(strict xfail): fixing the bug makes the test pass, and then fail until the entry goes.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import invoke, text_diff, undefined_names

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"
CACHE_DIR = ".cerebras-migrate-cache"
EXPECTED = "expected."

# (case, target) -> why the tool's output differs from the expected files, which say what it
# should do (written by hand; tools/regen_fixtures.py --projects leaves them alone): the
# tests of that case and target are strict xfails, and pass once the entry goes.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _cases(known_bugs: bool) -> list[Any]:
    """(case, target) for each ``expected.<target>/``; with ``known_bugs``, those of
    ``KNOWN_BUGS`` are marked as strict xfails."""
    params: list[Any] = []
    for input_dir in sorted(PROJECTS.glob("*/input")):
        case = input_dir.parent
        for expected in sorted(case.glob(f"{EXPECTED}*")):
            if not expected.is_dir():
                continue
            target = expected.name.removeprefix(EXPECTED)
            reason = KNOWN_BUGS.get((case.name, target)) if known_bugs else None
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(case, target, id=f"{case.name}-{target}", marks=marks))
    return params


CASES = _cases(known_bugs=True)  # checked against the expected files
RUNS = _cases(known_bugs=False)  # runs checked against each other only


# Trees and runs ---------------------------------------------------------------------------
def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its posix path relative to it, without the cache."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and CACHE_DIR not in path.relative_to(root).parts
    }


def copy_project(case: Path, into: Path) -> Path:
    """A fresh copy of the case's ``input/`` at ``into/<case>``."""
    root = into / case.name
    shutil.copytree(case / "input", root)
    return root


def run(*args: str, cwd: Path, root: Path) -> tuple[int, dict[str, Any], list[str]]:
    """``cerebras-migrate --output-format json ARGS`` in ``cwd``: the exit code, the JSON
    report and its diagnostics as lines of the ``.diagnostics`` format (paths relative to
    ``root``), sorted."""
    code, out, err = invoke("--output-format", "json", *args, cwd=cwd)
    # Only the note of the openai release assumed may go to stderr with --output-format json.
    noise = [line for line in err.splitlines() if not line.startswith("openai version assumed:")]
    assert not noise, f"the json format printed on stderr:\n{err}"
    report = json.loads(out)
    assert code in (0, 1) and report["error"] is None, (
        f"cerebras-migrate {' '.join(args)} exited {code}: {report['error']}\n"
        f"{json.dumps(report['diagnostics'], indent=1)}"
    )
    rows = []
    for item in report["diagnostics"]:
        path = Path(os.path.normpath(cwd / item["path"]))
        rows.append(
            (
                path.relative_to(root).as_posix(),
                item["line"],
                item["column"],
                item["code"],
                item["message"],
            )
        )
    lines = [f"{p}:{line}:{col} {code} {msg}" for p, line, col, code, msg in sorted(rows)]
    return code, report, lines


def expected_diagnostics(case: Path, target: str) -> list[str]:
    path = case / f"{EXPECTED}{target}.diagnostics"
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def tree_differences(expected: dict[str, bytes], produced: dict[str, bytes]) -> str:
    """What differs between two trees, as missing and extra files and text diffs."""
    report = []
    for name in sorted(expected.keys() - produced.keys()):
        report.append(f"missing: {name}\n")
    for name in sorted(produced.keys() - expected.keys()):
        report.append(f"not expected: {name}\n")
    for name in sorted(expected.keys() & produced.keys()):
        if expected[name] != produced[name]:
            old = expected[name].decode("utf-8", "replace")
            new = produced[name].decode("utf-8", "replace")
            diff = text_diff(old, new, (f"expected/{name}", f"produced/{name}"))
            report.append(diff or f"{name}: the bytes differ, not the text\n")
    return "".join(report)


def lines_diff(expected: list[str], produced: list[str], name: str) -> str:
    return text_diff(
        "".join(f"{line}\n" for line in expected),
        "".join(f"{line}\n" for line in produced),
        (name, "produced"),
    )


def python_files(case: Path) -> list[str]:
    return sorted(name for name in tree(case / "input") if name.endswith(".py"))


# The whole tree ---------------------------------------------------------------------------
def test_there_are_cases() -> None:
    assert CASES, f"no fixtures/projects/<case>/input with an expected.<target>/ in {PROJECTS}"


def test_every_case_is_a_project_of_its_own() -> None:
    """Each input has a pyproject.toml (its project root) and both targets' expectations."""
    for input_dir in sorted(PROJECTS.glob("*/input")):
        case = input_dir.parent
        assert (input_dir / "pyproject.toml").is_file(), f"{case.name}: no input/pyproject.toml"
        for target in ("openai", "cerebras"):
            assert (case / f"{EXPECTED}{target}").is_dir(), f"{case.name}: no expected.{target}/"
        assert not (input_dir / CACHE_DIR).exists(), f"{case.name}: a cache in input/"


@pytest.mark.parametrize(("case", "target"), CASES)
def test_project(case: Path, target: str, tmp_path: Path) -> None:
    root = copy_project(case, tmp_path)
    before = tree(root)
    _, _, diagnostics = run("--target", target, ".", cwd=root, root=root)
    after = tree(root)
    expected_tree = tree(case / f"{EXPECTED}{target}")
    differences = tree_differences(expected_tree, after)
    if differences:
        pytest.fail(
            f"{case.name}: --target {target} differs from expected.{target}/:\n{differences}"
        )
    expected = expected_diagnostics(case, target)
    assert diagnostics == expected, f"{case.name}: diagnostics differ:\n" + lines_diff(
        expected, diagnostics, f"expected.{target}.diagnostics"
    )
    for name, data in after.items():
        if name.endswith(".py") and data != before[name]:
            new_names = undefined_names(data.decode("utf-8")) - undefined_names(
                before[name].decode("utf-8")
            )
            assert not new_names, f"{name}: the rewrite uses names it never defines: {new_names}"
    # Idempotent: a second run over the result changes nothing.
    code, _, _ = run("--target", target, ".", cwd=root, root=root)
    again = tree(root)
    assert again == after, f"{case.name}: a second --target {target} run changes the tree:\n" + (
        tree_differences(after, again)
    )
    assert code == 0, f"{case.name}: a second run exits {code}, as if it had changed something"


# One file, as a pre-commit hook runs it -------------------------------------------------------
@pytest.mark.parametrize("where", ["root", "elsewhere"])
@pytest.mark.parametrize(("case", "target"), CASES)
def test_one_file_sees_the_whole_project(
    case: Path, target: str, where: str, tmp_path: Path
) -> None:
    expected_tree = tree(case / f"{EXPECTED}{target}")
    expected = expected_diagnostics(case, target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    failures = []
    for number, name in enumerate(python_files(case)):
        root = copy_project(case, tmp_path / str(number))
        before = tree(root)
        if where == "root":
            _, _, diagnostics = run("--target", target, name, cwd=root, root=root)
        else:
            path = str(root / name)
            _, _, diagnostics = run("--target", target, path, cwd=elsewhere, root=root)
        after = tree(root)
        if after[name] != expected_tree[name]:
            failures.append(
                f"{name} alone:\n"
                + text_diff(
                    expected_tree[name].decode(),
                    after[name].decode(),
                    (f"expected.{target}/{name}", "produced"),
                )
            )
        others = {key: value for key, value in after.items() if key != name}
        if others != {key: value for key, value in before.items() if key != name}:
            failures.append(f"{name} alone: other files changed\n")
        mine = [line for line in expected if line.startswith(f"{name}:")]
        if diagnostics != mine:
            failures.append(f"{name} alone: diagnostics\n" + lines_diff(mine, diagnostics, "whole"))
    if failures:
        pytest.fail(f"{case.name} --target {target}, run from {where}:\n" + "".join(failures))


# The cache ------------------------------------------------------------------------------
def _outcome(report: dict[str, Any], diagnostics: list[str]) -> tuple[Any, ...]:
    files = [(item["path"], item["status"], item.get("diff")) for item in report["files"]]
    return files, diagnostics


@pytest.mark.parametrize(("case", "target"), RUNS)
def test_cache_changes_nothing(case: Path, target: str, tmp_path: Path) -> None:
    cached = copy_project(case, tmp_path / "cached")
    args = ("--target", target, "--diff", ".")
    _, cold, cold_lines = run(*args, cwd=cached, root=cached)
    assert (cached / CACHE_DIR).is_dir(), "a run with the cache on wrote no cache folder"
    _, warm, warm_lines = run(*args, cwd=cached, root=cached)
    assert _outcome(warm, warm_lines) == _outcome(cold, cold_lines), "a warm cache changed the run"

    plain = copy_project(case, tmp_path / "plain")
    _, uncached, uncached_lines = run("--no-cache", *args, cwd=plain, root=plain)
    assert not (plain / CACHE_DIR).exists(), "--no-cache wrote a cache folder"
    assert _outcome(uncached, uncached_lines) == _outcome(cold, cold_lines), (
        "--no-cache changed the run"
    )
    _, one_job, one_job_lines = run("--no-cache", "-j", "1", *args, cwd=plain, root=plain)
    assert _outcome(one_job, one_job_lines) == _outcome(cold, cold_lines), "-j 1 changed the run"
    assert tree(plain) == tree(case / "input"), "--diff wrote files"

    # Written with a warm cache and without one: the same trees.
    run("--target", target, ".", cwd=cached, root=cached)
    run("--no-cache", "--target", target, ".", cwd=plain, root=plain)
    assert not (plain / CACHE_DIR).exists(), "--no-cache wrote a cache folder"
    differences = tree_differences(tree(plain), tree(cached))
    assert not differences, f"a warm cache gives another tree:\n{differences}"
