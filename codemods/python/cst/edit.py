"""Small libcst helpers that edit argument lists and dict literals without disturbing layout.

The helpers follow the layout already there: a one-line call stays on one line, a call with
one argument per line gets new arguments on their own lines at the same indent, a trailing
comma stays trailing, and a comment stays on the line it was written on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TypeVar

import libcst as cst

from codemods.python.cst.walk import walk

Item = TypeVar("Item", cst.Arg, cst.BaseDictElement)

PW = cst.ParenthesizedWhitespace
Whitespace = cst.BaseParenthesizableWhitespace
NO_SPACE = cst.SimpleWhitespace("")
ONE_SPACE = cst.SimpleWhitespace(" ")


def _strip_comment(ws: Whitespace) -> Whitespace:
    if isinstance(ws, PW):
        return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return ws


def _separator(items: Sequence[Item], open_ws: Whitespace) -> Whitespace:
    """The whitespace that follows a comma between two items of this list."""
    if len(items) >= 2 and isinstance(items[-2].comma, cst.Comma):
        return _strip_comment(items[-2].comma.whitespace_after)
    if isinstance(open_ws, PW):
        return _strip_comment(open_ws)
    return ONE_SPACE


def _comment_line(comment: cst.Comment) -> cst.TrailingWhitespace:
    return cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "), comment=comment)


def trailing_comment(item: cst.Arg | cst.BaseDictElement) -> cst.Comment | None:
    """The comment at the end of an item's line (``a=1,  # why``), if it has one."""
    comma = item.comma
    ws = comma.whitespace_after if isinstance(comma, cst.Comma) else None
    if ws is None and isinstance(item, cst.Arg):
        ws = item.whitespace_after_arg
    if isinstance(ws, PW):
        return ws.first_line.comment
    return None


def _with_comma(item: Item, ws_after: Whitespace) -> Item:
    comma = item.comma
    before = comma.whitespace_before if isinstance(comma, cst.Comma) else NO_SPACE
    comment = trailing_comment(item)
    if comment is not None and isinstance(ws_after, PW):
        # An item that arrives with a comment keeps it at the end of its line.
        ws_after = ws_after.with_changes(
            first_line=cst.TrailingWhitespace(
                whitespace=cst.SimpleWhitespace("  "), comment=comment
            )
        )
    return item.with_changes(comma=cst.Comma(whitespace_before=before, whitespace_after=ws_after))


def append_items(
    items: Sequence[Item], new: Sequence[Item], open_ws: Whitespace, close_ws: Whitespace
) -> tuple[list[Item], Whitespace]:
    """Append ``new`` to ``items``; returns the items and the whitespace before the closer.

    ``open_ws`` is the whitespace after the opening bracket, ``close_ws`` the whitespace
    before the closing one.
    """
    if not new:
        return list(items), close_ws
    if not items:
        out = [_with_comma(n, ONE_SPACE) for n in new[:-1]]
        out.append(new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
        return out, close_ws
    sep = _separator(items, open_ws)
    last = items[-1]
    trailing = last.comma
    if isinstance(trailing, cst.Comma):
        if isinstance(trailing.whitespace_after, PW) and isinstance(sep, PW):
            # Keep the old last item's comment on its own line; the list goes on below it.
            head = last.with_changes(
                comma=trailing.with_changes(
                    whitespace_after=trailing.whitespace_after.with_changes(last_line=sep.last_line)
                )
            )
            final_comma = trailing.with_changes(
                whitespace_before=NO_SPACE,
                whitespace_after=_strip_comment(trailing.whitespace_after),
            )
        elif isinstance(close_ws, PW) and isinstance(sep, PW):
            # ``{\n    "a": 1,  # note\n}``: a dict's last comment sits before its closer.
            # It stays with ``a``; the new last item's comment takes its place.
            head = last.with_changes(
                comma=trailing.with_changes(
                    whitespace_after=close_ws.with_changes(empty_lines=(), last_line=sep.last_line)
                )
            )
            close_ws = close_ws.with_changes(first_line=cst.TrailingWhitespace())
            final_comma = trailing
        else:
            head = _with_comma(last, sep)
            final_comma = trailing
        tail = [_with_comma(n, sep) for n in new[:-1]]
        if isinstance(final_comma.whitespace_after, PW):
            tail.append(_with_comma(new[-1], final_comma.whitespace_after))
        else:
            tail.append(new[-1].with_changes(comma=final_comma))
            comment = trailing_comment(new[-1])
            if comment is not None and isinstance(close_ws, PW):
                close_ws = close_ws.with_changes(first_line=_comment_line(comment))
        return [*items[:-1], head, *tail], close_ws
    if isinstance(close_ws, PW) and isinstance(sep, PW):
        # ``f(\n    a  # note\n)``: the comment stays with ``a``.
        head = _with_comma(last, close_ws.with_changes(last_line=sep.last_line))
        close_ws = _strip_comment(close_ws)
    else:
        head = _with_comma(last, sep)
    tail = [_with_comma(n, sep) for n in new[:-1]]
    comment = trailing_comment(new[-1])
    if comment is not None and isinstance(close_ws, PW):
        close_ws = close_ws.with_changes(
            first_line=cst.TrailingWhitespace(
                whitespace=cst.SimpleWhitespace("  "), comment=comment
            )
        )
    tail.append(new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return [*items[:-1], head, *tail], close_ws


def _merge(before: Whitespace, after: Whitespace) -> Whitespace:
    """The whitespace left where an item stood between ``before`` and ``after``: the line
    before keeps its comment, and comment lines on either side of the item are kept."""
    if isinstance(before, PW) and isinstance(after, PW):
        return after.with_changes(
            first_line=before.first_line, empty_lines=[*before.empty_lines, *after.empty_lines]
        )
    if isinstance(after, PW):
        # ``a, b,\n)`` without ``b``: the line break before the closer stays.
        return after.with_changes(first_line=cst.TrailingWhitespace())
    return before


def remove_items(
    items: Sequence[Item], drop: set[int], open_ws: Whitespace, close_ws: Whitespace
) -> tuple[list[Item], Whitespace, Whitespace]:
    """Remove the items at the indexes in ``drop``; returns items, opening and closing
    whitespace. Comment lines around a removed item stay where they were."""
    kept = list(items)
    for i in sorted(drop, reverse=True):
        item = kept[i]
        last = i == len(kept) - 1
        if i == 0 and last:
            return [], NO_SPACE, NO_SPACE
        after = item.comma.whitespace_after if isinstance(item.comma, cst.Comma) else close_ws
        if last and isinstance(item.comma, cst.Comma) and isinstance(close_ws, PW):
            # ``{..., "b": 2,  # B\n}``: the comment before a dict's closer is its last
            # item's, and goes with it; the item before takes that place.
            prev = kept[i - 1]
            assert isinstance(prev.comma, cst.Comma)
            before = prev.comma.whitespace_after
            if isinstance(before, PW):
                kept[i - 1] = prev.with_changes(
                    comma=prev.comma.with_changes(whitespace_after=NO_SPACE)
                )
                close_ws = _merge(before, close_ws)
            else:
                close_ws = close_ws.with_changes(first_line=cst.TrailingWhitespace())
            del kept[i]
            continue
        if i == 0:
            open_ws = _merge(open_ws, after)
        else:
            prev = kept[i - 1]
            assert isinstance(prev.comma, cst.Comma)
            before = prev.comma.whitespace_after
            if last and not isinstance(item.comma, cst.Comma):
                # The previous item becomes the last one, without a trailing comma.
                kept[i - 1] = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                if isinstance(before, PW):
                    close_ws = _merge(before, close_ws)
            else:
                kept[i - 1] = prev.with_changes(
                    comma=prev.comma.with_changes(whitespace_after=_merge(before, after))
                )
        del kept[i]
    return kept, open_ws, close_ws


def take_leading_comments(call: cst.Call, index: int) -> tuple[cst.Call, list[cst.EmptyLine]]:
    """Detach the comment lines written just above argument ``index``."""
    if index == 0:
        ws = call.whitespace_before_args
        if not isinstance(ws, PW) or not ws.empty_lines:
            return call, []
        return call.with_changes(whitespace_before_args=ws.with_changes(empty_lines=())), list(
            ws.empty_lines
        )
    prev = call.args[index - 1]
    comma = prev.comma
    if not isinstance(comma, cst.Comma) or not isinstance(comma.whitespace_after, PW):
        return call, []
    ws = comma.whitespace_after
    if not ws.empty_lines:
        return call, []
    args = list(call.args)
    args[index - 1] = prev.with_changes(
        comma=comma.with_changes(whitespace_after=ws.with_changes(empty_lines=()))
    )
    return call.with_changes(args=args), list(ws.empty_lines)


def put_leading_comments(call: cst.Call, index: int, lines: Sequence[cst.EmptyLine]) -> cst.Call:
    """Write comment ``lines`` just above argument ``index`` (``take_leading_comments`` in
    reverse). A call not written one argument per line has no room for them: it comes back
    as it was."""
    if not lines:
        return call
    if index == 0:
        ws = call.whitespace_before_args
        if not isinstance(ws, PW):
            return call
        return call.with_changes(
            whitespace_before_args=ws.with_changes(empty_lines=[*ws.empty_lines, *lines])
        )
    prev = call.args[index - 1]
    comma = prev.comma
    if not isinstance(comma, cst.Comma) or not isinstance(comma.whitespace_after, PW):
        return call
    ws = comma.whitespace_after
    args = list(call.args)
    args[index - 1] = prev.with_changes(
        comma=comma.with_changes(
            whitespace_after=ws.with_changes(empty_lines=[*ws.empty_lines, *lines])
        )
    )
    return call.with_changes(args=args)


class _Comments:
    def __init__(self) -> None:
        self.found: list[cst.Comment] = []

    def visit_Comment(self, comment: cst.Comment) -> None:
        self.found.append(comment)


def comments(node: cst.CSTNode) -> list[cst.Comment]:
    """Every comment inside ``node``, in source order."""
    visitor = _Comments()
    walk(node, visitor)
    return visitor.found


def with_comment(element: Item, comment: cst.Comment | None) -> Item:
    """``element`` carrying ``comment``, for ``append_items`` to place on its line."""
    if comment is None:
        return element
    ws = PW(first_line=_comment_line(comment))
    return element.with_changes(comma=cst.Comma(whitespace_after=ws))


def arg_indent(call: cst.Call) -> str | None:
    """The indent of the arguments of a call written one argument per line, else None."""
    sep = _separator(call.args, call.whitespace_before_args) if call.args else None
    if isinstance(sep, PW) and isinstance(sep.last_line, cst.SimpleWhitespace):
        return sep.last_line.value
    return None


def multiline_dict(
    elements: Sequence[cst.BaseDictElement],
    indent: str,
    leading: Sequence[Sequence[cst.EmptyLine]] = (),
) -> cst.Dict:
    """A dict literal with one element per line, closed at ``indent``; ``leading[i]`` are
    comment lines to write above element ``i``, and trailing comments are kept."""
    inner_indent = cst.SimpleWhitespace(indent + "    ")
    inner = PW(indent=True, last_line=inner_indent)
    outer = PW(indent=True, last_line=cst.SimpleWhitespace(indent))

    def above(i: int) -> list[cst.EmptyLine]:
        lines = leading[i] if i < len(leading) else ()
        return [
            line.with_changes(whitespace=inner_indent) if line.comment else line for line in lines
        ]

    items = []
    for i, element in enumerate(elements):
        ws = inner if i < len(elements) - 1 else outer
        if i + 1 < len(elements):
            ws = ws.with_changes(empty_lines=above(i + 1))
        items.append(_with_comma(element, ws))
    lbrace = cst.LeftCurlyBrace(whitespace_after=inner.with_changes(empty_lines=above(0)))
    return cst.Dict(items, lbrace=lbrace)


def _call_close_ws(call: cst.Call) -> Whitespace:
    return call.args[-1].whitespace_after_arg if call.args else NO_SPACE


def _set_call_args(call: cst.Call, args: list[cst.Arg], close_ws: Whitespace) -> cst.Call:
    args = [a.with_changes(whitespace_after_arg=NO_SPACE) for a in args]
    if args:
        args[-1] = args[-1].with_changes(whitespace_after_arg=close_ws)
    return call.with_changes(args=args)


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(whitespace_before=NO_SPACE, whitespace_after=NO_SPACE),
    )


def append_args(call: cst.Call, new: Sequence[cst.Arg]) -> cst.Call:
    args, close_ws = append_items(call.args, new, call.whitespace_before_args, _call_close_ws(call))
    return _set_call_args(call, args, close_ws)


def remove_args(call: cst.Call, drop: set[int]) -> cst.Call:
    args, open_ws, close_ws = remove_items(
        call.args, drop, call.whitespace_before_args, _call_close_ws(call)
    )
    return _set_call_args(call, args, close_ws).with_changes(whitespace_before_args=open_ws)


def find_keyword(call: cst.Call, name: str) -> int | None:
    for i, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            return i
    return None


def keyword_node(call: cst.Call, name: str) -> cst.CSTNode:
    """The argument ``name=...`` of ``call``, or the call itself when there is none."""
    index = find_keyword(call, name)
    return call.args[index] if index is not None else call


def replace_arg_value(call: cst.Call, index: int, value: cst.BaseExpression) -> cst.Call:
    args = list(call.args)
    args[index] = args[index].with_changes(value=value)
    return call.with_changes(args=args)


def dict_append(node: cst.Dict, new: Sequence[cst.BaseDictElement]) -> cst.Dict:
    elements, close_ws = append_items(
        node.elements, new, node.lbrace.whitespace_after, node.rbrace.whitespace_before
    )
    return node.with_changes(
        elements=elements, rbrace=node.rbrace.with_changes(whitespace_before=close_ws)
    )


def string_value(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-f, non-bytes) string literal, else None."""
    if isinstance(node, cst.SimpleString):
        literal = node.value
        # No prefix, no escape, no CR (which Python's tokenizer would normalize): the text
        # between the quotes. ``evaluated_value`` compiles the literal, ~40 µs each time.
        if literal[0] in "'\"" and "\\" not in literal and "\r" not in literal:
            quote = 3 if literal[:3] in ('"""', "'''") and len(literal) >= 6 else 1
            return literal[quote:-quote]
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def leading_text(value: cst.BaseExpression) -> str | None:
    """The literal text an expression's value starts with: ``"sk-proj-"`` of
    ``"sk-proj-" + rest``, ``f"sk-proj-{rest}"``, ``"sk-proj-%s" % rest``,
    ``"sk-proj-{}".format(rest)`` and ``"sk-proj-" f"{rest}"``; None when it starts with
    something computed."""
    while True:
        if isinstance(value, cst.BinaryOperation) and isinstance(
            value.operator, (cst.Add, cst.Modulo)
        ):
            value = value.left
        elif (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "format"
        ):
            value = value.func.value
        elif isinstance(value, cst.ConcatenatedString):
            value = value.left
        elif isinstance(value, cst.FormattedString):
            first = value.parts[0] if value.parts else None
            return first.value if isinstance(first, cst.FormattedStringText) else None
        else:
            text = string_value(value)
            # The template of ``%`` and ``format`` up to its first placeholder.
            return re.split(r"%|\{", text, maxsplit=1)[0] if text is not None else None


def literal_texts(node: cst.CSTNode) -> Iterator[str]:
    """Every literal text in ``node`` (its strings, its f-strings' text): the parts of a key
    built from several, for the report to mask wherever it shows them."""
    if isinstance(node, cst.SimpleString):
        text = string_value(node)
        if text:
            yield text
    elif isinstance(node, cst.FormattedStringText):
        if node.value:
            yield node.value
    else:
        for child in node.children:
            yield from literal_texts(child)


def make_string(value: str, like: cst.CSTNode | None = None) -> cst.SimpleString:
    """A string literal for ``value``, quoted like ``like`` when that is a simple string."""
    quote = '"'
    if isinstance(like, cst.SimpleString) and like.quote in ("'", '"'):
        quote = like.quote
    if quote in value or "\\" in value or "\n" in value:
        return cst.SimpleString(repr(value))
    return cst.SimpleString(f"{quote}{value}{quote}")


def dotted(name: str) -> cst.Name | cst.Attribute:
    """``a.b.c`` as nodes, built directly: ``cst.parse_expression`` costs milliseconds."""
    first, *rest = name.split(".")
    node: cst.Name | cst.Attribute = cst.Name(first)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def replace_chain_base(node: cst.BaseExpression, base: cst.BaseExpression) -> cst.BaseExpression:
    """``openai.chat.completions.create`` with its first name replaced by ``base``; the
    chain may pass through calls (``x.with_options(...).chat``)."""
    if isinstance(node, cst.Attribute):
        return node.with_changes(value=replace_chain_base(node.value, base))
    if isinstance(node, cst.Call):
        return node.with_changes(func=replace_chain_base(node.func, base))
    return base
