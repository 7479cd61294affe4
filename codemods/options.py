"""What the codemods need to know about the run: the target, the user's choices, and the base
URL each kind of client gets from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from codemods.facts import openai_params, sdk

Target = Literal["openai", "cerebras"]
OpenAIApi = Literal["0.x", "1.x"]
TARGETS: tuple[Target, ...] = ("openai", "cerebras")


@dataclass(frozen=True)
class Options:
    target: Target = "openai"
    api_key_env: str = sdk.CEREBRAS_API_KEY_ENV
    base_url: str = sdk.CEREBRAS_BASE_URL
    # (pattern, replacement) pairs tried before the default map; patterns may be globs.
    model_map: tuple[tuple[str, str], ...] = ()
    keep_models: bool = False
    # The openai release the project runs; None means the newest one we know.
    openai_version: str | None = None
    # Which openai API that is, when something rules the other out: a release given or
    # pinned, or a requirement that allows only one (``openai<1``, ``openai>=1.2``). None
    # (no pin, ``openai>=0.27``): each module's own code says (``pre_v1``).
    openai_api: OpenAIApi | None = None
    # The openai-node release a JavaScript/TypeScript module runs on, from its nearest
    # package.json (codemods/js/version.py); None means the newest one we know.
    openai_node_version: str | None = None
    # Remove request keywords the Cerebras SDK does not take, instead of only reporting them.
    drop_unsupported: bool = False
    # Rewritten statements that grow past this are wrapped one argument per line.
    line_length: int = 88

    @property
    def pre_v1(self) -> bool | None:
        """True: the project runs openai 0.x; False: 1.0 or later; None: either may be, and a
        module written for the 0.x API is taken to run on it (codemods/python/pre_v1.py)."""
        if self.openai_api is not None:
            return self.openai_api == "0.x"
        if self.openai_version is not None and openai_params.is_pre_v1(self.openai_version):
            return True
        return None

    @property
    def own_urls(self) -> frozenset[str]:
        """The base URL given, with and without ``/v1``: what the two SDKs are pointed at."""
        url = self.base_url.rstrip("/")
        return frozenset({url, url.removesuffix("/v1")})

    @property
    def client_base_url(self) -> str | None:
        """The ``base_url`` a client constructor of the target gets; None: the SDK's default.

        The openai client gets the URL as given (``.../v1``). The Cerebras SDK's paths already
        start with ``/v1``, so it gets the URL without it, or nothing for the Cerebras URL,
        its default (``https://api.cerebras.ai/v1`` would post to ``/v1/v1/...``)."""
        if self.target == "openai":
            return self.base_url
        url = self.base_url.rstrip("/")
        return None if url == sdk.CEREBRAS_BASE_URL else url.removesuffix("/v1")

    @property
    def module_base_url(self) -> str:
        """``openai.base_url`` is joined with paths without a slash: it needs a trailing one."""
        return self.base_url.rstrip("/") + "/"

    @property
    def pre_v1_base_url(self) -> str:
        """openai 0.x's ``openai.api_base`` is followed by paths that start with a slash
        (``/chat/completions``): it takes none of its own."""
        return self.base_url.rstrip("/")
