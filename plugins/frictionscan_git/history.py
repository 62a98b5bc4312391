"""Fold a stream of commits (newest first) into one :class:`FileHistory` per current file.

Renames are followed backwards: when ``old -> new`` is seen, older changes to ``old`` count for
whatever ``new`` is called today. Only commits inside the window add to revisions, line counts,
authors, fixes and recency; older commits (from the cheap name-only pass) only move a file's
first change back in time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from frictionscan.model import Commit, FileHistory

#: Default bug-fix heuristic over commit subjects (documented in docs/scoring.md).
DEFAULT_FIX_PATTERN = (
    r"\b(fix(e[sd]|ing)?|bug(s|fix(es)?)?|hotfix(es)?|defects?|regressions?|crash(es|ed)?"
    r"|broken|repair(s|ed)?)\b"
)


@dataclass
class _Acc:
    revisions: int = 0
    added: int = 0
    deleted: int = 0
    authors: set[str] = field(default_factory=set)
    fixes: int = 0
    recency: float = 0.0
    first: datetime | None = None
    last: datetime | None = None
    former: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)


class HistoryBuilder:
    """Accumulates commits newest-first for a fixed set of current paths."""

    def __init__(self, paths: Iterable[str], *, now: datetime, half_life_days: float,
                 fix_pattern: str) -> None:
        self._acc: dict[str, _Acc] = {p: _Acc() for p in paths}
        self._alias: dict[str, str] = {}
        self._now = now
        self._half_life = half_life_days * 86400.0
        self._fix = re.compile(fix_pattern, re.IGNORECASE)
        self.commits_in_window = 0

    def add(self, commit: Commit, *, in_window: bool) -> None:
        if in_window:
            self.commits_in_window += 1
        is_fix = in_window and not commit.is_merge and bool(self._fix.search(commit.subject))
        age = max(0.0, (self._now - commit.when).total_seconds())
        weight = 0.5 ** (age / self._half_life) if self._half_life > 0 else 1.0
        seen: set[str] = set()
        for change in commit.changes:
            current = self._alias.get(change.path, change.path)
            if change.old_path is not None and change.old_path != change.path:
                self._alias[change.old_path] = current
            acc = self._acc.get(current)
            if acc is None:
                continue
            if change.old_path is not None and change.old_path not in acc.former:
                acc.former.append(change.old_path)
            if acc.last is None or commit.when > acc.last:
                acc.last = commit.when
            if acc.first is None or commit.when < acc.first:
                acc.first = commit.when
            if not in_window or commit.is_merge:
                continue
            acc.added += change.added
            acc.deleted += change.deleted
            if current in seen:
                continue  # one file listed twice in a commit (rename + edit) counts once
            seen.add(current)
            acc.revisions += 1
            acc.authors.add(commit.author)
            acc.recency += weight
            acc.times.append(int(commit.when.timestamp()))
            if is_fix:
                acc.fixes += 1

    def build(self) -> tuple[FileHistory, ...]:
        out = []
        for path, a in sorted(self._acc.items()):
            if a.first is None:
                continue
            out.append(FileHistory(
                path=path, revisions=a.revisions, added=a.added, deleted=a.deleted,
                authors=tuple(sorted(a.authors)), fixes=a.fixes, recency=round(a.recency, 6),
                first_change=a.first, last_change=a.last,
                age_days=round((self._now - a.first).total_seconds() / 86400, 2),
                idle_days=round((self._now - a.last).total_seconds() / 86400, 2)
                if a.last else None,
                former_paths=tuple(a.former),
                change_times=tuple(a.times)))
        return tuple(out)
