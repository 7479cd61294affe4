"""One line model: only LF, CRLF and CR end a line, as Python counts them. Through the real
command: ``# cerebras-migrate: ignore`` marks the statement on its own line after a form feed,
``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85`` or U+2028/U+2029 earlier in the file (which
``str.splitlines`` ends lines at), and ``--diff`` is a patch ``git apply`` takes for such
files, CRLF and CR-only ones too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.python.lines import physical_lines

# Characters str.splitlines ends a line at and Python does not.
NOT_LINE_ENDS = ["\f", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command; its output as bytes, as a pipe into ``git apply`` carries it."""
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )


def _marked(char: str) -> str:
    return (
        "import openai\n"
        f"note = 1  # a{char}b\n"
        "kept = openai.OpenAI()  # cerebras-migrate: ignore\n"
        "moved = openai.OpenAI()\n"
    )


def test_ignore_marks_its_own_line_after_characters_splitlines_breaks_at(
    tmp_path: Path,
) -> None:
    for number, char in enumerate(NOT_LINE_ENDS):
        (tmp_path / f"m{number}.py").write_text(_marked(char), encoding="utf-8", newline="")
    done = cli(".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    for number, char in enumerate(NOT_LINE_ENDS):
        text = (tmp_path / f"m{number}.py").read_bytes().decode()
        where = f"after {char!r}"
        assert "kept = openai.OpenAI()  # cerebras-migrate: ignore\n" in text, where
        assert "moved = openai.OpenAI()\n" not in text, where
        assert "CEREBRAS_API_KEY" in text.split("moved =")[1], where


DIFF_FILES: dict[str, bytes] = {
    **{
        f"chars{number}.py": (
            f"import openai\nx = 1  # a{char}b\n\fy = 2\nclient = openai.OpenAI()\n"
        ).encode()
        for number, char in enumerate(NOT_LINE_ENDS)
    },
    "crlf.py": b"import openai\r\nx = 1\x0c\r\nclient = openai.OpenAI()\r\n",
    "cr_only.py": b"import openai\rx = '\xe2\x80\xa8'\rclient = openai.OpenAI()\r",
    "no_final_newline.py": b"import openai\nx = 1\f\nclient = openai.OpenAI()",
}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_applies_with_git_apply(tmp_path: Path) -> None:
    """``--diff | git apply`` leaves exactly what a writing run writes."""
    written, applied = tmp_path / "written", tmp_path / "applied"
    for root in (written, applied):
        root.mkdir()
        for name, raw in DIFF_FILES.items():
            (root / name).write_bytes(raw)
    assert cli(".", cwd=written).returncode == 1
    diff = cli("--diff", ".", cwd=applied)
    assert diff.returncode == 1, diff.stderr
    patch = tmp_path / "changes.patch"
    patch.write_bytes(diff.stdout)
    subprocess.run(["git", "init", "-q", "."], cwd=applied, check=True)
    done = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(patch)],
        cwd=applied,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for name in DIFF_FILES:
        assert (applied / name).read_bytes() == (written / name).read_bytes(), name


# What libcst's parser drops or refuses (codemods/python/roundtrip.py): a lone backslash
# line at the start of a statement (and its line in libcst's count), a block whose
# indentation does not begin with its parent's, a CR-only file's final CR.
LIBCST_GAPS: dict[str, bytes] = {
    "backslash_before_mark.py": (
        b"import openai\n\\\nkept = openai.OpenAI()  # cerebras-migrate: ignore\n"
        b"moved = openai.OpenAI()\n"
    ),
    "backslash_in_def.py": (
        b"import openai\ndef make():\n    \\\n"
        b"    kept = openai.OpenAI()  # cerebras-migrate: ignore\n"
        b"    moved = openai.OpenAI()\n    return kept, moved\n"
    ),
    "backslash_opens_block.py": (
        b"import openai\nif True:\n    \\\n    moved = openai.OpenAI()\n    \\\n    x = 1\n"
    ),
    "comment_then_backslash.py": b"import openai\n# see \\\n\\\nmoved = openai.OpenAI()\n",
    "cr_only.py": b"import openai\rx = 1\rmoved = openai.OpenAI()\r",
    "cr_only_backslash_opens_block.py": (
        b"import openai\rdef make():\r    \\\r    moved = openai.OpenAI()\r    return moved\r"
    ),
    # Valid (Python compares columns with tabs of 8 and of 1); libcst wants each block's
    # indentation to begin with its parent's.
    "space_block_holding_tab_block.py": (
        b"import openai\nif True:\n if True:\n\t moved = openai.OpenAI()\n\t x = 1\n y = 2\n"
    ),
}


def test_bytes_libcst_would_drop_are_kept(tmp_path: Path) -> None:
    for name, raw in LIBCST_GAPS.items():
        (tmp_path / name).write_bytes(raw)
    done = cli(".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert b"CM901" not in done.stderr
    for name, raw in LIBCST_GAPS.items():
        new = (tmp_path / name).read_bytes()
        kept = [line for line in physical_lines(raw.decode()) if "moved =" not in line]
        assert set(kept) <= set(physical_lines(new.decode())), name  # byte for byte
        assert b"moved = openai.OpenAI()" not in new, name
        if b"kept" in raw:
            assert b"kept = openai.OpenAI()  # cerebras-migrate: ignore\n" in new, name
    assert (tmp_path / "cr_only.py").read_bytes().endswith(b"\r)\r")
