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

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import NamedTuple

from codemods.python.index import Summary

from . import __version__

CACHE_DIR = ".cerebras-migrate-cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# cerebras-migrate's cache\n"
_FORMAT = 1  # bumped when what an entry holds changes


class Entry(NamedTuple):
    size: int
    mtime_ns: int
    module: str
    mentions: bool  # summarized (it mentions an SDK), or known to need no summary
    summary: Summary | None


class IndexCache:
    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.folder = root / CACHE_DIR
        self.file = self.folder / f"index-{__version__}-{_FORMAT}.pickle"
        self.entries: dict[str, Entry] = self._load() if enabled else {}
        self.dirty = False

    def _load(self) -> dict[str, Entry]:
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

    def lookup(self, path: Path, module: str) -> Entry | None:
        """The entry of ``path`` when the file is as it was when it was stored."""
        entry = self.entries.get(str(path))
        if entry is None or entry.module != module:
            return None
        found = self._stat(path)
        if found is None or (found.st_size, found.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        return entry

    def store(self, path: Path, module: str, mentions: bool, summary: Summary | None) -> None:
        if not self.enabled:
            return
        found = self._stat(path)
        if found is None:
            return
        self.entries[str(path)] = Entry(found.st_size, found.st_mtime_ns, module, mentions, summary)
        self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
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
