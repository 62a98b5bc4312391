"""Work in flight from git alone: branches not merged into the main branch.

Three kinds of ``git`` command, each run directly (no GitPython: a warm scan should not pay
for importing it): one ``for-each-ref`` lists every branch (to find the main branch), one
``for-each-ref --no-merged`` the unmerged ones, and one ``diff --numstat`` per branch kept
(``main...branch``: what the branch changes since its merge base). Branches whose last commit
is older than ``stale_after`` are left out before any diff, and at most ``max_branches`` of
the most recent are read, so a repository with hundreds of branches costs a bounded number
of processes.
"""

from __future__ import annotations

import fnmatch
import subprocess
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from frictionscan.api import ConfigError, RepositoryError, WorkItem

#: Branch names tried, in order, when the remote's HEAD does not name the main branch.
MAIN_NAMES = ("main", "master", "trunk")
#: Branches that are release or maintenance lines, or not code, rather than work headed for
#: the main branch (``evidence.ignore_branches``; fnmatch patterns over the branch's name).
IGNORED = ("*.x", "[0-9]*", "v[0-9]*", "release", "release/*", "release-*", "releases/*",
           "maint", "maint/*", "maint-*", "maintenance/*", "stable", "stable/*", "stable-*",
           "gh-pages")
_REF_FORMAT = "%(refname)%00%(objectname)%00%(committerdate:unix)%00%(symref)"


def git(root: Path, *args: str) -> bytes:
    """Output of one ``git`` command; :class:`subprocess.CalledProcessError` on failure."""
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True,
                              check=True).stdout
    except FileNotFoundError:
        raise RepositoryError("git is not installed or not on PATH") from None


@dataclass(frozen=True, slots=True)
class Ref:
    """A branch ref as ``for-each-ref`` lists it."""

    #: ``refs/heads/feature/x`` or ``refs/remotes/origin/feature/x``.
    name: str
    sha: str
    #: Committer time of its tip, UTC seconds.
    time: int
    #: The ref it points to, for a symbolic ref (``refs/remotes/origin/HEAD``).
    symref: str = ""

    @property
    def branch(self) -> str:
        """The branch's name without its ref prefix or remote: ``feature/x``."""
        if self.name.startswith("refs/heads/"):
            return self.name[len("refs/heads/"):]
        if self.name.startswith("refs/remotes/"):
            return self.name[len("refs/remotes/"):].partition("/")[2]
        return self.name


def _parse_refs(raw: bytes) -> list[Ref]:
    refs = []
    for line in raw.decode("utf-8", "surrogateescape").splitlines():
        parts = line.split("\0")
        if len(parts) != 4:
            continue
        name, sha, when, symref = parts
        refs.append(Ref(name=name, sha=sha, time=int(when or 0), symref=symref))
    return refs


def list_refs(root: Path, patterns: Sequence[str], *,
              no_merged: Sequence[str] = ()) -> list[Ref]:
    """The refs matching ``patterns``; with ``no_merged``, only those reachable from none
    of these commits."""
    args = ["for-each-ref", f"--format={_REF_FORMAT}"]
    args += [f"--no-merged={commit}" for commit in no_merged]
    try:
        return _parse_refs(git(root, *args, *patterns))
    except subprocess.CalledProcessError:
        return []


def find_main(root: Path, refs: Sequence[Ref], configured: str) -> str | None:
    """The main branch's full ref name: ``configured`` (``evidence.main``) when given, else
    what the remote's HEAD points to (``origin/HEAD``), else the first of main, master and
    trunk, local or on ``origin``."""
    if configured:
        try:
            full = git(root, "rev-parse", "--verify", "--quiet", "--symbolic-full-name",
                       configured).decode("utf-8", "surrogateescape").strip()
        except subprocess.CalledProcessError:
            full = ""
        if not full.startswith("refs/"):
            raise ConfigError(f"evidence.main: no branch named {configured!r} in this "
                              f"repository")
        return full
    names = {r.name for r in refs}
    origin_head = next((r.symref for r in refs
                        if r.name == "refs/remotes/origin/HEAD" and r.symref), "")
    if origin_head in names:
        return origin_head
    for name in MAIN_NAMES:
        for prefix in ("refs/heads/", "refs/remotes/origin/"):
            if prefix + name in names:
                return prefix + name
    return None


def _is_main(ref: Ref, main: str) -> bool:
    """Whether ``ref`` is the main branch, a remote's copy of it, or a symbolic ref."""
    main_name = Ref(name=main, sha="", time=0).branch
    return bool(ref.symref) or ref.name == main or ref.branch in ("", "HEAD", main_name)


def others(refs: Sequence[Ref], main: str) -> bool:
    """Whether any of ``refs`` is a branch other than the main one."""
    return any(not _is_main(r, main) for r in refs)


def unmerged(root: Path, patterns: Sequence[str], main: str, *, now: datetime,
             stale_after_days: float, limit: int,
             ignore: Sequence[str] = IGNORED) -> tuple[list[Ref], int, int]:
    """The branches merged neither into ``main`` nor into HEAD (the branch being scanned is
    not work in flight beside itself, nor is a pull request's branch in CI), newest first,
    one per branch name (the most recent of its local and remote-tracking refs), without
    ``main`` itself (under any remote), symbolic refs, branches whose name matches one of
    ``ignore`` (release lines) or branches idle longer than ``stale_after_days``; at most
    ``limit``. Also returns how many were stale and how many
    were left over the limit."""
    oldest = (now - timedelta(days=stale_after_days)).timestamp()
    kept: dict[str, Ref] = {}
    stale = 0
    for ref in list_refs(root, patterns, no_merged=(main, "HEAD")):
        if _is_main(ref, main) or any(fnmatch.fnmatchcase(ref.branch, p) for p in ignore):
            continue
        if ref.time < oldest:
            stale += 1
            continue
        other = kept.get(ref.branch)
        if other is None or ref.time > other.time:
            kept[ref.branch] = ref
    refs = sorted(kept.values(), key=lambda r: (-r.time, r.branch))
    return refs[:limit], stale, max(0, len(refs) - limit)


class NoMergeBase(Exception):
    """The branch and the main branch share no history (unrelated, or a shallow clone)."""


def read_branch(root: Path, main: str, ref: Ref, known: Collection[str]) -> WorkItem | None:
    """What ``ref`` changes since its merge base with ``main`` (``None`` when it changes
    nothing); :class:`NoMergeBase` when git cannot tell."""
    try:
        raw = git(root, "diff", "--numstat", "-z", "--no-renames", "--no-ext-diff",
                  "--no-textconv", f"{main}...{ref.name}", "--")
    except subprocess.CalledProcessError:
        raise NoMergeBase(ref.branch) from None
    paths: list[str] = []
    lines = 0
    count = 0
    for record in raw.decode("utf-8", "surrogateescape").split("\0"):
        added, _, rest = record.partition("\t")
        deleted, _, path = rest.partition("\t")
        if not path:
            continue
        count += 1
        lines += int(added) if added.isdigit() else 0
        lines += int(deleted) if deleted.isdigit() else 0
        if path in known:
            paths.append(path)
    if not count:
        return None
    return WorkItem(kind="branch", key=ref.branch, paths=tuple(paths), files=count,
                    lines=lines, updated=datetime.fromtimestamp(ref.time, timezone.utc),
                    source="git")
