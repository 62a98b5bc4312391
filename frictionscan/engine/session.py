"""The pipeline: configure, collect files, read history, analyse files, weigh, score, rank.

The core knows no git, radon or libcst: every phase is a hook call answered by plugins. The
only thing it knows about repositories is how to find the top-level directory (the nearest
parent holding ``.git``), because the configuration lives there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frictionscan.core.config import (
    KINDS,
    Config,
    Option,
    OptionParser,
    build_config,
    find_config_file,
)
from frictionscan.core.errors import RepositoryError, UsageError
from frictionscan.core.globs import match_any
from frictionscan.core.model import (
    ErrorKind,
    FileAnalysis,
    Focus,
    History,
    Hotspot,
    Insights,
    ScanResult,
    SourceFile,
    evolve,
)
from frictionscan.core.run import XRAY_FILES, Run
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
    """A loaded set of plugins and the options they declare. It holds no state of any one
    scan (that is the :class:`FilePhase`'s and the result's), so one session can scan the
    working tree, a merge base and past commits in turn (``ci``, ``backtest``)."""

    spec: PluginSpec
    pm: FrictionscanPluginManager
    hooks: HookCalls
    #: Where plugins declare their options (also those registered after the start).
    parser: OptionParser
    #: The worker pool the scans share inside :meth:`sharing` (else each scan has its own).
    _shared: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, spec: PluginSpec) -> Session:
        """Load plugins and collect the options they declare."""
        pm = build_plugin_manager(spec)
        hooks = HookCalls(pm)
        parser = OptionParser()
        hooks.addoption(parser)
        return cls(spec=spec, pm=pm, hooks=hooks, parser=parser)

    @contextmanager
    def sharing(self) -> Iterator[None]:
        """The scans inside the block share one worker pool, closed at the end: ``ci``'s
        scan of the merge base takes the workers its scan of the head started, and
        ``trend``'s dozen past commits one pool, their parsers already imported (a pool per
        scan would import them again)."""
        self._shared = {}
        try:
            yield
        finally:
            pool, self._shared = self._shared.get("pool"), None
            if pool is not None:
                pool.close()

    @property
    def options(self) -> tuple[Option, ...]:
        """Every option the plugins declared."""
        return self.parser.options

    def _check_reachable(self, phase: FilePhase, items: list[Item],
                         analyses: list[FileAnalysis], hotspots: tuple[Hotspot, ...],
                         focus: Focus, candidates: frozenset[str]
                         ) -> tuple[list[FileAnalysis], tuple[Hotspot, ...]]:
        """Check the ``candidates`` whose findings could bring them into the first
        ``run.reach`` (``frictionscan_prune_checks``), in rounds: every check can raise the
        bar the rest must reach, so the files ranked highest are checked first and the
        question is asked again. Results the cache holds cost nothing and are taken first, in
        a round of their own: a repeated scan of an unchanged repository finds the bar the
        run before it ended with, and analyses nothing. Fresh analyses go in batches (the
        first ``reach`` wanted files, then a few per worker, or one per 200 files in the
        repository if that is more)."""
        config, run = phase.config, phase.run
        done: set[str] = set()
        by_path = {item[0].path: item for item in items}
        batch = max(run.reach, 1 if run.reach_path is None
                    else 2 * max(config.effective_jobs, 2))
        while True:
            pruned, below = self._prune(hotspots, config, run)
            wanted = [h.path for h in below if h.path in candidates
                      and h.path not in done and (pruned is None or h.path not in pruned)]
            if not wanted:
                return analyses, hotspots
            cached = [a for p in wanted if (a := phase.checked_from_cache(by_path[p]))]
            fresh = [p for p in wanted if p not in phase.checked_entries]
            if pruned is not None and cached:
                # what the cache holds first, alone: it raises the bar for free, so that a
                # repeated scan checks no file the run before it left unchecked
                fresh = []
            elif pruned is not None:  # else everything now: nothing would be pruned later
                fresh = fresh[:batch]
                # later rounds: a few files per worker, more on large repositories, where
                # each round's scoring and ranking of every file costs more (0.1 s for 5,000
                # files)
                batch = max(2 * max(config.effective_jobs, 2), len(analyses) // 200)
            done.update(a.file.path for a in cached)
            done.update(fresh)
            with phase.timed("analyse"):
                checked = cached + (phase.analyse([by_path[p] for p in fresh]) if fresh else [])
            with phase.timed("focus"):
                update = {a.file.path: a for a in self._weigh(checked, focus, config, run)}
            with phase.timed("score"):
                analyses = [update.get(a.file.path, a) for a in analyses]
                hotspots = self._rank(analyses, config)

    def _prune(self, hotspots: Sequence[Hotspot], config: Config, run: Run
               ) -> tuple[Collection[str] | None, Sequence[Hotspot]]:
        """``frictionscan_prune_checks`` for each kind's ranking (each shows its first
        ``run.reach``): the files none could bring there (``None``: check them all), and the
        hotspots worth asking about. With ``run.reach_path`` (``explain``), only the files
        below the file explained, in its kind's ranking, could change its rank."""
        groups: dict[str, list[Hotspot]] = {}
        for h in hotspots:
            groups.setdefault(h.kind, []).append(h)
        if run.reach_path is not None:
            kind = next((h.kind for h in hotspots if h.path == run.reach_path), "")
            group = groups.get(kind, [])
            reach = next((i for i, h in enumerate(group, 1) if h.path == run.reach_path), 0)
            below = group[reach:] if reach else []
            return (self.hooks.prune_checks(group, reach, config, run) if below else []), below
        pruned: set[str] = set()
        for group in groups.values():
            answer = self.hooks.prune_checks(group, run.reach, config, run)
            if answer is None:
                return None, hotspots
            pruned.update(answer)
        return frozenset(pruned), hotspots

    def _weigh(self, analyses: Sequence[FileAnalysis], focus: Focus, config: Config,
               run: Run) -> list[FileAnalysis]:
        """The analyses with their roadmap weights (a file in ``run.weigh_as`` weighed as
        the path it names), sorted by path."""
        alias = dict(run.weigh_as)
        weighed = [evolve(a, weights=self.hooks.focus_weight(
                       evolve(a.file, path=alias[a.file.path]) if a.file.path in alias
                       else a.file, a.history, focus, config))
                   for a in analyses]
        return sorted(weighed, key=lambda a: a.file.path)

    def configure(self, root: Path, *, config_file: str | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Config:
        raw = find_config_file(root, config_file)
        config = build_config(root, raw, self.options, overrides)
        self.hooks.configure(config)
        return config

    def scan(self, config: Config, run: Run | None = None, *,
             progress: Progress | None = None, in_process: bool = False) -> ScanResult:
        """Run the whole pipeline on the repository at ``config.root``, for ``run`` (the
        working tree at HEAD by default; see :class:`~frictionscan.core.run.Run`).

        With ``run.reach``, the report shows only the first ``reach`` files of the ranking,
        so files whose findings could not bring them there need no friction checks
        (``frictionscan_prune_checks``); ranks beyond ``reach`` are then lower bounds. Every
        scan's timings and cache figures are its own (``ScanResult.stats``)."""
        run = run or Run()
        root = Path(config.root)
        phase = FilePhase(hooks=self.hooks, spec=self.spec, root=root, config=config, run=run,
                          options=self.options, progress=progress, in_process=in_process,
                          warnings=[], handover=self._shared)
        if self._shared is not None:
            phase.pool = self._shared.pop("pool", None)
        with phase.timed("files"):
            collected = self.hooks.collect_files(root, config, run)
            if run.paths is not None:
                wanted = frozenset(run.paths)
                collected = tuple(f for f in collected if f.path in wanted)
            kept = tuple(evolve(f, kind=self.hooks.file_kind(f, config))
                         for f in collected if not self.hooks.ignore_file(f, config))
            shown = self._shown_kinds(kept, config, run)
            files = tuple(f for f in kept if f.kind in shown)
            phase.kinds = Counter(f.kind for f in kept)
            unknown = [k for k in config.kinds
                       if k != "all" and k not in KINDS and k not in phase.kinds]
            if unknown:  # a plugin's own kind counts once a file is of it
                seen = ", ".join(k for k in phase.kinds if k not in KINDS)
                raise UsageError(f"--kinds: no kind of file called {', '.join(unknown)} (the "
                                 f"kinds: {', '.join(KINDS)}{', ' + seen if seen else ''}, "
                                 f"or all)")
            phase.shown = shown
            phase.kept = kept
        if not files and run.paths is None:
            excluded = f", {len(collected)} of them excluded" if collected else ""
            other = sum(phase.kinds.values())
            also = (f"; {other} files of other kinds are not ranked (--kinds: "
                    f"{', '.join(sorted(phase.kinds))})") if other else ""
            phase.warn(f"no files to analyse: {len(collected)} tracked files match include "
                       f"({', '.join(config.include)}){excluded}{also}")
        # the workers import the checks' parser while git runs when the first files they
        # get are checked: every file of a full report, the files named in check_paths
        phase.prestart(files, checks=not run.reach or bool(run.check_paths))
        try:
            return self._scan(phase, collected, files)
        finally:
            phase.close()

    @staticmethod
    def _shown_kinds(files: Sequence[SourceFile], config: Config, run: Run) -> frozenset[str]:
        """The kinds of files this scan ranks: ``config.kinds`` (``all``: every kind), the
        kinds of the files the run must check (``explain``'s file is ranked among its own
        kind), and every kind when the run names its files (``ci``'s merge base)."""
        present = {f.kind for f in files}
        if "all" in config.kinds or run.paths is not None:
            return frozenset(present)
        must = frozenset(run.check_paths)
        return frozenset(config.kinds) | {f.kind for f in files if f.path in must}

    @staticmethod
    def _generated(phase: FilePhase, analyses: list[FileAnalysis]) -> list[FileAnalysis]:
        """Files whose first lines say they are generated are of kind ``generated``,
        whatever ``frictionscan_file_kind`` said; unless that kind is shown, they leave
        the ranking (counted with their kind)."""
        out = []
        for a in analyses:
            if a.file.kind != "generated" and any(
                    e.kind is ErrorKind.SKIPPED and e.message.startswith("generated file")
                    for e in a.errors):
                phase.kinds[a.file.kind] -= 1
                phase.kinds["generated"] += 1
                a = evolve(a, file=evolve(a.file, kind="generated"))
            if a.file.kind in phase.shown:
                out.append(a)
        return out

    def _rank(self, analyses: Sequence[FileAnalysis], config: Config) -> tuple[Hotspot, ...]:
        """Score every file, then rank each kind of file on its own (``frictionscan_rank``
        per kind): product code first, then the other kinds in :data:`KINDS` order."""
        scored = self.hooks.score(analyses, config)
        groups: dict[str, list[Hotspot]] = {}
        for h in scored:
            groups.setdefault(h.kind, []).append(h)
        order = sorted(groups, key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))
        return tuple(h for kind in order for h in self.hooks.rank(groups[kind], config))

    def _history(self, phase: FilePhase, files: Sequence[SourceFile]) -> History:
        """``frictionscan_collect_history``, with the store it may keep its work in (the
        cache's warnings become the scan's)."""
        config = phase.config
        cache = Cache(default_dir(phase.root, config.cache_dir)) if config.cache else None
        try:
            return self.hooks.collect_history(
                phase.root, files, config,
                cache.store("collect_history") if cache is not None else None, phase.run)
        finally:
            if cache is not None:
                phase.warn(*cache.warnings)
                cache.close()

    @staticmethod
    def xray_paths(hotspots: Sequence[Hotspot], config: Config, run: Run) -> list[str]:
        """The files whose functions reach the report: the first ``run.reach`` and the
        ``run.check_paths``, else the first :data:`XRAY_FILES`; all with
        ``--all-functions``."""
        if config.all_functions:
            return [h.path for h in hotspots]
        first = [h.path for h in hotspots[:run.reach]] if run.reach else []
        wanted = list(dict.fromkeys(first + list(run.check_paths)))
        return wanted or [h.path for h in hotspots[:XRAY_FILES]]

    def _xray(self, root: Path, config: Config, run: Run, history: History,
              hotspots: tuple[Hotspot, ...], paths: Sequence[str]) -> tuple[Hotspot, ...]:
        """The hotspots, those of ``paths`` with their functions' history
        (``frictionscan_function_history``, with the store it may keep its work in)."""
        wanted = frozenset(paths)
        analyses = [h.analysis for h in hotspots if h.path in wanted and h.functions is None]
        if not analyses:
            return hotspots
        cache = Cache(default_dir(root, config.cache_dir)) if config.cache else None
        try:
            found = self.hooks.function_history(
                root, analyses, history, config, run,
                cache.store("function_history") if cache is not None else None)
        finally:
            if cache is not None:
                cache.close()
        return tuple(evolve(h, functions=found.get(h.path, ()))
                     if h.path in wanted and h.functions is None else h for h in hotspots)

    def xray(self, config: Config, result: ScanResult, paths: Sequence[str],
             run: Run | None = None) -> ScanResult:
        """``result`` with the functions' history of the files ``paths`` (``plan`` asks for
        its targets' and quick wins' once it has chosen them); the time it took is the
        result's ``seconds_xray``."""
        import time

        run = run or Run()
        started = time.perf_counter()
        if config.all_functions:
            paths = [h.path for h in result.hotspots]
        wanted = frozenset(paths)
        history = History(head=result.head, head_time=result.head_time, since=result.since,
                          files=tuple(h.analysis.history for h in result.hotspots
                                      if h.path in wanted))
        hotspots = self._xray(Path(config.root), config, evolve(run, now=result.head_time),
                              history, result.hotspots, paths)
        spent = round(time.perf_counter() - started + (result.stat("seconds_xray") or 0), 3)
        stats = tuple(s for s in result.stats if s[0] != "seconds_xray")
        return evolve(result, hotspots=hotspots, stats=(*stats, ("seconds_xray", spent)))

    def _insights(self, phase: FilePhase, files: Sequence[SourceFile], history: History,
                  focus: Focus) -> Insights:
        """``frictionscan_analyse_repository``, once per scan of the whole repository (a
        scan of some files only, ``ci``'s merge base, has nothing to analyse), with the
        store its implementations share."""
        if phase.run.paths is not None:
            return Insights()
        config = phase.config
        cache = Cache(default_dir(phase.root, config.cache_dir)) if config.cache else None
        try:
            return self.hooks.analyse_repository(
                phase.root, files, history, focus, config, phase.run,
                cache.store("analyse_repository") if cache is not None else None)
        finally:
            if cache is not None:
                phase.warn(*cache.warnings)
                cache.close()

    def _items(self, phase: FilePhase, files: Sequence[SourceFile],
               history: History) -> list[Item]:
        """Each file with its history. A past revision's contents come from git objects
        when a file is analysed afresh (:meth:`FilePhase.analyse`), so a cached file of a
        past commit costs no read."""
        return [(f, history.for_file(f.path)) for f in files]

    def _scan(self, phase: FilePhase, collected: Sequence[SourceFile],
              files: Sequence[SourceFile]) -> ScanResult:
        root, config, progress = phase.root, phase.config, phase.progress
        if progress:
            progress("reading history of", 0, len(files))
        with phase.timed("history"):
            # every kind's history: what files change together and who knows them is read
            # over all of them (tests changing with their code, say), ranked or not
            history = self._history(phase, phase.kept or files)
        if progress:
            progress("reading history of", len(files), len(files))
        phase.warn(*history.warnings)
        if history.shallow:
            phase.warn("this is a shallow clone: history is truncated, so churn and ages "
                       "are incomplete; run `git fetch --unshallow` (GitHub Actions: "
                       "fetch-depth: 0, GitLab CI: GIT_DEPTH: 0)")
        run = phase.run = evolve(phase.run, now=phase.run.now or history.head_time)
        items = self._items(phase, files, history)
        pruning = (run.reach > 0 or run.reach_path is not None) and not config.all_findings
        with phase.timed("analyse"):
            unchecked = self.hooks.skip_checks(files, history, config, run)
            first = frozenset(f.path for f in files) - frozenset(run.check_paths) \
                if pruning else unchecked
            analyses = self._generated(phase, phase.analyse(items, first))
        with phase.timed("focus"):
            evidence = self.hooks.evidence(root, phase.kept or files, history, config, run)
            phase.warn(*evidence.warnings)
            focus = self.hooks.load_focus(root, config, history, evidence)
            if run.paths is None:
                for area in focus.areas:
                    if not any(match_any(f.path, area.paths) for f in files):
                        phase.warn(f"focus area {area.name!r}: paths "
                                   f"{', '.join(area.paths)} match no analysed file")
            analyses = self._weigh(analyses, focus, config, run)
        with phase.timed("repository"):
            insights = self._insights(phase, phase.kept or files, history, focus)
        with phase.timed("score"):
            hotspots = self._rank(analyses, config)
        if pruning:
            analyses, hotspots = self._check_reachable(phase, items, analyses, hotspots, focus,
                                                       first - unchecked)
        if run.xray:
            with phase.timed("xray"):
                hotspots = self._xray(phase.root, config, run, history, hotspots,
                                      self.xray_paths(hotspots, config, run))
        errors = tuple(e for a in analyses for e in a.errors)
        kinds = tuple((kind, n, kind in phase.shown) for kind, n in sorted(
            (+phase.kinds).items(),
            key=lambda t: (KINDS.index(t[0]) if t[0] in KINDS else len(KINDS), t[0])))
        stats = (
            ("files", len(analyses)),
            ("files_collected", len(collected)),
            ("commits_in_window", history.commits_in_window),
            ("findings", sum(len(a.findings) for a in analyses)),
            ("files_checked", sum(a.checked for a in analyses)),
            ("cached_files", len(files) - len(phase.analysed)),
            *((f"seconds_{k}", round(v, 3)) for k, v in phase.timings.items()),
        )
        return ScanResult(root=str(root), head=history.head, head_time=history.head_time,
                          since=history.since, hotspots=hotspots, errors=errors,
                          warnings=tuple(phase.warnings), stats=stats, focus=focus,
                          order=config.order, insights=insights, evidence=evidence,
                          kinds=kinds)
