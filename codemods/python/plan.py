"""What the rewrite of one module will do with its SDK imports, decided before any fixer runs.

Every ``from <source SDK> import ...`` name gets one action: *move* to the target SDK
(``from openai import OpenAI`` → ``from cerebras.cloud.sdk import Cerebras``, renaming its
uses), *drop* (the target name is imported already), or *keep* (no exact counterpart, or a
constructor that stays on the old SDK still needs it). Module imports (``import openai``)
are noted, to be removed at the end when nothing uses them.

Fixers only read the plan (``Context.imports``): ``SwitchSdk`` rewrites the statements and
names by it, and ``ClientConstructors`` knows from it whether a class name already comes to
mean the target's class. Whether a constructor migrates at all is decided once, by
``Resolver.constructor``. The names the plan binds, and the imports it adds, are recorded on
the context before any fixer runs, so that no name a fixer creates takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

import libcst as cst

from codemods.facts import sdk
from codemods.options import Target
from codemods.python.cst.imports import ImportSpec
from codemods.python.resolve import ClientClass, Resolver, Scope


def other_sdk(target: str) -> str:
    """The SDK the migration moves away from."""
    return "cerebras" if target == "openai" else "openai"


def is_sdk_module(qualname: str) -> bool:
    """``openai``, ``cerebras.cloud.sdk`` and their parents name packages, not exports."""
    return any(
        module == qualname or module.startswith(qualname + ".")
        for module in sdk.SDK_MODULES.values()
    )


class ImportAction(NamedTuple):
    action: Literal["keep", "move", "drop"]
    module: str | None = None
    alias: cst.ImportAlias | None = None


class ImportPlan:
    def __init__(self, source: str = "openai") -> None:
        self.source = source  # the SDK whose imports move
        # What becomes of each name of every ``from <source> import ...``, by statement id.
        self.actions: dict[int, dict[str, ImportAction]] = {}
        # (local name, the qualified name it resolves to) -> the name its uses get.
        self.renames: dict[tuple[str, str], str] = {}
        self.rename_names: set[str] = set()  # the local names of ``renames``
        # Imported names whose import statement moves to the target SDK: (local, qualname).
        self.moved: set[tuple[str, str]] = set()
        # ``import openai`` and the like: (local, qualname), removed if unused at the end.
        self.module_imports: set[tuple[str, str]] = set()
        # ``func`` node ids of constructors that stay on the old SDK (they keep their class).
        self.kept_funcs: set[int] = set()
        # ``func`` node ids of ``openai.OpenAI(...)`` constructors that move: switched even
        # where a kept client of the same class keeps the name's meaning elsewhere.
        self.moving_funcs: set[int] = set()
        # Import statements of names without an exact counterpart (CM111), with the name.
        self.no_counterpart: list[tuple[cst.SimpleStatementLine, str]] = []
        # Imports kept because the name also means something else here (CM114): the
        # statement, the local name, what it imports, and the other thing it is bound to.
        self.ambiguous: list[tuple[cst.SimpleStatementLine, str, str, str]] = []
        # Imports kept because ``__all__`` exports the name, or other modules of the project
        # import it from here (CM115): statement, local name, the importers (empty: __all__).
        self.exported: list[tuple[cst.SimpleStatementLine, str, tuple[str, ...]]] = []
        # Client classes used as values (CM117): the use, and the class.
        self.class_values: list[tuple[cst.Name, ClientClass]] = []
        # Client classes, as (sdk, name), of which some client in this module does not move
        # (a constructor left alone, a class used as a value): a client known only by its
        # type (``client: OpenAI``) may be either, so its requests are left alone (CM116).
        self.unsure: set[tuple[str, str]] = set()
        # The SDKs of the clients kept only for endpoints Cerebras does not serve: sure to be
        # used nowhere else, so not ``unsure``, but their exceptions are still raised here.
        self.kept_sdks: set[str] = set()
        # The qualified names of those classes of the SDK that moves: every reference to them
        # keeps its meaning (``openai.OpenAI`` in an annotation is not switched either).
        self.kept_classes: set[str] = set()
        # What becomes of the SDK's other names (exceptions, types) here: "rename" when the
        # module's clients all move; "keep" when some stay and none moves (the names then
        # still mean what the clients raise); "both" when there are clients of both kinds:
        # the names stay, and an ``except`` clause naming one catches its counterpart too.
        self.names: Literal["rename", "keep", "both"] = "rename"
        # Whether ``names`` is the project's (the module shows no client of its own).
        self.names_from_project = False
        # What the moved imports will bind, (qualname, scope, local), and the imports to add
        # at the top (names joining a target import statement already there).
        self.bindings: list[tuple[str, Scope, str]] = []
        self.imports: dict[str, ImportSpec] = {}

    def keeps(self, qualname: str) -> bool:
        """Whether a reference to ``qualname``, a name of the SDK that moves, keeps it."""
        if qualname in self.kept_classes:
            return True
        return self.names != "rename" and not _is_client_class(qualname)

    def moves(self, local: str, qualname: str | None) -> bool:
        """Whether the import binding ``local`` (to ``qualname``) moves to the target."""
        return (local, qualname or "") in self.moved


class _Planner:
    def __init__(self, resolver: Resolver, target: Target, hides: Callable[[str], bool]):
        self.resolver = resolver
        self.target = target
        self.hides = hides  # names bound where the resolver was not shown (focus holes)


def plan_imports(
    resolver: Resolver,
    target: Target,
    hides: Callable[[str], bool],
    pinned: frozenset[str] = frozenset(),
) -> ImportPlan:
    """The plan for the module ``resolver`` was built from, migrated to ``target``.

    ``pinned`` names appear in statements left exactly as written (``# cerebras-migrate:
    ignore``): their imports keep them meaning what they meant, or those statements would
    name something that is no longer there."""
    ctx = _Planner(resolver, target, hides)
    plan = ImportPlan(source=other_sdk(target))
    # Client class names that a constructor left alone still needs with their old meaning.
    stay: set[str] = set(pinned)
    moves = bool(resolver.module_requests())  # the module-level client always moves
    for call, scope in resolver.calls:
        cls = resolver.client_class(call.func, scope)
        if cls is not None and cls.sdk != "azure" and resolver.constructor(call, cls).migrates:
            moves = True
            if isinstance(call.func, cst.Attribute):
                plan.moving_funcs.add(id(call.func))
        if cls is None or resolver.constructor(call, cls).migrates:
            continue
        if resolver.constructor(call, cls).left_alone == "unserved-only":
            # Never passed anywhere, so never a typed parameter; but what it raises is the
            # old SDK's, so the module's handlers keep catching that.
            plan.kept_sdks.add(cls.sdk)
        else:
            plan.unsure.add((cls.sdk, cls.name))
        if cls.sdk != target:
            plan.kept_funcs.add(id(call.func))
            plan.kept_classes.add(resolver.qualname(call.func, scope) or "")
            if isinstance(call.func, cst.Name):
                stay.add(call.func.value)
    for name, scope in resolver.value_uses:
        cls = resolver.client_class(name, scope)
        if cls is not None:
            plan.class_values.append((name, cls))
            plan.unsure.add((cls.sdk, cls.name))
            plan.kept_classes.add(resolver.qualname(name, scope) or "")
            stay.add(name.value)
    # Clients this module takes from the rest of the project count as its own.
    place = resolver.place
    imported_clients = False
    if place is not None:
        for _, _, _, qualname in resolver.import_aliases:
            ref = place.client(qualname) or place.returns(qualname)
            if ref is None or ref.cls is None:
                continue
            imported_clients = True
            if ref.migrated:
                moves = True
            else:
                plan.unsure.add((ref.cls.sdk, ref.cls.name))
    if plan.source in plan.kept_sdks or any(kind == plan.source for kind, _ in plan.unsure):
        plan.names = "both" if moves else "keep"
    elif place is not None and not moves and not imported_clients:
        # No client of its own in view: its handlers may guard any of the project's.
        plan.names = place.names_policy(plan.source)
        plan.names_from_project = True
    # Target modules the module already imports names from, at its top level: names that
    # move there join that statement instead of starting a second one.
    target_modules = {
        qualname.rpartition(".")[0]
        for statement, scope, _, qualname in resolver.import_aliases
        if scope.kind == "module" and sdk.in_sdk(qualname, target) and not is_sdk_module(qualname)
    }
    source_module = sdk.SDK_MODULES[plan.source]
    exported = resolver.exported()
    importers = resolver.place.importers() if resolver.place is not None else {}
    for statement, scope, local, qualname in resolver.import_aliases:
        if statement is None:
            continue
        if is_sdk_module(qualname) and source_module.startswith(qualname):
            # ``import openai``, ``import cerebras.cloud.sdk``, ``from cerebras.cloud
            # import sdk``: removed at the end if nothing uses them any more.
            if local not in pinned:
                plan.module_imports.add((local, qualname))
            continue
        other = _other_meaning(scope, local, qualname)
        matters = sdk.counterpart(qualname, target) is not None or _is_client_class(qualname)
        if (
            other is not None
            and matters
            and (sdk.in_sdk(qualname, plan.source) or sdk.in_sdk(qualname, target))
        ):
            # Neither renamed nor resolved: a constructor of it is not migrated either.
            plan.ambiguous.append((statement, local, qualname, other))
            plan.actions.setdefault(id(statement), {})[local] = ImportAction("keep")
            continue
        if not sdk.in_sdk(qualname, plan.source):
            continue
        mapped = sdk.counterpart(qualname, target)
        # A star import of the module takes every public name when there is no __all__.
        starred = "*" in importers and not exported and not local.startswith("_")
        if (
            scope.kind == "module"
            and (local in exported or local in importers or starred)
            and mapped
            and _breaks_importers(local, qualname, mapped)
        ):
            if local in exported:
                by: tuple[str, ...] = ()
            else:
                by = tuple(
                    sorted(importers.get(local, set()) | (importers["*"] if starred else set()))
                )
            plan.exported.append((statement, local, by))
            plan.actions.setdefault(id(statement), {})[local] = ImportAction("keep")
            continue
        action = _action(ctx, plan, statement, scope, local, qualname, stay, target_modules)
        plan.actions.setdefault(id(statement), {})[local] = action
    return plan


def _breaks_importers(local: str, qualname: str, mapped: str) -> bool:
    """Whether moving the import of ``qualname`` (bound as ``local``) to ``mapped`` would
    break modules importing ``local`` from here: it would no longer be bound (``OpenAI``
    renamed ``Cerebras``), or it is a client class they build clients from with the old
    SDK's arguments. An exception or type keeping its name (``RateLimitError``) is then
    the counterpart there too, as the project's clients move."""
    name = qualname.rpartition(".")[2]
    return _is_client_class(qualname) or (local == name and mapped.rpartition(".")[2] != name)


def _other_meaning(scope: Scope, local: str, qualname: str) -> str | None:
    """What else ``local`` is bound to in ``scope`` by an import, a def or a class (then its
    uses cannot be told apart from the SDK name's), or None. Assignments do not count: the
    ``except ImportError: OpenAI = None`` fallback is not another meaning to migrate."""
    for binding in scope.bindings.get(local, ()):
        if binding.kind == "import" and binding.qualname != qualname:
            return str(binding.qualname)
        if binding.kind in ("def", "class"):
            return f"the {binding.kind} {local} of this module"
    return None


def _action(
    ctx: _Planner,
    plan: ImportPlan,
    statement: cst.SimpleStatementLine,
    scope: Scope,
    local: str,
    qualname: str,
    stay: set[str],
    target_modules: set[str],
) -> ImportAction:
    name = qualname.rpartition(".")[2]
    mapped = sdk.counterpart(qualname, ctx.target)
    if mapped is None:
        plan.no_counterpart.append((statement, qualname))
        return ImportAction("keep")
    if local in stay or plan.keeps(qualname):
        return ImportAction("keep")
    module, _, new_name = mapped.rpartition(".")
    if local != name or new_name == name:
        # ``from openai import X as Y``, or the same name in both SDKs: uses stay as they are.
        new_local = local
    elif _taken(ctx, plan, new_name, mapped):
        new_local = local  # the new name means something else here: import it as the old one
    else:
        new_local = new_name
        plan.renames[(local, qualname)] = new_name
        plan.rename_names.add(local)
    if _already_imported(ctx, statement, scope, new_local, mapped):
        plan.moved.add((local, qualname))
        return ImportAction("drop")  # ``from cerebras.cloud.sdk import Cerebras`` is there already
    plan.bindings.append((mapped, scope, new_local))
    plan.moved.add((local, qualname))
    if scope.kind == "module" and module in target_modules:
        alias = new_local if new_local != new_name else None
        plan.imports[mapped] = ImportSpec(module, new_name, alias)
        return ImportAction("drop")
    return ImportAction("move", module, _alias(new_name, new_local))


def _is_client_class(qualname: str) -> bool:
    module, _, name = qualname.rpartition(".")
    if module == sdk.OPENAI_MODULE:
        return name in sdk.OPENAI_CLIENTS or name in sdk.OPENAI_AZURE_CLIENTS
    return module in sdk.CEREBRAS_CLIENT_MODULES and name in sdk.CEREBRAS_CLIENTS


def _taken(ctx: _Planner, plan: ImportPlan, name: str, qualname: str) -> bool:
    """Whether ``name`` is bound to anything but ``qualname`` somewhere in the module, or
    planned for something else."""
    if ctx.hides(name):  # never an SDK import: those are never hidden
        return True
    for scope in ctx.resolver.scopes.values():
        for binding in scope.bindings.get(name, ()):
            if not (binding.kind == "import" and binding.qualname == qualname):
                return True
    return any(local == name for other, _, local in plan.bindings if other != qualname)


def _already_imported(
    ctx: _Planner, statement: cst.SimpleStatementLine, scope: Scope, local: str, qualname: str
) -> bool:
    """Whether another import statement of the same block already binds ``local`` to
    ``qualname``, so that ``statement`` would repeat it. One in another block (the other
    branch of ``if TYPE_CHECKING:``/``else``, a ``try``) does not count: dropping this one
    would leave its block without the name."""
    block = _block(scope)
    if not any(s is statement for s in block):
        return False
    return any(
        other is not statement
        and other_scope is scope
        and other_local == local
        and other_qualname == qualname
        and any(s is other for s in block)
        for other, other_scope, other_local, other_qualname in ctx.resolver.import_aliases
    )


def _block(scope: Scope) -> Sequence[cst.CSTNode]:
    """The statements directly in the module, class or function a scope is."""
    body = getattr(scope.node, "body", ())
    return body if isinstance(body, Sequence) else getattr(body, "body", ())


def _alias(name: str, local: str) -> cst.ImportAlias:
    asname = None if local == name else cst.AsName(name=cst.Name(local))
    return cst.ImportAlias(name=cst.parse_expression(name), asname=asname)  # type: ignore[arg-type]


class ModelPlan:
    """Which module-level model-id constants the migration maps.

    ``MODEL = "gpt-4o"`` is mapped when every use of ``MODEL`` in the module is the
    ``model=`` of a request on a client that moves (or a parameter default, which flows into
    one): a constant that also feeds a comparison, a price table, ``tiktoken`` or a client
    left alone keeps its id, and each such use is reported (CM302)."""

    def __init__(self) -> None:
        self.kept: set[str] = set()  # names of the constants left as they are
        self.other_uses: list[tuple[cst.Name, str, str]] = []  # (use, name, model id)
        # Constants kept for their reads in other modules: (value, name, model id, places).
        self.elsewhere: list[tuple[cst.CSTNode, str, str, str]] = []


def plan_models(
    resolver: Resolver,
    map_model: Callable[[str], str | None],
    moves: Callable[[object], bool],
    old_requests: frozenset[int] = frozenset(),
) -> ModelPlan:
    """The model plan of the module: ``map_model`` gives a literal's new id (None: it
    stays), ``moves`` tells whether a request (``RequestCall``) goes to a client that moves;
    ``old_requests`` are the calls of the openai 0.x API that move (their ids)."""
    from codemods.python.cst.edit import string_value

    plan = ModelPlan()
    constants: dict[str, str] = {}
    for name, bindings in resolver.module_scope.bindings.items():
        if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].node is not None:
            value = string_value(bindings[0].node)
            if value is not None and map_model(value) is not None:
                constants[name] = value
    if not constants:
        return plan
    fine: set[int] = set()  # uses that are the ``model=`` of a request that moves
    for call, scope in resolver.calls:
        for arg in call.args:
            value = arg.value
            if (
                arg.keyword is not None
                and arg.keyword.value == "model"
                and isinstance(value, cst.Name)
                and value.value in constants
            ):
                if id(call) in old_requests:
                    fine.add(id(value))
                    continue
                request = resolver.request(call, scope)
                if request is not None and moves(request):
                    fine.add(id(value))
    fine |= resolver.param_defaults
    for name, value in constants.items():
        for use in resolver.name_uses.get(name, ()):
            if id(use) not in fine:
                plan.kept.add(name)
                plan.other_uses.append((use, name, value))
    place = resolver.place
    if place is not None:
        # Other modules of the project may read the constant too: each read counts.
        for name, value in constants.items():
            flows = place.own_model_flows(name)
            if flows is None:
                continue
            module = place.module
            away = [o for o in flows.others if o != module and not o.startswith(module + ":")]
            if away and name not in plan.kept:
                plan.kept.add(name)
                node = resolver.module_scope.bindings[name][0].node
                assert node is not None
                plan.elsewhere.append((node, name, value, ", ".join(away)))
            elif not resolver.imports_sdk and not flows.fine:
                plan.kept.add(name)  # a module without the SDK: only what requests read
    return plan
