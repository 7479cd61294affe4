"""The hooks in ``.pre-commit-hooks.yaml``, run by the real ``pre-commit`` in a scratch repo.

pre-commit installs a hook by cloning its repository at a commit and pip-installing it into a
virtualenv of its own. So the tests commit the project's current working tree into a scratch
clone (``checkout``) and point pre-commit at it: once through ``pre-commit try-repo``, the
way a hook author tries a hook, and otherwise through a ``.pre-commit-config.yaml`` naming the
clone and its commit, the way a user adds the hook. ``PRE_COMMIT_HOME`` is one folder for the
whole session, so the configured hook is installed once (``try-repo`` always installs into a
throwaway store of its own: it is used once, by one test). Installing reaches the package
registry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import OPENAI_APP, PLAIN
from test_secrets import APP, COMMENT_KEY, CTOR_KEY, assert_no_secret, mask
from test_secrets import BROKEN as BROKEN_WITH_KEY

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300  # seconds; a hook install is the slow part

BROKEN = """\
import openai

print "this is Python 2"
"""

IGNORED_IN_CHECKOUT = {".git", ".venv", "venv", "__pycache__", "build", "dist"}


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def _project_files() -> list[Path]:
    """The working tree as git sees it (tracked and untracked, not ignored), relative to
    ROOT; without git, every file outside caches, builds and virtualenvs."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [Path(name) for name in out.split("\0") if name]
    else:
        names = [p.relative_to(ROOT) for p in ROOT.rglob("*") if p.is_file()]
        names = [n for n in names if not IGNORED_IN_CHECKOUT & set(n.parts)]
        names = [n for n in names if not any(part.endswith(".egg-info") for part in n.parts)]
    return [name for name in names if (ROOT / name).is_file()]


@pytest.fixture(scope="session")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """git with no user or system configuration but an identity; one PRE_COMMIT_HOME."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path_factory.mktemp("pre-commit-home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        PRE_COMMIT_HOME=str(home / "store"),
        PRE_COMMIT_COLOR="never",
    )
    return env


@pytest.fixture(scope="session")
def checkout(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> Path:
    """A git repository whose HEAD holds the project's current working tree."""
    dest = tmp_path_factory.mktemp("checkout") / "cerebras-migrate"
    for name in _project_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    _git("init", "-q", cwd=dest, env=git_env)
    _git("add", "-A", cwd=dest, env=git_env)
    _git("commit", "-q", "--no-verify", "-m", "working tree under test", cwd=dest, env=git_env)
    return dest


@pytest.fixture
def repo(tmp_path: Path, git_env: dict[str, str]) -> Path:
    """A user's repository: an OpenAI app and a plain file, staged."""
    work = tmp_path / "work"
    work.mkdir()
    _git("init", "-q", cwd=work, env=git_env)
    (work / "app.py").write_text(OPENAI_APP)
    (work / "plain.py").write_text(PLAIN)
    _git("add", "-A", cwd=work, env=git_env)
    return work


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def configure(repo: Path, checkout: Path, env: dict[str, str], hooks: str) -> None:
    """A ``.pre-commit-config.yaml`` that names the scratch clone at its commit, staged."""
    rev = _git("rev-parse", "HEAD", cwd=checkout, env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {checkout.as_posix()}\n    rev: {rev}\n    hooks:\n{hooks}"
    )
    _git("add", ".pre-commit-config.yaml", cwd=repo, env=env)


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def test_manifest_declares_both_hooks() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"cerebras-migrate", "cerebras-migrate-check"}
    assert hooks["cerebras-migrate"]["entry"] == "cerebras-migrate"
    assert hooks["cerebras-migrate-check"]["entry"] == "cerebras-migrate --diff"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi", "jupyter", "javascript", "jsx", "ts", "tsx"]


def test_try_repo_rewrites_then_passes(repo: Path, checkout: Path, git_env: dict[str, str]) -> None:
    args = ("try-repo", str(checkout), "cerebras-migrate", "--all-files")
    first = pre_commit(*args, cwd=repo, env=git_env)
    assert first.returncode == 1, output(first)
    assert "files were modified by this hook" in output(first)
    migrated = (repo / "app.py").read_text()
    assert 'base_url="https://api.cerebras.ai/v1"' in migrated
    assert 'model="gpt-oss-120b"' in migrated
    assert (repo / "plain.py").read_text() == PLAIN

    # Then it passes: run by the configured hook, the same hook installed once for the
    # session (a second try-repo would install it again, into a store of its own).
    configure(repo, checkout, git_env, "      - id: cerebras-migrate\n")
    second = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert second.returncode == 0, output(second)
    assert (repo / "app.py").read_text() == migrated


def test_commit_is_stopped_until_the_rewrite_is_staged(
    repo: Path, checkout: Path, git_env: dict[str, str]
) -> None:
    """Like pyupgrade: the hook rewrites, the commit fails, the user stages and commits."""
    configure(repo, checkout, git_env, "      - id: cerebras-migrate\n")
    installed = pre_commit("install", cwd=repo, env=git_env)
    assert installed.returncode == 0, output(installed)

    commit = subprocess.run(
        ["git", "commit", "-m", "add app"], cwd=repo, env=git_env, capture_output=True, text=True
    )
    assert commit.returncode != 0, output(commit)
    assert "files were modified by this hook" in output(commit)
    assert 'os.environ["CEREBRAS_API_KEY"]' in (repo / "app.py").read_text()

    _git("add", "app.py", cwd=repo, env=git_env)
    _git("commit", "-q", "-m", "add app", cwd=repo, env=git_env)  # raises if the hook fails

    (repo / "broken.py").write_text(BROKEN)
    _git("add", "broken.py", cwd=repo, env=git_env)
    commit = subprocess.run(
        ["git", "commit", "-m", "add broken"], cwd=repo, env=git_env, capture_output=True, text=True
    )
    assert commit.returncode != 0, output(commit)
    assert "broken.py:3:" in output(commit)  # the file and the line
    assert "CM901 syntax error" in output(commit)
    assert (repo / "broken.py").read_text() == BROKEN


def test_check_hook_prints_the_diff_and_writes_nothing(
    repo: Path, checkout: Path, git_env: dict[str, str]
) -> None:
    configure(repo, checkout, git_env, "      - id: cerebras-migrate-check\n")
    proc = pre_commit("run", "cerebras-migrate-check", "--all-files", cwd=repo, env=git_env)
    assert proc.returncode == 1, output(proc)
    assert "--- a/app.py\n+++ b/app.py\n" in proc.stdout
    assert '+    base_url="https://api.cerebras.ai/v1",\n' in proc.stdout
    assert (repo / "app.py").read_text() == OPENAI_APP
    assert _git("diff", "--stat", cwd=repo, env=git_env) == ""  # nothing written


def test_args_reach_the_tool(repo: Path, checkout: Path, git_env: dict[str, str]) -> None:
    configure(
        repo,
        checkout,
        git_env,
        "      - id: cerebras-migrate\n"
        "        args: [--target, cerebras, --model-map, 'gpt-4o*=zai-glm-4.7']\n",
    )
    proc = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert proc.returncode == 1, output(proc)
    migrated = (repo / "app.py").read_text()
    assert "from cerebras.cloud.sdk import Cerebras" in migrated
    assert 'model="zai-glm-4.7"' in migrated
    again = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert again.returncode == 0, output(again)


def test_hooks_never_print_a_key(repo: Path, checkout: Path, git_env: dict[str, str]) -> None:
    """Both hooks on staged files holding keys: the check hook's diff and the rewriting
    hook's report mask them; the rewritten file keeps the key the rewrite did not touch."""
    configure(
        repo,
        checkout,
        git_env,
        "      - id: cerebras-migrate-check\n      - id: cerebras-migrate\n",
    )
    (repo / "keys.py").write_text(APP)
    (repo / "broken.py").write_text(BROKEN_WITH_KEY)
    _git("add", "-A", cwd=repo, env=git_env)
    proc = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert proc.returncode == 1, output(proc)
    shown = assert_no_secret(proc.stdout, proc.stderr)
    assert f" # old key, revoked: {mask(COMMENT_KEY)}\n" in shown  # the check hook's diff
    assert f"hard-coded API key ({mask(CTOR_KEY)})" in shown
    assert "CM901" in shown
    written = (repo / "keys.py").read_text()
    assert CTOR_KEY not in written and COMMENT_KEY in written


def test_a_staged_file_named_like_an_option_is_migrated(
    repo: Path, checkout: Path, git_env: dict[str, str]
) -> None:
    """pre-commit puts no ``--`` before the file names: ``-x.py`` must still be a file, not
    an unknown option (a usage error that would stop every commit touching it)."""
    (repo / "-x.py").write_text(OPENAI_APP)
    _git("add", "--", "-x.py", cwd=repo, env=git_env)
    # The configured hook (installed once for the session), not try-repo: the same hook.
    configure(repo, checkout, git_env, "      - id: cerebras-migrate\n")
    run = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert run.returncode == 1, output(run)
    assert "No such option" not in output(run)
    assert 'base_url="https://api.cerebras.ai/v1"' in (repo / "-x.py").read_text()


JS_CLIENT = 'import OpenAI from "openai";\n\nexport const openai = new OpenAI();\n'
JS_USE = (
    'import { openai } from "./client";\n\n'
    'await openai.chat.completions.create({ model: "gpt-4o", messages: [] });\n'
)


def test_staged_typescript_and_javascript_files_are_migrated(
    repo: Path, checkout: Path, git_env: dict[str, str]
) -> None:
    """The hooks take JS/TS files (``types_or``): a staged ``.ts`` client, a module using it
    that never names the SDK, and a ``-x.mjs`` named like an option."""
    (repo / "client.ts").write_text(JS_CLIENT)
    (repo / "use.ts").write_text(JS_USE)
    (repo / "-x.mjs").write_text(JS_CLIENT)
    _git("add", "--", "client.ts", "use.ts", "-x.mjs", cwd=repo, env=git_env)
    configure(repo, checkout, git_env, "      - id: cerebras-migrate\n")
    run = pre_commit("run", "--all-files", cwd=repo, env=git_env)
    assert run.returncode == 1, output(run)
    assert "No such option" not in output(run)
    for name in ("client.ts", "-x.mjs"):
        assert 'baseURL: "https://api.cerebras.ai/v1"' in (repo / name).read_text(), name
    assert 'model: "gpt-oss-120b"' in (repo / "use.ts").read_text()
