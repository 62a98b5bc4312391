from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext


class TooManyReturns(Rule):
    CODE = "FS119"
    NAME = "too-many-returns"
    DESCRIPTION = "A function with more return statements than the limit"
    MESSAGE = "{name} has {count} return statements (limit {limit})"
    RATIONALE = ("Many exits make a function hard to follow and hard to change: cleanup or "
                 "logging added at one exit is missed at the others. Split the cases out or "
                 "compute the result and return it once.")
    EFFORT_MINUTES = 20
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x1.02 [0.75-1.40], changes x0.92 [0.72-1.16] in 280 "
                         "functions of 12 projects")
    OPTIONS = {"limit": (int, 6, "return statements allowed in one function")}
    VALID = ("def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n"
                                      for i in range(5)) + "    return -1\n",)
    INVALID = ("def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n"
                                        for i in range(7)) + "    return -1\n",)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._counts: list[int] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._counts.append(0)

    def visit_Return(self, node: cst.Return) -> None:
        if self._counts:
            self._counts[-1] += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        count = self._counts.pop()
        if count > self.option("limit"):
            self.report(original_node, name=f"`{original_node.name.value}`", count=count,
                        limit=self.option("limit"))
