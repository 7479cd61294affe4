"""A module that imports the SDK lazily still imports where the target SDK is not installed.

``fixtures/lazy_imports_stay_lazy`` imports the SDK inside a function and inside
``try: ... except ImportError``. Each expected output is imported in a fresh interpreter in
which the target SDK's package cannot be imported (``sys.modules[name] = None`` makes
``import`` raise ImportError, as a missing package does): the module must load, and the
function that needs the SDK must fail only when called.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "lazy_imports_stay_lazy"
PACKAGE = {"openai": "openai", "cerebras": "cerebras"}

PROBE = """
import importlib.util, sys
sys.modules[{package!r}] = None  # the package is not installed
spec = importlib.util.spec_from_file_location("migrated", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)  # must not need the SDK
try:
    module.ask("hi")
except ImportError:
    print("ask needs the SDK")
"""


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_the_migrated_module_imports_without_the_target_sdk(target: str) -> None:
    path = CASE / f"expected.{target}.py"
    probe = PROBE.format(package=PACKAGE[target], path=str(path))
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ask needs the SDK\n"


def test_the_input_itself_behaves_so() -> None:
    probe = PROBE.format(package="openai", path=str(CASE / "input.py"))
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ask needs the SDK\n"
