"""Built-in plugin *functions*: the X-ray of a hotspot, each function's own change history.

``frictionscan_function_history``: for the Python files that reach the report, every
function and method measured now (``radon.cc`` symbols) with the commits of the window that
changed its lines, the lines they added and deleted there, their authors and bug fixes, and
a function hotspot score (change x complexity, as for files).

How (docs/architecture.md#the-x-ray): one ``git log -m -p -U0`` over the window for the
reported files (and their former names), read newest first in topological order; each
commit's hunks are carried back to the current lines by the later commits' hunk offsets
(:mod:`.walk`), without parsing any old version. What each commit touched is kept in the
store the engine hands over, per file, in HEAD's lines; a later run after new commits reads
only those (``git log OLD..HEAD``) and moves the kept positions through their hunks. The
working tree's uncommitted changes are one more diff (``git diff HEAD``), never cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionscan.api import (
    DEFAULT_BOTS,
    Config,
    FileAnalysis,
    FunctionHistory,
    History,
    RepositoryError,
    Run,
    Store,
    SymbolKind,
    bot_matcher,
    hookimpl,
    is_bot_author,
    is_fix,
)
from frictionscan_functions.attribute import Function, attribute
from frictionscan_functions.linemap import LineMap, relocate
from frictionscan_functions.patches import parse_diff, parse_raw_log
from frictionscan_functions.walk import IDENTITY, CommitTouch, Item, carry, walk

__version__ = "0.1.0"

#: Options that make git's output the same whatever the user's configuration.
_DIFF = ("-p", "-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv",
         "--diff-algorithm=myers", "--src-prefix=a/", "--dst-prefix=b/")


def _git(root: Path, *args: str) -> Iterator[bytes]:
    """The lines of a git command's output, streamed; a failure is one line."""
    try:
        proc = subprocess.Popen(["git", "-c", "core.quotepath=on", *args], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "GIT_FLUSH": "0"})
    except FileNotFoundError:
        raise RepositoryError("git is not installed or not on PATH") from None
    assert proc.stdout is not None and proc.stderr is not None
    try:
        yield from proc.stdout
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        if proc.wait() != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines() or ["failed"]
            raise RepositoryError(f"git {args[0]} failed: {lines[-1].removeprefix('fatal: ')}")


def _pathspecs(paths: Iterable[str]) -> list[str]:
    return [f":(literal){p}" for p in dict.fromkeys(paths)]


def _log(root: Path, revisions: str, since: datetime | None,
         paths: Iterable[str]) -> Iterator[bytes]:
    bound = [f"--since={since.isoformat()}"] if since is not None else []
    return _git(root, "log", "--pretty=raw", "--parents", "-m", "--topo-order",
                "--no-show-signature", *_DIFF, *bound, revisions, "--",
                *_pathspecs(paths))


def _mailmap(root: Path, touches: Iterable[CommitTouch]) -> None:
    """Author names as ``%aN`` gives them (the raw log does not apply .mailmap)."""
    contacts = sorted({(t.author, t.email) for t in touches})
    if not contacts:
        return
    try:
        out = subprocess.run(["git", "check-mailmap", *(f"{n} <{e}>" for n, e in contacts)],
                             cwd=root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) != len(contacts):
        return
    names = {c: line.rpartition(" <")[0] or c[0] for c, line in zip(contacts, lines)}
    for t in touches:
        t.author = names.get((t.author, t.email), t.author)


# -- what the store keeps -------------------------------------------------------------

def _key(path: str, config: Config) -> str:
    digest = hashlib.sha1(json.dumps([__version__, path, config.since]).encode())
    return "touches:" + digest.hexdigest()


def _encode(head: str, since: int, touches: Sequence[CommitTouch]) -> str:
    return json.dumps({"head": head, "since": since,
                       "touches": [[t.sha, t.time, t.author, t.email, t.subject, t.added,
                                    t.deleted] for t in touches]})


def _decode(text: str | None) -> tuple[str, int, list[CommitTouch]] | None:
    if text is None:
        return None
    try:
        d = json.loads(text)
        touches = [CommitTouch(sha=s, time=int(t), author=a, email=e, subject=m,
                               added=[list(map(int, i)) for i in ad],
                               deleted=[list(map(int, i)) for i in de])
                   for s, t, a, e, m, ad, de in d["touches"]]
        return str(d["head"]), int(d["since"]), touches
    except (ValueError, KeyError, TypeError):
        return None


def _move(item: Item, later: LineMap) -> list[Item]:
    """A kept run of positions, in the lines of a later HEAD."""
    if len(item) == 2:
        out: list[Item] = []
        for k in range(item[1]):
            pos = later.at(item[0] + k)
            last = out[-1] if out else None
            if isinstance(pos, int):
                if last is not None and len(last) == 2 and last[0] + last[1] == pos:
                    last[1] += 1
                else:
                    out.append([pos, 1])
            elif last is not None and len(last) == 4 and tuple(last[:3]) == pos:
                last[3] += 1
            else:
                out.append([*pos, 1])
        return out
    ghost = relocate((item[0], item[1], item[2]), later)
    assert not isinstance(ghost, int)
    return [[*ghost, item[3]]]


# -- the hook -------------------------------------------------------------------------

def _functions(a: FileAnalysis) -> list[Function]:
    seen = set()
    out = []
    for m in a.symbol_values("radon.cc"):
        s = m.symbol
        if s is None or s.kind not in (SymbolKind.FUNCTION, SymbolKind.METHOD):
            continue
        key = (s.name, s.span.start_line)
        if key in seen:
            continue
        seen.add(key)
        out.append(Function(name=s.name, kind=s.kind, start=s.span.start_line,
                            end=s.span.end_line or s.span.start_line, col=s.span.start_col,
                            complexity=m.value))
    return out


def read_touches(root: Path, head: str, since: datetime | None, files: Sequence[FileAnalysis],
                 store: Store | None, config: Config) -> dict[str, list[CommitTouch]]:
    """What each commit of the window touched in each file, in HEAD's lines: from the
    store, brought up to date, or read."""
    since_ts = int(since.timestamp()) if since is not None else 0
    out: dict[str, list[CommitTouch]] = {}
    fresh: list[FileAnalysis] = []
    older: dict[str, list[tuple[FileAnalysis, list[CommitTouch]]]] = {}
    for a in files:
        kept = _decode(store.get(_key(a.file.path, config))) if store is not None else None
        if kept is None or kept[1] > since_ts:
            fresh.append(a)
        elif kept[0] == head:
            out[a.file.path] = kept[2]
        else:
            older.setdefault(kept[0], []).append((a, kept[2]))
    changed: list[str] = []
    for old, group in older.items():
        try:
            subprocess.run(["git", "merge-base", "--is-ancestor", old, head], cwd=root,
                           check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            fresh += [a for a, _ in group]
            continue
        tips = {a.file.path: a.file.path for a, _ in group}
        paths = [p for a, _ in group for p in (a.file.path, *a.history.former_paths)]
        result = walk(parse_raw_log(_log(root, f"{old}..{head}", since, paths)), tips)
        _mailmap(root, [t for ts in result.touches.values() for t in ts])
        at_old = result.frontier.get(old, {})
        for a, touches in group:
            path = a.file.path
            if result.entries and path not in at_old:
                fresh.append(a)  # not followed down to the old head: read it again
                continue
            later = at_old[path][1] if path in at_old else IDENTITY
            moved = touches if later.identity else [
                CommitTouch(sha=t.sha, time=t.time, author=t.author, email=t.email,
                            subject=t.subject,
                            added=[m for i in t.added for m in _move(i, later)],
                            deleted=[m for i in t.deleted for m in _move(i, later)])
                for t in touches]
            out[path] = result.touches.get(path, []) + [t for t in moved if t.time >= since_ts]
            changed.append(path)
    if fresh:
        tips = {a.file.path: a.file.path for a in fresh}
        paths = [p for a in fresh for p in (a.file.path, *a.history.former_paths)]
        result = walk(parse_raw_log(_log(root, head, since, paths)), tips)
        _mailmap(root, [t for ts in result.touches.values() for t in ts])
        for a in fresh:
            out[a.file.path] = result.touches.get(a.file.path, [])
            changed.append(a.file.path)
    if store is not None:
        for path in changed:
            store.put(_key(path, config), _encode(head, since_ts, out[path]))
    return out


def worktree_maps(root: Path, paths: Sequence[str]) -> dict[str, LineMap]:
    """HEAD's lines -> the working tree's, for the files with uncommitted changes."""
    if not paths:
        return {}
    maps = {}
    for patch in parse_diff(_git(root, "diff", *_DIFF, "HEAD", "--", *_pathspecs(paths))):
        if patch.new_path is not None and patch.old_path is not None:
            maps[patch.new_path] = carry(IDENTITY, patch.hunks)[0]
    return maps


@hookimpl(trylast=True)
def frictionscan_function_history(root: Path, files: Sequence[FileAnalysis], history: History,
                                  config: Config, run: Run,
                                  store: Store | None) -> list[FunctionHistory]:
    python = [a for a in files if a.file.language == "python" and _functions(a)]
    if not python:
        return []
    touches = read_touches(root, history.head, history.since, python, store, config)
    worktree = {} if run.past else worktree_maps(root, [a.file.path for a in python])
    # the git plugin's option: the same commits are fixes for files and for functions
    pattern = str(config.getoption("git.fix_pattern") or r"(?!)")

    def fix(t: CommitTouch) -> bool:
        return is_fix(t.subject, t.author, t.email, pattern)

    # the people plugin's option: bots are never authors, of files or of functions
    bots = bot_matcher(config.getoption("people.bots", DEFAULT_BOTS))

    def bot(t: CommitTouch) -> bool:
        return is_bot_author(bots, t.author, t.email)
    now = int((run.now or history.head_time).timestamp())
    since = int(history.since.timestamp()) if history.since is not None else 0
    half_life = float(config.getoption("git.half_life_days", 90.0))
    out: list[FunctionHistory] = []
    for a in python:
        out += attribute(a.file.path, _functions(a), touches.get(a.file.path, []),
                         since=since, now=now, half_life_days=half_life, fix=fix,
                         finding_lines=[f.span.start_line for f in a.findings],
                         worktree=worktree.get(a.file.path), bot=bot)
    return out


def describe(functions: Sequence[FunctionHistory]) -> list[dict[str, Any]]:
    """The records as plain data (for debugging and the benchmarks)."""
    return [{"name": f.name, "changes": f.changes, "added": f.lines_added,
             "deleted": f.lines_deleted, "authors": list(f.authors), "fixes": f.fixes,
             "score": f.score} for f in functions]
