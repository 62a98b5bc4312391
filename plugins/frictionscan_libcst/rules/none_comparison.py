from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Edits, Report, Rule


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class NoneComparison(Rule):
    CODE = "FS120"
    NAME = "none-comparison"
    DESCRIPTION = "A comparison with None through == or !="
    MESSAGE = "`{op} None` compares with __eq__; use `{fixed} None`"
    RATIONALE = ("`x == None` calls the object's __eq__, which may say anything (and does, "
                 "on arrays and ORM columns); `x is None` asks the question that was meant. "
                 "The fix is unsafe where `== None` was deliberate, as in SQLAlchemy filters.")
    EFFORT_MINUTES = 2
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.25
    FRICTION_EVIDENCE = ("too few functions with findings to test: 4 in 1 projects")
    FIX = "unsafe"
    VALID = ("if x is None:\n    pass\n", "if x == 0:\n    pass\n")
    INVALID = ("if x == None:\n    pass\n", "ok = value != None\n")
    FIXED = (("if x == None:\n    pass\n", "if x is None:\n    pass\n"),
             ("ok = value != None\n", "ok = value is not None\n"))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.Equal, cst.NotEqual)) \
                    and _is_none(target.comparator):
                equal = isinstance(target.operator, cst.Equal)
                self.report(node, op="==" if equal else "!=",
                            fixed="is" if equal else "is not")
                return

    def fix(self, report: Report) -> Edits:
        node = report.node
        assert isinstance(node, cst.Comparison)
        targets = []
        for target in node.comparisons:
            op = target.operator
            if isinstance(op, (cst.Equal, cst.NotEqual)) and _is_none(target.comparator):
                new_op: cst.BaseCompOp = (
                    cst.Is(whitespace_before=op.whitespace_before,
                           whitespace_after=op.whitespace_after)
                    if isinstance(op, cst.Equal) else
                    cst.IsNot(whitespace_before=op.whitespace_before,
                              whitespace_after=op.whitespace_after))
                target = target.with_changes(operator=new_op)
            targets.append(target)
        return {node: node.with_changes(comparisons=targets)}
