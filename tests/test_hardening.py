"""Nothing lost, nothing half-written, nothing outside the tree: the real command on real
trees with bad input, hostile symlinks, read-only places and interruptions (SIGINT, SIGKILL,
a worker killed mid-run). Each test would fail without the protection it names."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import MIGRATED_APP, OPENAI_APP

from codemods.options import Options
from codemods.python.source import migrate_source
from migrator.files import TEMP_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the benchmark's module generator
from benchmarks.corpus import generate_module  # noqa: E402


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command in a process of its own, as a user or a hook runs it."""
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def start(*args: str, cwd: Path) -> subprocess.Popen:
    # A session of its own: signals go to the whole group, as a terminal's Ctrl-C does.
    return subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root`` (hidden ones too): file bytes, or what a link points to."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "dir"
    return found


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob(f"*{TEMP_SUFFIX}"))


def _migrated(text: str) -> str:
    return migrate_source(text, Options()).code


# Bad input -----------------------------------------------------------------------------------

BAD: dict[str, tuple[bytes, str]] = {
    # name: (bytes, what stderr says about it)
    "syntax.py": (b"from openai import OpenAI\nclient = OpenAI(\n", "syntax.py:2:16 CM901"),
    "python2.py": (
        b"import openai\nprint 'hello'\n",
        "python2.py:2:1 CM901 syntax error: Missing parentheses in call to 'print'",
    ),
    "undecodable.py": (
        b"import openai\nx = '\xff\xfe'\n",
        "undecodable.py:2:1 CM902 cannot decode as utf-8 (byte 0xff at offset 19)",
    ),
    "wrong_cookie.py": (
        b"# -*- coding: ascii -*-\nimport openai\nx = '\xc3\xa9'\n",
        "wrong_cookie.py:3:1 CM902 cannot decode as ascii",
    ),
    "unknown_cookie.py": (
        b"# -*- coding: klingon -*-\nimport openai\n",
        "unknown_cookie.py:1:1 CM902 bad encoding declaration: unknown encoding: klingon",
    ),
    "nul.py": (
        b"import openai\x00\nclient = openai.OpenAI()\n",
        "nul.py:1:1 CM902 binary file (NUL bytes); not Python source",
    ),
    "late_nul.py": (
        b"import openai\n" + b"x = 1\n" * 2000 + b"y = '\x00'\n",
        "late_nul.py:2002:1 CM902 file contains NUL bytes; not Python source",
    ),
    "binary.py": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8 + b"openai",
        "binary.py:1:1 CM902 binary file (NUL bytes); not Python source",
    ),
    "undecodable_binary.py": (
        bytes(range(128, 256)) * 8 + b"openai",
        "undecodable_binary.py:1:1 CM902 cannot decode as utf-8 (byte 0x80 at offset 0)",
    ),
    # Deep enough to crash libcst's native parser (a segmentation fault) if it saw it.
    "deep_brackets.py": (
        b"import openai\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
        "deep_brackets.py:2:205 CM901 too deeply nested to parse",
    ),
    # CPython gives up at once; libcst would take minutes.
    "long_chain.py": (
        b"import openai\nx = 1" + b" + 1" * 20000 + b"\n",
        "long_chain.py:1:1 CM901 too deeply nested to parse",
    ),
    # Rejected by CPython for another reason, with brackets past libcst's depth (here in a
    # string: the count errs on the safe side): CPython's message, libcst never asked.
    "deep_syntax_error.py": (
        b"import openai\nprint 'x'\ny = '" + b"[" * 3000 + b"'\n",
        "deep_syntax_error.py:2:1 CM901 syntax error: Missing parentheses in call to 'print'",
    ),
}


def _bad_tree(root: Path, outside: Path) -> None:
    root.mkdir()
    for name, (raw, _) in BAD.items():
        (root / name).write_bytes(raw)
    (root / "good.py").write_text(OPENAI_APP)
    (root / "bom.py").write_bytes(b"\xef\xbb\xbf" + OPENAI_APP.encode())
    (root / "empty.py").write_bytes(b"")
    (root / "pkg.py").mkdir()  # a folder with a module's name: walked
    (root / "pkg.py" / "inner.py").write_text(OPENAI_APP)
    (root / "broken.py").symlink_to(root / "missing.py")
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    outside.write_text(OPENAI_APP)
    (root / "leaves.py").symlink_to(outside)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_input_is_reported_per_file_and_the_rest_is_migrated(tmp_path: Path, jobs: str) -> None:
    root, outside = tmp_path / "tree", tmp_path / "outside.py"
    _bad_tree(root, outside)
    before = snapshot(root)
    run = cli("-j", jobs, "-v", ".", cwd=root)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    for name, (_, said) in BAD.items():
        assert said in run.stderr, name
        assert (root / name).read_bytes() == before[name], f"{name} was modified"
    for said in (
        "broken.py:1:1 CM902 broken symbolic link",
        "loop_a.py:1:1 CM902 symbolic link loop",
        "loop_b.py:1:1 CM902 symbolic link loop",
        "leaves.py: skipped, symbolic link leading out of its tree; not followed",
    ):
        assert said in run.stderr
    # Every other file went through.
    assert (root / "good.py").read_text() == MIGRATED_APP
    assert (root / "pkg.py" / "inner.py").read_text() == MIGRATED_APP
    assert (root / "bom.py").read_bytes() == b"\xef\xbb\xbf" + MIGRATED_APP.encode()
    assert (root / "empty.py").read_bytes() == b""
    assert outside.read_text() == OPENAI_APP  # never written through the link
    assert (root / "leaves.py").is_symlink()
    assert temporaries(tmp_path) == []


def test_named_bad_paths_do_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(OPENAI_APP)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    run = cli("nope.py", "dangling.py", "good.py", cwd=tmp_path)
    assert run.returncode == 2
    assert "nope.py:1:1 CM902 no such file or directory" in run.stderr
    assert "dangling.py:1:1 CM902 broken symbolic link" in run.stderr
    assert (tmp_path / "good.py").read_text() == MIGRATED_APP


def test_a_5_mb_file(tmp_path: Path) -> None:
    """Five megabytes of generated code with one client at the very end."""
    body = "".join(
        f"def handler_{i}(event, context):\n"
        f"    '''Handle event {i}: validate, transform and store.'''\n"
        f"    payload = {{'id': {i}, 'kind': event.get('kind'), 'size': len(str(event))}}\n"
        f"    return [payload, context]\n\n\n"
        for i in range(30_000)
    )
    text = "import openai\n\n\n" + body + "client = openai.OpenAI()\n"
    assert len(text.encode()) >= 5_000_000
    (tmp_path / "big.py").write_text(text)
    (tmp_path / "small.py").write_text(OPENAI_APP)
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    result = (tmp_path / "big.py").read_text()
    assert result.startswith("import os\n\nimport openai\n\n\n" + body[:1000])
    assert result[-300:].endswith(
        'client = openai.OpenAI(\n    base_url="https://api.cerebras.ai/v1",\n'
        '    api_key=os.environ["CEREBRAS_API_KEY"],\n'
        '    default_headers={\n        "OpenAI-Organization": openai.Omit(),\n'
        '        "OpenAI-Project": openai.Omit(),\n    },\n)\n'
    )
    assert body in result
    assert (tmp_path / "small.py").read_text() == MIGRATED_APP


# Read-only places ----------------------------------------------------------------------------


def _chattr(flag: str, path: Path) -> bool:
    return shutil.which("chattr") is not None and (
        subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0
    )


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """A folder no one may create files in: mode 555, and for root (whom modes do not stop)
    the immutable attribute."""
    if os.geteuid() == 0:
        if not _chattr("+i", folder):
            pytest.skip("root, and chattr +i is not available here")
        try:
            yield
        finally:
            _chattr("-i", folder)
        return
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def test_read_only_folder_fails_cleanly(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "app.py").write_text(OPENAI_APP)
    (tmp_path / "free.py").write_text(OPENAI_APP)
    with read_only_folder(locked):
        run = cli(".", cwd=tmp_path)
        listing = sorted(os.listdir(locked))
    assert run.returncode == 2
    assert "locked/app.py:1:1 CM904 not written:" in run.stderr
    assert (locked / "app.py").read_text() == OPENAI_APP
    assert listing == ["app.py"]  # no temporary file
    assert (tmp_path / "free.py").read_text() == MIGRATED_APP


def test_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "frozen.py").write_text(OPENAI_APP)
    (tmp_path / "frozen.py").chmod(0o444)
    (tmp_path / "free.py").write_text(OPENAI_APP)
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 2
    assert "frozen.py:1:1 CM904 not written: the file is read-only" in run.stderr
    assert (tmp_path / "frozen.py").read_text() == OPENAI_APP
    assert stat.S_IMODE((tmp_path / "frozen.py").stat().st_mode) == 0o444
    assert (tmp_path / "free.py").read_text() == MIGRATED_APP


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    (tmp_path / "secret.py").write_text(OPENAI_APP)
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "free.py").write_text(OPENAI_APP)
    try:
        run = cli(".", cwd=tmp_path)
    finally:
        (tmp_path / "secret.py").chmod(0o644)
    assert run.returncode == 2
    assert "secret.py:1:1 CM902 cannot access file: Permission denied" in run.stderr
    assert (tmp_path / "free.py").read_text() == MIGRATED_APP


# The tree and nothing else --------------------------------------------------------------------


def test_nothing_is_created_or_written_outside_the_migrated_files(tmp_path: Path) -> None:
    tree, home, scratch, cwd = (tmp_path / n for n in ("tree", "home", "tmp", "cwd"))
    for folder in (tree / "pkg", home, scratch, cwd):
        folder.mkdir(parents=True)
    (tree / "pkg" / "app.py").write_text(OPENAI_APP)
    (tree / "plain.py").write_text("import json\n")
    (tree / "notebook.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}\n')
    before = snapshot(tmp_path)
    run = cli(str(tree), "-j", "2", cwd=cwd, env={"HOME": str(home), "TMPDIR": str(scratch)})
    assert run.returncode == 1, run.stderr
    after = snapshot(tmp_path)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"tree/pkg/app.py"}
    assert after["tree/pkg/app.py"] == MIGRATED_APP.encode()


def test_a_stale_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(OPENAI_APP)
    # What a run killed while writing app.py leaves, and a look-alike of another file's.
    stale = tmp_path / f".app.py.k3x9_q2a{TEMP_SUFFIX}"
    other = tmp_path / f".app.py.pyi.k3x9_q2a{TEMP_SUFFIX}"
    stale.write_text("half")
    other.write_text("half")
    assert cli(".", cwd=tmp_path).returncode == 1
    assert not stale.exists()
    assert other.exists()


# Interruption --------------------------------------------------------------------------------

# Enough for a run to be caught midway (each module takes tens of milliseconds) and to have
# chunks in flight when its workers die; every file is migrated two or three times per test.
MODULES = 100


@pytest.fixture(scope="module")
def originals() -> dict[str, bytes]:
    return {f"m{i:04d}.py": generate_module(i).encode() for i in range(MODULES)}


def _big_tree(root: Path, originals: dict[str, bytes]) -> None:
    root.mkdir()
    for name, raw in originals.items():
        (root / name).write_bytes(raw)


def _started(root: Path, originals: dict[str, bytes], *args: str) -> subprocess.Popen:
    """A run over a fresh tree of ``originals``, once it has rewritten a few files."""
    _big_tree(root, originals)
    process = start(*args, ".", cwd=root)
    _wait_for_writes(process, root, originals)
    return process


def _wait_for_writes(process: subprocess.Popen, root: Path, originals: dict[str, bytes]) -> None:
    """Until the run has rewritten a few files (and is still running)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = sum(1 for n in list(originals)[:40] if (root / n).read_bytes() != originals[n])
        if done >= 3:
            break
        assert process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"


def _each_file_old_or_new(
    root: Path, originals: dict[str, bytes], interrupted: dict[str, bytes | str]
) -> None:
    """After the rerun: each file seen right after the interruption was whole, either as it
    was or as the finished migration has it; and the finished migration is the real one."""
    finished = snapshot(root)
    assert sorted(finished) == sorted(originals)  # no temporary file left, none missing
    half = [n for n in originals if interrupted[n] not in (originals[n], finished[n])]
    assert half == []
    assert sum(interrupted[n] == finished[n] for n in originals) >= 3
    assert all(finished[n] != originals[n] for n in originals)
    for name in list(originals)[::97]:
        assert finished[name] == _migrated(originals[name].decode()).encode()


def test_ctrl_c_leaves_whole_files_and_a_short_message(
    tmp_path: Path, originals: dict[str, bytes]
) -> None:
    root = tmp_path / "tree"
    process = _started(root, originals)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: files already written")
    assert temporaries(root) == []
    interrupted = snapshot(root)
    rerun = cli(".", cwd=root)
    assert rerun.returncode == 1, rerun.stderr
    _each_file_old_or_new(root, originals, interrupted)
    assert cli(".", cwd=root).returncode == 0


def test_sigkill_leaves_whole_files_and_a_rerun_finishes(
    tmp_path: Path, originals: dict[str, bytes]
) -> None:
    root = tmp_path / "tree"
    process = _started(root, originals)
    os.killpg(process.pid, signal.SIGKILL)  # the process and its workers, no clean-up
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL
    interrupted = {n: (root / n).read_bytes() for n in originals}
    rerun = cli(".", cwd=root)
    assert rerun.returncode == 1, rerun.stderr
    _each_file_old_or_new(root, originals, interrupted)  # stale temporaries removed too


def _live_children(pid: int) -> list[int]:
    """The child processes still running (a finished triage child waits as a zombie)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    live = []
    for child in text.split():
        try:
            state = Path(f"/proc/{child}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            live.append(int(child))
    return live


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_worker_killed_mid_run_loses_no_file(tmp_path: Path, originals: dict[str, bytes]) -> None:
    """A worker dies (the OOM killer, a crash in native code): the files it and the pool
    had in flight are processed again one by one, and the run ends as if nothing happened."""
    root = tmp_path / "tree"
    process = _started(root, originals, "-j", "2")
    workers = _live_children(process.pid)
    assert workers, "no worker process to kill"
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 1, err
    assert "CM903" not in err
    finished = snapshot(root)
    assert sorted(finished) == sorted(originals)
    assert all(finished[n] != originals[n] for n in originals)
    assert cli(".", cwd=root).returncode == 0  # nothing left to do
