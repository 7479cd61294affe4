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


def test_ci_lints_with_the_test_extras_ruff() -> None:
    """The lint step installs only ruff: the same requirement the test extra names."""
    import re

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (ruff,) = [r for r in extra["project"]["optional-dependencies"]["test"] if r.startswith("ruff")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.findall(r"pip install -q '(ruff[^']*)'", ci) == [ruff]
