"""The engine keeps no state of one scan between scans, reads past revisions itself, and is
the only room that starts workers (issue #13)."""

from __future__ import annotations

import ast
import dataclasses
import time
from collections.abc import Generator
from pathlib import Path

from conftest import ROOT

from frictionscan import hookimpl
from frictionscan.core.config import Config
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec


class SlowFirstHistory:
    """Makes the first scan's history step take at least 0.3 s, and no other."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl(wrapper=True)
    def frictionscan_collect_history(self) -> Generator[None, object, object]:
        self.calls += 1
        if self.calls == 1:
            time.sleep(0.3)
        return (yield)


def test_two_scans_on_one_session_report_their_own_timings(planted_repo: Path) -> None:
    slow = SlowFirstHistory()
    session = Session.start(PluginSpec(autoload=False, objects=(("slow", slow),)))
    config = session.configure(planted_repo, overrides={"cache": False})
    first = session.scan(config, in_process=True)
    second = session.scan(config, in_process=True)
    assert first.stat("seconds_history") >= 0.3
    assert second.stat("seconds_history") < 0.3  # its own, not the first one's added in
    assert [k for k, _ in first.stats] == [k for k, _ in second.stats]
    assert not hasattr(session, "timings") and not hasattr(session, "cache_hits")


def test_the_configuration_holds_options_only() -> None:
    names = {f.name for f in dataclasses.fields(Config)}
    assert not names & {"now", "revision", "check_paths", "reach"}
    assert {f.name for f in dataclasses.fields(Run)} >= {"now", "revision", "check_paths",
                                                        "reach"}


def test_a_past_revision_is_scanned_by_the_same_engine_and_cache(planted_copy: Path) -> None:
    """``backtest`` and ``ci``'s merge base: files from git objects, through the cache (a
    second scan of the same commit analyses nothing afresh)."""
    session = Session.start(PluginSpec(autoload=False))
    config = session.configure(planted_copy, overrides={"jobs": 1})
    head = session.scan(config)
    parent = Run(revision="HEAD~3")
    past = session.scan(config, parent)
    again = session.scan(config, parent)
    assert past.head != head.head
    assert again.stat("cached_files") == again.stat("files") > 0
    assert [(h.path, h.score) for h in again.hotspots] == \
        [(h.path, h.score) for h in past.hotspots]


def test_only_the_engine_starts_worker_processes() -> None:
    """``ci`` has no pipeline of its own: the pool and the per-file step belong to the
    engine, and nothing outside it names them."""
    for path in (ROOT / "frictionscan").rglob("*.py"):
        if "engine" in path.relative_to(ROOT / "frictionscan").parts:
            continue
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "WorkerPool" not in names, path
        assert not modules & {"frictionscan.engine.pool", "frictionscan.engine.worker"}, path


def test_the_analysing_bar_shows_its_count_before_the_first_file_is_done(
        planted_copy: Path) -> None:
    """Issue #19: the bar pulsed "analysing files 0/?" until the first file came back; the
    number of files to analyse is known before the workers start. A top-N scan's rounds
    add to one total, which never goes down."""
    session = Session.start(PluginSpec(autoload=False))
    config = session.configure(planted_copy, overrides={"jobs": 1})
    calls: list[tuple[str, int, int]] = []
    session.scan(config, Run(reach=1), progress=lambda *call: calls.append(call))
    analysing = [(done, total) for phase, done, total in calls if phase == "analysing"]
    assert analysing and analysing[0][0] == 0 and analysing[0][1] > 0
    assert all(total > 0 and done <= total for done, total in analysing)
    totals = [total for _, total in analysing]
    assert totals == sorted(totals) and analysing[-1][0] == analysing[-1][1]
    calls.clear()  # everything cached now: no bar at all, not an empty one
    session.scan(config, Run(reach=1), progress=lambda *call: calls.append(call))
    assert not [c for c in calls if c[0] == "analysing"]


def test_the_bar_shows_the_total_it_is_given_from_its_first_call() -> None:
    """Issue #19: the display turns the engine's first call into a bar with a total (``0/5``,
    not ``0/?``); a total of 0 (not known yet) is the only one shown as unknown."""
    from frictionscan.cli.progress import ProgressDisplay

    shown = ProgressDisplay(True)
    shown("analysing", 0, 5)
    task = shown.progress.tasks[0]
    assert (task.completed, task.total) == (0, 5)
    shown("analysing", 2, 7)  # a round of checks adds files
    assert (task.completed, task.total) == (2, 7)
    shown("reading history of", 0, 0)
    assert shown.progress.tasks[1].total is None
