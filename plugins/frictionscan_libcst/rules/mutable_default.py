from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule, function_params

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
    MESSAGE = "parameter `{param}` of {name} has a mutable default, shared by every call"
    RATIONALE = ("A list or dict default is created once, when the function is defined; "
                 "whatever one call appends, the next call sees. Use None and create the "
                 "object inside the function.")
    EFFORT_MINUTES = 5
    VALID = ("def f(x=None, y=(), z=frozenset()):\n    pass\n",
             "def f(x=tuple()):\n    pass\n")
    INVALID = ("def f(x=[]):\n    pass\n",
               "def f(*, cache={}):\n    pass\n",
               "def f(seen=set()):\n    pass\n")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for p in function_params(node):
            if p.default is not None and _is_mutable(p.default):
                self.report(p, param=p.name.value, name=f"`{node.name.value}`")
