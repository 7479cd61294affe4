"""cerebras-migrate against plain references and LibCST's own codemod CLI, side by side.

    python -m benchmarks                 # the full run: a few minutes on 2 cores
    python -m benchmarks --quick         # tiny corpora, one round: a smoke test
    python -m benchmarks --json out.json # also write the results as JSON

Each pair of commands runs alternately, ``--repeat`` times after one untimed warm-up run
each (page cache, bytecode), every command in a fresh process; the table shows the median
wall time of each side, their ratio, and each side's peak memory (the largest resident set
of the process and its children, from ``wait4``). The corpora are built in a scratch folder
(see ``benchmarks/corpus.py``). Run it on an otherwise idle machine: the load average is
recorded with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import corpus

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

# The targets of the issue "Fast on big repositories, instant as a hook", as ratios.
TARGETS = {
    "haystack": ("tool / reference", "<=", 1.5),
    "dense": ("tool / reference", "<=", 0.8),
    "peer": ("peer / tool", ">=", 10.0),
    "one_file": ("tool / reference", "<=", 1.5),
    "memory": ("peak RSS, full / quarter corpus", "<=", 1.25),
}


@dataclass
class Side:
    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Pair:
    name: str
    corpus: str
    tool: Side
    other: Side
    ratio_of: str  # "tool/other" or "other/tool"

    @property
    def ratio(self) -> float:
        if self.ratio_of == "other/tool":
            return self.other.median / self.tool.median
        return self.tool.median / self.other.median


def _environment(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode caches as any installed copy has them: the warm-up run writes them, in the
    # scratch folder (the checkout stays as it is).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the process and its children), exit code."""
    helper = [sys.executable, "-S", "-I", str(HERE / "_measure.py")]
    out = subprocess.run(
        [*helper, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KB elsewhere
    return float(out[0]), int(out[1]) / scale, int(out[2])


def _measure(sides: list[Side], repeat: int, cwd: Path, env: dict[str, str]) -> None:
    for side in sides:  # warm-up, untimed
        _run(side.command, cwd, env)
    for _ in range(repeat):
        for side in sides:
            seconds, rss, code = _run(side.command, cwd, env)
            side.seconds.append(seconds)
            side.peak_rss_mb = max(side.peak_rss_mb, rss)
            side.exit_codes.append(code)


def _tool() -> list[str]:
    script = Path(sys.executable).parent / "cerebras-migrate"
    return [str(script)] if script.exists() else [sys.executable, "-m", "migrator"]


def _machine() -> dict[str, object]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    import libcst

    return {
        "cpu": model,
        "cores": usable,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "libcst": getattr(libcst, "__version__", None) or _version("libcst"),
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _peer_config(folder: Path) -> None:
    """A LibCST codemod config that finds ``benchmarks/noop_codemod.py`` and formats nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".libcst.codemod.yaml").write_text(
        "generated_code_marker: '@generated'\n"
        "formatter: []\n"
        "blacklist_patterns: []\n"
        "modules: [benchmarks]\n"
        "repo_root: .\n",
        encoding="utf-8",
    )


def run(args: argparse.Namespace) -> dict[str, object]:
    quick = args.quick
    repeat = args.repeat or (1 if quick else 9)
    slow_repeat = args.repeat or (1 if quick else 3)
    generated = args.generated if args.generated is not None else (6 if quick else 300)
    scratch = Path(tempfile.mkdtemp(prefix="cm-bench-"))
    env = _environment(scratch)
    tool = _tool()
    py = sys.executable
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    try:
        print(f"building corpora in {scratch} ...", file=sys.stderr)
        corpora = {
            "haystack": corpus.build_haystack(scratch / "haystack", limit=60 if quick else None),
            "dense": corpus.build_dense(scratch / "dense", generated, limit=10 if quick else None),
        }
        # A quarter of the dense corpus, for the memory check: same kinds of files.
        quarter = scratch / "dense-quarter"
        files = sorted(p for p in (scratch / "dense").rglob("*.py"))
        for path in files[::4]:
            target = quarter / path.relative_to(scratch / "dense")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        corpora["dense_quarter"] = {
            "files": len(files[::4]),
            "bytes": sum(p.stat().st_size for p in files[::4]),
        }
        one = corpus.build_one_file(scratch / "one")
        corpora["one_file"] = {"files": 1, "bytes": one.stat().st_size}
        peer_dir = scratch / "peer"
        _peer_config(peer_dir)

        pairs = [
            Pair(
                "haystack",
                "haystack",
                Side("cerebras-migrate --check", [*tool, "--check", str(scratch / "haystack")]),
                Side(
                    "read-and-scan script",
                    [py, str(HERE / "ref_scan.py"), str(scratch / "haystack")],
                ),
                "tool/other",
            ),
            Pair(
                "dense",
                "dense",
                Side("cerebras-migrate --check", [*tool, "--check", str(scratch / "dense")]),
                Side(
                    "libcst parse+print loop",
                    [py, str(HERE / "ref_parse.py"), str(scratch / "dense")],
                ),
                "tool/other",
            ),
            Pair(
                "peer",
                "dense",
                Side("cerebras-migrate --check", [*tool, "--check", str(scratch / "dense")]),
                Side(
                    "libcst.tool codemod (no-op)",
                    [
                        py,
                        "-m",
                        "libcst.tool",
                        "codemod",
                        "--no-format",
                        "--hide-progress",
                        "noop_codemod.NoopCommand",
                        str(scratch / "dense"),
                    ],
                ),
                "other/tool",
            ),
            Pair(
                "one_file",
                "one_file",
                Side("cerebras-migrate --check FILE", [*tool, "--check", str(one)]),
                Side("python: import libcst, parse", [py, str(HERE / "ref_one.py"), str(one)]),
                "tool/other",
            ),
        ]
        for pair in pairs:
            print(f"running {pair.name} ...", file=sys.stderr)
            cwd = peer_dir if pair.name == "peer" else scratch
            times = slow_repeat if pair.name in ("dense", "peer") else repeat
            _measure([pair.tool, pair.other], times, cwd, env)

        print("running memory ...", file=sys.stderr)
        memory = [
            Side("dense, a quarter", [*tool, "--check", str(quarter)]),
            Side("dense, all", [*tool, "--check", str(scratch / "dense")]),
        ]
        _measure(memory, 1, scratch, env)
    finally:
        if args.keep:
            print(f"corpora kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    results: dict[str, object] = {
        "command": "python -m benchmarks" + (" --quick" if quick else ""),
        "machine": _machine(),
        "load_average": {"before": load_before, "after": os.getloadavg() if load_before else None},
        "repeat": {"fast_pairs": repeat, "slow_pairs": slow_repeat},
        "corpora": corpora,
        "pairs": {},
    }
    for pair in pairs:
        kind, op, limit = TARGETS[pair.name]
        results["pairs"][pair.name] = {  # type: ignore[index]
            "corpus": pair.corpus,
            "tool": {**asdict(pair.tool), "median_s": pair.tool.median},
            "reference": {**asdict(pair.other), "median_s": pair.other.median},
            "ratio": pair.ratio,
            "ratio_is": kind,
            "target": f"{op} {limit}",
            "met": pair.ratio <= limit if op == "<=" else pair.ratio >= limit,
        }
    growth = memory[1].peak_rss_mb / memory[0].peak_rss_mb
    results["memory"] = {
        "quarter": {**asdict(memory[0]), "median_s": memory[0].median},
        "full": {**asdict(memory[1]), "median_s": memory[1].median},
        "ratio": growth,
        "ratio_is": TARGETS["memory"][0],
        "target": f"<= {TARGETS['memory'][2]}",
        "met": growth <= TARGETS["memory"][2],
    }
    return results


def _print(results: dict[str, object]) -> None:
    rows = []
    for name, pair in results["pairs"].items():  # type: ignore[union-attr]
        tool, ref = pair["tool"], pair["reference"]
        rows.append(
            (
                name,
                f"{tool['median_s'] * 1000:.0f} ms",
                f"{ref['name']}: {ref['median_s'] * 1000:.0f} ms",
                f"{pair['ratio']:.2f} ({pair['ratio_is']})",
                f"{pair['target']}: {'met' if pair['met'] else 'NOT met'}",
                f"{tool['peak_rss_mb']:.0f} / {ref['peak_rss_mb']:.0f} MB",
            )
        )
    memory = results["memory"]  # type: ignore[index]
    rows.append(
        (
            "memory",
            f"{memory['full']['peak_rss_mb']:.0f} MB (all)",
            f"a quarter: {memory['quarter']['peak_rss_mb']:.0f} MB",
            f"{memory['ratio']:.2f} ({memory['ratio_is']})",
            f"{memory['target']}: {'met' if memory['met'] else 'NOT met'}",
            "",
        )
    )
    header = ("pair", "cerebras-migrate", "other side", "ratio", "target", "peak RSS tool / other")
    machine = results["machine"]  # type: ignore[index]
    title = (
        f"{machine['cpu']}, {machine['cores']} cores, Python {machine['python']}, "
        f"libcst {machine['libcst']}; load {results['load_average']['before']}"  # type: ignore[index]
    )
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is a dependency
        print(title)
        for row in (header, *rows):
            print(" | ".join(row))
        return
    table = Table(*header, title=title)
    for row in rows:
        table.add_row(*row)
    Console(width=None if sys.stdout.isatty() else 150).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny corpora, one round (a smoke test)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed rounds per pair")
    parser.add_argument("--generated", type=int, default=None, help="generated modules in dense")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch corpora")
    args = parser.parse_args(argv)
    results = run(args)
    _print(results)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    failed = [
        name
        for name, pair in results["pairs"].items()  # type: ignore[union-attr]
        for side in (pair["tool"], pair["reference"])
        if any(code not in (0, 1) for code in side["exit_codes"])
    ]
    if failed:
        print(f"commands failed in: {', '.join(sorted(set(failed)))}", file=sys.stderr)
        return 1
    return 0
