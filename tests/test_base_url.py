"""``--base-url`` (and ``base-url`` in ``[tool.cerebras-migrate]``) is checked before anything
is rewritten: a URL the migrated code could not use, or would send the key over in clear text,
is a usage error (exit 2) in every output format; ``--allow-any-base-url`` takes any path and
plain http. The migrated program is run against the loopback server to show which URLs work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import OPENAI_APP, invoke
from loopback import LoopbackServer

# (URL, what the message must say): refused for --target openai without --allow-any-base-url.
NEEDS_V1 = [
    (
        "https://api.cerebras.ai",
        "--base-url https://api.cerebras.ai has no /v1: the openai client joins request paths "
        "to it, so requests would go to /chat/completions; use https://api.cerebras.ai/v1 "
        "(or --allow-any-base-url",
    ),
    ("https://api.cerebras.ai/", "so requests would go to /chat/completions"),
    (
        "https://api.cerebras.ai/v1/chat/completions",
        "does not end in /v1: the openai client joins request paths to it, so requests would go "
        "to /v1/chat/completions/chat/completions; use https://api.cerebras.ai/v1 ",
    ),
    ("https://proxy.example.com/v10", "has no /v1"),
    # A loopback server is held to the rule too: the tool's own tests use .../v1.
    ("http://localhost:8000", "use http://localhost:8000/v1 "),
    ("http://127.0.0.1:8000/", "use http://127.0.0.1:8000/v1 "),
    ("http://[::1]:8000", "use http://[::1]:8000/v1 "),
]
PLAIN_HTTP = [
    ("http://10.1.2.3/v1", "use https://10.1.2.3/v1 (or --allow-any-base-url"),
    ("http://api.cerebras.ai/v1", "the key would cross the network in clear text"),
    ("http://127.0.0.1.example.com/v1", "is plain http to another machine"),
]
# Refused whatever the target and --allow-any-base-url say.
NEVER = [
    ("ftp://api.cerebras.ai/v1", "is not an http(s) URL; use https://api.cerebras.ai/v1"),
    ("api.cerebras.ai/v1", "is not an http(s) URL; use https://api.cerebras.ai/v1"),
    ("https:///v1", "has no host"),
    ("https://api.cerebras.ai:99999/v1", "has a port that is not a number"),
    ("https://api.cerebras.ai/v1#top", "has a query or a fragment"),
    ("https://api.cerebras.ai/v1 ", "contains whitespace or a control character"),
    ("", "--base-url '' is empty; use https://api.cerebras.ai/v1"),
    (
        "https://alice:hunter2@api.cerebras.ai/v1",
        "--base-url https://****@api.cerebras.ai/v1 has credentials in it: they would be "
        "written into the code; drop them (the key is read from CEREBRAS_API_KEY): "
        "https://api.cerebras.ai/v1",
    ),
]
GOOD = [
    "https://api.cerebras.ai/v1",
    "https://api.cerebras.ai/v1/",  # a trailing slash is fine
    "https://gateway.example.com/cerebras/v1",
    "http://localhost:8000/v1",
    "http://127.0.0.2:8000/v1",
    "http://[::1]:8000/v1",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(OPENAI_APP)
    return tmp_path


def _config(repo: Path, *lines: str) -> None:
    (repo / "pyproject.toml").write_text("[tool.cerebras-migrate]\n" + "\n".join(lines) + "\n")


def _refused(repo: Path, *args: str) -> str:
    code, out, err = invoke(*args, cwd=repo)
    assert code == 2, out + err
    assert "Error: " in err
    assert (repo / "app.py").read_text() == OPENAI_APP
    return err


@pytest.mark.parametrize(("url", "message"), NEEDS_V1 + PLAIN_HTTP + NEVER)
def test_a_bad_url_is_a_usage_error(repo: Path, url: str, message: str) -> None:
    assert message in _refused(repo, "--base-url", url)


@pytest.mark.parametrize(("url", "message"), NEEDS_V1 + PLAIN_HTTP + NEVER)
def test_a_bad_url_in_the_config_is_a_usage_error(repo: Path, url: str, message: str) -> None:
    _config(repo, f"base-url = {json.dumps(url)}")
    err = _refused(repo)
    # The same message, naming the config's key, and the config's way to force it.
    message = message.replace("--allow-any-base-url", "allow-any-base-url = true")
    assert "pyproject.toml: base-url " in err
    if message.startswith("--base-url "):
        assert "pyproject.toml: base-url " + message.removeprefix("--base-url ") in err
    assert message.removeprefix("--base-url ") in err
    assert "--base-url" not in err.partition("Error: ")[2]


@pytest.mark.parametrize("url", GOOD)
def test_a_good_url_migrates(repo: Path, url: str) -> None:
    code, out, err = invoke("--base-url", url, cwd=repo)
    assert code == 1, out + err
    assert f'base_url="{url}"' in (repo / "app.py").read_text()


@pytest.mark.parametrize(("url", "_"), NEEDS_V1 + PLAIN_HTTP)
def test_allow_any_base_url_takes_any_path_and_plain_http(repo: Path, url: str, _: str) -> None:
    code, out, err = invoke("--allow-any-base-url", "--base-url", url, cwd=repo)
    assert code == 1, out + err
    assert f'base_url="{url}"' in (repo / "app.py").read_text()


def test_allow_any_base_url_from_the_config(repo: Path) -> None:
    _config(repo, 'base-url = "http://10.1.2.3:8000"', "allow-any-base-url = true")
    code, out, err = invoke(cwd=repo)
    assert code == 1, out + err
    assert 'base_url="http://10.1.2.3:8000"' in (repo / "app.py").read_text()
    # The config's URL with the flag, and the flag's URL with the config's permission.
    _config(repo, 'base-url = "http://localhost:8000"')
    (repo / "app.py").write_text(OPENAI_APP)
    assert invoke("--allow-any-base-url", cwd=repo)[0] == 1
    _config(repo, "allow-any-base-url = true")
    (repo / "app.py").write_text(OPENAI_APP)
    assert invoke("--base-url", "http://localhost:8000", cwd=repo)[0] == 1


@pytest.mark.parametrize(("url", "message"), NEVER)
def test_allow_any_base_url_does_not_take_everything(repo: Path, url: str, message: str) -> None:
    assert message in _refused(repo, "--allow-any-base-url", "--base-url", url)
    assert message in _refused(
        repo, "--target", "cerebras", "--allow-any-base-url", "--base-url", url
    )


def test_allow_any_base_url_must_be_a_boolean(repo: Path) -> None:
    _config(repo, 'allow-any-base-url = "yes"')
    assert "allow-any-base-url must be a bool" in _refused(repo)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_credentials_are_never_printed(repo: Path, fmt: str) -> None:
    url = "https://alice:hunter2@api.cerebras.ai/v1"
    for args in (["--base-url", url], []):
        if not args:
            _config(repo, f'base-url = "{url}"')
        code, out, err = invoke("--check", "--output-format", fmt, *args, cwd=repo)
        assert code == 2
        assert "credentials" in out + err
        assert "hunter2" not in out + err and "alice" not in out + err


def test_every_output_format_reports_it_as_a_usage_error(repo: Path) -> None:
    args = ("--check", "--base-url", "https://api.cerebras.ai", "--output-format")
    code, out, err = invoke(*args, "json", cwd=repo)
    assert code == 2 and err == ""
    assert "has no /v1" in json.loads(out)["error"]
    code, out, _ = invoke(*args, "github", cwd=repo)
    assert code == 2
    assert out.startswith("::error title=cerebras-migrate::--base-url https://api.cerebras.ai")
    code, out, _ = invoke(*args, "sarif", cwd=repo)
    assert code == 2
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "has no /v1" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_a_key_pasted_into_base_url_is_masked(repo: Path) -> None:
    key = "sk-proj-" + "A1b2C3d4" * 4
    err = _refused(repo, "--base-url", key)
    assert key not in err and "sk-…****" in err


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("https://api.cerebras.ai/v1", None),  # the default: the SDK's own, nothing to write
        ("https://api.cerebras.ai", "https://api.cerebras.ai"),
        ("https://gateway.example.com/cerebras", "https://gateway.example.com/cerebras"),
        ("http://localhost:8000/v1/", "http://localhost:8000"),  # the /v1 is dropped
    ],
)
def test_the_cerebras_target_takes_a_url_without_v1(
    repo: Path, url: str, written: str | None
) -> None:
    code, out, err = invoke("--target", "cerebras", "--base-url", url, cwd=repo)
    assert code == 1, out + err
    text = (repo / "app.py").read_text()
    assert "Cerebras(" in text
    if written is None:
        assert "base_url" not in text
    else:
        assert f'base_url="{written}"' in text


@pytest.mark.parametrize(("url", "message"), PLAIN_HTTP)
def test_the_cerebras_target_is_held_to_the_host_checks(repo: Path, url: str, message: str) -> None:
    assert message in _refused(repo, "--target", "cerebras", "--base-url", url)


# The migrated program against the loopback server -----------------------------------------
def _run_app(folder: Path) -> None:
    """``app.ask("hi")`` in a fresh interpreter, its key in the environment, no proxy."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(CEREBRAS_API_KEY="csk-test", NO_PROXY="127.0.0.1", OPENAI_MAX_RETRIES="0")
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    env.pop("CEREBRAS_BASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", "import app; app.ask('hi')"],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("target", "tail", "flag"),
    [
        ("openai", "/v1", ()),
        ("openai", "/v1/", ()),
        ("cerebras", "", ()),
        ("cerebras", "/v1", ()),
        ("openai", "", ("--allow-any-base-url",)),  # forced: what the check is there for
    ],
)
def test_the_migrated_program_posts_where_the_check_says(
    repo: Path, target: str, tail: str, flag: tuple[str, ...]
) -> None:
    with LoopbackServer() as server:
        url = server.url + tail
        code, out, err = invoke("--target", target, *flag, "--base-url", url, cwd=repo)
        assert code == 1, out + err
        _run_app(repo)
        paths = [r.path for r in server.take() if not r.is_warming]
    # Without /v1 the openai client posts to /chat/completions, which Cerebras does not serve.
    assert paths == (["/chat/completions"] if flag else ["/v1/chat/completions"])
