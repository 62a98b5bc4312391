"""A typed facade over ``pm.hook``: the core never calls hooks directly.

Each method passes keywords, flattens collector results, checks that plugins returned the
documented types, and turns plugin exceptions into errors that name the plugin and the hook.
Every hook is called through pluggy, so hook wrappers (``wrapper=True``, ``hookwrapper=True``),
``FRICTIONSCAN_DEBUG`` tracing and historic replay work for all of them:

* per-file hooks are one pluggy call; the manager guards each implementation as it registers
  (:mod:`frictionscan.plugin.guards`), so one failing plugin costs only its own results for
  that file, as an :class:`~frictionscan.core.model.AnalysisError` naming it;
* ``frictionscan_measure_file`` is called twice per file through subsets of its
  implementations (:meth:`pluggy.PluginManager.subset_hook_caller`): those that read the
  file's content (in workers, cached) and those that read only its history;
* ``frictionscan_fix_file`` is one pluggy call per fixing plugin, each on the previous one's
  text;
* whole-run hooks raise :class:`~frictionscan.core.errors.PluginError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
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
    AreaKnowledge,
    Commit,
    Coupling,
    ErrorKind,
    Evidence,
    FileAnalysis,
    FileHistory,
    Finding,
    FixResult,
    Focus,
    FunctionHistory,
    History,
    Hotspot,
    Insights,
    Knowledge,
    Measurement,
    RevisionDiff,
    RuleInfo,
    SourceFile,
    Weight,
)
from frictionscan.core.run import Run
from frictionscan.core.store import Store
from frictionscan.plugin.guards import blame, flatten, is_wrapper

T = TypeVar("T")

#: Implementations of a hook, as pluggy keeps them (a cache key: a registration changes it).
_Impls = tuple[pluggy.HookImpl, ...]


def _history_only(impl: pluggy.HookImpl) -> bool:
    """Whether a ``frictionscan_measure_file`` implementation reads only the history."""
    return "history" in impl.argnames and "source" not in impl.argnames


def _answers(result: Any) -> list[Any]:
    """The answers of a collector hook call: pluggy's list, or what a wrapper put instead."""
    return result if isinstance(result, list) else [result]


def _same_format(fmt: Formatter) -> Callable[[Any], bool]:
    return lambda f: isinstance(f, Formatter) and f.view == fmt.view and f.name == fmt.name


def _of_type(kind: type) -> Callable[[Any], bool]:
    return lambda item: type(item) is kind


def _wrapper_plugins(caller: pluggy.HookCaller) -> str | None:
    """The plugins wrapping ``caller`` (to blame for what the implementations did not do)."""
    names = [i.plugin_name for i in caller.get_hookimpls() if is_wrapper(i)]
    return ", ".join(dict.fromkeys(names)) or None


class HookCalls:
    """One method per hook; see :mod:`frictionscan.plugin.hookspecs` for the contracts."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.hook = pm.hook
        # subset callers, rebuilt when the implementations change (a plugin registers)
        self._subsets: dict[tuple[str, str], tuple[_Impls, Any]] = {}

    # -- helpers ------------------------------------------------------------

    def _call(self, name: str, **kwargs: Any) -> Any:
        caller = getattr(self.hook, name)
        try:
            return caller(**kwargs)
        except FrictionscanError:
            raise
        except Exception as exc:
            plugin = blame(exc, caller.get_hookimpls()) or "?"
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

    def _cached(self, what: str, name: str, build: Callable[[_Impls], T]) -> T:
        """``build(impls)`` for the current implementations of hook ``name``, kept until
        they change (comparing tuples of the same objects is a few pointer checks)."""
        impls = tuple(getattr(self.hook, name).get_hookimpls())
        kept = self._subsets.get((what, name))
        if kept is None or kept[0] != impls:
            kept = (impls, build(impls))
            self._subsets[(what, name)] = kept
        value: T = kept[1]
        return value

    def _per_plugin(self, name: str, *, wrapped: bool) -> list[tuple[str, pluggy.HookCaller]]:
        """A caller of hook ``name`` for each plugin that implements it (not only wraps it),
        in pluggy's call order: that plugin's implementations, and (if ``wrapped``) every
        plugin's wrappers."""
        def build(impls: _Impls) -> list[tuple[str, pluggy.HookCaller]]:
            answering = [i for i in reversed(impls) if not is_wrapper(i)]
            others = {i.plugin for i in (answering if wrapped else impls)}
            return [(i.plugin_name, self.pm.subset_hook_caller(name, others - {i.plugin}))
                    for i in answering]
        return self._cached(f"per plugin, wrapped={wrapped}", name, build)

    def _owners(self, name: str, offered: Callable[[Any], bool],
                **kwargs: Any) -> list[str]:
        """The plugins whose own answer to hook ``name`` holds an item ``offered`` is true of
        (asked one plugin at a time: only to name plugins, after the one call)."""
        owners = []
        for plugin, caller in self._per_plugin(name, wrapped=False):
            answers = _answers(caller(**kwargs))
            if any(offered(item) for answer in answers for item in flatten(answer)):
                owners.append(plugin)
        return owners

    def _per_file(self, caller: pluggy.HookCaller, allowed: tuple[type, ...], path: str,
                  **kwargs: Any) -> tuple[list[Any], list[AnalysisError]]:
        """One pluggy call of a per-file hook: its implementations are guarded (they return
        lists of checked values and never raise), so only a wrapper can fail the call, and
        that costs this hook's results for this file."""
        try:
            answers = caller(**kwargs)
        except Exception as exc:
            plugin = blame(exc, caller.get_hookimpls()) or _wrapper_plugins(caller) or "?"
            return [], [AnalysisError(kind=ErrorKind.PLUGIN, path=path, plugin=plugin,
                                      hook=caller.name, message=f"{type(exc).__name__}: {exc}")]
        items: list[Any] = []
        errors: list[AnalysisError] = []
        for answer in _answers(answers):
            for item in flatten(answer):
                if isinstance(item, AnalysisError):
                    errors.append(item if item.path else replace(item, path=path))
                elif isinstance(item, allowed):
                    items.append(item)
                else:  # the implementations' answers were checked: a wrapper's doing
                    errors.append(AnalysisError(
                        kind=ErrorKind.PLUGIN, path=path, hook=caller.name,
                        plugin=_wrapper_plugins(caller) or "?",
                        message=f"TypeError: returned {type(item).__name__}, expected "
                                f"{' or '.join(t.__name__ for t in allowed)}"))
        return items, errors

    # -- initialisation -----------------------------------------------------

    def addoption(self, parser: OptionParser) -> None:
        """Have every plugin declare its options in ``parser``, now and (historic) as any
        plugin registers later; each option names the plugin that declared it."""
        parser.attribute_to(lambda: getattr(self.pm, "declaring_plugin", None))
        self.hook.frictionscan_addoption.call_historic(kwargs={"parser": parser})

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

    def file_kind(self, file: SourceFile, config: Config) -> str:
        """What ``file`` is (``product`` when no plugin says)."""
        kind = self._call("frictionscan_file_kind", file=file, config=config)
        if kind is None:
            return "product"
        if not isinstance(kind, str) or not kind:
            raise PluginError(f"frictionscan_file_kind returned {kind!r}, expected the name "
                              f"of a kind such as 'test'", hook="frictionscan_file_kind")
        return kind

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

    def _measure_callers(self) -> dict[bool, pluggy.HookCaller]:
        """``frictionscan_measure_file`` for the implementations that read only the history
        (``True``: run after the cache, in the main process) and for the others (``False``:
        run on the file's content); wrappers are in both."""
        name = "frictionscan_measure_file"

        def build(impls: _Impls) -> dict[bool, pluggy.HookCaller]:
            return {history_only: self.pm.subset_hook_caller(name, {
                        i.plugin for i in impls
                        if not is_wrapper(i) and _history_only(i) != history_only})
                    for history_only in (False, True)}
        return self._cached("measure", name, build)

    @property
    def content_needs_history(self) -> bool:
        """Whether a content measurement also reads the history (then the cache key must
        include it)."""
        return any("history" in i.argnames
                   for i in self._measure_callers()[False].get_hookimpls())

    @property
    def per_file_plugins(self) -> frozenset[str]:
        """The plugins whose answers make a file's cached result: those implementing the
        content half of ``frictionscan_measure_file``, ``frictionscan_check_file`` or
        ``frictionscan_rules`` (which rules run decides the suppression problems), wrappers
        of those hooks included. The per-file cache is keyed by them and their options only,
        so a plugin that reads the history, weighs or scores (``--no-evidence``, a roadmap or
        scoring option) never costs a re-analysis."""
        impls = [*self._measure_callers()[False].get_hookimpls(),
                 *self.pm.hook.frictionscan_check_file.get_hookimpls(),
                 *self.pm.hook.frictionscan_rules.get_hookimpls()]
        return frozenset(i.plugin_name for i in impls)

    def measure_file(self, file: SourceFile, source: str, history: FileHistory,
                     config: Config) -> tuple[list[Measurement], list[AnalysisError]]:
        """The measurements that depend on the file's content."""
        return self._per_file(self._measure_callers()[False], (Measurement,), file.path,
                              file=file, source=source, history=history, config=config)

    def measure_history(self, file: SourceFile, history: FileHistory,
                        config: Config) -> tuple[list[Measurement], list[AnalysisError]]:
        """The measurements that depend only on the file's history (not cached)."""
        return self._per_file(self._measure_callers()[True], (Measurement,), file.path,
                              file=file, source=None, history=history, config=config)

    def check_file(self, file: SourceFile, source: str,
                   config: Config) -> tuple[list[Finding], list[AnalysisError]]:
        return self._per_file(self.hook.frictionscan_check_file, (Finding,), file.path,
                              file=file, source=source, config=config)

    # -- roadmap, scoring, ranking ------------------------------------------

    def evidence(self, root: Path, files: Sequence[SourceFile], history: History,
                 config: Config, run: Run) -> Evidence:
        """Every plugin's evidence, joined into one (ownership: the first plugin's that
        names a file wins)."""
        found = self._collect("frictionscan_evidence", Evidence, "Evidence", root=root,
                              files=files, history=history, config=config, run=run)
        if len(found) == 1:
            return found[0]
        return Evidence(items=tuple(i for e in found for i in e.items),
                        owners=tuple(o for e in found for o in e.owners),
                        sources=tuple(s for e in found for s in e.sources),
                        warnings=tuple(w for e in found for w in e.warnings))

    def load_focus(self, root: Path, config: Config, history: History,
                   evidence: Evidence | None = None) -> Focus:
        result: Focus = self._first("frictionscan_load_focus", Focus, "a Focus",
                                    root=root, config=config, history=history,
                                    evidence=evidence or Evidence())
        return result

    def analyse_repository(self, root: Path, files: Sequence[SourceFile], history: History,
                           focus: Focus, config: Config, run: Run,
                           store: Store | None) -> Insights:
        """Every plugin's repository-level findings, gathered by kind."""
        name = "frictionscan_analyse_repository"
        items: list[Any] = self._collect(
            name, (Coupling, Knowledge, AreaKnowledge), "Coupling, Knowledge or AreaKnowledge",
            root=root, files=files, history=history, focus=focus, config=config, run=run,
            store=store)
        return Insights(
            coupling=tuple(sorted((i for i in items if isinstance(i, Coupling)),
                                  key=lambda c: c.path)),
            knowledge=tuple(sorted((i for i in items if isinstance(i, Knowledge)),
                                   key=lambda k: k.path)),
            areas=tuple(i for i in items if isinstance(i, AreaKnowledge)))

    def focus_weight(self, file: SourceFile, history: FileHistory, focus: Focus,
                     config: Config) -> tuple[Weight, ...]:
        out = self._call("frictionscan_focus_weight", file=file, history=history, focus=focus,
                         config=config)
        weights = [w for result in _answers(out) for w in flatten(result)]
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
        for answer in _answers(self._call("frictionscan_calibration_options",
                                                  config=config)):
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

    def function_history(self, root: Path, files: Sequence[FileAnalysis], history: History,
                         config: Config, run: Run,
                         store: Store | None) -> dict[str, tuple[FunctionHistory, ...]]:
        """The X-ray of ``files``: per path, the records of the first plugin (in call order)
        that returned any for it."""
        name = "frictionscan_function_history"
        result = self._call(name, root=root, files=files, history=history, config=config,
                            run=run, store=store)
        wanted = {a.file.path for a in files}
        found: dict[str, list[FunctionHistory]] = {}
        for answer in _answers(result):
            mine: dict[str, list[FunctionHistory]] = {}
            for item in flatten(answer):
                if not isinstance(item, FunctionHistory):
                    raise PluginError(f"{name} returned {type(item).__name__}, expected "
                                      f"FunctionHistory", hook=name)
                if item.path in wanted and item.path not in found:
                    mine.setdefault(item.path, []).append(item)
            found.update(mine)
        return {path: tuple(items) for path, items in found.items()}

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
        """Run every plugin's fixes in turn, each on the previous one's text (one pluggy call
        per plugin, which the wrappers of ``frictionscan_fix_file`` wrap)."""
        applied: list[AppliedFix] = []
        skipped: list[AppliedFix] = []
        text = source
        for plugin, caller in self._per_plugin("frictionscan_fix_file", wrapped=True):
            try:
                answers = caller(file=file, source=text, config=config, codes=codes,
                                 unsafe=unsafe)
            except FrictionscanError:
                raise
            except Exception as exc:
                raiser = blame(exc, caller.get_hookimpls()) or plugin
                return FixResult(source=source, error=f"plugin {raiser!r} raised "
                                                      f"{type(exc).__name__}: {exc}")
            results = [r for r in _answers(answers) if r is not None]
            if not results:
                continue
            if len(results) > 1 or not isinstance(results[0], FixResult):
                what = (f"{len(results)} results" if len(results) > 1
                        else type(results[0]).__name__)
                raise PluginError(f"plugin {plugin!r}: frictionscan_fix_file returned {what}, "
                                  f"expected a FixResult", plugin=plugin,
                                  hook="frictionscan_fix_file")
            result = results[0]
            if result.error:
                return FixResult(source=source, error=result.error)
            text = result.source
            applied.extend(result.applied)
            skipped.extend(result.skipped_unsafe)
        return FixResult(source=text, applied=tuple(applied), skipped_unsafe=tuple(skipped))

    def rules(self, config: Config | None = None) -> list[tuple[str, RuleInfo]]:
        """Every plugin's rules, with the plugin that offers each (the core's own, the
        suppression problems, are added by :func:`frictionscan.engine.suppressions.all_rules`).
        A rule a wrapper added is its plugin's."""
        name = "frictionscan_rules"
        infos = self._collect(name, RuleInfo, "RuleInfo", config=config)
        plugins = list(dict.fromkeys(i.plugin_name for i in
                                     getattr(self.hook, name).get_hookimpls()))
        if len(plugins) == 1:  # the usual case: one plugin offers every rule, no wrapper
            return sorted(((plugins[0], info) for info in infos), key=lambda t: t[1].code)
        owner: dict[str, str] = {}
        for plugin, caller in self._per_plugin(name, wrapped=False):
            for answer in _answers(caller(config=config)):
                for info in flatten(answer):
                    if isinstance(info, RuleInfo):
                        owner.setdefault(info.code, plugin)
        wrappers = _wrapper_plugins(getattr(self.hook, name)) or "?"
        return sorted(((owner.get(info.code, wrappers), info) for info in infos),
                      key=lambda t: t[1].code)

    def formatters(self, view: str = "scan") -> dict[str, Formatter]:
        """The formatters of one view (``scan`` or ``plan``), by name."""
        name = "frictionscan_formatters"
        found: dict[str, Formatter] = {}
        for fmt in self._collect(name, Formatter, "Formatter"):
            if fmt.view != view:
                continue
            if fmt.name in found:
                owners = self._owners(name, _same_format(fmt))
                # fewer than two: a wrapper added it (or one plugin offers it twice)
                owners += [_wrapper_plugins(getattr(self.hook, name)) or
                           (owners[0] if owners else "?")] * 2
                raise PluginError(f"format {fmt.name!r} is offered by both plugin "
                                  f"{owners[0]!r} and plugin {owners[1]!r}",
                                  plugin=owners[1], hook=name)
            found[fmt.name] = fmt
        return found

    def _collect(self, name: str, expected: type[T] | tuple[type, ...], what: str,
                 **kwargs: Any) -> list[T]:
        """The items of every plugin's answer to collector hook ``name``, in one call; an
        item of another type names the plugin that offered it."""
        items = [item for answer in _answers(self._call(name, **kwargs))
                 for item in flatten(answer)]
        for item in items:
            if not isinstance(item, expected):
                wrong = type(item)
                owners = self._owners(name, _of_type(wrong), **kwargs) or \
                    [_wrapper_plugins(getattr(self.hook, name)) or "?"]
                raise PluginError(f"plugin {owners[0]!r}: {name} returned "
                                  f"{wrong.__name__}, expected {what}", plugin=owners[0],
                                  hook=name)
        return items
