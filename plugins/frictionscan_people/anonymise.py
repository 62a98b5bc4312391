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

CODEOWNERS owners that are people (``@user``, an e-mail address;
:func:`~frictionscan.api.is_personal_owner`) are replaced too, by ``Owner-N`` (one word, so
that a team stays a space-separated list of owners), N their place by the number of files
they own, then by a hash: in ``Ownership.owners`` and ``.team``, the ``team`` of an area in
flight, of a plan's target and of its by-team group, the ``owner`` of a focus area and of
its plan, and the plan's summary sentences (its "Targets by team" line). Teams
(``@org/team``) are not people and stay.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import MISSING, fields, is_dataclass, replace
from typing import Any

from frictionscan.api import (
    AreaPlan,
    AuthorShare,
    FileHistory,
    FocusArea,
    FunctionHistory,
    InFlightArea,
    Insights,
    Ownership,
    Plan,
    RevisionDiff,
    Target,
    TeamPlan,
    is_personal_owner,
)

#: The types whose ``authors`` field is a tuple of names.
NAMED = (FileHistory, FunctionHistory, RevisionDiff)
#: The types with a field of CODEOWNERS owners, space-separated (``None`` or ``""``: none).
OWNED: dict[type, str] = {Ownership: "team", InFlightArea: "team", Target: "team",
                          TeamPlan: "team", AreaPlan: "owner", FocusArea: "owner"}
_WORD = re.compile(r"\S+")


def _children(obj: Any) -> list[Any]:
    if isinstance(obj, (tuple, list)):
        return list(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return [getattr(obj, f.name) for f in fields(obj) if not f.name.startswith("_")]
    return []


def _objects(report: Any) -> Iterator[Any]:
    """Every object reachable from ``report`` (dataclasses, sequences, mappings), once."""
    done: set[int] = set()
    stack = [report]
    while stack:
        obj = stack.pop()
        if id(obj) in done or isinstance(obj, (str, bytes, int, float)) or obj is None:
            continue
        done.add(id(obj))
        yield obj
        stack.extend(_children(obj))


def _survey(report: Any) -> tuple[Counter[str], Counter[str]]:
    """(changes per name over every file's knowledge, how often each name appears)."""
    changes: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for obj in _objects(report):
        if isinstance(obj, Insights):
            for k in obj.knowledge:
                for share in k.authors:
                    changes[share.name] += share.changes
        if isinstance(obj, AuthorShare):
            seen[obj.name] += 1
        elif isinstance(obj, NAMED):
            seen.update(obj.authors)
    return changes, seen


def _owners_survey(report: Any) -> Counter[str]:
    """Every personal owner in ``report``, with the number of files they own."""
    files: Counter[str] = Counter()
    for obj in _objects(report):
        if isinstance(obj, Ownership):
            files.update(o for o in obj.owners if is_personal_owner(o))
        for kind, name in OWNED.items():
            if isinstance(obj, kind):
                for word in _WORD.findall(getattr(obj, name) or ""):
                    if is_personal_owner(word):
                        files[word] += 0
    return files


def owner_pseudonyms(report: Any) -> dict[str, str]:
    """Every personal CODEOWNERS owner in ``report`` -> ``Owner-N``."""
    files = _owners_survey(report)
    owners = sorted(files, key=lambda o: (
        -files[o], hashlib.sha256(o.encode("utf-8", "surrogateescape")).digest()))
    return {owner: f"Owner-{i}" for i, owner in enumerate(owners, 1)}


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
    owners = owner_pseudonyms(report)
    if not mapping and not owners:
        return report
    memo: dict[int, Any] = {}

    def names(authors: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted((mapping[a] for a in authors), key=_number))

    def words(text: str) -> str:
        """``text`` with each word that is a personal owner replaced."""
        return _WORD.sub(lambda m: owners.get(m.group(), m.group()), text) if owners else text

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
            changed.update(_owned(obj, words))
            if changed:
                for f in fields(obj):  # caches built from the fields: built again
                    if f.name.startswith("_") and f.init and f.default_factory is not MISSING:
                        changed[f.name] = f.default_factory()
                new = replace(obj, **changed)
        memo[key] = new
        return new

    return rewrite(report)


def _owned(obj: Any, words: Any) -> dict[str, Any]:
    """The fields of ``obj`` that name CODEOWNERS owners, with personal owners replaced by
    ``words`` (only those that change)."""
    out: dict[str, Any] = {}
    for kind, name in OWNED.items():
        value = getattr(obj, name) if isinstance(obj, kind) else None
        if value and words(value) != value:
            out[name] = words(value)
    if isinstance(obj, Ownership) and obj.owners:
        owners = tuple(words(o) for o in obj.owners)
        if owners != obj.owners:
            out["owners"] = owners
    if isinstance(obj, Plan):  # its summary names the teams ("Targets by team: ...")
        summary = tuple(words(line) for line in obj.summary)
        if summary != obj.summary:
            out["summary"] = summary
        parts = tuple(tuple((text if code else words(text), code) for text, code in line)
                      for line in obj.summary_parts)
        if parts != obj.summary_parts:
            out["summary_parts"] = parts
    return out
