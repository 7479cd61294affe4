"""The fixer interface of the JavaScript/TypeScript front-end.

A fixer is a unit, as on the Python side (``codemods/python/fixers/base.py``): its module
docstring says what it rewrites and why; the class declares the targets it runs for, the
rules it emits and its examples (a small program, its file suffix, what each target makes
of it and the codes expected). ``tests/test_js_fixers.py`` runs every example on both
targets, and a second run on each result must change nothing. ``run`` reads the context
(``resolve``'s clients and requests) and adds byte-range edits and diagnostics to it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from codemods.options import Options, Target
from codemods.rules import Rule

if TYPE_CHECKING:
    from codemods.js.context import Context

_EMPTY: Mapping[Any, Any] = MappingProxyType({})


class Example(NamedTuple):
    """``before`` in a file of ``suffix``; ``after`` maps a target to the migrated text (absent:
    unchanged); ``codes`` maps a target to the codes expected, in order of position."""

    before: str
    suffix: str = ".js"
    after: Mapping[Target, str] = _EMPTY
    codes: Mapping[Target, tuple[str, ...]] = _EMPTY
    options: Mapping[str, Any] = _EMPTY
    name: str = ""
    # Clients other modules of the project export (``resolve.Imports``): what the project
    # index would give the file.
    imports: Mapping[str, Mapping[str, Any]] = _EMPTY

    def source(self) -> str:
        return textwrap.dedent(self.before).removeprefix("\n")

    def expected(self, target: Target) -> str:
        after = self.after.get(target)
        return self.source() if after is None else textwrap.dedent(after).removeprefix("\n")

    def options_for(self, target: Target) -> Options:
        return Options(target=target, **dict(self.options))


class Fixer:
    targets: ClassVar[frozenset[Target]] = frozenset({"openai", "cerebras"})
    emits: ClassVar[tuple[Rule, ...]] = ()
    examples: ClassVar[tuple[Example, ...]] = ()

    def run(self, ctx: Context) -> None:
        raise NotImplementedError
