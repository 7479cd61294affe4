"""One file's bytes in, its ``FileResult`` out: pure (no reading, no writing), never raises.

- ``gate``: the byte pre-filter, run once per file before anything else: a file whose bytes
  never mention ``openai`` or ``cerebras`` (most files of a repository) or that is marked
  ``@generated`` needs no parsing at all.
- ``migrate_bytes``: decode, hand the text to the front-end of its kind (a ``.py`` file to
  the Python front-end, a notebook to ``migrator.notebooks``, a ``.js``/``.ts`` file and
  the like to the JavaScript/TypeScript one, ``codemods.js``), and keep the diagnostics
  ``--select``/``--ignore`` let through.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js, sdk

from . import files
from .pins import display_path
from .results import NOTEBOOK_SUFFIX, FileResult, Status
from .settings import Settings

if TYPE_CHECKING:
    from codemods.js.project import Place as JsPlace
    from codemods.python.project import Place

_GENERATED = re.compile(rb"@generated\b")
_GENERATED_WINDOW = 2048  # the marker counts only in a file's header, as in Meta's tooling
SDK_WORDS = tuple(root.lower().encode() for root in sdk.SDK_ROOTS)  # what ``gate`` looks for
# A big file is lowered a window at a time: a copy of the whole would double what it costs.
_WINDOW = 1024 * 1024
NO_SDK = "no OpenAI or Cerebras usage"  # the gate's note for a file that never mentions one


def mentions_sdk(data: bytes) -> bool:
    """Whether ``data`` mentions ``openai`` or ``cerebras`` in any case (ASCII): a file that
    does not is never parsed, and that is most files of a repository. Lowering the bytes
    and two substring searches run at memory speed, about 20 times faster than a
    case-insensitive regex."""
    if len(data) <= _WINDOW:
        lowered = data.lower()
        return any(root in lowered for root in SDK_WORDS)
    overlap = max(map(len, SDK_WORDS)) - 1  # a name across two windows is still found
    for start in range(0, len(data), _WINDOW):
        lowered = data[max(0, start - overlap) : start + _WINDOW].lower()
        if any(root in lowered for root in SDK_WORDS):
            return True
    return False


def imports_openai(data: bytes) -> bool:
    """Whether Python source (or a notebook's JSON) imports the openai package: only then is
    the openai release assumed worth saying."""
    return _IMPORTS_OPENAI.search(data) is not None


_IMPORTS_OPENAI = re.compile(rb"\b(?:import|from)\s+openai\b")


def is_generated(data: bytes) -> bool:
    return _GENERATED.search(data, 0, _GENERATED_WINDOW) is not None


def gate(raw: bytes) -> str | None:
    """Why a file with these bytes needs no parsing (the note of its skipped result), or None
    when it must be migrated."""
    if not mentions_sdk(raw):
        return NO_SDK
    if is_generated(raw):
        return "marked @generated"
    return None


def migrate_bytes(
    path: Path,
    raw: bytes,
    settings: Settings,
    *,
    gated: bool = False,
    place: Place | JsPlace | None = None,
) -> tuple[FileResult, files.Source | None]:
    """Migrate one file's bytes; the Source is returned when they could be decoded.

    ``gated``: the caller has run ``gate`` already and it let the file through. ``place``:
    the project the file is part of, as its module sees it (None: the file alone)."""
    if not gated:
        note = gate(raw)
        if note is not None:
            return FileResult(path, Status.SKIPPED, note=note), None
    if path.suffix == NOTEBOOK_SUFFIX:
        # A notebook's JSON must not be read as Python source: its code cells are migrated.
        from .notebooks import migrate_notebook  # lazily, as notebooks are rare

        outcome, source = migrate_notebook(path, raw, settings.options)
    elif path.suffix.lower() in js.SUFFIXES:
        outcome, source = _migrate_js(path, raw, settings, place)
    else:
        # A JavaScript module's place (no ``project``) never reaches the Python front-end.
        python = place if place is None or hasattr(place, "project") else None
        outcome, source = _migrate_python(path, raw, settings, python)
    if path.suffix.lower() not in js.SUFFIXES:
        outcome.uses_openai = imports_openai(raw)
    if settings.select or settings.ignore:
        outcome.diagnostics = [d for d in outcome.diagnostics if settings.reports(d)]
    return outcome, source


def _migrate_python(
    path: Path, raw: bytes, settings: Settings, place: Place | None
) -> tuple[FileResult, files.Source | None]:
    from codemods.python.source import migrate_source

    try:
        source = files.decode(path, raw)
    except files.SourceError as exc:
        diagnostic = rules.CM902.at(exc.line, 1, reason=str(exc))
        return FileResult(path, Status.ERROR, diagnostics=[diagnostic]), None
    result = migrate_source(source.text, settings.options, place=place)
    status = Status.ERROR if result.error else Status.UNCHANGED
    if result.changed(source.text):
        status = Status.CHANGED
    outcome = FileResult(
        path,
        status,
        original=source.text,
        new=result.code,
        diagnostics=result.diagnostics,
        secrets=result.secrets,
        rewritten_sites=result.rewritten_sites,
    )
    return outcome, source


def _migrate_js(
    path: Path, raw: bytes, settings: Settings, place: Place | JsPlace | None = None
) -> tuple[FileResult, files.Source | None]:
    from codemods.js.project import Place as JsPlace
    from codemods.js.source import looks_minified, migrate_js
    from codemods.js.version import release_of, uses_openai

    try:
        source = files.decode(path, raw)
    except files.SourceError as exc:
        diagnostic = rules.CM902.at(exc.line, 1, reason=str(exc))
        return FileResult(path, Status.ERROR, diagnostics=[diagnostic]), None
    if looks_minified(path.name, source.text):
        return FileResult(path, Status.SKIPPED, note="minified"), None
    imports = place.imports if isinstance(place, JsPlace) else None
    options, release = settings.options, None
    if imports or uses_openai(source.text):
        release = release_of(path)
        options = dataclasses.replace(options, openai_node_version=release.version)
    constants = place.constants if isinstance(place, JsPlace) else None
    result = migrate_js(source.text, options, path.suffix, imports, constants)
    status = Status.ERROR if result.error else Status.UNCHANGED
    if result.changed(source.text):
        status = Status.CHANGED
    outcome = FileResult(
        path,
        status,
        original=source.text,
        new=result.code,
        diagnostics=result.diagnostics,
        secrets=result.secrets,
        rewritten_sites=result.rewritten_sites,
    )
    if release is not None:
        where = f"{display_path(release.path)}: " if release.path is not None else ""
        outcome.openai_node = (release.version, where + release.text)
    return outcome, source
