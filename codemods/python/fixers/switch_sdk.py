"""Imports and names of one SDK become the other's: openai ⇄ cerebras.cloud.sdk.

``from openai import OpenAI, RateLimitError`` becomes
``from cerebras.cloud.sdk import Cerebras, RateLimitError`` and every reference to ``OpenAI``
(calls, annotations, ``isinstance``, ``except``) becomes ``Cerebras``; ``openai.OpenAIError``
becomes ``CerebrasError`` the same way, in ``except`` clauses, ``raise`` and ``isinstance``.
``openai.RateLimitError`` through ``import openai`` becomes a name imported from the Cerebras
SDK. The way back (``--target openai`` on Cerebras SDK code) is the same table read the other
way. Names with no exact counterpart (``LengthFinishReasonError``, most ``types``) keep their
import and are reported, and so does a client class that a constructor left alone (another
provider) still needs. A module import that nothing uses any more is removed.
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import dotted_name, make_string
from codemods.python.cst.imports import (
    alias_local,
    from_import,
    is_sorted,
    name_key,
    remove_unused_imports,
)
from codemods.python.fixers.base import Example, Fixer
from codemods.python.plan import is_sdk_module


class SwitchSdk(Fixer):
    emits = (rules.CM111, rules.CM114, rules.CM115, rules.CM117, rules.CM118)

    def begin(self, ctx: Context) -> None:
        self.plan = ctx.imports
        self.active = ctx.resolver.relevant
        # Names that are not references (attribute names, keywords, import names): never
        # renamed. Filled by the visit hooks, before the names below them are left.
        self.not_references: set[int] = set()
        for name, cls in self.plan.class_values:
            ctx.report(name, rules.CM117, cls=cls.name, sdk=cls.sdk)
        for statement, local, qualname, other in self.plan.ambiguous:
            ctx.report(statement, rules.CM114, local=local, qualname=qualname, other=other)
        for statement, local, importers in self.plan.exported:
            if importers:
                ctx.report(statement, rules.CM115, "imported", local=local, by=", ".join(importers))
            else:
                ctx.report(statement, rules.CM115, local=local)
        for statement, qualname in self.plan.no_counterpart:
            ctx.report(
                statement, rules.CM111, "import", qualname=qualname, target=ctx.options.target
            )

    # Import statements ------------------------------------------------------------------
    def leave_SimpleStatementLine(
        self, ctx: Context, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        plans = self.plan.actions.get(id(original)) if self.active else None
        if not plans or len(updated.body) != 1 or not isinstance(updated.body[0], cst.ImportFrom):
            return updated
        old = updated.body[0]
        if isinstance(old.names, cst.ImportStar):
            return updated
        actions = [plans.get(_local(alias)) for alias in old.names]
        if all(p is None or p.action == "keep" for p in actions):
            return updated
        ctx.rewrote(original)
        modules = {p.module for p in actions if p is not None and p.action == "move"}
        kept = [
            a for a, p in zip(old.names, actions, strict=True) if p is None or p.action == "keep"
        ]
        if not kept and len(modules) == 1:
            # All of it moves to one module: edit the names in place to keep the layout.
            names = [
                alias.with_changes(name=p.alias.name, asname=p.alias.asname)
                for alias, p in zip(old.names, actions, strict=True)
                if p is not None and p.action == "move"
            ]
            if not names:
                return cst.RemovalSentinel.REMOVE
            if is_sorted(old.names):
                # Kept in the order isort gives, since it was in that order before.
                names = _join(names)
                order = sorted(names, key=lambda a: name_key(dotted_name(a.name) or ""))
                names = [n.with_changes(comma=names[i].comma) for i, n in enumerate(order)]
            new = old.with_changes(module=cst.parse_expression(modules.pop()), names=_join(names))
            return updated.with_changes(body=[new])
        source_module = cst.Module([]).code_for_node(old.module) if old.module else ""
        parts: dict[str, list[cst.ImportAlias]] = {}
        if kept:
            parts[source_module] = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
        for p in actions:
            if p is not None and p.action == "move" and p.module and p.alias:
                parts.setdefault(p.module, []).append(p.alias)
        length = ctx.options.line_length
        statements = [
            from_import(module, sorted(aliases, key=lambda a: name_key(alias_local(a))), length)
            for module, aliases in sorted(parts.items())
        ]
        if not statements:
            return cst.RemovalSentinel.REMOVE
        if len(statements) > 1:
            ctx.insert_after(original, [cst.SimpleStatementLine([s]) for s in statements[1:]])
        return updated.with_changes(body=[statements[0]])

    # References -------------------------------------------------------------------------
    def visit_Attribute(self, ctx: Context, node: cst.Attribute) -> None:
        if self.active and node.attr.value in self.plan.rename_names:
            self.not_references.add(id(node.attr))

    def visit_Arg(self, ctx: Context, node: cst.Arg) -> None:
        if (
            self.active
            and node.keyword is not None
            and node.keyword.value in self.plan.rename_names
        ):
            self.not_references.add(id(node.keyword))

    def visit_ImportAlias(self, ctx: Context, node: cst.ImportAlias) -> None:
        if self.active:
            for name in (node.name, node.asname.name if node.asname else None):
                if isinstance(name, cst.Name):
                    self.not_references.add(id(name))

    def leave_Name(self, ctx: Context, original: cst.Name, updated: cst.Name) -> cst.Name:
        if not self.active or original.value not in self.plan.rename_names:
            return updated
        if id(original) in self.not_references:
            return updated
        qualname = ctx.resolver.qualname(original, ctx.scope)
        new = self.plan.renames.get((original.value, qualname or ""))
        return updated if new is None else updated.with_changes(value=new)

    def leave_Annotation(
        self, ctx: Context, original: cst.Annotation, updated: cst.Annotation
    ) -> cst.Annotation:
        """``client: "OpenAI | None"``: names inside a string annotation are renamed too."""
        node = updated.annotation
        if not self.active or not self.plan.rename_names or not isinstance(node, cst.SimpleString):
            return updated
        text = node.evaluated_value
        if not isinstance(text, str) or not any(name in text for name in self.plan.rename_names):
            return updated
        try:
            expression = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return updated
        renamer = _RenameInString(self, ctx)
        new = expression.visit(renamer)
        if not renamer.changed:
            return updated
        code = cst.Module([]).code_for_node(new)
        return updated.with_changes(annotation=make_string(code, like=node))

    def leave_Attribute(
        self, ctx: Context, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        """``openai.RateLimitError`` → ``RateLimitError`` imported from the Cerebras SDK."""
        if not self.active or id(original) in self.plan.kept_funcs:
            return updated
        qualname = ctx.resolver.qualname(original, ctx.scope)
        if (
            qualname is None
            or not sdk.in_sdk(qualname, self.plan.source)
            or is_sdk_module(qualname)
            # A client of the module stays: the name keeps its meaning, but for the
            # constructors that move.
            or (self.plan.keeps(qualname) and id(original) not in self.plan.moving_funcs)
        ):
            return updated
        mapped = sdk.counterpart(qualname, ctx.options.target)
        if mapped is None:
            if _is_export(qualname):
                ctx.report(
                    original, rules.CM111, "reference", qualname=qualname, target=ctx.options.target
                )
            return updated
        ctx.rewrote(original)
        return cst.Name(ctx.bind(mapped, beside=_root_name(original)))

    # Both SDKs' classes where the module has clients of both kinds ---------------------
    def leave_ExceptHandler(
        self, ctx: Context, original: cst.ExceptHandler, updated: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        """``except RateLimitError:`` catches both SDKs' ``RateLimitError``, whichever client
        raised it."""
        if not self.active or self.plan.names != "both" or original.type is None:
            return updated
        both = self._both(ctx, original.type, updated.type)
        if both is updated.type:
            return updated
        ctx.rewrote(original)
        return updated.with_changes(type=both, whitespace_after_except=cst.SimpleWhitespace(" "))

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``isinstance(exc, RateLimitError)``, ``isinstance(c, OpenAI)``: true for both SDKs'
        class, whichever client made the object."""
        func = original.func
        if (
            not self.active
            or self.plan.names != "both"
            or not isinstance(func, cst.Name)
            or func.value not in ("isinstance", "issubclass")
            or ctx.resolver.lookup(func.value, ctx.scope)  # a name of the project's own
            or len(original.args) != 2
            or len(updated.args) != 2
        ):
            return updated
        old, new = original.args[1].value, updated.args[1].value
        both = self._both(ctx, old, new)
        if both is new:
            return updated
        ctx.rewrote(original)
        return updated.with_changes(
            args=[updated.args[0], updated.args[1].with_changes(value=both)]
        )

    def _both(
        self, ctx: Context, original: cst.BaseExpression, updated: cst.BaseExpression
    ) -> cst.BaseExpression:
        """``updated`` (the classes ``original`` names, ``X`` or ``(X, Y)``) with the target
        SDK's counterpart of each kept class of the old SDK added; ``updated`` itself when
        there is none to add."""
        old = _types(original)
        have = {ctx.resolver.qualname(e, ctx.scope) for e in old}
        added: list[str] = []
        for expression in old:
            qualname = ctx.resolver.qualname(expression, ctx.scope)
            if qualname is None or not sdk.in_sdk(qualname, self.plan.source):
                continue
            mapped = sdk.counterpart(qualname, ctx.options.target)
            if (
                mapped is None
                or mapped in have
                or is_sdk_module(qualname)
                or not self.plan.keeps(qualname)
            ):
                continue
            have.add(mapped)
            added.append(ctx.bind(mapped, beside=_root_name(expression)))
            variant = "project" if self.plan.names_from_project else rules.DEFAULT
            ctx.report(expression, rules.CM118, variant, name=qualname, other=mapped)
        if not added:
            return updated
        new = [cst.Element(cst.Name(local)) for local in added]
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if isinstance(updated, cst.Tuple):
            elements = list(updated.elements)
            last = elements[-1].with_changes(comma=comma)
            return updated.with_changes(elements=[*elements[:-1], last, *_joined(new)])
        return cst.Tuple([cst.Element(updated, comma=comma), *_joined(new)])

    def finish(self, ctx: Context, module: cst.Module) -> cst.Module:
        if not self.active or not self.plan.module_imports:
            return module
        original = ctx.resolver.module_scope.node
        return remove_unused_imports(module, self.plan.module_imports, original)  # type: ignore[arg-type]

    examples = (
        Example(
            name="imports-names-and-exceptions",
            before="""
                import openai
                from openai import OpenAI

                client: OpenAI = OpenAI()


                def ask(prompt: str) -> str | None:
                    try:
                        reply = client.chat.completions.create(
                            model="gpt-oss-120b", messages=[{"role": "user", "content": prompt}]
                        )
                    except openai.RateLimitError:
                        return None
                    return reply.choices[0].message.content
                """,
            after={
                "openai": """
                    import os

                    import openai
                    from openai import Omit, OpenAI

                    client: OpenAI = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )


                    def ask(prompt: str) -> str | None:
                        try:
                            reply = client.chat.completions.create(
                                model="gpt-oss-120b", messages=[{"role": "user", "content": prompt}]
                            )
                        except openai.RateLimitError:
                            return None
                        return reply.choices[0].message.content
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras, RateLimitError

                    client: Cerebras = Cerebras()


                    def ask(prompt: str) -> str | None:
                        try:
                            reply = client.chat.completions.create(
                                model="gpt-oss-120b", messages=[{"role": "user", "content": prompt}]
                            )
                        except RateLimitError:
                            return None
                        return reply.choices[0].message.content
                    """,
            },
        ),
        Example(
            name="no-counterpart",
            before="""
                from openai import LengthFinishReasonError, OpenAI

                client = OpenAI()
                try:
                    reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                except LengthFinishReasonError:
                    reply = None
                """,
            after={
                "openai": """
                    import os

                    from openai import LengthFinishReasonError, Omit, OpenAI

                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    try:
                        reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    except LengthFinishReasonError:
                        reply = None
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras
                    from openai import LengthFinishReasonError

                    client = Cerebras()
                    try:
                        reply = client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    except LengthFinishReasonError:
                        reply = None
                    """,
            },
            codes={"cerebras": ("CM111",)},
        ),
        Example(
            name="relative-import-kept-apart",
            before="""
                import openai

                from .errors import RateLimitError


                def retryable(exc: Exception) -> bool:
                    return isinstance(exc, (openai.RateLimitError, RateLimitError))
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import RateLimitError as _RateLimitError

                    from .errors import RateLimitError


                    def retryable(exc: Exception) -> bool:
                        return isinstance(exc, (_RateLimitError, RateLimitError))
                    """,
            },
        ),
        Example(
            name="ambiguous-name",
            before="""
                from llama_index.llms.openai import OpenAI

                llm = OpenAI(model="gpt-4o")

                from openai import OpenAI  # noqa: E402

                client = OpenAI()
                """,
            codes={"openai": ("CM114",), "cerebras": ("CM114",)},
        ),
        Example(
            name="exported-name-kept",
            before="""
                from openai import OpenAI

                __all__ = ["OpenAI", "make_client"]


                def make_client():
                    return OpenAI()
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI

                    __all__ = ["OpenAI", "make_client"]


                    def make_client():
                        return OpenAI(
                            base_url="https://api.cerebras.ai/v1",
                            api_key=os.environ["CEREBRAS_API_KEY"],
                            default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                        )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras
                    from openai import OpenAI

                    __all__ = ["OpenAI", "make_client"]


                    def make_client():
                        return Cerebras()
                    """,
            },
            codes={"cerebras": ("CM115",)},
        ),
        Example(
            name="client-class-as-value",
            before="""
                from openai import AsyncOpenAI, OpenAI


                def build(cls, **kwargs):
                    return cls(**kwargs)


                deepseek = build(OpenAI, base_url="https://api.deepseek.com")
                main = OpenAI()
                """,
            after={
                "openai": """
                    import os

                    from openai import AsyncOpenAI, Omit, OpenAI


                    def build(cls, **kwargs):
                        return cls(**kwargs)


                    deepseek = build(OpenAI, base_url="https://api.deepseek.com")
                    main = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import AsyncCerebras, Cerebras
                    from openai import OpenAI


                    def build(cls, **kwargs):
                        return cls(**kwargs)


                    deepseek = build(OpenAI, base_url="https://api.deepseek.com")
                    main = Cerebras()
                    """,
            },
            codes={"openai": ("CM117",), "cerebras": ("CM117",)},
        ),
        Example(
            name="handler-catches-both",
            before="""
                import os

                from openai import OpenAI, RateLimitError

                local = OpenAI(base_url=os.environ["LLM_URL"])
                main = OpenAI()


                def ask(client):
                    try:
                        return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    except RateLimitError:
                        return None
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI, RateLimitError

                    local = OpenAI(base_url=os.environ["LLM_URL"])
                    main = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )


                    def ask(client):
                        try:
                            return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                        except RateLimitError:
                            return None
                    """,
                "cerebras": """
                    import os

                    from cerebras.cloud.sdk import Cerebras, RateLimitError as _RateLimitError
                    from openai import OpenAI, RateLimitError

                    local = OpenAI(base_url=os.environ["LLM_URL"])
                    main = Cerebras()


                    def ask(client):
                        try:
                            return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                        except (RateLimitError, _RateLimitError):
                            return None
                    """,
            },
            codes={"openai": ("CM104", "CM119"), "cerebras": ("CM104", "CM119", "CM118")},
        ),
        Example(
            name="one-name-two-paths",
            before="""
                from openai import OpenAI, RateLimitError
                from openai._exceptions import RateLimitError  # noqa: F811

                client = OpenAI()


                def ask():
                    try:
                        return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                    except RateLimitError:
                        return None
                """,
            after={
                "openai": """
                    import os

                    from openai import Omit, OpenAI, RateLimitError
                    from openai._exceptions import RateLimitError  # noqa: F811

                    client = OpenAI(
                        base_url="https://api.cerebras.ai/v1",
                        api_key=os.environ["CEREBRAS_API_KEY"],
                        default_headers={"OpenAI-Organization": Omit(), "OpenAI-Project": Omit()},
                    )


                    def ask():
                        try:
                            return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                        except RateLimitError:
                            return None
                    """,
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras
                    from openai import RateLimitError
                    from openai._exceptions import RateLimitError  # noqa: F811

                    client = Cerebras()


                    def ask():
                        try:
                            return client.chat.completions.create(model="gpt-oss-120b", messages=[])
                        except RateLimitError:
                            return None
                    """,
            },
            codes={"cerebras": ("CM114", "CM111")},
        ),
    )


class _RenameInString(cst.CSTTransformer):
    def __init__(self, fixer: SwitchSdk, ctx: Context) -> None:
        super().__init__()
        self.fixer, self.ctx, self.changed = fixer, ctx, False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # ``x.OpenAI`` is no reference

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.fixer.leave_Name(self.ctx, original_node, updated_node)
        self.changed = self.changed or new is not updated_node
        return new


def _types(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The exception classes an ``except`` clause names: ``X`` or ``(X, Y)``."""
    if isinstance(node, cst.Tuple):
        return [element.value for element in node.elements]
    return [node]


def _joined(elements: list[cst.Element]) -> list[cst.Element]:
    """Tuple elements separated by ``, ``, the last one without a comma."""
    out = [
        e.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        for e in elements
    ]
    out[-1] = out[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return out


def _root_name(node: cst.BaseExpression) -> str | None:
    """``openai`` for ``openai.types.chat``: the name an attribute chain starts from."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _is_export(qualname: str) -> bool:
    """``openai.LengthFinishReasonError`` is; ``openai.chat`` (the module client) is not."""
    name = qualname.rpartition(".")[2]
    return name[:1].isupper()


def _local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name) or ""


def _join(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """Aliases separated as they were; the last one loses a comma it no longer needs
    unless the list is parenthesised one per line (a trailing comma is kept there)."""
    out = list(aliases)
    for i, alias in enumerate(out[:-1]):
        if not isinstance(alias.comma, cst.Comma):
            out[i] = alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    if out and isinstance(out[-1].comma, cst.Comma):
        ws = out[-1].comma.whitespace_after
        if not isinstance(ws, cst.ParenthesizedWhitespace):
            out[-1] = out[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return out
