"""A codemod that changes nothing, for LibCST's own codemod CLI (the "peer" benchmark pair).

``python -m libcst.tool codemod noop_codemod.NoopCommand PATH`` finds it through the
``modules: [benchmarks]`` entry of the ``.libcst.codemod.yaml`` the benchmark writes next to
the corpus: LibCST then parses, visits and prints every file, as for any codemod.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand


class NoopCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "Changes nothing."

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node
