"""IPython syntax in a cell, masked so that libcst can parse the cell, and put back after.

Each line of a line magic (``%pip``), a shell escape (``!cmd``), ``var = !cmd`` / ``var =
%magic``, help (``obj?``, ``??obj``) or autocall (``/f x``) becomes a placeholder line with
the same ending: a comment at the top level, a name statement in an indented block. A cell
run by a cell magic that is not Python (``%%bash``, ``%%html``, ...) is not masked: it is
left alone. Top-level ``await`` is Python to libcst and needs nothing.

A line that puts a hard-coded key into the environment (``%env OPENAI_API_KEY=sk-…``,
``%set_env``, ``!export NAME=…`` alone on its line) is masked the same way and noted, so
that ``unmask`` can leave it out (``drop``): the cell's other lines come back as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from codemods import rules
from codemods.python.suppressions import suppressions
from codemods.secrets import is_env_key

from .lines import physical_lines, split_ending

# Cell magics whose body is Python run in the notebook's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit"})


# Masking IPython syntax -------------------------------------------------------------------
_MAGIC_ASSIGN = re.compile(r"(?P<target>[^=#'\"]*?\S)\s*=(?!=)\s*[!%]")
_OPERATOR_END = tuple("=!<>:+-*/%&|^@")


def _is_escape(stripped: str) -> bool:
    """A logical line IPython rewrites before Python sees it."""
    if not stripped:
        return False
    if stripped[0] in "!%?/,;":  # no Python statement starts with one of these
        return True
    match = _MAGIC_ASSIGN.match(stripped)  # ``files = !ls``, ``t = %time f()``
    return match is not None and not match.group("target").endswith(_OPERATOR_END)


def _scan(body: str, depth: int, quote: str | None) -> tuple[int, str | None, str, bool]:
    """Carry the bracket depth and the open string over one physical line (without its
    ending). Also returns the last significant character outside comments and whether the
    line goes on with a backslash."""
    last = ""
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if quote is not None:
            if c == "\\":
                i += 2
            elif body.startswith(quote, i):
                i += len(quote)
                quote = None
                last = c
            else:
                i += 1
            continue
        if c == "#":
            return depth, None, last, False
        if c in "\"'":
            quote = c * 3 if body.startswith(c * 3, i) else c
            i += len(quote)
            last = c
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        if not c.isspace():
            last = c
        i += 1
    if quote is not None and len(quote) == 1 and i <= n:
        quote = None  # unterminated (no backslash before the newline): a syntax error anyway
    continued = quote is None and body.endswith("\\")
    return depth, quote, last, continued


# Lines that set an environment variable -----------------------------------------------
# ``%env NAME=VALUE`` / ``%env NAME VALUE`` (``%set_env`` alike): IPython splits the rest at
# the first ``=`` when there is one, else at the first space, and strips both parts; quotes
# are part of the value. ``!export NAME=VALUE`` runs in a shell that exits at the end of the
# line, so it never set anything for the kernel: alone on its line it is only a leak.
_ENV_MAGIC = re.compile(r"%(?P<magic>env|set_env)[ \t]+(?P<args>.*\S)[ \t]*")
_EXPORT = re.compile(
    r"!(?P<magic>export)[ \t]+(?P<name>[A-Za-z_]\w*)="
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s'\";&|<>`()#]+)[ \t]*"
)
_MARK = re.compile(r"[ \t]*#[ \t]*cerebras-migrate:.*")


@dataclass(frozen=True)
class KeyLine:
    """A masked line that sets ``variable`` to the hard-coded ``key``."""

    token: str
    line: int  # in the cell, from 1
    column: int
    magic: str  # ``%env``, ``%set_env``, ``!export``
    variable: str
    key: str
    silenced: bool  # ``# cerebras-migrate: ignore[CM101]``: removed, not reported


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def env_key(stripped: str) -> tuple[str, str, str, bool] | None:
    """``(magic, variable, key, silenced)`` when the line (without its indentation) sets an
    environment variable to a hard-coded key; None for any other line, and for one marked
    ``# cerebras-migrate: ignore``."""
    if not stripped.startswith(("%env", "%set_env", "!export")):
        return None
    codes = suppressions(stripped).get(1, frozenset())
    if codes is None:
        return None
    body = _MARK.sub("", stripped)
    if match := _ENV_MAGIC.fullmatch(body):
        args = match["args"]
        parts = args.split("=" if "=" in args else " ", 1)
        if len(parts) != 2 or not parts[0].strip() or any(c.isspace() for c in parts[0].strip()):
            return None  # a lookup (``%env NAME``), or what IPython refuses
        magic, variable, value = "%" + match["magic"], parts[0].strip(), parts[1].strip()
    elif match := _EXPORT.fullmatch(body):
        magic, variable, value = "!export", match["name"], match["value"]
    else:
        return None
    key = _unquoted(value)
    if not is_env_key(variable, key):
        return None
    return magic, variable, key, rules.CM101.code in codes


@dataclass(frozen=True)
class MaskedCell:
    text: str  # what libcst parses: one line for each line of the cell, same endings
    originals: dict[str, str]  # placeholder -> the line it stands for (without its ending)
    keys: tuple[KeyLine, ...] = ()  # masked lines that set a hard-coded key


def mask_cell(source: str, tokens: Iterator[str]) -> MaskedCell | str:
    """The cell with its IPython syntax masked, or the name of the cell magic that makes it
    something other than Python."""
    lines = physical_lines(source)
    out: list[str] = []
    originals: dict[str, str] = {}
    keys: list[KeyLine] = []

    def hide(index: int, indent: str) -> str:
        body, ending = split_ending(lines[index])
        token = next(tokens)
        originals[token] = body
        out.append((f"{indent}{token}" if indent else f"# {token}") + ending)
        return token

    start = 0
    while True:  # cell magics: the first line (after blank ones), and any stacked under it
        first = start
        while first < len(lines) and not lines[first].strip():
            first += 1
        if first == len(lines) or not lines[first].startswith("%%"):
            break
        name = lines[first][2:].split(maxsplit=1)[0] if lines[first][2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return f"%%{name}"
        out.extend(lines[start:first])
        hide(first, "")
        start = first + 1

    depth, quote = 0, None
    j, n = start, len(lines)
    while j < n:
        body, _ = split_ending(lines[j])
        stripped = body.lstrip(" \t")
        indent = body[: len(body) - len(stripped)]
        if _is_escape(stripped):
            token = hide(j, indent)
            found = None if body.endswith("\\") else env_key(stripped)
            if found is not None:
                keys.append(KeyLine(token, j + 1, len(indent) + 1, *found))
            while body.endswith("\\") and j + 1 < n:  # continued with a backslash
                j += 1
                body, _ = split_ending(lines[j])
                hide(j, indent)
            j += 1
            continue
        first, last = j, ""
        while True:  # one logical line
            body, _ = split_ending(lines[j])
            depth, quote, line_last, continued = _scan(body, depth, quote)
            last = line_last or last
            j += 1
            if j >= n or (depth == 0 and quote is None and not continued):
                break
        if last == "?" and depth == 0 and quote is None:  # ``obj?``, ``obj.method??``
            for index in range(first, j):
                hide(index, indent)
        else:
            out.extend(lines[first:j])
    return MaskedCell("".join(out), originals, tuple(keys))


def unmask(text: str, masked: MaskedCell, tag: str, drop: bool = False) -> str | None:
    """``text`` with every placeholder of ``masked`` back as it was; None when one is missing,
    repeated or mangled. With ``drop``, the lines that set a hard-coded key are left out (in
    an indented block, ``pass`` takes the place of one: the block may hold nothing else)."""
    pattern = re.compile(rf"[ \t]*(?:# )?({re.escape(tag)}_\d+__)")
    dropped = {key.token for key in masked.keys} if drop else set()
    seen: set[str] = set()
    out = []
    lines = physical_lines(text)
    for number, line in enumerate(lines, start=1):
        body, ending = split_ending(line)
        match = pattern.fullmatch(body)
        if match is None:
            if tag in body:
                return None
            out.append(line)
            continue
        token = match.group(1)
        if token not in masked.originals or token in seen:
            return None
        seen.add(token)
        if token in dropped:
            original = masked.originals[token]
            indent = original[: len(original) - len(original.lstrip(" \t"))]
            if indent:
                out.append(f"{indent}pass{ending}")
            elif number == len(lines) and not ending and out:
                out[-1] = split_ending(out[-1])[0]  # the cell still ends without a newline
            continue
        out.append(masked.originals[token] + ending)
    if seen != set(masked.originals):
        return None
    return "".join(out)
