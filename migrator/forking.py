"""A map over forked processes, for work that pays for a process but not for a pool.

``forked_map`` splits the items into one share per process, forks a child per share but
the first (done here), and reads back what each child pickled into a memory file once it
has exited: a few milliseconds to start, where ``multiprocessing`` costs tens and more
imports. Linux only (``os.memfd_create``); elsewhere, and when a child fails, the work is
done here. ``func`` must return picklable results and have no side effect the parent needs.

Every process forked here or by the run loop dies with the process that forked it
(``die_with_parent``): a run killed outright (SIGKILL, the OOM killer) or stopped by SIGTERM
leaves no process behind to go on reading or writing files.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


# A hook for the tests alone: CEREBRAS_MIGRATE_TEST_HOOK="<point>:<name>" makes a forked
# child act at that point for that name (a file's name, or "child"): sleep until killed at
# a point named "stall-…", SIGKILL itself at any other, so that the race a test needs
# happens on cue. Read once; unset, it costs one comparison.
_HOOK = tuple(os.environ.get("CEREBRAS_MIGRATE_TEST_HOOK", "").split(":"))


def hook_for_tests(point: str, name: str) -> None:
    if (point, name) != _HOOK:
        return
    if point.startswith("stall"):
        import time

        time.sleep(3600)
    os.kill(os.getpid(), signal.SIGKILL)


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "memfd_create") and hasattr(os, "fork")


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_prctl: Any = None


def prepare_death_signal() -> None:
    """Load what ``die_with_parent`` needs before forking: the children then share it."""
    global _prctl
    if _prctl is None and sys.platform == "linux":
        import ctypes

        _prctl = ctypes.CDLL(None, use_errno=True).prctl


def die_with_parent(parent: int, signum: int = signal.SIGKILL) -> None:
    """In a child just forked by ``parent``: have the kernel send it ``signum`` when the
    parent exits, however it exits (Linux; elsewhere the children check ``parent_gone``
    between pieces of work). A parent already gone before that was set: exit now."""
    prepare_death_signal()
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if parent_gone(parent):
        os._exit(128 + signum)


def parent_gone(parent: int) -> bool:
    """Whether the process that forked this one has exited (this one was re-parented)."""
    return os.getppid() != parent


def forked_map(func: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """``[func(item) for item in items]``, shared by ``jobs`` processes."""
    if jobs < 2 or len(items) < 2 or not can_fork():
        return [func(item) for item in items]
    # Interleaved shares (every ``jobs``-th item): sorted paths put the big modules of a
    # package together, and contiguous shares would leave one process with all of them.
    children: list[tuple[int, int, Sequence[Item]]] = []
    waiting: set[int] = set()
    parent = os.getpid()
    prepare_death_signal()
    gc.freeze()  # a child does not copy what it never collects
    try:
        for offset in range(1, jobs):
            part = items[offset::jobs]
            fd = os.memfd_create("cerebras-migrate-map")
            pid = os.fork()
            if pid == 0:  # the child: never returns
                status = 1
                try:
                    die_with_parent(parent)  # it only reads: killing it loses nothing
                    hook_for_tests("stall-forked-map", "child")
                    with os.fdopen(fd, "wb", closefd=False) as out:
                        pickle.dump([func(item) for item in part], out, pickle.HIGHEST_PROTOCOL)
                    status = 0
                finally:
                    os._exit(status)
            children.append((pid, fd, part))
            waiting.add(pid)
        shares = [[func(item) for item in items[0::jobs]]]
        for pid, fd, part in children:
            _, status = os.waitpid(pid, 0)
            waiting.discard(pid)
            found = None
            if status == 0:
                with contextlib.suppress(Exception):
                    os.lseek(fd, 0, os.SEEK_SET)
                    with os.fdopen(fd, "rb", closefd=False) as data:
                        found = pickle.load(data)
            shares.append(found if found is not None else [func(item) for item in part])
        results: list[Result] = [None] * len(items)  # type: ignore[list-item]
        for offset, share in enumerate(shares):
            results[offset::jobs] = share
        return results
    finally:
        for pid in waiting:  # interrupted (Ctrl-C, SIGTERM): their work is not wanted
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        for _, fd, _ in children:
            with contextlib.suppress(OSError):
                os.close(fd)
        gc.unfreeze()
