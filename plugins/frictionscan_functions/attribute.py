"""From what each commit touched (positions in the current version) to each function's
history and its function hotspot score.

A function owns the lines from its ``def`` to its last line (nested functions included: a
change to a closure is a change to the function around it too). A line deleted since
belongs to a function when the gap it sat in lies inside the function, or opens at the
function's last line and the deleted line was indented deeper than its ``def``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from frictionscan.api import FunctionHistory, Span, SymbolKind
from frictionscan_functions.linemap import LineMap, relocate
from frictionscan_functions.walk import CommitTouch, Item


@dataclass(frozen=True, slots=True)
class Function:
    """A function as measured now (lines of the working tree, or of the revision)."""

    name: str
    kind: SymbolKind
    start: int
    end: int
    col: int
    complexity: float | None


def function_score(recency: float, complexity: float | None) -> float:
    """change x complexity, the shape of the file score: log2(1 + recency-weighted
    changes) x log2(1 + cyclomatic complexity)."""
    return round(math.log2(1 + recency) * math.log2(1 + (complexity or 1.0)), 3)


def _positions(item: Item, worktree: LineMap) -> list[tuple[int | tuple[int, int, int], int]]:
    """(position, count) of a run of touched positions, in the working tree's lines."""
    if len(item) == 2:
        if worktree.identity:
            return [(item[0], item[1])]
        return [(worktree.at(item[0] + k), 1) for k in range(item[1])]
    ghost = (item[0], item[1], item[2])
    return [(ghost if worktree.identity else relocate(ghost, worktree), item[3])]


def attribute(path: str, functions: Sequence[Function], touches: Sequence[CommitTouch], *,
              since: int, now: int, half_life_days: float,
              fix: Callable[[CommitTouch], bool],
              finding_lines: Sequence[int] = (), worktree: LineMap | None = None,
              bot: Callable[[CommitTouch], bool] | None = None
              ) -> list[FunctionHistory]:
    """One :class:`FunctionHistory` per function, by function score, best first; the
    commits of a ``bot`` count as changes, the bot is never one of the ``authors``."""
    worktree = worktree or LineMap()
    size = max((f.end for f in functions), default=0)
    owners: list[list[int]] = [[] for _ in range(size + 2)]
    for n, f in enumerate(functions):
        for line in range(max(f.start, 1), f.end + 1):
            owners[line].append(n)
    commits: list[set[int]] = [set() for _ in functions]
    added = [0] * len(functions)
    deleted = [0] * len(functions)

    def owned(pos: int | tuple[int, int, int]) -> list[int]:
        if isinstance(pos, int):
            return owners[pos] if 0 < pos <= size else []
        before, after, indent = pos
        if not 0 < before <= size:
            return []
        return [n for n in owners[before] if functions[n].start <= after <= functions[n].end
                or indent > functions[n].col]

    for c, touch in enumerate(touches):
        if touch.time < since:
            continue
        for items, counts in ((touch.added, added), (touch.deleted, deleted)):
            for item in items:
                for pos, count in _positions(item, worktree):
                    if isinstance(pos, int) and count > 1:
                        for line in range(pos, min(pos + count, size + 1)):
                            for n in owners[line] if line > 0 else ():
                                counts[n] += 1
                                commits[n].add(c)
                        continue
                    for n in owned(pos):
                        counts[n] += count
                        commits[n].add(c)
    half_life = half_life_days * 86400.0
    out = []
    for n, f in enumerate(functions):
        mine = [touches[c] for c in sorted(commits[n], key=lambda c: -touches[c].time)]
        if half_life > 0:
            recency = sum(0.5 ** (max(0.0, now - t.time) / half_life) for t in mine)
        else:
            recency = float(len(mine))
        recency = round(recency, 6)
        out.append(FunctionHistory(
            path=path, name=f.name, kind=f.kind,
            span=Span(start_line=f.start, start_col=f.col, end_line=f.end),
            changes=len(mine), lines_added=added[n], lines_deleted=deleted[n],
            authors=tuple(sorted({t.author for t in mine if bot is None or not bot(t)})),
            fixes=sum(1 for t in mine if fix(t)),
            last_change=datetime.fromtimestamp(mine[0].time, tz=timezone.utc) if mine
            else None,
            recency=recency, complexity=f.complexity,
            findings=sum(1 for line in finding_lines if f.start <= line <= f.end),
            score=function_score(recency, f.complexity) if mine else 0.0,
            commits=tuple(t.sha[:12] for t in mine)))
    out.sort(key=lambda h: (-h.score, -h.changes, h.span.start_line, h.name))
    return out
