"""JavaScript and TypeScript files through the real command line: discovery, dispatch by
suffix, bytes kept, syntax errors, masking."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from codemods.facts import js

CLI = [sys.executable, "-m", "migrator"]
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"
CLIENT = 'import OpenAI from "openai";\nconst client = new OpenAI();\n'


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_suffix_is_found_and_build_output_is_not(tmp_path: Path) -> None:
    for suffix in js.SUFFIXES:
        (tmp_path / f"app{suffix}").write_text(CLIENT)
    for folder in ("node_modules/pkg", "dist", ".next/server", "out"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.js").write_text(CLIENT)
    (tmp_path / "bundle.min.js").write_text(CLIENT)
    done = _run("--check", "-v", "--output-format", "json", ".", cwd=tmp_path)
    report = json.loads(done.stdout)
    changed = sorted(f["path"] for f in report["files"] if f["status"] == "changed")
    assert changed == sorted(f"app{suffix}" for suffix in js.SUFFIXES)
    assert done.returncode == 1


def test_bytes_not_rewritten_stay_as_they_were(tmp_path: Path) -> None:
    original = (
        b"\xef\xbb\xbf// caf\xc3\xa9\r\nimport OpenAI from 'openai';\r\n\r\n"
        b"const client = new OpenAI({\r\n    timeout: 5,   // keep\r\n});\r\n"
    )
    path = tmp_path / "app.ts"
    path.write_bytes(original)
    done = _run("app.ts", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf// caf\xc3\xa9\r\nimport OpenAI from 'openai';\r\n")
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert b"    baseURL: 'https://api.cerebras.ai/v1',\r\n" in new
    assert new.endswith(b"    timeout: 5,   // keep\r\n});\r\n")
    assert _run("app.ts", cwd=tmp_path).returncode == 0  # idempotent
    assert path.read_bytes() == new


def test_a_file_that_does_not_parse_is_cm901_and_the_others_are_migrated(tmp_path: Path) -> None:
    (tmp_path / "bad.tsx").write_text('import OpenAI from "openai";\nconst x = (\n')
    (tmp_path / "good.js").write_text(CLIENT)
    done = _run(".", cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.tsx:2:1 CM901 syntax error" in done.stderr
    assert "baseURL" in (tmp_path / "good.js").read_text()


def test_a_hard_coded_key_is_replaced_and_never_printed(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(
        f'const {{ OpenAI }} = require("openai");\nconst c = new OpenAI({{ apiKey: "{KEY}" }});\n'
    )
    for fmt in ("text", "json", "github", "sarif"):
        done = _run("--diff", "--output-format", fmt, ".", cwd=tmp_path)
        assert done.returncode == 1
        assert KEY not in done.stdout + done.stderr
        assert KEY[:12] not in done.stdout + done.stderr
    _run(".", cwd=tmp_path)
    new = (tmp_path / "app.js").read_text()
    assert KEY not in new and "process.env.CEREBRAS_API_KEY ??" in new


def test_cerebras_target_switches_to_the_cerebras_sdk(tmp_path: Path) -> None:
    (tmp_path / "app.ts").write_text(CLIENT)
    done = _run("--target", "cerebras", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "app.ts").read_text() == (
        'import Cerebras from "@cerebras/cerebras_cloud_sdk";\n'
        "const client = new Cerebras({\n  warmTCPConnection: false,\n});\n"
    )


def test_a_file_without_an_sdk_import_never_fails_on_a_grammar_gap(tmp_path: Path) -> None:
    # Valid TypeScript that tree-sitter-typescript does not parse, mentioning openai.
    text = "// types for openai\ndeclare module 'x' {\n  global {\n    var a: number;\n  }\n}\n"
    (tmp_path / "types.d.ts").write_text(text)
    done = _run("--check", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "CM901" not in done.stderr
