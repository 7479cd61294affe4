"""One Python text in, the migrated text and its diagnostics out: pure, and it never raises.

CPython's parser reads the text first (``syntax``): it tells whether libcst need see the text
at all (no import of either SDK: nothing to rewrite), and keeps texts away that would crash
libcst. libcst is then shown only the statements that can matter (``focus``), the fixers of
the target run (``pipeline``), and the new text is parsed again before it is returned: a
rewrite that would not parse is an internal error (CM903), never a result. What libcst's
parser would drop is shown to it so that it is kept (``roundtrip``). Lines marked
``# cerebras-migrate: ignore`` are honoured here (``suppressions``).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from codemods import rules
from codemods.facts import sdk
from codemods.options import Options
from codemods.python import roundtrip, statements, syntax
from codemods.python.suppressions import Marks, skipped_lines, suppressions, unsilenced
from codemods.result import SourceResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from codemods.python.focus import Focus
    from codemods.python.project import Place

# A necessary condition for codemods.python.resolve's ``imports_sdk`` (an ``import``/``from``
# of ``openai`` or ``cerebras`` as the resolver counts one), read off the text: the keyword,
# then what a statement may hold before the module name (names, dots, commas, ``as``, blanks,
# backslash continuations), then the name. It errs only towards yes (a string, a comment,
# ``from . import openai``); tests/test_fast_paths.py holds it to the resolver.
_SDK_IMPORT = re.compile(
    r"\b(?:import|from)\b(?:[ \t\f\w.,]|\\\r?\n|\\\r)*?(?<![\w.])(?:"
    + "|".join(sdk.SDK_ROOTS)
    + r")\b"
)


def may_import_sdk(text: str) -> bool:
    """False only when ``text`` has no import the resolver counts as one of the SDKs."""
    return _SDK_IMPORT.search(text) is not None


def migrate_source(
    text: str, options: Options, *, focus: bool = True, place: Place | None = None
) -> SourceResult:
    """Rewrite ``text`` for ``options.target``; bad input is reported, never raised.

    ``focus=False`` shows libcst the whole module even where codemods/python/focus.py would
    leave parts out (the tests compare the two). ``place``: the project the module is part
    of, as it sees it (codemods/python/project.py); None: the module alone."""
    marks = suppressions(text)
    result = _migrate(text, options, marks, focus, place)
    if marks:
        result.diagnostics = unsilenced(result.diagnostics, marks)
    return result


def _error(text: str, diagnostic: rules.Diagnostic) -> SourceResult:
    return SourceResult(text, [diagnostic], error=True)


def _migrate(
    text: str, options: Options, marks: Marks, focus: bool, place: Place | None
) -> SourceResult:
    # A module that imports clients from the rest of the project has requests to migrate
    # without importing an SDK itself.
    imports_sdk = may_import_sdk(text) or (place is not None and place.relevant)
    if statements.is_big(text):
        return _migrate_big(text, options, marks, focus, place, imports_sdk)
    verdict = syntax.cpython(text)
    if isinstance(verdict, syntax.Rejected):
        if verdict.too_deep or syntax.bracket_depth(text) > syntax.LIBCST_MAX_BRACKET_DEPTH:
            return _rejected(text, verdict)
    elif not imports_sdk:
        # Nothing to rewrite without an import of either SDK (the traversal stops at the same
        # condition), and the file is valid: libcst need not see it.
        return SourceResult(text)
    import libcst as cst  # lazily: a run that finds no candidate never loads libcst

    if imports_sdk and focus and isinstance(verdict, ast.Module):
        focused = _focused(text, verdict, options, marks, place)
        if focused is not None:
            return focused
    try:
        module, undo = roundtrip.parse(text)
    except cst.ParserSyntaxError as exc:
        line, column = exc.raw_line, exc.raw_column + 1
        message = _first(exc)
        # CPython names the place and the mistake better ("Missing parentheses in call to
        # 'print'"); libcst points at the token after it.
        if isinstance(verdict, syntax.Rejected):
            line, column, message = verdict.line, verdict.column, verdict.message
        return _error(text, rules.CM901.at(line, column, reason=message))
    except RecursionError:
        return _error(text, rules.CM901.at(1, 1, "nesting"))
    if not imports_sdk:  # valid for libcst, not for this Python (newer syntax): as above
        return SourceResult(text)
    result = _rewrite(module, text, options, marks, undo, place=place)
    assert result is not None  # None only when holes cannot go back: there are none here
    return result


def _migrate_big(
    text: str, options: Options, marks: Marks, focus: bool, place: Place | None, imports_sdk: bool
) -> SourceResult:
    """``_migrate`` for a text too big for one CPython parse (codemods/python/statements.py):
    checked a group of statements at a time, and shown to libcst only as focused, and only
    up to ``statements.MAX_WHOLE``. CPython's verdict is final here: libcst may know newer
    syntax, but a whole parse of a big text to find out costs gigabytes."""
    from codemods.python.focus import focus_big
    from codemods.python.pipeline import reads_alone

    if not imports_sdk or not focus:
        verdict = statements.check(text)
        if verdict is not None:
            return _rejected(text, verdict)
        if not imports_sdk:
            return SourceResult(text)
        focused = None
    else:
        seeds = place.client_names | place.takes_clients if place is not None else frozenset()
        focused = focus_big(text, reads_alone(options), seeds)
        if isinstance(focused, syntax.Rejected):
            return _rejected(text, focused)
    shown = focused.text if focused is not None else text
    if len(shown) > statements.MAX_WHOLE:
        return _too_large(text, len(shown))
    import libcst as cst

    try:
        module, undo = roundtrip.parse(shown)
    except cst.ParserSyntaxError as exc:  # newer syntax than this Python's, in kept code
        return _error(text, rules.CM901.at(exc.raw_line, exc.raw_column + 1, reason=_first(exc)))
    except RecursionError:
        return _error(text, rules.CM901.at(1, 1, "nesting"))
    result = _rewrite(module, text, options, marks, undo, focused, place)
    # None: a fixer moved a hole, and the whole module, too big, would be needed.
    return result if result is not None else _too_large(text, len(text))


def _too_large(text: str, shown: int) -> SourceResult:
    size = f"{shown / 1048576:.1f}"
    return _error(text, rules.CM905.at(1, 1, size=size, limit=statements.MAX_WHOLE >> 20))


def _first(exc: Exception) -> str:
    message = getattr(exc, "message", "")
    return str(message).strip().splitlines()[0] if message else "invalid syntax"


def _rejected(text: str, verdict: syntax.Rejected) -> SourceResult:
    variant = "too-deep" if verdict.too_deep else rules.DEFAULT
    return _error(
        text, rules.CM901.at(verdict.line, verdict.column, variant, reason=verdict.message)
    )


def _focused(
    text: str, tree: ast.Module, options: Options, marks: Marks, place: Place | None
) -> SourceResult | None:
    """The result of showing libcst only the parts of ``text`` (parsed by CPython as
    ``tree``) that can matter (codemods/python/focus.py), or None when the whole module must
    be parsed: nothing to leave out, or anything unusual (the whole-module path reports it)."""
    import libcst as cst

    from codemods.python.focus import focus
    from codemods.python.pipeline import reads_alone

    # What the project knows of: clients imported, functions passed a client (their
    # parameters are traced), as an SDK import's names matter.
    seeds = place.client_names | place.takes_clients if place is not None else frozenset()
    focused = focus(text, tree, reads_alone(options), seeds)
    if focused is None:
        return None
    try:
        module, undo = roundtrip.parse(focused.text)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    result = _rewrite(module, text, options, marks, undo, focused, place)
    return None if result is None or result.error else result


def _rewrite(
    module: Any,
    text: str,
    options: Options,
    marks: Marks,
    undo: Callable[[str], str],
    focused: Focus | None = None,
    place: Place | None = None,
) -> SourceResult | None:
    """Run the fixers on ``module``, parsed from ``text`` (or from ``focused.text``, whose
    holes go back in place in the result; None when they cannot); ``undo`` puts back what
    libcst was shown instead (``roundtrip``)."""
    from codemods.python.context import nothing_hidden
    from codemods.python.cst.walk import code  # ``module.code``, faster
    from codemods.python.pipeline import migrate_module

    hides = focused.hides if focused is not None else nothing_hidden
    try:
        result = migrate_module(module, options, skipped_lines(marks), hides, place)
        new_code: str | None = text
        # What the syntax check reads: the new text, or for a big one its focused form, as
        # the holes are whole top-level statements that parsed (at column 0, ``restore``
        # makes sure): a second parse of 50 MB would cost as long as the first.
        checked = (text, text)
        if result.changed:
            new_code = undo(code(result.module))
            if focused is not None:
                shown = new_code
                new_code = focused.restore(new_code)
                if new_code is None:
                    return None
                big = statements.is_big(text)
                checked = (shown, focused.text) if big else (new_code, text)
            else:
                checked = (new_code, text)
    except RecursionError:
        return _error(text, rules.CM903.at(1, 1, "too-deep"))
    except Exception as exc:  # a bug of ours: report it for this file, keep going
        return _error(text, rules.CM903.at(1, 1, error=f"{type(exc).__name__}: {exc}"))
    if new_code != text:
        problem = _syntax_problem(*checked)
        if problem is not None:
            line, column = problem
            internal = rules.CM903.at(line, column, "would-not-parse")
            return SourceResult(
                text, [*result.diagnostics, internal], secrets=result.secrets, error=True
            )
    return SourceResult(new_code, result.diagnostics, result.secrets, result.rewritten_sites)


def _syntax_problem(new_code: str, old_code: str) -> tuple[int, int] | None:
    """Where ``new_code`` fails to parse, or None. CPython's own parser checks it (many
    times faster than libcst's); when this interpreter cannot parse the original either
    (newer syntax than it knows), libcst, which parsed the original, decides."""
    if statements.is_big(new_code):
        rejected = statements.check(new_code)
        return None if rejected is None else (rejected.line, rejected.column)
    error = syntax.python_error(new_code)
    if error is None:
        return None
    if syntax.python_error(old_code) is None:
        return error[0], error[1]
    return syntax.libcst_error(new_code)
