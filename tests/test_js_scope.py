"""Names resolved through their scopes (``codemods/js/resolve.Scopes``): a parameter, a
block's ``let``/``const``, a ``var`` in its function, a catch parameter, a destructured
name or another class's ``this.client`` is another name than the module's client, and a
request on a shadowed name is never rewritten."""

from __future__ import annotations

import pytest
from helpers import make_options

from codemods.js.source import migrate_js

HEAD = 'import OpenAI from "openai";\nconst client = new OpenAI();\n'
REQUEST = 'client.chat.completions.create({ model: "gpt-4o", messages: [] })'


def _migrate(text: str, suffix: str = ".js") -> tuple[str, list[str]]:
    result = migrate_js(text, make_options(target="openai"), suffix)
    assert not result.error, result.diagnostics
    return result.code, [d.code for d in result.diagnostics]


def test_a_parameter_named_like_the_client_leaves_the_clients_requests_traced() -> None:
    text = HEAD + f"function label(client) {{ return client.name; }}\nawait {REQUEST};\n"
    code, codes = _migrate(text)
    assert 'model: "gpt-oss-120b"' in code
    assert codes == ["CM301"]


@pytest.mark.parametrize(
    "shadow",
    [
        f"function f(client) {{ return {REQUEST}; }}",
        f"function f({{ client }}) {{ return {REQUEST}; }}",
        f"function f([client] = []) {{ return {REQUEST}; }}",
        f"const f = (client) => {REQUEST};",
        f"const f = client => {REQUEST};",
        f"function f(...client) {{ return {REQUEST}; }}",
        f"{{ const client = pick(); {REQUEST}; }}",
        f"if (x) {{ let {{ client }} = deps; {REQUEST}; }}",
        f"try {{}} catch (client) {{ {REQUEST}; }}",
        f"for (const client of clients) {{ {REQUEST}; }}",
        f"function f() {{ if (x) {{ var client = pick(); }} return {REQUEST}; }}",
    ],
)
def test_a_request_on_a_shadowing_name_is_reported_and_left(shadow: str) -> None:
    own = REQUEST.replace("gpt-4o", "gpt-4o-mini")
    code, codes = _migrate(HEAD + shadow + f"\nawait {own};\n")
    assert shadow in code
    assert own.replace("gpt-4o-mini", "gpt-oss-120b") in code  # the module's client's
    assert sorted(codes) == ["CM119", "CM301"]


def test_a_var_in_a_block_is_its_functions() -> None:
    text = (
        'import OpenAI from "openai";\n'
        f"function f() {{ if (x) {{ var client = new OpenAI(); }} return {REQUEST}; }}\n"
    )
    code, codes = _migrate(text)
    assert 'model: "gpt-oss-120b"' in code
    assert codes == ["CM301"]


def test_a_shadowed_sdk_class_makes_no_client() -> None:
    text = 'import OpenAI from "openai";\nfunction make(OpenAI) { return new OpenAI(); }\n'
    assert _migrate(text) == (text, [])


def test_this_is_the_classs_own() -> None:
    text = (
        'import OpenAI from "openai";\n'
        "class A { llm = new OpenAI();\n"
        '  ask() { return this.llm.chat.completions.create({ model: "gpt-4o" }); } }\n'
        "class B { constructor(llm) { this.llm = llm; }\n"
        '  ask() { return this.llm.chat.completions.create({ model: "gpt-4o" }); } }\n'
    )
    code, codes = _migrate(text)
    first, second = code.split("class B")
    assert 'model: "gpt-oss-120b"' in first
    assert 'model: "gpt-4o"' in second
    assert codes == ["CM301", "CM119"]


def test_a_name_bound_twice_in_one_scope_is_still_reported() -> None:
    text = HEAD + f"client = pick();\n{REQUEST};\n"
    code, codes = _migrate(text)
    assert REQUEST in code
    assert codes == ["CM119"]
