"""Pure rewrites that move OpenAI SDK code onto Cerebras: text and options in, new text and
diagnostics out. No I/O, no CLI.

- ``options``, ``rules`` (every diagnostic code), ``result``, ``secrets``: shared by every
  front-end and by the application;
- ``facts/``: what the SDKs and the API are, as data;
- ``python/``: the Python front-end (libcst), entered through ``migrate_source``.

``migrate_source`` is loaded on first use: a run whose files never mention either SDK (or
``--help``) does not pay for importing the front-end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codemods.options import TARGETS, Options, Target
from codemods.result import SourceResult
from codemods.rules import RULES, Diagnostic, Rule, Severity

if TYPE_CHECKING:
    from codemods.python.source import migrate_source


def __getattr__(name: str) -> Any:
    if name == "migrate_source":
        from codemods.python.source import migrate_source

        return migrate_source
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RULES",
    "TARGETS",
    "Diagnostic",
    "Options",
    "Rule",
    "Severity",
    "SourceResult",
    "Target",
    "migrate_source",
]
