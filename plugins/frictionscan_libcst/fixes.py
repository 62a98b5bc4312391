"""Apply the fixes of fixable rules to a source text (``frictionscan fix``).

Fixes are applied in rounds: each round parses the text, runs the rules, applies every fix
whose lines do not overlap another fix of the same round, and prints the module again; the
next round picks up what was deferred. libcst keeps formatting and comments everywhere it was
not asked to change. A result that does not parse (with libcst and, when the original did,
with this Python's own parser) is refused.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import libcst as cst

from frictionscan.api import (
    Config,
)
from frictionscan.api.cst import positions
from frictionscan_libcst.rule import Rule

MAX_ROUNDS = 5


@dataclass
class FixOutcome:
    source: str
    #: (code, line in the original text, message) of each fix applied
    applied: list[tuple[str, int, str]] = field(default_factory=list)
    #: the same for unsafe fixes left out because ``unsafe`` was not given
    skipped_unsafe: list[tuple[str, int, str]] = field(default_factory=list)
    error: str | None = None


class _Apply(cst.CSTTransformer):
    def __init__(self, edits: dict[cst.CSTNode, object]) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> object:
        return self.edits.get(original_node, updated_node)


def _parses_with_ast(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def fix_source(source: str, path: str, rules: Sequence[type[Rule]], config: Config | None,
               *, codes: Collection[str] = (), unsafe: bool = False) -> FixOutcome:
    """Apply the fixes of ``rules`` (only ``codes`` if given) to ``source``."""
    from frictionscan_libcst import _run_rules

    fixable = [r for r in rules if r.FIX and (not codes or r.CODE in codes)]
    outcome = FixOutcome(source=source)
    text = source
    for round_number in range(MAX_ROUNDS):
        module = cst.parse_module(text)
        visitors, _errors = _run_rules(module, path, fixable, config)
        if not visitors:
            break
        where = positions(module)  # fixes are not the hot path: every node
        edits: dict[cst.CSTNode, object] = {}
        taken: list[tuple[int, int]] = []
        for v in visitors:
            for report in v.reports:
                line = where[report.node].start.line
                entry = (v.CODE, line, report.message)
                if v.FIX == "unsafe" and not unsafe:
                    if round_number == 0:
                        outcome.skipped_unsafe.append(entry)
                    continue
                change = v.fix(report)
                spans = [(where[n].start.line, where[n].end.line) for n in change]
                if any(a <= d and c <= b for a, b in spans for c, d in taken):
                    continue  # overlaps a fix of this round: next round
                taken.extend(spans)
                edits.update(change)
                if round_number == 0:
                    outcome.applied.append(entry)
                else:  # lines have moved; report the position in the text of that round
                    outcome.applied.append((v.CODE, line, report.message))
        if not edits:
            break
        text = module.visit(_Apply(edits)).code
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return FixOutcome(source=source, error=f"fixed code would not parse ({exc.message}); "
                                                f"nothing written")
    if _parses_with_ast(source) and not _parses_with_ast(text):
        return FixOutcome(source=source, error="fixed code would not compile; nothing written")
    outcome.source = text
    return outcome
