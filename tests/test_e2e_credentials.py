"""Fail closed, on the wire: every constructor style and the module-level client, migrated by
the real command line and run against a loopback server with OpenAI credentials set.

Each program below is migrated (``--base-url http://127.0.0.1:PORT/v1``) and run twice with
``OPENAI_API_KEY``, ``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID`` and ``OPENAI_BASE_URL`` set to
decoys (``OPENAI_DECOYS``):

1. with ``CEREBRAS_API_KEY`` set: every request reaches the server with only the Cerebras key,
   and no request carries a decoy or an ``OpenAI-Organization`` / ``OpenAI-Project`` header;
2. without it: the program stops with an error naming the variable before sending anything.

Runtimes: the installed openai and cerebras-cloud-sdk (both targets), and openai 1.0.0, the
oldest release the tool writes for (``--openai-version 1.0.0``, in a venv of its own cached in
``.cache/`` like the 1.30.0 one of ``tests/test_e2e_programs.py``; skipped, saying why, when
it cannot be made). The newest release is the installed one, so the ``Omit()`` form of both
``openai._types`` (before 1.57.0) and ``openai`` is proven.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from loopback import LoopbackServer
from test_e2e_programs import (
    OPENAI_DECOYS,
    OldOpenAIUnavailable,
    Run,
    _env,
    _old_openai_python,
    check_fails_closed,
    check_no_openai_credentials,
    migrate_copies,
    run_program,
)

CEREBRAS_KEY = "csk-credentials-test"
OLDEST = "1.0.0"
OLDEST_REQUIREMENTS = (f"openai=={OLDEST}", "httpx<0.28")
ORG = "org-FAKEhardcoded0123456789"

_CHAT = 'messages=[{"role": "user", "content": "hi"}]'
PROGRAMS: dict[str, str] = {
    "bare": f"""\
from openai import OpenAI

client = OpenAI()
print(client.chat.completions.create(model="gpt-4o-mini", {_CHAT}).choices[0].message.content)
""",
    "env_get_and_organization": f"""\
import os

from openai import OpenAI

client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"), organization="{ORG}")
print(client.chat.completions.create(model="gpt-4o", {_CHAT}).choices[0].message.content)
""",
    "getenv_with_a_key_default": """\
from os import getenv

import openai

client = openai.OpenAI(api_key=getenv("OPENAI_API_KEY", "sk-proj-FAKEdefault0123456789abcdefgh"))
print(client.completions.create(model="gpt-3.5-turbo-instruct", prompt="hi").choices[0].text)
""",
    "headers_of_its_own": f"""\
from openai import OpenAI

client = OpenAI(default_headers={{"X-App": "demo", "OpenAI-Organization": "{ORG}"}})
print(client.chat.completions.create(model="gpt-4o", {_CHAT}).choices[0].message.content)
""",
    "async_client": f"""\
import asyncio

from openai import AsyncOpenAI


async def main() -> None:
    client = AsyncOpenAI()
    reply = await client.chat.completions.create(model="gpt-4o", {_CHAT})
    print(reply.choices[0].message.content)


asyncio.run(main())
""",
    "module_client_configured": f"""\
import os

import openai

openai.api_key = os.environ.get("OPENAI_API_KEY")
openai.organization = "{ORG}"
print(openai.chat.completions.create(model="gpt-4o", {_CHAT}).choices[0].message.content)
""",
    "module_client_unconfigured": f"""\
import openai

print(openai.chat.completions.create(model="gpt-4o", {_CHAT}).choices[0].message.content)
""",
    "cerebras_sdk": f"""\
from cerebras.cloud.sdk import Cerebras

client = Cerebras(warm_tcp_connection=False)
print(client.chat.completions.create(model="gpt-oss-120b", {_CHAT}).choices[0].message.content)
""",
}
# (target, openai release of the runtime: None for the installed one)
RUNTIMES = (
    ("openai", None),
    ("cerebras", None),
    pytest.param(("openai", OLDEST), marks=pytest.mark.venv(*OLDEST_REQUIREMENTS)),
)


def _runtime_id(runtime: tuple[str, str | None]) -> str:
    target, release = runtime
    return f"{target}-openai-{release or 'installed'}"


def _python(release: str | None) -> str:
    if release is None:
        return sys.executable
    try:
        return str(_old_openai_python(OLDEST_REQUIREMENTS))
    except OldOpenAIUnavailable as exc:
        pytest.skip(f"no venv with openai {release}: {exc}")


class Results:
    """Each runtime's programs, migrated in one run and then run with and without the key.

    A program run is an interpreter importing an SDK, and one runtime's runs go one at a
    time (they share its server): so the runtimes the session's tests ask for (``wanted``)
    all start together on the first ``get``, each on a thread and a server of its own."""

    def __init__(self, root: Path, wanted: list[tuple[str, str | None]]) -> None:
        self.root = root
        self.wanted = wanted
        self.pool = ThreadPoolExecutor(max_workers=max(1, len(wanted)))
        self.done: dict[tuple[str, str | None], Future[dict[str, tuple[str, Run, Run]]]] = {}

    def get(self, runtime: tuple[str, str | None]) -> dict[str, tuple[str, Run, Run]]:
        if not self.done:
            for each in self.wanted:
                self.done[each] = self.pool.submit(self._run, *each)
        if runtime not in self.done:
            self.done[runtime] = self.pool.submit(self._run, *runtime)
        return self.done[runtime].result()  # a skip or failure in _run is raised here

    def _run(self, target: str, release: str | None) -> dict[str, tuple[str, Run, Run]]:
        python = _python(release)
        folder = self.root / _runtime_id((target, release))
        folder.mkdir()
        paths = []
        for name, source in PROGRAMS.items():
            paths.append(folder / f"{name}.py")
            paths[-1].write_text(source, "utf-8")
        extra = ("--openai-version", release) if release else ()
        with_key = _env(CEREBRAS_API_KEY=CEREBRAS_KEY, **OPENAI_DECOYS)
        without_key = _env(**OPENAI_DECOYS)
        if release is not None:
            for env in (with_key, without_key):  # nothing of this venv may leak in
                env.pop("PYTHONPATH", None)
                env.pop("PYTHONHOME", None)
        with LoopbackServer() as server:
            steps = migrate_copies(paths, target, server, extra)
            errors = [line for step in steps for line in step.errors]
            assert not errors, errors
            # One server takes the requests of one run at a time (run_program takes them all).
            results = {}
            with ThreadPoolExecutor(max_workers=1) as pool:
                for path, step in zip(paths, steps, strict=True):
                    ran = pool.submit(run_program, path, server, with_key, python).result()
                    keyless = pool.submit(run_program, path, server, without_key, python).result()
                    results[path.stem] = (step.source, ran, keyless)
        return results


@pytest.fixture(scope="module")
def results(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Results]:
    wanted: list[tuple[str, str | None]] = []
    for item in request.session.items:
        spec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is sys.modules[__name__] and spec is not None:
            runtime = spec.params.get("runtime")
            if runtime is not None and runtime not in wanted:
                wanted.append(runtime)
    results = Results(tmp_path_factory.mktemp("credentials"), wanted)
    yield results
    results.pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_runtime_id)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_only_the_cerebras_key_is_sent(
    results: Results, runtime: tuple[str, str | None], name: str
) -> None:
    source, run, _ = results.get(runtime)[name]
    context = f"\n--- run:\n{run.describe()}\n--- migrated program:\n{source}"
    assert run.returncode == 0, f"the migrated program failed{context}"
    assert run.api_requests, f"nothing sent{context}"
    assert {r.headers.get("authorization") for r in run.api_requests} == {
        f"Bearer {CEREBRAS_KEY}"
    }, context
    assert all(r.path.startswith("/v1/") and not r.path.startswith("/v1/v1") for r in run.requests)
    check_no_openai_credentials(run, source)
    for request in run.requests:  # nor the organization or key written into the program
        sent = json.dumps([request.path, request.headers, request.body])
        assert ORG not in sent and "sk-proj-FAKE" not in sent, context
    assert "sk-proj-FAKE" not in source, source


@pytest.mark.parametrize("runtime", RUNTIMES, ids=_runtime_id)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_without_the_cerebras_key_nothing_is_sent(
    results: Results, runtime: tuple[str, str | None], name: str
) -> None:
    source, _, keyless = results.get(runtime)[name]
    check_fails_closed(keyless, source)
