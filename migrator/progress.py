"""A progress bar on stderr for long runs on a terminal; nothing anywhere else.

The bar appears only when stderr is a terminal (not a pipe, not a CI log) and the run has
taken more than ``DELAY`` seconds, and it vanishes when the run ends. While it shows, what
the reporter prints goes through rich's console, above the bar. It is redrawn from the main
loop, never from a thread (worker processes may be forked at any time), and rich is only
imported once the bar is shown.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 1.0  # seconds before a bar appears: a short run never shows one
REFRESH = 0.1  # seconds between redraws


def wanted() -> bool:
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return False
    return not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class Progress:
    def __init__(self, total: int, reporter: Any) -> None:
        self.total = total
        self.reporter = reporter
        self.done = 0
        self.start = time.monotonic()
        self.last = 0.0
        self.enabled = total > 1 and wanted()
        self.bar: Any = None
        self.task: Any = None
        self.saved: tuple[Any, Any] | None = None

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if self.bar is None:
            if now - self.start < DELAY or self.done >= self.total:
                return
            self._show()
        if now - self.last >= REFRESH:
            self.last = now
            self.bar.update(self.task, completed=self.done)
            self.bar.refresh()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        redirect_stdout = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
        self.bar = Bar(
            "[progress.description]migrating",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            auto_refresh=False,  # no refresh thread: see the module docstring
            redirect_stdout=redirect_stdout,
            redirect_stderr=True,
        )
        self.task = self.bar.add_task("migrating", total=self.total, completed=self.done)
        self.bar.start()
        # The reporter keeps the streams it was made with: point it at rich's proxies.
        reporter = self.reporter
        self.saved = (getattr(reporter, "out", None), getattr(reporter, "err", None))
        if redirect_stdout and hasattr(reporter, "out"):
            reporter.out = sys.stdout
        if hasattr(reporter, "err"):
            reporter.err = sys.stderr

    def close(self) -> None:
        if self.bar is None:
            return
        self.bar.stop()
        out, err = self.saved or (None, None)
        if out is not None:
            self.reporter.out = out
        if err is not None:
            self.reporter.err = err
        self.bar = None


@contextmanager
def progress(total: int, reporter: Any) -> Iterator[Progress]:
    bar = Progress(total, reporter)
    try:
        yield bar
    finally:
        bar.close()
