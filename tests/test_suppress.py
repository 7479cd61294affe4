"""Choosing what is reported: inline ignores, --select/--ignore, --strict, the rule list."""

from __future__ import annotations

from pathlib import Path

from helpers import invoke, migrate

from codemods.rules import RULES

SRC = """\
from openai import OpenAI

client = OpenAI()  # cerebras-migrate: ignore
other = OpenAI()
client.embeddings.create(model="text-embedding-3", input="x")  # cerebras-migrate: ignore[CM401]
client.embeddings.create(model="text-embedding-3", input="y")
client.chat.completions.create(model="gpt-4o", messages=[])  # cerebras-migrate: ignore[CM401]
"""


def test_bare_ignore_leaves_the_statement_as_written() -> None:
    result = migrate(SRC)
    lines = result.code.splitlines()
    assert "client = OpenAI()  # cerebras-migrate: ignore" in lines
    assert '    base_url="https://api.cerebras.ai/v1",' in lines  # ``other`` is migrated
    assert all(d.line != 3 for d in result.diagnostics)


def test_ignore_with_codes_silences_only_those_codes_on_that_line() -> None:
    result = migrate(SRC)
    reported = [(d.line, d.code) for d in result.diagnostics if d.code in ("CM401", "CM301")]
    # Positions refer to the file as it was read.
    assert reported == [(6, "CM401"), (7, "CM301")]
    assert 'model="gpt-oss-120b"' in result.code  # the rewrite on an ignore[CODE] line happens


def test_select_and_ignore_by_prefix(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SRC)
    _, _, err = invoke("--check", "--select", "CM4", cwd=tmp_path)
    assert "CM401" in err and "CM301" not in err
    _, _, err = invoke("--check", "--ignore", "CM401,CM3", cwd=tmp_path)
    assert "CM401" not in err.split("scanned")[0] and "CM301" not in err.split("scanned")[0]


def test_strict_fails_on_warnings_only(tmp_path: Path) -> None:
    clean = tmp_path / "m.py"
    clean.write_text(
        "import os\n\nfrom openai import Omit, OpenAI\n\n"
        'client = OpenAI(\n    base_url="https://api.cerebras.ai/v1",\n'
        '    api_key=os.environ["CEREBRAS_API_KEY"],\n'
        '    default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},\n)\n'
        'client.embeddings.create(model="e", input="x")\n'
    )
    code, out, err = invoke("--check", cwd=tmp_path)
    assert (code, out) == (0, "")
    assert "CM401" in err
    code, _, _ = invoke("--check", "--strict", cwd=tmp_path)
    assert code == 1
    code, _, _ = invoke("--check", "--strict", "--ignore", "CM401", cwd=tmp_path)
    assert code == 0


def test_list_rules_and_explain(tmp_path: Path) -> None:
    code, out, _ = invoke("--list-rules", cwd=tmp_path)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(RULES)
    code, out, _ = invoke("--explain", "cm403", cwd=tmp_path)
    assert code == 0 and out.startswith("CM403 (tools-with-response-format), severity warning")
    code, _, err = invoke("--explain", "CM999", cwd=tmp_path)
    assert code == 2 and "no such code" in err
