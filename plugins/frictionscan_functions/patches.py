"""Parse ``git log --pretty=raw --parents -m -p -U0`` into commits and their hunks.

The raw format is used because it is the one that says which parent a merge's diff is
against (``commit SHA PARENTS... (from PARENT)``): ``-m`` prints a merge once per parent
whose diff is not empty. Hunks are read by their line counts, so a removed line that
starts with ``--`` or an added one with ``++`` is never taken for a header. Pure functions
over lines of bytes, testable without git.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
            "r": "\r", "v": "\v"}


@dataclass(slots=True)
class Hunk:
    """``old_count`` lines from ``old_start`` replaced by ``new_count`` from ``new_start``
    (with ``-U0``: a count of 0 means the hunk sits after line ``start``)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FilePatch:
    """One file of one diff: ``old_path`` is ``None`` for a file the commit created,
    ``new_path`` for one it deleted."""

    old_path: str | None
    new_path: str | None
    hunks: list[Hunk] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    """One commit's diff against one parent (a merge has one entry per parent whose diff
    touches the paths)."""

    sha: str
    #: The parents after git's history simplification (what the walk follows).
    parents: tuple[str, ...]
    #: The parent (simplified) this entry's diff is against; ``None`` for a root commit.
    parent: str | None
    #: Whether the commit is a merge (more than one parent before simplification).
    merge: bool
    author: str
    email: str
    #: Committer time, seconds since the epoch (the git plugin's ``%ct``).
    time: int
    subject: str
    files: list[FilePatch] = field(default_factory=list)


def unquote(raw: bytes) -> str:
    """A path as git prints it: C-quoted when it holds special bytes."""
    text = raw.decode("utf-8", "surrogateescape")
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        return text
    out = bytearray()
    body = raw[1:-1]
    i = 0
    while i < len(body):
        c = body[i:i + 1]
        if c == b"\\" and i + 1 < len(body):
            nxt = chr(body[i + 1])
            if nxt in "01234567" and i + 3 < len(body) + 1:
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt).encode()
            i += 2
            continue
        out += c
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _path(raw: bytes, prefix: bytes) -> str | None:
    raw = raw.rstrip(b"\n").rstrip(b"\t")
    if raw == b"/dev/null":
        return None
    if raw.startswith(b'"'):
        text = unquote(raw)
        return text[len(prefix):] if text.startswith(prefix.decode()) else text
    return unquote(raw[len(prefix):] if raw.startswith(prefix) else raw)


def _diff_git_paths(rest: bytes) -> tuple[str, str]:
    """The two paths of ``diff --git a/X b/Y`` when no other line names them (a mode
    change): unambiguous only when X is Y, which it is then."""
    rest = rest.rstrip(b"\n")
    if rest.startswith(b'"'):
        end = rest.index(b'"', 1)
        while rest[end - 1:end] == b"\\":
            end = rest.index(b'"', end + 1)
        return _path(rest[:end + 1], b"a/") or "", _path(rest[end + 2:], b"b/") or ""
    half = (len(rest) - 5) // 2
    return unquote(rest[2:2 + half]), unquote(rest[5 + half:])


def _subject(message: list[bytes]) -> str:
    """The first paragraph on one line, as ``%s`` gives it."""
    lines = []
    for raw in message:
        line = raw.strip()
        if not line:
            if lines:
                break
            continue
        lines.append(line.decode("utf-8", "replace"))
    return " ".join(lines)


def _ident(value: bytes) -> tuple[str, str, int]:
    """``Name <email> 1700000000 +0100`` -> (name, email, time)."""
    head, _, _tz = value.rstrip(b"\n").rpartition(b" ")
    ident, _, ts = head.rpartition(b" ")
    name, _, email = ident.partition(b" <")
    return (name.decode("utf-8", "replace"), email.rstrip(b">").decode("utf-8", "replace"),
            int(ts or 0))


def parse_raw_log(lines: Iterable[bytes]) -> Iterator[Entry]:
    """Entries in the order git prints them (with ``--topo-order``: every commit after all
    its children)."""
    it = iter(lines)
    line = next(it, None)
    while line is not None:
        if not line.startswith(b"commit "):
            line = next(it, None)
            continue
        head, _, source = line.rstrip(b"\n").partition(b" (from ")
        ids = head.split()[1:]
        sha = ids[0].decode()
        parents = tuple(p.decode() for p in ids[1:])
        actual: list[str] = []
        author = email = ""
        when = 0
        message: list[bytes] = []
        line = next(it, None)
        while line is not None and line not in (b"\n", b"\r\n"):  # the header
            # (signatures continue on lines that start with a space, some of them blank)
            if line.startswith(b"parent "):
                actual.append(line[7:].strip().decode())
            elif line.startswith(b"author "):
                author, email, _ = _ident(line[7:])
            elif line.startswith(b"committer "):
                when = _ident(line[10:])[2]
            line = next(it, None)
        line = next(it, None)
        while line is not None and (line.startswith(b"    ") or line == b"\n"):
            message.append(line[4:])
            line = next(it, None)
        parent: str | None = None
        if source:
            chosen = source.rstrip(b")").decode()
            if len(actual) == len(parents) and chosen in actual:
                parent = parents[actual.index(chosen)]
            else:
                parent = chosen if chosen in parents else (parents[0] if parents else None)
        elif parents:
            parent = parents[0]
        entry = Entry(sha=sha, parents=parents, parent=parent, merge=len(actual) > 1,
                      author=author, email=email, time=when, subject=_subject(message))
        while line is not None and line.startswith(b"diff --git "):
            patch, line = _file_patch(line, it)
            entry.files.append(patch)
        yield entry


def _file_patch(first: bytes, it: Iterator[bytes]) -> tuple[FilePatch, bytes | None]:
    old_path: str | None = ""
    new_path: str | None = ""
    created = deleted = False
    named = False
    hunks: list[Hunk] = []
    line = next(it, None)
    while line is not None and not line.startswith((b"diff --git ", b"commit ")):
        if line.startswith(b"@@"):
            match = _HUNK.match(line)
            line = next(it, None)
            if match is None:
                continue
            os_, oc, ns, nc = match.groups()
            hunk = Hunk(int(os_), 1 if oc is None else int(oc), int(ns),
                        1 if nc is None else int(nc))
            want = hunk.old_count + hunk.new_count
            while line is not None and want:
                if line.startswith(b"-"):
                    hunk.removed.append(line[1:].rstrip(b"\n").decode("utf-8",
                                                                     "surrogateescape"))
                    want -= 1
                elif line.startswith(b"+"):
                    hunk.added.append(line[1:].rstrip(b"\n").decode("utf-8",
                                                                   "surrogateescape"))
                    want -= 1
                elif not line.startswith(b"\\"):
                    break
                line = next(it, None)
            while line is not None and line.startswith(b"\\"):  # no newline at end of file
                line = next(it, None)
            hunks.append(hunk)
            continue
        if line.startswith(b"--- "):
            old_path, named = _path(line[4:], b"a/"), True
        elif line.startswith(b"+++ "):
            new_path, named = _path(line[4:], b"b/"), True
        elif line.startswith(b"rename from "):
            old_path, named = unquote(line[12:].rstrip(b"\n")), True
        elif line.startswith(b"rename to "):
            new_path, named = unquote(line[10:].rstrip(b"\n")), True
        elif line.startswith(b"new file mode"):
            created = True
        elif line.startswith(b"deleted file mode"):
            deleted = True
        line = next(it, None)
    if not named:
        old_path, new_path = _diff_git_paths(first[len(b"diff --git "):])
    if created:
        old_path = None
    if deleted:
        new_path = None
    return FilePatch(old_path=old_path, new_path=new_path, hunks=hunks), line


def parse_diff(lines: Iterable[bytes]) -> list[FilePatch]:
    """The files of a plain ``git diff -U0`` (the working tree against HEAD)."""
    it = iter(lines)
    patches = []
    line = next(it, None)
    while line is not None:
        if line.startswith(b"diff --git "):
            patch, line = _file_patch(line, it)
            patches.append(patch)
        else:
            line = next(it, None)
    return patches
