from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable

import libcst as cst

from frictionscan_libcst.rule import Edits, Report, Rule

_CODE_LINE = re.compile(r"(^(def|class|if|elif|else|for|while|try|except|finally|with|return|"
                        r"import|from|raise|yield|print)\b)|[=(\[{]|:$")


def _looks_like_code(lines: list[str]) -> bool:
    text = "\n".join(lines)
    if sum(bool(_CODE_LINE.search(line.strip())) for line in lines) * 2 < len(lines):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(_dedent(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)


class CommentedOutCode(Rule):
    CODE = "FS118"
    NAME = "commented-out-code"
    DESCRIPTION = "Lines of code left in comments"
    MESSAGE = "{count} lines of commented-out code"
    RATIONALE = ("Commented-out code is read by every reader and trusted by none: nobody "
                 "knows whether it is a fix to restore or a mistake to keep away. Version "
                 "control remembers it; delete it.")
    EFFORT_MINUTES = 5
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.25
    FRICTION_EVIDENCE = ("too few functions with findings to test: 2 in 2 projects")
    OPTIONS = {"min_lines": (int, 4, "consecutive commented-out lines that make a finding")}
    FIX = "safe"
    VALID = ("# This module loads the configuration and\n# validates it before use.\n"
             "# See docs/config.md for the keys,\n# and the defaults below.\nx = 1\n",)
    INVALID = ("def f():\n    # old = load(path)\n    # if old:\n    #     merge(old, new)\n"
               "    # return old\n    return new\n",)
    FIXED = (("def f():\n    # old = load(path)\n    # if old:\n    #     merge(old, new)\n"
              "    # return old\n    return new\n", "def f():\n    return new\n"),)

    def _scan(self, lines: object) -> None:
        """Report each run of comment-only lines in one list of empty lines."""
        if not isinstance(lines, (list, tuple)):
            return
        run: list[cst.EmptyLine] = []
        for line in [*lines, None]:
            if isinstance(line, cst.EmptyLine) and line.comment is not None:
                run.append(line)
                continue
            if len(run) >= self.option("min_lines"):
                texts = [ln.comment.value[1:] for ln in run if ln.comment is not None]
                if _looks_like_code([t[1:] if t.startswith(" ") else t for t in texts]):
                    self.report(run[0], count=len(run), data=tuple(run))
            run = []

    def _lines_of(self, node: cst.CSTNode) -> None:
        for attr in ("leading_lines", "lines_after_decorators", "header", "footer"):
            self._scan(getattr(node, attr, None))


    def fix(self, report: Report) -> Edits:
        return {line: cst.RemovalSentinel.REMOVE for line in report.data}


def _visitor(name: str) -> Callable[[CommentedOutCode, cst.CSTNode], None]:
    def visit(self: CommentedOutCode, node: cst.CSTNode) -> None:
        self._lines_of(node)

    visit.__name__ = visit.__qualname__ = f"visit_{name}"  # libcst finds visitors by name
    return visit


# every node type that owns a list of empty (comment) lines
for _name in ("SimpleStatementLine", "If", "For", "While", "With", "Try", "TryStar",
              "FunctionDef", "ClassDef", "Match", "MatchCase", "Else", "ExceptHandler",
              "ExceptStarHandler", "Finally", "Decorator", "Module", "IndentedBlock"):
    setattr(CommentedOutCode, f"visit_{_name}", _visitor(_name))
