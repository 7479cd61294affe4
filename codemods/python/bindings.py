"""What a statement binds, read off CPython's ``ast``: for focus (codemods/python/focus.py,
codemods/python/focus_inside.py), which must know the names the parts it hides bind; and
the fast child walk it and the project index (codemods/python/index.py) share."""

from __future__ import annotations

import ast
from collections.abc import Iterator

# Fields whose values are never read as nodes of their own (``Load``, ``Add``, ``Eq``: a
# third of a tree's nodes); the parent's field is read instead.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)``, in its order, without the nodes of ``_NOT_CHILDREN``
    fields, as a list: about twice as fast on a whole tree."""
    cls = type(node)
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in _NOT_CHILDREN)
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


_NOT_ENTERED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes inside ``node`` that belong to its own scope's code: nested functions,
    classes and lambdas are given, not entered (their names bind where they stand, the
    rest is theirs)."""
    stack = children(node)
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, _NOT_ENTERED):
            stack.extend(children(current))


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
        stack.extend(children(current))


def target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)
