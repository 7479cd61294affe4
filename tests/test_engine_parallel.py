"""The file loop: worker processes and split triage give what one process gives, in order.

Thresholds are lowered so that tiny trees take every path of ``migrator/run.py``:
triage in forked children, parsing in a process pool, chunks of one file.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import OPENAI_APP, PLAIN

from codemods.options import Options
from migrator import run as parallel
from migrator.cli import main
from migrator.discover import discover
from migrator.results import FileResult, Status
from migrator.run import process_file, run
from migrator.settings import DEFAULT_EXCLUDES, Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def _tree(base: Path) -> list[Path]:
    """A mixed tree: SDK code, plain code, a syntax error, @generated, latin-1, CRLF, a
    notebook, a file mentioning openai without importing it, and a path that is missing."""
    base.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for input_path in sorted(FIXTURES.glob("*/input.py")):
        target = base / f"{input_path.parent.name}.py"
        shutil.copyfile(input_path, target)
        files.append(target)
    extra = {
        "app.py": OPENAI_APP,
        "plain.py": PLAIN,
        "plain2.py": PLAIN,  # skipped twice in a row: sent once by a triage child
        "plain3.py": "x = 2\n",
        "broken.py": "from openai import OpenAI\nclient = OpenAI(\n",
        "broken_plain.py": "# openai\ndef f(:\n",
        "generated.py": "# @generated\nfrom openai import OpenAI\nOpenAI()\n",
        "mentions.py": '"""Talks about OpenAI, imports nothing of it."""\nx = 1\n',
    }
    for name, text in extra.items():
        (base / name).write_text(text, encoding="utf-8")
        files.append(base / name)
    for notebook in sorted((FIXTURES / "notebooks").glob("**/*.ipynb"))[:2]:
        shutil.copyfile(notebook, base / notebook.name)
        files.append(base / notebook.name)
    files.append(base / "missing.py")  # read fails: CM902, in order like the rest
    return files


def _comparable(result: FileResult, base: Path) -> tuple:
    fields = dataclasses.asdict(result)
    fields["path"] = result.path.relative_to(base).as_posix()
    return tuple(sorted(fields.items(), key=lambda item: item[0]))


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parallel path taken as soon as possible."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_FILES", 1)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_TRIAGE", 2)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNKS_PER_JOB", 1)


@pytest.mark.parametrize("target", ["openai", "cerebras"])
@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_check_gives_the_sequential_results_in_order(
    tmp_path: Path, eager: None, jobs: int, target: str
) -> None:
    paths = _tree(tmp_path)
    settings = Settings(options=Options(target=target))  # type: ignore[arg-type]
    one = [_comparable(r, tmp_path) for r in run(paths, settings, write=False, jobs=1)]
    many = [_comparable(r, tmp_path) for r in run(paths, settings, write=False, jobs=jobs)]
    assert many == one
    assert [dict(r)["path"] for r in one] == [p.relative_to(tmp_path).as_posix() for p in paths]
    statuses = {dict(r)["status"] for r in one}
    assert {Status.CHANGED, Status.SKIPPED, Status.ERROR} <= statuses


def test_run_matches_process_file_one_by_one(tmp_path: Path, eager: None) -> None:
    paths = _tree(tmp_path)
    settings = Settings()
    expected = [_comparable(process_file(p, settings, write=False), tmp_path) for p in paths]
    got = [_comparable(r, tmp_path) for r in run(paths, settings, write=False, jobs=2)]
    assert got == expected


def test_parallel_write_leaves_the_same_files(tmp_path: Path, eager: None) -> None:
    trees = {}
    for jobs in (1, 2):
        base = tmp_path / f"jobs{jobs}"
        paths = _tree(base)
        results = list(run(paths, Settings(), write=True, jobs=jobs))
        assert sum(r.written for r in results) > 10
        trees[jobs] = {p.name: p.read_bytes() for p in sorted(base.iterdir())}
    assert trees[1] == trees[2]


def test_a_dead_worker_is_reported_per_file(
    tmp_path: Path, eager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(chunk: list) -> list:
        os._exit(3)

    monkeypatch.setattr(parallel, "MIN_PARALLEL_TRIAGE", 10_000)  # triage here, parse there
    monkeypatch.setattr(parallel, "_work", die)
    paths = _tree(tmp_path)
    results = list(run(paths, Settings(), write=False, jobs=2))
    assert [r.path for r in results] == paths
    crashed = [r for r in results if any(d.code == "CM903" for d in r.diagnostics)]
    assert crashed and all(r.status is Status.ERROR for r in crashed)
    assert all("worker process failed" in r.diagnostics[0].message for r in crashed)


def test_a_failed_triage_child_is_redone_here(
    tmp_path: Path, eager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _tree(tmp_path)
    expected = [_comparable(r, tmp_path) for r in run(paths, Settings(), write=False, jobs=1)]
    monkeypatch.setattr(parallel._TriageChild, "results", lambda self: None)
    got = [_comparable(r, tmp_path) for r in run(paths, Settings(), write=False, jobs=2)]
    assert got == expected


def test_results_stream_before_the_run_ends(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    results = run(paths, Settings(), write=False, jobs=2)
    first = next(results)
    assert first.path == paths[0]
    results.close()  # stopping early shuts the workers down


def _invoke(*args: str, cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("mode", ["--check", "--diff"])
def test_cli_output_is_the_same_with_any_jobs(tmp_path: Path, eager: None, mode: str) -> None:
    _tree(tmp_path / "src")
    one = _invoke(mode, "--jobs", "1", "src", cwd=tmp_path)
    two = _invoke(mode, "-j", "2", "src", cwd=tmp_path)
    assert one == two
    assert one[0] == 2  # broken.py


def test_cli_rejects_zero_jobs(tmp_path: Path) -> None:
    code, _, err = _invoke("--jobs", "0", ".", cwd=tmp_path)
    assert code == 2 and "--jobs" in err


def test_discovered_order_is_kept(tmp_path: Path, eager: None) -> None:
    _tree(tmp_path / "src")
    candidates = discover([tmp_path / "src"], DEFAULT_EXCLUDES)
    paths = [c.path for c in candidates]
    assert [r.path for r in run(paths, Settings(), write=False, jobs=2)] == paths


def test_a_run_without_candidates_loads_neither_libcst_nor_rich(tmp_path: Path) -> None:
    for index in range(300):  # enough for the split triage
        (tmp_path / f"m{index}.py").write_text(PLAIN)
    probe = textwrap.dedent(
        """
        import atexit, sys
        def report():
            heavy = ("libcst", "rich", "pathspec", "multiprocessing", "packaging.requirements")
            print(sorted(m for m in heavy if m in sys.modules), file=sys.__stderr__)
        atexit.register(report)
        from migrator.cli import main
        main(["--check", sys.argv[1]])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_progress_bar_only_on_a_terminal_and_hands_the_streams_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator import progress

    class Reporter:
        out = sys.stdout
        err = sys.stderr

    reporter = Reporter()
    assert not progress.wanted()  # pytest's captured stderr is no terminal
    with progress.progress(10, reporter) as bar:
        for _ in range(10):
            bar.advance()
        assert bar.bar is None
    monkeypatch.setattr(progress, "wanted", lambda: True)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    saved = (reporter.out, reporter.err)
    with progress.progress(10, reporter) as bar:
        bar.advance()
        assert bar.bar is not None  # shown (rich redirects the streams on a real terminal)
    assert (reporter.out, reporter.err) == saved
