"""``frictionscan explain FILE``: why one file ranks where it does.

:func:`explain` turns one hotspot of a scan into an :class:`Explanation`, which the formatters
of the ``explain`` view render (the report plugin's ``text`` and ``json``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.core.errors import UsageError
from frictionscan.core.model import FunctionHistory, Hotspot, Insights, Measurement, ScanResult
from frictionscan.views.plan import effort_band, refactor_hours

#: How many of the file's most complex functions are listed.
FUNCTIONS = 10
#: The share of a file's changes that "where its change concentrates" accounts for.
CONCENTRATION = 0.7


@dataclass(frozen=True, slots=True, kw_only=True)
class Concentration:
    """``functions`` of the file's ``of`` functions (the most changed ones) take ``share``
    of its changes (commits in the window)."""

    functions: int
    of: int
    share: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Everything about one file of a scan: its rank and score components (``hotspot``),
    its refactor effort, its change timeline and its most complex functions. Its findings,
    history, focus weights and errors are the hotspot's analysis."""

    hotspot: Hotspot
    #: How many files of its kind the scan ranked (each kind is ranked on its own).
    files: int
    #: Hours a real refactor takes, and their band (S, M, L, XL; docs/planning.md).
    hours: float
    band: str
    #: Commits per calendar month (``YYYY-MM``) over the window, oldest first, months
    #: without commits included.
    commits_per_month: tuple[tuple[str, int], ...]
    #: The most complex functions (``radon.cc`` per symbol), most complex first.
    functions: tuple[Measurement, ...]
    #: Every function with its change history (the X-ray), by function score, best first;
    #: empty without one.
    xray: tuple[FunctionHistory, ...] = ()
    #: Where the file's change concentrates (``None`` without an X-ray or changes).
    concentration: Concentration | None = None
    #: The scan's repository-level findings: the file's coupled files
    #: (``insights.coupling_of(path)``) and who knows it (``insights.knowledge_of(path)``).
    insights: Insights = field(default_factory=Insights)


def find_hotspot(result: ScanResult, root: Path, target: Path) -> Hotspot:
    """The hotspot of ``target`` (an absolute path inside ``root``)."""
    try:
        rel = target.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{target} is not inside the repository at {root}") from None
    for h in result.hotspots:
        if h.path == rel:
            return h
    raise UsageError(f"{rel} was not analysed: it is not tracked by git, not matched by "
                     f"include, or excluded (see docs/configuration.md)")


def months(h: Hotspot) -> list[tuple[str, int]]:
    """Commits per calendar month over the window, oldest first (months without commits
    included)."""
    counts = Counter(datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m")
                     for t in h.analysis.history.change_times)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    out = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def concentration(functions: tuple[FunctionHistory, ...], changes: int,
                  share: float = CONCENTRATION) -> Concentration | None:
    """The fewest functions (most changed first) whose commits make ``share`` of the file's
    ``changes``, or all the changed ones when they make less."""
    ranked = sorted((f for f in functions if f.changes), key=lambda f: -f.changes)
    total = max(changes, len({c for f in ranked for c in f.commits}))
    if not ranked or not total:
        return None
    seen: set[str] = set()
    taken = 0
    for f in ranked:
        seen.update(f.commits)
        taken += 1
        if len(seen) >= share * total:
            break
    return Concentration(functions=taken, of=len(functions),
                         share=round(len(seen) / total, 3))


def explain(result: ScanResult, h: Hotspot) -> Explanation:
    """The explanation of hotspot ``h`` of ``result``."""
    hours = refactor_hours(h)
    ranked = sorted(h.analysis.symbol_values("radon.cc"), key=lambda m: -m.value)
    return Explanation(hotspot=h, files=sum(1 for o in result.hotspots if o.kind == h.kind),
                       hours=hours,
                       band=effort_band(hours), commits_per_month=tuple(months(h)),
                       functions=tuple(m for m in ranked[:FUNCTIONS] if m.symbol),
                       xray=h.functions or (),
                       concentration=concentration(h.functions or (),
                                                   h.analysis.history.revisions),
                       insights=result.insights)
