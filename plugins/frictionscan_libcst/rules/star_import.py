from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, dotted_name


class StarImport(Rule):
    CODE = "FS113"
    NAME = "star-import"
    DESCRIPTION = "A star import, which hides where names come from"
    MESSAGE = "`from {module} import *` hides where names come from"
    RATIONALE = ("With a star import, a reader (and every tool) has to open another module "
                 "to learn where a name is defined, and a new name there can silently shadow "
                 "one here. Import the names you use. Package `__init__.py` re-exports are "
                 "left alone.")
    EFFORT_MINUTES = 15
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.25
    FRICTION_EVIDENCE = ("too few functions with findings to test: 0 in 0 projects")
    VALID = ("from os.path import join, exists\n",)
    INVALID = ("from os.path import *\n",)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            return
        if self.context.path.rsplit("/", 1)[-1] == "__init__.py":
            return
        module = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module
                                              else "")
        self.report(node, module=module)
