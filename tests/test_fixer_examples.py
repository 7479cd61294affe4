"""Every fixer's examples, on both targets: the code, the diagnostics, and a second run.

A fixer carries its examples beside it (``examples`` on its class: before, after on each
target, the codes expected). Each runs through the whole pipeline, as a user's file would;
the output must parse, define no name the input did not, and come back unchanged from a
second run.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import text_diff, undefined_names

from codemods.options import TARGETS
from codemods.python.fixers.base import Example, Fixer
from codemods.python.pipeline import FIXERS
from codemods.python.source import migrate_source


def _cases() -> list[Any]:
    cases = []
    for fixer in FIXERS:
        for number, example in enumerate(fixer.examples, start=1):
            for target in TARGETS:
                name = f"{fixer.__name__}-{example.name or number}-{target}"
                cases.append(pytest.param(fixer, example, target, id=name))
    return cases


CASES = _cases()


def test_every_fixer_has_examples() -> None:
    assert all(fixer.examples for fixer in FIXERS), [f for f in FIXERS if not f.examples]


@pytest.mark.parametrize(("fixer", "example", "target"), CASES)
def test_example(fixer: type[Fixer], example: Example, target: str) -> None:
    options = example.options_for(target)  # type: ignore[arg-type]
    before, expected = example.source(), example.expected(target)  # type: ignore[arg-type]
    result = migrate_source(before, options)
    assert not result.error, result.diagnostics
    assert result.code == expected, (
        f"{fixer.__name__}: --target {target} output differs:\n"
        + text_diff(expected, result.code, ("expected", "produced"))
    )
    codes = tuple(d.code for d in result.diagnostics)
    assert codes == tuple(example.codes.get(target, ())), result.diagnostics  # type: ignore[call-overload]
    assert not undefined_names(result.code) - undefined_names(before)
    again = migrate_source(result.code, options)
    assert again.code == result.code, "a second run changes the output:\n" + text_diff(
        result.code, again.code, ("first run", "second run")
    )


@pytest.mark.parametrize("fixer", FIXERS, ids=lambda fixer: fixer.__name__)
def test_every_declared_code_has_an_example_of_its_fixer(fixer: type[Fixer]) -> None:
    shown = {
        code for example in fixer.examples for codes in example.codes.values() for code in codes
    }
    missing = [rule.code for rule in fixer.emits if rule.code not in shown]
    assert not missing, f"{fixer.__name__} declares {missing} but no example of it shows them"
