"""Reference for the dense pair: libcst's parse and print of every file, one process."""

import os
import sys

import libcst

count = 0
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in sorted(names):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                size = len(libcst.parse_module(handle.read()).code)
            count += 1
print(count)
