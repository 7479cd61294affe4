"""Hard-coded keys in code that sets the environment are removed and reported (CM101).

``fixtures/env_key_literals/`` and ``fixtures/notebooks/env_magic/`` are checked byte for byte
by tests/test_fixtures.py and tests/test_notebooks.py; here: that no key they hold survives
the migration (searched in the text, on both targets), that nothing else goes, what counts
as a key, the forms one by one, ``# cerebras-migrate: ignore``, focus, notebooks' ``%env``
lines and the JSON style, and that no key is printed. tests/test_e2e_programs.py runs
``fixtures/programs/env_key.py`` migrated and checks the key is never sent.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from helpers import assert_no_errors, invoke, migrate, undefined_names
from test_notebooks import STYLES, cells_of, dump, notebook, produced
from test_notebooks import migrate as migrate_notebook

from codemods.options import Options
from codemods.python.source import migrate_source
from codemods.secrets import is_credential_name, is_env_key, is_key_shaped, is_placeholder
from migrator.notebooks.ipython import MaskedCell, env_key, mask_cell, unmask
from migrator.results import Status

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "fixtures" / "env_key_literals"
NOTEBOOK = ROOT / "fixtures" / "notebooks" / "env_magic" / "input.ipynb"
TARGETS = ("openai", "cerebras")

# Every key the fixture writes into the environment, and the one kept by an ignore comment.
FIXTURE_KEYS = (
    "sk-proj-FAKEenv0123456789abcdefghij",
    "gsk_FAKE0123456789abcdefghij",
    "tvly-FAKE0123456789",
    "hf_FAKE0123456789abcdef",
    "csk-FAKEenv0123456789abcdefghij",
    "sk-ant-FAKE0123456789abcdef",
    "pcsk_FAKE0123456789",
    "FAKEwandb0123456789",
    "FAKEserper0123456789",
    "sk-proj-FAKEfstr0123456789abcdefghij",
    "FAKEjwt0123456789",
    "sk-proj-FAKEctor0123456789abcdefghij",
)
FIXTURE_KEPT = "sk-proj-FAKEkept0123456789abcdefghij"
# What must stay: placeholders, references, settings that are not keys.
FIXTURE_STAYS = (
    '"your-api-key"',
    '"EMPTY"',
    '"<your key>"',
    '"sk-..."',
    '"https://api.openai.com/v1"',
    '"false"',
    '"${PROMPT_CACHE_KEY}"',
    'os.environ["MY_OPENAI_KEY"]',
    '"gpt-oss-120b"',
    '"org-FAKE0123456789"',
    '"not-needed"',
    '"LANGCHAIN_TRACING_V2": "true"',
    'LOG_LEVEL="debug"',
    'os.environ["OPENAI_LOG"] = "debug"',
)
NOTEBOOK_KEYS = (
    "sk-proj-EXAMPLEENVKEY0123456789abcdef",
    "gsk_EXAMPLEgroq0123456789abcd",
    "tvly-EXAMPLE0123456789",
    "EXAMPLEserper0123456789",
    "pcsk_EXAMPLE0123456789",
    "EXAMPLEwandb0123456789",
)


def options(target: str = "openai") -> Options:
    return Options(target=target)  # type: ignore[arg-type]


def run(source: str, target: str = "openai") -> tuple[str, list[str]]:
    result = migrate(textwrap.dedent(source).removeprefix("\n"), target=target)
    assert_no_errors(result)
    return result.code, [f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics]


# The fixtures: no key is left ---------------------------------------------------------------
@pytest.mark.parametrize("target", TARGETS)
def test_no_key_of_the_fixture_is_left(target: str) -> None:
    source = (CASE / "input.py").read_text(encoding="utf-8")
    for key in (*FIXTURE_KEYS, FIXTURE_KEPT):
        assert key in source, f"the fixture lost its key {key}"
    result = migrate(source, target=target)
    assert_no_errors(result)
    left = [key for key in FIXTURE_KEYS if key in result.code]
    assert not left, f"keys still in the migrated code: {left}"
    assert FIXTURE_KEPT in result.code, "the ignored line must keep its key"
    for kept in FIXTURE_STAYS:
        assert kept in result.code, f"{kept} was removed"
    reported = [d for d in result.diagnostics if d.code == "CM101"]
    assert len(reported) == sum(source.count(key) for key in FIXTURE_KEYS)
    assert not any(key in d.message for d in result.diagnostics for key in FIXTURE_KEYS)
    assert set(result.secrets) == set(FIXTURE_KEYS)
    new_names = undefined_names(result.code) - undefined_names(source)
    assert not new_names, f"the rewrite uses names it never defines: {sorted(new_names)}"
    again = migrate(result.code, target=target)
    assert again.code == result.code and not [d for d in again.diagnostics if d.code == "CM101"]


@pytest.mark.parametrize("target", TARGETS)
def test_no_key_of_the_notebook_fixture_is_left(target: str) -> None:
    raw = NOTEBOOK.read_bytes()
    for key in NOTEBOOK_KEYS:
        assert key.encode() in raw
    result = migrate_notebook(NOTEBOOK, raw, target)
    assert result.status is Status.CHANGED
    left = [key for key in NOTEBOOK_KEYS if key in result.new]
    assert not left, f"keys still in the migrated notebook: {left}"
    # A shell line that does more than export, and an ignored line, keep theirs.
    assert "hf_EXAMPLE0123456789abcd && huggingface-cli whoami" in result.new
    assert "lsv2_EXAMPLE0123456789 # cerebras-migrate: ignore" in result.new
    assert sum(d.code == "CM101" for d in result.diagnostics) == len(NOTEBOOK_KEYS)
    assert set(result.secrets) >= set(NOTEBOOK_KEYS)


# What a key is -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("OPENAI_API_KEY", "sk-proj-0123456789abcdefghijklmnop", True),
        (None, "sk-proj-0123456789abcdefghijklmnop", True),  # the name is not known
        ("LOG_LEVEL", "csk-0123456789abcdefghijklmnop", True),  # key-shaped, any variable
        ("GROQ_API_KEY", "gsk_0123456789abcdefgh", True),
        ("HF_TOKEN", "hf_abcdefgh1", True),
        ("CLIENT_SECRET", "a8Kd93jdLq", True),
        ("OPENAI_APIKEY", "abcdefgh1234", True),
        ("openai_api_key", "abcdefgh1234", True),  # names are compared upper-cased
        ("GROQ_API_KEY", "gsk_123", False),  # shorter than 8: a placeholder's length
        (None, "gsk_0123456789abcdefgh", False),
        ("LOG_LEVEL", "debug-everything", False),
        ("TOKENIZERS_PARALLELISM", "false-positive", False),
        ("OPENAI_ORG_ID", "org-0123456789abcdef", False),
        ("AWS_ACCESS_KEY_ID", "AKIA0123456789ABCDEF", False),
        ("DB_PASSWORD", "hunter2hunter2", False),
        ("OPENAI_API_KEY", "your-api-key", False),
        ("OPENAI_API_KEY", "YOUR_OPENAI_KEY", False),
        ("OPENAI_API_KEY", "<your key here>", False),
        ("OPENAI_API_KEY", "sk-...", False),
        ("OPENAI_API_KEY", "sk-xxxxxxxx", False),
        ("OPENAI_API_KEY", "not-needed", False),
        ("OPENAI_API_KEY", "dummy_token", False),
        ("OPENAI_API_KEY", "test-key-123", False),
        ("OPENAI_API_KEY", "${OPENAI_API_KEY}", False),
        ("OPENAI_API_KEY", "$OTHER_KEY", False),
        ("OPENAI_API_KEY", "{api_key}", False),
        ("OPENAI_API_KEY", "********", False),
        ("OPENAI_API_KEY", "set me please", False),
        ("OPENAI_API_KEY", "", False),
        ("OPENAI_API_KEY", "EMPTY", False),
        # Letters alone are a word, not a generated secret: a test's stand-in (found in a
        # real project's tests, which the removal broke).
        ("MINIMAX_API_KEY", "env-api-key", False),
        ("HF_TOKEN", "hf_abcdefgh", False),
    ],
)
def test_what_counts_as_a_key(variable: str | None, value: str, expected: bool) -> None:
    assert is_env_key(variable, value) is expected


def test_the_parts_of_the_definition() -> None:
    assert is_key_shaped("sk-proj-0123456789abcdefghijklmnop")
    assert not is_key_shaped("key: sk-proj-0123456789abcdefghijklmnop")  # the whole text
    assert not is_key_shaped("sk-1")
    assert is_credential_name("PINECONE_API_KEY") and is_credential_name("TOKEN")
    assert not is_credential_name("TIKTOKEN") and not is_credential_name("KEY_ID")
    assert is_placeholder("your-api-key") and not is_placeholder("a8Kd93jdLqTestimony")


# The forms ---------------------------------------------------------------------------------
def test_a_statement_left_alone_on_its_block_becomes_pass() -> None:
    code, found = run(
        """
        import os

        import openai

        def setup(debug):
            if debug:
                os.environ["OPENAI_API_KEY"] = "sk-proj-0123456789abcdefghijklmnop"
            else: os.putenv("GROQ_API_KEY", "gsk_0123456789abcdefgh")
            return debug
        """
    )
    assert code == textwrap.dedent(
        """\
        import os

        import openai

        def setup(debug):
            if debug:
                pass
            else: pass
            return debug
        """
    )
    assert [f.split(" CM101 ")[0] for f in found] == ["7:9", "8:11"]


def test_one_statement_of_a_line_goes_with_the_comment() -> None:
    code, found = run(
        'import os, openai; os.environ["X_TOKEN"] = "abcdefgh1234"; print(1)  # the X token\n'
    )
    assert code == "import os, openai; print(1)\n"
    assert found == [
        "1:20 CM101 hard-coded key (****) for $X_TOKEN removed; set it in the environment "
        "and revoke the key"
    ]


def test_comments_and_blank_lines_above_a_removed_statement_stay() -> None:
    code, _ = run(
        """
        import os

        from openai import OpenAI

        # Keys for local runs.
        os.environ["OPENAI_API_KEY"] = "sk-proj-0123456789abcdefghijklmnop"
        if os.environ.get("CI"):
            print("ci")
        """
    )
    assert '\n\n# Keys for local runs.\nif os.environ.get("CI"):\n' in code


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('os.environ.update({"A_KEY": "abcdefgh1234"})\n', ""),
        ('os.environ.update(A_KEY="abcdefgh1234")\n', ""),
        ('os.environ.update({"A_KEY": "abcdefgh1234"}, B="b")\n', 'os.environ.update(B="b")\n'),
        (
            'os.environ.update({"A": "a", "A_KEY": "abcdefgh1234"}, B_TOKEN="abcdefgh1234")\n',
            'os.environ.update({"A": "a"})\n',
        ),
        ('done = os.environ.update(A_KEY="abcdefgh1234")\n', "done = os.environ.update()\n"),
        ('k = os.getenv("A_KEY", "abcdefgh1234")\n', 'k = os.getenv("A_KEY")\n'),
        ('k = os.getenv("A_KEY", default="abcdefgh1234")\n', 'k = os.getenv("A_KEY")\n'),
        ('k = os.environ.get("A_KEY", "abcdefgh1234")\n', 'k = os.environ.get("A_KEY")\n'),
        ('k = os.environ.setdefault("A_KEY", "abcdefgh1234")\n', 'k = os.environ.get("A_KEY")\n'),
        ('os.environ.setdefault("A_KEY", default="abcdefgh1234")\n', ""),
        ('os.environ[name] = "sk-proj-0123456789abcdefghijklmnop"\n', ""),
        ('os.environ["A_KEY"] = "abc" "defgh1234"\n', ""),
        ('os.environ["A_KEY"] = f"sk-proj-0123456789abcdefghijklmnop"\n', ""),
    ],
)
def test_each_form_loses_its_key(before: str, after: str) -> None:
    code, found = run("import os\nimport openai\n" + before)
    assert code == "import os\nimport openai\n" + after
    assert found and all(" CM101 " in f for f in found)


@pytest.mark.parametrize(
    "line",
    [
        'os.environ["A_KEY"] = f"{prefix}abcdefgh1234"\n',  # computed: not written
        'os.environ["A_KEY"] = b"abcdefgh1234"\n',  # bytes: os.environ takes none
        'os.environ["A_KEY"] = key\n',
        'os.environ["A_KEY"] += "abcdefgh1234"\n',
        'env = {"A_KEY": "abcdefgh1234"}\n',  # not the environment
        'k = os.getenv("A_KEY", "short")\n',
        'k = os.getenv(*args, "abcdefgh1234")\n',
        'print(os.putenv("A_KEY", "abcdefgh1234"))\n',  # its None used: left as it is
        'os.environ["A_KEY"] = "abcdefgh1234"  # cerebras-migrate: ignore\n',
        'os.getenv("A_KEY",\n          "abcdefgh1234")  # cerebras-migrate: ignore\n',
    ],
)
def test_what_stays(line: str) -> None:
    code, found = run("import os\nimport openai\n" + line)
    assert code == "import os\nimport openai\n" + line
    assert not found


def test_a_local_name_os_is_not_the_module() -> None:
    source = (
        'import openai\n\nclass os:\n    environ = {}\n\nos.environ["A_KEY"] = "abcdefgh1234"\n'
    )
    assert run(source) == (source, [])


def test_without_an_sdk_import_nothing_is_touched() -> None:
    source = 'import os\n\nos.environ["OPENAI_API_KEY"] = "sk-proj-0123456789abcdefghijklmnop"\n'
    assert run(source) == (source, [])


def test_the_code_can_be_silenced_and_the_key_still_goes() -> None:
    code, found = run(
        'import os\nimport openai\nos.environ["A_KEY"] = ("abcdefgh1234")  '
        "# cerebras-migrate: ignore[CM101]\n"
    )
    assert code == "import os\nimport openai\n" and not found


def test_a_lookup_default_inside_a_constructor_goes_too() -> None:
    code, found = run(
        """
        import os

        from openai import OpenAI

        client = OpenAI(api_key=os.getenv("OPENAI_API_KEY", "sk-proj-0123456789abcdefghijklmnop"))
        """,
        "cerebras",
    )
    assert "sk-proj-" not in code
    assert [f.split(" ")[1] for f in found] == ["CM101"]


def test_focus_does_not_hide_a_function_that_sets_keys() -> None:
    """A function that only sets the environment names nothing of the SDK: the strings it
    holds keep it in libcst's view."""
    filler = "".join(f"\n\ndef helper_{n}(x):\n    y = x + {n}\n    return y\n" for n in range(8))
    source = (
        "import os\n\nimport openai\n"
        + filler
        + '\n\ndef configure():\n    os.environ["GROQ_API_KEY"] = "gsk_0123456789abcdefgh"\n'
        + filler.replace("helper_", "other_")
    )
    focused = migrate_source(source, options())
    whole = migrate_source(source, options(), focus=False)
    assert focused.code == whole.code
    assert "gsk_" not in focused.code
    assert [d.code for d in focused.diagnostics] == ["CM101"]


def test_the_key_is_never_printed(tmp_path: Path) -> None:
    """A key that is not key-shaped is masked too: the fixer hands it to the reporters."""
    key = "gsk_NotKeyShapedButSecret42"
    (tmp_path / "app.py").write_text(
        f'import os\n\nimport openai\n\nos.environ["GROQ_API_KEY"] = "{key}"\nx = 1\n',
        encoding="utf-8",
    )
    for mode in ("--diff", "--check"):
        for fmt in ("text", "json", "github", "sarif"):
            code, out, err = invoke(mode, "--output-format", fmt, "app.py", cwd=tmp_path)
            assert code == 1, (mode, fmt, out, err)
            assert key not in out + err, (mode, fmt)
    code, out, err = invoke("app.py", cwd=tmp_path)
    assert code == 1 and key not in out + err
    assert key not in (tmp_path / "app.py").read_text(encoding="utf-8")


# Notebooks ---------------------------------------------------------------------------------
def _mask(source: str) -> MaskedCell:
    masked = mask_cell(source, (f"__t_{k}__" for k in range(100)))
    assert isinstance(masked, MaskedCell)
    return masked


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("%env OPENAI_API_KEY=sk-proj-0123456789abcdefghijklmnop", "%env"),
        ("%env OPENAI_API_KEY sk-proj-0123456789abcdefghijklmnop", "%env"),
        ("%env OPENAI_API_KEY = sk-proj-0123456789abcdefghijklmnop", "%env"),
        ('%env GROQ_API_KEY="gsk_0123456789abcdefgh"', "%env"),
        ("%set_env GROQ_API_KEY=gsk_0123456789abcdefgh", "%set_env"),
        ("%set_env GROQ_API_KEY gsk_0123456789abcdefgh", "%set_env"),
        ("!export GROQ_API_KEY=gsk_0123456789abcdefgh", "!export"),
        ("!export GROQ_API_KEY='gsk_0123456789abcdefgh'  ", "!export"),
        ("%env X_KEY=abcdefgh1234 # cerebras-migrate: ignore[CM301]", "%env"),
        ("%env OPENAI_API_KEY", None),  # a lookup
        ("%env", None),
        ("%env OPENAI_API_KEY=your-api-key", None),
        ("%env OPENAI_API_KEY=$OTHER", None),
        ("%env LOG_LEVEL=debug-everything", None),
        ("%env A B=sk-proj-0123456789abcdefghijklmnop", None),  # IPython refuses the name
        ("!export GROQ_API_KEY=gsk_0123456789abcdefgh && python app.py", None),
        ("!export A=1 GROQ_API_KEY=gsk_0123456789abcdefgh", None),
        ("!echo sk-proj-0123456789abcdefghijklmnop", None),
        ("%env X_KEY=abcdefgh1234 # cerebras-migrate: ignore", None),
        ("%envx X_KEY=abcdefgh1234", None),
    ],
)
def test_which_lines_set_a_key(line: str, expected: str | None) -> None:
    found = env_key(line)
    assert (found[0] if found else None) == expected


def test_a_key_line_is_dropped_only_when_asked() -> None:
    source = "%env A_KEY=abcdefgh1234\nx = 1\nif x:\n    %env B_KEY=abcdefgh1234\n%env C_KEY=abc"
    masked = _mask(source)
    assert [(k.line, k.column, k.variable) for k in masked.keys] == [
        (1, 1, "A_KEY"),
        (4, 5, "B_KEY"),
    ]
    assert unmask(masked.text, masked, "__t") == source
    assert unmask(masked.text, masked, "__t", drop=True) == "x = 1\nif x:\n    pass\n%env C_KEY=abc"


def test_a_dropped_last_line_keeps_the_cell_without_a_final_newline() -> None:
    masked = _mask("x = 1\n%env A_KEY=abcdefgh1234")
    assert unmask(masked.text, masked, "__t", drop=True) == "x = 1"
    masked = _mask("x = 1\n%env A_KEY=abcdefgh1234\n")
    assert unmask(masked.text, masked, "__t", drop=True) == "x = 1\n"
    masked = _mask("%env A_KEY=abcdefgh1234")
    assert unmask(masked.text, masked, "__t", drop=True) == ""


def test_a_notebook_without_an_sdk_import_keeps_its_env_lines() -> None:
    nb = notebook("%pip install openai\n%env OPENAI_API_KEY=sk-proj-0123456789abcdefghijklmnop")
    result = migrate_notebook(Path("nb.ipynb"), dump(nb).encode())
    assert result.status is Status.UNCHANGED and not result.diagnostics


def test_a_cell_that_does_not_parse_is_left_as_it_is() -> None:
    nb = notebook(
        "from openai import OpenAI",
        "%env GROQ_API_KEY=gsk_0123456789abcdefgh\ndef broken(:",
        "%env OPENAI_API_KEY=sk-proj-0123456789abcdefghijklmnop\nprint(1)",
    )
    result = migrate_notebook(Path("nb.ipynb"), dump(nb).encode())
    cells = cells_of(result.new)
    assert cells[1] == "%env GROQ_API_KEY=gsk_0123456789abcdefgh\ndef broken(:"
    assert cells[2] == "print(1)"
    assert [(d.code, d.cell) for d in result.diagnostics] == [("CM901", 2), ("CM101", 3)]  # type: ignore[attr-defined]


def test_notebook_key_lines_honour_ignore_comments() -> None:
    nb = notebook(
        "from openai import OpenAI\n"
        "%env A_KEY=abcdefgh1234 # cerebras-migrate: ignore\n"
        "%env B_KEY=abcdefgh1234 # cerebras-migrate: ignore[CM101]\n"
        "%env C_KEY=abcdefgh1234 # cerebras-migrate: ignore[CM301]\n"
        "x = 1"
    )
    result = migrate_notebook(Path("nb.ipynb"), dump(nb).encode())
    assert cells_of(result.new)[0] == (
        "from openai import OpenAI\n%env A_KEY=abcdefgh1234 # cerebras-migrate: ignore\nx = 1"
    )
    assert [(d.code, d.line) for d in result.diagnostics] == [("CM101", 4)]


def styled(nb: dict, style: dict, final: str, as_string: bool) -> bytes:
    """``nb`` as a writer with ``style`` writes it (tests/test_notebooks.py's styles)."""
    nb = json.loads(json.dumps(nb))
    if as_string:
        for cell in nb["cells"]:
            cell["source"] = "".join(cell["source"])
    text = json.dumps(nb, **style) + final
    return (text.replace("\n", "\r\n") if final == "\r\n" else text).encode("utf-8")


@pytest.mark.parametrize("as_string", [False, True], ids=["source-list", "source-string"])
@pytest.mark.parametrize(("style", "final"), STYLES)
def test_the_json_style_is_kept(style: dict, final: str, as_string: bool) -> None:
    nb = notebook(
        ("markdown", "# Café ☕"),
        "%env OPENAI_API_KEY=sk-proj-0123456789abcdefghijklmnop",
        "from openai import OpenAI\n%env GROQ_API_KEY gsk_0123456789abcdefgh\nprint('é')",
        kernelspec={"language": "python", "name": "python3"},
    )
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ok"]}]
    raw = styled(nb, style, final, as_string)
    result = migrate_notebook(Path("nb.ipynb"), raw)
    assert result.status is Status.CHANGED
    assert cells_of(result.new) == ["# Café ☕", "", "from openai import OpenAI\nprint('é')"]
    migrated = json.loads(json.dumps(nb))
    for cell, source in zip(migrated["cells"], cells_of(result.new), strict=True):
        cell["source"] = source.splitlines(keepends=True)
    assert produced(result, raw) == styled(migrated, style, final, as_string)
    again = migrate_notebook(Path("nb.ipynb"), produced(result, raw))
    assert again.status is Status.UNCHANGED and not again.diagnostics
