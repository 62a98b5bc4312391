"""Coupling and knowledge as every format shows them (JSON pieces, one-line texts); the
texts are plain: each format escapes them as it escapes any repository text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frictionscan.api import (
    AreaKnowledge,
    AuthorShare,
    CoChange,
    Coupling,
    Knowledge,
    printable,
)

#: People listed per file in the JSON documents and ``explain``.
TOP_AUTHORS = 3


def coupling_dict(c: Coupling | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"revisions": c.revisions,
            "files": [{"path": printable(x.path), "shared": x.shared, "degree": x.degree,
                       "boundary": x.boundary or None} for x in c.coupled]}


def author_dict(a: AuthorShare) -> dict[str, Any]:
    return {"name": printable(a.name), "changes": a.changes, "lines_added": a.added,
            "active": a.active}


def knowledge_dict(k: Knowledge | None, top: int = TOP_AUTHORS) -> dict[str, Any] | None:
    if k is None:
        return None
    main = k.main
    return {"changes": k.changes, "lines_added": k.added, "authors": len(k.authors),
            "active_authors": sum(a.active for a in k.authors),
            "main_author": printable(main.name) if main else None,
            "main_share": round(k.main_share, 4),
            "main_added_share": round(k.main_added_share, 4), "at_risk": k.at_risk,
            "top_authors": [author_dict(a) for a in k.authors[:top]]}


def area_dict(a: AreaKnowledge | None, top: int = TOP_AUTHORS) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"changes": a.changes, "authors": len(a.authors),
            "active_authors": sum(x.active for x in a.authors), "bus_factor": a.bus_factor,
            "at_risk": a.at_risk, "top_authors": [author_dict(x) for x in a.authors[:top]]}


def co_change_dict(c: CoChange) -> dict[str, Any]:
    return {"path": printable(c.path), "partner": printable(c.partner), "shared": c.shared,
            "revisions": c.revisions, "degree": c.degree, "boundary": c.boundary or None}


def changes(n: int) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} change{'' if n == 1 else 's'}"


def _pct(share: float) -> str:
    return f"{share:.0%}"


def knowledge_line(k: Knowledge) -> str:
    """``main author Ada (60% of 20 changes, 70% of the lines added); 3 authors, 2 still
    active; 25% of the changes by people who left``."""
    main = k.main
    parts = []
    if main is not None:
        parts.append(f"main author {main.name} ({_pct(k.main_share)} of {changes(k.changes)}, "
                     f"{_pct(k.main_added_share)} of the lines added)")
    active = sum(a.active for a in k.authors)
    parts.append(f"{len(k.authors)} author{'s' if len(k.authors) != 1 else ''} in the "
                 f"window, {active} still active")
    if k.at_risk:
        parts.append(f"{_pct(k.at_risk)} of the changes by people who left")
    return "; ".join(parts)


def area_line(a: AreaKnowledge) -> str:
    """``bus factor 2 of 7 people; 35% of the changes by people who left``."""
    text = f"bus factor {a.bus_factor} of {len(a.authors)} " \
           f"{'person' if len(a.authors) == 1 else 'people'} ({changes(a.changes)})"
    if a.at_risk:
        text += f"; {_pct(a.at_risk)} of the changes by people who left"
    return text


def people_text(authors: Sequence[AuthorShare], what: str = "") -> str:
    """``Ada (12 changes), Bob (1 change, left)``; ``what`` follows the count (``" to these
    files"``)."""
    return ", ".join(f"{a.name} ({changes(a.changes)}{what}{'' if a.active else ', left'})"
                     for a in authors)


def co_change_line(c: CoChange, q: str = "`") -> str:
    """```a.py` changed in 12 of its last 15 commits with `b.py```, paths between ``q``
    (Markdown escapes the whole line instead)."""
    return (f"{q}{c.path}{q} changed in {c.shared} of its last {c.revisions} commits with "
            f"{q}{c.partner}{q}")


BOUNDARIES = {"package": "another package", "focus area": "another focus area"}


def hidden_line(c: CoChange, q: str = "`") -> str:
    """```a.py` and `b.py` (another package): 8 commits together, degree 62%``."""
    where = BOUNDARIES.get(c.boundary, "elsewhere")
    return (f"{q}{c.path}{q} and {q}{c.partner}{q} ({where}): {c.shared} commits together, "
            f"degree {_pct(c.degree)}")
