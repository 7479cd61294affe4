"""The code cells of a notebook as one module, and the module's code back into cells.

A client is often made in one cell and used in others, so the Python cells are joined into
one module, each after a marker statement that splits the rewrite back into cells. The first
cell that imports ``openai`` or ``cerebras`` goes first in the module (the cells before it go
last), so the imports a rewrite adds (``import os``, the Cerebras SDK) join that cell's
import block, never an earlier cell that happens to import ``json``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from codemods.facts import sdk

from .ipython import MaskedCell
from .lines import physical_lines, split_ending


@dataclass
class Cell:
    index: int  # in the notebook's cells, from 0
    source: str
    masked: MaskedCell
    added: str  # the newline added to end the last line in the module, or ""


_ROOTS = "|".join(sdk.SDK_ROOTS)
_ANCHOR = re.compile(
    rf"^[ \t]*(?:from[ \t]+(?:{_ROOTS})\b|import[ \t]+[\w., \t]*\b(?:{_ROOTS})\b)",
    re.MULTILINE,
)


def module_order(cells: list[Cell]) -> list[Cell]:
    """The first cell importing an SDK first, so the rewrite's new imports land there."""
    anchor = next((i for i, c in enumerate(cells) if _ANCHOR.search(c.masked.text)), 0)
    return [*cells[anchor:], *cells[:anchor]]


def tag_for(text: str) -> str:
    """A prefix for markers and placeholders that the notebook does not contain."""
    for n in itertools.count():
        tag = f"__cmnb{n}"
        if tag + "_" not in text:
            return tag
    raise AssertionError("unreachable")


@dataclass
class Module:
    code: str
    cells: list[Cell]  # in module order
    starts: list[int]  # the module line where each cell begins


def join(cells: list[Cell], tag: str, newline: str) -> Module:
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for position, cell in enumerate(cells):
        if position:
            parts.append(f"{tag}_cell_{cell.index}__{newline}")
            line += 1
        starts.append(line)
        body = cell.masked.text + cell.added
        parts.append(body)
        line += len(physical_lines(body))
    parts.append(f"{tag}_end__{newline}")
    return Module("".join(parts), cells, starts)


def split(code: str, module: Module, tag: str) -> list[str] | None:
    """The module's code back into one text per cell, or None if a marker did not survive."""
    expected = [f"{tag}_cell_{c.index}__" for c in module.cells[1:]] + [f"{tag}_end__"]
    segments: list[str] = []
    current: list[str] = []
    for line in physical_lines(code):
        body, _ = split_ending(line)
        if len(segments) < len(expected) and body == expected[len(segments)]:
            segments.append("".join(current))
            current = []
            continue
        if f"{tag}_cell_" in body or f"{tag}_end__" in body:
            return None
        current.append(line)
    if len(segments) != len(expected) or current:
        return None
    return segments


def locate(module: Module, line: int) -> tuple[Cell, int]:
    """The cell of a module line, and the line inside the cell."""
    position = 0
    for k, start in enumerate(module.starts):
        if start <= line:
            position = k
    cell = module.cells[position]
    count = max(len(physical_lines(cell.masked.text)), 1)
    return cell, min(max(line - module.starts[position] + 1, 1), count)
