"""Built-in plugin *git*: which files to scan, their change history and churn numbers.

* ``frictionscan_collect_files``: tracked files (``git ls-files``) matching ``include`` globs;
  submodules and symbolic links inside the repository left out (a link's target is analysed
  under its own name); a link out of the repository, to a missing file or in a loop is
  collected, so that the per-file step lists it as skipped (it is never followed);
* ``frictionscan_ignore_file``: ``exclude`` globs and the default excludes dropped;
* ``frictionscan_collect_history``: one streamed ``git log -M --numstat`` over the window
  (``since``, counted back from HEAD's commit time) and, only when asked for or needed for
  dormancy, one ``--name-status`` pass over older history; renames followed.
* ``frictionscan_measure_file``: ``git.*`` measurements of one file from its history.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frictionscan.api import (
    DEFAULT_BOTS,
    DEFAULT_EXCLUDES,
    DEFAULT_FIX_PATTERN,
    Between,
    Commit,
    Config,
    ConfigError,
    FileHistory,
    History,
    Measurement,
    OptionParser,
    RepositoryError,
    RevisionDiff,
    Run,
    SourceFile,
    Store,
    bot_matcher,
    hookimpl,
    match_any,
    regular_expression,
    resolve_point,
)
from frictionscan_git.codec import decode_history, decode_state, encode_commits, encode_history
from frictionscan_git.history import (
    HistoryBuilder,
    HistoryState,
    change_sets,
    histories,
    merge,
)
from frictionscan_git.log import LOG_FORMAT, parse_log, parse_name_status

if TYPE_CHECKING:
    import git

#: 0.3.1: bots (people.bots) are never authors; 0.3.0: the bug-fix heuristic of
#: frictionscan.core.fixes; 0.2.0: the window's commits (ChangeSet) kept; 0.1.1: ages never
#: negative (each change reads cached histories again)
__version__ = "0.3.1"

_CHUNK = 1 << 16
_SPOOL_IN_MEMORY = 16 << 20


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("git.half_life_days", type=float, default=90.0, validate=Between(0),
                     help="half-life in days of a change's weight in recency-weighted revisions "
                          "(0: every change weighs 1)")
    parser.addoption("git.fix_pattern", type=str, default=DEFAULT_FIX_PATTERN,
                     validate=regular_expression,
                     help="regular expression over commit subjects that marks bug fixes")
    parser.addoption("git.older_history", type=bool, default=False, flag="--older-history",
                     help="also read all history before the window (names only), for file "
                          "ages and former names; explain always does")


def git_message(stderr: str | bytes | None, fallback: object = "") -> str:
    """What git said went wrong, as one complete line: its last ``fatal:`` or ``error:`` line
    (else its last line), without GitPython's ``stderr: '...'`` wrapping."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    text = text.strip()
    if text.startswith("stderr: '") and text.endswith("'"):  # GitCommandError.stderr
        text = text[len("stderr: '"):-1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    told = [line for line in lines if line.startswith(("fatal:", "error:"))]
    line = (told or lines or [str(fallback).strip().replace("\n", " ")])[-1]
    for prefix in ("fatal: ", "error: "):
        line = line.removeprefix(prefix)
    return line


def run_git(root: Path, *args: str) -> bytes:
    """Output of one short ``git`` command. GitPython (40-90 ms to import) is kept for the
    streams and object reads; the few commands a cached scan needs run directly, so that a
    warm scan does not import it. :class:`subprocess.CalledProcessError` on failure."""
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True,
                              check=True).stdout
    except FileNotFoundError:
        raise RepositoryError("git is not installed or not on PATH") from None


def check_repository(root: Path) -> str:
    """HEAD's commit id, after the checks of :func:`open_repo` (same messages)."""
    try:
        out = run_git(root, "rev-parse", "--is-bare-repository", "--verify", "--quiet",
                      "HEAD^{commit}")
    except subprocess.CalledProcessError as exc:
        lines = exc.stdout.split()
        if not lines:
            raise RepositoryError(f"{root} is not a git repository") from None
        out = exc.stdout
    lines = out.decode().split()
    if lines[0] == "true":
        raise RepositoryError(f"{root} is a bare repository; scan a clone with a work tree")
    if len(lines) < 2:
        raise RepositoryError(f"{root}: the repository has no commits yet; "
                              f"commit something first")
    return lines[1]


def open_repo(root: Path) -> git.Repo:
    """Open the repository at ``root``; a :class:`RepositoryError` says what is wrong."""
    import git

    try:
        repo = git.Repo(root)
    except git.exc.GitCommandNotFound:
        raise RepositoryError("git is not installed or not on PATH") from None
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        raise RepositoryError(f"{root} is not a git repository") from None
    if repo.bare:
        raise RepositoryError(f"{root} is a bare repository; scan a clone with a work tree")
    if not repo.head.is_valid():
        raise RepositoryError(f"{root}: the repository has no commits yet; "
                              f"commit something first")
    return repo


def _stream(repo: git.Repo, *args: str) -> Iterator[bytes]:
    import git

    try:
        # GIT_FLUSH=0: git writes full buffers, not one write per commit (10% on a pipe)
        proc = repo.git.log(*args, as_process=True, env={"GIT_FLUSH": "0"})
    except git.exc.GitCommandNotFound:
        raise RepositoryError("git is not installed or not on PATH") from None
    stdout = proc.proc.stdout
    try:
        yield from iter(lambda: stdout.read(_CHUNK), b"")
    finally:
        stdout.close()
        try:
            proc.wait()
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"git log failed: {git_message(exc.stderr, exc)}") from None


class _Spool:
    """Drain a chunk stream in a background thread into a spooled temporary file."""

    def __init__(self, source: Iterator[bytes]) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, args=(source,), daemon=True)
        self._thread.start()

    def _drain(self, source: Iterator[bytes]) -> None:
        try:
            for chunk in source:
                self._file.write(chunk)
        except BaseException as exc:  # re-raised in the reading thread
            self._error = exc

    def chunks(self) -> Iterator[bytes]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        self._file.seek(0)
        yield from iter(lambda: self._file.read(_CHUNK), b"")

    def close(self) -> None:
        self._thread.join()
        self._file.close()


def _pathspecs(config: Config) -> list[str]:
    """git pathspecs covering the ``include`` globs, so git diffs only files we may scan.

    ``**/*.py`` becomes the plain pathspec ``*.py`` (git's ``*`` crosses ``/``), which git
    matches faster than the equivalent ``:(glob)`` pattern; others are passed as globs.
    """
    specs = []
    for pattern in config.include:
        p = pattern[2:] if pattern.startswith("./") else pattern
        tail = p[3:] if p.startswith("**/") else p
        if "/" not in tail and not any(c in tail for c in "?[\\") and tail.count("*") <= 1 \
                and (tail.startswith("*") or "*" not in tail):
            specs.append(tail if tail.startswith("*") else f":(glob)**/{tail}")
            continue
        if "/" not in p:
            p = "**/" + p
        specs.append(f":(glob){p}")
    return specs


@hookimpl(trylast=True)
def frictionscan_collect_files(root: Path, config: Config, run: Run) -> list[SourceFile]:
    """Tracked files (the index), or the files of ``run.revision`` when it is not HEAD
    (``backtest`` ranks a past commit from git objects)."""
    check_repository(root)
    past = run.past
    try:
        if past:
            raw = run_git(root, "ls-tree", "-r", "-z", "--full-tree", run.revision)
        else:
            raw = run_git(root, "ls-files", "-s", "-z")
    except subprocess.CalledProcessError as exc:
        raise RepositoryError(f"git could not list the files: "
                              f"{git_message(exc.stderr, exc)}") from None
    files: dict[str, SourceFile] = {}
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, rawpath = entry.partition(b"\t")
        if past:
            mode, _type, blob = meta.split(b" ")
        else:
            mode, blob, _stage = meta.split(b" ")
        if mode == b"160000":  # a submodule
            continue
        path = rawpath.decode("utf-8", "surrogateescape")
        if mode == b"120000" and (past or _leads_inside(root, path)):
            continue  # a symbolic link: its target is analysed under its own name
        if path in files or not match_any(path, config.include):
            continue
        try:
            size = 0 if past else (root / path).lstat().st_size
        except OSError:
            size = 0
        files[path] = SourceFile(path=path, blob=blob.decode(), size=size)
    return sorted(files.values(), key=lambda f: f.path)


def _leads_inside(root: Path, path: str) -> bool:
    """Whether the symbolic link at ``path`` leads to a file in the repository (else it is
    collected, and the per-file step lists it as skipped: nothing else would analyse what it
    points to)."""
    try:
        target = (root / path).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop (RuntimeError before Python 3.13)
        return False
    return target.is_relative_to(root.resolve())


@hookimpl(trylast=True)
def frictionscan_ignore_file(file: SourceFile, config: Config) -> bool | None:
    """Drop ``exclude`` globs and the default excludes (a plugin returning False keeps a
    file anyway)."""
    if match_any(file.path, config.exclude):
        return True
    if config.default_excludes and match_any(file.path, DEFAULT_EXCLUDES):
        return True
    return None


@hookimpl(trylast=True)
def frictionscan_collect_history(root: Path, files: Sequence[SourceFile], config: Config,
                                 store: Store | None, run: Run) -> History:
    revision = run.revision or "HEAD"
    try:
        head, _, committed = run_git(root, "show", "-s", "--format=%H %ct",
                                     f"{revision}^{{commit}}", "--").decode().partition(" ")
    except subprocess.CalledProcessError:
        check_repository(root)  # the precise message when the repository is the problem
        raise RepositoryError(f"revision {revision!r} does not exist") from None
    # "now" is the revision's commit time, unless the caller fixed it (ci compares the merge
    # base with the head as of the same moment, so that time alone moves no score)
    now = run.now or datetime.fromtimestamp(int(committed), tz=timezone.utc)
    since = resolve_point(config.since, now)
    if since > now:
        at = "HEAD" if revision == "HEAD" else f"the commit {head[:12]}"
        raise ConfigError(f"since {config.since.strip()} is after {at}'s commit time "
                          f"({now.date().isoformat()}): the window would be empty; give an "
                          f"earlier date or a duration such as '12 months'")
    depth = _older_depth(now, since, config)
    options = (__version__, config.since, config.include, config.exclude,
               config.default_excludes, config.getoption("git.fix_pattern"),
               # the depth's rule, not its date, so that a new commit keeps the state
               None if depth is None else ("all" if depth is _ALL else
                                           config.getoption("roadmap.dormant_after")))
    key = "history:" + _digest(head, now.isoformat(), sorted(f.path for f in files),
                               config.getoption("git.half_life_days"),
                               config.getoption("people.bots", DEFAULT_BOTS), *options)
    # the fold state serves any later head; a scan of some files only (ci's merge base)
    # keeps its own, which must never stand in for the whole repository's
    state_key = "state:" + _digest(*options, None if run.paths is None
                                   else sorted(f.path for f in files))
    if store is not None:
        cached = store.get(key)
        history = decode_history(cached, store.get("commits:" + key[len("history:"):])) \
            if cached is not None else None
        if history is not None:
            return history
    state = _incremental(root, head, now, since, files, config,
                         decode_state(store.get(state_key)) if store is not None else None)
    if state is None:
        state = _read_history(open_repo(root), head, now, since, depth, files, config)
    history = History(
        head=head, head_time=now, since=since,
        files=histories(state, now=now, since=since,
                        half_life_days=float(config.getoption("git.half_life_days", 90.0)),
                        known_since=_known_since(root, head, since, depth, state),
                        bots=bot_matcher(config.getoption("people.bots", DEFAULT_BOTS))),
        commits_in_window=sum(1 for t in state.window if t >= since.timestamp()),
        shallow=run_git(root, "rev-parse", "--is-shallow-repository").strip() == b"true",
        commits=change_sets(state, since=since))
    if store is not None:
        store.put(key, encode_history(history))
        store.put("commits:" + key[len("history:"):], encode_commits(history.commits))
        store.put(state_key, json.dumps(state.to_json()))
    return history


def _digest(*parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _builder(files: Sequence[SourceFile], now: datetime, config: Config) -> HistoryBuilder:
    return HistoryBuilder((f.path for f in files), now=now,
                          half_life_days=float(config.getoption("git.half_life_days", 90.0)),
                          fix_pattern=str(config.getoption("git.fix_pattern",
                                                           DEFAULT_FIX_PATTERN)))


def _incremental(root: Path, head: str, now: datetime, since: datetime,
                 files: Sequence[SourceFile], config: Config,
                 cached: dict[str, Any] | None) -> HistoryState | None:
    """The cached state brought up to ``head`` by reading only the commits after it, or
    ``None`` when that is not possible (no state, or HEAD is not a descendant: a rebase or a
    force-push) and everything must be read again.

    The new commits are few: their log is read in one piece by a plain git process, which
    saves importing GitPython (40-90 ms, more than the rest of an incremental run's history
    stage)."""
    if not cached:
        return None
    try:
        old = HistoryState.from_json(cached)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if old.head == head:
        newer = _builder(files, now, config).state
        return merge(newer, old, {})
    try:
        run_git(root, "merge-base", "--is-ancestor", old.head, head)
        log = run_git(root, "log", "-z", "-M", f"--format={LOG_FORMAT}", "--numstat",
                      f"{old.head}..{head}", "--", *_pathspecs(config))
    except subprocess.CalledProcessError:
        return None  # not a descendant (or the old head is gone): read everything again
    builder = _builder(files, now, config)
    for commit in parse_log([log], numstat=True):
        builder.add(commit, in_window=commit.when >= since)
    merged = merge(builder.state, old, builder.aliases)
    merged.head = head
    return merged


_ALL = datetime.min.replace(tzinfo=timezone.utc)


def _older_depth(now: datetime, since: datetime, config: Config) -> datetime | None:
    """How far before the window the older (names-only) pass must read: ``_ALL`` with
    ``git.older_history``; else as far as dormancy needs (the last change of a file untouched
    in the window only matters when ``roadmap.dormant_after`` is longer than the window, and
    then only back to that point); else ``None``, no older pass at all."""
    if config.getoption("git.older_history", False):
        return _ALL
    dormant_after = config.getoption("roadmap.dormant_after")
    if not dormant_after:
        return None
    try:
        point = resolve_point(str(dormant_after), now) - timedelta(days=7)  # month lengths
    except ValueError:
        return None
    return point if point < since else None


def _read_history(repo: git.Repo, head: str, now: datetime, since: datetime,
                  depth: datetime | None, files: Sequence[SourceFile],
                  config: Config) -> HistoryState:
    """From git: one window pass with line counts and, when ``depth`` asks for it, one older
    pass with names only (see :func:`_older_depth`)."""
    builder = _builder(files, now, config)
    specs = _pathspecs(config)
    common = ["-z", "-M", f"--format={LOG_FORMAT}"]
    until = (since - timedelta(seconds=1)).isoformat()
    older: _Spool | None = None
    # is anything older than the window? (for ages; a walk without diffs, alongside)
    probe = repo.git.rev_list("-1", f"--until={until}", head, as_process=True)
    if depth is not None:
        # runs alongside the window pass; folded afterwards (renames are followed newest
        # first), spooled to a temporary file so memory stays bounded
        bound = [] if depth is _ALL else [f"--since={depth.isoformat()}"]
        older = _Spool(_stream(repo, *common, "--name-status", f"--until={until}", *bound,
                               head, "--", *specs))
    try:
        window = _stream(repo, *common, "--numstat", f"--since={since.isoformat()}",
                         head, "--", *specs)
        for commit in parse_log(window, numstat=True):
            builder.add(commit, in_window=commit.when >= since)
        if older is not None:
            for commit in parse_log(older.chunks(), numstat=False):
                builder.add(commit, in_window=False)
    finally:
        if older is not None:
            older.close()
        found = probe.proc.stdout.read().strip()
        probe.wait()
    builder.state.head = head
    builder.state.complete = depth is _ALL
    builder.state.older = [int(since.timestamp()), bool(found)]
    return builder.state


def _still_true(older: list[Any] | None, at: int) -> bool:
    """Whether an earlier answer to "is a commit older than t?" still holds for ``at``."""
    if older is None:
        return False
    checked_at, found = older
    return at >= checked_at if found else at <= checked_at


def _known_since(root: Path, head: str, since: datetime, depth: datetime | None,
                 state: HistoryState) -> datetime | None:
    """``None`` when all history is in ``state`` as a fresh read would have it (the older
    pass read everything, or no commit is older than the window); otherwise the oldest time
    a fresh read covers. Whether a commit is older than the window is remembered in the
    state while the answer cannot change, else asked of git (a walk without diffs that
    stops at the first older commit)."""
    if state.complete:
        return None
    at = int(since.timestamp())
    if not _still_true(state.older, at):
        until = (since - timedelta(seconds=1)).isoformat()
        state.older = [at, bool(run_git(root, "rev-list", "-1", f"--until={until}",
                                        head).strip())]
    return (since if depth is None else depth) if state.older[1] else None


@hookimpl
def frictionscan_measure_file(history: FileHistory) -> list[Measurement]:
    h = history
    out = [
        Measurement(key="git.revisions", value=h.revisions),
        Measurement(key="git.lines_added", value=h.added),
        Measurement(key="git.lines_deleted", value=h.deleted),
        Measurement(key="git.authors", value=len(h.authors)),
        Measurement(key="git.recency", value=h.recency),
        Measurement(key="git.fixes", value=h.fixes),
    ]
    if h.age_days is not None:
        out.append(Measurement(key="git.age_days", value=h.age_days))
    if h.idle_days is not None:
        out.append(Measurement(key="git.idle_days", value=h.idle_days))
    return out


@hookimpl(trylast=True)
def frictionscan_changed_files(root: Path, config: Config) -> set[str]:
    """Paths that ``git status`` reports: modified, staged, untracked, renamed (both
    names)."""
    try:
        raw = run_git(root, "status", "--porcelain", "-z", "--untracked-files=all")
    except subprocess.CalledProcessError as exc:
        check_repository(root)
        raise RepositoryError(f"git status failed: {git_message(exc.stderr, exc)}") from None
    changed: set[str] = set()
    entries = raw.split(b"\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:].decode("utf-8", "surrogateescape")
        changed.add(path)
        if b"R" in status or b"C" in status:  # the next entry is the original name
            if i < len(entries):
                changed.add(entries[i].decode("utf-8", "surrogateescape"))
            i += 1
    return changed


SHALLOW_HELP = ("fetch all of it with `git fetch --unshallow` (GitHub Actions: fetch-depth: 0; "
                "GitLab CI: GIT_DEPTH: 0), or pass --deepen")


def _resolve(repo: git.Repo, ref: str, what: str) -> str:
    import git

    try:
        return str(repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")).strip()
    except git.exc.GitCommandError:
        hint = ""
        if what == "base" and "/" not in ref:
            hint = f" (in CI, fetch it first: git fetch origin {ref}, and pass --base origin/{ref})"
        raise RepositoryError(f"{what} {ref!r} is not a commit in this repository{hint}") from None


def _merge_base(repo: git.Repo, base: str, head: str) -> str | None:
    import git

    try:
        return str(repo.git.merge_base(base, head)).strip() or None
    except git.exc.GitCommandError:
        return None


@hookimpl(trylast=True)
def frictionscan_compare_revisions(root: Path, base: str, head: str, deepen: bool,
                                   config: Config) -> RevisionDiff:
    import git

    repo = open_repo(root)
    worktree = head == "WORKTREE"
    base_sha = _resolve(repo, base, "base")
    head_sha = repo.head.commit.hexsha if worktree else _resolve(repo, head, "head")
    merge_base = _merge_base(repo, base_sha, head_sha)
    shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    if merge_base is None and shallow and deepen:
        for _ in range(8):  # deepen step by step (cheap for short-lived branches) ...
            try:
                repo.git.fetch("--deepen=100", "--quiet")
            except git.exc.GitCommandError as exc:
                raise RepositoryError(f"could not deepen the clone: "
                                      f"{git_message(exc.stderr, exc)}") from None
            merge_base = _merge_base(repo, base_sha, head_sha)
            if merge_base is not None:
                break
        else:  # ... and then fetch everything
            try:
                repo.git.fetch("--unshallow", "--quiet")
            except git.exc.GitCommandError as exc:
                raise RepositoryError(f"could not unshallow the clone: "
                                      f"{(exc.stderr or str(exc)).strip().splitlines()[-1]}") \
                    from None
            merge_base = _merge_base(repo, base_sha, head_sha)
    if merge_base is None:
        if shallow:
            raise RepositoryError(f"this is a shallow clone and the merge base of {base} and "
                                  f"{head} is not in it: history is truncated; {SHALLOW_HELP}")
        raise RepositoryError(f"{base} and {head} have no common history (unrelated "
                              f"histories); pass the branch the change is going into as --base")
    args = ["-M", "--name-status", "-z", merge_base] + ([] if worktree else [head_sha])
    changes, deleted = parse_name_status(repo.git.diff(*args, stdout_as_string=False))
    return RevisionDiff(base=base, head=head, merge_base=merge_base, head_sha=head_sha,
                        changes=tuple(changes), deleted=tuple(deleted), worktree=worktree,
                        **_change_commits(root, merge_base, head_sha, worktree))


def _change_commits(root: Path, merge_base: str, head_sha: str, worktree: bool
                    ) -> dict[str, tuple[str, ...]]:
    """The change's non-merge commits (``commits``, newest first) and the names (after
    ``.mailmap``) of its authors (``authors``): of those commits, and for the working tree
    the configured user as well."""
    try:
        out = run_git(root, "log", "--no-merges", "-z", "--format=%H %aN",
                      f"{merge_base}..{head_sha}", "--")
    except subprocess.CalledProcessError:
        out = b""
    entries = [e.decode("utf-8", "surrogateescape").strip().partition(" ")
               for e in out.split(b"\0") if e.strip()]
    commits = tuple(sha for sha, _, _ in entries)
    names = {name.strip() for _, _, name in entries}
    if worktree:
        try:
            ident = run_git(root, "var", "GIT_AUTHOR_IDENT").decode("utf-8", "surrogateescape")
            user = ident[:ident.rfind(">") + 1]  # "Name <email>", without the date
            names.add(run_git(root, "check-mailmap", user).decode(
                "utf-8", "surrogateescape").rsplit("<", 1)[0].strip())
        except (subprocess.CalledProcessError, ValueError):
            pass  # no user configured: nobody to leave out
    return {"authors": tuple(sorted(n for n in names if n)), "commits": commits}


@hookimpl(trylast=True)
def frictionscan_read_versions(root: Path, revision: str, paths: Sequence[str],
                               config: Config) -> dict[str, bytes]:
    """Blobs from the object database (GitPython keeps one `git cat-file --batch`)."""
    repo = open_repo(root)
    tree = repo.commit(revision).tree
    out: dict[str, bytes] = {}
    for path in paths:
        try:
            blob = tree / path
        except KeyError:
            continue
        if blob.type == "blob" and blob.mode != 0o120000:  # a symbolic link is not source
            out[path] = blob.data_stream.read()
    return out


@hookimpl(trylast=True)
def frictionscan_commits_after(root: Path, revision: str, until: datetime,
                               config: Config) -> list[Commit]:
    """Commits after ``revision`` up to ``until``, oldest first, with their changed paths
    (renames detected)."""
    repo = open_repo(root)
    stream = _stream(repo, "-z", "-M", f"--format={LOG_FORMAT}", "--name-status",
                     "--reverse", f"--until={until.isoformat()}", f"{revision}..HEAD")
    return list(parse_log(stream, numstat=False))
