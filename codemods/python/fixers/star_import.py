"""``from openai import *`` is reported at its line: the tool cannot act through it.

A star import binds the SDK's names without naming them, so the resolver cannot tell that
``OpenAI`` is the SDK's class: the module's clients, requests and hard-coded keys are left as
they are. Without a report the run would end as if nothing needed doing (exit 0, "0 call
sites"); the warning (CM122) names the line and what to write instead.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import dotted_name
from codemods.python.fixers.base import Example, Fixer


class StarImport(Fixer):
    pre_v1_targets = frozenset({"openai", "cerebras"})
    emits = (rules.CM122,)

    def visit_ImportFrom(self, ctx: Context, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar) or node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module == sdk.OPENAI_MODULE:
            ctx.report(node, rules.CM122, statement=f"from {module} import *")

    examples = (
        Example(
            name="star-import",
            before="""
                from openai import *

                client = OpenAI(api_key="csk-0123456789abcdefghijklmnop")
                """,
            codes={"openai": ("CM122",), "cerebras": ("CM122",)},
        ),
    )
