"""Clients used only for endpoints Cerebras does not serve, judged the same everywhere.

A client whose every use is such a request stays on OpenAI (``decide``'s "unserved-only",
CM121). The per-file resolver judges it with libcst (codemods/python/unserved.py) and the
project plan with CPython's ``ast`` (codemods/python/index.py): each case below is judged by
both, on its own and inside a project, and both must give the expected verdict. Then the
project's own questions: which module-level names other modules reach, and which modules
are read because a caller passes them a client.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from codemods.python.index import summarize
from codemods.python.project import Place, Project
from codemods.python.resolve import Resolver
from migrator.project import index_project
from migrator.settings import Settings

HEAD = "from cerebras.cloud.sdk import Cerebras\nfrom openai import OpenAI\n\n"

# (source after HEAD, the module-level clients that stay on OpenAI)
CASES = [
    pytest.param("e = OpenAI()\ne.embeddings.create(input='x')\n", {"e"}, id="only-embeddings"),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\ne.chat.completions.create(messages=[])\n",
        set(),
        id="also-chat",
    ),
    pytest.param(
        "e = OpenAI()\ndef f(c): ...\nf(e)\ne.images.generate(prompt='x')\n", set(), id="passed"
    ),
    pytest.param(
        "e = OpenAI()\ne.with_options(timeout=1).embeddings.create(input='x')\n",
        set(),
        id="with-options",
    ),
    pytest.param("e = OpenAI()\ne.copy().files.list()\n", set(), id="copy"),
    pytest.param(
        "e = OpenAI()\ne.with_raw_response.embeddings.create(input='x')\n"
        "e.audio.speech.with_streaming_response.create(input='x')\n",
        {"e"},
        id="response-wrappers",
    ),
    pytest.param("e = OpenAI()\ne.embeddings.create(input='x')\ne = None\n", set(), id="rebound"),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\ndef f():\n    global e\n", set(), id="global"
    ),
    pytest.param("e = OpenAI()\ne.embeddings.create(input='x')\ndel e\n", set(), id="deleted"),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\ndef f(e):\n    return 1\n",
        set(),
        id="same-name-parameter",
    ),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\n"
        "try:\n    pass\nexcept OSError as e:\n    pass\n",
        set(),
        id="same-name-except",
    ),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\nmatch 1:\n    case e:\n        pass\n",
        set(),
        id="same-name-capture",
    ),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\ndef g():\n    from os import e\n",
        set(),
        id="same-name-import",
    ),
    pytest.param(
        "e = OpenAI()\ne.embeddings.create(input='x')\nprint(other.e, dict(e=1))\n"
        "match 1:\n    case str(e=2):\n        pass\n",
        {"e"},
        id="attribute-and-keyword-names",
    ),
    pytest.param(
        "e = OpenAI()\nask = lambda: e.chat.completions.create(messages=[])\n"
        "e.embeddings.create(input='x')\n",
        set(),
        id="lambda-chat",
    ),
    pytest.param(
        "e = OpenAI()\nembed = lambda t: e.embeddings.create(input=t)\n", {"e"}, id="lambda-embed"
    ),
    pytest.param("e: OpenAI = OpenAI()\ne.embeddings.create(input='x')\n", {"e"}, id="annotated"),
    pytest.param("e = f = OpenAI()\ne.embeddings.create(input='x')\n", set(), id="two-targets"),
    pytest.param(
        "e = OpenAI()\n__all__ = ['e']\ne.embeddings.create(input='x')\n", set(), id="exported"
    ),
    pytest.param(
        "if True:\n    e = OpenAI()\n    e.moderations.create(input='x')\n", {"e"}, id="in-a-block"
    ),
    pytest.param("e = OpenAI()\nprint(e.embeddings)\n", set(), id="resource-not-called"),
    pytest.param("e = Cerebras()\ne.embeddings.create(input='x')\n", set(), id="cerebras-sdk"),
    pytest.param(
        "e = OpenAI(base_url='https://api.cerebras.ai/v1')\ne.embeddings.create(input='x')\n",
        set(),
        id="already-on-cerebras",
    ),
    pytest.param(
        "e = OpenAI(base_url='https://api.openai.com/v1')\ne.embeddings.create(input='x')\n",
        {"e"},
        id="openai-url",
    ),
    pytest.param(
        "e = OpenAI(base_url='https://api.groq.com/openai/v1')\ne.embeddings.create(input='x')\n",
        set(),
        id="other-provider",
    ),
    pytest.param("e = OpenAI()\n", set(), id="unused"),
]


def _module_level_verdicts(source: str, place: Place | None) -> set[str]:
    """The module-level names the per-file resolver keeps on OpenAI."""
    module = cst.parse_module(source)
    resolver = Resolver(module, place=place)
    kept = set()
    for call, scope in resolver.calls:
        cls = resolver.client_class(call.func, scope)
        if cls is None or scope.kind != "module":
            continue
        if resolver.constructor(call, cls).left_alone == "unserved-only":
            found = resolver.unserved_uses(call)
            assert found is not None and found[0] is not None
            kept.add(found[0])
    return kept


def _project(modules: dict[str, str]) -> Project:
    return Project({name: summarize(ast.parse(text), name, "") for name, text in modules.items()})


def _project_verdicts(project: Project, module: str, source: str) -> set[str]:
    """The module-level names of ``module`` the project plan keeps on OpenAI."""
    names = {
        node.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    return {
        name
        for name in names
        if (ref := project.client(f"{module}.{name}")) is not None and ref.provider == "kept"
    }


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_both_readers_judge_alike(body: str, expected: set[str]) -> None:
    source = HEAD + body
    assert _module_level_verdicts(source, None) == expected
    project = _project({"m": source})
    assert _project_verdicts(project, "m", source) == expected
    assert _module_level_verdicts(source, project.place("m")) == expected


@pytest.mark.parametrize(
    "other",
    [
        pytest.param("from m import e\n", id="imported"),
        pytest.param("import m\nm.e.chat.completions.create(messages=[])\n", id="attribute"),
        pytest.param("from m import *\n", id="star-import"),
        pytest.param("from unittest import mock\nmock.patch('m.e')\n", id="patched"),
    ],
)
def test_a_client_another_module_reaches_moves(other: str) -> None:
    source = HEAD + "e = OpenAI()\ne.embeddings.create(input='x')\n"
    project = _project({"m": source, "n": other})
    assert project.reached("m.e")
    assert _project_verdicts(project, "m", source) == set()
    assert _module_level_verdicts(source, project.place("m")) == set()
    alone = _project({"m": source, "n": "import m as unrelated_use\n"})
    assert not alone.reached("m.e")
    assert _module_level_verdicts(source, alone.place("m")) == {"e"}


def test_inline_and_local_clients_are_judged_where_they_are() -> None:
    source = HEAD + textwrap.dedent(
        """\
        def moderate(text):
            return OpenAI().moderations.create(input=text)


        def chat(text):
            return OpenAI().chat.completions.create(messages=[])


        def transcribe(path):
            local = OpenAI()
            return local.audio.transcriptions.create(file=path)


        def escapes():
            local = OpenAI()
            local.files.list()
            return local


        class Holder:
            kept = OpenAI()

            def use(self):
                return self.kept.chat.completions.create(messages=[])
        """
    )
    resolver = Resolver(cst.parse_module(source))
    verdicts = {}  # one constructor per function or class
    for call, scope in resolver.calls:
        cls = resolver.client_class(call.func, scope)
        if cls is not None:
            verdicts[scope.node.name.value] = resolver.constructor(call, cls).left_alone
    assert verdicts == {
        "moderate": "unserved-only",
        "chat": None,
        "transcribe": "unserved-only",
        "escapes": None,
        "Holder": None,
    }


def test_a_module_that_takes_clients_is_read_without_an_sdk_mention(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "",
        "app/__init__.py": "",
        "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
        "app/main.py": "from app.llm import client\nfrom app.vectors import embed\n"
        "embed(client, 'x')\n",
        "app/vectors.py": "def embed(c, text):\n    return c.embeddings.create(input=text)\n",
        "app/other.py": "def embed(c, text):\n    return c.embeddings.create(input=text)\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    index = index_project([tmp_path], Settings(cache=False))
    assert index is not None
    assert index.needs(tmp_path / "app/vectors.py")
    assert not index.needs(tmp_path / "app/other.py")  # nobody passes it a client
    place = index.place(tmp_path / "app/vectors.py")
    assert place is not None and place.takes_clients and place.relevant
    ref = place.param("embed", "c")
    assert ref is not None and ref.migrated
