"""Diagnostics: what a codemod tells the user about a call site, with a stable code.

Codes are part of the public interface (users filter on them, CI annotations name them), so a
code never changes meaning; retired codes are not reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """``fixed``: rewritten, for the record. ``warning``: needs a look. ``error``: not processed."""

    FIXED = "fixed"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "CM101",
            "hard-coded-api-key",
            Severity.FIXED,
            "A key literal was replaced by an environment lookup; revoke the old key.",
        ),
        Rule(
            "CM102",
            "dropped-client-argument",
            Severity.FIXED,
            "A client argument with no meaning on the target (`organization`, ...) was dropped.",
        ),
        Rule(
            "CM103",
            "other-provider",
            Severity.WARNING,
            "The client points at another provider; it was left alone.",
        ),
        Rule(
            "CM104",
            "dynamic-base-url",
            Severity.WARNING,
            "`base_url` comes from a variable or config; it was left alone.",
        ),
        Rule(
            "CM105",
            "dynamic-client-arguments",
            Severity.WARNING,
            "The client is built from `**kwargs`; set base_url and api_key where they are made.",
        ),
        Rule(
            "CM106",
            "azure-client",
            Severity.WARNING,
            "Azure OpenAI URLs cannot point at Cerebras; rewrite it as a plain client by hand.",
        ),
        Rule(
            "CM107",
            "dynamic-api-key",
            Severity.WARNING,
            "`api_key` comes from a variable or config; make sure it holds a Cerebras key.",
        ),
        Rule(
            "CM108",
            "module-client-configured",
            Severity.FIXED,
            "The module-level `openai` client was pointed at Cerebras.",
        ),
        Rule(
            "CM109",
            "openai-only-module-setting",
            Severity.WARNING,
            "`openai.organization`/`openai.project` mean nothing to Cerebras; remove the line.",
        ),
        Rule(
            "CM110",
            "http-client-kept",
            Severity.WARNING,
            "`http_client` is passed as it is; check the target SDK accepts that client.",
        ),
        Rule(
            "CM111",
            "no-counterpart",
            Severity.WARNING,
            "The name has no exact counterpart in the target SDK; its import was kept.",
        ),
        Rule(
            "CM112",
            "module-client-instance",
            Severity.FIXED,
            "Module-level `openai` calls now go through a Cerebras client object.",
        ),
        Rule(
            "CM113",
            "base-url-dropped",
            Severity.FIXED,
            "The Cerebras SDK's default base URL is right; an explicit one was dropped.",
        ),
        Rule(
            "CM201",
            "keyword-into-extra-body",
            Severity.FIXED,
            "A keyword the openai client rejects was moved into `extra_body`.",
        ),
        Rule(
            "CM202",
            "keyword-into-extra-headers",
            Severity.FIXED,
            "A Cerebras header keyword was moved into `extra_headers`.",
        ),
        Rule(
            "CM203",
            "extra-body-conflict",
            Severity.WARNING,
            "The keyword is also set in `extra_body`; it was left where it is.",
        ),
        Rule(
            "CM204",
            "unsupported-keyword",
            Severity.WARNING,
            "The Cerebras SDK does not take this keyword (a TypeError); remove it or pass "
            "--drop-unsupported.",
        ),
        Rule(
            "CM205",
            "unsupported-method",
            Severity.WARNING,
            "The Cerebras SDK has no such method; the message says what to write instead.",
        ),
        Rule(
            "CM206",
            "keyword-from-extra-body",
            Severity.FIXED,
            "An `extra_body` entry the Cerebras SDK takes as a keyword became one.",
        ),
        Rule(
            "CM207",
            "unsupported-keyword-dropped",
            Severity.FIXED,
            "A keyword the Cerebras SDK does not take was dropped (--drop-unsupported).",
        ),
        Rule(
            "CM208",
            "async-raw-response",
            Severity.WARNING,
            "AsyncCerebras raw responses parse asynchronously: `await raw.parse()`.",
        ),
        Rule(
            "CM209",
            "async-raw-parse-awaited",
            Severity.FIXED,
            "`raw.parse()` of an async raw response got (or lost) the `await` the SDK needs.",
        ),
        Rule(
            "CM301",
            "model-id-mapped",
            Severity.FIXED,
            "An OpenAI model id was mapped to a Cerebras model.",
        ),
        Rule(
            "CM401",
            "unserved-endpoint",
            Severity.WARNING,
            "Cerebras serves chat completions, completions and models only: no embeddings, "
            "responses, images, audio, files, batches, fine-tuning, moderations, assistants, "
            "vector stores or realtime. Keep an OpenAI client for those, or drop the feature.",
        ),
        Rule(
            "CM402",
            "dynamic-request-arguments",
            Severity.WARNING,
            "`**kwargs` into a request cannot be checked; make sure no keyword in it is one "
            "the client rejects or Cerebras does not support.",
        ),
        Rule(
            "CM403",
            "tools-with-response-format",
            Severity.WARNING,
            "`tools` and `response_format` in one request: gpt-oss-120b rejects the pair.",
        ),
        Rule(
            "CM404",
            "clear-thinking-model",
            Severity.WARNING,
            "`clear_thinking` only works on zai-glm-4.7.",
        ),
        Rule(
            "CM405",
            "deprecated-disable-reasoning",
            Severity.WARNING,
            '`disable_reasoning` is deprecated: write `reasoning_effort="none"` instead.',
        ),
        Rule(
            "CM406",
            "dynamic-model",
            Severity.WARNING,
            "The model id is computed at run time, so it cannot be mapped; make sure it "
            "names a Cerebras model.",
        ),
        Rule(
            "CM407",
            "unknown-model",
            Severity.WARNING,
            "The model id is not one Cerebras serves (retired, or not a Cerebras id).",
        ),
        Rule(
            "CM408",
            "pre-v1-api",
            Severity.WARNING,
            "The pre-1.0 openai API (`openai.ChatCompletion.create`, `openai.api_base`) was "
            "removed; move to the client API first (`openai migrate`), then run this tool.",
        ),
        Rule(
            "CM409",
            "openai-rate-limit-header",
            Severity.WARNING,
            "Cerebras sends other rate-limit headers (x-ratelimit-*-requests-day, "
            "x-ratelimit-*-tokens-minute).",
        ),
        Rule(
            "CM901",
            "syntax-error",
            Severity.ERROR,
            "The file does not parse; it was skipped.",
        ),
        Rule(
            "CM902",
            "unreadable-file",
            Severity.ERROR,
            "The file could not be read or decoded; it was skipped.",
        ),
        Rule(
            "CM903",
            "internal-error",
            Severity.ERROR,
            "The rewrite failed or would not parse; nothing was written.",
        ),
        Rule(
            "CM904",
            "write-failed",
            Severity.ERROR,
            "The rewritten file could not be written; the original is unchanged.",
        ),
    )
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    line: int
    column: int
    message: str

    @property
    def rule(self) -> Rule:
        return RULES[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity
