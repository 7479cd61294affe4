"""Which openai-node release a JavaScript or TypeScript module runs on, as the Python side
reads the openai pin (``migrator/pins.py``).

From the module's folder upward, the first folder with a ``package.json`` that says something
about ``openai`` decides, first to last: the release installed there
(``node_modules/openai/package.json``), the one locked (``package-lock.json``,
``pnpm-lock.yaml``, ``yarn.lock``), the lowest release the declared range allows
(``dependencies``, ``devDependencies``, ``peerDependencies``; ``npm:openai@...`` aliases
too). Nothing found: the newest release on record (``facts/js.py``). The search stops at a
repository's root (a ``.git``).

Decisions that depend on it: a param value typed only from a later release is spread in
without its type (``flatten_extra_body``), and a release before 4.0 is the v3 API
(``is_v3``).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from packaging.version import InvalidVersion, Version

from codemods.facts import js

_PACKAGE = "openai"
_DEPENDENCY_TABLES = ("dependencies", "devDependencies", "peerDependencies")
_VERSION = r"\d+\.\d+\.\d+"
# pnpm 6+: ``importers: .: dependencies: openai: {specifier, version: 6.8.1(zod@3...)}``;
# pnpm 5: ``dependencies: openai: 6.8.1``.
_PNPM = re.compile(
    rf"^[ \t]+{_PACKAGE}:[ \t]*\n[ \t]+specifier:[^\n]*\n[ \t]+version:[ \t]*['\"]?({_VERSION})"
    rf"|^[ \t]+{_PACKAGE}:[ \t]*['\"]?({_VERSION})",
    re.MULTILINE,
)
# yarn 1: ``openai@^6.8.0:`` then ``version "6.8.1"``; yarn 2+: ``"openai@npm:^6.8.0":`` then
# ``version: 6.8.1``, on one of the entry's indented lines.
_YARN = re.compile(
    rf"^\"?{_PACKAGE}@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:?[ \t]+\"?({_VERSION})",
    re.MULTILINE,
)
_COMPARATOR = re.compile(
    r"^(\^|~>?|>=|>|<=|<|=)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?"
)


# A module that names the openai package (the resolver's own precondition, ``source.py``).
_OPENAI_SPECIFIER = re.compile(rf"[\"']{_PACKAGE}[\"']")


def uses_openai(text: str) -> bool:
    return _OPENAI_SPECIFIER.search(text) is not None


class Release(NamedTuple):
    version: str  # ``"6.8.1"``
    path: Path | None  # the file that said so; None: nothing did
    text: str  # what it said: ``"openai@^6.8.0"``, ``"openai 6.8.1 installed"``


NEWEST = Release(js.OPENAI_NODE_LATEST, None, "no openai in package.json: the newest on record")


def release_of(path: Path) -> Release:
    """The openai-node release the module at ``path`` runs on."""
    try:
        folder = path.resolve().parent
    except OSError:
        return NEWEST
    return _search(folder) or NEWEST


@functools.lru_cache(maxsize=512)
def _search(folder: Path) -> Release | None:
    if (folder / "package.json").is_file():
        found = _in_folder(folder)
        if found is not None:
            return found
    if (folder / ".git").exists() or folder.parent == folder:
        return None
    return _search(folder.parent)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _in_folder(folder: Path) -> Release | None:
    installed = folder / "node_modules" / _PACKAGE / "package.json"
    manifest = _read_json(installed) if installed.is_file() else None
    if isinstance(manifest, dict) and manifest.get("name") == _PACKAGE:
        version = manifest.get("version")
        if isinstance(version, str) and _valid(version):
            return Release(version, installed, f"{_PACKAGE} {version} installed")
    return _locked(folder) or _declared(folder / "package.json")


def _locked(folder: Path) -> Release | None:
    lock = folder / "package-lock.json"
    data = _read_json(lock) if lock.is_file() else None
    if isinstance(data, dict):
        entry = (data.get("packages") or {}).get(f"node_modules/{_PACKAGE}")
        if entry is None:  # lockfileVersion 1
            entry = (data.get("dependencies") or {}).get(_PACKAGE)
        if isinstance(entry, dict) and entry.get("name", _PACKAGE) == _PACKAGE:
            version = entry.get("version")
            if isinstance(version, str) and _valid(version):
                return Release(version, lock, f"{_PACKAGE} {version}")
    for name, pattern in (("pnpm-lock.yaml", _PNPM), ("yarn.lock", _YARN)):
        text = _read_text(folder / name)
        found = pattern.search(text) if text is not None else None
        if found is not None:
            version = next(g for g in found.groups() if g)
            return Release(version, folder / name, f"{_PACKAGE} {version}")
    return None


def _declared(manifest_path: Path) -> Release | None:
    manifest = _read_json(manifest_path)
    if not isinstance(manifest, dict):
        return None
    for table in _DEPENDENCY_TABLES:
        deps = manifest.get(table)
        spec = deps.get(_PACKAGE) if isinstance(deps, dict) else None
        if not isinstance(spec, str):
            continue
        low = lowest(spec)
        if low is not None:
            return Release(low, manifest_path, f'"{_PACKAGE}": "{spec}"')
        # ``latest``, ``*``, a URL: it says nothing of the release; newest on record.
        return Release(js.OPENAI_NODE_LATEST, manifest_path, f'"{_PACKAGE}": "{spec}"')
    return None


def lowest(spec: str) -> str | None:
    """The lowest release an npm range allows (``^6.8.0``, ``~4.20``, ``>=4 <5``, ``6.x``,
    ``npm:openai@^6.8.0``, alternatives with ``||``); None when it has no lower bound or is
    not a range (``latest``, ``*``, a URL, ``workspace:*``)."""
    spec = spec.strip()
    alias = f"npm:{_PACKAGE}@"
    if spec.startswith(alias):
        spec = spec[len(alias) :]
    lows: list[Version] = []
    for alternative in spec.split("||"):
        bounds: list[Version] = []
        # A hyphen range's upper end (``1.2 - 2``) is not a lower bound.
        alternative = re.sub(r"([<>=^~])\s+", r"\1", alternative.replace(" - ", " <="))
        for token in alternative.split():
            found = _COMPARATOR.match(token)
            if found is None:
                return None
            operator, *parts = found.groups()
            if operator in ("<", "<="):
                continue
            if parts[0] in ("x", "X", "*"):
                continue
            numbers = [p if p and p.isdigit() else "0" for p in parts]
            bounds.append(Version(".".join(numbers)))
        if not bounds:
            return None
        lows.append(max(bounds))
    if not lows:
        return None
    return str(min(lows))


def _valid(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def types_value(param: str, value: str, release: str | None) -> bool:
    """Whether openai-node ``release`` (None: the newest on record) types ``value`` for
    ``param`` (``facts/js.py``'s ``TYPED_SINCE``; a value it does not list is taken to be
    typed)."""
    since = js.TYPED_SINCE.get((param, value))
    if since is None or release is None:
        return True
    return Version(release) >= Version(since)


def is_v3(release: str | None) -> bool:
    """Whether ``release`` is the v3 API (``new OpenAIApi(new Configuration({...}))``)."""
    return release is not None and Version(release) < Version(js.OPENAI_NODE_V4)
