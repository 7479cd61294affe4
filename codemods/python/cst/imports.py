"""Adding imports where isort (and ruff's ``I`` rules) would put them.

A new ``import os`` joins the standard-library group of the module's top import block, in
sorted position; a third-party import joins the third-party group. A group that does not exist
yet is started with a blank line between it and its neighbours, so a tidy module stays tidy.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.python.cst.walk import walk

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


def name_key(name: str) -> tuple[int, str]:
    """isort's and ruff's order of imported names: CONSTANTS, Classes, then the rest."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _alias_name(alias: cst.ImportAlias) -> str:
    return cst.Module([]).code_for_node(alias.name)


def alias_local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _alias_name(alias)


def is_sorted(aliases: Sequence[cst.ImportAlias]) -> bool:
    keys = [name_key(_alias_name(a)) for a in aliases]
    return keys == sorted(keys)


def from_import(
    module: str, aliases: Sequence[cst.ImportAlias], line_length: int = 88
) -> cst.ImportFrom:
    """``from module import a, b``, or one name per line in parentheses when too long."""
    plain = [
        a.with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if i < len(aliases) - 1
            else cst.MaybeSentinel.DEFAULT
        )
        for i, a in enumerate(aliases)
    ]
    node = cst.ImportFrom(module=cst.parse_expression(module), names=plain)  # type: ignore[arg-type]
    if len(cst.Module([]).code_for_node(node)) <= line_length or len(aliases) < 2:
        return node
    inner = cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace("    "))
    closing = cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(""))
    names = [
        a.with_changes(comma=cst.Comma(whitespace_after=inner if i < len(aliases) - 1 else closing))
        for i, a in enumerate(aliases)
    ]
    return node.with_changes(
        names=names, lpar=cst.LeftParen(whitespace_after=inner), rpar=cst.RightParen()
    )


def _existing_from(body: list[cst.BaseStatement], start: int, module: str) -> int | None:
    for index in range(start, len(body)):
        statement = body[index]
        described = _describe(statement)
        if described is None:
            break
        small = statement.body[0]  # type: ignore[attr-defined]
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and not isinstance(small.names, cst.ImportStar)
            and described[1] == (1, module)
        ):
            return index
    return None


def add_imports(
    module: cst.Module, specs: Sequence[ImportSpec], line_length: int = 88
) -> cst.Module:
    body = list(module.body)
    start = 0
    if body and _is_docstring(body[0]):
        start = 1
    while start < len(body) and (d := _describe(body[start])) and d[0] == _SECTIONS["future"]:
        start += 1
    grouped: dict[str, list[ImportSpec]] = {}
    for spec in sorted(set(specs)):
        if spec.name is None:
            body = _insert(body, start, spec, spec.statement())
        else:
            grouped.setdefault(spec.module, []).append(spec)
    for name, group in grouped.items():
        aliases = [s.statement().body[0].names[0] for s in group]  # type: ignore[attr-defined,index]
        index = _existing_from(body, start, name)
        if index is not None:
            # One ``from m import ...`` per module, as isort keeps it.
            statement = body[index]
            old = statement.body[0]  # type: ignore[attr-defined]
            have = {alias_local(a) for a in old.names}
            merged = [*old.names, *(a for a in aliases if alias_local(a) not in have)]
            if is_sorted(old.names):
                merged.sort(key=lambda a: name_key(_alias_name(a)))
            body[index] = statement.with_changes(body=[from_import(name, merged, line_length)])  # type: ignore[attr-defined]
            continue
        aliases.sort(key=lambda a: name_key(_alias_name(a)))
        statement = cst.SimpleStatementLine([from_import(name, aliases, line_length)])
        body = _insert(body, start, group[0], statement)
    return module.with_changes(body=body)


class _AddBeside(cst.CSTTransformer):
    def __init__(
        self,
        nested: dict[int, tuple[cst.SimpleStatementLine, list[ImportSpec]]],
        line_length: int,
    ) -> None:
        super().__init__()
        self.nested = nested
        self.line_length = line_length

    def _body(
        self, original: Sequence[cst.BaseStatement], body: Sequence[cst.BaseStatement]
    ) -> list[cst.BaseStatement]:
        # libcst's visit rebuilds every node: the statements are found by the originals' ids.
        out: list[cst.BaseStatement] = []
        for before, statement in zip(original, body, strict=True):
            out.append(statement)
            entry = self.nested.get(id(before))
            if entry is None:
                continue
            grouped: dict[str, list[ImportSpec]] = {}
            for spec in sorted(set(entry[1])):
                if spec.name is None:
                    out.append(spec.statement())
                else:
                    grouped.setdefault(spec.module, []).append(spec)
            for module, group in grouped.items():
                aliases = [s.statement().body[0].names[0] for s in group]  # type: ignore[attr-defined,index]
                aliases.sort(key=lambda a: name_key(_alias_name(a)))
                out.append(
                    cst.SimpleStatementLine([from_import(module, aliases, self.line_length)])
                )
        return out

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._body(original_node.body, updated_node.body))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._body(original_node.body, updated_node.body))


def add_imports_beside(
    module: cst.Module,
    nested: dict[int, tuple[cst.SimpleStatementLine, list[ImportSpec]]],
    line_length: int = 88,
) -> cst.Module:
    """``module`` with the imports of ``nested`` (an import statement's id -> the specs to
    add) right after those statements, one ``from m import ...`` per module, so that an
    import nested in a function or a ``try:`` is joined where it is."""
    return module.visit(_AddBeside(nested, line_length))


def _insert(
    body: list[cst.BaseStatement], start: int, spec: ImportSpec, new: cst.SimpleStatementLine
) -> list:
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


class _References:
    """Finds the uses of some names (for ``walk``), leaving out attribute names, keywords
    and imports; a string annotation that names one (``"openai.OpenAI"``) uses it too."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.used: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        # ``openai = None`` (the ``except ImportError:`` fallback) binds the name, uses nothing.
        return not isinstance(node.target, cst.Name)

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.used.add(node.value)

    def visit_Annotation(self, node: cst.Annotation) -> None:
        text = (
            node.annotation.evaluated_value
            if isinstance(node.annotation, cst.SimpleString)
            else None
        )
        if isinstance(text, str):
            self.used.update(n for n in self.names if re.search(rf"\b{re.escape(n)}\b", text))


def _used(module: cst.Module, names: set[str]) -> set[str]:
    references = _References(names)
    walk(module, references)
    return references.used


def _unopened(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """``lines`` without the blank lines before the first comment."""
    while lines and lines[0].comment is None:
        lines = lines[1:]
    return lines


class _DropImports(cst.CSTTransformer):
    """Removes unused imports; a removed line hands its blank lines and comments on to
    the next statement, so the spacing of the module stays as it was."""

    def __init__(self, unused: set[tuple[str, str]]) -> None:
        super().__init__()
        self.unused = unused

    def _key(self, alias: cst.ImportAlias, module: str | None) -> tuple[str, str]:
        full = cst.Module([]).code_for_node(alias.name)
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            return alias.asname.name.value, f"{module}.{full}" if module else full
        if module:
            return full, f"{module}.{full}"
        top = full.split(".")[0]
        return top, top

    def _filter(self, small: cst.BaseSmallStatement) -> cst.BaseSmallStatement | None:
        if isinstance(small, cst.Import):
            module = None
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module:
            module = cst.Module([]).code_for_node(small.module)
        else:
            return small
        if isinstance(small.names, cst.ImportStar):
            return small
        names = list(small.names)
        kept = [a for a in names if self._key(a, module) not in self.unused]
        if len(kept) == len(names):
            return small
        if not kept:
            return None
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return small.with_changes(names=kept)

    def _body(self, body: tuple[cst.BaseStatement, ...], in_block: bool) -> list:
        out: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] | None = None
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                smalls = [self._filter(s) for s in statement.body]
                kept = [s for s in smalls if s is not None]
                if not kept:
                    if carried is None:
                        carried = list(statement.leading_lines)
                    continue
                statement = statement.with_changes(body=kept)
            if carried is not None:
                own = list(statement.leading_lines)
                if not out and in_block:
                    # Now first in its block: no blank line between it and the block's header.
                    carried = [line for line in carried if line.comment]
                    own = [line for line in own if line.comment]
                elif not out:
                    # Now first in the module: no blank line opens the file.
                    carried, own = _unopened(carried), _unopened(own)
                lines = own if own else carried
                comments = [line for line in carried if line.comment and own]
                statement = statement.with_changes(leading_lines=[*comments, *lines])
                carried = None
            out.append(statement)
        if not out and in_block:
            out.append(cst.SimpleStatementLine([cst.Pass()]))
        return out

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._body(updated_node.body, False))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._body(updated_node.body, True))


def remove_unused_imports(
    module: cst.Module, candidates: set[tuple[str, str]], original: cst.Module
) -> cst.Module:
    """Remove the imports in ``candidates`` ((local name, qualified name) pairs) that the
    rewrite left unused: used in ``original``, referred to by nothing in ``module`` any more.
    An import that was unused already is the project's own business (``import openai  #
    noqa`` to check the package is there, a re-export): it stays."""
    names = {local for local, _ in candidates}
    gone = _used(original, names) - _used(module, names)
    unused = {(local, q) for local, q in candidates if local in gone}
    if not unused:
        return module
    return module.visit(_DropImports(unused))
