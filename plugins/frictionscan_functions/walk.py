"""Carry each commit's hunks back to the current version of the files: which current lines
(or gaps, for lines deleted since) each commit in the window changed.

The walk reads the log newest first in topological order, so a commit comes after all its
children. Each commit holds, per current file, the :class:`~.linemap.LineMap` of its
version (from its children: overlaid where branches meet); its diff against each parent
gives that parent's map (:func:`carry`) and, for a commit that is not a merge, what the
commit touched, as positions in the current version. Merges only pass maps on (their diff
against a parent is the other branch's work, whose commits are walked themselves), so
lines that reached HEAD through a side branch are followed exactly.

Within one diff, a block of at least :data:`MIN_MOVED` non-blank lines deleted in one place
and added unchanged in another is a move: its lines keep their history and are not a change.
Moved with only their indentation changed (a function moved into a class), they keep their
history and are a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from frictionscan_functions.linemap import END, Ghost, LineMap, carry_back, overlay
from frictionscan_functions.patches import Entry, Hunk

#: Blocks shorter than this many non-blank lines are not taken for moves.
MIN_MOVED = 3
#: Candidates tried per moved line (a line that occurs often, such as ``return None``).
_CANDIDATES = 16
IDENTITY = LineMap()

#: A run of touched positions: ``[line, count]`` (current lines ``line`` ...) or
#: ``[before, after, indent, count]`` (lines since deleted, in that gap).
Item = list[int]


@dataclass
class CommitTouch:
    """What one commit changed in one file, in the current version's positions."""

    sha: str
    time: int
    author: str
    email: str
    subject: str
    added: list[Item] = field(default_factory=list)
    deleted: list[Item] = field(default_factory=list)


@dataclass
class WalkResult:
    #: Per current path, the commits that changed it, newest first.
    touches: dict[str, list[CommitTouch]] = field(default_factory=dict)
    #: Per commit left unwalked (a parent outside the range), the map of each current
    #: file's version there: ``{sha: {current path: (path there, map)}}``.
    frontier: dict[str, dict[str, tuple[str, LineMap]]] = field(default_factory=dict)
    #: Whether the log had any entry at all.
    entries: int = 0


def _indent(text: str) -> int:
    return len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())


def _moves(removed: list[tuple[int, str]], added: list[tuple[int, str]],
           key: Callable[[str], str], used_r: set[int], used_a: set[int]
           ) -> list[tuple[int, int, int]]:
    """Blocks deleted at one place and added at another: ``(removed index, added index,
    length)``, indexes into ``removed`` and ``added``; marks them used."""
    index: dict[str, list[int]] = {}
    for j, (_, text) in enumerate(removed):
        if j not in used_r and text.strip():
            index.setdefault(key(text), []).append(j)
    found = []
    i = 0
    while i < len(added):
        if i in used_a or not added[i][1].strip():
            i += 1
            continue
        best_j, best_k = -1, 0
        for j in index.get(key(added[i][1]), ())[:_CANDIDATES]:
            if j in used_r:
                continue
            k = 0
            while (i + k < len(added) and j + k < len(removed)
                   and i + k not in used_a and j + k not in used_r
                   and added[i + k][0] == added[i][0] + k
                   and removed[j + k][0] == removed[j][0] + k
                   and key(added[i + k][1]) == key(removed[j + k][1])):
                k += 1
            if k > best_k:
                best_j, best_k = j, k
        if best_k and sum(1 for _, t in added[i:i + best_k] if t.strip()) >= MIN_MOVED:
            found.append((best_j, i, best_k))
            used_r.update(range(best_j, best_j + best_k))
            used_a.update(range(i, i + best_k))
            i += best_k
        else:
            i += 1
    return found


def _runs(hunks: list[Hunk]) -> list[tuple[int, int, int]]:
    """The lines a diff leaves alone: ``(old line, length, new line)``; the last run is
    open-ended."""
    runs = []
    p = q = 1
    for h in hunks:
        last_kept = h.old_start if h.old_count == 0 else h.old_start - 1
        if last_kept >= p:
            runs.append((p, last_kept - p + 1, q))
        p = h.old_start + 1 if h.old_count == 0 else h.old_start + h.old_count
        q = h.new_start + 1 if h.new_count == 0 else h.new_start + h.new_count
    runs.append((p, END - p, q))
    return runs


def _group(positions: Iterable[int | Ghost]) -> list[Item]:
    """Consecutive positions as runs (see :data:`Item`)."""
    items: list[Item] = []
    for pos in positions:
        last = items[-1] if items else None
        if isinstance(pos, int):
            if last is not None and len(last) == 2 and last[0] + last[1] == pos:
                last[1] += 1
            else:
                items.append([pos, 1])
        elif last is not None and len(last) == 4 and tuple(last[:3]) == pos:
            last[3] += 1
        else:
            items.append([pos[0], pos[1], pos[2], 1])
    return items


def carry(post: LineMap, hunks: list[Hunk]) -> tuple[LineMap, list[Item], list[Item]]:
    """The parent's map, and the positions of the lines the diff added and deleted (moves
    left out) in the current version."""
    removed: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []
    for h in hunks:
        removed += [(h.old_start + k, t) for k, t in enumerate(h.removed)]
        added += [(h.new_start + k, t) for k, t in enumerate(h.added)]
    used_r: set[int] = set()
    used_a: set[int] = set()
    exact = _moves(removed, added, lambda t: t, used_r, used_a) if removed and added else []
    exact_a = set(used_a)
    fuzzy = _moves(removed, added, str.strip, used_r, used_a) if removed and added else []
    runs = _runs(hunks)
    runs += [(removed[j][0], k, added[i][0]) for j, i, k in exact + fuzzy]
    # deleted lines, hunk by hunk: the gap each sat in, and its indentation in the block
    ghosts: list[tuple[int, int, Ghost]] = []
    deleted: list[int | Ghost] = []
    r = 0
    for h in hunks:
        # lines replaced by others sit where the first of those is now (a changed ``def``
        # line stays the function's); lines deleted outright, after the line before them
        before_line = h.new_start
        after_line = h.new_start + h.new_count if h.new_count else h.new_start + 1
        prev = post.at(before_line) if before_line >= 1 else 0
        before = prev if isinstance(prev, int) else prev[0]
        after = post.after(after_line)
        indent = prev[2] if not isinstance(prev, int) and prev[2] >= 0 else 1 << 20
        lines = list(range(r, r + h.old_count))
        r += h.old_count
        pending: list[int] = []  # blank lines waiting for the next line's indentation
        for j in lines:
            text = removed[j][1]
            if text.strip():
                indent = min(indent, _indent(text))
            elif indent >= 1 << 20:
                pending.append(j)
                continue
            for w in pending + [j]:
                if w not in used_r:
                    ghosts.append((removed[w][0], 1, (before, after, indent)))
                    deleted.append((before, after, indent))
            pending = []
        for w in pending:  # blank lines only: they belong to no function by themselves
            if w not in used_r:
                ghosts.append((removed[w][0], 1, (before, after, -1)))
                deleted.append((before, after, -1))
    for _, i, k in fuzzy:  # reindented: deleted where they now are
        deleted += [post.at(added[i + n][0]) for n in range(k)]
    pre = carry_back(post, runs, ghosts)
    touched = [post.at(line) for n, (line, _) in enumerate(added) if n not in exact_a]
    return pre, _group(touched), _group(deleted)


def walk(entries: Iterable[Entry], tips: Mapping[str, str],
         start: Mapping[str, LineMap] | None = None) -> WalkResult:
    """Walk the log for the current files ``tips`` (current path -> its path at the first
    commit of the log, the same unless the working tree renamed it).

    :param start: each file's map at the first commit (identity if not given).
    """
    result = WalkResult()
    pending: dict[str, dict[str, tuple[str, LineMap]]] = {}
    first = True

    def give(parent: str, current: str, path: str, lines: LineMap) -> None:
        maps = pending.setdefault(parent, {})
        held = maps.get(current)
        if held is None:
            maps[current] = (path, lines)
        elif held[0] == path:
            maps[current] = (path, overlay(held[1], lines))

    sha: str | None = None
    maps: dict[str, tuple[str, LineMap]] = {}
    done: set[str] = set()
    parents: tuple[str, ...] = ()

    def finish() -> None:
        for parent in parents:
            if parent not in done:
                for current, (path, lines) in maps.items():
                    give(parent, current, path, lines)

    for entry in entries:
        result.entries += 1
        if entry.sha != sha:
            if sha is not None:
                finish()
            sha, parents, done = entry.sha, entry.parents, set()
            held = pending.pop(entry.sha, None)
            if held is None and first:
                held = {c: (p, (start or {}).get(c, IDENTITY)) for c, p in tips.items()}
            first = False
            maps = held or {}
        parent = entry.parent
        if parent is not None:
            done.add(parent)
        by_path = {path: current for current, (path, _) in maps.items()}
        touched = set()
        for patch in entry.files:
            current = by_path.get(patch.new_path) if patch.new_path is not None else None
            if current is None or current in touched:
                continue
            touched.add(current)
            path, lines = maps[current]
            pre, added, deleted = carry(lines, patch.hunks)
            if not entry.merge and (added or deleted):
                result.touches.setdefault(current, []).append(CommitTouch(
                    sha=entry.sha, time=entry.time, author=entry.author, email=entry.email,
                    subject=entry.subject, added=added, deleted=deleted))
            if parent is not None and patch.old_path is not None:
                give(parent, current, patch.old_path, pre)
        if parent is not None:
            for current, (path, lines) in maps.items():
                if current not in touched:
                    give(parent, current, path, lines)
    if sha is not None:
        finish()
    result.frontier = pending
    return result
