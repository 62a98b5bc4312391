"""The rule framework: one class per friction pattern, all run in one libcst traversal.

A rule is a :class:`libcst.BatchableCSTVisitor` with class attributes that document it:

``CODE``           stable code, ``FS`` and three digits (``FS101``)
``NAME``           slug (``deep-nesting``)
``DESCRIPTION``    what it flags, in one plain sentence (SARIF's short description)
``MESSAGE``        one-line message template, formatted with the keywords given to ``report``
``RATIONALE``      why the pattern slows the next developer down
``EFFORT_MINUTES`` what fixing one occurrence costs
``OPTIONS``        ``{name: (type, default, help)}``: thresholds, set by users under
                   ``[tool.frictionscan.libcst.<CODE>]`` and read with ``self.option(name)``
``VALID``          code samples the rule must accept (tests are generated from these)
``INVALID``        code samples the rule must flag
``FIX``            ``"safe"``, ``"unsafe"`` or ``None``: whether :meth:`Rule.fix` exists, and
                   whether it may change behaviour (unsafe fixes need ``--unsafe``)
``FIXED``          for fixable rules, ``(before, after)`` samples (tests check the fix)
``FRICTION_WEIGHT`` how much the rule's findings predict friction, from 0.0 (they predict
                   nothing beyond size, complexity and churn) to 1.0; carried on each
                   :class:`Finding` as ``weight`` (the score and the quick-win order weigh
                   findings by it). The built-in rules' weights come from the backtest in
                   ``rule_evidence.json`` (docs/rules.md#which-findings-are-friction; a test
                   keeps the two in step); a new rule without evidence keeps 1.0
``FRICTION_EVIDENCE`` one line on what the weight rests on
``HELP_URI``       where a rule of another plugin is documented (an absolute URL); the
                   built-in rules' is their section of docs/rules.md

Rules never import or execute the analysed code; they only look at its syntax tree. Inside
``visit_*``/``leave_*`` methods, ``self.context.scope`` is the stack of enclosing class and
function names (including the node being visited), and ``self.report(node, **fields)``
records a finding. Positions are resolved once per file, after the traversal, and only for
files with findings: libcst's position metadata costs more than the parse itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import libcst as cst

from frictionscan.api import (
    Config,
)

_TEST_PATH = re.compile(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test|conftest)\.py$")


def is_test_path(path: str) -> bool:
    """Whether ``path`` looks like test code (``tests/``, ``test_*.py``, ``conftest.py``)."""
    return _TEST_PATH.search(path) is not None


@dataclass
class RuleContext:
    """State shared by all rules during one file's traversal."""

    path: str
    config: Config | None = None
    #: Enclosing class and function names, outermost first.
    scope: list[str] = field(default_factory=list)
    #: ids of ``If`` nodes that are ``elif`` branches of another ``If`` (kept by the engine).
    elifs: set[int] = field(default_factory=set)

    def is_elif(self, node: cst.If) -> bool:
        """Whether ``node`` is the ``elif`` of another ``if`` (libcst nests them)."""
        return id(node) in self.elifs

    @property
    def qualname(self) -> str | None:
        return ".".join(self.scope) if self.scope else None

    @property
    def is_test(self) -> bool:
        return is_test_path(self.path)


#: What a fix does to the tree: replace a node, or remove it from its parent.
Edits = Mapping[cst.CSTNode, "cst.CSTNode | cst.RemovalSentinel"]


@dataclass
class Report:
    node: cst.CSTNode
    message: str
    symbol: str | None
    #: Extra nodes a fix needs (for example all lines of a commented-out block).
    data: Any = None


class Rule(cst.BatchableCSTVisitor):
    """Base class of friction rules (see the module docstring for the attributes)."""

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""
    RATIONALE: ClassVar[str] = ""
    EFFORT_MINUTES: ClassVar[int] = 5
    OPTIONS: ClassVar[dict[str, tuple[type, Any, str]]] = {}
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[str, ...]] = ()
    FIX: ClassVar[str | None] = None
    FIXED: ClassVar[tuple[tuple[str, str], ...]] = ()
    FRICTION_WEIGHT: ClassVar[float] = 1.0
    FRICTION_EVIDENCE: ClassVar[str] = ""
    HELP_URI: ClassVar[str | None] = None

    def __init__(self, context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.reports: list[Report] = []

    def option(self, name: str) -> Any:
        """The value of option ``name``: configured, or the documented default."""
        default = self.OPTIONS[name][1]
        if self.context.config is None:
            return default
        return self.context.config.getoption(f"libcst.{self.CODE}.{name}", default)

    def report(self, node: cst.CSTNode, *, data: Any = None, symbol: str | None | object = ...,
               **fields: Any) -> None:
        """Record a finding at ``node``; ``fields`` fill the ``MESSAGE`` template. The
        finding's symbol is the enclosing function or class unless ``symbol`` is given."""
        where = self.context.qualname if symbol is ... else symbol
        self.reports.append(Report(node=node, message=self.MESSAGE.format(**fields),
                                   symbol=where if isinstance(where, str) else None, data=data))

    def fix(self, report: Report) -> Edits:
        """The edits that fix ``report`` (only for rules with ``FIX`` set)."""
        raise NotImplementedError(f"{self.CODE} has no fix")


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


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else ``None``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = dotted_name(node.value)
        return f"{inner}.{node.attr.value}" if inner else None
    return None
