"""Reading and writing source files without losing a byte of them.

A file is decoded with its own encoding (PEP 263 cookie or BOM), newlines are left exactly
as they are (libcst keeps them, and adds new lines in the file's own style), and a rewrite is
written to a temporary file beside the original, flushed, given the original's permission bits
and renamed over it. A file that changed on disk since it was read is not overwritten.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

from migrator import encodings


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
    with open(path, "rb") as handle:  # Path.read_bytes, minus a few µs of pathlib per file
        return handle.read()


def describe(exc: OSError) -> str:
    """An OSError as a short sentence, without the path (the caller prints it first)."""
    reason = exc.strerror or type(exc).__name__
    return f"cannot access file: {reason}"


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


def _detect_encoding(raw: bytes) -> str:
    try:
        return tokenize.detect_encoding(io.BytesIO(raw).readline)[0]
    except SyntaxError as exc:
        if "invalid or missing encoding declaration" in str(exc.msg):
            # No cookie and the first lines are not UTF-8: the decode below names the byte.
            return "utf-8"
        # An unknown codec in the cookie, or a cookie that contradicts a BOM. The error
        # carries no line; the cookie is on line 1 or 2.
        raise SourceError(f"bad encoding declaration: {exc.msg}", _cookie_line(raw)) from exc


def _cookie_line(raw: bytes) -> int:
    """The line of the coding declaration (1 or 2), 1 when there is none."""
    head = raw.split(b"\n", 2)
    return next((i + 1 for i, text in enumerate(head[:2]) if _COOKIE.match(text)), 1)


def _decode_as(path: Path, raw: bytes, encoding: str, what: str) -> Source:
    """``raw`` decoded as ``encoding``; ``what`` names it in the error (``as utf-8``)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        # The codec counts from after a BOM it consumed; report offsets in the file's bytes.
        start = exc.start + (len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)
        line = raw.count(b"\n", 0, start) + 1
        raise SourceError(
            f"cannot decode {what} (byte {raw[start]:#04x} at offset {start})", line
        ) from exc
    except UnicodeError as exc:  # a codec that decodes nothing (``undefined``)
        raise SourceError(f"cannot decode {what}", _cookie_line(raw)) from exc
    return Source(path, raw, text, encoding)


def decode_notebook(path: Path, raw: bytes) -> Source:
    """A notebook's bytes: UTF-8 JSON, as nbformat writes it (a BOM is kept)."""
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    return _decode_as(path, raw, encoding, "the notebook as UTF-8")


def decode(path: Path, raw: bytes) -> Source:
    """Python source with its own encoding (PEP 263 cookie or BOM)."""
    nul = raw.find(b"\x00")
    if nul != -1:
        # Before decoding: a binary file would otherwise be "cannot decode" somewhere in it.
        # Git's test: a NUL in the first 8,000 bytes makes a file binary.
        if nul < 8000:
            raise SourceError("binary file (NUL bytes); not Python source")
        raise SourceError(
            "file contains NUL bytes; not Python source", raw.count(b"\n", 0, nul) + 1
        )
    encoding = _detect_encoding(raw)
    try:
        encodings.text_codec(encoding)
        source = _decode_as(path, raw, encoding, f"as {encoding}")
        encodings.check_round_trip(raw, source.text, encoding)
    except encodings.Unfaithful as exc:
        raise SourceError(str(exc), _cookie_line(raw)) from exc
    return source


def encode(source: Source, text: str) -> bytes:
    try:
        return encodings.encode_lines(text, source.encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start]
        raise SourceError(
            f"the rewrite has a character {source.encoding} cannot encode: {bad!r}"
        ) from exc


# A temporary file is ``.<name>.<random>`` + this, beside the file it replaces.
TEMP_SUFFIX = ".cerebras-migrate.tmp"


def write_atomic(source: Source, text: str) -> None:
    """Replace ``source.path`` with ``text``, or leave it exactly as it was."""
    data = encode(source, text)
    # Write through a symlink to its target, so the link stays a link (discovery follows
    # only links that stay inside their tree).
    path = Path(os.path.realpath(source.path))
    current = path.read_bytes()
    if current != source.raw:
        raise SourceError("the file changed on disk while it was being migrated; rerun")
    info = os.stat(path)
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        # os.replace would go through (as would root): whoever made the file read-only did
        # not want it rewritten.
        raise SourceError("the file is read-only")
    import tempfile  # here: a run that writes nothing never imports it

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            # Root migrating someone's tree must not take their files over.
            with contextlib.suppress(PermissionError):
                os.chown(tmp_name, info.st_uid, info.st_gid)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _remove_stale_temporaries(path)


def _remove_stale_temporaries(path: Path) -> None:
    """Remove what a run killed outright (SIGKILL, power loss) left beside ``path`` while
    writing it: such a run never got to replace the file, so this run just did."""
    import glob

    # Exactly ours for this file: mkstemp's eight random characters between the two parts
    # (``.a.py.*`` would also match the temporary file of ``a.py.pyi``, whose name is
    # longer by at least the dot).
    for stale in path.parent.glob(f".{glob.escape(path.name)}.{'?' * 8}{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
