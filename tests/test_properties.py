"""Properties of the migration over generated programs (``tests/program_grammar.py``).

- A program that uses no SDK comes back byte for byte, from ``migrate_source`` and on disk.
- A program that uses one: the output parses, a second run changes nothing, and no request
  keyword is lost. With ``--target openai`` each keyword stays or moves into ``extra_body`` /
  ``extra_headers``, and none the openai client would reject is left; with
  ``--target cerebras`` each stays or comes out of ``extra_body``, and one the SDK does not
  take is reported (or, with ``--drop-unsupported``, dropped and reported).

- Ignore comments mark their own lines among characters ``str.splitlines`` breaks at, lone
  backslash lines and any newline style (``marked_programs``).

A modest number of examples runs by default, the same ones every run (CI must not flake);
``CEREBRAS_MIGRATE_HYPOTHESIS_EXAMPLES=N`` runs N random ones per test instead.
"""

from __future__ import annotations

import ast
import io
import os
import tempfile
import tokenize
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import assert_no_errors, migrate, text_diff
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from program_grammar import MarkedProgram, SdkProgram, marked_programs, plain_programs, sdk_programs

from codemods.facts import openai_params, sdk
from codemods.options import Options
from codemods.python.lines import physical_lines, split_ending
from codemods.python.syntax import python_error
from codemods.result import SourceResult
from codemods.rules import Diagnostic
from migrator.results import Status
from migrator.run import process_file
from migrator.settings import Settings

EXAMPLES_ENV = "CEREBRAS_MIGRATE_HYPOTHESIS_EXAMPLES"


def examples(default: int) -> settings:
    """``default`` derandomized examples, or as many random ones as the variable says."""
    # libcst takes tens of milliseconds per program, and generated programs are large.
    slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    wanted = os.environ.get(EXAMPLES_ENV)
    if wanted:
        return settings(
            max_examples=int(wanted),
            deadline=None,
            suppress_health_check=slow,
            print_blob=True,
        )
    return settings(
        max_examples=default, deadline=None, suppress_health_check=slow, derandomize=True
    )


# Programs without the SDK ------------------------------------------------------------------


@examples(default=300)
@given(plain_programs())
def test_program_without_the_sdk_comes_back_byte_for_byte(source: str) -> None:
    for target in ("openai", "cerebras"):
        result = migrate(source, target=target)
        assert_no_errors(result, f"--target {target}")
        assert result.code == source, text_diff(source, result.code, ("before", "after"))
        assert not result.diagnostics  # nothing to say about code that uses no SDK


ENCODINGS = ["utf-8", "utf-8-sig", "latin-1"]


@examples(default=100)
@given(plain_programs(), st.sampled_from(ENCODINGS))
def test_file_without_the_sdk_is_not_rewritten(source: str, encoding: str) -> None:
    if encoding == "latin-1":
        try:
            source.encode("latin-1")
        except UnicodeEncodeError:
            encoding = "utf-8"  # the program has characters Latin-1 lacks
        else:
            source = "# -*- coding: latin-1 -*-\n" + source  # a Latin-1 file says so
    raw = source.encode(encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "module.py")
        path.write_bytes(raw)
        for target in ("openai", "cerebras"):
            outcome = process_file(path, Settings(options=Options(target=target)), write=True)
            assert outcome.status in (Status.UNCHANGED, Status.SKIPPED), outcome
            assert not outcome.written
            assert path.read_bytes() == raw


# Ignore comments among odd lines -------------------------------------------------------------


@examples(default=150)
@given(marked_programs(), st.sampled_from(["openai", "cerebras"]))
def test_ignore_comment_marks_its_own_line(program: MarkedProgram, target: str) -> None:
    """Among form feeds, U+2028 and the like, lone backslash lines and any newline style, a
    marked statement comes back unchanged, an unmarked one is rewritten, and every other line
    keeps its bytes."""
    # CPython 3.11 rejects a tab-indented backslash line before more tab-indented lines
    # (TabError); only valid programs count.
    assume(python_error(program.source) is None)
    result = migrate(program.source, target=target)
    assert_no_errors(result, f"--target {target}")
    after = {split_ending(line)[0] for line in physical_lines(result.code)}
    for line in physical_lines(program.source):
        body = split_ending(line)[0]
        if body.strip() not in program.moved and body != "import openai":  # the import may change
            assert body in after, f"{body!r} changed or lost"
    for line in program.moved:
        assert not any(body.strip() == line for body in after), f"{line!r} not rewritten"
    again = migrate(result.code, target=target)
    assert again.code == result.code, text_diff(result.code, again.code, ("first", "second"))


# Programs with the SDK: what a request call is made of --------------------------------------

VERBS = frozenset({"create", "parse", "stream"})
METHOD_PARTS = frozenset({"beta", "chat", "completions", "create", "parse", "stream"})


def _chain(node: ast.expr) -> list[str]:
    """The attribute names from a call's callee back to its receiver, receiver last."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return names


def _preorder(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes in source order (``ast.walk`` is breadth first)."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _preorder(child)


def request_calls(source: str) -> list[ast.Call]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning on odd generated literals
        tree = ast.parse(source)
    return [
        node
        for node in _preorder(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in VERBS
        and "completions" in _chain(node.func)
    ]


def method_of(call: ast.Call) -> str:
    """``chat.completions.create``, ``beta.chat.completions.parse``, ... of a request call."""
    return ".".join(reversed([n for n in _chain(call.func) if n in METHOD_PARTS]))


@dataclass
class Request:
    """What a request call passes, by name."""

    method: str
    line: int
    keywords: dict[str, ast.keyword]
    body: dict[str, ast.expr]  # string keys of an ``extra_body`` dict literal, spread or not
    headers: dict[str, ast.expr]  # ditto for ``extra_headers``
    body_sources: set[str]  # ``extra_body=expr`` / ``{**expr, ...}``: the dumped ``expr``
    positional: list[str]
    spreads: list[str]  # ``**expr`` of the call itself
    dump: str  # the whole call

    @classmethod
    def of(cls, call: ast.Call) -> Request:
        keywords = {k.arg: k for k in call.keywords if k.arg is not None}
        body, body_sources = _dict_parts(keywords.get("extra_body"))
        headers, _ = _dict_parts(keywords.get("extra_headers"))
        return cls(
            method_of(call),
            call.lineno,
            keywords,
            body,
            headers,
            body_sources,
            [ast.dump(a) for a in call.args],
            [ast.dump(k.value) for k in call.keywords if k.arg is None],
            ast.dump(call),
        )


def _dict_parts(kw: ast.keyword | None) -> tuple[dict[str, ast.expr], set[str]]:
    if kw is None:
        return {}, set()
    value = kw.value
    if not isinstance(value, ast.Dict):
        is_none = isinstance(value, ast.Constant) and value.value is None
        return {}, set() if is_none else {ast.dump(value)}
    entries: dict[str, ast.expr] = {}
    sources = set()
    for key, item in zip(value.keys, value.values, strict=True):
        if key is None:
            sources.add(ast.dump(item))
        elif isinstance(key, ast.Constant) and isinstance(key.value, str):
            entries[key.value] = item
    return entries, sources


def _reported(diagnostics: list[Diagnostic], code: str, name: str, line: int) -> bool:
    return any(d.code == code and d.line == line and f"`{name}`" in d.message for d in diagnostics)


def _pairs(source: str, output: str) -> list[tuple[Request, Request]]:
    before, after = request_calls(source), request_calls(output)
    assert len(before) == len(after), "the migration added or removed a request call"
    return [(Request.of(b), Request.of(a)) for b, a in zip(before, after, strict=True)]


def _same(a: ast.expr, b: ast.expr) -> bool:
    return ast.dump(a) == ast.dump(b)


def comments(source: str, lines: set[int] | None = None) -> Counter[str]:
    """The comments of ``source`` (only those on ``lines``, when given)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return Counter(
        t.string
        for t in tokens
        if t.type == tokenize.COMMENT and (lines is None or t.start[0] in lines)
    )


def check_comments(source: str, output: str, dropped: set[int] = frozenset()) -> None:
    """Every comment is still there, once, except those after a keyword that was dropped
    (on ``dropped``, its last line)."""
    before, after = comments(source), comments(output)
    assert not after - before, f"comments added or repeated: {sorted(after - before)}"
    lost = before - after - comments(source, dropped)
    assert not lost, f"comments lost: {sorted(lost)}"


def check_migration(program: SdkProgram, target: str, **options: object) -> SourceResult:
    """The properties every target has: no error, the output parses, and a second run
    keeps it."""
    result = migrate(program.source, target=target, **options)
    assert_no_errors(result, f"--target {target}")
    request_calls(result.code)  # parses
    again = migrate(result.code, target=target, **options)
    assert_no_errors(again, f"second --target {target} run")
    assert again.code == result.code, "a second run changes the output:\n" + text_diff(
        result.code, again.code, ("first run", "second run")
    )
    return result


# Programs with the SDK: the properties -----------------------------------------------------


# Releases the openai target writes for (None: the newest): older ones reject more keywords.
OPENAI_VERSIONS = [None, None, "1.30.0", "1.58.0", "2.0.0"]


def _same_shape(before: Request, after: Request, migrated: bool, where: str) -> bool:
    """Checks every request gets; False for one on a client left alone (unchanged, checked
    here), True when the caller checks its keywords."""
    if not migrated:  # a client left alone: its requests too
        assert after.dump == before.dump, where
        return False
    assert after.positional == before.positional, where
    assert after.spreads == before.spreads, where
    assert before.body_sources <= after.body_sources, where
    return True


@examples(default=200)
@given(sdk_programs(), st.sampled_from(OPENAI_VERSIONS))
def test_openai_target_keeps_every_request_keyword(
    program: SdkProgram, version: str | None
) -> None:
    result = check_migration(program, "openai", openai_version=version)
    check_comments(program.source, result.code)
    pairs = _pairs(program.source, result.code)
    assert len(pairs) == len(program.migrated)
    for (before, after), migrated in zip(pairs, program.migrated, strict=True):
        where = f"{before.method} on line {before.line}"
        if not _same_shape(before, after, migrated, where):
            continue
        for name, kw in before.keywords.items():
            if name in after.keywords:
                if name not in ("model", "extra_body", "extra_headers"):  # mapped, or merged
                    assert _same(after.keywords[name].value, kw.value), (where, name)
            elif name in sdk.CEREBRAS_HEADER_KWARGS:
                header = sdk.CEREBRAS_HEADER_KWARGS[name]
                assert header in after.headers, f"{where}: `{name}` lost"
            else:
                assert name in after.body, f"{where}: `{name}` lost"
                assert _same(after.body[name], kw.value), (where, name)
        for key, value in before.body.items():
            assert key in after.body and _same(after.body[key], value), (where, key)
        for key in before.headers:
            assert key in after.headers, (where, key)
        # What stays a keyword is one the openai client takes: no TypeError. (A method the
        # release lacks, ``parse`` before 1.40, is left alone.)
        accepted = openai_params.openai_method_params(after.method, version)
        for name in after.keywords if accepted is not None else ():
            assert name in accepted or _reported(
                result.diagnostics, "CM203", name, before.keywords[name].lineno
            ), f"{where}: `{name}` left as a keyword the openai client rejects"


@examples(default=200)
@given(sdk_programs(), st.booleans())
def test_cerebras_target_keeps_or_reports_every_request_keyword(
    program: SdkProgram, drop_unsupported: bool
) -> None:
    result = check_migration(program, "cerebras", drop_unsupported=drop_unsupported)
    pairs = _pairs(program.source, result.code)
    assert len(pairs) == len(program.migrated)
    dropped = {
        kw.end_lineno or kw.lineno
        for before, after in pairs
        for name, kw in before.keywords.items()
        if name not in after.keywords and name != "extra_body"
    }
    check_comments(program.source, result.code, dropped)
    for (before, after), migrated in zip(pairs, program.migrated, strict=True):
        where = f"{before.method} on line {before.line}"
        if not _same_shape(before, after, migrated, where):
            continue
        accepted = sdk.CEREBRAS_PARAMS.get(before.method)
        if accepted is None:  # parse, stream, beta.*: no counterpart, reported
            assert any(d.code == "CM205" and d.line == before.line for d in result.diagnostics)
        for name, kw in before.keywords.items():
            if name in after.keywords:
                if name not in ("model", "extra_body"):  # mapped, or emptied into keywords
                    assert _same(after.keywords[name].value, kw.value), (where, name)
                if accepted is not None and name not in accepted:
                    assert _reported(result.diagnostics, "CM204", name, kw.lineno), (
                        f"{where}: `{name}` kept without a report"
                    )
            elif name == "extra_body":
                # Gone only when each of its entries became a keyword.
                assert isinstance(kw.value, ast.Dict) and before.body, where
                assert set(before.body) <= set(after.keywords), where
            else:
                assert drop_unsupported, f"{where}: `{name}` lost"
                assert _reported(result.diagnostics, "CM207", name, kw.lineno), (
                    f"{where}: `{name}` dropped without a report"
                )
        for key, value in before.body.items():
            if key in after.body:
                assert _same(after.body[key], value), (where, key)
            else:
                assert key in after.keywords, f"{where}: extra_body[{key!r}] lost"
                assert before.keywords.get(key) is None, (where, key)
                assert _same(after.keywords[key].value, value), (where, key)
        for key in before.headers:
            assert key in after.headers, (where, key)
