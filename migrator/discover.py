"""Finding the files to migrate: named files as they are, directories walked like git would.

A file named on the command line is always a candidate (pre-commit passes staged files, and a
user who names a file means it). A directory is walked without following directory symlinks;
``excludes`` (gitignore-style, relative to the walked directory) and the ``.gitignore`` files
of the tree and of its repository prune the walk. Only ignore files are ever read.

A path that cannot be used (missing, a broken symbolic link or a loop, an unreadable folder)
is a candidate with a ``problem``, reported for that path while every other file is still
processed. A file symlink is followed only to a file inside the tree it was found in (the
walked folder; for a named link, its own folder); one leading elsewhere is a candidate with a
``skip`` note and is never read or written through, as is one leading into an excluded path.
A link to a file that is also a candidate under another name (its target in the same tree,
or a second link to it) is a candidate with a ``skip`` note naming that one: the file is
migrated once, and the link stays a link. Migrated under both names, the second write would
find the file rewritten by the first and refuse it as changed on disk.
Each usable candidate's real path is recorded (``files.vet``), so that a read opens that file
and nothing swapped in since.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemods.facts import js

from . import files

if TYPE_CHECKING:
    import pathspec


@dataclass(frozen=True)
class Candidate:
    path: Path  # as the user would refer to it: relative to cwd when given relative
    explicit: bool  # named on the command line (not found by a directory walk)
    problem: str | None = None  # why it cannot be read: an error for this path
    skip: str | None = None  # why it is left alone (a symlink leaving its tree)

    @property
    def usable(self) -> bool:
        return self.problem is None and self.skip is None


@dataclass(frozen=True)
class _Rules:
    """One compiled ignore file, and how to turn a walk-relative path into its own terms.

    The path matched is ``prefix + rel[strip:]``: a nested ``.gitignore`` strips its folder
    from the front, one above the walked directory prepends the way down to it.
    """

    spec: Any  # pathspec.GitIgnoreSpec
    prefix: str = ""
    strip: int = 0

    def decide(self, rel: str) -> bool | None:
        """True ignored, False re-included by a negation, None if no pattern matches."""
        return self.spec.check_file(self.prefix + rel[self.strip :]).include


# For tests only: a FIFO the first discovery of a process reads to its end when done, so a
# test can change the tree between discovery and the reads, deterministically.
_AFTER_HOOK = "CEREBRAS_MIGRATE_TEST_AFTER_DISCOVERY"
_IGNORE_FILE = ".gitignore"
_GIT = ".git"


def discover(
    paths: Sequence[Path],
    excludes: Sequence[str],
    *,
    suffixes: tuple[str, ...] = (".py", ".pyi", ".ipynb", *js.SUFFIXES),
) -> list[Candidate]:
    """The files to migrate, de-duplicated, named files in order and each walk sorted."""
    exclude_spec = _compile_excludes(excludes)
    cache: dict[str, pathspec.GitIgnoreSpec | None] = {}
    found: dict[str, int] = {}  # identity -> index in ``result``
    result: list[Candidate] = []

    def add(candidate: Candidate) -> None:
        # The key is lexical, not resolved: a symlink and its target stay two candidates,
        # but ``src/a.py`` named and ``src/a.py`` walked (or given absolute) are one.
        key = os.path.normcase(os.path.abspath(candidate.path))
        index = found.get(key)
        if index is None:
            found[key] = len(result)
            result.append(candidate)
        elif candidate.explicit and not result[index].explicit:
            result[index] = Candidate(
                result[index].path, True, result[index].problem, result[index].skip
            )

    if len(paths) == 1 and paths[0].is_dir():
        # One folder (the usual run): a walk never yields a file twice, no keys needed.
        result = _walk(paths[0], exclude_spec, suffixes, cache)
    else:
        for path in paths:
            if path.is_dir():
                for walked in _walk(path, exclude_spec, suffixes, cache):
                    add(walked)
            else:
                add(_named(path))
    result = _one_name_each(result)
    _after_discovery()
    return result


def _one_name_each(candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` with every symbolic link to a file that another candidate also names
    turned into a ``skip`` naming that one: the file itself when it is a candidate, else
    the first link to it."""
    targets = {}  # real path -> the index of the first link to it
    for index, candidate in enumerate(candidates):
        found = files.vetted(candidate.path) if candidate.usable else None
        if found is not None and found[1]:
            targets.setdefault(found[0], index)
    if not targets:
        return candidates  # no link among them (the usual tree): nothing to look up
    kept = dict(targets)  # real path -> the index of the name it is migrated under
    for index, candidate in enumerate(candidates):
        found = files.vetted(candidate.path) if candidate.usable else None
        if found is not None and not found[1] and found[0] in kept:
            kept[found[0]] = index  # the file itself, not a link to it
    out = list(candidates)
    for index, candidate in enumerate(candidates):
        found = files.vetted(candidate.path) if candidate.usable else None
        if found is None or not found[1] or kept[found[0]] == index:
            continue
        other = candidates[kept[found[0]]].path.as_posix()
        note = f"a symbolic link to {other}, which is migrated under that name"
        out[index] = Candidate(candidate.path, candidate.explicit, skip=note)
    return out


def _after_discovery() -> None:
    hook = os.environ.pop(_AFTER_HOOK, None)  # once: the project index discovers again
    if hook:
        with open(hook, "rb") as fifo:
            fifo.read()


def _named(path: Path) -> Candidate:
    """A path named on the command line that is not a directory."""
    if path.is_symlink():
        return _link(path, os.path.dirname(os.path.abspath(path)), explicit=True)
    if path.is_file():
        parent = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        files.vet(path, os.path.join(parent, path.name), link=False)
        return Candidate(path, True)
    if path.exists():
        return Candidate(path, True, problem="not a regular file")
    return Candidate(path, True, problem="no such file or directory")


def _link(
    path: Path,
    tree: str,
    explicit: bool,
    exclude_spec: _Names | pathspec.GitIgnoreSpec | None = None,
) -> Candidate | None:
    """A file symlink found in ``tree``: a candidate when it leads to a file inside it and
    not into what ``exclude_spec`` excludes; None (walked) for a link to a folder or a
    special file, which is not followed."""
    try:
        os.stat(path)
    except OSError as exc:
        import errno

        # "No such file" would puzzle whoever looks at the link.
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
        return Candidate(path, explicit, problem=reason)
    target = os.path.realpath(path)
    if not os.path.isfile(target):
        if explicit:
            return Candidate(path, True, problem="symbolic link to something not a file")
        return None
    real_tree = os.path.realpath(tree)
    try:
        inside = os.path.commonpath([real_tree, target]) == real_tree
    except ValueError:  # another drive, on Windows
        inside = False
    if not inside:
        # A rewrite through it would edit a file nobody asked about.
        return Candidate(path, explicit, skip="symbolic link leading out of its tree; not followed")
    if exclude_spec is not None and _excluded_inside(exclude_spec, target[len(real_tree) :]):
        # The walk never enters ``.venv/``; a link must not take it there either.
        return Candidate(path, explicit, skip="symbolic link into an excluded path; not followed")
    files.vet(path, target, link=True)
    return Candidate(path, explicit)


def _excluded_inside(exclude_spec: _Names | pathspec.GitIgnoreSpec, rest: str) -> bool:
    """Whether the excludes prune the tree-relative path ``rest`` (``/a/b.py``) or a folder
    on the way to it, as the walk would."""
    parts = rest.replace(os.sep, "/").strip("/").split("/")
    rel = ""
    for part in parts[:-1]:
        rel += part + "/"
        if exclude_spec.match_file(rel):
            return True
    return exclude_spec.match_file(rel + parts[-1])


# A pattern that is a plain name (``.venv``, ``build/``): it matches a file or folder of that
# name at any depth (with the slash: a folder only), which a set lookup decides.
_PLAIN_NAME = re.compile(r"[^\s*?\[\]\\/!#][^\s*?\[\]\\/]*/?")


class _Names:
    """``GitIgnoreSpec.match_file`` for plain-name patterns, in the walk's terms: ``rel`` is
    a walked entry (folders end with a slash) whose parents were not excluded."""

    def __init__(self, names: set[str], folders: set[str]) -> None:
        self.names = names
        self.folders = folders

    def match_file(self, rel: str) -> bool:
        if rel.endswith("/"):
            name = rel[rel.rfind("/", 0, -1) + 1 : -1]
            return name in self.names or name in self.folders
        return rel[rel.rfind("/") + 1 :] in self.names


def _compile_excludes(lines: Sequence[str]) -> _Names | pathspec.GitIgnoreSpec | None:
    """The exclude patterns as a matcher; plain names (the defaults) need no regex at all,
    and no import of pathspec."""
    names: set[str] = set()
    folders: set[str] = set()
    for line in lines:
        if not line or line.startswith("#") or line.isspace():
            continue  # blank or comment, as in an ignore file
        if not _PLAIN_NAME.fullmatch(line) or line.rstrip("/") in (".", ".."):
            return _compile(lines)
        if line.endswith("/"):
            folders.add(line[:-1])
        else:
            names.add(line)
    return _Names(names, folders) if names or folders else None


def _compile(lines: Iterable[str]) -> pathspec.GitIgnoreSpec | None:
    import pathspec  # lazily: most runs never need it (see _compile_excludes)

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    # A spec of only blanks and comments would cost a regex run per path for nothing.
    return spec if any(p.include is not None for p in spec.patterns) else None


def _load(
    path: Path, cache: dict[str, pathspec.GitIgnoreSpec | None]
) -> pathspec.GitIgnoreSpec | None:
    """The compiled ignore file at ``path`` (None if absent, empty or unreadable), once."""
    key = os.path.abspath(path)
    if key not in cache:
        try:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            # Git itself skips an ignore file it cannot read; so do we.
            cache[key] = None
        else:
            cache[key] = _compile(text.splitlines())
    return cache[key]


def _ignored(rules: Sequence[_Rules], rel: str) -> bool:
    # Git's precedence: the deepest ignore file that has an opinion wins, and within a file
    # the last matching pattern (which GitIgnoreSpec.check_file already applies).
    for rule in reversed(rules):
        decision = rule.decide(rel)
        if decision is not None:
            return decision
    return False


def _repo_rules(root: Path, cache: dict[str, pathspec.GitIgnoreSpec | None]) -> list[_Rules]:
    """Rules from outside the walk: the repository's info/exclude and the parents' .gitignore.

    Ordered lowest precedence first. Nothing is looked up outside a git repository, so a
    stray ``~/.gitignore`` does not leak into a walk of a folder that is not under git.
    """
    real = root.resolve()
    repo = next((f for f in (real, *real.parents) if (f / _GIT).exists()), None)
    if repo is None:
        return []
    base = real.relative_to(repo).as_posix()
    base = "" if base == "." else base + "/"  # the walked folder, relative to the repository
    # (folder relative to the repository, spec), lowest precedence first: info/exclude, then
    # the .gitignore files of the strict ancestors of the walked folder, outermost first.
    # The walked folder's own .gitignore is read by the walk.
    sources: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    spec = _load(repo / _GIT / "info" / "exclude", cache)
    if spec is not None:
        sources.append(("", spec))
    parts = base.split("/")[:-1]
    for depth in range(len(parts)):
        own = "".join(part + "/" for part in parts[:depth])
        spec = _load(repo.joinpath(*parts[:depth], _IGNORE_FILE), cache)
        if spec is not None:
            sources.append((own, spec))
    chain = ["".join(part + "/" for part in parts[: depth + 1]) for depth in range(len(parts))]
    if _chain_ignored(sources, chain):
        sources = _forgive(sources, chain)
    return [_Rules(spec, prefix=base[len(own) :]) for own, spec in sources]


def _chain_ignored(sources: Sequence[tuple[str, pathspec.GitIgnoreSpec]], chain: list[str]) -> bool:
    """Whether a folder on the way from the repository down to the walked one is ignored."""
    for folder in chain:  # top down, as git decides: an ignored folder hides all below it
        for own, spec in reversed(sources):
            if folder.startswith(own) and folder != own:
                decision = spec.check_file(folder[len(own) :]).include
                if decision is not None:
                    if decision:
                        return True
                    break
    return False


def _forgive(
    sources: Sequence[tuple[str, pathspec.GitIgnoreSpec]], chain: list[str]
) -> list[tuple[str, pathspec.GitIgnoreSpec]]:
    """Drop the patterns that match the walked folder or one of its parents.

    The user named this folder, so it is walked even when git ignores it (as ripgrep does);
    the other patterns of those files (``*.gen.py``) still apply inside it.
    """
    kept_sources: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for own, spec in sources:
        folders = [f[len(own) :] for f in chain if f.startswith(own) and f != own]
        kept = [
            p
            for p in spec.patterns
            if p.include is not None and not any(p.match_file(f) for f in folders)
        ]
        if kept:
            kept_sources.append((own, type(spec)(kept)))
    return kept_sources


def _walk(
    root: Path,
    exclude_spec: _Names | pathspec.GitIgnoreSpec | None,
    suffixes: tuple[str, ...],
    cache: dict[str, pathspec.GitIgnoreSpec | None],
) -> list[Candidate]:
    """The wanted files under ``root``, sorted by their walk-relative posix paths."""
    found: list[tuple[str, Candidate]] = []  # (walk-relative path, candidate)
    # The walk follows no folder link, so a file's real path is the root's and its own.
    real_root = os.path.join(os.path.realpath(root), "")
    # Each pending folder carries the rules in force there; tuples are shared, not copied.
    pending: list[tuple[str, str, Path, tuple[_Rules, ...]]] = [
        (os.fspath(root), "", root, tuple(_repo_rules(root, cache)))
    ]
    while pending:
        folder, rel_folder, folder_path, inherited = pending.pop()
        rules = inherited
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            # Loud rather than silently short: the user can exclude the folder.
            problem = f"cannot read directory: {exc.strerror}"
            found.append((rel_folder, Candidate(folder_path, False, problem=problem)))
            continue
        if any(entry.name == _IGNORE_FILE for entry in entries):  # no failed open per folder
            own = _load(Path(folder, _IGNORE_FILE), cache)
            if own is not None:
                rules = (*rules, _Rules(own, strip=len(rel_folder)))
        for entry in entries:
            if entry.name == _GIT:
                continue  # git's own data, never source, whatever the excludes say
            rel = rel_folder + entry.name
            if entry.is_dir(follow_symlinks=False):
                rel_dir = rel + "/"  # the slash lets dir-only patterns (``build/``) match
                if _excluded(exclude_spec, rules, rel_dir):
                    continue  # pruned: nothing below an excluded folder is even listed
                pending.append((entry.path, rel_dir, folder_path / entry.name, rules))
            elif not entry.name.endswith(suffixes) or _excluded(exclude_spec, rules, rel):
                continue  # the suffix first: most files fail that cheapest test
            elif entry.is_symlink():
                link = _link(folder_path / entry.name, os.fspath(root), False, exclude_spec)
                if link is not None:
                    found.append((rel, link))
            elif entry.is_file(follow_symlinks=False):  # no FIFO, socket, device
                # Joined from its folder's Path, a file's Path costs half what root / rel does.
                path = folder_path / entry.name
                files.vet(path, real_root + rel.replace("/", os.sep), link=False)
                found.append((rel, Candidate(path, False)))
    found.sort(key=lambda item: item[0])
    return [candidate for _, candidate in found]


def _excluded(
    exclude_spec: _Names | pathspec.GitIgnoreSpec | None, rules: Sequence[_Rules], rel: str
) -> bool:
    if exclude_spec is not None and exclude_spec.match_file(rel):
        return True
    return _ignored(rules, rel)
