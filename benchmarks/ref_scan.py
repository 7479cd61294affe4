"""Reference for the haystack pair: walk, read every .py file, look for the two names."""

import os
import sys

hits = 0
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith((".py", ".pyi")):
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read().lower()
            if b"openai" in data or b"cerebras" in data:
                hits += 1
print(hits)
