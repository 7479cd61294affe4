"""``--explain CODE``: a rule's explanation and examples, from the registry and the fixers."""

from __future__ import annotations

import textwrap

from codemods.rules import Rule, Severity

WIDTH = 88


def _indented(text: str, prefix: str = "    ") -> str:
    return textwrap.indent(text.rstrip("\n"), prefix)


def explain(rule: Rule) -> str:
    """What ``--explain`` prints for ``rule``: its header, summary, explanation, an example
    that shows it (when a fixer has one) and how to silence it."""
    fix = "" if rule.severity is Severity.ERROR else f", fix: {rule.fix.value}"
    parts = [
        f"{rule.code} ({rule.name}), severity {rule.severity.value}{fix}",
        rule.sentence,
        _fill(rule.explanation),
    ]
    example = _example(rule)
    if example:
        parts.append(example)
    if rule.is_error:
        parts.append(_fill("Errors are never silenced: the run exits 2 while one remains."))
    else:
        parts.append(
            _fill(
                f"Silence it on one line with `# cerebras-migrate: ignore[{rule.code}]`, or "
                f"everywhere with --ignore {rule.code}."
            )
        )
    return "\n\n".join(parts)


def _fill(text: str) -> str:
    return textwrap.fill(text, WIDTH, break_on_hyphens=False, break_long_words=False)


def _example(rule: Rule) -> str | None:
    """The first fixer example that emits ``rule``, run on the first target it shows it on:
    the code before, after, and the diagnostics of this code it reports."""
    from codemods.python.pipeline import examples_of  # loads libcst: only here
    from codemods.python.source import migrate_source

    for example, target in examples_of(rule.code):
        before = example.source()
        result = migrate_source(before, example.options_for(target))
        lines = [f"Example (--target {target}):", "", _indented(before)]
        if result.code != before:
            lines += ["", "  becomes", "", _indented(result.code)]
        else:
            lines += ["", "  is left as it is"]
        found = [d for d in result.diagnostics if d.code == rule.code]
        lines += ["", "  and reports:"]
        lines += [f"    {d.line}:{d.column} {d.code} {d.message}" for d in found]
        return "\n".join(lines)
    return _js_example(rule)


def _js_example(rule: Rule) -> str | None:
    """The first example of a JavaScript/TypeScript fixer that emits ``rule``."""
    from codemods.js.pipeline import examples_of
    from codemods.js.source import migrate_js

    for example, target in examples_of(rule.code):
        before = example.source()
        imports = example.imports or None
        result = migrate_js(before, example.options_for(target), example.suffix, imports)
        lines = [f"Example (--target {target}, a {example.suffix} file):", "", _indented(before)]
        if result.code != before:
            lines += ["", "  becomes", "", _indented(result.code)]
        else:
            lines += ["", "  is left as it is"]
        found = [d for d in result.diagnostics if d.code == rule.code]
        lines += ["", "  and reports:"]
        lines += [f"    {d.line}:{d.column} {d.code} {d.message}" for d in found]
        return "\n".join(lines)
    return None
