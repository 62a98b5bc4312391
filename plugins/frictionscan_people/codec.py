"""Who knows what, as text for the store (a warm run reads it instead of counting again,
and never decodes the window's commits)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from frictionscan.api import AreaKnowledge, AuthorShare, Focus, History, Knowledge, SourceFile


def key(version: str, history: History, files: Sequence[SourceFile], focus: Focus,
        options: Sequence[Any]) -> str:
    """What the result depends on: the history read (its head, "now", window and file set)
    and the options and focus areas."""
    parts = [version, history.head, history.head_time.isoformat(),
             history.since.isoformat() if history.since else None, history.commits_in_window,
             [f.path for f in files], [(a.name, a.paths) for a in focus.areas], *options]
    return "people:" + hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()


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
