"""``--output-format github``: GitHub Actions workflow commands on stdout.

One annotation per diagnostic (``::error``, ``::warning`` or ``::notice`` by severity) and
one ``::notice`` per changed file, then one plain summary line. No diff, no ``Would
rewrite`` list: annotations only.
"""

from __future__ import annotations

from codemods.rules import Severity
from migrator.results import FileResult, Status

from .base import TOOL_NAME, BaseReporter, Mode, file_location, summary_line
from .names import percent_encode_unprintable


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions runner unescapes it (``%25``,
    ``%0D``, ``%0A``); any other control character and each byte of a file name that is not
    UTF-8 is percent-encoded the same way (``%1B``, ``%FF``), so a line is UTF-8 text with
    no escape sequence, and says exactly which name it means."""
    return percent_encode_unprintable(text.replace("%", "%25"), keep="\t")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.FIXED: "notice"}


def workflow_command(command: str, message: str, **properties: str | int) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


class GithubReporter(BaseReporter):
    """Annotations as the results arrive, then one summary line; never a diff."""

    def _emit(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def show_file(self, result: FileResult, display: str, own: frozenset[str]) -> None:
        path = self.redact(display, own)
        for d in result.diagnostics:
            command = _GITHUB_COMMANDS[d.severity]
            line, column, prefix = file_location(d)
            self._emit(
                workflow_command(
                    command,
                    self.redact(prefix + d.message, own),
                    file=path,
                    line=max(line, 1),
                    col=max(column, 1),
                    title=d.code,
                )
            )
        if result.status is Status.CHANGED:
            verb = "rewritten" if self.mode is Mode.WRITE else "would be rewritten"
            sites = result.rewritten_sites
            message = f"{verb} for Cerebras ({sites} call site{'s' if sites != 1 else ''})"
            self._emit(workflow_command("notice", message, file=path, title=TOOL_NAME))

    def fatal(self, message: str) -> None:
        super().fatal(message)
        self._emit(workflow_command("error", self.redact(message), title=TOOL_NAME))

    def finish(self) -> None:
        if self.quiet or self.fatal_error is not None:
            return
        s = self.summary
        codes = ", ".join(f"{code} x{count}" for code, count in sorted(s.codes.items()))
        self._emit(f"{TOOL_NAME}: {summary_line(s, self.mode)}{'; ' + codes if codes else ''}")
