"""The README's quick start is what CI runs, and what it promises exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)


def test_quick_start_has_two_commands_demo_then_tests() -> None:
    demo, tests = _quick_start_commands()
    assert "cerebras-migrate --diff fixtures/demo" in demo
    assert tests.endswith("python -m pytest")
    assert (ROOT / "fixtures" / "demo").is_dir()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, tests = _quick_start_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci_lines


def test_ci_lints_before_the_tests() -> None:
    _, tests = _quick_start_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    lint = ci_lines.index("ruff check . && ruff format --check .")
    assert lint < ci_lines.index(tests)
