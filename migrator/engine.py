"""The pure core (``migrate_source``) and the loop that runs it over files."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from codemods.diagnostics import Diagnostic

from . import files
from .settings import Settings

if TYPE_CHECKING:
    from codemods.focus import Focus

    from .discover import Candidate

_GENERATED = re.compile(rb"@generated\b")
_GENERATED_WINDOW = 2048  # the marker counts only in a file's header, as in Meta's tooling


class Status(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass
class SourceResult:
    """What ``migrate_source`` made of one text."""

    code: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0
    error: bool = False

    def changed(self, original: str) -> bool:
        return not self.error and self.code != original


def may_use_sdk(data: bytes) -> bool:
    """Whether ``data`` mentions ``openai`` or ``cerebras`` in any case (ASCII): a file that
    does not is never parsed, and that is most files of a repository. Lowering the bytes
    and two substring searches run at memory speed, about 20 times faster than a
    case-insensitive regex."""
    lowered = data.lower()
    return b"openai" in lowered or b"cerebras" in lowered


def is_generated(data: bytes) -> bool:
    return _GENERATED.search(data, 0, _GENERATED_WINDOW) is not None


_SUPPRESSION = re.compile(r"#\s*cerebras-migrate:\s*ignore(?:\[([^\]]*)\])?")


def suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """``# cerebras-migrate: ignore[CM301, CM204]`` by line; None means every code."""
    if "cerebras-migrate:" not in text:
        return {}
    found: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUPPRESSION.search(line)
        if match is None:
            continue
        codes = match.group(1)
        found[number] = (
            None
            if codes is None
            else frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
        )
    return found


def selected(code: str, settings: Settings) -> bool:
    """``--select``/``--ignore`` by code prefix, as ruff reads them; errors always show."""
    if code.startswith("CM9"):
        return True
    if settings.select and not any(code.startswith(p) for p in settings.select):
        return False
    return not any(code.startswith(p) for p in settings.ignore)


def _keep(diagnostic: Diagnostic, settings: Settings, marks: dict) -> bool:
    if not selected(diagnostic.code, settings):
        return False
    if diagnostic.line in marks and not diagnostic.code.startswith("CM9"):
        codes = marks[diagnostic.line]
        return codes is not None and diagnostic.code not in codes
    return True


# A necessary condition for codemods.resolve's ``mentions_sdk`` (an ``import``/``from`` of
# ``openai`` or ``cerebras`` as the resolver counts one), read off the text: the keyword, then
# what a statement may hold before the module name (names, dots, commas, ``as``, blanks,
# backslash continuations), then the name. It errs only towards yes (a string, a comment,
# ``from . import openai``); tests/test_fast_paths.py holds it to the resolver.
_SDK_IMPORT = re.compile(
    r"\b(?:import|from)\b(?:[ \t\f\w.,]|\\\r?\n|\\\r)*?(?<![\w.])(?:openai|cerebras)\b"
)


def may_import_sdk(text: str) -> bool:
    """False only when ``text`` has no import the resolver counts as one of the SDKs."""
    return _SDK_IMPORT.search(text) is not None


class _Rejected(NamedTuple):
    """Why this Python's own parser rejects a text: where (1-based) and its message."""

    line: int
    column: int
    message: str
    too_deep: bool  # nesting beyond what CPython (and so, safely, libcst) will parse


# libcst's native parser recurses without a guard and crashes the process (a segmentation
# fault, not an exception) somewhere between 1,000 and 2,000 nested brackets. CPython
# stops at 200; a text it rejects for another reason is given to libcst (newer syntax)
# only below this depth.
LIBCST_MAX_BRACKET_DEPTH = 500
_BRACKETS = re.compile(r"[()[\]{}]")


def _cpython(text: str) -> ast.Module | _Rejected:
    """``ast.parse(text)``, or why it fails; quietly: no SyntaxWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except SyntaxError as exc:
            message = exc.msg or "invalid syntax"
            too_deep = "too many nested" in message or "too many levels" in message
            return _Rejected(exc.lineno or 1, exc.offset or 1, message, too_deep)
        except (RecursionError, MemoryError) as exc:
            return _Rejected(1, 1, str(exc) or type(exc).__name__, True)
        except ValueError as exc:  # source code string cannot contain null bytes
            return _Rejected(1, 1, str(exc) or type(exc).__name__, False)


def _python_error(text: str) -> tuple[int, int, str] | None:
    """Where and why this Python's own parser rejects ``text`` (line, 1-based column,
    message), or None when it accepts it."""
    verdict = _cpython(text)
    return verdict[:3] if isinstance(verdict, _Rejected) else None


def _valid_python(text: str) -> bool:
    return _python_error(text) is None


def _bracket_depth(text: str) -> int:
    """The deepest bracket nesting of ``text``, brackets in strings and comments counted
    too (more, never less: only ever keeps a text away from libcst)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        if bracket in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def migrate_source(text: str, settings: Settings, *, focus: bool = True) -> SourceResult:
    """Rewrite ``text`` for the target; never raises for bad input, reports it instead.

    ``focus=False`` shows libcst the whole module even where codemods/focus.py would leave
    parts out (the tests compare the two)."""
    marks = suppressions(text)
    result = _migrate_source(text, settings, marks, focus)
    if marks or settings.select or settings.ignore:
        result.diagnostics = [d for d in result.diagnostics if _keep(d, settings, marks)]
    return result


def _migrate_source(
    text: str, settings: Settings, marks: dict[int, frozenset[str] | None], focus: bool
) -> SourceResult:
    imports_sdk = may_import_sdk(text)
    # CPython's parser first: 10-20 times faster than libcst's, it tells whether libcst
    # need see the text at all, and keeps texts away that would crash libcst.
    verdict = _cpython(text)
    if isinstance(verdict, _Rejected):
        if verdict.too_deep or _bracket_depth(text) > LIBCST_MAX_BRACKET_DEPTH:
            what = "too deeply nested to parse" if verdict.too_deep else "syntax error"
            return SourceResult(
                text,
                [Diagnostic("CM901", verdict.line, verdict.column, f"{what}: {verdict.message}")],
                error=True,
            )
    elif not imports_sdk:
        # Nothing to rewrite without an import of either SDK (codemods/runner.py stops at
        # the same condition), and the file is valid: libcst need not see it.
        return SourceResult(text)
    import libcst as cst  # lazily: a run that finds no candidate never loads libcst

    if imports_sdk and focus and isinstance(verdict, ast.Module):
        focused = _focused(text, verdict, settings, marks)
        if focused is not None:
            return focused
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        line, column = exc.raw_line, exc.raw_column + 1
        message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
        # CPython names the place and the mistake better ("Missing parentheses in call to
        # 'print'"); libcst points at the token after it.
        if isinstance(verdict, _Rejected):
            line, column, message = verdict.line, verdict.column, verdict.message
        return SourceResult(
            text, [Diagnostic("CM901", line, column, f"syntax error: {message}")], error=True
        )
    except RecursionError:
        return SourceResult(
            text, [Diagnostic("CM901", 1, 1, "too deeply nested to parse")], error=True
        )
    if not imports_sdk:  # valid for libcst, not for this Python (newer syntax): as above
        return SourceResult(text)
    result = _rewrite(module, text, settings, marks)
    assert result is not None  # None only when holes cannot go back: there are none here
    return result


def _focused(
    text: str, tree: ast.Module, settings: Settings, marks: dict[int, frozenset[str] | None]
) -> SourceResult | None:
    """The result of showing libcst only the parts of ``text`` (parsed by CPython as
    ``tree``) that can matter (codemods/focus.py), or None when the whole module must be
    parsed: nothing to leave out, or anything unusual (the whole-module path reports it)."""
    import libcst as cst

    from codemods.focus import focus

    focused = focus(text, tree, settings.options)
    if focused is None:
        return None
    try:
        module = cst.parse_module(focused.text)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    result = _rewrite(module, text, settings, marks, focused)
    return None if result is None or result.error else result


def _rewrite(
    module: Any,
    text: str,
    settings: Settings,
    marks: dict[int, frozenset[str] | None],
    focused: Focus | None = None,
) -> SourceResult | None:
    """Run the fixers on ``module``, parsed from ``text`` (or from ``focused.text``, whose
    holes go back in place in the result; None when they cannot)."""
    from codemods import migrate_module
    from codemods.context import nothing_hidden
    from codemods.traverse import code  # ``module.code``, faster

    hides = focused.hides if focused is not None else nothing_hidden
    try:
        skip = frozenset(line for line, codes in marks.items() if codes is None)
        result = migrate_module(module, settings.options, skip, hides)
        new_code: str | None = text
        if result.changed:
            new_code = code(result.module)
            if focused is not None:
                new_code = focused.restore(new_code)
                if new_code is None:
                    return None
    except RecursionError:
        return SourceResult(
            text, [Diagnostic("CM903", 1, 1, "too deeply nested to rewrite")], error=True
        )
    except Exception as exc:  # a bug of ours: report it for this file, keep going
        return SourceResult(
            text,
            [Diagnostic("CM903", 1, 1, f"internal error ({type(exc).__name__}: {exc})")],
            error=True,
        )
    if new_code != text:
        problem = _syntax_problem(new_code, text)
        if problem is not None:
            line, column = problem
            return SourceResult(
                text,
                [
                    *result.diagnostics,
                    Diagnostic(
                        "CM903",
                        line,
                        column,
                        "internal error: the rewrite would not parse; nothing written",
                    ),
                ],
                secrets=result.secrets,
                error=True,
            )
    return SourceResult(new_code, result.diagnostics, result.secrets, result.rewritten_sites)


def _syntax_problem(new_code: str, old_code: str) -> tuple[int, int] | None:
    """Where ``new_code`` fails to parse, or None. CPython's own parser checks it (many
    times faster than libcst's); when this interpreter cannot parse the original either
    (newer syntax than it knows), libcst, which parsed the original, decides."""
    error = _python_error(new_code)
    if error is None:
        return None
    if _valid_python(old_code):
        return error[0], error[1]
    import libcst as cst

    try:
        cst.parse_module(new_code)
    except cst.ParserSyntaxError as exc:
        return exc.raw_line, exc.raw_column + 1
    return None


@dataclass
class FileResult:
    path: Path
    status: Status
    original: str = ""
    new: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0
    note: str = ""  # why a file was skipped, or what went wrong writing it
    written: bool = False


def migrate_bytes(
    path: Path, raw: bytes, settings: Settings, *, mentions_sdk: bool | None = None
) -> tuple[FileResult, files.Source | None]:
    """Migrate one file's bytes; the Source is returned when they could be decoded.

    ``mentions_sdk`` is ``may_use_sdk(raw)`` when the caller already knows it."""
    if path.suffix == ".ipynb":
        # A notebook's JSON must not be read as Python source: its code cells are migrated.
        from .notebooks import migrate_notebook

        return migrate_notebook(path, raw, settings)
    if not (may_use_sdk(raw) if mentions_sdk is None else mentions_sdk):
        return FileResult(path, Status.SKIPPED, note="no OpenAI or Cerebras usage"), None
    if is_generated(raw):
        return FileResult(path, Status.SKIPPED, note="marked @generated"), None
    try:
        source = files.decode(path, raw)
    except files.SourceError as exc:
        diagnostic = Diagnostic("CM902", exc.line, 1, str(exc))
        return FileResult(path, Status.ERROR, diagnostics=[diagnostic]), None
    result = migrate_source(source.text, settings)
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


def process_file(path: Path, settings: Settings, *, write: bool) -> FileResult:
    """Read, migrate and (when ``write``) atomically rewrite one file."""
    try:
        raw = files.read_bytes(path)
    except OSError as exc:
        diagnostic = Diagnostic("CM902", 1, 1, files.describe(exc))
        return FileResult(path, Status.ERROR, diagnostics=[diagnostic])
    return _process_bytes(path, raw, settings, write)


def _process_bytes(
    path: Path, raw: bytes, settings: Settings, write: bool, mentions_sdk: bool | None = None
) -> FileResult:
    """Migrate a file read as ``raw`` and (when ``write``) atomically rewrite it."""
    outcome, source = migrate_bytes(path, raw, settings, mentions_sdk=mentions_sdk)
    if write and outcome.status is Status.CHANGED and source is not None:
        try:
            files.write_atomic(source, outcome.new)
            outcome.written = True
        except (OSError, files.SourceError) as exc:
            outcome.status = Status.ERROR
            message = str(exc) if isinstance(exc, files.SourceError) else files.describe(exc)
            outcome.diagnostics.append(Diagnostic("CM904", 1, 1, f"not written: {message}"))
    return outcome


def run_candidates(
    candidates: Sequence[Candidate],
    settings: Settings,
    *,
    write: bool,
    jobs: int | None = None,
) -> Iterator[FileResult]:
    """``run`` over what discovery found, in its order: a path it could not use is reported
    as an error (CM902) or skipped with its note, without being opened."""
    results = run([c.path for c in candidates if c.usable], settings, write=write, jobs=jobs)
    for candidate in candidates:
        if candidate.usable:
            yield next(results)
        elif candidate.problem is not None:
            diagnostic = Diagnostic("CM902", 1, 1, candidate.problem)
            yield FileResult(candidate.path, Status.ERROR, diagnostics=[diagnostic])
        else:
            yield FileResult(candidate.path, Status.SKIPPED, note=candidate.skip or "")


def run(
    paths: Iterable[Path],
    settings: Settings,
    *,
    write: bool,
    jobs: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Iterator[FileResult]:
    """Process ``paths``, yielding each file's result in the order of ``paths``.

    With ``jobs`` > 1 (default: the usable cores) the files that need parsing go to worker
    processes once there are enough of them to pay for the processes; the results are the
    same, in the same order, as one by one.
    """
    from .parallel import run_files

    for result in run_files(paths, settings, write=write, jobs=jobs):
        if on_result is not None:
            on_result(result)
        yield result
