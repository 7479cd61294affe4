"""Processes, signals and output streams, through the real command: SIGTERM stops a run as
Ctrl-C does and no process it forked lives on, whatever killed it; closed or broken output
streams and encodings they cannot take stop nothing; the counts say what was written. Each
test fails without the protection it names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrator.files import TEMP_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the benchmark's module generator
from benchmarks.corpus import generate_module  # noqa: E402

LINUX = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
# The runs stopped midway: enough modules (each takes tens of milliseconds) to catch one with
# its workers running, few enough for the full --diff that checks the files afterwards.
MODULES = 100
# The project index forks its children only for many files (migrator/project.py's
# MIN_PARALLEL_SCAN, 128); those runs are killed at once.
INDEX_MODULES = 250


@pytest.fixture(scope="module")
def originals() -> dict[str, bytes]:
    return {f"m{i:04d}.py": generate_module(i).encode() for i in range(MODULES)}


@pytest.fixture(scope="module")
def index_originals() -> dict[str, bytes]:
    return {f"m{i:04d}.py": generate_module(i).encode() for i in range(INDEX_MODULES)}


def _tree(root: Path, originals: dict[str, bytes]) -> None:
    root.mkdir()
    for name, raw in originals.items():
        (root / name).write_bytes(raw)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (zombies waiting for their parent excluded)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        try:
            children = Path(f"/proc/{todo.pop()}/task").glob("*/children")
            pids = {int(c) for f in children for c in f.read_text().split()}
        except OSError:
            continue
        found |= pids
        todo.extend(pids)
    return {p for p in found if _alive(p)}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _started(root: Path, originals: dict[str, bytes]) -> tuple[subprocess.Popen, set[int]]:
    """A run over a fresh tree, once it has rewritten a few files with its workers running;
    and those workers."""
    _tree(root, originals)
    process = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", "-j", "2", "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    names = list(originals)
    while time.monotonic() < deadline and process.poll() is None:
        workers |= _descendants(process.pid)
        done = sum((root / n).read_bytes() != originals[n] for n in names[:60])
        if done >= 3 and workers:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be stopped"
    assert workers, "no worker process started"
    return process, workers


def _gone(pids: set[int], seconds: float = 10) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.02)
    return {p for p in pids if _alive(p)}


def _whole(root: Path, originals: dict[str, bytes], seen: dict[str, bytes]) -> None:
    """Each file as it was or completely migrated (as a full run migrates it)."""
    assert sorted(seen) == sorted(originals)  # no temporary file left
    finished = subprocess.run(
        [sys.executable, "-m", "migrator", "-q", "--diff", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in finished.stderr
    for name, raw in seen.items():
        if raw != originals[name]:
            assert f"a/{name}" not in finished.stdout, f"{name} is half-migrated"


@LINUX
@pytest.mark.parametrize("whom", ["main", "group"])
def test_sigterm_stops_the_run_and_nothing_writes_after_it(
    tmp_path: Path, originals: dict[str, bytes], whom: str
) -> None:
    """SIGTERM to the main process alone (``kill``), or to its whole group (``timeout``):
    exit 143 with one line, every worker gone when it exits, no file changed after."""
    root = tmp_path / "tree"
    process, workers = _started(root, originals)
    if whom == "main":
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("terminated: files already written")
    assert {p for p in workers if _alive(p)} == set()  # gone before the main process
    exited = _snapshot(root)
    time.sleep(1.0)
    assert _snapshot(root) == exited  # nothing wrote after the tool exited
    assert not any(name.endswith(TEMP_SUFFIX) for name in exited)
    _whole(root, originals, exited)
    assert 0 < sum(exited[n] != originals[n] for n in originals) < MODULES


@LINUX
def test_sigkill_of_the_main_process_ends_its_workers(
    tmp_path: Path, originals: dict[str, bytes]
) -> None:
    root = tmp_path / "tree"
    process, workers = _started(root, originals)
    workers |= _descendants(process.pid)
    os.kill(process.pid, signal.SIGKILL)  # the main process alone: no clean-up at all
    process.communicate(timeout=120)
    assert _gone(workers) == set()
    later = _snapshot(root)
    time.sleep(0.5)
    assert _snapshot(root) == later


# Counts --------------------------------------------------------------------------------------

OPENAI_APP = """\
from openai import OpenAI

client = OpenAI()
reply = client.chat.completions.create(model="gpt-4o-mini", messages=[])
"""


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _summary(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if " scanned, " in line)


def test_a_file_written_by_a_worker_that_then_died_counts_as_rewritten(tmp_path: Path) -> None:
    """The worker writes c.py, then is killed (the hook): c.py is redone in a process of
    its own, finds itself already migrated by this run, and counts as rewritten."""
    for name in "abcdefgh":
        (tmp_path / f"{name}.py").write_text(OPENAI_APP)
    hook = {"CEREBRAS_MIGRATE_TEST_HOOK": "worker-file-done:c.py"}
    run = _cli("-j", "2", ".", cwd=tmp_path, env=hook)
    assert run.returncode == 1, run.stderr
    assert "CM903" not in run.stderr and "CM904" not in run.stderr
    assert _summary(run.stderr).startswith("8 files scanned, 8 parsed, 8 rewritten")
    assert _cli(".", cwd=tmp_path).returncode == 0  # every file was written


def test_a_failed_write_counts_no_call_site(tmp_path: Path) -> None:
    (tmp_path / "frozen.py").write_text(OPENAI_APP)
    (tmp_path / "frozen.py").chmod(0o444)
    run = _cli(".", cwd=tmp_path)
    assert run.returncode == 2
    assert "CM904" in run.stderr
    assert "0 rewritten, 0 call sites rewritten, 1 could not be processed" in _summary(run.stderr)


# Shared memory -------------------------------------------------------------------------------


def _private_shm(how: str) -> list[str] | None:
    """A command prefix that runs what follows with /dev/shm read-only or full, in a mount
    namespace of its own (an unprivileged user namespace); None where that is not allowed."""
    mount = {
        "read-only": "mount -t tmpfs -o ro tmpfs /dev/shm",
        "full": "mount -t tmpfs -o size=8k tmpfs /dev/shm && "
        "{ dd if=/dev/zero of=/dev/shm/fill bs=1k 2>/dev/null; true; }",
    }[how]
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{mount} && ! (echo x > /dev/shm/probe) 2>/dev/null"],
        capture_output=True,
    )
    if probe.returncode != 0:
        return None
    return ["unshare", "-rm", "sh", "-c", f'{mount} && exec "$@"', "sh"]


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_no_shared_memory_for_the_pool_means_one_process(tmp_path: Path, how: str) -> None:
    prefix = _private_shm(how)
    if prefix is None:
        pytest.skip("cannot mount a private /dev/shm here")
    for name in "abcdef":
        (tmp_path / f"{name}.py").write_text(OPENAI_APP)
    run = subprocess.run(
        [*prefix, sys.executable, "-m", "migrator", "--no-color", "-j", "2", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in run.stderr
    assert run.returncode == 1, run.stderr
    assert _summary(run.stderr).startswith("6 files scanned, 6 parsed, 6 rewritten")
    assert _cli(".", cwd=tmp_path).returncode == 0


# Output streams ------------------------------------------------------------------------------


def _thirty(root: Path) -> None:
    for i in range(30):
        (root / f"m{i:02d}.py").write_text(OPENAI_APP)


def _all_written(root: Path) -> None:
    assert all("cerebras" in p.read_text() for p in root.glob("m*.py"))
    assert _cli(".", cwd=root).returncode == 0


def test_a_reader_gone_stops_no_write(tmp_path: Path) -> None:
    """``cerebras-migrate . 2>&1 | head``, once head has exited: every write to stdout or
    stderr fails (EPIPE); every file is written all the same, and the exit code is 1."""
    _thirty(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line
    try:
        run = subprocess.run(
            [sys.executable, "-m", "migrator", "--no-color", "."],
            cwd=tmp_path,
            stdout=write_end,
            stderr=write_end,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert run.returncode == 1
    _all_written(tmp_path)


def test_closed_stdout_and_stderr_stop_no_write(tmp_path: Path) -> None:
    _thirty(tmp_path)
    run = subprocess.run(
        ["sh", "-c", 'exec "$@" >&- 2>&-', "sh", sys.executable, "-m", "migrator", "."],
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 1
    _all_written(tmp_path)


def test_output_the_stream_cannot_encode_is_escaped(tmp_path: Path) -> None:
    source = OPENAI_APP + 'GREETING = "café"\n'
    run = subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", "--diff", "-"],
        input=source.encode(),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=300,
    )
    assert b"Traceback" not in run.stderr
    assert run.returncode == 1, run.stderr
    assert b' GREETING = "caf\\xe9"' in run.stdout.splitlines()


def test_stdin_code_its_encoding_cannot_take_comes_back_as_it_was(tmp_path: Path) -> None:
    source = "# coding: ascii\n" + OPENAI_APP
    run = subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", "--model-map", "gpt-4o-mini=modèle", "-"],
        input=source.encode(),
        capture_output=True,
        timeout=300,
    )
    assert b"Traceback" not in run.stderr
    assert run.returncode == 2
    assert run.stdout == source.encode()
    assert "CM904 not written: the rewrite has a character ascii cannot encode" in (
        run.stderr.decode()
    )


# The project index's forked children ---------------------------------------------------------


@LINUX
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_index_children_die_with_the_main_process(
    tmp_path: Path, index_originals: dict[str, bytes], how: signal.Signals
) -> None:
    """A child of the project index stalls (the hook): the main process is killed or
    terminated while it waits for it, and the child does not outlive it."""
    root = tmp_path / "tree"
    _tree(root, index_originals)
    process = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", "-j", "2", "."],
        cwd=root,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CEREBRAS_MIGRATE_TEST_HOOK": "stall-forked-map:child"},
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    children: set[int] = set()
    while not children and time.monotonic() < deadline and process.poll() is None:
        children = _descendants(process.pid)
        time.sleep(0.01)
    assert children, "no index child started"
    os.kill(process.pid, how)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (143 if how == signal.SIGTERM else -signal.SIGKILL), err
    assert "Traceback" not in err
    assert _gone(children) == set()


NOTEBOOK_WITH_A_HUGE_INTEGER = (
    '{"cells": [{"cell_type": "code", "execution_count": ' + "1" * 5000 + ', "metadata": {}, '
    '"outputs": [], "source": ["from openai import OpenAI\\n", "client = OpenAI()\\n"]}], '
    '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_the_tool_fails_on_is_reported_alone(tmp_path: Path, jobs: str) -> None:
    """A file that makes the tool raise (today: a notebook holding an integer longer than
    Python converts) is CM903 for itself; the files of its worker's chunk keep their
    results, so the counts say what is on disk."""
    names = [f"{n}.py" for n in "abdefgh"]
    for name in names:
        (tmp_path / name).write_text(OPENAI_APP)
    (tmp_path / "c.ipynb").write_text(NOTEBOOK_WITH_A_HUGE_INTEGER)
    run = _cli("-j", jobs, ".", cwd=tmp_path)
    assert "Traceback" not in run.stderr
    failed = [line for line in run.stderr.splitlines() if " CM903 " in line]
    assert not any(line.startswith(tuple(names)) for line in failed)
    written = sum("cerebras" in (tmp_path / name).read_text() for name in names)
    assert written == len(names)
    rewritten = int(_summary(run.stderr).split(" rewritten")[0].rsplit(" ", 1)[1])
    assert rewritten - ("cerebras" in (tmp_path / "c.ipynb").read_text()) == written
