"""Cases of issue #15 that had no test of their own, through the real command line: each
test migrates a tree with ``cerebras-migrate`` in a process of its own and checks what the
user gets (the migrated program still imports and runs, no key in any output)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TARGETS = ("openai", "cerebras")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command in a process of its own, as a user or a hook runs it."""
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "CEREBRAS_API_KEY": "csk-test", "OPENAI_API_KEY": "sk-test"},
        timeout=600,
    )


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "CEREBRAS_API_KEY": "csk-test", "OPENAI_API_KEY": "sk-test"},
        timeout=120,
    )


# ``__all__`` keeps listing a renamed name -------------------------------------------------
# A name ``__all__`` lists must still be bound after the migration, however ``__all__`` is
# built (a tuple, ``+=``, ``.append``, ``.extend``), and so must a package's re-exported
# name other modules read as an attribute (``shop.OpenAI``) or take with ``from shop
# import *``: ``from module import *`` raises AttributeError for a listed name that is gone.


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", ["exported_names_added", "exported_names_added_cerebras_sdk"])
def test_every_name_all_lists_is_still_bound(tmp_path: Path, case: str, target: str) -> None:
    shutil.copy(FIXTURES / case / "input.py", tmp_path / "helpers_mod.py")
    result = cli("--target", target, "helpers_mod.py", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    # Each listed name is bound, and the star import (which reads __all__) works.
    check = run_python(
        "import helpers_mod\n"
        "missing = [n for n in helpers_mod.__all__ if not hasattr(helpers_mod, n)]\n"
        "assert not missing, missing\n"
        "from helpers_mod import *\n",
        tmp_path,
    )
    assert check.returncode == 0, (tmp_path / "helpers_mod.py").read_text() + check.stderr


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", ["package_reexport_read", "package_all_steps"])
def test_a_package_reexport_read_by_other_modules_keeps_working(
    tmp_path: Path, case: str, target: str
) -> None:
    tree = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / case / "input", tree)
    result = cli("--target", target, "--no-cache", ".", cwd=tree)
    assert result.returncode in (0, 1), result.stderr
    scripts = sorted(p.stem for p in (tree / "scripts").glob("*.py"))
    check = run_python(
        "import sys; sys.path.insert(0, 'scripts')\n" + "".join(f"import {s}\n" for s in scripts),
        tree,
    )
    assert check.returncode == 0, (tree / "shop" / "__init__.py").read_text() + check.stderr


# ``api_key="sk-proj-" + rest`` ------------------------------------------------------------
# The start of a key written in the code, its rest taken from elsewhere, is a hard-coded key
# all the same: its prefix says whose (an OpenAI key must never reach Cerebras). It is
# replaced by the Cerebras lookup and reported as CM101 (key-part), and its text is never
# printed, in any format.

KEY_HEAD = "sk-proj-" + "Hq7Wz3Xv"  # built here: this file holds no key-shaped text
PART_FORMS = {
    "plus.py": f'client = OpenAI(api_key="{KEY_HEAD}" + key_rest)\n',
    "fstring.py": f'client = OpenAI(api_key=f"{KEY_HEAD}{{key_rest}}")\n',
    "percent.py": f'client = OpenAI(api_key="{KEY_HEAD}%s" % key_rest)\n',
    "format.py": f'client = OpenAI(api_key="{KEY_HEAD}{{}}".format(key_rest))\n',
    "implicit.py": f'client = OpenAI(api_key="{KEY_HEAD}" f"{{key_rest}}")\n',
    "module.py": f'openai.api_key = "{KEY_HEAD}" + key_rest\n',
}
PART_FORMATS = [
    ("--diff",),
    ("--check",),
    ("--diff", "--output-format", "json"),
    ("--diff", "--output-format", "github"),
    ("--diff", "--output-format", "sarif"),
]


def key_part_tree(root: Path) -> list[str]:
    (root / "settings.py").write_text('key_rest = "not-a-key-on-its-own"\n')
    for name, line in PART_FORMS.items():
        (root / name).write_text(
            "import openai\nfrom openai import OpenAI\n\nfrom settings import key_rest\n\n"
            + line
            + 'print(openai.chat.completions.create(model="gpt-4o", messages=[]))\n'
        )
    return sorted(PART_FORMS)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("args", PART_FORMATS, ids=lambda a: "-".join(a).strip("-"))
def test_a_key_part_is_reported_and_never_printed(
    tmp_path: Path, args: tuple[str, ...], target: str
):
    names = key_part_tree(tmp_path)
    run = cli(*args, "--target", target, *names, cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # would change
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert KEY_HEAD[3:] not in output, output
    assert output.count("CM101") >= len(names), output


@pytest.mark.parametrize("target", TARGETS)
def test_a_key_part_does_not_stay_in_the_code(tmp_path: Path, target: str):
    names = key_part_tree(tmp_path)
    run = cli("--target", target, *names, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    for name in names:
        written = (tmp_path / name).read_text()
        assert KEY_HEAD not in written, (name, written)
        assert 'os.environ["CEREBRAS_API_KEY"]' in written, (name, written)
    assert run.stderr.count("key part") == len(names), run.stderr
    assert KEY_HEAD[3:] not in run.stdout + run.stderr


# The same start of a key put into the environment, or given as a lookup's default: removed
# with its statement (or from the lookup) and reported, never printed.
ENV_PART_LINES = [
    f'os.environ["OPENAI_API_KEY"] = "{KEY_HEAD}" + key_rest\n',
    f'os.environ.setdefault("GROQ_API_KEY", f"{KEY_HEAD}{{key_rest}}")\n',
    f'os.environ.update(OPENAI_API_KEY="{KEY_HEAD}%s" % key_rest)\n',
    f'fallback = os.getenv("OPENAI_API_KEY", "{KEY_HEAD}" + key_rest)\n',
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("args", PART_FORMATS, ids=lambda a: "-".join(a).strip("-"))
def test_a_key_part_put_into_the_environment_is_removed_and_never_printed(
    tmp_path: Path, args: tuple[str, ...], target: str
) -> None:
    (tmp_path / "settings.py").write_text('key_rest = "not-a-key-on-its-own"\n')
    source = (
        "import os\nfrom openai import OpenAI\n\nfrom settings import key_rest\n\n"
        + "".join(ENV_PART_LINES)
        + "client = OpenAI()\n"
    )
    (tmp_path / "app.py").write_text(source)
    run = cli(*args, "--target", target, "app.py", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    output = run.stdout + run.stderr
    assert KEY_HEAD[3:] not in output, output
    assert output.count("CM101") >= len(ENV_PART_LINES), output
    run = cli("--target", target, "app.py", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    written = (tmp_path / "app.py").read_text()
    assert KEY_HEAD not in written, written


# ``os.getenv("OPENAI_API_KEY", "sk-…")`` as the module client's key ------------------------
# The key given as the default of the lookup is removed and reported once, as the default of
# the variable the code reads; the Cerebras target's new client used to report it a second
# time, as the default of CEREBRAS_API_KEY.

FULL_KEY = "sk-proj-" + "Qw3rTy7uIoP9aSdF4gHjK2lZxC8vBnM5qWeRtY1uIo"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    "lookup",
    ['os.getenv("OPENAI_API_KEY", "{key}")', 'os.environ.get("OPENAI_API_KEY", "{key}")'],
    ids=["getenv", "environ.get"],
)
def test_a_lookups_default_key_on_the_module_client_is_reported_once(
    tmp_path: Path, lookup: str, target: str
) -> None:
    (tmp_path / "app.py").write_text(
        "import os\nimport openai\n\n"
        f"openai.api_key = {lookup.format(key=FULL_KEY)}\n"
        'print(openai.chat.completions.create(model="gpt-4o", messages=[]))\n'
    )
    run = cli("--target", target, "app.py", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    written = (tmp_path / "app.py").read_text()
    assert FULL_KEY[8:] not in written and FULL_KEY[8:] not in run.stderr
    assert "CEREBRAS_API_KEY" in written
    reports = [
        line for line in run.stderr.splitlines() if line.startswith("app.py:") and " CM101 " in line
    ]
    assert len(reports) == 1, run.stderr
    assert "removed as the default of $OPENAI_API_KEY" in reports[0]


# A key pasted as the value of an option ---------------------------------------------------
# ``--api-key-env`` is written into the code (``os.environ["…"]``) and a model map's model
# into every request: a key given there by mistake was accepted, masked in the output and
# written into the files. Both are usage errors now, the key masked, nothing written.

APP = (
    "from openai import OpenAI\n"
    "client = OpenAI()\n"
    'client.chat.completions.create(model="gpt-4o", messages=[])\n'
)


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize(
    "given",
    [
        ("--api-key-env", FULL_KEY),
        (f"--api-key-env={FULL_KEY}",),
        ("--model-map", f"gpt-4o={FULL_KEY}"),
        ("config", f'api-key-env = "{FULL_KEY}"'),
        ("config", f'model-map = {{"gpt-4o" = "{FULL_KEY}"}}'),
    ],
    ids=["api-key-env", "api-key-env=", "model-map", "config-api-key-env", "config-model-map"],
)
def test_a_key_given_as_an_option_value_is_a_usage_error(
    tmp_path: Path, given: tuple[str, ...], output_format: str
) -> None:
    (tmp_path / "app.py").write_text(APP)
    args: tuple[str, ...] = given
    if given[0] == "config":
        (tmp_path / "pyproject.toml").write_text(f"[tool.cerebras-migrate]\n{given[1]}\n")
        args = ()
    run = cli(*args, "--output-format", output_format, "app.py", cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "app.py").read_text() == APP
    assert FULL_KEY[8:] not in run.stdout + run.stderr
    said = "not an environment variable name" if "api-key-env" in "".join(given) else "API key"
    assert said in run.stdout + run.stderr


def test_an_environment_variable_name_must_be_one(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    run = cli("--api-key-env", "MY KEY", "app.py", cwd=tmp_path)
    assert run.returncode == 2
    assert "'MY KEY' is not an environment variable name" in run.stderr
    assert (tmp_path / "app.py").read_text() == APP
    run = cli("--api-key-env", "MY_CEREBRAS_KEY", "app.py", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert 'os.environ["MY_CEREBRAS_KEY"]' in (tmp_path / "app.py").read_text()
