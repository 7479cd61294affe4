"""Readiness diagnostics: what cannot move as it is, reported with its code and place.

Each case is a small source and the exact (line, code) pairs it must produce, on both
targets unless a case says otherwise; none of these rewrites anything by itself.
"""

from __future__ import annotations

import textwrap

import pytest
from helpers import migrate

HEADER = "import openai\nfrom openai import OpenAI\n\nclient = OpenAI()\n"


def codes(src: str, target: str, wanted: set[str]) -> list[tuple[int, str]]:
    result = migrate(textwrap.dedent(src), target=target)
    assert not result.error, result.diagnostics
    return [(d.line, d.code) for d in result.diagnostics if d.code in wanted]


CASES = [
    pytest.param(
        HEADER
        + "client.embeddings.create(model='text-embedding-3-small', input='x')\n"
        + "client.with_options(timeout=1).images.generate(prompt='a cat')\n"
        + "client.beta.assistants.create(model='gpt-4o')\n"
        + "openai.audio.speech.create(model='tts-1', voice='alloy', input='hi')\n"
        + "client.files.content('file-1').read()\n"
        + "client.models.list()\n",
        {"CM401"},
        [(5, "CM401"), (6, "CM401"), (7, "CM401"), (8, "CM401"), (9, "CM401")],
        id="unserved-endpoints",
    ),
    pytest.param(
        HEADER + "opts = {'temperature': 0}\n"
        "client.chat.completions.create(model='gpt-oss-120b', messages=[], **opts)\n",
        {"CM402"},
        [(6, "CM402")],
        id="kwargs-into-request",
    ),
    pytest.param(
        HEADER + "client.chat.completions.create(\n"
        "    model='gpt-oss-120b', messages=[], tools=[], response_format={'type': 'json_object'}\n"
        ")\n",
        {"CM403"},
        [(6, "CM403")],
        id="tools-with-response-format",
    ),
    pytest.param(
        HEADER + "client.chat.completions.create(model='gpt-oss-120b', messages=[], "
        "extra_body={'clear_thinking': False})\n"
        "client.chat.completions.create(model='zai-glm-4.7', messages=[], "
        "extra_body={'clear_thinking': False})\n",
        {"CM404"},
        [(5, "CM404")],
        id="clear-thinking-off-glm",
    ),
    pytest.param(
        HEADER + "client.chat.completions.create(model='gpt-oss-120b', messages=[], "
        "extra_body={'disable_reasoning': True})\n",
        {"CM405"},
        [(5, "CM405")],
        id="deprecated-disable-reasoning",
    ),
    pytest.param(
        HEADER + "MODEL = 'gpt-4o'\n"
        "def ask(model: str) -> None:\n"
        "    client.chat.completions.create(model=model, messages=[])\n"
        "    client.chat.completions.create(model=MODEL, messages=[])\n"
        "    client.chat.completions.create(model='llama3.1-8b', messages=[])\n"
        "    client.chat.completions.create(model='my-finetune', messages=[])\n"
        "    client.chat.completions.create(model='gpt-4o-mini', messages=[])\n",
        {"CM406", "CM407"},
        [(7, "CM406"), (9, "CM407"), (10, "CM407")],
        id="dynamic-and-unknown-models",
    ),
    pytest.param(
        HEADER + "raw = client.chat.completions.with_raw_response.create(model='x', messages=[])\n"
        "left = raw.headers.get('x-ratelimit-remaining-tokens')\n"
        "day = raw.headers.get('x-ratelimit-remaining-requests-day')\n",
        {"CM409"},
        [(6, "CM409")],
        id="openai-rate-limit-headers",
    ),
]


@pytest.mark.parametrize("target", ["openai", "cerebras"])
@pytest.mark.parametrize(("src", "wanted", "expected"), CASES)
def test_reported_where_it_is(
    src: str, wanted: set[str], expected: list[tuple[int, str]], target: str
) -> None:
    assert codes(src, target, wanted) == expected


PRE_V1 = (
    "import openai\n\nopenai.api_base = 'https://api.openai.com/v1'\n"
    "openai.ChatCompletion.create(model='gpt-4o', messages=[])\n"
)


@pytest.mark.parametrize(
    ("target", "options", "expected"),
    [
        # The project runs 1.x: that code raises APIRemovedInV1 there, and stays as it is.
        ("openai", {"openai_version": "1.30.0", "openai_api": "1.x"}, [(3, "CM408"), (4, "CM408")]),
        # It may run 0.x: migrated (fixers/module_client_v0.py), nothing to report.
        ("openai", {}, []),
        ("openai", {"openai_version": "0.28.1"}, []),
        # The Cerebras SDK has no 0.x API, whatever the project runs.
        ("cerebras", {}, [(3, "CM408"), (4, "CM408")]),
    ],
)
def test_pre_v1_api_is_reported_where_it_stays(
    target: str, options: dict[str, str], expected: list[tuple[int, str]]
) -> None:
    result = migrate(PRE_V1, target=target, **options)
    assert [(d.line, d.code) for d in result.diagnostics if d.code == "CM408"] == expected
    assert (result.code == PRE_V1) == bool(expected)


def test_clients_left_alone_are_not_reported() -> None:
    src = (
        "from openai import OpenAI\n\n"
        "groq = OpenAI(base_url='https://api.groq.com/openai/v1')\n"
        "groq.embeddings.create(model='e', input='x')\n"
        "groq.chat.completions.create(model='llama-3.1-8b-instant', messages=[])\n"
    )
    assert codes(src, "openai", {"CM401", "CM407"}) == []


def test_lookalikes_are_not_reported() -> None:
    src = (
        "from langchain_openai import OpenAIEmbeddings\n\n"
        "emb = OpenAIEmbeddings()\nemb.embeddings.create(input='x')\n"
    )
    assert codes(src, "openai", {"CM401"}) == []


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_unserved_endpoints_on_cerebras_sdk_clients_are_reported(target: str) -> None:
    # The Cerebras SDK has no such attribute: an AttributeError as written, a 404 once the
    # client is the openai one pointed at Cerebras.
    src = (
        "from cerebras.cloud.sdk import Cerebras\n\n"
        "client = Cerebras()\n"
        "client.embeddings.create(model='e', input='x')\n"
        "Cerebras().audio.speech.create(model='t', voice='v', input='x')\n"
    )
    assert codes(src, target, {"CM401", "CM121"}) == [(4, "CM401"), (5, "CM401")]


@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_a_client_used_only_for_unserved_endpoints_is_reported_not_moved(target: str) -> None:
    src = "from openai import OpenAI\n\nemb = OpenAI()\nemb.embeddings.create(input='x')\n"
    result = migrate(src, target=target)
    assert result.code == src
    assert [(d.line, d.code) for d in result.diagnostics] == [(3, "CM121")]
    assert "`emb` is only used for embeddings" in result.diagnostics[0].message


ENV_CHECK = "import os\n\nif not os.environ.get('OPENAI_API_KEY'):\n    raise SystemExit(1)\n"


@pytest.mark.parametrize(
    ("clients", "expected"),
    [
        pytest.param("from openai import OpenAI\nc = OpenAI()\n", [(3, "CM410")], id="one-moves"),
        pytest.param(
            "import openai\nopenai.chat.completions.create(model='m', messages=[])\n",
            [(3, "CM410")],
            id="module-client",
        ),
        pytest.param(
            "from openai import OpenAI\ndef f(c: OpenAI):\n"
            "    return c.chat.completions.create(model='m', messages=[])\n",
            [(3, "CM410")],
            id="typed-parameter",
        ),
        pytest.param(
            "from openai import OpenAI\nc = OpenAI(base_url='https://api.groq.com/openai/v1')\n",
            [],
            id="none-moves",
        ),
        pytest.param(
            "from openai import OpenAI\nc = OpenAI()\nc.embeddings.create(model='e', input='x')\n",
            [],
            id="only-a-kept-client",
        ),
        pytest.param(
            "from cerebras.cloud.sdk import Cerebras\nc = Cerebras()\n", [], id="cerebras-sdk"
        ),
    ],
)
@pytest.mark.parametrize("target", ["openai", "cerebras"])
def test_openai_environment_reads_where_an_openai_client_moves(
    clients: str, expected: list[tuple[int, str]], target: str
) -> None:
    assert codes(ENV_CHECK + clients, target, {"CM410"}) == expected


def test_openai_environment_reads_follow_the_import_and_the_key_option() -> None:
    src = (
        "from os import environ as env, getenv\n\n"
        "from openai import OpenAI\n\n"
        "KEY = env['OPENAI_API_KEY']\n"
        "ORG = getenv('OPENAI_ORG_ID')\n"
        "HERE = 'OPENAI_BASE_URL' in env\n"
        "client = OpenAI(api_key=getenv('OPENAI_API_KEY'))\n"
        "SILENT = env.get('OPENAI_API_KEY')  # cerebras-migrate: ignore[CM410]\n"
    )
    result = migrate(src, target="openai", api_key_env="LLM_KEY")
    found = [(d.line, d.code, d.message) for d in result.diagnostics if d.code == "CM410"]
    assert [(line, code) for line, code, _ in found] == [(5, "CM410"), (6, "CM410"), (7, "CM410")]
    assert "read LLM_KEY instead" in found[0][2]
    assert "means nothing on Cerebras" in found[1][2]
    assert "URL is now in the code" in found[2][2]
    assert "api_key=os.environ['LLM_KEY']" in result.code  # its own argument: rewritten
