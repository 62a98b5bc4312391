"""What the repository-level analyses mean for each view: the coupling phrase of a ranking's
"why", a plan's hidden dependencies, a change's missing co-changes and suggested reviewers.
Pure functions over :class:`~frictionscan.core.model.Insights`."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from frictionscan.core.model import AuthorShare, Hotspot, Insights, RevisionDiff
from frictionscan.core.text import markdown_code

#: A coupling degree at or above which a file's "why" names its strongest partner.
HIGH_DEGREE = 0.5
#: How many missing co-changes a change's report names, and how many reviewers it suggests.
CO_CHANGES = 5
REVIEWERS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class CoChange:
    """``path`` changed in ``shared`` of its ``revisions`` commits with ``partner``: a
    coupled pair (a plan's hidden dependency, or a co-change a change left out)."""

    path: str
    partner: str
    shared: int
    revisions: int
    degree: float
    #: ``"package"``, ``"focus area"`` or ``""`` (see ``CoupledFile.boundary``).
    boundary: str = ""

    @property
    def share(self) -> float:
        """The part of ``path``'s commits that changed ``partner`` too."""
        return self.shared / self.revisions if self.revisions else 0.0


def coupling_phrase(h: Hotspot, insights: Insights | None) -> str | None:
    """``changes with `b.py` in 60% of its commits`` when the file's strongest coupling has
    a high degree, else ``None``."""
    c = insights.coupling_of(h.path) if insights is not None else None
    if c is None or not c.coupled or c.coupled[0].degree < HIGH_DEGREE or not c.revisions:
        return None
    top = c.coupled[0]
    return (f"changes with {markdown_code(top.path)} in {top.shared / c.revisions:.0%} of "
            f"its commits")


def hidden_dependencies(paths: Iterable[str], insights: Insights) -> tuple[CoChange, ...]:
    """The coupled pairs across a package or focus-area boundary that touch ``paths``,
    each pair once (from the first of ``paths`` it touches), strongest first."""
    seen: set[frozenset[str]] = set()
    out = []
    for path in paths:
        c = insights.coupling_of(path)
        if c is None:
            continue
        for partner in c.coupled:
            pair = frozenset((path, partner.path))
            if not partner.hidden or pair in seen:
                continue
            seen.add(pair)
            out.append(CoChange(path=path, partner=partner.path, shared=partner.shared,
                                revisions=c.revisions, degree=partner.degree,
                                boundary=partner.boundary))
    out.sort(key=lambda x: (-x.degree, -x.shared, x.path, x.partner))
    return tuple(out)


def missing_co_changes(diff: RevisionDiff, touched: Collection[str], insights: Insights,
                       limit: int = CO_CHANGES) -> tuple[CoChange, ...]:
    """Files that usually change with a file the change touches, but that it does not
    touch, by how often they changed together."""
    changed = {p for c in diff.changes for p in (c.path, c.old_path) if p} | set(diff.deleted)
    out = []
    for path in touched:
        c = insights.coupling_of(path)
        if c is None:
            continue
        out += [CoChange(path=path, partner=x.path, shared=x.shared, revisions=c.revisions,
                         degree=x.degree, boundary=x.boundary)
                for x in c.coupled if x.path not in changed]
    out.sort(key=lambda x: (-x.share, -x.shared, x.path, x.partner))
    return tuple(out[:limit])


def reviewers(touched: Iterable[str], insights: Insights, authors: Collection[str],
              limit: int = REVIEWERS) -> tuple[AuthorShare, ...]:
    """The people still active who changed the ``touched`` files most in the window, never
    one of the change's own ``authors``."""
    changes: dict[str, int] = {}
    added: dict[str, int] = {}
    for path in touched:
        k = insights.knowledge_of(path)
        for share in k.authors if k is not None else ():
            if share.active and share.name not in authors:
                changes[share.name] = changes.get(share.name, 0) + share.changes
                added[share.name] = added.get(share.name, 0) + share.added
    order = sorted(changes, key=lambda n: (-changes[n], -added[n], n))
    return tuple(AuthorShare(name=n, changes=changes[n], added=added[n])
                 for n in order[:limit])
