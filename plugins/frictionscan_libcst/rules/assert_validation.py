from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext, function_params


def _names(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Name):
            found.add(n.value)
        stack.extend(n.children)
    return found


_TYPE_CHECKS = {"isinstance", "issubclass", "callable", "hasattr"}


def _narrows_type(test: cst.BaseExpression) -> bool:
    """`assert isinstance(x, T)` and `assert x is not None` narrow types for a type checker:
    they document an invariant, not a check of what callers pass."""
    if isinstance(test, cst.BooleanOperation):
        return _narrows_type(test.left) and _narrows_type(test.right)
    if isinstance(test, cst.Call) and isinstance(test.func, cst.Name):
        return test.func.value in _TYPE_CHECKS
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        return isinstance(target.operator, (cst.Is, cst.IsNot)) and \
            isinstance(target.comparator, cst.Name) and target.comparator.value == "None"
    return False


class AssertValidation(Rule):
    CODE = "FS115"
    NAME = "assert-for-validation"
    DESCRIPTION = "An assert that checks a function's arguments, which python -O removes"
    MESSAGE = "assert checks argument {names} of {name}; asserts vanish under python -O"
    RATIONALE = ("`assert` is for invariants, not for checking what callers pass in: "
                 "`python -O` removes it, and the AssertionError says nothing useful to the "
                 "caller. Raise ValueError or TypeError with a message. Tests are left alone.")
    EFFORT_MINUTES = 10
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.78 [0.59-1.04], changes x1.15 [0.92-1.45] in 485 "
                         "functions of 12 projects")
    VALID = ("def f(items):\n    if not items:\n        raise ValueError('items is empty')\n",
             "def f(node, parent):\n    assert isinstance(node, Leaf) and parent is not None\n",
             "def f(items):\n    total = sum(items)\n    assert total >= 0\n")
    INVALID = ("def f(items, limit):\n    assert limit > 0\n    return items[:limit]\n",)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._params: list[set[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._params.append({p.name.value for p in function_params(node)} - {"self", "cls"})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._params.pop()

    def visit_Assert(self, node: cst.Assert) -> None:
        if self.context.is_test or not self._params or _narrows_type(node.test):
            return
        checked = sorted(_names(node.test) & self._params[-1])
        if checked:
            self.report(node, names=", ".join(f"`{n}`" for n in checked),
                        name=f"`{self.context.scope[-1]}`")
