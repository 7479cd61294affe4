"""One JavaScript or TypeScript text in, the migrated text and its diagnostics out: pure,
and it never raises.

The text is parsed by tree-sitter (the grammar of its suffix). A text with no import or
``require`` of an SDK is returned as it is; one with an SDK import that does not parse is
CM901 at the first error.
The fixers add byte-range edits to the original UTF-8 bytes, so what they do not touch keeps
its bytes; the new text is parsed again, and one that would not parse is CM903, never a
result.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js
from codemods.js import edits, suppressions, syntax
from codemods.js.constants import Constants
from codemods.js.context import Context
from codemods.js.resolve import Imports, Module, read_module
from codemods.options import Options
from codemods.result import SourceResult

if TYPE_CHECKING:
    import tree_sitter

# A necessary condition for ``resolve`` to find an SDK import or require: a string literal
# that is exactly one of the specifiers. Most files that mention "openai" (a comment, a
# model name, ``@langchain/openai``) have none, and are then never parsed. One pattern per
# specifier, starting with it, so that the search skips ahead to each occurrence of it (an
# alternation starting with a quote stops at every quote: five times slower on the openai
# package's own files); the lookbehind then wants a quote before it.
_SPECIFIERS = tuple(
    re.compile(rf"{re.escape(spec)}[\"'](?<=[\"']{re.escape(spec)}[\"'])") for spec in js.SPECIFIERS
)


def may_import_sdk(text: str) -> bool:
    return any(pattern.search(text) is not None for pattern in _SPECIFIERS)


def looks_minified(name: str, text: str) -> bool:
    """Build output rather than source: ``app.min.js``, or long lines throughout."""
    if any(marker in name for marker in js.MINIFIED_MARKERS):
        return True
    lines = text.count("\n") + 1
    return len(text) > 4096 and len(text) / lines > 500


def migrate_js(
    text: str,
    options: Options,
    suffix: str,
    imports: Imports | None = None,
    constants: Constants | None = None,
) -> SourceResult:
    """Rewrite ``text`` (a file ending in ``suffix``) for ``options.target``. ``imports``:
    the clients other modules of the project export, by the specifiers this file may use
    (``migrator/project.py``); a file importing one is migrated without naming an SDK.
    ``constants``: what the project decided for the model constants the file defines or
    imports; a config module whose constants are mapped is rewritten without naming one."""
    try:
        return _migrate(text, options, suffix, imports, constants)
    except RecursionError:
        return SourceResult(text, [rules.CM903.at(1, 1, "too-deep")], error=True)
    except Exception as exc:  # a bug of ours: report it for this file, keep going
        diagnostic = rules.CM903.at(1, 1, error=f"{type(exc).__name__}: {exc}")
        return SourceResult(text, [diagnostic], error=True)


def _migrate(
    text: str,
    options: Options,
    suffix: str,
    imports: Imports | None,
    constants: Constants | None,
) -> SourceResult:
    from codemods.js.pipeline import fixers_for

    own = constants is not None and any(c.mapped for c in constants.own.values())
    if not imports and not own and not may_import_sdk(text):
        return SourceResult(text)
    data = text.encode("utf-8", errors="surrogatepass")
    tree = syntax.parse(data, suffix)
    # tree-sitter recovers: imports are still found
    module = read_module(tree.root_node, imports)
    # A test that mocks the SDK by name without importing it is still read (CM120).
    mocking = b"jest." in data or b"vi." in data
    if not module.imports and not module.remote and not own and not mocking:
        # Nothing to rewrite. Not reported even when tree-sitter finds an error: unlike
        # CPython's parser for Python, it is not the language's authority, and its grammars
        # miss some valid TypeScript (``global {}`` in ``declare module``, ``import()``
        # types), which a file that needs no rewrite must not fail the run on.
        return SourceResult(text)
    problem = syntax.first_problem(tree, data)
    if problem is not None:
        diagnostic = rules.CM901.at(problem.line, problem.column, reason=problem.message)
        return SourceResult(text, [diagnostic], error=True)
    layout = edits.Layout(data)
    if module.quote is not None:
        layout.quote = module.quote
    ctx = Context(data, options, syntax.is_typescript(suffix), module, layout)
    ctx.root, ctx.constants = tree.root_node, constants
    marks = suppressions.suppressions(data, tree.root_node)
    if marks:
        ctx.skipped = suppressions.skipped_ranges(tree.root_node, marks)
        _leave_skipped(module, ctx.skipped)
    for fixer in fixers_for(options.target):
        fixer.run(ctx)
    diagnostics = sorted(
        suppressions.unsilenced(ctx.diagnostics, marks), key=lambda d: (d.line, d.column)
    )
    if not ctx.edits:
        return SourceResult(text, diagnostics, ctx.secrets)
    new_data = edits.apply(data, ctx.edits)
    new_problem = syntax.first_problem(syntax.parse(new_data, suffix), new_data)
    if new_problem is not None:
        internal = rules.CM903.at(new_problem.line, new_problem.column, "would-not-parse")
        return SourceResult(text, [*diagnostics, internal], ctx.secrets, error=True)
    return SourceResult(
        new_data.decode("utf-8", errors="surrogatepass"), diagnostics, ctx.secrets, len(ctx.sites)
    )


def _leave_skipped(module: Module, skipped: list[tuple[int, int]]) -> None:
    """What ``// cerebras-migrate: ignore`` marks is no longer the fixers' to see: a
    constructor there stays as written, so its client does not move and its requests are
    left too, wherever they are; a request there is neither rewritten nor reported."""

    def inside(node: tree_sitter.Node) -> bool:
        return suppressions.within(skipped, node.start_byte, node.end_byte)

    module.clients = [c for c in module.clients if not inside(c.node)]
    module.requests = [r for r in module.requests if not inside(r.node)]
    module.untraced = [u for u in module.untraced if not inside(u.node)]
