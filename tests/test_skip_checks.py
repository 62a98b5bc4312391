"""Friction checks only where findings can move a file (``frictionscan_skip_checks``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import run

from frictionscan import hookimpl
from frictionscan.testing import run_scan

MONOLITH = "src/legacy/monolith.py"  # complex, full of findings, unchanged in the window


def by_path(doc: dict) -> dict:  # type: ignore[type-arg]
    return {h["path"]: h for h in doc["hotspots"]}


def test_files_unchanged_in_the_window_are_not_checked(planted_repo: Path) -> None:
    result = run_scan(planted_repo)
    for h in result.hotspots:
        assert h.analysis.checked == (h.analysis.history.revisions > 0), h.path
    monolith = next(h for h in result.hotspots if h.path == MONOLITH)
    assert monolith.analysis.findings == () and monolith.component("findings") == 0
    assert "not checked" in next(c.reason for c in monolith.components
                                 if c.name == "findings")


@pytest.mark.parametrize("in_process", [True, False])
def test_all_findings_checks_everything_and_changes_no_rank(planted_repo: Path,
                                                           in_process: bool) -> None:
    default = run_scan(planted_repo, in_process=in_process)
    everything = run_scan(planted_repo, overrides={"all_findings": True},
                          in_process=in_process)
    assert all(h.analysis.checked for h in everything.hotspots)
    monolith = next(h for h in everything.hotspots if h.path == MONOLITH)
    assert {f.code for f in monolith.analysis.findings} == {"FS109"}
    assert [(h.path, h.score) for h in default.hotspots] == \
        [(h.path, h.score) for h in everything.hotspots]


def test_the_cache_checks_a_file_once_it_is_asked_for(planted_copy: Path) -> None:
    code, out, err = run("scan", str(planted_copy), "-f", "json")
    assert code == 0, err
    first = json.loads(out)
    unchecked = [p for p, h in by_path(first).items() if not h["findings_checked"]]
    assert MONOLITH in unchecked
    code, out, _ = run("scan", str(planted_copy), "-f", "json", "--all-findings")
    full = json.loads(out)
    # only the files not checked before are analysed again
    assert full["stats"]["cached_files"] == len(first["hotspots"]) - len(unchecked)
    assert by_path(full)[MONOLITH]["findings"]
    # the checked results now in the cache do not leak into a default scan
    code, out, _ = run("scan", str(planted_copy), "-f", "json")
    again = json.loads(out)
    assert again["stats"]["cached_files"] == len(again["hotspots"])
    assert {k: v for k, v in again.items() if k != "stats"} == \
        {k: v for k, v in first.items() if k != "stats"}


def test_explain_and_baseline_check_what_they_need(planted_copy: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(planted_copy)
    code, out, err = run("explain", MONOLITH, "--format", "json")
    assert code == 0, err
    assert {f["code"] for f in json.loads(out)["findings"]} == {"FS109"}
    code, _, err = run("baseline", str(planted_copy))
    assert code == 0, err
    baseline = json.loads((planted_copy / ".frictionscan/baseline.json").read_text())
    assert baseline["files"][MONOLITH]["findings"]


class CheckEverything:
    """A scoring plugin whose score would use every file's findings says so."""

    @hookimpl
    def frictionscan_skip_checks(self, files, history, config):  # type: ignore[no-untyped-def]
        return []


def test_a_plugin_can_ask_for_every_file_to_be_checked(planted_repo: Path) -> None:
    result = run_scan(planted_repo, plugins=[CheckEverything()])
    assert all(h.analysis.checked for h in result.hotspots)


def test_files_with_the_same_content_share_one_checked_cache_entry(tmp_path: Path) -> None:
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    s.commit("2020-01-01T10:00:00", "add", {"old/__init__.py": "", "old/a.py": "x = 1\n"})
    s.commit("2026-01-01T10:00:00", "add", {"new/__init__.py": "", "new/b.py": "y = 1\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    code, out, err = run("scan", str(repo), "-f", "json")
    assert code == 0, err
    first = by_path(json.loads(out))
    assert first["new/__init__.py"]["findings_checked"]
    assert not first["old/__init__.py"]["findings_checked"]
    code, out, _ = run("scan", str(repo), "-f", "json")
    again = json.loads(out)
    assert again["stats"]["cached_files"] == len(again["hotspots"])
    assert by_path(again) == first


# -- a report of the first N files checks only the files that could reach it --------------

LIFTED = "pkg/m05.py"  # sixth by history, among the first five with its findings


def module(name: str, version: int, todos: int = 0) -> str:
    """A small module with two counters; in a module with ``todos``, both rebind a module
    global (FS112, 30 minutes each, weight 1: two make the largest findings component,
    +25%); in the others they count locally (no finding), so that findings change no
    file's size."""
    counters = "".join(
        (f"COUNT_{n} = 0\n\n\ndef bump_{n}():\n    global COUNT_{n}\n    COUNT_{n} += 1\n\n\n"
         if todos else
         f"COUNT_{n} = 0\n\n\ndef bump_{n}():\n    count = COUNT_{n}\n    count += 1\n\n\n")
        for n in range(2))
    return (f'"""Module {name}."""\n\n{counters}def run_{name}(x, y):\n'
            f"    if x > {version}:\n        return y\n    for i in range(y):\n"
            f"        if i % 3 == 0 and x:\n            x -= i\n    return x\n")


def build_reach_repo(dest: Path, noted: set[int]) -> Path:
    """Five busy files (m00-m04), a sixth almost as busy (m05, 56 changes to their 64) and
    34 files changed a few
    times; the files in ``noted`` carry findings (+25%, the most findings can add)."""
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    names = [f"m{i:02d}" for i in range(40)]
    for k in range(64):
        changed = {f"pkg/{n}.py": module(n, k, todos=1 if i in noted else 0)
                   for i, n in enumerate(names)
                   if i < 5 or (i == 5 and k % 8 != 7) or (i > 5 and k < 1 + i % 4)}
        s.commit(f"2026-0{1 + k // 11}-{1 + k % 11 * 2:02d}T10:00:00", f"change {k}", changed)
    return build_repo(s.text(), dest)


@pytest.fixture(scope="module")
def reach_repo(tmp_path_factory: pytest.TempPathFactory, isolated_git: None) -> Path:
    """m05's findings lift it among the busy five; no finding could lift the rest that far."""
    return build_reach_repo(tmp_path_factory.mktemp("reach") / "repo", noted={5})


def test_checked_files_raise_the_bar_for_the_rest(tmp_path: Path, isolated_git: None) -> None:
    """The busy five carry the findings: once they are checked (first, being ranked first),
    m05 can no longer reach them, and is not checked at all."""
    repo = build_reach_repo(tmp_path / "repo", noted={0, 1, 2, 3, 4})
    everything = run_scan(repo, overrides={"all_findings": True})
    top5 = run_scan(repo, reach=5)
    assert [(h.path, h.score) for h in top5.hotspots[:5]] == \
        [(h.path, h.score) for h in everything.hotspots[:5]]
    assert {h.path for h in top5.hotspots if h.analysis.checked} == \
        {f"pkg/m{i:02d}.py" for i in range(5)}
    # in one pass m05 would have been checked: before the five had their findings (+25%),
    # its upper bound reached the fifth one's score
    fifth = min(h.score for h in top5.hotspots[:5])
    assert all(h.component("findings") == 0.25 for h in top5.hotspots[:5])
    m05 = next(h for h in top5.hotspots if h.path == LIFTED)
    assert m05.score * 1.25 >= fifth / 1.25


def test_a_repeated_top_n_scan_analyses_nothing(tmp_path: Path, isolated_git: None) -> None:
    """Issue #19: a second table scan of an unchanged repository checked the files the first
    one had pruned only once the bar had risen (m05 here), so the table converged only after
    several runs. The cached checks come first now, in a round of their own."""
    repo = build_reach_repo(tmp_path / "repo", noted={0, 1, 2, 3, 4})
    first = run_scan(repo, reach=5, cache=True)
    assert first.stat("files_checked") == 5
    for _ in range(2):
        again = run_scan(repo, reach=5, cache=True)
        assert again.stat("cached_files") == again.stat("files")  # no per-file work
        assert again.stat("files_checked") == 5
        assert [(h.path, h.score, h.analysis.checked) for h in again.hotspots] == \
            [(h.path, h.score, h.analysis.checked) for h in first.hotspots]


@pytest.mark.parametrize("order", ["hotspot", "effort"])
def test_a_report_of_the_first_n_checks_only_what_can_reach_it(reach_repo: Path,
                                                               order: str) -> None:
    everything = run_scan(reach_repo, overrides={"all_findings": True, "order": order})
    top5 = run_scan(reach_repo, overrides={"order": order}, reach=5)
    # the first five places are exact ...
    assert [(h.path, h.score, h.rank) for h in top5.hotspots[:5]] == \
        [(h.path, h.score, h.rank) for h in everything.hotspots[:5]]
    assert LIFTED in [h.path for h in top5.hotspots[:5]]
    lifted = next(h for h in top5.hotspots if h.path == LIFTED)
    assert lifted.component("findings") == 0.25
    # ... and only the files that could get there were checked
    checked = {h.path for h in top5.hotspots if h.analysis.checked}
    assert checked == {f"pkg/m{i:02d}.py" for i in range(6)}
    assert top5.stat("files_checked") == 6 and everything.stat("files_checked") == 40
    # beyond the report the ranks are lower bounds: every score there is at most the exact one
    exact = {h.path: h.score for h in everything.hotspots}
    assert all(h.score <= exact[h.path] for h in top5.hotspots)


@pytest.mark.parametrize("target", ["pkg/m04.py", "pkg/m05.py", "pkg/m20.py"])
def test_explain_checks_only_the_files_that_could_pass_its_file(reach_repo: Path,
                                                                target: str) -> None:
    """Issue #19: explain checked every file changed in the window (as a JSON scan does),
    minutes on a large repository after a table scan. Its file's rank is exact when the files
    below it that could pass it are checked; the files above it stay above it anyway."""
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec

    everything = run_scan(reach_repo, overrides={"all_findings": True})
    session = Session.start(PluginSpec(autoload=False))
    config = session.configure(reach_repo, overrides={"cache": False})
    result = session.scan(config, Run(check_paths=(target,), reach_path=target),
                          in_process=True)
    exact = next(h for h in everything.hotspots if h.path == target)
    mine = next(h for h in result.hotspots if h.path == target)
    assert (mine.rank, mine.score) == (exact.rank, exact.score)
    checked = {h.path for h in result.hotspots if h.analysis.checked}
    assert target in checked and len(checked) < 40
    above = {h.path for h in everything.hotspots[:exact.rank - 1]}
    assert not (checked - {target, LIFTED}) & above  # the files above need no checking
    if target == "pkg/m04.py":  # m05's findings lift it past m04: it had to be checked
        assert LIFTED in checked and exact.rank == 6


def test_the_table_and_top_n_check_less_and_json_checks_all(reach_repo: Path,
                                                            tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(reach_repo, repo, symlinks=True)
    code, out, err = run("scan", str(repo), "-f", "json", "--top", "5")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["hotspots"]) == 5 and doc["stats"]["files_checked"] == 6
    code, out, err = run("scan", str(repo), "-f", "json")
    assert json.loads(out)["stats"]["files_checked"] == 40  # every file is in the report
    code, table, err = run("scan", str(repo), "-f", "table", "--top", "5")
    assert code == 0, err
    assert LIFTED in table
    # cached results of the narrower runs never change a wider one
    code, out, _ = run("scan", str(repo), "-f", "json", "--all-findings")
    fresh = run_scan(repo, overrides={"all_findings": True})
    assert [(h["path"], h["score"]) for h in json.loads(out)["hotspots"]] == \
        [(h.path, h.score) for h in fresh.hotspots]


class ForeignScore:
    """A score the built-in bound knows nothing about: every file is checked."""

    @hookimpl
    def frictionscan_score(self, analyses, config):  # type: ignore[no-untyped-def]
        from frictionscan.core.model import Component, Hotspot

        return [Hotspot(analysis=a, score=float(len(a.findings)),
                        components=(Component(name="findings", value=len(a.findings),
                                              reason="findings only"),))
                for a in analyses]


def test_a_replaced_score_is_not_pruned_by_the_built_in_bound(reach_repo: Path) -> None:
    result = run_scan(reach_repo, plugins=[ForeignScore()], reach=5)
    changed = {h.path for h in result.hotspots if h.analysis.history.revisions}
    assert {h.path for h in result.hotspots if h.analysis.checked} == changed
    assert result.hotspots[0].path == LIFTED  # the only file with findings
