from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule


def _operands(expr: cst.BaseExpression) -> int:
    if isinstance(expr, cst.BooleanOperation):
        return _operands(expr.left) + _operands(expr.right)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        return _operands(expr.expression)
    return 1


class ComplexCondition(Rule):
    CODE = "FS108"
    NAME = "complex-condition"
    DESCRIPTION = "A condition that combines more and/or clauses than the limit"
    MESSAGE = "condition combines {count} clauses with and/or (limit {limit})"
    RATIONALE = ("A condition with many and/or clauses has to be evaluated in the reader's "
                 "head for every case; one wrong parenthesis changes it silently. Name the "
                 "parts (a well-named boolean or a small predicate function).")
    EFFORT_MINUTES = 15
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.5
    FRICTION_EVIDENCE = ("next-year fixes x1.20 [0.90-1.61], changes x1.15 [0.92-1.44] in 182 "
                         "functions of 10 projects")
    OPTIONS = {"limit": (int, 4, "clauses allowed in one if/while/ternary condition")}
    VALID = ("if a and b or c and d:\n    pass\n",)
    INVALID = ("if a and b and (c or d) and not e:\n    pass\n",
               "while x or y or z or w or v:\n    pass\n")

    def _check(self, test: cst.BaseExpression) -> None:
        count = _operands(test)
        if count > self.option("limit"):
            self.report(test, count=count, limit=self.option("limit"))

    def visit_If(self, node: cst.If) -> None:
        self._check(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test)
