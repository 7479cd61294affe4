"""Multi-module programs, proven by running them before and after migrating the whole tree.

The new project index (migrator/project.py, codemods/python/project.py) follows clients from
module to module: a client built in ``app/llm.py`` and used in ``app/service.py``, re-exported
through ``app/__init__.py``, returned by a factory, kept in ``self.client``, or guarded by a
retry module that never sees a client itself. Each program below is a small package written
out in a temporary project (with a ``pyproject.toml``, so the tool finds its root), then run
as a real program (``python main.py`` with ``PYTHONPATH`` at the project root) on the real
``openai`` and ``cerebras-cloud-sdk`` against loopback servers (``tests/loopback.py``):

1. as written, as if the main server were OpenAI (or Cerebras, for code on the Cerebras SDK);
2. after ``cerebras-migrate --target T --base-url http://127.0.0.1:PORT/v1 .`` over the whole
   tree, with ``CEREBRAS_API_KEY`` set and the old ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``
   still lying around (a stale key and a dead URL: neither may be used).

Each migrated run must send what Cerebras needs: the requests written out by hand below
(paths under ``/v1/``, JSON bodies with the mapped model and the Cerebras-only fields at the
top of the body, the header keywords as headers), with ``Authorization: Bearer csk-test``;
and it must print the same thing. A client the migration leaves alone (its ``base_url``
computed at run time) points at a second loopback server: its requests must reach that
server exactly as before, with its own key.

Against servers that answer every request with 429, the same handlers must catch the
rate-limit error before and after migration, on both targets.

Every run of a program on the openai client (as written, or migrated with ``--target
openai``) happens where cerebras-cloud-sdk cannot be imported, as ``tests/test_lazy_imports.py``
makes it (``sys.modules["cerebras"] = None`` makes every import of it raise ImportError, as
a missing package does): such a program must not need it. Two programs import an SDK lazily
(inside a function, in ``try: ... except ImportError``): the one on the Cerebras SDK must run
there once migrated to the openai client, and the openai one, migrated to the Cerebras SDK,
must still load there and fail only where it needs the missing SDK.

Speed: every run is a fresh interpreter importing an SDK, so all the runs the collected tests
need start together on a thread pool (``Bench``); the tests then check the results.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, Request
from test_e2e_programs import DEAD_PROXY, MIGRATE, TIMEOUT, Sent, _env, _mapped

TARGETS = ("openai", "cerebras")
ORIGINAL_KEY = "sk-original"
ORIGINAL_CEREBRAS_KEY = "csk-original"
CEREBRAS_KEY = "csk-test"
STALE_OPENAI_KEY = "sk-stale-must-not-be-sent"
LOCAL_KEY = "local-key"
MODEL = "gpt-oss-120b"  # what the default model map makes of the OpenAI ids below
USER_AGENT = {"openai": "OpenAI", "cerebras": "Cerebras"}  # what each SDK's begins with

# Runs the program as if cerebras-cloud-sdk were not installed (tests/test_lazy_imports.py).
WITHOUT_CEREBRAS = (
    "import runpy, sys\n"
    "sys.modules['cerebras'] = None  # import cerebras... raises ImportError\n"
    "sys.argv = ['main.py']\n"
    "runpy.run_path('main.py', run_name='__main__')\n"
)


def one_certificate(folder: Path) -> Path | None:
    """A trust store of one certificate (certifi's first), for ``SSL_CERT_FILE``. The
    programs speak plain HTTP to 127.0.0.1, yet each httpx client loads the trust store
    once per transport, each dead proxy included: a full one costs a tenth of a second a
    time. None without certifi (installed with httpx, which both SDKs use)."""
    try:
        import certifi
    except ImportError:
        return None
    bundle = Path(certifi.where()).read_text(encoding="ascii", errors="replace")
    first = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", bundle, re.S)
    if first is None:
        return None
    path = folder / "one-certificate.pem"
    path.write_text(first.group(0), encoding="ascii")
    return path


def _user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def _tree(files: Mapping[str, str]) -> dict[str, str]:
    """The files of a program, path -> text (dedented)."""
    return {name: textwrap.dedent(text) for name, text in files.items()}


@dataclass(frozen=True)
class Case:
    """A multi-module program and what it must do once migrated."""

    name: str
    files: Mapping[str, str]
    # What every migrated run sends to the main server, and prints.
    expected: tuple[Sent, ...]
    expected_stdout: str
    sdk: str = "openai"  # the SDK it was written for
    # What the left-alone client sends to the second server, before and after: unchanged.
    local: tuple[Sent, ...] = ()
    # False: the original fails with a TypeError (a Cerebras-only keyword the openai client
    # rejects) before sending anything.
    runs_before: bool = True
    # When set, the program also runs against servers that answer 429, and prints this.
    rate_limited_stdout: str | None = None
    # Known tool bugs: target -> what goes wrong (xfail, strict: an XPASS fails).
    bugs: Mapping[str, str] = field(default_factory=dict)

    @property
    def targets(self) -> tuple[str, ...]:
        # Code on the Cerebras SDK is already on it with --target cerebras.
        return tuple(t for t in TARGETS if not (self.sdk == "cerebras" and t == "cerebras"))


# --- the programs ---------------------------------------------------------------------------

PACKAGE = Case(
    "package",
    _tree(
        {
            "app/__init__.py": '''\
            """The app's public face: scripts import the client from here."""

            from .llm import client
            from .service import summarize

            __all__ = ["client", "summarize"]
            ''',
            "app/llm.py": """\
            import os

            from openai import OpenAI

            client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], max_retries=0)
            """,
            "app/service.py": '''\
            from .llm import client


            def summarize(text: str) -> str:
                """Cerebras-only fields, as keywords and in extra_body."""
                reply = client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": text}],
                    clear_thinking=False,
                    reasoning_format="parsed",
                    temperature=0.2,
                    extra_body={"min_tokens": 8, "top_k": 40},
                )
                return reply.choices[0].message.content
            ''',
            "main.py": """\
            import app.llm as llm
            from app import client, summarize

            print(summarize("quarterly numbers"))
            done = client.completions.create(
                model="gpt-3.5-turbo-instruct",
                prompt="Say hi",
                max_tokens=5,
                extra_body={"min_tokens": 1},
            )
            print(done.choices[0].text)
            stream = llm.client.chat.completions.create(
                model="gpt-4o",
                messages=[{"role": "user", "content": "stream it"}],
                stream=True,
                cf_ray="ray-package",
            )
            print("".join(chunk.choices[0].delta.content or "" for chunk in stream))
            """,
        }
    ),
    expected=(
        Sent(
            "POST",
            "/v1/chat/completions",
            {
                "model": MODEL,
                "messages": _user("quarterly numbers"),
                "clear_thinking": False,
                "reasoning_format": "parsed",
                "temperature": 0.2,
                "min_tokens": 8,
                "top_k": 40,
            },
        ),
        Sent(
            "POST",
            "/v1/completions",
            {"model": MODEL, "prompt": "Say hi", "max_tokens": 5, "min_tokens": 1},
        ),
        Sent(
            "POST",
            "/v1/chat/completions",
            {"model": MODEL, "messages": _user("stream it"), "stream": True},
            headers=(("cf-ray", "ray-package"),),
        ),
    ),
    expected_stdout="echo: quarterly numbers\necho: Say hi\necho: stream it\n",
    runs_before=False,
)

FACTORY = Case(
    "factory",
    _tree(
        {
            "assistant/__init__.py": "",
            "assistant/factory.py": """\
            import os

            from openai import OpenAI


            def get_client() -> OpenAI:
                return OpenAI(api_key=os.getenv("OPENAI_API_KEY"), timeout=30, max_retries=0)


            def build():
                return OpenAI(max_retries=0, default_headers={"X-App": "assistant"})
            """,
            "assistant/bot.py": """\
            from typing import Optional

            from openai import OpenAI

            from . import factory
            from .factory import get_client


            class Bot:
                def __init__(self, client: Optional[OpenAI] = None) -> None:
                    self.client = client or get_client()

                def reply(self, text: str) -> str:
                    answer = self.client.chat.completions.create(
                        model="gpt-4o",
                        messages=[{"role": "user", "content": text}],
                        reasoning_format="parsed",
                        max_completion_tokens=64,
                    )
                    return answer.choices[0].message.content


            def quick(text: str) -> str:
                client = factory.build()
                done = client.completions.create(
                    model="gpt-3.5-turbo-instruct",
                    prompt=text,
                    min_tokens=1,
                    extra_body={"top_k": 5},
                )
                return done.choices[0].text
            """,
            "main.py": """\
            from assistant.bot import Bot, quick

            print(Bot().reply("hello"))
            print(quick("short"))
            """,
        }
    ),
    expected=(
        Sent(
            "POST",
            "/v1/chat/completions",
            {
                "model": MODEL,
                "messages": _user("hello"),
                "reasoning_format": "parsed",
                "max_completion_tokens": 64,
            },
        ),
        Sent(
            "POST",
            "/v1/completions",
            {"model": MODEL, "prompt": "short", "min_tokens": 1, "top_k": 5},
            headers=(("x-app", "assistant"),),
        ),
    ),
    expected_stdout="echo: hello\necho: short\n",
    runs_before=False,
)


def _retry_files(clients: str) -> dict[str, str]:
    """A retry module guarding calls into another module, which uses two clients of a third:
    the main one, and a self-hosted one whose URL comes from the environment."""
    return _tree(
        {
            "svc/__init__.py": "",
            "svc/clients.py": clients,
            "svc/calls.py": """\
            from svc.clients import local_client, main_client


            def draft(text: str) -> str:
                reply = main_client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": text}],
                    extra_body={"clear_thinking": False},
                    extra_headers={"CF-RAY": "ray-draft"},
                )
                return reply.choices[0].message.content


            def summarize_locally(text: str) -> str:
                # An OpenAI model id on a client left alone: it must stay as it is.
                reply = local_client.chat.completions.create(
                    model="gpt-4o-mini",
                    messages=[{"role": "user", "content": text}],
                    extra_body={"top_k": 20},
                )
                return reply.choices[0].message.content
            """,
            "svc/retry.py": '''\
            """No client here: just the handler around calls made elsewhere."""

            import openai


            def guarded(call, text: str, name: str) -> str:
                try:
                    return call(text)
                except openai.RateLimitError:
                    return f"{name}: rate limited"
            ''',
            "main.py": """\
            from svc import calls
            from svc.retry import guarded

            print(guarded(calls.draft, "draft this", "main"))
            print(guarded(calls.summarize_locally, "sum this", "local"))
            """,
        }
    )


RETRY_EXPECTED = (
    Sent(
        "POST",
        "/v1/chat/completions",
        {"model": MODEL, "messages": _user("draft this"), "clear_thinking": False},
        headers=(("cf-ray", "ray-draft"),),
    ),
)
RETRY_LOCAL = (
    Sent(
        "POST",
        "/v1/chat/completions",
        {"model": "gpt-4o-mini", "messages": _user("sum this"), "top_k": 20},
        headers=(("authorization", f"Bearer {LOCAL_KEY}"),),
    ),
)
RETRY = Case(
    "retry",
    _retry_files(
        """\
        import os

        from openai import OpenAI

        main_client = OpenAI(max_retries=0)
        local_client = OpenAI(
            base_url=os.environ["LOCAL_LLM_URL"],
            api_key=os.environ["LOCAL_LLM_KEY"],
            max_retries=0,
        )
        """
    ),
    expected=RETRY_EXPECTED,
    expected_stdout="echo: draft this\necho: sum this\n",
    local=RETRY_LOCAL,
    rate_limited_stdout="main: rate limited\nlocal: rate limited\n",
)

# The same program with the clients made through ``import openai``.
RETRY_MODULE_STYLE = Case(
    "retry_module_style",
    _retry_files(
        """\
        import os

        import openai

        main_client = openai.OpenAI(max_retries=0)
        local_client = openai.OpenAI(
            base_url=os.environ["LOCAL_LLM_URL"],
            api_key=os.environ["LOCAL_LLM_KEY"],
            max_retries=0,
        )
        """
    ),
    expected=RETRY_EXPECTED,
    expected_stdout="echo: draft this\necho: sum this\n",
    local=RETRY_LOCAL,
)

# Written for the Cerebras SDK, which it imports only when a client is needed.
LAZY_CEREBRAS = Case(
    "lazy_cerebras",
    _tree(
        {
            "app/__init__.py": "",
            "app/llm.py": '''\
            """The Cerebras SDK is optional: imported only when a client is needed."""

            try:
                import cerebras.cloud.sdk as cerebras_sdk
            except ImportError:  # the app runs without it, minus the LLM features
                cerebras_sdk = None


            def get_client():
                from cerebras.cloud.sdk import Cerebras

                return Cerebras(max_retries=0, warm_tcp_connection=False)
            ''',
            "app/service.py": """\
            from app.llm import get_client


            def ask(question: str) -> str:
                from cerebras.cloud.sdk import RateLimitError

                client = get_client()
                try:
                    reply = client.chat.completions.create(
                        model="zai-glm-4.7",
                        messages=[{"role": "user", "content": question}],
                        clear_thinking=False,
                        cf_ray="ray-lazy",
                    )
                except RateLimitError:
                    return "rate limited"
                return reply.choices[0].message.content
            """,
            "main.py": """\
            from app.service import ask

            print("loaded")
            try:
                print(ask("hi"))
            except ImportError:
                print("the LLM features need the SDK")
            """,
        }
    ),
    sdk="cerebras",
    expected=(
        Sent(
            "POST",
            "/v1/chat/completions",
            {"model": "zai-glm-4.7", "messages": _user("hi"), "clear_thinking": False},
            headers=(("cf-ray", "ray-lazy"),),
        ),
    ),
    expected_stdout="loaded\necho: hi\n",
    rate_limited_stdout="loaded\nrate limited\n",
)

# Written for openai, imported lazily too; an isinstance check in a helper of its own.
LAZY_OPENAI = Case(
    "lazy_openai",
    _tree(
        {
            "app/__init__.py": "",
            "app/llm.py": '''\
            """The LLM client is optional: the SDK is imported when it is first needed."""

            try:
                import openai
            except ImportError:  # installed without the "llm" extra
                openai = None


            def get_client():
                from openai import OpenAI

                return OpenAI(max_retries=0)


            def is_rate_limit(exc: Exception) -> bool:
                return openai is not None and isinstance(exc, openai.RateLimitError)
            ''',
            "app/service.py": """\
            from app.llm import get_client, is_rate_limit


            def ask(question: str) -> str:
                client = get_client()
                try:
                    reply = client.chat.completions.create(
                        model="gpt-4o-mini",
                        messages=[{"role": "user", "content": question}],
                        extra_body={"clear_thinking": False, "min_tokens": 2},
                    )
                except Exception as exc:
                    if is_rate_limit(exc):
                        return "rate limited"
                    raise
                return reply.choices[0].message.content
            """,
            "main.py": """\
            from app.service import ask

            print("loaded")
            try:
                print(ask("hi"))
            except ImportError:
                print("the LLM features need the SDK")
            """,
        }
    ),
    expected=(
        Sent(
            "POST",
            "/v1/chat/completions",
            {"model": MODEL, "messages": _user("hi"), "clear_thinking": False, "min_tokens": 2},
        ),
    ),
    expected_stdout="loaded\necho: hi\n",
    rate_limited_stdout="loaded\nrate limited\n",
)
# What a program that loads without the SDK prints when its feature needs the SDK.
FALLBACK_STDOUT = "loaded\nthe LLM features need the SDK\n"

CASES = (PACKAGE, FACTORY, RETRY, RETRY_MODULE_STYLE, LAZY_CEREBRAS, LAZY_OPENAI)
BY_NAME = {case.name: case for case in CASES}


# --- running them ---------------------------------------------------------------------------

# Each tree is migrated once per target, with its main server's URL still unknown: with
# ``--base-url`` on this port (closed, like ``DEAD_PROXY``); each run then copies the migrated
# tree and writes its own server's port in its place. The runs of one migration (against a
# server answering 429, without cerebras-cloud-sdk) thus run the very same code.
PLACEHOLDER_URL = f"{DEAD_PROXY}/v1"
_PLACEHOLDER = re.compile(re.escape(DEAD_PROXY.removeprefix("http://")) + r"(?!\d)")


@dataclass(frozen=True)
class Job:
    """One run: a case as written, or migrated to ``target``; against servers that answer 429
    when ``limited``; where cerebras-cloud-sdk is missing when ``without_cerebras`` (None: the
    default, missing unless the program is on the Cerebras SDK, as written or migrated: a
    program on the openai client must not need it)."""

    case: str
    target: str | None = None
    limited: bool = False
    without_cerebras: bool | None = None

    @property
    def on_cerebras(self) -> bool:
        return (self.target or BY_NAME[self.case].sdk) == "cerebras"

    @property
    def no_cerebras(self) -> bool:
        return not self.on_cerebras if self.without_cerebras is None else self.without_cerebras

    def label(self) -> str:
        parts = [self.case, self.target or "original"]
        parts += ["429"] * self.limited + ["no-cerebras"] * self.no_cerebras
        return "-".join(parts)


@dataclass
class Migration:
    tree: Path
    proc: subprocess.CompletedProcess[str] | None  # None: the tree as written


@dataclass
class Result:
    job: Job
    sources: dict[str, str]  # the tree after migration (as written, for an original)
    migration: subprocess.CompletedProcess[str] | None
    returncode: int
    stdout: str
    stderr: str
    main: list[Request]  # what the main server saw (the OpenAI or Cerebras stand-in)
    local: list[Request]  # what the second server saw (the self-hosted model)

    @property
    def api(self) -> list[Request]:
        return [r for r in self.main if not r.is_warming]

    def describe(self) -> str:
        lines = [f"--- {self.job.label()}: exit {self.returncode}"]
        for name, requests in (("main", self.main), ("local", self.local)):
            for r in requests:
                auth = r.headers.get("authorization")
                lines.append(f"  {name}: {r.method} {r.path} auth={auth!r} body={r.body!r}")
        if self.stdout:
            lines.append("stdout:\n" + self.stdout.rstrip())
        if self.stderr:
            lines.append("stderr (end):\n" + "\n".join(self.stderr.rstrip().splitlines()[-15:]))
        if self.migration is not None:
            lines.append("cerebras-migrate said:\n" + self.migration.stdout + self.migration.stderr)
        for path, text in sorted(self.sources.items()):
            lines.append(f"--- {path}\n{text.rstrip()}")
        return "\n".join(lines)


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0"\n')
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read_tree(root: Path, files: Mapping[str, str]) -> dict[str, str]:
    return {name: (root / name).read_text(encoding="utf-8") for name in files}


def migrate_trees(roots: list[Path], target: str) -> subprocess.CompletedProcess[str]:
    """The real command line over whole trees: ``cerebras-migrate --target T --base-url URL
    ROOT...``, from their common folder."""
    parent = Path(os.path.commonpath(roots))
    parent = parent if parent not in roots else parent.parent
    return subprocess.run(
        [*MIGRATE, "--target", target, "--base-url", PLACEHOLDER_URL]
        + [str(root.relative_to(parent)) for root in roots],
        cwd=parent,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def run_tree(
    job: Job,
    tree: Path,
    folder: Path,
    migration: subprocess.CompletedProcess[str] | None,
    certificate: Path | None = None,
) -> Result:
    """Run ``main.py`` of a copy of ``tree`` (in ``folder``) against fresh servers."""
    case = BY_NAME[job.case]
    with (
        LoopbackServer(rate_limited=job.limited) as main,
        LoopbackServer(rate_limited=job.limited) as local,
    ):
        shutil.copytree(tree, folder)
        for name in case.files:
            path = folder / name
            text = path.read_text(encoding="utf-8")
            path.write_text(_PLACEHOLDER.sub(f"127.0.0.1:{main.port}", text), encoding="utf-8")
        if job.target is not None:
            # The old OpenAI settings are still there: neither may be used.
            env = _env(
                CEREBRAS_API_KEY=CEREBRAS_KEY,
                OPENAI_API_KEY=STALE_OPENAI_KEY,
                OPENAI_BASE_URL=f"{DEAD_PROXY}/v1",
            )
        elif case.sdk == "cerebras":
            env = _env(CEREBRAS_API_KEY=ORIGINAL_CEREBRAS_KEY, CEREBRAS_BASE_URL=main.url)
        else:
            env = _env(OPENAI_API_KEY=ORIGINAL_KEY, OPENAI_BASE_URL=f"{main.url}/v1")
        env.update(LOCAL_LLM_URL=f"{local.url}/v1", LOCAL_LLM_KEY=LOCAL_KEY, PYTHONPATH=str(folder))
        if certificate is not None:
            env["SSL_CERT_FILE"] = str(certificate)
        command = ["-c", WITHOUT_CEREBRAS] if job.no_cerebras else ["main.py"]
        proc = subprocess.run(
            [sys.executable, *command],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        return Result(
            job,
            read_tree(folder, case.files),
            migration,
            proc.returncode,
            proc.stdout,
            proc.stderr,
            main.take(),
            local.take(),
        )


class Bench:
    """Migrates and runs on thread pools, each thing once; ``result`` waits for a run
    (starting it, when no collected test asked for it up front)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        workers = (os.cpu_count() or 2) + 1
        # Two pools: a run waits for its migration, which never waits for anything.
        self._migrating = ThreadPoolExecutor(max_workers=workers)
        self._running = ThreadPoolExecutor(max_workers=workers)
        self._migrations: dict[tuple[str, str | None], Future[Migration]] = {}
        self._runs: dict[str, Future[Result]] = {}  # by label: one run per effective job
        self._lock = threading.Lock()
        self.certificate = one_certificate(root)

    def migration(self, case: str, target: str | None) -> Future[Migration]:
        with self._lock:
            key = (case, target)
            if key not in self._migrations:
                self._migrations[key] = self._migrating.submit(self._migrate, case, target)
            return self._migrations[key]

    def _migrate(self, case: str, target: str | None) -> Migration:
        tree = self.root / "trees" / f"{case}-{target or 'original'}"
        write_tree(tree, BY_NAME[case].files)
        return Migration(tree, migrate_trees([tree], target) if target else None)

    def start(self, job: Job) -> Future[Result]:
        migration = self.migration(job.case, job.target)
        with self._lock:
            label = job.label()
            if label not in self._runs:
                self._runs[label] = self._running.submit(self._run, job, migration)
            return self._runs[label]

    def _run(self, job: Job, migration: Future[Migration]) -> Result:
        done = migration.result()
        folder = self.root / "runs" / job.label()
        return run_tree(job, done.tree, folder, done.proc, self.certificate)

    def result(self, job: Job) -> Result:
        return self.start(job).result()

    def together(self, cases: tuple[str, ...], target: str) -> Future[list[Result]]:
        """The trees of ``cases`` migrated by one run of the command line, then each run."""
        with self._lock:
            key = f"together-{target}-" + "-".join(cases)
            if key not in self._runs:
                self._runs[key] = self._running.submit(self._together, cases, target, key)
            return self._runs[key]  # type: ignore[return-value]

    def _together(self, cases: tuple[str, ...], target: str, key: str) -> list[Result]:
        trees = [self.root / "trees" / key / case for case in cases]
        for case, tree in zip(cases, trees, strict=True):
            write_tree(tree, BY_NAME[case].files)
        proc = migrate_trees(trees, target)
        return [
            run_tree(
                Job(case, target), tree, self.root / "runs" / key / case, proc, self.certificate
            )
            for case, tree in zip(cases, trees, strict=True)
        ]

    def close(self) -> None:
        self._running.shutdown(wait=True, cancel_futures=True)
        self._migrating.shutdown(wait=True, cancel_futures=True)


def _jobs_of(name: str, params: Mapping[str, Any]) -> list[Job]:
    """The runs a collected test will ask for."""
    case = params.get("case")
    if not isinstance(case, Case):
        return []
    if name == "test_original_project":
        return [Job(case.name)]
    if name == "test_migrated_project":
        return [Job(case.name), Job(case.name, params["target"])]
    if name == "test_handler_catches_rate_limit":
        return [Job(case.name, params["side"], limited=True)]
    return []


@pytest.fixture(scope="module")
def bench(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    bench = Bench(tmp_path_factory.mktemp("projects"))
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is sys.modules[__name__] and spec is not None:
            for job in _jobs_of(getattr(item, "originalname", ""), spec.params):
                bench.start(job)
    for job in LAZY_JOBS:
        bench.start(job)
    bench.together(TOGETHER, "openai")
    yield bench
    bench.close()


# --- checks ---------------------------------------------------------------------------------


def check_migration(result: Result) -> None:
    migration = result.migration
    assert migration is not None
    said = migration.stdout + migration.stderr
    errors = [line for line in said.splitlines() if re.search(r"\bCM9\d\d\b", line)]
    assert not errors, result.describe()
    assert migration.returncode == 1, f"expected files rewritten (exit 1)\n{result.describe()}"


def check_sent(requests: list[Request], expected: tuple[Sent, ...], what: str, context: str):
    doubled = [r.path for r in requests if r.path.startswith("/v1/v1")]
    assert not doubled, f"/v1 doubled in {doubled}{context}"
    assert [(r.method, r.path) for r in requests] == [(s.method, s.path) for s in expected], (
        f"{what}: other endpoints{context}"
    )
    assert [r.body for r in requests] == [s.body for s in expected], (
        f"{what}: other JSON bodies{context}"
    )
    for request, sent in zip(requests, expected, strict=True):
        carried = {name: request.headers.get(name) for name, _ in sent.headers}
        assert carried == dict(sent.headers), f"{what}: other headers{context}"


def check_local(result: Result, case: Case, context: str) -> None:
    """The left-alone client's requests: to the second server, with its own key, as written."""
    check_sent(result.local, case.local, "the left-alone client", context)
    keys = {r.headers.get("authorization") for r in result.local}
    assert keys <= {f"Bearer {LOCAL_KEY}"}, f"the local client sent another key{context}"


def _param(case: Case, target: str | None, id: str) -> Any:
    reason = case.bugs.get(target) if target else None
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, target, id=id, marks=marks)


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_original_project(bench: Bench, case: Case) -> None:
    """The harness: each program runs as written against the server posing as its own API
    (or fails before sending anything, where the openai client rejects a keyword); the
    requests written out by hand are what it sends, but for the mapped model."""
    result = bench.result(Job(case.name))
    context = "\n" + result.describe()
    if not case.runs_before:
        assert result.returncode != 0, context
        assert "TypeError" in result.stderr and "unexpected keyword argument" in result.stderr
        assert result.api == [] and result.local == [], "nothing may be sent before the error"
        return
    assert result.returncode == 0, context
    key = ORIGINAL_CEREBRAS_KEY if case.sdk == "cerebras" else ORIGINAL_KEY
    assert {r.headers.get("authorization") for r in result.api} == {f"Bearer {key}"}, context
    original = tuple(
        Sent(r.method, r.path, _mapped(r.body) if case.sdk == "openai" else r.body)
        for r in result.api
    )
    assert original == tuple(Sent(s.method, s.path, s.body) for s in case.expected), context
    check_local(result, case, context)
    assert result.stdout == case.expected_stdout, context


@pytest.mark.parametrize(
    ("case", "target"),
    [_param(c, t, id=f"{c.name}-{t}") for c in CASES for t in c.targets],
)
def test_migrated_project(bench: Bench, case: Case, target: str) -> None:
    """Migrated as a whole tree, the program sends what Cerebras needs, with the Cerebras
    key from CEREBRAS_API_KEY, and prints what it printed; a client left alone still talks
    to its own server, unchanged."""
    result = bench.result(Job(case.name, target))
    context = "\n" + result.describe()
    check_migration(result)
    assert result.returncode == 0, f"the migrated program failed{context}"
    assert all(r.path.startswith("/v1/") for r in result.main), context
    keys = {r.headers.get("authorization") for r in result.main}
    assert keys == {f"Bearer {CEREBRAS_KEY}"}, f"not (only) the Cerebras key sent{context}"
    check_sent(result.api, case.expected, "the migrated client", context)
    agents = {r.headers.get("user-agent", "").split("/")[0] for r in result.api}
    assert agents == {USER_AGENT[target]}, f"not sent by the {target} SDK{context}"
    check_local(result, case, context)
    if case.runs_before:
        original = bench.result(Job(case.name))
        before = [
            (r.method, r.path, r.headers.get("authorization"), r.body) for r in original.local
        ]
        after = [(r.method, r.path, r.headers.get("authorization"), r.body) for r in result.local]
        assert after == before, f"the left-alone client's requests changed{context}"
    assert result.stdout == case.expected_stdout, f"other output{context}"


@pytest.mark.parametrize(
    ("case", "side"),
    [
        _param(c, side, id=f"{c.name}-{side or 'original'}")
        for c in CASES
        if c.rate_limited_stdout is not None
        for side in (None, *c.targets)
    ],
)
def test_handler_catches_rate_limit(bench: Bench, case: Case, side: str | None) -> None:
    """Against servers answering 429, the same handlers catch each client's rate-limit
    error, as written and once migrated; each request is sent once (no retries)."""
    result = bench.result(Job(case.name, side, limited=True))
    context = "\n" + result.describe()
    if side is not None:
        check_migration(result)
    assert result.returncode == 0, f"the 429 was not caught{context}"
    assert result.stdout == case.rate_limited_stdout, context
    endpoints = [(s.method, s.path) for s in case.expected]
    assert [(r.method, r.path) for r in result.api] == endpoints, context
    assert [(r.method, r.path) for r in result.local] == [(s.method, s.path) for s in case.local]
    if side is not None:
        keys = {r.headers.get("authorization") for r in result.main}
        assert keys == {f"Bearer {CEREBRAS_KEY}"}, context


# --- without cerebras-cloud-sdk ---------------------------------------------------------------

LAZY_JOBS = (
    Job(LAZY_CEREBRAS.name, without_cerebras=True),
    Job(LAZY_CEREBRAS.name, "openai"),  # without cerebras, as every run on the openai client
    Job(LAZY_OPENAI.name, "cerebras", without_cerebras=True),
)


def eager_imports(source: str, root: str) -> list[str]:
    """The imports of package ``root`` that run when the module is imported: at module level
    and not inside a ``try:`` whose handlers catch ImportError."""

    def guarded(handlers: list[ast.ExceptHandler]) -> bool:
        names = {ast.unparse(h.type) for h in handlers if h.type is not None}
        return bool(names & {"ImportError", "ModuleNotFoundError", "Exception"})

    found: list[str] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                modules += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                if any(m.split(".")[0] == root for m in modules):
                    found.append(ast.unparse(node))
            elif isinstance(node, ast.Try) and guarded(node.handlers):
                visit(node.orelse + node.finalbody)
            elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for field_name in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field_name, []) or [])

    visit(ast.parse(source).body)
    return found


def test_the_environment_lacks_only_cerebras(tmp_path: Path) -> None:
    """The harness: in the environment ``WITHOUT_CEREBRAS`` makes, openai imports and
    cerebras.cloud.sdk does not."""
    (tmp_path / "main.py").write_text(
        "import openai\n"
        "try:\n"
        "    from cerebras.cloud.sdk import Cerebras\n"
        "except ImportError:\n"
        "    print('no cerebras')\n"
        "print(openai.OpenAI.__name__)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_CEREBRAS],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "no cerebras\nOpenAI\n"


def test_lazy_cerebras_program_loads_without_its_sdk(bench: Bench) -> None:
    """The harness: the program on the Cerebras SDK, as written, loads without it."""
    result = bench.result(Job(LAZY_CEREBRAS.name, without_cerebras=True))
    assert result.returncode == 0, result.describe()
    assert result.stdout == FALLBACK_STDOUT, result.describe()
    assert result.main == [], result.describe()


def test_migrated_to_openai_runs_without_cerebras(bench: Bench) -> None:
    """Code that imported the Cerebras SDK lazily, migrated to the openai client, needs
    cerebras-cloud-sdk no more: it runs, and sends what Cerebras needs."""
    result = bench.result(Job(LAZY_CEREBRAS.name, "openai"))
    context = "\n" + result.describe()
    check_migration(result)
    for name, text in result.sources.items():
        assert not eager_imports(text, "openai"), f"{name}: openai imported eagerly{context}"
    assert result.returncode == 0, context
    assert result.stdout == LAZY_CEREBRAS.expected_stdout, context
    assert {r.headers.get("authorization") for r in result.main} == {f"Bearer {CEREBRAS_KEY}"}
    check_sent(result.api, LAZY_CEREBRAS.expected, "the migrated client", context)


def test_migrated_to_cerebras_loads_without_cerebras(bench: Bench) -> None:
    """Migrated to the Cerebras SDK, the lazy imports stay lazy: where cerebras-cloud-sdk is
    missing the modules still load (their ``try: ... except ImportError`` still holds), and
    only the call that needs the SDK raises ImportError. Nothing is sent."""
    result = bench.result(Job(LAZY_OPENAI.name, "cerebras", without_cerebras=True))
    context = "\n" + result.describe()
    check_migration(result)
    assert any("cerebras" in text for text in result.sources.values()), context
    for name, text in result.sources.items():
        assert not eager_imports(text, "cerebras"), f"{name}: cerebras imported eagerly{context}"
    assert result.returncode == 0, f"a module no longer loads without the SDK{context}"
    assert result.stdout == FALLBACK_STDOUT, context
    assert result.main == [] and result.local == [], context


# --- several projects in one run ------------------------------------------------------------

# Two projects, each with its own ``app.llm`` and ``app.service``: a monorepo's services.
TOGETHER = (LAZY_OPENAI.name, PACKAGE.name)


def test_two_projects_in_one_run(bench: Bench) -> None:
    """``cerebras-migrate one/ two/`` migrates each project as a run over it alone
    does: each program then sends what it sends when migrated alone."""
    for result in bench.together(TOGETHER, "openai").result():
        case = BY_NAME[result.job.case]
        context = "\n" + result.describe()
        check_migration(result)
        assert result.returncode == 0, context
        check_sent(result.api, case.expected, f"{case.name} migrated with another", context)
        assert result.stdout == case.expected_stdout, context
