"""The result and history caches."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import git
from test_cli import run

from frictionscan import hookimpl
from frictionscan.engine.cache import Cache, blob_sha


def scan_json(repo: Path, *args: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    code, out, err = run("scan", str(repo), "-f", "json", *args)
    assert code == 0, err
    return json.loads(out), err


def without_stats(doc: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in doc.items() if k != "stats"}


def test_warm_scan_gives_the_same_result_from_the_cache(planted_copy: Path) -> None:
    cold, _ = scan_json(planted_copy)
    assert cold["stats"]["cached_files"] == 0
    warm, _ = scan_json(planted_copy)
    assert warm["stats"]["cached_files"] == 11
    assert without_stats(warm) == without_stats(cold)
    assert git(planted_copy, "status", "--porcelain") == ""  # the cache ignores itself
    assert (planted_copy / ".frictionscan/cache/.gitignore").read_text().endswith("*\n")


def test_changed_files_are_analysed_again(planted_copy: Path) -> None:
    scan_json(planted_copy)
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text() + "\n\ndef extra(x):\n    if x:\n        return 1\n")
    doc, _ = scan_json(planted_copy)
    assert doc["stats"]["cached_files"] == 10
    hotspot = next(h for h in doc["hotspots"] if h["path"] == "src/app/engine.py")
    assert any(f["name"] == "extra" for f in hotspot["functions"])


def test_options_and_plugins_are_part_of_the_key(planted_copy: Path) -> None:
    scan_json(planted_copy)
    doc, _ = scan_json(planted_copy, "--maintainability")
    assert doc["stats"]["cached_files"] == 0
    assert "radon.mi" in doc["hotspots"][0]["signals"]
    doc, _ = scan_json(planted_copy, "-p", "no:libcst")
    assert doc["stats"]["cached_files"] == 0


def test_options_and_plugins_that_make_no_file_result_keep_the_cache(
        planted_copy: Path) -> None:
    """Weighing, scoring and history plugins do not make a file's cached result: turning
    one off or changing its options re-analyses nothing (only the per-file plugins, their
    versions and options are in the key)."""
    scan_json(planted_copy)
    for args in (("--no-evidence",), ("-p", "no:evidence"), ("-p", "no:coupling"),
                 ("--since", "6 months")):
        doc, _ = scan_json(planted_copy, *args)
        assert doc["stats"]["cached_files"] == doc["stats"]["files"], args
    (planted_copy / ".frictionscan.toml").write_text(
        "[roadmap]\ndormant_factor = 0.2\n[scoring]\ncomplexity_weight = 2.0\n")
    doc, _ = scan_json(planted_copy)
    assert doc["stats"]["cached_files"] == doc["stats"]["files"]


def test_no_cache_and_cache_commands(planted_copy: Path) -> None:
    doc, _ = scan_json(planted_copy, "--no-cache")
    assert doc["stats"]["cached_files"] == 0
    assert not (planted_copy / ".frictionscan").exists()
    scan_json(planted_copy)
    code, out, _ = run("cache", "info", str(planted_copy))
    # the history, its commits and fold state, one X-ray per reported file with functions
    # (5), the coupling and the knowledge
    assert code == 0 and "file results, 10 entries kept by plugins" in out
    code, out, _ = run("cache", "clear", str(planted_copy))
    assert code == 0 and "cleared" in out
    doc, _ = scan_json(planted_copy)
    assert doc["stats"]["cached_files"] == 0


def test_a_corrupt_cache_is_rebuilt_with_one_warning(planted_copy: Path) -> None:
    scan_json(planted_copy)
    db = planted_copy / ".frictionscan/cache/frictionscan.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    doc, err = scan_json(planted_copy)
    assert any("was corrupt or from another version" in w for w in doc["warnings"])
    assert doc["stats"]["cached_files"] == 0
    doc, _ = scan_json(planted_copy)
    assert doc["stats"]["cached_files"] == 11 and doc["warnings"] == []


def test_an_entry_that_cannot_be_read_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    cache.put_files({"k": "not json"})
    assert cache.get_files(["k"]) == {}
    db = sqlite3.connect(cache.path)
    db.execute("UPDATE meta SET value = '999' WHERE key = 'version'")
    db.commit()
    db.close()
    cache.close()
    again = Cache(tmp_path / "c")
    assert again.get_files(["k"]) == {}
    assert "from another version" in again.warnings[0]


def test_blob_sha_matches_git(tmp_path: Path) -> None:
    (tmp_path / "f.py").write_bytes(b"x = 1\n")
    import subprocess

    expected = subprocess.run(["git", "hash-object", str(tmp_path / "f.py")],
                              capture_output=True, text=True, check=True).stdout.strip()
    assert blob_sha(b"x = 1\n") == expected


@pytest.mark.parametrize("older", [[], ["--older-history"]], ids=["window", "all"])
def test_history_after_new_commits_is_read_incrementally(planted_copy: Path,
                                                         older: list[str]) -> None:
    scan_json(planted_copy, *older)  # cold: full history, state cached
    (planted_copy / "src/app/util.py").write_text("def clamp(x, lo, hi):\n    return x\n")
    git(planted_copy, "mv", "src/app/helpers.py", "src/app/helpers2.py")
    git(planted_copy, "add", "-A")
    # committed today: the window moves by more than a year, past what the cold scan read
    git(planted_copy, "-c", "user.name=New", "-c", "user.email=n@x", "commit", "-qm",
        "fix clamp; move helpers")
    incremental, _ = scan_json(planted_copy, *older)
    assert incremental["stats"]["cached_files"] > 0
    fresh, _ = scan_json(planted_copy, "--no-cache", *older)
    assert without_stats(incremental) == without_stats(fresh)
    helpers = next(h for h in fresh["hotspots"] if h["path"] == "src/app/helpers2.py")
    # the rename to helpers.py happened years before the new window: only all history has it
    assert helpers["signals"]["git.former_paths"] == ["src/app/helpers.py"] + \
        (["src/app/helper_funcs.py"] if older else [])
    assert (helpers["signals"]["git.first_change"] is not None) == bool(older)
    # a rewritten history (HEAD no longer a descendant) is read again in full
    git(planted_copy, "reset", "-q", "--hard", "HEAD~1")
    git(planted_copy, "-c", "user.name=Other", "-c", "user.email=o@x", "commit", "-q",
        "--allow-empty", "-m", "other")
    rewritten, _ = scan_json(planted_copy, *older)
    fresh, _ = scan_json(planted_copy, "--no-cache", *older)
    assert without_stats(rewritten) == without_stats(fresh)


class RaisesOnEngine:
    """A plugin with a bug that shows on one file's content."""

    __version__ = "1.0"

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def frictionscan_measure_file(self, file):  # type: ignore[no-untyped-def]
        self.calls += 1
        if file.path == "src/app/engine.py":
            raise ValueError("a bug in the plugin")


def test_a_plugin_that_raised_is_not_asked_again_for_the_same_content(
        planted_copy: Path) -> None:
    """Issue #19: a file a plugin raised on was analysed again by every scan (a warm scan of
    sqlalchemy started the worker pool for one file each time). The same content with the
    same plugins raises again: the result, error included, comes from the cache."""
    from frictionscan.testing import run_scan

    plugin = RaisesOnEngine()
    first = run_scan(planted_copy, plugins=[plugin], cache=True)
    calls = plugin.calls
    again = run_scan(planted_copy, plugins=[plugin], cache=True)
    assert plugin.calls == calls  # nothing analysed afresh
    assert again.stat("cached_files") == again.stat("files")
    assert [(e.path, e.kind, e.message) for e in again.errors] == \
        [(e.path, e.kind, e.message) for e in first.errors]
    assert any("a bug in the plugin" in e.message for e in again.errors)


def test_explain_reuses_the_scan_s_cached_analyses(planted_copy: Path) -> None:
    """Issue #19: ``explain`` reads all history (``git.older_history``), which only the
    history depends on; it was part of every file's cache key, so explain after a scan
    analysed every file again (63 s on sqlalchemy)."""
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec

    session = Session.start(PluginSpec(autoload=False))
    scan = session.scan(session.configure(planted_copy))
    assert scan.stat("cached_files") == 0
    config = session.configure(planted_copy, overrides={"git.older_history": True})
    explained = session.scan(config, Run(check_paths=("src/app/engine.py",)))
    assert explained.stat("cached_files") == explained.stat("files")
    # an option that can change a file's analysis still keys it
    config = session.configure(planted_copy, overrides={"radon.maintainability": True})
    assert session.scan(config).stat("cached_files") == 0


def test_a_scan_of_the_merge_base_after_ci_has_the_whole_history(planted_copy: Path) -> None:
    """ci scans the touched files at the merge base: the history it keeps for those files
    alone must not stand in for the whole repository's at that commit."""
    git(planted_copy, "checkout", "-q", "-b", "h15-change")
    engine = planted_copy / "src/app/engine.py"
    engine.write_text(engine.read_text() + "# more\n")
    git(planted_copy, "-c", "user.name=New", "-c", "user.email=n@x", "commit", "-qam", "more")
    code, _, err = run("ci", str(planted_copy), "--base", "main", "-f", "json")
    assert code == 0, err
    git(planted_copy, "checkout", "-q", "main")  # the merge base
    cached, _ = scan_json(planted_copy)
    fresh, _ = scan_json(planted_copy, "--no-cache")
    assert without_stats(cached) == without_stats(fresh)
    assert sum(h["signals"]["git.revisions"] > 0 for h in fresh["hotspots"]) > 2


def test_a_scan_of_a_few_files_keeps_the_history_state_of_all(tmp_path: Path) -> None:
    """ci scans the merge base for the files a change touches only: that scan's history
    state must not replace the state of every file, or the next scan after a new commit
    brings only those few up to date and loses the others' history."""
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec
    from frictionscan.testing import StreamBuilder, build_repo

    s = StreamBuilder()
    for i in range(6):
        s.commit(f"2025-0{i + 1}-01T10:00:00", f"change {i}",
                 {"a.py": f"def f():\n    return {i}\n", "b.py": f"X = {i}\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    commits = git(repo, "rev-list", "--first-parent", "HEAD").split()
    session = Session.start(PluginSpec(autoload=False))
    config = session.configure(repo)
    session.scan(config, Run(revision=commits[3]), in_process=True)
    session.scan(config, Run(revision=commits[2], paths=("a.py",)), in_process=True)
    result = session.scan(config, Run(revision=commits[0]), in_process=True)
    assert {h.path: h.analysis.history.revisions for h in result.hotspots} == \
        {"a.py": 6, "b.py": 6}


def test_a_cached_past_commit_reads_no_file_contents(tmp_path: Path) -> None:
    """A past commit's contents come from git objects only for the files analysed afresh:
    scanning it again with everything cached reads none (trend scans a dozen of them)."""
    from frictionscan.api import hookimpl
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec
    from frictionscan.testing import StreamBuilder, build_repo

    reads: list[list[str]] = []

    class Spy:
        @hookimpl(tryfirst=True)
        def frictionscan_read_versions(self, paths: list[str]) -> None:
            reads.append(sorted(paths))

    s = StreamBuilder()
    s.commit("2025-01-01T10:00:00", "start", {"a.py": "A = 1\n", "b.py": "B = 1\n"})
    s.commit("2025-02-01T10:00:00", "change a", {"a.py": "A = 2\n"})
    s.commit("2025-03-01T10:00:00", "change b", {"b.py": "B = 2\n"})
    repo = build_repo(s.text(), tmp_path / "repo")
    first, second = git(repo, "rev-list", "--reverse", "HEAD").split()[:2]
    session = Session.start(PluginSpec(autoload=False, objects=(("spy", Spy()),)))
    config = session.configure(repo)
    session.scan(config, Run(revision=first), in_process=True)
    assert reads == [["a.py", "b.py"]]
    result = session.scan(config, Run(revision=first), in_process=True)
    assert reads == [["a.py", "b.py"]] and result.stat("cached_files") == 2
    session.scan(config, Run(revision=second), in_process=True)  # only a.py changed
    assert reads == [["a.py", "b.py"], ["a.py"]]
