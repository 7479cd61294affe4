"""Shared helpers for tests that run the migration on source text.

Import them as ``from helpers import migrate, invoke`` (pytest puts this folder on
``sys.path``). Options are given as keyword arguments named like the fields of
``codemods.options.Options``; ``target`` defaults to ``"openai"``. Source strings are used
as given: dedent them yourself (``textwrap.dedent``) when writing them indented.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from codemods.options import Options
from codemods.python.source import migrate_source
from codemods.result import SourceResult
from codemods.rules import Diagnostic, Severity
from migrator.cli import main
from migrator.report.text import position

# A small OpenAI app and what --target openai makes of it, shared by the CLI and hook tests.
OPENAI_APP = """\
from openai import OpenAI

client = OpenAI()


def ask(question: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content
"""

MIGRATED_APP = """\
import os

from openai import Omit, OpenAI

client = OpenAI(
    base_url="https://api.cerebras.ai/v1",
    api_key=os.environ["CEREBRAS_API_KEY"],
    default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
)


def ask(question: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-oss-120b",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content
"""

PLAIN = "import json\n\nprint(json.dumps({'llm': False}))\n"


OPTION_FIELDS = frozenset(f.name for f in dataclasses.fields(Options))


def _frozen(value: Any) -> Any:
    """JSON lists become tuples, nested too: ``[["a", "b"]]`` -> ``(("a", "b"),)``."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def make_options(**options: Any) -> Options:
    unknown = set(options) - OPTION_FIELDS
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; Options has {sorted(OPTION_FIELDS)}")
    options.setdefault("target", "openai")
    return Options(**{name: _frozen(value) for name, value in options.items()})


def load_options(path: Path) -> dict[str, Any]:
    """The option overrides stored in a fixture's ``options.json`` (none when it is absent)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path.name}: expected a JSON object of Options fields")
    make_options(**data)  # fail early, naming the file, on an unknown field
    return data


def migrate(src: str, **options: Any) -> SourceResult:
    return migrate_source(src, make_options(**options))


def undefined_names(code: str) -> set[str]:
    """The names pyflakes finds used and never defined in ``code``."""
    import ast

    from pyflakes import checker, messages

    found = checker.Checker(ast.parse(code))
    return {m.message_args[0] for m in found.messages if isinstance(m, messages.UndefinedName)}


def diagnostic_lines(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as the text format prints them, without the path: ``8:15 CM301 ...``
    (``cell 4:line 2:col 15 CM301 ...`` in a notebook), one per line."""
    return "".join(f"{position('', d)[1:]} {d.code} {d.message}\n" for d in diagnostics)


def check_diagnostics(expected_path: Path, diagnostics: Iterable[Diagnostic]) -> None:
    """The diagnostics are those ``expected_path`` lists (none when it does not exist)."""
    expected = expected_path.read_text(encoding="utf-8") if expected_path.is_file() else ""
    produced = diagnostic_lines(diagnostics)
    assert produced == expected, f"diagnostics differ from {expected_path.name}:\n" + text_diff(
        expected, produced, (expected_path.name, "produced")
    )


def _visible_lines(text: str) -> list[str]:
    """Lines for a diff, with a ``\\r`` shown as ``\\r`` and a missing final newline marked."""
    lines = []
    for line in text.splitlines(keepends=True):
        body = line.removesuffix("\n")
        lines.append(
            body.replace("\r", "\\r") + ("\n" if line.endswith("\n") else "  <no newline at end>\n")
        )
    return lines


def text_diff(expected: str, actual: str, names: tuple[str, str] = ("expected", "actual")) -> str:
    """A unified diff that shows line endings, so a lost ``\\r`` is visible."""
    diff = difflib.unified_diff(_visible_lines(expected), _visible_lines(actual), *names)
    return "".join(diff)


def assert_no_errors(result: SourceResult, what: str = "migration") -> None:
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert not result.error and not errors, f"{what} reported errors: {result.diagnostics}"


def invoke(
    *args: str, cwd: Path, stdin: bytes | str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run the command line in ``cwd`` with click's runner: exit code, stdout, stderr."""
    runner = CliRunner(env=env)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def run_migrator(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line (``python -m migrator``) in ``cwd``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "migrator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
