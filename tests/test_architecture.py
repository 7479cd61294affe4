"""The layout holds: data flows one way, and each contract is written in one place.

- no import cycle among the modules of ``migrator`` and ``codemods`` (function-level and
  type-only imports count), no private name imported across modules, ``codemods`` never
  imports ``migrator``;
- no fixer imports another fixer; the pipeline's table of shared node kinds is the fixers'
  real hooks, in the pipeline's order;
- only ``codemods/python/cst/walk.py`` touches libcst's private API, and the private names
  it relies on still exist in the installed libcst (pinned below its next minor release).
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst

from codemods.python.fixers.base import Fixer
from codemods.python.pipeline import FIXERS, SHARED_NODES

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("codemods", "migrator")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import of ``path``, relative ones resolved: function-level
    and type-only (``if TYPE_CHECKING:``) imports too, so that no cycle hides there."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = node.module or ""
            if node.level:
                module = f"{base}.{module}" if module else base
            found.append((module, [alias.name for alias in node.names]))
    return found


def _targets(module: str, names: list[str]) -> set[str]:
    """The project modules an import reaches: ``from pkg import mod`` reaches ``pkg.mod``."""
    reached = {module} if module in MODULES else set()
    reached |= {f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES}
    return reached


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges: set[str] = set()
        for module, names in _imports(name, path):
            edges |= _targets(module, names)
        graph[name] = edges - {name}
    return graph


def _parents(name: str) -> set[str]:
    """Importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first: not a cycle."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node] - _parents(node)):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles


def test_codemods_never_imports_the_application() -> None:
    wrong = {
        name: sorted(edge for edge in edges if edge.startswith("migrator"))
        for name, edges in _graph().items()
        if name.startswith("codemods")
    }
    assert not {name: edges for name, edges in wrong.items() if edges}


def test_no_private_name_is_imported_across_modules() -> None:
    found = [
        f"{name}: {module}.{imported}"
        for name, path in MODULES.items()
        for module, names in _imports(name, path)
        for imported in names
        if imported.startswith("_") and not imported.startswith("__")
    ]
    assert not found


def test_no_fixer_imports_another_fixer() -> None:
    fixers = {name for name in MODULES if ".fixers." in name and not name.endswith(".base")}
    found = [(name, edge) for name in sorted(fixers) for edge in _graph()[name] if edge in fixers]
    assert not found


def _leave_hooks(fixer: type[Fixer]) -> set[str]:
    return {attr[len("leave_") :] for attr in dir(fixer) if attr.startswith("leave_")}


def test_the_pipeline_lists_every_node_kind_that_fixers_share_in_their_order() -> None:
    shared: dict[str, tuple[type[Fixer], ...]] = {}
    for fixer in FIXERS:
        for kind in _leave_hooks(fixer):
            shared[kind] = (*shared.get(kind, ()), fixer)
    assert {k: v for k, v in shared.items() if len(v) > 1} == SHARED_NODES


def test_only_walk_uses_libcst_private_api() -> None:
    private = ("libcst._", "._codegen", "_visit_and_replace_children", "CodegenState")
    found = [
        name
        for name, path in MODULES.items()
        if name != "codemods.python.cst.walk" and any(p in path.read_text() for p in private)
    ]
    assert not found


def test_the_private_api_walk_relies_on_is_there() -> None:
    # If this fails after a libcst upgrade, codemods/python/cst/walk.py must be checked
    # against the new release before the pin in pyproject.toml is raised.
    from libcst._nodes.internal import CodegenState
    from libcst._position import CodePosition

    for method in ("record_syntactic_position", "before_codegen", "after_codegen"):
        assert callable(getattr(CodegenState, method)), method
    assert CodegenState(default_indent="    ", default_newline="\n").tokens == []
    assert CodePosition(1, 0).line == 1
    module = cst.parse_module("x = 1\n")
    assert callable(module._visit_and_replace_children)
    state = CodegenState(default_indent="    ", default_newline="\n")
    module._codegen(state)
    assert "".join(state.tokens) == "x = 1\n"
