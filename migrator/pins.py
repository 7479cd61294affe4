"""Which openai release the project runs, read from its own files.

The openai client rejects every keyword its installed release does not declare, so the
openai target needs to know that release (``Options.openai_version``). ``--openai-version``
or ``openai-version`` in ``[tool.cerebras-migrate]`` say it outright; otherwise
``detect_openai_version`` reads it from the project, walking up from the first path:

- the folders searched are the first path's folder and its parents, up to the repository root
  (the folder holding ``.git`` or ``.hg``); outside a repository, up to the nearest folder
  holding a project file (``pyproject.toml``, ``setup.cfg``, ``requirements*.txt``, a lock
  file). The home folder and the file-system root are never searched.
- the nearest folder whose files mention openai decides. In it, a lock file (``uv.lock``,
  ``poetry.lock``, ``pdm.lock``, ``Pipfile.lock``: the exact locked release) beats a
  requirement, and requirements are read in this order, the first one naming openai winning:
  ``pyproject.toml`` (PEP 621 ``[project] dependencies``, ``optional-dependencies``, PEP 735
  ``[dependency-groups]``, then Poetry's ``dependencies``, ``group.*.dependencies`` and
  ``dev-dependencies``), ``Pipfile``, ``requirements.txt``, the other ``requirements*.txt``
  and ``requirements/*.txt`` (``-r`` and ``-c`` includes are followed), ``setup.cfg``
  (``install_requires``, ``extras_require``). Environment markers are not evaluated.
- a requirement that is a range, not an exact pin, gives way to a lock file further up (a uv
  workspace's lock at the repository root) when the locked release satisfies it.

A requirement is turned into one release, the newest it allows among the releases this tool
knows facts about (the recorded releases of ``codemods/data/openai_params.json``, the releases
that introduced a keyword, ``KEYWORD_INTRODUCED``, and the versions the requirement names):

- ``==1.30.0`` (also ``===``, Poetry ``1.30.0``/``=1.30.0``) is that release;
- an upper bound is the newest of those releases it allows: ``<1.58`` and ``>=1.40,<1.58`` give
  1.55.0, the newest recorded release below 1.58 (the facts known about any 1.57.x are the same,
  and a keyword an older client would not take only moves into ``extra_body``, which every
  release sends unchanged); ``<=1.57.3`` gives 1.57.3; ``~=1.30`` (that is ``>=1.30,<2``)
  gives the newest 1.x on record; ``==1.57.*`` gives 1.57.0;
  Poetry's ``^1.30`` is ``>=1.30,<2.0.0`` and ``~1.30`` is ``>=1.30,<1.31``; of alternatives
  (``||``) the newest wins;
- no upper bound (``>=1.40``) or no constraint at all: the newest release on record, as with no
  pin;
- a requirement no known release satisfies (``>1.57,<1.58``): its highest lower bound when
  it has one, else the oldest release on record.

Releases before 1.0 count too: ``==0.28.1`` is 0.28.1, and ``<1.0`` or ``~=0.27`` give 0.28.1,
the last 0.x release (``LAST_PRE_V1``), never a 1.x release the code was not written for.
``detect_openai_version`` also says which API the project runs (``Pin.api``): an exact
release says it outright, and so does a requirement that allows only 0.x releases (``<1``)
or only 1.0 and later (``>=1.2``); one that allows both (``>=0.27``, no constraint) says
nothing, and each module's code then decides (``codemods/python/pre_v1.py``).

Nothing here raises: an unreadable or malformed file is skipped.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from packaging.version import InvalidVersion, Version

from codemods.facts import openai_params
from codemods.options import OpenAIApi

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

# packaging's requirement and specifier parsers cost ~30 ms to import, a fifth of a run over a
# repository without OpenAI code: they are imported where a requirement is actually read.

PACKAGE = "openai"
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
REPOSITORY_MARKERS = (".git", ".hg")
PROJECT_FILES = (
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "Pipfile",
    "requirements.txt",
    *LOCK_FILES,
)
# How deep -r/-c includes are followed (a cycle stops earlier: each file is read once).
MAX_INCLUDE_DEPTH = 10


def latest_known() -> str:
    """The newest openai release on record: what a project with no pin is taken to run."""
    return openai_params.known_openai_versions()[-1]


def parse_version(text: str) -> Version | None:
    try:
        return Version(text.strip())
    except InvalidVersion:
        return None


def version_text(version: Version) -> str:
    """The release with at least three parts: ``1.58`` → ``"1.58.0"``
    (``codemods.facts.openai_params`` compares versions part by part, and takes ``1.58``
    for older than ``1.58.0``)."""
    release = ".".join(map(str, (*version.release, 0, 0)[: max(3, len(version.release))]))
    text = str(version)
    rest = text.split("+", 1)[0]  # the suffixes: rc1, .post1, .dev0, +local
    rest = re.sub(r"^(\d+!)?\d+(\.\d+)*", "", rest)
    local = f"+{version.local}" if version.local else ""
    epoch = f"{version.epoch}!" if version.epoch else ""
    return f"{epoch}{release}{rest}{local}"


def normalize_version(text: str) -> str | None:
    """``"v1.58"`` → ``"1.58.0"``; None when ``text`` is not a version at all."""
    version = parse_version(text)
    return version_text(version) if version is not None else None


# --- what a requirement means ---------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One mention of openai in a project file."""

    path: Path
    text: str  # the requirement as written, for the user
    specifiers: tuple[SpecifierSet, ...]  # alternatives (Poetry's ``||``); () for a lock
    locked: Version | None = None  # the release a lock file holds

    @property
    def exact(self) -> Version | None:
        if self.locked is not None:
            return self.locked
        if len(self.specifiers) == 1:
            return _pinned(self.specifiers[0])
        return None


def _pinned(spec: SpecifierSet) -> Version | None:
    for item in spec:
        if item.operator in ("==", "===") and not item.version.endswith(".*"):
            return parse_version(item.version)
    return None


def _named_versions(spec: SpecifierSet) -> list[Version]:
    versions = []
    for item in spec:
        version = parse_version(item.version.removesuffix(".*"))
        if version is not None:
            versions.append(version)
    return versions


def _lower_bounds(spec: SpecifierSet) -> list[Version]:
    versions = []
    for item in spec:
        if item.operator in (">", ">=", "~=", "==", "==="):
            version = parse_version(item.version.removesuffix(".*"))
            if version is not None:
                versions.append(version)
    return versions


def _has_upper_bound(spec: SpecifierSet) -> bool:
    return any(item.operator in ("<", "<=", "==", "===", "~=") for item in spec)


def _fact_versions() -> list[Version]:
    """The releases at which what this tool knows about openai can change."""
    texts = {*openai_params.known_openai_versions(), openai_params.LAST_PRE_V1}
    for introduced in openai_params.KEYWORD_INTRODUCED.values():
        texts.update(introduced.values())
    return [v for v in (parse_version(t) for t in texts) if v is not None]


def assume_version(specifiers: tuple[SpecifierSet, ...]) -> tuple[Version, str]:
    """The release to assume for a requirement, and why (see the module docstring)."""
    if not specifiers or all(len(spec) == 0 for spec in specifiers):
        return Version(latest_known()), "no version constraint: the newest release on record"
    facts = _fact_versions()
    best: Version | None = None
    for spec in specifiers:
        candidates = [v for v in (*facts, *_named_versions(spec)) if spec.contains(v, True)]
        if candidates and (best is None or max(candidates) > best):
            best = max(candidates)
    if best is not None:
        if len(specifiers) == 1 and _pinned(specifiers[0]) == best:
            return best, ""
        on_record = best in facts
        if not any(_has_upper_bound(spec) for spec in specifiers) and on_record:
            return best, "no upper bound: the newest release on record"
        return best, f"the newest release{' on record' if on_record else ''} it allows"
    lows = [v for spec in specifiers for v in _lower_bounds(spec)]
    if lows:
        return max(lows), "it allows no release on record: its lower bound"
    oldest = openai_params.known_openai_versions()[0]
    return Version(oldest), "it allows no release on record: the oldest one"


def api_of(version: Version) -> OpenAIApi:
    return "0.x" if version.release[0] < 1 else "1.x"


def allowed_api(specifiers: tuple[SpecifierSet, ...]) -> OpenAIApi | None:
    """The openai API a requirement allows, when it allows only one: ``<1`` and ``~=0.27``
    only 0.x, ``>=1.2`` only 1.0 and later; None when it allows both (``>=0.27``, ``!=1.3``)."""
    if not specifiers or all(len(spec) == 0 for spec in specifiers):
        return None
    facts = _fact_versions()
    found: set[OpenAIApi] = set()
    for spec in specifiers:
        for version in (*facts, *_named_versions(spec)):
            if spec.contains(version, True):
                found.add(api_of(version))
    return found.pop() if len(found) == 1 else None


# --- Poetry constraints ---------------------------------------------------------------------

_POETRY_TOKEN = re.compile(r"(\^|~=|~|==|!=|>=|<=|>|<|=)?\s*([0-9*][0-9A-Za-z.*+!_-]*)")


def _bump(release: list[int], index: int) -> str:
    head = [*release[:index], release[index] + 1]
    return ".".join(map(str, head))


def poetry_specifiers(constraint: str) -> tuple[SpecifierSet, ...]:
    """A Poetry version constraint as PEP 440 specifier sets, one per ``||`` alternative."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    alternatives = []
    for alternative in constraint.split("||"):
        parts: list[str] = []
        for operator, version_text in _POETRY_TOKEN.findall(alternative):
            if version_text == "*":
                continue
            version = parse_version(version_text.removesuffix(".*"))
            if version is None:
                raise InvalidSpecifier(constraint)
            release = [int(p) for p in version_text.removesuffix(".*").split(".") if p.isdigit()]
            if operator == "^":
                nonzero = next((i for i, n in enumerate(release) if n), len(release) - 1)
                parts += [f">={version_text}", f"<{_bump(release, nonzero)}"]
            elif operator == "~":
                parts += [f">={version_text}", f"<{_bump(release, 1 if len(release) > 1 else 0)}"]
            elif operator in ("", "="):
                parts.append(f"=={version_text}")
            else:
                parts.append(f"{operator}{version_text}")
        alternatives.append(SpecifierSet(",".join(parts)))
    return tuple(alternatives)


# --- reading the files ------------------------------------------------------------------------


def _is_openai(name: str) -> bool:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name) == PACKAGE


def _from_requirement(path: Path, text: str) -> Found | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if not _is_openai(requirement.name):
        return None
    return Found(path, text.strip(), (requirement.specifier,))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _read_toml(path: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):  # imported here: most runs find no file to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _lock(path: Path) -> Found | None:
    """The openai release a lock file holds (the oldest, when forks hold several)."""
    versions = []
    if path.name == "Pipfile.lock":
        data = _read_json(path)
        for section in ("default", "develop"):
            entries = data.get(section) if isinstance(data, dict) else None
            for name, entry in entries.items() if isinstance(entries, dict) else ():
                if _is_openai(name) and isinstance(entry, dict):
                    versions.append(str(entry.get("version", "")).removeprefix("=="))
    else:  # uv.lock, poetry.lock, pdm.lock: [[package]] tables with a name and a version
        data = _read_toml(path)
        packages = data.get("package") if data else None
        for package in packages if isinstance(packages, list) else ():
            if isinstance(package, dict) and _is_openai(str(package.get("name", ""))):
                versions.append(str(package.get("version", "")))
    parsed = [v for v in map(parse_version, versions) if v is not None]
    if not parsed:
        return None
    locked = min(parsed)
    return Found(path, f"openai {locked} (locked)", (), locked)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _poetry_entry(path: Path, name: str, value: Any) -> Found | None:
    """``openai = "^1.30"``, ``{ version = "^1.30" }``, or a list of such tables."""
    tables = value if isinstance(value, list) else [value]
    constraints = []
    for table in tables:
        constraint = table.get("version", "*") if isinstance(table, dict) else table
        if isinstance(constraint, str):
            constraints.append(constraint)
    if not constraints:
        return None
    joined = " || ".join(constraints)
    from packaging.specifiers import InvalidSpecifier

    try:
        specifiers = poetry_specifiers(joined)
    except InvalidSpecifier:
        return None
    return Found(path, f'{name} = "{joined}"', specifiers)


def _pyproject(path: Path) -> Found | None:
    data = _read_toml(path)
    if data is None:
        return None
    project = data.get("project", {})
    lists = [] if not isinstance(project, dict) else [project.get("dependencies")]
    extras = project.get("optional-dependencies", {}) if isinstance(project, dict) else {}
    lists += list(extras.values()) if isinstance(extras, dict) else []
    groups = data.get("dependency-groups", {})
    lists += list(groups.values()) if isinstance(groups, dict) else []
    for requirements in lists:
        for text in _strings(requirements):
            found = _from_requirement(path, text)
            if found is not None:
                return found
    poetry = data.get("tool", {}).get("poetry", {})
    if not isinstance(poetry, dict):
        return None
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    poetry_groups = poetry.get("group", {})
    if isinstance(poetry_groups, dict):
        tables += [g.get("dependencies") for g in poetry_groups.values() if isinstance(g, dict)]
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if _is_openai(name):
                found = _poetry_entry(path, name, value)
                if found is not None:
                    return found
    return None


def _pipfile(path: Path) -> Found | None:
    """``[packages]`` / ``[dev-packages]`` of a Pipfile: ``openai = "==1.30.0"`` or a table."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    data = _read_toml(path)
    for section in ("packages", "dev-packages"):
        table = data.get(section) if data else None
        for name, value in table.items() if isinstance(table, dict) else ():
            if not _is_openai(name):
                continue
            constraint = value.get("version", "*") if isinstance(value, dict) else value
            if not isinstance(constraint, str):
                continue
            try:
                spec = SpecifierSet("" if constraint.strip() == "*" else constraint)
            except InvalidSpecifier:
                continue
            return Found(path, f'{name} = "{constraint}"', (spec,))
    return None


_INCLUDE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+)(\S+)$")


def _requirements(path: Path, seen: set[Path], depth: int = 0) -> Found | None:
    """The first openai requirement of a pip requirements file, following -r/-c includes."""
    resolved = path.resolve()
    if resolved in seen or depth > MAX_INCLUDE_DEPTH:
        return None
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if not line:
            continue
        include = _INCLUDE.match(line)
        if include:
            target = include.group(1)
            if "://" not in target:
                found = _requirements(path.parent / target, seen, depth + 1)
                if found is not None:
                    return found
            continue
        if line.startswith("-"):
            continue  # -e, --index-url, ...: nothing about the openai version
        line = re.split(r"\s--?[a-z]", line, maxsplit=1)[0]  # per-requirement --hash=...
        found = _from_requirement(path, line)
        if found is not None:
            return found
    return None


def _setup_cfg(path: Path) -> Found | None:
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    values = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    for value in values:
        for line in value.splitlines():
            line = line.split("#", 1)[0].strip()
            found = _from_requirement(path, line) if line else None
            if found is not None:
                return found
    return None


def _requirement_files(folder: Path) -> list[Path]:
    first = folder / "requirements.txt"
    others = sorted(p for p in folder.glob("requirements*.txt") if p != first)
    nested = sorted((folder / "requirements").glob("*.txt"))
    return [p for p in (first, *others, *nested) if p.is_file()]


def _declared(folder: Path) -> Found | None:
    """The first openai requirement the folder's own project files declare."""
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        found = _pyproject(pyproject)
        if found is not None:
            return found
    pipfile = folder / "Pipfile"
    if pipfile.is_file():
        found = _pipfile(pipfile)
        if found is not None:
            return found
    seen: set[Path] = set()
    for path in _requirement_files(folder):
        found = _requirements(path, seen)
        if found is not None:
            return found
    setup_cfg = folder / "setup.cfg"
    return _setup_cfg(setup_cfg) if setup_cfg.is_file() else None


def _locked(folder: Path) -> Found | None:
    for name in LOCK_FILES:
        path = folder / name
        if path.is_file():
            found = _lock(path)
            if found is not None:
                return found
    return None


def _is_project(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PROJECT_FILES) or any(
        folder.glob("requirements*.txt")
    )


def search_folders(start: Path) -> list[Path]:
    """The folders searched, nearest first (see the module docstring)."""
    current = start.resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    chain = []
    stops = {Path.home().resolve(), Path(current.anchor)}
    for folder in (current, *current.parents):
        if folder in stops:
            break
        chain.append(folder)
    for index, folder in enumerate(chain):
        if any((folder / marker).exists() for marker in REPOSITORY_MARKERS):
            return chain[: index + 1]
    for index, folder in enumerate(chain):
        if _is_project(folder):
            return chain[: index + 1]
    return chain[:1]


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, else as it is."""
    try:
        return os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


class Pin(NamedTuple):
    """What the project's files say about its openai."""

    version: str  # the release assumed: ``"1.30.0"``
    source: str  # where it came from: ``"requirements.txt: openai==1.30.0"``
    api: OpenAIApi | None  # the API it runs, when the files rule the other out


def detect_openai_version(start: Path) -> Pin | None:
    """The openai release the project at ``start`` runs, where that came from and which API
    it is; None when nothing says."""
    try:
        return _detect(search_folders(start))
    except (OSError, RuntimeError):  # an unreadable folder, a symlink loop: as if unpinned
        return None


def _detect(folders: list[Path]) -> Pin | None:
    for index, folder in enumerate(folders):
        found = _locked(folder) or _declared(folder)
        if found is None:
            continue
        exact = found.exact
        if exact is not None:
            source = f"{display_path(found.path)}: {found.text}"
            return Pin(version_text(exact), source, api_of(exact))
        # A range: a lock further up that satisfies it (a workspace's) says which release.
        for lock in filter(None, map(_locked, folders[index + 1 :])):
            locked = lock.locked
            if locked is not None and any(s.contains(locked, True) for s in found.specifiers):
                source = f"{display_path(lock.path)}: {lock.text}"
                return Pin(version_text(locked), source, api_of(locked))
        version, why = assume_version(found.specifiers)
        note = f"; {why}" if why else ""
        source = f"{display_path(found.path)}: {found.text}{note}"
        return Pin(version_text(version), source, allowed_api(found.specifiers))
    return None


def assumed_line(version: str | None, source: str | None) -> str:
    """The line the openai target prints at the end of a run."""
    if version is None:
        version = latest_known()
        source = source or "no openai requirement found: the newest release on record"
    return f"openai version assumed: {version} ({source})"
