"""End-to-end ranking on the planted fixture repository: the answers are known."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from frictionscan.core.model import ErrorKind
from frictionscan.testing import run_scan


def ranks(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {h.path: h.rank for h in result.hotspots}


def test_planted_hotspot_ranks_first(planted_repo: Path) -> None:
    result = run_scan(planted_repo)
    assert result.hotspots[0].path == "src/app/engine.py"
    top = result.hotspots[0]
    assert top.score > 2 * result.hotspots[1].score
    names = [c.name for c in top.components]
    assert names == ["size", "change", "fixes", "complexity", "findings", "focus"]


def test_a_complex_but_untouched_file_is_discounted_not_erased(planted_repo: Path) -> None:
    """The most complex file of all, untouched for years: the roadmap discounts it as
    dormant (refactoring it may not be worth the work), below the planted hotspot, but it
    is not erased: big files collect bug fixes however long they sleep (docs/scoring.md)."""
    result = run_scan(planted_repo)
    r = ranks(result)
    monolith = next(h for h in result.hotspots if h.path == "src/legacy/monolith.py")
    cc = {h.path: h.analysis.value("radon.cc_total") or 0 for h in result.hotspots}
    assert max(cc, key=lambda p: cc[p]) == "src/legacy/monolith.py"
    assert r["src/app/engine.py"] == 1 and r["src/legacy/monolith.py"] > 1
    assert monolith.score > 0 and monolith.component("focus") == 0.5
    undiscounted = run_scan(planted_repo, overrides={"roadmap.dormant_factor": 1.0})
    alone = next(h for h in undiscounted.hotspots if h.path == "src/legacy/monolith.py")
    assert abs(monolith.score - alone.score / 2) < 0.01
    reasons = [w.reason for w in monolith.analysis.weights]
    assert any(r.startswith("dormant: no change in the last 12 months") for r in reasons)
    full = run_scan(planted_repo, overrides={"git.older_history": True})
    monolith = next(h for h in full.hotspots if h.path == "src/legacy/monolith.py")
    assert any(w.reason.startswith("dormant: unchanged for 5.1 years")
               for w in monolith.analysis.weights)


def test_focus_area_lifts_the_file_it_names(planted_repo: Path) -> None:
    plain = run_scan(planted_repo)
    focused = run_scan(planted_repo, config_file=str(FIXTURES / "roadmaps" / "payments.toml"))
    path = "src/payments/billing.py"
    before = next(h for h in plain.hotspots if h.path == path)
    after = next(h for h in focused.hotspots if h.path == path)
    assert after.score == round(before.score * 3.0, 3) or abs(after.score - 3 * before.score) < 0.01
    assert after.component("focus") == 3.0
    assert any("Payments v2" in w.reason for w in after.analysis.weights)
    assert [w.area for w in after.analysis.weights] == ["Payments v2"]
    # and only that file moved
    others = {h.path: h.score for h in focused.hotspots if h.path != path}
    assert others == {h.path: h.score for h in plain.hotspots if h.path != path}


def test_default_excludes_and_problem_files(planted_repo: Path) -> None:
    result = run_scan(planted_repo)
    paths = {h.path for h in result.hotspots}
    assert "src/app/messages_pb2.py" not in paths  # generated
    assert ".venv/lib/site.py" not in paths  # virtualenv
    # files that cannot be parsed or decoded are still ranked on history, with a reason
    for path in ("src/app/broken.py", "src/app/binary.py", "src/app/badbytes.py"):
        assert path in paths
    kinds = {(e.path, e.kind) for e in result.errors}
    assert ("src/app/broken.py", ErrorKind.PARSE) in kinds
    assert ("src/app/binary.py", ErrorKind.SKIPPED) in kinds
    assert ("src/app/badbytes.py", ErrorKind.DECODE) in kinds
    latin = next(h for h in result.hotspots if h.path == "src/app/latin.py")
    assert latin.analysis.value("radon.loc") == 2  # decoded with its coding cookie


def test_renamed_file_keeps_its_history(planted_repo: Path) -> None:
    result = run_scan(planted_repo, overrides={"git.older_history": True})
    h = next(h for h in result.hotspots if h.path == "src/app/helpers.py")
    assert h.analysis.history.former_paths == ("src/app/helper_funcs.py",)
    assert h.analysis.history.revisions == 5  # 1 before the rename, the rename, 3 after
    assert h.analysis.history.age_days is not None and h.analysis.history.age_days > 1900


def test_window_counts_back_from_head_not_the_wall_clock(planted_repo: Path) -> None:
    result = run_scan(planted_repo)
    assert result.head_time.isoformat() == "2026-06-30T12:00:00+00:00"
    assert result.since is not None and result.since.isoformat() == "2025-06-30T12:00:00+00:00"
    short = run_scan(planted_repo, overrides={"since": "2 months"})
    engine = next(h for h in short.hotspots if h.path == "src/app/engine.py")
    assert engine.analysis.history.revisions < 10


def test_scan_never_touches_the_working_tree(planted_repo: Path) -> None:
    from conftest import git

    before = git(planted_repo, "status", "--porcelain", "--ignored")
    run_scan(planted_repo, in_process=False)
    assert git(planted_repo, "status", "--porcelain", "--ignored") == before


def test_large_files_are_ranked_without_being_parsed(planted_repo: Path) -> None:
    result = run_scan(planted_repo, overrides={"max_file_size": 1000})
    engine = next(h for h in result.hotspots if h.path == "src/app/engine.py")
    (error,) = [e for e in result.errors if e.path == "src/app/engine.py"]
    assert error.kind is ErrorKind.SKIPPED and "max_file_size" in error.message
    assert not [m for m in engine.analysis.measurements if m.key.startswith("radon.")]
    assert "estimated from its size" in next(c.reason for c in engine.components
                                             if c.name == "size")
    assert engine.rank == 1  # still the hotspot: its history speaks for it


def test_a_small_constant_number_of_git_processes(planted_repo: Path,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    calls: list[list[str]] = []
    real = subprocess.Popen.__init__

    def counting(self, args, *a, **kw):  # type: ignore[no-untyped-def]
        if isinstance(args, (list, tuple)) and args and "git" in str(args[0]):
            calls.append([str(x) for x in args])
        real(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", counting)
    run_scan(planted_repo)
    logs = [c for c in calls if "log" in c]
    assert len(logs) == 2, logs  # the window and the older history, never one per file
    # the evidence plugin: the branches, and the unmerged ones (none: no diff)
    refs = [c for c in calls if "for-each-ref" in c]
    assert len(refs) == 2, refs
    assert len(calls) - len(refs) <= 8, calls
