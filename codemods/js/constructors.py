"""What the constructor fixers of both targets share: literal URLs, the options of a
``new``, deleting and adding entries of the options object, and the rule that a module's
clients move together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from codemods import rules
from codemods.facts import js, sdk
from codemods.js import keys
from codemods.js.resolve import Client, string_value
from codemods.secrets import mask

if TYPE_CHECKING:
    import tree_sitter

    from codemods.js.context import Context

    Node = tree_sitter.Node

OPENAI_URLS = frozenset({f"https://{sdk.OPENAI_HOST}/v1", f"https://{sdk.OPENAI_HOST}"})
CEREBRAS_URLS = frozenset({sdk.CEREBRAS_BASE_URL, js.CEREBRAS_SDK_BASE_URL})


def literal(node: Node | None) -> str | None:
    """A plain string, or a template string without substitutions."""
    if node is None:
        return None
    if node.type == "string":
        return string_value(node)
    if node.type == "template_string" and all(
        c.type == "string_fragment" for c in node.named_children
    ):
        return "".join(c.text.decode() for c in node.named_children)
    return None


def strict_key(ctx: Context, pair: Node, expression: str) -> None:
    """The ``apiKey`` entry ``pair`` of an openai-node client (v4 and later, or v3's
    ``Configuration``) read so that it never falls back to OpenAI's key: a literal is
    replaced by the Cerebras variable (CM101, masked), ``OPENAI_API_KEY`` (or its public
    form, ``keys.key_variable``) becomes the Cerebras one, a project's own variable is kept
    (CM107), each read strictly; a key from an expression is reported with the rule's
    ``expression`` message."""
    value = pair.child_by_field_name("value")
    if value is None or keys.is_strict(value):
        return
    env = ctx.options.api_key_env
    text = literal(keys.unwrap(value))
    read = keys.env_read(value)
    fallback = keys.with_fallback(value)
    if fallback is not None:
        # ``process.env.OPENAI_API_KEY || "sk-…"``: a key all the same, and the one sent
        # whenever the variable is unset; the read then fails closed like any other.
        read, default = fallback
        default_text = literal(default)
        if default_text:
            ctx.secrets.append(default_text)
            name = keys.key_variable(read.name, env)[0]
            ctx.report(pair, rules.CM101, "env-default", masked=mask(default_text), variable=name)
    if text is not None:
        if text:
            ctx.secrets.append(text)
        ctx.report(pair, rules.CM101, masked=mask(text), env=env)
        ctx.replace(value, keys.strict_read(ctx, env))
    elif read is not None:
        name, cerebras = keys.key_variable(read.name, env)
        if not cerebras:
            ctx.report(pair, rules.CM107, "js-env", env=name)
        ctx.replace(value, keys.strict_read(ctx, name, read.style))
    else:
        ctx.report(pair, rules.CM107, expression)


def point_at_cerebras(
    ctx: Context, pairs: dict[str, Node], url_option: str, key_expression: str
) -> list[str]:
    """Point an openai-node client's options at Cerebras: the URL entry ``url_option``
    (``baseURL``, v3's ``basePath``) set to ``--base-url``, the ``apiKey`` entry read
    strictly (``strict_key``, reporting an expression with ``key_expression``). The entries
    to add, for those the options lack."""
    added: list[str] = []
    new_url = ctx.layout.string(ctx.options.base_url)
    base = pairs.get(url_option)
    if base is None:
        added.append(f"{url_option}: {new_url}")
    else:
        value = base.child_by_field_name("value")
        assert value is not None
        if literal(value) != ctx.options.base_url:
            ctx.replace(value, new_url)
    key = pairs.get(js.API_KEY_OPTION)
    if key is None:
        added.append(f"{js.API_KEY_OPTION}: {keys.strict_read(ctx, ctx.options.api_key_env)}")
    else:
        strict_key(ctx, key, key_expression)
    return added


def known_url(ctx: Context, url: str) -> bool:
    """An OpenAI or Cerebras URL, or the ``--base-url`` given: one a migration may replace."""
    return url.rstrip("/") in OPENAI_URLS | CEREBRAS_URLS | ctx.options.own_urls


def remove_entries(ctx: Context, entries: list[Node]) -> None:
    """Delete entries of one object literal, each with its comma (its whole line when it has
    one to itself)."""
    data = ctx.data
    ranges: list[tuple[int, int]] = []
    for entry in sorted(entries, key=lambda e: e.start_byte):
        start, end = entry.start_byte, entry.end_byte
        after, before = entry.next_sibling, entry.prev_sibling
        trailing = True
        if after is not None and after.type == ",":
            end = after.end_byte
        elif (
            before is not None
            and before.type == ","
            and not any(s <= before.start_byte < e for s, e in ranges)
        ):
            start = before.start_byte  # the last entry: the comma before it goes
            trailing = False
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", end)
        line_end = len(data) if line_end < 0 else line_end
        if not data[line_start:start].strip() and not data[end:line_end].strip(b" \t\r"):
            start, end = line_start, min(line_end + 1, len(data))
        elif trailing:
            while end < len(data) and data[end : end + 1] == b" ":
                end += 1
        ranges.append((start, end))
    if entries:
        # The entries at the end all go: so does the comma after the last one kept.
        named = [c for c in entries[0].parent.named_children if c.type != "comment"]
        kept = [c for c in named if c not in entries]
        last = named[-1]
        unended = last.next_sibling is None or last.next_sibling.type != ","
        if kept and last in entries and unended:
            comma = kept[-1].next_sibling
            if comma is not None and comma.type == ",":
                ranges.append((comma.start_byte, comma.end_byte))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        ctx.replace_range(start, end, "")


def options_of(client: Client) -> tuple[Node | None, Node | None, bool]:
    """The arguments node, the options object literal, and whether they can be checked."""
    arguments = client.node.child_by_field_name("arguments")
    named = arguments.named_children if arguments is not None else []
    if len(named) > 1 or (named and named[0].type != "object"):
        return arguments, None, False
    options = named[0] if named else None
    if options is not None and any(
        e.type in ("spread_element", "shorthand_property_identifier")
        for e in options.named_children
    ):
        return arguments, options, False
    return arguments, options, True


def transaction(
    ctx: Context,
    clients: list[Client],
    each: Callable[[Context, Client], None],
    blocked: bool = False,
) -> None:
    """Run ``each(sub_ctx, client)`` for every client; keep the edits only when all move.

    One import serves every client of a module, so either all of them move with it or none
    does: a client that stays reports why, and the others keep their options. ``blocked``: the
    module cannot switch SDKs anyway (``sdk_switch.blocked``)."""
    runs = []
    for client in clients:
        sub = dataclasses.replace(ctx, edits=[], diagnostics=[], secrets=[], sites=set())
        each(sub, client)
        runs.append((client, sub))
    moves = not blocked and all(client.moves for client, _ in runs)
    for client, sub in runs:
        ctx.secrets.extend(sub.secrets)  # masked in the output either way
        if moves:
            ctx.edits.extend(sub.edits)
            ctx.diagnostics.extend(sub.diagnostics)
            ctx.sites |= sub.sites
        else:
            # Why a client stays is worth saying; what the others would have had is not.
            client.moves = False
            ctx.diagnostics.extend(d for d in sub.diagnostics if d.code in _STAYS)


_STAYS = frozenset(rule.code for rule in (rules.CM103, rules.CM104, rules.CM105, rules.CM106))


def add_entries(
    ctx: Context,
    node: tree_sitter.Node,
    arguments: tree_sitter.Node | None,
    options: tree_sitter.Node | None,
    added: list[str],
) -> None:
    layout = ctx.layout
    newline = layout.newline
    entries = (
        [child for child in options.named_children if child.type != "comment"] if options else []
    )
    if options is not None and entries and not layout.on_own_lines(options):
        # ``{ model }`` on one line: the new entries go first, on that line.
        between = ctx.data[options.start_byte + 1 : entries[0].start_byte].decode()
        gap = between[: len(between) - len(between.lstrip())]  # a comment stays once
        ctx.insert(options.start_byte + 1, gap + ", ".join(added) + ("," if gap else ", "))
        return
    if options is not None and entries:
        # The indentation of the entries that start their own line (``{ a,`` then
        # ``  b }``: b's); one level in from the constructor's line when none does.
        row = options.start_point[0]
        own = [entry for entry in entries if entry.start_point[0] > row]
        indent = (
            layout.line_indent(own[0].start_byte)
            if own
            else layout.line_indent(node.start_byte) + layout.indent_unit
        )
        ctx.insert(
            options.start_byte + 1,
            "".join(f"{newline}{indent}{entry}," for entry in added),
        )
        return
    indent = layout.line_indent(node.start_byte)
    inner = indent + layout.indent_unit
    body = "".join(f"{inner}{entry},{newline}" for entry in added)
    block = f"{{{newline}{body}{indent}}}"
    if options is not None:
        ctx.replace(options, block)
    elif arguments is not None:
        ctx.replace(arguments, f"({block})")
    else:  # ``new OpenAI`` without parentheses
        constructor = node.child_by_field_name("constructor")
        assert constructor is not None
        ctx.insert(constructor.end_byte, f"({block})")
