"""The git plugin's history as text for the store frictionscan hands it (JSON, one flat row
per file: several times faster to write and read than one object each, for 5,000 files).

The window's commits (``History.commits``) are kept apart, in columns with the names and
paths in tables (a third of the text of one row per commit), and decoded only when a plugin
reads them: on a warm run the repository-level analyses take their results from the store
too, so the commits are never decoded (thousands of objects for a long window)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, overload

from frictionscan.api import ChangeSet, FileHistory, History

_FIELDS = ("path", "revisions", "added", "deleted", "authors", "fixes", "recency",
           "first_change", "last_change", "age_days", "idle_days", "former_paths",
           "change_times")
_TIMES = {"first_change", "last_change"}


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def encode_history(history: History) -> str:
    def row(f: FileHistory) -> list[Any]:
        out = []
        for name in _FIELDS:
            value = getattr(f, name)
            if name in _TIMES:
                value = value.isoformat() if value is not None else None
            out.append(value)
        return out

    return json.dumps({
        "head": history.head, "head_time": history.head_time.isoformat(),
        "since": history.since.isoformat() if history.since else None,
        "commits_in_window": history.commits_in_window, "shallow": history.shallow,
        "fields": _FIELDS, "files": [row(f) for f in history.files]})


def decode_history(text: str, commits: str | None) -> History | None:
    """The history, or ``None`` when ``text`` (and ``commits``, from
    :func:`encode_commits`) is not one this version wrote."""
    if commits is None:
        return None
    try:
        d = json.loads(text)
        if tuple(d["fields"]) != _FIELDS:
            return None
        files = []
        for (path, revisions, added, deleted, authors, fixes, recency, first, last, age,
             idle, former, times) in d["files"]:
            files.append(FileHistory(
                path=path, revisions=revisions, added=added, deleted=deleted,
                authors=tuple(authors), fixes=fixes, recency=recency,
                first_change=_time(first), last_change=_time(last), age_days=age,
                idle_days=idle, former_paths=tuple(former), change_times=tuple(times)))
        head_time = _time(d["head_time"])
        if head_time is None:
            return None
        return History(head=d["head"], head_time=head_time, since=_time(d["since"]),
                       files=tuple(files), commits_in_window=d["commits_in_window"],
                       shallow=d["shallow"], commits=StoredCommits(commits))
    except (ValueError, KeyError, TypeError):
        return None


def encode_commits(commits: Sequence[ChangeSet]) -> str:
    """The commits in columns: numbers, times, fix flags and sizes; authors, e-mails and
    paths as indices into tables; each commit's files flattened (path, added, deleted)."""
    tables: dict[str, dict[str, int]] = {"authors": {}, "emails": {}, "paths": {}}

    def index(table: str, value: str) -> int:
        found = tables[table]
        return found.setdefault(value, len(found))

    return json.dumps({
        "number": [c.number for c in commits], "time": [c.time for c in commits],
        "author": [index("authors", c.author) for c in commits],
        "email": [index("emails", c.email) for c in commits],
        "fix": [int(c.fix) for c in commits], "touched": [c.touched for c in commits],
        "files": [[x for p, a, d in c.files for x in (index("paths", p), a, d)]
                  for c in commits],
        **{name: list(values) for name, values in tables.items()}})


def decode_commits(text: str) -> tuple[ChangeSet, ...]:
    """What :func:`encode_commits` wrote (``ValueError`` and the like for anything else)."""
    d = json.loads(text)
    authors, emails, paths = d["authors"], d["emails"], d["paths"]
    return tuple(
        ChangeSet(number=n, time=t, author=authors[a], email=emails[e], fix=bool(x),
                  touched=k, files=tuple((paths[fs[i]], fs[i + 1], fs[i + 2])
                                         for i in range(0, len(fs), 3)))
        for n, t, a, e, x, k, fs in zip(d["number"], d["time"], d["author"], d["email"],
                                        d["fix"], d["touched"], d["files"], strict=True))


class StoredCommits(Sequence[ChangeSet]):
    """The window's commits as the store kept them, decoded on first use (read-only, like
    the tuple it stands for; equal to it)."""

    __slots__ = ("_text", "_items")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._items: tuple[ChangeSet, ...] | None = None

    def _decoded(self) -> tuple[ChangeSet, ...]:
        if self._items is None:
            assert self._text is not None
            try:
                self._items = decode_commits(self._text)
            except (ValueError, KeyError, TypeError, IndexError):
                self._items = ()  # a damaged entry: as if the window had no commits
            self._text = None
        return self._items

    @overload
    def __getitem__(self, index: int) -> ChangeSet: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ChangeSet, ...]: ...

    def __getitem__(self, index: int | slice) -> ChangeSet | tuple[ChangeSet, ...]:
        return self._decoded()[index]

    def __len__(self) -> int:
        return len(self._decoded())

    def __iter__(self) -> Iterator[ChangeSet]:
        return iter(self._decoded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._decoded() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._decoded())

    def __repr__(self) -> str:
        return repr(self._decoded())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._decoded(),))


def decode_state(text: str | None) -> dict[str, Any] | None:
    """A stored fold state as JSON, or ``None``."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
