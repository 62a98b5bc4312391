"""Who knows what, as text for the store (a warm run reads it instead of counting again,
and never decodes the window's commits)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from frictionscan.api import AreaKnowledge, AuthorShare, Knowledge


def _shares(shares: Sequence[AuthorShare]) -> list[list[Any]]:
    return [[a.name, a.changes, a.added, a.active] for a in shares]


def _authors(rows: Sequence[Sequence[Any]]) -> tuple[AuthorShare, ...]:
    return tuple(AuthorShare(name=n, changes=c, added=a, active=bool(x)) for n, c, a, x in rows)


def encode(items: Sequence[Knowledge | AreaKnowledge]) -> str:
    return json.dumps({
        "files": [[k.path, k.changes, k.added, k.at_risk, _shares(k.authors)]
                  for k in items if isinstance(k, Knowledge)],
        "areas": [[a.area, a.changes, a.bus_factor, a.at_risk, _shares(a.authors)]
                  for a in items if isinstance(a, AreaKnowledge)]})


def decode(text: str | None) -> list[Knowledge | AreaKnowledge] | None:
    """What :func:`encode` wrote, or ``None``."""
    if text is None:
        return None
    try:
        d = json.loads(text)
        out: list[Knowledge | AreaKnowledge] = [
            Knowledge(path=p, changes=c, added=a, at_risk=r, authors=_authors(s))
            for p, c, a, r, s in d["files"]]
        out += [AreaKnowledge(area=n, changes=c, bus_factor=b, at_risk=r, authors=_authors(s))
                for n, c, b, r, s in d["areas"]]
        return out
    except (ValueError, TypeError, KeyError):
        return None
