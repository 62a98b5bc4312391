"""The git plugin against real repositories built by fast-import."""

from __future__ import annotations

from pathlib import Path

from frictionscan_git import frictionscan_collect_files, frictionscan_ignore_file

from frictionscan.core.config import Config
from frictionscan.core.model import SourceFile
from frictionscan.core.run import Run
from frictionscan.testing import StreamBuilder, build_repo, run_scan


def test_submodules_and_symlinks_are_not_collected(tmp_path: Path) -> None:
    s = StreamBuilder()
    s.commit("2026-01-01T10:00:00", "add", {
        "app.py": "x = 1\n",
        "link.py": "app.py",
        "tool.py": "#!/usr/bin/env python\n",
        "deps/lib": "0123456789abcdef0123456789abcdef01234567",
    }, modes={"link.py": "120000", "tool.py": "100755", "deps/lib": "160000"})
    repo = build_repo(s.text(), tmp_path / "repo")
    files = frictionscan_collect_files(repo, Config(root=str(repo)), Run())
    assert [f.path for f in files] == ["app.py", "tool.py"]
    assert all(f.blob and len(f.blob) == 40 for f in files)
    assert files[0].size == 6


def test_exclude_and_default_excludes_via_ignore_file() -> None:
    config = Config(root=".", exclude=("legacy/**",))
    ignored = [p for p in ("legacy/a.py", "src/a.py", ".venv/x.py", "gen/m_pb2.py",
                           "app/migrations/0001_initial.py", "app/migrations/helpers.py")
               if frictionscan_ignore_file(SourceFile(path=p), config)]
    assert ignored == ["legacy/a.py", ".venv/x.py", "gen/m_pb2.py",
                       "app/migrations/0001_initial.py"]
    loose = Config(root=".", default_excludes=False)
    assert frictionscan_ignore_file(SourceFile(path=".venv/x.py"), loose) is None


def test_older_history_is_read_on_request(planted_repo: Path) -> None:
    full = run_scan(planted_repo, overrides={"git.older_history": True})
    quick = run_scan(planted_repo)
    monolith_full = next(h for h in full.hotspots if h.path == "src/legacy/monolith.py")
    monolith_quick = next(h for h in quick.hotspots if h.path == "src/legacy/monolith.py")
    assert monolith_full.analysis.history.first_change is not None
    assert monolith_quick.analysis.history.first_change is None  # unknown without the pass
    assert monolith_full.analysis.history.idle_days is not None
    assert monolith_quick.analysis.history.idle_days is None  # untouched in the window
    # the window's numbers do not depend on the older pass
    engine = {r: next(h for h in r.hotspots if h.path == "src/app/engine.py") for r in
              (full, quick)}
    assert engine[full].score == engine[quick].score


def test_short_window_reads_names_back_as_far_as_dormancy_needs(tmp_path: Path) -> None:
    s = StreamBuilder()
    s.commit("2023-01-01T10:00:00", "add", {"old.py": "x = 1\n", "recent.py": "y = 1\n",
                                             "hot.py": "z = 1\n"})
    s.commit("2025-11-01T10:00:00", "touch recent", {"recent.py": "y = 2\n"})
    s.commit("2026-06-01T10:00:00", "touch hot", {"hot.py": "z = 2\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    # a 3-month window; dormant after 12 months: recent.py (7 months idle) is not dormant
    result = run_scan(repo, overrides={"since": "3 months"})
    by_path = {h.path: h for h in result.hotspots}
    assert by_path["recent.py"].analysis.history.idle_days is not None
    assert by_path["recent.py"].analysis.history.revisions == 0  # outside the window
    assert not any(w.reason.startswith("dormant") for w in by_path["recent.py"].analysis.weights)
    # old.py is older than the dormancy depth: dormant, with no date read for it
    assert by_path["old.py"].analysis.history.idle_days is None
    assert any(w.reason.startswith("dormant: no change in the last 1.0 years")
               for w in by_path["old.py"].analysis.weights)
    assert by_path["hot.py"].analysis.history.first_change is None  # ages need all history
