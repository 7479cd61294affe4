"""File names that could attack a terminal or are not UTF-8, through the real command.

A name with an escape sequence, a carriage return, a bell or a bidi override is shown quoted
and escaped as git does in every human-facing line; a name whose bytes are not UTF-8 breaks
no format; the machine formats give the exact name back in their own escaping.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from helpers import OPENAI_APP

from migrator.report.names import printable, quote_name

# name bytes -> how text output shows it
HOSTILE = {
    b"a\x1b[31mred.py": '"a\\033[31mred.py"',
    b"b\rcr.py": '"b\\rcr.py"',
    b"c\x07bell.py": '"c\\abell.py"',
    "d\u202eyp.py".encode(): '"d\\342\\200\\256yp.py"',
    b"e\xff\xfe.py": '"e\\377\\376.py"',
}
# What must never reach a terminal raw (the bytes of U+202E among them).
RAW = (b"\x1b", b"\r", b"\x07", "\u202e".encode(), b"\xff")


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree"
    folder.mkdir()
    for name in HOSTILE:
        (folder / os.fsdecode(name)).write_text(OPENAI_APP)
    # No SDK in it: shown only with -v, as a skipped file.
    (folder / "f\x1b]0;title\x07.py").write_text("x = 1\n")
    return folder


def _no_raw(data: bytes) -> None:
    for raw in RAW:
        assert raw not in data, (raw, data)


def test_quote_name() -> None:
    assert quote_name("plain/é.py") == "plain/é.py"
    assert quote_name('say "hi".py') == '"say \\"hi\\".py"'
    assert quote_name("a\\b.py") == '"a\\\\b.py"'
    assert quote_name(os.fsdecode(b"\xff.py")) == '"\\377.py"'
    assert quote_name("tab\there.py") == '"tab\\there.py"'
    assert printable("x\x1by\nz") == "x\\033y\nz"


@pytest.mark.parametrize("mode", ["--check", "--diff", ""])
def test_text_output_escapes_names(tree: Path, mode: str) -> None:
    args = [mode] if mode else []
    proc = cli(*args, "-v", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    _no_raw(proc.stdout)
    _no_raw(proc.stderr)
    shown = (proc.stdout + proc.stderr).decode()
    for name in HOSTILE.values():
        assert name in shown
    assert '"f\\033]0;title\\a.py": skipped' in shown


def test_strict_utf8_streams_take_any_name(tree: Path) -> None:
    # A UTF-8 locale whose streams reject surrogate escapes: nothing there to reject.
    for fmt in ("text", "github", "json", "sarif"):
        strict = {"PYTHONIOENCODING": "utf-8"}
        proc = cli("--diff", "--output-format", fmt, ".", cwd=tree, env=strict)
        assert proc.returncode == 1, (fmt, proc.stderr)
        assert b"Traceback" not in proc.stderr
        proc.stdout.decode("utf-8")  # valid UTF-8: no raw byte of a name
        _no_raw(proc.stderr)


def test_diff_applies_with_git(tree: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("no git")
    proc = cli("--diff", ".", cwd=tree)
    assert b"--- " + b'"a/a\\033[31mred.py"' in proc.stdout
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    subprocess.run(["git", "apply"], cwd=tree, input=proc.stdout, check=True)
    assert cli("--check", ".", cwd=tree).returncode == 0


def test_json_gives_the_names_back(tree: Path) -> None:
    proc = cli("--check", "--output-format", "json", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    names = {os.fsencode(entry["path"]) for entry in document["files"]}
    assert names == set(HOSTILE)
    proc.stdout.decode("ascii")  # every unprintable character as a \u escape


def test_sarif_uris_are_percent_encoded_bytes(tree: Path) -> None:
    proc = cli("--check", "--output-format", "sarif", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
        for loc in result["locations"]
    }
    assert {unquote_to_bytes(uri) for uri in uris} == set(HOSTILE)
    assert "e%FF%FE.py" in uris


def test_github_annotations_percent_encode_controls(tree: Path) -> None:
    proc = cli("--check", "--output-format", "github", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode("utf-8")
    for control in ("\x1b", "\r", "\x07", "\udcff"):
        assert control not in out
    assert "file=a%1B[31mred.py," in out
    assert "file=e%FF%FE.py," in out


@pytest.mark.parametrize("named", [False, True])
def test_an_in_tree_symlink_pair_is_migrated_once(tmp_path: Path, named: bool) -> None:
    # Two names for one file: migrated under both, the second write found the file
    # rewritten by the first and refused it (CM904 "changed on disk").
    (tmp_path / "a.py").write_text(OPENAI_APP)
    (tmp_path / "b.py").symlink_to("a.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.py").symlink_to("../b.py")
    # A named link's tree is its own folder: sub/c.py named would be a link leaving it.
    args = ["b.py", "a.py"] if named else ["."]
    proc = cli("-v", *args, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err  # files changed, no error
    assert "CM904" not in err
    assert "b.py: skipped, a symbolic link to a.py, which is migrated under that name" in err
    assert named or "sub/c.py: skipped, a symbolic link to a.py" in err
    assert "1 rewritten" in err
    assert (tmp_path / "b.py").is_symlink() and (tmp_path / "sub" / "c.py").is_symlink()
    assert "api.cerebras.ai" in (tmp_path / "a.py").read_text()


def test_two_links_to_a_file_outside_the_candidates(tmp_path: Path) -> None:
    # The file itself is no candidate (not a .py name): the first link is migrated.
    (tmp_path / "app.txt").write_text(OPENAI_APP)
    (tmp_path / "a.py").symlink_to("app.txt")
    (tmp_path / "b.py").symlink_to("app.txt")
    proc = cli("--diff", "-v", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count(b"+++ ") == 1
    assert b"b.py: skipped, a symbolic link to a.py" in proc.stderr
