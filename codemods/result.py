"""What a front-end makes of one source text: the new text, what it found, and its secrets."""

from __future__ import annotations

from dataclasses import dataclass, field

from codemods.rules import Diagnostic


@dataclass
class SourceResult:
    code: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Key literals the rewrite took out of the code: the reporters mask them everywhere.
    secrets: list[str] = field(default_factory=list)
    rewritten_sites: int = 0
    error: bool = False  # the text could not be migrated; ``code`` is the input

    def changed(self, original: str) -> bool:
        return not self.error and self.code != original
