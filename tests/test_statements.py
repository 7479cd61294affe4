"""codemods/python/statements.py: a big module parsed a group of statements at a time is the
module parsed whole — the same top-level statements at the same lines, and the same syntax
error at the same place — and the rewrite of a big module is the rewrite of a small one.

Groups are made as small as they go (every cut in the text is tried), over a spread of the
standard library, texts written to put cuts inside strings, brackets and continuations, and
the same texts broken on purpose; then every fixture and end-to-end program is migrated by
both paths and the results compared.
"""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest
from helpers import make_options

from codemods.python import source, statements, syntax
from migrator import files

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE = sorted(STDLIB.glob("*.py"))[::9]
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures").glob("*/input.py"))
PROGRAMS = sorted((ROOT / "fixtures" / "programs").glob("*.py"))

# Each puts a line that looks like the start of a statement where none starts.
TRICKY = {
    "docstring": 'x = """\ndef f():\n    pass\nclass C: ...\n"""\ny = 1\n',
    "strings": "a = '''\nb = 2\n'''; c = \"\"\"\nd\n\"\"\"\nprint(a)\n",
    "brackets": "items = [\n1,\n2,\n(3,\n4)]\nz = {\n'k': 1,\n}\n",
    "backslash": "total = 1 + \\\n2 + \\\n3\nprint(total)\n",
    "clauses": "if x:\n    a = 1\nelif y:\n    a = 2\nelse:\n    a = 3\n"
    "try:\n    pass\nexcept E:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
    "for-else": "for i in r:\n    pass\nelse:\n    pass\nwhile w:\n    pass\nelse:\n    pass\n",
    "decorators": "@a\n@b(\n1)\ndef f():\n    return 1\n@c\nclass K:\n    x = 1\n",
    "semicolons": "import os; import sys\nx = 1; y = 2\n",
    "match": "match v:\n    case 1:\n        pass\n    case _:\n        pass\nq = 1\n",
    "comments": "# a\nx = 1\n# b\n\n\n# c\ndef f():\n    pass\n# d\n",
    "crlf": "x = (\r\n1)\r\ndef f():\r\n    return '''\r\ny\r\n'''\r\n",
    "f-string": 'name = f"""\n{\n1 + 2\n}\n"""\nk = 3\n',
    "empty-lines-at-end": "x = 1\n\n\n",
}
BROKEN = {
    "unclosed": "x = (\n1,\n2\ny = 3\n",
    "unterminated": 'x = 1\ns = """\nabc\n',
    "late": "x = 1\n" * 40 + "def f(:\n    pass\n" + "y = 2\n" * 40,
    "indent": "def f():\nreturn 1\n",
    "clause-alone": "x = 1\nelse:\n    pass\n",
    "backslash-at-end": "x = 1 + \\\n",
}


@pytest.fixture
def tiny_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statements, "_GROUP", 1)


def _whole(text: str) -> list[tuple[object, ...]] | syntax.Rejected:
    tree = syntax.cpython(text)
    if isinstance(tree, syntax.Rejected):
        return tree
    return [_shape(node, 0) for node in tree.body]


def _grouped(text: str) -> list[tuple[object, ...]] | syntax.Rejected:
    found = []
    for group in statements.groups(text):
        if isinstance(group, syntax.Rejected):
            return group
        assert text[group.offset :].startswith(text.splitlines(True)[group.line - 1])
        found.extend(_shape(node, group.line - 1) for node in group.tree.body)
    return found


def _shape(node: ast.stmt, after: int) -> tuple[object, ...]:
    return (node.lineno + after, node.col_offset, node.end_lineno + after, ast.dump(node))


def _texts() -> list[object]:
    cases: list[object] = [pytest.param(t, id=name) for name, t in TRICKY.items()]
    cases += [pytest.param(t, id=f"broken-{name}") for name, t in BROKEN.items()]
    cases += [pytest.param(p.read_text(encoding="utf-8"), id=p.name) for p in SAMPLE]
    return cases


@pytest.mark.parametrize("text", _texts())
def test_groups_are_the_whole_parse(text: str, tiny_groups: None) -> None:
    assert _grouped(text) == _whole(text)


@pytest.mark.parametrize("path", SAMPLE[:12], ids=lambda p: p.name)
def test_broken_on_purpose_the_error_is_the_same(path: Path, tiny_groups: None) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(True)
    chance = random.Random(path.name)
    for _ in range(6):
        broken = list(lines)
        where = chance.randrange(len(broken))
        broken[where] = chance.choice(["(\n", "def :\n", "  x = 1\n", "'''\n", "else:\n"])
        text = "".join(broken)
        assert _grouped(text) == _whole(text), f"line {where + 1}"


def test_small_texts_are_parsed_whole() -> None:
    assert not statements.is_big("x = 1\n" * 1000)
    assert statements.is_big("x = 1\n" * (statements.BIG_TEXT // 6 + 1))
    # Lone CRs end lines for CPython, not for the cutting: such a text is parsed whole.
    assert not statements.is_big("x = 1\r" * (statements.BIG_TEXT // 6 + 1))


def _programs() -> list[object]:
    named = [(p.parent.name, p) for p in FIXTURES] + [(f"program-{p.stem}", p) for p in PROGRAMS]
    return [pytest.param(files.decode(p, p.read_bytes()).text, id=name) for name, p in named]


@pytest.mark.parametrize("target", ["openai", "cerebras"])
@pytest.mark.parametrize("text", _programs())
def test_a_big_module_is_rewritten_as_a_small_one(
    text: str, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = make_options(target=target)
    small = source.migrate_source(text, options)
    monkeypatch.setattr(statements, "BIG_TEXT", 0)
    monkeypatch.setattr(statements, "_GROUP", 64)
    big = source.migrate_source(text, options)
    assert big.code == small.code
    assert [(d.code, d.line, d.column, d.message) for d in big.diagnostics] == [
        (d.code, d.line, d.column, d.message) for d in small.diagnostics
    ]
    assert big.error == small.error
