"""Two writing runs on one tree at once, and a folder swapped for a link at the last moment:
the real command, stopped by the hook in migrator/files.py (``TEST_STOP_BEFORE_REPLACE``)
between its last check and its rename, while another run or the test acts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import MIGRATED_APP, OPENAI_APP

from migrator.files import TEMP_SUFFIX, TEST_STOP_BEFORE_REPLACE


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob(f"*{TEMP_SUFFIX}"))


class Stopped:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.returncode = 0
        self.stderr = ""


@contextmanager
def stopped_after_check(*args: str, cwd: Path) -> Iterator[Stopped]:
    """The command (one process) stopped after its last check of its first file, right
    before the rename; it goes on when the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", "--jobs", "1", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, TEST_STOP_BEFORE_REPLACE: "after-check"},
    )
    run = Stopped(proc)
    try:
        _, status = os.waitpid(proc.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status), "the command ended without reaching the rename"
        yield run
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
        try:
            run.stderr = proc.communicate(timeout=60)[1]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        run.returncode = proc.returncode


def test_a_run_leaves_the_temporary_file_of_another_run_alone(tmp_path: Path) -> None:
    # The second run used to remove the first one's temporary file as stale after its own
    # write, and the first run's rename then failed: "No such file or directory" for a file
    # that exists.
    path = tmp_path / "app.py"
    path.write_text(OPENAI_APP)
    (tmp_path / "other.py").write_text(OPENAI_APP)
    with stopped_after_check("-v", ".", cwd=tmp_path) as first:
        [temporary] = temporaries(tmp_path)
        second = cli("-v", ".", cwd=tmp_path)
        assert second.returncode == 1, second.stderr
        assert "2 files scanned" in second.stderr  # the temporary file is no candidate
        assert temporary not in second.stderr
        assert temporaries(tmp_path) == [temporary]  # still there: its run holds it
    assert "No such file" not in first.stderr
    assert first.returncode == 1, first.stderr  # both wrote the same migrated code
    assert "CM904" not in first.stderr
    assert path.read_text() == MIGRATED_APP
    assert temporaries(tmp_path) == []


def test_a_stale_temporary_file_is_still_removed(tmp_path: Path) -> None:
    # Nobody holds it (its run was killed): the next write of the file removes it.
    path = tmp_path / "app.py"
    path.write_text(OPENAI_APP)
    stale = tmp_path / f".app.py.abcd2345{TEMP_SUFFIX}"
    stale.write_text("half")
    proc = cli("app.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert temporaries(tmp_path) == []


def test_a_folder_swapped_for_a_link_at_the_rename_sends_nothing_outside(tmp_path: Path) -> None:
    # After the last check, right before the rename, the file's folder is moved away and a
    # link to a folder outside the tree takes its name: the rename happens in the folder
    # that was vetted (held open), and the outside file is never written.
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "app.py").write_text(OPENAI_APP)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "app.py").write_text(OPENAI_APP)
    with stopped_after_check(".", cwd=tree) as run:
        (tree / "sub").rename(tree / "moved")
        (tree / "sub").symlink_to(outside, target_is_directory=True)
    assert (outside / "app.py").read_text() == OPENAI_APP
    assert os.listdir(outside) == ["app.py"]
    assert (tree / "moved" / "app.py").read_text() == MIGRATED_APP
    assert run.returncode == 1, run.stderr
    assert temporaries(tmp_path) == []
