"""What one module offers the rest of the project, read with CPython's ``ast``: the index.

The per-file rewrite sees one module; a program is many. ``summarize`` reads a module (ten
times cheaper than libcst) and writes down, in absolute qualified names, what other modules
can reach of it: module-level names and what they are bound to (a constructor call, another
name, a call of a function, an annotation, a string), what each top-level function and
method returns (or is annotated to return), what each class keeps in ``self.x``, its
``__all__``, and every name it imports. A value is only described, never judged: whether
``openai.OpenAI(base_url=...)`` is a client that moves is decided by
codemods/python/project.py from these facts, with the same ``decide`` the resolver uses.

A name the module cannot tell (a parameter without annotation, a computed value) is left
out: the project then does not know it, and never guesses.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator

from codemods.facts import sdk
from codemods.python.bindings import children, own_nodes
from codemods.python.summary import Summary, Value


def absolute(package: str, level: int, name: str) -> str:
    """``from ..x import y`` in package ``a.b`` (level 2, name ``x.y``) -> ``a.x.y``."""
    if not level:
        return name
    base = package
    for _ in range(level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{name}" if base and name else (base or name)


_TYPE_WRAPPERS = frozenset(
    f"{prefix}{name}" for prefix in ("", "typing.", "t.") for name in ("Optional", "Union")
)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class _Env:
    """The names one scope binds: imports (to a qualified name), values, annotations."""

    def __init__(self, parent: _Env | None = None) -> None:
        self.parent = parent
        self.imports: dict[str, set[str]] = {}
        self.values: dict[str, list[ast.expr]] = {}
        self.typed: dict[str, list[ast.expr]] = {}
        self.defined: set[str] = set()  # defs, classes, and names bound to what we cannot read
        self.self_name: str | None = None  # in a method: the first parameter
        self.owner: str | None = None  # in a method: the class's qualified name
        self.params: dict[str, str] = {}  # unannotated parameter -> its function's qualname

    def binds(self, name: str) -> bool:
        return (
            name in self.imports
            or name in self.values
            or name in self.typed
            or name in self.defined
            or name in self.params
        )


class _Summarizer:
    def __init__(self, module: str, package: str) -> None:
        self.module = module
        self.package = package
        self.top = _Env()
        self.imports: list[str] = []
        self.imports_sdk = False
        self.call_envs: dict[int, _Env] = {}  # a call inside a function -> its scope
        self.params: dict[str, tuple[str, ...]] = {}
        self.param_types: dict[str, tuple[Value, ...]] = {}
        # ``_local``'s memo, and what each local's own bindings say, by (scope, name).
        # Keyed by the scope itself, not its id: a function's scope may be gone once it is
        # read, and a later one given the same id would find its answers.
        self._known: dict[tuple[_Env, str], Value | None] = {}
        self._own: dict[tuple[_Env, str], tuple[list[Value], list[str]]] = {}

    # Bindings -----------------------------------------------------------------------------
    def bind_statements(self, env: _Env, body: Iterable[ast.stmt]) -> None:
        """Record what ``body`` binds in ``env``, entering blocks but no def or class."""
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    self._imported(alias.name)
                    if alias.asname:
                        env.imports.setdefault(alias.asname, set()).add(alias.name)
                    else:
                        env.imports.setdefault(top, set()).add(top)
            elif isinstance(node, ast.ImportFrom):
                base = absolute(self.package, node.level, node.module or "")
                if not node.level and (node.module or "").split(".")[0] in sdk.SDK_ROOTS:
                    self.imports_sdk = True
                for alias in node.names:
                    if alias.name == "*":
                        # Every module-level name of ``base`` may be used here, unseen.
                        self._imported(f"{base}.*", sdk_checked=True)
                        continue
                    qualname = f"{base}.{alias.name}" if base else alias.name
                    self._imported(qualname, sdk_checked=True)
                    env.imports.setdefault(alias.asname or alias.name, set()).add(qualname)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self._target(env, target, node.value)
            elif isinstance(node, ast.AnnAssign):
                if isinstance(node.target, ast.Name):
                    env.typed.setdefault(node.target.id, []).append(node.annotation)
                    if node.value is not None:
                        env.values.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, (*_DEFS, ast.ClassDef)):
                env.defined.add(node.name)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self._target(env, node.target, None)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._target(env, item.optional_vars, None)
            elif isinstance(node, ast.AugAssign):
                self._target(env, node.target, None)
            for block in _blocks(node):
                self.bind_statements(env, block)

    def _imported(self, qualname: str, sdk_checked: bool = False) -> None:
        self.imports.append(qualname)
        if not sdk_checked and qualname.split(".")[0] in sdk.SDK_ROOTS:
            self.imports_sdk = True

    def _target(self, env: _Env, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            if value is None:
                env.defined.add(target.id)
            else:
                env.values.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(env, element, None)
        elif isinstance(target, ast.Starred):
            self._target(env, target.value, None)

    # Names --------------------------------------------------------------------------------
    def qualname(self, node: ast.expr, env: _Env) -> str | None:
        """The absolute qualified name ``node`` spells, through the imports in view, as the
        resolver reads names: one import binding and no local definition, or a module-level
        name of this module."""
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and env.self_name == node.value.id:
                return f"{env.owner}.{node.attr}"
            base = self.qualname(node.value, env)
            return f"{base}.{node.attr}" if base else None
        if not isinstance(node, ast.Name):
            return None
        current: _Env | None = env
        while current is not None:
            if current.binds(node.id):
                imports = current.imports.get(node.id, set())
                others = (
                    node.id in current.defined
                    or node.id in current.values
                    or node.id in current.typed
                )
                if current is self.top and not imports:
                    return f"{self.module}.{node.id}"
                if len(imports) == 1 and not (others and current is not self.top):
                    return next(iter(imports))
                return None
            current = current.parent
        return None

    def value(
        self, node: ast.expr, env: _Env, depth: int = 0, reads: list[str] | None = None
    ) -> Value | None:
        """What ``node`` is; a local name in it is added to ``reads`` instead, when given."""
        if depth > 8:
            return None
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in sdk.CLIENT_WRAPPER_CALLS:
                return self.value(func.value, env, depth + 1, reads)
            qualname = self.qualname(func, env)
            if qualname is None:
                return None
            url_keyword = next((k for k in node.keywords if k.arg == "base_url"), None)
            url = None
            if url_keyword is not None and isinstance(url_keyword.value, ast.Constant):
                url = url_keyword.value.value if isinstance(url_keyword.value.value, str) else None
            return Value(
                "new",
                qualname,
                star_kwargs=any(k.arg is None for k in node.keywords),
                has_url=url_keyword is not None,
                url=url,
                line=line,
            )
        if isinstance(node, ast.Name) and env is not self.top and _local(env, node.id):
            if reads is not None:
                reads.append(node.id)
                return None
            return self._local(node.id, env, depth)
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualname = self.qualname(node, env)
            return Value("ref", qualname, line=line) if qualname else None
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            return _either(self.value(v, env, depth + 1, reads) for v in node.values)
        if isinstance(node, ast.IfExp):
            return _either(self.value(v, env, depth + 1, reads) for v in (node.body, node.orelse))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return Value("str", text=node.value, line=line)
        return None

    def _local(self, name: str, env: _Env, depth: int) -> Value | None:
        """A name bound in a function: its annotation, or what it is assigned.

        What a local may be is every value reachable from it through the locals its
        assignments read: ``a = b or x`` and ``b = a or y`` both may be ``x`` or ``y``. So it
        is read as a walk over that graph, each name's own assignments read once, rather
        than by recursion: a long function rebinding names from each other (litellm's
        ``completion``: ``api_base = api_base or litellm.api_base or ...``, dozens of times)
        made the recursion exponential."""
        key = (env, name)
        if key in self._known:
            return self._known[key]
        found: list[Value] = []
        seen = {name}
        queue = deque([name])
        while queue:
            leaves, reads = self._own_values(queue.popleft(), env)
            found.extend(leaves)
            for other in reads:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        result = self._known[key] = _either(found)
        return result

    def _own_values(self, name: str, env: _Env) -> tuple[list[Value], list[str]]:
        """What the local ``name``'s own bindings say it is, and the locals they read."""
        key = (env, name)
        if key in self._own:
            return self._own[key]
        leaves: list[Value] = []
        reads: list[str] = []
        if name in env.params:
            leaves.append(Value("param", env.params[name], text=name))
        for annotation in env.typed.get(name, ()):
            leaves.extend(self.typed(annotation, env.parent or self.top))
        for value in env.values.get(name, ()):
            found = self.value(value, env, reads=reads)
            if found is not None:
                leaves.append(found)
        imports = env.imports.get(name, set())
        if len(imports) == 1:
            leaves.append(Value("ref", next(iter(imports))))
        self._own[key] = leaves, reads
        return leaves, reads

    def typed(self, annotation: ast.expr, env: _Env) -> Iterator[Value]:
        """``typed`` values for the classes an annotation names: ``X``, ``X | None``,
        ``Optional[X]``, ``Union[X, Y]``, ``"X"``."""
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            yield from self.typed(annotation.left, env)
            yield from self.typed(annotation.right, env)
        elif isinstance(annotation, ast.Subscript) and _dotted(annotation.value) in _TYPE_WRAPPERS:
            inner = annotation.slice
            for element in inner.elts if isinstance(inner, ast.Tuple) else [inner]:
                yield from self.typed(element, env)
        elif isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return
            yield from self.typed(parsed, env)
        else:
            qualname = self.qualname(annotation, env)
            if qualname is not None:
                yield Value("typed", qualname, line=getattr(annotation, "lineno", 0))

    # Definitions --------------------------------------------------------------------------
    def function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, outer: _Env, owner: str | None
    ) -> tuple[tuple[Value, ...], dict[str, list[Value]]]:
        """What a function returns, and (for a method) what it stores in ``self.x``."""
        env = _Env(outer if outer is self.top else self.top)
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        is_static = any(_dotted(d) == "staticmethod" for d in node.decorator_list)
        key = f"{owner.rpartition('.')[2]}.{node.name}" if owner else node.name
        self.params[key] = tuple(arg.arg for arg in positional)
        types = [
            value
            for arg in (*positional, *arguments.kwonlyargs)
            if arg.annotation is not None
            for value in self.typed(arg.annotation, self.top)
        ]
        if types:
            self.param_types[key] = tuple(types)
        qualname = f"{self.module}.{key}"
        if owner is not None and positional and not is_static:
            env.self_name = positional[0].arg
            env.owner = owner
        own_params = {arg.arg for arg in (*positional, *arguments.kwonlyargs)}
        for arg in (*positional, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg):
            if arg is None:
                continue
            if arg.annotation is not None:
                env.typed.setdefault(arg.arg, []).append(arg.annotation)
            elif arg in (arguments.vararg, arguments.kwarg) or arg.arg == env.self_name:
                env.defined.add(arg.arg)
            else:
                env.params[arg.arg] = qualname
        self.bind_statements(env, node.body)
        returns: list[Value] = []
        stored: dict[str, list[Value]] = {}
        for inner in own_nodes(node):
            if isinstance(inner, ast.Call):
                self.call_envs[id(inner)] = env
            if isinstance(inner, ast.Return) and inner.value is not None:
                value = inner.value
                if (
                    isinstance(value, ast.Name)
                    and value.id in own_params
                    and value.id not in env.values
                ):
                    # Its own parameter, as passed: a wrapper may have patched it.
                    returns.append(Value("param", qualname, text=value.id))
                    continue
                found = self.value(value, env)
                if found is not None:
                    returns.append(found)
            elif isinstance(inner, (ast.Assign, ast.AnnAssign)) and env.self_name:
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == env.self_name
                    ):
                        if isinstance(inner, ast.AnnAssign):
                            stored.setdefault(target.attr, []).extend(
                                self.typed(inner.annotation, self.top)
                            )
                        if inner.value is not None:
                            found = self.value(inner.value, env)
                            if found is not None:
                                stored.setdefault(target.attr, []).append(found)
            elif isinstance(inner, (ast.Import, ast.ImportFrom)):
                pass  # bound above, with the rest of the body
        if node.returns is not None:
            returns.extend(self.typed(node.returns, self.top))
        return tuple(returns), stored


def _local(env: _Env, name: str) -> bool:
    return name in env.values or name in env.typed or name in env.imports or name in env.params


def _either(values: Iterable[Value | None]) -> Value | None:
    # Flat and without repeats: a name assigned from itself many times stays one level.
    found: dict[Value, None] = {}
    for value in values:
        if value is None:
            continue
        for one in value.alternatives if value.kind == "or" else (value,):
            found[one] = None
    if not found:
        return None
    alternatives = tuple(found)
    return alternatives[0] if len(alternatives) == 1 else Value("or", alternatives=alternatives)


def _blocks(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement blocks directly inside a compound statement that is not a scope."""
    if isinstance(node, (*_DEFS, ast.ClassDef)):
        return
    for name in ("body", "orelse", "finalbody"):
        block = getattr(node, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(node, "handlers", ()):
        yield handler.body
    for case in getattr(node, "cases", ()):
        yield case.body


def _exports(body: Iterable[ast.stmt]) -> tuple[str, ...]:
    """What the top-level statements put in ``__all__``, as resolve.listed_in_all reads
    them: assigned, added with ``+=``, ``.extend`` or ``.append``, in ``if``/``try`` too."""
    names: list[str] = []
    for node in body:
        value: ast.expr | None = None
        if (isinstance(node, ast.Assign) and any(_is_all(t) for t in node.targets)) or (
            isinstance(node, (ast.AnnAssign, ast.AugAssign)) and _is_all(node.target)
        ):
            value = node.value
        elif (
            isinstance(node, ast.Expr)
            and isinstance(call := node.value, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and _is_all(call.func.value)
            and call.func.attr in ("append", "extend")
            and call.args
        ):
            value = call.args[0]
            if call.func.attr == "append":
                value = ast.List([value])
        elif isinstance(node, _BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                names.extend(_exports(getattr(node, block, ())))
            for handler in getattr(node, "handlers", ()):
                names.extend(_exports(handler.body))
        names.extend(_listed(value))
    return tuple(names)


def module_tree(text: str) -> ast.Module | None:
    """The tree ``summarize`` reads of ``text``, or None when it does not parse (the
    per-file pass reports it). A big text (codemods/python/statements.py) is read in its
    focused form, whose holes stand for the top-level functions and classes that name
    neither SDK, nor anything imported from outside the standard library, nor a resource
    a request is made on (``x.embeddings.create``: ``x`` may be a client passed in,
    whose requests the summary lists): a whole tree of
    50 MB would cost 8 GB. Too big even so (``statements.MAX_WHOLE``): None, and the
    per-file pass reports it."""
    from codemods.python import statements

    if statements.is_big(text):
        from codemods.python.focus import focus_big

        focused = focus_big(text, _reads_nothing, _RESOURCES, imported=True)
        if isinstance(focused, statements.Rejected):
            return None
        if focused is not None:
            text = focused.text
    if len(text) > statements.MAX_WHOLE:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


_RESOURCES = frozenset(
    {path[0] for path in sdk.REQUEST_METHODS} | sdk.UNSERVED_RESOURCES | {"models"}
)


def _reads_nothing(_: str) -> bool:
    return False


_BLOCKS = (ast.If, ast.Try, getattr(ast, "TryStar", ast.Try), ast.With)  # TryStar: 3.11+


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _listed(value: ast.expr | None) -> list[str]:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return [*_listed(value.left), *_listed(value.right)]
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return [
            e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def summarize(tree: ast.Module, module: str, package: str) -> Summary:
    """The summary of ``tree``, the module ``module`` of package ``package`` (itself, for an
    ``__init__.py``; the one above, for any other file)."""
    state = _Summarizer(module, package)
    top = state.top
    state.bind_statements(top, tree.body)
    names: dict[str, tuple[Value, ...]] = {}
    for name in {*top.values, *top.typed, *top.imports}:
        found: list[Value] = []
        for annotation in top.typed.get(name, ()):
            found.extend(state.typed(annotation, top))
        for value in top.values.get(name, ()):
            described = state.value(value, top)
            if described is not None:
                found.append(described)
        for qualname in top.imports.get(name, ()):
            found.append(Value("ref", qualname))
        if found:
            names[name] = tuple(found)
    functions: dict[str, tuple[Value, ...]] = {}
    attributes: dict[str, list[Value]] = {}
    for node in _module_level(tree.body):
        if isinstance(node, _DEFS):
            returns, _ = state.function(node, top, None)
            if returns:
                functions[node.name] = returns
        elif isinstance(node, ast.ClassDef):
            owner = f"{module}.{node.name}"
            for item in node.body:
                if isinstance(item, _DEFS):
                    returns, stored = state.function(item, top, owner)
                    if returns:
                        functions[f"{node.name}.{item.name}"] = returns
                    for attr, values in stored.items():
                        attributes.setdefault(f"{node.name}.{attr}", []).extend(values)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    key = f"{node.name}.{item.target.id}"
                    attributes.setdefault(key, []).extend(state.typed(item.annotation, top))
    flows = _Flows(state, _client_assignments(tree, state))
    flows.walk(tree)
    for name in _unserved_only(tree, flows.unserved):
        # The Project judges it (a client that stays on OpenAI, unless other modules use it).
        names[name] = tuple(
            v._replace(text=f"{module}.{name}") if v.kind == "new" else v for v in names[name]
        )
    return Summary(
        module,
        package,
        names,
        functions,
        {key: tuple(values) for key, values in attributes.items()},
        _exports(tree.body),
        tuple(dict.fromkeys(state.imports)),
        state.imports_sdk,
        flows.requests,
        state.params,
        state.param_types,
        tuple(flows.calls),
        flows.counts,
        frozenset(flows.escapes),
        tuple(flows.model_args),
        flows.loads,
        flows.defaults,
        tuple(flows.patches),
    )


class _Flows:
    """One walk of the whole module for what flows between modules: calls of the project's
    names with what they pass, names used other than by being called, where module-level
    names are read (``model=`` of a request, parameter defaults, anything), patch targets,
    lazy imports, and whether any call is shaped like a request. (One walk: walking a
    module's tree is most of what a summary costs.)"""

    def __init__(self, state: _Summarizer, candidates: frozenset[str] = frozenset()) -> None:
        self.state = state
        top = state.top
        # Module-level names assigned an SDK call once (``client = OpenAI()``), and the
        # unserved resources of the requests made on each (``client.embeddings.create``).
        self.candidates = candidates
        self.unserved: dict[str, list[str]] = {}
        # Imported names, and the module's own constants: its own reads count as much.
        self.readable = set(top.imports) | {n for n in top.values if n not in top.imports}
        self.calls: list[tuple[str, str, Value | None]] = []
        self.counts: dict[str, int] = {}
        self.escapes: set[str] = set()
        self.patches: list[str] = []
        self.model_args: list[tuple[str, Value | None, int]] = []
        self.loads: dict[str, int] = {}
        self.defaults: dict[str, int] = {}
        self.requests = False
        self._called: set[int] = set()  # ``func`` of a call: not a value use
        self._read: set[int] = set()  # inner parts of an ``a.b.c`` read already counted

    def read_name(self, node: ast.expr) -> str | None:
        """The qualified name a read of a module-level (or imported) name is of."""
        base = node
        while isinstance(base, ast.Attribute):
            base = base.value
        if not isinstance(base, ast.Name) or base.id not in self.readable:
            return None
        qualname = self.state.qualname(node, self.state.top)
        if qualname is None or qualname.split(".")[0] in sdk.SDK_ROOTS:
            return None
        return qualname

    def walk(self, tree: ast.Module) -> None:
        # Parents come before children (a stack), and each node carries whether it is
        # inside a def, class or lambda: a call outside all of them is at module level.
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]
        scopes = (*_DEFS, ast.ClassDef, ast.Lambda)
        while stack:
            node, inside = stack.pop()
            if isinstance(node, ast.Call):
                self.call(node, inside)
            elif isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.name(node)
            elif isinstance(node, ast.Attribute):
                if isinstance(node.ctx, ast.Load) and id(node) not in self._read:
                    self.attribute(node)
            elif isinstance(node, ast.arguments):
                for default in (*node.defaults, *node.kw_defaults):
                    qualname = self.read_name(default) if default is not None else None
                    if qualname is not None:
                        self.defaults[qualname] = self.defaults.get(qualname, 0) + 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                if inside:  # lazy: they count for the SDK check and the project's imports
                    self.state.bind_statements(_Env(), [node])
            elif isinstance(node, ast.ClassDef):
                for base in node.bases:
                    qualname = self.state.qualname(base, self.state.top)
                    if qualname is not None:
                        self.escapes.add(qualname)
            inner = inside or isinstance(node, scopes)
            stack.extend([(child, inner) for child in children(node)])

    def name(self, node: ast.Name) -> None:
        top = self.state.top
        if id(node) not in self._called and (node.id in top.defined or node.id in top.imports):
            qualname = self.state.qualname(node, top)
            if qualname is not None:
                self.escapes.add(qualname)
        if id(node) not in self._read and node.id in self.readable:
            qualname = self.read_name(node)
            if qualname is not None:
                self.loads[qualname] = self.loads.get(qualname, 0) + 1

    def attribute(self, node: ast.Attribute) -> None:
        qualname = self.read_name(node)
        if qualname is None:
            return
        self.loads[qualname] = self.loads.get(qualname, 0) + 1
        inner: ast.expr = node.value
        while isinstance(inner, ast.Attribute):  # ``a.b.c``: one read, of ``a.b.c``
            self._read.add(id(inner))
            inner = inner.value
        self._read.add(id(inner))

    def call(self, node: ast.Call, inside: bool) -> None:
        state, top = self.state, self.state.top
        self._called.add(id(node.func))
        if self.candidates:
            chain = _unserved_chain(node.func)
            if (
                chain is not None
                and isinstance(chain[0], ast.Name)
                and chain[0].id in self.candidates
            ):
                self.unserved.setdefault(chain[0].id, []).append(chain[1])
        if not self.requests and _request_shaped(node.func):
            self.requests = True
        target = patch_target(node)
        if target is not None:
            self.patches.append(target)
        env = state.call_envs.get(id(node)) or (None if inside else top)
        for keyword in node.keywords:
            if keyword.arg == "model":
                qualname = self.read_name(keyword.value)
                if qualname is not None:
                    base = _receiver(node.func)
                    where = env or top
                    receiver = state.value(base, where) if base is not None else None
                    self.model_args.append((qualname, receiver, node.lineno))
        callee = state.qualname(node.func, env or top)
        if callee is None or callee.split(".")[0] in sdk.SDK_ROOTS:
            return
        self.counts[callee] = self.counts.get(callee, 0) + 1
        for index, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                self.calls.append((callee, "*", None))
            else:
                value = state.value(arg, env) if env is not None else None
                self.calls.append((callee, str(index), value))
        for keyword in node.keywords:
            value = state.value(keyword.value, env) if env is not None and keyword.arg else None
            self.calls.append((callee, keyword.arg or "*", value))


def _client_assignments(tree: ast.Module, state: _Summarizer) -> frozenset[str]:
    """Module-level names assigned, by one plain assignment to the name alone, a call of an
    SDK name (``client = OpenAI()``): the clients whose uses ``_unserved_only`` may judge."""
    found = set()
    for node in _module_level(tree.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
            qualname = state.qualname(value.func, state.top)
            if qualname is not None and qualname.split(".")[0] in sdk.SDK_ROOTS:
                found.add(target.id)
    return frozenset(found)


def _unserved_chain(func: ast.expr) -> tuple[ast.expr, str] | None:
    """What a call made through attributes only (``x.embeddings.create``) is made on, and
    the resource Cerebras does not serve that it reaches; None for any other call. The same
    reading as ``unserved_chain`` in codemods/python/unserved.py."""
    names: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        if node.attr not in sdk.RESPONSE_WRAPPERS:
            names.append(node.attr)
        node = node.value
    names.reverse()
    resource = sdk.unserved_resource(names) if len(names) >= 2 else None
    return (node, resource) if resource is not None else None


_TYPE_PARAMS = tuple(
    getattr(ast, name) for name in ("TypeVar", "ParamSpec", "TypeVarTuple") if hasattr(ast, name)
)


def _unserved_only(tree: ast.Module, requests: dict[str, list[str]]) -> list[str]:
    """The names of ``requests`` that occur nowhere in the module but in their assignment
    and as the receivers of those requests: names, parameters, definitions, import
    bindings, ``global``, except and match captures count (codemods/python/unserved.py
    counts the same with libcst)."""
    if not requests:
        return []
    counts = dict.fromkeys(requests, 0)

    def count(name: str | None) -> None:
        if name in counts:
            counts[name] += 1

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            count(node.id)
        elif isinstance(node, ast.arg):
            count(node.arg)
        elif isinstance(node, (*_DEFS, ast.ClassDef)):
            count(node.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                count(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                count(alias.asname or alias.name)
        elif isinstance(node, ast.ExceptHandler):
            count(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                count(name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
            count(node.name)
        elif isinstance(node, ast.MatchMapping):
            count(node.rest)
        elif _TYPE_PARAMS and isinstance(node, _TYPE_PARAMS):
            count(node.name)
    return [name for name, found in requests.items() if counts[name] == 1 + len(found)]


PATCHERS = frozenset({"patch", "setattr"})


def patch_target(call: ast.Call) -> str | None:
    """The dotted name ``mock.patch("app.llm.OpenAI")`` or ``monkeypatch.setattr(
    "app.llm.OpenAI", ...)`` replaces, if the call is one."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in PATCHERS or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
        return first.value
    return None


def _request_shaped(func: ast.expr) -> bool:
    """Whether a call's function ends like a request method (``.chat.completions.create``)."""
    return _receiver(func) is not None


def _receiver(func: ast.expr) -> ast.expr | None:
    """What a request-shaped call is made on: ``client`` for ``client.chat.completions
    .create``, through ``with_options(...)`` and ``with_raw_response``; None for any other
    call. (``Resolver.request_shape`` reads libcst's tree the same way.)"""
    names: list[str] = []
    bases: list[ast.expr] = []
    node = func
    # A wrapper is stepped over, and what it wraps becomes the base of the name above it.
    while len(names) <= _LONGEST:
        if isinstance(node, ast.Attribute) and node.attr not in sdk.RESPONSE_WRAPPERS:
            names.append(node.attr)
            bases.append(node.value)
            node = node.value
            continue
        if isinstance(node, ast.Attribute):
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in sdk.CLIENT_WRAPPER_CALLS
        ):
            node = node.func.value
        else:
            break
        if bases:
            bases[-1] = node
    for size in sorted(_REQUEST_SIZES, reverse=True):
        if len(names) >= size and tuple(reversed(names[:size])) in _REQUEST_PATHS:
            return bases[size - 1]
    return None


_REQUEST_PATHS = frozenset(sdk.REQUEST_METHODS)
_LONGEST = max(len(path) for path in _REQUEST_PATHS)
_REQUEST_SIZES = frozenset(len(path) for path in _REQUEST_PATHS)


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements at module level, inside ``if``/``try`` blocks too."""
    for node in body:
        yield node
        for block in _blocks(node):
            yield from _module_level(block)
