"""One rewrite concern per module, named after its fixer class.

A fixer's docstring says what it rewrites and why; the class declares the diagnostics it
emits (``emits``), the literals it acts on without resolving a name (``reads_alone``, which
``focus`` asks) and its examples, which ``tests/test_fixer_examples.py`` runs on both
targets. ``codemods/python/pipeline.py`` orders them; no fixer imports another.
"""
