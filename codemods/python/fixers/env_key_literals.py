"""Hard-coded keys in code that sets the environment are removed: the environment holds them.

``os.environ["GROQ_API_KEY"] = "…"``, ``os.environ.setdefault("X", "…")``,
``os.putenv("X", "…")`` and the entries of ``os.environ.update({"X": "…"})`` /
``update(X="…")`` put a key written into the source into the environment, where a client
picks it up: the key is leaked (it is in the repository's history for good), and it is not
the Cerebras key the migrated code reads. The statement, or the entry, is removed: a block
left empty gets ``pass``, and a comment at the end of the line goes with it (it may repeat
the key). A key given as the default of a lookup (``os.getenv("X", "…")``,
``os.environ.get("X", default="…")``) is removed from it and the lookup stays; so it is from
an ``os.environ.setdefault`` whose result is used, which becomes ``os.environ.get``. Every
variable is covered, not only OpenAI's: a Groq key in the source is just as leaked. Each key
is reported (CM101) with its variable, masked.

What a key is, is ``codemods.secrets.is_env_key``: a key-shaped literal, whatever the
variable, or a literal of 8 characters or more given to a variable whose name says it holds
a credential (``…_API_KEY``, ``…_TOKEN``, ``…_SECRET``), placeholders (``"your-api-key"``,
``"EMPTY"``) excepted. An f-string is computed, not written: it counts only when one of its
literal parts is key-shaped by itself. ``os`` is resolved through imports (``from os import
environ, getenv``, ``import os as o``). A value that starts with a provider's key prefix
and is completed by other values (``"sk-proj-" + rest``, ``f"csk-{rest}"``) is a key too.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.options import Options
from codemods.python.context import Context
from codemods.python.cst.edit import (
    leading_text,
    literal_texts,
    remove_args,
    remove_items,
    string_value,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.secrets import is_credential_name, is_env_key, is_key_shaped, mask, starts_a_key

# Qualified names, as the resolver gives them through any import of ``os`` (the lookups are
# facts of codemods/facts/sdk.py that codemods/python/keys.py reads too; the fixer does not
# import keys.py, which emits other codes).
ENVIRON = sdk.ENVIRONMENT_MAPPING
UPDATE = "os.environ.update"
SETDEFAULT = "os.environ.setdefault"
PUTENV = "os.putenv"
GETTERS = sdk.ENVIRONMENT_GETTERS
# The calls whose second argument is a variable's value: its keyword, when it has one.
VALUE_ARGUMENT = {
    **dict.fromkeys(GETTERS, "default"),
    SETDEFAULT: "default",
    PUTENV: None,
}
# Their last names: a call named otherwise is not resolved at all (most calls of a module).
CALLED = frozenset(name.rpartition(".")[2] for name in (*VALUE_ARGUMENT, UPDATE))


def _literal(node: cst.BaseExpression) -> str | None:
    """The text of a string literal that may be a key: a plain string's value, or the part
    of an f-string that is key-shaped by itself."""
    value = string_value(node)
    if value is not None:
        return value
    if isinstance(node, cst.FormattedString):
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText) and is_key_shaped(part.value):
                return part.value
    return None


def _key(variable: str | None, node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The key ``node`` writes for ``variable``, if it is a hard-coded one: its text, or for
    a key whose start only is written here (``"sk-proj-" + rest``: a provider's prefix
    begins the value) that start and every other literal part."""
    value = _literal(node)
    if value is not None:
        return (value,) if is_env_key(variable, value) else None
    head = leading_text(node)
    if head and starts_a_key(head):
        return (head, *literal_texts(node))
    return None


def _value_index(call: cst.Call, keyword: str | None) -> int | None:
    """The argument after the variable's name: second positional, or ``keyword=``."""
    for i, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None and i == 1:
            return i
        if arg.keyword is not None and keyword is not None and arg.keyword.value == keyword:
            return i
    return None


class EnvKeyLiterals(Fixer):
    emits = (rules.CM101,)

    @staticmethod
    def reads_alone(value: str, options: Options) -> bool:
        # A key, or a credential's variable name: a function that only sets the environment
        # names nothing of the SDK, and focus must not hide it.
        return is_key_shaped(value) or is_credential_name(value)

    def begin(self, ctx: Context) -> None:
        self.active = ctx.resolver.relevant
        # Original small statements to remove, and the calls that are a statement alone.
        self.removed: set[int] = set()
        self.bare: dict[int, cst.Expr] = {}

    def _report(
        self,
        ctx: Context,
        node: cst.CSTNode,
        variant: str,
        variable: str | None,
        key: tuple[str, ...],
    ) -> None:
        ctx.secrets.extend(key)
        named = f"${variable}" if variable else "an environment variable"
        ctx.report(node, rules.CM101, variant, masked=mask(key[0]), variable=named)

    # ``os.environ["X"] = "…"`` --------------------------------------------------------
    def leave_Assign(self, ctx: Context, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not self.active or len(original.targets) != 1:
            return updated
        target = original.targets[0].target
        if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
            return updated
        element = target.slice[0].slice
        if (
            not isinstance(element, cst.Index)
            or ctx.resolver.qualname(target.value, ctx.scope) != ENVIRON
        ):
            return updated
        variable = string_value(element.value)
        key = _key(variable, original.value)
        if key is not None:
            self._remove(ctx, original, variable, key)
        return updated

    def _remove(
        self, ctx: Context, statement: cst.CSTNode, variable: str | None, key: tuple[str, ...]
    ) -> None:
        self._report(ctx, statement, "env-set", variable, key)
        self.removed.add(id(statement))
        ctx.rewrote(statement)

    # Calls ------------------------------------------------------------------------------
    def visit_Expr(self, ctx: Context, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.bare[id(node.value)] = node

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.active or len(updated.args) != len(original.args):
            return updated
        func = original.func
        called = func.attr if isinstance(func, cst.Attribute) else func
        if not isinstance(called, cst.Name) or called.value not in CALLED:
            return updated
        qualname = ctx.resolver.qualname(func, ctx.scope)
        if qualname in VALUE_ARGUMENT:
            return self._value_call(ctx, qualname, original, updated)
        if qualname == UPDATE:
            return self._update(ctx, original, updated)
        return updated

    def _value_call(
        self, ctx: Context, qualname: str, original: cst.Call, updated: cst.Call
    ) -> cst.Call:
        index = _value_index(original, VALUE_ARGUMENT[qualname])
        if index is None:
            return updated
        name = original.args[0]
        variable = string_value(name.value) if name.keyword is None else None
        key = _key(variable, original.args[index].value)
        if key is None:
            return updated
        statement = self.bare.get(id(original))
        if qualname in GETTERS or statement is None:
            if qualname == PUTENV:
                return updated  # its None used as a value: nothing sensible to leave
            self._report(ctx, original.args[index], "env-default", variable, key)
            ctx.rewrote(original)
            new = remove_args(updated, {index})
            if qualname == SETDEFAULT and isinstance(new.func, cst.Attribute):
                # The default was all it set: what is left of it is the lookup.
                new = new.with_changes(func=new.func.with_changes(attr=cst.Name("get")))
            return new
        self._remove(ctx, statement, variable, key)
        return updated

    def _update(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        drop: set[int] = set()
        args = list(updated.args)
        found = False
        for i, (arg, new_arg) in enumerate(zip(original.args, updated.args, strict=True)):
            if arg.star:
                continue
            if arg.keyword is not None:
                key = _key(arg.keyword.value, arg.value)
                if key is not None:
                    found = True
                    self._report(ctx, arg, "env-set", arg.keyword.value, key)
                    drop.add(i)
                continue
            value, new_value = arg.value, new_arg.value
            if not isinstance(value, cst.Dict) or not isinstance(new_value, cst.Dict):
                continue
            if len(value.elements) != len(new_value.elements):
                continue
            entries: set[int] = set()
            for j, element in enumerate(value.elements):
                if not isinstance(element, cst.DictElement):
                    continue
                variable = string_value(element.key)
                key = _key(variable, element.value)
                if key is not None:
                    self._report(ctx, element, "env-set", variable, key)
                    entries.add(j)
            if not entries:
                continue
            found = True
            if len(entries) == len(value.elements):
                drop.add(i)  # ``update({})`` is no use
                continue
            elements, open_ws, close_ws = remove_items(
                new_value.elements,
                entries,
                new_value.lbrace.whitespace_after,
                new_value.rbrace.whitespace_before,
            )
            args[i] = new_arg.with_changes(
                value=new_value.with_changes(
                    elements=elements,
                    lbrace=new_value.lbrace.with_changes(whitespace_after=open_ws),
                    rbrace=new_value.rbrace.with_changes(whitespace_before=close_ws),
                )
            )
        if not found:
            return updated
        ctx.rewrote(original)
        statement = self.bare.get(id(original))
        if len(drop) == len(original.args) and statement is not None:
            self.removed.add(id(statement))  # nothing left to update: the statement goes
            return updated
        new = updated.with_changes(args=args)
        return remove_args(new, drop) if drop else new

    # Statements -------------------------------------------------------------------------
    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        body = self._kept(original.body, updated.body)
        if body is None:
            return updated
        if not body:
            return cst.RemovalSentinel.REMOVE  # a block left empty gets ``pass`` (traversal)
        # The comment at the end of the line may be about the key, or hold it.
        trailing = updated.trailing_whitespace.with_changes(
            whitespace=cst.SimpleWhitespace(""), comment=None
        )
        return updated.with_changes(body=body, trailing_whitespace=trailing)

    def leave_SimpleStatementSuite(
        self, ctx: Context, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        body = self._kept(original.body, updated.body)
        if body is None:
            return updated
        trailing = updated.trailing_whitespace.with_changes(
            whitespace=cst.SimpleWhitespace(""), comment=None
        )
        return updated.with_changes(body=body or [cst.Pass()], trailing_whitespace=trailing)

    def _kept(
        self,
        original: tuple[cst.BaseSmallStatement, ...] | list[cst.BaseSmallStatement],
        updated: tuple[cst.BaseSmallStatement, ...] | list[cst.BaseSmallStatement],
    ) -> list[cst.BaseSmallStatement] | None:
        """The small statements that stay, or None when none is removed (or a fixer before
        changed how many there are)."""
        if not self.removed or len(original) != len(updated):
            return None
        if not any(id(statement) in self.removed for statement in original):
            return None
        kept = [
            new for old, new in zip(original, updated, strict=True) if id(old) not in self.removed
        ]
        if kept:
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return kept

    examples = (
        Example(
            name="environment-assignment",
            before="""
                import os

                import openai

                if not os.environ.get("CI"):
                    os.environ["OPENAI_API_KEY"] = "sk-proj-0123456789abcdefghijklmnop"  # mine
                os.environ.update({"GROQ_API_KEY": "gsk_0123456789abcdefghij", "LOG": "debug"})
                """,
            after={
                target: """
                    import os

                    import openai

                    if not os.environ.get("CI"):
                        pass
                    os.environ.update({"LOG": "debug"})
                    """
                for target in ("openai", "cerebras")
            },
            codes={"openai": ("CM101", "CM101"), "cerebras": ("CM101", "CM101")},
        ),
        Example(
            name="lookup-default",
            before="""
                from os import getenv

                import openai

                groq_key = getenv("GROQ_API_KEY", "gsk_0123456789abcdefghij")
                """,
            after={
                target: """
                    from os import getenv

                    import openai

                    groq_key = getenv("GROQ_API_KEY")
                    """
                for target in ("openai", "cerebras")
            },
            codes={"openai": ("CM101",), "cerebras": ("CM101",)},
        ),
        Example(
            name="placeholders-stay",
            before="""
                import os

                import openai

                os.environ.setdefault("OPENAI_API_KEY", "your-api-key")
                os.environ["LOG_LEVEL"] = "debug-everything"
                """,
        ),
    )
