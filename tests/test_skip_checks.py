"""Friction checks only where findings can move a file (``frictionscan_skip_checks``)."""

from __future__ import annotations

import json
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
    assert monolith.analysis.findings == () and monolith.score == 0
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
