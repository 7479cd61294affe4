"""Reading and writing source files without losing a byte of them.

A file is decoded with its own encoding (PEP 263 cookie or BOM), newlines are left exactly
as they are (libcst keeps them, and adds new lines in the file's own style), and a rewrite is
written to a temporary file beside the original, flushed, given the original's permission bits
and renamed over it. A file that changed on disk since it was read is not overwritten.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be decoded or safely written; ``line`` is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Source:
    path: Path
    raw: bytes
    text: str
    encoding: str  # a codec name; "utf-8-sig" keeps a BOM


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def describe(exc: OSError) -> str:
    """An OSError as a short sentence, without the path (the caller prints it first)."""
    reason = exc.strerror or type(exc).__name__
    return f"cannot access file: {reason}"


def decode(path: Path, raw: bytes) -> Source:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:  # unknown codec in the cookie, or BOM/cookie conflict
        raise SourceError(f"bad encoding declaration: {exc.msg}", exc.lineno or 1) from exc
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"cannot decode as {encoding} (byte {raw[exc.start]:#04x} at offset {exc.start})",
            line,
        ) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SourceError("file contains NUL bytes; not Python source", line)
    return Source(path, raw, text, encoding)


def encode(source: Source, text: str) -> bytes:
    try:
        return text.encode(source.encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        raise SourceError(
            f"the rewrite has a character {source.encoding} cannot encode: {bad!r}"
        ) from exc


def write_atomic(source: Source, text: str) -> None:
    """Replace ``source.path`` with ``text``, or leave it exactly as it was."""
    data = encode(source, text)
    path = source.path
    current = path.read_bytes()
    if current != source.raw:
        raise SourceError("the file changed on disk while it was being migrated; rerun")
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
