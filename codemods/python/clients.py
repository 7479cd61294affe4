"""What a client is, and the one decision about where a constructor sends its requests.

A leaf, without libcst: the resolver (libcst, one module) and the project index (CPython's
``ast``, every module) describe a constructor call by the same few facts and ask
``decide`` about it, so a client is judged the same wherever it is seen from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from codemods.facts import sdk

Sdk = Literal["openai", "cerebras", "azure"]
# Where a client sends its requests, as far as the code shows. "dynamic": its constructor is
# in view but its URL or arguments are only known at run time (the rewrite leaves it alone);
# "unknown": only its type is in view (a parameter annotated ``client: OpenAI``), so it is
# taken to be a client the migration points at Cerebras where it is made; "unattributed":
# only its type is in view, and the module keeps a client of that class where it is, so
# which one it is cannot be told (its requests are left alone and reported); "kept": it
# points at OpenAI and stays there, as it is only used for endpoints Cerebras does not serve.
Provider = Literal["openai", "cerebras", "other", "dynamic", "unknown", "unattributed", "kept"]
# Why a constructor is left alone: rewriting it would send some other provider's traffic, or
# a key it cannot see, to Cerebras; or, "unserved-only", every request it makes is one
# Cerebras has no endpoint for, so moving it would only break them.
LeftAlone = Literal["azure", "dynamic-arguments", "dynamic-url", "other-provider", "unserved-only"]


@dataclass(frozen=True)
class ClientClass:
    """A client class: which SDK, sync or async, and the name the SDK exports it under."""

    sdk: Sdk
    name: str

    @property
    def is_async(self) -> bool:
        return self.name.startswith("Async")


@dataclass(frozen=True)
class ClientRef:
    """What a receiver expression is known to be."""

    cls: ClientClass | None  # None: the ``openai`` module itself
    provider: Provider  # where its base URL points, as far as the code shows

    @property
    def sdk(self) -> Sdk:
        return self.cls.sdk if self.cls else "openai"

    @property
    def is_module(self) -> bool:
        return self.cls is None

    @property
    def migrated(self) -> bool:
        """Whether its requests follow the migration: clients left alone keep theirs."""
        return self.sdk != "azure" and self.provider not in (
            "other",
            "dynamic",
            "unattributed",
            "kept",
        )


def client_class(qualname: str | None) -> ClientClass | None:
    """The SDK client class a qualified name (``openai.OpenAI``) names, if any."""
    if qualname is None:
        return None
    module, _, name = qualname.rpartition(".")
    if module == sdk.OPENAI_MODULE and name in sdk.OPENAI_CLIENTS:
        return ClientClass("openai", name)
    if module == sdk.OPENAI_MODULE and name in sdk.OPENAI_AZURE_CLIENTS:
        return ClientClass("azure", name)
    if module in sdk.CEREBRAS_CLIENT_MODULES and name in sdk.CEREBRAS_CLIENTS:
        return ClientClass("cerebras", name)
    return None


def classify_url(url: str) -> Provider:
    host = (urlsplit(url).hostname or "").lower()
    if host == sdk.CEREBRAS_HOST or host.endswith("." + sdk.CEREBRAS_HOST):
        return "cerebras"
    if host == sdk.OPENAI_HOST:
        return "openai"
    return "other"


def classifier(own_urls: frozenset[str]) -> Callable[[str], Provider]:
    """``classify_url``, with the URLs the user named as Cerebras (``--base-url``: a loopback
    test server, a proxy) counted as Cerebras."""

    def classify(url: str) -> Provider:
        if url.rstrip("/") in own_urls:
            return "cerebras"
        return classify_url(url)

    return classify


class Decision(NamedTuple):
    provider: Provider
    left_alone: LeftAlone | None  # None: the migration points it at Cerebras


def decide(
    cls: ClientClass,
    *,
    star_kwargs: bool,
    has_url: bool,
    url: str | None,
    classify: Callable[[str], Provider],
    unserved_only: bool = False,
) -> Decision:
    """Where a constructor of ``cls`` sends its requests and whether the migration moves it,
    from what its call shows: a ``**kwargs`` argument, a ``base_url=`` keyword and, when
    that is a literal, its value; and ``unserved_only``, whether the code shows every use
    of the client is a request on an endpoint Cerebras does not serve (embeddings, audio,
    ...), and nothing else reaches it."""
    provider: Provider
    if star_kwargs:
        provider = "dynamic"
    elif not has_url:
        provider = "cerebras" if cls.sdk == "cerebras" else "openai"
    else:
        provider = "dynamic" if url is None else classify(url)
    left_alone: LeftAlone | None = None
    if cls.sdk == "azure":
        left_alone = "azure"
    elif star_kwargs:
        left_alone = "dynamic-arguments"
    elif has_url and url is None:
        left_alone = "dynamic-url"
    elif provider == "other":
        left_alone = "other-provider"
    elif unserved_only and cls.sdk == "openai" and provider == "openai":
        # On Cerebras its requests could only fail: it keeps OpenAI's URL and key. A client
        # already on Cerebras (a Cerebras SDK client, a Cerebras URL) is broken there as it
        # is, and moves like any other: reported at each request (CM401).
        provider, left_alone = "kept", "unserved-only"
    return Decision(provider, left_alone)
