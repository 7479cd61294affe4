"""Every diagnostic code: one typed constant per code, and nothing else decides what a code is.

A rule holds its stable code and name, its severity, whether the rewrite behind it is safe,
the one-line summary (the README's rule table and ``--list-rules``), the explanation
``--explain`` prints, and the templates of the messages emitted under it, by situation.
Code that reports writes ``rules.CM201`` and fills a template's fields; it never spells a
code or a message of its own. ``tests/test_rules.py`` holds every code to an example or a
test that emits it, and the README's table to this file.

Codes are part of the public interface (users filter on them, CI annotations name them), so
a code never changes meaning; retired codes are not reused. Pure standard library plus the
facts: the reporters and the CLI use it without loading libcst.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from codemods.facts import models, sdk


class Severity(str, Enum):
    """``fixed``: rewritten, for the record. ``warning``: needs a look. ``error``: not processed."""

    FIXED = "fixed"
    WARNING = "warning"
    ERROR = "error"


class Fix(str, Enum):
    """What the rewrite behind a code does to the program's behaviour, as ruff grades fixes.

    ``safe``: the migrated program does what it did, on Cerebras. ``unsafe``: it does
    something different that the migration needs (another model, a key read from the
    environment, a keyword removed on request): look at it. ``none``: nothing is rewritten;
    the diagnostic says what to do by hand."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"


DEFAULT = "default"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    fix: Fix
    summary: str
    explanation: str
    # Message templates (``str.format``) by situation; DEFAULT is the usual one.
    messages: Mapping[str, str]
    # Fields every message of this rule may use, filled from the facts.
    defaults: Mapping[str, str] = field(default_factory=dict)

    def format(self, variant: str = DEFAULT, /, **fields: Any) -> str:
        """The message for ``variant`` with ``fields`` filled in."""
        return self.messages[variant].format(**{**self.defaults, **fields})

    def at(self, line: int, column: int, variant: str = DEFAULT, /, **fields: Any) -> Diagnostic:
        """A diagnostic of this rule at ``line``/``column`` (1-based)."""
        return Diagnostic(self.code, line, column, self.format(variant, **fields))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def sentence(self) -> str:
        """The summary as a sentence, for text that stands alone (SARIF, ``--explain``)."""
        return self.summary[:1].upper() + self.summary[1:] + "."


@dataclass(frozen=True)
class Diagnostic:
    """One finding at a place: a rule's code, 1-based line and column, and the message."""

    code: str
    line: int
    column: int
    message: str

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"unknown diagnostic code {self.code!r}: add it to codemods/rules.py")

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return RULES[self.code].severity


def _rule(
    code: str,
    name: str,
    severity: Severity,
    fix: Fix,
    summary: str,
    explanation: str,
    messages: str | dict[str, str],
    **defaults: str,
) -> Rule:
    if isinstance(messages, str):
        messages = {DEFAULT: messages}
    return Rule(
        code,
        name,
        severity,
        fix,
        summary,
        " ".join(explanation.split()),
        MappingProxyType(messages),
        MappingProxyType(defaults),
    )


FIXED, WARNING, ERROR = Severity.FIXED, Severity.WARNING, Severity.ERROR
_CEREBRAS_MODELS = ", ".join(models.CEREBRAS_MODELS)

# Clients ------------------------------------------------------------------------------------
CM101 = _rule(
    "CM101",
    "hard-coded-api-key",
    FIXED,
    Fix.UNSAFE,
    "a key literal was replaced by an environment lookup, or removed from code that sets "
    "the environment; revoke the old key",
    """A key written into the code is a leaked key: it is in the repository's history for
    good. The migrated code reads the Cerebras key from the environment instead (the
    variable of --api-key-env), so set it before running the program, and revoke the old
    key where it was issued. A key the code puts into the environment itself, of any
    provider (os.environ["GROQ_API_KEY"] = ..., os.environ.setdefault, os.putenv, an
    os.environ.update entry, a notebook's %env line) is removed with its statement, and a
    key given as the default of a lookup (os.getenv("X", ...)) is removed from it: set the
    variable in the environment. The key is masked in everything the tool prints.""",
    {
        DEFAULT: "hard-coded API key ({masked}) replaced by ${env}; revoke it and set the variable",
        "env-set": "hard-coded key ({masked}) for {variable} removed; set it in the environment "
        "and revoke the key",
        "env-default": "hard-coded key ({masked}) removed as the default of {variable}; set it "
        "in the environment and revoke the key",
        "env-line": "hard-coded key ({masked}) for {variable} removed with its `{magic}` line; "
        "set it in the environment and revoke the key",
        "module-key": "hard-coded API key ({masked}) set as openai.api_key removed: the Cerebras "
        "client reads ${env}; revoke it and set the variable",
        "key-part": "API key built from a hard-coded key part ({masked}) replaced by ${env}; "
        "revoke the key, remove its other parts and set the variable",
    },
)
CM102 = _rule(
    "CM102",
    "dropped-client-argument",
    FIXED,
    Fix.SAFE,
    "a client argument with no meaning on the target (`organization`, `project`, "
    "`warm_tcp_connection`, ...) was dropped",
    """OpenAI's organization and project ids mean nothing to Cerebras, and the Cerebras SDK
    does not take them at all (a TypeError); the openai client does not take the Cerebras
    SDK's warm_tcp_connection. The argument, or the module-level setting, was removed. For
    openai 0.x, a module setting the environment may fill in at import (openai.organization
    from OPENAI_ORGANIZATION, openai.api_key_path from OPENAI_API_KEY_PATH, whose key file
    supersedes openai.api_key) is set to None instead.""",
    {
        DEFAULT: "`{keyword}` has no meaning on Cerebras; dropped",
        "not-an-argument": "`{keyword}` is not an argument of {sdk}; dropped",
        "module-setting": "openai.{attr} has no meaning on Cerebras; dropped",
        "header": "the {header} header is an OpenAI account id; dropped",
        "js-null": "`{keyword}` is an OpenAI account id; now null, so that openai-node neither "
        "reads it from the environment nor sends it",
        "v0-cleared": "openai.{attr} is an OpenAI setting (openai 0.x also reads it from "
        "${env}); now None, so that it cannot reach Cerebras",
    },
)
CM103 = _rule(
    "CM103",
    "other-provider",
    WARNING,
    Fix.NONE,
    "the client points at another provider; left alone",
    """The client's base_url names another provider (Groq, Ollama, vLLM, OpenRouter,
    localhost, ...). Rewriting it would send that provider's traffic, and its key, to
    Cerebras, so the client and its requests are left as they are. Point it at Cerebras by
    hand if that is what you want, or pass the URL as --base-url if it is your own proxy
    in front of Cerebras.""",
    {
        "client": "client points at another provider ({url}); left alone",
        "module": "the module-level client points at another provider ({url}); left alone",
        "module-request": "the module-level client points at another provider or a computed "
        "URL; left alone",
        "v0-module": "openai.api_base points at another provider ({url}); the module-level "
        "client is left alone",
        "v0-request": "this request points at another provider ({url}); left alone (it must pass "
        "that provider's api_key: the module's key is now the Cerebras key)",
        "js-imported": "the client {receiver} from {origin!r} is left alone there (another "
        "provider, a computed URL or options that cannot be checked); this {method} request "
        "was left as written",
    },
)
CM104 = _rule(
    "CM104",
    "dynamic-base-url",
    WARNING,
    Fix.NONE,
    "`base_url` is computed at run time; left alone",
    """The base URL comes from a variable, a call or a config value, so the tool cannot tell
    which provider the client talks to, and leaves it alone. Set the Cerebras URL where the
    value is made.""",
    {
        "client": "base_url is computed at run time; client left alone: point it at "
        "{base_url} where the value comes from",
        "module": "openai.base_url is computed at run time; left alone: set it to {base_url!r}",
        "js-client": "baseURL is computed at run time; client left alone: point it at "
        "{base_url} where the value comes from",
        "js-v3": "basePath is computed at run time; this Configuration and its clients are "
        "left alone: point it at {base_url} where the value comes from",
        "v0-module": "openai.api_base is computed at run time; the module-level client is left "
        "alone: set it to {base_url!r}",
        "v0-request": "api_base is computed at run time; request left alone (it must pass its "
        "own api_key: the module's key is now the Cerebras key)",
    },
)
CM105 = _rule(
    "CM105",
    "dynamic-client-arguments",
    WARNING,
    Fix.NONE,
    "`OpenAI(**kwargs)`: set base_url and api_key where they are built",
    """The constructor's arguments come from a mapping, so neither the URL nor the key can be
    checked or set here. Put the Cerebras base URL and the key from the environment into the
    mapping where it is built.""",
    {
        DEFAULT: "{cls}(**...) cannot be checked; set base_url={base_url!r} and api_key from "
        "${env} where those arguments are built",
        "js": "new {cls}(...) with options that are not an object literal (or hold a spread) "
        "cannot be checked; set baseURL: {base_url!r} and apiKey from process.env.{env} where "
        "they are built",
        "js-v3": "new {cls}(...) with a configuration that is not a Configuration of this "
        "module, or options that are not an object literal, cannot be checked; set basePath: "
        "{base_url!r} and apiKey from process.env.{env} where they are built",
    },
)
CM106 = _rule(
    "CM106",
    "azure-client",
    WARNING,
    Fix.NONE,
    "`AzureOpenAI` cannot point at Cerebras; rewrite by hand",
    """AzureOpenAI builds deployment URLs (/openai/deployments/NAME/...) that Cerebras does not
    serve. Replace it with a plain OpenAI client (or the Cerebras SDK) and map the deployment
    names to Cerebras model ids.""",
    {
        DEFAULT: "{cls} cannot be pointed at Cerebras (deployment URLs); replace it with "
        "OpenAI(base_url=...) and map its deployment names to model ids",
        "v0-module": "openai.api_type may make the module-level client an Azure one "
        "(deployment URLs), which cannot point at Cerebras; left alone",
        "v0-request": "api_type may make this request an Azure one (deployment URLs), which "
        "cannot point at Cerebras; left alone",
    },
)
CM107 = _rule(
    "CM107",
    "dynamic-api-key",
    WARNING,
    Fix.NONE,
    "the key comes from a variable or config; make sure it is a Cerebras key",
    """The client now talks to Cerebras, but its key comes from a variable of the project's
    own or from an expression the tool cannot follow. Make sure it holds a Cerebras key:
    an OpenAI key sent to Cerebras fails with 401, and leaks the key to another provider.""",
    {
        "env": "api_key is read from ${env}; make sure it holds a Cerebras key",
        "expression": "api_key comes from an expression; make sure it is a Cerebras key",
        "expression-openai": "api_key comes from an expression; make sure it is a Cerebras key"
        " and never None (the openai client would then send $OPENAI_API_KEY)",
        "js-env": "apiKey is read from ${env}; make sure it holds a Cerebras key",
        "js-expression": "apiKey comes from an expression; make sure it is a Cerebras key",
        "js-expression-openai": "apiKey comes from an expression; make sure it is a Cerebras"
        " key and never undefined (openai-node would then send $OPENAI_API_KEY)",
        "js-v3-expression": "apiKey comes from an expression; make sure it is a Cerebras key"
        " and never undefined (openai v3 would then send `Bearer undefined`)",
    },
)
CM108 = _rule(
    "CM108",
    "module-client-configured",
    FIXED,
    Fix.SAFE,
    "the module-level `openai` client was pointed at Cerebras",
    """Code that calls openai.chat.completions.create(...) uses the openai package's
    module-level client. It now has openai.base_url set to the Cerebras URL (with the
    trailing slash the module client needs) and openai.api_key read from the environment.
    Code for openai 0.x (openai.ChatCompletion.create(...)) gets openai.api_base instead
    (0.x has no base_url), and the settings 0.x reads from the environment at import that
    would send an OpenAI id to Cerebras or change where requests go (openai.organization,
    openai.api_key_path, openai.api_type) are set beside it.""",
    {
        "beside-key": "openai.base_url set to {base_url} beside the key",
        "added": "the module-level openai client now points at Cerebras (${env})",
        "v0-beside-key": "openai 0.x: openai.api_base set to {base_url} beside the key, with "
        "{settings} (read from the environment at import otherwise)",
        "v0-added": "the module-level openai 0.x client now points at Cerebras (api_base, "
        "${env}, {settings})",
        "v0-settings": "openai 0.x: {settings} set beside this line (read from the "
        "environment at import otherwise)",
        "v0-base": "openai 0.x: openai.api_base now {base_url}",
        "v0-request": "api_base of this openai 0.x request now {base_url}",
    },
)
CM109 = _rule(
    "CM109",
    "openai-only-module-setting",
    WARNING,
    Fix.NONE,
    "`openai.organization`/`openai.project` mean nothing to Cerebras; remove the line",
    """The module-level organization and project settings are OpenAI account ids. The
    migrated module client no longer sends them (its default_headers omit the
    OpenAI-Organization and OpenAI-Project headers), so the line does nothing: remove it.""",
    "openai.{attr} has no meaning on Cerebras; remove this line",
)
CM110 = _rule(
    "CM110",
    "http-client-kept",
    WARNING,
    Fix.NONE,
    "`http_client` is passed as it is; check the target SDK accepts that client",
    """Each SDK wraps its own HTTP client type (openai's DefaultHttpxClient, an httpx client
    for the Cerebras SDK). The http_client argument was kept as it is: check that the target
    SDK accepts what it is given.""",
    "http_client is passed as it is; the {target} SDK wants {wants} client",
)
CM111 = _rule(
    "CM111",
    "no-counterpart",
    WARNING,
    Fix.NONE,
    "the name has no exact counterpart in the target SDK (`LengthFinishReasonError`, most "
    "`types`); its import was kept",
    """The name exists in one SDK and not in the other, or not with the same meaning (most
    response types, LengthFinishReasonError, ...). Its import and its uses were left as they
    are: rewrite them by hand for the target SDK.""",
    {
        "import": "{qualname} has no exact counterpart in the {target} SDK; kept: rewrite its "
        "uses by hand",
        "reference": "{qualname} has no exact counterpart in the {target} SDK; kept: rewrite "
        "it by hand",
        "js": "{qualname} has no exact counterpart in the {target} SDK: the module was left as "
        "it is (one import serves all its clients); rewrite that use by hand, then run again",
        "js-ignored": "{qualname} on line {line} is marked cerebras-migrate: ignore and needs "
        "this import, so the module was left as it is (one import serves all its clients); "
        "switch that line to the {target} SDK by hand, or drop the mark",
    },
)
CM112 = _rule(
    "CM112",
    "module-client-instance",
    FIXED,
    Fix.SAFE,
    "module-level `openai` calls now go through a Cerebras client object",
    """The Cerebras SDK has no module-level client. The module gets one client object
    (client = Cerebras(...), under a name that collides with nothing) and its module-level
    calls go through it.""",
    "the Cerebras SDK has no module-level client; this call now uses `{name}`",
)
CM113 = _rule(
    "CM113",
    "base-url-dropped",
    FIXED,
    Fix.SAFE,
    "the Cerebras SDK's default base URL is right (its paths start with `/v1`); an explicit "
    "one was dropped",
    f"""The Cerebras SDK's request paths already start with /v1, so the openai-style URL
    {sdk.CEREBRAS_BASE_URL} would post to /v1/v1/chat/completions. Its default URL is
    the right one, so an explicit OpenAI or Cerebras URL was removed.""",
    "base_url dropped: the Cerebras SDK's default is right, and its paths already start with "
    "/v1 (an openai-style URL would post to /v1/v1/...)",
)
CM114 = _rule(
    "CM114",
    "ambiguous-name",
    WARNING,
    Fix.NONE,
    "the SDK name is also bound to something else in the module; its import and uses were "
    "left as they are",
    """The module binds the name twice: to the SDK's class and to another import, a def or a
    class (LlamaIndex's OpenAI, a project's own). Which one a use means cannot be told
    apart, and renaming by spelling would silently swap one for the other, so nothing about
    the name changes. Give the two their own names, then run the tool again.""",
    "`{local}` is {qualname} here but also {other}; its uses cannot be told apart: left as "
    "they are",
)
CM115 = _rule(
    "CM115",
    "exported-name-kept",
    WARNING,
    Fix.NONE,
    "the SDK name is exported (`__all__`, or imported from here by other modules); its "
    "import was kept so that importers keep working",
    """Other modules import this name from here (the project index saw them), or may
    (``__all__`` lists it). Renaming it would break them, so the import stays; constructors
    in this module are still migrated, with the target's class imported beside it. Clients
    the importers build from the name stay on the old SDK: import it from the SDK itself
    there, then drop it here.""",
    {
        DEFAULT: "`{local}` is exported by __all__: its import was kept for the modules that "
        "import it from here; migrate them, then remove it",
        "imported": "`{local}` is imported from this module by {by}: its import was kept so "
        "that they keep working; import it from the SDK there, then remove it here",
    },
)
CM116 = _rule(
    "CM116",
    "unattributed-client",
    WARNING,
    Fix.NONE,
    "the request's client is known only by its type, and the module keeps a client of that "
    "type where it is; left as it is",
    """The call is made on a client the code shows only by its type (a parameter annotated
    OpenAI, say), while this module also keeps a client of that class on its old provider
    (another provider, a computed URL, a class passed around). Which of them reaches this
    call cannot be told, so the request is not rewritten. Make sure the client passed here is
    the migrated one, and migrate the call by hand if it is.""",
    "which {cls} client this call is made on cannot be told (this module also keeps one on "
    "its old provider); left as it is",
)
CM117 = _rule(
    "CM117",
    "client-class-as-value",
    WARNING,
    Fix.NONE,
    "the client class is used as a value (assigned, passed, subclassed): the clients made "
    "from it cannot be followed",
    """The class is not only called, caught or checked: it is stored, passed to a function or
    subclassed, and the clients made from it elsewhere (a factory building DeepSeek or a
    local server as well as OpenAI) cannot be followed. Its import and that use are left as
    they are; constructors called directly are still migrated. Migrate the clients the
    factory builds by hand.""",
    "{cls} is used as a value here: the clients made from it cannot be followed; left on "
    "{sdk}: migrate them by hand",
)
CM118 = _rule(
    "CM118",
    "handler-catches-both",
    FIXED,
    Fix.SAFE,
    "in a module with clients of both SDKs, an `except` clause or `isinstance` check now "
    "takes both SDKs' class",
    """The module keeps a client on its old SDK (another provider, a computed URL, a client only
    used for endpoints Cerebras does not serve) and migrates another, and exception and client
    names cannot be told apart by the client behind them. So the names keep their meaning, and
    an except clause or an isinstance check that names one SDK's class takes the other SDK's
    counterpart too: each client's errors are still caught, and each client is still recognised.
    A module that shows no client of its own (a retry helper, a handler around calls into other
    modules) follows the whole project: when the project keeps some clients of the SDK and
    migrates others, it takes both.""",
    {
        DEFAULT: "{name} is taken together with {other}: this module has clients of both SDKs",
        "project": "{name} is taken together with {other}: the project has clients of both "
        "SDKs, and which of them this module's calls reach cannot be told",
    },
)

CM119 = _rule(
    "CM119",
    "untraced-client",
    WARNING,
    Fix.NONE,
    "a request is made on a client that cannot be traced to where it is made (a parameter "
    "without a type, an attribute set elsewhere); left as it is",
    """The call has the shape of a request (``x.chat.completions.create``), but nothing in the
    project shows what ``x`` is: it is a parameter without an annotation, an attribute set
    outside the class, or it comes from a module the index could not read. The tool never
    guesses, so the request is left as written: its Cerebras-only keywords are not moved
    into extra_body, nor un-nested, and its model is not mapped. Annotate the parameter
    (``client: OpenAI``) or build the client where the tool can see it, or check the call by
    hand. Project-wide runs see clients imported from other modules; this remains where
    they end.""",
    "which client `{receiver}` is cannot be told (nothing in the project shows where it is "
    "made): this {method} request was left as written; make sure it reaches a migrated client",
)

CM120 = _rule(
    "CM120",
    "patched-name-moves",
    WARNING,
    Fix.NONE,
    'a test patches an SDK name (`mock.patch("app.llm.OpenAI")`) whose uses the migration '
    "moves to the other SDK: the patch would no longer reach the code",
    """``mock.patch`` and ``monkeypatch.setattr`` name what they replace by a string: the
    SDK's own name (``"openai.OpenAI"``), or the name a module of the project imports it under
    (``"app.llm.OpenAI"``, followed through the project's imports and re-exports). The
    migration moves that name's uses to its counterpart in the other SDK, so the patch would
    replace something the migrated code no longer calls (or, for a renamed import, something
    no longer there). Patch the counterpart instead, as the message says.""",
    {
        DEFAULT: "`{text}` patches {qualname}, whose uses the migration moves to {counterpart}: "
        "patch that instead, or the patch no longer reaches the code",
        "js-mock": '`{text}("{specifier}")` mocks the SDK by name, and migrated modules import '
        '"{counterpart}" instead, which it does not reach (the test would call the real '
        "SDK): this module is left as it is; mock the other package too, then migrate it",
    },
)

CM121 = _rule(
    "CM121",
    "unserved-only-client",
    WARNING,
    Fix.NONE,
    "the client is only used for endpoints Cerebras does not serve (embeddings, audio, ...): "
    "left on OpenAI, with its OpenAI key and URL",
    """Every request the client makes is on an endpoint Cerebras has no counterpart for
    (embeddings, images, audio, files, batches, fine-tuning, moderations, responses,
    assistants, vector stores, realtime): pointed at Cerebras, each would fail. So it is left
    as written, on OpenAI: its requests still go to OpenAI with its OpenAI key and URL (the
    program still needs that key), while the module's other clients move. On --target
    cerebras it keeps its openai class and import, and the module's exception handlers catch
    both SDKs' errors (CM118). The tool is sure of a client's uses only when the constructor
    is the receiver of such a request itself, or is assigned once to a name that occurs
    nowhere else in its scope but as the receiver of such requests: not passed, returned,
    stored, rebound, exported (``__all__``), used by another module of the project, nor
    reached through with_options() or copy(). Otherwise the client moves as any other and
    each such request is reported (CM401). Replace the feature, or keep the OpenAI key for
    it. In JavaScript and TypeScript the same rule holds (not exported, nor reached through
    withOptions()); on --target cerebras a module whose one import of openai serves such a
    client and others is left as it is, all of it: migrate it with --target openai, or give
    that client a module of its own.""",
    {
        DEFAULT: "`{name}` is only used for {resources}, which Cerebras does not serve: it "
        "stays on OpenAI, with its OpenAI key and URL",
        "inline": "this client is only used for {resources}, which Cerebras does not serve: "
        "it stays on OpenAI, with its OpenAI key and URL",
        "js-module": "{client} is only used for {resources}, which Cerebras does not serve: it "
        "stays on OpenAI, and so does this module, whose one import of openai serves all its "
        "clients; migrate it with --target openai, or give that client a module of its own",
    },
)
CM122 = _rule(
    "CM122",
    "star-import",
    WARNING,
    Fix.NONE,
    "`from openai import *` hides which SDK names the module uses: nothing reached through it "
    "was migrated",
    """A star import binds every public name of the SDK without naming one, so which of the
    module's names (OpenAI, AsyncOpenAI, the errors) are the SDK's cannot be told: its
    clients, requests and any key written into them are left exactly as they are, still on
    OpenAI. Import the names the module uses (from openai import OpenAI), then run the tool
    again.""",
    "`{statement}` hides which SDK names this module uses: nothing reached through it was "
    "migrated (clients, requests, a hard-coded key); import the names you use and run again",
)
CM123 = _rule(
    "CM123",
    "browser-exposed-key",
    WARNING,
    Fix.NONE,
    "front-end code: the Cerebras key is shipped to every browser that loads it; move the "
    "requests behind a server route",
    """The client runs in the browser: its key is read from a variable the bundler inlines
    into the page (NEXT_PUBLIC_, VITE_, REACT_APP_, EXPO_PUBLIC_, NUXT_PUBLIC_, GATSBY_,
    PUBLIC_), or it sets dangerouslyAllowBrowser. Whoever loads the page can read the key
    and spend on it. A public variable that held the OpenAI key is renamed with its prefix
    kept (NEXT_PUBLIC_OPENAI_API_KEY becomes NEXT_PUBLIC_CEREBRAS_API_KEY), so the migrated
    page never sends an OpenAI key to Cerebras; set it to a Cerebras key. openai-node throws
    in a browser unless dangerouslyAllowBrowser is true, so the option is kept (and added
    when Cerebras SDK code moves to openai-node); the Cerebras TS SDK has no such option and
    no browser check, it runs in a browser as it is. Either way the key is public: make the
    requests from a server route of your own that holds the key, and call that from the
    page.""",
    {
        DEFAULT: "`{variable}` is inlined into the page by the bundler, so the Cerebras key is "
        "shipped to every browser that loads this code; move the requests behind a server "
        "route",
        "option": "`dangerouslyAllowBrowser` lets this client run in a browser, so its "
        "Cerebras key is shipped to every browser that loads this code; move the requests "
        "behind a server route",
        "added": "`{variable}` is inlined into the page by the bundler, so the Cerebras key is "
        "shipped to every browser that loads this code; `dangerouslyAllowBrowser: true` added "
        "(openai-node throws in a browser without it); move the requests behind a server "
        "route",
        "cerebras": "`{variable}` is inlined into the page by the bundler, so the Cerebras key "
        "is shipped to every browser that loads this code (the Cerebras TS SDK has no browser "
        "check: it runs there as it is); move the requests behind a server route",
        "cerebras-option": "the Cerebras TS SDK has no `dangerouslyAllowBrowser` and no "
        "browser check: this client runs in a browser as it is, and its Cerebras key is "
        "shipped to every browser that loads this code; move the requests behind a server "
        "route",
    },
)

# Requests -----------------------------------------------------------------------------------
CM201 = _rule(
    "CM201",
    "keyword-into-extra-body",
    FIXED,
    Fix.SAFE,
    "a keyword the openai client rejects moved into `extra_body`",
    """The openai client raises TypeError for a keyword its release does not declare, before
    sending anything: Cerebras-only fields such as clear_thinking, or keywords newer than the
    project's openai release. extra_body={...} sends the same request body, on every
    release.""",
    {
        DEFAULT: "`{keyword}` is not a keyword of the openai client{release}; moved into "
        "extra_body",
        "typescript-spread": "`{keyword}` is not a parameter in openai-node's types (a "
        "TypeScript error at the top level); now spread in from an object literal, which "
        "sends the same body",
    },
)
CM202 = _rule(
    "CM202",
    "keyword-into-extra-headers",
    FIXED,
    Fix.SAFE,
    "a Cerebras header keyword moved into `extra_headers`",
    """The Cerebras SDK's cf_ray, x_amz_cf_id and x_delay_time keywords set HTTP headers. The
    openai client has no such keywords; extra_headers sends the same headers (values as
    strings).""",
    "`{keyword}` moved into extra_headers as {header}",
)
CM203 = _rule(
    "CM203",
    "extra-body-conflict",
    WARNING,
    Fix.NONE,
    "the keyword is also in `extra_body`; left where it is",
    """The keyword would move into extra_body, which already sets it. Which value Cerebras
    receives is not obvious, so both were left as they are: remove one.""",
    "`{keyword}` is also set in extra_body; remove one of them",
)
CM204 = _rule(
    "CM204",
    "unsupported-keyword",
    WARNING,
    Fix.NONE,
    "the Cerebras SDK does not take this keyword (`store`, `metadata`, ...): a `TypeError`; "
    "remove it or pass `--drop-unsupported`",
    """The request names a keyword Cerebras does not support. With --target cerebras the SDK
    does not declare it and raises TypeError before sending (remove it, or rerun with
    --drop-unsupported); with --target openai the openai client sends it and Cerebras ignores
    or rejects it (remove it).""",
    {
        "openai": "`{keyword}` is not supported by Cerebras (ignored or rejected); remove it",
        "cerebras": "`{keyword}` is not a keyword of the Cerebras SDK (TypeError); remove it, "
        "or rerun with --drop-unsupported",
        "js-cerebras": "`{keyword}` is not a param of the Cerebras TS SDK (a TypeScript error; "
        "sent as it is, Cerebras ignores or rejects it); remove it",
    },
)
CM205 = _rule(
    "CM205",
    "unsupported-method",
    WARNING,
    Fix.NONE,
    "the Cerebras SDK has no `parse`/`stream`/`beta.*`; the message says what to write instead",
    """The openai client's chat.completions.parse and .stream helpers, and the beta.*
    namespace, have no equivalent in the Cerebras SDK. The call is left as it is; the
    message says what to write instead.""",
    "{method}() has no Cerebras SDK equivalent: {instead}",
)
CM206 = _rule(
    "CM206",
    "keyword-from-extra-body",
    FIXED,
    Fix.SAFE,
    "an `extra_body` entry the Cerebras SDK takes as a keyword became one",
    """The Cerebras SDK declares Cerebras-only fields (clear_thinking, reasoning_format,
    min_tokens, ...) as keywords, which its type hints check. The entry left extra_body and
    became that keyword; the request sent is the same.""",
    'extra_body["{key}"] is a keyword of the Cerebras SDK; passed as {key}=',
)
CM207 = _rule(
    "CM207",
    "unsupported-keyword-dropped",
    FIXED,
    Fix.UNSAFE,
    "a keyword the Cerebras SDK does not take was dropped (`--drop-unsupported`)",
    """With --drop-unsupported, a keyword the Cerebras SDK does not declare (it would raise
    TypeError) was removed from the request. What it asked of OpenAI (storing the
    completion, metadata, audio, ...) is not done on Cerebras.""",
    "`{keyword}` dropped",
)
CM208 = _rule(
    "CM208",
    "async-raw-response",
    WARNING,
    Fix.NONE,
    "`AsyncCerebras` raw responses parse asynchronously: `await raw.parse()` where openai "
    "code had `raw.parse()`",
    """With AsyncOpenAI, a raw response's parse() returns the completion; with AsyncCerebras it
    is a coroutine. Where the tool cannot see the response's parse() call, write
    await raw.parse() by hand.""",
    "AsyncCerebras raw responses parse asynchronously: write `await raw.parse()` where the "
    "openai code had `raw.parse()`",
)
CM209 = _rule(
    "CM209",
    "async-raw-parse-awaited",
    FIXED,
    Fix.SAFE,
    "`raw.parse()` of an `AsyncCerebras` raw response got the `await` it needs (and loses it "
    "on the way back)",
    """AsyncCerebras raw responses parse asynchronously and AsyncOpenAI ones synchronously: the
    parse() call of a raw response made in the same function got the await it needs on the
    Cerebras SDK, or lost it on the way back to the openai client.""",
    {
        "awaited": "AsyncCerebras raw responses parse asynchronously: awaited",
        "removed": "openai raw responses parse synchronously: await removed",
    },
)

CM210 = _rule(
    "CM210",
    "extra-body-flattened",
    FIXED,
    Fix.SAFE,
    "`extra_body` does not exist in openai-node: its entries became top-level request params",
    """openai-node JSON-encodes the params object as it is, so extra_body: {...} (as the
    Python SDK spells it) is sent as a literal "extra_body" property, which Cerebras rejects,
    and it is a TypeScript error too. Its entries are now top-level params, sent as they
    are: plain in JavaScript, in a spread ...{ } in TypeScript (which type-checks and keeps
    the streaming overload).""",
    {
        DEFAULT: 'openai-node sends extra_body as a literal "extra_body" property; its '
        "entries are now top-level params",
        "conflict": "`{keyword}` is set both in extra_body and at the top level; left as it is: "
        "remove one (openai-node sends extra_body as a literal property)",
        "cerebras": 'the Cerebras TS SDK would send extra_body as a literal "extra_body" '
        "property; its entries are now top-level params, which it declares",
        "untyped": 'openai-node sends extra_body as a literal "extra_body" property; its '
        "entries are now top-level params, spread from an object cast `as object`: openai-node "
        '{release} does not type `{keyword}: "{value}"` (typed from {since})',
    },
)

# Models -------------------------------------------------------------------------------------
CM301 = _rule(
    "CM301",
    "model-id-mapped",
    FIXED,
    Fix.UNSAFE,
    "an OpenAI model id was mapped to a Cerebras model",
    f"""Cerebras does not serve OpenAI's models: a request naming one fails with 404. The
    model id was replaced by the Cerebras model the map gives (--model-map entries first,
    then every OpenAI chat model to {models.DEFAULT_CEREBRAS_MODEL}). Answers will differ:
    check the model suits the task; --keep-models turns this off.""",
    "model {old!r} is not served by Cerebras; now {new!r}",
)
CM302 = _rule(
    "CM302",
    "model-constant-kept",
    WARNING,
    Fix.NONE,
    "a model-id constant also feeds code other than requests (a comparison, a price table, "
    "`tiktoken`, a client left alone); its id was left as it is",
    """The constant holds an OpenAI model id, but it is not only the model= of requests that
    move to Cerebras: it is compared, looked up, counted with tiktoken or given to a client
    left alone. Changing it would change that code too (a KeyError in a price table, a
    branch no longer taken), so it keeps its id, and each such use is reported; the requests
    that use it are reported as naming a model Cerebras does not serve. Give the requests
    their own constant, or map the id where the model is chosen. Uses in other modules of the
    project count: a constant kept in a config module and read elsewhere is mapped only when
    every read, in every module, is the model of a request that moves.""",
    {
        DEFAULT: "`{name}` ({model!r}) is used here, not only as the model of requests that "
        "move: its id was left as it is",
        "elsewhere": "`{name}` ({model!r}) is also read in {places}, not only as the model of "
        "requests that move: its id was left as it is",
        "request": "`{name}` ({model!r}), this request's model, is also read {places}, not "
        "only as the model of requests that move: its id was left as it is",
    },
)

# Readiness ----------------------------------------------------------------------------------
CM401 = _rule(
    "CM401",
    "unserved-endpoint",
    WARNING,
    Fix.NONE,
    "Cerebras serves chat completions, completions and models only: no embeddings, responses, "
    "images, audio, files, batches, fine-tuning, moderations, assistants, vector stores, "
    "realtime",
    """The call uses an endpoint Cerebras does not serve, on a client that now points at
    Cerebras: it would fail at run time (a Cerebras SDK client has no such attribute at
    all, an AttributeError; the openai client gets a 404). Clients reached through a
    parameter or a factory of another module are reported where the request is. A client
    used for nothing else stays on OpenAI instead (CM121); this one also makes requests
    Cerebras serves, or is used where the tool cannot follow it. Keep an OpenAI client for
    the request, or drop the feature.""",
    {
        DEFAULT: "Cerebras has no {resource} endpoint: keep an OpenAI client for `{chain}`, or "
        "drop the feature",
        "v0": "Cerebras has no endpoint for openai.{chain}() (openai 0.x): give the call "
        "OpenAI's api_base and api_key, or drop the feature",
        "js": "Cerebras has no {resource} endpoint, and this client is on Cerebras: "
        "`{chain}(...)` would fail; keep an OpenAI client for it, or drop the feature",
        "js-v3": "Cerebras has no endpoint for {method}() (openai v3), and this client's "
        "Configuration now points at Cerebras: keep an OpenAI client for it, or drop the "
        "feature",
    },
)
CM402 = _rule(
    "CM402",
    "dynamic-request-arguments",
    WARNING,
    Fix.NONE,
    "`**kwargs` into a request cannot be checked",
    """Keywords spread into the request with ** cannot be checked: one the openai client
    rejects (a Cerebras-only field) raises TypeError, and an OpenAI-only one (store,
    metadata, ...) is not supported by Cerebras. Keep Cerebras-only keywords in extra_body
    and OpenAI-only ones out of the mapping.""",
    "**kwargs into this request cannot be checked: keep Cerebras-only keywords out of it (or "
    "in extra_body) and OpenAI-only ones (store, metadata, ...) away",
)
CM403 = _rule(
    "CM403",
    "tools-with-response-format",
    WARNING,
    Fix.NONE,
    "`tools` and `response_format` in one request: {models} rejects the pair".format(
        models=", ".join(models.NO_TOOLS_WITH_RESPONSE_FORMAT)
    ),
    """Some Cerebras models reject a request that has both tools and response_format. Send
    them in separate requests.""",
    "tools and response_format in one request: {models} rejects the pair; send them in "
    "separate requests",
    models=", ".join(models.NO_TOOLS_WITH_RESPONSE_FORMAT),
)
CM404 = _rule(
    "CM404",
    "clear-thinking-model",
    WARNING,
    Fix.NONE,
    "`clear_thinking` only works on {models}".format(
        models=", ".join(sorted(models.CLEAR_THINKING_MODELS))
    ),
    """clear_thinking is a field of the reasoning models that keep their thinking apart; the
    request's model ignores it. Use one of those models, or drop the field.""",
    "clear_thinking only works on {models}, not {model}",
    models=", ".join(sorted(models.CLEAR_THINKING_MODELS)),
)
CM405 = _rule(
    "CM405",
    "deprecated-disable-reasoning",
    WARNING,
    Fix.NONE,
    '`disable_reasoning` is deprecated: write `reasoning_effort="none"`',
    """Cerebras deprecated disable_reasoning in favour of reasoning_effort="none", which does
    the same.""",
    'disable_reasoning is deprecated: write reasoning_effort="none" instead',
)
CM406 = _rule(
    "CM406",
    "dynamic-model",
    WARNING,
    Fix.NONE,
    "the model id is computed at run time and cannot be mapped",
    """The request's model comes from a variable, a call or another module, so the tool
    cannot map it. Make sure it names a Cerebras model where it is defined.""",
    {
        "imported": "the model comes from {qualname}: make sure it is mapped where it is "
        "defined ({models})",
        "computed": "the model is computed at run time, so it cannot be mapped: make sure it "
        "names a Cerebras model ({models})",
    },
    models=_CEREBRAS_MODELS,
)
CM407 = _rule(
    "CM407",
    "unknown-model",
    WARNING,
    Fix.NONE,
    "the model id is not one Cerebras serves (retired, or not a Cerebras id): map it with "
    "`--model-map`",
    """The request names a model Cerebras does not serve: one it retired, or an id it never
    had. The request would fail with 404. Map it to a served model with --model-map.""",
    {
        "retired": "{model} was retired by Cerebras in 2026: use {replacements}",
        "unknown": "{model} is not a Cerebras model ({models}); map it with --model-map",
    },
    models=_CEREBRAS_MODELS,
    replacements=" or ".join(models.REPLACEMENTS_OF_RETIRED),
)
CM408 = _rule(
    "CM408",
    "pre-v1-api",
    WARNING,
    Fix.NONE,
    "pre-1.0 API code (`openai.ChatCompletion.create`, `openai.api_base`) that cannot move as "
    "it is: the project runs openai 1.x, the module also uses the 1.x module client, or "
    "`--target cerebras`",
    """The openai target migrates code for the module API of openai 0.x as it is, when the
    project may run 0.x. It cannot: where the project runs openai 1.0 or later, which removed
    that API (it raises APIRemovedInV1); in a module that also uses the 1.x module client
    (the two share openai.api_key, so the Cerebras key would reach OpenAI through the one left
    on OpenAI); and for the Cerebras SDK, which has no such API. The module is left as it
    is: move it to the client API first (`openai migrate` does most of it), then run this
    tool again. In JavaScript and TypeScript its counterpart is the openai npm package's v3
    API (Configuration, OpenAIApi, openai.createChatCompletion), which v4 removed: on
    --target openai its Configuration is pointed at Cerebras and the module is reported once,
    as advice (v3 is unmaintained: upgrade to v4 or later, then run this tool again); the
    Cerebras TS SDK has the v4 shape only, so on --target cerebras the module is left as it
    is.""",
    {
        "removed": "{what} is the openai 0.x API, which openai {version} (the release the "
        "project runs) removed: move to the client API first (`openai migrate`), then run this "
        "tool again; if the project runs 0.x, pass --openai-version {last}",
        "mixed": "{what} is the openai 0.x API, and this module also uses the 1.x module "
        "client: they share openai.api_key, so neither was pointed at Cerebras; move it all to "
        "the client API first (`openai migrate`)",
        "cerebras": "{what} is the openai 0.x API, which the Cerebras SDK has no counterpart "
        "for: the module was left as it is; move it to the openai 1.x client API first "
        "(`openai migrate`), then run this tool again",
        "js-v3": "{what} is the openai v3 API, unmaintained since v4 replaced it: its "
        "Configuration now points at Cerebras; upgrade to openai v4 or later (`new OpenAI()`, "
        "`client.chat.completions.create`, `res.choices`), then run this tool again",
        "js-v3-cerebras": "{what} is the openai v3 API, and the Cerebras TS SDK has the v4 shape "
        "only: the module was left as it is; upgrade it to openai v4 or later (`new OpenAI()`, "
        "`client.chat.completions.create`, `res.choices`), then run this tool again, or migrate "
        "it as it is with --target openai",
    },
)
CM409 = _rule(
    "CM409",
    "openai-rate-limit-header",
    WARNING,
    Fix.NONE,
    "Cerebras sends other rate-limit headers (`x-ratelimit-*-requests-day`, "
    "`x-ratelimit-*-tokens-minute`)",
    """The code reads one of OpenAI's rate-limit response headers, which Cerebras does not
    send: it will find nothing there. Read Cerebras's headers instead.""",
    "Cerebras does not send {header}; its rate-limit headers are {headers}",
)

CM410 = _rule(
    "CM410",
    "openai-environment-read",
    WARNING,
    Fix.NONE,
    "the code reads an OpenAI environment variable (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, "
    "...) that the migrated clients no longer use; the message names the Cerebras one",
    """The module's clients now point at Cerebras and read their key from the Cerebras
    variable (--api-key-env, CEREBRAS_API_KEY by default), yet the code still reads an
    OpenAI variable of its own: a start-up check such as ``if not
    os.environ.get("OPENAI_API_KEY"): sys.exit(...)`` makes the migrated program refuse to
    start without a key it no longer uses. OPENAI_API_KEY becomes the Cerebras key's
    variable; OPENAI_BASE_URL and OPENAI_API_BASE configure nothing on --target openai (the
    URL is written into the code), and the Cerebras SDK reads CEREBRAS_BASE_URL;
    OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_ORGANIZATION mean nothing on Cerebras. The
    read is reported, not rewritten: what it is for is the program's own (it may guard a
    client kept on OpenAI, feed another library, or be printed), and renaming it could make
    the program require, or send, a key where it did not before. Reads inside a client's own
    constructor are not reported: the tool rewrites them, or leaves them to the client they
    configure. Where the module also keeps a client on OpenAI's service, the read may be
    that client's: the message says so.""",
    {
        "key": "{name} is read here, but the migrated clients read their key from {env}: "
        "read {env} instead{also}",
        "base-url-openai": "{name} is read here, but the migrated clients' URL is now in the "
        "code: it no longer configures them{also}",
        "base-url-cerebras": "{name} is read here, but the Cerebras SDK reads its URL from "
        "{cerebras_url}: read that instead{also}",
        "none": "{name} is read here, but it means nothing on Cerebras (no OpenAI "
        "organizations or projects there): drop the read{also}",
    },
    cerebras_url=sdk.CEREBRAS_BASE_URL_ENV,
    also="",
)

CM411 = _rule(
    "CM411",
    "response-type-union",
    WARNING,
    Fix.NONE,
    "the Cerebras TS SDK types a response as a union with a stream chunk and an error chunk: "
    "`r.choices` is a TypeScript error; narrow it by hand",
    """The Cerebras TS SDK's ChatCompletion is ChatCompletionResponse | ChatChunkResponse |
    ErrorChunkResponse, for a request and for each chunk of a stream, so reading choices
    from it fails tsc --strict (TS2339). Where the tool cannot tell that the value is a
    response that was not streamed (a stream's chunks, a response passed on or returned),
    the access is reported: narrow it by hand (``if ("error" in chunk) ...``, or a cast to
    the member it is).""",
    "the Cerebras TS SDK types {access} as a union with its error chunk: reading `choices` "
    'there fails tsc --strict (TS2339); narrow it by hand (`if ("error" in x)`, or a cast '
    "to a member of {cls}.Chat.ChatCompletion)",
)
CM412 = _rule(
    "CM412",
    "response-type-cast",
    FIXED,
    Fix.SAFE,
    "the response of a request that is not streamed is cast to the Cerebras TS SDK's "
    "`ChatCompletionResponse`, so that `r.choices` type-checks",
    """The Cerebras TS SDK's ChatCompletion is a union of the response, a stream chunk and an
    error chunk, so r.choices fails tsc --strict (TS2339). A request that is not streamed,
    awaited into a variable, resolves to a ChatCompletionResponse (an HTTP error throws
    APIError instead), so the tool casts it there: `as
    Cerebras.Chat.ChatCompletion.ChatCompletionResponse`, which changes nothing at run
    time.""",
    "the response of a request that is not streamed is a ChatCompletionResponse: cast so that "
    "its choices type-check",
)

# Files --------------------------------------------------------------------------------------
CM901 = _rule(
    "CM901",
    "syntax-error",
    ERROR,
    Fix.NONE,
    "the file does not parse; skipped",
    """The file (or notebook cell) is not valid Python for this interpreter or for libcst, so
    it was not migrated; the message gives CPython's account of where and why. Fix it and
    run again. The run exits 2; every other file is still processed.""",
    {
        DEFAULT: "syntax error: {reason}",
        "too-deep": "too deeply nested to parse: {reason}",
        "nesting": "too deeply nested to parse",
    },
)
CM902 = _rule(
    "CM902",
    "unreadable-file",
    ERROR,
    Fix.NONE,
    "the file could not be read or decoded; skipped",
    """The path could not be used: missing, unreadable, a broken link or a loop, binary, not
    decodable with its declared encoding, or a notebook that is not nbformat 4 JSON. It was
    skipped and the run exits 2; every other file is still processed.""",
    "{reason}",
)
CM903 = _rule(
    "CM903",
    "internal-error",
    ERROR,
    Fix.NONE,
    "the rewrite failed or would not parse; nothing written",
    """A bug of the tool's: the rewrite raised, or produced code that would not parse, or
    the process migrating the file died. Nothing was written for that file; the others are
    still processed. Please report it with the file, or a cut-down copy of it.""",
    {
        DEFAULT: "internal error ({error})",
        "would-not-parse": "internal error: the rewrite would not parse; nothing written",
        "too-deep": "too deeply nested to rewrite",
        "worker-failed": "internal error (worker process failed: {error})",
        "worker-died": "internal error: the process migrating this file died ({cause}); "
        "nothing written",
        "notebook": "internal error: {what}; nothing written",
        "notebook-exception": "internal error ({error}); nothing written",
    },
)
CM904 = _rule(
    "CM904",
    "write-failed",
    ERROR,
    Fix.NONE,
    "the file could not be written; the original is unchanged",
    """The migrated file was not written: it changed on disk or was deleted since it was
    read, it is read-only, it has other names (hard links), its owner, mode or extended
    attributes cannot be given to a new file, or its folder cannot take a new file. The
    original is exactly as it was.""",
    "not written: {reason}",
)

CM905 = _rule(
    "CM905",
    "file-too-large",
    ERROR,
    Fix.NONE,
    "too much code to rewrite safely in one file; skipped",
    """libcst's tree of a module costs several hundred times its text, so a file that still
    leaves more than 4 MB for libcst once the functions and classes that never touch the
    SDK are left out is not rewritten: it would take gigabytes. Split the file, or migrate
    it by hand; the run exits 2 and every other file is still processed. (A file over
    64 MB is not even read: CM902.)""",
    "{size} MB to rewrite after leaving out unrelated code; the limit is {limit} MB",
)

RULES: dict[str, Rule] = {
    rule.code: rule for rule in list(globals().values()) if isinstance(rule, Rule)
}


def rule(code: str) -> Rule | None:
    """The rule of ``code`` in any case (``cm403``), or None."""
    return RULES.get(code.upper())
