"""frictionscan-http-rules: a third-party rule for frictionscan's libcst plugin."""

from __future__ import annotations

import libcst as cst
from frictionscan_libcst.rule import Edits, Report, Rule, dotted_name

from frictionscan.api import hookimpl

HTTP_CALLS = {"requests.get", "requests.post", "requests.put", "requests.patch",
              "requests.delete", "requests.head", "requests.request"}


class RequestWithoutTimeout(Rule):
    CODE = "HT001"
    NAME = "request-without-timeout"
    MESSAGE = "`{call}()` without a timeout can hang forever"
    RATIONALE = ("requests waits indefinitely by default: one slow server stalls a worker, "
                 "and the incident is hard to trace. Always pass `timeout=`.")
    EFFORT_MINUTES = 5
    OPTIONS = {"seconds": (int, 10, "timeout the fix inserts, in seconds")}
    FIX = "unsafe"  # a request that used to wait minutes may now time out
    VALID = ("requests.get(url, timeout=5)\n", "session.get(url)\n")
    INVALID = ("requests.get(url)\n", "r = requests.post(url, json=body)\n")
    FIXED = (("requests.get(url)\n", "requests.get(url, timeout=10)\n"),)

    def visit_Call(self, node: cst.Call) -> None:
        call = dotted_name(node.func)
        if call in HTTP_CALLS and not any(
                arg.keyword is not None and arg.keyword.value == "timeout"
                for arg in node.args):
            self.report(node, call=call)

    def fix(self, report: Report) -> Edits:
        node = report.node
        assert isinstance(node, cst.Call)
        timeout = cst.Arg(keyword=cst.Name("timeout"),
                          value=cst.Integer(str(self.option("seconds"))),
                          equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                                whitespace_after=cst.SimpleWhitespace("")))
        args = list(node.args)
        if args:
            args[-1] = args[-1].with_changes(comma=cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" ")))
        return {node: node.with_changes(args=[*args, timeout])}


@hookimpl
def frictionscan_libcst_rules() -> list[type[Rule]]:
    return [RequestWithoutTimeout]
