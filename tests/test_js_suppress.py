"""``// cerebras-migrate: ignore`` in JavaScript and TypeScript (``codemods/js/
suppressions.py``): the same semantics as Python's ``# cerebras-migrate: ignore``."""

from __future__ import annotations

import pytest
from helpers import make_options

from codemods.js.source import migrate_js

HEAD = 'import OpenAI from "openai";\n'


def _migrate(text: str, suffix: str = ".js") -> tuple[str, list[tuple[int, str]]]:
    result = migrate_js(text, make_options(target="openai"), suffix)
    return result.code, [(d.line, d.code) for d in result.diagnostics]


@pytest.mark.parametrize(
    "mark",
    ["// cerebras-migrate: ignore", "/* cerebras-migrate: ignore */", "//cerebras-migrate:ignore"],
)
def test_an_ignored_constructor_and_its_requests_are_left_and_unreported(mark: str) -> None:
    text = (
        HEAD
        + f"const client = new OpenAI({{ apiKey: process.env.OPENAI_API_KEY }}); {mark}\n"
        + 'client.chat.completions.create({ model: "gpt-4o", extra_body: { min_tokens: 1 } });\n'
    )
    assert _migrate(text) == (text, [])


def test_a_mark_on_any_line_of_a_statement_leaves_all_of_it() -> None:
    text = HEAD + (
        "const client = new OpenAI({\n"
        '  apiKey: "sk-proj-abcdefghijklmnopqrstuvwxyz012345", // cerebras-migrate: ignore\n'
        "});\n"
    )
    assert _migrate(text) == (text, [])


def test_a_marked_function_header_leaves_its_body() -> None:
    text = HEAD + (
        "const client = new OpenAI();\n"
        "function ask() { // cerebras-migrate: ignore\n"
        '  return client.chat.completions.create({ model: "gpt-4o" });\n'
        "}\n"
    )
    code, reported = _migrate(text)
    assert 'model: "gpt-4o"' in code
    assert "baseURL" in code  # the constructor, unmarked, still moves
    assert reported == []


def test_codes_in_brackets_silence_only_those_and_still_rewrite() -> None:
    text = HEAD + (
        "const client = new OpenAI();\n"
        'client.chat.completions.create({ model: "gpt-4o" }); // cerebras-migrate: ignore[cm301]\n'
        'client.chat.completions.create({ model: "gpt-4o" }); // cerebras-migrate: ignore[CM406]\n'
    )
    code, reported = _migrate(text)
    assert code.count('model: "gpt-oss-120b"') == 2
    assert reported == [(4, "CM301")]


def test_words_in_a_string_are_no_mark() -> None:
    text = HEAD + 'const c = new OpenAI(); const s = "// cerebras-migrate: ignore";\n'
    code, _ = _migrate(text)
    assert "baseURL" in code


def test_errors_are_never_silenced() -> None:
    text = HEAD + "const client = new OpenAI(; // cerebras-migrate: ignore\n"
    _, reported = _migrate(text)
    assert [code for _, code in reported] == ["CM901"]
