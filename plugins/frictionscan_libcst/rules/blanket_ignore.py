from __future__ import annotations

import re

import libcst as cst

from frictionscan_libcst.rule import Rule

_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore(?!\s*\[)")
_NOQA = re.compile(r"#\s*noqa(?!\s*:)\b", re.IGNORECASE)


class BlanketIgnore(Rule):
    CODE = "FS117"
    NAME = "blanket-ignore"
    DESCRIPTION = "A type-checker or linter suppression without a code, which silences every error"
    MESSAGE = "blanket `{what}` silences every present and future error on this line"
    RATIONALE = ("An ignore comment without a code hides the error it was written for and "
                 "every other error that appears on the line later. Name the code: "
                 "`# type: ignore[arg-type]`, `# noqa: E501`.")
    EFFORT_MINUTES = 5
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.80 [0.58-1.11], changes x1.21 [0.86-1.69] in 458 "
                         "functions of 9 projects")
    VALID = ("x = f()  # type: ignore[no-any-return]\n", "import os  # noqa: F401\n")
    INVALID = ("x = f()  # type: ignore\n", "import os  # noqa\n")

    def visit_Comment(self, node: cst.Comment) -> None:
        if _TYPE_IGNORE.search(node.value):
            self.report(node, what="# type: ignore")
        elif _NOQA.search(node.value):
            self.report(node, what="# noqa")
