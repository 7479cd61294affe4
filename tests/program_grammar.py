"""Hypothesis strategies that write whole Python modules, for ``tests/test_properties.py``.

Two grammars. ``plain_programs`` writes modules that use no OpenAI or Cerebras SDK, but often
look as if they did (the words in strings and comments, an ``openai`` attribute or variable, a
look-alike ``class OpenAI``, ``from langfuse.openai import openai``), so the migration must
parse them and still leave every byte alone. ``sdk_programs`` writes modules that use an SDK
in realistic shapes: imports with and without aliases, clients made at module level, in
``self.client``, by a factory, or taken as typed parameters, and request calls (sync, async,
streaming, raw and streaming responses, ``with_options``) whose keywords come from the real
parameter tables of both SDKs, laid out on one line or one per line with comments.

Both mix in the characters ``str.splitlines`` ends a line at and Python does not (a form feed,
``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028/U+2029, in comments, strings and blank lines)
and lone backslash lines before a statement, which libcst's parser would drop. A third,
``marked_programs``, writes clients some of which are marked ``# cerebras-migrate: ignore``
among such lines, in any newline style, CR-only included.

A program is built as a list of ``(depth, text)`` lines and rendered in a drawn style: the
indent unit, the newline, trailing blanks, and whether the file ends with a newline.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from hypothesis import strategies as st

from codemods.facts import openai_params, sdk

Lines = list[tuple[int, str]]


# Rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    indent: str
    newline: str
    final_newline: bool
    trailing_blanks: bool  # spaces after some lines and on blank lines


styles = st.builds(
    Style,
    indent=st.sampled_from(["    ", "  ", "\t", "        "]),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    trailing_blanks=st.booleans(),
)


def render(lines: Lines, style: Style) -> str:
    out = []
    for i, (depth, text) in enumerate(lines):
        # The text of a line is split on "\n" so multi-line pieces take the file's newline.
        for j, piece in enumerate(text.split("\n")):
            pad = style.indent * depth if piece else ""
            blank = " " if style.trailing_blanks and (i + j) % 3 == 0 else ""
            if piece.rstrip().endswith("\\"):
                blank = ""  # a backslash continuation must end its line
            out.append(pad + piece + blank)
    text = style.newline.join(out)
    return text + style.newline if style.final_newline else text


# Shared pieces -----------------------------------------------------------------------------

NAMES = ["value", "items", "result", "data", "count", "total", "café", "名前", "Δx", "_tmp"]
names = st.sampled_from(NAMES)
WORDS = [
    "hello",
    "openai",
    "Cerebras",
    "from openai import OpenAI",
    "import openai",
    "client.chat.completions.create(model='gpt-4o')",
    "sk-not-a-key",
    "naïve café",
    "日本語",
    "emoji 🎉",
    "tab\\tand\\nnewline",
    "OPENAI_API_KEY",
    "",
]


def _quoted(text: str, quote: str) -> str:
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


@st.composite
def strings(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(WORDS))
    kind = draw(st.sampled_from(["plain", "single", "raw", "bytes", "concat", "fstring"]))
    if kind == "single":
        return _quoted(text, "'")
    if kind == "raw":
        return "r" + _quoted(text.replace("\\", ""), '"')
    if kind == "bytes":
        return "b" + _quoted(text.encode("ascii", "ignore").decode(), '"')
    if kind == "concat":
        return _quoted(text, '"') + " " + _quoted(draw(st.sampled_from(WORDS)), "'")
    if kind == "fstring":
        inner = draw(st.sampled_from(["value", "value!r", "count:>8", "items['k']", "total + 1"]))
        return 'f"' + text.replace("\\", "").replace('"', "") + " {" + inner + '}"'
    return _quoted(text, '"')


atoms = st.one_of(
    names,
    strings(),
    st.sampled_from(["0", "1", "42", "0x1F", "1_000", "3.14", "1e-3", "2j", "None", "True"]),
    st.sampled_from(["...", "False", "-1", "self_like.openai", "config.cerebras.url"]),
)


def _expr(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "*", "or", "and", "==", "if True else"])).flatmap(
            lambda t: children.map(lambda r: f"({t[0]}) {t[1]} ({r})")
        ),
        st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(children, max_size=2).map(lambda xs: "(" + "".join(x + ", " for x in xs) + ")"),
        st.lists(st.tuples(strings(), children), max_size=2).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
        children.map(lambda x: f"[n for n in ({x}) if n]"),
        children.map(lambda x: f"{{k: v for k, v in ({x})}}"),
        children.map(lambda x: f"lambda a, *b, c=1, **d: {x}"),
        children.map(lambda x: f"(walrus := {x})"),
        children.map(lambda x: f"({x})[1:2]"),
        st.tuples(names, st.lists(children, max_size=2), st.booleans()).map(
            lambda t: f"{t[0]}({', '.join([*t[1], *(['key=1'] if t[2] else [])])})"
        ),
        children.map(lambda x: f"obj.openai.chat.completions.create(model={x}, messages=[])"),
        children.map(lambda x: f"not ({x})"),
    )


expressions = st.recursive(atoms, _expr, max_leaves=6)


# Plain programs: no SDK usage --------------------------------------------------------------

COMMENTS = [
    "# import openai",
    "# from openai import OpenAI  (not here: this module has no SDK)",
    "# cerebras-migrate would leave this alone",
    "#: client = openai.OpenAI(api_key='sk-...')",
    "# ünïcödé comment, 中文",
    "#",
    # Line ends for str.splitlines, ordinary characters for Python.
    "# page\f break, \x0b tab, \x1c\x1d\x1e separators, \x85 next line",
    "# \u2028 line and \u2029 paragraph separators",
    "\f",
]

# Statements that hold those characters, and lone backslash lines before a statement.
ODD_STATEMENTS = [
    "note = 'a\x0bb\x1cc\x85d\u2028e\u2029f'  # \f",
    "\\\nvalue = 1",
    "\\\n\\\nprint('after two backslash lines')",
    "total = 1 + \\\n\\\n    2",
]

LOOKALIKE_IMPORTS = [
    "from langfuse.openai import openai",
    "from mypkg import openai",
    "from .vendor import cerebras",
    "import openai_helpers  # not import openai",
    "from mypkg.cerebras import Cerebras as OpenAI",
]

SIMPLE_STATEMENTS = [
    "import json",
    "import os, sys",
    "from collections import OrderedDict as OD",
    "from langfuse.openai import openai",
    "from mypkg import openai",
    "from .vendor import cerebras",
    "from llama_index.llms.openai import OpenAI",
    "from langchain_openai import ChatOpenAI",
    "import openai_helpers",
    "import my_cerebras_tools as tools",
    "openai = make_client()",
    "openai.api_key = 'sk-local'",
    "self_like.openai = object()",
    "response = openai.chat.completions.create(model='gpt-4o', messages=[], min_tokens=1)",
    "config.openai.chat.completions.create(model='gpt-4o-mini', clear_thinking=False)",
    "llm = ChatOpenAI(model='gpt-4o', api_key='sk-abc', organization='org')",
    "client = OpenAI(api_key='sk-abc123', base_url=None)",
    "x = 1; y = 2",
    "total = 1 + \\\n    2",
    "a, *rest = [1, 2, 3]",
    "pass",
    "assert value, 'openai'",
    "del _tmp",
    "print('cerebras', end='')",
    "value  =   ( 1 ,2 )",
    "data: dict[str, int] = {}",
    "count += 1",
    "global_list = [*range(3), *'ab']",
    "print(f'{value!r:>10} openai {count + 1}')",
]


@st.composite
def simple_statement(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.sampled_from(SIMPLE_STATEMENTS))
    if kind == 4:
        return draw(st.sampled_from(ODD_STATEMENTS))
    if kind == 1:
        return f"{draw(names)} = {draw(expressions)}"
    if kind == 2:
        return f"print({draw(expressions)})"
    return draw(st.sampled_from(COMMENTS))


@st.composite
def block(draw: st.DrawFn, depth: int, budget: int, in_def: bool, in_async: bool) -> Lines:
    """Statements at ``depth``, nested at most ``budget`` more levels."""
    lines: Lines = []
    for _ in range(draw(st.integers(1, 4))):
        if budget > 0 and draw(st.integers(0, 2)) == 0:
            lines += draw(compound(depth, budget - 1, in_def, in_async))
            continue
        statement = draw(simple_statement())
        if in_def and draw(st.integers(0, 5)) == 0:
            # ``return value`` in an async generator is a syntax error: no yield there.
            ends = ["return value", "return"] + ([] if in_async else ["yield count"])
            statement = draw(st.sampled_from(ends))
        if in_async and draw(st.integers(0, 4)) == 0:
            statement = "result = await fetch(" + draw(strings()) + ")"
        lines.append((depth, statement))
        if draw(st.integers(0, 6)) == 0:
            lines.append((depth, ""))
    if all(text.startswith("#") or not text.strip() for _, text in lines):
        lines.append((depth, "pass"))  # a block of comments alone is not a block
    return lines


@st.composite
def compound(draw: st.DrawFn, depth: int, budget: int, in_def: bool, in_async: bool) -> Lines:
    kind = draw(
        st.sampled_from(["def", "async", "class", "if", "for", "while", "try", "with", "match"])
    )
    head: Lines = []
    if kind in ("def", "async", "class"):
        for decorator in draw(
            st.lists(
                st.sampled_from(
                    ["@functools.cache", "@app.route('/openai')", "@property", "@dataclass"]
                ),
                max_size=2,
            )
        ):
            head.append((depth, decorator))
    if kind in ("def", "async"):
        name = draw(st.sampled_from(["ask", "handle", "openai_helper", "größe", "run"]))
        params = draw(
            st.sampled_from(
                [
                    "",
                    "self",
                    "client: 'OpenAI', prompt: str = 'hi'",
                    "x, /, y=2, *, z: int = 3",
                    "*args, **kwargs",
                    "\n    a,\n    b=None,  # comment inside\n",
                ]
            )
        )
        prefix = "async def" if kind == "async" else "def"
        returns = draw(st.sampled_from(["None", "str", "dict[str, int]"]))
        head.append((depth, f"{prefix} {name}({params}) -> {returns}:"))
        body = draw(block(depth + 1, budget, True, kind == "async"))
        if draw(st.booleans()):
            # A docstring, on one line or several (they take the file's newlines).
            doc = draw(st.sampled_from([draw(strings()), '"""Uses OpenAI?\n\nNo: the words.\n"""']))
            body.insert(0, (depth + 1, doc))
        return head + body
    if kind == "class":
        base = draw(st.sampled_from(["", "(Base)", "(openai_helpers.Client)", "(metaclass=Meta)"]))
        name = draw(st.sampled_from(["OpenAI", "Cerebras", "Service", "Ünïcode"]))
        head.append((depth, f"class {name}{base}:"))
        head.append((depth + 1, "def __init__(self, api_key=None):"))
        head.append((depth + 2, "self.openai = api_key"))
        return head + draw(block(depth + 1, budget, False, False))
    if kind == "if":
        lines = [(depth, f"if {draw(expressions)}:")]
        lines += draw(block(depth + 1, budget, in_def, in_async))
        if draw(st.booleans()):
            lines.append((depth, f"elif {draw(expressions)}:"))
            lines += draw(block(depth + 1, budget, in_def, in_async))
        if draw(st.booleans()):
            lines.append((depth, "else:"))
            lines += draw(block(depth + 1, budget, in_def, in_async))
        return lines
    if kind in ("for", "while"):
        prefix = "async for" if in_async and draw(st.booleans()) else "for"
        header = (
            f"{prefix} n in {draw(expressions)}:"
            if kind == "for"
            else f"while {draw(expressions)}:"
        )
        lines = [(depth, header), (depth + 1, "if n: break")]
        lines += draw(block(depth + 1, budget, in_def, in_async))
        if draw(st.booleans()):
            lines += [(depth, "else:"), (depth + 1, "continue_ = True")]
        return lines
    if kind == "try":
        lines = [(depth, "try:"), *draw(block(depth + 1, budget, in_def, in_async))]
        lines.append((depth, "except (ValueError, openai_helpers.Error) as exc:"))
        lines += draw(block(depth + 1, budget, in_def, in_async))
        if draw(st.booleans()):
            lines += [(depth, "finally:"), (depth + 1, "cleanup()")]
        return lines
    if kind == "with":
        prefix = "async with" if in_async and draw(st.booleans()) else "with"
        lines = [(depth, f"{prefix} open('openai.txt') as fh, lock:")]
        return lines + draw(block(depth + 1, budget, in_def, in_async))
    lines = [(depth, f"match {draw(names)}:"), (depth + 1, "case {'openai': key, **rest}:")]
    lines += draw(block(depth + 2, budget, in_def, in_async))
    lines += [(depth + 1, "case [first, *_] | (first,):"), (depth + 2, "pass")]
    lines += [(depth + 1, "case _:"), (depth + 2, "pass")]
    return lines


@st.composite
def plain_programs(draw: st.DrawFn) -> str:
    lines: Lines = []
    if draw(st.booleans()):
        lines.append((0, '"""Module docstring: talks about OpenAI and Cerebras."""'))
    if draw(st.booleans()):
        lines.append((0, "from __future__ import annotations"))
    if draw(st.booleans()):
        # Text that looks like an SDK import sends the module through libcst's parser and
        # the resolver, which must then find nothing to do.
        lines.append((0, draw(st.sampled_from(LOOKALIKE_IMPORTS))))
    lines += draw(block(0, 2, False, False))
    return render(lines, draw(styles))


# SDK programs ------------------------------------------------------------------------------

OPENAI_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo", "o3-mini", "gpt-4.1-nano"]
CEREBRAS_MODELS = ["gpt-oss-120b", "zai-glm-4.7", "llama3.1-8b", "my-finetune"]
CHAT = "chat.completions.create"
COMPLETIONS = "completions.create"
OPENAI_PARAMS = openai_params.openai_params()

# Keywords a request may carry besides the required ones. ``extra_*`` and ``timeout`` are
# drawn apart, with values of their own shape.
_OWN = {"model", "messages", "prompt", "extra_body", "extra_headers", "extra_query", "timeout"}
UNKNOWN_KEYWORDS = ["top_k", "repetition_penalty", "custom_flag"]


def optional_keywords(method: str) -> list[str]:
    method = method.removeprefix("beta.")
    known = set(OPENAI_PARAMS.get(method, ())) | set(sdk.CEREBRAS_PARAMS.get(method, ()))
    known |= set(sdk.CEREBRAS_ONLY_BODY.get(method, ())) | set(sdk.CEREBRAS_HEADER_KWARGS)
    return sorted(known - _OWN) + UNKNOWN_KEYWORDS


VALUES = {
    "stream": ["True", "False"],
    "temperature": ["0.2", "0", "temperature"],
    "max_tokens": ["256", "limit"],
    "max_completion_tokens": ["512"],
    "min_tokens": ["16"],
    "clear_thinking": ["False", "True"],
    "disable_reasoning": ["True"],
    "reasoning_effort": ['"low"', '"none"'],
    "reasoning_format": ['"parsed"', '"hidden"'],
    "response_format": ['{"type": "json_object"}'],
    "tools": ["TOOLS", "[]"],
    "stop": ['["\\n"]', '"END"'],
    "cf_ray": ['"8c1-abc"', "trace_id"],
    "x_delay_time": ["1.5", "delay", "2"],
    "x_amz_cf_id": ['"edge-1"'],
    "user": ['"user-42"'],
    "metadata": ['{"app": "demo"}'],
}
GENERIC_VALUES = ["True", "None", "1", "0.5", '"text"', "setting", "[1, 2]", '{"a": 1}']


def value_for(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(VALUES.get(name, GENERIC_VALUES))


@st.composite
def extra_body_value(draw: st.DrawFn, method: str) -> str:
    kind = draw(st.sampled_from(["dict", "dict", "name", "none", "spread", "empty"]))
    if kind == "name":
        return draw(st.sampled_from(["BODY", "body_options"]))
    if kind == "none":
        return "None"
    if kind == "empty":
        return "{}"
    pool = [
        *sorted(sdk.CEREBRAS_ONLY_BODY.get(method, ())),
        "top_k",
        "x-trace",  # not an identifier: never a keyword
        "temperature",
        "min_tokens",
    ]
    keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    items = [f'"{k}": {draw(value_for(k))}' for k in keys]
    if kind == "spread":
        items.insert(0, "**BODY")
    if draw(st.booleans()):
        return "{" + ", ".join(items) + "}"
    # One entry per line, with comments on the brace's line, above entries and after them.
    lines = ["{" + draw(st.sampled_from(["", "", "  # Cerebras fields"]))]
    for i, item in enumerate(items):
        if draw(st.integers(0, 3)) == 0:
            lines.append("    # about " + item.split(":")[0].strip('"*'))
        comma = "," if i < len(items) - 1 or draw(st.booleans()) else ""
        lines.append(f"    {item}{comma}" + draw(st.sampled_from(["", "", "  # note"])))
    if draw(st.integers(0, 4)) == 0:
        lines.append("    # closing remark")
    return "\n".join([*lines, "}"])


@dataclass(frozen=True)
class Arg:
    text: str  # ``name=value``, ``*args``, ``**kwargs`` or a positional expression
    comment: str = ""  # written after the argument when the call is one per line
    above: str = ""  # a comment line above it, ditto


@st.composite
def request_args(draw: st.DrawFn, method: str) -> list[Arg]:
    positional: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        positional.append(draw(st.sampled_from(["*args", "PROMPT"])))
    keywords: dict[str, str] = {}
    models = [f'"{m}"' for m in OPENAI_MODELS + CEREBRAS_MODELS] + ["MODEL", "model_name"]
    if draw(st.integers(0, 9)) > 0:
        keywords["model"] = draw(st.sampled_from(models))
    if method.startswith("completions"):
        keywords["prompt"] = draw(st.sampled_from(['"1 + 1 ="', "prompt", '["a", "b"]']))
    else:
        keywords["messages"] = draw(
            st.sampled_from(['[{"role": "user", "content": q}]', "messages", "[]"])
        )
    for name in draw(st.lists(st.sampled_from(optional_keywords(method)), max_size=6, unique=True)):
        keywords[name] = draw(value_for(name))
    if draw(st.integers(0, 3)) == 0:
        keywords["extra_body"] = draw(extra_body_value(method))
    if draw(st.integers(0, 5)) == 0:
        keywords["extra_headers"] = draw(
            st.sampled_from(['{"X-Request-Id": rid}', "HEADERS", '{"CF-RAY": "x"}'])
        )
    if draw(st.integers(0, 7)) == 0:
        keywords["timeout"] = draw(st.sampled_from(["30", "httpx.Timeout(5.0)"]))
    if draw(st.integers(0, 9)) == 0:
        keywords["extra_query"] = '{"trace": "1"}'
    order = draw(st.permutations(list(keywords)))
    texts = [f"{name}={keywords[name]}" for name in order]
    if draw(st.integers(0, 7)) == 0:
        texts.insert(draw(st.integers(0, len(texts))), "**request_options")
    comments = ["", "", "", "  # why not", "  # cerebras-only?", "  # ünïcode"]
    return [
        Arg(
            text,
            comment=draw(st.sampled_from(comments)),
            above=draw(st.sampled_from(["", "", "", "", "# about the next one"])),
        )
        for text in [*positional, *texts]
    ]


@st.composite
def call_text(draw: st.DrawFn, head: str, method: str) -> str:
    """``head(...)`` on one line, or one argument per line with comments."""
    args = draw(request_args(method))
    layout = draw(st.sampled_from(["one-line", "per-line", "per-line", "hanging"]))
    if layout == "one-line" or not args:
        return f"{head}({', '.join(a.text for a in args)})"
    if layout == "hanging":
        first, *rest = args
        tail = "".join(f",\n        {a.text}" for a in rest)
        return f"{head}({first.text}{tail})"
    trailing = draw(st.booleans())
    parts = []
    for i, arg in enumerate(args):
        comma = "," if i < len(args) - 1 or trailing else ""
        above = f"    {arg.above}\n" if arg.above else ""
        text = arg.text.replace("\n", "\n    ")  # a multi-line value, one level in
        parts.append(f"{above}    {text}{comma}{arg.comment}")
    return f"{head}(\n" + "\n".join(parts) + "\n)"


# How a request method is reached from a client expression, and the statement around it.
SHAPES = [
    "plain",
    "plain",
    "completions",
    "raw",
    "with_options",
    "streaming_response",
    "stream",
    "parse",
]


@st.composite
def request_statements(draw: st.DrawFn, receiver: str, is_async: bool) -> tuple[list[str], int]:
    """A few statements (each possibly several lines) that make requests on ``receiver``, and
    how many requests they make."""
    aw = "await " if is_async else ""
    out = []
    count = draw(st.integers(1, 3))
    for _ in range(count):
        shape = draw(st.sampled_from(SHAPES))
        if shape == "completions":
            out.append(
                "text = " + aw + draw(call_text(f"{receiver}.completions.create", COMPLETIONS))
            )
            out.append("print(text.choices[0].text)")
        elif shape == "raw":
            call = draw(call_text(f"{receiver}.chat.completions.with_raw_response.create", CHAT))
            out.append(f"raw = {aw}{call}")
            # ``await raw.parse()`` is right for AsyncCerebras only; both shapes occur.
            parse = "await raw.parse()" if is_async and draw(st.booleans()) else "raw.parse()"
            out.append(f"print(raw.headers.get('x-request-id'), {parse})")
        elif shape == "with_options":
            call = draw(
                call_text(f"{receiver}.with_options(timeout=10).chat.completions.create", CHAT)
            )
            out.append(f"reply = {aw}{call}")
        elif shape == "streaming_response":
            call = draw(
                call_text(f"{receiver}.with_streaming_response.chat.completions.create", CHAT)
            )
            prefix = "async with" if is_async else "with"
            out.append(f"{prefix} {call} as resp:\n    print(resp.headers)")
        elif shape == "stream":
            call = draw(call_text(f"{receiver}.chat.completions.create", CHAT))
            prefix = "async for" if is_async else "for"
            out.append(f"stream = {aw}{call}")
            out.append(
                f"{prefix} chunk in stream:\n    print(chunk.choices[0].delta.content or '')"
            )
        elif shape == "parse":
            path = draw(st.sampled_from(["chat.completions.parse", "beta.chat.completions.parse"]))
            call = draw(call_text(f"{receiver}.{path}", path))
            out.append(f"parsed = {aw}{call}")
        else:
            out.append(
                "reply = " + aw + draw(call_text(f"{receiver}.chat.completions.create", CHAT))
            )
            out.append("print(reply.choices[0].message.content)")
    return out, count


KEYS = [
    '"sk-proj-abc123def456ghi789"',
    'os.environ["OPENAI_API_KEY"]',
    'os.getenv("OPENAI_API_KEY")',
    'os.environ.get("OPENAI_API_KEY", "")',
    'os.environ["LLM_KEY"]',
    "settings.api_key",
    'os.environ["CEREBRAS_API_KEY"]',
]
BASE_URLS = [
    '"https://api.openai.com/v1"',
    '"https://api.cerebras.ai/v1"',
    '"http://localhost:8000/v1"',  # another provider: left alone
    'os.environ["LLM_BASE_URL"]',  # computed: left alone
    "None",
]


# Base URLs that make the migration leave a client and its requests alone (README: "Left alone,
# reported"): another provider's, or one computed at run time.
# ``base_url=None`` counts as computed too: it is not a string the tool can classify.
LEFT_ALONE_URLS = frozenset({'"http://localhost:8000/v1"', 'os.environ["LLM_BASE_URL"]', "None"})


@st.composite
def constructor(draw: st.DrawFn, cls: str, flavor: str) -> tuple[str, bool]:
    """A client constructor call, and whether the migration is expected to follow it."""
    args = []
    migrated = True
    if draw(st.booleans()):
        args.append("api_key=" + draw(st.sampled_from(KEYS)))
    if draw(st.integers(0, 3)) == 0:
        url = draw(st.sampled_from(BASE_URLS))
        args.append("base_url=" + url)
        migrated = url not in LEFT_ALONE_URLS
    extras = ["timeout=30", "max_retries=2", 'default_headers={"X-App": "demo"}']
    extras += ['organization="org-abc"', 'project="proj_x"'] if flavor == "openai" else []
    extras += ["warm_tcp_connection=False"] if flavor == "cerebras" else []
    args += draw(st.lists(st.sampled_from(extras), max_size=2, unique=True))
    args = draw(st.permutations(args))
    if draw(st.booleans()) and args:
        return f"{cls}(\n    " + ",\n    ".join(args) + ",\n)", migrated
    return f"{cls}({', '.join(args)})", migrated


def _lines(statements: list[str], depth: int) -> Lines:
    out: Lines = []
    for statement in statements:
        for k, piece in enumerate(statement.split("\n")):
            extra = len(piece) - len(piece.lstrip(" "))
            # Continuation lines inside brackets may sit anywhere; a block body needs depth+1.
            out.append((depth + extra // 4, piece.lstrip(" ")) if k else (depth, piece))
    return out


@dataclass(frozen=True)
class SdkProgram:
    source: str
    # One entry per request call, in source order: whether the migration is expected to
    # rewrite it (False for requests on a client it leaves alone).
    migrated: tuple[bool, ...]


@st.composite
def sdk_programs(draw: st.DrawFn) -> SdkProgram:
    flavor = draw(st.sampled_from(["openai", "openai", "openai", "cerebras"]))
    style = draw(st.sampled_from(["from", "from-alias", "module", "module-alias", "global"]))
    if flavor == "cerebras" and style in ("module", "module-alias", "global"):
        style = "from"
    if flavor == "openai":
        package, sync, async_ = "openai", "OpenAI", "AsyncOpenAI"
    else:
        package, sync, async_ = "cerebras.cloud.sdk", "Cerebras", "AsyncCerebras"
    lines: Lines = []
    migrated: list[bool] = []
    if draw(st.booleans()):
        lines.append((0, '"""A small app on an LLM API."""'))
    lines.append((0, "import os"))
    if style == "from":
        lines.append((0, f"from {package} import {async_}, {sync}"))
        sync_ref, async_ref = sync, async_
    elif style == "from-alias":
        lines.append((0, f"from {package} import {sync} as Client_, {async_} as AClient"))
        sync_ref, async_ref = "Client_", "AClient"
    else:
        alias = "oa" if style == "module-alias" else "openai"
        lines.append((0, "import openai" + (" as oa" if alias == "oa" else "")))
        sync_ref, async_ref = f"{alias}.OpenAI", f"{alias}.AsyncOpenAI"
    lines.append((0, ""))
    lines.append((0, 'MODEL = "' + draw(st.sampled_from(OPENAI_MODELS + CEREBRAS_MODELS)) + '"'))
    lines.append((0, 'BODY = {"top_k": 40}'))
    lines.append((0, ""))

    if style == "global":
        if draw(st.booleans()):
            lines.append((0, "openai.api_key = " + draw(st.sampled_from(KEYS))))
        lines.append((0, ""))
        lines.append((0, "def ask(q):"))
        statements, count = draw(request_statements("openai", False))
        lines += _lines(statements, 1)
        return SdkProgram(render(lines, draw(styles)), (True,) * count)

    holders = draw(
        st.lists(
            st.sampled_from(["module", "class", "param", "async", "factory"]),
            min_size=1,
            max_size=3,
        )
    )
    # Requests on a typed parameter: the client is made (and migrated) elsewhere, unless this
    # module also keeps a client of the same class on another provider; then which one the
    # parameter gets cannot be told, and they are left alone (CM116).
    param_requests: list[int] = []
    sync_left_alone = False
    for n, holder in enumerate(holders):
        lines.append((0, ""))
        followed = True
        if holder == "module":
            name = f"client{n}"
            ctor, followed = draw(constructor(sync_ref, flavor))
            lines += _lines([f"{name} = {ctor}"], 0)
            lines += [(0, ""), (0, f"def ask{n}(q: str) -> None:")]
            statements, count = draw(request_statements(name, False))
        elif holder == "class":
            ctor, followed = draw(constructor(sync_ref, flavor))
            lines += [(0, f"class Bot{n}:"), (1, "def __init__(self) -> None:")]
            lines += _lines([f"self.client = {ctor}"], 2)
            lines += [(0, ""), (1, "def ask(self, q: str) -> None:")]
            statements, count = draw(request_statements("self.client", False))
            lines += _lines(statements, 2)
            migrated += [followed] * count
            sync_left_alone = sync_left_alone or not followed
            continue
        elif holder == "param":
            annotation = draw(st.sampled_from([sync_ref, f'"{sync_ref} | None"']))
            lines.append((0, f"def ask{n}(client: {annotation}, q: str) -> None:"))
            statements, count = draw(request_statements("client", False))
            param_requests += range(len(migrated), len(migrated) + count)
        elif holder == "async":
            name = f"aclient{n}"
            ctor, followed = draw(constructor(async_ref, flavor))
            lines += _lines([f"{name} = {ctor}"], 0)
            lines += [(0, ""), (0, f"async def ask{n}(q: str) -> None:")]
            statements, count = draw(request_statements(name, True))
        else:
            ctor, followed = draw(constructor(sync_ref, flavor))
            lines += [(0, f"def make_client{n}():")]
            lines += _lines([f"return {ctor}"], 1)
            lines += [(0, ""), (0, f"def ask{n}(q: str) -> None:"), (1, f"c = make_client{n}()")]
            statements, count = draw(request_statements("c", False))
        lines += _lines(statements, 1)
        migrated += [followed] * count
        if holder in ("module", "factory"):
            sync_left_alone = sync_left_alone or not followed
    if sync_left_alone:
        for index in param_requests:
            migrated[index] = False
    return SdkProgram(render(lines, draw(styles)), tuple(migrated))


def _check_names() -> None:
    # The grammar's own names must be identifiers that are not keywords, or it writes
    # programs that do not parse.
    for name in NAMES:
        assert name.isidentifier() and not keyword.iskeyword(name), name


_check_names()


# Programs split across modules (tests/test_project_properties.py) ---------------------------
#
# A program that runs: a client (or two) made in ``llm.py``, requests made on it in
# ``main.py``, which imports it by name, through ``import llm`` (aliased or not), through a
# re-export in ``api.py``, or by calling a factory. The same program is also written as one
# file, the client made above the requests. Every keyword and value is one both SDKs send
# (or one the migration moves where they do), so the migrated program runs.

RUNNABLE_KEYWORDS = {
    CHAT: {
        "temperature": ["0.2", "0"],
        "max_tokens": ["64"],
        "top_p": ["0.9"],
        "seed": ["7"],
        "stop": ['["END"]'],
        "user": ['"user-42"'],
        "clear_thinking": ["False", "True"],
        "reasoning_format": ['"parsed"', '"hidden"'],
        "min_tokens": ["4"],
        "reasoning_effort": ['"low"'],
        "max_completion_tokens": ["128"],
        "disable_reasoning": ["True"],
        "cf_ray": ['"ray-prop"'],
        "x_amz_cf_id": ['"edge-1"'],
    },
    COMPLETIONS: {
        "temperature": ["0.5"],
        "max_tokens": ["16"],
        "seed": ["3"],
        "stop": ['"END"'],
        "user": ['"user-7"'],
        "min_tokens": ["2"],
        "cf_ray": ['"ray-text"'],
    },
}
RUNNABLE_BODY = {"top_k": ["40"], "clear_thinking": ["False"], "min_tokens": ["2"]}
# A computed base_url: the migration leaves such a client alone. The test points these
# variables at its server (with ``/v1`` for the openai client, without for Cerebras's).
LEFT_ALONE_URL = {"openai": 'os.environ["LLM_BASE_URL"]', "cerebras": 'os.environ["LLM_ORIGIN"]'}
SPLIT_KEYS = {
    "openai": [
        'os.environ["OPENAI_API_KEY"]',
        'os.getenv("OPENAI_API_KEY")',
        'os.environ.get("OPENAI_API_KEY", "")',
    ],
    "cerebras": ['os.environ["CEREBRAS_API_KEY"]'],
}


@dataclass(frozen=True)
class SplitProgram:
    """The same program as one module (``one_file``) and split (``split``): file name ->
    source. ``main.py`` is what runs."""

    one_file: dict[str, str]
    split: dict[str, str]
    flavor: str  # the SDK it was written for
    left_alone: bool  # whether a client has a computed base_url


@st.composite
def runnable_call(
    draw: st.DrawFn, receiver: str, is_async: bool, tag: str, openai_only: bool = False
) -> list[str]:
    """The statements of one request on ``receiver`` and the printing of its reply; with
    ``openai_only``, only keywords the openai client takes (a client the migration leaves
    alone keeps its requests as they are: they must run as written)."""
    aw = "await " if is_async else ""
    method = draw(st.sampled_from([CHAT, CHAT, COMPLETIONS]))
    table = RUNNABLE_KEYWORDS[method]
    if openai_only:
        table = {k: v for k, v in table.items() if k in OPENAI_PARAMS.get(method, ())}
    model = draw(st.sampled_from(OPENAI_MODELS + CEREBRAS_MODELS))
    args = [f'model="{model}"']
    if method == CHAT:
        args.append(f'messages=[{{"role": "user", "content": "ask {tag}"}}]')
    else:
        args.append(f'prompt="say {tag}"')
    names = draw(st.lists(st.sampled_from(sorted(table)), max_size=4, unique=True))
    args += [f"{name}={draw(st.sampled_from(table[name]))}" for name in names]
    free = [key for key in sorted(RUNNABLE_BODY) if key not in names]
    if free and draw(st.integers(0, 2)) == 0:
        keys = draw(st.lists(st.sampled_from(free), min_size=1, max_size=2, unique=True))
        items = ", ".join(f'"{k}": {draw(st.sampled_from(RUNNABLE_BODY[k]))}' for k in keys)
        args.append("extra_body={" + items + "}")
    if draw(st.integers(0, 4)) == 0:
        args.append(f'extra_headers={{"X-Request-Id": "rid-{tag}"}}')
    stream = method == CHAT and draw(st.integers(0, 3)) == 0
    if stream:
        args.append("stream=True")
    args = draw(st.permutations(args))
    via = ".with_options(timeout=20)" if draw(st.integers(0, 4)) == 0 else ""
    call = f"{receiver}{via}.{method}(" + ", ".join(args) + ")"
    if stream:
        loop = "async for" if is_async else "for"
        return [
            f"stream = {aw}{call}",
            f"{loop} chunk in stream:",
            '    print(chunk.choices[0].delta.content or "", end="")',
            "print()",
        ]
    if method == CHAT:
        return [f"reply = {aw}{call}", "print(reply.choices[0].message.content)"]
    return [f"done = {aw}{call}", "print(done.choices[0].text)"]


@st.composite
def split_programs(draw: st.DrawFn) -> SplitProgram:
    flavor = draw(st.sampled_from(["openai", "openai", "openai", "cerebras"]))
    style = draw(st.sampled_from(["from", "alias", "module"] if flavor == "openai" else ["from"]))
    if flavor == "openai":
        package, classes = "openai", {"sync": "OpenAI", "async": "AsyncOpenAI"}
    else:
        package, classes = "cerebras.cloud.sdk", {"sync": "Cerebras", "async": "AsyncCerebras"}
    count = draw(st.integers(1, 2))
    kinds = [draw(st.sampled_from(["sync", "sync", "async"])) for _ in range(count)]
    # A computed base_url on one client: left alone. Both clients of one module through
    # ``import openai``, one left alone, is tests/test_e2e_projects.py's known bug
    # (RETRY_MODULE_STYLE): not drawn here.
    left = draw(st.sampled_from([-1, -1, *range(count)]))
    if style == "module" and count > 1:
        left = -1
    used = sorted(set(kinds))
    if style == "from":
        refs = {k: classes[k] for k in used}
        imports = [f"from {package} import {', '.join(classes[k] for k in used)}"]
    elif style == "alias":
        refs = {k: f"{'A' if k == 'async' else ''}Client" for k in used}
        names = ", ".join(f"{classes[k]} as {refs[k]}" for k in used)
        imports = [f"from {package} import {names}"]
    else:
        refs = {k: f"openai.{classes[k]}" for k in used}
        imports = ["import openai"]

    defs: list[str] = []  # what llm.py holds after its imports
    ones: list[tuple[str, str]] = []  # per client: (its setup in run(), the receiver), one file
    # Ditto, split: (its import at the top of main.py, or None; setup; the receiver).
    splits: list[tuple[str | None, list[str], str]] = []
    for n, kind in enumerate(kinds):
        args = ["max_retries=0"]
        if n == left:
            args.append("base_url=" + LEFT_ALONE_URL[flavor])
        if draw(st.booleans()):
            args.append("api_key=" + draw(st.sampled_from(SPLIT_KEYS[flavor])))
        extras = ["timeout=30", 'default_headers={"X-App": "demo"}']
        extras += ["warm_tcp_connection=False"] if flavor == "cerebras" else []
        args += draw(st.lists(st.sampled_from(extras), max_size=2, unique=True))
        ctor = f"{refs[kind]}({', '.join(draw(st.permutations(args)))})"
        holder = draw(st.sampled_from(["module", "factory", "factory-typed"]))
        name = f"client{n}" if holder == "module" else f"get_client{n}"
        if holder == "module":
            defs += [f"{name} = {ctor}", ""]
            ones.append(("", name))
        else:
            returns = f" -> {refs[kind]}" if holder == "factory-typed" else ""
            defs += [f"def {name}(){returns}:", f"    return {ctor}", "", ""]
            ones.append((f"client = {name}()", "client"))
        # How main.py reaches it: by name (aliased or not, at the top or in the function
        # that uses it), through the module (aliased or not), or re-exported by api.py.
        access = draw(
            st.sampled_from(["name", "name-alias", "local", "module", "alias", "reexport"])
        )
        local = f"my_{name}" if access == "name-alias" else name
        ref = {"module": f"llm.{name}", "alias": f"backend.{name}"}.get(access, local)
        setup = [] if holder == "module" else [f"client = {ref}()"]
        line: str | None
        if access in ("name", "name-alias", "reexport"):
            source = "api" if access == "reexport" else "llm"
            line = f"from {source} import {name}" + (f" as {local}" if local != name else "")
        elif access == "local":
            line = None
            setup.insert(0, f"from llm import {name}")
        else:
            line = "import llm" + (" as backend" if access == "alias" else "")
        splits.append((line, setup, ref if holder == "module" else "client"))

    # The requests, drawn once for both layouts: per client, the statements of its calls.
    # ``RECEIVER`` stands for the client expression, which differs between them.
    requests: list[list[str]] = []
    for n, kind in enumerate(kinds):
        statements: list[str] = []
        for k in range(draw(st.integers(1, 2))):
            native = n == left and flavor == "openai"
            statements += draw(runnable_call("RECEIVER", kind == "async", f"{n}{k}", native))
        requests.append(statements)

    def body(receivers: list[tuple[list[str], str]]) -> list[str]:
        lines: list[str] = []
        for n, ((setup, receiver), kind) in enumerate(zip(receivers, kinds, strict=True)):
            lines.append(f"{'async def' if kind == 'async' else 'def'} run{n}():")
            lines += [f"    {line}" for line in setup]
            lines += [f"    {s.replace('RECEIVER', receiver)}" for s in requests[n]]
            lines += ["", ""]
        for n, kind in enumerate(kinds):
            lines.append(f"asyncio.run(run{n}())" if kind == "async" else f"run{n}()")
        return lines

    header = ["import asyncio"] if "async" in kinds else []
    llm = ["import os", "", *imports, "", "", *defs]
    calls = body([([setup] if setup else [], receiver) for setup, receiver in ones])
    one_file = "\n".join([*header, *llm, *calls]) + "\n"
    tops = [line for line, _, _ in splits if line is not None]
    main = [*header, *dict.fromkeys(tops), "", "", *body([(s, r) for _, s, r in splits])]
    files = {"llm.py": "\n".join(llm).rstrip() + "\n", "main.py": "\n".join(main) + "\n"}
    reexported = [line.split(" import ")[1] for line in tops if line.startswith("from api")]
    if reexported:
        names = ", ".join(dict.fromkeys(reexported))
        files["api.py"] = f'"""What scripts import."""\n\nfrom llm import {names}\n'
    return SplitProgram({"main.py": one_file}, files, flavor, left >= 0)


# Programs with ignore comments among odd lines ----------------------------------------------


@dataclass(frozen=True)
class MarkedProgram:
    source: str
    marked: tuple[str, ...]  # the lines (without their ending) that must come back unchanged
    moved: tuple[str, ...]  # the constructor lines that must be rewritten


FILLERS = [*COMMENTS, *ODD_STATEMENTS, "", "x = 1"]


@st.composite
def marked_programs(draw: st.DrawFn) -> MarkedProgram:
    """Clients made at module level or in a function, some marked, between odd lines."""
    lines: Lines = [(0, "import openai")]
    marked: list[str] = []
    moved: list[str] = []
    depth = 0
    for n in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)) == 0:
            depth = 1 - depth  # into a function, or back out of it
            if depth:
                lines.append((0, f"def make{n}():"))
        for filler in draw(st.lists(st.sampled_from(FILLERS), max_size=3)):
            lines.append((depth, filler))
        if draw(st.integers(0, 3)) == 0:
            lines.append((depth, "\\"))  # joins the next line: the statement starts here
        line = f"c{n} = openai.OpenAI()"
        if draw(st.booleans()):
            line += "  # cerebras-migrate: ignore"
            marked.append(line)
        else:
            moved.append(line)
        lines.append((depth, line))
    style = draw(
        st.builds(
            Style,
            indent=st.sampled_from(["    ", "\t", "  "]),
            newline=st.sampled_from(["\n", "\r\n", "\r"]),
            final_newline=st.booleans(),
            trailing_blanks=st.just(False),
        )
    )
    return MarkedProgram(render(lines, style), tuple(marked), tuple(moved))
