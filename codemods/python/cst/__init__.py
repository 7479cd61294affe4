"""libcst helpers shared by the fixers: tree walks, argument and dict edits, imports, layout.

``walk`` is the only module that uses libcst's private API (pinned in pyproject.toml and
checked by ``tests/test_fast_paths.py``).
"""
