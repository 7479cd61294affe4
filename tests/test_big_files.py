"""Big modules through the real command: parsed a group of statements at a time
(codemods/python/statements.py), shown to libcst only as focused, refused above what libcst
can take (CM905), diffed without indexing every line — with the results of a small module.

The per-group equivalence is tests/test_statements.py's; here the CLI and the project
index take the big path (``BIG_TEXT`` lowered in-process, or a real file of over 1 MB).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import invoke, make_options
from test_projects import CASES, copy_project, expected_diagnostics, run, tree, tree_differences

from codemods.python import source, statements

CLI = (sys.executable, "-m", "migrator", "--no-color")

HELPER = """def helper_{i}(values, scale={i}):
    total = 0
    for v in values:
        if v % 3 == {m}:
            total += v * scale
    return {{"name": "h{i}", "total": total}}


"""
HEAD = "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
ASK = (
    "def ask(question):\n"
    "    return client.chat.completions.create(\n"
    '        model="gpt-4o", messages=[{"role": "user", "content": question}],'
    " clear_thinking=False\n    )\n"
)


def _big(size: int, middle: str = "") -> str:
    parts, total, i = [HEAD], len(HEAD), 0
    while total < size:
        parts.append(HELPER.format(i=i, m=i % 3))
        total += len(parts[-1])
        i += 1
        if middle and i == 100:
            parts.append(middle)
    return "".join(parts) + ASK


def _small_path(text: str, target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(statements, "BIG_TEXT", len(text) + 1)
        return source.migrate_source(text, make_options(target=target)).code


@pytest.mark.parametrize(
    ("target", "newline"), [("openai", "\n"), ("cerebras", "\n"), ("openai", "\r\n")]
)
def test_a_big_file_is_migrated_like_a_small_one(
    target: str, newline: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _big(statements.BIG_TEXT + 200_000).replace("\n", newline)
    assert statements.is_big(text)
    path = tmp_path / "app.py"
    path.write_bytes(text.encode())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    done = subprocess.run(
        [*CLI, "--diff", "--target", target, "app.py"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    expected = _small_path(text, target, monkeypatch)
    assert expected != text
    # The diff applies, and gives what the small path gives.
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "apply", "-"], input=done.stdout, cwd=tmp_path, check=True)
    assert path.read_bytes() == expected.encode()


def test_a_syntax_error_late_in_a_big_file_is_reported_where_it_is(tmp_path: Path) -> None:
    text = _big(statements.BIG_TEXT + 100_000, middle="def broken(:\n    pass\n\n\n")
    line = text[: text.index("def broken(:")].count("\n") + 1
    (tmp_path / "big.py").write_text(text, encoding="utf-8")
    (tmp_path / "ok.py").write_text(HEAD + ASK, encoding="utf-8")
    done = subprocess.run(
        [*CLI, "--output-format", "json", "."],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    found = [(d["path"], d["code"], d["line"]) for d in json.loads(done.stdout)["diagnostics"]]
    assert ("big.py", "CM901", line) in found
    assert (tmp_path / "big.py").read_text(encoding="utf-8") == text
    assert "api.cerebras.ai" in (tmp_path / "ok.py").read_text(encoding="utf-8")


def test_more_code_than_libcst_can_take_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every function uses the client, so focus leaves nothing out.
    calls = "".join(
        f"def ask_{i}(q):\n"
        "    return client.chat.completions.create(model='gpt-4o', messages=q)\n\n\n"
        for i in range(400)
    )
    text = HEAD + calls
    monkeypatch.setattr(statements, "BIG_TEXT", 0)
    monkeypatch.setattr(statements, "MAX_WHOLE", len(text) // 2)
    (tmp_path / "dense.py").write_text(text, encoding="utf-8")
    (tmp_path / "ok.py").write_text(HEAD + ASK, encoding="utf-8")
    code, out, _ = invoke("--output-format", "json", ".", cwd=tmp_path)
    assert code == 2
    found = {(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]}
    assert ("dense.py", "CM905") in found
    assert (tmp_path / "dense.py").read_text(encoding="utf-8") == text
    assert "api.cerebras.ai" in (tmp_path / "ok.py").read_text(encoding="utf-8")


# The big path is Python's: a project without Python modules (JavaScript only) would repeat
# tests/test_projects.py exactly.
PYTHON_CASES = [case for case in CASES if any((case.values[0] / "input").rglob("*.py"))]


@pytest.mark.parametrize(("case", "target"), PYTHON_CASES)
def test_projects_indexed_as_big_modules(
    case: Path, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every project fixture, every module taking the big path in the index and the rewrite."""
    monkeypatch.setattr(statements, "BIG_TEXT", 0)
    monkeypatch.setattr(statements, "_GROUP", 64)
    root = copy_project(case, tmp_path)
    _, _, diagnostics = run("--no-cache", "--target", target, ".", cwd=root, root=root)
    produced = tree(root)
    expected = tree(case / f"{EXPECTED}{target}")
    assert produced == expected, tree_differences(expected, produced)
    assert diagnostics == expected_diagnostics(case, target)


EXPECTED = "expected."


def test_the_diff_of_a_long_file_applies(tmp_path: Path) -> None:
    """Above 20,000 lines the diff leaves the shared ends out of difflib's matching."""
    from migrator.report.diff import unified_diff

    old = "".join(f"line {i}\n" for i in range(30_000))
    lines = old.splitlines(True)
    lines[10] = "changed\n"
    lines.insert(20_000, "line 3\n")
    del lines[29_000]
    new = "".join(lines)
    (tmp_path / "f.py").write_text(old, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    patch = unified_diff("f.py", old, new)
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=tmp_path, check=True)
    assert (tmp_path / "f.py").read_text(encoding="utf-8") == new
    assert patch.count("@@ -") == 3
