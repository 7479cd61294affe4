"""The facts in ``codemods/facts/`` and its data file, checked against the installed SDKs.

A new SDK release that adds or removes a keyword fails here, not as a wrong rewrite.
"""

from __future__ import annotations

import inspect

import cerebras.cloud.sdk as cerebras_sdk
import openai
import pytest
from cerebras.cloud.sdk import Cerebras

from codemods.facts import models, openai_params, sdk


def _keywords(func: object) -> set[str]:
    return {
        name
        for name, p in inspect.signature(func).parameters.items()  # type: ignore[arg-type]
        if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    }


@pytest.fixture(scope="module")
def openai_client() -> openai.OpenAI:
    return openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")


@pytest.fixture(scope="module")
def cerebras_client() -> Cerebras:
    return Cerebras(api_key="test", base_url="http://127.0.0.1:9", warm_tcp_connection=False)


def test_installed_openai_release_is_in_the_table() -> None:
    assert openai.__version__ in openai_params.known_openai_versions()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("chat.completions.create", ("chat", "completions", "create")),
        ("chat.completions.parse", ("chat", "completions", "parse")),
        ("chat.completions.stream", ("chat", "completions", "stream")),
        ("completions.create", ("completions", "create")),
    ],
)
def test_openai_method_params_match_signature(
    openai_client: openai.OpenAI, method: str, path: tuple[str, ...]
) -> None:
    target: object = openai_client
    for attr in path:
        target = getattr(target, attr)
    assert openai_params.openai_method_params(method, openai.__version__) == _keywords(target)


def test_openai_client_params_match_signature() -> None:
    table = openai_params.openai_params(openai.__version__)["client"]
    assert table == _keywords(openai.OpenAI.__init__)
    assert table >= sdk.OPENAI_ONLY_CLIENT_KWARGS


def test_openai_client_classes_exist() -> None:
    for name in (*sdk.OPENAI_CLIENTS, *sdk.OPENAI_AZURE_CLIENTS):
        assert inspect.isclass(getattr(openai, name)), name


def test_cerebras_client_classes_exist() -> None:
    for name in sdk.CEREBRAS_CLIENTS:
        assert inspect.isclass(getattr(cerebras_sdk, name)), name
    assert _keywords(Cerebras.__init__) == sdk.CEREBRAS_CLIENT_PARAMS


@pytest.mark.parametrize("method", sorted(sdk.CEREBRAS_PARAMS))
def test_cerebras_method_params_match_signature(cerebras_client: Cerebras, method: str) -> None:
    target: object = cerebras_client
    for attr in method.split("."):
        target = getattr(target, attr)
    assert sdk.CEREBRAS_PARAMS[method] == _keywords(target)


@pytest.mark.parametrize("method", sorted(sdk.CEREBRAS_ONLY_BODY))
def test_cerebras_only_fields_are_cerebras_keywords_the_openai_client_lacks(method: str) -> None:
    cerebras_only = sdk.CEREBRAS_ONLY_BODY[method]
    assert cerebras_only <= sdk.CEREBRAS_PARAMS[method]
    # prompt_cache_key is standard in chat but Cerebras-only for legacy completions.
    assert not cerebras_only & openai_params.openai_method_params(method)  # type: ignore[operator]


def test_header_keywords_are_cerebras_keywords() -> None:
    for method in sdk.CEREBRAS_PARAMS:
        assert set(sdk.CEREBRAS_HEADER_KWARGS) <= sdk.CEREBRAS_PARAMS[method]


@pytest.mark.parametrize(
    ("version", "keyword", "accepted"),
    [
        ("1.57.0", "reasoning_effort", False),
        ("1.58.0", "reasoning_effort", True),
        ("1.44.0", "max_completion_tokens", False),
        ("1.45.0", "max_completion_tokens", True),
        ("1.97.0", "prompt_cache_key", False),
        ("1.98.0", "prompt_cache_key", True),
        ("1.0.0", "tools", False),
    ],
)
def test_keyword_history_follows_reference(version: str, keyword: str, accepted: bool) -> None:
    params = openai_params.openai_method_params("chat.completions.create", version)
    assert params is not None
    assert (keyword in params) is accepted


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o", "gpt-oss-120b"),
        ("gpt-4o-mini-2024-07-18", "gpt-oss-120b"),
        ("gpt-3.5-turbo-instruct", "gpt-oss-120b"),
        ("o3-mini", "gpt-oss-120b"),
        ("gpt-5.1", "gpt-oss-120b"),
        ("text-embedding-3-small", None),
        ("gpt-4o-realtime-preview", None),
        ("gpt-4o-mini-tts", None),
        ("gpt-oss-120b", None),
        ("zai-glm-4.7", None),
        ("llama-3.3-70b", None),
    ],
)
def test_default_model_map(model: str, expected: str | None) -> None:
    assert models.map_model(model, ()) == expected


def test_user_model_map_wins_and_globs() -> None:
    user = (("gpt-4o-mini", "zai-glm-4.7"), ("gpt-4*", "gemma-4-31b"))
    assert models.map_model("gpt-4o-mini", user) == "zai-glm-4.7"
    assert models.map_model("gpt-4.1", user) == "gemma-4-31b"
    assert models.map_model("o1", user) == "gpt-oss-120b"
    assert models.map_model("gpt-4o", (("gpt-4o", "gpt-4o"),)) is None


@pytest.mark.parametrize("method", sorted(openai_params.KEYWORD_INTRODUCED))
def test_keyword_introduced_agrees_with_every_recorded_release(method: str) -> None:
    for version in openai_params.known_openai_versions():
        params = openai_params.openai_params(version).get(method, frozenset())
        for keyword, since in openai_params.KEYWORD_INTRODUCED[method].items():
            if openai_params._version_key(since) <= openai_params._version_key(version):
                # Present from its first release on, unless a later release removed it.
                continue
            assert keyword not in params, (version, keyword, since)


def test_versions_compare_as_pep_440() -> None:
    assert openai_params.openai_params("1.58") == openai_params.openai_params("1.58.0")
    accepted = openai_params.openai_method_params("chat.completions.create", "1.58")
    assert "reasoning_effort" in accepted  # type: ignore[operator]
    assert "reasoning_effort" not in openai_params.openai_method_params(  # type: ignore[operator]
        "chat.completions.create", "1.58.0rc1"
    )


def test_the_openai_environment_is_what_the_clients_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each variable with a constructor keyword is what the openai client reads when that
    # keyword is not given; the others it never reads.
    values = {
        "OPENAI_API_KEY": "sk-from-env",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/from-env/",
        "OPENAI_ORG_ID": "org-from-env",
        "OPENAI_PROJECT_ID": "proj-from-env",
    }
    for name in sdk.OPENAI_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    client = openai.OpenAI()
    read = {
        "api_key": client.api_key,
        "base_url": str(client.base_url),
        "organization": client.organization,
        "project": client.project,
    }
    for name, (kind, keyword) in sdk.OPENAI_ENVIRONMENT.items():
        assert kind in ("key", "base-url", "none"), name
        if keyword is not None:
            assert read[keyword] == values[name], name
    assert set(read) == {k for _, k in sdk.OPENAI_ENVIRONMENT.values() if k}
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:9/legacy/")
    assert "legacy" not in str(openai.OpenAI().base_url)
    # The Cerebras SDK reads its URL from the variable the messages name.
    monkeypatch.setenv(sdk.CEREBRAS_BASE_URL_ENV, "http://127.0.0.1:9/cerebras-env")
    cerebras = Cerebras(api_key="test", warm_tcp_connection=False)
    assert "cerebras-env" in str(cerebras.base_url)


@pytest.mark.parametrize(
    "path",
    [("embeddings",), ("images",), ("audio", "speech"), ("files",), ("beta", "assistants")],
)
def test_unserved_resources_are_openai_resources_the_cerebras_sdk_lacks(
    openai_client: openai.OpenAI, cerebras_client: Cerebras, path: tuple[str, ...]
) -> None:
    # What CM401 says: the openai client has the resource, the Cerebras SDK does not (a
    # request on it is an AttributeError there).
    assert sdk.unserved_resource([*path, "create"]) is not None
    on_openai: object = openai_client
    on_cerebras: object = cerebras_client
    for name in path:
        on_openai = getattr(on_openai, name)
        on_cerebras = getattr(on_cerebras, name, None)
    assert on_cerebras is None
