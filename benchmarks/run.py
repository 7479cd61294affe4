"""cerebras-migrate against plain references and LibCST's own codemod CLI, side by side.

    python -m benchmarks                 # the full run: a few minutes on 2 cores
    python -m benchmarks --quick         # tiny corpora, one round, no warm-up: a smoke test
    python -m benchmarks --json out.json # also write the results as JSON
    python -m benchmarks --only js,js_dense  # only these rows (names as in the table)

Each pair of commands runs alternately, ``--repeat`` times after one untimed warm-up run
each (page cache, bytecode), every command in a fresh process; the table shows the median
wall time of each side, their ratio, and each side's peak memory (the largest resident set
of the process and its children, from ``wait4``). The corpora are built in a scratch folder
(see ``benchmarks/corpus.py``). Run it on an otherwise idle machine: the load average is
recorded with the results, for the whole run and for each pair.

The tool side runs a copy of this checkout's ``migrator`` and ``codemods`` packages, taken
as they are (uncommitted changes included) when the benchmark starts, by the installed
``cerebras-migrate`` script with ``PYTHONPATH`` naming the copy: edits made to the checkout
while the benchmark runs do not mix into its figures. The results name the commit and
whether the packages differed from it.

The project pass (``migrator/project.py``: the whole project indexed before any file is
rewritten) is timed against the code as it was before it, the *baseline* (``--baseline``,
default commit 57b2987). Its ``migrator`` and ``codemods`` packages are extracted with
``git archive`` from this checkout's history into the scratch folder and run by the same
interpreter and the same ``cerebras-migrate`` script with ``PYTHONPATH`` naming that folder
(a check confirms it imports from there), so both sides differ only in the code; the
extraction is removed with the scratch folder and leaves the repository as it was. Rows:

- **hook**: a pre-commit run, ``--check`` on one file of a generated 2,000-file project
  with a ``pyproject.toml`` at its root (``corpus.build_project``; 200 files in ``--quick``),
  from the project root, the index cache warmed first, against the baseline's same run;
- **project_cold_haystack**, **project_cold_dense**: ``--check .`` over the haystack and the
  dense corpus, each a project (a copy with a ``pyproject.toml`` at its root), with
  ``--no-cache``, against the baseline's ``--check .``;
- **project_warm_haystack**, **project_warm_dense**: the same with the cache warmed first.

**big_file** runs ``--no-cache --check`` once on one generated 50 MB module (1 MB in
``--quick``: ``corpus.build_big_file``) holding one client and ordinary code, and gives its
peak memory as a multiple of the file's size (the target: at most 50).

The JavaScript and TypeScript rows (``corpus.build_js``, ``corpus.build_js_dense``) run the
tool against ``ref_js_parse.py``, tree-sitter's bare parse of the same files in one process
with the same grammar wheels:

- **js**: ``--diff`` over the ``openai`` npm package's own files (40 of them in
  ``--quick``); **js_check**: ``--check`` over the same;
- **js_dense**: ``--diff`` over 300 generated modules using the openai client (6 in
  ``--quick``), where the tool has real work.

The **dense_real** rows (issue #17) read real code nobody here wrote: the 358 modules that
import openai in 19 pinned pure-Python wheels (``corpus.DENSE_REAL_WHEELS``: instructor,
langchain-openai, openai-agents, pydantic-ai-slim, semantic-kernel, ...; 7 MB), fetched
once with ``pip download`` into ``.cache/bench-wheels``, as one project:

- **dense_real**: ``--diff`` against the libcst parse+print loop (target <= 0.5);
- **dense_real_j1**: the same with ``-j 1`` (target <= 1.0);
- **peer_real**: LibCST's codemod CLI with the no-op codemod against ``--check`` (>= 20);
- **parallel_real**: ``-j 1`` against ``-j 2`` (>= 1.7).

The project and JavaScript rows are informational (no target). Without a checkout's
history (no ``git``, or the baseline commit missing) the project rows are left out, and
without npm (and no installed ``tests/js/node_modules``) the JavaScript rows, with a warning.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
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
    # "Peak memory for one file <= 50x its size for the 50 MB case".
    "big_file": ("peak RSS / file size", "<=", 50.0),
    # The project pass: "a warm one-file hook run stays within 1.5x of today's one-file
    # --check" (today's: the baseline, the code before the project pass).
    "hook": ("tool / baseline", "<=", 1.5),
    # Issue #17, "Fast on real code": real modules that use the SDK (``dense_real``).
    "dense_real": ("tool / reference", "<=", 0.5),
    "dense_real_j1": ("tool / reference", "<=", 1.0),
    "peer_real": ("peer / tool", ">=", 20.0),
    "parallel_real": ("-j 1 / -j 2", ">=", 1.7),
}
_BASELINE = "57b2987"  # the last commit before the project pass
# The project rows, informational: (name, corpus, cache warmed first).
_PROJECT_ROWS = (
    ("project_cold_haystack", "haystack", False),
    ("project_warm_haystack", "haystack", True),
    ("project_cold_dense", "dense", False),
    ("project_warm_dense", "dense", True),
)
_INFORMATIONAL = ("tool / baseline", None, None)
# The JavaScript rows, informational too: (name, corpus, the tool's flag).
_JS_ROWS = (
    ("js", "js", "--diff"),
    ("js_check", "js", "--check"),
    ("js_dense", "js_dense", "--diff"),
)
_JS_KIND = ("tool / reference", None, None)
_REAL_ROWS = ("dense_real", "dense_real_j1", "peer_real", "parallel_real")
_CACHE_DIR = ".cerebras-migrate-cache"  # migrator/cache.py; the benchmark never imports it
_PACKAGES = ("migrator", "codemods")  # the tool's code: copied, or extracted from git


@dataclass
class Side:
    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    exit_codes: list[int] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # set for this side's processes

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
    cwd: Path | None = None  # where both sides run; None: the scratch folder

    @property
    def ratio(self) -> float:
        if self.ratio_of == "other/tool":
            return self.other.median / self.tool.median
        return self.tool.median / self.other.median


def _environment(scratch: Path, code: Path) -> dict[str, str]:
    """The environment of every command: the tool's packages from ``code``, a copy of the
    checkout's (``_snapshot``)."""
    env = dict(os.environ)
    # Bytecode caches as any installed copy has them: the warm-up run writes them, in the
    # scratch folder (the checkout stays as it is).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    # The checkout too, for ``benchmarks`` (the peer's no-op codemod); the copy comes first.
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(code), str(REPO), env.get("PYTHONPATH", "")])
    )
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the process and its children), exit code."""
    helper = [sys.executable, "-S", "-I", str(HERE / "_measure.py")]
    out = subprocess.run(
        [*helper, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KB elsewhere
    return float(out[0]), int(out[1]) / scale, int(out[2])


def _measure(
    sides: list[Side], repeat: int, cwd: Path, env: dict[str, str], warm_up: bool = True
) -> None:
    for side in sides if warm_up else ():  # untimed
        _run(side.command, cwd, {**env, **side.env})
    for _ in range(repeat):
        for side in sides:
            seconds, rss, code = _run(side.command, cwd, {**env, **side.env})
            side.seconds.append(seconds)
            side.peak_rss_mb = max(side.peak_rss_mb, rss)
            side.exit_codes.append(code)


def _tool() -> list[str]:
    script = Path(sys.executable).parent / "cerebras-migrate"
    return [str(script)] if script.exists() else [sys.executable, "-m", "migrator"]


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def _revision() -> dict[str, object]:
    """The checkout the tool side runs: its commit, and whether its packages differ from it."""
    try:
        modified = bool(_git("status", "--porcelain", "--", *_PACKAGES))
        return {"commit": _git("rev-parse", "HEAD"), "packages_modified": modified}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "packages_modified": None}


def _snapshot(dest: Path) -> Path:
    """Copy the checkout's packages, as they are now, to ``dest`` (see module docstring)."""
    for package in _PACKAGES:
        shutil.copytree(
            REPO / package, dest / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return dest


def _check_imports(code: Path, env: dict[str, str]) -> None:
    """Raise RuntimeError unless ``env`` imports the tool's packages from ``code``."""
    found = subprocess.run(
        [sys.executable, "-c", "import migrator, codemods; print(migrator.__file__)"],
        cwd=code.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if Path(found).resolve().parent.parent != code.resolve():
        raise RuntimeError(f"migrator imports from {found}, not from {code}")


def _baseline(rev: str, dest: Path, env: dict[str, str]) -> tuple[dict[str, str], dict]:
    """Extract the packages of commit ``rev`` to ``dest``; the environment that runs them
    (``PYTHONPATH``), and what was extracted. Raises RuntimeError when it cannot."""
    try:
        commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
        subject = _git("log", "-1", "--format=%s", commit)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", commit, *_PACKAGES],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"cannot extract the baseline {rev} with git: {exc}") from exc
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python before the extraction filters
            tar.extractall(dest)  # our own repository's archive
    # The tool side's PYTHONPATH with the extraction in the place of the tool's copy.
    side_env = {
        "PYTHONPATH": os.pathsep.join([str(dest), *env["PYTHONPATH"].split(os.pathsep)[1:]])
    }
    _check_imports(dest, {**env, **side_env})
    return side_env, {"rev": rev, "commit": commit, "subject": subject}


def _as_project(source: Path, dest: Path) -> dict[str, int]:
    """A copy of the corpus ``source`` with a ``pyproject.toml`` at its root: one project."""
    shutil.copytree(source, dest)
    (dest / "pyproject.toml").write_text('[project]\nname = "corpus"\n', encoding="utf-8")
    files = list(dest.rglob("*.py"))
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def _warm_cache(command: list[str], root: Path, env: dict[str, str]) -> int:
    """Run ``command`` once in ``root`` (it writes the index cache); the cache's files."""
    _run(command, root, env)
    folder = root / _CACHE_DIR
    count = len(list(folder.glob("index-*"))) if folder.is_dir() else 0
    if not count:
        raise RuntimeError(f"no index cache in {folder} after a run: the warm rows mean nothing")
    return count


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


def _js_grammars() -> dict[str, str | None]:
    return {
        name: _version(name)
        for name in ("tree-sitter", "tree-sitter-javascript", "tree-sitter-typescript")
    }


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _peer(py: str, folder: str) -> Side:
    """LibCST's codemod CLI running the no-op codemod over ``folder``."""
    command = [py, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress"]
    return Side("libcst.tool codemod (no-op)", [*command, "noop_codemod.NoopCommand", folder])


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

    def wanted(row: str) -> bool:
        return args.only is None or row in args.only

    tool = _tool()
    py = sys.executable
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    try:
        revision = _revision()  # before the copy: a commit made meanwhile is not claimed
        code = _snapshot(scratch / "tool")
        env = _environment(scratch, code)
        _check_imports(code, env)
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
        js_error = None
        try:
            corpora["js"] = corpus.build_js(scratch / "js", limit=40 if quick else None)
            corpora["js_dense"] = corpus.build_js_dense(scratch / "js_dense", 6 if quick else 300)
        except RuntimeError as exc:
            js_error = str(exc)
            print(f"warning: no JavaScript rows: {exc}", file=sys.stderr)
        real_error = None
        if any(wanted(row) for row in _REAL_ROWS):
            try:
                # --quick: ten modules of the first wheel, fetched alone.
                corpora["dense_real"] = corpus.build_dense_real(
                    scratch / "dense_real",
                    limit=10 if quick else None,
                    wheels=corpus.DENSE_REAL_WHEELS[:1] if quick else corpus.DENSE_REAL_WHEELS,
                )
            except RuntimeError as exc:
                real_error = str(exc)
                print(f"warning: no dense_real rows: {exc}", file=sys.stderr)
        if wanted("big_file"):
            big = corpus.build_big_file(scratch / "big", 1 if quick else 50)
            corpora["big_file"] = {"files": 1, "bytes": big.stat().st_size}
        one = corpus.build_one_file(scratch / "one")
        corpora["one_file"] = {"files": 1, "bytes": one.stat().st_size}
        peer_dir = scratch / "peer"
        _peer_config(peer_dir)
        # The project pass against the baseline (module docstring): built before any run,
        # which could leave a cache in the corpora.
        baseline_env: dict[str, str] | None = None
        if args.baseline.lower() != "none":
            try:
                baseline_env, baseline = _baseline(args.baseline, scratch / "baseline", env)
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                baseline = {"rev": args.baseline, "error": str(exc)}
                print(f"warning: no project rows: {exc}", file=sys.stderr)
        else:
            baseline = {"rev": None, "error": "--baseline none"}
        if baseline_env is not None:
            project = scratch / "project"
            corpora["project"] = corpus.build_project(project, files=200 if quick else 2000)
            for name in ("haystack", "dense"):
                corpora[f"project_{name}"] = _as_project(
                    scratch / name, scratch / "projects" / name
                )

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
                _peer(py, str(scratch / "dense")),
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
        if js_error is None:
            for name, source, flag in _JS_ROWS:
                pairs.append(
                    Pair(
                        name,
                        source,
                        Side(f"cerebras-migrate {flag}", [*tool, flag, str(scratch / source)]),
                        Side(
                            "tree-sitter parse loop",
                            [py, str(HERE / "ref_js_parse.py"), str(scratch / source)],
                        ),
                        "tool/other",
                    )
                )
        if real_error is None and any(wanted(row) for row in _REAL_ROWS):
            real = str(scratch / "dense_real")
            libcst_loop = [py, str(HERE / "ref_parse.py"), real]
            pairs += [
                Pair(
                    "dense_real",
                    "dense_real",
                    Side("cerebras-migrate --diff", [*tool, "--diff", real]),
                    Side("libcst parse+print loop", libcst_loop),
                    "tool/other",
                ),
                Pair(
                    "dense_real_j1",
                    "dense_real",
                    Side("cerebras-migrate --diff -j 1", [*tool, "--diff", "-j", "1", real]),
                    Side("libcst parse+print loop", libcst_loop),
                    "tool/other",
                ),
                Pair(
                    "peer_real",
                    "dense_real",
                    Side("cerebras-migrate --check", [*tool, "--check", real]),
                    _peer(py, real),
                    "other/tool",
                ),
                Pair(
                    "parallel_real",
                    "dense_real",
                    Side("cerebras-migrate --diff -j 2", [*tool, "--diff", "-j", "2", real]),
                    Side("cerebras-migrate --diff -j 1", [*tool, "--diff", "-j", "1", real]),
                    "other/tool",
                ),
            ]
        caches: dict[str, int] = {}
        loads: dict[str, tuple[float | None, float | None]] = {}
        if baseline_env is not None:
            hook = str(corpora["project"]["hook"])
            pairs.append(
                Pair(
                    "hook",
                    "project",
                    Side("cerebras-migrate --check FILE, warm", [*tool, "--check", hook]),
                    Side(
                        f"baseline {args.baseline}: --check FILE",
                        [*tool, "--check", hook],
                        env=baseline_env,
                    ),
                    "tool/other",
                    cwd=project,
                )
            )
            for name, source, warm in _PROJECT_ROWS:
                flags = ["--check", "."] if warm else ["--no-cache", "--check", "."]
                label = "warm cache" if warm else "--no-cache"
                pairs.append(
                    Pair(
                        name,
                        f"project_{source}",
                        Side(f"cerebras-migrate --check ., {label}", [*tool, *flags]),
                        Side(
                            f"baseline {args.baseline}: --check .",
                            [*tool, "--check", "."],
                            env=baseline_env,
                        ),
                        "tool/other",
                        cwd=scratch / "projects" / source,
                    )
                )
        pairs = [pair for pair in pairs if wanted(pair.name)]
        for pair in pairs:
            print(f"running {pair.name} ...", file=sys.stderr)
            cwd = peer_dir if pair.name in ("peer", "peer_real") else pair.cwd or scratch
            if pair.name == "hook" or pair.name.startswith("project_warm"):
                caches[pair.name] = _warm_cache(pair.tool.command, cwd, env)
            slow = pair.name in ("dense", "peer") or pair.corpus in ("project_dense", "dense_real")
            start_load = os.getloadavg()[0] if load_before else None
            rounds = slow_repeat if slow else repeat
            _measure([pair.tool, pair.other], rounds, cwd, env, warm_up=not quick)
            loads[pair.name] = (start_load, os.getloadavg()[0] if load_before else None)

        memory: list[Side] = []
        if wanted("memory"):
            print("running memory ...", file=sys.stderr)
            memory = [
                Side("dense, a quarter", [*tool, "--check", str(quarter)]),
                Side("dense, all", [*tool, "--check", str(scratch / "dense")]),
            ]
            _measure(memory, 1, scratch, env, warm_up=not quick)

        # One run, no warm-up: minutes for 50 MB, and memory is what it measures.
        big_side = None
        if wanted("big_file"):
            print("running big_file ...", file=sys.stderr)
            big_side = Side(
                "cerebras-migrate --check BIG", [*tool, "--no-cache", "--check", str(big)]
            )
            seconds, rss, code = _run(big_side.command, scratch, env)
            big_side.seconds.append(seconds)
            big_side.peak_rss_mb = rss
            big_side.exit_codes.append(code)
    finally:
        if args.keep:
            print(f"corpora kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    results: dict[str, object] = {
        "command": "python -m benchmarks" + (" --quick" if quick else ""),
        "machine": _machine(),
        "load_average": {"before": load_before, "after": os.getloadavg() if load_before else None},
        "only": sorted(args.only) if args.only else None,
        "repeat": {"fast_pairs": repeat, "slow_pairs": slow_repeat, "warm_up": not quick},
        "tool_revision": revision,
        "baseline": baseline,
        "javascript": {"error": js_error} if js_error else {"grammars": _js_grammars()},
        "dense_real": {"error": real_error},
        "index_cache_files": caches,
        "corpora": corpora,
        "pairs": {},
    }
    for pair in pairs:
        informational = _JS_KIND if pair.corpus.startswith("js") else _INFORMATIONAL
        kind, op, limit = TARGETS.get(pair.name, informational)
        met = None if op is None else pair.ratio <= limit if op == "<=" else pair.ratio >= limit
        results["pairs"][pair.name] = {  # type: ignore[index]
            "corpus": pair.corpus,
            "tool": {**asdict(pair.tool), "median_s": pair.tool.median},
            "reference": {**asdict(pair.other), "median_s": pair.other.median},
            "ratio": pair.ratio,
            "ratio_is": kind,
            "target": "informational" if op is None else f"{op} {limit}",
            "met": met,
            "load_average_1min": {"before": loads[pair.name][0], "after": loads[pair.name][1]},
        }
    if memory:
        _memory_results(results, memory)
    if big_side is not None:
        _big_file_results(results, corpora, big_side)
    return results


def _memory_results(results: dict[str, object], memory: list[Side]) -> None:
    growth = memory[1].peak_rss_mb / memory[0].peak_rss_mb
    results["memory"] = {
        "quarter": {**asdict(memory[0]), "median_s": memory[0].median},
        "full": {**asdict(memory[1]), "median_s": memory[1].median},
        "ratio": growth,
        "ratio_is": TARGETS["memory"][0],
        "target": f"<= {TARGETS['memory'][2]}",
        "met": growth <= TARGETS["memory"][2],
    }


def _big_file_results(results: dict[str, object], corpora: dict, big_side: Side) -> None:
    big_mb = corpora["big_file"]["bytes"] / 1048576
    times = big_side.peak_rss_mb / big_mb
    results["big_file"] = {
        "tool": {**asdict(big_side), "median_s": big_side.median},
        "file_mb": big_mb,
        "ratio": times,
        "ratio_is": TARGETS["big_file"][0],
        "target": f"<= {TARGETS['big_file'][2]}",
        "met": times <= TARGETS["big_file"][2],
    }


def _print(results: dict[str, object]) -> None:
    rows = []
    for name, pair in results["pairs"].items():  # type: ignore[union-attr]
        tool, ref = pair["tool"], pair["reference"]
        verdict = "" if pair["met"] is None else ": met" if pair["met"] else ": NOT met"
        rows.append(
            (
                name,
                f"{tool['median_s'] * 1000:.0f} ms",
                f"{ref['name']}: {ref['median_s'] * 1000:.0f} ms",
                f"{pair['ratio']:.2f} ({pair['ratio_is']})",
                f"{pair['target']}{verdict}",
                f"{tool['peak_rss_mb']:.0f} / {ref['peak_rss_mb']:.0f} MB",
            )
        )
    memory = results.get("memory")
    if memory is not None:
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
    big = results.get("big_file")
    if big is not None:
        rows.append(
            (
                "big_file",
                f"{big['tool']['median_s']:.0f} s, {big['tool']['peak_rss_mb']:.0f} MB",
                f"the file: {big['file_mb']:.0f} MB",
                f"{big['ratio']:.1f} ({big['ratio_is']})",
                f"{big['target']}: {'met' if big['met'] else 'NOT met'}",
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
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated row names (as in the table: dense, js, memory, big_file, ...): "
        "run only those",
    )
    parser.add_argument(
        "--baseline",
        default=_BASELINE,
        help="the commit the project rows run against (default: %(default)s, the code "
        "before the project pass); 'none' leaves those rows out",
    )
    args = parser.parse_args(argv)
    if args.only is not None:
        args.only = frozenset(name.strip() for name in args.only.split(",") if name.strip())
        rows = {"haystack", "dense", "peer", "one_file", "hook", "memory", "big_file"}
        rows |= {name for name, _, _ in _PROJECT_ROWS} | {name for name, _, _ in _JS_ROWS}
        rows |= set(_REAL_ROWS)
        if not args.only or args.only - rows:
            parser.error(f"--only takes some of: {', '.join(sorted(rows))}")
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
    big = results.get("big_file")
    if big is not None and any(code not in (0, 1) for code in big["tool"]["exit_codes"]):  # type: ignore[index]
        failed.append("big_file")
    if failed:
        print(f"commands failed in: {', '.join(sorted(set(failed)))}", file=sys.stderr)
        return 1
    return 0
