"""What a statement binds, read off CPython's ``ast``: for focus (codemods/python/focus.py,
codemods/python/focus_inside.py), which must know the names the parts it hides bind."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def every_binding(node: ast.stmt) -> set[str]:
    """Every name a statement binds anywhere inside it, and the attributes it assigns: more
    than the module level sees, which only ever keeps more statements."""
    binds: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
            binds.add(inner.id)
        elif isinstance(inner, ast.Attribute) and not isinstance(inner.ctx, ast.Load):
            binds.add(inner.attr)
            for part in ast.walk(inner.value):
                if isinstance(part, ast.Name):
                    binds.add(part.id)
        elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(inner.name)
        elif isinstance(inner, ast.alias):
            binds.add(inner.asname or inner.name.split(".")[0])
    return binds


def resolver_bindings(node: ast.AST) -> Iterator[str]:
    """The names codemods.python.resolve's collector binds in ``node``, in any scope: definitions,
    parameters, imports, and assignment, ``for``, ``with`` and ``:=`` targets
    (lambdas are not entered; comprehension and ``except`` names are not bindings there)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Lambda):
            continue
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield current.name
            arguments = current.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                yield arg.arg
            for star in (arguments.vararg, arguments.kwarg):
                if star is not None:
                    yield star.arg
        elif isinstance(current, ast.ClassDef):
            yield current.name
        elif isinstance(current, ast.Import):
            for alias in current.names:
                yield alias.asname or alias.name.split(".")[0]
        elif isinstance(current, ast.ImportFrom):
            if not any(a.name == "*" for a in current.names):
                for alias in current.names:
                    yield alias.asname or alias.name
        elif isinstance(current, (ast.Assign, ast.For, ast.AsyncFor)):
            targets = current.targets if isinstance(current, ast.Assign) else [current.target]
            for target in targets:
                yield from target_names(target)
        elif isinstance(current, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            if isinstance(current.target, ast.Name):
                yield current.target.id
        elif isinstance(current, ast.withitem) and current.optional_vars is not None:
            yield from target_names(current.optional_vars)
        stack.extend(ast.iter_child_nodes(current))


def target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)
