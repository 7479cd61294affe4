"""Jupyter notebooks: fixtures byte for byte, IPython syntax, the file's JSON style, safety,
and the command line (discovery, per-cell diffs, --check, cell numbers in every format).

``fixtures/notebooks/<case>/input.ipynb`` is migrated with each ``expected.<target>.ipynb``
beside it and must give exactly its bytes; migrating the expected file again changes nothing.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import check_diagnostics, invoke, load_options, make_options, text_diff
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st
from test_formats import apply_sarif_fix, assert_valid_sarif

from codemods.python.syntax import cell_syntax_error
from migrator import files, notebooks
from migrator.core import migrate_bytes
from migrator.notebooks.ipython import MaskedCell, mask_cell, unmask
from migrator.notebooks.jsontext import cell_sources
from migrator.notebooks.lines import physical_lines
from migrator.results import CellDiagnostic, FileResult, Status
from migrator.run import process_file
from migrator.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks"
KEY = "sk-proj-EXAMPLEKEYEXAMPLEKEY0123456789"


def _cases() -> list[Any]:
    params = []
    for input_path in sorted(FIXTURES.glob("*/input.ipynb")):
        for expected in sorted(input_path.parent.glob("expected.*.ipynb")):
            target = expected.name.split(".")[1]
            params.append(
                pytest.param(input_path.parent, target, id=f"{input_path.parent.name}-{target}")
            )
    return params


CASES = _cases()


def settings(target: str = "openai", **options: Any) -> Settings:
    return Settings(options=make_options(target=target, **options))


def migrate(path: Path, raw: bytes, target: str = "openai", **options: Any) -> FileResult:
    return migrate_bytes(path, raw, settings(target, **options))[0]


def produced(result: FileResult, raw: bytes) -> bytes:
    if result.status is not Status.CHANGED:
        return raw
    prefix = raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""
    return prefix + result.new.encode("utf-8")


def cells_of(text: str) -> list[str | None]:
    return cell_sources(text)


def notebook(*sources: str | tuple[str, str], **metadata: Any) -> dict[str, Any]:
    """A notebook of code cells (``("markdown", text)`` for a markdown cell)."""
    cells = []
    for source in sources:
        kind, text = source if isinstance(source, tuple) else ("code", source)
        cell: dict[str, Any] = {"cell_type": kind, "metadata": {}}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cell["source"] = text.splitlines(keepends=True)
        cells.append(cell)
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def dump(nb: dict[str, Any]) -> str:
    """Jupyter's own style."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# Fixtures ---------------------------------------------------------------------------------
def test_there_are_cases() -> None:
    assert {case.values[0].name for case in CASES} >= {
        "chat",
        "broken_cell",
        "module_client",
        "csharp_kernel",
    }


@pytest.mark.parametrize(("case", "target"), CASES)
def test_fixture(case: Path, target: str) -> None:
    options = load_options(case / "options.json")
    path = case / "input.ipynb"
    raw = path.read_bytes()
    result = migrate(path, raw, target, **options)
    expected_path = case / f"expected.{target}.ipynb"
    expected = expected_path.read_bytes()
    out = produced(result, raw)
    if out != expected:
        diff = text_diff(
            expected.decode("utf-8"), out.decode("utf-8"), (expected_path.name, "produced")
        )
        pytest.fail(f"{case.name}: --target {target} differs from {expected_path.name}:\n{diff}")
    assert not [d for d in result.diagnostics if d.code in ("CM902", "CM903")]
    check_diagnostics(case / f"expected.{target}.diagnostics", result.diagnostics)


@pytest.mark.parametrize(("case", "target"), CASES)
def test_fixture_is_idempotent(case: Path, target: str) -> None:
    options = load_options(case / "options.json")
    path = case / f"expected.{target}.ipynb"
    raw = path.read_bytes()
    result = migrate(path, raw, target, **options)
    assert result.status is not Status.CHANGED, "a second run changes:\n" + "".join(
        text_diff(a or "", b or "")
        for a, b in zip(cells_of(result.original), cells_of(result.new), strict=True)
        if a != b
    )
    assert produced(result, raw) == raw


def test_chat_fixture_diagnostics_and_placement() -> None:
    path = FIXTURES / "chat" / "input.ipynb"
    result = migrate(path, path.read_bytes())
    found = [(d.code, d.cell, d.line, d.column) for d in result.diagnostics]  # type: ignore[attr-defined]
    assert found == [
        ("CM101", 4, 5, 17),
        ("CM402", 5, 2, 12),
        ("CM301", 5, 3, 11),
        ("CM301", 8, 5, 11),
        ("CM301", 10, 2, 46),
    ]
    before, after = cells_of(result.original), cells_of(result.new)
    # ``import os`` joins the cell that imports openai, not the earlier ``import json`` cell.
    assert after[2] == before[2]
    assert after[3].startswith(
        "%load_ext dotenv\n%dotenv\nimport os\n\nfrom openai import Omit, OpenAI\n"
    )
    # IPython syntax and the cells that are not Python are exactly as they were.
    for index in (1, 5, 8):
        assert after[index] == before[index]
    assert after[4].startswith("%%time\n")
    assert after[7].count("await aclient.chat.completions.create(") == 1
    assert KEY not in result.new and KEY in result.secrets


def test_broken_cell_is_reported_and_the_others_migrated() -> None:
    path = FIXTURES / "broken_cell" / "input.ipynb"
    result = migrate(path, path.read_bytes())
    assert result.status is Status.CHANGED
    [error] = [d for d in result.diagnostics if d.code == "CM901"]
    assert isinstance(error, CellDiagnostic)
    assert (error.cell, error.line, error.column) == (2, 1, 1)
    assert "Missing parentheses in call to 'print'" in error.message
    before, after = cells_of(result.original), cells_of(result.new)
    assert after[1] == before[1]  # the broken cell is left alone, gpt-4o and all
    assert "gpt-oss-120b" in after[2]


def test_a_notebook_with_only_a_broken_cell_is_an_error() -> None:
    raw = dump(notebook('import openai\nprint "hi"')).encode()
    result = migrate(Path("nb.ipynb"), raw)
    assert result.status is Status.ERROR
    assert [(d.code, d.cell) for d in result.diagnostics] == [("CM901", 1)]  # type: ignore[attr-defined]


def test_non_python_kernels_are_skipped() -> None:
    path = FIXTURES / "csharp_kernel" / "input.ipynb"
    result = migrate(path, path.read_bytes())
    assert result.status is Status.SKIPPED
    assert result.note == "kernel language is 'C#' (only Python notebooks are migrated)"
    r_notebook = notebook("library(openai)", language_info={"name": "R"})
    assert migrate(Path("r.ipynb"), dump(r_notebook).encode()).status is Status.SKIPPED


@pytest.mark.parametrize(
    "metadata",
    [
        {},
        {"kernelspec": {"name": "python3", "language": "python"}},
        {"language_info": {"name": "python"}},
        {"kernelspec": {"name": "python3"}, "language_info": {"name": "python"}},
    ],
)
def test_python_kernels_and_no_kernel_are_migrated(metadata: dict[str, Any]) -> None:
    nb = notebook("from openai import OpenAI\nclient = OpenAI()", **metadata)
    assert migrate(Path("nb.ipynb"), dump(nb).encode()).status is Status.CHANGED


# Masking IPython syntax -------------------------------------------------------------------
def _mask(source: str) -> MaskedCell | str:
    return mask_cell(source, (f"__t_{k}__" for k in itertools.count()))


@pytest.mark.parametrize(
    ("source", "hidden"),
    [
        ("%pip install openai\nimport openai", [1]),
        ("!pip install openai", [1]),
        ("!!ls", [1]),
        ("files = !ls\nprint(files)", [1]),
        ("a, b = %sx echo 1 2", [1]),
        ("t = %timeit -o sum(range(9))", [1]),
        ("%time client.chat.completions.create(model='gpt-4o', messages=[])", [1]),
        ("client.chat.completions.create?", [1]),
        ("client.chat.completions.create??\nx = 1", [1]),
        ("?openai\n??openai.OpenAI", [1, 2]),
        ("%%time\nx = 1", [1]),
        ("%%capture out\n%%time\nx = 1", [1, 2]),
        ("\n%%timeit -n 3\nx = 1", [2]),
        ("for f in files:\n    !echo {f}\n    %time g(f)", [2, 3]),
        ("!pip install \\\n    openai \\\n    pandas\nimport os", [1, 2, 3]),
        ("/print 1 2\n,print a b\n;print a b", [1, 2, 3]),
        ("f(1,\n  2)?", [1, 2]),
        ("%matplotlib inline\n%config InlineBackend.figure_format = 'retina'", [1, 2]),
    ],
)
def test_ipython_lines_are_masked_and_restored(source: str, hidden: list[int]) -> None:
    masked = _mask(source)
    assert isinstance(masked, MaskedCell)
    lines = physical_lines(masked.text)
    assert len(lines) == len(physical_lines(source))
    assert [n for n, line in enumerate(lines, start=1) if "__t_" in line] == hidden
    assert cell_syntax_error(masked.text) is None
    assert unmask(masked.text, masked, "__t") == source


@pytest.mark.parametrize(
    "source",
    [
        'prompt = """\n!important: answer briefly\n%s percent\n?\n"""',
        "prompt = '''\n%pip is not a magic in here\n'''",
        "x = 5 % 3\ny = x != 2\nz = x == 3",
        's = "why?"\nt = 1  # really?',
        "# !pip install openai\n# %%time",
        'print("%d%%" % 5)',
        "x = (1,\n     2)\n",
        'msg = "a \\\n!b"',
        "reply = await client.chat.completions.create(model='gpt-4o', messages=[])",
        "async for chunk in stream:\n    print(chunk)",
    ],
)
def test_python_is_not_masked(source: str) -> None:
    masked = _mask(source)
    assert isinstance(masked, MaskedCell)
    assert masked.text == source and not masked.originals


@pytest.mark.parametrize(
    ("source", "magic"),
    [
        ("%%bash\necho openai", "%%bash"),
        ("%%html\n<b>openai</b>", "%%html"),
        ("%%writefile app.py\nimport openai", "%%writefile"),
        ("%%time\n%%bash\necho hi", "%%bash"),
        ("%%\nx", "%%"),
    ],
)
def test_cells_of_other_languages_are_not_python(source: str, magic: str) -> None:
    assert _mask(source) == magic


PIECES = [
    "!ls",
    "%pip install openai",
    "x = 1",
    "    !echo {x}",
    "for a in b:",
    "    pass",
    '"""',
    "s = '''",
    "'''",
    "obj?",
    "# c ?",
    "",
    "f(1,",
    "  2)",
    "y = !ls",
    "z = 1 \\",
    "x = 'a\\",
    "%%time",
    "%%bash",
    "print(x)  # why?",
    "  ",
    "?x",
    "x != !y",
]


@settings_(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_masking_always_round_trips(pieces: list[str], newline: str, final: bool) -> None:
    """Whatever the text (broken Python too), masking keeps one line per line and restoring
    gives back every byte."""
    source = newline.join(pieces) + (newline if final and pieces else "")
    masked = _mask(source)
    if isinstance(masked, str):
        return
    assert len(physical_lines(masked.text)) == len(physical_lines(source))
    assert unmask(masked.text, masked, "__t") == source


def test_unmask_refuses_a_lost_or_repeated_placeholder() -> None:
    masked = _mask("!ls\nx = 1\n    \n%pwd")
    assert isinstance(masked, MaskedCell)
    assert unmask(masked.text.replace("# __t_0__\n", ""), masked, "__t") is None
    assert unmask(masked.text + "# __t_0__\n", masked, "__t") is None
    assert unmask(masked.text.replace("# __t_0__", "# __t_0__ x"), masked, "__t") is None


def test_magics_and_shell_escapes_survive_a_rewrite_around_them() -> None:
    nb = notebook(
        "!pip install openai\nfrom openai import OpenAI\nclient = OpenAI(api_key='sk-x')",
        "for m in ['gpt-4o']:\n    !echo {m}\n    r = client.chat.completions.create(model=m, "
        "messages=[])\n    %time r = client.chat.completions.create(model='gpt-4o', messages=[])",
    )
    result = migrate(Path("nb.ipynb"), dump(nb).encode())
    first, second = cells_of(result.new)
    assert first == (
        "!pip install openai\nimport os\n\nfrom openai import Omit, OpenAI\nclient = OpenAI(\n"
        '    api_key=os.environ["CEREBRAS_API_KEY"],\n'
        '    base_url="https://api.cerebras.ai/v1",\n'
        '    default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},\n)'
    )
    assert second == "".join(nb["cells"][1]["source"])  # ``%time ...`` is masked whole
    assert [(d.code, d.cell, d.line) for d in result.diagnostics] == [  # type: ignore[attr-defined]
        ("CM101", 1, 3),
        ("CM406", 2, 3),
    ]


# Import placement -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "first_cell",
    ["import json\nprint(json.dumps({}))", "print('hello')", "x = 1", '"""A docstring."""'],
)
def test_new_imports_go_to_the_cell_that_imports_the_sdk(first_cell: str) -> None:
    nb = notebook(
        first_cell,
        ("markdown", "Now the client"),
        "from openai import OpenAI\n\nclient = OpenAI(api_key='sk-abc')",
        "client.chat.completions.create(model='gpt-4o', messages=[])",
    )
    for target in ("openai", "cerebras"):
        result = migrate(Path("nb.ipynb"), dump(nb).encode(), target)
        cells = cells_of(result.new)
        assert cells[0] == first_cell
        assert cells[2].startswith("import os\n\n"), cells[2]
        assert len(cells) == 4  # never a new cell


def test_module_client_settings_go_after_the_import_cell_block() -> None:
    path = FIXTURES / "module_client" / "input.ipynb"
    after = cells_of(migrate(path, path.read_bytes()).new)
    assert after[1].endswith(
        'openai.base_url = "https://api.cerebras.ai/v1/"\n'
        'openai.api_key = os.environ["CEREBRAS_API_KEY"]\n'
        "openai.default_headers = {\n"
        '    "OpenAI-Organization": openai.Omit(),\n'
        '    "OpenAI-Project": openai.Omit(),\n}'
    )
    assert after[2] == cells_of(path.read_text(encoding="utf-8"))[2]


def test_suppression_comments_work_in_cells() -> None:
    nb = notebook(
        "from openai import OpenAI\nclient = OpenAI(base_url='https://api.cerebras.ai/v1', "
        "api_key='x')",
        "client.chat.completions.create(model='gpt-4o', messages=[])  # cerebras-migrate: ignore",
    )
    result = migrate(Path("nb.ipynb"), dump(nb).encode())
    assert "gpt-4o'" in cells_of(result.new)[1]
    assert not [d for d in result.diagnostics if d.code == "CM301"]


# The file's own JSON style ----------------------------------------------------------------
STYLES = [
    pytest.param({"indent": 1, "sort_keys": True, "ensure_ascii": False}, "\n", id="jupyter"),
    pytest.param({"indent": 2, "ensure_ascii": False}, "\n", id="two-spaces"),
    pytest.param({"indent": "\t", "ensure_ascii": True}, "", id="tabs-ascii-no-final-newline"),
    pytest.param({"indent": 4, "ensure_ascii": True}, "\r\n", id="four-spaces-crlf"),
    pytest.param({"ensure_ascii": False}, "", id="one-line"),
    pytest.param({"indent": 1, "separators": (",", ":")}, "\n", id="tight-separators"),
]
BEFORE = [
    ("markdown", "# Café ☕ [notes]"),
    "%pip install openai\nfrom openai import OpenAI",
    "client = OpenAI()\n# café ☕\nclient.chat.completions.create(model='gpt-4o', messages=[])",
    "print('unchanged é')",
]


def _styled(nb: dict[str, Any], style: dict[str, Any], final: str, as_string: bool) -> bytes:
    nb = json.loads(json.dumps(nb))
    if as_string:
        for cell in nb["cells"]:
            cell["source"] = "".join(cell["source"])
    text = json.dumps(nb, **style) + final
    if final == "\r\n":
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


@pytest.mark.parametrize("as_string", [False, True], ids=["source-list", "source-string"])
@pytest.mark.parametrize(("style", "final"), STYLES)
def test_the_json_style_is_kept(style: dict[str, Any], final: str, as_string: bool) -> None:
    nb = notebook(*BEFORE, kernelspec={"language": "python", "name": "python3"})
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["[ok] {}"]}]
    nb["cells"][1]["execution_count"] = 7
    raw = _styled(nb, style, final, as_string)
    result = migrate(Path("nb.ipynb"), raw)
    assert result.status is Status.CHANGED
    # What the same writer would have written for the migrated notebook:
    migrated = json.loads(json.dumps(nb))
    for cell, source in zip(migrated["cells"], cells_of(result.new), strict=True):
        cell["source"] = source.splitlines(keepends=True)
    assert produced(result, raw) == _styled(migrated, style, final, as_string)
    # An unchanged notebook is not touched at all.
    again = migrate(Path("nb.ipynb"), produced(result, raw))
    assert again.status is Status.UNCHANGED and again.new == again.original


def test_unchanged_lines_keep_their_own_escapes() -> None:
    raw = (
        '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,\n'
        '  "source": ["from openai import OpenAI\\n", "s = \\"caf\\u00e9 \\/ ok\\"\\n",\n'
        '             "client = OpenAI()"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    result = migrate(Path("nb.ipynb"), raw.encode())
    assert '"s = \\"caf\\u00e9 \\/ ok\\"\\n"' in result.new  # byte for byte, escapes and all
    assert result.new.startswith(raw[: raw.index('"source"')])
    assert result.new.endswith('"metadata": {}, "nbformat": 4, "nbformat_minor": 5}')


def test_a_bom_is_kept() -> None:
    raw = b"\xef\xbb\xbf" + dump(notebook("from openai import OpenAI\nclient = OpenAI()")).encode()
    result, source = migrate_bytes(Path("nb.ipynb"), raw, settings())
    assert result.status is Status.CHANGED and source is not None
    assert files.encode(source, result.new).startswith(b"\xef\xbb\xbf{\n")


# Errors and safety ------------------------------------------------------------------------
def test_invalid_json_is_a_file_error() -> None:
    result = migrate(Path("nb.ipynb"), b'{"cells": [\n  {"cell_type": "code", "source": "openai"\n')
    assert result.status is Status.ERROR
    [error] = result.diagnostics
    assert (
        error.code == "CM902" and error.line == 3 and error.message.startswith("invalid notebook")
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'["openai"]', "CM902"),
        (b'{"openai": 1}', "CM902"),
        (b'{"cells": [{"cell_type": "code", "source": "import openai"}]}\xff', "CM902"),
    ],
)
def test_what_is_not_a_notebook_is_a_file_error(raw: bytes, code: str) -> None:
    result = migrate(Path("nb.ipynb"), raw)
    assert result.status is Status.ERROR and [d.code for d in result.diagnostics] == [code]


def test_odd_cells_are_left_alone() -> None:
    nb = notebook("from openai import OpenAI\nclient = OpenAI()")
    nb["cells"][:0] = [
        "not a cell",
        {"cell_type": "code"},
        {"cell_type": "code", "source": 42},
        {"cell_type": "raw", "source": "import openai"},
    ]
    result = migrate(Path("nb.ipynb"), dump(nb).encode())
    assert result.status is Status.CHANGED
    assert cells_of(result.new)[:4] == cells_of(result.original)[:4]


def test_nbformat_3_and_unrelated_notebooks_are_skipped() -> None:
    old = migrate(
        Path("nb.ipynb"), b'{"worksheets": [{"cells": []}], "nbformat": 3, "x": "openai"}'
    )
    assert old.status is Status.SKIPPED and "nbformat 3" in old.note
    plain = migrate(Path("nb.ipynb"), dump(notebook("print(1)")).encode())
    assert plain.status is Status.SKIPPED and plain.note == "no OpenAI or Cerebras usage"


def _sabotaged(monkeypatch: pytest.MonkeyPatch, change) -> None:  # type: ignore[no-untyped-def]
    real = notebooks.migrate_source

    def fake(text: str, settings: Settings):  # type: ignore[no-untyped-def]
        result = real(text, settings)
        result.code = change(result.code)
        return result

    monkeypatch.setattr(notebooks, "migrate_source", fake)


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (lambda code: re.sub(r"(?m)^__cmnb0_cell_1__\n", "", code), "a cell boundary"),
        (lambda code: code.replace("__cmnb0_end__", "pass"), "a cell boundary"),
        (lambda code: re.sub(r"(?m)^# __cmnb0_0__", "# lost", code), "IPython syntax in cell 1"),
        (lambda code: code.replace("OpenAI(\n", "OpenAI((\n", 1), "cell 1 would not parse"),
    ],
)
def test_a_rewrite_that_breaks_the_cells_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, what: str
) -> None:  # type: ignore[no-untyped-def]
    nb = notebook(
        "!pip install openai\nfrom openai import OpenAI\nclient = OpenAI(api_key='sk-a')",
        "client.chat.completions.create(model='gpt-4o', messages=[])",
    )
    path = tmp_path / "nb.ipynb"
    path.write_text(dump(nb), encoding="utf-8")
    _sabotaged(monkeypatch, change)
    result = process_file(path, settings(), write=True)
    assert result.status is Status.ERROR and not result.written
    [error] = [d for d in result.diagnostics if d.code == "CM903"]
    assert what in error.message and error.message.endswith("nothing written")
    assert path.read_text(encoding="utf-8") == dump(nb)


def test_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(dump(notebook("from openai import OpenAI\nclient = OpenAI()")))
    os.chmod(path, 0o640)
    result = process_file(path, settings(), write=True)
    assert result.written and (path.stat().st_mode & 0o777) == 0o640
    assert json.loads(path.read_text())["cells"][0]["source"][0] == "import os\n"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]  # no temporary file left


def test_file_positions_point_into_the_json() -> None:
    path = FIXTURES / "chat" / "input.ipynb"
    text = path.read_text(encoding="utf-8")
    result = migrate(path, path.read_bytes())
    lines = text.splitlines()
    for d in result.diagnostics:
        assert isinstance(d, CellDiagnostic)
        line = lines[d.file_line - 1]
        if d.code == "CM301" and d.cell == 5:
            assert line[d.file_column - 1 :].startswith('\\"gpt-4o-mini\\"')
        if d.code == "CM101":
            assert line[d.file_column - 1 :].startswith('api_key=\\"sk-proj-')


# Command line -----------------------------------------------------------------------------
CHAT = (FIXTURES / "chat" / "input.ipynb").read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "nb.ipynb").write_bytes(CHAT)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_bytes(CHAT)
    return tmp_path


def test_directories_yield_notebooks_but_not_checkpoints(project: Path) -> None:
    code, _, err = invoke("--check", "-v", ".", cwd=project)
    assert code == 1
    assert "1 file scanned, 1 parsed, 1 would be rewritten" in err
    assert "checkpoint" not in err
    code, out, _ = invoke("--check", ".ipynb_checkpoints/nb-checkpoint.ipynb", cwd=project)
    assert code == 1 and out == "Would rewrite .ipynb_checkpoints/nb-checkpoint.ipynb\n"


def test_write_then_second_run_is_clean(project: Path) -> None:
    code, out, err = invoke("nb.ipynb", cwd=project)
    assert code == 1 and out == ""
    assert (project / "nb.ipynb").read_bytes() == (
        FIXTURES / "chat" / "expected.openai.ipynb"
    ).read_bytes()
    assert "1 rewritten" in err
    code, _, err = invoke("nb.ipynb", cwd=project)
    assert code == 0 and "0 rewritten" in err


def test_diff_shows_per_cell_hunks(project: Path) -> None:
    code, out, err = invoke("--diff", "nb.ipynb", cwd=project)
    assert code == 1
    assert (project / "nb.ipynb").read_bytes() == CHAT
    headers = re.findall(r"^(?:---|\+\+\+) .*$", out, re.MULTILINE)
    assert headers == [
        f"{sign} {side}/nb.ipynb (cell {n})"
        for n in (4, 5, 8, 10)
        for sign, side in (("---", "a"), ("+++", "b"))
    ]
    assert out.startswith(
        "--- a/nb.ipynb (cell 4)\n+++ b/nb.ipynb (cell 4)\n@@ -1,5 +1,11 @@\n"
        " %load_ext dotenv\n %dotenv\n-from openai import OpenAI\n+import os\n \n"
        '-client = OpenAI(api_key="sk-…****")\n\\ No newline at end of file\n'
        "+from openai import Omit, OpenAI\n"
    )
    assert '+    model="gpt-oss-120b",\n' in out
    assert KEY not in out and KEY not in err
    assert '"cell_type"' not in out  # cell sources, not the file's JSON
    assert "nb.ipynb:cell 5:line 3:col 11 CM301 model 'gpt-4o-mini'" in err
    assert "nb.ipynb:cell 4:line 5:col 17 CM101" in err


def test_check_lists_the_notebook(project: Path) -> None:
    code, out, _ = invoke("--check", "nb.ipynb", cwd=project)
    assert code == 1 and out == "Would rewrite nb.ipynb\n"
    assert (project / "nb.ipynb").read_bytes() == CHAT


def test_broken_cell_exits_2_and_the_rest_is_written(tmp_path: Path) -> None:
    case = FIXTURES / "broken_cell"
    (tmp_path / "nb.ipynb").write_bytes((case / "input.ipynb").read_bytes())
    code, _, err = invoke("nb.ipynb", cwd=tmp_path)
    assert code == 2
    assert "nb.ipynb:cell 2:line 1:col 1 CM901 syntax error: Missing parentheses" in err
    assert (tmp_path / "nb.ipynb").read_bytes() != (case / "input.ipynb").read_bytes()


def test_invalid_notebook_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text('{"cells": [openai]}')
    (tmp_path / "b.ipynb").write_bytes(CHAT)
    code, _, err = invoke(".", cwd=tmp_path)
    assert code == 2
    assert "a.ipynb:1:12 CM902 invalid notebook JSON: Expecting value" in err
    assert (tmp_path / "b.ipynb").read_bytes() != CHAT
    assert (tmp_path / "a.ipynb").read_text() == '{"cells": [openai]}'


def test_skipped_kernel_is_said_with_verbose(tmp_path: Path) -> None:
    (tmp_path / "cs.ipynb").write_bytes((FIXTURES / "csharp_kernel" / "input.ipynb").read_bytes())
    code, _, err = invoke("-v", "cs.ipynb", cwd=tmp_path)
    assert code == 0
    assert "cs.ipynb: skipped, kernel language is 'C#' (only Python notebooks are migrated)" in err


def test_json_format_has_the_cell(project: Path) -> None:
    code, out, _ = invoke("--diff", "--output-format", "json", "nb.ipynb", cwd=project)
    assert code == 1
    doc = json.loads(out)
    first = doc["diagnostics"][0]
    assert (first["cell"], first["line"], first["column"], first["code"]) == (4, 5, 17, "CM101")
    [entry] = doc["files"]
    assert entry["diff"].startswith("--- a/nb.ipynb (cell 4)\n+++ b/nb.ipynb (cell 4)\n")
    assert KEY not in out


def test_github_and_sarif_locate_cells_in_the_file(project: Path) -> None:
    text = CHAT.decode("utf-8")
    model_line = next(n for n, line in enumerate(text.splitlines(), 1) if "gpt-4o-mini" in line)
    _, out, _ = invoke("--check", "--output-format", "github", "nb.ipynb", cwd=project)
    assert (
        f"::notice file=nb.ipynb,line={model_line},col=16,title=CM301::cell 5, line 3, column 11: "
        "model 'gpt-4o-mini' is not served by Cerebras" in out
    )
    _, out, _ = invoke("--check", "--output-format", "sarif", "nb.ipynb", cwd=project)
    doc = json.loads(out)
    assert_valid_sarif(doc)
    results = doc["runs"][0]["results"]
    cm301 = next(r for r in results if r["ruleId"] == "CM301")
    region = cm301["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": model_line, "startColumn": 16}
    assert cm301["properties"] == {"cell": 5, "cellLine": 3, "cellColumn": 11}
    assert cm301["message"]["text"].startswith("cell 5, line 3, column 11: model 'gpt-4o-mini'")
    fix = next(r for r in results if r["ruleId"] == "rewrite")["fixes"][0]
    expected = (FIXTURES / "chat" / "expected.openai.ipynb").read_text(encoding="utf-8")
    assert apply_sarif_fix(text, fix) == expected


def test_an_integer_longer_than_python_converts_is_kept(tmp_path: Path) -> None:
    """CPython refuses ``int()`` of more than 4,300 digits; a notebook holding such a number
    (an output, a metadata value) is migrated all the same, the number kept byte for byte."""
    digits = "7" * 5000
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "outputs": [],
                "source": ["from openai import OpenAI\n", "client = OpenAI()"],
            }
        ],
        "metadata": {"big": 0},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(nb, indent=1).replace('"big": 0', f'"big": {digits}')
    (tmp_path / "nb.ipynb").write_text(text, "utf-8")
    code, _, err = invoke("nb.ipynb", cwd=tmp_path)
    assert code == 1, err
    assert "Traceback" not in err and "CM903" not in err, err
    after = (tmp_path / "nb.ipynb").read_text("utf-8")
    assert f'"big": {digits}' in after and "api.cerebras.ai" in after
