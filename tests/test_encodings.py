"""A file is rewritten only in an encoding that gives its bytes back (migrator/encodings.py),
through the real command: a coding declaration naming a codec that is not a text encoding
(``rot13``, ``hex``) or one whose encoder does not reproduce the file (``unicode_escape``,
``utf-7`` spelling characters another way) is CM902 for that file, exit 2, the file untouched,
and never a traceback; in a parallel run the other files are written and counted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLIENT = b"import openai\nclient = openai.OpenAI()\n"

REFUSED: dict[str, tuple[bytes, str]] = {
    "rot.py": (
        b"# -*- coding: rot13 -*-\n# openai\nvzcbeg bcranv\n",
        "rot.py:1:1 CM902 the coding declaration names rot13, which is not a text encoding",
    ),
    "hex.py": (
        b"# coding: hex\n# openai\n",
        "hex.py:1:1 CM902 the coding declaration names hex, which is not a text encoding",
    ),
    "escape.py": (
        b'# coding: unicode_escape\nx = "\\u00e9"\n' + CLIENT,
        "escape.py:1:1 CM902 unicode_escape does not give this file's bytes back",
    ),
    "seven.py": (
        b'# coding: utf-7\nx = "+AOk-"\n' + CLIENT,
        "seven.py:1:1 CM902 utf-7 does not give this file's bytes back",
    ),
    "undefined.py": (b"# coding: undefined\n# openai\n", "undefined.py:1:1 CM902 cannot decode"),
}

KEPT: dict[str, bytes] = {
    # Round trips exactly: rewritten, every other byte kept.
    "seven_ascii.py": b"# coding: utf-7\n" + CLIENT,
    "cp1252.py": b"# coding: cp1252\nx = '\x80\xe9'\n" + CLIENT,
    "shift_jis.py": "# coding: shift_jis\nx = '日本'\n".encode("shift_jis") + CLIENT,
}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )


def test_encodings_that_do_not_round_trip_are_refused_and_the_rest_written(
    tmp_path: Path,
) -> None:
    for name, (raw, _) in REFUSED.items():
        (tmp_path / name).write_bytes(raw)
    for name, raw in KEPT.items():
        (tmp_path / name).write_bytes(raw)
    # Enough good files for a pool of workers, each chunk holding some refused file's peers.
    for number in range(24):
        (tmp_path / f"good{number}.py").write_bytes(CLIENT)
    done = cli("--jobs", "2", ".", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for name, (raw, message) in REFUSED.items():
        assert message in done.stderr, name
        assert (tmp_path / name).read_bytes() == raw, name
    for name, raw in KEPT.items():
        new = (tmp_path / name).read_bytes()
        assert b"CEREBRAS_API_KEY" in new, name
        head = raw[: raw.index(b"import openai")]
        assert new.startswith(head.split(b"\n", 1)[0]), name
        assert head.split(b"\n", 1)[1] in new, name  # the non-ASCII line, byte for byte
    for number in range(24):
        assert b"CEREBRAS_API_KEY" in (tmp_path / f"good{number}.py").read_bytes()
    written = 24 + len(KEPT)
    assert f"{written} rewritten" in done.stderr or f"{written} files rewritten" in done.stderr, (
        done.stderr
    )
