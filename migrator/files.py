"""Reading and writing source files without losing a byte of them.

A file is decoded with its own encoding (PEP 263 cookie or BOM), newlines are left exactly
as they are (libcst keeps them, and adds new lines in the file's own style), and a rewrite is
written to a temporary file beside the original, given the original's owner, extended
attributes and mode, flushed and renamed over it. A file that changed on disk since it was
read (checked last, right before the rename) or was deleted is not written, nor is one whose
metadata the new file cannot be given or that has other names (hard links).

What is read is what discovery vetted (``vet``): a regular file, at the real path it had then,
and no larger than ``MAX_FILE_BYTES``; anything else is refused before a byte is read. What is
written is too: the folder of that real path is opened once and every step of the write is
relative to it, following no link (``_Place``). A temporary file is locked while its run holds
it, so a run running at the same time never removes it as stale.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
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


# The largest file read, in bytes. Above it a file is refused before a byte is read: the
# largest Python modules in the wild (generated protobuf and API bindings) are a few MB, a
# 50 MB module already takes a minute to parse, and parsing costs many times the file's size
# in memory, so a bigger file is data with a .py name, not code to migrate.
MAX_FILE_BYTES = 64 * 1024 * 1024
# A file larger than this is searched for the SDK names a chunk at a time (``read_mentioning``),
# so a big file that mentions neither is never held whole; one that grew since fstat is read
# on by chunks of this size.
CHUNK_BYTES = 1024 * 1024

# path -> (the real path discovery vetted it as, whether it was a symbolic link then); filled
# by migrator.discover for every usable candidate, so that every read opens what was vetted.
_vetted: dict[str, tuple[str, bool]] = {}


def vet(path: Path | str, real: str, link: bool) -> None:
    """Record that ``path``, when found, was the file at the real path ``real``."""
    _vetted[os.fspath(path)] = (real, link)


def vetted(path: Path | str) -> tuple[str, bool] | None:
    """(real path, was a symbolic link) as discovery vetted ``path``; None if it did not."""
    return _vetted.get(os.fspath(path))


class Refused(OSError):
    """A file not read on purpose (not what discovery vetted, or too large)."""


def _refuse(reason: str) -> Refused:
    return Refused(errno.EPERM, reason)


def _real_path(fd: int) -> str | None:
    """Where the open file ``fd`` really is (None where the system cannot say)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _open(path: Path) -> tuple[int, int]:
    """A descriptor on ``path`` and its size, when it is still the regular file discovery
    vetted and within ``MAX_FILE_BYTES``; OSError otherwise.

    Non-blocking: a FIFO swapped in opens at once and is refused, instead of waiting forever
    for a writer. The real path of what was opened must be the one discovery saw: a folder
    or the file itself replaced by a symbolic link since (to outside the tree, or into an
    excluded folder) is refused, never read (and so never written)."""
    key = os.fspath(path)
    vetted = _vetted.get(key)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if vetted is not None and not vetted[1]:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # not a link when found: none is followed now
    for attempt in range(_REOPENS + 1):
        try:
            fd = os.open(key, flags)
        except OSError as exc:
            if exc.errno == errno.ELOOP and vetted is not None and not vetted[1]:
                raise _refuse(
                    "replaced by a symbolic link after it was found; not followed"
                ) from exc
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _refuse("not a regular file")
            real = _real_path(fd) if vetted is not None else None
            if vetted is not None and real is not None and real != vetted[0]:
                if real == vetted[0] + _DELETED and attempt < _REOPENS:
                    # Replaced by a rename since it was opened (another run or an editor
                    # saving it): the file there now is read instead.
                    os.close(fd)
                    continue
                if real != vetted[0] + _DELETED:
                    raise _refuse(
                        "a folder on its path was replaced by a symbolic link after it was"
                        " found; not followed"
                    )
                # Replaced again and again: these bytes are one whole version of it, and
                # the write checks the file again.
            if info.st_size > MAX_FILE_BYTES:
                raise _refuse(_too_large(info.st_size))
        except BaseException:
            os.close(fd)
            raise
        break
    return fd, info.st_size


# How /proc names an open file whose name now belongs to another (a rename replaced it).
_DELETED = " (deleted)"
_REOPENS = 3


def _too_large(size: int) -> str:
    return (
        f"file too large ({size / 1048576:.0f} MB; the limit is"
        f" {MAX_FILE_BYTES // 1048576} MB); not read"
    )


def _read_all(fd: int, size: int) -> bytes:
    """The rest of ``fd``, at most ``MAX_FILE_BYTES`` in all, however the file grows."""
    # One read of the size fstat gave allocates the bytes once. A regular file gives all
    # it has, so a short read is its end; a full one means it grew, and is read on.
    parts = [os.read(fd, size + 1)]
    total = len(parts[0])
    while total > size:
        if total > MAX_FILE_BYTES:
            raise _refuse(_too_large(total))
        more = os.read(fd, CHUNK_BYTES)
        if not more:
            break
        parts.append(more)
        total += len(more)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, a regular file as discovery vetted it (``_open``)."""
    fd, size = _open(path)
    try:
        return _read_all(fd, size)
    finally:
        os.close(fd)


def read_mentioning(path: Path, words: tuple[bytes, ...]) -> bytes | None:
    """The bytes of ``path`` (as ``read_bytes``), or None when they hold none of the
    lowercase ASCII ``words`` in any case. A file larger than ``CHUNK_BYTES`` is searched a
    chunk at a time and read whole only once a word is found: a big file that mentions
    none is never held in memory."""
    fd, size = _open(path)
    try:
        if size > CHUNK_BYTES:
            if not _mentions_in_chunks(fd, words):
                return None
            os.lseek(fd, 0, os.SEEK_SET)
        return _read_all(fd, size)
    finally:
        os.close(fd)


def _mentions_in_chunks(fd: int, words: tuple[bytes, ...]) -> bool:
    if not words:
        return False
    overlap = max(map(len, words)) - 1  # a word split across two chunks is still found
    tail = b""
    read = 0
    while True:
        chunk = os.read(fd, CHUNK_BYTES)
        if not chunk:
            return False
        read += len(chunk)
        if read > MAX_FILE_BYTES:
            raise _refuse(_too_large(read))
        window = (tail + chunk).lower()
        if any(word in window for word in words):
            return True
        tail = window[-overlap:] if overlap else b""


def describe(exc: OSError) -> str:
    """An OSError as a short sentence, without the path (the caller prints it first)."""
    if isinstance(exc, Refused):
        return str(exc.strerror)  # the reason says it all
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
_RANDOM = 8  # the characters of the random part
# A test sets this to stop the process (SIGSTOP) once the temporary file is complete: ``1``
# just before the last check and the rename, ``after-check`` between the two; and changes
# the original or its folder meanwhile.
TEST_STOP_BEFORE_REPLACE = "CEREBRAS_MIGRATE_TEST_STOP_BEFORE_REPLACE"


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf, or no answer for the folder
        return 255


def temp_prefix(name: str, name_max: int = 255) -> str:
    """What the temporary files of ``name`` start with: ``.<name>.``; or, when that leaves
    no room for the random part and the suffix within ``name_max`` bytes, as much of the
    name as fits and a digest of all of it (``.<head>~<digest>.``), so a stale temporary
    still names its file exactly."""
    raw = os.fsencode(name)
    room = name_max - _RANDOM - len(TEMP_SUFFIX)
    if len(raw) + 2 <= room:
        return f".{name}."
    import hashlib

    digest = hashlib.sha256(raw).hexdigest()[:16]
    # Bytes, not characters, are what the limit counts; a UTF-8 sequence cut in two comes
    # back from fsdecode as surrogate escapes, which encode to the same bytes.
    head = raw[: room - len(digest) - 3]
    return f".{os.fsdecode(head)}~{digest}."


def _identity(info: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is replaced, deleted and recreated, written, or has its
    mode, owner, links or extended attributes changed (the ctime). Bytes written in the same
    clock tick at the same size change none of it, hence the caller compares bytes too."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class _Place:
    """Where a file is written: its folder, held open, and its name in it.

    The folder is opened once, at the real path discovery vetted (``vet``), and must really
    be there; every later step (the checks, the temporary file, the rename, the clean-up) is
    relative to that descriptor and follows no link, so a folder on the path swapped for a
    symbolic link meanwhile cannot send the rename elsewhere: it happens in the folder that
    was vetted, whatever its path is now. Where ``dir_fd`` is not supported (Windows) the
    steps go by path."""

    def __init__(self, path: Path) -> None:
        found = _vetted.get(os.fspath(path))
        # Write through a symlink to its target, so the link stays a link (discovery follows
        # only links that stay inside their tree and records where they lead).
        real = found[0] if found is not None else os.path.realpath(path)
        self.folder, self.name = os.path.split(real)
        self.fd: int | None = None
        if os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY"):
            flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
            self.fd = os.open(self.folder, flags)
            there = _real_path(self.fd)
            if there is not None and there != self.folder:
                os.close(self.fd)
                raise SourceError(
                    "a folder on its path was replaced by a symbolic link while it was being"
                    " migrated; not followed"
                )

    def at(self, name: str) -> str:
        """``name`` (of this folder) as the calls below take it, with ``dir_fd=self.fd``."""
        return name if self.fd is not None else os.path.join(self.folder, name)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_unchanged(place: _Place, raw: bytes, since: os.stat_result | None = None) -> int:
    """A descriptor on the file, which must still hold ``raw`` (and, given ``since``, be the
    same file, unchanged since then); else a SourceError."""
    # Not blocking: what is there now may be a FIFO put in the file's place, whose opening
    # would wait for a writer forever. Not following a link: the vetted real path is no link.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NO_FOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(place.at(place.name), flags, dir_fd=place.fd)
    except FileNotFoundError as exc:
        raise SourceError("the file was deleted while it was being migrated") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(
                "the file changed on disk while it was being migrated (it is now a symbolic"
                " link, not followed); rerun"
            ) from exc
        raise
    try:
        info = os.fstat(fd)
        same = (
            stat.S_ISREG(info.st_mode)  # a device or FIFO is never read: it may not end
            and (since is None or _identity(info) == _identity(since))
            and _read_all(fd, info.st_size) == raw
        )
        if not same:
            raise SourceError("the file changed on disk while it was being migrated; rerun")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _keep_owner(fd: int, info: os.stat_result) -> None:
    """Give the new file (``fd``) the owner and group of the old one (``info``): root
    migrating someone's tree must not take their files over, and a user who cannot give the
    file back (someone else's file they may write to) does not replace it."""
    if not hasattr(os, "fchown"):  # not POSIX: no owners to keep
        return
    mine = os.fstat(fd)  # not getuid(): a setgid folder gives new files its group
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError as exc:
        raise SourceError(
            f"the file belongs to uid {info.st_uid}, gid {info.st_gid}, which this user "
            "cannot give the new file; replacing it would change its owner"
        ) from exc


def _xattrs(target: int) -> list[str]:
    try:
        return os.listxattr(target)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):  # a file system without them
            return []
        raise


def _keep_xattrs(fd: int, old: int) -> None:
    """Give the new file (``fd``) exactly the extended attributes of the old one (``old``):
    on Linux these carry ACLs (``system.posix_acl_access``), file capabilities, SELinux
    labels and what programs store (``user.*``). One that cannot be copied, or one the new
    file got from its folder (a default ACL) that cannot be removed, is refused, not
    dropped."""
    if not hasattr(os, "listxattr"):  # not Linux
        return
    wanted = _xattrs(old)
    present = set(_xattrs(fd))
    for name in wanted:
        value = os.getxattr(old, name)
        if name in present and os.getxattr(fd, name) == value:
            continue  # the label a folder gives every new file, usually
        try:
            os.setxattr(fd, name, value)
        except OSError as exc:
            raise SourceError(
                f"the file's extended attribute {name} cannot be copied ({exc.strerror}); "
                "replacing it would drop it"
            ) from exc
    for name in present.difference(wanted):
        try:
            os.removexattr(fd, name)
        except OSError as exc:
            raise SourceError(
                f"the new file gets extended attribute {name} from its folder and it cannot "
                f"be removed ({exc.strerror}); replacing the file would add it"
            ) from exc


def _keep_mode(fd: int, info: os.stat_result) -> None:
    """Give the new file the permission bits of the old one, setuid, setgid and sticky
    included, or refuse: the kernel drops setgid for a user outside the file's group."""
    mode = stat.S_IMODE(info.st_mode)
    if not hasattr(os, "fchmod"):  # Windows before 3.13, where a mode is one read-only bit
        return
    os.fchmod(fd, mode)
    got = stat.S_IMODE(os.fstat(fd).st_mode)
    if got != mode:
        raise SourceError(
            f"the file's mode {mode:04o} cannot be kept (this user gets {got:04o}); "
            "replacing it would change it"
        )


def write_atomic(source: Source, text: str) -> None:
    """Replace ``source.path`` with ``text``, or leave it exactly as it was."""
    data = encode(source, text)
    place = _Place(source.path)
    try:
        _write_in(place, source.raw, data)
    finally:
        place.close()


def _write_in(place: _Place, raw: bytes, data: bytes) -> None:
    old = _open_unchanged(place, raw)
    try:
        info = os.fstat(old)
        if not info.st_mode & 0o222 or not os.access(
            place.at(place.name), os.W_OK, dir_fd=place.fd
        ):
            # os.replace would go through (as would root): whoever made the file read-only
            # did not want it rewritten.
            raise SourceError("the file is read-only")
        if info.st_nlink > 1:
            # A rename gives one name the new file; the others would go on naming the old one.
            raise SourceError(
                f"the file has {info.st_nlink} names (hard links); replacing it would leave "
                "the others with the old code"
            )
        name_max = _name_max(Path(place.folder))
        prefix = temp_prefix(place.name, name_max)
        fd, tmp_name = _create_temporary(place, prefix)
        try:
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
                handle.flush()
                # After the bytes, which clear setuid and setgid when written, and in this
                # order: a change of owner clears them too, and file capabilities.
                _keep_owner(fd, info)
                _keep_xattrs(fd, old)
                _keep_mode(fd, info)
                os.fsync(fd)
            _test_stop("1")
            # Last, right before the rename: an edit made, or a deletion, while the temporary
            # file was written is not overwritten, nor is a deleted file brought back.
            os.close(_open_unchanged(place, raw, since=info))
            _test_stop("after-check")
            os.replace(
                place.at(tmp_name),
                place.at(place.name),
                src_dir_fd=place.fd,
                dst_dir_fd=place.fd,
            )
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(place.at(tmp_name), dir_fd=place.fd)
            raise
        finally:
            os.close(fd)  # and with it the lock that tells other runs it is not stale
    finally:
        os.close(old)
    _remove_stale_temporaries(place, prefix)


def _test_stop(when: str) -> None:
    """For tests: stop this process (SIGSTOP) at ``when``, as ``TEST_STOP_BEFORE_REPLACE``
    asks: ``1`` before the last check, ``after-check`` between it and the rename."""
    if os.environ.get(TEST_STOP_BEFORE_REPLACE) == when:
        import signal

        os.kill(os.getpid(), signal.SIGSTOP)


def _lock(fd: int, wait: bool) -> bool:
    """Take the advisory lock that marks a temporary file as in use (False: someone holds
    it). Without ``fcntl`` (Windows) there is none, and every lock is had."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: nothing to go by
        return True
    return True


def _create_temporary(place: _Place, prefix: str) -> tuple[int, str]:
    """A new temporary file ``<prefix><random><TEMP_SUFFIX>`` in the file's folder, open for
    writing and locked for as long as it is open: another run's clean-up
    (``_remove_stale_temporaries``) removes only a temporary file nobody holds."""
    import base64

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        random = base64.b32encode(os.urandom(5)).decode().lower()  # 8 characters
        name = f"{prefix}{random}{TEMP_SUFFIX}"
        try:
            fd = os.open(place.at(name), flags, 0o600, dir_fd=place.fd)
        except FileExistsError:
            continue
        _lock(fd, wait=True)
        if os.fstat(fd).st_nlink:
            return fd, name
        # Removed as stale by another run between its creation and the lock: another one.
        os.close(fd)
    raise FileExistsError(errno.EEXIST, "no unused temporary file name")


def _remove_stale_temporaries(place: _Place, prefix: str) -> None:
    """Remove what a run killed outright (SIGKILL, power loss) left beside the file while
    writing it: such a run never got to replace the file, so this run just did. A temporary
    file another run still holds (it is writing the file at the same time) is left alone:
    removing it would make that run's rename fail with "No such file or directory".
    ``prefix``: what the temporary files of the file start with (``temp_prefix``)."""
    # Exactly ours for this file: the random part between the two parts (``.a.py.*`` would
    # also match the temporary file of ``a.py.pyi``, whose name is longer by the dot).
    size = len(prefix) + _RANDOM + len(TEMP_SUFFIX)
    try:
        names = os.listdir(place.fd if place.fd is not None else place.folder)
    except OSError:
        return
    flags = os.O_RDONLY | os.O_NONBLOCK | _NO_FOLLOW | getattr(os, "O_CLOEXEC", 0)
    for name in names:
        if len(name) != size or not name.startswith(prefix) or not name.endswith(TEMP_SUFFIX):
            continue
        try:
            fd = os.open(place.at(name), flags, dir_fd=place.fd)
        except OSError:
            continue
        try:
            here = os.stat(place.at(name), dir_fd=place.fd, follow_symlinks=False)
            ours = os.fstat(fd)
            if (here.st_dev, here.st_ino) == (ours.st_dev, ours.st_ino) and _lock(fd, False):
                os.unlink(place.at(name), dir_fd=place.fd)
        except OSError:
            pass
        finally:
            os.close(fd)
