from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Rule

_BROAD = {"Exception", "BaseException"}


def _is_broad(handler: cst.ExceptHandler) -> bool:
    t = handler.type
    if t is None:
        return True
    names = t.elements if isinstance(t, cst.Tuple) else [t]
    for n in names:
        value = n.value if isinstance(n, cst.Element) else n
        if isinstance(value, cst.Name) and value.value in _BROAD:
            return True
    return False


def _does_nothing(body: cst.BaseSuite) -> bool:
    if isinstance(body, cst.SimpleStatementSuite):
        stmts = list(body.body)
    else:
        stmts = []
        for line in body.body:
            if not isinstance(line, cst.SimpleStatementLine):
                return False
            stmts.extend(line.body)
    for s in stmts:
        if isinstance(s, (cst.Pass, cst.Continue)):
            continue
        if isinstance(s, cst.Expr) and isinstance(s.value, (cst.Ellipsis, cst.SimpleString)):
            continue
        return False
    return True


class SwallowedException(Rule):
    CODE = "FS104"
    NAME = "swallowed-exception"
    DESCRIPTION = "An exception handler that silently drops every error"
    MESSAGE = "{what} silently swallows every error"
    RATIONALE = ("An error caught and dropped turns a crash with a traceback into wrong "
                 "results found weeks later. Catch the specific exception you expect, or log "
                 "it, or let it propagate.")
    EFFORT_MINUTES = 10
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x0.95 [0.35-2.58], changes x0.88 [0.49-1.56] in 44 "
                         "functions of 9 projects")
    VALID = ("try:\n    f()\nexcept KeyError:\n    pass\n",
             "try:\n    f()\nexcept Exception:\n    log.exception('f failed')\n",
             "try:\n    f()\nexcept Exception:\n    raise\n")
    INVALID = ("try:\n    f()\nexcept:\n    pass\n",
               "try:\n    f()\nexcept Exception:\n    pass\n",
               "for x in xs:\n    try:\n        f(x)\n    except (ValueError, Exception):\n"
               "        continue\n")

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if _is_broad(node) and _does_nothing(node.body):
            what = "bare `except:`" if node.type is None else "`except Exception`"
            self.report(node, what=what)
