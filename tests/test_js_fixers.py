"""Every example of the JavaScript/TypeScript fixers (``codemods/js/fixers/``), on each target
its fixer runs for: the output and the codes must match, the result must parse, and a
second run must change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from codemods.js import syntax
from codemods.js.pipeline import FIXERS
from codemods.js.source import migrate_js


def _examples() -> list[Any]:
    return [
        pytest.param(example, target, id=f"{fixer.__name__}-{example.name}-{target}")
        for fixer in FIXERS
        for example in fixer.examples
        for target in sorted(fixer.targets)
    ]


def test_every_fixer_has_examples() -> None:
    assert all(fixer.examples for fixer in FIXERS)


@pytest.mark.parametrize(("example", "target"), _examples())
def test_example(example: Any, target: str) -> None:
    options = example.options_for(target)
    imports = example.imports or None
    result = migrate_js(example.source(), options, example.suffix, imports)
    assert not result.error, result.diagnostics
    assert result.code == example.expected(target)
    assert tuple(d.code for d in result.diagnostics) == example.codes.get(target, ())
    data = result.code.encode()
    assert syntax.first_problem(syntax.parse(data, example.suffix), data) is None
    again = migrate_js(result.code, options, example.suffix, imports)
    assert again.code == result.code


@pytest.mark.parametrize(
    "specifier",
    ["@langchain/openai", "openai-edge", "./openai", "openai/helpers", "OpenAI"],
)
def test_only_the_exact_specifier_makes_a_client(specifier: str) -> None:
    text = f'import OpenAI from "{specifier}";\nconst client = new OpenAI();\n'
    result = migrate_js(text, migrate_options(), ".ts")
    assert result.code == text and not result.diagnostics


def migrate_options() -> Any:
    from codemods.options import Options

    return Options()


@pytest.mark.parametrize(
    "binding",
    [
        'import OpenAI from "openai";',
        'import { OpenAI } from "openai";',
        'import { OpenAI as OpenAI } from "openai";',
        'import { default as OpenAI } from "openai";',
        'const OpenAI = require("openai");',
        'const { OpenAI } = require("openai");',
        'const OpenAI = require("openai").OpenAI;',
    ],
)
def test_every_import_form_resolves(binding: str) -> None:
    text = f"{binding}\nconst client = new OpenAI();\n"
    result = migrate_js(text, migrate_options(), ".js")
    assert "baseURL" in result.code and result.rewritten_sites == 1


def test_a_namespace_and_an_alias_resolve() -> None:
    text = (
        'import * as o from "openai";\nimport { OpenAI as C } from "openai";\n'
        "const a = new o.OpenAI();\nconst b = new o.default();\nconst c = new C();\n"
    )
    result = migrate_js(text, migrate_options(), ".mjs")
    assert result.rewritten_sites == 3


@pytest.mark.parametrize(
    ("setup", "call"),
    [
        ("const client = new OpenAI();", "client.withOptions({ timeout: 5 }).chat.completions"),
        ("", "new OpenAI().chat.completions"),
        # ``this`` is the class's: the request is made in one of its methods.
        (
            "class A { constructor() { this.llm = new OpenAI(); }\nask() {",
            "this.llm.chat.completions",
        ),
        ("class A { llm = new OpenAI();\nask = () => {", "this.llm.chat.completions"),
        ("let client; client = new OpenAI();", "client.beta.chat.completions"),
    ],
)
def test_requests_follow_their_client(setup: str, call: str) -> None:
    method = "parse" if ".beta." in call else "create"
    text = (
        f'import OpenAI from "openai";\n{setup}\n'
        f'{call}.{method}({{ model: "gpt-4o", extra_body: {{ min_tokens: 1 }} }});\n'
        + ("} }\n" if setup.startswith("class") else "")
    )
    result = migrate_js(text, migrate_options(), ".js")
    assert '{ model: "gpt-oss-120b", min_tokens: 1 }' in result.code
    assert [d.code for d in result.diagnostics if d.code != "CM301"] == ["CM210"]


def test_requests_on_a_client_left_alone_are_left_alone() -> None:
    text = (
        'import OpenAI from "openai";\n'
        'const groq = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n'
        'groq.chat.completions.create({ model: "gpt-4o", clear_thinking: false });\n'
    )
    result = migrate_js(text, migrate_options(), ".ts")
    assert result.code == text
    assert [d.code for d in result.diagnostics] == ["CM103"]


def test_the_specifier_prefilter_never_hides_an_import() -> None:
    # codemods/js/source.py skips the parse when no string is exactly a specifier: it must
    # hold wherever resolve finds an SDK import or require.
    from pathlib import Path

    from codemods.js.resolve import read_module
    from codemods.js.source import may_import_sdk

    texts = [example.source() for fixer in FIXERS for example in fixer.examples]
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "js"
    texts += [p.read_text(encoding="utf-8-sig") for p in sorted(fixtures.glob("*/*.*s"))]
    texts += ['import OpenAI from  "openai"', "const o = require( 'openai' )"]
    for text in texts:
        data = text.encode()
        if read_module(syntax.parse(data, ".tsx").root_node).imports:
            assert may_import_sdk(text), text
