from __future__ import annotations

import re

import libcst as cst

from frictionscan_libcst.rule import Rule, RuleContext, dotted_name

_SCRIPT_PATH = re.compile(r"(^|/)(scripts?|examples?|docs?|benchmarks?|tools?|bin|cmd|"
                          r"commands?|management)/"
                          r"|(^|/)(__main__|setup|manage|noxfile|fabfile|conftest)\.py$"
                          r"|(^|/)[^/]*cli[^/]*\.py$")
_CLI_MODULES = {"argparse", "click", "typer", "fire", "docopt", "optparse"}


class PrintCall(Rule):
    CODE = "FS114"
    NAME = "print-in-library"
    DESCRIPTION = "A print() call in library code"
    MESSAGE = "print() in library code ({name})"
    RATIONALE = ("print() in a library writes to whatever stdout the caller has, cannot be "
                 "silenced or redirected per module, and leaks into pipes and test output. "
                 "Use logging, or return the text. Scripts, command-line modules, tests and "
                 "`if __name__ == '__main__'` blocks are left alone.")
    EFFORT_MINUTES = 5
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.87 [0.47-1.61], changes x1.04 [0.63-1.73] in 126 "
                         "functions of 11 projects")
    VALID = ("import argparse\n\ndef main():\n    print('usage')\n",
             "def f():\n    log.info('x')\n\nif __name__ == '__main__':\n    print(f())\n")
    INVALID = ("def load(path):\n    print('loading', path)\n    return open(path)\n",)

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._calls: list[cst.Call] = []
        self._where: list[str | None] = []
        self._script = context.is_test or bool(_SCRIPT_PATH.search(context.path))
        self._main_guard = 0

    def visit_Import(self, node: cst.Import) -> None:
        if any((dotted_name(a.name) or "").split(".")[0] in _CLI_MODULES for a in node.names):
            self._script = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and \
                (dotted_name(node.module) or "").split(".")[0] in _CLI_MODULES:
            self._script = True

    def visit_If(self, node: cst.If) -> None:
        test = node.test
        if isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) \
                and test.left.value == "__name__":
            self._main_guard += 1

    def leave_If(self, original_node: cst.If) -> None:
        test = original_node.test
        if isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) \
                and test.left.value == "__name__":
            self._main_guard -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "print" \
                and not self._main_guard:
            self._calls.append(node)
            self._where.append(self.context.qualname)

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._script:
            return
        for call, where in zip(self._calls, self._where):
            self.report(call, symbol=where, name=f"in `{where}`" if where else "at module level")
