"""Reading and writing source files on disk: encodings, newlines, modes, atomicity, errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from migrator import files
from migrator.files import Source, SourceError, decode, write_atomic


def load(path: Path) -> Source:
    return decode(path, files.read_bytes(path))


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def needs_permissions() -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("needs a non-root POSIX user for permissions to bite")


def test_latin1_with_cookie_round_trips_byte_for_byte(tmp_path: Path) -> None:
    raw = b'# -*- coding: latin-1 -*-\nGREETING = "caf\xe9"  # \xa9 2024\nmodel = "gpt-4o"\n'
    path = tmp_path / "legacy.py"
    path.write_bytes(raw)
    source = load(path)
    assert source.encoding == "iso-8859-1"
    assert 'GREETING = "café"' in source.text
    write_atomic(source, source.text.replace("gpt-4o", "llama3.1-8b"))
    assert path.read_bytes() == raw.replace(b"gpt-4o", b"llama3.1-8b")
    # And written back unchanged, not a byte moves.
    source = load(path)
    write_atomic(source, source.text)
    assert path.read_bytes() == raw.replace(b"gpt-4o", b"llama3.1-8b")


def test_utf8_bom_is_kept(tmp_path: Path) -> None:
    raw = b'\xef\xbb\xbfname = "\xc3\xa9t\xc3\xa9"\nmodel = "gpt-4o"\n'
    path = tmp_path / "bom.py"
    path.write_bytes(raw)
    source = load(path)
    assert source.encoding == "utf-8-sig"
    assert not source.text.startswith("\ufeff")  # the BOM is not part of the text
    write_atomic(source, source.text.replace("gpt-4o", "llama3.1-8b"))
    assert path.read_bytes() == b'\xef\xbb\xbfname = "\xc3\xa9t\xc3\xa9"\nmodel = "llama3.1-8b"\n'


def test_crlf_newlines_are_kept_when_the_text_changes(tmp_path: Path) -> None:
    raw = b"import openai\r\nclient = openai.OpenAI()\r\n"
    path = tmp_path / "crlf.py"
    path.write_bytes(raw)
    source = load(path)
    assert source.text == "import openai\r\nclient = openai.OpenAI()\r\n"  # no translation
    new = "import os\r\nimport openai\r\nclient = openai.OpenAI(base_url=os.environ['X'])\r\n"
    write_atomic(source, new)
    assert path.read_bytes() == new.encode("ascii")
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_permission_bits_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_bytes(b"#!/usr/bin/env python\nx = 1\n")
    path.chmod(0o755)
    write_atomic(load(path), "#!/usr/bin/env python\nx = 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert path.read_bytes() == b"#!/usr/bin/env python\nx = 2\n"


def test_unusual_permission_bits_are_kept(tmp_path: Path) -> None:
    # Narrower than the umask would give, so a plain rewrite would visibly widen them.
    path = tmp_path / "private.py"
    path.write_bytes(b"x = 1\n")
    path.chmod(0o640)
    write_atomic(load(path), "x = 2\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_bytes(b"x = 1\n")
    (tmp_path / "other.txt").write_bytes(b"")
    write_atomic(load(path), "x = 2\n")
    assert listing(tmp_path) == ["mod.py", "other.txt"]


def test_write_refuses_a_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_bytes(b"x = 1\n")
    source = load(path)
    path.write_bytes(b"x = 1  # edited meanwhile\n")
    with pytest.raises(SourceError, match="changed on disk"):
        write_atomic(source, "x = 2\n")
    assert path.read_bytes() == b"x = 1  # edited meanwhile\n"
    assert listing(tmp_path) == ["mod.py"]


def test_write_refuses_a_file_deleted_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_bytes(b"x = 1\n")
    source = load(path)
    path.unlink()
    with pytest.raises(SourceError, match="deleted while it was being migrated"):
        write_atomic(source, "x = 2\n")
    assert listing(tmp_path) == []  # not recreated


def test_failed_write_in_a_read_only_folder_leaves_the_original(tmp_path: Path) -> None:
    needs_permissions()
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "mod.py"
    path.write_bytes(b"x = 1\n")
    source = load(path)
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            write_atomic(source, "x = 2\n")
        assert path.read_bytes() == b"x = 1\n"
        assert listing(folder) == ["mod.py"]
    finally:
        folder.chmod(0o755)


def test_failed_rename_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same failure without needing a non-root user: the last step breaks.
    path = tmp_path / "mod.py"
    path.write_bytes(b"x = 1\n")
    source = load(path)

    def broken_replace(src: str, dst: object, **dir_fds: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(source, "x = 2\n")
    assert path.read_bytes() == b"x = 1\n"
    assert listing(tmp_path) == ["mod.py"]


def test_failed_flush_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mod.py"
    path.write_bytes(b"x = 1\n")
    source = load(path)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        write_atomic(source, "x = 2\n")
    assert path.read_bytes() == b"x = 1\n"
    assert listing(tmp_path) == ["mod.py"]


def test_text_the_encoding_cannot_hold_is_refused_before_writing(tmp_path: Path) -> None:
    raw = b"# coding: latin-1\nx = 1\n"
    path = tmp_path / "mod.py"
    path.write_bytes(raw)
    with pytest.raises(SourceError, match="cannot encode: '→'"):
        write_atomic(load(path), "# coding: latin-1\nx = '→'\n")
    assert path.read_bytes() == raw
    assert listing(tmp_path) == ["mod.py"]


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    raw = b'x = 1\ny = 2\nz = "caf\xe9"\nw = 3\n'
    with pytest.raises(SourceError) as info:
        decode(tmp_path / "bad.py", raw)
    assert info.value.line == 3
    assert str(info.value) == "cannot decode as utf-8 (byte 0xe9 at offset 20)"


def test_undecodable_byte_on_the_second_line_after_code(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        decode(tmp_path / "bad.py", b'x = 1\ny = "\xff"\n')
    assert info.value.line == 2
    assert "cannot decode as utf-8" in str(info.value)


def test_undecodable_byte_after_a_comment_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        decode(tmp_path / "bad.py", b'#!/usr/bin/env python\ny = "\xff"\n')
    assert info.value.line == 2
    assert "cannot decode as utf-8" in str(info.value)


def test_undecodable_byte_after_a_bom(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfx = 1\n\xff = 2\n"
    with pytest.raises(SourceError) as info:
        decode(tmp_path / "bad.py", raw)
    assert info.value.line == 2
    assert str(info.value) == "cannot decode as utf-8-sig (byte 0xff at offset 9)"


def test_bad_coding_cookie(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="bad encoding declaration: unknown encoding: klingon"):
        decode(tmp_path / "bad.py", b"# -*- coding: klingon -*-\nx = 1\n")


def test_cookie_conflicting_with_a_bom(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="bad encoding declaration"):
        decode(tmp_path / "bad.py", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")


def test_bad_coding_cookie_on_the_second_line_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        decode(tmp_path / "bad.py", b"#!/usr/bin/env python\n# coding: klingon\n")
    assert info.value.line == 2


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"^binary file \(NUL bytes\)") as info:
        decode(tmp_path / "blob.py", b"x = 1\ny = 2\x00\x00\n")
    assert info.value.line == 1
    late = b"x = 1\n" * 2000 + b"y = 2\x00\n"
    with pytest.raises(SourceError, match=r"^file contains NUL bytes") as info:
        decode(tmp_path / "blob.py", late)
    assert info.value.line == 2001


def test_write_through_a_symlink_updates_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(b"x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_atomic(load(link), "x = 2\n")
    assert link.is_symlink()
    assert real.read_bytes() == b"x = 2\n"
