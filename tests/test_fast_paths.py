"""The shortcuts taken for speed give exactly what the slow, obvious ways give.

- ``codemods.python.cst.walk``: walks in libcst's order, rebuilds only what changed, positions as
  ``PositionProvider`` has them, code as ``module.code`` prints it;
- ``codemods.python.source.may_import_sdk``: never says no where the resolver finds an SDK import,
  and skipping libcst for such files changes no result;
- ``migrator.discover``: plain-name excludes match as pathspec matches them;
- ``codemods.python.cst.edit.string_value``: the quick path agrees with ``evaluated_value``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import libcst as cst
import pathspec
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

import migrator
from codemods.options import Options
from codemods.python import source
from codemods.python.cst import walk as traverse
from codemods.python.cst.edit import string_value
from codemods.python.resolve import Resolver
from migrator.discover import _compile_excludes, _Names
from migrator.settings import DEFAULT_EXCLUDES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for benchmarks/, which is not installed
from benchmarks.corpus import generate_module  # noqa: E402

SOURCES = sorted((ROOT / "fixtures").glob("**/*.py")) + sorted((ROOT / "migrator").glob("*.py"))


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in SOURCES:
        try:
            texts.append((path.relative_to(ROOT).as_posix(), path.read_text("utf-8")))
        except UnicodeDecodeError:
            texts.append((path.relative_to(ROOT).as_posix(), path.read_text("latin-1")))
    texts += [(f"generated-{i}", generate_module(i)) for i in range(12)]
    return texts


TEXTS = _texts()
IDS = [name for name, _ in TEXTS]


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _Hooks:
    """``visit_<Node>``/``leave_<Node>`` for every node type, recording the calls."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        kind = name.partition("_")[0]
        if kind not in ("visit", "leave"):
            raise AttributeError(name)
        return lambda node: self.events.append((kind, id(node)))


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=IDS)
def test_traverse_matches_libcst(name: str, text: str) -> None:
    module = cst.parse_module(text)
    recorder, hooks = _Recorder(), _Hooks()
    module.visit(recorder)
    traverse.walk(module, hooks)
    assert hooks.events == recorder.events

    assert traverse.code(module) == module.code

    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(positions)
    assert traverse.start_positions(module, nodes) == {n: positions[n].start for n in nodes}
    some = nodes[len(nodes) // 3 :: 7]
    assert traverse.start_positions(module, some) == {n: positions[n].start for n in some}

    identity = cst.CSTTransformer()
    assert traverse.transform(module, identity.on_visit, identity.on_leave) is module


def test_transform_rebuilds_only_the_changed_path() -> None:
    module = cst.parse_module("a = 1\nb = 2\nc = f(x, 3)\n")

    class Bump(cst.CSTTransformer):
        def leave_Integer(
            self, original_node: cst.Integer, updated_node: cst.Integer
        ) -> cst.Integer:
            if original_node.value == "2":
                return updated_node.with_changes(value="3")
            return updated_node

    bump = Bump()
    new = traverse.transform(module, bump.on_visit, bump.on_leave)
    assert traverse.code(new) == "a = 1\nb = 3\nc = f(x, 3)\n" == module.visit(Bump()).code
    assert new.body[0] is module.body[0] and new.body[2] is module.body[2]
    assert new.body[1] is not module.body[1]


TRICKY_IMPORTS = [
    "import openai",
    "import os, openai",
    "import os as o, sys as s, openai.types as t",
    "import os,\\\n    openai",
    "import os,\\\r\n    openai",
    "from openai import OpenAI",
    "from  openai.types.chat import (\n    ChatCompletion,\n)",
    "from\\\nopenai import OpenAI",
    "from cerebras.cloud.sdk import Cerebras",
    "x = 1; import openai",
    "if True: import openai",
    "def f():\n\timport openai",
    "import café, openai",
    "import cerebras.cloud.sdk as sdk",
]


@pytest.mark.parametrize("text", TRICKY_IMPORTS)
def test_may_import_sdk_sees_every_import_the_resolver_counts(text: str) -> None:
    assert Resolver(cst.parse_module(text + "\n")).imports_sdk
    assert source.may_import_sdk(text)


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=IDS)
def test_may_import_sdk_is_necessary_for_the_resolver(name: str, text: str) -> None:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return
    if Resolver(module).imports_sdk:
        assert source.may_import_sdk(text)


@pytest.mark.parametrize(
    "text",
    [
        '"""Mentions OpenAI, imports none of it."""\nx = 1\n',
        "import foo.openai\nfrom bar.openai import x\nopenai = 2\n",
        "# openai\ndef f(:\n",  # invalid: libcst still reports it
        "# openai\nmatch x:\n    case 1:\n        pass\n",
    ],
)
def test_skipping_libcst_changes_no_result(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    options = Options()
    fast = source.migrate_source(text, options)
    monkeypatch.setattr(source, "may_import_sdk", lambda text: True)
    slow = source.migrate_source(text, options)
    assert fast == slow


@pytest.mark.parametrize("extra", [(), ("examples/legacy", "*.gen.py", "!keep.py", "build/")])
def test_plain_name_excludes_match_like_pathspec(extra: tuple[str, ...]) -> None:
    lines = (*DEFAULT_EXCLUDES, "dist/", *extra)
    mine = _compile_excludes(lines)
    theirs = pathspec.GitIgnoreSpec.from_lines(lines)
    assert isinstance(mine, _Names) == (not extra)
    for rel in [
        "a.py",
        "venv/",
        "venv",
        "src/venv/",
        "src/build/",
        "build",
        "src/dist/",
        "dist",
        "src/.git/",
        "x.venv/",
        "site-packages/",
        "pkg/__pycache__/",
        "pkg/node_modules.py",
        "examples/legacy/",
        "a.gen.py",
        "keep.py",
    ]:
        assert mine is not None and mine.match_file(rel) == theirs.match_file(rel), rel


@pytest.mark.parametrize(
    "literal",
    [
        '""',
        "''",
        '""""""',
        "''''''",
        '"gpt-4o-mini"',
        "'it\"s'",
        '"""two\nlines"""',
        "'''with ' quote'''",
        '"""with "" quotes"""',
        '"é中"',
        '"tab\\there"',
        "'\\''",
        'r"raw\\d"',
        'b"bytes"',
        'u"unicode"',
        '"""crlf\r\nline"""',
    ],
)
def test_string_value_fast_path(literal: str) -> None:
    node = cst.SimpleString(literal)
    value = node.evaluated_value
    assert string_value(node) == (value if isinstance(value, str) else None)


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert migrator.__version__ == project["version"]
