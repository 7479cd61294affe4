"""One frozen ``Settings`` value for a run: CLI flags over ``[tool.cerebras-migrate]``."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from typing import Any, NamedTuple, NoReturn
from urllib.parse import urlsplit, urlunsplit

from codemods.facts import models, openai_params, sdk
from codemods.options import TARGETS, OpenAIApi, Options
from codemods.rules import Diagnostic
from codemods.secrets import is_key_shaped, looks_random, mask

from .pins import detect_openai_version, display_path, normalize_version

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "site-packages",
    "build",
    "dist",
    ".next",  # Next.js build output
    "out",  # static exports (Next.js, TypeScript's outDir)
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".ipynb_checkpoints",  # Jupyter's autosaved copies of the notebooks beside them
)
CONFIG_SECTION = "cerebras-migrate"


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    options: Options = field(default_factory=Options)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    config_path: Path | None = None
    # Diagnostic codes (or prefixes) to show only / never; ``--strict`` makes warnings fail.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    # Where ``options.openai_version`` came from ("--openai-version", "requirements.txt:
    # openai==1.30.0", ...); None when nothing said, and the newest known release is assumed.
    openai_version_source: str | None = None
    # Whether the project index (migrator/project.py) may be kept in the project's cache.
    cache: bool = True

    @property
    def excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)

    def reports(self, diagnostic: Diagnostic) -> bool:
        """``--select``/``--ignore`` by code prefix, as ruff reads them; errors always show."""
        code = diagnostic.code
        if diagnostic.rule.is_error:
            return True
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):  # imported here: most runs find no file to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def _pyprojects(start: Path) -> list[Path]:
    current = start.resolve()
    if current.is_file() or not current.exists():
        current = current.parent
    found = [folder / "pyproject.toml" for folder in (current, *current.parents)]
    return [p for p in found if p.is_file()]


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has our section."""
    for candidate in _pyprojects(start):
        if CONFIG_SECTION in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def formatter_line_length(start: Path) -> int | None:
    """The line length ruff or black use for the project, from its nearest pyproject.toml."""
    projects = _pyprojects(start)
    if not projects:
        return None
    tools = _read_toml(projects[0]).get("tool", {})
    for tool in ("ruff", "black"):
        value = tools.get(tool, {}).get("line-length")
        if isinstance(value, int) and value > 0:
            return value
    return None


# A portable environment variable name (POSIX): what a shell can export.
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_model_map(entries: Sequence[str], where: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for entry in entries:
        old, sep, new = entry.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise ConfigError(f"{where}: model map entry {entry!r} is not OLD=NEW")
        pairs.append((old.strip(), new.strip()))
    return tuple(pairs)


def _config_values(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    section = data.get("tool", {}).get(CONFIG_SECTION, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{CONFIG_SECTION}] must be a table")
    return {key.replace("-", "_"): value for key, value in section.items()}


class Setting(NamedTuple):
    """One setting a user chooses: the same name as a command-line flag (``--api-key-env``)
    and as a key of ``[tool.cerebras-migrate]`` (``api-key-env``). The CLI builds its
    options from this table, and the config file is checked against it."""

    name: str  # the Python name: ``api_key_env``
    kind: type  # what the config file must hold: str, bool, int, list or dict
    help: str
    metavar: str | None = None
    flag: bool = True  # also a command-line option (``line-length`` is config only)
    choices: tuple[str, ...] = ()
    # A list a flag may give in pieces: ``--exclude a,b --exclude c``, as ruff reads lists.
    comma_list: bool = False

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "target",
        str,
        "What the code should run on: the openai client pointed at Cerebras, or the "
        "Cerebras SDK (cerebras-cloud-sdk).  [default: openai]",
        choices=TARGETS,
    ),
    Setting(
        "api_key_env",
        str,
        f"Environment variable holding the Cerebras key.  [default: {sdk.CEREBRAS_API_KEY_ENV}]",
        metavar="NAME",
    ),
    Setting(
        "base_url",
        str,
        f"Cerebras API base URL; with --target openai it ends in /v1.  "
        f"[default: {sdk.CEREBRAS_BASE_URL}]",
        metavar="URL",
    ),
    Setting(
        "allow_any_base_url",
        bool,
        "Take --base-url as given: any path, and plain http to another machine (a test "
        "server or a proxy you trust).",
    ),
    Setting(
        "model_map",
        dict,
        "Map a model id (OLD may be a glob); repeatable. "
        f"Default: OpenAI chat models → {models.DEFAULT_CEREBRAS_MODEL}.",
        metavar="OLD=NEW",
    ),
    Setting("keep_models", bool, "Leave model ids as they are."),
    Setting(
        "drop_unsupported",
        bool,
        "With --target cerebras: remove request keywords the Cerebras SDK does not take "
        "(store, metadata, ...) instead of only reporting them.",
    ),
    Setting(
        "openai_version",
        str,
        "The openai release the code runs on: keywords it does not know move into "
        "extra_body.  [default: read from the project's pins, else the newest known]",
        metavar="X.Y.Z",
    ),
    Setting(
        "exclude",
        list,
        "Gitignore-style patterns to skip, replacing the defaults (.git, .venv, build, ...).",
        metavar="PATTERNS",
        comma_list=True,
    ),
    Setting(
        "extend_exclude",
        list,
        "Patterns to skip in addition to the defaults.",
        metavar="PATTERNS",
        comma_list=True,
    ),
    Setting(
        "select",
        list,
        "Report only these diagnostic codes (or prefixes: CM4 is every CM4xx).",
        metavar="CODES",
        comma_list=True,
    ),
    Setting("ignore", list, "Never report these codes.", metavar="CODES", comma_list=True),
    Setting(
        "strict",
        bool,
        "Exit 1 when a warning remains, even if nothing is rewritten (for CI gates).",
    ),
    Setting(
        "no_cache",
        bool,
        "Neither read nor write the project index cache (.cerebras-migrate-cache in the "
        "project root).",
    ),
    Setting(
        "line_length",
        int,
        "Rewritten statements that grow past this are wrapped.",
        flag=False,
    ),
)
_KNOWN_KEYS = {setting.name: setting.kind for setting in SETTINGS}


def _openai_version(
    flags: Mapping[str, Any],
    values: Mapping[str, Any],
    config_path: Path | None,
    target: str,
    start: Path | None,
) -> tuple[str | None, str | None, OpenAIApi | None]:
    """The openai release the project runs, where that came from and which API it is:
    ``--openai-version``, then ``openai-version`` in the config, then the project's own files
    (openai target only)."""
    if flags.get("openai_version") is not None:
        text, source = str(flags["openai_version"]), "--openai-version"
        where = source
    elif "openai_version" in values and config_path is not None:
        text = values["openai_version"]
        source = f"{display_path(config_path)}: [tool.{CONFIG_SECTION}] openai-version"
        where = f"{config_path}: openai-version"
    elif target == "openai" and start is not None:
        return detect_openai_version(start) or (None, None, None)
    else:
        return None, None, None
    version = normalize_version(text)
    if version is None:
        raise ConfigError(f"{where}: {text!r} is not a version like 1.30.0")
    return version, source, "0.x" if openai_params.is_pre_v1(version) else "1.x"


# The path an openai client's base URL ends in: the client joins request paths
# (``chat/completions``) to it, whereas the Cerebras SDK's request paths start with it.
_API_PATH = urlsplit(sdk.CEREBRAS_BASE_URL).path
_LOOPBACK_NAMES = frozenset({"localhost"})


def _is_loopback(host: str) -> bool:
    """This machine: ``localhost``, 127.0.0.0/8 or ::1 (an IPv4-mapped 127.x too)."""
    if host in _LOOPBACK_NAMES:
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _check_base_url(
    url: str, *, target: str, allow_any: bool, source: str, force: str, key_env: str
) -> None:
    """Refuse a base URL the migrated code could not use safely: it is written into the code
    and the key is sent to it. ``source`` names where it came from (``--base-url``), ``force``
    how to take it anyway. ``allow_any`` lifts only the last two checks (plain http to
    another machine, the openai target's ``/v1``): the others find a URL no client can use,
    or one that would write a secret into the code."""

    def fail(shown: str, problem: str, fix: str) -> NoReturn:
        raise ConfigError(f"{source} {shown} {problem}; {fix}")

    if not url:
        fail("''", "is empty", f"use {sdk.CEREBRAS_BASE_URL}")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        fail(repr(url), "contains whitespace or a control character", "remove it")
    rest = url.split("://", 1)[1] if "://" in url else url
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        # Checked on the raw text, before anything else prints the URL: never show them.
        host = authority.rpartition("@")[2]
        fail(
            url.replace(authority, "****@" + host, 1),
            "has credentials in it: they would be written into the code",
            f"drop them (the key is read from {key_env}): {url.replace(authority, host, 1)}",
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        fail(url, "is not an http(s) URL", f"use https://{rest}")
    if not parts.hostname:
        fail(url, "has no host", f"write one, as in {sdk.CEREBRAS_BASE_URL}")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        fail(url, "has a port that is not a number from 0 to 65535", "fix the port")
    if parts.query or parts.fragment:
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        # Shown without them: a query may carry a token.
        fail(
            bare + ("?…" if parts.query else "#…"),
            "has a query or a fragment: the client would join its request paths after it",
            f"use {bare}",
        )
    if allow_any:
        return
    if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname):
        fail(
            url,
            "is plain http to another machine: the key would cross the network in clear text",
            f"use https://{rest} (or {force} for a test server or a proxy you trust)",
        )
    path = parts.path.rstrip("/")
    if target == "openai" and not path.endswith(_API_PATH):
        cut = (path + "/").find(_API_PATH + "/")
        fixed = path + _API_PATH if cut < 0 else path[: cut + len(_API_PATH)]
        fail(
            url,
            f"{'has no' if cut < 0 else 'does not end in'} {_API_PATH}: the openai client joins "
            f"request paths to it, so requests would go to {path}/chat/completions",
            f"use {urlunsplit((parts.scheme, parts.netloc, fixed, '', ''))} "
            f"(or {force} if your server serves them there)",
        )


def build_settings(
    flags: Mapping[str, Any],
    config_path: Path | None,
    line_length: int | None = None,
    start: Path | None = None,
) -> Settings:
    """Merge CLI ``flags`` (None means not given) over the config file's values.

    ``line_length`` is the project formatter's, used when our own setting is absent. With
    ``start`` (the first path), the openai version is detected from the project's files when
    neither a flag nor the config gives it (``migrator.pins``).
    """
    values: dict[str, Any] = {}
    where = str(config_path) if config_path else "command line"
    if config_path is not None:
        values = _config_values(config_path)
        for key, value in values.items():
            expected = _KNOWN_KEYS.get(key)
            if expected is None:
                raise ConfigError(f"{where}: unknown setting {key.replace('_', '-')!r}")
            if not isinstance(value, expected):
                raise ConfigError(f"{where}: {key.replace('_', '-')} must be a {expected.__name__}")
    model_map: tuple[tuple[str, str], ...] = ()
    if "model_map" in values:
        model_map = tuple((str(k), str(v)) for k, v in values["model_map"].items())
    if flags.get("model_map"):
        # Flags come first: the first matching entry wins.
        model_map = parse_model_map(flags["model_map"], "--model-map") + model_map

    def pick(name: str, default: Any) -> Any:
        flag = flags.get(name)
        if flag is not None and flag != ():
            return flag
        return values.get(name, default)

    target = pick("target", "openai")
    if target not in TARGETS:
        raise ConfigError(f"{where}: target must be one of {', '.join(TARGETS)}")
    openai_version, openai_version_source, openai_api = _openai_version(
        flags, values, config_path, target, start
    )
    api_key_env = pick("api_key_env", Options.api_key_env)
    if not _ENV_NAME.fullmatch(api_key_env):
        # Written into the code as ``os.environ["…"]``: a key pasted here by mistake would be.
        source = "--api-key-env" if flags.get("api_key_env") else f"{where}: api-key-env"
        secret = is_key_shaped(api_key_env) or (
            len(api_key_env) >= 12 and looks_random(api_key_env)
        )
        shown = mask(api_key_env) if secret else api_key_env
        raise ConfigError(
            f"{source}: {shown!r} is not an environment variable name "
            "(letters, digits and _, not starting with a digit)"
        )
    for old_model, new_model in model_map:
        if is_key_shaped(new_model):
            raise ConfigError(
                f"model map: the model for {old_model!r} looks like an API key, not a model id"
            )
    base_url = pick("base_url", Options.base_url)
    if flags.get("base_url") is not None or "base_url" in values:
        from_flag = flags.get("base_url") is not None
        _check_base_url(
            base_url,
            target=target,
            allow_any=bool(pick("allow_any_base_url", False)),
            source="--base-url" if from_flag else f"{where}: base-url",
            force="--allow-any-base-url" if from_flag else "allow-any-base-url = true",
            key_env=api_key_env,
        )
    options = Options(
        target=target,
        api_key_env=api_key_env,
        base_url=base_url,
        model_map=model_map,
        keep_models=bool(pick("keep_models", False)),
        drop_unsupported=bool(pick("drop_unsupported", False)),
        line_length=pick("line_length", line_length or Options.line_length),
        openai_version=openai_version,
        openai_api=openai_api,
    )
    return Settings(
        options=options,
        exclude=tuple(pick("exclude", DEFAULT_EXCLUDES)),
        extend_exclude=tuple(pick("extend_exclude", ())),
        config_path=config_path,
        select=tuple(c.upper() for c in pick("select", ())),
        ignore=tuple(c.upper() for c in pick("ignore", ())),
        strict=bool(pick("strict", False)),
        openai_version_source=openai_version_source,
        cache=not pick("no_cache", False),
    )
