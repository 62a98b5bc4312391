"""The pipeline: configure, collect files, read history, analyse files, weigh, score, rank.

The core knows no git, radon or libcst: every phase is a hook call answered by plugins. The
only thing it knows about repositories is how to find the top-level directory (the nearest
parent holding ``.git``), because the configuration lives there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from frictionscan.config import Config, Option, OptionParser, build_config, find_config_file
from frictionscan.errors import RepositoryError, UsageError
from frictionscan.globs import match_any
from frictionscan.hooks import HookCalls
from frictionscan.manager import FrictionscanPluginManager, PluginSpec, build_plugin_manager
from frictionscan.model import FileHistory, ScanResult, SourceFile
from frictionscan.pool import WorkerPool
from frictionscan.worker import analyse_file

#: Called as ``progress(phase, done, total)``; ``total`` is 0 while unknown.
Progress = Callable[[str, int, int], None]

Item = tuple[SourceFile, FileHistory]


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

    @classmethod
    def start(cls, spec: PluginSpec) -> Session:
        """Load plugins and collect the options they declare."""
        pm = build_plugin_manager(spec)
        hooks = HookCalls(pm)
        parser = OptionParser()
        hooks.addoption(parser)
        return cls(spec=spec, pm=pm, hooks=hooks, options=parser.options)

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
             in_process: bool = False) -> ScanResult:
        """Run the whole pipeline on the repository at ``config.root``."""
        root = Path(config.root)
        warnings: list[str] = []
        with self._phase("files"):
            collected = self.hooks.collect_files(root, config)
            files = tuple(f for f in collected if not self.hooks.ignore_file(f, config))
        if not files:
            excluded = f", {len(collected)} of them excluded" if collected else ""
            warnings.append(f"no files to analyse: {len(collected)} tracked files match include "
                            f"({', '.join(config.include)}){excluded}")
        if progress:
            progress("reading history of", 0, len(files))
        with self._phase("history"):
            history = self.hooks.collect_history(root, files, config)
        if progress:
            progress("reading history of", len(files), len(files))
        if history.shallow:
            warnings.append("this is a shallow clone: history is truncated, so churn and ages "
                            "are incomplete; run `git fetch --unshallow` (GitHub Actions: "
                            "fetch-depth: 0, GitLab CI: GIT_DEPTH: 0)")
        config = replace(config, now=history.head_time)
        items = [(f, history.for_file(f.path)) for f in files]
        with self._phase("analyse"):
            if in_process:
                analyses = [analyse_file(self.hooks, config, f, h) for f, h in items]
                if progress:
                    progress("analysing", len(items), len(items))
            else:
                pool = WorkerPool(self.spec, config, jobs=min(config.effective_jobs, len(items)),
                                  file_timeout=config.file_timeout)
                analyses = pool.run(items, progress=(
                    (lambda done: progress("analysing", done, len(items))) if progress else None))
        analyses.sort(key=lambda a: a.file.path)
        with self._phase("focus"):
            focus = self.hooks.load_focus(root, config, history)
            for area in focus.areas:
                if not any(match_any(f.path, area.paths) for f in files):
                    warnings.append(f"focus area {area.name!r}: paths "
                                    f"{', '.join(area.paths)} match no analysed file")
            analyses = [replace(a, weights=self.hooks.focus_weight(a.file, a.history, focus,
                                                                   config))
                        for a in analyses]
        with self._phase("score"):
            hotspots = self.hooks.rank(self.hooks.score(analyses, config), config)
        errors = tuple(e for a in analyses for e in a.errors)
        stats = (
            ("files", len(files)),
            ("files_collected", len(collected)),
            ("commits_in_window", history.commits_in_window),
            ("findings", sum(len(a.findings) for a in analyses)),
            *((f"seconds_{k}", round(v, 3)) for k, v in self.timings.items()),
        )
        return ScanResult(root=str(root), head=history.head, head_time=history.head_time,
                          since=history.since, hotspots=hotspots, errors=errors,
                          warnings=tuple(warnings), stats=stats, focus=focus)
