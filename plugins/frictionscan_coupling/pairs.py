"""Files that change together: code-maat's logical coupling over the window's commits.

For every pair of files, ``shared`` is the number of commits that changed both, and the
degree is ``shared`` over the mean of the two files' revisions. Merges are not in the
commits (they carry no files), and commits that touched more than ``max_files`` files (mass
renames, reformatting, licence headers) are left out of both the shared and the revision
counts: they say nothing about which files belong together, and each would cost a number
of pairs quadratic in its size.

Cost: every counted commit has at most ``max_files`` files, so the work is at most
``max_files ** 2 / 2`` per commit. Memory is the list of commits per file (the size of the
input) plus the pairs kept: pairs are counted one file at a time (its partners after it in
path order, in a counter dropped before the next file), and only files with at least
``min_shared`` revisions take part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from frictionscan.api import ChangeSet, CoupledFile, Coupling


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    shared: int
    degree: float


def counted(commits: Iterable[ChangeSet], max_files: int) -> list[tuple[str, ...]]:
    """The files of each commit the analysis counts (not a mass commit, some scanned file)."""
    return [tuple(p for p, _, _ in c.files) for c in commits
            if c.files and c.touched <= max_files and len(c.files) <= max_files]


def revisions(changesets: Sequence[tuple[str, ...]]) -> dict[str, list[int]]:
    """Per file, the indices of the counted commits that changed it."""
    postings: dict[str, list[int]] = {}
    for i, files in enumerate(changesets):
        for path in files:
            postings.setdefault(path, []).append(i)
    return postings


def pairs(changesets: Sequence[tuple[str, ...]], *, min_shared: int,
          min_degree: float) -> tuple[dict[str, list[int]], list[Pair]]:
    """The revisions of every file, and the pairs with at least ``min_shared`` shared
    commits and a degree of at least ``min_degree`` (``a`` before ``b`` in path order)."""
    postings = revisions(changesets)
    eligible = {p for p, ix in postings.items() if len(ix) >= min_shared}
    kept: list[Pair] = []
    for a in sorted(eligible):
        partners: Counter[str] = Counter()
        for i in postings[a]:
            partners.update(b for b in changesets[i] if b > a and b in eligible)
        revs_a = len(postings[a])
        for b, shared in partners.items():
            if shared < min_shared:
                continue
            degree = shared / ((revs_a + len(postings[b])) / 2)
            if degree >= min_degree:
                kept.append(Pair(a, b, shared, round(degree, 4)))
    return postings, kept


def couplings(commits: Iterable[ChangeSet], *, min_shared: int, min_degree: float,
              max_files: int, boundary: Callable[[str, str], str]) -> list[Coupling]:
    """One :class:`Coupling` per file changed in a counted commit, its coupled files
    strongest first (``boundary(a, b)`` says which boundary a pair crosses, if any)."""
    changesets = counted(commits, max_files)
    postings, kept = pairs(changesets, min_shared=min_shared, min_degree=min_degree)
    coupled: dict[str, list[CoupledFile]] = {}
    for p in kept:
        crossed = boundary(p.a, p.b)
        coupled.setdefault(p.a, []).append(CoupledFile(path=p.b, shared=p.shared,
                                                       degree=p.degree, boundary=crossed))
        coupled.setdefault(p.b, []).append(CoupledFile(path=p.a, shared=p.shared,
                                                       degree=p.degree, boundary=crossed))
    return [Coupling(path=path, revisions=len(ix),
                     coupled=tuple(sorted(coupled.get(path, ()),
                                          key=lambda c: (-c.degree, -c.shared, c.path))))
            for path, ix in sorted(postings.items())]
