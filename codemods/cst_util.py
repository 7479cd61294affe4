"""Small libcst helpers that edit argument lists and dict literals without disturbing layout.

The helpers follow the layout already there: a one-line call stays on one line, a call with
one argument per line gets new arguments on their own lines at the same indent, a trailing
comma stays trailing, and a comment stays on the line it was written on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst

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


def _with_comma(item: Item, ws_after: Whitespace) -> Item:
    comma = item.comma
    before = comma.whitespace_before if isinstance(comma, cst.Comma) else NO_SPACE
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
        else:
            head = _with_comma(last, sep)
            final_comma = trailing
        tail = [_with_comma(n, sep) for n in new[:-1]]
        tail.append(new[-1].with_changes(comma=final_comma))
        return [*items[:-1], head, *tail], close_ws
    if isinstance(close_ws, PW) and isinstance(sep, PW):
        # ``f(\n    a  # note\n)``: the comment stays with ``a``.
        head = _with_comma(last, close_ws.with_changes(last_line=sep.last_line))
        close_ws = _strip_comment(close_ws)
    else:
        head = _with_comma(last, sep)
    tail = [_with_comma(n, sep) for n in new[:-1]]
    tail.append(new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return [*items[:-1], head, *tail], close_ws


def remove_items(
    items: Sequence[Item], drop: set[int], close_ws: Whitespace
) -> tuple[list[Item], Whitespace]:
    """Remove the items at the indexes in ``drop``, keeping the closing layout."""
    if not drop:
        return list(items), close_ws
    kept = [item for i, item in enumerate(items) if i not in drop]
    if not kept:
        return [], NO_SPACE if not isinstance(close_ws, PW) else close_ws
    last_index = len(items) - 1
    if last_index in drop:
        # The new last item takes over the old last item's trailing comma (or lack of one).
        old_last = items[last_index]
        new_last = kept[-1]
        trailing = old_last.comma
        if isinstance(trailing, cst.Comma):
            ws = trailing.whitespace_after
            mine = new_last.comma
            if (
                isinstance(mine, cst.Comma)
                and isinstance(mine.whitespace_after, PW)
                and isinstance(ws, PW)
            ):
                ws = ws.with_changes(first_line=mine.whitespace_after.first_line)
            kept[-1] = new_last.with_changes(comma=trailing.with_changes(whitespace_after=ws))
        else:
            mine = new_last.comma
            if isinstance(mine, cst.Comma) and isinstance(mine.whitespace_after, PW):
                if isinstance(close_ws, PW):
                    close_ws = close_ws.with_changes(first_line=mine.whitespace_after.first_line)
                else:
                    close_ws = mine.whitespace_after.with_changes(last_line=NO_SPACE)
            kept[-1] = new_last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return kept, close_ws


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
    args, close_ws = remove_items(call.args, drop, _call_close_ws(call))
    return _set_call_args(call, args, close_ws)


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
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def make_string(value: str, like: cst.CSTNode | None = None) -> cst.SimpleString:
    """A string literal for ``value``, quoted like ``like`` when that is a simple string."""
    quote = '"'
    if isinstance(like, cst.SimpleString) and like.quote in ("'", '"'):
        quote = like.quote
    if quote in value or "\\" in value or "\n" in value:
        return cst.SimpleString(repr(value))
    return cst.SimpleString(f"{quote}{value}{quote}")


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


def parse_expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)
