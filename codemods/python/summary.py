"""The records of the project index (codemods/python/index.py): what one expression is, and
what one module offers the others. Plain, picklable tuples: they are cached on disk
(migrator/cache.py) and sent to worker processes.

Written without ``from __future__ import annotations`` on purpose: ``typing.NamedTuple``
compiles every string annotation it is given, which cost more than the rest of a warm
one-file run's index; real types cost nothing.
"""

from typing import Literal, NamedTuple

Kind = Literal["new", "ref", "typed", "str", "or", "param"]


class Value(NamedTuple):
    """What an expression is, as far as one module shows.

    ``new``: a call of ``qualname`` (a client class or a factory), with what ``decide`` needs of
    its arguments (and, as ``text``, the module-level name it is assigned to when the module
    uses that name only for requests Cerebras does not serve); ``ref``: the name ``qualname``;
    ``typed``: something annotated with the class ``qualname``; ``str``: the string ``text``;
    ``or``: any of ``alternatives``; ``param``: the parameter ``text`` of the function
    ``qualname`` (what its callers pass)."""

    kind: Kind
    qualname: str = ""
    star_kwargs: bool = False
    has_url: bool = False
    url: str | None = None
    text: str | None = None
    alternatives: tuple["Value", ...] = ()
    line: int = 0


class Summary(NamedTuple):
    module: str  # its dotted name, as the project's imports spell it
    package: str  # what its relative imports start from
    names: dict[str, tuple[Value, ...]]  # module-level name -> what it may be bound to
    functions: dict[str, tuple[Value, ...]]  # "f" or "Class.method" -> what it returns
    attributes: dict[str, tuple[Value, ...]]  # "Class.attr" -> what ``self.attr`` holds
    exports: tuple[str, ...]  # ``__all__``
    imports: tuple[str, ...]  # every absolute qualified name it imports, in any scope
    imports_sdk: bool
    # Whether it makes calls shaped like requests (``x.chat.completions.create``): a module
    # that does is read even without an SDK import, so that none goes unreported.
    requests: bool
    # "f" or "Class.method" -> its positional parameters' names, ``self`` included.
    params: dict[str, tuple[str, ...]]
    # "f" or "Class.method" -> the classes its parameters are annotated with: one taking a
    # client is a wrapper (``instructor.patch(client)``), whose result is not a plain client.
    param_types: dict[str, tuple[Value, ...]]
    # Every call of a name of the project: (callee, the argument's position ("0", "1", ...,
    # a keyword's name, or "*" for ``*args``/``**kwargs``), what it passes (None: unknown)).
    calls: tuple[tuple[str, str, Value | None], ...]
    call_counts: dict[str, int]  # callee -> how many calls of it the module makes
    # Names of functions and classes used as values (passed, stored, subclassed): their
    # callers cannot all be seen, so nothing is inferred of their parameters.
    escapes: frozenset[str]
    # Module-level names (its own, or imported) given as ``model=`` of a call: (the name,
    # the receiver of the request, None when the call is not shaped like one, the line).
    model_args: tuple[tuple[str, Value | None, int], ...]
    # How many times each such name is read here, and how many of those reads are
    # parameter defaults (``def ask(model=config.MODEL)``, which flow into one).
    loads: dict[str, int]
    defaults: dict[str, int]
    # Dotted strings given to ``patch(...)``/``monkeypatch.setattr(...)``: names a test
    # replaces, which the migration may rename.
    patches: tuple[str, ...]


class ModelFlows(NamedTuple):
    """A model-id constant as the rest of the project uses it."""

    model: str  # its value
    fine: int  # reads that are the ``model=`` of a request that moves (or a default)
    others: tuple[str, ...]  # where else it is read: ``module:line`` or ``module``

    @property
    def only_requests(self) -> bool:
        return not self.others
