"""Keep rewritten lines within the project's line length, as a formatter would.

Adding ``base_url=...`` and ``api_key=...`` to ``OpenAI()`` written on one line can push it far
past the limit. When a statement that a fixer changed ends up with a line over the limit (and
longer than it was), the calls the fixers changed in it are written one argument per line,
with a trailing comma, the way black and ruff format them; an argument that is a dict literal
still too long on its line (``default_headers={...}``) gets one entry per line as well.
"""

from __future__ import annotations

import libcst as cst

from codemods.python.lines import NEWLINE

PW = cst.ParenthesizedWhitespace


def _one_line(call: cst.Call) -> bool:
    if isinstance(call.whitespace_before_args, PW):
        return False
    return not any(
        isinstance(arg.comma, cst.Comma) and isinstance(arg.comma.whitespace_after, PW)
        for arg in call.args
    )


def longest_line(node: cst.CSTNode, indent: int) -> int:
    code = cst.Module([]).code_for_node(node)
    return indent + max((len(line) for line in NEWLINE.split(code)), default=0)


def explode(call: cst.Call, unit: str) -> cst.Call:
    """``f(a, b)`` → ``f(\\n    a,\\n    b,\\n)`` relative to the statement's indentation."""
    if not call.args:
        return call
    inner = PW(indent=True, last_line=cst.SimpleWhitespace(unit))
    closing = PW(indent=True, last_line=cst.SimpleWhitespace(""))
    args = [
        arg.with_changes(
            comma=cst.Comma(whitespace_after=inner if i < len(call.args) - 1 else closing),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        for i, arg in enumerate(call.args)
    ]
    return call.with_changes(whitespace_before_args=inner, args=args)


def _explode_dict(node: cst.Dict, unit: str) -> cst.Dict:
    """A dict argument of an exploded call, one entry per line one level deeper."""
    inner = PW(indent=True, last_line=cst.SimpleWhitespace(unit * 2))
    closing = PW(indent=True, last_line=cst.SimpleWhitespace(unit))
    last = len(node.elements) - 1
    elements = [
        element.with_changes(comma=cst.Comma(whitespace_after=inner if i < last else closing))
        for i, element in enumerate(node.elements)
    ]
    return node.with_changes(
        elements=elements,
        lbrace=cst.LeftCurlyBrace(whitespace_after=inner),
        rbrace=cst.RightCurlyBrace(),
    )


class _Exploder(cst.CSTTransformer):
    def __init__(self, targets: set[int], unit: str, room: int) -> None:
        super().__init__()
        self.targets = targets
        self.unit = unit
        self.room = room  # the characters an argument line may take after its indentation

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if id(original_node) not in self.targets or not _one_line(original_node):
            return updated_node
        call = explode(updated_node, self.unit)
        args = list(call.args)
        for i, arg in enumerate(args):
            value = arg.value
            if (
                isinstance(value, cst.Dict)
                and value.elements
                and longest_line(arg, 0) + 1 > self.room  # with its comma
                and "\n" not in cst.Module([]).code_for_node(value)
            ):
                args[i] = arg.with_changes(value=_explode_dict(value, self.unit))
        return call.with_changes(args=args)


HEADED = (cst.With, cst.For, cst.If, cst.While)
_PASS = cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])])


def _header(statement: cst.BaseStatement) -> cst.BaseStatement:
    """A ``with``/``for``/``if``/``while`` statement cut down to its header line(s)."""
    if isinstance(statement, cst.If):
        return statement.with_changes(body=_PASS, orelse=None)
    if isinstance(statement, (cst.For, cst.While)):
        return statement.with_changes(body=_PASS, orelse=None)
    return statement.with_changes(body=_PASS)


def fit_statement(
    original: cst.BaseStatement,
    updated: cst.BaseStatement,
    changed_calls: set[int],
    indent: int,
    unit: str,
    limit: int,
) -> cst.BaseStatement:
    """``updated`` with its changed calls wrapped when it grew past ``limit``.

    For a compound statement only its header counts, and only calls in it are wrapped.
    """
    if isinstance(updated, HEADED) and isinstance(original, HEADED):
        head, old_head = _header(updated), _header(original)
    else:
        head, old_head = updated, original
    new_length = longest_line(head, indent)
    if new_length <= limit or new_length <= longest_line(old_head, indent):
        return updated
    fitted = head.visit(_Exploder(changed_calls, unit, limit - indent - len(unit)))
    if head is updated:
        return fitted  # type: ignore[return-value]
    rest = {"body": updated.body}  # type: ignore[attr-defined]
    if isinstance(updated, (cst.If, cst.For, cst.While)):
        rest["orelse"] = updated.orelse
    return fitted.with_changes(**rest)  # type: ignore[union-attr]
