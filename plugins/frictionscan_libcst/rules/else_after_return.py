from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Edits, Report, Rule

_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)


def _ends_with_exit(body: cst.BaseSuite) -> str | None:
    if isinstance(body, cst.IndentedBlock):
        last = body.body[-1] if body.body else None
        if isinstance(last, cst.SimpleStatementLine) and last.body:
            stmt = last.body[-1]
        else:
            return None
    elif isinstance(body, cst.SimpleStatementSuite) and body.body:
        stmt = body.body[-1]
    else:
        return None
    return type(stmt).__name__.lower() if isinstance(stmt, _EXITS) else None


class ElseAfterReturn(Rule):
    CODE = "FS121"
    NAME = "else-after-return"
    DESCRIPTION = "An else block after a branch that returns, raises, breaks or continues"
    MESSAGE = "`else` after `{exit}` adds a level of nesting for nothing"
    RATIONALE = ("When the `if` branch ends in return/raise/continue/break, the `else` block "
                 "is simply the rest of the function, one level deeper than it needs to be. "
                 "Flattening it shortens every line inside and removes a branch to read.")
    EFFORT_MINUTES = 2
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.78 [0.49-1.23], changes x0.86 [0.57-1.28] in 109 "
                         "functions of 9 projects")
    OPTIONS = {"min_statements": (int, 3, "statements the else block must hold to be worth "
                                          "flattening")}
    FIX = "safe"
    VALID = ("def f(x):\n    if x:\n        y = 1\n    else:\n        y = 2\n    return y\n",
             "def f(x):\n    if x:\n        return 1\n    elif x is None:\n        return 2\n"
             "    else:\n        return 3\n")
    INVALID = ("def f(x):\n    if x:\n        return 1\n    else:\n        log(x)\n"
               "        y = g(x)\n        return y\n",)
    FIXED = (("def f(x):\n    if x:\n        return 1\n    else:  # fallback\n        log(x)\n"
              "        y = g(x)\n        return y\n",
              "def f(x):\n    if x:\n        return 1\n    # fallback\n    log(x)\n"
              "    y = g(x)\n    return y\n"),)

    def visit_If(self, node: cst.If) -> None:
        if self.context.is_elif(node) or not isinstance(node.orelse, cst.Else):
            return
        if not isinstance(node.orelse.body, cst.IndentedBlock) or \
                len(node.orelse.body.body) < self.option("min_statements"):
            return
        exit_kind = _ends_with_exit(node.body)
        if exit_kind:
            self.report(node, exit=exit_kind)

    def fix(self, report: Report) -> Edits:
        node = report.node
        assert isinstance(node, cst.If) and isinstance(node.orelse, cst.Else)
        block = node.orelse.body
        assert isinstance(block, cst.IndentedBlock)
        moved = list(block.body)
        if moved:
            first = moved[0]
            # a comment after `else:` becomes a comment line above the moved code
            header = [cst.EmptyLine(comment=block.header.comment)] \
                if block.header.comment is not None else []
            lead = [*node.orelse.leading_lines, *header, *first.leading_lines]
            moved[0] = first.with_changes(leading_lines=lead)
        return {node: cst.FlattenSentinel([node.with_changes(orelse=None), *moved])}
