"""The rule framework: one class per friction pattern, all run in one libcst traversal.

A rule is a :class:`libcst.BatchableCSTVisitor` with class attributes that document it:

``CODE``           stable code, ``FS`` and three digits (``FS101``)
``NAME``           slug (``deep-nesting``)
``MESSAGE``        one-line message template, formatted with the keywords given to ``report``
``RATIONALE``      why the pattern slows the next developer down
``EFFORT_MINUTES`` what fixing one occurrence costs
``VALID``          code samples the rule must accept (tests are generated from these)
``INVALID``        code samples the rule must flag

Rules never import or execute the analysed code; they only look at its syntax tree. Inside
``visit_*``/``leave_*`` methods, ``self.context.scope`` is the stack of enclosing class and
function names (including the node being visited), and ``self.report(node, **fields)``
records a finding. Positions are resolved once per file, after the traversal, and only for
files with findings: libcst's position metadata costs more than the parse itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import libcst as cst

from frictionscan.config import Config


@dataclass
class RuleContext:
    """State shared by all rules during one file's traversal."""

    path: str
    config: Config | None = None
    #: Enclosing class and function names, outermost first.
    scope: list[str] = field(default_factory=list)

    @property
    def qualname(self) -> str | None:
        return ".".join(self.scope) if self.scope else None


@dataclass
class Report:
    node: cst.CSTNode
    message: str
    symbol: str | None


class Rule(cst.BatchableCSTVisitor):
    """Base class of friction rules (see the module docstring for the attributes)."""

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""
    RATIONALE: ClassVar[str] = ""
    EFFORT_MINUTES: ClassVar[int] = 5
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[str, ...]] = ()
    #: Whether a safe automatic fix exists (quick fixes arrive with the codemod issue).
    FIXABLE: ClassVar[bool] = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.reports: list[Report] = []

    def report(self, node: cst.CSTNode, **fields: Any) -> None:
        """Record a finding at ``node``; ``fields`` fill the ``MESSAGE`` template."""
        self.reports.append(Report(node=node, message=self.MESSAGE.format(**fields),
                                   symbol=self.context.qualname))


def function_params(node: cst.FunctionDef) -> list[cst.Param]:
    """All parameters of a function, in order (positional-only, regular, *args, kw-only,
    **kwargs)."""
    p = node.params
    out = [*p.posonly_params, *p.params, *p.kwonly_params]
    if isinstance(p.star_arg, cst.Param):
        out.append(p.star_arg)
    if p.star_kwarg is not None:
        out.append(p.star_kwarg)
    return out
