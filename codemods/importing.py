"""Adding imports where isort (and ruff's ``I`` rules) would put them.

A new ``import os`` joins the standard-library group of the module's top import block, in
sorted position; a third-party import joins the third-party group. A group that does not exist
yet is started with a blank line between it and its neighbours, so a tidy module stays tidy.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

_SECTIONS = {"future": 0, "stdlib": 1, "thirdparty": 2, "local": 3}


@dataclass(frozen=True, order=True)
class ImportSpec:
    """``import module [as alias]`` when ``name`` is None, else ``from module import name``."""

    module: str
    name: str | None = None
    alias: str | None = None

    @property
    def bound(self) -> str:
        """The local name the import binds."""
        if self.alias:
            return self.alias
        return self.name if self.name else self.module.split(".")[0]

    def statement(self) -> cst.SimpleStatementLine:
        suffix = (
            f" as {self.alias}" if self.alias and self.alias != (self.name or self.module) else ""
        )
        if self.name is None:
            text = f"import {self.module}{suffix}"
        else:
            text = f"from {self.module} import {self.name}{suffix}"
        statement = cst.parse_statement(text)
        assert isinstance(statement, cst.SimpleStatementLine)
        return statement


def _section(module: str, relative: bool = False) -> int:
    if relative:
        return _SECTIONS["local"]
    top = module.split(".")[0]
    if top == "__future__":
        return _SECTIONS["future"]
    if top in sys.stdlib_module_names:
        return _SECTIONS["stdlib"]
    return _SECTIONS["thirdparty"]


def _describe(statement: cst.CSTNode) -> tuple[int, tuple[int, str]] | None:
    """(section, isort key) of a one-import line; None for anything else."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    code = cst.Module([]).code_for_node
    if isinstance(small, cst.Import):
        name = code(small.names[0].name)
        return _section(name), (0, name)
    if isinstance(small, cst.ImportFrom):
        name = code(small.module) if small.module is not None else ""
        relative = bool(small.relative)
        return _section(name, relative), (1, "." * len(small.relative) + name)
    return None


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _gap_after_imports(following: cst.CSTNode) -> tuple[cst.EmptyLine, ...]:
    two = isinstance(following, (cst.FunctionDef, cst.ClassDef))
    return (cst.EmptyLine(),) * (2 if two else 1)


def add_imports(module: cst.Module, specs: Sequence[ImportSpec]) -> cst.Module:
    body = list(module.body)
    start = 0
    if body and _is_docstring(body[0]):
        start = 1
    while start < len(body) and (d := _describe(body[start])) and d[0] == _SECTIONS["future"]:
        start += 1
    for spec in sorted(set(specs)):
        body = _insert(body, start, spec)
    return module.with_changes(body=body)


def _insert(body: list[cst.BaseStatement], start: int, spec: ImportSpec) -> list:
    new = spec.statement()
    section = _section(spec.module)
    key = (0 if spec.name is None else 1, spec.module)
    end = start
    while end < len(body) and _describe(body[end]) is not None:
        end += 1
    described = [(i, _describe(body[i])) for i in range(start, end)]
    same = [(i, d) for i, d in described if d and d[0] == section]
    if same:
        index = next((i for i, d in same if d[1] > key), same[-1][0] + 1)  # type: ignore[index]
        first = index == same[0][0]
        if first:
            new = new.with_changes(leading_lines=body[index].leading_lines)
            body[index] = body[index].with_changes(leading_lines=())
        body.insert(index, new)
        return body
    later = next((i for i, d in described if d and d[0] > section), None)
    if later is not None:
        # A new group before a later one: it takes over the leading comments and blank lines.
        new = new.with_changes(leading_lines=body[later].leading_lines)
        body[later] = body[later].with_changes(leading_lines=(cst.EmptyLine(),))
        body.insert(later, new)
        return body
    if end > start:
        # A new group after the existing ones.
        body.insert(end, new.with_changes(leading_lines=(cst.EmptyLine(),)))
        return body
    if start < len(body):
        following = body[start]
        new = new.with_changes(leading_lines=following.leading_lines)
        body[start] = following.with_changes(leading_lines=_gap_after_imports(following))
    body.insert(start, new)
    return body
