"""The pipeline: configure, collect files, read history, analyse files, weigh, score, rank.

The core knows no git, radon or libcst: every phase is a hook call answered by plugins. The
only thing it knows about repositories is how to find the top-level directory (the nearest
parent holding ``.git``), because the configuration lives there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frictionscan.core.config import Config, Option, OptionParser, build_config, find_config_file
from frictionscan.core.errors import RepositoryError, UsageError
from frictionscan.core.globs import match_any
from frictionscan.core.model import (
    FileAnalysis,
    Focus,
    History,
    Hotspot,
    ScanResult,
    SourceFile,
    evolve,
)
from frictionscan.engine.cache import Cache, default_dir
from frictionscan.engine.filephase import FilePhase, Progress
from frictionscan.plugin.hooks import HookCalls
from frictionscan.plugin.manager import FrictionscanPluginManager, PluginSpec, build_plugin_manager

if TYPE_CHECKING:
    from frictionscan.engine.pool import Item

__all__ = ["Progress", "Session", "find_root"]


def find_root(path: Path) -> Path:
    """The top-level directory of the git repository containing ``path``."""
    if not path.exists():
        raise UsageError(f"path {path} does not exist")
    start = path.resolve()
    if start.is_file():
        start = start.parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    raise RepositoryError(f"{path} is not inside a git repository (no .git found above it)")


@dataclass
class Session:
    """One run: a fresh plugin manager and everything derived from it."""

    spec: PluginSpec
    pm: FrictionscanPluginManager
    hooks: HookCalls
    options: tuple[Option, ...]
    #: Seconds spent per phase, in order.
    timings: dict[str, float] = field(default_factory=dict)
    #: Files whose per-file results came from the cache in the last scan.
    cache_hits: int = 0

    @classmethod
    def start(cls, spec: PluginSpec) -> Session:
        """Load plugins and collect the options they declare."""
        pm = build_plugin_manager(spec)
        hooks = HookCalls(pm)
        parser = OptionParser()
        hooks.addoption(parser)
        return cls(spec=spec, pm=pm, hooks=hooks, options=parser.options)

    def _check_reachable(self, phase: FilePhase, items: list[Item],
                         analyses: list[FileAnalysis], hotspots: tuple[Hotspot, ...],
                         focus: Focus, reach: int, candidates: frozenset[str]
                         ) -> tuple[list[FileAnalysis], tuple[Hotspot, ...]]:
        """Check the ``candidates`` whose findings could bring them into the first ``reach``
        (``frictionscan_prune_checks``), in rounds: every check can raise the bar the rest
        must reach, so the files ranked highest are checked first and the question is asked
        again. Results the cache holds cost nothing and are taken in the first round; fresh
        analyses go in batches (the first ``reach`` wanted files, then a few per worker, or
        one per 200 files in the repository if that is more)."""
        config = phase.config
        done: set[str] = set()
        by_path = {item[0].path: item for item in items}
        batch = max(reach, 1)
        while True:
            pruned = self.hooks.prune_checks(hotspots, reach, config)
            wanted = [h.path for h in hotspots if h.path in candidates
                      and h.path not in done and (pruned is None or h.path not in pruned)]
            if not wanted:
                return analyses, hotspots
            cached = [a for p in wanted if (a := phase.checked_from_cache(by_path[p]))]
            fresh = [p for p in wanted if p not in phase.checked_entries]
            if pruned is not None:  # else everything now: nothing would be pruned later
                fresh = fresh[:batch]
            # later rounds: a few files per worker, more on large repositories, where each
            # round's scoring and ranking of every file costs more (0.1 s for 5,000 files)
            batch = max(2 * max(config.effective_jobs, 2), len(analyses) // 200)
            done.update(a.file.path for a in cached)
            done.update(fresh)
            with self._phase("analyse"):
                checked = cached + (phase.analyse([by_path[p] for p in fresh]) if fresh else [])
            with self._phase("focus"):
                update = {a.file.path: a for a in self._weigh(checked, focus, config)}
            with self._phase("score"):
                analyses = [update.get(a.file.path, a) for a in analyses]
                hotspots = self.hooks.rank(self.hooks.score(analyses, config), config)

    def _weigh(self, analyses: Sequence[FileAnalysis], focus: Focus,
               config: Config) -> list[FileAnalysis]:
        """The analyses with their roadmap weights, sorted by path."""
        weighed = [evolve(a, weights=self.hooks.focus_weight(a.file, a.history, focus, config))
                   for a in analyses]
        return sorted(weighed, key=lambda a: a.file.path)

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0

    def configure(self, root: Path, *, config_file: str | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Config:
        raw = find_config_file(root, config_file)
        config = build_config(root, raw, self.options, overrides)
        self.hooks.configure(config)
        return config

    def scan(self, config: Config, *, progress: Progress | None = None,
             in_process: bool = False, reach: int = 0) -> ScanResult:
        """Run the whole pipeline on the repository at ``config.root``.

        ``reach``: the report shows only the first ``reach`` files of the ranking (0: all),
        so files whose findings could not bring them there need no friction checks
        (``frictionscan_prune_checks``); ranks beyond ``reach`` are then lower bounds."""
        root = Path(config.root)
        with self._phase("files"):
            collected = self.hooks.collect_files(root, config)
            files = tuple(f for f in collected if not self.hooks.ignore_file(f, config))
        phase = FilePhase(hooks=self.hooks, spec=self.spec, root=root, config=config,
                          progress=progress, in_process=in_process, warnings=[])
        if not files:
            excluded = f", {len(collected)} of them excluded" if collected else ""
            phase.warn(f"no files to analyse: {len(collected)} tracked files match include "
                       f"({', '.join(config.include)}){excluded}")
        phase.prestart(files, checks=not reach)
        try:
            return self._scan(phase, collected, files, reach)
        finally:
            phase.close()

    def _history(self, phase: FilePhase, files: Sequence[SourceFile]) -> History:
        """``frictionscan_collect_history``, with the store it may keep its work in (the
        cache's warnings become the scan's)."""
        config = phase.config
        cache = Cache(default_dir(phase.root, config.cache_dir)) if config.cache else None
        try:
            return self.hooks.collect_history(
                phase.root, files, config,
                cache.store("collect_history") if cache is not None else None)
        finally:
            if cache is not None:
                phase.warn(*cache.warnings)
                cache.close()

    def _scan(self, phase: FilePhase, collected: Sequence[SourceFile],
              files: Sequence[SourceFile], reach: int) -> ScanResult:
        root, config, progress = phase.root, phase.config, phase.progress
        if progress:
            progress("reading history of", 0, len(files))
        with self._phase("history"):
            history = self._history(phase, files)
        if progress:
            progress("reading history of", len(files), len(files))
        phase.warn(*history.warnings)
        if history.shallow:
            phase.warn("this is a shallow clone: history is truncated, so churn and ages "
                       "are incomplete; run `git fetch --unshallow` (GitHub Actions: "
                       "fetch-depth: 0, GitLab CI: GIT_DEPTH: 0)")
        config = phase.config = replace(config, now=history.head_time)
        items: list[Item] = [(f, history.for_file(f.path)) for f in files]
        if (config.revision or "HEAD") != "HEAD":  # a past commit: contents from git objects
            contents = self.hooks.read_versions(root, config.revision, [f.path for f in files],
                                                config)
            items = [(item[0], item[1], contents.get(item[0].path, b"")) for item in items]
        pruning = reach > 0 and not config.all_findings
        with self._phase("analyse"):
            unchecked = self.hooks.skip_checks(files, history, config)
            first = frozenset(f.path for f in files) - frozenset(config.check_paths) \
                if pruning else unchecked
            analyses = phase.analyse(items, first)
        with self._phase("focus"):
            focus = self.hooks.load_focus(root, config, history)
            for area in focus.areas:
                if not any(match_any(f.path, area.paths) for f in files):
                    phase.warn(f"focus area {area.name!r}: paths "
                               f"{', '.join(area.paths)} match no analysed file")
            analyses = self._weigh(analyses, focus, config)
        with self._phase("score"):
            hotspots = self.hooks.rank(self.hooks.score(analyses, config), config)
        if pruning:
            analyses, hotspots = self._check_reachable(phase, items, analyses, hotspots, focus,
                                                       reach, first - unchecked)
        self.cache_hits = len(files) - len(phase.analysed)
        errors = tuple(e for a in analyses for e in a.errors)
        stats = (
            ("files", len(files)),
            ("files_collected", len(collected)),
            ("commits_in_window", history.commits_in_window),
            ("findings", sum(len(a.findings) for a in analyses)),
            ("files_checked", sum(a.checked for a in analyses)),
            ("cached_files", self.cache_hits),
            *((f"seconds_{k}", round(v, 3)) for k, v in self.timings.items()),
        )
        return ScanResult(root=str(root), head=history.head, head_time=history.head_time,
                          since=history.since, hotspots=hotspots, errors=errors,
                          warnings=tuple(phase.warnings), stats=stats, focus=focus,
                          order=config.order)
