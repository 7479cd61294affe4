"""The benchmark runs end to end in quick mode and writes well-formed results.

Tiny corpora, one round, no warm-up: this checks the harness, not the speed (no timing
assertions), including the project pass's rows (the hook on a generated project, the cold
and warm runs over the corpora as projects) against the baseline commit extracted from git,
and the JavaScript rows (the openai npm package's files, generated modules) against
tree-sitter's bare parse.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_well_formed_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(out.read_text())
    assert results["command"] == "python -m benchmarks --quick"
    assert isinstance(results["machine"]["cores"], int) and results["machine"]["python"]
    project_rows = {
        "hook",
        "project_cold_haystack",
        "project_warm_haystack",
        "project_cold_dense",
        "project_warm_dense",
    }
    js_rows = {"js", "js_check", "js_dense"}
    real_rows = {"dense_real", "dense_real_j1", "peer_real", "parallel_real"}
    informational = project_rows - {"hook"} | js_rows
    assert (
        set(results["pairs"])
        == {"haystack", "dense", "peer", "one_file"} | project_rows | js_rows | real_rows
    )
    assert results["repeat"] == {"fast_pairs": 1, "slow_pairs": 1, "warm_up": False}
    for name, pair in results["pairs"].items():
        for side in ("tool", "reference"):
            run = pair[side]
            assert run["median_s"] > 0 and run["peak_rss_mb"] > 0, (name, side)
            assert len(run["seconds"]) == len(run["exit_codes"]) >= 1
            assert all(code in (0, 1) for code in run["exit_codes"]), (name, side)
        assert pair["ratio"] > 0
        if name in informational:  # no target
            assert pair["met"] is None and pair["target"] == "informational", name
        else:
            assert isinstance(pair["met"], bool), name
    # The project rows run against the code before the project pass, extracted from git.
    baseline = results["baseline"]
    assert "error" not in baseline and len(baseline["commit"]) == 40
    for name in project_rows:
        assert results["pairs"][name]["reference"]["env"]["PYTHONPATH"], name
    # The warm rows ran with an index cache in place.
    assert set(results["index_cache_files"]) == {
        "hook",
        "project_warm_haystack",
        "project_warm_dense",
    }
    assert all(count >= 1 for count in results["index_cache_files"].values())
    # The hook names one file of a project with a pyproject.toml at its root.
    project = results["corpora"]["project"]
    assert project["files"] >= 100 and project["mention_sdk"] >= 1
    assert project["use_shared_client"] >= 1 and project["hook"].endswith(".py")
    assert results["memory"]["ratio"] > 0
    assert results["corpora"]["dense"]["files"] > 0 and results["corpora"]["haystack"]["files"] > 0
    # The JavaScript rows: the npm package's own files, and generated modules the tool
    # rewrites (--diff exits 1), against the same files parsed by tree-sitter.
    assert results["corpora"]["js"]["files"] == 40
    assert results["corpora"]["js"]["package"].startswith("openai@")
    assert results["corpora"]["js_dense"]["files"] == 6
    assert results["pairs"]["js_dense"]["tool"]["exit_codes"] == [1]
    assert results["pairs"]["js_check"]["tool"]["command"][-2] == "--check"
    assert all(results["javascript"]["grammars"].values())
    for name in js_rows:
        assert results["pairs"][name]["reference"]["name"] == "tree-sitter parse loop", name
    assert "haystack" in proc.stdout and "project_warm_dense" in proc.stdout  # the table
    assert "js_dense" in proc.stdout
    # The real modules of a pinned wheel (ten in --quick), read as one project: --diff
    # rewrites some, against the libcst loop and LibCST's own codemod CLI.
    real = results["corpora"]["dense_real"]
    assert real["files"] == 10 and real["wheels"] == ["agno==3.1.10"], real
    assert results["pairs"]["dense_real"]["reference"]["name"] == "libcst parse+print loop"
    assert results["pairs"]["parallel_real"]["reference"]["command"][-3:-1] == ["-j", "1"]
    assert "parallel_real" in proc.stdout
