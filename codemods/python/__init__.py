"""The Python front-end: libcst rewrites of Python source, driven by ``source.migrate_source``.

- ``source``: one text in, new text and diagnostics out (CPython's parser first, then libcst);
- ``pipeline``: the fixers of each target, their order and the contract between them;
- ``traversal``, ``context``, ``resolve``, ``plan``, ``focus``: the machinery they run on;
- ``fixers/``: one rewrite concern per module, each with its examples;
- ``cst/``: libcst helpers (the only code on libcst's private API is ``cst/walk.py``).
"""
