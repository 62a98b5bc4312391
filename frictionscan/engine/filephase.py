"""The per-file phase of one scan: cache lookups, the worker pool, and what they remember.

One :class:`FilePhase` lives for one :meth:`Session.scan
<frictionscan.engine.session.Session.scan>`. It holds what the steps of that scan share: where the
repository is, the configuration (given "now" once the history is read), the worker pool
started early, the cache keys computed before the history was read, the files analysed
afresh, and the checked cache entries the first pass of a top-N report read (the later
rounds take them without asking the cache again).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frictionscan.core.config import Config, Option
from frictionscan.core.errors import FrictionscanError
from frictionscan.core.model import ErrorKind, FileAnalysis, FileHistory, SourceFile, evolve
from frictionscan.core.run import Run
from frictionscan.engine.cache import (
    Cache,
    analysis_from_parts,
    blob_sha,
    default_dir,
    digest,
    digest_strings,
    encode_parts,
)
from frictionscan.plugin.hooks import HookCalls
from frictionscan.plugin.manager import PluginSpec

if TYPE_CHECKING:  # the pool and the analysis are imported when files need analysing
    from frictionscan.engine.pool import Item, WorkerPool

#: Called as ``progress(phase, done, total)``; ``total`` is 0 while unknown.
Progress = Callable[[str, int, int], None]


def from_cache(item: Item, entry: Mapping[str, Any], unchecked: bool) -> FileAnalysis:
    """The cached analysis; without findings when they are not wanted this time (as a fresh
    analysis would be: a result does not depend on what the cache holds)."""
    return analysis_from_parts(item[0], item[1], entry, without_findings=unchecked)


def plugins_digest(hooks: HookCalls) -> str:
    """The plugins whose answers make a file's result, and their versions, for cache keys
    (:attr:`HookCalls.per_file_plugins`)."""
    wanted = hooks.per_file_plugins
    return digest(sorted(
        (name, getattr(sys.modules.get(getattr(plugin, "__name__", ""), None),
                       "__version__", None) or getattr(plugin, "__version__", None)
         or type(plugin).__qualname__)
        for name, plugin in hooks.pm.list_name_plugin()
        if plugin is not None and name in wanted))


def options_digest(hooks: HookCalls, config: Config, options: Sequence[Option]) -> str:
    """The options a file's result can depend on: those declared by the plugins that make
    it (and options no plugin declared, to be safe), and ``max_file_size``."""
    wanted = hooks.per_file_plugins
    owner = {o.key: o.plugin for o in options}
    kept = [(k, v) for k, v in config.options if owner.get(k) is None or owner[k] in wanted]
    return digest(kept, config.max_file_size)


@dataclass
class FilePhase:
    """Analyses files for one scan: from the cache where it can, else in workers."""

    hooks: HookCalls
    spec: PluginSpec
    root: Path
    #: The run's options.
    config: Config
    #: What the scan is of; :meth:`Session.scan` sets "now" once the history is read.
    run: Run
    progress: Progress | None
    in_process: bool
    #: One-line warnings for the report (the cache's, for example), each once, in the order
    #: they were first given: add them with :meth:`warn`.
    warnings: list[str]
    #: The options plugins declared (which plugin declared each: cache keys).
    options: Sequence[Option] = ()
    #: Workers started before the history was read (or handed over by the session's
    #: previous scan); closed by :meth:`close`, or handed over.
    pool: WorkerPool | None = None
    #: Where the workers go after the scan instead of being closed (``Session.sharing``:
    #: the next scan of the session takes them, warm).
    handover: dict[str, Any] | None = None
    #: Cache keys computed before the history was read (when they do not depend on it).
    known_keys: dict[str, str] = field(default_factory=dict)
    #: Paths analysed afresh (not from the cache).
    analysed: set[str] = field(default_factory=set)
    #: Checked cache entries read so far, by path.
    checked_entries: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Files per kind (after the excludes), and the kinds this scan ranks.
    kinds: Counter[str] = field(default_factory=Counter)
    shown: frozenset[str] = frozenset()
    #: Every file kept after the excludes, of every kind (``files`` are the ranked ones).
    kept: tuple[SourceFile, ...] = ()
    #: Files given to :meth:`analyse` afresh so far (the progress bar's total).
    queued: int = 0
    #: Seconds spent per step of this scan, in order.
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Add the time the block takes to ``timings[step]``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - t0

    def prestart(self, files: Sequence[SourceFile], checks: bool = True) -> None:
        """Start workers before the history is read when some files will need them: their
        start-up (plugins, parsers) then overlaps with git. Only possible when the cache keys
        do not depend on the history. ``checks``: whether the first files they analyse are
        checked (else they import the friction rules' parser only when a file needs it)."""
        config = self.config
        if not files or self.in_process:
            return
        jobs = min(config.effective_jobs, len(files))
        if config.cache and not self.hooks.content_needs_history:
            cache = Cache(default_dir(self.root, config.cache_dir))
            empty = [(f, FileHistory.empty(f.path)) for f in files]
            keys = self.cache_keys(empty)
            self.known_keys = keys  # history-independent: reused after the history is read
            found = cache.has_files(set(keys.values()))
            misses = sum(1 for f in files if keys.get(f.path) not in found)
            self.warn(*cache.warnings)
            cache.close()
            if not misses:
                return
            jobs = min(jobs, misses)
        if self.pool is not None:  # handed over by the session's previous scan
            self.pool.jobs = max(self.pool.jobs, jobs)
        else:
            from frictionscan.engine.pool import WorkerPool

            self.pool = WorkerPool(self.spec, config, jobs=jobs,
                                   file_timeout=config.file_timeout, warm_checks=checks)
        self.pool.start(jobs)

    def warn(self, *messages: str) -> None:
        """Add warnings to the report, those it has already left out: the cache is opened
        several times per scan (before the history, for it, once per round of checks), and
        each opening repeats what went wrong with it."""
        self.warnings.extend(m for m in dict.fromkeys(messages) if m not in self.warnings)

    def close(self) -> None:
        if self.pool is None:
            return
        if self.handover is not None:
            self.handover["pool"] = self.pool
        else:
            self.pool.close()

    def analyse(self, items: list[Item],
                unchecked: frozenset[str] = frozenset()) -> list[FileAnalysis]:
        """Cached results where the content is unchanged (and checked, unless it need not
        be), workers for the rest, then the history-only measurements (never cached)."""
        config = self.config
        cache = Cache(default_dir(self.root, config.cache_dir)) if config.cache else None
        keys, found = self._lookup(cache, items)

        def hit(path: str) -> dict[str, Any] | None:
            entry = found.get(keys.get(path, ""))
            return entry if entry is not None and (entry["checked"] or path in unchecked) \
                else None

        todo = [item for item in items if hit(item[0].path) is None]
        self.analysed.update(item[0].path for item in todo)
        self.checked_entries.update((path, entry) for path, key in keys.items()
                                    if (entry := found.get(key)) is not None
                                    and entry["checked"])
        fresh = self._run_fresh(todo, unchecked)
        if cache is not None:
            self._store(cache, keys, fresh)
            self.warn(*cache.warnings)
            cache.close()
        analyses = fresh + [from_cache(item, entry, item[0].path in unchecked)
                            for item in items if (entry := hit(item[0].path)) is not None]
        return [self.with_history_measurements(a) for a in analyses]

    def checked_from_cache(self, item: Item) -> FileAnalysis | None:
        """The checked result read earlier in this scan, if the cache had one."""
        entry = self.checked_entries.get(item[0].path)
        if entry is None:
            return None
        return self.with_history_measurements(from_cache(item, entry, False))

    def _lookup(self, cache: Cache | None, items: list[Item]
                ) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        """Cache keys per path, and the entries found (minus those dated another day)."""
        if cache is None or not items:
            return {}, {}
        keys = self.known_keys or self.cache_keys(items)
        now = self.run.now
        today = now.date().isoformat() if now else None
        found = cache.get_files({key for item in items if (key := keys.get(item[0].path))})
        return keys, {k: v for k, v in found.items() if v["dated"] in (None, today)}

    def _run_fresh(self, todo: list[Item],
                   unchecked: frozenset[str] = frozenset()) -> list[FileAnalysis]:
        """Analyse what the cache did not have: in this process, or in the worker pool."""
        config, progress = self.config, self.progress
        fresh: list[FileAnalysis] = []
        if todo and self.run.past:
            todo = self._with_versions(todo)
        # the bar counts every file this scan analyses afresh (rounds of checks add to its
        # total), and shows its count before the first file is done
        before = self.queued
        self.queued += len(todo)
        if todo and progress:
            progress("analysing", before, self.queued)
        if not todo:
            pass
        elif self.in_process:
            from frictionscan.engine.worker import analyse_file

            fresh = [analyse_file(self.hooks, config, item[0], item[1],
                                  item[2] if len(item) > 2 else None,  # type: ignore[misc]
                                  check=item[0].path not in unchecked, now=self.run.now)
                     for item in todo]
        else:
            from frictionscan.engine.pool import WorkerPool

            if self.pool is None:  # closed with the phase, reused by later rounds
                self.pool = WorkerPool(self.spec, config,
                                       jobs=min(config.effective_jobs, len(todo)),
                                       file_timeout=config.file_timeout)
            fresh = self.pool.run(todo, config=config, now=self.run.now, unchecked=unchecked,
                                  progress=(
                (lambda done: progress("analysing", before + done, self.queued))
                if progress else None))
        if todo and progress:
            progress("analysing", self.queued, self.queued)
        return fresh

    def _with_versions(self, todo: list[Item]) -> list[Item]:
        """The items with their contents from git objects (a past revision): read only for
        the files analysed afresh, so that a cached file of a past commit costs no read."""
        contents = self.hooks.read_versions(self.root, self.run.revision,
                                            [item[0].path for item in todo], self.config)
        return [(item[0], item[1], contents.get(item[0].path, b"")) for item in todo]

    def _store(self, cache: Cache, keys: Mapping[str, str], fresh: list[FileAnalysis]) -> None:
        """Keep fresh results, except those of crashed or timed-out workers (the next run
        should try again: a machine under load may finish it). A plugin that raised on a
        file raises again on the same content with the same plugins and options (all in
        the key): that result is kept, so that a warm scan does no per-file work. Files with
        the same content share a key: a checked result wins over an unchecked one."""
        now = self.run.now
        today = now.date().isoformat() if now else None
        failed = (ErrorKind.CRASH, ErrorKind.TIMEOUT)
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

    def with_history_measurements(self, a: FileAnalysis) -> FileAnalysis:
        extra, errors = self.hooks.measure_history(a.file, a.history, self.config)
        if not extra and not errors:
            return a
        return evolve(a, measurements=(*a.measurements, *extra), errors=(*a.errors, *errors))

    def cache_keys(self, items: Sequence[Item]) -> dict[str, str]:
        """Content-addressed keys: blob SHA (hashed anew for files with uncommitted
        changes), plugins and versions, result-relevant options, and the history when a
        content measurement reads it."""
        config, root = self.config, self.root
        try:
            # blobs from ls-tree are exact; in the working tree, changed files are hashed
            changed = frozenset() if self.run.past else self.hooks.changed_files(root, config)
        except FrictionscanError:
            return {}
        plugins = plugins_digest(self.hooks)
        options = options_digest(self.hooks, config, self.options)
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
