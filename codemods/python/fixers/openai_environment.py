"""Reads of the openai client's environment variables that the migrated code no longer uses.

A program often checks its key before it starts (``if not os.environ.get("OPENAI_API_KEY"):
sys.exit(...)``) or reads the OpenAI settings itself (``os.environ["OPENAI_BASE_URL"]``,
``os.getenv("OPENAI_ORG_ID")``, ``"OPENAI_API_KEY" in os.environ``, through ``from os import
environ, getenv`` too). Once its clients point at Cerebras that check refuses to start
without a key nothing uses any more. In a module where some OpenAI client moves, each such
read is reported with the Cerebras variable to use (``facts/sdk.py``: OPENAI_ENVIRONMENT),
and nothing is rewritten: what the read is for is the program's own, and renaming it could
make the program require, or send, a key where it did not before. Reads inside a client
constructor's own arguments (or the module client's ``openai.api_key = ...``) are not
reported: the migration rewrites them, or leaves them to the client they configure. Where
the module also keeps a client on the openai SDK (another provider's, one only used for
endpoints Cerebras does not serve), the read may be that client's, and the message says so.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.options import Options
from codemods.python.context import Context
from codemods.python.cst.edit import string_value
from codemods.python.fixers.base import Example, Fixer

_KEPT = ", unless it is for the client this module leaves where it was, which still reads it"
# The constructor keywords that spare a client reading one of the variables.
_KEYWORDS = frozenset(keyword for _, keyword in sdk.OPENAI_ENVIRONMENT.values() if keyword)


class OpenAIEnvironmentReads(Fixer):
    emits = (rules.CM410,)

    @staticmethod
    def reads_alone(value: str, options: Options) -> bool:
        return value in sdk.OPENAI_ENVIRONMENT  # a check may sit in a function of its own

    def begin(self, ctx: Context) -> None:
        self.active = ctx.resolver.relevant
        self.reads: list[tuple[cst.CSTNode, str]] = []
        self.constructors: list[int] = []  # the client constructors the traversal is inside
        self.stores: set[int] = set()  # ``os.environ["X"] = ...``, ``del ...``: writes, not reads
        self.moves = False  # some openai client of the module is pointed at Cerebras
        # The constructor keywords (facts/sdk.py) that some openai client kept where it was
        # does not pass: it reads their variables from the environment.
        self.keeps: set[str] = set()
        if not self.active:
            return
        resolver = ctx.resolver
        for call, scope in resolver.calls:
            cls = resolver.client_class(call.func, scope)
            if cls is not None and cls.sdk == "openai":
                if resolver.constructor(call, cls).migrates:
                    self.moves = True
                else:
                    passed = {a.keyword.value for a in call.args if a.keyword is not None}
                    self.keeps |= _KEYWORDS - passed
        if resolver.module_requests() or "api_key" in resolver.module_config():
            self.moves = True  # the module-level client always moves
        place = resolver.place
        if place is not None:
            for _, _, _, qualname in resolver.import_aliases:
                ref = place.client(qualname) or place.returns(qualname)
                if ref is not None and ref.sdk == "openai":
                    self.moves = self.moves or ref.migrated
                    if not ref.migrated:
                        self.keeps |= _KEYWORDS  # made elsewhere: its arguments unseen

    def visit_AssignTarget(self, ctx: Context, node: cst.AssignTarget) -> None:
        self.stores.add(id(node.target))

    def visit_AugAssign(self, ctx: Context, node: cst.AugAssign) -> None:
        self.stores.add(id(node.target))

    def visit_Del(self, ctx: Context, node: cst.Del) -> None:
        self.stores.add(id(node.target))

    def visit_Call(self, ctx: Context, node: cst.Call) -> None:
        if self.active and ctx.resolver.client_class(node.func, ctx.scope) is not None:
            self.constructors.append(id(node))

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active:
            return updated
        if self.constructors and self.constructors[-1] == id(original):
            self.constructors.pop()
            return updated
        request = ctx.request(original)
        if request is not None and request.client.sdk == "openai" and request.client.migrated:
            self.moves = True  # a client known by its type, or passed in by the callers
        qualname = ctx.resolver.qualname(original.func, ctx.scope)
        if qualname in sdk.ENVIRONMENT_GETTERS and original.args:
            first = original.args[0]
            if first.keyword is None or first.keyword.value == "key":
                self._read(ctx, original, first.value)
        return updated

    def leave_Subscript(
        self, ctx: Context, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.Subscript:
        if (
            self.active
            and id(original) not in self.stores
            and len(original.slice) == 1
            and isinstance(original.slice[0].slice, cst.Index)
            and ctx.resolver.qualname(original.value, ctx.scope) == sdk.ENVIRONMENT_MAPPING
        ):
            self._read(ctx, original, original.slice[0].slice.value)
        return updated

    def leave_Comparison(
        self, ctx: Context, original: cst.Comparison, updated: cst.Comparison
    ) -> cst.Comparison:
        if self.active and len(original.comparisons) == 1:
            target = original.comparisons[0]
            if isinstance(target.operator, (cst.In, cst.NotIn)) and (
                ctx.resolver.qualname(target.comparator, ctx.scope) == sdk.ENVIRONMENT_MAPPING
            ):
                self._read(ctx, original, original.left)
        return updated

    def _read(self, ctx: Context, node: cst.CSTNode, key: cst.BaseExpression) -> None:
        name = string_value(key)
        if name not in sdk.OPENAI_ENVIRONMENT or self.constructors or _module_setting(ctx):
            return
        self.reads.append((node, name))

    def finish(self, ctx: Context, module: cst.Module) -> cst.Module:
        if not self.moves:
            return module  # nothing moved here: the reads mean what they meant
        for node, name in self.reads:
            kind, keyword = sdk.OPENAI_ENVIRONMENT[name]
            also = _KEPT if keyword in self.keeps else ""
            variant = f"base-url-{ctx.options.target}" if kind == "base-url" else kind
            env = ctx.options.api_key_env
            ctx.report(node, rules.CM410, variant, name=name, env=env, also=also)
        return module

    examples = (
        Example(
            name="openai-environment-read",
            before="""
                import os
                import sys

                from openai import OpenAI

                if not os.environ.get("OPENAI_API_KEY"):
                    sys.exit("set OPENAI_API_KEY")
                client = OpenAI()
                """,
            after={
                "openai": """
                    import os
                    import sys

                    from openai import Omit, OpenAI

                    if not os.environ.get("OPENAI_API_KEY"):
                        sys.exit("set OPENAI_API_KEY")
                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    import os
                    import sys

                    from cerebras.cloud.sdk import Cerebras

                    if not os.environ.get("OPENAI_API_KEY"):
                        sys.exit("set OPENAI_API_KEY")
                    client = Cerebras()
                    """,
            },
            codes={"openai": ("CM410",), "cerebras": ("CM410",)},
        ),
    )


def _module_setting(ctx: Context) -> bool:
    """Whether the statement is ``openai.<setting> = ...``: the module client's own, which
    the migration rewrites."""
    statement = ctx.statement
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(
        isinstance(small, cst.Assign)
        and any(ctx.resolver.module_attribute(ctx.scope, t.target) for t in small.targets)
        for small in statement.body
    )
