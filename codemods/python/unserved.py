"""Whether a client is only ever used for endpoints Cerebras does not serve, read with libcst.

A client whose every request is an embeddings, audio, images, ... request would only fail on
Cerebras, so the migration leaves it on OpenAI (``decide``'s "unserved-only"). That must be
sure, so the rule is plain: the constructor is either the receiver of such a request itself
(``OpenAI().embeddings.create(...)``), or it is assigned to a name, once, whose every other
occurrence in the scope it lives in (the whole module for a module-level name, the function
for a local one) is the receiver of such a request. Any other occurrence — passed, returned,
stored, rebound, ``global``, ``with_options(...)``/``copy()``, ``del`` — makes it unsure, and
the client moves as any other. Clients assigned in a class body are never sure (they are
reached as attributes).

codemods/python/index.py reads module-level names by the same rule with CPython's ``ast``
(``_unserved_only``), so the project plan judges a client the same way; the two count the
same occurrences (names, parameters, definitions, import bindings, ``global``, except and
match captures; never an attribute's name or a keyword).
"""

from __future__ import annotations

from typing import NamedTuple

import libcst as cst

from codemods.facts import sdk
from codemods.python.cst.edit import dotted_name
from codemods.python.cst.walk import walk


def unserved_chain(func: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """For the ``func`` of a call made through attributes only (``x.embeddings.create``,
    ``x.with_raw_response.audio.speech.create``): what it is made on and the unserved
    resource it reaches; None for any other call."""
    names: list[str] = []
    node = func
    while isinstance(node, cst.Attribute):
        if node.attr.value not in sdk.RESPONSE_WRAPPERS:
            names.append(node.attr.value)
        node = node.value
    names.reverse()
    resource = sdk.unserved_resource(names) if len(names) >= 2 else None
    return (node, resource) if resource is not None else None


class Uses(NamedTuple):
    """What one scope shows of its identifiers."""

    occurrences: dict[str, int]  # identifier -> how many times it occurs in the scope
    requests: dict[str, list[str]]  # identifier -> the unserved resources of requests on it
    assigned: dict[int, str]  # id of a call assigned to one name, directly in the scope -> it
    inline: dict[int, str]  # id of a call that receives an unserved request -> its resource


class _Counter:
    def __init__(self, root: cst.CSTNode) -> None:
        self.root = root
        self.depth = 0  # defs, classes and lambdas entered below the root
        self.uses = Uses({}, {}, {}, {})

    def _count(self, name: str) -> None:
        occurrences = self.uses.occurrences
        occurrences[name] = occurrences.get(name, 0) + 1

    def _enter(self, node: cst.CSTNode) -> None:
        if node is not self.root:
            self.depth += 1

    def _leave(self, node: cst.CSTNode) -> None:
        if node is not self.root:
            self.depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._enter(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._leave(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._enter(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._leave(original_node)

    def visit_Name(self, node: cst.Name) -> None:
        self._count(node.value)

    # Names that are no occurrence of an identifier: an attribute's, a keyword's, a match
    # keyword's, the modules an import names. Only the values below them are walked.
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False

    def visit_MatchKeywordElement(self, node: cst.MatchKeywordElement) -> bool:
        walk(node.pattern, self)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._count(alias.asname.name.value)
            else:
                self._count((dotted_name(alias.name) or "").split(".")[0])
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self._count(alias.asname.name.value)
                else:
                    self._count(dotted_name(alias.name) or "")
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if (
            not self.depth
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(node.value, cst.Call)
        ):
            self.uses.assigned[id(node.value)] = node.targets[0].target.value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if (
            not self.depth
            and isinstance(node.target, cst.Name)
            and isinstance(node.value, cst.Call)
        ):
            self.uses.assigned[id(node.value)] = node.target.value

    def visit_Call(self, node: cst.Call) -> None:
        found = unserved_chain(node.func)
        if found is None:
            return
        base, resource = found
        if isinstance(base, cst.Name):
            self.uses.requests.setdefault(base.value, []).append(resource)
        elif isinstance(base, cst.Call):
            self.uses.inline[id(base)] = resource


def uses_in(root: cst.CSTNode) -> Uses:
    """The identifiers of the scope ``root`` is (a module or a function), in all of it."""
    counter = _Counter(root)
    walk(root, counter)
    return counter.uses


def only_unserved(uses: Uses, name: str) -> tuple[str, ...] | None:
    """The unserved resources ``name`` is used for, when that is all it occurs as besides
    its one assignment; None otherwise."""
    requests = uses.requests.get(name)
    if not requests or uses.occurrences.get(name, 0) != 1 + len(requests):
        return None
    return tuple(sorted(set(requests)))
