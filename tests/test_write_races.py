"""Writing a file while something else changes it, and keeping what a file is besides its
bytes: the real command, stopped (by a hook in migrator/files.py) once its temporary file is
complete and just before the rename, while the test edits, deletes or replaces the original."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import MIGRATED_APP, OPENAI_APP

from migrator.files import TEMP_SUFFIX, TEST_STOP_BEFORE_REPLACE


def temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob(f"*{TEMP_SUFFIX}"))


class Run:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.returncode = 0
        self.stdout = self.stderr = ""


def start_stopping(*args: str, cwd: Path) -> subprocess.Popen:
    """The command (one process: ``--jobs 1``), which stops right before it renames its first
    temporary file over the original."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", "--jobs", "1", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, TEST_STOP_BEFORE_REPLACE: "1"},
    )
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the command ended without reaching the rename"
    return proc


@contextmanager
def stopped_before_replace(*args: str, cwd: Path) -> Iterator[Run]:
    """The command stopped right before its first rename; it goes on when the block ends."""
    proc = start_stopping(*args, cwd=cwd)
    run = Run(proc)
    try:
        yield run
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
        try:
            run.stdout, run.stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:  # hung: leave no process behind
                proc.kill()
                proc.communicate()
        run.returncode = proc.returncode


def app(tmp_path: Path, name: str = "app.py") -> Path:
    path = tmp_path / name
    path.write_text(OPENAI_APP)
    return path


# The write window ----------------------------------------------------------------------------


def test_the_hook_stops_with_the_whole_temporary_file_beside_the_original(tmp_path: Path) -> None:
    path = app(tmp_path)
    with stopped_before_replace("app.py", cwd=tmp_path) as run:
        [temporary] = temporaries(tmp_path)
        assert (tmp_path / temporary).read_text() == MIGRATED_APP
        assert path.read_text() == OPENAI_APP
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert temporaries(tmp_path) == []


def test_an_edit_made_while_the_temporary_file_is_written_is_kept(tmp_path: Path) -> None:
    path = app(tmp_path)
    # In place, as an editor's autosave or `>>` does.
    with stopped_before_replace("app.py", cwd=tmp_path) as run, path.open("a") as handle:
        handle.write("EDITED = True\n")
    assert run.returncode == 2, run.stderr
    assert "app.py:1:1 CM904 not written: the file changed on disk" in run.stderr
    assert path.read_text() == OPENAI_APP + "EDITED = True\n"
    assert temporaries(tmp_path) == []


def test_an_edit_of_the_same_size_is_kept(tmp_path: Path) -> None:
    # Same size, likely the same clock tick: only the bytes tell.
    path = app(tmp_path)
    edited = OPENAI_APP.replace("gpt-4o-mini", "gpt-4o-nano")
    with stopped_before_replace("app.py", cwd=tmp_path) as run, path.open("r+") as handle:
        handle.write(edited)
    assert run.returncode == 2, run.stderr
    assert "CM904 not written: the file changed on disk" in run.stderr
    assert path.read_text() == edited


def test_a_file_saved_over_by_another_program_is_kept(tmp_path: Path) -> None:
    # An editor that writes a new file and renames it over: the same bytes in a new file,
    # whose mode (here) the rename would undo.
    path = app(tmp_path)
    with stopped_before_replace("app.py", cwd=tmp_path) as run:
        saved = tmp_path / "app.py.swp"
        saved.write_text(OPENAI_APP)
        saved.chmod(0o600)
        os.replace(saved, path)
    assert run.returncode == 2, run.stderr
    assert "CM904 not written: the file changed on disk" in run.stderr
    assert path.read_text() == OPENAI_APP
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_file_deleted_while_it_is_written_is_not_recreated(tmp_path: Path) -> None:
    path = app(tmp_path)
    with stopped_before_replace("app.py", cwd=tmp_path) as run:
        path.unlink()
    assert run.returncode == 2, run.stderr
    assert "app.py:1:1 CM904 not written: the file was deleted while it was being migrated" in (
        run.stderr
    )
    assert os.listdir(tmp_path) == []  # neither the file nor a temporary one


def stopped_children(parent: int) -> list[int]:
    """The processes ``parent`` started (the worker pool) that are stopped now."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path("/proc", entry, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if fields[0] == "T" and int(fields[1]) == parent:
            found.append(int(entry))
    return found


def test_edits_made_while_workers_write_are_kept(tmp_path: Path) -> None:
    # The worker pool writes too: every file is edited while a worker is stopped before its
    # rename, whichever worker writes it and however many are stopped at once.
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to find the stopped workers")
    names = [f"m{i}.py" for i in range(8)]
    for name in names:
        app(tmp_path, name)
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "--no-color", "--jobs", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, TEST_STOP_BEFORE_REPLACE: "1"},
    )
    edited: set[str] = set()
    workers: set[int] = set()
    cut = len(TEMP_SUFFIX) + 9  # ".<random>" and the suffix
    try:
        while proc.poll() is None:
            stopped = stopped_children(proc.pid)
            workers.update(stopped)
            for temporary in temporaries(tmp_path):  # one per stopped worker at least
                name = temporary[1:-cut]
                if name not in edited:
                    with (tmp_path / name).open("a") as handle:
                        handle.write("EDITED = True\n")
                    edited.add(name)
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)
            time.sleep(0.01)
        stderr = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 2, stderr
    assert workers and proc.pid not in workers  # written by the workers, not the main process
    assert edited == set(names)
    for name in names:
        assert f"{name}:1:1 CM904 not written: the file changed on disk" in stderr
        assert (tmp_path / name).read_text() == OPENAI_APP + "EDITED = True\n"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_put_in_the_files_place_is_neither_waited_on_nor_read(
    tmp_path: Path, kind: str
) -> None:
    path = app(tmp_path)
    with stopped_before_replace("app.py", cwd=tmp_path) as run:
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)  # opening it to read would wait for a writer
        else:
            path.symlink_to("/dev/zero")  # reading it would never end
    assert run.returncode == 2, run.stderr
    assert "app.py:1:1 CM904 not written: the file changed on disk" in run.stderr
    assert stat.S_ISFIFO(path.lstat().st_mode) if kind == "fifo" else path.is_symlink()
    assert temporaries(tmp_path) == []


def killed_before_replace(*args: str, cwd: Path) -> None:
    """The command killed (SIGKILL) right before its first rename: its temporary file stays."""
    proc = start_stopping(*args, cwd=cwd)
    proc.kill()
    proc.communicate(timeout=60)


# Long names ----------------------------------------------------------------------------------


def cli(*args: str, cwd: Path, runner: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """The real command; ``runner``: what runs it (``setpriv`` with fewer capabilities)."""
    return subprocess.run(
        [*runner, sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "name",
    [
        "a" * 221 + ".py",  # 224 bytes: the longest whose temporary name fits as it is
        "a" * 222 + ".py",
        "b" * 240 + ".py",
        "c" * 252 + ".py",  # 255 bytes, the longest a name can be
        "é" * 126 + ".py",  # 255 bytes in 129 characters: the cut falls inside a character
        "x" * 100 + "é" * 76 + ".py",
    ],
)
def test_a_file_with_a_name_up_to_255_bytes_is_migrated(tmp_path: Path, name: str) -> None:
    path = app(tmp_path, name)
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert os.listdir(tmp_path) == [name]


def test_stale_temporaries_of_long_names_are_told_apart(tmp_path: Path) -> None:
    # Two names alike in their first 240 bytes: a temporary name cannot hold either whole.
    first, second = ("d" * 240 + tail + ".py" for tail in ("1", "2"))
    app(tmp_path, first)
    app(tmp_path, second)
    killed_before_replace(second, cwd=tmp_path)
    [left] = temporaries(tmp_path)
    assert len(os.fsencode(left)) <= 255
    assert cli(first, cwd=tmp_path).returncode == 1
    assert temporaries(tmp_path) == [left]  # the other file's, kept
    assert (tmp_path / second).read_text() == OPENAI_APP  # killed before its rename
    assert cli(second, cwd=tmp_path).returncode == 1
    assert temporaries(tmp_path) == []
    assert (tmp_path / first).read_text() == (tmp_path / second).read_text() == MIGRATED_APP


# What a file is besides its bytes ------------------------------------------------------------


def test_a_hard_linked_file_is_not_split(tmp_path: Path) -> None:
    tree, elsewhere = tmp_path / "tree", tmp_path / "elsewhere"
    tree.mkdir()
    elsewhere.mkdir()
    path = app(tree)
    os.link(path, elsewhere / "copy.py")
    free = app(tree, "free.py")
    run = cli(".", cwd=tree)
    assert run.returncode == 2, run.stderr
    assert (
        "app.py:1:1 CM904 not written: the file has 2 names (hard links); replacing it would "
        "leave the others with the old code"
    ) in run.stderr
    assert path.read_text() == OPENAI_APP
    assert path.stat().st_ino == (elsewhere / "copy.py").stat().st_ino
    assert free.read_text() == MIGRATED_APP
    assert temporaries(tree) == []


def test_a_link_made_while_the_file_is_written_is_not_split(tmp_path: Path) -> None:
    path = app(tmp_path)
    with stopped_before_replace("app.py", cwd=tmp_path) as run:
        os.link(path, tmp_path / "copy.py")
    assert run.returncode == 2, run.stderr
    assert "CM904 not written: the file changed on disk" in run.stderr
    assert path.read_text() == (tmp_path / "copy.py").read_text() == OPENAI_APP


SOMEONE = 4321  # a user and group that own nothing else here


def needs_root() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root, to make files owned by someone else")


def without(capability: str) -> tuple[str, ...]:
    """Root, minus one capability: a runner that cannot do that one thing."""
    needs_root()
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not available")
    return ("setpriv", f"--inh-caps=-{capability}", f"--bounding-set=-{capability}")


def owned(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


def test_someone_elses_file_keeps_its_owner_and_setuid_setgid_bits(tmp_path: Path) -> None:
    needs_root()
    path = app(tmp_path)
    os.chown(path, SOMEONE, SOMEONE)
    path.chmod(0o6755)
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert owned(path) == (SOMEONE, SOMEONE, 0o6755)


def test_a_file_whose_owner_cannot_be_kept_is_not_replaced(tmp_path: Path) -> None:
    # Someone else's file this runner may write to but cannot give a new file to.
    runner = without("chown")
    path = app(tmp_path)
    os.chown(path, SOMEONE, SOMEONE)
    path.chmod(0o666)
    free = app(tmp_path, "free.py")
    run = cli(".", cwd=tmp_path, runner=runner)
    assert run.returncode == 2, run.stderr
    assert (
        f"app.py:1:1 CM904 not written: the file belongs to uid {SOMEONE}, gid {SOMEONE}, which "
        "this user cannot give the new file; replacing it would change its owner"
    ) in run.stderr
    assert path.read_text() == OPENAI_APP
    assert owned(path) == (SOMEONE, SOMEONE, 0o666)
    assert free.read_text() == MIGRATED_APP
    assert temporaries(tmp_path) == []


def test_a_setgid_bit_that_cannot_be_kept_is_not_dropped(tmp_path: Path) -> None:
    # Without CAP_FSETID, setting setgid for a group one is not in is silently refused.
    runner = without("fsetid")
    path = app(tmp_path)
    os.chown(path, 0, SOMEONE)
    path.chmod(0o2775)
    run = cli(".", cwd=tmp_path, runner=runner)
    assert run.returncode == 2, run.stderr
    assert (
        "app.py:1:1 CM904 not written: the file's mode 2775 cannot be kept (this user gets "
        "0775); replacing it would change it"
    ) in run.stderr
    assert path.read_text() == OPENAI_APP
    assert owned(path) == (0, SOMEONE, 0o2775)
    assert temporaries(tmp_path) == []


# An access control list as Linux stores it in system.posix_acl_access: a version, then
# (tag, permissions, id) entries in tag order.
USER_OBJ, USER, GROUP_OBJ, MASK, OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
ANY = 0xFFFFFFFF
ACL = "system.posix_acl_access"


def acl(*entries: tuple[int, int, int]) -> bytes:
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def grant_someone(path: Path) -> None:
    """An ACL letting SOMEONE read and write ``path`` (or, for a folder, its new files)."""
    name = ACL if path.is_file() else "system.posix_acl_default"
    entries = [(USER_OBJ, 7, ANY), (USER, 6, SOMEONE), (GROUP_OBJ, 5, ANY), (MASK, 7, ANY)]
    os.setxattr(path, name, acl(*entries, (OTHER, 0, ANY)))


def needs_xattrs(folder: Path) -> None:
    probe = folder / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.probe", b"1")
        grant_someone(probe)
    except (AttributeError, OSError):
        pytest.skip("no extended attributes or ACLs here")
    finally:
        probe.unlink()


def xattrs(path: Path) -> dict[str, bytes]:
    return {name: os.getxattr(path, name) for name in sorted(os.listxattr(path))}


def test_extended_attributes_and_acls_are_kept(tmp_path: Path) -> None:
    needs_xattrs(tmp_path)
    path = app(tmp_path)
    path.chmod(0o640)
    os.setxattr(path, "user.xdg.origin.url", b"https://example.org/app.py")
    os.setxattr(path, "user.checksum", b"\x00\x01binary")
    grant_someone(path)
    before = xattrs(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    assert set(before) == {"user.xdg.origin.url", "user.checksum", ACL}
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert xattrs(path) == before
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_folders_default_acl_is_not_added_to_a_file_without_one(tmp_path: Path) -> None:
    # A new file in the folder gets the folder's default ACL; this file had it taken away.
    needs_xattrs(tmp_path)
    folder = tmp_path / "shared"
    folder.mkdir()
    grant_someone(folder)
    path = app(folder)
    assert ACL in os.listxattr(path)
    os.removexattr(path, ACL)
    path.chmod(0o600)
    run = cli(".", cwd=folder)
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert xattrs(path) == {}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_someone_elses_file_keeps_its_capabilities(tmp_path: Path) -> None:
    # A change of owner removes security.capability: it is copied after the owner is.
    needs_root()
    needs_xattrs(tmp_path)
    path = app(tmp_path)
    os.chown(path, SOMEONE, SOMEONE)
    path.chmod(0o755)
    # Revision 2, effective; permitted: CAP_NET_BIND_SERVICE (bit 10).
    capability = struct.pack("<IIIII", 0x02000001, 1 << 10, 0, 0, 0)
    os.setxattr(path, "security.capability", capability)
    run = cli(".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert path.read_text() == MIGRATED_APP
    assert xattrs(path) == {"security.capability": capability}
    assert owned(path) == (SOMEONE, SOMEONE, 0o755)


def test_an_attribute_the_runner_cannot_copy_is_not_dropped(tmp_path: Path) -> None:
    # Setting a file capability needs CAP_SETFCAP; without it the copy fails, and the file
    # is left as it was rather than replaced without it.
    runner = without("setfcap")
    needs_xattrs(tmp_path)
    path = app(tmp_path)
    capability = struct.pack("<IIIII", 0x02000001, 1 << 10, 0, 0, 0)
    os.setxattr(path, "security.capability", capability)
    run = cli(".", cwd=tmp_path, runner=runner)
    assert run.returncode == 2, run.stderr
    assert (
        "app.py:1:1 CM904 not written: the file's extended attribute security.capability "
        "cannot be copied (Operation not permitted); replacing it would drop it"
    ) in run.stderr
    assert path.read_text() == OPENAI_APP
    assert xattrs(path) == {"security.capability": capability}
    assert temporaries(tmp_path) == []
