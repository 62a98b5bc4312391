from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule


class GlobalMutation(Rule):
    CODE = "FS112"
    NAME = "global-mutation"
    DESCRIPTION = "A function that rebinds module globals"
    MESSAGE = "{name} rebinds module global{s} {names}"
    RATIONALE = ("A function that rebinds a module global changes behaviour far from where "
                 "it is called: results depend on call order, and tests leak into each "
                 "other. Pass the state in and return it, or keep it in an object.")
    EFFORT_MINUTES = 30
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 1.0
    FRICTION_EVIDENCE = ("next-year fixes x2.65 [1.21-5.78], changes x0.90 [0.45-1.80] in 44 "
                         "functions of 12 projects")
    VALID = ("COUNT = 0\n\ndef f():\n    return COUNT + 1\n",)
    INVALID = ("COUNT = 0\n\ndef bump():\n    global COUNT\n    COUNT += 1\n",)

    def visit_Global(self, node: cst.Global) -> None:
        if not self.context.scope:
            return  # `global` at module level does nothing
        names = [n.name.value for n in node.names]
        self.report(node, name=f"`{self.context.scope[-1]}`", s="s" if len(names) > 1 else "",
                    names=", ".join(f"`{n}`" for n in names))
