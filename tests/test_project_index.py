"""The project index and plan, unit by unit: module names, summaries, cross-module resolution,
the names policy, and the cache (migrator/project.py, migrator/cache.py,
codemods/python/index.py, codemods/python/project.py)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from codemods.python.clients import ClientClass, ClientRef
from codemods.python.index import summarize
from codemods.python.project import Project
from migrator.cache import CACHE_DIR
from migrator.project import index_project, module_names, project_root
from migrator.settings import Settings
from tests.helpers import invoke

OPENAI = ClientClass("openai", "OpenAI")


def _tree(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def _project(files: dict[str, str]) -> Project:
    summaries = {}
    for module, text in files.items():
        package = module if module.endswith("__init__") else module.rpartition(".")[0]
        name = module.removesuffix(".__init__")
        package = package.removesuffix(".__init__")
        summaries[name] = summarize(ast.parse(textwrap.dedent(text)), name, package)
    return Project(summaries)


def test_module_names_follow_packages_and_src(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "src/app/__init__.py": "",
            "src/app/llm.py": "",
            "scripts/run.py": "",
            "top.py": "",
        },
    )
    assert module_names(tmp_path / "src/app/llm.py", tmp_path) == ["app.llm", "src.app.llm"]
    assert module_names(tmp_path / "src/app/__init__.py", tmp_path)[0] == "app"
    assert module_names(tmp_path / "scripts/run.py", tmp_path) == ["run", "scripts.run"]
    assert module_names(tmp_path / "top.py", tmp_path) == ["top"]


def test_project_root_is_the_nearest_marker(tmp_path: Path) -> None:
    _tree(tmp_path, {"pkg/sub/mod.py": ""})
    (tmp_path / "pkg" / "setup.cfg").write_text("")
    assert project_root(tmp_path / "pkg/sub/mod.py") == tmp_path / "pkg"
    assert project_root(tmp_path / "other.py") == tmp_path


def test_clients_resolve_across_modules() -> None:
    project = _project(
        {
            "app.__init__": "from .llm import client as shared\n",
            "app.llm": """
                import os
                from openai import OpenAI

                client = OpenAI()
                local = OpenAI(base_url=os.environ["URL"])

                def get_client() -> OpenAI:
                    return client

                def make():
                    return OpenAI(base_url="https://api.groq.com/openai/v1")

                def either(flag):
                    return client if flag else local
                """,
            "app.svc": """
                from app.llm import get_client

                class Service:
                    def __init__(self, client=None):
                        self.client = client or get_client()

                    def own(self):
                        return self.client
                """,
        }
    )
    assert project.client("app.llm.client") == ClientRef(OPENAI, "openai")
    assert project.client("app.shared") == ClientRef(OPENAI, "openai")  # re-exported
    assert project.client("app.llm.local") == ClientRef(OPENAI, "dynamic")
    assert project.returns("app.llm.get_client") == ClientRef(OPENAI, "openai")
    assert project.returns("app.llm.make") == ClientRef(OPENAI, "other")
    # Two clients the migration treats differently: which one it is cannot be told.
    assert project.returns("app.llm.either") == ClientRef(OPENAI, "unattributed")
    assert project.client("app.svc.Service.client") == ClientRef(OPENAI, "openai")
    assert project.returns("app.svc.Service.own") == ClientRef(OPENAI, "openai")
    # Unknown names are unknown, never guessed.
    assert project.client("app.llm.nothing") is None
    assert project.client("elsewhere.client") is None


def test_the_names_policy_follows_every_constructor() -> None:
    moving = _project({"a": "from openai import OpenAI\nc = OpenAI()\n"})
    kept = _project({"a": "import os\nfrom openai import OpenAI\nc = OpenAI(**os.environ)\n"})
    both = _project(
        {
            "a": "from openai import OpenAI\nc = OpenAI()\n",
            "b": "from openai import OpenAI\nd = OpenAI(base_url='http://localhost:8000/v1')\n",
        }
    )
    assert moving.names_policy("openai") == "rename"
    assert kept.names_policy("openai") == "keep"
    assert both.names_policy("openai") == "both"


def test_index_reads_users_of_clients_without_sdk_mentions(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
            "app/use.py": "from app.llm import client\n",
            "app/plain.py": "def f(c):\n    return c.chat.completions.create(model='m')\n",
            "app/unrelated.py": "x = 1\n",
        },
    )
    settings = Settings(cache=False)
    index = index_project([tmp_path], settings)
    assert index is not None
    assert index.needs(tmp_path / "app/use.py")
    assert index.needs(tmp_path / "app/plain.py")  # a request shape, reported (CM119)
    assert not index.needs(tmp_path / "app/unrelated.py")
    assert not index.needs(tmp_path / "app/llm.py")  # the byte gate lets it through anyway
    place = index.place(tmp_path / "app/use.py")
    assert place is not None and "client" in place.client_names


def test_no_index_without_an_sdk(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.py": "def f(c):\n    return c.chat.completions.create()\n"})
    settings = Settings(cache=False)
    assert index_project([tmp_path], settings) is None


def _run(root: Path, *args: str) -> str:
    _, out, _ = invoke("--diff", *args, ".", cwd=root)
    return out


@pytest.fixture
def program(tmp_path: Path) -> Path:
    return _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
            "app/use.py": (
                "from app.llm import client\n\n\ndef ask():\n"
                "    return client.chat.completions.create(\n"
                '        model="gpt-oss-120b", messages=[], clear_thinking=False\n    )\n'
            ),
        },
    )


def test_the_cache_is_written_beside_its_gitignore_and_reused(program: Path) -> None:
    first = _run(program)
    folder = program / CACHE_DIR
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    [index] = folder.glob("index-*.pickle")
    stamp = index.stat().st_mtime_ns
    assert _run(program) == first  # warm: the same output, and nothing to write back
    assert index.stat().st_mtime_ns == stamp
    # A changed file is read again: its new client is seen.
    llm = program / "app/llm.py"
    llm.write_text(
        'from openai import OpenAI\n\nclient = OpenAI(base_url="http://localhost:1/v1")\n'
    )
    assert "extra_body" not in _run(program)


def test_no_cache_writes_nothing_and_changes_nothing(program: Path) -> None:
    output = _run(program, "--no-cache")
    assert not (program / CACHE_DIR).exists()
    assert 'extra_body={"clear_thinking": False}' in output
    assert _run(program) == output


def test_a_broken_cache_is_ignored(program: Path) -> None:
    _run(program)
    [index] = (program / CACHE_DIR).glob("index-*.pickle")
    index.write_bytes(b"not a pickle")
    assert 'extra_body={"clear_thinking": False}' in _run(program)


def test_parameters_are_what_every_caller_passes() -> None:
    files = {
        "app.llm": "from openai import OpenAI\nclient = OpenAI()\n",
        "app.helpers": """
            def ask(c, prompt):
                return c.chat.completions.create(model="m", messages=[])

            def twice(c):
                return c

            def passed_around(c):
                return c

            class Service:
                def __init__(self, client):
                    self.client = client
            """,
        "app.main": """
            from app.helpers import Service, ask, passed_around, twice
            from app.llm import client

            ask(client, "hi")
            ask(prompt="yo", c=client)
            twice(client)
            service = Service(client)
            callbacks = [passed_around]
            """,
    }
    project = _project(files)
    moving = ClientRef(OPENAI, "openai")
    assert project.param("app.helpers.ask", "c") == moving
    assert project.param("app.helpers.Service.__init__", "client") == moving
    assert project.client("app.helpers.Service.client") == moving
    # Used as a value: its callers cannot all be seen.
    assert project.param("app.helpers.passed_around", "c") is None
    # No caller at all, or a caller passing something unknown: not inferred.
    assert project.param("app.helpers.ask", "prompt") is None
    unknown = _project({**files, "app.other": "from app.helpers import twice\ntwice(thing)\n"})
    assert unknown.param("app.helpers.twice", "c") is None
    defaulted = _project({**files, "app.other": "from app.helpers import twice\ntwice()\n"})
    assert defaulted.param("app.helpers.twice", "c") is None


def test_wrappers_are_not_factories() -> None:
    """``instructor.patch(client)`` returns the client with ``create`` patched to take
    ``response_model``: what a function taking a client returns is a plain client only
    when it builds one itself."""
    project = _project(
        {
            "lib.patching": """
                from openai import OpenAI

                def patch(client):
                    client.chat.completions.create = wrapped(client.chat.completions.create)
                    return client

                def apatch(client: OpenAI) -> OpenAI:
                    return patch(client)

                def fresh(client: OpenAI) -> OpenAI:
                    return OpenAI(max_retries=client.max_retries)

                def get_client() -> OpenAI:
                    return OpenAI()
                """,
            "app.main": """
                from openai import OpenAI
                from lib.patching import apatch, fresh, patch

                client = patch(OpenAI())
                other = apatch(OpenAI())
                again = fresh(OpenAI())
                """,
        }
    )
    assert project.returns("lib.patching.patch") is None
    assert project.returns("lib.patching.apatch") is None
    assert project.client("app.main.client") is None
    assert project.client("app.main.other") is None
    assert project.returns("lib.patching.fresh") == ClientRef(OPENAI, "openai")
    assert project.returns("lib.patching.get_client") == ClientRef(OPENAI, "openai")


def _rebinding_function(names: int, rounds: int) -> str:
    """A long function that rebinds its locals from each other, round after round, as
    litellm's ``completion`` does (``api_base = api_base or litellm.api_base or ...``), and
    passes one to another function of the module."""
    lines = [
        "import openai",
        "",
        "def send(value):",
        "    pass",
        "",
        "def make(" + ", ".join(f"a{i}=None" for i in range(names)) + "):",
    ]
    for _ in range(rounds):
        for i in range(names):
            others = " or ".join(f"a{j}" for j in range(names))
            lines.append(f"    a{i} = {others} or openai.api_base")
    lines.append("    send(a0)")
    lines.append("    return openai.OpenAI()")
    return "\n".join(lines) + "\n"


def test_locals_rebound_from_each_other_are_read_once(monkeypatch) -> None:
    # Followed by plain recursion, every read of a local expands all its assignments again:
    # 4 names rebound 4 times from each other made 367,000 lookups (litellm's main.py
    # took twelve minutes and 9 GB). Each (scope, name) is now read once: fewer value
    # lookups than the function has expressions.
    from codemods.python import index

    calls = 0
    real = index._Summarizer.value

    def counting(self, node, env, *args, **kwargs):
        nonlocal calls
        calls += 1
        return real(self, node, env, *args, **kwargs)

    monkeypatch.setattr(index._Summarizer, "value", counting)
    source = _rebinding_function(names=4, rounds=4)
    summary = summarize(ast.parse(source), "m", "")
    expressions = sum(isinstance(n, ast.expr) for n in ast.walk(ast.parse(source)))
    assert calls <= expressions, (calls, expressions)
    returned = summary.functions["make"]
    assert [v.kind for v in returned] == ["new"] and returned[0].qualname == "openai.OpenAI"
    # What ``send`` is given: any of the parameters, or the module's setting (read at each line).
    (passed,) = [value for callee, _, value in summary.calls if callee == "m.send"]
    assert passed is not None and passed.kind == "or"
    assert sorted({(v.kind, v.text or v.qualname) for v in passed.alternatives}) == [
        *[("param", f"a{i}") for i in range(4)],
        ("ref", "openai.api_base"),
    ]


def test_each_function_reads_its_own_locals() -> None:
    # The answers about a function's locals were keyed by the id of its scope, which is
    # dropped once the function is read: the next function's scope could be given the same
    # id and the first one's answers (browser-use's utils.py: a function returning groq's
    # BadRequestError was taken to return openai's). Many functions alike make a reused id
    # near certain.
    functions = []
    for i in range(50):
        sdk = "openai" if i % 2 == 0 else "groq"
        functions.append(
            f"def error_{i}():\n    from {sdk} import BadRequestError as Error\n    return Error\n"
        )
    summary = summarize(ast.parse("\n\n".join(functions)), "m", "")
    for i in range(50):
        sdk = "openai" if i % 2 == 0 else "groq"
        assert [v.qualname for v in summary.functions[f"error_{i}"]] == [f"{sdk}.BadRequestError"]
