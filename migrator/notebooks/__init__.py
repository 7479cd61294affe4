"""Jupyter notebooks: the Python code cells of a ``.ipynb`` file, migrated as one module.

A client is often made in one cell and used in others, so the code cells are joined into one
module, each after a marker statement that splits the rewrite back into cells, and that
module goes through ``migrate_source`` like any ``.py`` file: the same rules, targets,
diagnostics and suppressions.

- Only notebooks whose kernel language is Python (``metadata.kernelspec.language``, else
  ``metadata.language_info.name``; none means Python) and only their code cells. A cell
  whose cell magic is not one that runs Python (``%%bash``, ``%%html``, ``%%writefile``...)
  is left alone; ``%%time``, ``%%timeit``, ``%%capture``... keep a Python body.
- IPython syntax is masked before parsing and restored byte for byte afterwards: each line
  of a line magic (``%pip``), a shell escape (``!cmd``), ``var = !cmd`` / ``var = %magic``,
  help (``obj?``, ``??obj``) or autocall (``/f x``) becomes a placeholder line with the same
  ending: a comment at the top level, a name statement in an indented block. Top-level
  ``await`` is Python to libcst and needs nothing. The lines among them that set a
  hard-coded key (``%env OPENAI_API_KEY=sk-…``) are left out instead, each reported (CM101),
  in a notebook that imports an SDK.
- A cell that still does not parse on its own is reported (CM901, with its cell number) and
  left out; the others are migrated.
- The first cell that imports ``openai`` or ``cerebras`` goes first in the module (the cells
  before it go last), so the imports a rewrite adds (``import os``, the Cerebras SDK) join
  that cell's import block, never an earlier cell that happens to import ``json``.
- Each changed cell is checked on its own; a marker or placeholder that did not survive the
  rewrite is an internal error (CM903) and nothing is written.
- Only the ``source`` values of the changed cells change in the file: their new JSON text is
  spliced in at the offsets of the old one, so indentation, key order, escapes, outputs,
  execution counts, metadata and the final newline stay byte for byte. A list keeps the
  layout of its old items and reuses the exact text of the lines that did not change.

Diagnostics carry the cell (counted from 1 among all the cells of the file, markdown
included) and their line and column inside it, and where that is in the ``.ipynb`` file.

The parts: ``ipython`` (masking IPython syntax), ``cells`` (cells ⇄ one module),
``jsontext`` (finding and splicing ``source`` values in the JSON text), ``positions``
(where a cell's diagnostic is in the file), ``lines``; this module runs the migration.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from codemods import rules
from codemods.options import Options
from codemods.python.source import may_import_sdk, migrate_source
from codemods.python.syntax import cell_syntax_error
from codemods.rules import Diagnostic
from codemods.secrets import mask
from migrator import files
from migrator.results import CellChange, CellDiagnostic, FileResult, Status

from . import jsontext
from .cells import Cell, Module, join, locate, module_order, split, tag_for
from .ipython import KeyLine, mask_cell, unmask
from .jsontext import cell_source, escapes_non_ascii, new_source_json, source_spans, splice
from .lines import NEWLINE
from .positions import Positions


def kernel_language(data: dict[str, Any]) -> str | None:
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field_name in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict):
            value = section.get(field_name)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def is_python(language: str | None) -> bool:
    return language is None or language.lower().startswith(("python", "ipython"))


def migrate_notebook(
    path: Path, raw: bytes, options: Options
) -> tuple[FileResult, files.Source | None]:
    """Migrate one notebook's bytes (the byte gate has let them through); the Source is
    returned when they could be decoded."""
    try:
        source = files.decode_notebook(path, raw)
    except files.SourceError as exc:
        return _error(path, rules.CM902.at(exc.line, 1, reason=str(exc))), None
    text = source.text
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"invalid notebook JSON: {exc.msg}"
        return _error(path, rules.CM902.at(exc.lineno, exc.colno, reason=reason)), None
    except RecursionError:
        reason = "notebook JSON too deeply nested"
        return _error(path, rules.CM902.at(1, 1, reason=reason)), None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        if isinstance(data, dict) and "worksheets" in data:
            note = "nbformat 3 notebook (only nbformat 4 is migrated)"
            return FileResult(path, Status.SKIPPED, note=note), None
        reason = 'not a Jupyter notebook (no "cells" list)'
        return _error(path, rules.CM902.at(1, 1, reason=reason)), None
    language = kernel_language(data)
    if not is_python(language):
        note = f"kernel language is {language!r} (only Python notebooks are migrated)"
        return FileResult(path, Status.SKIPPED, note=note), None
    try:
        outcome = _migrate(path, text, data, options)
    except Exception as exc:  # a bug of ours: report it for this file, keep going
        error = f"{type(exc).__name__}: {exc}"
        outcome = _error(path, rules.CM903.at(1, 1, "notebook-exception", error=error))
    outcome.original = text
    if outcome.status is not Status.CHANGED:
        outcome.new = text
    return outcome, source


def _error(path: Path, diagnostic: Diagnostic, more: list[Diagnostic] | None = None) -> FileResult:
    return FileResult(path, Status.ERROR, diagnostics=[*(more or []), diagnostic])


def _sort_key(d: Diagnostic) -> tuple[int, int, int]:
    return d.cell if isinstance(d, CellDiagnostic) else 0, d.line, d.column


def _migrate(path: Path, text: str, data: dict[str, Any], options: Options) -> FileResult:
    spans = source_spans(text)
    if len(spans) != len(data["cells"]):
        raise ValueError("the cells found in the text do not match the parsed notebook")
    notebook = Positions(text, data, spans)
    tag = tag_for(text)
    tokens = (f"{tag}_{k}__" for k in itertools.count())
    cells: list[Cell] = []
    diagnostics: list[Diagnostic] = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or spans[index] is None:
            continue
        src = cell_source(cell)
        if src is None or not src.strip():
            continue
        masked = mask_cell(src, tokens)
        if isinstance(masked, str):
            continue  # a cell magic that does not run Python
        added = "" if masked.text.endswith(("\n", "\r")) else "\n"
        item = Cell(index, src, masked, added)
        problem = cell_syntax_error(masked.text)
        if problem is not None:
            line, column, variant, reason = problem
            message = rules.CM901.format(variant, reason=reason)
            diagnostics.append(notebook.diagnostic(item, rules.CM901.code, line, column, message))
            continue
        cells.append(item)
    if not cells:
        return _finish(path, text, text, diagnostics, changed=False)
    newline_match = NEWLINE.search("".join(c.masked.text for c in cells))
    newline = newline_match.group() if newline_match else "\n"
    for cell in cells:
        if cell.added:
            cell.added = newline

    while True:
        module = join(module_order(cells), tag, newline)
        result = migrate_source(module.code, options)
        if not result.error:
            break
        syntax = next((d for d in result.diagnostics if d.code == rules.CM901.code), None)
        if syntax is None:  # CM903: the rewrite failed
            mapped = [_map(notebook, module, d) for d in result.diagnostics]
            failed = FileResult(path, Status.ERROR, diagnostics=[*diagnostics, *mapped])
            failed.secrets = result.secrets
            return failed
        # libcst cannot parse a cell CPython could: report that cell, migrate the others.
        cell, line = locate(module, syntax.line)
        diagnostics.append(
            notebook.diagnostic(cell, syntax.code, line, syntax.column, syntax.message)
        )
        cells.remove(cell)
        if not cells:
            return _finish(path, text, text, diagnostics, changed=False)

    diagnostics.extend(_map(notebook, module, d) for d in result.diagnostics)
    keys = _key_lines(notebook, module, diagnostics)
    secrets = [*result.secrets, *(key.key for key in keys)]
    new_text = text
    if result.code != module.code or keys:
        segments = split(result.code, module, tag)
        if segments is None:
            what = "a cell boundary did not survive the rewrite"
            return _internal(path, diagnostics, what, secrets)
        changes: dict[int, str] = {}
        shown: list[CellChange] = []
        for cell, segment in zip(module.cells, segments, strict=True):
            if cell.added and segment.endswith(cell.added):
                segment = segment[: -len(cell.added)]
            new = unmask(segment, cell.masked, tag, drop=bool(keys))
            if new is None:
                what = f"IPython syntax in cell {cell.index + 1} was lost"
                return _internal(path, diagnostics, what, secrets)
            if new == cell.source:
                continue
            problem = cell_syntax_error(segment)  # each changed cell must parse on its own
            if problem is not None:
                line, column, _, _ = problem
                what = f"cell {cell.index + 1} would not parse after the rewrite ({line}:{column})"
                return _internal(path, diagnostics, what, secrets)
            changes[cell.index] = new
            shown.append(CellChange(cell.index + 1, cell.source, new))
        new_text = _rewrite(text, data, spans, changes)
        if not _reads_back(text, new_text, changes):
            what = "the rewritten notebook does not read back"
            return _internal(path, diagnostics, what, secrets)
    outcome = _finish(path, text, new_text, diagnostics, changed=new_text != text)
    outcome.secrets = secrets
    if new_text != text:
        outcome.rewritten_sites = result.rewritten_sites + len(keys)
        outcome.cells = sorted(shown, key=lambda change: change.number)
    return outcome


def _key_lines(notebook: Positions, module: Module, diagnostics: list[Diagnostic]) -> list[KeyLine]:
    """The lines of the migrated cells that set a hard-coded key (``%env NAME=sk-…``), each
    reported in ``diagnostics``: ``unmask`` leaves them out. Only in a notebook that imports
    an SDK, as the fixers of a ``.py`` file run only then."""
    if not may_import_sdk(module.code):
        return []
    found = []
    for cell in module.cells:
        for key in cell.masked.keys:
            found.append(key)
            if key.silenced:
                continue
            message = rules.CM101.format(
                "env-line", masked=mask(key.key), variable=f"${key.variable}", magic=key.magic
            )
            diagnostics.append(
                notebook.diagnostic(cell, rules.CM101.code, key.line, key.column, message)
            )
    return found


def _map(notebook: Positions, module: Module, d: Diagnostic) -> Diagnostic:
    cell, line = locate(module, d.line)
    return notebook.diagnostic(cell, d.code, line, d.column, d.message)


def _finish(
    path: Path, text: str, new_text: str, diagnostics: list[Diagnostic], *, changed: bool
) -> FileResult:
    diagnostics.sort(key=_sort_key)
    if changed:
        status = Status.CHANGED
    elif any(d.code == rules.CM901.code for d in diagnostics):
        status = Status.ERROR  # nothing migrated and a cell could not be read: as a .py file
    else:
        status = Status.UNCHANGED
    return FileResult(path, status, original=text, new=new_text, diagnostics=diagnostics)


def _internal(
    path: Path, diagnostics: list[Diagnostic], what: str, secrets: list[str]
) -> FileResult:
    diagnostics.sort(key=_sort_key)
    outcome = _error(path, rules.CM903.at(1, 1, "notebook", what=what), diagnostics)
    outcome.secrets = secrets
    return outcome


def _rewrite(
    text: str, data: dict[str, Any], spans: list[tuple[int, int] | None], changes: dict[int, str]
) -> str:
    """``text`` with the new sources of ``changes`` (cell index -> source) spliced in."""
    ascii_only = escapes_non_ascii(text)
    replacements = []
    for index, new in changes.items():
        span = spans[index]
        assert span is not None
        old = data["cells"][index]["source"]
        replacements.append((*span, new_source_json(text, span, old, new, ascii_only)))
    return splice(text, replacements)


def _reads_back(old_text: str, new_text: str, expected: dict[int, str]) -> bool:
    """The new text reads back as the old notebook with the expected sources in their old
    form (list or string); everything else was copied from the old text as it was."""
    try:
        old, new = jsontext.loads(old_text), jsontext.loads(new_text)
    except (ValueError, RecursionError):
        return False
    old_cells, new_cells = old["cells"], new["cells"]
    if len(old_cells) != len(new_cells):
        return False
    for index, source in expected.items():
        before, after = old_cells[index], new_cells[index]
        if cell_source(after) != source or type(after["source"]) is not type(before["source"]):
            return False
    return True
