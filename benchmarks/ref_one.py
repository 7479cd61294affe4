"""Reference for the one-file pair: start Python, import libcst, parse the file."""

import sys

import libcst

with open(sys.argv[1], encoding="utf-8") as handle:
    libcst.parse_module(handle.read())
