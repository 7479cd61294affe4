"""Pure libcst rewrites that move OpenAI SDK code onto Cerebras. No I/O, no CLI.

``FIXERS``, ``migrate_module`` and ``ModuleResult`` live in ``codemods/pipeline.py`` and are
loaded on first use, with libcst: a run whose files never mention either SDK (or ``--help``)
does not pay a quarter of a second for importing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .diagnostics import RULES, Diagnostic, Rule, Severity
from .options import TARGETS, Options, Target

if TYPE_CHECKING:
    from .pipeline import FIXERS, ModuleResult, migrate_module

_LAZY = frozenset({"FIXERS", "ModuleResult", "migrate_module"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FIXERS",
    "RULES",
    "TARGETS",
    "Diagnostic",
    "ModuleResult",
    "Options",
    "Rule",
    "Severity",
    "Target",
    "migrate_module",
]
