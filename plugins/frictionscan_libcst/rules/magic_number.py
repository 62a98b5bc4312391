from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext

_ORDINARY = {"0", "1", "2", "10", "100", "1000", "0.0", "1.0", "0.5", "-1"}


class MagicNumber(Rule):
    CODE = "FS109"
    NAME = "repeated-magic-number"
    DESCRIPTION = "The same unnamed number repeated in the code"
    MESSAGE = "the number {value} appears {count} times in the code (limit {limit}); name it"
    RATIONALE = ("The same unexplained number in several places is a constant waiting to "
                 "drift: change one, miss another. A named constant says what it means and "
                 "changes in one place.")
    EFFORT_MINUTES = 10
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x1.19 [0.63-2.24], changes x1.12 [0.78-1.60] in 78 "
                         "functions of 12 projects")
    OPTIONS = {"limit": (int, 3, "times one number may appear in function bodies")}
    VALID = ("TIMEOUT = 86400\n\ndef f():\n    return TIMEOUT * 2\n",
             "def f(x):\n    return x[0] + x[1] + x[2] + x[1]\n")
    INVALID = ("def f(t):\n    return t % 86400\n\ndef g(t):\n    return t // 86400\n\n"
               "def h():\n    return 86400 * 7\n\ndef i():\n    return 3 * 86400\n",)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._seen: dict[str, list[cst.CSTNode]] = {}
        self._depth = 0
        self._subscripts = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._subscripts += 1

    def leave_Subscript(self, original_node: cst.Subscript) -> None:
        self._subscripts -= 1

    def _number(self, node: cst.Integer | cst.Float) -> None:
        if self._depth and not self._subscripts and node.value not in _ORDINARY:
            self._seen.setdefault(node.value.replace("_", ""), []).append(node)

    def visit_Integer(self, node: cst.Integer) -> None:
        self._number(node)

    def visit_Float(self, node: cst.Float) -> None:
        self._number(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.context.is_test:
            return
        for value, nodes in self._seen.items():
            if len(nodes) > self.option("limit"):
                self.report(nodes[0], value=value, count=len(nodes), limit=self.option("limit"))
