"""The npm packages the JavaScript tests run with: ``tests/js/package-lock.json``, installed
into ``tests/js/node_modules`` with ``npm ci`` when that does not hold exactly the locked
releases (``.ci/run`` installs them first). Node and npm are required: without them the
tests that need them fail, they do not skip."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"


def _installed_as_locked() -> bool:
    lock = json.loads((JS / "package-lock.json").read_text())
    for where, package in lock["packages"].items():
        if not where:
            continue  # the project itself
        manifest = JS / where / "package.json"
        if not manifest.is_file():
            return False
        if json.loads(manifest.read_text()).get("version") != package.get("version"):
            return False
    return True


def node_modules() -> Path:
    """``tests/js/node_modules``, installed from the lock if need be."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm are needed for the JavaScript end-to-end tests")
    if not _installed_as_locked():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, capture_output=True
        )
    return JS / "node_modules"


def copy_program(source: Path, folder: Path) -> Path:
    """``source`` copied into ``folder``, beside a link to the locked packages: a program
    node can run and the tool can rewrite without touching the repository's copy."""
    program = folder / source.name
    shutil.copyfile(source, program)
    (folder / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    return program
