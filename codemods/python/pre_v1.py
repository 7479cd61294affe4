"""Whether a module is written for the openai 0.x API, and what of it goes to Cerebras.

openai 1.0 removed the module API of 0.x (``openai.ChatCompletion.create``,
``openai.api_base``, ``openai.error``): code written for it runs only on 0.x, where
``openai.base_url`` means nothing and the module settings are read from the environment at
import. So each module is classified once, before any fixer runs (``Context.old_api``):

- ``1.x``: no 0.x name in it; migrated as before. Also a module that names nothing of either
  API (``openai.api_key = ...`` alone) when the project may run 1.x.
- ``0.x``: it uses the 0.x API and the project may run 0.x (a 0.x pin, or no pin, or a
  requirement that allows both), or the project runs 0.x and the module uses nothing of 1.x.
  The openai target rewrites its module settings for 0.x (``fixers/module_client_v0.py``);
  the cerebras target leaves it as it is and reports it (the Cerebras SDK has no 0.x API).
- ``kept``: it uses the 0.x API, but the project runs 1.0 or later for sure (``removed``:
  that code raises ``APIRemovedInV1`` there, so nothing it would send can leak; rewriting
  it for a release the project does not install would be a guess), or the module also uses
  the 1.x module client (``mixed``: the two share ``openai.api_key``, so pointing one at
  Cerebras would send the Cerebras key to OpenAI through the other). Reported, left alone.

A project's 0.x and 1.x code are told apart by the names the module reads, resolved through
its imports: calls and imports of the 0.x resources and submodules, and assignments to the
settings only 0.x has (``sdk.PRE_V1_*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from codemods.facts import sdk
from codemods.options import Options
from codemods.python.cst.edit import dotted_name, find_keyword, string_value
from codemods.python.resolve import Resolver, Scope

Mode = Literal["1.x", "0.x", "kept"]
# 1.x resources of the module client: ``openai.chat.completions.create`` and the rest.
_V1_RESOURCES = frozenset({"chat", "completions", "models", "beta", *sdk.UNSERVED_RESOURCES})
_V0_NAMES = sdk.PRE_V1_RESOURCES | sdk.PRE_V1_MODULES


@dataclass(frozen=True)
class Request:
    """A 0.x request call on the module: ``openai.ChatCompletion.create(...)``."""

    call: cst.Call
    resource: str  # ``ChatCompletion``
    verb: str  # ``create``
    scope: Scope

    @property
    def chain(self) -> str:
        return f"{self.resource}.{self.verb}"

    @property
    def served(self) -> bool:
        """Whether Cerebras serves its endpoint (chat completions, completions, models)."""
        return self.resource in sdk.PRE_V1_SERVED


@dataclass(frozen=True)
class OldApi:
    mode: Mode = "1.x"
    why: Literal["", "removed", "mixed"] = ""
    # The 0.x requests made on the module client, in order.
    requests: tuple[Request, ...] = ()
    # Why the module-level client stays where it is ("" when it moves to Cerebras):
    # ``other``, ``dynamic`` (its api_base), ``azure`` (its api_type).
    stays: str = ""
    # The served requests that go to Cerebras after the migration (ids of their calls).
    moving: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_pre_v1(self) -> bool:
        return self.mode != "1.x"


def request_url(call: cst.Call) -> tuple[bool, str | None]:
    """Whether a 0.x call names its own ``api_base``, and its value when it is a literal."""
    index = find_keyword(call, "api_base")
    if index is None:
        return False, None
    return True, string_value(call.args[index].value)


def import_anchor(resolver: Resolver) -> cst.SimpleStatementLine | None:
    """Where a 0.x module's settings go: after the import block holding the first import of
    ``openai`` (``resolver.module_import_anchor``), or of a name from it
    (``from openai import ChatCompletion``)."""
    anchor = resolver.module_import_anchor()
    if anchor is not None:
        return anchor
    for statement, scope, _, qualname in resolver.import_aliases:
        if statement is None or not qualname.startswith(sdk.OPENAI_MODULE + "."):
            continue
        body = list(getattr(resolver.module_scope.node, "body", ()))
        if scope.kind != "module" or statement not in body:
            return statement
        index = body.index(statement)
        while index + 1 < len(body) and _is_import_line(body[index + 1]):
            index += 1
        return body[index]  # type: ignore[no-any-return]
    return None


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def module_stays(resolver: Resolver) -> str:
    """Why the 0.x module client of this module is left where it points ("" when it moves):
    ``openai.api_base`` names another provider or is computed, or ``openai.api_type`` makes it
    an Azure client (or is computed: it may)."""
    config = resolver.module_config()
    for value in config.get("api_type", ()):
        kind = string_value(value)
        if kind is None or kind.lower() in sdk.PRE_V1_AZURE_TYPES:
            return "azure"
    for value in config.get("api_base", ()):
        url = string_value(value)
        if url is None:
            return "dynamic"
        if resolver.classify(url) == "other":
            return "other"
    return ""


def request_moves(resolver: Resolver, request: Request) -> bool:
    """Whether a served 0.x request goes to Cerebras: its own ``api_base``, if it names one,
    is OpenAI's or Cerebras's, and it is no Azure request."""
    if not request.served:
        return False
    has_url, url = request_url(request.call)
    if has_url and (url is None or resolver.classify(url) == "other"):
        return False
    index = find_keyword(request.call, "api_type")
    if index is not None:
        kind = string_value(request.call.args[index].value)
        return kind is not None and kind.lower() not in sdk.PRE_V1_AZURE_TYPES
    return True


def _split(resolver: Resolver, node: cst.BaseExpression, scope: Scope) -> list[str] | None:
    """``["ChatCompletion", "create"]`` for ``openai.ChatCompletion.create`` (``openai`` the
    module, or ``ChatCompletion`` imported from it); None for anything not of the openai
    module."""
    dotted = dotted_name(node)
    if dotted is None or "." not in dotted:
        return None
    qualname = resolver.qualname(node, scope)
    prefix = sdk.OPENAI_MODULE + "."
    if qualname is None or not qualname.startswith(prefix):
        return None
    return qualname.removeprefix(prefix).split(".")


def classify(resolver: Resolver, options: Options) -> OldApi:
    """The module's ``OldApi`` (see the module docstring)."""
    if not resolver.imports_sdk:
        return OldApi()
    old = False  # a 0.x name is used
    module_v1 = "base_url" in resolver.module_config()  # the 1.x module client is
    classes = False  # a 1.x client class is imported
    for _, _, _, qualname in resolver.import_aliases:
        module, _, rest = qualname.partition(".")
        if module != sdk.OPENAI_MODULE or not rest:
            continue
        first = rest.split(".", 1)[0]
        old = old or first in _V0_NAMES
        classes = classes or first in sdk.OPENAI_CLIENTS or first in sdk.OPENAI_AZURE_CLIENTS
    old = old or bool(sdk.PRE_V1_SETTINGS & set(resolver.module_config()))
    requests: list[Request] = []
    for call, scope in resolver.calls:
        func = call.func
        # Cheap first: the attribute names, before any name is resolved.
        if not isinstance(func, cst.Attribute):
            continue
        dotted = dotted_name(func)
        if dotted is None:
            continue
        names = dotted.split(".")
        if not (_V0_NAMES.intersection(names) or _V1_RESOURCES.intersection(names[1:2])):
            continue
        parts = _split(resolver, func, scope)
        if not parts:
            continue
        if parts[0] in _V0_NAMES:
            old = True
            if parts[0] in sdk.PRE_V1_RESOURCES and len(parts) == 2:
                requests.append(Request(call, parts[0], parts[1], scope))
        elif parts[0] in _V1_RESOURCES and len(parts) > 1:
            module_v1 = True
    if old and module_v1:
        return OldApi("kept", "mixed", tuple(requests))
    if old and options.pre_v1 is False:
        return OldApi("kept", "removed", tuple(requests))
    if not old and not (options.pre_v1 is True and not module_v1 and not classes):
        return OldApi()
    stays = module_stays(resolver)
    moving = frozenset(id(r.call) for r in requests if not stays and request_moves(resolver, r))
    return OldApi("0.x", "", tuple(requests), stays, moving)
