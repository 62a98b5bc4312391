"""The X-ray (#14): each function's change history, checked against the brute-force
reference on a generated history, shown by every view, cached and incremental."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import frictionscan_functions
import pytest
from conftest import git
from frictionscan_functions.linemap import LineMap, carry_back, overlay
from frictionscan_functions.patches import parse_raw_log
from frictionscan_functions.reference import agreement, by_name, reference_history
from test_cli import run

from frictionscan.api import FunctionHistory, Span, SymbolKind, hookimpl
from frictionscan.testing import StreamBuilder, build_repo, run_scan

ANN, BOB, CY, DEE = (("Ann", "ann@x.test"), ("Bob", "bob@x.test"), ("Cy", "cy@x.test"),
                     ("Dee", "dee@x.test"))
SINCE = {"since": "5 years"}

TOTAL = '''def total(items):
    s = 0
    for i in items:
        s += i
    return s
'''
TOTAL_FIXED = '''def total(items):
    if not items:
        return 0
    s = 0
    for i in items:
        s += i
    return s
'''
OLD_NAME = '''def old_name(x):
    if x > 1:
        return x
    return 0
'''
CLAMP = '''def clamp(x):
    if x > 1:
        return x
    return -1
'''
DOOMED = '''def doomed(y):
    return y * 2
'''
CART = '''class Cart:
    def add(self, item):
        self.items.append(item)

    def remove(self, item):
        self.items.remove(item)
'''
CART_ADD = CART.replace("self.items.append(item)", "self.items.append(item)\n        return item")
CART_REMOVE = CART_ADD.replace("        self.items.remove(item)",
                               "        if item in self.items:\n"
                               "            self.items.remove(item)")
NESTED = '''def outer(n):
    def inner(k):
        return k + 1
    return inner(n)
'''
NESTED_CHANGED = NESTED.replace("return k + 1", "return k + 2")


def module(*parts: str) -> str:
    return "import os\n\n\n" + "\n\n".join(parts)


def history() -> tuple[StreamBuilder, dict[str, int]]:
    """Functions that grow (total), move (total below Cart), are renamed (old_name ->
    clamp), are deleted (doomed), change inside a closure (outer.inner), a file renamed
    (shop.py -> store.py), and a side branch merged back (Cart.remove)."""
    s = StreamBuilder()
    marks = {}
    marks["add"] = s.commit("2025-01-10", "add shop", {
        "src/shop.py": module(TOTAL, OLD_NAME, DOOMED, CART, NESTED)}, author=ANN)
    marks["grow"] = s.commit("2025-02-10", "Fix total for empty carts", {
        "src/shop.py": module(TOTAL_FIXED, OLD_NAME, DOOMED, CART, NESTED)}, author=BOB)
    marks["move"] = s.commit("2025-03-10", "move helpers", {
        "src/shop.py": module(OLD_NAME, DOOMED, CART, TOTAL_FIXED, NESTED)}, author=ANN)
    marks["rename"] = s.commit("2025-04-10", "rename old_name to clamp", {
        "src/shop.py": module(CLAMP, DOOMED, CART, TOTAL_FIXED, NESTED)}, author=CY)
    marks["delete"] = s.commit("2025-05-10", "remove doomed", {
        "src/shop.py": module(CLAMP, CART, TOTAL_FIXED, NESTED)}, author=BOB)
    marks["file"] = s.commit("2025-06-10", "rename the module", {
        "src/store.py": module(CLAMP, CART_ADD, TOTAL_FIXED, NESTED)},
        renames={"src/shop.py": "src/store.py"}, author=ANN)
    marks["side"] = s.commit("2025-07-10", "fix remove crash", {
        "src/store.py": module(CLAMP, CART_REMOVE, TOTAL_FIXED, NESTED)}, author=DEE,
        branch="feature")
    grown = TOTAL_FIXED.replace("    s = 0\n", "    s = 0\n    seen = set()\n")
    marks["main"] = s.commit("2025-07-20", "count seen items", {
        "src/store.py": module(CLAMP, CART_ADD, grown, NESTED)}, author=ANN)
    marks["merge"] = s.commit("2025-08-01", "Merge feature", {
        "src/store.py": module(CLAMP, CART_REMOVE, grown, NESTED)}, author=ANN,
        merge="feature")
    marks["closure"] = s.commit("2025-09-01", "closure tweak", {
        "src/store.py": module(CLAMP, CART_REMOVE, grown, NESTED_CHANGED)}, author=CY)
    s.commit("2025-10-01", "other file", {"src/other.py": "def other():\n    return 1\n"},
             author=BOB)
    return s, marks


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    s, _ = history()
    return build_repo(s.text(), tmp_path_factory.mktemp("xray") / "repo")


def sha_of(repo: Path, subject: str) -> str:
    return git(repo, "log", "--all", "--format=%H", f"--grep=^{subject}$").split()[0]


def xray(repo: Path, path: str = "src/store.py", **overrides: Any) -> dict[str, FunctionHistory]:
    result = run_scan(repo, xray=True, overrides={**SINCE, **overrides})
    h = next(h for h in result.hotspots if h.path == path)
    assert h.functions is not None
    return {f.name: f for f in h.functions}


def commits(repo: Path, f: FunctionHistory) -> set[str]:
    return {git(repo, "log", "-1", "--format=%s", c).strip() for c in f.commits}


def test_functions_keep_their_history_through_growth_moves_renames_and_merges(repo: Path
                                                                             ) -> None:
    found = xray(repo)
    assert set(found) == {"clamp", "Cart.add", "Cart.remove", "total", "outer",
                          "outer.inner"}
    # grew twice; moved below Cart without a change (not a change); renamed file followed
    assert commits(repo, found["total"]) == {"add shop", "Fix total for empty carts",
                                             "count seen items"}
    # renamed, and its body changed: its history from before the rename is its own
    assert commits(repo, found["clamp"]) == {"add shop", "rename old_name to clamp"}
    # changed on a side branch, merged back: the branch's commit, not the merge
    assert commits(repo, found["Cart.remove"]) == {"add shop", "fix remove crash"}
    assert commits(repo, found["Cart.add"]) == {"add shop", "rename the module"}
    # a change inside a closure changes the function around it too
    assert commits(repo, found["outer.inner"]) == {"add shop", "closure tweak"}
    assert commits(repo, found["outer"]) == {"add shop", "closure tweak"}
    total = found["total"]
    assert total.authors == ("Ann", "Bob") and total.fixes == 1
    assert total.lines_added == 5 + 2 + 1 and total.lines_deleted == 0
    assert total.last_change is not None and total.last_change.date().isoformat() == \
        "2025-07-20"
    assert total.complexity == 3 and total.score > found["Cart.add"].score > 0
    assert found["clamp"].lines_deleted == 2  # its def line, and "return 0"


def test_the_hunk_walk_agrees_with_the_brute_force_reference(repo: Path) -> None:
    result = run_scan(repo, xray=True, overrides=SINCE)
    h = next(h for h in result.hotspots if h.path == "src/store.py")
    reference = reference_history(repo, h.path, since=result.since,
                                  former_paths=h.analysis.history.former_paths)
    mine = by_name(h.functions or ())
    assert set(mine) == set(reference)
    figures = agreement({n: set(f.commits) for n, f in mine.items()}, reference)
    assert figures["precision"] == figures["recall"] == 1.0, figures
    assert figures["functions_exact"] == figures["functions"] == 6
    for name, f in mine.items():  # the line counts and authors agree too
        ref = reference[name]
        assert (f.lines_added, f.lines_deleted) == (ref.added, ref.deleted), name
        assert set(f.authors) == ref.authors, name


def test_the_reference_would_see_a_wrong_answer(repo: Path) -> None:
    """The agreement check can fail: a walk that ignores moves disagrees."""
    result = run_scan(repo, xray=True, overrides=SINCE)
    h = next(h for h in result.hotspots if h.path == "src/store.py")
    reference = reference_history(repo, h.path, since=result.since,
                                  former_paths=h.analysis.history.former_paths)
    wrong = {n: set(f.commits) for n, f in by_name(h.functions or ()).items()}
    wrong["total"].add(sha_of(repo, "move helpers"))
    assert agreement(wrong, reference)["precision"] < 1.0


def test_uncommitted_changes_move_the_lines_not_the_history(repo: Path,
                                                           tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    path = copy / "src" / "store.py"
    path.write_text("import os\n\n\ndef added_now():\n    return 0\n\n\n"
                    + path.read_text().split("\n\n\n", 1)[1])
    found = xray(copy)
    assert commits(copy, found["total"]) == {"add shop", "Fix total for empty carts",
                                             "count seen items"}
    assert found["added_now"].changes == 0 and found["added_now"].score == 0


def test_the_window_limits_the_history(repo: Path) -> None:
    found = xray(repo, since="2025-06-01")
    assert commits(repo, found["total"]) == {"count seen items"}
    assert found["clamp"].changes == 0 and found["clamp"].last_change is None


def test_only_the_files_that_reach_the_report_get_an_xray(repo: Path) -> None:
    result = run_scan(repo, xray=True, reach=1, overrides=SINCE)
    assert result.hotspots[0].functions is not None
    assert all(h.functions is None for h in result.hotspots[1:])
    assert result.stat("seconds_xray") is not None
    everything = run_scan(repo, xray=True, reach=1, overrides={**SINCE, "all_functions": True})
    assert all(h.functions is not None for h in everything.hotspots)
    without = run_scan(repo, reach=1, overrides=SINCE)
    assert all(h.functions is None for h in without.hotspots)
    assert without.stat("seconds_xray") is None


# -- caching and incrementality -------------------------------------------------------

def test_cached_and_brought_up_to_date_by_the_new_commits_only(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    logs: list[str] = []
    real = frictionscan_functions._log

    def spy(root: Path, revisions: str, since: Any, paths: Any) -> Any:
        logs.append(revisions)
        return real(root, revisions, since, paths)

    monkeypatch.setattr(frictionscan_functions, "_log", spy)
    old = git(copy, "rev-parse", "HEAD").strip()
    first = xray(copy, cache=True)
    assert logs == [old]
    assert xray(copy, cache=True) == first and logs == [old]  # warm: git log not run
    text = (copy / "src" / "store.py").read_text()
    (copy / "src" / "store.py").write_text(
        text.replace("def clamp(x):\n", "def clamp(x):\n    x = int(x)\n"))
    git(copy, "commit", "-qam", "Fix clamp on strings", "--author", "Eve <eve@x.test>")
    new = git(copy, "rev-parse", "HEAD").strip()
    updated = xray(copy, cache=True)
    assert logs == [old, f"{old}..{new}"]  # only the new commit was read
    assert commits(copy, updated["clamp"]) == {"add shop", "rename old_name to clamp",
                                               "Fix clamp on strings"}
    assert updated["clamp"].fixes == 1 and "Eve" in updated["clamp"].authors
    # the kept positions moved with the new line: the same answer as a fresh read
    assert updated == xray(copy, cache=False)
    assert {n: f.changes for n, f in updated.items() if n != "clamp"} == \
        {n: f.changes for n, f in first.items() if n != "clamp"}


def test_a_rewritten_history_is_read_again(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    xray(copy, cache=True)
    git(copy, "commit", "-q", "--amend", "-m", "other file, reworded")
    assert xray(copy, cache=True) == xray(copy, cache=False)


# -- the hook -------------------------------------------------------------------------

class OtherMapper:
    """A plugin that answers for one file: its records win over the built-in's."""

    @hookimpl
    def frictionscan_function_history(self, files: Any) -> list[FunctionHistory]:
        return [FunctionHistory(path=a.file.path, name="mine", kind=SymbolKind.FUNCTION,
                                span=Span(start_line=1, end_line=2), changes=9, score=9.0)
                for a in files if a.file.path == "src/other.py"]


def test_another_plugin_answers_for_its_files(repo: Path) -> None:
    result = run_scan(repo, plugins=[OtherMapper()], xray=True, overrides=SINCE)
    by_path = {h.path: h for h in result.hotspots}
    assert [f.name for f in by_path["src/other.py"].functions or ()] == ["mine"]
    assert {f.name for f in by_path["src/store.py"].functions or ()} >= {"total", "clamp"}


# -- every view ----------------------------------------------------------------------

def test_table_names_the_hot_function(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # off a terminal: the reason on one line
    code, out, err = run("scan", str(repo), "--format", "table", "--since", "5 years")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "src/store.py" in line)
    assert row.split()[-1] == "total" and "hot: total" not in out  # reasons under --why
    code, out, err = run("scan", str(repo), "--format", "table", "--since", "5 years",
                         "--why")
    assert code == 0, err
    assert "hot: total (cc 3, 3 of 9 changes)" in " ".join(out.split())


def test_json_lists_functions_by_score_with_their_history(repo: Path) -> None:
    code, out, err = run("scan", str(repo), "--format", "json", "--since", "5 years")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1 and doc["schema_minor"] >= 1
    store = next(h for h in doc["hotspots"] if h["path"] == "src/store.py")
    assert store["xray"] is True
    first = store["functions"][0]
    assert first["name"] == "total"
    assert {k: first[k] for k in ("changes", "lines_added", "lines_deleted", "authors",
                                  "fixes", "last_change")} == {
        "changes": 3, "lines_added": 8, "lines_deleted": 0, "authors": ["Ann", "Bob"],
        "fixes": 1, "last_change": "2025-07-20T00:00:00Z"}
    scores = [f["score"] for f in store["functions"]]
    assert scores == sorted(scores, reverse=True) and first["score"] > 0


def test_explain_shows_the_xray(repo: Path) -> None:
    code, out, err = run("explain", str(repo / "src" / "store.py"), "--since", "5 years")
    assert code == 0, err
    assert "X-ray: functions by function score" in out
    assert "6 of 6 functions take 78% of its changes" in out
    row = next(line for line in out.splitlines() if line.rstrip().endswith("total (20)"))
    assert row.split()[1:4] == ["3", "+8", "-0"]
    code, out, err = run("explain", str(repo / "src" / "store.py"), "--since", "5 years",
                         "--format", "json")
    doc = json.loads(out)
    assert [f["name"] for f in doc["xray"]][0] == "total" and len(doc["xray"]) == 6
    assert doc["concentration"]["of"] == 6


def test_plan_names_hot_functions_with_effort(repo: Path) -> None:
    code, out, err = run("plan", str(repo), "--since", "5 years")
    assert code == 0, err
    assert "| Hot functions |" in out
    assert "total (3 changes, cc 3, S)" in out.replace("\\", "")
    code, out, err = run("plan", str(repo), "--since", "5 years", "--format", "json")
    doc = json.loads(out)
    target = next(t for a in doc["areas"] for t in a["targets"]
                  if t["path"] == "src/store.py")
    assert target["functions"][0]["name"] == "total"
    assert target["functions"][0]["effort_band"] == "S"
    assert 1 <= len(target["functions"]) <= 3


def test_html_plan_has_the_xray_of_each_target(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    code, _, err = run("plan", str(repo), "--since", "5 years", "--format", "html",
                       "-o", str(out))
    assert code == 0, err
    page = out.read_text()
    assert "X-ray: functions by function score" in page
    assert "hot: <code>total</code>" in page


def test_repository_text_in_the_xray_is_escaped(tmp_path: Path) -> None:
    s = StreamBuilder()
    s.commit("2025-01-01", "add", {"a.py": "def _private_thing():\n    return 1\n"})
    s.commit("2025-02-01", "change", {"a.py": "def _private_thing():\n    return 2\n"},
             author=("Mal *bold* & @team", "m@x.test"))
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("plan", str(repo), "--since", "5 years")
    assert code == 0, err
    assert "\\_private\\_thing (2 changes, cc 1, S)" in out
    code, out, err = run("plan", str(repo), "--since", "5 years", "--format", "json")
    doc = json.loads(out)
    authors = doc["areas"][0]["targets"][0]["functions"][0]["authors"]
    assert authors == ["Ada Lovelace", "Mal *bold* & @team"]


# -- the pieces -------------------------------------------------------------------------

def test_a_line_map_carries_lines_back_and_overlays_branches() -> None:
    post = LineMap()
    # the commit kept lines 1-3, deleted old 4-5 (a gap after line 3), kept the rest
    pre = carry_back(post, [(1, 3, 1), (6, 100, 4)], [(4, 2, (3, 4, 4))])
    assert [pre.at(n) for n in (1, 3, 4, 5, 6, 7)] == [1, 3, (3, 4, 4), (3, 4, 4), 4, 5]
    other = LineMap()
    assert overlay(pre, other).at(4) == 4  # a line the other branch kept is still there


def test_raw_log_with_signatures_and_merges_parses() -> None:
    raw = (b"commit aaa bbb ccc (from ccc)\ntree t\nparent bbb\nparent ccc\n"
           b"author A B <a@x> 100 +0000\ncommitter C <c@x> 200 +0000\n"
           b"gpgsig -----BEGIN-----\n \n x\n -----END-----\n\n    Merge it\n\n"
           b"diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
           b"@@ -1,2 +1 @@\n--- not a header\n-b\n+++ not a header\n")
    entries = list(parse_raw_log(raw.splitlines(keepends=True)))
    assert len(entries) == 1
    e = entries[0]
    assert (e.sha, e.parent, e.merge, e.author, e.time, e.subject) == \
        ("aaa", "ccc", True, "A B", 200, "Merge it")
    hunk = e.files[0].hunks[0]
    assert hunk.removed == ["-- not a header", "b"] and hunk.added == ["++ not a header"]
