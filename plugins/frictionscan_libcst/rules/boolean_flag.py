from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext, function_params


def _tested_name(test: cst.BaseExpression) -> str | None:
    if isinstance(test, cst.Name):
        return test.value
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) \
            and isinstance(test.expression, cst.Name):
        return test.expression.value
    return None


class BooleanFlag(Rule):
    CODE = "FS106"
    NAME = "boolean-flag-parameter"
    DESCRIPTION = "A boolean parameter that switches what a function does"
    MESSAGE = "parameter `{param}` of {name} is a boolean flag that switches its behaviour"
    RATIONALE = ("A True/False parameter that picks a branch means the function does two "
                 "things; every call site reads `f(x, True)` and nobody knows what True means. "
                 "Split it into two functions, or make the flag keyword-only with a clear name.")
    EFFORT_MINUTES = 30
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x1.06 [0.81-1.37], changes x1.17 [0.97-1.42] in 385 "
                         "functions of 12 projects")
    VALID = ("def f(x, *, verbose=False):\n    if verbose:\n        log(x)\n    return x\n",
             "def f(x, flag=False):\n    return g(x, flag)\n")
    INVALID = ("def render(page, compact=False):\n    if compact:\n        return short(page)\n"
               "    return full(page)\n",)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._frames: list[tuple[cst.FunctionDef, dict[str, cst.Param], set[str]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        keyword_only = set(map(id, node.params.kwonly_params))
        flags = {p.name.value: p for p in function_params(node)
                 if id(p) not in keyword_only and isinstance(p.default, cst.Name)
                 and p.default.value in ("True", "False")}
        self._frames.append((node, flags, set()))

    def visit_If(self, node: cst.If) -> None:
        if self._frames:
            name = _tested_name(node.test)
            if name in self._frames[-1][1]:
                self._frames[-1][2].add(name)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        node, flags, tested = self._frames.pop()
        for name in sorted(tested):
            self.report(flags[name], param=name, name=f"`{node.name.value}`")
