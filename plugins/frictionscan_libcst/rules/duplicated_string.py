from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext


class DuplicatedString(Rule):
    CODE = "FS110"
    NAME = "duplicated-string-literal"
    DESCRIPTION = "The same string literal repeated instead of a named constant"
    MESSAGE = "the string {text} appears {count} times (limit {limit}); make it a constant"
    RATIONALE = ("A message, key or path spelled out in several places has to be changed in "
                 "all of them, and a typo in one is a bug nobody sees. One constant, used "
                 "everywhere, cannot drift.")
    EFFORT_MINUTES = 10
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x1.07 [0.78-1.48], changes x1.08 [0.82-1.42] in 237 "
                         "functions of 12 projects")
    OPTIONS = {"limit": (int, 3, "times one string may appear"),
               "min_length": (int, 12, "shorter strings are not counted")}
    VALID = ("KEY = 'content-type-header'\nx = {KEY: 1}\ny = {KEY: 2}\nz = {KEY: 3}\n"
             "w = {KEY: 4}\n",)
    INVALID = ("".join(f"def f{i}():\n    return 'application/json; charset=utf-8'\n"
                       for i in range(4)),)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._seen: dict[str, list[cst.SimpleString]] = {}
        self._docstrings: set[int] = set()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for stmt in node.body:  # a bare string statement is a docstring or a comment
            if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.SimpleString):
                self._docstrings.add(id(stmt.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) in self._docstrings or "b" in node.prefix.lower() \
                or len(node.value) < self.option("min_length"):  # too short even with quotes
            return
        try:
            text = node.evaluated_value
        except Exception:  # an escape sequence literal_eval rejects: not worth a finding
            return
        if isinstance(text, str) and len(text) >= self.option("min_length"):
            self._seen.setdefault(text, []).append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.context.is_test:
            return
        for text, nodes in self._seen.items():
            if len(nodes) > self.option("limit"):
                shown = repr(text if len(text) <= 40 else text[:37] + "...")
                self.report(nodes[0], text=shown, count=len(nodes), limit=self.option("limit"))
