"""The pipeline: configure, collect files, read history, analyse files, weigh, score, rank.

The core knows no git, radon or libcst: every phase is a hook call answered by plugins. The
only thing it knows about repositories is how to find the top-level directory (the nearest
parent holding ``.git``), because the configuration lives there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frictionscan.cache import (
    Cache,
    analysis_from_parts,
    blob_sha,
    default_dir,
    digest,
    digest_strings,
    encode_parts,
)
from frictionscan.config import Config, Option, OptionParser, build_config, find_config_file
from frictionscan.errors import FrictionscanError, RepositoryError, UsageError
from frictionscan.globs import match_any
from frictionscan.hooks import HookCalls
from frictionscan.manager import FrictionscanPluginManager, PluginSpec, build_plugin_manager
from frictionscan.model import (
    ErrorKind,
    FileAnalysis,
    FileHistory,
    Focus,
    Hotspot,
    ScanResult,
    SourceFile,
    evolve,
)

if TYPE_CHECKING:  # the pool and the analysis are imported when files need analysing
    from frictionscan.pool import Item, WorkerPool

#: Called as ``progress(phase, done, total)``; ``total`` is 0 while unknown.
Progress = Callable[[str, int, int], None]



def _from_cache(item: Item, entry: Mapping[str, Any], unchecked: bool) -> FileAnalysis:
    """The cached analysis; without findings when they are not wanted this time (as a fresh
    analysis would be: a result does not depend on what the cache holds)."""
    return analysis_from_parts(item[0], item[1], entry, without_findings=unchecked)


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
    #: Cache keys computed before the history was read (when they do not depend on it).
    _known_keys: dict[str, str] = field(default_factory=dict)
    #: Paths analysed afresh (not from the cache) in the current scan.
    _analysed: set[str] = field(default_factory=set)
    #: Checked cache entries read in the current scan, by path (for the second pass).
    _checked_entries: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def start(cls, spec: PluginSpec) -> Session:
        """Load plugins and collect the options they declare."""
        pm = build_plugin_manager(spec)
        hooks = HookCalls(pm)
        parser = OptionParser()
        hooks.addoption(parser)
        return cls(spec=spec, pm=pm, hooks=hooks, options=parser.options)

    def _plugins_digest(self) -> str:
        import sys

        return digest(sorted(
            (name, getattr(sys.modules.get(getattr(plugin, "__name__", ""), None),
                           "__version__", None) or getattr(plugin, "__version__", None)
             or type(plugin).__qualname__)
            for name, plugin in self.pm.list_name_plugin() if plugin is not None))

    def _check_reachable(self, root: Path, config: Config, items: list[Item],
                         analyses: list[FileAnalysis], hotspots: tuple[Hotspot, ...],
                         focus: Focus, reach: int, candidates: frozenset[str],
                         progress: Progress | None, in_process: bool, warnings: list[str],
                         pool: WorkerPool | None) -> tuple[list[FileAnalysis],
                                                          tuple[Hotspot, ...]]:
        """Check the ``candidates`` whose findings could bring them into the first ``reach``
        (``frictionscan_prune_checks``), in rounds: every check can raise the bar the rest
        must reach, so the files ranked highest are checked first and the question is asked
        again. Results the cache holds cost nothing and are taken in the first round; fresh
        analyses go in batches (the first ``reach`` wanted files, then a few per worker, or
        one per 200 files in the repository if that is more)."""
        done: set[str] = set()
        by_path = {item[0].path: item for item in items}
        batch = max(reach, 1)
        while True:
            pruned = self.hooks.prune_checks(hotspots, reach, config)
            wanted = [h.path for h in hotspots if h.path in candidates
                      and h.path not in done and (pruned is None or h.path not in pruned)]
            if not wanted:
                return analyses, hotspots
            known = self._checked_entries  # checked results read in the first pass
            cached = [p for p in wanted if p in known]
            fresh = [p for p in wanted if p not in known]
            if pruned is not None:  # else everything now: nothing would be pruned later
                fresh = fresh[:batch]
            # later rounds: a few files per worker, more on large repositories, where each
            # round's scoring and ranking of every file costs more (0.1 s for 5,000 files)
            batch = max(2 * max(config.effective_jobs, 2), len(analyses) // 200)
            done.update(cached, fresh)
            with self._phase("analyse"):
                checked = [self._with_history_measurements(
                    _from_cache(by_path[p], known[p], False), config) for p in cached]
                if fresh:
                    checked += self._analyse(root, config, [by_path[p] for p in fresh],
                                             progress, in_process, warnings, pool)
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

    def _prestart(self, root: Path, config: Config, files: Sequence[SourceFile],
                  warnings: list[str], checks: bool = True) -> WorkerPool | None:
        """Start workers before the history is read when some files will need them: their
        start-up (plugins, parsers) then overlaps with git. Only possible when the cache keys
        do not depend on the history."""
        if not files:
            return None
        jobs = min(config.effective_jobs, len(files))
        if config.cache and not self.hooks.content_needs_history:
            cache = Cache(default_dir(root, config.cache_dir))
            empty = [(f, FileHistory.empty(f.path)) for f in files]
            keys = self._cache_keys(root, config, empty)
            self._known_keys = keys  # history-independent: reused after the history is read
            found = cache.has_files(set(keys.values()))
            misses = sum(1 for f in files if keys.get(f.path) not in found)
            warnings.extend(cache.warnings)
            cache.close()
            if not misses:
                return None
            jobs = min(jobs, misses)
        from frictionscan.pool import WorkerPool

        pool = WorkerPool(self.spec, config, jobs=jobs, file_timeout=config.file_timeout,
                          warm_checks=checks)
        pool.start(jobs)
        return pool

    def _analyse(self, root: Path, config: Config, items: list[Item],
                 progress: Progress | None, in_process: bool,
                 warnings: list[str], pool: WorkerPool | None = None,
                 unchecked: frozenset[str] = frozenset()) -> list[FileAnalysis]:
        """The per-file phase: cached results where the content is unchanged (and checked,
        unless it need not be), workers for the rest, then the history-only measurements
        (never cached)."""
        cache = Cache(default_dir(root, config.cache_dir)) if config.cache else None
        keys, found = self._lookup(cache, root, config, items)

        def hit(path: str) -> dict[str, Any] | None:
            entry = found.get(keys.get(path, ""))
            return entry if entry is not None and (entry["checked"] or path in unchecked) \
                else None

        todo = [item for item in items if hit(item[0].path) is None]
        self._analysed.update(item[0].path for item in todo)
        self._checked_entries.update((path, entry) for path, key in keys.items()
                                     if (entry := found.get(key)) is not None
                                     and entry["checked"])
        fresh = self._run_fresh(config, todo, progress, in_process, pool, unchecked)
        if cache is not None:
            self._store(cache, config, keys, fresh)
            warnings.extend(cache.warnings)
            cache.close()
        analyses = fresh + [_from_cache(item, entry, item[0].path in unchecked)
                            for item in items if (entry := hit(item[0].path)) is not None]
        return [self._with_history_measurements(a, config) for a in analyses]

    def _lookup(self, cache: Cache | None, root: Path, config: Config, items: list[Item]
                ) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        """Cache keys per path, and the entries found (minus those dated another day)."""
        if cache is None or not items:
            return {}, {}
        keys = self._known_keys or self._cache_keys(root, config, items)
        today = config.now.date().isoformat() if config.now else None
        found = cache.get_files({key for item in items if (key := keys.get(item[0].path))})
        return keys, {k: v for k, v in found.items() if v["dated"] in (None, today)}

    def _run_fresh(self, config: Config, todo: list[Item], progress: Progress | None,
                   in_process: bool, pool: WorkerPool | None,
                   unchecked: frozenset[str] = frozenset()) -> list[FileAnalysis]:
        """Analyse what the cache did not have: in this process, or in the worker pool."""
        fresh: list[FileAnalysis] = []
        if not todo:
            pass
        elif in_process:
            from frictionscan.worker import analyse_file

            fresh = [analyse_file(self.hooks, config, item[0], item[1],
                                  item[2] if len(item) > 2 else None,  # type: ignore[misc]
                                  check=item[0].path not in unchecked)
                     for item in todo]
        else:
            from frictionscan.pool import WorkerPool

            own = pool is None  # else started early by scan(), which closes it
            if pool is None:
                pool = WorkerPool(self.spec, config, jobs=min(config.effective_jobs, len(todo)),
                                  file_timeout=config.file_timeout)
            try:
                fresh = pool.run(todo, config=config, unchecked=unchecked, progress=(
                    (lambda done: progress("analysing", done, len(todo))) if progress
                    else None))
            finally:
                if own:
                    pool.close()
        if progress:
            progress("analysing", len(todo), len(todo))
        return fresh

    @staticmethod
    def _store(cache: Cache, config: Config, keys: Mapping[str, str],
               fresh: list[FileAnalysis]) -> None:
        """Keep fresh results, except those of crashed, timed-out or failing plugins (the
        next run should try again). Files with the same content share a key: a checked
        result wins over an unchecked one."""
        today = config.now.date().isoformat() if config.now else None
        failed = (ErrorKind.CRASH, ErrorKind.TIMEOUT, ErrorKind.PLUGIN)
        kept: dict[str, FileAnalysis] = {}
        for a in fresh:
            key = keys.get(a.file.path)
            if key is None or any(e.kind in failed for e in a.errors):
                continue
            if key not in kept or (a.checked and not kept[key].checked):
                kept[key] = a
        cache.put_files({key: encode_parts(a.measurements, a.findings, a.suppressed, a.errors,
                                           today if a.dated else None, a.checked)
                         for key, a in kept.items()})

    def _with_history_measurements(self, a: FileAnalysis, config: Config) -> FileAnalysis:
        extra, errors = self.hooks.measure_history(a.file, a.history, config)
        if not extra and not errors:
            return a
        return evolve(a, measurements=(*a.measurements, *extra), errors=(*a.errors, *errors))

    def _cache_keys(self, root: Path, config: Config,
                    items: Sequence[Item]) -> dict[str, str]:
        """Content-addressed keys: blob SHA (hashed anew for files with uncommitted
        changes), plugins and versions, result-relevant options, and the history when a
        content measurement reads it."""
        try:
            past = (config.revision or "HEAD") != "HEAD"  # blobs from ls-tree are exact
            changed = frozenset() if past else self.hooks.changed_files(root, config)
        except FrictionscanError:
            return {}
        plugins = self._plugins_digest()
        options = digest(config.options, config.max_file_size)
        needs_history = self.hooks.content_needs_history
        keys = {}
        for item in items:
            f, h = item[0], item[1]
            blob = f.blob
            if f.path in changed or blob is None:
                try:
                    blob = blob_sha((root / f.path).read_bytes())
                except OSError:
                    continue
            hist = digest(h.revisions, h.added, h.deleted, h.authors, h.fixes, h.recency,
                          h.change_times) if needs_history else ""
            keys[f.path] = digest_strings(blob, plugins, options, hist)
        return keys

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
        warnings: list[str] = []
        self._known_keys = {}
        self._analysed = set()
        self._checked_entries = {}
        with self._phase("files"):
            collected = self.hooks.collect_files(root, config)
            files = tuple(f for f in collected if not self.hooks.ignore_file(f, config))
        if not files:
            excluded = f", {len(collected)} of them excluded" if collected else ""
            warnings.append(f"no files to analyse: {len(collected)} tracked files match include "
                            f"({', '.join(config.include)}){excluded}")
        pool = self._prestart(root, config, files, warnings, checks=not reach) \
            if not in_process else None
        try:
            return self._scan(root, config, collected, files, warnings, pool, progress,
                              in_process, reach)
        finally:
            if pool is not None:
                pool.close()

    def _scan(self, root: Path, config: Config, collected: Sequence[SourceFile],
              files: Sequence[SourceFile], warnings: list[str], pool: WorkerPool | None,
              progress: Progress | None, in_process: bool, reach: int) -> ScanResult:
        if progress:
            progress("reading history of", 0, len(files))
        with self._phase("history"):
            history = self.hooks.collect_history(root, files, config)
        if progress:
            progress("reading history of", len(files), len(files))
        warnings.extend(history.warnings)
        if history.shallow:
            warnings.append("this is a shallow clone: history is truncated, so churn and ages "
                            "are incomplete; run `git fetch --unshallow` (GitHub Actions: "
                            "fetch-depth: 0, GitLab CI: GIT_DEPTH: 0)")
        config = replace(config, now=history.head_time)
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
            analyses = self._analyse(root, config, items, progress, in_process, warnings, pool,
                                     first)
        with self._phase("focus"):
            focus = self.hooks.load_focus(root, config, history)
            for area in focus.areas:
                if not any(match_any(f.path, area.paths) for f in files):
                    warnings.append(f"focus area {area.name!r}: paths "
                                    f"{', '.join(area.paths)} match no analysed file")
            analyses = self._weigh(analyses, focus, config)
        with self._phase("score"):
            hotspots = self.hooks.rank(self.hooks.score(analyses, config), config)
        if pruning:
            analyses, hotspots = self._check_reachable(
                root, config, items, analyses, hotspots, focus, reach,
                first - unchecked, progress, in_process, warnings, pool)
        self.cache_hits = len(files) - len(self._analysed)
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
                          warnings=tuple(warnings), stats=stats, focus=focus,
                          order=config.order)
