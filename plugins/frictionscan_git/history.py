"""Fold a stream of commits (newest first) into one :class:`FileHistory` per current file.

Renames are followed backwards: when ``old -> new`` is seen, older changes to ``old`` count for
whatever ``new`` is called today. Only commits inside the window add to revisions, line counts,
authors, fixes and recency; older commits (from the cheap name-only pass, when it runs) only
give a file untouched in the window its last change and move its first change back in time.

The fold produces a compact :class:`HistoryState` (per file: one entry per window change,
plus first and last change) from which :func:`histories` computes the numbers for any "now"
and window. The state is what the history cache keeps, so that a re-run after new commits
reads only those (``git log OLD..HEAD``) and merges them in (:func:`merge`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from frictionscan.api import (
    ChangeSet,
    Commit,
    FileHistory,
    is_bot_author,
    is_fix,
)


@dataclass
class FileState:
    #: One entry per (commit, file) inside the window: [time, added, deleted, author, fix,
    #: commit number]. A file listed twice in one commit (rename + edit) has two entries
    #: with the same commit number; it counts as one revision.
    changes: list[list[Any]] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    #: [former path, time of the rename], newest first.
    former: list[list[Any]] = field(default_factory=list)


@dataclass
class HistoryState:
    head: str = ""
    #: Times of the commits read inside the window (all of them, for the commit count).
    window: list[int] = field(default_factory=list)
    files: dict[str, FileState] = field(default_factory=dict)
    #: Whether all history down to the root commits was read (``git.older_history``).
    complete: bool = False
    #: [time t, whether some commit reachable from ``head`` is older than t], as last
    #: checked; the answer stays true for descendants and earlier t, false for later t.
    older: list[Any] | None = None
    #: The largest commit number in ``files`` (numbers only tell commits apart).
    number: int = 0
    #: One entry per non-merge commit inside the window: [commit number, time, author,
    #: e-mail, fix, files the log listed]; its files are the entries of ``files`` with
    #: its number.
    commits: list[list[Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"head": self.head, "window": self.window, "complete": self.complete,
                "older": self.older, "number": self.number, "commits": self.commits,
                "files": {p: [f.changes, f.first, f.last, f.former]
                          for p, f in self.files.items()}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> HistoryState:
        """Raises KeyError, TypeError or ValueError for a state of another shape."""
        older = d["older"]
        if older is not None and (not isinstance(older, list) or len(older) != 2):
            raise ValueError(f"unexpected 'older' in a history state: {older!r}")
        return cls(head=d["head"], window=list(d["window"]), complete=bool(d["complete"]),
                   older=d["older"], number=int(d["number"]), commits=list(d["commits"]),
                   files={p: FileState(changes=v[0], first=v[1], last=v[2], former=v[3])
                          for p, v in d["files"].items()})


class HistoryBuilder:
    """Accumulates commits newest-first for a fixed set of current paths."""

    def __init__(self, paths: Iterable[str], *, now: datetime, half_life_days: float,
                 fix_pattern: str) -> None:
        self.state = HistoryState(files={p: FileState() for p in paths})
        self._alias: dict[str, str] = {}
        self._now = now
        self._half_life_days = half_life_days
        self._fix_pattern = fix_pattern
        self._number = 0

    @property
    def aliases(self) -> dict[str, str]:
        """Old path -> current path, for every rename seen."""
        return self._alias

    @property
    def commits_in_window(self) -> int:
        return len(self.state.window)

    def add(self, commit: Commit, *, in_window: bool) -> None:
        ts = int(commit.when.timestamp())
        self._number += 1
        self.state.number = self._number
        if in_window:
            self.state.window.append(ts)
        fixing = in_window and not commit.is_merge and is_fix(
            commit.subject, commit.author, commit.email, self._fix_pattern)
        if in_window and not commit.is_merge:  # merges carry no files (no -m): never counted
            self.state.commits.append([self._number, ts, commit.author, commit.email, fixing,
                                       len(commit.changes)])
        for change in commit.changes:
            current = self._alias.get(change.path, change.path)
            if change.old_path is not None and change.old_path != change.path:
                self._alias[change.old_path] = current
            f = self.state.files.get(current)
            if f is None:
                continue
            if change.old_path is not None and all(p != change.old_path for p, _ in f.former):
                f.former.append([change.old_path, ts])
            f.last = ts if f.last is None else max(f.last, ts)
            f.first = ts if f.first is None else min(f.first, ts)
            if in_window and not commit.is_merge:
                f.changes.append([ts, change.added, change.deleted, commit.author, fixing,
                                  self._number])

    def build(self) -> tuple[FileHistory, ...]:
        return histories(self.state, now=self._now, since=None,
                         half_life_days=self._half_life_days)


def merge(newer: HistoryState, older: HistoryState, aliases: dict[str, str]) -> HistoryState:
    """``newer`` (commits after ``older.head``, folded for today's paths) merged with the
    ``older`` state; renames in the newer commits carry older data to the new names.

    ``older`` is taken over (it was decoded for this merge): its changes keep their commit
    numbers and the few newer ones are numbered after them, so a merge costs what the new
    commits cost, not what the whole window does."""
    by_current: dict[str, FileState] = {}
    for path, old in older.files.items():
        current = aliases.get(path, path)
        if current not in newer.files:
            continue  # deleted since, or no longer scanned
        seen = by_current.get(current)
        if seen is None:
            by_current[current] = old
        else:  # two older files now one: combine
            seen.changes += old.changes
            seen.first = _min(seen.first, old.first)
            seen.last = _max(seen.last, old.last)
            seen.former += [e for e in old.former if all(e[0] != p for p, _ in seen.former)]
    files: dict[str, FileState] = {}
    base = older.number
    for path, new in newer.files.items():
        fresh = [[*c[:5], c[5] + base] for c in new.changes]
        old = by_current.get(path)
        if old is None:
            files[path] = FileState(changes=fresh, first=new.first, last=new.last,
                                    former=list(new.former))
            continue
        if fresh:
            old.changes = fresh + old.changes
        old.first = _min(new.first, old.first)
        old.last = _max(new.last, old.last)
        names = {p for p, _ in new.former}
        old.former = list(new.former) + [e for e in old.former if e[0] not in names]
        files[path] = old
    commits = [[c[0] + base, *c[1:]] for c in newer.commits] + older.commits
    return HistoryState(head=newer.head, window=newer.window + older.window, files=files,
                        complete=older.complete, older=older.older,
                        number=base + newer.number, commits=commits)


def _min(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def histories(state: HistoryState, *, now: datetime, since: datetime | None,
              half_life_days: float, known_since: datetime | None = None,
              bots: re.Pattern[str] | None = None) -> tuple[FileHistory, ...]:
    """The per-file numbers for the window from ``since`` to ``now``.

    :param bots: the ``people.bots`` patterns (:func:`~frictionscan.api.bot_matcher`): the
        commits of an author whose name or e-mail matches count as revisions, but the bot
        is never one of the file's ``authors``.

    :param known_since: ``None`` when all history was read, so that a file's first change is
        its creation. Otherwise the oldest time a fresh read covers: ages are unknown, and
        what the state holds from before it (a cached state read when the window started
        earlier) is ignored, so that an incremental run says what a fresh one says.
    """
    half_life = half_life_days * 86400.0
    start = since.timestamp() if since is not None else float("-inf")
    known = known_since.timestamp() if known_since is not None else float("-inf")
    now_ts = now.timestamp()
    utc = timezone.utc
    machines = {c[0] for c in state.commits if is_bot_author(bots, c[2], c[3])} \
        if bots is not None else set()
    out = []
    for path, f in sorted(state.files.items()):
        if f.first is None or f.last is None or f.last < known:
            continue
        commits: dict[int, list[Any]] = {}
        added = deleted = 0
        for c in f.changes:
            if c[0] >= start:
                added += c[1]
                deleted += c[2]
                if c[5] not in commits:
                    commits[c[5]] = c
        if commits:
            kept = commits.values()
            authors = tuple(sorted({c[3] for c in kept if c[5] not in machines}))
            if half_life > 0:
                recency = sum(0.5 ** (max(0.0, now_ts - c[0]) / half_life) for c in kept)
            else:
                recency = float(len(commits))
            fixes = sum(1 for c in kept if c[4])
            times = tuple(sorted((c[0] for c in kept), reverse=True))
        else:
            authors, recency, fixes, times = (), 0.0, 0, ()
        first = datetime.fromtimestamp(f.first, tz=utc) if known_since is None else None
        out.append(FileHistory(
            path=path, revisions=len(commits), added=added, deleted=deleted,
            authors=authors, fixes=fixes, recency=round(float(recency), 6),
            first_change=first, last_change=datetime.fromtimestamp(f.last, tz=utc),
            # a commit dated after HEAD (clocks differ, history rewritten) is no later
            # than HEAD's time: ages are never negative
            age_days=round(max(0.0, now_ts - f.first) / 86400, 2) if first is not None
            else None,
            idle_days=round(max(0.0, now_ts - f.last) / 86400, 2),
            former_paths=tuple(p for p, ts in f.former if ts >= known),
            change_times=times))
    return tuple(out)


def change_sets(state: HistoryState, *, since: datetime | None) -> tuple[ChangeSet, ...]:
    """The window's non-merge commits, newest first, each with the scanned files it changed
    under their current names (a file listed twice in one commit, renamed and edited,
    once with both counts added)."""
    start = since.timestamp() if since is not None else float("-inf")
    by_number: dict[int, dict[str, list[int]]] = {}
    for path, f in state.files.items():
        for c in f.changes:
            if c[0] >= start:
                seen = by_number.setdefault(c[5], {}).get(path)
                if seen is None:
                    by_number[c[5]][path] = [c[1], c[2]]
                else:
                    seen[0] += c[1]
                    seen[1] += c[2]
    out = []
    for number, ts, author, email, fix, touched in state.commits:
        if ts < start:
            continue
        files = by_number.get(number, {})
        out.append(ChangeSet(number=number, time=ts, author=author, email=email, fix=fix,
                             touched=touched,
                             files=tuple((p, a, d) for p, (a, d) in sorted(files.items()))))
    out.sort(key=lambda c: -c.time)
    return tuple(out)
