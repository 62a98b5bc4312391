"""Cyclomatic complexity from a libcst tree, for files the running interpreter cannot parse.

radon parses with :mod:`ast`, so on Python 3.11 a file using 3.12+ syntax (``type`` aliases,
PEP 695 generics, nested f-string quotes) is a ``SyntaxError`` for radon. libcst's own parser
accepts it; this visitor counts decision points with radon's rules so the numbers agree:

* a function starts at 1; ``if``/``elif`` and conditional expressions add 1;
* ``for``/``while`` add 1, plus 1 for an ``else``; ``try`` adds one per ``except`` plus 1
  for an ``else``; ``assert`` adds 1;
* boolean operators add one per operand after the first (``a and b or c`` adds 2);
* each comprehension ``for`` adds 1, each of its ``if`` clauses 1;
* ``match`` adds one per ``case`` except a bare ``case _``.

Nested functions are reported as blocks of their own, named ``outer.inner``; methods as
``Class.method``. Lines are the syntactic positions libcst's ``PositionProvider`` gives.

The tree is parsed (once for both plugins: :func:`frictionscan.api.cst.parse_module` keeps
the last tree), walked, and the positions of the function nodes computed by the shared libcst
toolkit of the public API (:mod:`frictionscan.api.cst`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from frictionscan.api.cst import parse_module, positions_of, visit_batched


@dataclass
class Block:
    name: str
    is_method: bool
    lineno: int
    col: int
    endline: int
    complexity: int


class _Counter(cst.BatchableCSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        #: [name, is_method, node, complexity], in the order functions end
        self.functions: list[list[Any]] = []
        self._stack: list[list] = []  # [name, is_method, node, count]
        self._scope: list[tuple[str, str]] = []  # (kind, name)
        self.module_complexity = 0

    def _add(self, n: int) -> None:
        if self._stack:
            self._stack[-1][3] += n
        else:
            self.module_complexity += n

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scope.append(("class", node.name.value))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._scope.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        is_method = bool(self._scope) and self._scope[-1][0] == "class"
        qual = ".".join([n for _, n in self._scope] + [node.name.value])
        self._stack.append([qual, is_method, node, 1])
        self._scope.append(("def", node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scope.pop()
        self.functions.append(self._stack.pop())

    def visit_If(self, node: cst.If) -> None:
        self._add(1)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._add(1)

    def visit_For(self, node: cst.For) -> None:
        self._add(1 + (node.orelse is not None))

    def visit_While(self, node: cst.While) -> None:
        self._add(1 + (node.orelse is not None))

    def visit_Try(self, node: cst.Try) -> None:
        self._add(len(node.handlers) + (node.orelse is not None))

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._add(len(node.handlers) + (node.orelse is not None))

    def visit_Assert(self, node: cst.Assert) -> None:
        self._add(1)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        # a chain "a and b and c" is nested BooleanOperations: one per operator
        self._add(1)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._add(1 + len(node.ifs))

    def visit_Match(self, node: cst.Match) -> None:
        wildcard = any(isinstance(c.pattern, cst.MatchAs) and c.pattern.pattern is None
                       and c.pattern.name is None for c in node.cases)
        self._add(max(0, len(node.cases) - wildcard))


def complexity_blocks(source: str) -> tuple[list[Block], int]:
    """Function blocks and the module-level complexity; raises libcst.ParserSyntaxError."""
    module = parse_module(source)
    counter = _Counter()
    visit_batched(module, [counter])
    where = positions_of(module, [f[2] for f in counter.functions])
    blocks = [Block(name, is_method, where[node].start.line, where[node].start.column,
                    where[node].end.line, count)
              for name, is_method, node, count in counter.functions]
    return blocks, counter.module_complexity
