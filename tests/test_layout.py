"""Argument and dict editing keeps the layout it finds: one-line stays one line, one argument
per line stays so, trailing commas and comments stay; long rewritten calls are wrapped."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from codemods.python.cst.edit import append_args, find_keyword, keyword_arg, remove_args
from codemods.python.cst.imports import ImportSpec, add_imports
from codemods.python.cst.layout import fit_statement


def _append(src: str) -> str:
    class Append(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            return append_args(updated_node, [keyword_arg("b", cst.Name("B"))])

    return cst.parse_module(src).visit(Append()).code


def _remove(src: str, name: str) -> str:
    class Remove(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            index = find_keyword(updated_node, name)
            return updated_node if index is None else remove_args(updated_node, {index})

    return cst.parse_module(src).visit(Remove()).code


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("f()\n", "f(b=B)\n"),
        ("f(a=1)\n", "f(a=1, b=B)\n"),
        ("f(a=1,)\n", "f(a=1, b=B,)\n"),
        ("f(\n    a=1,\n)\n", "f(\n    a=1,\n    b=B,\n)\n"),
        ("f(\n    a=1\n)\n", "f(\n    a=1,\n    b=B\n)\n"),
        ("f(\n    a=1,  # one\n)\n", "f(\n    a=1,  # one\n    b=B,\n)\n"),
        ("f(\n    a=1  # one\n)\n", "f(\n    a=1,  # one\n    b=B\n)\n"),
        ("f(a=1,\n  c=2)\n", "f(a=1,\n  c=2,\n  b=B)\n"),
        (
            "def g():\n    f(\n        a=1,\n    )\n",
            "def g():\n    f(\n        a=1,\n        b=B,\n    )\n",
        ),
    ],
)
def test_append_follows_layout(src: str, expected: str) -> None:
    assert _append(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("f(x=1, a=2)\n", "f(x=1)\n"),
        ("f(a=2, x=1)\n", "f(x=1)\n"),
        ("f(a=2)\n", "f()\n"),
        ("f(\n    x=1,\n    a=2,\n)\n", "f(\n    x=1,\n)\n"),
        ("f(\n    x=1,  # keep me\n    a=2\n)\n", "f(\n    x=1  # keep me\n)\n"),
        (
            "f(\n    x=1,\n    # about a\n    a=2,\n    # about y\n    y=3,\n)\n",
            "f(\n    x=1,\n    # about a\n    # about y\n    y=3,\n)\n",
        ),
    ],
)
def test_remove_keeps_layout_and_comments(src: str, expected: str) -> None:
    assert _remove(src, "a") == expected


def test_fit_statement_wraps_only_grown_lines() -> None:
    src = "client = OpenAI()\n"
    module = cst.parse_module(src)
    original = module.body[0]
    call = original.body[0].value  # type: ignore[attr-defined]
    grown = append_args(call, [keyword_arg("base_url", cst.SimpleString('"' + "x" * 70 + '"'))])
    updated = original.with_changes(
        body=[original.body[0].with_changes(value=grown)]  # type: ignore[attr-defined]
    )
    fitted = fit_statement(original, updated, {id(grown)}, 0, "    ", 88)
    code = cst.Module([fitted]).code  # type: ignore[list-item]
    assert code == 'client = OpenAI(\n    base_url="' + "x" * 70 + '",\n)\n'
    short = fit_statement(original, updated, {id(grown)}, 0, "    ", 120)
    assert short is updated


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # Joins the standard-library group in sorted order.
        (
            "import json\nimport sys\n\nimport openai\n",
            "import json\nimport os\nimport sys\n\nimport openai\n",
        ),
        # Starts a standard-library group before third-party imports.
        ("import openai\n\nx = 1\n", "import os\n\nimport openai\n\nx = 1\n"),
        # After the docstring and __future__ imports.
        (
            '"""Doc."""\n\nfrom __future__ import annotations\n\nimport openai\n',
            '"""Doc."""\n\nfrom __future__ import annotations\n\nimport os\n\nimport openai\n',
        ),
        # No imports at all.
        ("x = 1\n", "import os\n\nx = 1\n"),
        # Plain imports before from-imports within the group, as isort orders them.
        ("import abc\nfrom typing import Any\n", "import abc\nimport os\nfrom typing import Any\n"),
    ],
)
def test_add_imports_where_isort_would(src: str, expected: str) -> None:
    module = add_imports(cst.parse_module(src), [ImportSpec("os")])
    assert module.code == expected


def test_add_third_party_import_after_stdlib_group() -> None:
    src = textwrap.dedent(
        """\
        import os

        x = 1
        """
    )
    module = add_imports(cst.parse_module(src), [ImportSpec("cerebras.cloud.sdk", "Cerebras")])
    assert module.code == "import os\n\nfrom cerebras.cloud.sdk import Cerebras\n\nx = 1\n"


def test_remove_two_on_one_line_keeps_the_closing_line() -> None:
    src = "f(\n    x=1,\n    a=2, b=3,\n)\n"

    class Remove(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            return remove_args(updated_node, {1, 2})

    assert cst.parse_module(src).visit(Remove()).code == "f(\n    x=1,\n)\n"
