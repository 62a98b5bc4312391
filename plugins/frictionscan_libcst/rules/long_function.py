from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext


class LongFunction(Rule):
    CODE = "FS102"
    NAME = "long-function"
    DESCRIPTION = "A function with more statements than the limit"
    MESSAGE = "{name} has {count} statements (limit {limit})"
    RATIONALE = ("A long function does several things; a change to one of them means reading "
                 "all of them, and its tests cannot target one step. Split it along the steps "
                 "its comments already name.")
    EFFORT_MINUTES = 60
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.86 [0.62-1.18], changes x1.00 [0.80-1.26] in 187 "
                         "functions of 11 projects")
    OPTIONS = {"limit": (int, 60, "statements allowed in one function (nested ones included)")}
    VALID = ("def f():\n" + "    x = 1\n" * 60,)
    INVALID = ("def f():\n" + "    x = 1\n" * 61,
               "class C:\n    def m(self):\n" + "        if x:\n            y()\n" * 31)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._counts: list[int] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._counts.append(0)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        count = self._counts.pop()
        if count > self.option("limit"):
            self.report(original_node, name=f"`{original_node.name.value}`", count=count,
                        limit=self.option("limit"))
        if self._counts:
            self._counts[-1] += count  # a nested function's statements are the outer's too

    def _count(self) -> None:
        if self._counts:
            self._counts[-1] += 1

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._count()

    def visit_If(self, node: cst.If) -> None:
        self._count()

    def visit_For(self, node: cst.For) -> None:
        self._count()

    def visit_While(self, node: cst.While) -> None:
        self._count()

    def visit_With(self, node: cst.With) -> None:
        self._count()

    def visit_Try(self, node: cst.Try) -> None:
        self._count()
