"""The command line, end to end on real files: modes, exit codes, discovery, config, stdin."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import MIGRATED_APP, OPENAI_APP, PLAIN

from migrator.cli import main


def invoke(*args: str, cwd: Path, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the CLI in ``cwd`` with click's runner; stdout and stderr apart."""
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(OPENAI_APP)
    (tmp_path / "plain.py").write_text(PLAIN)
    return tmp_path


def test_rewrites_in_place_and_exits_1(repo: Path) -> None:
    code, out, err = invoke(cwd=repo)
    assert code == 1
    assert (repo / "app.py").read_text() == MIGRATED_APP
    assert (repo / "plain.py").read_text() == PLAIN
    assert "app.py:8:15 CM301 model 'gpt-4o-mini' is not served by Cerebras" in err
    assert "2 files scanned, 1 parsed, 1 rewritten, 2 call sites rewritten" in err
    assert out == ""


def test_second_run_changes_nothing_and_exits_0(repo: Path) -> None:
    invoke(cwd=repo)
    code, _, err = invoke(cwd=repo)
    assert code == 0
    assert (repo / "app.py").read_text() == MIGRATED_APP
    assert "0 rewritten" in err


def test_diff_writes_nothing_and_prints_a_patch_that_applies(repo: Path) -> None:
    code, out, _ = invoke("--diff", cwd=repo)
    assert code == 1
    assert (repo / "app.py").read_text() == OPENAI_APP
    assert out.startswith("--- a/app.py\n+++ b/app.py\n@@ ")
    assert '+    base_url="https://api.cerebras.ai/v1",\n' in out
    # The diff is a real patch: git applies it and the result is the migrated file.
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "-"], cwd=repo, input=out.encode(), check=True)
    assert (repo / "app.py").read_text() == MIGRATED_APP


def test_check_lists_files_and_writes_nothing(repo: Path) -> None:
    code, out, _ = invoke("--check", cwd=repo)
    assert code == 1
    assert out == "Would rewrite app.py\n"
    assert (repo / "app.py").read_text() == OPENAI_APP


def test_check_clean_tree_exits_0(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text(PLAIN)
    assert invoke("--check", cwd=tmp_path)[0] == 0


def test_diff_and_check_together_is_a_usage_error(repo: Path) -> None:
    code, _, err = invoke("--diff", "--check", cwd=repo)
    assert code == 2
    assert "cannot be combined" in err


def test_missing_path_exits_2(repo: Path) -> None:
    code, _, err = invoke("nope.py", cwd=repo)
    assert code == 2
    assert "nope.py" in err


def test_unparsable_file_is_reported_and_others_still_processed(repo: Path) -> None:
    (repo / "broken.py").write_text("import openai\nprint 'python 2'\n")
    code, _, err = invoke(cwd=repo)
    assert code == 2
    assert "broken.py:2:" in err and "CM901" in err
    assert (repo / "broken.py").read_text() == "import openai\nprint 'python 2'\n"
    assert (repo / "app.py").read_text() == MIGRATED_APP


def test_stdin_to_stdout(tmp_path: Path) -> None:
    code, out, _ = invoke("-", cwd=tmp_path, stdin=OPENAI_APP.encode())
    assert code == 1
    assert out == MIGRATED_APP


def test_stdin_unchanged_is_echoed(tmp_path: Path) -> None:
    code, out, _ = invoke("-", cwd=tmp_path, stdin=PLAIN.encode())
    assert code == 0
    assert out == PLAIN


def test_stdin_diff(tmp_path: Path) -> None:
    code, out, _ = invoke("--diff", "-", cwd=tmp_path, stdin=OPENAI_APP.encode())
    assert code == 1
    assert out.startswith("--- a/-\n+++ b/-\n")


def test_explicit_file_is_processed_even_when_excluded(repo: Path) -> None:
    build = repo / "build"
    build.mkdir()
    (build / "gen.py").write_text(OPENAI_APP)
    code, _, _ = invoke(cwd=repo)
    assert (build / "gen.py").read_text() == OPENAI_APP  # excluded by default in a walk
    code, _, _ = invoke("build/gen.py", cwd=repo)
    assert code == 1
    assert (build / "gen.py").read_text() == MIGRATED_APP


def test_exclude_replaces_defaults_and_extend_exclude_adds(repo: Path) -> None:
    (repo / "build").mkdir()
    (repo / "build" / "gen.py").write_text(OPENAI_APP)
    invoke("--check", "--exclude", "app.py", cwd=repo)
    code, out, _ = invoke("--check", "--exclude", "app.py", cwd=repo)
    assert out == "Would rewrite build/gen.py\n"
    code, out, _ = invoke("--check", "--extend-exclude", "app.py", cwd=repo)
    assert code == 0 and out == ""


def test_nested_gitignore_is_honoured(repo: Path) -> None:
    sub = repo / "pkg"
    sub.mkdir()
    (sub / ".gitignore").write_text("ignored_*.py\n")
    (sub / "ignored_one.py").write_text(OPENAI_APP)
    (sub / "kept.py").write_text(OPENAI_APP)
    code, out, _ = invoke("--check", cwd=repo)
    assert code == 1
    assert out.splitlines() == ["Would rewrite app.py", "Would rewrite pkg/kept.py"]


def test_generated_files_are_skipped(repo: Path) -> None:
    (repo / "gen.py").write_text("# @generated by a tool\n" + OPENAI_APP)
    code, out, err = invoke("--check", "-v", cwd=repo)
    assert code == 1
    assert out == "Would rewrite app.py\n"
    assert "gen.py: skipped, marked @generated" in err


def test_config_from_pyproject_and_flags_win(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.cerebras-migrate]\napi-key-env = "MY_CEREBRAS_KEY"\n'
        'model-map = { "gpt-4o-mini" = "zai-glm-4.7" }\n'
    )
    invoke(cwd=repo)
    text = (repo / "app.py").read_text()
    assert 'os.environ.get("MY_CEREBRAS_KEY")' in text
    assert 'model="zai-glm-4.7"' in text
    (repo / "app.py").write_text(OPENAI_APP)
    invoke("--api-key-env", "FROM_FLAG", "--model-map", "gpt-4o-mini=gemma-4-31b", cwd=repo)
    text = (repo / "app.py").read_text()
    assert 'os.environ.get("FROM_FLAG")' in text
    assert 'model="gemma-4-31b"' in text


def test_config_is_found_from_a_subdirectory_path(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.cerebras-migrate]\nkeep-models = true\n")
    sub = repo / "src"
    sub.mkdir()
    (sub / "app.py").write_text(OPENAI_APP)
    invoke("src", cwd=repo)
    assert 'model="gpt-4o-mini"' in (sub / "app.py").read_text()


def test_bad_config_is_a_usage_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.cerebras-migrate]\ntarget = "nope"\n')
    code, _, err = invoke(cwd=repo)
    assert code == 2
    assert "target must be one of" in err


def test_unknown_config_key_is_a_usage_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.cerebras-migrate]\nbase-ulr = 'x'\n")
    code, _, err = invoke(cwd=repo)
    assert code == 2
    assert "unknown setting 'base-ulr'" in err


def test_keep_models_and_base_url_flags(repo: Path) -> None:
    invoke("--keep-models", "--base-url", "http://127.0.0.1:8000/v1", cwd=repo)
    text = (repo / "app.py").read_text()
    assert 'model="gpt-4o-mini"' in text
    assert 'base_url="http://127.0.0.1:8000/v1"' in text


def test_bad_model_map_is_a_usage_error(repo: Path) -> None:
    code, _, err = invoke("--model-map", "gpt-4o", cwd=repo)
    assert code == 2
    assert "not OLD=NEW" in err


def test_code_that_looks_like_markup_prints_verbatim(tmp_path: Path) -> None:
    src = 'from openai import OpenAI\nprint("[bold]x[/bold]", "[/tmp]")\nclient = OpenAI()\n'
    (tmp_path / "m.py").write_text(src)
    code, out, _ = invoke("--diff", cwd=tmp_path)
    assert code == 1
    assert ' print("[bold]x[/bold]", "[/tmp]")\n' in out


def test_color_diff_keeps_markup_literal(tmp_path: Path) -> None:
    src = 'from openai import OpenAI\nclient = OpenAI()  # [red]not markup[/red] "[/tmp]"\n'
    (tmp_path / "m.py").write_text(src)
    runner = CliRunner(env={"FORCE_COLOR": "1"})
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["--diff"])
    finally:
        os.chdir(old)
    assert "\x1b[" in result.stdout  # coloured
    assert '# [red]not markup[/red] "[/tmp]"' in result.stdout
    no_color = CliRunner(env={"FORCE_COLOR": "1"})
    os.chdir(tmp_path)
    try:
        plain = no_color.invoke(main, ["--diff", "--no-color"])
    finally:
        os.chdir(old)
    assert "\x1b[" not in plain.stdout


def test_hard_coded_key_never_printed(tmp_path: Path) -> None:
    key = "sk-proj-SECRETSECRETSECRET0123456789"
    (tmp_path / "m.py").write_text(f'from openai import OpenAI\nclient = OpenAI(api_key="{key}")\n')
    code, out, err = invoke("--diff", cwd=tmp_path)
    assert code == 1
    assert key not in out and key not in err
    assert "CM101" in err
    assert "-client = OpenAI(api_key=" in out


def test_permission_bits_and_crlf_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_bytes(OPENAI_APP.replace("\n", "\r\n").encode())
    path.chmod(0o755)
    invoke(cwd=tmp_path)
    assert path.read_bytes() == MIGRATED_APP.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_help_states_exit_codes(tmp_path: Path) -> None:
    _, out, _ = invoke("--help", cwd=tmp_path)
    assert "Exit codes:" in out
    assert "2  a file could not be processed" in out


def test_version(tmp_path: Path) -> None:
    code, out, _ = invoke("--version", cwd=tmp_path)
    assert code == 0 and out.startswith("cerebras-migrate, version ")


def test_python_dash_m_entry_point(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "migrator", "--check", "."],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stdout == "Would rewrite app.py\n"


def test_quiet_prints_no_summary(repo: Path) -> None:
    _, _, err = invoke("-q", "--check", cwd=repo)
    assert "scanned" not in err
    assert "CM301" in err


CEREBRAS_APP = """\
from cerebras.cloud.sdk import Cerebras

client = Cerebras()


def ask(question: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-oss-120b",
        messages=[{"role": "user", "content": question}],
    )
    return reply.choices[0].message.content
"""


def test_target_cerebras_from_flag_and_from_config(repo: Path) -> None:
    code, _, _ = invoke("--target", "cerebras", "app.py", cwd=repo)
    assert code == 1
    assert (repo / "app.py").read_text() == CEREBRAS_APP
    (repo / "app.py").write_text(OPENAI_APP)
    (repo / "pyproject.toml").write_text('[tool.cerebras-migrate]\ntarget = "cerebras"\n')
    invoke("app.py", cwd=repo)
    assert (repo / "app.py").read_text() == CEREBRAS_APP


def test_way_back_to_the_openai_client(repo: Path) -> None:
    (repo / "app.py").write_text(CEREBRAS_APP)
    code, _, _ = invoke("app.py", cwd=repo)
    assert code == 1
    assert (repo / "app.py").read_text() == MIGRATED_APP


def test_drop_unsupported_flag(tmp_path: Path) -> None:
    src = (
        "from openai import OpenAI\n\nclient = OpenAI()\n"
        'client.chat.completions.create(model="gpt-oss-120b", messages=[], store=True)\n'
    )
    (tmp_path / "m.py").write_text(src)
    code, _, err = invoke("--target", "cerebras", "--check", cwd=tmp_path)
    assert code == 1
    assert "CM204 `store` is not a keyword of the Cerebras SDK" in err
    invoke("--target", "cerebras", "--drop-unsupported", cwd=tmp_path)
    text = (tmp_path / "m.py").read_text()
    assert 'client.chat.completions.create(model="gpt-oss-120b", messages=[])\n' in text


def test_line_length_comes_from_the_projects_formatter(repo: Path) -> None:
    (repo / "pyproject.toml").write_text("[tool.ruff]\nline-length = 120\n")
    invoke("app.py", cwd=repo)
    text = (repo / "app.py").read_text()
    assert (
        'client = OpenAI(base_url="https://api.cerebras.ai/v1", '
        'api_key=os.environ.get("CEREBRAS_API_KEY"))\n'
    ) in text


def test_notebooks_are_migrated_not_read_as_python(tmp_path: Path) -> None:
    # tests/test_notebooks.py has the rest.
    notebook = '{"cells": [{"cell_type": "code", "source": ["import openai\\n"]}]}\n'
    (tmp_path / "nb.ipynb").write_text(notebook)
    code, out, err = invoke("-v", "nb.ipynb", cwd=tmp_path)
    assert code == 0 and out == ""
    assert "skipped" not in err and "1 file scanned, 1 parsed, 0 rewritten" in err
    assert (tmp_path / "nb.ipynb").read_text() == notebook
