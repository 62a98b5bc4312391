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
from frictionscan.core.model import Hotspot, Insights, Measurement, ScanResult
from frictionscan.views.plan import effort_band, refactor_hours

#: How many of the file's most complex functions are listed.
FUNCTIONS = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Everything about one file of a scan: its rank and score components (``hotspot``),
    its refactor effort, its change timeline and its most complex functions. Its findings,
    history, focus weights and errors are the hotspot's analysis."""

    hotspot: Hotspot
    #: How many files the scan ranked.
    files: int
    #: Hours a real refactor takes, and their band (S, M, L, XL; docs/planning.md).
    hours: float
    band: str
    #: Commits per calendar month (``YYYY-MM``) over the window, oldest first, months
    #: without commits included.
    commits_per_month: tuple[tuple[str, int], ...]
    #: The most complex functions (``radon.cc`` per symbol), most complex first.
    functions: tuple[Measurement, ...]
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


def explain(result: ScanResult, h: Hotspot) -> Explanation:
    """The explanation of hotspot ``h`` of ``result``."""
    hours = refactor_hours(h)
    ranked = sorted(h.analysis.symbol_values("radon.cc"), key=lambda m: -m.value)
    return Explanation(hotspot=h, files=len(result.hotspots), hours=hours,
                       band=effort_band(hours), commits_per_month=tuple(months(h)),
                       functions=tuple(m for m in ranked[:FUNCTIONS] if m.symbol),
                       insights=result.insights)
