"""The fixer interface: small classes whose hooks run inside one shared traversal."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from .context import Context
from .options import Target


class Fixer:
    """One rewrite concern. Subclasses define hooks named ``leave_<NodeType>``:

        def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call

    Each hook receives the original node (for resolution and positions) and the node as the
    fixers before it left it. ``visit_<NodeType>(self, ctx, node)`` hooks see a node before
    its children. ``targets`` says for which ``--target`` the fixer runs.
    """

    targets: ClassVar[frozenset[Target]] = frozenset({"openai", "cerebras"})

    def begin(self, ctx: Context) -> None:
        """Called once before the traversal."""

    def finish(self, ctx: Context, module: cst.Module) -> cst.Module:
        """Called once after the traversal with the rewritten module."""
        return module
