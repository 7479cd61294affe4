"""``# cerebras-migrate: ignore``: a line opts out of the migration, or of some codes.

``# cerebras-migrate: ignore`` leaves the statement on that line as written and reports
nothing for it; ``# cerebras-migrate: ignore[CM401,CM407]`` only silences those codes there
(rewrites still happen). Errors (a file that does not parse, ...) are never silenced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from codemods.python.lines import physical_lines
from codemods.rules import Diagnostic

_SUPPRESSION = re.compile(r"#\s*cerebras-migrate:\s*ignore(?:\[([^\]]*)\])?")

# Line number -> the codes silenced there; None: every code, and the statement is skipped.
Marks = dict[int, frozenset[str] | None]


def suppressions(text: str) -> Marks:
    """``# cerebras-migrate: ignore[CM301, CM204]`` by line; None means every code."""
    if "cerebras-migrate:" not in text:
        return {}
    found: Marks = {}
    # Python's lines, not str.splitlines: a form feed or U+2028 earlier in the file must not
    # move the mark onto the next statement.
    for number, line in enumerate(physical_lines(text), start=1):
        match = _SUPPRESSION.search(line)
        if match is None:
            continue
        codes = match.group(1)
        found[number] = (
            None
            if codes is None
            else frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
        )
    return found


def skipped_lines(marks: Marks) -> frozenset[int]:
    """The lines whose statements are left exactly as written."""
    return frozenset(line for line, codes in marks.items() if codes is None)


def unsilenced(diagnostics: Iterable[Diagnostic], marks: Marks) -> list[Diagnostic]:
    """The diagnostics no mark silences."""
    kept = []
    for diagnostic in diagnostics:
        codes = marks.get(diagnostic.line, frozenset())
        if diagnostic.rule.is_error or (codes is not None and diagnostic.code not in codes):
            kept.append(diagnostic)
    return kept
