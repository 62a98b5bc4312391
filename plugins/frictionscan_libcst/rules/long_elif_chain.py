from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, dotted_name


def _subject(test: cst.BaseExpression) -> str | None:
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(
            test.comparisons[0].operator, (cst.Equal, cst.In, cst.Is)):
        return dotted_name(test.left) or cst.Module([]).code_for_node(test.left)
    return None


class LongElifChain(Rule):
    CODE = "FS107"
    NAME = "long-elif-chain"
    DESCRIPTION = "An if/elif chain with more branches than the limit"
    MESSAGE = "if/elif chain of {count} branches on `{subject}` (limit {limit})"
    RATIONALE = ("A long chain that compares one value against constants is a lookup table "
                 "written as control flow: every new case touches the function and its tests. "
                 "A dict of handlers, a match statement or polymorphism keeps cases apart.")
    EFFORT_MINUTES = 30
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.25
    FRICTION_EVIDENCE = ("too few functions with findings to test: 16 in 6 projects")
    OPTIONS = {"limit": (int, 6, "branches on the same subject allowed in one chain")}
    VALID = ("if x == 1:\n    a()\nelif x == 2:\n    b()\nelif y == 3:\n    c()\n",)
    INVALID = ("".join(f"{'if' if i == 0 else 'elif'} kind == {i!r}:\n    h{i}()\n"
                       for i in range(7)),)

    def visit_If(self, node: cst.If) -> None:
        if self.context.is_elif(node) or not isinstance(node.orelse, cst.If):
            return  # counted from the chain's first `if`; a lone `if` is no chain
        subject = _subject(node.test)
        count, current = 0, node
        while subject is not None and isinstance(current, cst.If) \
                and _subject(current.test) == subject:
            count += 1
            current = current.orelse  # type: ignore[assignment]
        if count > self.option("limit"):
            self.report(node, count=count, subject=subject, limit=self.option("limit"))
