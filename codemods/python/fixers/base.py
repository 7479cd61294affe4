"""The fixer interface: small classes whose hooks run inside one shared traversal.

A fixer is a unit, as a Fixit rule is: its module docstring says what it rewrites and why;
the class declares which targets it runs for, the diagnostics it emits, the literals it acts
on without resolving any name, and its examples: before, after on each target, and the
codes expected. ``tests/test_fixer_examples.py`` runs every example; ``--explain`` shows them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from codemods.options import Options, Target
from codemods.rules import Rule

if TYPE_CHECKING:
    import libcst as cst

    from codemods.python.context import Context

_EMPTY: Mapping[Any, Any] = MappingProxyType({})


class Example(NamedTuple):
    """A small program and what the whole pipeline makes of it on each target.

    ``after`` maps a target to the migrated text (absent: the program comes back as it is);
    ``codes`` maps a target to the diagnostic codes expected, in order of position; ``options``
    are ``Options`` fields (``{"keep_models": True}``). Texts are dedented; a second run on
    each ``after`` must change nothing.
    """

    before: str
    after: Mapping[Target, str] = _EMPTY
    codes: Mapping[Target, tuple[str, ...]] = _EMPTY
    options: Mapping[str, Any] = _EMPTY
    name: str = ""

    def source(self) -> str:
        return textwrap.dedent(self.before).removeprefix("\n")

    def expected(self, target: Target) -> str:
        after = self.after.get(target)
        return self.source() if after is None else textwrap.dedent(after).removeprefix("\n")

    def options_for(self, target: Target) -> Options:
        return Options(target=target, **{k: _frozen(v) for k, v in self.options.items()})


def _frozen(value: Any) -> Any:
    """Lists as tuples, nested too: ``Options`` is hashable."""
    return tuple(_frozen(item) for item in value) if isinstance(value, (list, tuple)) else value


class Fixer:
    """One rewrite concern. Subclasses define hooks named ``leave_<NodeType>``:

        def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call

    Each hook receives the original node (for resolution and positions) and the node as the
    fixers before it left it (codemods/python/pipeline.py says in which order, and what a
    hook may return). ``visit_<NodeType>(self, ctx, node)`` hooks see a node before its
    children.
    """

    # For which ``--target`` the fixer runs.
    targets: ClassVar[frozenset[Target]] = frozenset({"openai", "cerebras"})
    # On which of those it also runs in a module written for the openai 0.x API
    # (codemods/python/pre_v1.py). The Cerebras SDK has no 0.x API, so such a module is left
    # as it is there, and only reported; on the openai target every fixer runs, and those
    # that would write 1.x code check ``ctx.old_api`` themselves.
    pre_v1_targets: ClassVar[frozenset[Target]] = frozenset({"openai"})
    # The rules whose diagnostics it emits (each shown by one of its examples at least).
    emits: ClassVar[tuple[Rule, ...]] = ()
    examples: ClassVar[tuple[Example, ...]] = ()

    @staticmethod
    def reads_alone(value: str, options: Options) -> bool:
        """Whether the fixer acts on a string literal ``value`` without resolving any name
        (a model id it maps, a header name it reports). Focus keeps every top-level
        statement that holds such a string in libcst's view."""
        return False

    def begin(self, ctx: Context) -> None:
        """Called once before the traversal."""

    def finish(self, ctx: Context, module: cst.Module) -> cst.Module:
        """Called once after the traversal with the rewritten module."""
        return module
