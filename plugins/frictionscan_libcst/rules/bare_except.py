from __future__ import annotations

import libcst as cst

from frictionscan_libcst.rule import Edits, Report, Rule


class BareExcept(Rule):
    CODE = "FS122"
    NAME = "bare-except"
    DESCRIPTION = "A bare except:, which also catches KeyboardInterrupt and SystemExit"
    MESSAGE = "bare `except:` also catches KeyboardInterrupt and SystemExit"
    RATIONALE = ("A bare `except:` catches Ctrl-C, sys.exit() and generator shutdown along "
                 "with real errors, so programs cannot be stopped cleanly and failures are "
                 "misreported. `except Exception:` is what was almost always meant. The fix "
                 "is unsafe where catching everything was deliberate.")
    EFFORT_MINUTES = 2
    #: The backtest (docs/rules.md#which-findings-are-friction).
    FRICTION_WEIGHT = 0.0
    FRICTION_EVIDENCE = ("next-year fixes x1.22 [0.54-2.79], changes x1.20 [0.60-2.39] in 30 "
                         "functions of 3 projects")
    FIX = "unsafe"
    VALID = ("try:\n    f()\nexcept Exception:\n    log()\n",)
    INVALID = ("try:\n    f()\nexcept:\n    log()\n    raise\n",)
    FIXED = (("try:\n    f()\nexcept:  # keep going\n    log()\n",
              "try:\n    f()\nexcept Exception:  # keep going\n    log()\n"),)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.type is None:
            self.report(node)

    def fix(self, report: Report) -> Edits:
        node = report.node
        assert isinstance(node, cst.ExceptHandler)
        return {node: node.with_changes(type=cst.Name("Exception"),
                                        whitespace_after_except=cst.SimpleWhitespace(" "))}
