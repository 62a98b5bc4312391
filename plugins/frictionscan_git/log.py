"""Parse the output of ``git log -z`` into :class:`~frictionscan.core.model.Commit` values.

Pure functions over byte chunks, so they can be tested without git and fed from a stream
without holding the whole log in memory. Two diff formats are understood:

* ``--numstat -z``: ``added<TAB>deleted<TAB>path<NUL>``; a rename is
  ``added<TAB>deleted<TAB><NUL>old<NUL>new<NUL>``; binary files have ``-`` counts;
* ``--name-status -z``: ``STATUS<NUL>path<NUL>``; renames and copies (``R100``, ``C75``) are
  followed by two paths.

Every commit starts with :data:`LOG_FORMAT`'s record separator, so merges and commits without
file changes are just headers. Paths are decoded with ``surrogateescape``: any byte sequence
round-trips to the file system.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from frictionscan.api import (
    Commit,
    FileChange,
)

#: ``git log --format`` that :func:`parse_log` expects (RS, then US-separated fields).
LOG_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%ct%x1f%s"

_RS = b"\x1e"
_US = b"\x1f"


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _tokens(chunks: Iterable[bytes]) -> Iterator[bytes]:
    buf = b""
    for chunk in chunks:
        if not chunk:
            continue
        buf += chunk
        parts = buf.split(b"\0")
        buf = parts.pop()
        yield from parts
    if buf.strip(b"\n"):
        yield buf


def _header(token: bytes) -> Commit:
    fields = token[1:].split(_US)
    if len(fields) < 6:
        raise ValueError(f"unexpected git log header: {token[:80]!r}")
    sha, parents, author, email, ctime = (_text(f) for f in fields[:5])
    subject = _text(_US.join(fields[5:]))
    return Commit(sha=sha, parents=tuple(parents.split()), author=author, email=email,
                  when=datetime.fromtimestamp(int(ctime), tz=timezone.utc), subject=subject)


def parse_log(chunks: Iterable[bytes], *, numstat: bool = True) -> Iterator[Commit]:
    """Yield commits, newest first as git prints them, from ``git log -z`` output chunks.

    :param chunks: Raw stdout of ``git log -z --format=LOG_FORMAT`` with ``--numstat``
        (``numstat=True``) or ``--name-status`` (``numstat=False``), in any chunking.
    """
    current: Commit | None = None
    changes: list[FileChange] = []
    pending: list[bytes] = []  # partial rename / status record
    want = 0  # how many more path tokens the pending record needs

    def finish() -> Commit | None:
        if current is None:
            return None
        return Commit(sha=current.sha, parents=current.parents, author=current.author,
                      email=current.email, when=current.when, subject=current.subject,
                      changes=tuple(changes))

    for token in _tokens(chunks):
        token = token.lstrip(b"\n")
        if want:
            pending.append(token)
            want -= 1
            if not want:
                changes.append(_record(pending, numstat))
                pending = []
            continue
        if token.startswith(_RS):
            done = finish()
            if done is not None:
                yield done
            current = _header(token)
            changes = []
            continue
        if not token:
            continue
        if numstat:
            added, deleted, path = token.split(b"\t", 2)
            if path:
                changes.append(_record([token], numstat))
            else:  # rename: the two paths follow as separate tokens
                pending, want = [token], 2
        else:
            status = token[:1]
            pending, want = [token], (2 if status in (b"R", b"C") else 1)
    done = finish()
    if done is not None:
        yield done


def _record(parts: list[bytes], numstat: bool) -> FileChange:
    if numstat:
        added, deleted, path = parts[0].split(b"\t", 2)
        binary = added == b"-"
        a = 0 if binary else int(added)
        d = 0 if binary else int(deleted)
        if len(parts) == 3:
            return FileChange(path=_text(parts[2]), old_path=_text(parts[1]), added=a,
                              deleted=d, binary=binary)
        return FileChange(path=_text(path), added=a, deleted=d, binary=binary)
    status = parts[0][:1]
    if status == b"R":
        return FileChange(path=_text(parts[2]), old_path=_text(parts[1]))
    return FileChange(path=_text(parts[-1]))



def parse_name_status(data: bytes) -> tuple[list[FileChange], list[str]]:
    """(changed files, deleted paths) from ``git diff --name-status -z``."""
    tokens = [t for t in data.split(b"\0")]
    changes: list[FileChange] = []
    deleted: list[str] = []
    i = 0
    while i < len(tokens):
        status = tokens[i].strip(b"\n")
        i += 1
        if not status:
            continue
        kind = status[:1]
        if kind in (b"R", b"C"):
            old, new = _text(tokens[i]), _text(tokens[i + 1])
            i += 2
            changes.append(FileChange(path=new, old_path=old if kind == b"R" else None))
        else:
            path = _text(tokens[i])
            i += 1
            if kind == b"D":
                deleted.append(path)
            else:
                changes.append(FileChange(path=path))
    return changes, deleted
