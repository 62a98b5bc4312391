"""Where the team is about to work, from evidence (issue #20): unmerged branches, tracker
exports and CODEOWNERS, weighed by the roadmap and shown in the scan and the plan."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from frictionscan_evidence import codeowners
from frictionscan_evidence.mentions import PathIndex
from test_cli import assert_one_line_error, run

from frictionscan.core.errors import ExitCode
from frictionscan.core.model import Evidence, Hotspot, ScanResult, WorkItem
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec
from frictionscan.plugin.markers import hookimpl
from frictionscan.testing import StreamBuilder, build_repo, run_scan


def body(branches: int) -> str:
    """A function with ``branches`` ifs (complexity ``branches + 1``)."""
    return "def f(a):\n" + "".join(f"    if a == {i}:\n        return {i}\n"
                                   for i in range(branches)) + "    return -1\n"


FILES = ("src/payments/api.py", "src/payments/models.py", "src/core/engine.py",
         "src/core/util.py", "src/legacy/old.py", "setup.py")
CODEOWNERS = """\
# who reviews what
*                @org/core
src/payments/    @org/payments @alice   # the payments team
/src/legacy/
!src/core/util.py @nobody
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


def evidence_repo(dest: Path, *, hostile: str = "", codeowners_file: str = CODEOWNERS,
                  where: str = ".github/CODEOWNERS") -> Path:
    """main (HEAD 2026-03-10) with six files; two unmerged branches (feature/payments-v2,
    last commit 2026-03-07, and fix/engine, 2026-03-09); a stale one (2025-12-01) and a
    merged one; CODEOWNERS at ``where``."""
    s = StreamBuilder()
    s.commit("2025-11-01", "start", {**{f: body(4) for f in FILES}, where: codeowners_file,
                                     "README.md": "hello\n"})
    s.commit("2025-11-20", "touch util", {"src/core/util.py": body(5)})
    s.commit("2025-12-01", "stale work", {"src/core/util.py": body(30)}, branch="old-idea")
    for day in range(1, 20):
        s.commit(f"2026-02-{day:02d}", f"work {day}",
                 {"src/payments/api.py": body(6 + day % 3),
                  "src/payments/models.py": body(5 + day % 2),
                  "src/core/engine.py": body(9 + day % 4)})
    s.commit("2026-02-25", "topic", {"src/core/engine.py": body(14)}, branch="topic")
    s.commit("2026-02-26", "merge topic", {"src/core/engine.py": body(14)}, merge="topic")
    s.commit("2026-03-05", "payments v2", {"src/payments/api.py": body(20),
                                          "docs/payments.md": "v2\n"},
             branch="feature/payments-v2")
    s.commit("2026-03-07", "refund", {"src/payments/new_refunds.py": body(3)},
             branch="feature/payments-v2")
    s.commit("2026-03-10", "main moves", {"src/core/engine.py": body(12)})
    s.commit("2026-03-09", "engine fix", {"src/core/engine.py": body(13)},
             branch=hostile or "fix/engine")
    return build_repo(s.text(), dest)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    return evidence_repo(tmp_path_factory.mktemp("evidence") / "repo")


def weights(result: ScanResult) -> dict[str, tuple[float, str]]:
    """Each file's roadmap factor and reasons."""
    out = {}
    for h in result.hotspots:
        reasons = "; ".join(w.reason for w in h.analysis.weights)
        out[h.path] = (h.component("focus") or 1.0, reasons)
    return out


def hotspot(result: ScanResult, path: str) -> Hotspot:
    return next(h for h in result.hotspots if h.path == path)


# -- work in flight from git ----------------------------------------------------------------


def test_unmerged_branches_weigh_the_files_they_touch(repo: Path) -> None:
    result = run_scan(repo)
    w = weights(result)
    assert w["src/payments/api.py"] == (1.2, "in flight: 1 open branch touches it: "
                                             "`feature/payments-v2` (3 files, last commit "
                                             "3 days ago): x1.2")
    assert w["src/core/engine.py"] == (1.2, "in flight: 1 open branch touches it: "
                                            "`fix/engine` (1 file, last commit 1 day ago): "
                                            "x1.2")
    # the directory's other files: no weight (the look-back found none beyond churn)
    assert w["src/payments/models.py"] == (1.0, "")
    # the stale branch (idle 99 days) and the merged one count for nothing
    assert w["src/core/util.py"][0] == 1.0 and "old-idea" not in w["src/core/util.py"][1]
    assert result.evidence is not None
    assert {i.key for i in result.evidence.items} == {"feature/payments-v2", "fix/engine"}
    assert "git: 2 unmerged branches (main: main, 1 idle longer than 60 days ignored)" \
        in result.evidence.sources
    # areas in flight: the directories, the files touched, the owning team
    flight = {a.name: a for a in result.focus.in_flight} if result.focus else {}
    assert set(flight) == {"src/payments/", "src/core/"}
    assert flight["src/payments/"].touched == ("src/payments/api.py",)
    assert flight["src/payments/"].team == "@org/payments @alice"


def test_stale_after_and_max_branches(repo: Path) -> None:
    result = run_scan(repo, overrides={"evidence.stale_after": "200 days",
                                       "evidence.max_branches": 2})
    keys = [i.key for i in result.evidence.items] if result.evidence else []
    assert keys == ["fix/engine", "feature/payments-v2"]  # the two most recent
    assert any("1 more unmerged branch not read (evidence.max_branches = 2" in w
               for w in result.warnings)
    result = run_scan(repo, overrides={"evidence.stale_after": "2 days"})
    assert [i.key for i in result.evidence.items] == ["fix/engine"] if result.evidence \
        else False


def test_remote_tracking_branches_count_once_and_origin_head_names_main(
        tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "repo")
    for branch in ("main", "feature/payments-v2", "fix/engine"):
        git(repo, "update-ref", f"refs/remotes/origin/{branch}", branch)
    git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    git(repo, "branch", "-D", "feature/payments-v2")  # only on the remote now
    result = run_scan(repo)
    assert result.evidence is not None
    assert sorted(i.key for i in result.evidence.items) == ["feature/payments-v2",
                                                            "fix/engine"]
    assert any("main: origin/main" in s for s in result.evidence.sources)
    assert weights(result)["src/payments/api.py"][0] == 1.2
    # the branch being scanned is not work in flight beside itself
    git(repo, "checkout", "-q", "fix/engine")
    result = run_scan(repo)
    assert [i.key for i in result.evidence.items] == ["feature/payments-v2"] \
        if result.evidence else False


def test_release_lines_are_not_work_in_flight(tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "repo")
    for name in ("3.1.x", "release/3.2", "v4"):
        git(repo, "update-ref", f"refs/heads/{name}", "fix/engine")
    result = run_scan(repo)
    assert result.evidence is not None
    assert sorted(i.key for i in result.evidence.items) == ["feature/payments-v2",
                                                            "fix/engine"]
    result = run_scan(repo, overrides={"evidence.ignore_branches": ["v*"]})
    assert result.evidence is not None
    assert sorted(i.key for i in result.evidence.items) == [
        "3.1.x", "feature/payments-v2", "fix/engine", "release/3.2"]


def test_a_branch_without_common_history_is_named_in_a_warning(tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "--orphan", "lonely")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-qm",
                    "alone"], cwd=repo, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2026-03-08T00:00:00Z",
                        "GIT_COMMITTER_DATE": "2026-03-08T00:00:00Z"})
    git(repo, "checkout", "-q", "main")
    result = run_scan(repo)
    assert "evidence: 1 unmerged branch shares no history with main (a shallow clone?), not " \
           "read" in result.warnings
    assert result.evidence is not None and len(result.evidence.items) == 2


def test_main_branch_is_configurable_and_checked(repo: Path, tmp_path: Path) -> None:
    code, _, err = run("scan", str(repo), "--format", "json", "--config",
                       str(config(tmp_path, "[evidence]\nmain = 'trunk'\n")))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR,
                          "evidence.main: no branch named 'trunk'")
    result = run_scan(repo, overrides={"evidence.main": "fix/engine"})
    assert result.evidence is not None
    assert [i.key for i in result.evidence.items] == ["feature/payments-v2"]


def test_without_a_main_branch_a_warning_says_so(tmp_path: Path) -> None:
    s = StreamBuilder(branch="develop")
    s.commit("2026-01-01", "start", {"a.py": body(3)})
    s.commit("2026-01-02", "more", {"a.py": body(4)}, branch="topic")
    repo = build_repo(s.text(), tmp_path / "repo", branch="develop")
    result = run_scan(repo)
    assert any("no main branch found" in w and "evidence.main" in w for w in result.warnings)
    result = run_scan(repo, overrides={"evidence.main": "develop"})
    assert weights(result)["a.py"][0] == 1.2


def test_no_evidence_turns_it_off(repo: Path, tmp_path: Path) -> None:
    code, out, err = run("scan", str(repo), "--format", "json", "--no-evidence")
    assert code == 0, err
    doc = json.loads(out)
    assert all(not h["focus"]["reasons"] for h in doc["hotspots"]
               if h["path"].startswith("src/payments/"))
    assert doc["evidence"] == {"sources": [], "in_flight": []}
    assert all(h["team"] is None for h in doc["hotspots"])
    result = run_scan(repo, overrides={"evidence.enabled": False})
    assert result.evidence == Evidence() and result.focus and not result.focus.in_flight
    code, out, _ = run("scan", str(repo), "--format", "json")
    doc = json.loads(out)
    assert {a["name"] for a in doc["evidence"]["in_flight"]} == {"src/payments/", "src/core/"}
    assert next(h for h in doc["hotspots"]
                if h["path"] == "src/payments/api.py")["team"] == "@org/payments @alice"


def test_a_constant_number_of_git_processes_per_branch(repo: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = subprocess.Popen.__init__

    def counting(self, args, *a, **kw):  # type: ignore[no-untyped-def]
        if isinstance(args, (list, tuple)) and args and "git" in str(args[0]):
            calls.append([str(x) for x in args])
        real(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", counting)
    run_scan(repo)
    evidence = [c for c in calls if {"for-each-ref", "diff"} & set(c)
                or any("CODEOWNERS" in x for x in c) or c[1:3] == ["cat-file", "blob"]]
    # branches, unmerged branches, one diff per branch kept, CODEOWNERS: where and its text
    assert len(evidence) == 6, evidence
    assert len([c for c in evidence if "diff" in c]) == 2


# -- the tracker ----------------------------------------------------------------------------


PRS = [
    {"number": 482, "title": "Refunds", "headRefName": "feature/refunds",
     "updatedAt": "2026-03-08T10:00:00Z", "labels": [{"name": "payments"}],
     "milestone": {"title": "v2.0"},
     "files": [{"path": "src/payments/models.py", "additions": 10, "deletions": 2},
               {"path": "docs/refunds.md", "additions": 5, "deletions": 0}]},
    {"number": 490, "title": "Payments v2", "headRefName": "feature/payments-v2",
     "updatedAt": "2026-03-07T10:00:00Z", "labels": [], "milestone": None,
     "files": [{"path": "src/payments/api.py", "additions": 100, "deletions": 3}]},
    {"number": 12, "title": "an old pull request", "updatedAt": "2025-01-01T00:00:00Z",
     "files": [{"path": "setup.py", "additions": 1, "deletions": 1}]},
]
ISSUES = [
    {"number": 7, "title": "Speed up core.util", "body": "The loop in `util` is slow",
     "labels": [], "milestone": {"title": "v2.0"}},
    {"number": 8, "title": "Retire the legacy code",
     "body": "see https://github.com/org/repo/blob/main/src/legacy/old.py#L3",
     "labels": [{"name": "cleanup"}]},
    {"number": 9, "title": "Nothing we scan", "body": "docs only", "labels": []},
]


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def exports(tmp_path: Path) -> list[str]:
    return [str(write(tmp_path / "prs.json", json.dumps(PRS))),
            str(write(tmp_path / "issues.json", json.dumps(ISSUES)))]


def test_pull_requests_and_issues_from_gh_exports(repo: Path, tmp_path: Path) -> None:
    result = run_scan(repo, overrides={"evidence.tracker": exports(tmp_path),
                                        "kinds": ["all"]})  # setup.py is tooling
    w = weights(result)
    # PR #490 lives on feature/payments-v2: one item, the branch's diff and the PR's number
    assert w["src/payments/api.py"] == (1.2, "in flight: 1 open pull request touches it: "
                                             "PR #490 `feature/payments-v2` (3 files, last "
                                             "commit 3 days ago): x1.2")
    assert w["src/payments/models.py"] == (1.2, "in flight: 1 open pull request touches it: "
                                                "PR #482 `feature/refunds` (2 files, updated "
                                                "1 day ago): x1.2")
    # issues name files through module names and links; a stale PR counts for nothing
    assert w["src/core/util.py"] == (1.2, "in flight: 1 planned issue names it: issue #7 "
                                          "(milestone v2.0): x1.2")
    assert "issue #8" in w["src/legacy/old.py"][1]
    assert "PR #12" not in w["setup.py"][1]
    assert result.evidence is not None
    assert "prs.json: 2 of 3 items" in result.evidence.sources
    assert "issues.json: 3 of 3 items" in result.evidence.sources
    assert [i.key for i in result.evidence.items if i.kind == "branch"] == ["fix/engine"]


def test_csv_export(repo: Path, tmp_path: Path) -> None:
    rows = ("kind,id,title,paths,labels,milestone,updated\n"
            "pr,77,Speed,src/core/util.py;docs/x.md,perf,,2026-03-09\n"
            "issue,PAY-3,Refund rules for payments.models,,,Q2,\n"
            "branch,spike/x,,setup.py,,,2026-03-01T08:00:00+01:00\n")
    export = write(tmp_path / "tracker.csv", rows)
    result = run_scan(repo, overrides={"evidence.tracker": [str(export)], "kinds": ["all"]})
    w = weights(result)
    assert w["src/core/util.py"][1] == ("in flight: 1 open pull request touches it: PR #77 "
                                        "(2 files, updated 1 day ago): x1.2")
    assert w["src/payments/models.py"][1] == ("in flight: 1 planned issue names it: issue "
                                              "PAY-3 (milestone Q2): x1.2")
    assert w["setup.py"][1].startswith("in flight: 1 open branch touches it: `spike/x` (1 "
                                       "file, last commit 8 days ago)")


def test_tracker_flag_is_repeatable_and_relative_to_the_current_directory(
        repo: Path, tmp_path: Path) -> None:
    exports(tmp_path)
    code, out, err = run("scan", str(repo), "--format", "json", "--tracker", "prs.json",
                         "--tracker", "issues.json", cwd=tmp_path)
    assert code == 0, err
    doc = json.loads(out)
    assert {"prs.json: 2 of 3 items", "issues.json: 3 of 3 items"} <= \
        set(doc["evidence"]["sources"])


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("prs.json", "[{\"number\": 1,", "tracker export prs.json: not valid JSON"),
    ("prs.json", "{\"number\": 1}", "expected a JSON list of pull requests or issues"),
    ("prs.json", "[{\"title\": \"x\"}]", "item 1: 'number' must be an integer, got nothing"),
    ("prs.json", "[{\"number\": 1, \"files\": [\"a.py\"]}]",
     "item 1: files[0] must be an object with a 'path'"),
    ("prs.json", "[{\"number\": 1, \"labels\": [3]}]", "labels[0] must be a name"),
    ("prs.json", "[{\"number\": 1, \"updatedAt\": \"yesterday\"}]",
     "updatedAt must be an ISO date or time, got 'yesterday'"),
    ("t.csv", "kind,id,path\npr,1,a.py\n", "unknown column 'path' (known: kind, id,"),
    ("t.csv", "id,title\n1,x\n", "no 'kind' column"),
    ("t.csv", "kind,id\nepic,1\n", "line 2: kind must be branch, pr or issue, got 'epic'"),
    ("t.csv", "kind,id\npr,1,extra\n", "line 2: more cells than columns"),
    ("t.csv", b"kind,id\npr,\xff\n", "not UTF-8 text"),
    ("t.csv", "kind,id,id\npr,1,2\n", "column 'id' appears twice"),
    ("t.csv", "kind,id,title\npr,1,\"never closed\n", "not valid CSV"),
    ("missing.json", None, "tracker export missing.json: no such file"),
])
def test_a_malformed_export_is_one_line(repo: Path, tmp_path: Path, name: str,
                                        content: str | bytes | None, needle: str) -> None:
    if isinstance(content, str):
        (tmp_path / name).write_text(content)
    elif content is not None:
        (tmp_path / name).write_bytes(content)
    code, _, err = run("scan", str(repo), "--format", "json", "--tracker", name, cwd=tmp_path)
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR, needle)


# -- typed-in focus areas still work and win --------------------------------------------------


def config(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "roadmap.toml", text)


ROADMAP = """\
[[focus]]
name = "Payments"
paths = ["src/payments/**"]
horizon = "3 months"
labels = ["payments"]

[[focus]]
name = "Legacy"
paths = ["src/legacy/**"]
goal = "retire"
"""


def test_typed_in_focus_areas_win_and_say_the_work(repo: Path, tmp_path: Path) -> None:
    roadmap = config(tmp_path, ROADMAP)
    issues = write(tmp_path / "issues.json", json.dumps([
        {"number": 5, "title": "Payments in euros", "body": "", "labels": [{"name": "Payments"}],
         "milestone": {"title": "v2.0"}}]))
    result = run_scan(repo, config_file=str(roadmap),
                      overrides={"evidence.tracker": [str(issues)]})
    w = weights(result)
    assert w["src/payments/api.py"] == (3.0, (
        "focus area 'Payments' (3 months): x3; in flight: 1 open branch touches it: "
        "`feature/payments-v2` (3 files, last commit 3 days ago); 1 planned issue names it: "
        "issue #5 (milestone v2.0; labelled for Payments)"))
    # the label maps the issue to every file of the area
    assert "issue #5" in w["src/payments/models.py"][1] and w["src/payments/models.py"][0] == 3
    # a retired area stays retired, whatever the work in flight
    legacy = write(tmp_path / "legacy.json", json.dumps([
        {"number": 6, "title": "touch src/legacy/old.py", "labels": []}]))
    result = run_scan(repo, config_file=str(roadmap),
                      overrides={"evidence.tracker": [str(legacy)]})
    factor, reason = weights(result)["src/legacy/old.py"]
    assert factor == 0.1 and reason.startswith("focus area 'Legacy' (goal retire): x0.1; in "
                                               "flight: 1 planned issue names it: issue #6")


def test_evidence_lifts_the_dormancy_discount_next_to_work_in_flight(
        repo: Path, tmp_path: Path) -> None:
    far = {"roadmap.dormant_after": "60 days", "since": "24 months"}
    w = weights(run_scan(repo, overrides=far))
    assert w["src/core/util.py"][0] == 1.0  # next to fix/engine: not dormant
    assert w["src/core/util.py"][1].startswith("unchanged for 4 months, but not dormant: 1 "
                                               "open branch touches this directory: "
                                               "`fix/engine`")
    assert w["src/legacy/old.py"][0] == 0.5  # no work nearby: dormant
    w = weights(run_scan(repo, overrides={**far, "evidence.enabled": False}))
    assert w["src/core/util.py"][0] == 0.5
    w = weights(run_scan(repo, overrides={"roadmap.evidence_weight": 2.0,
                                          "roadmap.evidence_area_weight": 1.5}))
    assert w["src/payments/api.py"][0] == 2.0
    assert w["src/payments/models.py"] == (1.5, "in flight nearby: 1 open branch touches "
                                                "this directory: `feature/payments-v2` (3 "
                                                "files, last commit 3 days ago) "
                                                "(src/payments/): x1.5")


# -- the past: only what was knowable then ------------------------------------------------------


def test_past_revisions_get_evidence_only_as_of_now(repo: Path) -> None:
    session = Session.start(PluginSpec())
    cfg = session.configure(repo, overrides={"cache": False})
    head = run_scan(repo)
    old = git(repo, "rev-parse", "HEAD~3")
    past = session.scan(cfg, Run(revision=old), in_process=True)  # backtest: as of then
    assert past.evidence is not None and not past.evidence.items
    assert past.focus is not None and not past.focus.in_flight
    # ci's merge base is scanned as of the head's time: the head's evidence, the same weights
    base = session.scan(cfg, Run(revision=old, now=head.head_time,
                                 paths=("src/payments/api.py",)), in_process=True)
    assert base.evidence is not None and head.evidence is not None
    assert [i.key for i in base.evidence.items] == [i.key for i in head.evidence.items]
    assert weights(base)["src/payments/api.py"][0] == 1.2


def test_another_plugin_can_add_evidence(repo: Path) -> None:
    class Jira:
        @hookimpl
        def frictionscan_evidence(self) -> Evidence:
            return Evidence(items=(WorkItem(kind="issue", key="PAY-1",
                                            paths=("setup.py",), source="jira"),),
                            sources=("jira: 1 issue",))

    result = run_scan(repo, plugins=[Jira()], overrides={"kinds": ["all"]})
    assert result.evidence is not None and "jira: 1 issue" in result.evidence.sources
    assert weights(result)["setup.py"] == (1.2, "in flight: 1 planned issue names it: issue "
                                                "PAY-1: x1.2")
    assert len(result.evidence.items) == 3  # joined with the git plugin's branches


# -- CODEOWNERS -------------------------------------------------------------------------------


def owners_of(text: str, paths: list[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    parsed = codeowners.parse(text, "CODEOWNERS")
    return {o.path: (o.team, o.owners) for o in parsed.ownership(paths)}


def test_github_codeowners_last_match_wins() -> None:
    text = CODEOWNERS + "\\#notes.txt @org/docs\n*.md @org/docs  # docs\ndocs/* @writers\n"
    got = owners_of(text, ["src/payments/api.py", "src/core/util.py", "src/legacy/old.py",
                           "#notes.txt", "README.md", "docs/a.md", "docs/b/c.md"])
    assert got["src/payments/api.py"] == ("@org/payments @alice", ("@org/payments", "@alice"))
    assert got["src/core/util.py"] == ("@org/core", ("@org/core",))  # "!" is ignored
    assert got["src/legacy/old.py"] == ("", ())  # a pattern without owners: unowned
    assert got["#notes.txt"][0] == "@org/docs"
    assert got["README.md"][0] == "@org/docs"
    assert got["docs/a.md"][0] == "@writers"  # the later rule wins
    assert got["docs/b/c.md"][0] == "@org/docs"  # docs/* is one level only


def test_an_area_belongs_to_the_team_of_most_of_its_files() -> None:
    from frictionscan_roadmap.inflight import in_flight_areas

    from frictionscan.core.config import Config
    from frictionscan.core.model import Ownership

    work = (WorkItem(kind="branch", key="b", paths=("pkg/a.py",)),
            WorkItem(kind="branch", key="c", paths=("lib/a.py",)))
    owners = (Ownership(path="pkg/a.py", owners=("@x",), team="@x"),
              Ownership(path="pkg/b.py"), Ownership(path="pkg/c.py"),
              Ownership(path="lib/a.py", owners=("@y",), team="@y"),
              Ownership(path="lib/b.py", owners=("@z",), team="@z"),
              Ownership(path="lib/c.py", owners=("@z",), team="@z"))
    areas = in_flight_areas(Evidence(items=work, owners=owners), Config(root="."),
                            datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert {a.name: a.team for a in areas} == {"pkg/": "", "lib/": "@z"}


def test_gitlab_codeowners_sections() -> None:
    text = """\
* @general
[Documentation] @docs-team
docs/
README.md @tech-writer
^[Database][2] @dba
model/db/
[documentation]
guides/
"""
    got = owners_of(text, ["docs/a.md", "README.md", "model/db/x.py", "guides/g.md",
                           "src/app.py"])
    assert got["docs/a.md"] == ("@docs-team", ("@docs-team", "@general"))
    assert got["README.md"] == ("@tech-writer", ("@tech-writer", "@general"))
    assert got["model/db/x.py"] == ("@dba", ("@dba", "@general"))
    assert got["guides/g.md"][0] == "@docs-team"  # same section, any case
    assert got["src/app.py"] == ("@general", ("@general",))


def test_codeowners_locations_and_bad_patterns(tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "gitlab", codeowners_file="[Payments] @pay\nsrc/payments/\n"
                         "src/core/bad\\\n", where=".gitlab/CODEOWNERS")
    result = run_scan(repo)
    assert "evidence: .gitlab/CODEOWNERS line 3: pattern 'src/core/bad\\\\' is not a valid " \
           "pattern; the line is ignored" in result.warnings
    assert result.evidence is not None
    owner = result.evidence.owner_of("src/payments/api.py")
    assert owner is not None and owner.team == "@pay"
    assert any(s.startswith(".gitlab/CODEOWNERS: 2 of ") for s in result.evidence.sources)
    code, _, err = run("scan", str(repo), "--format", "json", "--config",
                       str(config(tmp_path, "[evidence]\ncodeowners = 'OWNERS'\n")))
    assert_one_line_error(code, err, ExitCode.USAGE_ERROR,
                          "evidence.codeowners: 'OWNERS' is not a file in the repository")


def test_a_codeowners_link_is_not_followed(tmp_path: Path) -> None:
    s = StreamBuilder()
    s.commit("2026-01-01", "start", {"a.py": body(3), "owners.txt": "* @evil\n",
                                     "CODEOWNERS": "owners.txt"},
             modes={"CODEOWNERS": "120000"})
    repo = build_repo(s.text(), tmp_path / "repo")
    assert (repo / "CODEOWNERS").read_text() == "* @evil\n"  # what following it would read
    result = run_scan(repo)
    assert result.evidence is not None and not result.evidence.owners


# -- mentions -------------------------------------------------------------------------------


def test_paths_and_module_names_in_text() -> None:
    index = PathIndex(["src/app/core/engine.py", "src/app/core/__init__.py", "src/app/api.py",
                       "tests/test_api.py", "a/util.py", "b/util.py", "c/util.py",
                       "d/util.py"])
    assert index.mentioned("slow in app.core.engine, see app.api") == {
        "src/app/core/engine.py", "src/app/api.py"}
    assert index.mentioned("the app.core package") == {"src/app/core/engine.py",
                                                      "src/app/core/__init__.py"}
    assert index.mentioned("https://x/org/repo/blob/main/src/app/api.py#L10") == {
        "src/app/api.py"}
    assert index.mentioned("under src/app/core/ and ./tests/test_api.py") == {
        "src/app/core/engine.py", "src/app/core/__init__.py", "tests/test_api.py"}
    assert index.mentioned("api.py and test_api.py") == {"src/app/api.py",
                                                         "tests/test_api.py"}
    assert index.mentioned("util.py is everywhere; e.g. engine, core, app") == set()


# -- the plan -------------------------------------------------------------------------------


def test_plan_shows_work_in_flight_first_and_targets_by_team(repo: Path,
                                                            tmp_path: Path) -> None:
    prs = write(tmp_path / "prs.json", json.dumps(PRS))
    code, out, err = run("plan", str(repo), "--tracker", str(prs))
    assert code == 0, err
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    # payments and the engine change together across packages: a hidden dependency of
    # the targets in flight
    assert sections == ["## In flight", "## Everywhere else", "## Hidden dependencies",
                        "## By team", "## Trend since 2025-11-20", "## Quick wins"]
    assert "### src/payments/ (x1.2 for the files the work touches, team " \
           "@\u200borg/payments @\u200balice)" in out
    assert "- PR #490 `feature/payments-v2` (3 files, last commit 3 days ago): " \
           "Payments v2" in out
    assert "- branch `fix/engine` (1 file, last commit 1 day ago)" in out
    assert "| @\u200borg/payments @\u200balice | src/payments/" in out
    assert "| (no owner) | src/legacy/old.py (#" in out
    assert "- Work in flight (1 branch, 2 pull requests) in 2 directories: 4 refactor " \
           "targets there come first." in out
    # targets in the areas in flight are not repeated under "Everywhere else"
    everywhere = out.split("## Everywhere else")[1].split("## Hidden dependencies")[0]
    assert "src/payments/" not in everywhere and "src/core/engine.py" not in everywhere

    code, out, err = run("plan", str(repo), "--tracker", str(prs), "--format", "json")
    doc = json.loads(out)
    payments = next(a for a in doc["in_flight"] if a["name"] == "src/payments/")
    assert payments["team"] == "@org/payments @alice"
    assert [w["key"] for w in payments["work"]] == ["#482", "#490"]
    assert payments["targets"][0]["team"] == "@org/payments @alice"
    assert [t["team"] for t in doc["teams"]] == ["@org/core", "@org/payments @alice",
                                                 "(no owner)"]

    code, out, err = run("plan", str(repo), "--tracker", str(prs), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    flying = [r for r in rows if r["section"] == "in-flight"]
    assert {r["area"] for r in flying} == {"src/payments/", "src/core/"}
    # a cell starting with @ is one a spreadsheet would run: neutralised, as every cell
    assert {r["team"] for r in flying} == {"'@org/payments @alice", "'@org/core"}


def test_plan_without_evidence_is_unchanged(repo: Path) -> None:
    code, out, err = run("plan", str(repo), "--no-evidence")
    assert code == 0, err
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    # the evidence sections are gone; the others (hidden dependencies among them) stay
    assert sections[0] == "## All code" and "## Quick wins" in sections
    assert "## In flight" not in sections and "## By team" not in sections


def test_typed_in_areas_take_their_owner_from_codeowners(repo: Path, tmp_path: Path) -> None:
    code, out, err = run("plan", str(repo), "--config", str(config(tmp_path, ROADMAP)),
                         "--format", "json")
    doc = json.loads(out)
    payments = next(a for a in doc["areas"] if a["name"] == "Payments")
    assert payments["owner"] == "@org/payments @alice"


PERSONAL_OWNERS = "* @org/core\nsrc/payments/ @org/payments @alice dan@example.com\n" \
    "src/core/ carol@example.com\n"


def test_anonymise_replaces_personal_owners_and_keeps_teams(tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "repo", codeowners_file=PERSONAL_OWNERS)
    roadmap = config(tmp_path, ROADMAP)
    people = ("alice", "dan@", "example.com", "carol")
    plain = run("plan", str(repo), "--no-cache", "-f", "markdown")[1]
    assert "@\u200balice dan@\u200bexample.com" in plain  # as written without --anonymise
    outputs = {f"plan {fmt}": run("plan", str(repo), "--no-cache", "--anonymise", "--config",
                                  str(roadmap), "-f", fmt)[1]
               for fmt in ("markdown", "html", "csv", "json")}
    outputs["scan json"] = run("scan", str(repo), "--no-cache", "--anonymise", "-f", "json",
                               "--config", str(roadmap))[1]
    outputs["plan markdown, no roadmap"] = run("plan", str(repo), "--no-cache", "--anonymise",
                                               "-f", "markdown")[1]
    for name, text in outputs.items():
        assert text, name
        for person in people:
            assert person not in text, (name, person)
    md = outputs["plan markdown, no roadmap"]
    # stable pseudonyms, one word each; teams stay
    pay = "@\u200borg/payments Owner-1 Owner-2"
    assert f"### src/payments/ (x1.2 for the files the work touches, team {pay})" in md
    assert "### src/core/ (x1.2 for the files the work touches, team Owner-3)" in md
    assert f"| {pay} | src/payments/" in md and "| Owner-3 | src/core/" in md
    assert f"- Targets by team: {pay} 2, Owner-3 2, @\u200borg/core 1." in md
    doc = json.loads(outputs["scan json"])
    teams = {h["path"]: h["team"] for h in doc["hotspots"]}
    assert teams["src/payments/api.py"] == "@org/payments Owner-1 Owner-2"
    assert teams["src/core/engine.py"] == "Owner-3" and teams["src/legacy/old.py"] == "@org/core"
    assert {a["name"]: a["team"] for a in doc["evidence"]["in_flight"]} == {
        "src/payments/": "@org/payments Owner-1 Owner-2", "src/core/": "Owner-3"}
    plan = json.loads(outputs["plan json"])
    payments = next(a for a in plan["areas"] if a["name"] == "Payments")
    assert payments["owner"] == "@org/payments Owner-1 Owner-2"
    assert "Owner-3" in {t["team"] for t in plan["teams"]}


# -- hostile names --------------------------------------------------------------------------


HOSTILE_BRANCH = "fix/<script>alert(1)</script>|=1+2"
HOSTILE_OWNERS = "* @org/<b>core</b>|x\nsrc/payments/ =HYPERLINK(\"x\")\n"


def test_hostile_names_are_escaped_everywhere(tmp_path: Path) -> None:
    repo = evidence_repo(tmp_path / "repo", hostile=HOSTILE_BRANCH,
                         codeowners_file=HOSTILE_OWNERS)
    prs = write(tmp_path / "prs.json", json.dumps([
        {"number": 1, "title": "<img src=x onerror=alert(1)>\n| pipe @everyone \x1b[31m",
         "files": [{"path": "src/payments/models.py"}],
         "labels": [{"name": "=SUM(A1)"}], "milestone": {"title": "<b>m</b>"}}]))
    code, out, err = run("plan", str(repo), "--tracker", str(prs))
    assert code == 0, err
    from test_ci_render import parse, render  # GitHub's renderer (cmarkgfm, in .[test])

    page = parse(render(out))
    assert not {tag for tag, _ in page.tags} & {"script", "img", "b"}
    assert HOSTILE_BRANCH in page.code  # the branch, exactly, as code
    prose = "".join(page.prose)
    assert "<img src=x onerror=alert(1)>" in prose and "@everyone" not in prose
    assert "\x1b" not in out
    assert "\\|=1+2" in out  # a pipe cannot end a table cell
    code, out, err = run("plan", str(repo), "--tracker", str(prs), "--format", "html")
    assert code == 0, err
    assert "<script>alert" not in out and "<img src" not in out and "<b>core" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    code, out, err = run("plan", str(repo), "--tracker", str(prs), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["team"] for r in rows if r["path"].startswith("src/payments/")
            and r["section"] != "hidden-dependency"} == \
        {"'=HYPERLINK(\"x\")"}
    code, out, err = run("plan", str(repo), "--tracker", str(prs), "--format", "json")
    doc = json.loads(out)
    (payments,) = [a for a in doc["in_flight"] if a["name"] == "src/payments/"]
    pr = next(w for w in payments["work"] if w["key"] == "#1")
    assert pr["title"].startswith("<img") and pr["labels"] == ["=SUM(A1)"]  # JSON: as is
    assert "\x1b" not in out
    code, out, err = run("scan", str(repo), "--tracker", str(prs), "--format", "table")
    assert code == 0, err
    assert "\x1b[31m" not in out


def test_a_branch_name_with_backticks_stays_one_code_span(tmp_path: Path) -> None:
    branch = "fix/a`b``c"
    repo = evidence_repo(tmp_path / "repo", hostile=branch)
    code, out, err = run("plan", str(repo), "--no-cache")
    assert code == 0, err
    from test_ci_render import parse, render  # GitHub's renderer (cmarkgfm, in .[test])

    page = parse(render(out))
    assert branch in page.code  # whole, as one code span (a longer fence)
    assert "- branch ```fix/a`b``c``` (1 file, last commit 1 day ago)" in out
    code, out, err = run("plan", str(repo), "--no-cache", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    reasons = [r["reasons"] for r in rows if r["path"] == "src/core/engine.py"
               and r["section"] == "in-flight"]
    assert reasons and all(f"touches it: {branch} (1 file" in r for r in reasons)
    assert not any("`" in r["reasons"].replace(branch, "") for r in rows)
    code, out, err = run("plan", str(repo), "--no-cache", "-f", "html")
    assert f"touches it: <code>{branch}</code> (1 file" in out
    whys = re.findall(r'<div class="why">(.*?)</div>', out)
    assert whys and not any("`" in w.replace(branch, "") for w in whys)


def test_plan_says_truly_why_a_section_has_no_targets(repo: Path, tmp_path: Path) -> None:
    """A directory in flight whose file is in a retired area, one with no analysed file,
    and "Everywhere else" whose files are all in flight."""
    prs = write(tmp_path / "prs.json", json.dumps([
        {"number": 7, "title": "legacy and setup", "updatedAt": "2026-03-08T10:00:00Z",
         "files": [{"path": "src/legacy/old.py"}, {"path": "setup.py"}]}]))
    args = ("plan", str(repo), "--no-cache", "--config", str(config(tmp_path, ROADMAP)),
            "--tracker", str(prs))
    code, out, err = run(*args)
    assert code == 0, err
    legacy = out.split("### src/legacy/")[1].split("###")[0]
    assert "No refactor targets: the file here that changed in the window is left alone on " \
           "purpose (Legacy: goal retire)." in legacy
    top = out.split("### top level")[1].split("###")[0]
    assert "No refactor targets: the work changes or names no analysed file here." in top
    everywhere = out.split("## Everywhere else")[1].split("## ")[0]
    assert "No refactor targets here: its 2 files are in directories with work in flight, " \
           "planned under \"In flight\"." in everywhere
    assert "no hotspot here changed" not in out and "no file here" not in out
    code, out, err = run(*args, "-f", "html")
    assert "left alone on purpose (Legacy: goal retire)" in out
    assert "planned under &#34;In flight&#34;" in out or "planned under &quot;In flight" in out
