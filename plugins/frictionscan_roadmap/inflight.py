"""Evidence turned into areas in flight and their reasons.

Every directory that work in flight or planned (:class:`WorkItem`) changes or names is an
area in flight. The files the work touches take ``roadmap.evidence_weight`` (1.2 by default,
what the look-back in docs/roadmap.md measured beyond churn); the directory's other files
take ``roadmap.evidence_area_weight`` (1 by default: the look-back found no lift for them
beyond their own churn), and are never discounted as dormant (dormant files next to work in
flight did wake up more often than other dormant files). Typed-in focus areas win where
they overlap, and say the work in their reason.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from frictionscan.api import Config, Evidence, InFlightArea, WorkItem, markdown_code

#: The factor of files that work in flight touches (docs/roadmap.md, "Is it real?").
EVIDENCE_WEIGHT = 1.2
#: The factor of the other files of their directories.
EVIDENCE_AREA_WEIGHT = 1.0
#: Items named in a reason, per kind; the rest are counted.
LISTED = 3


def directory(path: str) -> str:
    """``"src/payments/"`` for ``src/payments/api.py``; ``""`` for a top-level file."""
    parent = posixpath.dirname(path)
    return parent + "/" if parent else ""


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return ""
    days = int((now - when).total_seconds() // 86400)
    if days < 1:
        return "today"
    return "1 day ago" if days == 1 else f"{days} days ago"


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def note(item: WorkItem, now: datetime) -> str:
    """One item, briefly: ``"`feature/x` (14 files, last commit 3 days ago)"``,
    ``"PR #482 `feature/x` (5 files)"``, ``"issue #12 (milestone v2.0)"``."""
    details = []
    if item.kind == "issue":
        if item.milestone:
            details.append(f"milestone {item.milestone}")
        if item.areas:
            details.append(f"labelled for {', '.join(item.areas)}")
        return f"issue {item.key}" + (f" ({'; '.join(details)})" if details else "")
    if item.files:
        details.append(_files(item.files))
    ago = _ago(item.updated, now)
    if ago:
        from_git = item.kind == "branch" or item.source.endswith(" + git")
        details.append(f"last commit {ago}" if from_git else f"updated {ago}")
    suffix = f" ({', '.join(details)})" if details else ""
    if item.kind == "branch":
        return f"{markdown_code(item.key)}{suffix}"
    ref = f" {markdown_code(item.ref)}" if item.ref else ""
    return f"PR {item.key}{ref}{suffix}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(items: Sequence[WorkItem], notes: Sequence[str], what: str = "it") -> str:
    """The work, by kind: ``"2 open branches touch it: `a` (...), `b` (...); 1 open pull
    request: PR #482 (...); 1 planned issue names it: issue #12 (...)"``."""
    parts = []
    kinds = (("branch", "open branch touches", "open branches touch", what),
             ("pull request", "open pull request touches", "open pull requests touch", what),
             ("issue", "planned issue names", "planned issues name", what))
    for kind, one, many, obj in kinds:
        listed = [n for i, n in zip(items, notes) if i.kind == kind]
        if not listed:
            continue
        more = f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""
        parts.append(f"{_count(len(listed), one, many)} {obj}: "
                     f"{', '.join(listed[:LISTED])}{more}")
    return "; ".join(parts)


def in_flight_areas(evidence: Evidence, config: Config, now: datetime) -> tuple[InFlightArea, ...]:
    """The directories with work in flight or planned, most work first."""
    weight = float(config.getoption("roadmap.evidence_weight", EVIDENCE_WEIGHT))
    area_weight = float(config.getoption("roadmap.evidence_area_weight", EVIDENCE_AREA_WEIGHT))
    work: dict[str, list[WorkItem]] = defaultdict(list)
    touched: dict[str, set[str]] = defaultdict(set)
    for item in evidence.items:
        for path in item.paths:
            where = directory(path)
            if not work[where] or work[where][-1] is not item:
                work[where].append(item)
            touched[where].add(path)
    teams: dict[str, Counter[str]] = defaultdict(Counter)
    for owned in evidence.owners:  # unowned files count too: the team of most files
        if directory(owned.path) in work:
            teams[directory(owned.path)][owned.team] += 1
    areas = []
    for where, items in work.items():
        items = sorted(items, key=lambda i: (-(i.updated.timestamp() if i.updated else 0),
                                             i.kind, i.key))
        team = min(teams[where].items(), key=lambda t: (-t[1], t[0]))[0] \
            if teams[where] else ""
        areas.append(InFlightArea(name=where, items=tuple(items),
                                  notes=tuple(note(i, now) for i in items), weight=weight,
                                  area_weight=area_weight, touched=tuple(sorted(touched[where])),
                                  team=team))
    areas.sort(key=lambda a: (-len(a.items), -len(a.touched), a.name))
    return tuple(areas)


class AreaIndex:
    """The areas in flight by directory (built once per roadmap, looked up per file)."""

    def __init__(self, areas: tuple[InFlightArea, ...]) -> None:
        self.areas = areas
        self.by_directory = {a.name: a for a in areas}

    def of(self, path: str) -> InFlightArea | None:
        return self.by_directory.get(directory(path))


_INDEX: list[AreaIndex] = []


def index(areas: tuple[InFlightArea, ...]) -> AreaIndex:
    """The index of ``areas``, made once per roadmap (weights are asked for every file)."""
    if not _INDEX or _INDEX[0].areas is not areas:
        _INDEX[:] = [AreaIndex(areas)]
    return _INDEX[0]


def direct_reason(area: InFlightArea, path: str) -> str:
    """The work that touches ``path`` itself."""
    pairs = [(i, n) for i, n in zip(area.items, area.notes) if path in i.paths]
    return summary([i for i, _ in pairs], [n for _, n in pairs])


def area_reason(area: InFlightArea) -> str:
    """The work in the file's directory."""
    where = area.name or "the top level"
    return f"{summary(area.items, area.notes, 'this directory')} ({where})"
