"""The fixers of each target and the entry point that runs them (imported lazily by
``codemods/__init__.py``: this is where libcst gets loaded)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from .base import Fixer
from .clients import ClientConstructors
from .context import nothing_hidden
from .imports import SwitchSdk
from .models import MapModelIds
from .module_client import ModuleClient, ModuleClientToInstance
from .options import Options
from .raw_responses import AwaitAsyncRawParse
from .readiness import Readiness
from .requests import NestRejectedKeywords
from .runner import ModuleResult, run_fixers
from .unnest import UnnestExtraBody

# Order matters only where two fixers touch the same node: a constructor gets its class
# before its arguments are looked at, and model ids are mapped before the keywords of the
# same call are moved around.
FIXERS: tuple[type[Fixer], ...] = (
    Readiness,
    SwitchSdk,
    ClientConstructors,
    ModuleClient,
    ModuleClientToInstance,
    MapModelIds,
    NestRejectedKeywords,
    UnnestExtraBody,
    AwaitAsyncRawParse,
)


def migrate_module(
    module: cst.Module,
    options: Options,
    skip_lines: frozenset[int] = frozenset(),
    hides: Callable[[str], bool] = nothing_hidden,
) -> ModuleResult:
    """Rewrite a parsed module for ``options.target``; the input tree is not modified.

    Statements on ``skip_lines`` (``# cerebras-migrate: ignore``) are left as they are;
    ``hides`` tells the names bound in parts of the file left out of ``module``
    (codemods/focus.py).
    """
    return run_fixers(module, options, [fixer() for fixer in FIXERS], skip_lines, hides)
