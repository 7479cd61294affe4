"""Pure libcst rewrites that move OpenAI SDK code onto Cerebras. No I/O, no CLI."""

from __future__ import annotations

import libcst as cst

from .base import Fixer
from .clients import ClientConstructors
from .diagnostics import RULES, Diagnostic, Rule, Severity
from .models import MapModelIds
from .module_client import ModuleClient
from .options import TARGETS, Options, Target
from .requests import NestRejectedKeywords
from .runner import ModuleResult, run_fixers

# Order matters only where two fixers touch the same node: model ids are mapped before the
# keywords of the same call are moved around.
FIXERS: tuple[type[Fixer], ...] = (
    ClientConstructors,
    ModuleClient,
    MapModelIds,
    NestRejectedKeywords,
)


def migrate_module(module: cst.Module, options: Options) -> ModuleResult:
    """Rewrite a parsed module for ``options.target``; the input tree is not modified."""
    return run_fixers(module, options, [fixer() for fixer in FIXERS])


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
