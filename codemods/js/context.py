"""What the fixers of one module share: the text, its tree, what ``resolve`` found, the
edits made so far and the diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codemods import rules
from codemods.js import edits, syntax
from codemods.js.suppressions import within
from codemods.options import Options

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.constants import Constants
    from codemods.js.resolve import Module


@dataclass
class Context:
    data: bytes  # the UTF-8 text the tree was parsed from
    options: Options
    typescript: bool
    module: Module
    layout: edits.Layout
    edits: list[edits.Edit] = field(default_factory=list)
    diagnostics: list[rules.Diagnostic] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    sites: set[int] = field(default_factory=set)  # start bytes of the call sites rewritten
    # Statements marked ``// cerebras-migrate: ignore`` (suppressions.py): no edit and no
    # report inside them.
    skipped: list[tuple[int, int]] = field(default_factory=list)
    root: tree_sitter.Node | None = None  # the module's tree (``constants.analyse`` walks it)
    # What the project decided for the model constants the module defines or imports.
    constants: Constants | None = None

    def text(self, node: tree_sitter.Node) -> str:
        return edits.text(self.data, node)

    def replace(self, node: tree_sitter.Node, text: str) -> None:
        self.replace_range(node.start_byte, node.end_byte, text)

    def replace_range(self, start: int, end: int, text: str) -> None:
        if not within(self.skipped, start, end):
            self.edits.append(edits.Edit(start, end, text))

    def insert(self, offset: int, text: str) -> None:
        self.replace_range(offset, offset, text)

    def rewrote(self, site: tree_sitter.Node) -> None:
        self.sites.add(site.start_byte)

    def report(
        self, node: tree_sitter.Node, rule: rules.Rule, variant: str = rules.DEFAULT, **fields: Any
    ) -> None:
        if within(self.skipped, node.start_byte):
            return
        row, byte_column = node.start_point
        column = syntax.column(self.data, row, byte_column, node.start_byte - byte_column)
        self.diagnostics.append(rule.at(row + 1, column, variant, **fields))
