"""``--target cerebras`` on JavaScript/TypeScript: reported at each SDK import, not rewritten.

The front-end rewrites for ``--target openai`` only so far. A run over a mixed repository on
the other target must not end as if its JavaScript needed nothing (exit 0, no diagnostic):
each import of an SDK says the file was left as it is (CM123).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods import rules
from codemods.js.fixers.base import Example, Fixer

if TYPE_CHECKING:
    from codemods.js.context import Context


class UnsupportedTarget(Fixer):
    targets = frozenset({"cerebras"})
    emits = (rules.CM123,)

    def run(self, ctx: Context) -> None:
        for node in ctx.module.imports:
            ctx.report(node, rules.CM123, target=ctx.options.target)

    examples = (
        Example(
            name="cerebras-target",
            before="""
                import OpenAI from "openai";

                const client = new OpenAI();
                """,
            codes={"cerebras": ("CM123",)},
        ),
    )
