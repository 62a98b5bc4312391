from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, function_params


class TooManyParameters(Rule):
    CODE = "FS103"
    NAME = "too-many-parameters"
    DESCRIPTION = "A function that takes more parameters than the limit"
    MESSAGE = "{name} takes {count} parameters (limit {limit})"
    RATIONALE = ("Every call site must get a long argument list right, and every new option "
                 "widens it further. Group parameters that travel together into a dataclass, "
                 "or split the function by what the flags select.")
    EFFORT_MINUTES = 30
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.5
    FRICTION_EVIDENCE = ("next-year fixes x1.21 [0.94-1.56], changes x1.36 [1.07-1.74] in 438 "
                         "functions of 12 projects")
    OPTIONS = {"limit": (int, 7, "parameters allowed, not counting self/cls, *args and **kwargs")}
    VALID = ("def f(a, b, c, d, e, f, g):\n    pass\n",
             "class C:\n    def m(self, a, b, c, d, e, f, g):\n        pass\n",
             "def f(a, b, c, d, e, f, g, *args, **kwargs):\n    pass\n")
    INVALID = ("def f(a, b, c, d, e, f, g, h):\n    pass\n",
               "def f(a, b, *, c, d, e, f, g, h=1):\n    pass\n")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = [p.name.value for p in function_params(node)
                 if p is not node.params.star_arg and p is not node.params.star_kwarg]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        if len(names) > self.option("limit"):
            self.report(node, name=f"`{node.name.value}`", count=len(names),
                        limit=self.option("limit"))
