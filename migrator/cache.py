"""The project index's cache: a folder in the project root, as ruff keeps its own.

``.cerebras-migrate-cache/`` holds one file per tool version: for each Python file of the
project, its size and modification time, its module name, and its summary (or that it
mentions no SDK). A file whose size and time are unchanged is not read again, so a warm
pre-commit run reads only the files that changed. The summary does not depend on any
setting (the project plan applies them), so one cache serves every target and option.
The folder holds a ``.gitignore`` of ``*`` and a ``CACHEDIR.TAG``, and is written with a
temporary file and a rename: a run that stops mid-way leaves the previous cache, and two
runs at once leave one of theirs. ``--no-cache`` neither reads nor writes it; a cache that
cannot be read or written is ignored.
"""

from __future__ import annotations

import collections
import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemods.python.summary import Summary

from . import __version__

CACHE_DIR = ".cerebras-migrate-cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# cerebras-migrate's cache\n"
_FORMAT = 7  # bumped when what an entry holds changes (7: each function's locals its own)


# One file's entry: its size, its modification time, its module name, whether it was
# summarized (it mentions an SDK) or is known to need no summary, its summary, whether it
# mentions no SDK at all (``clean``: a run need not read it), and the word
# words of the later rounds' searches (migrator/project.py) it is known not to hold, so that
# a warm run does not read it again for them. A plain namedtuple: ``typing.NamedTuple`` compiles its
# annotations, which a one-file hook run would pay for on every commit.
Entry = collections.namedtuple(
    "Entry", "size mtime_ns module mentions summary misses clean", defaults=(frozenset(), False)
)


class IndexCache:
    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.folder = root / CACHE_DIR
        self.file = self.folder / f"index-{__version__}-{_FORMAT}.pickle"
        self.entries: dict[str, Entry] = self._load() if enabled else {}
        self.dirty = False

    def _load(self) -> dict[str, Entry]:
        import pickle  # here: a run with --no-cache never needs it

        try:
            with open(self.file, "rb") as handle:
                loaded = pickle.load(handle)
        except Exception:  # missing, truncated, from another version: start afresh
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _stat(self, path: Path) -> os.stat_result | None:
        try:
            return os.stat(path)
        except OSError:
            return None

    def lookup(self, path: Path) -> Entry | None:
        """The entry of ``path`` when the file is as it was when it was stored (the caller
        checks the module name of a summary: the packages around it may have changed)."""
        entry = self.entries.get(str(path))
        if entry is None:
            return None
        found = self._stat(path)
        if found is None or (found.st_size, found.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        return entry

    def store(
        self,
        path: Path,
        module: str,
        mentions: bool,
        summary: Summary | None,
        *,
        clean: bool = False,
    ) -> None:
        if not self.enabled:
            return
        found = self._stat(path)
        if found is None:
            return
        self.entries[str(path)] = Entry(
            found.st_size, found.st_mtime_ns, module, mentions, summary, frozenset(), clean
        )
        self.dirty = True

    def miss(self, path: Path, module: str, words: frozenset[str]) -> None:
        """Record that ``path``, as stored, holds none of ``words``."""
        entry = self.entries.get(str(path))
        if self.enabled and entry is not None and entry.module == module:
            self.entries[str(path)] = entry._replace(misses=entry.misses | words)
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        import pickle
        import tempfile  # here: a warm run with nothing new never writes

        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _TAG)):
                marker = self.folder / name
                if not marker.exists():
                    marker.write_text(text, encoding="utf-8")
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".index-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(self.entries, handle, pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
