"""The project a run belongs to, indexed before any file is rewritten.

A program is many modules: a client built in ``app/llm.py`` is used in ``app/use.py``. Before
the per-file rewrite, ``index_project`` finds the project each named path belongs to (the
nearest folder above it holding ``pyproject.toml``, ``setup.cfg``, ``setup.py`` or ``.git``),
walks all of it the way discovery does, and summarizes with CPython's ``ast``
(codemods/python/index.py) every module that mentions an SDK, then every module that
imports one of those that offer clients (re-exports, users), until nothing new turns up.
Whatever files the run was given, the index is the whole project's: a pre-commit hook
on one file rewrites it exactly as a run over the repository would.

Each module gets its dotted name from where it is: its package chain (folders with
``__init__.py``), and its path from the project root with and without a leading ``src``,
so that ``from app.llm import client`` finds ``src/app/llm.py``.

Summaries are cached (migrator/cache.py), so a warm hook run reads only what changed.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.facts import js, sdk
from codemods.python.index import Summary, module_tree, summarize
from codemods.python.project import Place, Project

from . import files
from .cache import IndexCache
from .core import SDK_WORDS, is_generated, mentions_sdk
from .discover import discover
from .forking import forked_map
from .settings import Settings

if TYPE_CHECKING:
    from codemods.js.constants import Constants
    from codemods.js.project import Place as JsPlace
    from codemods.js.project import Summary as JsSummary
    from codemods.js.resolve import Exported

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "package.json", ".git")
# A call shaped like a request (codemods/python/index.py holds it to the SDK's paths): a
# module that makes one is indexed even without mentioning an SDK, so that a request on a
# client nobody can trace is reported wherever it is.
_REQUEST_SHAPE = re.compile(rb"\.(?:chat\s*\.\s*)?completions\s*\.\s*(?:create|parse|stream)\b")
_ROUNDS = 8  # re-export chains deeper than this many modules are not followed


@dataclass
class ProjectIndex:
    # One per project root: the projects of one run never see each other's modules.
    projects: list[Project]
    # Normalized absolute path -> its project (an index in ``projects``) and its module's
    # primary dotted name.
    modules: dict[str, tuple[int, str]]
    # Files to parse although they never mention an SDK: they use the project's clients.
    dependents: frozenset[str]
    # Files the index read and found to mention no SDK, that nothing makes dependents: the
    # run skips them without reading them a second time.
    clean: frozenset[str] = frozenset()
    # JavaScript and TypeScript modules that import another module's client, by path.
    js: dict[str, JsPlace] = field(default_factory=dict)

    @property
    def project(self) -> Project:
        """The project, when the run has one (most do)."""
        return self.projects[0]

    def place(self, path: Path) -> Place | JsPlace | None:
        key = _key(path)
        if key in self.js:
            return self.js[key]
        found = self.modules.get(key)
        return self.projects[found[0]].place(found[1]) if found is not None else None

    def needs(self, path: Path) -> bool:
        return _key(path) in self.dependents

    def skips(self, path: Path) -> bool:
        return bool(self.clean) and _key(path) in self.clean


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def project_root(path: Path) -> Path:
    """The nearest folder at or above ``path`` with a project marker; the path itself (a
    file's folder) when there is none."""
    return find_root(path)[0]


def find_root(path: Path) -> tuple[Path, bool]:
    """``project_root``, and whether a marker was found (only then is a cache kept there:
    a tree that is no project gets nothing written but its migrated files)."""
    start = Path(os.path.abspath(path))
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate, True
    return folder, False


def module_names(path: Path, root: Path) -> list[str]:
    """The dotted names ``path`` can be imported as, the package chain's first."""
    full, top = os.path.abspath(path), os.path.abspath(root)
    packages: set[str] = set()
    folder = os.path.dirname(full)
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        packages.add(folder)
        if folder == top or os.path.dirname(folder) == folder:
            break
        folder = os.path.dirname(folder)
    return _Names(Path(top), packages).of(full)


class _Names:
    """Module names of the files under ``root``, read off their paths: ``packages`` are the
    folders holding an ``__init__.py`` (from the walk's own list: nothing is stat-ed)."""

    def __init__(self, root: Path, packages: set[str]) -> None:
        self.root = os.fspath(root)
        self.packages = packages
        self.chains: dict[str, tuple[str, ...]] = {}
        self.folders: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {}

    def chain(self, folder: str) -> tuple[str, ...]:
        """The package names from the top package down to ``folder``."""
        found = self.chains.get(folder)
        if found is None:
            found = ()
            if folder in self.packages:
                parent = os.path.dirname(folder)
                above = self.chain(parent) if folder != self.root and parent != folder else ()
                found = (*above, os.path.basename(folder))
            self.chains[folder] = found
        return found

    def folder(self, folder: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """A folder's package chain, and its paths from the root (with and without a
        leading ``src``) when every part is an identifier: computed once per folder."""
        found = self.folders.get(folder)
        if found is None:
            relative: tuple[str, ...] | None = None
            if folder == self.root:
                relative = ()
            elif folder.startswith(self.root + os.sep):
                relative = tuple(folder[len(self.root) + 1 :].split(os.sep))
            options: list[tuple[str, ...]] = []
            if relative is not None and all(part.isidentifier() for part in relative):
                options.append(relative)
                if relative[:1] == ("src",):
                    options.append(relative[1:])
            found = self.folders[folder] = (self.chain(folder), tuple(options))
        return found

    def of(self, path: str) -> list[str]:
        folder, name = os.path.split(path)
        stem = name[:-3] if name.endswith(".py") else name
        chain, options = self.folder(folder)
        init = stem == "__init__"
        names: list[str] = []
        for parts in (chain, *options):
            full = parts if init else (*parts, stem)
            if full and (init or stem.isidentifier()):
                names.append(".".join(full))
        return [n for n in dict.fromkeys(names) if n.split(".")[0] not in sdk.SDK_ROOTS]


def index_project(
    paths: Sequence[Path], settings: Settings, *, jobs: int = 1
) -> ProjectIndex | None:
    """The index of the projects the named ``paths`` (files or folders) belong to; None when
    none uses an SDK. A path outside any project is a project of its own. ``jobs``: the
    processes that may share the summaries, when there are many."""
    roots: dict[Path, bool] = {}
    for path in paths:
        root, marked = find_root(path)
        roots[root] = roots.get(root, False) or marked
    # A folder inside another one given is part of it.
    for root in list(roots):
        if any(other != root and other in root.parents for other in roots):
            del roots[root]
    projects: list[Project] = []
    modules: dict[str, tuple[int, str]] = {}
    dependents: set[str] = set()
    clean: set[str] = set()
    js_places: dict[str, JsPlace] = {}
    for root in sorted(roots, key=str):
        found = _index_root(root, settings, cache=roots[root], jobs=jobs)
        if found is None:
            continue
        root_summaries, root_modules, root_dependents, root_clean, root_js = found
        js_places.update(root_js)
        clean.update(root_clean)
        if not any(s.imports_sdk for s in root_summaries.values()):
            continue  # a project without an SDK: nothing to plan, nothing to report
        number = len(projects)
        projects.append(Project(root_summaries, settings.options.own_urls))
        modules.update((key, (number, module)) for key, module in root_modules.items())
        dependents.update(root_dependents)
    dependents.update(js_places)
    if not projects and not clean and not js_places:
        return None
    return ProjectIndex(
        projects, modules, frozenset(dependents), frozenset(clean - dependents), js_places
    )


class _File:
    __slots__ = ("_names", "clean", "misses", "naming", "path", "scanned", "summary", "text")

    def __init__(self, path: Path, text: str, naming: _Names) -> None:
        self.path = path
        self.text = text  # its absolute path, as a string
        self.naming = naming
        self._names: list[str] | None = None
        # Read this run and found to mention no SDK: the run skips it without reading it
        # again, unless the project makes it a dependent.
        self.clean = False
        self.summary: Summary | None = None
        self.scanned = False  # summarized, or known to need no summary
        self.misses: frozenset[str] = frozenset()  # word searches it is known to fail

    @property
    def names(self) -> list[str]:
        """Its module names, worked out when first needed: most files never need them. A
        file no import can name (``run-me.py``) gets a name of its own, so that it can
        still be read as a user of the project's clients."""
        if self._names is None:
            self._names = self.naming.of(self.text) or [f"__script__.{id(self)}"]
        return self._names


def _index_root(
    root: Path, settings: Settings, *, cache: bool, jobs: int = 1
) -> tuple[dict[str, Summary], dict[str, str], set[str], set[str], dict[str, JsPlace]] | None:
    # One walk for both front-ends: the JavaScript files go to ``_index_js``.
    walked = [
        c.path
        for c in discover([root], settings.excludes, suffixes=(".py", *js.SUFFIXES))
        if c.usable
    ]
    paths = [path for path in walked if path.suffix == ".py"]
    js_paths = [path for path in walked if path.suffix.lower() in js.SUFFIXES]
    store = IndexCache(root, enabled=settings.cache and cache)
    files_at = [os.fspath(path) for path in paths]
    packages = {os.path.dirname(f) for f in files_at if f.endswith(os.sep + "__init__.py")}
    naming = _Names(Path(os.path.abspath(root)), packages)
    known = [
        _File(path, text if os.path.isabs(text) else os.path.abspath(text), naming)
        for path, text in zip(paths, files_at, strict=True)
    ]
    # Round one: every module that mentions an SDK (or calls like a request) is summarized;
    # the cache answers for the files unchanged since the last run.
    todo: list[_File] = []
    for item in known:
        entry = store.lookup(item.path)
        if entry is not None and (entry.summary is None or entry.module == item.names[0]):
            item.scanned, item.summary, item.misses = entry.mentions, entry.summary, entry.misses
            item.clean = entry.clean
        else:
            todo.append(item)
    for item, (verdict, summary) in zip(todo, _scan(todo, jobs), strict=True):
        item.scanned = verdict != CLEAN and verdict != KEPT
        item.clean = verdict == CLEAN
        item.summary = summary
        if verdict != UNREADABLE:  # the bytes are not kept: a later round reads what it needs
            store.store(item.path, item.names[0], item.scanned, summary, clean=item.clean)
    summaries = _by_name(known)
    # Later rounds: modules that import from a module offering clients, until none is new.
    project = Project(summaries, settings.options.own_urls)
    offering = {s.module for s in summaries.values() if project.offers_clients(s)}
    searched: set[str] = set()
    for _ in range(_ROUNDS):
        words = {name.rpartition(".")[2] for name in offering} - searched
        if not words:
            break
        searched |= words
        if not _scan_for(known, words, store, jobs):
            break
        summaries = _by_name(known)
        project = Project(summaries, settings.options.own_urls)
        offering = {s.module for s in summaries.values() if project.offers_clients(s)}
    # Then the modules whose functions some call passes a client to (``embed(client,
    # text)``), which need mention nothing: the requests on that parameter are checked.
    for _ in range(_ROUNDS):
        callees = {
            module
            for callee in project.client_callees()
            for module in (callee.rpartition(".")[0], callee.rsplit(".", 2)[0])
        } - summaries.keys()
        if not _summarize_modules(known, callees, store):
            break
        summaries = _by_name(known)
        project = Project(summaries, settings.options.own_urls)
    # Last: the modules whose names are given as ``model=`` (a config module's constants),
    # which need mention nothing at all.
    wanted = {
        qualname.rpartition(".")[0]
        for summary in summaries.values()
        for qualname, _, _ in summary.model_args
    } - summaries.keys()
    added = _summarize_modules(known, wanted, store)
    # Every module that may read such a constant is read too (a price table keyed by it):
    # a constant is mapped only when all its reads are known.
    constants = {
        qualname.rpartition(".")[2]
        for summary in summaries.values()
        for qualname, _, _ in summary.model_args
    }
    if constants:
        added = _scan_for(known, constants, store, jobs) or added
    if added:
        summaries = _by_name(known)
        project = Project(summaries, settings.options.own_urls)
    js_places = _index_js(js_paths, root, settings, store) if js_paths else {}
    store.save()
    modules = {_key(item.path): item.names[0] for item in known if item.summary is not None}
    dependents = {
        _key(item.path)
        for item in known
        if item.summary is not None
        and not item.summary.imports_sdk
        and (
            item.summary.requests
            or item.summary.module in project.model_modules()
            or project.takes_clients(item.summary)
            or any(project.patched(target) for target in item.summary.patches)
            or project.client_names(item.summary)
        )
    }
    clean = {_key(item.path) for item in known if item.clean and not item.scanned}
    return summaries, modules, dependents, clean, js_places


def _summarize_modules(known: Iterable[_File], modules: set[str], store: IndexCache) -> bool:
    """Summarize the files of the modules named ``modules`` not read yet; whether any."""
    if not modules:
        return False
    by_name = {name: item for item in known for name in item.names}
    added = False
    for module in modules:
        item = by_name.get(module)
        if item is not None and not item.scanned:
            raw = _read(item.path)
            if raw is not None and not is_generated(raw):
                item.summary = _summary(item.path, raw, item.names[0])
                item.scanned = added = True
                store.store(item.path, item.names[0], True, item.summary)
    return added


def _scan_for(known: Iterable[_File], words: set[str], store: IndexCache, jobs: int = 1) -> bool:
    """Summarize every file not read yet whose bytes hold one of ``words``; whether any.
    The words each file does not hold are cached, word by word: a warm run reads none of
    them again, whatever new words join the search."""
    encoded = {w: w.encode() for w in words}
    matched: list[_File] = []
    for item in known:
        if item.scanned:
            continue
        wanted = [w for w in words if w not in item.misses]
        if not wanted:
            continue
        try:
            # In chunks, case-blind: a big file holding none of the words is never held whole.
            raw = files.read_mentioning(item.path, tuple(encoded[w].lower() for w in wanted))
        except OSError:
            continue
        if raw is not None and is_generated(raw):
            continue
        # A substring test first (memory speed); the word-boundary check only on a hit.
        hits = (
            []
            if raw is None
            else [w for w in wanted if encoded[w] in raw and _word(encoded[w]).search(raw)]
        )
        if not hits:
            item.misses = item.misses | frozenset(wanted)
            store.miss(item.path, item.names[0], frozenset(wanted))
            continue
        matched.append(item)
    work = [(item.path, item.names[0]) for item in matched]
    many = len(work) >= MIN_PARALLEL_SCAN // 4  # summaries cost ten times a byte test
    summaries = forked_map(_summary_of, work, jobs if many else 1)
    for item, summary in zip(matched, summaries, strict=True):
        item.summary, item.scanned = summary, True
        store.store(item.path, item.names[0], True, summary)
    return bool(matched)


@functools.lru_cache(maxsize=256)
def _word(word: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\b" + re.escape(word) + rb"\b")


def _request_shaped(raw: bytes) -> bool:
    """A request-shaped call in the bytes (``_REQUEST_SHAPE``), after a substring test."""
    return b"completions" in raw and _REQUEST_SHAPE.search(raw) is not None


def _by_name(known: Iterable[_File]) -> dict[str, Summary]:
    summaries: dict[str, Summary] = {}
    for item in known:
        if item.summary is not None:
            for name in item.names:
                summaries.setdefault(name, item.summary)
    return summaries


def _read(path: Path) -> bytes | None:
    try:
        return files.read_bytes(path)
    except OSError:
        return None  # reported when the file itself is migrated, or not needed


# What round one finds of a file: unreadable (the run reports it), clean (no SDK mentioned:
# the run need not read it), kept (mentioned but not summarized: ``@generated``), or
# summarized (the summary, or None when it does not parse: the run reports that).
UNREADABLE, CLEAN, KEPT, SUMMARIZED = range(4)
# From this many files to read on, forked processes share round one (a repository's cold
# run: reading, the byte tests and the summaries); below, starting them costs more.
MIN_PARALLEL_SCAN = 128


def _scan(items: Sequence[_File], jobs: int) -> list[tuple[int, Summary | None]]:
    """Round one for ``items``, in their order: shared by ``jobs`` forked processes when
    there are enough files (migrator/forking.py), here otherwise."""
    work = [(item.path, item.names[0]) for item in items]
    return forked_map(_scan_one, work, jobs if len(work) >= MIN_PARALLEL_SCAN else 1)


def _summary_of(entry: tuple[Path, str]) -> Summary | None:
    """The summary of a file a word search matched (read again: bytes are not kept)."""
    path, module = entry
    raw = _read(path)
    return _summary(path, raw, module) if raw is not None else None


# What round one looks for: a file holding none of these (in any case) is clean, and a big
# one is searched in chunks (files.read_mentioning), never held whole.
_SCAN_WORDS = (*SDK_WORDS, b"completions")


def _scan_one(entry: tuple[Path, str]) -> tuple[int, Summary | None]:
    path, module = entry
    try:
        raw = files.read_mentioning(path, _SCAN_WORDS)
    except OSError:
        return UNREADABLE, None
    if raw is None:
        return CLEAN, None
    mentions = mentions_sdk(raw)
    if not (mentions or _request_shaped(raw)):
        return CLEAN, None
    if is_generated(raw):
        return (KEPT if mentions else CLEAN), None
    return SUMMARIZED, _summary(path, raw, module)


def _summary(path: Path, raw: bytes, module: str) -> Summary | None:
    try:
        tree = module_tree(files.decode(path, raw).text)
    except files.SourceError:
        return None  # the per-file pass reports it
    if tree is None:
        return None
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return summarize(tree, module, package)


# JavaScript and TypeScript ------------------------------------------------------------
#
# A client made in ``src/lib/openai.ts`` and imported elsewhere (``./lib/openai``,
# ``../lib/openai.js``, ``./lib`` for ``lib/index.ts``, or ``@/lib/openai`` through
# ``tsconfig.json``'s ``compilerOptions.paths`` and ``baseUrl``): every module of the
# project that may import the SDK is summarized (codemods/js/project.py: which exports are
# clients, and whether each moves), then every module whose bytes name one of those
# modules has its specifiers resolved to files; those importing a client get a place, and
# are migrated even when they never name an SDK. The summaries depend on the options (each
# is the exporting module's own decision): they are cached under a fingerprint of them.

_JS_SPECIFIER = re.compile(
    r"""(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(["'])([^"'\n]+)\1"""
)
_JSONC = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _index_js(
    paths: list[Path], root: Path, settings: Settings, store: IndexCache
) -> dict[str, JsPlace]:
    import hashlib

    from codemods.js.project import Place as JsPlace
    from codemods.js.project import Summary as JsSummary

    exporters: dict[str, dict[str, Exported]] = {}
    models = False  # some module exports a model constant or reads one from another
    options = "js3:" + hashlib.sha256(repr(settings.options).encode()).hexdigest()[:16]
    for path in paths:
        entry = store.lookup(path)
        if entry is not None and entry.module == options:
            summary = entry.summary
        else:
            summary = _js_summary(path, settings) or JsSummary()
            store.store(path, options, True, summary)  # type: ignore[arg-type]
        models = models or summary.constants
        if summary.exports:
            exporters[_key(path)] = summary.exports
    if not exporters and not models:
        return {}  # nothing crosses modules: no need to read them all
    aliases = _ts_paths(root)
    known = {_key(path): path for path in paths}
    # A module importing one of them names it: its file's stem, or its folder's for index.*.
    words = tuple(
        {
            (Path(key).parent.name if Path(key).stem == "index" else Path(key).stem)
            .lower()
            .encode()
            for key in exporters
        }
    )
    imports_of: dict[str, dict[str, dict[str, Exported]]] = {}
    targets: dict[str, dict[str, str]] = {}  # importer -> specifier -> the file it names
    definers: set[str] = set()  # files holding a string the model map maps
    passing: set[str] = set()  # files that may pass on another module's names
    model_map = settings.options.model_map
    for path in paths:
        text = _js_text(path, words)
        if text is None:
            continue
        key = _key(path)
        if not settings.options.keep_models and _maps_a_literal(text, model_map):
            definers.add(key)
        resolved: dict[str, str] = {}
        for match in _JS_SPECIFIER.finditer(text):
            specifier = match.group(2)
            if specifier in js.SPECIFIERS or specifier in resolved:
                continue
            for target in _resolve_specifier(specifier, path, aliases):
                if target in known and target != key:
                    resolved[specifier] = target
                    break
        if resolved:
            targets[key] = resolved
            if _JS_REEXPORT.search(text):
                passing.add(key)
    offered = _through_reexports(exporters, targets, passing, known)
    for key, resolved in targets.items():
        imports = {s: offered[t] for s, t in resolved.items() if t in offered}
        if imports:
            imports_of[key] = imports
    decided = _js_constants(root, known, targets, definers, imports_of, settings)
    places: dict[str, JsPlace] = {}
    for key in imports_of.keys() | decided.keys():
        place = JsPlace(imports_of.get(key, {}))
        places[key] = JsPlace(place.imports, decided[key]) if key in decided else place
    return places


# ``export ... from``, an export list, ``export default``/``const``, CommonJS exports: a module
# that may pass on a name it imports (read only when it imports a module offering clients).
_JS_REEXPORT = re.compile(r"\bexport\s*(?:\*|\{|default\b|const\b)|\bmodule\.exports\b|\bexports\.")
_REEXPORT_ROUNDS = 32  # a chain of barrels longer than this is not followed to its end


def _through_reexports(
    exporters: dict[str, dict[str, Exported]],
    targets: dict[str, dict[str, str]],
    passing: set[str],
    known: dict[str, Path],
) -> dict[str, dict[str, Exported]]:
    """Every module's client exports, its own and those it passes on from the modules it
    imports (``export { openai } from "./client"``, ``export * from``, barrels of barrels,
    ``module.exports = require(...)``), each as decided where the client is made. Grown
    until nothing changes, so a cycle of barrels ends."""
    from codemods.js.project import reexports

    offered = {key: dict(names) for key, names in exporters.items()}
    read: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for _ in range(_REEXPORT_ROUNDS):
        changed = False
        for key in sorted(passing):
            resolved = targets[key]
            if not any(t in offered for t in resolved.values()):
                continue
            if key not in read:
                path = known[key]
                read[key] = reexports(_js_text(path, ()) or "", path.suffix)
            names = dict(exporters.get(key, {}))  # its own exports win over a star's
            for here, specifier, there in read[key]:
                source = offered.get(resolved.get(specifier, ""))
                if source is None:
                    continue
                if there == "*":  # ``export *`` passes on all but the default
                    for name, exported in source.items():
                        if name != "default":
                            names.setdefault(name, exported)
                elif there in source:
                    names.setdefault(here, source[there])
            if names and names != offered.get(key):
                offered[key] = names
                changed = True
        if not changed:
            break
    return offered


def _js_summary(path: Path, settings: Settings) -> JsSummary | None:
    from codemods.js.project import summarize
    from codemods.js.source import looks_minified

    text = _js_text(path, SDK_WORDS)
    if not text or looks_minified(path.name, text):
        return None
    return summarize(text, path.suffix, settings.options)


def _maps_a_literal(text: str, model_map: tuple[tuple[str, str], ...]) -> bool:
    """Whether a string literal of ``text`` (plain or template) holds an id the model map
    maps: a module holding one may define a model constant other modules import."""
    from codemods.facts import models

    seen: set[str] = set()
    for match in _model_literals(model_map).finditer(text):
        value = match.group(2)
        if value not in seen:
            seen.add(value)
            if models.map_model(value, model_map) is not None:
                return True
    return False


@functools.lru_cache(maxsize=8)
def _model_literals(model_map: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """Literals that start as some pattern of the model map does (what the map can map):
    most files hold none, and a search for a few prefixes is quick."""
    from codemods.facts import models

    patterns = [pattern for pattern, _ in model_map] + list(models.OPENAI_MODEL_PATTERNS)
    prefixes = {re.split(r"[*?\[]", pattern, maxsplit=1)[0] for pattern in patterns}
    head = "" if "" in prefixes else "|".join(map(re.escape, sorted(prefixes, key=len)[::-1]))
    return re.compile(rf"""(["'`])((?:{head})[\w.:/@-]{{0,100}})\1""")


def _js_constants(
    root: Path,
    known: dict[str, Path],
    targets: dict[str, dict[str, str]],
    definers: set[str],
    imports_of: dict[str, dict[str, dict[str, Exported]]],
    settings: Settings,
) -> dict[str, Constants]:
    """One decision per exported model constant of the project (``constants.Constant``):
    mapped when some read of it, in any module, is the model of a request that moves and
    every read is; each defining module and each importer gets the decisions it needs."""
    from codemods.js.constants import ALL, Constant, Constants
    from codemods.js.project import ModelReads, model_reads

    importers_of: dict[str, list[str]] = {}
    for key, resolved in targets.items():
        for target in dict.fromkeys(resolved.values()):
            importers_of.setdefault(target, []).append(key)
    reads: dict[str, ModelReads] = {}

    def read(key: str) -> ModelReads:
        if key not in reads:
            path = known[key]
            text = _js_text(path, ())
            reads[key] = model_reads(text or "", path.suffix, settings.options, imports_of.get(key))
        return reads[key]

    def shown(key: str) -> str:
        return Path(os.path.relpath(key, _key(root))).as_posix()

    Named = list[tuple[str, str, str]]  # (importer, specifier, export name there)

    def gather(
        module: str, export: str, seen: set[tuple[str, str]]
    ) -> tuple[int, list[str], Named]:
        """The reads of ``module``'s ``export`` in the modules importing it, and in those
        importing a module that passes it on (barrels of barrels; a cycle ends)."""
        fine, places, named = 0, [], []
        for importer in importers_of.get(module, ()):
            found = read(importer)
            for specifier, target in targets[importer].items():
                if target != module:
                    continue
                for name in (export, ALL):
                    count, lines = found.imported.get((specifier, name), (0, ()))
                    fine += count
                    if lines:
                        places.append(shown(importer))
                named.append((importer, specifier, export))
                for source, there, here in found.passed:
                    if source != specifier or there not in (export, ALL):
                        continue
                    if there == ALL and export == "default":
                        continue  # ``export *`` passes on all but the default
                    onward = export if here == ALL else here
                    if (importer, onward) in seen:
                        continue
                    seen.add((importer, onward))
                    more = gather(importer, onward, seen)
                    fine, places, named = fine + more[0], places + more[1], named + more[2]
        return fine, places, named

    own: dict[str, dict[str, Constant]] = {}
    imported: dict[str, dict[str, dict[str, Constant]]] = {}
    for definer in sorted(definers & importers_of.keys()):
        for local, (model, exports, fine, other) in read(definer).own.items():
            places = [f"{shown(definer)}:{line}" for line in other]
            named: Named = []
            for export in exports:
                more = gather(definer, export, {(definer, export)})
                fine, places, named = fine + more[0], places + more[1], named + more[2]
            others = sorted(set(places))
            decision = Constant(model, fine > 0 and not others, "in " + ", ".join(others))
            own.setdefault(definer, {})[local] = decision
            for importer, specifier, export in named:
                imported.setdefault(importer, {}).setdefault(specifier, {})[export] = decision
    return {
        key: Constants(own.get(key, {}), imported.get(key, {}))
        for key in own.keys() | imported.keys()
    }


def _js_text(path: Path, words: tuple[bytes, ...]) -> str | None:
    try:
        raw = files.read_mentioning(path, words)
        return files.decode(path, raw).text if raw is not None else None
    except (OSError, files.SourceError):
        return None  # reported when the file itself is migrated


def _load_jsonc(path: Path) -> object:
    """``tsconfig.json``, which may hold comments and trailing commas."""
    import json

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    text = _JSONC.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text))
    except ValueError:
        return None


def _ts_paths(root: Path) -> tuple[Path | None, list[tuple[str, list[Path]]]]:
    """``compilerOptions.baseUrl`` and ``paths`` (``"@/*": ["./src/*"]``) of the project's
    ``tsconfig.json`` (or ``jsconfig.json``), as folders and patterns."""
    for name in ("tsconfig.json", "jsconfig.json"):
        config = _load_jsonc(root / name)
        if not isinstance(config, dict):
            continue
        options = config.get("compilerOptions")
        if not isinstance(options, dict):
            return None, []
        base_url = options.get("baseUrl")
        base = root / base_url if isinstance(base_url, str) else None
        patterns: list[tuple[str, list[Path]]] = []
        paths = options.get("paths")
        if isinstance(paths, dict):
            for pattern, targets in paths.items():
                if isinstance(pattern, str) and isinstance(targets, list):
                    folder = base if base is not None else root
                    patterns.append((pattern, [folder / t for t in targets if isinstance(t, str)]))
        return base, patterns
    return None, []


def _resolve_specifier(
    specifier: str, importer: Path, aliases: tuple[Path | None, list[tuple[str, list[Path]]]]
) -> list[str]:
    """The files (keys) a specifier may name, in the order TypeScript tries them."""
    bases: list[Path] = []
    if specifier.startswith(("./", "../")) or specifier in (".", ".."):
        bases.append(importer.parent / specifier)
    else:
        base_url, patterns = aliases
        for pattern, targets in patterns:
            prefix, star, suffix = pattern.partition("*")
            if star and specifier.startswith(prefix) and specifier.endswith(suffix):
                middle = specifier[len(prefix) : len(specifier) - len(suffix) or None]
                bases.extend(Path(str(t).replace("*", middle, 1)) for t in targets)
            elif not star and specifier == pattern:
                bases.extend(targets)
        if base_url is not None:
            bases.append(base_url / specifier)
    found: list[str] = []
    for base in bases:
        # Normalized once: a suffix or ``/index.ts`` added to a key is still one, and every
        # specifier of every module is resolved here.
        text = _key(base)
        stem, dot, ext = text.rpartition(".")
        candidates = [text] if "." + ext in js.SUFFIXES and dot else []
        if dot and "." + ext in (".js", ".mjs", ".cjs", ".jsx"):
            # ``./lib/openai.js`` in TypeScript names ``lib/openai.ts``.
            candidates += [stem + s for s in (".ts", ".tsx", ".mts", ".cts")]
        candidates += [text + s for s in js.SUFFIXES]
        candidates += [os.path.join(text, "index" + s) for s in js.SUFFIXES]
        found.extend(candidates)
    return found
