"""The JavaScript/TypeScript front-end (py-tree-sitter with the grammars the
``tree-sitter-javascript`` / ``tree-sitter-typescript`` wheels ship), entered through
``source.migrate_js``.

Edits are byte ranges on the original text (``edits``): everything not rewritten keeps its
bytes, comments, formatting, a BOM and CRLF newlines included. ``syntax`` parses and finds the
first error; ``resolve`` says which names are the SDKs' classes (through ``import`` and
``require`` of the exact specifiers) and which values are clients; one fixer per behaviour in
``fixers/``, run in the order of ``pipeline``.
"""
