"""The git log parser and the history fold, without git."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from frictionscan_git.history import HistoryBuilder, HistoryState
from frictionscan_git.log import parse_log

from frictionscan.core.fixes import DEFAULT_FIX_PATTERN
from frictionscan.core.model import Commit, FileChange


def header(sha: str, subject: str, ts: int = 1_700_000_000, parents: str = "p1",
           author: str = "Ada") -> bytes:
    return (b"\x1e" + "\x1f".join([sha, parents, author, "ada@x", str(ts), subject]).encode()
            + b"\0")


NUMSTAT = (
    header("c3", "Merge branch 'x'", parents="p1 p2")
    + header("c2", "Rename a.py; fix crash")
    + b"\n0\t0\t\0src/a.py\0src/b.py\0"
    + b"-\t-\tlogo.png\0"
    + b"3\t1\tweird\tname \"q\"\n.py\0"
    + header("c1", "init")
    + b"\n10\t0\tsrc/a.py\0"
    + b"1\t0\t\xff\xfebad.py\0"
)


def test_numstat_renames_binary_merges_and_unusual_paths() -> None:
    commits = list(parse_log([NUMSTAT]))
    assert [c.sha for c in commits] == ["c3", "c2", "c1"]
    merge, rename, init = commits
    assert merge.is_merge and merge.changes == ()
    assert rename.changes[0] == FileChange(path="src/b.py", old_path="src/a.py")
    assert rename.changes[1] == FileChange(path="logo.png", binary=True)
    assert rename.changes[2].path == 'weird\tname "q"\n.py'
    assert rename.changes[2].added == 3 and rename.changes[2].deleted == 1
    assert init.changes[0] == FileChange(path="src/a.py", added=10)
    # undecodable bytes survive the round trip to the file system
    assert init.changes[1].path.encode("utf-8", "surrogateescape") == b"\xff\xfebad.py"
    assert init.when == datetime.fromtimestamp(1_700_000_000, tz=timezone.utc)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_any_chunking_gives_the_same_commits(size: int) -> None:
    chunks = [NUMSTAT[i:i + size] for i in range(0, len(NUMSTAT), size)]
    assert list(parse_log(chunks)) == list(parse_log([NUMSTAT]))


def test_name_status() -> None:
    data = (header("c2", "move") + b"\nR087\0old.py\0new.py\0M\0x.py\0D\0gone.py\0"
            + header("c1", "add") + b"\nA\0old.py\0C75\0old.py\0copy.py\0")
    c2, c1 = parse_log([data], numstat=False)
    assert [(ch.path, ch.old_path) for ch in c2.changes] == [
        ("new.py", "old.py"), ("x.py", None), ("gone.py", None)]
    assert [ch.path for ch in c1.changes] == ["old.py", "copy.py"]


def test_subject_with_separators_is_kept() -> None:
    (c,) = parse_log([header("c1", "a\x1fb")])
    assert c.subject == "a\x1fb"


NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def commit(sha: str, days_ago: float, subject: str, *changes: FileChange,
           author: str = "Ada", parents: tuple[str, ...] = ("p",)) -> Commit:
    from datetime import timedelta

    return Commit(sha=sha, parents=parents, author=author, email="a@x",
                  when=NOW - timedelta(days=days_ago), subject=subject, changes=changes)


def test_history_follows_renames_and_counts_window_only() -> None:
    b = HistoryBuilder(["src/c.py"], now=NOW, half_life_days=90, fix_pattern=DEFAULT_FIX_PATTERN)
    b.add(commit("5", 0, "Fix bug in c", FileChange(path="src/c.py", added=2, deleted=1)),
          in_window=True)
    b.add(commit("4", 30, "rename", FileChange(path="src/c.py", old_path="src/b.py")),
          in_window=True)
    b.add(commit("3", 60, "prefix handling", FileChange(path="src/b.py", added=5),
                 author="Grace"), in_window=True)
    b.add(commit("2", 400, "rename", FileChange(path="src/b.py", old_path="a.py")),
          in_window=False)
    b.add(commit("1", 900, "init", FileChange(path="a.py", added=50)), in_window=False)
    b.add(commit("0", 10, "merge", parents=("a", "b")), in_window=True)
    (h,) = b.build()
    assert h.revisions == 3
    assert (h.added, h.deleted) == (7, 1)
    assert h.authors == ("Ada", "Grace")
    assert h.fixes == 1  # "prefix" is not a fix
    assert h.former_paths == ("src/b.py", "a.py")
    assert h.age_days == 900 and h.idle_days == 0
    assert h.recency == pytest.approx(1 + 0.5 ** (30 / 90) + 0.5 ** (60 / 90), rel=1e-5)
    assert b.commits_in_window == 4


def test_deleted_files_are_ignored() -> None:
    b = HistoryBuilder(["keep.py"], now=NOW, half_life_days=90, fix_pattern="fix")
    b.add(commit("1", 1, "x", FileChange(path="gone.py", added=1)), in_window=True)
    assert b.build() == ()


@pytest.mark.parametrize("subject,is_fix", [
    ("Fix crash on empty input", True), ("fixes #12", True), ("Bugfix: off by one", True),
    ("hotfix", True), ("Handle regression in parser", True),
    ("Add prefix option", False), ("Refactor suffix tree", False), ("Improve docs", False),
])
def test_fix_heuristic(subject: str, is_fix: bool) -> None:
    b = HistoryBuilder(["a.py"], now=NOW, half_life_days=90, fix_pattern=DEFAULT_FIX_PATTERN)
    b.add(commit("1", 1, subject, FileChange(path="a.py")), in_window=True)
    assert b.build()[0].fixes == int(is_fix)


def test_a_history_state_of_another_shape_is_refused() -> None:
    good = HistoryState(head="abc", older=[1, True]).to_json()
    assert HistoryState.from_json(good).older == [1, True]
    for bad in ({**good, "older": "x"}, {**good, "older": [1]}, {k: v for k, v in good.items()
                                                                 if k != "number"}):
        with pytest.raises((KeyError, TypeError, ValueError)):
            HistoryState.from_json(bad)
