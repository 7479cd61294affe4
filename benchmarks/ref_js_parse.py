"""Reference for the JavaScript pairs: tree-sitter's bare parse of every JavaScript and
TypeScript file, one process, with the grammar wheels the tool uses (the grammar by suffix,
as ``codemods/js/syntax.py`` chooses it)."""

import os
import sys

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript


def _parser(language: object) -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(language))


javascript = _parser(tree_sitter_javascript.language())
typescript = _parser(tree_sitter_typescript.language_typescript())
tsx = _parser(tree_sitter_typescript.language_tsx())
by_suffix = {".ts": typescript, ".mts": typescript, ".cts": typescript, ".tsx": tsx}
by_suffix.update(dict.fromkeys((".js", ".mjs", ".cjs", ".jsx"), javascript))

count = 0
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in sorted(names):
        parser = by_suffix.get(os.path.splitext(name)[1].lower())
        if parser is not None:
            with open(os.path.join(folder, name), "rb") as handle:
                parser.parse(handle.read())
            count += 1
print(count)
