"""Which openai release the openai target writes for: ``--openai-version``, the config, or
the project's own pins (``migrator/pins.py``), on real files in scratch projects."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import helpers
import pytest
from packaging.specifiers import SpecifierSet

from codemods.facts import openai_params
from migrator.pins import (
    allowed_api,
    assume_version,
    detect_openai_version,
    poetry_specifiers,
    search_folders,
)
from migrator.settings import ConfigError, build_settings

LATEST = openai_params.known_openai_versions()[-1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository (a ``.git`` folder is all the search looks for), the working
    folder, so sources are shown relative to it."""
    root = tmp_path.resolve()
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def detect(start: Path) -> tuple[str, str] | None:
    """The release and its source (``Pin.api`` is tested on its own below)."""
    found = detect_openai_version(start)
    return None if found is None else (found.version, found.source)


# --- what a requirement means -----------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "version", "why"),
    [
        ("==1.30.0", "1.30.0", ""),
        ("===1.30.0", "1.30.0", ""),
        ("==1.57.0", "1.57.0", ""),  # between recorded releases: kept as it is
        # An upper bound: the newest release on record below it (1.57.x is not recorded,
        # and the facts known about it are those of 1.55.0).
        ("<1.58", "1.55.0", "the newest release on record it allows"),
        (">=1.40,<1.58", "1.55.0", "the newest release on record it allows"),
        ("<1.58.0", "1.55.0", "the newest release on record it allows"),
        ("<=1.57.3", "1.57.3", "the newest release it allows"),
        ("<=1.58.0", "1.58.0", "the newest release on record it allows"),
        ("~=1.57.2", "1.57.2", "the newest release it allows"),  # >=1.57.2, ==1.57.*
        ("==1.30.*", "1.30.0", "the newest release on record it allows"),
        ("~=1.30", "1.109.1", "the newest release on record it allows"),  # the newest 1.x
        ("<2", "1.109.1", "the newest release on record it allows"),
        (">=1.40", LATEST, "no upper bound: the newest release on record"),
        ("!=1.30.0", LATEST, "no upper bound: the newest release on record"),
        ("", LATEST, "no version constraint: the newest release on record"),
        (">1.57,<1.58", "1.57", "it allows no release on record: its lower bound"),
        # Below 1.0: the last 0.x release, never a 1.x release the code was not written for.
        ("<1.0", "0.28.1", "the newest release on record it allows"),
        ("~=0.27", "0.28.1", "the newest release on record it allows"),
        (">=0.27,<0.28", "0.27", "the newest release it allows"),
        ("==0.28.1", "0.28.1", ""),
    ],
)
def test_assumed_version_for_a_specifier(spec: str, version: str, why: str) -> None:
    assumed, reason = assume_version((SpecifierSet(spec),))
    assert (str(assumed), reason) == (version, why)


@pytest.mark.parametrize(
    ("constraint", "pep440", "version"),
    [
        ("^1.30", ["<2,>=1.30"], "1.109.1"),
        ("^1.30.2", ["<2,>=1.30.2"], "1.109.1"),
        ("^0.28", ["<0.29,>=0.28"], "0.28.1"),
        ("^0.0.3", ["<0.0.4,>=0.0.3"], "0.0.3"),
        ("~1.57", ["<1.58,>=1.57"], "1.57"),
        ("~1.57.1", ["<1.58,>=1.57.1"], "1.57.1"),
        ("~1", ["<2,>=1"], "1.109.1"),
        ("1.30.0", ["==1.30.0"], "1.30.0"),
        ("=1.30.0", ["==1.30.0"], "1.30.0"),
        ("1.57.*", ["==1.57.*"], "1.57"),
        (">=1.40 <1.58", ["<1.58,>=1.40"], "1.55.0"),
        (">=1.40,<1.58", ["<1.58,>=1.40"], "1.55.0"),
        ("~=1.57.2", ["~=1.57.2"], "1.57.2"),
        ("*", [""], LATEST),
        ("^1.30 || ^2.0", ["<2,>=1.30", "<3,>=2.0"], "2.54.0"),  # alternatives: the newest
    ],
)
def test_poetry_constraints(constraint: str, pep440: list[str], version: str) -> None:
    specifiers = poetry_specifiers(constraint)
    assert [str(s) for s in specifiers] == pep440
    assert str(assume_version(specifiers)[0]) == version


# --- each source ----------------------------------------------------------------------------


def test_pep621_dependencies(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """
        [project]
        name = "app"
        dependencies = ["httpx>=0.27", "openai>=1.40,<1.58"]
        """,
    )
    assert detect(repo / "app.py") == (
        "1.55.0",
        "pyproject.toml: openai>=1.40,<1.58; the newest release on record it allows",
    )


def test_pep621_optional_dependencies_and_extras_in_the_name(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """
        [project]
        name = "app"
        dependencies = ["httpx"]

        [project.optional-dependencies]
        llm = ["OpenAI[datalib]==1.30.0; python_version >= '3.8'"]
        """,
    )
    assert detect(repo) == (
        "1.30.0",
        "pyproject.toml: OpenAI[datalib]==1.30.0; python_version >= '3.8'",
    )


def test_pep735_dependency_groups(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """
        [dependency-groups]
        dev = [{include-group = "llm"}, "pytest"]
        llm = ["openai<=1.57.3"]
        """,
    )
    assert detect(repo) == (
        "1.57.3",
        "pyproject.toml: openai<=1.57.3; the newest release it allows",
    )


def test_poetry_dependencies(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """
        [tool.poetry.dependencies]
        python = "^3.10"
        openai = { version = "~1.57", optional = true }
        """,
    )
    assert detect(repo) == (
        "1.57.0",
        'pyproject.toml: openai = "~1.57"; the newest release it allows',
    )


def test_poetry_group_dependencies(repo: Path) -> None:
    write(
        repo / "pyproject.toml",
        """
        [tool.poetry.dependencies]
        python = "^3.10"

        [tool.poetry.group.llm.dependencies]
        openai = "1.30.0"
        """,
    )
    assert detect(repo) == ("1.30.0", 'pyproject.toml: openai = "1.30.0"')


def test_requirements_with_a_range_hashes_comments_and_continuations(repo: Path) -> None:
    write(
        repo / "requirements.txt",
        """
        # the LLM client
        --index-url https://example.invalid/simple
        -e ./vendored/thing
        openai-agents==0.1.0
        openai>=1.40,<1.58 \\
            --hash=sha256:0000  # pinned for the proxy
        """,
    )
    assert detect(repo / "src" / "app.py") == (
        "1.55.0",
        "requirements.txt: openai>=1.40,<1.58; the newest release on record it allows",
    )


def test_requirements_includes_are_followed(repo: Path) -> None:
    write(repo / "requirements.txt", "-r requirements/base.txt\nrich\n")
    write(repo / "requirements" / "base.txt", "--constraint ../constraints.txt\nopenai\n")
    write(repo / "constraints.txt", "openai==1.45.0\n")
    assert detect(repo) == ("1.45.0", "constraints.txt: openai==1.45.0")


def test_an_include_cycle_ends(repo: Path) -> None:
    write(repo / "requirements.txt", "-r requirements-dev.txt\n")
    write(repo / "requirements-dev.txt", "-r requirements.txt\nopenai==1.30.0\n")
    assert detect(repo) == ("1.30.0", "requirements-dev.txt: openai==1.30.0")


def test_other_requirements_files_after_requirements_txt(repo: Path) -> None:
    write(repo / "requirements-dev.txt", "openai==1.50.0\n")
    write(repo / "requirements" / "prod.txt", "openai==1.20.0\n")
    assert detect(repo) == ("1.50.0", "requirements-dev.txt: openai==1.50.0")
    write(repo / "requirements.txt", "openai==1.30.0\n")
    assert detect(repo) == ("1.30.0", "requirements.txt: openai==1.30.0")


def test_uv_lock_beats_the_range_beside_it(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "app"\ndependencies = ["openai>=1.40"]\n')
    write(
        repo / "uv.lock",
        """
        version = 1
        requires-python = ">=3.10"

        [[package]]
        name = "app"
        version = "0.1.0"
        source = { editable = "." }

        [[package]]
        name = "openai"
        version = "1.45.1"
        source = { registry = "https://example.invalid/simple" }
        """,
    )
    assert detect(repo) == ("1.45.1", "uv.lock: openai 1.45.1 (locked)")


def test_poetry_lock(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.poetry.dependencies]\nopenai = "^1.30"\n')
    write(
        repo / "poetry.lock",
        """
        [[package]]
        name = "openai"
        version = "1.35.3"
        description = "The official Python library for the openai API"
        optional = false

        [metadata]
        lock-version = "2.0"
        """,
    )
    assert detect(repo) == ("1.35.3", "poetry.lock: openai 1.35.3 (locked)")


def test_pipfile_and_pipfile_lock(repo: Path) -> None:
    write(repo / "Pipfile", '[packages]\nopenai = "<1.58"\n')
    assert detect(repo) == (
        "1.55.0",
        'Pipfile: openai = "<1.58"; the newest release on record it allows',
    )
    write(repo / "Pipfile.lock", '{"default": {"openai": {"version": "==1.52.2"}}, "develop": {}}')
    assert detect(repo) == ("1.52.2", "Pipfile.lock: openai 1.52.2 (locked)")


def test_setup_cfg(repo: Path) -> None:
    write(
        repo / "setup.cfg",
        """
        [metadata]
        name = app

        [options]
        install_requires =
            httpx
            openai ~= 1.57.2  # the last before reasoning_effort
        """,
    )
    assert detect(repo) == (
        "1.57.2",
        "setup.cfg: openai ~= 1.57.2; the newest release it allows",
    )


def test_setup_cfg_extras(repo: Path) -> None:
    write(repo / "setup.cfg", "[options.extras_require]\nllm =\n    openai==1.30.0\n")
    assert detect(repo) == ("1.30.0", "setup.cfg: openai==1.30.0")


def test_malformed_files_are_skipped(repo: Path) -> None:
    write(repo / "pyproject.toml", "[project\n")
    write(repo / "uv.lock", "not toml = = =\n")
    write(repo / "setup.cfg", "no section header\n")
    write(repo / "requirements.txt", "openai>=>1\nopenai==1.30.0\n")
    assert detect(repo) == ("1.30.0", "requirements.txt: openai==1.30.0")


def test_nothing_about_openai(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "app"\ndependencies = ["httpx"]\n')
    write(repo / "requirements.txt", "openai-agents==0.1.0\n")
    assert detect(repo) is None


# --- precedence and where the search goes --------------------------------------------------


def test_the_nearest_folder_that_mentions_openai_wins(repo: Path) -> None:
    write(repo / "requirements.txt", "openai==1.80.0\n")
    write(repo / "services" / "api" / "requirements.txt", "openai==1.30.0\n")
    write(repo / "services" / "worker" / "pyproject.toml", '[project]\nname = "worker"\n')
    assert detect(repo / "services" / "api" / "main.py") == (
        "1.30.0",
        os.path.join("services", "api", "requirements.txt") + ": openai==1.30.0",
    )
    # A project that says nothing about openai inherits what the repository pins.
    assert detect(repo / "services" / "worker") == ("1.80.0", "requirements.txt: openai==1.80.0")


def test_a_workspace_lock_above_settles_a_member_range(repo: Path) -> None:
    write(repo / "uv.lock", '[[package]]\nname = "openai"\nversion = "1.50.0"\n')
    member = repo / "packages" / "app"
    write(member / "pyproject.toml", '[project]\nname = "app"\ndependencies = ["openai>=1.40"]\n')
    assert detect(member / "app.py") == ("1.50.0", "uv.lock: openai 1.50.0 (locked)")


def test_a_lock_above_that_contradicts_the_range_is_not_the_projects(repo: Path) -> None:
    write(repo / "uv.lock", '[[package]]\nname = "openai"\nversion = "1.99.0"\n')
    member = repo / "legacy"
    write(member / "requirements.txt", "openai<1.58\n")
    assert detect(member) == (
        "1.55.0",
        os.path.join("legacy", "requirements.txt")
        + ": openai<1.58; the newest release on record it allows",
    )


def test_an_exact_pin_is_not_overridden_by_a_lock_above(repo: Path) -> None:
    write(repo / "uv.lock", '[[package]]\nname = "openai"\nversion = "1.99.0"\n')
    write(repo / "legacy" / "requirements.txt", "openai==1.30.0\n")
    assert detect(repo / "legacy")[0] == "1.30.0"  # type: ignore[index]


def test_a_lock_holding_several_releases_gives_the_oldest(repo: Path) -> None:
    write(
        repo / "uv.lock",
        """
        [[package]]
        name = "openai"
        version = "1.99.0"
        resolution-markers = ["python_full_version >= '3.11'"]

        [[package]]
        name = "openai"
        version = "1.40.0"
        resolution-markers = ["python_full_version < '3.11'"]
        """,
    )
    assert detect(repo) == ("1.40.0", "uv.lock: openai 1.40.0 (locked)")


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    tmp_path = tmp_path.resolve()
    write(tmp_path / "requirements.txt", "openai==1.30.0\n")
    inner = tmp_path / "checkout"
    (inner / ".git").mkdir(parents=True)
    assert detect(inner / "app.py") is None
    assert search_folders(inner / "src" / "app.py") == [inner / "src", inner]


def test_outside_a_repository_the_search_stops_at_the_nearest_project(tmp_path: Path) -> None:
    tmp_path = tmp_path.resolve()
    write(tmp_path / "requirements.txt", "openai==1.30.0\n")
    project = tmp_path / "project"
    write(project / "pyproject.toml", '[project]\nname = "p"\n')
    assert detect(project / "src" / "app.py") is None
    assert search_folders(project / "src" / "app.py") == [project / "src", project]


def test_sources_outside_the_working_folder_are_shown_in_full(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "requirements.txt", "openai==1.30.0\n")
    elsewhere = repo / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert detect(repo) == ("1.30.0", f"{repo / 'requirements.txt'}: openai==1.30.0")


# --- settings: flag over config over detection ------------------------------------------------


def test_flag_beats_config_beats_detection(repo: Path) -> None:
    write(repo / "requirements.txt", "openai==1.30.0\n")
    config = write(repo / "pyproject.toml", '[tool.cerebras-migrate]\nopenai-version = "1.45"\n')
    detected = build_settings({}, None, start=repo)
    assert (detected.options.openai_version, detected.openai_version_source) == (
        "1.30.0",
        "requirements.txt: openai==1.30.0",
    )
    configured = build_settings({}, config, start=repo)
    assert (configured.options.openai_version, configured.openai_version_source) == (
        "1.45.0",
        "pyproject.toml: [tool.cerebras-migrate] openai-version",
    )
    flagged = build_settings({"openai_version": "v1.57.0"}, config, start=repo)
    assert (flagged.options.openai_version, flagged.openai_version_source) == (
        "1.57.0",
        "--openai-version",
    )


def test_no_pin_leaves_the_version_unset(repo: Path) -> None:
    settings = build_settings({}, None, start=repo)
    assert settings.options.openai_version is None
    assert settings.openai_version_source is None


def test_the_cerebras_target_does_not_look(repo: Path) -> None:
    write(repo / "requirements.txt", "openai==1.30.0\n")
    settings = build_settings({"target": "cerebras"}, None, start=repo)
    assert settings.options.openai_version is None


@pytest.mark.parametrize(
    ("spec", "api"),
    [
        ("<1", "0.x"),
        ("~=0.27", "0.x"),
        (">=0.27,<0.28", "0.x"),
        ("==0.28.*", "0.x"),
        (">=1.2", "1.x"),
        ("~=1.30", "1.x"),
        (">=0.27", None),  # both: each module's code decides
        ("!=1.30.0", None),
        ("", None),
    ],
)
def test_the_api_a_requirement_allows(spec: str, api: str | None) -> None:
    assert allowed_api((SpecifierSet(spec),)) == api


@pytest.mark.parametrize(
    ("files", "pin"),
    [
        ({"requirements.txt": "openai==0.28.1\n"}, ("0.28.1", "0.x")),
        ({"requirements.txt": "openai<1\n"}, ("0.28.1", "0.x")),
        ({"requirements.txt": "openai>=0.27\n"}, (LATEST, None)),
        ({"requirements.txt": "openai>=1.2\n"}, (LATEST, "1.x")),
        (
            {
                "requirements.txt": "openai>=0.27\n",
                "uv.lock": '[[package]]\nname = "openai"\nversion = "0.27.8"\n',
            },
            ("0.27.8", "0.x"),
        ),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nopenai = "^0.27"\n'}, ("0.27.0", "0.x")),
    ],
)
def test_a_pin_below_1_stays_below_1_and_says_which_api(
    repo: Path, files: dict[str, str], pin: tuple[str, str | None]
) -> None:
    for name, text in files.items():
        write(repo / name, text)
    found = detect_openai_version(repo)
    assert found is not None and (found.version, found.api) == pin
    settings = build_settings({}, None, start=repo)
    assert settings.options.pre_v1 == {"0.x": True, "1.x": False, None: None}[pin[1]]


def test_a_given_release_says_which_api(repo: Path) -> None:
    assert build_settings({"openai_version": "0.28.1"}, None).options.openai_api == "0.x"
    assert build_settings({"openai_version": "1.30"}, None).options.openai_api == "1.x"
    config = write(repo / "pyproject.toml", '[tool.cerebras-migrate]\nopenai-version = "0.27.8"\n')
    assert build_settings({}, config, start=repo).options.pre_v1 is True
    assert build_settings({}, None, start=repo).options.pre_v1 is None  # nothing says


def test_a_bad_version_is_a_config_error(repo: Path) -> None:
    with pytest.raises(ConfigError, match="--openai-version: 'latest' is not a version"):
        build_settings({"openai_version": "latest"}, None)
    config = write(repo / "pyproject.toml", "[tool.cerebras-migrate]\nopenai-version = 1.3\n")
    with pytest.raises(ConfigError, match="openai-version must be a str"):
        build_settings({}, config)


# --- the command line --------------------------------------------------------------------------

APP = """\
from openai import OpenAI

client = OpenAI()
reply = client.chat.completions.create(
    model="gpt-oss-120b",
    messages=[{"role": "user", "content": "hi"}],
    reasoning_effort="none",
    prompt_cache_key="k1",
    verbosity="low",
)
"""


def invoke(*args: str, cwd: Path, stdin: str = APP) -> tuple[int, str, str]:
    return helpers.invoke(*args, cwd=cwd, stdin=stdin)


def moved(code: str) -> set[str]:
    """The keywords of APP that ended up in ``extra_body``."""
    line = next((x for x in code.splitlines() if "extra_body=" in x), "")
    return {k for k in ("reasoning_effort", "prompt_cache_key", "verbosity") if f'"{k}"' in line}


@pytest.mark.parametrize(
    ("version", "into_extra_body"),
    [
        ("1.57.0", {"reasoning_effort", "prompt_cache_key", "verbosity"}),
        ("1.58.0", {"prompt_cache_key", "verbosity"}),
        ("1.98.0", {"verbosity"}),  # between the recorded 1.90.0 and 1.100.0
        ("1.99.2", set()),
    ],
)
def test_keywords_newer_than_the_version_move_into_extra_body(
    repo: Path, version: str, into_extra_body: set[str]
) -> None:
    code, out, err = invoke("--openai-version", version, "-", cwd=repo)
    assert code == 1, err  # the client is pointed at Cerebras in any case
    assert moved(out) == into_extra_body
    for keyword in {"reasoning_effort", "prompt_cache_key", "verbosity"} - into_extra_body:
        assert f"    {keyword}=" in out
    assert f"openai version assumed: {version} (--openai-version)\n" in err


def test_a_short_version_means_its_first_release(repo: Path) -> None:
    """``1.58`` is 1.58.0, which has ``reasoning_effort`` (not an older release)."""
    _, out, err = invoke("--openai-version", "1.58", "-", cwd=repo)
    assert moved(out) == {"prompt_cache_key", "verbosity"}
    assert "openai version assumed: 1.58.0 (--openai-version)" in err


def test_reasoning_effort_stays_a_keyword_with_no_pin(repo: Path) -> None:
    code, out, err = invoke("-", cwd=repo)
    assert code == 1
    assert moved(out) == set()
    assert '    reasoning_effort="none",\n' in out
    line = f"openai version assumed: {LATEST} (no openai requirement found: the newest release"
    assert line in err


def test_a_detected_pin_is_used_and_said(repo: Path) -> None:
    (repo / "app.py").write_text(APP)
    write(repo / "requirements.txt", "openai>=1.40,<1.58\n")
    code, _, err = invoke("app.py", cwd=repo)
    assert code == 1
    assert moved((repo / "app.py").read_text()) == {
        "reasoning_effort",
        "prompt_cache_key",
        "verbosity",
    }
    assert "app.py:7:5 CM201 `reasoning_effort`" in err
    said = (
        "openai version assumed: 1.55.0 "
        "(requirements.txt: openai>=1.40,<1.58; the newest release on record it allows)\n"
    )
    assert said in err
    # Right before the summary.
    assert err.index(said) < err.index("1 file scanned")


def test_the_line_is_not_printed_quiet_or_for_the_cerebras_target(repo: Path) -> None:
    _, _, err = invoke("-q", "--openai-version", "1.30.0", "-", cwd=repo)
    assert "openai version assumed" not in err
    _, _, err = invoke("--target", "cerebras", "--openai-version", "1.30.0", "-", cwd=repo)
    assert "openai version assumed" not in err


def test_a_bad_flag_is_a_usage_error(repo: Path) -> None:
    code, _, err = invoke("--openai-version", "one", "-", cwd=repo)
    assert code == 2
    assert "--openai-version: 'one' is not a version like 1.30.0" in err
