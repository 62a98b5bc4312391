from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext

_BLOCKS = (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar, cst.Match)


class DeepNesting(Rule):
    CODE = "FS101"
    NAME = "deep-nesting"
    DESCRIPTION = "Control flow nested deeper than the limit inside a function"
    MESSAGE = "{name} nests control flow {depth} levels deep (limit {limit})"
    RATIONALE = ("Every level of nesting is one more condition a reader must hold in mind; "
                 "deeply nested code is where edge cases hide and where changes go wrong. "
                 "Early returns, guard clauses or an extracted helper flatten it.")
    EFFORT_MINUTES = 30
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.99 [0.76-1.30], changes x1.05 [0.86-1.27] in 321 "
                         "functions of 12 projects")
    OPTIONS = {"limit": (int, 4, "deepest nesting of if/for/while/with/try/match allowed "
                                 "in a function")}
    VALID = (
        "def f(xs):\n    for x in xs:\n        if x:\n            with open(x) as fh:\n"
        "                if fh:\n                    return 1\n",
        "def f(x):\n    if x == 1:\n        pass\n    elif x == 2:\n        pass\n"
        "    elif x == 3:\n        pass\n    elif x == 4:\n        pass\n    elif x == 5:\n"
        "        pass\n",
    )
    INVALID = (
        "def f(xs):\n    for x in xs:\n        if x:\n            while x:\n"
        "                try:\n                    if x > 1:\n                        x -= 1\n"
        "                except ValueError:\n                    pass\n",
    )

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # per enclosing function: [node, depth, max depth]
        self._functions: list[list] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append([node, 0, 0])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        node, _, deepest = self._functions.pop()
        if deepest > self.option("limit"):
            self.report(node, name=f"`{node.name.value}`", depth=deepest,
                        limit=self.option("limit"))

    def _enter(self, node: cst.CSTNode) -> None:
        if not self._functions or (isinstance(node, cst.If) and self.context.is_elif(node)):
            return
        frame = self._functions[-1]
        frame[1] += 1
        frame[2] = max(frame[2], frame[1])

    def _leave(self, node: cst.CSTNode) -> None:
        if not self._functions or (isinstance(node, cst.If) and self.context.is_elif(node)):
            return
        self._functions[-1][1] -= 1

    def visit_If(self, node: cst.If) -> None:
        self._enter(node)

    def leave_If(self, original_node: cst.If) -> None:
        self._leave(original_node)

    def visit_For(self, node: cst.For) -> None:
        self._enter(node)

    def leave_For(self, original_node: cst.For) -> None:
        self._leave(original_node)

    def visit_While(self, node: cst.While) -> None:
        self._enter(node)

    def leave_While(self, original_node: cst.While) -> None:
        self._leave(original_node)

    def visit_With(self, node: cst.With) -> None:
        self._enter(node)

    def leave_With(self, original_node: cst.With) -> None:
        self._leave(original_node)

    def visit_Try(self, node: cst.Try) -> None:
        self._enter(node)

    def leave_Try(self, original_node: cst.Try) -> None:
        self._leave(original_node)

    def visit_Match(self, node: cst.Match) -> None:
        self._enter(node)

    def leave_Match(self, original_node: cst.Match) -> None:
        self._leave(original_node)
