"""The registry of diagnostic codes (``codemods/rules.py``) is the only word on what a code is.

- every registered code is emitted by some example or test here, and no code outside the
  registry can be made;
- codes are spelled only in the registry: everything else names ``rules.CM201``;
- each fixer declares every code its module (and the helpers it uses) can emit;
- the README's rule table is the registry's, row for row;
- ``--explain`` prints the explanation and, for a code a fixer emits, an example.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from helpers import invoke

from codemods import rules
from codemods.js.pipeline import FIXERS as JS_FIXERS
from codemods.js.pipeline import examples_of as js_examples_of
from codemods.options import Options
from codemods.python.fixers.base import Fixer
from codemods.python.pipeline import FIXERS, examples_of
from codemods.python.source import migrate_source
from codemods.rules import RULES, Diagnostic, Fix, Severity
from migrator.core import migrate_bytes
from migrator.results import Status
from migrator.run import process_file
from migrator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ERROR_CODES = {code for code, rule in RULES.items() if rule.severity is Severity.ERROR}


def _sources() -> list[Path]:
    return sorted(p for folder in ("codemods", "migrator") for p in (ROOT / folder).rglob("*.py"))


def test_codes_are_ordered_named_once_and_well_formed() -> None:
    assert list(RULES) == sorted(RULES)
    assert all(re.fullmatch(r"CM[1-9]\d\d", code) for code in RULES)
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))
    for rule in RULES.values():
        assert rule.summary and rule.explanation and rule.messages, rule.code
        assert rule.severity is not Severity.FIXED or rule.fix is not Fix.NONE, rule.code
        assert rule.severity is Severity.FIXED or rule.fix is Fix.NONE, rule.code


def test_every_template_names_its_fields_and_formats() -> None:
    for rule in RULES.values():
        for variant, template in rule.messages.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            message = rule.format(variant, **{name: "X" for name in fields})
            assert "{" not in message.replace("{'", "").replace("{**", ""), (rule.code, variant)


def test_an_unknown_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="CM999"):
        Diagnostic("CM999", 1, 1, "no such rule")


def _expected_codes(tree: ast.Module) -> set[int]:
    """The ids of the string nodes in the ``codes=`` of fixer examples: what they expect."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Example":
            for keyword in node.keywords:
                if keyword.arg == "codes":
                    found |= {id(inner) for inner in ast.walk(keyword.value)}
    return found


def test_codes_are_spelled_only_in_the_registry() -> None:
    found = []
    for path in _sources():
        if path.name == "rules.py":
            continue
        tree = ast.parse(path.read_text())
        expected = _expected_codes(tree)
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"CM\d{3}", node.value)
            and id(node) not in expected
        ]
    assert not found, f"diagnostic codes spelled outside codemods/rules.py: {found}"


def _rules_named(path: Path) -> set[str]:
    """The ``rules.CMnnn`` constants a module names."""
    tree = ast.parse(path.read_text())
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "rules"
        and node.attr in RULES
    }


def _helpers_of(path: Path) -> list[Path]:
    """The modules of codemods/python (not fixers) that a fixer module imports from."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if (
            module
            and module.startswith(("codemods.python.", "codemods.js."))
            and (".fixers." not in module)
        ):
            found.append(ROOT / (module.replace(".", "/") + ".py"))
    return [p for p in found if p.is_file()]


@pytest.mark.parametrize(
    "fixer", [*FIXERS, *JS_FIXERS], ids=lambda fixer: f"{fixer.__module__}.{fixer.__name__}"
)
def test_a_fixer_declares_what_its_code_emits(fixer: type[Fixer]) -> None:
    module = ROOT / (fixer.__module__.replace(".", "/") + ".py")
    named = _rules_named(module)
    for helper in _helpers_of(module):
        named |= _rules_named(helper)
    declared = {rule.code for rule in fixer.emits}
    assert named <= declared, f"{fixer.__name__} emits {sorted(named - declared)} undeclared"


def test_every_code_but_the_file_errors_belongs_to_a_fixer() -> None:
    declared = {rule.code for fixer in [*FIXERS, *JS_FIXERS] for rule in fixer.emits}
    assert declared | ERROR_CODES == set(RULES)
    assert not declared & ERROR_CODES


def test_every_fixer_code_has_an_example_that_emits_it() -> None:
    # test_fixer_examples.py runs each example and checks exactly these codes come out.
    # tests/test_js_fixers.py does the same for the JavaScript/TypeScript fixers' examples.
    missing = [
        code
        for code in RULES
        if code not in ERROR_CODES
        and not list(examples_of(code))
        and not list(js_examples_of(code))
    ]
    assert not missing


# The file-level errors, emitted where files are read, parsed and written ----------------------
def test_cm901_a_file_that_does_not_parse() -> None:
    result = migrate_source("import openai\ndef f(:\n", Options())
    assert result.error and [d.code for d in result.diagnostics] == [rules.CM901.code]


def test_cm902_a_file_that_cannot_be_decoded() -> None:
    result, _ = migrate_bytes(Path("x.py"), b"import openai\nx = '\xff'\n", Settings())
    assert result.status is Status.ERROR
    assert [d.code for d in result.diagnostics] == [rules.CM902.code]


def test_cm903_a_rewrite_that_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from codemods.python.fixers.client_constructors import ClientConstructors

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(ClientConstructors, "leave_Call", broken)
    result = migrate_source("from openai import OpenAI\nclient = OpenAI()\n", Options())
    assert result.error and [d.code for d in result.diagnostics] == [rules.CM903.code]
    assert "RuntimeError: a bug" in result.diagnostics[0].message


def test_cm904_a_file_that_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("from openai import OpenAI\nclient = OpenAI()\n")
    path.chmod(0o444)
    result = process_file(path, Settings(), write=True)
    assert result.status is Status.ERROR
    assert [d.code for d in result.diagnostics] == [rules.CM904.code]
    assert "read-only" in result.diagnostics[0].message


# The README and --explain ---------------------------------------------------------------------
def test_the_readme_rule_table_is_the_registry() -> None:
    table = README.split("## Diagnostics", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if re.match(r"\| CM\d{3} \|", line)]
    expected = [
        f"| {rule.code} | {rule.name} | {rule.severity.value} | {rule.summary} |"
        for rule in RULES.values()
    ]
    assert rows == expected


@pytest.mark.parametrize("code", sorted(RULES))
def test_explain_prints_the_rule_and_an_example(tmp_path: Path, code: str) -> None:
    status, out, _ = invoke("--explain", code.lower(), cwd=tmp_path)
    rule = RULES[code]
    assert status == 0
    assert out.startswith(f"{code} ({rule.name}), severity {rule.severity.value}")
    assert " ".join(rule.explanation.split()[:6]) in " ".join(out.split())
    if code not in ERROR_CODES:
        assert "Example (--target " in out
        assert f" {code} " in out.split("and reports:", 1)[1]
