from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext


class GodClass(Rule):
    CODE = "FS111"
    NAME = "god-class"
    DESCRIPTION = "A class with more methods or statements than the limits"
    MESSAGE = "class {name} has {methods} methods and {statements} statements (limits {lm}, {ls})"
    RATIONALE = ("A class that does everything is where every change lands and every merge "
                 "conflicts; its methods share state nobody can hold in their head. Split it "
                 "along the groups of attributes its methods actually use. Test classes are "
                 "left alone.")
    EFFORT_MINUTES = 480
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.79 [0.62-1.00], changes x0.79 [0.63-0.99] in 7855 "
                         "functions of 11 projects")
    OPTIONS = {"max_methods": (int, 35, "methods allowed in one class"),
               "max_statements": (int, 500, "statements allowed in one class body")}
    VALID = ("class Small:\n" + "".join(f"    def m{i}(self):\n        return {i}\n"
                                         for i in range(35)),)
    INVALID = ("class Big:\n" + "".join(f"    def m{i}(self):\n        return {i}\n"
                                         for i in range(36)),)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._frames: list[list[int]] = []  # [methods, statements]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        self._frames.append([sum(isinstance(s, cst.FunctionDef) for s in body), 0])

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if self._frames:
            self._frames[-1][1] += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        methods, statements = self._frames.pop()
        if self._frames:
            self._frames[-1][1] += statements
        if self.context.is_test:
            return  # a test class with many tests is a list, not a god class
        if methods > self.option("max_methods") or statements > self.option("max_statements"):
            self.report(original_node, name=f"`{original_node.name.value}`", methods=methods,
                        statements=statements, lm=self.option("max_methods"),
                        ls=self.option("max_statements"))
