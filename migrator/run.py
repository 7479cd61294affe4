"""The run loop: every file read, migrated and (when asked) written, in input order; in
worker processes when there is enough work, in this process otherwise.

A file is first *triaged*: read, and finished at once when the byte gate says it needs no
parsing (``core.gate``: it never mentions either SDK — most files of a repository — or is
marked ``@generated``); otherwise its bytes wait for the front-end (libcst parses about
0.7 MB/s per core). Every file goes through the same functions wherever it runs, so a
parallel run gives exactly what a sequential one gives, and results are yielded in the
order of the paths. The gate runs once per file, wherever the file is triaged.

- Few files (a pre-commit hook): the main process triages them; once a few wait for
  parsing, worker processes start and get them in small chunks, as bytes; results come back
  as ``FileResult`` values (trees never cross a process boundary).
- Many files (a repository): triage itself is split, on Linux: the main process takes the
  first share of the paths and a forked child per other core the rest, each child writing
  what it found to a memory file read once it exits (a few milliseconds to start, where a
  process pool costs tens). What needs parsing then goes to the workers as above.

Memory stays flat: a bounded number of chunks is in flight, and a result is handed on as
soon as the ones before it are.

Stopping (Ctrl-C, SIGTERM): the main process hands out no more work and sends SIGTERM to
every process it forked; one in the middle of writing a file finishes that file and exits,
the others exit at once, and the run ends once they all have. Every child also dies with the
main process however that ends, SIGKILL included (``forking.die_with_parent``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemods import rules

from . import files, forking
from .core import NO_SDK, SDK_WORDS, gate, migrate_bytes
from .results import FileResult, Status
from .settings import Settings

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .discover import Candidate
    from .project import ProjectIndex

# Workers start once this many files wait for parsing: below, starting them costs more
# than it saves (measured: README.md, Performance).
MIN_PARALLEL_FILES = 4
# From this many paths on, triage (reading and the byte search) is split over the cores.
MIN_PARALLEL_TRIAGE = 256
# A parse chunk is what one worker gets at a time: enough to make the round trip
# negligible, small enough that the workers finish together.
CHUNK_FILES = 4
CHUNK_BYTES = 48 * 1024
CHUNKS_PER_JOB = 4  # in flight per worker: keeps them busy, bounds memory
# libcst allocates millions of short-lived objects, which trigger the cycle collector over
# and over although they form no cycles; collecting less often saves about 10%.
GC_THRESHOLD = 10_000

# What triage gives for one file: its result, or its bytes when they need parsing.
Triaged = FileResult | bytes


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


# One file ------------------------------------------------------------------------------


def _unreadable(path: Path, exc: OSError) -> FileResult:
    diagnostic = rules.CM902.at(1, 1, reason=files.describe(exc))
    return FileResult(path, Status.ERROR, diagnostics=[diagnostic])


# In a forked child: the main process, and whether it asked this one to stop.
_parent = 0
_writing = False
_stopping = False


def _on_sigterm(signum: int, _frame: Any) -> None:
    """A child asked to stop: at once, unless it is writing a file (it then exits as soon as
    that file is whole, in ``_write``)."""
    global _stopping
    _stopping = True
    if not _writing:
        os._exit(128 + signum)


def _become_child(parent: int) -> None:
    """In a child forked to migrate (and write) files: stop on SIGTERM as ``_on_sigterm``
    says, and get that signal from the kernel when the main process dies."""
    global _parent
    _parent = parent
    signal.signal(signal.SIGTERM, _on_sigterm)
    # Ctrl-C reaches the whole process group: the main process decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forking.die_with_parent(parent, signal.SIGTERM)


def _write(source: files.Source, text: str) -> None:
    global _writing
    _writing = True
    try:
        if _stopping:  # asked to stop before the write began: it never begins
            os._exit(128 + signal.SIGTERM)
        files.write_atomic(source, text)
    finally:
        _writing = False
        if _stopping:
            os._exit(128 + signal.SIGTERM)


def _migrate(
    path: Path, raw: bytes, settings: Settings, write: bool, project: ProjectIndex | None = None
) -> FileResult:
    """Migrate a file the gate let through, read as ``raw``; when ``write``, rewrite it
    atomically (``files.write_atomic``). ``project``: the index of the project it is in."""
    place = project.place(path) if project is not None else None
    try:
        outcome, source = migrate_bytes(path, raw, settings, gated=True, place=place)
    except Exception as exc:
        # A bug on this file (the rewrite itself reports its own as CM903): reported for it
        # alone. Raised in a worker, it would lose the results of the files of its chunk
        # done before it, written or not, and stop a run in this process.
        diagnostic = rules.CM903.at(1, 1, error=f"{type(exc).__name__}: {exc}")
        return FileResult(path, Status.ERROR, diagnostics=[diagnostic])
    if write and outcome.status is Status.CHANGED and source is not None:
        try:
            _write(source, outcome.new)
            outcome.written = True
        except (OSError, files.SourceError) as exc:
            outcome.status = Status.ERROR
            outcome.rewritten_sites = 0  # nothing was rewritten: the file is as it was
            message = str(exc) if isinstance(exc, files.SourceError) else files.describe(exc)
            outcome.diagnostics.append(rules.CM904.at(1, 1, reason=message))
    return outcome


def _triage(path: Path, project: ProjectIndex | None = None) -> Triaged:
    """Read ``path``; its result when the gate says it needs no parsing, else its bytes. A
    file that never mentions an SDK but uses the project's clients needs parsing; one the
    project index has just read and found clean is not read again."""
    if project is not None and project.skips(path):
        return FileResult(path, Status.SKIPPED, note=NO_SDK)
    try:
        # A big file that mentions no SDK is searched in chunks and never held whole.
        raw = files.read_mentioning(path, SDK_WORDS)
        if raw is None and project is not None and project.needs(path):
            raw = files.read_bytes(path)
    except OSError as exc:
        return _unreadable(path, exc)
    if raw is None:
        return FileResult(path, Status.SKIPPED, note=NO_SDK)
    note = gate(raw)
    if note is None or (project is not None and note == NO_SDK and project.needs(path)):
        return raw
    return FileResult(path, Status.SKIPPED, note=note)


def process_file(
    path: Path, settings: Settings, *, write: bool, project: ProjectIndex | None = None
) -> FileResult:
    """Read, migrate and (when ``write``) atomically rewrite one file."""
    triaged = _triage(path, project)
    if isinstance(triaged, bytes):
        return _migrate(path, triaged, settings, write, project)
    return triaged


# Worker side ---------------------------------------------------------------------------

_worker: tuple[Settings, bool, ProjectIndex | None] | None = None


def _start_worker(
    settings: Settings, write: bool, project: ProjectIndex | None, parent: int
) -> None:
    global _worker
    _worker = (settings, write, project)
    _become_child(parent)
    gc.freeze()  # what the process holds so far is never garbage: keep it out of collections
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _light(result: Any, path: Path) -> Any:
    """A result to send back: its path is the one the main process already has."""
    if isinstance(result, FileResult) and result.path is path:
        result.path = None  # type: ignore[assignment]  # put back by _Slot.fill
    return result


def _work(chunk: list[tuple[Path, bytes]]) -> list[FileResult]:
    assert _worker is not None
    settings, write, project = _worker
    done = []
    for path, raw in chunk:
        # The parent watch where the kernel sends no signal on its death (not Linux).
        if forking.parent_gone(_parent):
            os._exit(128 + signal.SIGTERM)
        done.append(_light(_migrate(path, raw, settings, write, project), path))
        forking.hook_for_tests("worker-file-done", path.name)
    return done


def _before_fork() -> None:
    # What this process holds now outlives the run: out of the collector's sight, a forked
    # child does not copy it by touching its GC headers, and the final collection at exit
    # skips it (about 10 ms of a run's teardown). The Python docs recommend this before fork.
    gc.freeze()


def _start_pool(
    jobs: int, settings: Settings, write: bool, project: ProjectIndex | None
) -> ProcessPoolExecutor:
    # Imported here: a run with little to do never pays for multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: a worker starts in milliseconds and shares what is already imported; no thread
    # exists when the pool forks (the progress bar has none). Elsewhere, the default.
    context: Any = (
        multiprocessing.get_context("fork")
        if sys.platform == "linux"
        else multiprocessing.get_context()
    )
    _before_fork()
    forking.prepare_death_signal()
    return ProcessPoolExecutor(
        jobs, context, initializer=_start_worker, initargs=(settings, write, project, os.getpid())
    )


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """The run was stopped: no chunk waiting is started, and each worker stops as
    ``_on_sigterm`` says; returns once they have all exited."""
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGTERM)
    pool.shutdown(wait=True, cancel_futures=True)
    for process in processes.values():
        process.join()


_LIST_FIELDS = tuple(f.name for f in dataclasses.fields(FileResult) if f.default_factory is list)


def _again(result: FileResult) -> FileResult:
    """A copy of ``result``, with lists of its own (results share nothing)."""
    copy = object.__new__(FileResult)
    copy.__dict__.update(result.__dict__)
    for name in _LIST_FIELDS:
        setattr(copy, name, list(getattr(result, name)))
    return copy


class _TriageChild:
    """Triage of ``paths`` in a forked child process, which pickles what it finds into a
    memory file; ``results`` reads them once the child has exited. A result equal to the
    one before it (most are "skipped: no OpenAI or Cerebras usage") is written as None."""

    def __init__(self, paths: Sequence[Path], project: ProjectIndex | None) -> None:
        self.paths = paths
        self.fd = os.memfd_create("cerebras-migrate-triage")
        _before_fork()
        parent = os.getpid()
        forking.prepare_death_signal()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns, never runs the parent's cleanup
            status = 1
            try:
                forking.die_with_parent(parent)  # it only reads: killing it loses nothing
                import pickle

                with os.fdopen(self.fd, "wb", closefd=False) as out:
                    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
                    last = None
                    for path in paths:
                        item = _light(_triage(path, project), path)
                        if isinstance(item, FileResult) and item.path is None and item == last:
                            pickler.dump(None)
                        else:
                            pickler.dump(item)
                            last = item
                status = 0
            finally:
                os._exit(status)

    def results(self) -> list[Triaged] | None:
        """What the child found, or None if it failed (the caller then triages itself)."""
        import pickle

        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            if status != 0:
                return None
            os.lseek(self.fd, 0, os.SEEK_SET)
            with os.fdopen(self.fd, "rb", closefd=False) as data:
                unpickler = pickle.Unpickler(data)
                found: list[Triaged] = []
                last: Triaged | None = None
                for _ in self.paths:
                    item = unpickler.load()
                    if item is None:
                        item = _again(last)  # type: ignore[arg-type]
                    else:
                        last = item
                    found.append(item)
                return found
        except Exception:
            return None
        finally:
            os.close(self.fd)
            self.fd = -1

    def abandon(self) -> None:
        """Stop the child if it still runs (the run was interrupted)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _can_fork_triage() -> bool:
    return sys.platform == "linux" and hasattr(os, "memfd_create")


# Main side -----------------------------------------------------------------------------


class _Slot:
    """One path's place in the output order, filled when its result is known."""

    __slots__ = ("path", "result")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.result: FileResult | None = None

    def fill(self, result: FileResult) -> None:
        if result.path is None:
            result.path = self.path
        self.result = result


def _failed(slots: Sequence[_Slot], exc: BaseException) -> None:
    """A worker failed and the files cannot be retried: say so for each of its files."""
    for slot in slots:
        diagnostic = rules.CM903.at(1, 1, "worker-failed", error=f"{type(exc).__name__}: {exc}")
        slot.fill(FileResult(slot.path, Status.ERROR, diagnostics=[diagnostic]))


def _redo(
    path: Path, raw: bytes, settings: Settings, write: bool, project: ProjectIndex | None
) -> FileResult:
    """A file of a chunk whose worker died, migrated again from the bytes it was sent. The
    dead worker may have written it already: then it is counted as changed and written (it
    was, by this run), not as unchanged; any other change on disk is CM904 as always."""
    if write:
        try:
            current = files.read_bytes(path)
        except OSError as exc:
            return _unreadable(path, exc)
        if current != raw:
            place = project.place(path) if project is not None else None
            outcome, source = migrate_bytes(path, raw, settings, gated=True, place=place)
            if outcome.status is Status.CHANGED and source is not None:
                with contextlib.suppress(files.SourceError):
                    if files.encode(source, outcome.new) == current:
                        outcome.written = True
                        return outcome
    return _migrate(path, raw, settings, write, project)


def _alone(
    path: Path, raw: bytes, settings: Settings, write: bool, project: ProjectIndex | None
) -> FileResult:
    """``path`` (sent to a worker as ``raw``) processed in a forked process of its own,
    after that worker died on a chunk holding it: a file that kills its process (a crash in
    native code, memory) is reported for itself, and the others of the chunk go through
    (``_redo``)."""
    import pickle

    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            _become_child(parent)
            os.close(read_end)
            result = _light(_redo(path, raw, settings, write, project), path)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(result, out, pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as data:
            payload = data.read()
    except BaseException:  # stopped: the child stops too, a write it began whole
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and payload:
        result = pickle.loads(payload)
        result.path = path
        return result
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        cause = f"killed by {signal.Signals(number).name}" if number else "killed"
    else:
        cause = f"exit status {os.WEXITSTATUS(status)}"
    diagnostic = rules.CM903.at(1, 1, "worker-died", cause=cause)
    return FileResult(path, Status.ERROR, diagnostics=[diagnostic])


class _Loop:
    def __init__(
        self, settings: Settings, write: bool, jobs: int, project: ProjectIndex | None
    ) -> None:
        self.settings = settings
        self.write = write
        self.project = project
        self.jobs = jobs
        self.order: deque[_Slot] = deque()
        self.waiting: list[tuple[_Slot, bytes]] = []  # to parse, not yet sent anywhere
        self.waiting_bytes = 0
        # Each chunk in flight with what was sent: a dead worker's files are redone from it.
        self.parsing: deque[tuple[Future[list[FileResult]], list[tuple[_Slot, bytes]]]] = deque()
        self.pool: ProcessPoolExecutor | None = None

    def add(self, path: Path, triaged: Triaged | None = None) -> None:
        """One more path, triaged here unless that was done elsewhere; then what waits for
        parsing is parsed here or sent to the workers, as the amount of work says."""
        slot = _Slot(path)
        self.order.append(slot)
        if triaged is None:
            triaged = _triage(path, self.project)
        if isinstance(triaged, bytes):
            self.waiting.append((slot, triaged))
            self.waiting_bytes += len(triaged)
        else:
            slot.fill(triaged)
            return
        if self.pool is None:
            if self.jobs == 1:
                self.parse_here()
            elif len(self.waiting) >= MIN_PARALLEL_FILES:
                self.start_pool()
        if self.pool is not None:
            self.parse_there(final=False)
            self.keep_up()

    def parse_here(self) -> None:
        with fewer_collections():
            for slot, raw in self.waiting:
                slot.fill(_migrate(slot.path, raw, self.settings, self.write, self.project))
        self.waiting.clear()
        self.waiting_bytes = 0

    def parse_there(self, final: bool) -> None:
        assert self.pool is not None
        waiting = self.waiting
        while waiting and (
            final or len(waiting) >= CHUNK_FILES or self.waiting_bytes >= CHUNK_BYTES
        ):
            size = count = 0
            while count < len(waiting) and count < CHUNK_FILES and size < CHUNK_BYTES:
                size += len(waiting[count][1])
                count += 1
            chunk, waiting[:count] = waiting[:count], []
            self.waiting_bytes -= size
            future = self.pool.submit(_work, [(slot.path, raw) for slot, raw in chunk])
            self.parsing.append((future, chunk))

    def collect_parse(self) -> None:
        future, chunk = self.parsing.popleft()
        try:
            results = future.result()
        except Exception as exc:
            from concurrent.futures.process import BrokenProcessPool

            if not isinstance(exc, BrokenProcessPool) or not hasattr(os, "fork"):
                _failed([slot for slot, _ in chunk], exc)
                return
            self.recover(chunk)
            return
        for (slot, _), result in zip(chunk, results, strict=True):
            slot.fill(result)

    def recover(self, chunk: list[tuple[_Slot, bytes]]) -> None:
        """A worker died: every chunk in flight is lost with the pool. Each of their files
        is processed alone, and a new pool takes what comes next."""
        lost = [chunk] + [other for _, other in self.parsing]
        self.parsing.clear()
        assert self.pool is not None
        self.pool.shutdown(wait=True, cancel_futures=True)  # its threads end: safe to fork
        for each in lost:
            for slot, raw in each:
                slot.fill(_alone(slot.path, raw, self.settings, self.write, self.project))
        self.start_pool()

    def start_pool(self) -> None:
        """Workers for what waits, or none when the system cannot give them: the pool's
        locks are POSIX semaphores in /dev/shm, which may be full or read-only (a container,
        a locked-down CI runner). This process then parses everything, as with ``-j 1``."""
        try:
            self.pool = _start_pool(self.jobs, self.settings, self.write, self.project)
        except OSError:
            self.pool = None
            self.jobs = 1
            self.parse_here()

    def keep_up(self) -> None:
        """Collect what is done, and wait when too much is in flight."""
        limit = self.jobs * CHUNKS_PER_JOB
        while self.parsing and (len(self.parsing) > limit or self.parsing[0][0].done()):
            self.collect_parse()

    def ready(self) -> Iterator[FileResult]:
        order = self.order
        while order and order[0].result is not None:
            yield order.popleft().result  # type: ignore[misc]

    def finish(self) -> Iterator[FileResult]:
        if self.pool is None:
            self.parse_here()  # too few to be worth a worker
        else:
            self.parse_there(final=True)
            while self.parsing:
                self.collect_parse()
                yield from self.ready()
        yield from self.ready()


def run(
    paths: Iterable[Path],
    settings: Settings,
    *,
    write: bool,
    jobs: int | None = None,
    project: ProjectIndex | None = None,
) -> Iterator[FileResult]:
    """``process_file`` for each path, yielded in the order of ``paths``.

    With ``jobs`` > 1 (default: the usable cores) the files that need parsing go to worker
    processes once there are enough of them to pay for the processes; the results are the
    same, in the same order, as one by one (see the module docstring).
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    paths = paths if isinstance(paths, Sequence) else list(paths)
    loop = _Loop(settings, write, jobs, project)
    children: list[_TriageChild] = []
    try:
        mine = paths
        if jobs > 1 and len(paths) >= MIN_PARALLEL_TRIAGE and _can_fork_triage():
            # Forked first, while this process has no other child and no thread.
            share = -(-len(paths) // jobs)  # equal shares: measured best within noise
            mine = paths[:share]
            for start in range(share, len(paths), share):
                children.append(_TriageChild(paths[start : start + share], project))
        for path in mine:
            loop.add(path)
            yield from loop.ready()
        for child in children:
            found = child.results()
            for index, path in enumerate(child.paths):
                loop.add(path, found[index] if found is not None else None)
                yield from loop.ready()
        yield from loop.finish()
    except BaseException:  # Ctrl-C, SIGTERM, or nobody wants the rest
        if loop.pool is not None:
            _stop_pool(loop.pool)
            loop.pool = None
        raise
    finally:
        for child in children:
            child.abandon()
        if loop.pool is not None:
            loop.pool.shutdown(wait=True, cancel_futures=True)


def run_candidates(
    candidates: Sequence[Candidate],
    settings: Settings,
    *,
    write: bool,
    jobs: int | None = None,
    project: ProjectIndex | None = None,
) -> Iterator[FileResult]:
    """``run`` over what discovery found, in its order: a path it could not use is reported
    as an error (CM902) or skipped with its note, without being opened. ``project``: the
    index of the project the files are in (migrator/project.py)."""
    usable = [c.path for c in candidates if c.usable]
    results = run(usable, settings, write=write, jobs=jobs, project=project)
    try:
        for candidate in candidates:
            if candidate.usable:
                yield next(results)
            elif candidate.problem is not None:
                diagnostic = rules.CM902.at(1, 1, reason=candidate.problem)
                yield FileResult(candidate.path, Status.ERROR, diagnostics=[diagnostic])
            else:
                yield FileResult(candidate.path, Status.SKIPPED, note=candidate.skip or "")
    finally:
        results.close()  # stopped early: the workers stop now, not when this is collected
