"""Requests on the Cerebras SDK: ``extra_body`` entries it takes as keywords become keywords.

``create(..., extra_body={"clear_thinking": False})`` sends the same request as the Cerebras
SDK's ``create(..., clear_thinking=False)``, which its type hints check. Only entries of a dict
literal whose key the method declares move; ``extra_body`` goes away when emptied.

What the Cerebras SDK cannot do is reported: keywords it does not declare (``store``,
``metadata``, ``audio``, ... raise ``TypeError`` there; ``--drop-unsupported`` removes them)
and methods it lacks (``chat.completions.parse``/``stream``, ``beta.chat.completions.*``).
"""

from __future__ import annotations

import libcst as cst

from codemods import rules
from codemods.facts import sdk
from codemods.python.context import Context
from codemods.python.cst.edit import (
    append_args,
    arg_indent,
    comments,
    find_keyword,
    keyword_arg,
    keyword_node,
    put_leading_comments,
    remove_args,
    remove_items,
    replace_arg_value,
    string_value,
    trailing_comment,
    with_comment,
)
from codemods.python.cst.layout import explode
from codemods.python.fixers.base import Example, Fixer

PW = cst.ParenthesizedWhitespace

INSTEAD = {
    "stream": "use create(..., stream=True) and iterate over the chunks",
    "parse": "use create(..., response_format={'type': 'json_schema', 'json_schema': ...}) "
    "and validate the JSON of the reply yourself",
}


class UnnestExtraBody(Fixer):
    targets = frozenset({"cerebras"})
    emits = (rules.CM204, rules.CM205, rules.CM206, rules.CM207)

    def leave_Call(self, ctx: Context, original: cst.Call, updated: cst.Call) -> cst.Call:
        request = ctx.request(original)
        if request is None or not request.client.migrated or request.client.sdk == "azure":
            return updated
        accepted = sdk.CEREBRAS_PARAMS.get(request.method)
        if accepted is None:
            verb = request.method.rpartition(".")[2]
            ctx.report(original, rules.CM205, method=request.method, instead=INSTEAD[verb])
            return updated
        new = self._unsupported(ctx, original, updated, accepted)
        new = self._unnest(ctx, original, new, accepted)
        if new is not updated:
            ctx.rewrote(original)
        return new

    def _unsupported(
        self, ctx: Context, original: cst.Call, call: cst.Call, accepted: frozenset[str]
    ) -> cst.Call:
        drop = set()
        for i, arg in enumerate(call.args):
            if arg.keyword is None or arg.keyword.value in accepted:
                continue
            name = arg.keyword.value
            if ctx.options.drop_unsupported:
                drop.add(i)
                ctx.report(keyword_node(original, name), rules.CM207, keyword=name)
            else:
                ctx.report(keyword_node(original, name), rules.CM204, "cerebras", keyword=name)
        return remove_args(call, drop) if drop else call

    def _unnest(
        self, ctx: Context, original: cst.Call, call: cst.Call, accepted: frozenset[str]
    ) -> cst.Call:
        index = find_keyword(call, "extra_body")
        if index is None or not isinstance(call.args[index].value, cst.Dict):
            return call
        body = call.args[index].value
        assert isinstance(body, cst.Dict)
        present = {a.keyword.value for a in call.args if a.keyword is not None}
        moved: list[cst.Arg] = []
        drop: set[int] = set()
        for i, element in enumerate(body.elements):
            if not isinstance(element, cst.DictElement):
                continue
            key = string_value(element.key)
            if (
                key is None
                or not key.isidentifier()
                or key not in accepted
                or key in sdk.REQUEST_PLUMBING
                or key in present
            ):
                continue
            comment = trailing_comment(element)
            closing = body.rbrace.whitespace_before
            if comment is None and i == len(body.elements) - 1 and isinstance(closing, PW):
                comment = closing.first_line.comment  # a dict keeps its last comment there
            moved.append(with_comment(keyword_arg(key, element.value), comment))
            drop.add(i)
            present.add(key)
        if not moved:
            return call
        before = call
        leading: list[list[cst.EmptyLine]] = [[] for _ in moved]
        emptied = len(drop) == len(body.elements)
        if emptied:
            note = trailing_comment(call.args[index])
            if note is not None and trailing_comment(moved[-1]) is None:
                moved[-1] = with_comment(moved[-1], note)  # the last keyword takes its line
        in_values = sum(len(comments(arg.value)) for arg in moved)
        needs_lines = any(trailing_comment(arg) for arg in moved) or (
            emptied and len(comments(body)) > in_values
        )
        if needs_lines and arg_indent(call) is None:
            # Comments come along and need lines of their own: one argument per line, as
            # the layout step would write this call if it grew too long.
            module = ctx.resolver.module_scope.node
            call = explode(call, module.default_indent)  # type: ignore[attr-defined]
        if emptied:
            # The dict goes; its comments must not. Those above an entry go above its
            # keyword, the rest (on the brace's line, after the last entry) above the first.
            indent = arg_indent(call)
            if indent is not None:
                leading = self._comment_lines(body, call.args[index], moved, indent)
            call = remove_args(call, {index})
        else:
            elements, _, close_ws = remove_items(
                body.elements, drop, body.lbrace.whitespace_after, body.rbrace.whitespace_before
            )
            new_body = body.with_changes(
                elements=elements, rbrace=body.rbrace.with_changes(whitespace_before=close_ws)
            )
            call = replace_arg_value(call, index, new_body)
        call = append_args(call, moved)
        first = len(call.args) - len(moved)
        for k, lines in enumerate(leading):
            call = put_leading_comments(call, first + k, lines)
        if len(comments(call)) != len(comments(before)):
            # Some comment found no place (a call on one line has none for a comment that
            # stood inside a dict written over lines): extra_body works as it is.
            return before
        for arg in moved:
            key = arg.keyword.value  # type: ignore[union-attr]
            ctx.report(keyword_node(original, "extra_body"), rules.CM206, key=key)
        return call

    @staticmethod
    def _comment_lines(
        body: cst.Dict, arg: cst.Arg, moved: list[cst.Arg], indent: str
    ) -> list[list[cst.EmptyLine]]:
        """Comment lines to write above each moved keyword, when the whole dict goes."""

        def line(comment: cst.Comment) -> cst.EmptyLine:
            return cst.EmptyLine(whitespace=cst.SimpleWhitespace(indent), comment=comment)

        # Comments already on their way: beside an entry, or inside its value.
        carried = {id(c) for a in moved for c in comments(a)}
        above: list[list[cst.EmptyLine]] = []
        spaces = [body.lbrace.whitespace_after]
        spaces += [
            e.comma.whitespace_after for e in body.elements[:-1] if isinstance(e.comma, cst.Comma)
        ]
        for ws in spaces:
            lines = ws.empty_lines if isinstance(ws, PW) else ()
            above.append([line(c.comment) for c in lines if c.comment is not None])
            carried.update(id(c.comment) for c in lines if c.comment is not None)
        rest = [line(c) for c in comments(body) if id(c) not in carried]
        note = trailing_comment(arg)
        rest += [line(note)] if note is not None and id(note) not in carried else []
        above[0] = rest + above[0]
        return above

    examples = (
        Example(
            name="extra-body-entries",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="zai-glm-4.7",
                        messages=[],
                        extra_body={"clear_thinking": False, "vendor_flag": 1},
                    )
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="zai-glm-4.7",
                            messages=[],
                            extra_body={"vendor_flag": 1},
                            clear_thinking=False,
                        )
                    """,
            },
            codes={"cerebras": ("CM206",)},
        ),
        Example(
            name="unsupported-method",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    with client.chat.completions.stream(model="gpt-oss-120b", messages=[]) as stream:
                        return stream.get_final_completion()
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        with client.chat.completions.stream(model="gpt-oss-120b", messages=[]) as stream:
                            return stream.get_final_completion()
                    """,
            },
            codes={"cerebras": ("CM205",)},
        ),
        Example(
            name="drop-unsupported",
            before="""
                from openai import OpenAI


                def ask(client: OpenAI):
                    return client.chat.completions.create(
                        model="gpt-oss-120b", messages=[], metadata={"user": "42"}
                    )
                """,
            after={
                "cerebras": """
                    from cerebras.cloud.sdk import Cerebras


                    def ask(client: Cerebras):
                        return client.chat.completions.create(
                            model="gpt-oss-120b", messages=[]
                        )
                    """,
            },
            codes={"openai": ("CM204",), "cerebras": ("CM207",)},
            options={"drop_unsupported": True},
        ),
    )
