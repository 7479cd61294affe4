"""Set-up shared by the whole session.

The end-to-end tests on old openai releases run programs in venvs of their own
(``tests/test_e2e_programs.py``: ``_old_openai_python``), each made once with pip and kept in
``.cache/``. A fresh clone (CI) has none, and making one takes many seconds, mostly spent
waiting on pip while one core is idle: so as soon as the tests are collected, a thread makes
the venvs the selected tests are marked with (``@pytest.mark.venv(*requirements)``), one after
the other, while the tests before them run. A test that needs a venv still being made waits
for that build; a venv that cannot be made is reported by the tests that need it, as before.
"""

from __future__ import annotations

import threading

import pytest

_builder: list[threading.Thread] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "venv(*requirements): runs programs in a venv holding these requirements, made "
        "in the background when the session starts (tests/conftest.py)",
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    wanted: list[tuple[str, ...]] = []
    for item in session.items:
        for mark in item.iter_markers("venv"):
            if mark.args and tuple(mark.args) not in wanted:
                wanted.append(tuple(mark.args))
    if not wanted or session.config.option.collectonly:
        return
    from test_e2e_programs import prepare_venvs

    thread = threading.Thread(target=prepare_venvs, args=(wanted,), name="venvs", daemon=True)
    thread.start()
    _builder.append(thread)


def pytest_unconfigure(config: pytest.Config) -> None:
    # Never leave a pip running after the session (a run selecting none of the tests that
    # wait for it, or stopped early by -x): wait for the build to end.
    for thread in _builder:
        thread.join()
