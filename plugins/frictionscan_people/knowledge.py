"""Who knows each file and each focus area, from the window's commits.

* per file: each person's commits and lines added, most commits first; the share of the
  commits made by people who left (no commit at all in the last ``people.left_after`` of
  the window): knowledge at risk;
* per focus area (and for the files outside every area): the same over the commits that
  changed any of its files, and the bus factor, the fewest people whose commits make half
  of the area's.

Bots are never people: their commits are left out before anything is counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from frictionscan.api import (
    AreaKnowledge,
    AuthorShare,
    ChangeSet,
    Focus,
    Knowledge,
    is_bot_author,
    match_any,
)


def people_commits(commits: Iterable[ChangeSet],
                   bots: re.Pattern[str] | None) -> list[ChangeSet]:
    """The commits made by people (name or e-mail matching no bot pattern)."""
    if bots is None:
        return list(commits)
    return [c for c in commits if not is_bot_author(bots, c.author, c.email)]


def departed(commits: Iterable[ChangeSet], cutoff: int) -> frozenset[str]:
    """The people whose last commit is before ``cutoff`` (UTC seconds)."""
    last: dict[str, int] = {}
    for c in commits:
        if c.time > last.get(c.author, -1):
            last[c.author] = c.time
    return frozenset(a for a, t in last.items() if t < cutoff)


@dataclass
class _Tally:
    changes: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)

    def add(self, author: str, added: int) -> None:
        self.changes[author] = self.changes.get(author, 0) + 1
        self.added[author] = self.added.get(author, 0) + added

    def shares(self, left: frozenset[str]) -> tuple[AuthorShare, ...]:
        order = sorted(self.changes, key=lambda a: (-self.changes[a], -self.added[a], a))
        return tuple(AuthorShare(name=a, changes=self.changes[a], added=self.added[a],
                                 active=a not in left) for a in order)

    def at_risk(self, left: frozenset[str]) -> float:
        total = sum(self.changes.values())
        gone = sum(n for a, n in self.changes.items() if a in left)
        return round(gone / total, 4) if total else 0.0


def bus_factor(shares: Sequence[AuthorShare], total: int) -> int:
    """The fewest people (most commits first) whose commits make at least half of
    ``total``."""
    covered = 0
    for i, share in enumerate(shares, 1):
        covered += share.changes
        if 2 * covered >= total:
            return i
    return len(shares)


def file_knowledge(commits: Iterable[ChangeSet], left: frozenset[str]) -> list[Knowledge]:
    tallies: dict[str, _Tally] = {}
    for c in commits:
        for path, added, _ in c.files:
            tally = tallies.get(path)
            if tally is None:
                tally = tallies[path] = _Tally()
            tally.add(c.author, added)
    return [Knowledge(path=path, changes=sum(t.changes.values()), added=sum(t.added.values()),
                      authors=t.shares(left), at_risk=t.at_risk(left))
            for path, t in sorted(tallies.items())]


def area_knowledge(commits: Iterable[ChangeSet], focus: Focus,
                   left: frozenset[str]) -> list[AreaKnowledge]:
    """One per focus area, then one (``area`` ``None``) for the files outside every area."""
    names: list[str | None] = [a.name for a in focus.areas]
    names.append(None)
    tallies: dict[str | None, _Tally] = {name: _Tally() for name in names}
    areas_of: dict[str, tuple[str | None, ...]] = {}
    for c in commits:
        touched: set[str | None] = set()
        added: dict[str | None, int] = {}
        for path, lines, _ in c.files:
            found = areas_of.get(path)
            if found is None:
                inside = tuple(a.name for a in focus.areas if match_any(path, a.paths))
                found = areas_of[path] = inside or (None,)
            for name in found:
                touched.add(name)
                added[name] = added.get(name, 0) + lines
        for name in touched:
            tallies[name].add(c.author, added[name])
    out = []
    for name in dict.fromkeys(names):
        t = tallies[name]
        shares = t.shares(left)
        total = sum(t.changes.values())
        out.append(AreaKnowledge(area=name, changes=total, bus_factor=bus_factor(shares, total),
                                 at_risk=t.at_risk(left), authors=shares))
    return out
