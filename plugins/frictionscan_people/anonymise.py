"""Names replaced by stable pseudonyms in whatever a formatter is given (``people.anonymise``).

People's names live in four places of the data model, and nowhere else (no reason or
message embeds one): ``FileHistory.authors``, ``FunctionHistory.authors`` (the X-ray),
``RevisionDiff.authors`` and ``AuthorShare.name`` (the knowledge of files and areas, a
change's suggested reviewers).
:func:`anonymise` rebuilds a report with each name replaced by ``Author N``, N its place
among everyone who changed the repository's files in the window, most changes first (from
the report's :class:`~frictionscan.api.Insights`; then by how often a name appears, then
by a hash of it, never by the name itself). The same scan therefore gives the same
pseudonyms in every output. Objects without a name are returned as they are, so what a
formatter compares by identity stays identical.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import fields, is_dataclass, replace
from typing import Any

from frictionscan.api import AuthorShare, FileHistory, FunctionHistory, Insights, RevisionDiff

#: The types whose ``authors`` field is a tuple of names.
NAMED = (FileHistory, FunctionHistory, RevisionDiff)


def _children(obj: Any) -> list[Any]:
    if isinstance(obj, (tuple, list)):
        return list(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return [getattr(obj, f.name) for f in fields(obj) if not f.name.startswith("_")]
    return []


def _survey(report: Any) -> tuple[Counter[str], Counter[str]]:
    """(changes per name over every file's knowledge, how often each name appears)."""
    changes: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    done: set[int] = set()
    stack = [report]
    while stack:
        obj = stack.pop()
        if id(obj) in done or isinstance(obj, (str, bytes, int, float)) or obj is None:
            continue
        done.add(id(obj))
        if isinstance(obj, Insights):
            for k in obj.knowledge:
                for share in k.authors:
                    changes[share.name] += share.changes
        if isinstance(obj, AuthorShare):
            seen[obj.name] += 1
        elif isinstance(obj, NAMED):
            seen.update(obj.authors)
        stack.extend(_children(obj))
    return changes, seen


def pseudonyms(report: Any) -> dict[str, str]:
    """Every name in ``report`` -> ``Author N``."""
    changes, seen = _survey(report)
    names = sorted(set(changes) | set(seen), key=lambda n: (
        -changes[n], -seen[n], hashlib.sha256(n.encode("utf-8", "surrogateescape")).digest()))
    return {name: f"Author {i}" for i, name in enumerate(names, 1)}


def _number(pseudonym: str) -> int:
    return int(pseudonym.rsplit(" ", 1)[-1])


def anonymise(report: Any) -> Any:
    """``report`` with every name replaced (see the module docstring)."""
    mapping = pseudonyms(report)
    if not mapping:
        return report
    memo: dict[int, Any] = {}

    def names(authors: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted((mapping[a] for a in authors), key=_number))

    def rewrite(obj: Any) -> Any:
        if obj is None or isinstance(obj, (str, bytes, int, float, bool)):
            return obj
        key = id(obj)
        if key in memo:
            return memo[key]
        new = obj
        if isinstance(obj, AuthorShare):
            new = replace(obj, name=mapping[obj.name])
        elif isinstance(obj, (tuple, list)):
            items = [rewrite(x) for x in obj]
            if any(a is not b for a, b in zip(items, obj)):
                new = type(obj)(items)
        elif is_dataclass(obj) and not isinstance(obj, type):
            changed = {}
            for f in fields(obj):
                if f.name.startswith("_") or not f.init:
                    continue
                value = getattr(obj, f.name)
                fresh = rewrite(value)
                if fresh is not value:
                    changed[f.name] = fresh
            if isinstance(obj, NAMED) and obj.authors:
                changed["authors"] = names(obj.authors)
            if changed:
                new = replace(obj, **changed)
        memo[key] = new
        return new

    return rewrite(report)
