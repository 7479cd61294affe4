"""Regenerate ``codemods/facts/data/openai_params.json`` from a per-release signature dump.

Usage: ``python tools/update_openai_params.py SIGNATURES.json``

The dump maps an openai release to ``{"<file>::<method>": [keyword, ...], ...}``; we keep
only what the codemods read, under stable names, so the package does not depend on the
layout of the openai source tree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from codemods.facts.openai_params import TABLE

KEYS = {
    "openai/resources/completions.py::create": "completions.create",
    "openai/resources/chat/completions.py::create": "chat.completions.create",
    "openai/resources/chat/completions/completions.py::create": "chat.completions.create",
    "openai/resources/chat/completions/completions.py::parse": "chat.completions.parse",
    "openai/resources/chat/completions/completions.py::stream": "chat.completions.stream",
    "openai/resources/beta/chat/completions.py::parse": "beta.chat.completions.parse",
    "openai/resources/beta/chat/completions.py::stream": "beta.chat.completions.stream",
    "client::OpenAI.__init__": "client",
    "client::OpenAI.copy": "client.copy",
    "client::env_vars": "env_vars",
    "module::attrs": "module_attrs",
}


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def main(src: str) -> None:
    raw = json.loads(Path(src).read_text())
    out: dict[str, dict[str, list[str]]] = {}
    for version in sorted(raw, key=version_key):
        out[version] = {KEYS[k]: v for k, v in sorted(raw[version].items()) if k in KEYS}
    dest = TABLE
    dest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} releases to {dest.name}")


if __name__ == "__main__":
    main(sys.argv[1])
