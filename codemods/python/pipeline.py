"""The fixers of each target, the order they run in, and the contract between them.

Before the traversal, the module's SDK imports are planned (codemods/python/plan.py) and each
fixer's ``begin`` runs, in the order below. Then one traversal visits the tree; for each
node, once its children are done, the ``leave_<Node>`` hooks of the fixers that have one
run in this order, each given the node as the one before left it. A hook that returns
something of another kind (a removal, a ``Name`` for an ``Attribute``, an ``Await`` for a
``Call``) ends that node's chain: the fixers after it never see the node. Last, each
fixer's ``finish`` runs, in the same order. No fixer imports another; what one needs to
know of another's work is in the plan, decided before any of them runs.

The order matters only where two fixers touch the same kind of node (``SHARED_NODES``,
checked against the fixers' hooks by tests/test_architecture.py):

- ``Call``: the readiness checks, then ``OpenAIEnvironmentReads``, read the call before
  anything changes it; ``SwitchSdk``
  adds the other SDK's class to an ``isinstance`` check (never a request or a
  constructor); ``ClientConstructors`` rewrites a constructor's arguments,
  ``ModuleClientV0`` an openai 0.x request's, ``ModuleClientToInstance`` a module-level
  call's receiver; ``MapModelIds`` maps
  ``model=`` before ``NestRejectedKeywords`` or ``UnnestExtraBody`` move keywords around
  it (they look the keyword up again in the call as it is then); ``AwaitAsyncRawParse``
  comes last, as it wraps a call in ``await`` and so ends the chain. ``EnvKeyLiterals``
  only touches ``os`` calls, which no other fixer does.
- ``Assign``: ``ModuleClient`` rewrites ``openai.api_key = ...`` (``ModuleClientV0`` in a
  module written for openai 0.x: never both); ``EnvKeyLiterals`` marks
  ``os.environ[...] = <key>`` for removal; ``MapModelIds`` maps a constant's model id; they
  never touch the same assignment.
- ``SimpleStatementLine``: ``SwitchSdk`` rewrites or removes import statements first;
  ``ModuleClient`` (or ``ModuleClientV0``) and ``ModuleClientToInstance`` then add the
  module client's settings after the import block (a removed line takes the chain with it,
  so they anchor on lines ``SwitchSdk`` keeps); ``EnvKeyLiterals`` last removes the
  statements that put a key into the environment (never an import, so never an anchor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import libcst as cst

from codemods.options import Options, Target
from codemods.python.context import nothing_hidden
from codemods.python.fixers.await_async_raw_parse import AwaitAsyncRawParse
from codemods.python.fixers.base import Example, Fixer
from codemods.python.fixers.client_constructors import ClientConstructors
from codemods.python.fixers.env_key_literals import EnvKeyLiterals
from codemods.python.fixers.map_model_ids import MapModelIds
from codemods.python.fixers.module_client import ModuleClient
from codemods.python.fixers.module_client_to_instance import ModuleClientToInstance
from codemods.python.fixers.module_client_v0 import ModuleClientV0
from codemods.python.fixers.nest_rejected_keywords import NestRejectedKeywords
from codemods.python.fixers.openai_environment import OpenAIEnvironmentReads
from codemods.python.fixers.readiness_checks import ReadinessChecks
from codemods.python.fixers.star_import import StarImport
from codemods.python.fixers.switch_sdk import SwitchSdk
from codemods.python.fixers.unnest_extra_body import UnnestExtraBody
from codemods.python.traversal import ModuleResult, run_fixers

if TYPE_CHECKING:
    from codemods.python.project import Place

FIXERS: tuple[type[Fixer], ...] = (
    ReadinessChecks,
    OpenAIEnvironmentReads,
    SwitchSdk,
    ClientConstructors,
    ModuleClient,
    ModuleClientV0,
    ModuleClientToInstance,
    EnvKeyLiterals,
    MapModelIds,
    NestRejectedKeywords,
    UnnestExtraBody,
    AwaitAsyncRawParse,
    StarImport,
)

# The node kinds that more than one fixer leaves, with the fixers' order there (see above).
SHARED_NODES: dict[str, tuple[type[Fixer], ...]] = {
    "Assign": (ReadinessChecks, ModuleClient, ModuleClientV0, EnvKeyLiterals, MapModelIds),
    "Call": (
        ReadinessChecks,
        OpenAIEnvironmentReads,
        SwitchSdk,
        ClientConstructors,
        ModuleClientV0,
        ModuleClientToInstance,
        EnvKeyLiterals,
        MapModelIds,
        NestRejectedKeywords,
        UnnestExtraBody,
        AwaitAsyncRawParse,
    ),
    "SimpleStatementLine": (
        SwitchSdk,
        ModuleClient,
        ModuleClientV0,
        ModuleClientToInstance,
        EnvKeyLiterals,
    ),
}


def fixers_for(target: Target) -> tuple[type[Fixer], ...]:
    return tuple(fixer for fixer in FIXERS if target in fixer.targets)


def migrate_module(
    module: cst.Module,
    options: Options,
    skip_lines: frozenset[int] = frozenset(),
    hides: Callable[[str], bool] = nothing_hidden,
    place: Place | None = None,
) -> ModuleResult:
    """Rewrite a parsed module for ``options.target``; the input tree is not modified.

    Statements on ``skip_lines`` (``# cerebras-migrate: ignore``) are left as they are;
    ``hides`` tells the names bound in parts of the file left out of ``module``
    (codemods/python/focus.py); ``place``, the rest of the project (codemods/python/project.py).
    """
    fixers = [fixer() for fixer in fixers_for(options.target)]
    return run_fixers(module, options, fixers, skip_lines, hides, place)


def examples_of(code: str) -> Iterator[tuple[Example, Target]]:
    """Every fixer example that expects ``code``, with a target it shows it on: those of the
    fixers that emit it first."""
    owners = [fixer for fixer in FIXERS if any(rule.code == code for rule in fixer.emits)]
    for fixer in [*owners, *(f for f in FIXERS if f not in owners)]:
        for example in fixer.examples:
            for target, codes in example.codes.items():
                if code in codes:
                    yield example, target
                    break


@cache
def reads_alone(options: Options) -> Callable[[str], bool]:
    """Whether any fixer acts on a string literal without resolving a name (focus keeps the
    statements that hold one), as the fixers declare it. Every fixer is asked, whatever the
    target: the question is cheap and more kept statements only cost time."""
    readers = [fixer.reads_alone for fixer in FIXERS]

    @lru_cache(maxsize=4096)
    def read(value: str) -> bool:
        return any(reader(value, options) for reader in readers)

    return read
