"""Keys in a hostile tree never reach the output: the real command, every output format, the
files in either order. Each file masks its own output with its own secrets, so a fragment
given to ``api_key`` in one file (``"sk-proj-" + rest``) cannot unmask the keys of another,
and what a file prints does not depend on the files before it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Keys built here, never written whole in this file: it holds none itself.
SHAPED = "sk-proj-" + "Qw3rTy7uIoP9aSdF4gHjK2lZxC8vBnM5qWeRtY1uIoPaSdFgH"
COMMENTED = "sk-proj-" + "Zx9cV8bN7mAs6dF5gH4jK3lQw2eR1tY0uIoPzXcVbNmAsDfG"
SPLIT_HEAD, SPLIT_TAIL = "Mn41Bv52", "Cx63Zl74Kj85Hg96"
ESCAPED_TAIL = "Ty27Ui38Op49As50"
ANNOTATED = "Lk09Jh87Gf65Ds43Aq21"
PASSWORD = "Pw9s3cr3tPw9"

FILES = {
    # The poison: a prefix alone given to api_key, hunted (8 characters) everywhere before.
    "a_poison.py": (
        "from openai import OpenAI\n"
        'rest = "x"\n'
        'client = OpenAI(api_key="sk-proj-" + rest)\n'
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    "b_shaped.py": (
        "from openai import OpenAI\n"
        f"# the old key was {COMMENTED}\n"
        f'client = OpenAI(api_key="{SHAPED}")\n'
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    "c_split.py": (
        "from openai import OpenAI\n"
        f'client = OpenAI(api_key=("{SPLIT_HEAD}"\n    "{SPLIT_TAIL}"))\n'
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    "d_escaped.py": (
        "from openai import OpenAI\n"
        f'client = OpenAI(api_key="Qa1\\"{ESCAPED_TAIL}")\n'
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    "e_annotated.py": (
        "from openai import OpenAI\n"
        f'api_key: str = "{ANNOTATED}"\n'
        "client = OpenAI(api_key=api_key)\n"
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    "f_url.py": (
        "from openai import OpenAI\n"
        f'client = OpenAI(base_url="https://me:{PASSWORD}@proxy.internal/v1")\n'
        'client.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
}
# What must not be printed: each key less the few characters a mask keeps.
HIDDEN = [
    SHAPED[3:],
    SHAPED[8:],
    COMMENTED[8:],
    SPLIT_TAIL[3:],
    SPLIT_HEAD,
    ESCAPED_TAIL,
    ANNOTATED[3:],
    PASSWORD,
]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migrator", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def shown(run: subprocess.CompletedProcess) -> list[str]:
    return [secret for secret in HIDDEN if secret in run.stdout or secret in run.stderr]


FORMATS = [
    ("--diff",),
    ("--check",),
    ("--diff", "--output-format", "json"),
    ("--diff", "--output-format", "github"),
    ("--check", "--output-format", "sarif"),
    ("--diff", "--output-format", "sarif"),
]


@pytest.mark.parametrize("target", ["openai", "cerebras"])
@pytest.mark.parametrize("args", FORMATS, ids=lambda a: "-".join(a).strip("-"))
def test_no_key_is_printed_in_any_format_or_order(tree: Path, args: tuple[str, ...], target: str):
    names = sorted(FILES)
    for order in (names, names[::-1]):
        run = cli(*args, "--target", target, *order, cwd=tree)
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
        assert shown(run) == [], (order, run.stdout, run.stderr)
        assert "****" in run.stdout + run.stderr  # the keys were there, masked


def test_what_a_file_prints_does_not_depend_on_the_others(tree: Path):
    """A file's diff is the same alone, after the poison, and before it."""
    alone = json.loads(cli("--diff", "--output-format", "json", "b_shaped.py", cwd=tree).stdout)
    for order in (["a_poison.py", "b_shaped.py"], ["b_shaped.py", "a_poison.py"]):
        run = cli("--diff", "--output-format", "json", *order, cwd=tree)
        document = json.loads(run.stdout)
        (entry,) = [f for f in document["files"] if f["path"] == "b_shaped.py"]
        assert entry == alone["files"][0]


@pytest.mark.parametrize(
    "typed",
    [
        "--target=Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
        "--Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
        "--openai-version=Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
        "--base-url=https://me:Pw9s3cr3tPw9@proxy.internal/v1",
    ],
)
def test_a_key_pasted_as_an_option_is_masked_in_the_usage_error(tmp_path: Path, typed: str):
    run = cli(typed, ".", cwd=tmp_path)
    assert run.returncode == 2
    assert "Error" in run.stderr
    assert "Cd34Ef56Gh78" not in run.stderr and PASSWORD not in run.stderr, run.stderr


KEPT = {
    # An f-string with nothing to fill in, or with a key in its text, is a key all the same.
    "fstring.py": (
        "from openai import OpenAI\n"
        "suffix = 'x'\n"
        f'a = OpenAI(api_key=f"{SHAPED}")\n'
        f'b = OpenAI(api_key=f"{SHAPED}{{suffix}}")\n'
    ),
    # The module client's key set in a function: the Cerebras client never reads it.
    "function_key.py": (
        "import openai\n\n"
        f'def setup():\n    openai.api_key = "{SHAPED}"\n\n'
        'def ask():\n    return openai.chat.completions.create(model="gpt-4o", messages=[])\n'
    ),
    # Fixed on main already: the OpenAI key as the default of the lookup.
    "getenv.py": (
        "import os\nfrom openai import OpenAI\n"
        f'c = OpenAI(api_key=os.getenv("OPENAI_API_KEY", "{SHAPED}"))\n'
    ),
}


@pytest.mark.parametrize("target", ["openai", "cerebras"])
@pytest.mark.parametrize("name", sorted(KEPT))
def test_no_key_stays_in_the_code(tmp_path: Path, name: str, target: str):
    (tmp_path / name).write_text(KEPT[name])
    run = cli("--target", target, name, cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # files changed
    written = (tmp_path / name).read_text()
    assert SHAPED[8:] not in written, written
    assert "CM101" in run.stderr
    assert not shown(run)


def test_a_star_import_is_reported_at_its_line(tmp_path: Path):
    """Nothing can be migrated through ``from openai import *``: the run says so (CM122) at
    the import instead of ending as if the module needed nothing."""
    source = f'from openai import *\n\nclient = OpenAI(api_key="{SHAPED}")\n'
    (tmp_path / "star.py").write_text(source)
    for target in ("openai", "cerebras"):
        run = cli("--target", target, "star.py", cwd=tmp_path)
        assert "star.py:1:1 CM122" in run.stderr, run.stderr
        assert not shown(run)
        assert (tmp_path / "star.py").read_text() == source
