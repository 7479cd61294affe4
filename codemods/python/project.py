"""The whole project's clients, decided once: what each module offers, resolved across modules.

``Project`` holds the summaries of the project's modules (codemods/python/index.py) and
answers, for any absolute qualified name, what client it is (``client``) or what client a
call of it returns (``returns``), following imports, re-exports, factories and ``self.x``
attributes from module to module. A constructor is judged by the same ``decide`` as the
per-file resolver, so a client has one verdict wherever it is used. A name that leads out of
the project, or to something the index could not read, is unknown: None, never a guess.

``Place`` is the project as one module sees it (its own dotted name and package, for
relative imports): what the per-file rewrite is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from codemods.facts import sdk
from codemods.python.clients import ClientClass, ClientRef, classifier, client_class, decide
from codemods.python.index import absolute
from codemods.python.summary import ModelFlows, Summary, Value

NamesPolicy = Literal["rename", "keep", "both"]
_DEPTH = 24  # re-export chains longer than this are not followed


class Project:
    def __init__(
        self, summaries: Mapping[str, Summary], own_urls: frozenset[str] = frozenset()
    ) -> None:
        # Dotted name -> summary; one module may be known under several names (``src.app``
        # and ``app``): every name a file could be imported as.
        self.summaries = dict(summaries)
        self.own_urls = own_urls
        self.classify = classifier(own_urls)
        self._clients: dict[str, ClientRef | None] = {}
        self._returns: dict[str, ClientRef | None] = {}
        self._busy: set[tuple[str, str]] = set()
        self._imported: dict[str, dict[str, set[str]]] | None = None
        self._policies: dict[str, NamesPolicy] = {}
        self._params: dict[tuple[str, str], ClientRef | None] = {}
        self._sites: dict[str, list[tuple[str, Value | None]]] | None = None
        self._escapes: set[str] | None = None
        self._counts: dict[str, int] = {}
        self._flows: dict[str, tuple[int, list[str]]] | None = None
        self._model_modules: set[str] | None = None
        self._reached: set[str] | None = None
        self._callees: set[str] | None = None
        self._callee_names: dict[str, set[str]] | None = None

    def __reduce__(self) -> tuple[type[Project], tuple[dict[str, Summary], frozenset[str]]]:
        # Sent to worker processes as its summaries: the memo tables are rebuilt there.
        return Project, (self.summaries, self.own_urls)

    # Names ------------------------------------------------------------------------------
    def split(self, qualname: str) -> tuple[Summary, str] | None:
        """The module a qualified name is in, and the rest of it: ``app.llm.client`` ->
        (app.llm, ``client``). None for a module itself, or a name outside the project."""
        module, _, rest = qualname.rpartition(".")
        tail = [rest]
        while module:
            found = self.summaries.get(module)
            if found is not None:
                return found, ".".join(reversed(tail))
            module, _, last = module.rpartition(".")
            tail.append(last)
        return None

    def client(self, qualname: str) -> ClientRef | None:
        """The client ``qualname`` names (a module-level name, ``Class.attr``), if known."""
        if qualname not in self._clients:
            self._clients[qualname] = self._guarded("client", qualname, self._client)
        return self._clients[qualname]

    def returns(self, qualname: str) -> ClientRef | None:
        """The client a call of ``qualname`` (a function, a method) returns, if known."""
        if qualname not in self._returns:
            self._returns[qualname] = self._guarded("returns", qualname, self._returned)
        return self._returns[qualname]

    def _guarded(self, kind: str, qualname: str, find) -> ClientRef | None:  # type: ignore[no-untyped-def]
        key = (kind, qualname)
        if key in self._busy or len(self._busy) > _DEPTH:
            return None
        self._busy.add(key)
        try:
            result: ClientRef | None = find(qualname)
            return result
        finally:
            self._busy.discard(key)

    def _client(self, qualname: str) -> ClientRef | None:
        found = self.split(qualname)
        if found is None:
            return None
        summary, rest = found
        values = summary.names.get(rest) or summary.attributes.get(rest) or ()
        return self._any(values)

    def _returned(self, qualname: str) -> ClientRef | None:
        found = self.split(qualname)
        if found is None:
            return None
        summary, rest = found
        values = summary.functions.get(rest)
        if values is not None:
            # ``return client`` hands back what the caller passed, perhaps with its methods
            # patched (``instructor.patch(client)``): not followed. A function taking a
            # client is such a wrapper: only a client it builds itself counts.
            wrapper = any(
                client_class(v.qualname) is not None for v in summary.param_types.get(rest, ())
            )
            return self._any(
                tuple(
                    v
                    for v in values
                    if v.kind != "param"
                    and (not wrapper or (v.kind == "new" and client_class(v.qualname)))
                )
            )
        # ``from .llm import get_client`` re-exported: follow the name to the function.
        for value in summary.names.get(rest, ()):
            if value.kind == "ref":
                ref = self.returns(value.qualname)
                if ref is not None:
                    return ref
        return None

    def _any(self, values: tuple[Value, ...]) -> ClientRef | None:
        """The client of any of ``values``; one whose provider is known wins over a type."""
        found: ClientRef | None = None
        for value in values:
            ref = self.value(value)
            if ref is not None and (found is None or found.provider == "unknown"):
                found = ref
        return found

    def value(self, value: Value) -> ClientRef | None:
        if value.kind == "new":
            cls = client_class(value.qualname)
            if cls is not None:
                provider, _ = self.decision(value, cls)
                return ClientRef(cls, provider)
            return self.returns(value.qualname)
        if value.kind == "ref":
            return self.client(value.qualname)
        if value.kind == "typed":
            cls = client_class(value.qualname)
            return ClientRef(cls, "unknown") if cls is not None else None
        if value.kind == "param" and value.text is not None:
            return self.param(value.qualname, value.text)
        if value.kind == "or":
            found = [ref for ref in map(self.value, value.alternatives) if ref is not None]
            known = [ref for ref in found if ref.provider != "unknown"]
            if len({ref.migrated for ref in known}) > 1:
                return ClientRef(known[0].cls, "unattributed")
            return (known or found or [None])[0]
        return None

    def decision(self, value: Value, cls: ClientClass):  # type: ignore[no-untyped-def]
        # ``text``: the module-level name the constructor is assigned to, when its module
        # uses it only for endpoints Cerebras does not serve (codemods/python/index.py).
        return decide(
            cls,
            star_kwargs=value.star_kwargs,
            has_url=value.has_url,
            url=value.url,
            classify=self.classify,
            unserved_only=value.text is not None and not self.reached(value.text),
        )

    def reached(self, qualname: str) -> bool:
        """Whether the module-level name ``qualname`` (``app.llm.client``) can be used from
        outside its module: ``__all__`` lists it, another module imports it or reads it as
        an attribute (``llm.client``), patches it, or star-imports its module."""
        module, _, name = qualname.rpartition(".")
        summary = self.summaries.get(module)
        if summary is None or name in summary.exports:
            return True
        if self._reached is None:
            reached: set[str] = set()
            for other in self._unique():
                for used in (*other.imports, *other.loads, *other.patches):
                    found = self.split(used)
                    if found is not None and found[0].module != other.module:
                        reached.add(f"{found[0].module}.{found[1].split('.')[0]}")
            self._reached = reached
        return f"{summary.module}.{name}" in self._reached or f"{summary.module}.*" in self._reached

    # Parameters ---------------------------------------------------------------------------
    def param(self, function: str, name: str) -> ClientRef | None:
        """The client every caller in the project passes as parameter ``name`` of
        ``function`` (``app.llm.ask``, ``app.svc.Service.__init__``); None when there is no
        caller, one passes something else or nothing, or the function is used as a value
        (passed, stored: its callers cannot all be seen)."""
        key = (function, name)
        if key not in self._params:
            self._params[key] = self._guarded("param", f"{function}:{name}", self._param)
        return self._params[key]

    def _param(self, key: str) -> ClientRef | None:
        function, _, name = key.rpartition(":")
        found = self.split(function)
        if found is None:
            return None
        summary, rest = found
        positional = summary.params.get(rest)
        if positional is None:
            return None
        owner, _, method = rest.rpartition(".")
        callee, offset = f"{summary.module}.{rest}", 0
        if method == "__init__" and owner:
            callee, offset = f"{summary.module}.{owner}", 1  # ``Service(client)``
        elif owner:
            return None  # ``obj.method(x)``: callers through instances are not seen
        if callee in self._escaped():
            return None
        sites = self._call_sites().get(callee, [])
        if not sites or any(where == "*" for where, _ in sites):
            return None
        position = str(positional.index(name) - offset) if name in positional else None
        # Each call passes the parameter at most once, by position or by keyword: fewer
        # passing arguments than calls means some call leaves it to its default.
        passing = [value for where, value in sites if where in (position, name)]
        if not passing or len(passing) < self._calls_of(callee):
            return None
        refs: list[ClientRef] = []
        for value in passing:
            ref = self.value(value) if value is not None else None
            if ref is None:
                return None
            refs.append(ref)
        if len({ref.migrated for ref in refs}) > 1:
            return ClientRef(refs[0].cls, "unattributed")
        return next((ref for ref in refs if ref.provider != "unknown"), refs[0])

    def client_callees(self) -> set[str]:
        """The functions and classes (``app.embed.embed``, ``app.svc.Service``) that some
        call in the project passes a client to, as the calls name them and as defined: their
        parameters may be traced to it (``param``), wherever they are."""
        if self._callees is None:
            found: set[str] = set()
            for summary in self._unique():
                for callee, _, value in summary.calls:
                    if value is not None and self.value(value) is not None:
                        found.update((callee, self.canonical(callee)))
            self._callees = found
        return self._callees

    def canonical(self, qualname: str) -> str:
        """Where a name is defined: ``app.ask`` re-exported from ``app.llm`` is ``app.llm.ask``."""
        for _ in range(_DEPTH):
            found = self.split(qualname)
            if found is None:
                return qualname
            summary, rest = found
            values = summary.names.get(rest, ())
            if len(values) != 1 or values[0].kind != "ref":
                return f"{summary.module}.{rest}"
            qualname = values[0].qualname
        return qualname

    def _call_sites(self) -> dict[str, list[tuple[str, Value | None]]]:
        if self._sites is None:
            sites: dict[str, list[tuple[str, Value | None]]] = {}
            counts: dict[str, int] = {}
            for summary in self._unique():
                for callee, where, value in summary.calls:
                    sites.setdefault(self.canonical(callee), []).append((where, value))
                for callee, count in summary.call_counts.items():
                    name = self.canonical(callee)
                    counts[name] = counts.get(name, 0) + count
            self._sites, self._counts = sites, counts
        return self._sites

    def _calls_of(self, callee: str) -> int:
        self._call_sites()
        return self._counts.get(callee, 0)

    def _escaped(self) -> set[str]:
        if self._escapes is None:
            self._escapes = {
                self.canonical(name) for summary in self._unique() for name in summary.escapes
            }
        return self._escapes

    def _unique(self) -> list[Summary]:
        return list({id(s): s for s in self.summaries.values()}.values())

    def patched(self, target: str) -> str | None:
        """The SDK name a patch target (``app.llm.OpenAI``) replaces, following the
        project's imports and re-exports; None when it is no SDK name."""
        found = self.canonical(target)
        return found if found.split(".")[0] in sdk.SDK_ROOTS else None

    def moves(self, qualname: str, module: str | None = None) -> bool:
        """Whether the SDK class ``qualname`` keeps no client on its old SDK in ``module``
        (its import there is switched), or, without a module, whether some client of it
        in the project moves (its uses move with it)."""
        cls = client_class(qualname)
        if module is None:
            if cls is None:  # an exception or type: it follows the project's clients
                return self.names_policy(qualname.split(".")[0]) != "keep"
            return any(c == cls and moves for c, moves in self.constructors())
        summary = self.summaries.get(module)
        if summary is None or cls is None:
            return True
        return not any(c == cls and not moves for c, moves in self._module_constructors(summary))

    # Model constants ----------------------------------------------------------------------
    def model_flows(self, qualname: str) -> ModelFlows | None:
        """Where the module-level string constant ``qualname`` (``app.config.MODEL``) flows
        in the other modules of the project; None when it is no such constant."""
        found = self.split(self.canonical(qualname))
        if found is None:
            return None
        summary, name = found
        values = summary.names.get(name, ())
        if len(values) != 1 or values[0].kind != "str" or values[0].text is None:
            return None
        if self._flows is None:
            self._flows = self._all_flows()
        fine, others = self._flows.get(f"{summary.module}.{name}", (0, []))
        return ModelFlows(values[0].text, fine, tuple(others))

    def _all_flows(self) -> dict[str, tuple[int, list[str]]]:
        """Constant -> (reads that are the ``model=`` of a request on a client that moves,
        or parameter defaults; the other places it is read, as ``module:line`` or
        ``module``)."""
        flows: dict[str, tuple[int, list[str]]] = {}
        for summary in self._unique():
            fine_here: dict[str, int] = {}
            for qualname, receiver, line in summary.model_args:
                name = self.canonical(qualname)
                client = self.value(receiver) if receiver is not None else None
                if client is not None and client.migrated and client.sdk != "azure":
                    fine_here[name] = fine_here.get(name, 0) + 1
                else:
                    flows.setdefault(name, (0, []))[1].append(f"{summary.module}:{line}")
            for qualname, count in summary.defaults.items():
                name = self.canonical(qualname)
                fine_here[name] = fine_here.get(name, 0) + count
            for qualname, count in summary.loads.items():
                name = self.canonical(qualname)
                fine = fine_here.get(name, 0)
                total, others = flows.setdefault(name, (0, []))
                flows[name] = (total + min(fine, count), others)
                if count > fine and not any(o.startswith(summary.module + ":") for o in others):
                    others.append(summary.module)
        return flows

    # The whole project ------------------------------------------------------------------
    def constructors(self) -> Iterator[tuple[ClientClass, bool]]:
        """Every client constructor the index saw, with whether it migrates."""
        for summary in self._unique():
            yield from self._module_constructors(summary)

    def _module_constructors(self, summary: Summary) -> Iterator[tuple[ClientClass, bool]]:
        for group in (summary.names, summary.functions, summary.attributes):
            for values in group.values():
                yield from self._constructors(values)

    def _constructors(self, values: tuple[Value, ...]) -> Iterator[tuple[ClientClass, bool]]:
        for value in values:
            if value.kind == "or":
                yield from self._constructors(value.alternatives)
            elif value.kind == "new":
                cls = client_class(value.qualname)
                if cls is not None:
                    yield cls, self.decision(value, cls).left_alone is None

    def names_policy(self, source: str) -> NamesPolicy:
        """What a module that shows no client of its own does with the exception and type
        names of ``source``: "rename" when every client of that SDK the project makes
        moves, "keep" when none does, "both" when some do (its handlers may guard either)."""
        if source not in self._policies:
            outcomes = {moves for cls, moves in self.constructors() if cls.sdk == source}
            policy: NamesPolicy = "rename"
            if outcomes == {False}:
                policy = "keep"
            elif outcomes == {True, False}:
                policy = "both"
            self._policies[source] = policy
        return self._policies[source]

    def importers(self, module: str) -> dict[str, set[str]]:
        """The names of ``module`` that other modules of the project import or read as its
        attributes (``import pkg`` then ``pkg.OpenAI()``), and which; ``*`` for a star
        import of it."""
        if self._imported is None:
            imported: dict[str, dict[str, set[str]]] = {}
            for summary in self._unique():
                for qualname in (*summary.imports, *summary.loads):
                    found = self.split(qualname)
                    if found is not None and found[0].module != summary.module:
                        names = imported.setdefault(found[0].module, {})
                        names.setdefault(found[1].split(".")[0], set()).add(summary.module)
            self._imported = imported
        return self._imported.get(module, {})

    def offers_clients(self, summary: Summary) -> bool:
        """Whether any name, function or attribute of ``summary`` is (or returns) a client."""
        module = summary.module
        return (
            any(self.client(f"{module}.{name}") for name in summary.names)
            or any(self.returns(f"{module}.{name}") for name in summary.functions)
            or any(self.client(f"{module}.{name}") for name in summary.attributes)
        )

    def place(self, module: str) -> Place | None:
        summary = self.summaries.get(module)
        if summary is None:
            return None
        return Place(
            self,
            summary.module,
            summary.package,
            self.client_names(summary),
            summary.requests,
            summary.module in self.model_modules(),
            any(self.patched(target) for target in summary.patches),
            frozenset(self.takes_clients(summary)),
        )

    def takes_clients(self, summary: Summary) -> set[str]:
        """The module-level functions and classes of ``summary`` that some call of the
        project passes a client to (``embed``, ``Service``)."""
        if self._callee_names is None:
            names: dict[str, set[str]] = {}
            for callee in self.client_callees():
                found = self.split(callee)
                if found is not None:
                    names.setdefault(found[0].module, set()).add(found[1].split(".")[0])
            self._callee_names = names
        return self._callee_names.get(summary.module, set())

    def model_modules(self) -> set[str]:
        """The modules whose constants other modules give as ``model=``."""
        if self._model_modules is None:
            found = set()
            for summary in self._unique():
                for qualname, _, _ in summary.model_args:
                    where = self.split(self.canonical(qualname))
                    if where is not None and where[0].module != summary.module:
                        found.add(where[0].module)
            self._model_modules = found
        return self._model_modules

    def client_names(self, summary: Summary) -> frozenset[str]:
        """The names under which ``summary`` imports clients (or functions returning one)
        from other modules of the project: empty when it uses none."""
        names: set[str] = set()
        for qualname in summary.imports:
            if self._offers(qualname):
                names.add(qualname.rpartition(".")[2])
                names.add(qualname.split(".")[0])  # ``import app.llm``: ``app.llm.client``
        for local, values in summary.names.items():
            for value in values:
                if (
                    value.kind == "ref"
                    and value.qualname in summary.imports
                    and self._offers(value.qualname)
                ):
                    names.add(local)
        return frozenset(names)

    def _offers(self, qualname: str) -> bool:
        """Whether an imported name is a client, a factory, or a module offering one."""
        if self.client(qualname) is not None or self.returns(qualname) is not None:
            return True
        module = self.summaries.get(qualname)
        return module is not None and self.offers_clients(module)


@dataclass
class Place:
    """The project as the module ``module`` (in package ``package``) sees it."""

    project: Project
    module: str
    package: str
    # The local names of clients (or client factories) it imports from other modules:
    # a module with none and no SDK import has nothing to migrate.
    client_names: frozenset[str] = frozenset()
    # Whether it makes calls shaped like requests: in a project that uses an SDK, each one
    # whose client cannot be traced is reported, SDK import or not.
    requests: bool = False

    # Whether another module gives one of its constants as ``model=``: it may be mapped here.
    models: bool = False
    # Whether it patches an SDK name (``mock.patch("app.llm.OpenAI")``): each is checked.
    patches: bool = False
    # Its functions and classes some call passes a client to (``embed(client, text)``):
    # the requests made on those parameters are checked.
    takes_clients: frozenset[str] = frozenset()

    @property
    def relevant(self) -> bool:
        """Whether the module has anything to migrate or report without an SDK import."""
        return (
            bool(self.client_names)
            or self.requests
            or self.models
            or self.patches
            or bool(self.takes_clients)
        )

    def absolute(self, qualname: str) -> str:
        """A qualified name as the resolver records it (``.llm.client`` for a relative
        import), made absolute."""
        if not qualname.startswith("."):
            return qualname
        stripped = qualname.lstrip(".")
        return absolute(self.package, len(qualname) - len(stripped), stripped)

    def client(self, qualname: str) -> ClientRef | None:
        if sdk.in_sdk(qualname, "openai") or sdk.in_sdk(qualname, "cerebras"):
            return None
        return self.project.client(self.absolute(qualname))

    def returns(self, qualname: str) -> ClientRef | None:
        if sdk.in_sdk(qualname, "openai") or sdk.in_sdk(qualname, "cerebras"):
            return None
        return self.project.returns(self.absolute(qualname))

    def param(self, function: str, name: str) -> ClientRef | None:
        """What every caller passes as ``name`` of this module's ``function`` (``f`` or
        ``Class.method``)."""
        return self.project.param(f"{self.module}.{function}", name)

    def reached(self, name: str) -> bool:
        """Whether this module's module-level ``name`` is used by other modules."""
        return self.project.reached(f"{self.module}.{name}")

    def names_policy(self, source: str) -> NamesPolicy:
        return self.project.names_policy(source)

    def patched(self, target: str) -> str | None:
        return self.project.patched(target)

    def moves(self, qualname: str, module: str | None = None) -> bool:
        return self.project.moves(qualname, module)

    def model_flows(self, qualname: str) -> ModelFlows | None:
        """Where the constant ``qualname`` (as the resolver records an import) flows."""
        return self.project.model_flows(self.absolute(qualname))

    def own_model_flows(self, name: str) -> ModelFlows | None:
        """Where this module's constant ``name`` flows, here and in the rest of the project."""
        return self.project.model_flows(f"{self.module}.{name}")

    def importers(self) -> dict[str, set[str]]:
        """The names of this module that other modules import (they must keep working),
        with the modules that import each."""
        return self.project.importers(self.module)
