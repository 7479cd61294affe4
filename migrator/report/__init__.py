"""``--output-format``: the machine-readable reports, beside the default ``text`` one.

- ``json``: one JSON document on stdout, written at the end of the run and nothing else on
  stdout; with ``--diff`` each changed file's unified diff is inside it (``files[].diff``).
- ``github``: GitHub Actions workflow commands on stdout, one annotation per diagnostic
  (``::error``, ``::warning`` or ``::notice`` by severity) and one ``::notice`` per changed
  file, then one plain summary line. No diff, no ``Would rewrite`` list: annotations only.
- ``sarif``: a SARIF 2.1.0 log on stdout. Every rule of ``codemods.diagnostics.RULES`` is in
  ``runs[0].tool.driver.rules``; each diagnostic is a result. Each changed file also gets a
  result of the synthetic rule ``rewrite``; with ``--diff``/``--check`` it carries the fix:
  one replacement whose ``deletedRegion`` spans the whole original file and whose
  ``insertedContent`` is the whole new text (with the default write mode the file is already
  rewritten, so no fix is attached; nor is one when the new text holds a key, see below).

In a notebook a diagnostic's ``line``/``column`` count inside its cell: ``json`` adds the
cell's number (``cell``, from 1, among all the cells of the file); ``github`` and ``sarif``
locate it in the ``.ipynb`` text itself (where the line is in the cell's ``source``) and start
the message with ``cell N, line L, column C:`` (SARIF also has them in ``properties``). A
notebook's ``diff`` is the per-cell one ``--diff`` prints.

Hard-coded keys never appear: every free-text string (paths, messages, diffs) is masked as
``codemods.secrets`` says, what is about a file with that file's own ``api_key`` literals
(never another file's: a file's output does not depend on the run), the end of the run with
those of every file. A SARIF
fix cannot be masked without corrupting the file it writes, so a file whose new text holds a
key gets no fix, and its result says why. Nothing goes to stderr except what click itself
prints for bad usage.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING, Any

from .base import BaseReporter, Mode

if TYPE_CHECKING:
    from .github import GithubReporter
    from .json_report import JsonReporter
    from .sarif import SarifReporter
    from .text import Reporter


class OutputFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


FORMATS: tuple[str, ...] = tuple(f.value for f in OutputFormat)


# Each format's module and class, imported when asked for: a run loads one format only.
_CLASSES = {
    OutputFormat.TEXT: ("text", "Reporter"),
    OutputFormat.JSON: ("json_report", "JsonReporter"),
    OutputFormat.GITHUB: ("github", "GithubReporter"),
    OutputFormat.SARIF: ("sarif", "SarifReporter"),
}


def _reporter_class(output_format: str | OutputFormat) -> type[BaseReporter]:
    module, name = _CLASSES[OutputFormat(output_format)]
    cls: type[BaseReporter] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return cls


def make_reporter(output_format: str | OutputFormat, mode: Mode, **kwargs: Any) -> BaseReporter:
    """The reporter for ``output_format``; ``kwargs`` are ``BaseReporter``'s keywords."""
    return _reporter_class(output_format)(mode, **kwargs)


def __getattr__(name: str) -> Any:
    for output_format, (_, class_name) in _CLASSES.items():
        if class_name == name:
            return _reporter_class(output_format)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "BaseReporter",
    "GithubReporter",
    "JsonReporter",
    "Mode",
    "OutputFormat",
    "Reporter",
    "SarifReporter",
    "make_reporter",
]
