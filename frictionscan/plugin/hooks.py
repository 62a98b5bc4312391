"""A typed facade over ``pm.hook``: the core never calls hooks directly.

Each method passes keywords, flattens collector results, checks that plugins returned the
documented types, and turns plugin exceptions into errors that name the plugin and the hook:
per-file hooks call each implementation separately, so one failing plugin costs only its own
results for that file; whole-run hooks raise :class:`~frictionscan.core.errors.PluginError`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from frictionscan.core.config import Config, OptionParser
from frictionscan.core.errors import FrictionscanError, PluginError
from frictionscan.core.formatter import Formatter
from frictionscan.core.model import (
    AnalysisError,
    AppliedFix,
    Commit,
    ErrorKind,
    FileAnalysis,
    FileHistory,
    Finding,
    FixResult,
    Focus,
    History,
    Hotspot,
    Measurement,
    RevisionDiff,
    RuleInfo,
    SourceFile,
    Weight,
)
from frictionscan.core.run import Run
from frictionscan.core.store import Store

T = TypeVar("T")


def _blame(exc: BaseException, caller: pluggy.HookCaller) -> str | None:
    """The name of the plugin whose implementation raised ``exc`` (pluggy does not say)."""
    codes = {impl.function.__code__: impl.plugin_name for impl in caller.get_hookimpls()
             if hasattr(impl.function, "__code__")}
    blamed = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code in codes:
            blamed = codes[frame.f_code]
    return blamed


def _flatten(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)) or (
        isinstance(value, Iterable) and not isinstance(value, (str, bytes))
        and not hasattr(value, "__dataclass_fields__")
    ):
        return value
    return (value,)


class HookCalls:
    """One method per hook; see :mod:`frictionscan.plugin.hookspecs` for the contracts."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.hook = pm.hook

    # -- helpers ------------------------------------------------------------

    def _call(self, name: str, **kwargs: Any) -> Any:
        caller = getattr(self.hook, name)
        try:
            return caller(**kwargs)
        except FrictionscanError:
            raise
        except Exception as exc:
            plugin = _blame(exc, caller) or "?"
            raise PluginError(f"plugin {plugin!r} raised in {name}: "
                              f"{type(exc).__name__}: {exc}", plugin=plugin, hook=name) from exc

    def _first(self, name: str, expected: type[T] | tuple[type, ...], what: str,
               **kwargs: Any) -> Any:
        result = self._call(name, **kwargs)
        if result is None:
            raise PluginError(f"no plugin answered {name}: a plugin providing {what} is "
                              f"needed (was a built-in blocked with -p no:?)", hook=name)
        if not isinstance(result, expected):
            raise PluginError(f"{name} returned {type(result).__name__}, expected {what}",
                              hook=name)
        return result

    def _per_file(self, name: str, allowed: tuple[type, ...], path: str,
                  impls: Sequence[pluggy.HookImpl] | None = None,
                  **kwargs: Any) -> tuple[list[Any], list[AnalysisError]]:
        """Call each implementation on its own so a failing plugin costs only its results."""
        caller = getattr(self.hook, name)
        items: list[Any] = []
        errors: list[AnalysisError] = []
        for impl in reversed(caller.get_hookimpls()) if impls is None else impls:
            try:
                out = impl.function(*[kwargs[a] for a in impl.argnames])
                for item in _flatten(out):
                    if isinstance(item, AnalysisError):
                        errors.append(item if item.plugin else _with_plugin(item, impl))
                    elif isinstance(item, allowed):
                        items.append(item)
                    else:
                        raise TypeError(f"returned {type(item).__name__}, expected "
                                        f"{' or '.join(t.__name__ for t in allowed)}")
            except Exception as exc:
                errors.append(AnalysisError(
                    kind=ErrorKind.PLUGIN, path=path, plugin=impl.plugin_name, hook=name,
                    message=f"{type(exc).__name__}: {exc}"))
        return items, errors

    # -- initialisation -----------------------------------------------------

    def addoption(self, parser: OptionParser) -> None:
        # historic: replay to each plugin with its name recorded, so options are attributed
        caller = self.hook.frictionscan_addoption
        for impl in reversed(caller.get_hookimpls()):
            parser._current_plugin = impl.plugin_name
            try:
                impl.function(*[{"parser": parser}[a] for a in impl.argnames])
            except FrictionscanError:
                raise
            except Exception as exc:
                raise PluginError(f"plugin {impl.plugin_name!r} raised in "
                                  f"frictionscan_addoption: {type(exc).__name__}: {exc}",
                                  plugin=impl.plugin_name) from exc
        parser._current_plugin = None

    def configure(self, config: Config) -> None:
        self._call("frictionscan_configure", config=config)

    # -- discovery and history ----------------------------------------------

    def collect_files(self, root: Path, config: Config, run: Run) -> tuple[SourceFile, ...]:
        files = self._first("frictionscan_collect_files", (list, tuple), "a list of SourceFile",
                            root=root, config=config, run=run)
        for f in files:
            if not isinstance(f, SourceFile):
                raise PluginError(f"frictionscan_collect_files returned {type(f).__name__} "
                                  f"items, expected SourceFile")
        return tuple(sorted(files, key=lambda f: f.path))

    def ignore_file(self, file: SourceFile, config: Config) -> bool:
        return bool(self._call("frictionscan_ignore_file", file=file, config=config))

    def collect_history(self, root: Path, files: Sequence[SourceFile], config: Config,
                        store: Store | None, run: Run) -> History:
        result: History = self._first("frictionscan_collect_history", History, "a History",
                                      root=root, files=files, config=config, store=store,
                                      run=run)
        return result

    def skip_checks(self, files: Sequence[SourceFile], history: History,
                    config: Config, run: Run) -> frozenset[str]:
        """Paths whose ``check_file`` hooks need not run (none with ``--all-findings``;
        never those in ``run.check_paths``)."""
        if config.all_findings:
            return frozenset()
        result = self._call("frictionscan_skip_checks", files=files, history=history,
                            config=config)
        if result is None:
            return frozenset()
        if isinstance(result, str) or not all(isinstance(p, str) for p in result):
            raise PluginError("frictionscan_skip_checks returned something other than a "
                              "collection of paths", hook="frictionscan_skip_checks")
        return frozenset(result) - frozenset(run.check_paths)

    # -- per file (worker processes) ----------------------------------------

    def _measure_impls(self, history_only: bool) -> list[pluggy.HookImpl]:
        """``frictionscan_measure_file`` implementations that read only the history (run
        after the cache, in the main process) or the others (run on the file's content)."""
        impls = reversed(self.hook.frictionscan_measure_file.get_hookimpls())
        return [i for i in impls
                if ("history" in i.argnames and "source" not in i.argnames) == history_only]

    @property
    def content_needs_history(self) -> bool:
        """Whether a content measurement also reads the history (then the cache key must
        include it)."""
        return any("history" in i.argnames for i in self._measure_impls(False))

    def measure_file(self, file: SourceFile, source: str, history: FileHistory,
                     config: Config) -> tuple[list[Measurement], list[AnalysisError]]:
        """The measurements that depend on the file's content."""
        return self._per_file("frictionscan_measure_file", (Measurement,), file.path,
                              impls=self._measure_impls(False),
                              file=file, source=source, history=history, config=config)

    def measure_history(self, file: SourceFile, history: FileHistory,
                        config: Config) -> tuple[list[Measurement], list[AnalysisError]]:
        """The measurements that depend only on the file's history (not cached)."""
        return self._per_file("frictionscan_measure_file", (Measurement,), file.path,
                              impls=self._measure_impls(True),
                              file=file, source=None, history=history, config=config)

    def check_file(self, file: SourceFile, source: str,
                   config: Config) -> tuple[list[Finding], list[AnalysisError]]:
        return self._per_file("frictionscan_check_file", (Finding,), file.path,
                              file=file, source=source, config=config)

    # -- roadmap, scoring, ranking ------------------------------------------

    def load_focus(self, root: Path, config: Config, history: History) -> Focus:
        result: Focus = self._first("frictionscan_load_focus", Focus, "a Focus",
                                    root=root, config=config, history=history)
        return result

    def focus_weight(self, file: SourceFile, history: FileHistory, focus: Focus,
                     config: Config) -> tuple[Weight, ...]:
        out = self._call("frictionscan_focus_weight", file=file, history=history, focus=focus,
                         config=config)
        weights = [w for result in out for w in _flatten(result)]
        for w in weights:
            if not isinstance(w, Weight):
                raise PluginError(f"frictionscan_focus_weight returned {type(w).__name__}, "
                                  f"expected Weight")
        return tuple(weights)

    def score(self, analyses: Sequence[FileAnalysis], config: Config) -> tuple[Hotspot, ...]:
        result = self._first("frictionscan_score", (list, tuple), "a list of Hotspot",
                             analyses=analyses, config=config)
        return tuple(result)

    def rank(self, hotspots: Sequence[Hotspot], config: Config) -> tuple[Hotspot, ...]:
        """The hotspots in order, numbered."""
        result = self._first("frictionscan_rank", (list, tuple), "a list of Hotspot",
                             hotspots=hotspots, config=config)
        return tuple(result)

    def calibration_options(self, config: Config) -> dict[str, list[float]]:
        """Every tunable option (declared by the plugin that offers it) and its values."""
        declared = {key for key, _ in config.options}
        grid: dict[str, list[float]] = {}
        for answer in self._call("frictionscan_calibration_options", config=config):
            if not isinstance(answer, Mapping):
                raise PluginError("frictionscan_calibration_options returned something other "
                                  "than a mapping", hook="frictionscan_calibration_options")
            for key, values in answer.items():
                if key not in declared or isinstance(values, (str, bytes)) or not values or \
                        not all(isinstance(v, (int, float)) for v in values):
                    raise PluginError(f"frictionscan_calibration_options: {key!r} must be a "
                                      f"declared option with a list of numbers",
                                      hook="frictionscan_calibration_options")
                grid[key] = sorted({float(v) for v in values})
        return grid

    def prune_checks(self, hotspots: Sequence[Hotspot], top: int,
                     config: Config, run: Run) -> frozenset[str] | None:
        """Paths whose findings could not bring them into the first ``top`` (``None``:
        check them all); never those in ``run.check_paths``."""
        result = self._call("frictionscan_prune_checks", hotspots=hotspots, top=top,
                            config=config)
        if result is None:
            return None
        if isinstance(result, str) or not all(isinstance(p, str) for p in result):
            raise PluginError("frictionscan_prune_checks returned something other than a "
                              "collection of paths", hook="frictionscan_prune_checks")
        return frozenset(result) - frozenset(run.check_paths)

    def compare_revisions(self, root: Path, base: str, head: str, deepen: bool,
                          config: Config) -> RevisionDiff:
        result: RevisionDiff = self._first("frictionscan_compare_revisions", RevisionDiff,
                                           "a RevisionDiff", root=root, base=base, head=head,
                                           deepen=deepen, config=config)
        return result

    def read_versions(self, root: Path, revision: str, paths: Sequence[str],
                      config: Config) -> dict[str, bytes]:
        result: dict[str, bytes] = self._first("frictionscan_read_versions", dict,
                                               "a dict of path to bytes", root=root,
                                               revision=revision, paths=paths, config=config)
        return result

    def commits_after(self, root: Path, revision: str, until: datetime,
                      config: Config) -> list[Commit]:
        result = self._first("frictionscan_commits_after", (list, tuple), "a list of Commit",
                             root=root, revision=revision, until=until, config=config)
        return list(result)

    def changed_files(self, root: Path, config: Config) -> frozenset[str]:
        result = self._call("frictionscan_changed_files", root=root, config=config)
        if result is None:
            raise PluginError("no plugin answered frictionscan_changed_files: cannot tell "
                              "which files have uncommitted changes (use --force to fix "
                              "anyway)", hook="frictionscan_changed_files")
        return frozenset(result)

    def fix_file(self, file: SourceFile, source: str, config: Config, codes: frozenset[str],
                 unsafe: bool) -> FixResult:
        """Run every plugin's fixes in turn, each on the previous one's text."""
        applied: list[AppliedFix] = []
        skipped: list[AppliedFix] = []
        text = source
        caller = self.hook.frictionscan_fix_file
        for impl in reversed(caller.get_hookimpls()):
            args = {"file": file, "source": text, "config": config, "codes": codes,
                    "unsafe": unsafe}
            try:
                result = impl.function(*[args[a] for a in impl.argnames])
            except FrictionscanError:
                raise
            except Exception as exc:
                return FixResult(source=source, error=f"plugin {impl.plugin_name!r} raised "
                                                      f"{type(exc).__name__}: {exc}")
            if result is None:
                continue
            if not isinstance(result, FixResult):
                raise PluginError(f"plugin {impl.plugin_name!r}: frictionscan_fix_file "
                                  f"returned {type(result).__name__}, expected FixResult",
                                  plugin=impl.plugin_name)
            if result.error:
                return FixResult(source=source, error=result.error)
            text = result.source
            applied.extend(result.applied)
            skipped.extend(result.skipped_unsafe)
        return FixResult(source=text, applied=tuple(applied), skipped_unsafe=tuple(skipped))

    def rules(self, config: Config | None = None) -> list[tuple[str, RuleInfo]]:
        """Every plugin's rules, with the plugin that offers each (the core's own, the
        suppression problems, are added by :func:`frictionscan.engine.suppressions.all_rules`)."""
        out: list[tuple[str, RuleInfo]] = []
        caller = self.hook.frictionscan_rules
        for impl in reversed(caller.get_hookimpls()):
            args = {"config": config}
            for info in _flatten(impl.function(*[args[a] for a in impl.argnames])):
                if not isinstance(info, RuleInfo):
                    raise PluginError(f"plugin {impl.plugin_name!r}: frictionscan_rules "
                                      f"returned {type(info).__name__}, expected RuleInfo",
                                      plugin=impl.plugin_name)
                out.append((impl.plugin_name, info))
        return sorted(out, key=lambda t: t[1].code)

    def formatters(self, view: str = "scan") -> dict[str, Formatter]:
        """The formatters of one view (``scan`` or ``plan``), by name."""
        found: dict[str, Formatter] = {}
        owners: dict[str, str] = {}
        caller = self.hook.frictionscan_formatters
        for impl in reversed(caller.get_hookimpls()):
            for fmt in _flatten(impl.function()):
                if not isinstance(fmt, Formatter):
                    raise PluginError(f"plugin {impl.plugin_name!r}: frictionscan_formatters "
                                      f"returned {type(fmt).__name__}, expected Formatter",
                                      plugin=impl.plugin_name)
                if fmt.view != view:
                    continue
                if fmt.name in found:
                    raise PluginError(f"format {fmt.name!r} is offered by both plugin "
                                      f"{owners[fmt.name]!r} and plugin {impl.plugin_name!r}",
                                      plugin=impl.plugin_name)
                found[fmt.name] = fmt
                owners[fmt.name] = impl.plugin_name
        return found


def _with_plugin(err: AnalysisError, impl: pluggy.HookImpl) -> AnalysisError:
    from dataclasses import replace

    return replace(err, plugin=impl.plugin_name)
