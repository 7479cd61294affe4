"""The benchmark runs end to end in quick mode and writes well-formed results.

Tiny corpora, one round: this checks the harness, not the speed (no timing assertions).
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
    assert set(results["pairs"]) == {"haystack", "dense", "peer", "one_file"}
    for name, pair in results["pairs"].items():
        for side in ("tool", "reference"):
            run = pair[side]
            assert run["median_s"] > 0 and run["peak_rss_mb"] > 0, (name, side)
            assert len(run["seconds"]) == len(run["exit_codes"]) >= 1
            assert all(code in (0, 1) for code in run["exit_codes"]), (name, side)
        assert pair["ratio"] > 0 and isinstance(pair["met"], bool)
    assert results["memory"]["ratio"] > 0
    assert results["corpora"]["dense"]["files"] > 0 and results["corpora"]["haystack"]["files"] > 0
    assert "haystack" in proc.stdout  # the table
