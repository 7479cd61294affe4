"""Switching a module from one JavaScript SDK to the other: the plan ``fixers/switch_sdk``
carries out, and what the constructor fixers ask of it before they edit (``blocked``) and the
response-type fixer (``class_reference``).

One import serves every client of a module, so a module switches whole or not at all; a name
with no counterpart in the other package (``facts/js.RENAMED_EXPORTS``, ``SHARED_EXPORTS``)
keeps it where it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods.facts import js
from codemods.js.resolve import bound, string_value, walk
from codemods.js.suppressions import within

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

    Node = tree_sitter.Node

SPECIFIER_OF = {name: spec for spec, name in js.SPECIFIERS.items()}
_TO_CEREBRAS = {**{name: name for name in js.SHARED_EXPORTS}, **js.RENAMED_EXPORTS}
_TO_OPENAI = {new: old for old, new in _TO_CEREBRAS.items()}
COUNTERPARTS = {"openai": _TO_CEREBRAS, "cerebras": _TO_OPENAI}  # by the SDK switched from


def source_sdk(ctx: Context) -> str:
    """The SDK a module is switched from on this target."""
    return "openai" if ctx.options.target == "cerebras" else "cerebras"


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _member(node: Node) -> Node | None:
    """The name after ``node`` in ``node.X`` (a value or a type), else None."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
        return parent.child_by_field_name("property")
    if parent.type == "nested_identifier" and parent.named_children[0] == node:
        return parent.named_children[1] if parent.named_child_count > 1 else None
    if parent.type == "nested_type_identifier" and parent.child_by_field_name("module") == node:
        return parent.child_by_field_name("name")
    return None


def _response_cast(node: Node) -> list[tuple[int, int]] | None:
    """``(await ...) as Cerebras.Chat.ChatCompletion.ChatCompletionResponse`` (what
    ``response_types`` writes) whose type ``node`` starts: the byte ranges of the parentheses
    and the cast, to delete; else None."""
    top = node
    while top.parent is not None and top.parent.type in (
        "nested_identifier",
        "nested_type_identifier",
    ):
        top = top.parent
    cast = top.parent
    expected = f"{node.text.decode()}.{js.CEREBRAS_CHAT_RESPONSE_TYPE}"
    if top == node or cast is None or cast.type != "as_expression":
        return None
    # tree-sitter reads ``(x) as A.B.C.D`` as ``((x) as A.B.C).D``: the last name may be a
    # member of the cast.
    outer = cast
    if cast.parent is not None and cast.parent.type == "member_expression":
        outer = cast.parent
    written = top.text.decode() + outer.text.decode()[cast.end_byte - outer.start_byte :]
    value = cast.named_children[0]
    if written != expected or value.type != "parenthesized_expression":
        return None
    inner = value.named_children[0]
    return [(value.start_byte, inner.start_byte), (inner.end_byte, outer.end_byte)]


# Where a bound name is used: a value, a type, ``{ OpenAI }`` (the key is the name too).
_REFERENCES = frozenset({"identifier", "type_identifier", "shorthand_property_identifier"})


def _renamed(node: Node, old: str, new: str) -> str:
    """What a use of ``old`` becomes so that only the local name changes: ``{ OpenAI }`` keeps
    its key, ``export { OpenAI }`` its exported name."""
    if node.type == "shorthand_property_identifier":
        return f"{old}: {new}"
    parent = node.parent
    if (
        parent is not None
        and parent.type == "export_specifier"
        and parent.child_by_field_name("alias") is None
    ):
        return f"{new} as {old}"
    return new


def _in_import(node: Node, imports: list[Node]) -> bool:
    return any(i.start_byte <= node.start_byte < i.end_byte for i in imports)


# Test runners' calls that name a module by its specifier: ``jest.mock("openai", ...)``.
_MOCKERS = frozenset({"jest", "vi"})
_MOCK_CALLS = frozenset(
    {
        "mock",
        "doMock",
        "unmock",
        "dontMock",
        "requireActual",
        "requireMock",
        "importActual",
        "importMock",
        "createMockFromModule",
    }
)


def mocks(ctx: Context, sdk_name: str) -> list[Node]:
    """The calls of the module that mock the SDK by its specifier (``jest.mock("openai")``,
    ``vi.mock("openai")``, ``jest.requireActual("openai")``)."""
    specifier = SPECIFIER_OF[sdk_name]
    data = ctx.data
    if ctx.root is None or specifier.encode() not in data:
        return []
    if b"jest." not in data and b"vi." not in data:
        return []
    found = []
    for node in walk(ctx.root):
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            continue
        obj = function.child_by_field_name("object")
        prop = function.child_by_field_name("property")
        if obj is None or prop is None or obj.text.decode() not in _MOCKERS:
            continue
        if prop.text.decode() not in _MOCK_CALLS:
            continue
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        if first is not None and string_value(first) == specifier:
            found.append(node)
    return found


class Plan:
    """What switching the module needs: edits, or the names that have no counterpart."""

    def __init__(self, ctx: Context, sdk_name: str) -> None:
        self.edits: list[tuple[Node, str]] = []
        self.missing: list[tuple[Node, str]] = []  # (where, qualified name)
        self.removals: list[tuple[int, int]] = []  # byte ranges deleted
        # Uses of the SDK in statements marked ``cerebras-migrate: ignore``: they keep the
        # import, and so the whole module, where it is.
        self.ignored: list[Node] = []
        # A test mocking the SDK by name: switched, its import would escape the mock.
        self.mocked = mocks(ctx, sdk_name)
        self.found = False
        counterparts = COUNTERPARTS[sdk_name]
        target_class = js.CLIENT_CLASSES[ctx.options.target][0]
        source_class = js.CLIENT_CLASSES[sdk_name][0]
        imports = [n for n in ctx.module.imports if self.sdk_of(ctx, n) == sdk_name]
        if not imports:
            return
        self.found = True
        nodes = walk(_root(imports[0]))
        taken = {n.text.decode() for n in nodes if n.type in ("identifier", "type_identifier")}
        renames: dict[str, str] = {}  # local name -> new local name
        for name, binding in ctx.module.bindings.items():
            if binding.sdk_name != sdk_name:
                continue
            if name == binding.export == source_class and target_class not in taken:
                renames[name] = target_class
        for node in imports:
            self._import(ctx, node, counterparts, renames)
        # References of the bound names outside the imports.
        for node in nodes:
            if node.type not in _REFERENCES or _in_import(node, imports):
                continue
            local = node.text.decode()
            # A value name goes through its scopes (a parameter ``OpenAI`` is another
            # name); types live apart from values, so a type name is the import's.
            if node.type == "type_identifier":
                binding = ctx.module.bindings.get(local)
            else:
                binding = bound(ctx.module, node)
            if binding is None or binding.sdk_name != sdk_name:
                continue
            cast = _response_cast(node) if sdk_name == "cerebras" else None
            if cast is not None:
                self.removals.extend(cast)  # openai-node's response type has the choices
                continue
            member = _member(node)
            # ``OpenAI.APIError``, ``o.OpenAI``: what the client class or the module carries.
            if member is not None and (binding.kind != "class" or binding.export == source_class):
                self._member_name(member, local, counterparts)
            if local in renames:
                self.edits.append((node, _renamed(node, local, renames[local])))
        self.ignored = [
            node for node, _ in self.edits if within(ctx.skipped, node.start_byte, node.end_byte)
        ] + [imports[0] for start, end in self.removals if within(ctx.skipped, start, end)]

    @staticmethod
    def sdk_of(ctx: Context, node: Node) -> str | None:
        for binding in ctx.module.bindings.values():
            if binding.node == node:
                return binding.sdk_name
        return None

    def _member_name(self, member: Node, local: str, counterparts: dict[str, str]) -> None:
        name = member.text.decode()
        new = counterparts.get(name)
        if new is None:
            self.missing.append((member, f"{local}.{name}"))
        elif new != name:
            self.edits.append((member, new))

    def _import(
        self, ctx: Context, node: Node, counterparts: dict[str, str], renames: dict[str, str]
    ) -> None:
        target_spec = SPECIFIER_OF[ctx.options.target]
        for inner in walk(node):
            if inner.type == "string" and inner.named_children:
                fragment = inner.named_children[0]
                if fragment.text.decode() in js.SPECIFIERS:
                    self.edits.append((fragment, target_spec))
                    break
        for inner in walk(node):
            kind = inner.type
            if kind == "import_specifier":
                name = inner.child_by_field_name("name")
                alias = inner.child_by_field_name("alias")
                assert name is not None
                export = name.text.decode()
                new = counterparts.get(export)
                if new is None:
                    self.missing.append((inner, export))
                elif alias is None and export in renames:
                    self.edits.append((name, renames[export]))
                elif alias is None and new != export:
                    self.edits.append((name, f"{new} as {export}"))
                elif new != export:
                    self.edits.append((name, new))
            elif kind == "import_clause":
                for part in inner.named_children:
                    if part.type == "identifier" and part.text.decode() in renames:
                        self.edits.append((part, renames[part.text.decode()]))
            elif kind == "variable_declarator":
                self._require(inner, counterparts, renames)

    def _require(self, node: Node, counterparts: dict[str, str], renames: dict[str, str]) -> None:
        target = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if target is None or value is None:
            return
        if value.type == "member_expression":  # require("openai").OpenAI
            prop = value.child_by_field_name("property")
            if prop is not None:
                self._member_name(prop, "require()", counterparts)
        if target.type == "identifier" and target.text.decode() in renames:
            self.edits.append((target, renames[target.text.decode()]))
        if target.type != "object_pattern":
            return
        for part in target.named_children:
            if part.type == "shorthand_property_identifier_pattern":
                export = part.text.decode()
                new = counterparts.get(export)
                if new is None:
                    self.missing.append((part, export))
                elif export in renames:
                    self.edits.append((part, renames[export]))
                elif new != export:
                    self.edits.append((part, f"{new}: {export}"))
            elif part.type == "pair_pattern":
                key = part.child_by_field_name("key")
                value = part.child_by_field_name("value")
                if key is None:
                    continue
                export = key.text.decode()
                new = counterparts.get(export)
                if new is None:
                    self.missing.append((part, export))
                elif new != export:
                    self.edits.append((key, new))
                # ``{ default: OpenAI }``: the local name is renamed with its uses.
                local = value.text.decode() if value is not None else None
                if value is not None and value.type == "identifier" and local in renames:
                    self.edits.append((value, renames[local]))


def blocked(ctx: Context, binding_sdk: str | None = None) -> bool:
    """Whether the module's imports of the SDK switched from cannot switch (a name without a
    counterpart, a use in a statement marked ignore): its clients must then stay as they
    are."""
    sdk_name = binding_sdk or source_sdk(ctx)
    plan = Plan(ctx, sdk_name)
    # A client kept on OpenAI for its unserved endpoints (``fixers/unserved_clients``) keeps
    # the import, and so the module.
    kept = any(client.sdk_name == sdk_name for client in ctx.module.kept)
    return bool(plan.missing or plan.ignored or plan.mocked or kept)


def class_reference(ctx: Context) -> str | None:
    """How the module names the target's client class once switched (``Cerebras``,
    ``LLM``, ``o.Cerebras``), or None when it has no import that names it."""
    sdk_name = source_sdk(ctx)
    source_class = js.CLIENT_CLASSES[sdk_name][0]
    target_class = js.CLIENT_CLASSES[ctx.options.target][0]
    imports = [n for n in ctx.module.imports if Plan.sdk_of(ctx, n) == sdk_name]
    if not imports:
        return None
    nodes = walk(_root(imports[0]))
    taken = {n.text.decode() for n in nodes if n.type in ("identifier", "type_identifier")}
    for name, binding in ctx.module.bindings.items():
        if binding.sdk_name != sdk_name or binding.node.type != "import_statement":
            continue
        if binding.kind == "module":
            return f"{name}.{target_class}"
        if binding.export == source_class:
            renamed = name == source_class and target_class not in taken
            return target_class if renamed else name
    return None
