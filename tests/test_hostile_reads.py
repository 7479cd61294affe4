"""What is read is what discovery vetted: the real command on trees changed between
discovery and the reads (a folder or file swapped for a symbolic link, a FIFO, a device),
links into excluded folders, and files too big to read. The swap is made at a hook point
(``CEREBRAS_MIGRATE_TEST_AFTER_DISCOVERY``, a FIFO the run reads once discovery is done),
so every race here is driven, not hoped for. Each test fails without the check it names."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MIGRATED_APP, OPENAI_APP

from migrator.files import CHUNK_BYTES, MAX_FILE_BYTES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")

HOOK = "CEREBRAS_MIGRATE_TEST_AFTER_DISCOVERY"


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # Without the bound a failing run would take the machine's memory, not just fail.
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def cli_with_swap(
    *args: str, cwd: Path, swap: Callable[[], None], memory: int = 2 << 30
) -> subprocess.CompletedProcess:
    """The real command, with ``swap`` run once its discovery is done and before it reads."""
    fifo = cwd.parent / "after-discovery"
    os.mkfifo(fifo)
    run = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, HOOK: os.fspath(fifo)},
        preexec_fn=_limit_memory(memory),
    )
    deadline = time.monotonic() + 120
    while True:  # the run opens the FIFO to read once discovery is done
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO or run.poll() is not None:
                raise AssertionError(f"no hook reached: {run.communicate()}") from exc
            if time.monotonic() > deadline:
                run.kill()
                raise AssertionError("the run never reached the hook") from None
            time.sleep(0.01)
    try:
        swap()
    finally:
        os.close(writer)  # end of file: the run goes on
    try:
        stdout, stderr = run.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        run.kill()
        run.communicate()
        raise AssertionError("the run hung") from None
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "tree", tmp_path / "outside"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "app.py").write_text(OPENAI_APP)
    (root / "good.py").write_text(OPENAI_APP)
    (outside / "pkg").mkdir(parents=True)
    (outside / "pkg" / "app.py").write_text(OPENAI_APP)
    return root, outside


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("mode", [(), ("--diff",)])
@pytest.mark.parametrize("into", ["outside", "venv"])
def test_a_folder_swapped_for_a_link_after_discovery_is_not_followed(
    tmp_path: Path, jobs: str, mode: tuple[str, ...], into: str
) -> None:
    root, outside = _tree(tmp_path)
    target = outside / "pkg"
    if into == "venv":  # excluded: the walk never enters it, nor may a swapped link
        target = root / ".venv" / "pkg"
        target.mkdir(parents=True)
        (target / "app.py").write_text(OPENAI_APP)

    def swap() -> None:
        (root / "pkg").rename(tmp_path / "pkg-moved")
        (root / "pkg").symlink_to(target, target_is_directory=True)

    run = cli_with_swap("-j", jobs, *mode, ".", cwd=root, swap=swap)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert (
        "pkg/app.py:1:1 CM902 a folder on its path was replaced by a symbolic link after it was"
        " found; not followed"
    ) in run.stderr
    assert (target / "app.py").read_text() == OPENAI_APP  # never rewritten
    assert "pkg/app.py" not in run.stdout  # nor printed as a diff
    assert (root / "good.py").read_text() == (OPENAI_APP if mode else MIGRATED_APP)


@pytest.mark.parametrize("named", [False, True])  # walked, or named as pre-commit does
@pytest.mark.parametrize("swapped_in", ["outside file", "/dev/zero", "fifo"])
def test_a_file_swapped_after_discovery_is_refused_unread(
    tmp_path: Path, swapped_in: str, named: bool
) -> None:
    root, outside = _tree(tmp_path)
    app = root / "pkg" / "app.py"

    def swap() -> None:
        app.unlink()
        if swapped_in == "fifo":
            os.mkfifo(app)  # reading it would wait for a writer forever
        else:
            target = outside / "pkg" / "app.py" if swapped_in == "outside file" else swapped_in
            app.symlink_to(target)  # /dev/zero: endless bytes

    paths = ("pkg/app.py", "good.py") if named else (".",)
    run = cli_with_swap("-j", "1", *paths, cwd=root, swap=swap, memory=1 << 30)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    said = {
        "outside file": "replaced by a symbolic link after it was found; not followed",
        "/dev/zero": "replaced by a symbolic link after it was found; not followed",
        "fifo": "not a regular file",
    }[swapped_in]
    assert f"pkg/app.py:1:1 CM902 {said}" in run.stderr
    assert (outside / "pkg" / "app.py").read_text() == OPENAI_APP
    assert (root / "good.py").read_text() == MIGRATED_APP  # the rest went through


def test_a_link_into_an_excluded_folder_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    for excluded in (".venv/lib", "build/lib"):
        (root / excluded).mkdir(parents=True)
        (root / excluded / "vendored.py").write_text(OPENAI_APP)
    (root / "uses_venv.py").symlink_to(Path(".venv", "lib", "vendored.py"))
    (root / "uses_build.py").symlink_to(Path("build", "lib", "vendored.py"))
    (root / "good.py").write_text(OPENAI_APP)
    run = subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", "-v", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr  # files changed: good.py
    for name in ("uses_venv.py", "uses_build.py"):
        assert f"{name}: skipped, symbolic link into an excluded path; not followed" in run.stderr
    assert (root / ".venv" / "lib" / "vendored.py").read_text() == OPENAI_APP
    assert (root / "build" / "lib" / "vendored.py").read_text() == OPENAI_APP
    assert (root / "good.py").read_text() == MIGRATED_APP


def _sparse(path: Path, size: int, head: str = OPENAI_APP) -> None:
    with open(path, "wb") as handle:
        handle.write(head.encode())
        handle.truncate(size)  # no blocks on disk: the test costs no space


@pytest.mark.parametrize("size", [MAX_FILE_BYTES + 1, 3 << 30])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, size: int) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    _sparse(root / "huge.py", size)
    (root / "good.py").write_text(OPENAI_APP)
    run = subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_memory(1 << 30),  # under the file's size, as a 2 GB box is for 3 GB
    )
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    mb = round(size / 1048576)
    limit = MAX_FILE_BYTES // 1048576
    assert f"huge.py:1:1 CM902 file too large ({mb} MB; the limit is {limit} MB); not read" in (
        run.stderr
    )
    assert (root / "good.py").read_text() == MIGRATED_APP


def _peak_rss_kb(root: Path) -> int:
    """The largest resident size of the command and its workers, in kB (a fresh parent, so
    that no earlier child counts)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'migrator', '--no-color', '-q', '.'],"
        " check=False, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=300
    )
    return int(out.stdout.split()[-1])


def test_a_big_file_without_an_sdk_is_never_held_whole(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    for root in (small, big):
        root.mkdir()
        (root / "good.py").write_text(OPENAI_APP)
    (small / "data.py").write_text("x = 1\n")
    size = 48 * 1048576
    line = b"values = [1, 2, 3]  # Plain Data\n"
    (big / "data.py").write_bytes(line * (size // len(line)))
    baseline = _peak_rss_kb(small)
    peak = _peak_rss_kb(big)
    # Held whole it would cost its size at least (twice: the bytes and their lowered copy);
    # searched in chunks, a few MB.
    assert peak - baseline < size // 1024 // 4, (baseline, peak)
    assert (big / "good.py").read_text() == MIGRATED_APP


def test_a_name_across_two_chunks_is_still_found(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    # The file's one mention of ``openai`` starts 3 bytes before the first chunk ends.
    padding = "#" + "x" * (CHUNK_BYTES - len("import ") - 3 - 2) + "\n"
    (root / "app.py").write_text(padding + "import openai\n")
    (root / "other.py").write_text(padding + "import os\n")
    run = subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", "-v", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "other.py: skipped, no OpenAI or Cerebras usage" in run.stderr
    assert "app.py: skipped" not in run.stderr  # parsed: it mentions the SDK
