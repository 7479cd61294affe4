"""The benchmark corpora, built in a scratch folder from what any test install has.

- ``haystack``: the Python standard library (no OpenAI usage anywhere).
- ``dense``: the installed ``openai`` package's files that mention it, plus generated modules
  that all use the SDK in the ways real projects do (``generate_module``).
- ``one_file``: a small module using the SDK, the pre-commit case.
- ``project``: a whole project for the hook case (``build_project``): a ``pyproject.toml``
  at its root, a package of 2,000 modules, most of which never mention the SDK, some using
  it (``generate_module``), one building a client (``acme/llm.py``) that others import
  (``generate_dependent``), and ``acme/handlers/handler.py``, the file a hook run names.
- ``js``: the ``openai`` npm package's own JavaScript and TypeScript files (``.js``,
  ``.mjs``, ``.d.ts``, ``.d.mts``, its ``src/`` ``.ts``) and its ``package.json``, from
  ``tests/js/node_modules`` as ``tests/js/package-lock.json`` pins it (``npm ci`` there
  first when it is not installed as locked): real code nobody here wrote, which names
  ``openai`` everywhere and never imports it by that name.
- ``js_dense``: generated JavaScript and TypeScript modules that all use the openai client
  (``generate_js_module``): the JS counterpart of the generated part of ``dense``.

Folders the tool skips by default (``site-packages``, ``__pycache__``, ``venv``, ``build``,
...) are not copied, so the tool and the reference scripts see the same files.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from codemods.facts.js import SUFFIXES as JS_SUFFIXES

_JS_PACKAGES = Path(__file__).resolve().parent.parent / "tests" / "js"

# The tool's default excludes that occur in these trees: not copied (see module docstring).
_SKIP_DIRS = frozenset(
    {"site-packages", "dist-packages", "__pycache__", "venv", "build", "dist", ".git"}
)
_MENTIONS = re.compile(rb"openai|cerebras", re.IGNORECASE)


def _python_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(".py"))
    return found


def _copy(files: list[Path], source_root: Path, dest: Path) -> int:
    size = 0
    for path in files:
        target = dest / path.relative_to(source_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        size += target.stat().st_size
    return size


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def openai_root() -> Path:
    import openai  # the test extra installs it

    return Path(openai.__file__).parent


def build_haystack(dest: Path, limit: int | None = None) -> dict[str, int]:
    """Copy the standard library's ``.py`` files (the first ``limit`` of them) to ``dest``."""
    root = stdlib_root()
    files = _python_files(root)[:limit]
    size = _copy(files, root, dest)
    return {"files": len(files), "bytes": size}


def build_dense(dest: Path, generated: int, limit: int | None = None) -> dict[str, int]:
    """The openai package's files that mention it (the first ``limit``) under ``dest/openai``
    and ``generated`` generated modules under ``dest/app``."""
    root = openai_root()
    files = [p for p in _python_files(root) if _MENTIONS.search(p.read_bytes())][:limit]
    size = _copy(files, root, dest / "openai")
    app = dest / "app"
    app.mkdir(parents=True, exist_ok=True)
    for index in range(generated):
        text = generate_module(index)
        (app / f"feature_{index:05d}.py").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return {"files": len(files) + generated, "bytes": size}


def npm_openai_root() -> Path:
    """``tests/js/node_modules/openai`` at the release the lock pins, installed with
    ``npm ci`` (from the package registry) when it is not there; RuntimeError without npm."""
    lock = json.loads((_JS_PACKAGES / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"]["node_modules/openai"]["version"]
    root = _JS_PACKAGES / "node_modules" / "openai"

    def installed() -> str | None:
        try:
            return json.loads((root / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            return None

    if installed() != wanted:
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not installed: no openai npm package to read")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=_JS_PACKAGES, capture_output=True, text=True
        )
        if done.returncode != 0 or installed() != wanted:
            raise RuntimeError(f"npm ci in tests/js failed: {done.stderr.strip()[-500:]}")
    return root


def build_js(dest: Path, limit: int | None = None) -> dict[str, object]:
    """The openai npm package's JavaScript and TypeScript files (the first ``limit``, in
    walking order) and its ``package.json`` under ``dest/openai``."""
    root = npm_openai_root()
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "node_modules")
        found.extend(Path(folder, n) for n in sorted(names) if n.lower().endswith(JS_SUFFIXES))
    files = found[:limit]
    size = _copy(files, root, dest / "openai")
    shutil.copyfile(root / "package.json", dest / "openai" / "package.json")
    version = json.loads((root / "package.json").read_text(encoding="utf-8"))["version"]
    return {"files": len(files), "bytes": size, "package": f"openai@{version}"}


def build_js_dense(dest: Path, count: int) -> dict[str, int]:
    """``count`` generated modules using the openai client (``generate_js_module``), half
    JavaScript, half TypeScript, under ``dest/app`` with a ``package.json``."""
    app = dest / "app"
    app.mkdir(parents=True, exist_ok=True)
    (dest / "package.json").write_text('{"name": "app", "type": "module"}\n', encoding="utf-8")
    size = 0
    for index in range(count):
        typescript = index % 2 == 1
        text = generate_js_module(index, typescript)
        (app / f"feature_{index:05d}.{'ts' if typescript else 'mjs'}").write_text(
            text, encoding="utf-8"
        )
        size += len(text.encode())
    return {"files": count, "bytes": size}


def build_one_file(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "handler.py"
    path.write_text(generate_module(7, sections=2), encoding="utf-8")
    return path


def build_big_file(dest: Path, megabytes: int) -> Path:
    """One module of ``megabytes`` MB: a client, then ordinary code (``_filler``) that never
    touches it, then one request: the file a focused parse need not hold whole."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    parts = [
        "import json\nimport logging\nfrom dataclasses import dataclass\n"
        "from typing import Any, Iterable\n\nfrom openai import OpenAI\n\n"
        "logger = logging.getLogger(__name__)\nclient = OpenAI()\n"
    ]
    size, index = len(parts[0]), 0
    while size < megabytes << 20:
        parts.append(_filler(rng, f"part{index}"))
        size += len(parts[-1])
        index += 1
    parts.append(
        "\n\ndef ask(prompt: str) -> str:\n"
        "    response = client.chat.completions.create(\n"
        '        model="gpt-4o", messages=[{"role": "user", "content": prompt}]\n    )\n'
        "    return response.choices[0].message.content\n"
    )
    path = dest / "big.py"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def build_project(dest: Path, files: int = 2000) -> dict[str, object]:
    """A project of ``files`` Python files under ``dest`` (see the module docstring): about
    one in twenty uses the SDK, one in fifty uses the client of ``acme/llm.py`` without
    naming the SDK, and every package holds 100 modules. ``hook`` is the file a pre-commit
    run names, relative to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(
        '[project]\nname = "acme"\nversion = "1.0"\n\n[tool.ruff]\nline-length = 100\n',
        encoding="utf-8",
    )
    hook = Path("acme", "handlers", "handler.py")
    modules: dict[Path, str] = {
        Path("acme", "__init__.py"): '"""The acme service."""\n',
        Path("acme", "llm.py"): generate_client_module(),
        Path("acme", "handlers", "__init__.py"): "",
        hook: generate_module(7, sections=2),
    }
    index = 0
    while len(modules) < files:
        package = Path("acme", f"part_{index // 100:02d}")
        if index % 100 == 0:
            modules[package / "__init__.py"] = ""
        name = package / f"module_{index:05d}.py"
        if index % 20 == 3:
            modules[name] = generate_module(index)
        elif index % 50 == 11:
            modules[name] = generate_dependent(index)
        else:
            modules[name] = generate_plain(index)
        index += 1
    size = 0
    for relative, text in modules.items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_text(text, encoding="utf-8")
        size += len(text.encode())
    mentions = sum(1 for text in modules.values() if _MENTIONS.search(text.encode()))
    dependents = sum(1 for text in modules.values() if "from acme.llm import" in text)
    return {
        "files": len(modules),
        "bytes": size,
        "mention_sdk": mentions,
        "use_shared_client": dependents,
        "hook": hook.as_posix(),
    }


# Generated modules --------------------------------------------------------------------------

_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-3.5-turbo", "o3-mini", "gpt-4-turbo"]
_ENV = [
    'os.environ["OPENAI_API_KEY"]',
    'os.environ.get("OPENAI_API_KEY")',
    "os.getenv('OPENAI_API_KEY')",
]
_CEREBRAS_KWARGS = [
    'reasoning_format="parsed"',
    "clear_thinking=True",
    "min_tokens=16",
    'cf_ray="trace-1"',
    'reasoning_effort="low"',
    "seed=11",
]
_TOPICS = ["invoice", "ticket", "order", "review", "report", "survey", "contract", "email"]


def _filler(rng: random.Random, name: str) -> str:
    """Ordinary code of the kind that surrounds the SDK calls: most of a real module."""
    topic = rng.choice(_TOPICS)
    fields = rng.sample(["id", "title", "body", "author", "created", "tags", "score", "lang"], 4)
    attrs = "\n".join(
        f"    {f}: {rng.choice(['str', 'int', 'list[str]', 'float'])}" for f in fields
    )
    checks = "\n".join(
        f'    if not record.get("{f}"):\n        problems.append("missing {f}")' for f in fields
    )
    return f'''

@dataclass
class {name.title()}{topic.title()}:
    """A {topic} as the pipeline sees it."""

{attrs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "{name.title()}{topic.title()}":
        return cls(**{{key: data[key] for key in ({", ".join(repr(f) for f in fields)})}})


def validate_{name}_{topic}(record: dict[str, Any]) -> list[str]:
    """Everything wrong with a raw {topic} record, for the error report."""
    problems: list[str] = []
{checks}
    if len(json.dumps(record)) > {rng.randint(2, 64) * 1024}:
        problems.append("too large")  # the upstream API truncates silently
    return problems


def batch_{name}_{topic}s(items: Iterable[dict[str, Any]], size: int = {rng.randint(4, 64)}):
    batch: list[dict[str, Any]] = []
    for item in items:
        if validate_{name}_{topic}(item):
            logger.warning("skipping bad {topic} %s", item.get("id"))
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
'''


def _request(rng: random.Random, receiver: str, model: str, indent: str) -> str:
    kwargs = [f"model={model}", 'messages=[{"role": "user", "content": prompt}]']
    kwargs += rng.sample(["temperature=0.2", "max_tokens=512", "top_p=0.9", "stream=False"], 2)
    kwargs += rng.sample(_CEREBRAS_KWARGS, rng.randint(0, 2))
    if rng.random() < 0.25:
        kwargs.append('extra_body={"service_tier": "auto"}')
    method = rng.choice(
        [
            "chat.completions.create",
            "chat.completions.create",
            "with_options(timeout=20.0).chat.completions.create",
            "chat.completions.with_raw_response.create",
        ]
    )
    inner = indent + "    "
    args = "".join(f"{inner}{kwarg},\n" for kwarg in kwargs)
    return f"{indent}response = {receiver}.{method}(\n{args}{indent})\n"


def generate_module(index: int, sections: int | None = None) -> str:
    """A realistic OpenAI-using module; ``index`` seeds the variations."""
    rng = random.Random(index)
    style = rng.choice(["client", "client", "class", "param", "module", "async", "factory"])
    alias = rng.choice(["OpenAI", "OpenAI", "LLM"])
    model = rng.choice(_MODELS)
    parts = [f'"""Feature {index}: {rng.choice(_TOPICS)} handling with an LLM."""\n\n']
    parts.append("from __future__ import annotations\n\nimport json\nimport logging\nimport os\n")
    parts.append("from collections.abc import Iterable\nfrom dataclasses import dataclass\n")
    parts.append("from typing import Any\n\n")
    if style == "module":
        parts.append("import openai\n\n")
    elif style == "async":
        parts.append("from openai import AsyncOpenAI\n\n")
    elif alias == "LLM":
        parts.append("from openai import OpenAI as LLM\n\n")
    else:
        parts.append("from openai import OpenAI\n\n")
    parts.append(f'logger = logging.getLogger(__name__)\nMODEL = "{model}"\n')
    key = rng.choice(_ENV)
    if style == "client":
        extra = rng.choice(["", ', organization="org-acme"', ", timeout=30.0, max_retries=2"])
        parts.append(f"client = {alias}(api_key={key}{extra})\n")
    elif style == "module":
        parts.append(f"openai.api_key = {key}\n")
    elif style == "async":
        parts.append("client = AsyncOpenAI()\n")
    elif style == "factory":
        parts.append(f"\n\ndef make_client() -> {alias}:\n    return {alias}(api_key={key})\n")
    for section in range(sections if sections is not None else rng.randint(3, 7)):
        name = f"s{section}"
        parts.append(_filler(rng, name))
        use_model = "MODEL" if rng.random() < 0.6 else f'"{rng.choice(_MODELS)}"'
        if style == "client":
            parts.append(f"\n\ndef ask_{name}(prompt: str) -> str:\n")
            parts.append(_request(rng, "client", use_model, "    "))
            parts.append("    return response.choices[0].message.content or ''\n")
        elif style == "module":
            parts.append(f"\n\ndef ask_{name}(prompt: str) -> str:\n")
            parts.append(_request(rng, "openai", use_model, "    "))
            parts.append("    return response.choices[0].message.content or ''\n")
        elif style == "param":
            parts.append(f"\n\ndef ask_{name}(client: {alias}, prompt: str) -> str:\n")
            parts.append(_request(rng, "client", use_model, "    "))
            parts.append("    return response.choices[0].message.content or ''\n")
        elif style == "factory":
            parts.append(f"\n\ndef ask_{name}(prompt: str) -> str:\n    client = make_client()\n")
            parts.append(_request(rng, "client", use_model, "    "))
            parts.append("    return response.choices[0].message.content or ''\n")
        elif style == "async":
            parts.append(f"\n\nasync def ask_{name}(prompt: str) -> str:\n")
            parts.append(_request(rng, "await client", use_model, "    "))
            parts.append("    return response.choices[0].message.content or ''\n")
        else:  # class
            parts.append(
                f"\n\nclass Assistant{section}:\n    def __init__(self) -> None:\n"
                f"        self.client = {alias}(api_key={key})\n"
                f"        self.history: list[dict[str, str]] = []\n"
                f"\n    def ask(self, prompt: str) -> str:\n"
            )
            parts.append(_request(rng, "self.client", use_model, "        "))
            parts.append("        return response.choices[0].message.content or ''\n")
    return "".join(parts)


_HEADER = (
    "from __future__ import annotations\n\nimport json\nimport logging\n"
    "from collections.abc import Iterable\nfrom dataclasses import dataclass\n"
    "from typing import Any\n\n"
)


def generate_plain(index: int) -> str:
    """A module that never mentions the SDK: validation, dataclasses, batching."""
    rng = random.Random(index)
    parts = [f'"""Module {index}: {rng.choice(_TOPICS)} records."""\n\n', _HEADER]
    parts.append("logger = logging.getLogger(__name__)\n")
    parts.extend(_filler(rng, f"p{section}") for section in range(rng.randint(2, 6)))
    return "".join(parts)


def generate_client_module() -> str:
    """The project's one client, built at import time, for the modules that share it."""
    return (
        '"""The LLM client the whole service shares."""\n\n'
        "from __future__ import annotations\n\nimport os\n\nfrom openai import OpenAI\n\n"
        'MODEL = "gpt-4o-mini"\n'
        'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30.0, max_retries=2)\n'
        "\n\ndef complete(prompt: str) -> str:\n"
        "    response = client.chat.completions.create(\n"
        "        model=MODEL,\n"
        '        messages=[{"role": "user", "content": prompt}],\n'
        "    )\n"
        "    return response.choices[0].message.content or ''\n"
    )


def generate_dependent(index: int) -> str:
    """A module that uses the shared client of ``acme/llm.py`` and never names the SDK."""
    rng = random.Random(index)
    parts = [f'"""Feature {index}: {rng.choice(_TOPICS)} summaries."""\n\n', _HEADER]
    parts.append("from acme.llm import MODEL, client\n\nlogger = logging.getLogger(__name__)\n")
    for section in range(rng.randint(2, 5)):
        name = f"d{section}"
        parts.append(_filler(rng, name))
        parts.append(f"\n\ndef ask_{name}(prompt: str) -> str:\n")
        parts.append(_request(rng, "client", "MODEL", "    "))
        parts.append("    return response.choices[0].message.content or ''\n")
    return "".join(parts)


# Generated JavaScript and TypeScript modules --------------------------------------------------

_JS_CEREBRAS_KEYS = [
    'reasoning_format: "parsed"',
    "clear_thinking: true",
    "min_tokens: 16",
    'reasoning_effort: "low"',
    "seed: 11",
]


def _js_filler(rng: random.Random, name: str, typescript: bool) -> str:
    """Ordinary code around the SDK calls: a record type, validation, batching."""
    topic = rng.choice(_TOPICS)
    fields = rng.sample(["id", "title", "body", "author", "created", "tags", "score", "lang"], 4)
    kind = f"{name.title()}{topic.title()}"
    record = f": {kind}" if typescript else ""
    records = f": Iterable<{kind}>" if typescript else ""
    problems = ": string[]" if typescript else ""
    checks = "\n".join(
        f'  if (!record.{f}) {{\n    problems.push("missing {f}");\n  }}' for f in fields
    )
    parts = ["\n"]
    if typescript:
        types = ["string", "number", "string[]", "boolean"]
        attrs = "\n".join(f"  {f}: {rng.choice(types)};" for f in fields)
        parts.append(f"export interface {kind} {{\n{attrs}\n}}\n\n")
    parts.append(
        f"/** Everything wrong with a raw {topic} record, for the error report. */\n"
        f"export function validate{kind}(record{record}){problems} {{\n"
        f"  const problems{problems} = [];\n{checks}\n"
        f"  if (JSON.stringify(record).length > {rng.randint(2, 64) * 1024}) {{\n"
        '    problems.push("too large"); // the upstream API truncates silently\n  }\n'
        "  return problems;\n}\n\n"
        f"export function* batch{kind}s(items{records}, size = {rng.randint(4, 64)}) {{\n"
        "  let batch = [];\n  for (const item of items) {\n"
        f"    if (validate{kind}(item).length) {{\n"
        f"      console.warn(`skipping bad {topic} ${{item.id}}`);\n      continue;\n    }}\n"
        "    batch.push(item);\n    if (batch.length >= size) {\n"
        "      yield batch;\n      batch = [];\n    }\n  }\n"
        "  if (batch.length) {\n    yield batch;\n  }\n}\n"
    )
    return "".join(parts)


def _js_request(rng: random.Random, receiver: str, model: str, indent: str) -> str:
    keys = [f"model: {model}", 'messages: [{ role: "user", content: prompt }]']
    keys += rng.sample(["temperature: 0.2", "max_tokens: 512", "top_p: 0.9"], 2)
    keys += rng.sample(_JS_CEREBRAS_KEYS, rng.randint(0, 2))
    inner = indent + "  "
    body = "".join(f"{inner}{key},\n" for key in keys)
    call = f"await {receiver}.chat.completions.create"
    return f"{indent}const response = {call}({{\n{body}{indent}}});\n"


def generate_js_module(index: int, typescript: bool) -> str:
    """A realistic module using openai-node; ``index`` seeds the variations (a module's
    client from the environment, a class holding one, a client passed in; the default or
    the named import)."""
    rng = random.Random(index)
    style = rng.choice(["client", "client", "class", "param"])
    model = rng.choice(_MODELS)
    key = rng.choice(["process.env.OPENAI_API_KEY", 'process.env["OPENAI_API_KEY"]'])
    prompt = ": string" if typescript else ""
    returns = ": Promise<string>" if typescript else ""
    parts = [f"// Feature {index}: {rng.choice(_TOPICS)} handling with an LLM.\n"]
    named = rng.random() < 0.3
    parts.append(f'import {"{ OpenAI }" if named else "OpenAI"} from "openai";\n\n')
    parts.append(f'const MODEL = "{model}";\n')
    if style == "client":
        extra = rng.choice(["", ', organization: "org-acme"', ", timeout: 30_000, maxRetries: 2"])
        parts.append(f"export const client = new OpenAI({{ apiKey: {key}{extra} }});\n")
    for section in range(rng.randint(3, 7)):
        name = f"s{section}"
        parts.append(_js_filler(rng, name, typescript))
        use_model = "MODEL" if rng.random() < 0.6 else f'"{rng.choice(_MODELS)}"'
        ask = f"ask{name.title()}"
        if style == "client":
            parts.append(f"\nexport async function {ask}(prompt{prompt}){returns} {{\n")
            parts.append(_js_request(rng, "client", use_model, "  "))
            parts.append('  return response.choices[0].message.content ?? "";\n}\n')
        elif style == "param":
            client = ": OpenAI" if typescript else ""
            parts.append(
                f"\nexport async function {ask}(client{client}, prompt{prompt}){returns} {{\n"
            )
            parts.append(_js_request(rng, "client", use_model, "  "))
            parts.append('  return response.choices[0].message.content ?? "";\n}\n')
        else:  # class
            parts.append(
                f"\nexport class Assistant{section} {{\n"
                f"  client = new OpenAI({{ apiKey: {key} }});\n\n"
                f"  async ask(prompt{prompt}){returns} {{\n"
            )
            parts.append(_js_request(rng, "this.client", use_model, "    "))
            parts.append('    return response.choices[0].message.content ?? "";\n  }\n}\n')
    return "".join(parts)


# Real code nobody here wrote (issue #17's "dense-real"): the modules that import openai in
# these releases, pinned so that every run reads the same files. Only pure-Python wheels
# (``py3-none-any``), so the same files come on any machine; ``pip download`` fetches them
# into a cache (``.cache/bench-wheels``) the first time.
DENSE_REAL_WHEELS = (
    ("agno", "3.1.10"),
    ("autogen-ext", "0.7.5"),
    ("browser-use", "0.13.14"),
    ("camel-ai", "0.2.90"),
    ("deepeval", "4.3.1"),
    ("dspy", "3.4.1"),
    ("guidance", "0.3.1"),
    ("haystack-ai", "3.4.1"),
    ("instructor", "1.17.0"),
    ("langchain-community", "0.4.2"),
    ("langchain-openai", "1.7.4"),
    ("llama-index-llms-openai", "0.8.3"),
    ("mem0ai", "2.2.1"),
    ("mirascope", "2.8.2"),
    ("openai-agents", "0.24.0"),
    ("opik", "2.2.122"),
    ("pydantic-ai-slim", "2.68.0"),
    ("ragas", "0.4.3"),
    ("semantic-kernel", "1.45.0"),
)
_IMPORTS_OPENAI = re.compile(rb"^[ \t]*(?:import openai|from openai)\b", re.M)
WHEEL_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "bench-wheels"


def _wheel(name: str, version: str) -> Path | None:
    stem = f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-"
    return next(
        (p for p in sorted(WHEEL_CACHE.glob("*.whl")) if p.name.lower().startswith(stem)), None
    )


def build_dense_real(
    dest: Path, limit: int | None = None, wheels: tuple[tuple[str, str], ...] = DENSE_REAL_WHEELS
) -> dict[str, object]:
    """The ``.py`` files importing openai of ``wheels`` (the first ``limit``), under
    ``dest/<wheel>/``, with a ``pyproject.toml`` at ``dest``: one project. RuntimeError when
    the wheels cannot be fetched."""
    missing = [f"{n}=={v}" for n, v in wheels if _wheel(n, v) is None]
    if missing:
        WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
                str(WHEEL_CACHE),
                *missing,
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pip download failed: {done.stderr.strip()[-500:]}")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text("", encoding="utf-8")
    files = size = 0
    for name, version in wheels:
        wheel = _wheel(name, version)
        if wheel is None:
            raise RuntimeError(f"no wheel for {name}=={version}")
        with zipfile.ZipFile(wheel) as archive:
            for member in sorted(archive.namelist()):
                if not member.endswith(".py") or (limit is not None and files >= limit):
                    continue
                data = archive.read(member)
                if _IMPORTS_OPENAI.search(data) is None:
                    continue
                target = dest / wheel.name.split("-")[0] / member
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                files += 1
                size += len(data)
    return {"files": files, "bytes": size, "wheels": [f"{n}=={v}" for n, v in wheels]}
