from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Edits, Report, Rule, function_params

_FACTORIES = {"list", "dict", "set", "defaultdict", "OrderedDict", "deque", "bytearray"}


def _is_mutable(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp,
                          cst.SetComp)):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        name = func.value if isinstance(func, cst.Name) else (
            func.attr.value if isinstance(func, cst.Attribute) else None)
        return name in _FACTORIES
    return False


class MutableDefault(Rule):
    CODE = "FS105"
    NAME = "mutable-default-argument"
    DESCRIPTION = "A parameter whose default is a mutable object, shared by every call"
    MESSAGE = "parameter `{param}` of {name} has a mutable default, shared by every call"
    RATIONALE = ("A list or dict default is created once, when the function is defined; "
                 "whatever one call appends, the next call sees. Use None and create the "
                 "object inside the function.")
    EFFORT_MINUTES = 5
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.25
    FRICTION_EVIDENCE = ("too few functions with findings to test: 13 in 4 projects")
    FIX = "unsafe"
    FIXED = (("def f(x, items=[], *, seen={}):\n    \"\"\"Doc.\"\"\"\n    items.append(x)\n"
              "    return items\n",
              "def f(x, items=None, *, seen=None):\n    \"\"\"Doc.\"\"\"\n"
              "    if items is None:\n        items = []\n    if seen is None:\n"
              "        seen = {}\n    items.append(x)\n    return items\n"),
             ("def g(a=list()): return a\n",
              "def g(a=None):\n    if a is None:\n        a = list()\n    return a\n"))
    VALID = ("def f(x=None, y=(), z=frozenset()):\n    pass\n",
             "def f(x=tuple()):\n    pass\n")
    INVALID = ("def f(x=[]):\n    pass\n",
               "def f(*, cache={}):\n    pass\n",
               "def f(seen=set()):\n    pass\n")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for p in function_params(node):
            if p.default is not None and _is_mutable(p.default):
                self.report(p, param=p.name.value, name=f"`{node.name.value}`", data=node)

    def fix(self, report: Report) -> Edits:
        """``x=[]`` becomes ``x=None`` plus ``if x is None: x = []`` at the top of the body
        (after the docstring). Unsafe: a caller passing None now gets a fresh default, and
        code that relied on the shared object changes behaviour."""
        func: cst.FunctionDef = report.data
        empty = cst.Module([])
        guards: list[cst.BaseStatement] = []

        def replace(p: cst.Param) -> cst.Param:
            if p.default is None or not _is_mutable(p.default):
                return p
            name, default = p.name.value, empty.code_for_node(p.default)
            guards.append(cst.parse_statement(f"if {name} is None:\n    {name} = {default}\n"))
            return p.with_changes(default=cst.Name("None"))

        params = func.params.with_changes(
            posonly_params=[replace(p) for p in func.params.posonly_params],
            params=[replace(p) for p in func.params.params],
            kwonly_params=[replace(p) for p in func.params.kwonly_params])
        body = func.body
        if isinstance(body, cst.SimpleStatementSuite):
            body = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=body.body)])
        statements = list(body.body)
        first = statements[0] if statements else None
        docstring = isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1 and \
            isinstance(first.body[0], cst.Expr) and \
            isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        at = 1 if docstring else 0
        statements[at:at] = guards
        return {func: func.with_changes(params=params,
                                        body=body.with_changes(body=statements))}
