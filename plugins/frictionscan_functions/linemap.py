"""Where a line of some past version of a file is in the file as it is now.

A :class:`LineMap` maps the lines of one version of a file (1-based) to *positions* in the
current version (HEAD, or the working tree):

* an ``int``: the line is still there, at that line;
* a :data:`Ghost` ``(before, after, indent)``: the line was deleted by a later commit. It
  sat between current lines ``before`` and ``after`` (0 when it was before the first line,
  a number past the end when after the last), ``indent`` is how far it was indented within
  the deleted block (the smallest indentation of the block's lines up to it, ``-1`` when
  unknown, as for blank lines): a deleted line belongs to a function whose span holds both
  neighbours, or holds ``before`` and the line was indented deeper than its ``def``.

The map is a sorted list of segments, each a run of consecutive lines that either shift by
a constant (``int`` value: the offset) or all sit in the same gap (a ``Ghost`` value), so
carrying a map back through one commit costs the number of hunks, not the number of lines.
Maps are immutable and shared between commits that leave a file alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: A deleted line's place: (current line before it, current line after it, indentation).
Ghost = tuple[int, int, int]
#: A position in the current version: a line, or the gap where a deleted line sat.
Position = "int | Ghost"
#: Past every line of any file.
END = 1 << 40


@dataclass(frozen=True, slots=True)
class LineMap:
    """Segment ``i`` covers lines ``starts[i]`` up to ``starts[i + 1]`` (the last one,
    every line after it); ``values[i]`` is an offset (line + offset = current line) or a
    :data:`Ghost`."""

    starts: tuple[int, ...] = (1,)
    values: tuple[int | Ghost, ...] = (0,)

    @property
    def identity(self) -> bool:
        return self.values == (0,)

    def at(self, line: int) -> int | Ghost:
        """The current position of ``line``."""
        i = bisect_right(self.starts, line) - 1
        if i < 0:
            return 0 if line < 1 else line
        value = self.values[i]
        return line + value if isinstance(value, int) else value

    def before(self, line: int) -> int:
        """The current line at or before which ``line`` sits (0: before the first)."""
        if line < 1:
            return 0
        pos = self.at(line)
        return pos if isinstance(pos, int) else pos[0]

    def after(self, line: int) -> int:
        """The current line at or after which ``line`` sits."""
        pos = self.at(line)
        return pos if isinstance(pos, int) else pos[1]

    def slice(self, start: int, length: int) -> list[tuple[int, int, int | Ghost]]:
        """The segments of lines ``start`` .. ``start + length - 1``: ``(first line,
        length, value)`` with values as in :attr:`values`."""
        out: list[tuple[int, int, int | Ghost]] = []
        end = start + length
        i = max(0, bisect_right(self.starts, start) - 1)
        line = start
        while line < end:
            seg_end = self.starts[i + 1] if i + 1 < len(self.starts) else END * 2
            stop = min(end, seg_end)
            if stop > line:
                out.append((line, stop - line, self.values[i]))
            line = stop
            i += 1
        return out


def build(segments: Iterable[tuple[int, int | Ghost]]) -> LineMap:
    """A map from ``(first line, value)`` pairs in order of lines (a later pair for the
    same line wins); neighbours with the same value (a shift continuing, the same gap) are
    joined."""
    starts: list[int] = []
    values: list[int | Ghost] = []
    for start, value in segments:
        if starts and starts[-1] == start:
            values[-1] = value
        else:
            starts.append(start)
            values.append(value)
    if not starts or starts[0] != 1:
        starts.insert(0, 1)
        values.insert(0, 0)
    kept_starts = [starts[0]]
    kept_values = [values[0]]
    for start, value in zip(starts[1:], values[1:]):
        if value != kept_values[-1]:
            kept_starts.append(start)
            kept_values.append(value)
    return LineMap(tuple(kept_starts), tuple(kept_values))


def carry_back(post: LineMap, runs: Sequence[tuple[int, int, int]],
               ghosts: Sequence[tuple[int, int, Ghost]]) -> LineMap:
    """The map of a commit's parent version, from the map of the commit's version.

    :param runs: ``(parent line, length, commit line)``: lines that the commit kept (or
        moved): parent line ``p + k`` is commit line ``c + k``. The last run may be
        open-ended (a length reaching :data:`END`).
    :param ghosts: ``(parent line, length, ghost)``: lines the commit deleted, with the
        gap they sat in.
    """
    pieces: list[tuple[int, int, int | Ghost]] = []
    for parent, length, commit in runs:
        for line, n, value in post.slice(commit, length):
            first = parent + (line - commit)
            if isinstance(value, int):
                pieces.append((first, n, value + (commit - parent)))
            else:
                pieces.append((first, n, value))
    for parent, length, ghost in ghosts:
        pieces.append((parent, length, ghost))
    pieces.sort(key=lambda p: p[0])
    segments: list[tuple[int, int | Ghost]] = []
    cursor = 1
    for first, n, value in pieces:
        if first > cursor:  # lines no run or ghost names: none, when the hunks are whole
            segments.append((cursor, 0))
        segments.append((first, value))
        cursor = first + n
    if cursor < END:
        segments.append((cursor, 0))
    return build(segments)


def overlay(first: LineMap, second: LineMap) -> LineMap:
    """One map from two children's maps of the same parent (a commit two branches grew
    from): where one says a line is still there and the other that it was deleted, the line
    is still there (the merge kept it)."""
    if first is second or first == second:
        return first
    cuts = sorted(set(first.starts) | set(second.starts))
    segments: list[tuple[int, int | Ghost]] = []
    for start in cuts:
        a = first.values[bisect_right(first.starts, start) - 1]
        b = second.values[bisect_right(second.starts, start) - 1]
        segments.append((start, b if not isinstance(a, int) and isinstance(b, int) else a))
    return build(segments)


def relocate(pos: int | Ghost, later: LineMap) -> int | Ghost:
    """A position in one version, moved to a later version through ``later`` (the map of
    that version's lines into the later one)."""
    if isinstance(pos, int):
        return later.at(pos)
    before, after, indent = pos
    return (later.before(before), later.after(after) if after < END else after, indent)
