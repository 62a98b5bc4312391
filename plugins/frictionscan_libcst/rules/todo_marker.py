from __future__ import annotations

import re

import libcst as cst

from frictionscan_libcst.rule import Rule

_MARKER = re.compile(r"#.*?\b(TODO|FIXME|HACK|XXX)\b[:\s]*(.*)")


class TodoMarker(Rule):
    CODE = "FS116"
    NAME = "todo-marker"
    DESCRIPTION = "A TODO, FIXME or similar marker left in the code"
    MESSAGE = "{marker} left in the code: {text}"
    RATIONALE = ("A TODO is a decision deferred and then forgotten: the next developer cannot "
                 "tell whether it still matters. Do it, file it in the tracker with a link, "
                 "or delete it.")
    EFFORT_MINUTES = 15
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.5
    FRICTION_EVIDENCE = ("next-year fixes x1.18 [0.97-1.44], changes x1.13 [0.97-1.32] in 765 "
                         "functions of 12 projects")
    VALID = ("x = 1  # the todo list is rendered below\n", "s = 'TODO: not a comment'\n")
    INVALID = ("# TODO: handle timeouts\nx = 1\n", "x = retry()  # FIXME flaky on CI\n",
               "def f():\n    # HACK: work around the vendor bug\n    pass\n")

    def visit_Comment(self, node: cst.Comment) -> None:
        match = _MARKER.match(node.value)
        if match:
            text = match.group(2).strip() or "(no text)"
            self.report(node, marker=match.group(1),
                        text=text if len(text) <= 60 else text[:57] + "...")
