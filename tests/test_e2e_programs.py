"""Every migration, proven by running it.

Each program in ``fixtures/programs/`` runs twice against a loopback server
(``tests/loopback.py``) with the real ``openai`` and ``cerebras-cloud-sdk`` packages:

1. the original, as if the server were OpenAI (``OPENAI_BASE_URL``, ``OPENAI_API_KEY``);
2. a copy migrated by the real command line, ``cerebras-migrate --target T --base-url
   http://127.0.0.1:PORT/v1 <copy>``, run with nothing but ``CEREBRAS_API_KEY`` set.

The migrated run must hit the same endpoints under ``/v1/`` (never ``/v1/v1``), with
``Authorization: Bearer csk-test``, sending the same JSON bodies except for the mapped
``model``, and print the same thing. A program that could not run before (a keyword the openai
client rejects) is compared with requests written out by hand instead.

The openai target also runs under an old openai, ``OLD_OPENAI`` (1.30.0), in a venv of its
own cached in ``.cache/`` (git-ignored; made once, in seconds, from the package index):
each program is migrated with ``--openai-version 1.30.0`` and run with that venv's python, and
must send what the original sent on the current openai. Keywords 1.30 does not know
(``reasoning_effort``, ``max_completion_tokens``) arrive at the top of the body through
``extra_body``. Without the package index those cases are skipped, saying why.

Targets are switched on by ``TARGETS``: a target the installed tool does not list under
``--target`` in its ``--help`` is skipped, so the cerebras cases start running on their own
when that target lands.

Speed: a program run is a fresh interpreter importing an SDK (most of a second), so all the
collected cases start together on a thread pool when the first test needs one: each original
on a server of its own, the migrated copies in lanes (one server and one ``cerebras-migrate``
run per target for all of a lane's copies). The tests then only check the results.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import venv
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, Request

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = ROOT / "fixtures" / "programs"

# The targets the programs are migrated to. A target runs only once the tool lists it.
TARGETS = ("openai", "cerebras")

ORIGINAL_KEY = "sk-original"
ORIGINAL_CEREBRAS_KEY = "csk-original"
CEREBRAS_KEY = "csk-test"
# What the default model map must make of the OpenAI ids the programs use.
MIGRATED_MODEL = {
    "gpt-4o": "gpt-oss-120b",
    "gpt-4o-mini": "gpt-oss-120b",
    "gpt-3.5-turbo-instruct": "gpt-oss-120b",
}
# Every request a program makes that does not go to the loopback server goes to this
# closed port (a proxy that is not there) and fails at once: nothing leaves 127.0.0.1.
DEAD_PROXY = "http://127.0.0.1:9"
TIMEOUT = 60  # seconds, per subprocess
# OpenAI credentials every migrated copy runs with, as on a developer's machine that still has
# them set: none may reach the server (the openai client fills missing settings from them),
# and with the Cerebras key unset the program must stop before sending anything.
OPENAI_DECOYS = {
    "OPENAI_API_KEY": "sk-proj-DECOYopenai0123456789abcdefghij",
    "OPENAI_ORG_ID": "org-DECOYorganization0123456789",
    "OPENAI_PROJECT_ID": "proj_DECOYproject0123456789",
    "OPENAI_BASE_URL": f"{DEAD_PROXY}/v1",
}

# The old openai the openai target is also proven on, and what its venv needs: openai < 1.55.3
# passes ``proxies=`` to httpx, which httpx 0.28 no longer takes.
OLD_OPENAI = "1.30.0"
OLD_OPENAI_REQUIREMENTS = (f"openai=={OLD_OPENAI}", "httpx<0.28")
CACHE_DIR = ROOT / ".cache"
INSTALL_TIMEOUT = 600  # seconds, to make the venv


@dataclass(frozen=True)
class Sent:
    """A request as the test expects it: method, path, JSON body, and headers it must carry
    (names lower-cased; other headers are not compared)."""

    method: str
    path: str
    body: Any
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Program:
    name: str
    sdk: str = "openai"  # the SDK it was written for
    # For a program that fails before migration: what it must send, and print, after.
    expected: tuple[Sent, ...] | None = None
    expected_stdout: str | None = None
    hard_coded_key: str | None = None
    # Other keys written into the program: gone from the migrated code, never sent.
    other_keys: tuple[str, ...] = ()
    # Known tool bugs: (target, what goes wrong). Those cases are xfail(strict=False), so
    # they report XPASS, without failing, once the bug is fixed: then delete the entry.
    xfail: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> Path:
        return PROGRAMS_DIR / f"{self.name}.py"

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key written into the program."""
        return (self.hard_coded_key, *self.other_keys) if self.hard_coded_key else self.other_keys

    @property
    def broken_before(self) -> bool:
        return self.expected is not None

    @property
    def original_key(self) -> str:
        if self.hard_coded_key:
            return self.hard_coded_key
        return ORIGINAL_CEREBRAS_KEY if self.sdk == "cerebras" else ORIGINAL_KEY

    @property
    def targets(self) -> tuple[str, ...]:
        # Code written for the Cerebras SDK is already on Cerebras with --target cerebras:
        # only the other direction migrates it.
        return tuple(t for t in TARGETS if not (self.sdk == "cerebras" and t == "cerebras"))

    @property
    def round_trip(self) -> tuple[str, str]:
        """To the other SDK and back: openai → cerebras → openai, or the reverse."""
        return ("openai", "cerebras") if self.sdk == "cerebras" else ("cerebras", "openai")


PROGRAMS = (
    Program("sync_chat"),
    Program("async_stream"),
    Program("class_client"),
    Program("typed_param"),
    Program("module_client"),
    Program("legacy_completions"),
    Program("options_raw"),
    Program("async_raw"),
    Program("hardcoded_key", hard_coded_key="sk-proj-FAKEFAKEFAKE0123456789abcdef"),
    Program(
        "env_key",
        hard_coded_key="sk-proj-FAKEenvKEY0123456789abcdefgh",
        other_keys=("csk-FAKEenvKEY0123456789abcdefgh", "gsk_FAKEgroq0123456789abcdefgh"),
    ),
    Program(
        "cerebras_keyword",
        expected=(
            Sent(
                "POST",
                "/v1/chat/completions",
                {
                    "model": "gpt-oss-120b",
                    "messages": [{"role": "user", "content": "Think it over"}],
                    "reasoning_format": "parsed",
                    "min_tokens": 4,
                },
                headers=(("cf-ray", "ray-e2e"),),
            ),
        ),
        expected_stdout="echo: Think it over\n",
    ),
    Program("existing_extra_body"),
    Program("cerebras_sdk", sdk="cerebras"),
    Program("newer_keywords"),
)


# --- running things ---------------------------------------------------------------------


def _migrate_command() -> list[str]:
    """The installed console script (beside this interpreter when pytest runs from a venv
    that is not activated), else ``python -m migrator``."""
    beside = Path(sys.executable).with_name("cerebras-migrate")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("cerebras-migrate")
    return [found] if found else [sys.executable, "-m", "migrator"]


MIGRATE = _migrate_command()


@functools.cache
def supported_targets() -> frozenset[str]:
    """The targets ``cerebras-migrate --help`` offers under ``--target``."""
    out = subprocess.run(
        [*MIGRATE, "--help"], capture_output=True, text=True, check=True, timeout=TIMEOUT
    ).stdout
    choices = re.search(r"--target\s+\[([^\]]+)\]", out)
    if choices:
        return frozenset(c.strip() for c in choices.group(1).split("|"))
    return frozenset(t for t in TARGETS if re.search(rf"--target\s+\S*\b{t}\b", out))


def require_targets(*targets: str) -> None:
    for target in targets:
        if target not in supported_targets():
            pytest.skip(f"{target} target not implemented yet")


def _env(**extra: str) -> dict[str, str]:
    """This process's environment without any OpenAI or Cerebras setting or proxy, with every
    non-loopback request sent to a dead proxy, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("OPENAI_", "CEREBRAS_")) and not k.lower().endswith("_proxy")
    }
    env.update(
        http_proxy=DEAD_PROXY,
        https_proxy=DEAD_PROXY,
        all_proxy=DEAD_PROXY,
        no_proxy="127.0.0.1,localhost",
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


@dataclass
class Run:
    """One run of a program and the requests the server saw meanwhile."""

    returncode: int
    stdout: str
    stderr: str
    requests: list[Request]

    @property
    def api_requests(self) -> list[Request]:
        return [r for r in self.requests if not r.is_warming]

    def describe(self) -> str:
        lines = [f"exit {self.returncode}"]
        lines += [f"  {r.method} {r.path}  body={r.body!r}" for r in self.requests]
        if self.stdout:
            lines.append("stdout:\n" + self.stdout.rstrip())
        if self.stderr:
            lines.append("stderr (end):\n" + "\n".join(self.stderr.rstrip().splitlines()[-15:]))
        return "\n".join(lines)


@dataclass
class Step:
    """What one run of ``cerebras-migrate`` did to one program's copy."""

    target: str
    returncode: int  # of the whole run (it may have migrated several copies)
    output: str  # everything it printed, for failure messages
    lines: list[str]  # the diagnostics about this copy
    before: str
    source: str  # the program after this step

    @property
    def errors(self) -> list[str]:
        return [line for line in self.lines if re.search(r"\bCM9\d\d\b", line)]


@dataclass
class Outcome:
    """A program's copy migrated through ``steps``, then run (unless a step failed, or left
    the code on the Cerebras SDK when the target was openai)."""

    steps: list[Step] = field(default_factory=list)
    run: Run | None = None
    keyless: Run | None = None  # the same copy run without CEREBRAS_API_KEY
    unconverted: str | None = None  # why it was not run

    @property
    def source(self) -> str:
        return self.steps[-1].source


def run_program(
    path: Path, server: LoopbackServer, env: dict[str, str], python: str = sys.executable
) -> Run:
    server.take()
    proc = subprocess.run(
        [python, path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, server.take())


def migrate_copies(
    paths: list[Path], target: str, server: LoopbackServer, extra: tuple[str, ...] = ()
) -> list[Step]:
    """``cerebras-migrate --target T --base-url http://127.0.0.1:PORT/v1 FILE...`` in the
    folder of the copies (one run for all of them: the tool is started once, not per file)."""
    before = [path.read_text("utf-8") for path in paths]
    base_url = f"{server.url}/v1"
    proc = subprocess.run(
        [*MIGRATE, "--target", target, "--base-url", base_url, *extra, *(p.name for p in paths)],
        cwd=paths[0].parent,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    output = proc.stdout + proc.stderr
    steps = []
    for path, text in zip(paths, before, strict=True):
        mine = re.compile(rf"(^|/){re.escape(path.name)}:\d+")
        lines = [line for line in output.splitlines() if mine.search(line)]
        steps.append(Step(target, proc.returncode, output, lines, text, path.read_text("utf-8")))
    return steps


class OldOpenAIUnavailable(Exception):
    """The venv with the old openai could not be made (no package index?): tests skip."""


def _venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


# One lock per venv: a test that needs one while conftest.py's background thread is making it
# waits for that build instead of starting a second. A venv that could not be made is tried
# once per session, not per test.
_venv_locks_lock = threading.Lock()
_venv_locks: dict[tuple[str, ...], threading.Lock] = {}
_venvs: dict[tuple[str, ...], Path | OldOpenAIUnavailable] = {}


def _old_openai_python(requirements: tuple[str, ...]) -> Path:
    """The python of a venv holding ``requirements`` (``_make_venv``), made at most once per
    session; ``OldOpenAIUnavailable`` when it cannot be made."""
    with _venv_locks_lock:
        lock = _venv_locks.setdefault(requirements, threading.Lock())
    with lock:
        made = _venvs.get(requirements)
        if made is None:
            try:
                made = _make_venv(requirements)
            except OldOpenAIUnavailable as exc:
                made = exc
            _venvs[requirements] = made
    if isinstance(made, OldOpenAIUnavailable):
        raise made
    return made


def prepare_venvs(wanted: list[tuple[str, ...]]) -> None:
    """Make the venvs of ``wanted`` one after the other (conftest.py runs this on a thread
    when the session starts, so that the builds overlap the tests before theirs); a failure
    is left for the test that needs the venv to report."""
    for requirements in wanted:
        with contextlib.suppress(OldOpenAIUnavailable):
            _old_openai_python(requirements)


def _make_venv(requirements: tuple[str, ...]) -> Path:
    """A venv holding ``requirements``, under ``.cache/`` (git-ignored): made once, then
    reused by later sessions. Built beside its final place and renamed into it, so an
    interrupted or concurrent build never leaves a half-made venv to be used."""
    name = requirements[0].replace("==", "-")
    folder = CACHE_DIR / name
    stamp = {"python": list(sys.version_info[:2]), "requirements": list(requirements)}
    marker = folder / "cerebras-migrate-test-venv.json"

    def ready() -> bool:
        try:
            return json.loads(marker.read_text()) == stamp and _venv_python(folder).is_file()
        except (OSError, ValueError):
            return False

    if ready():
        return _venv_python(folder)
    CACHE_DIR.mkdir(exist_ok=True)
    building = CACHE_DIR / f".{name}.{os.getpid()}.{threading.get_ident()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        venv.EnvBuilder(with_pip=False).create(building)
        python = str(_venv_python(building))
        install = ["install", "-q", "--disable-pip-version-check", "--retries", "2", *requirements]
        # This interpreter's pip installs into the new venv (fast: no pip inside it); a pip
        # too old for --python gets the venv its own pip instead.
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "--python", python, *install],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
        )
        if proc.returncode != 0 and "--python" in proc.stderr:
            subprocess.run([python, "-m", "ensurepip", "-q"], capture_output=True, check=True)
            proc = subprocess.run(
                [python, "-m", "pip", *install],
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
            )
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-3:])
            raise OldOpenAIUnavailable(f"pip install {' '.join(requirements)} failed:\n{tail}")
        (building / marker.name).write_text(json.dumps(stamp))
        shutil.rmtree(folder, ignore_errors=True)  # a stale one (another Python, other pins)
        try:
            building.rename(folder)
        except OSError:  # another session got there first
            if not ready():
                raise
    except (OSError, subprocess.SubprocessError) as exc:
        raise OldOpenAIUnavailable(f"cannot make a venv with {requirements[0]}: {exc}") from exc
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return _venv_python(folder)


def old_openai_python() -> Path:
    """The python of the ``OLD_OPENAI`` venv; ``OldOpenAIUnavailable`` when it cannot be made."""
    return _old_openai_python(OLD_OPENAI_REQUIREMENTS)


def imports_cerebras(source: str) -> bool:
    return re.search(r"^\s*(from|import)\s+cerebras\b", source, re.MULTILINE) is not None


class Lab:
    """Runs the programs, original and migrated, and keeps the results for the tests.

    Cases are registered first (``want``), then ``start`` runs them on a thread pool: each
    original on a server of its own, and the migrated copies in lanes, one per sequence of
    targets: one server, one ``cerebras-migrate`` run over all the lane's copies per target,
    then each copy run in turn. A case asked for without being registered runs on its own.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pool = ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1)
        self._futures: dict[tuple[str, ...], Future[Any]] = {}
        # lane (targets, the old openai release or None) -> programs
        self._waiting: dict[tuple[tuple[str, ...], str | None], list[Program]] = {}
        self._lock = threading.Lock()
        self._lanes = 0

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _key(program: Program, targets: tuple[str, ...], old: str | None) -> tuple[str, ...]:
        return (program.name, *targets) if old is None else (program.name, f"@{old}", *targets)

    def want(self, program: Program, *targets: str, old_openai: str | None = None) -> Future[Any]:
        """Register a case: the original run (no targets) or a migration through targets,
        run on the current openai, or on ``old_openai`` (migrated with --openai-version)."""
        key = self._key(program, targets, old_openai)
        with self._lock:
            future = self._futures.get(key)
            if future is None:
                future = self._futures[key] = Future()
                if targets:
                    self._waiting.setdefault((targets, old_openai), []).append(program)
                else:
                    self._pool.submit(self._settle, [future], self._original, program)
        return future

    def start(self) -> None:
        with self._lock:
            lanes, self._waiting = self._waiting, {}
        for (targets, old), programs in lanes.items():
            futures = [self._futures[self._key(p, targets, old)] for p in programs]
            self._pool.submit(self._settle, futures, self._lane, targets, programs, old)

    def original(self, program: Program) -> Run:
        future = self.want(program)
        return future.result()

    def migrated(self, program: Program, *targets: str, old_openai: str | None = None) -> Outcome:
        future = self.want(program, *targets, old_openai=old_openai)
        self.start()
        return future.result()

    @staticmethod
    def _settle(futures: list[Future[Any]], work: Callable[..., Any], *args: Any) -> None:
        """Run ``work`` and give each future its result; a failure goes to all of them."""
        try:
            results = work(*args)
        except BaseException as exc:  # reported by the tests that wait for these results
            for future in futures:
                future.set_exception(exc)
            return
        results = results if isinstance(results, list) else [results]
        for future, result in zip(futures, results, strict=True):
            future.set_result(result)

    def _folder(self, label: str) -> Path:
        with self._lock:
            self._lanes += 1
            number = self._lanes
        folder = self.root / f"{number:02d}-{label}"
        folder.mkdir()
        return folder

    def _original(self, program: Program) -> Run:
        path = Path(shutil.copy2(program.path, self._folder(f"original-{program.name}")))
        with LoopbackServer() as server:
            if program.sdk == "cerebras":
                env = _env(CEREBRAS_API_KEY=program.original_key, CEREBRAS_BASE_URL=server.url)
            else:
                env = _env(OPENAI_API_KEY=ORIGINAL_KEY, OPENAI_BASE_URL=f"{server.url}/v1")
            return run_program(path, server, env)

    def _lane(
        self, targets: tuple[str, ...], programs: list[Program], old: str | None = None
    ) -> list[Outcome]:
        python, extra = sys.executable, ()
        env = _env(CEREBRAS_API_KEY=CEREBRAS_KEY, **OPENAI_DECOYS)
        keyless = _env(**OPENAI_DECOYS)
        if old is not None:
            python, extra = str(old_openai_python()), ("--openai-version", old)
            for name in ("PYTHONPATH", "PYTHONHOME"):  # nothing of this venv may leak in
                env.pop(name, None)
        folder = self._folder("-".join(targets) + (f"-openai-{old}" if old else ""))
        paths = [Path(shutil.copy2(p.path, folder)) for p in programs]
        outcomes = [Outcome() for _ in programs]
        live = list(range(len(programs)))
        with LoopbackServer() as server:
            for target in targets:
                if not live:
                    break
                steps = migrate_copies([paths[i] for i in live], target, server, extra)
                for i, step in zip(list(live), steps, strict=True):
                    outcomes[i].steps.append(step)
                    if step.errors or step.source == step.before:
                        live.remove(i)  # the test reports it
                    elif target != "cerebras" and imports_cerebras(step.source):
                        live.remove(i)
                        outcomes[i].unconverted = (
                            f"--target {target} does not convert code written for the "
                            "Cerebras SDK yet (the migrated program still imports cerebras)"
                        )
            for i in live:
                outcomes[i].run = run_program(paths[i], server, env, python)
                outcomes[i].keyless = run_program(paths[i], server, keyless, python)
        return outcomes


@pytest.fixture(scope="session")
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Every case collected from this module, registered and started at once."""
    lab = Lab(tmp_path_factory.mktemp("e2e"))
    supported = supported_targets()
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if spec is None or getattr(item, "module", None) is not sys.modules[__name__]:
            continue
        program = spec.params.get("program")
        if not isinstance(program, Program):
            continue
        lab.want(program)
        name = getattr(item, "originalname", "")
        targets: tuple[str, ...] = ()
        old_openai = None
        if name == "test_migrated_program":
            targets = (spec.params["target"],)
        elif name == "test_round_trip":
            targets = program.round_trip
        elif name == "test_migrated_program_on_old_openai":
            targets, old_openai = ("openai",), OLD_OPENAI
        if targets and set(targets) <= supported:
            lab.want(program, *targets, old_openai=old_openai)
    lab.start()
    yield lab
    lab.close()


# --- checks -------------------------------------------------------------------------------


def _mapped(body: Any) -> Any:
    if isinstance(body, dict) and body.get("model") in MIGRATED_MODEL:
        return {**body, "model": MIGRATED_MODEL[body["model"]]}
    return body


def expected_after_migration(lab: Lab, program: Program) -> tuple[list[Sent], str]:
    """The requests a migrated program must send, and what it must print."""
    if program.expected is not None:
        assert program.expected_stdout is not None
        return list(program.expected), program.expected_stdout
    original = lab.original(program)
    if original.returncode != 0 or not original.api_requests:
        pytest.fail(
            f"the original {program.name} did not run (see test_original_program):\n"
            + original.describe()
        )
    sent = [Sent(r.method, r.path, _mapped(r.body)) for r in original.api_requests]
    return sent, original.stdout


def check_steps(outcome: Outcome, program: Program) -> None:
    for step in outcome.steps:
        what = f"cerebras-migrate --target {step.target} on {program.name}.py"
        assert not step.errors, f"{what} failed:\n" + "\n".join(step.errors)
        # 1: rewritten; 2: a copy migrated in the same run failed (its own test says which).
        assert step.returncode in (1, 2), f"{what} exited {step.returncode}:\n{step.output}"
        assert step.source != step.before, f"{what} changed nothing:\n{step.output}"
        for key in program.keys:
            assert key not in step.output, "the key was printed"
            assert key not in step.source, "the key is still in the code"


def check_no_key_sent(run: Run | None, program: Program) -> None:
    """No request of the migrated run carries a key written into the program, anywhere."""
    assert run is not None
    for request in run.requests:
        sent = json.dumps([request.path, request.headers, request.body])
        for key in program.keys:
            assert key not in sent, f"a hard-coded key was sent: {request.method} {request.path}"


def check_no_openai_credentials(run: Run | None, source: str) -> None:
    """The OpenAI key, organization and project of the environment reach the server nowhere."""
    assert run is not None
    for request in run.requests:
        sent = json.dumps([request.path, request.headers, request.body])
        leaked = [name for name, value in OPENAI_DECOYS.items() if value in sent]
        assert not leaked, (
            f"{leaked} sent: {request.method} {request.path}\n--- migrated program:\n{source}"
        )
        assert "openai-organization" not in request.headers, request.headers
        assert "openai-project" not in request.headers, request.headers


def check_fails_closed(run: Run | None, source: str) -> None:
    """Without the Cerebras key the migrated program stops before any request, saying which
    variable it needs (``KeyError: 'CEREBRAS_API_KEY'`` or the Cerebras SDK's own error)."""
    assert run is not None
    context = f"\n--- run:\n{run.describe()}\n--- migrated program:\n{source}"
    assert run.returncode != 0, f"ran without CEREBRAS_API_KEY{context}"
    assert not run.requests, f"sent requests without CEREBRAS_API_KEY{context}"
    assert "CEREBRAS_API_KEY" in run.stderr, f"no word of the missing variable{context}"


def check_run(run: Run | None, expected: list[Sent], expected_stdout: str, source: str) -> None:
    assert run is not None
    context = f"\n--- run:\n{run.describe()}\n--- migrated program:\n{source}"
    doubled = [r.path for r in run.requests if r.path.startswith("/v1/v1")]
    assert not doubled, f"/v1 doubled in {doubled}{context}"
    assert run.returncode == 0, f"the migrated program failed{context}"
    endpoints = [(r.method, r.path) for r in run.api_requests]
    assert endpoints == [(s.method, s.path) for s in expected], f"other endpoints{context}"
    assert all(path.startswith("/v1/") for _, path in endpoints), f"not under /v1/{context}"
    auth = {r.headers.get("authorization") for r in run.api_requests}
    assert auth == {f"Bearer {CEREBRAS_KEY}"}, f"wrong key sent{context}"
    bodies = [r.body for r in run.api_requests]
    assert bodies == [s.body for s in expected], f"other JSON bodies{context}"
    for request, sent in zip(run.api_requests, expected, strict=True):
        carried = {name: request.headers.get(name) for name, _ in sent.headers}
        assert carried == dict(sent.headers), f"other headers{context}"
    assert run.stdout == expected_stdout, f"other output{context}"


# --- tests --------------------------------------------------------------------------------


def test_every_program_is_listed() -> None:
    on_disk = {p.stem for p in PROGRAMS_DIR.glob("*.py")}
    assert on_disk == {p.name for p in PROGRAMS}


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_original_program(lab: Lab, program: Program) -> None:
    """The harness: each program runs as written against the server posing as its own API."""
    run = lab.original(program)
    if program.broken_before:
        assert run.returncode != 0, run.describe()
        assert "TypeError" in run.stderr and "unexpected keyword argument" in run.stderr
        assert run.api_requests == [], "nothing may be sent before the TypeError"
        return
    assert run.returncode == 0, run.describe()
    assert run.api_requests, "the program sent nothing"
    assert all(r.path.startswith("/v1/") for r in run.api_requests), run.describe()
    auth = {r.headers.get("authorization") for r in run.api_requests}
    assert auth == {f"Bearer {program.original_key}"}, run.describe()
    assert run.stdout.startswith("echo: ") or "\necho: " in run.stdout, run.describe()


def _case(program: Program, *targets: str, id: str) -> Any:
    """A test parameter, xfail where the program lists a known bug for one of the targets."""
    reasons = [reason for target, reason in program.xfail if target in targets]
    marks = [pytest.mark.xfail(strict=False, reason=reason) for reason in reasons[:1]]
    return pytest.param(program, *targets, id=id, marks=marks)


@pytest.mark.parametrize(
    ("program", "target"),
    [_case(p, t, id=f"{p.name}-{t}") for p in PROGRAMS for t in p.targets],
)
def test_migrated_program(lab: Lab, program: Program, target: str) -> None:
    require_targets(target)
    expected, expected_stdout = expected_after_migration(lab, program)
    outcome = lab.migrated(program, target)
    if outcome.unconverted:
        pytest.skip(outcome.unconverted)
    check_steps(outcome, program)
    check_run(outcome.run, expected, expected_stdout, outcome.source)
    check_no_key_sent(outcome.run, program)
    check_no_openai_credentials(outcome.run, outcome.source)
    check_fails_closed(outcome.keyless, outcome.source)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_round_trip(lab: Lab, program: Program) -> None:
    """To the other SDK and back sends what a single migration sends."""
    require_targets(*program.round_trip)
    expected, expected_stdout = expected_after_migration(lab, program)
    outcome = lab.migrated(program, *program.round_trip)
    if outcome.unconverted:
        pytest.skip(outcome.unconverted)
    check_steps(outcome, program)
    check_run(outcome.run, expected, expected_stdout, outcome.source)
    check_no_key_sent(outcome.run, program)
    check_no_openai_credentials(outcome.run, outcome.source)
    check_fails_closed(outcome.keyless, outcome.source)


@pytest.mark.parametrize("target", TARGETS)
def test_keys_written_into_a_program_are_not_sent_without_the_cerebras_key(
    lab: Lab, target: str, tmp_path: Path
) -> None:
    """Fail closed: the migrated ``env_key`` program, run with no key in its environment at
    all, sends none of the keys written into it (left in, the OpenAI one would reach
    Cerebras through the openai client's ``OPENAI_API_KEY`` fallback, the Cerebras one
    through the SDK's own lookup). It fails for want of a key instead."""
    require_targets(target)
    program = next(p for p in PROGRAMS if p.name == "env_key")
    outcome = lab.migrated(program, target)
    check_steps(outcome, program)
    path = tmp_path / program.path.name
    with LoopbackServer() as server:
        # The copy was migrated for the lab's server, which is gone: point it at this one.
        path.write_text(re.sub(r"http://127\.0\.0\.1:\d+", server.url, outcome.source), "utf-8")
        run = run_program(path, server, _env())
    assert run.returncode != 0, run.describe()
    check_no_key_sent(run, program)


# --- on an old openai ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def old_openai() -> Path:
    """The python of a venv with openai ``OLD_OPENAI``, made once (``.cache/``)."""
    try:
        return old_openai_python()
    except OldOpenAIUnavailable as exc:
        pytest.skip(f"no venv with openai {OLD_OPENAI}: {exc}")


@pytest.mark.venv(*OLD_OPENAI_REQUIREMENTS)
def test_old_openai_venv_holds_the_old_client(old_openai: Path) -> None:
    probe = (
        "import openai, httpx\n"
        "from openai import OpenAI\n"
        "print(openai.__version__, httpx.__version__)\n"
        "try:\n"
        "    OpenAI(api_key='k').chat.completions.create(\n"
        "        model='m', messages=[], reasoning_effort='none')\n"
        "except TypeError as exc:\n"
        "    print('TypeError:', exc)\n"
    )
    proc = subprocess.run(
        [str(old_openai), "-c", probe], env=_env(), capture_output=True, text=True, timeout=TIMEOUT
    )
    assert proc.returncode == 0, proc.stderr
    version, httpx_version = proc.stdout.splitlines()[0].split()
    assert version == OLD_OPENAI
    assert tuple(map(int, httpx_version.split(".")[:2])) < (0, 28)
    assert "unexpected keyword argument 'reasoning_effort'" in proc.stdout


def _old_openai_case(program: Program) -> Any:
    reasons = [reason for target, reason in program.xfail if target == "openai"]
    marks = [pytest.mark.xfail(strict=False, reason=reason) for reason in reasons[:1]]
    return pytest.param(program, id=program.name, marks=marks)


@pytest.mark.venv(*OLD_OPENAI_REQUIREMENTS)
@pytest.mark.parametrize(
    "program", [_old_openai_case(p) for p in PROGRAMS if "openai" in p.targets]
)
def test_migrated_program_on_old_openai(lab: Lab, program: Program) -> None:
    """``--target openai --openai-version 1.30.0``, run on openai 1.30.0: the same requests
    as the original sent on the current openai."""
    require_targets("openai")
    expected, expected_stdout = expected_after_migration(lab, program)
    try:
        outcome = lab.migrated(program, "openai", old_openai=OLD_OPENAI)
    except OldOpenAIUnavailable as exc:
        pytest.skip(f"no venv with openai {OLD_OPENAI}: {exc}")
    if outcome.unconverted:
        pytest.skip(outcome.unconverted)
    check_steps(outcome, program)
    check_run(outcome.run, expected, expected_stdout, outcome.source)
    check_no_key_sent(outcome.run, program)
    check_no_openai_credentials(outcome.run, outcome.source)
    check_fails_closed(outcome.keyless, outcome.source)


@pytest.mark.venv(*OLD_OPENAI_REQUIREMENTS)
def test_newer_keywords_move_only_for_an_openai_that_lacks_them(lab: Lab) -> None:
    require_targets("openai")
    program = next(p for p in PROGRAMS if p.name == "newer_keywords")
    current = lab.migrated(program, "openai")
    assert 'reasoning_effort="none",' in current.source, current.source
    assert "max_completion_tokens=64," in current.source, current.source
    assert "extra_body=" not in current.source, current.source
    assert "openai version assumed: " in current.steps[0].output
    try:
        old = lab.migrated(program, "openai", old_openai=OLD_OPENAI)
    except OldOpenAIUnavailable as exc:
        pytest.skip(f"no venv with openai {OLD_OPENAI}: {exc}")
    assert "reasoning_effort=" not in old.source, old.source
    assert '"reasoning_effort": "none"' in old.source, old.source
    assert '"max_completion_tokens": 64' in old.source, old.source
    assert f"openai version assumed: {OLD_OPENAI} (--openai-version)" in old.steps[0].output


# --- the server speaks both SDKs ------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


MESSAGES = [{"role": "user", "content": "hi there"}]


def test_replies_validate_strictly_with_openai(server: LoopbackServer) -> None:
    from openai import AsyncOpenAI, OpenAI

    client = OpenAI(
        base_url=f"{server.url}/v1", api_key="k", max_retries=0, _strict_response_validation=True
    )
    chat = client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert chat.choices[0].message.content == "echo: hi there"
    assert chat.usage is not None and chat.usage.total_tokens == 5
    chunks = list(
        client.chat.completions.create(
            model="m",
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "echo: hi there"
    assert chunks[-1].usage is not None and chunks[-1].choices == []
    completion = client.completions.create(model="m", prompt="say hi")
    assert completion.choices[0].text == "echo: say hi"
    streamed = client.completions.create(model="m", prompt="say hi", stream=True)
    assert "".join(c.choices[0].text for c in streamed) == "echo: say hi"
    raw = client.chat.completions.with_raw_response.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert raw.headers["x-request-id"] == "req_loopback"

    async def use_async() -> str:
        async with AsyncOpenAI(
            base_url=f"{server.url}/v1",
            api_key="k",
            max_retries=0,
            _strict_response_validation=True,
        ) as aclient:
            stream = await aclient.chat.completions.create(
                model="m",
                messages=MESSAGES,
                stream=True,  # type: ignore[arg-type]
            )
            return "".join([c.choices[0].delta.content or "" async for c in stream])

    assert asyncio.run(use_async()) == "echo: hi there"
    sent = server.take()
    assert {r.path for r in sent} == {"/v1/chat/completions", "/v1/completions"}
    assert sent[0].body == {"model": "m", "messages": MESSAGES}
    assert sent[0].headers["authorization"] == "Bearer k"


def test_replies_validate_strictly_with_cerebras(server: LoopbackServer) -> None:
    from cerebras.cloud.sdk import Cerebras
    from cerebras.cloud.sdk.types.chat.chat_completion import (
        ChatChunkResponse,
        ChatCompletionResponse,
    )
    from cerebras.cloud.sdk.types.completion import CompletionResponse

    client = Cerebras(
        base_url=server.url, api_key="k", max_retries=0, _strict_response_validation=True
    )
    assert [r.path for r in server.take()] == ["/v1/tcp_warming"]
    chat = client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert isinstance(chat, ChatCompletionResponse)
    assert chat.choices[0].message.content == "echo: hi there"
    chunks = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))  # type: ignore[arg-type]
    assert all(isinstance(c, ChatChunkResponse) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hi there"  # type: ignore[union-attr, index]
    completion = client.completions.create(model="m", prompt="say hi")
    assert isinstance(completion, CompletionResponse)
    assert completion.choices[0].text == "echo: say hi"
    assert all(r.path.startswith("/v1/") and not r.path.startswith("/v1/v1") for r in server.take())


def test_unknown_paths_are_recorded_and_answered_404(server: LoopbackServer) -> None:
    from openai import NotFoundError, OpenAI

    client = OpenAI(base_url=f"{server.url}/v1/v1", api_key="k", max_retries=0)
    with pytest.raises(NotFoundError):
        client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert [r.path for r in server.take()] == ["/v1/v1/chat/completions"]
