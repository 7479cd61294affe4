"""The fixers of the JavaScript/TypeScript front-end, in the order they run.

The constructors run first: they decide which clients move (``Client.moves``), and the
request fixers touch only requests on those; ``SwitchSdk`` then switches the module's
import to the target's SDK when its clients moved from the other one. Each fixer edits its
own byte ranges (the constructor's options, the SDK's names, a request's ``extra_body``
entry, its Cerebras-only entries, its ``model``), so edits never overlap; two that did
would be a bug (CM903).
"""

from __future__ import annotations

from collections.abc import Iterator

from codemods.js.fixers.base import Example, Fixer
from codemods.js.fixers.cerebras_constructors import CerebrasConstructors
from codemods.js.fixers.cerebras_only_params import CerebrasOnlyParams
from codemods.js.fixers.cerebras_params import CerebrasParams
from codemods.js.fixers.client_constructors import ClientConstructors
from codemods.js.fixers.flatten_extra_body import FlattenExtraBody
from codemods.js.fixers.imported_clients import ImportedClients
from codemods.js.fixers.map_model_ids import MapModelIds
from codemods.js.fixers.response_types import ResponseTypes
from codemods.js.fixers.switch_sdk import SwitchSdk
from codemods.js.fixers.unserved_clients import UnservedClients
from codemods.js.fixers.unserved_endpoints import UnservedEndpoints
from codemods.js.fixers.untraced_requests import UntracedRequests
from codemods.js.fixers.v3_api import V3Api
from codemods.options import Target

FIXERS: tuple[type[Fixer], ...] = (
    V3Api,
    UnservedClients,
    ClientConstructors,
    CerebrasConstructors,
    SwitchSdk,
    FlattenExtraBody,
    CerebrasOnlyParams,
    MapModelIds,
    CerebrasParams,
    ResponseTypes,
    UntracedRequests,
    ImportedClients,
    UnservedEndpoints,
)


def fixers_for(target: Target) -> list[Fixer]:
    return [fixer() for fixer in FIXERS if target in fixer.targets]


def examples_of(code: str) -> Iterator[tuple[Example, Target]]:
    """Every fixer example that expects ``code``, with a target it shows it on."""
    for fixer in FIXERS:
        for example in fixer.examples:
            for target, codes in example.codes.items():
                if code in codes:
                    yield example, target
                    break
