"""Hook specifications: the contract between the frictionscan core and its plugins. These
docstrings are the hook reference: ``frictionscan hooks`` prints them, docs/hooks.md is
generated from them, and a test fails when the two disagree.

A scan calls the hooks in this order: ``frictionscan_addhooks`` and ``frictionscan_addoption``
as plugins load, ``frictionscan_configure``, ``frictionscan_collect_files``,
``frictionscan_ignore_file`` per file, ``frictionscan_collect_history``, then per file in
worker processes ``frictionscan_measure_file`` and ``frictionscan_check_file``, then
``frictionscan_evidence``, ``frictionscan_load_focus``, ``frictionscan_analyse_repository``,
``frictionscan_focus_weight`` per file, ``frictionscan_score``, ``frictionscan_rank``, and the
chosen formatter from ``frictionscan_formatters``.

Conventions, as in pluggy and pytest:

* Hooks are called with keyword arguments; an implementation may accept any subset of them.
* For **firstresult** hooks the first non-``None`` result wins. The built-in default is
  registered ``trylast=True``, so any plugin that returns a value replaces it.
* **Collector** hooks may return one item, an iterable of items, or ``None``; the core
  flattens the results of all plugins and checks their types.
* Per-file hooks (``frictionscan_measure_file``, ``frictionscan_check_file``) run in worker
  processes: they must not rely on state set up in the main process other than ``config``, and
  everything they return must pickle. An exception there becomes an ``AnalysisError`` for that
  file naming the plugin; the scan goes on.
* Every hook is called through pluggy, so any hook can be wrapped (``@hookimpl(wrapper=True)``,
  or the old ``hookwrapper=True``) except the historic ones, and ``FRICTIONSCAN_DEBUG=1``
  traces every call. A wrapper of a per-file hook receives every plugin's answer as a list
  of values, a plugin's exception already turned into an ``AnalysisError`` among them; if
  the wrapper itself raises, that hook's results for the file are lost and the error names
  the wrapper's plugin.
* Everything passed in or returned is an immutable value from :mod:`frictionscan.core.model`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from frictionscan.plugin.markers import hookspec

if TYPE_CHECKING:
    from frictionscan.core.config import Config, OptionParser
    from frictionscan.core.formatter import Formatter
    from frictionscan.core.model import (
        AnalysisError,
        AreaKnowledge,
        Commit,
        Coupling,
        Evidence,
        FileAnalysis,
        FileHistory,
        Finding,
        FixResult,
        Focus,
        FunctionHistory,
        History,
        Hotspot,
        Knowledge,
        Measurement,
        RevisionDiff,
        RuleInfo,
        SourceFile,
        Weight,
    )
    from frictionscan.core.run import Run
    from frictionscan.core.store import Store



# -------------------------------------------------------------------------
# Initialisation hooks
# -------------------------------------------------------------------------


@hookspec(historic=True)
def frictionscan_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Register hook specifications that a plugin defines for its own plugins.

    Historic: called once for every plugin, as it is registered (also plugins registered
    after start-up). Use ``pluginmanager.add_hookspecs(module)``; the libcst plugin adds
    ``frictionscan_libcst_rules`` this way.

    :param pluginmanager: The frictionscan plugin manager.

    .. versionadded:: 0.1
    """


@hookspec(historic=True)
def frictionscan_addoption(parser: OptionParser) -> None:
    """Declare configuration options and their command-line flags.

    Options are namespaced ``"<section>.<name>"`` and read from
    ``[tool.frictionscan.<section>]``; keys nobody declared are configuration errors.
    Historic: called once the plugins given at start-up are all loaded, and for a plugin
    registered later, as it registers. Each option records the plugin that declared it.

    :param parser: Call ``parser.addoption(key, type=..., default=..., help=..., flag=...,
        validate=...)``. ``validate`` is a callable that raises :class:`ValueError` with the
        reason for a bad value (``Between(0, 10)``, ``regular_expression``, ``duration``,
        ``date_or_duration`` and ``globs`` are ready-made in :mod:`frictionscan.core.config`); the
        error names the file and key, or the command-line flag the value came from.

    .. versionadded:: 0.1
    """


@hookspec
def frictionscan_configure(config: Config) -> None:
    """Inspect the validated configuration before the scan starts.

    Raise :class:`frictionscan.core.errors.ConfigError` to reject an invalid combination of
    options: the run ends with that one-line message.

    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Discovery and history
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def frictionscan_collect_files(
    root: Path, config: Config, run: Run
) -> Sequence[SourceFile] | None:
    """Return the files to analyse, sorted by path.

    Stops at first non-None result. Built-in: the *git* plugin lists tracked files
    (``git ls-files``), or the files of ``run.revision`` when it is a past commit
    (``git ls-tree``), and keeps those matching the ``include`` globs.

    :param root: The repository's top-level directory.
    :param config: The run's configuration.
    :param run: What the scan is of: ``run.revision`` is ``"HEAD"`` for the working tree,
        or the commit whose files are wanted (``backtest``, ``ci``'s merge base).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``run``.
    """


@hookspec(firstresult=True)
def frictionscan_ignore_file(file: SourceFile, config: Config) -> bool | None:
    """Return ``True`` to leave ``file`` out of the scan, ``False`` to keep it for sure.

    Return ``None`` to let other plugins decide. Stops at first non-None result. Called for
    every collected file before history is read.

    :param file: A collected file.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def frictionscan_file_kind(file: SourceFile, config: Config) -> str | None:
    """Return what ``file`` is: ``"product"``, ``"test"``, ``"docs"`` (documentation,
    examples, benchmarks), ``"tooling"`` (build, release and developer scripts),
    ``"generated"`` or ``"vendored"`` (or a kind of your own).

    Stops at first non-None result. Each kind is ranked on its own, so tests never dilute
    the ranking of product code, and the ``kinds`` option chooses which rankings a report
    shows (product only by default). Called for every file that survived discovery, before
    history is read. Built-in: the *kinds* plugin matches path conventions (configurable
    under ``[tool.frictionscan.kinds]``); a file whose first lines say it is generated
    becomes ``generated`` after it is read, whatever this hook said.

    :param file: A collected file.
    :param config: The run's configuration.

    .. versionadded:: 0.3
    """


@hookspec(firstresult=True)
def frictionscan_collect_history(
    root: Path, files: Sequence[SourceFile], config: Config, store: Store | None, run: Run
) -> History | None:
    """Return the change history of ``files`` over the configured window.

    Stops at first non-None result. Built-in: the *git* plugin streams one
    ``git log --numstat`` over the window (and, when asked or needed for dormancy, one
    name-only pass over older history), follows renames, and takes "now" from HEAD's commit
    time. It keeps the history it read in ``store`` and brings it up to date incrementally.

    :param root: The repository's top-level directory.
    :param files: Files that survived discovery, sorted by path.
    :param config: The run's configuration.
    :param store: Where to keep what the next run can reuse (text values; see
        :class:`frictionscan.api.Store`), or ``None`` when the cache is off. Its keys are
        this hook's alone.
    :param run: What the scan is of: the history is read at ``run.revision``; "now" is
        ``run.now`` when the caller fixed it, else that revision's commit time.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``store`` and ``run``.
    """


@hookspec(firstresult=True)
def frictionscan_skip_checks(
    files: Sequence[SourceFile], history: History, config: Config
) -> Collection[str] | None:
    """Return the paths of files whose findings cannot change what the run reports, so that
    their ``frictionscan_check_file`` hooks need not run (the most expensive part of a cold
    scan); their analyses say ``checked=False``.

    Stops at first non-None result: a scoring plugin that replaces the built-in one answers
    for its own score (an empty collection checks everything). Not called with
    ``--all-findings``; files in the run's ``check_paths`` are checked whatever the answer.
    Built-in: the *scoring* plugin names the files that did not change in the window (the
    default score counts findings only where the team works).

    :param files: Files that survived discovery, sorted by path.
    :param history: Their history, from ``frictionscan_collect_history``.
    :param config: The run's configuration.

    .. versionadded:: 0.2
    """


# -------------------------------------------------------------------------
# Per-file analysis (runs in worker processes)
# -------------------------------------------------------------------------


@hookspec
def frictionscan_measure_file(
    file: SourceFile, source: str, history: FileHistory, config: Config
) -> Iterable[Measurement | AnalysisError] | Measurement | None:
    """Measure one file: return numbers about it or its symbols.

    Keys are namespaced by plugin (``radon.cc``, ``git.revisions``). Built-in: *radon*
    (complexity per function, size) and *git* (churn numbers from ``history``).

    The hook is called twice per file, each time for some of its implementations: those
    that accept ``source`` (or do not accept ``history``) measure the content, in worker
    processes, and their results are cached with the file's content; those that accept
    ``history`` but not ``source`` run afterwards in the main process, never cached, with
    ``source=None``. Wrappers wrap both calls (tell them apart by ``source is None``).

    Problems with the file itself (it does not parse) are values, not exceptions: return an
    :class:`~frictionscan.core.model.AnalysisError` among the measurements and it is shown in the
    report. An exception you raise is recorded as a plugin error for this file, naming you.

    :param file: The file.
    :param source: Its decoded text (read once by the core).
    :param history: Its change history.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec
def frictionscan_check_file(
    file: SourceFile, source: str, config: Config
) -> Iterable[Finding | AnalysisError] | Finding | None:
    """Check one file for friction patterns: return findings.

    Built-in: the *libcst* plugin parses the file once and runs every rule in one traversal.
    As in ``frictionscan_measure_file``, return an ``AnalysisError`` for a file you cannot
    check.

    :param file: The file.
    :param source: Its decoded text (read once by the core).
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Roadmap
# -------------------------------------------------------------------------


@hookspec
def frictionscan_evidence(
    root: Path, files: Sequence[SourceFile], history: History, config: Config, run: Run
) -> Evidence | None:
    """Return evidence of where the team is about to work: work in flight or planned
    (:class:`~frictionscan.core.model.WorkItem`: unmerged branches, open pull requests,
    issues of a milestone) and who owns which file
    (:class:`~frictionscan.core.model.Ownership`).

    Every plugin's answer counts: the core joins them into one ``Evidence`` and hands it to
    ``frictionscan_load_focus``, which turns it into weights. Evidence describes the present
    (today's branches, today's tracker): for a scan as of an earlier time than HEAD's commit
    (``backtest``'s cuts) return nothing, since it was not knowable then. Raise
    :class:`frictionscan.core.errors.ConfigError` with one line for an input the user named
    that cannot be read. Built-in: the *evidence* plugin (git branches, tracker exports,
    CODEOWNERS).

    :param root: The repository's top-level directory.
    :param files: The scanned files, sorted by path.
    :param history: Their history (``history.head_time`` is the scan's "now").
    :param config: The run's configuration.
    :param run: What the scan is of (``run.revision``, ``run.now``, ``run.weigh_as``).

    .. versionadded:: 0.3
    """


@hookspec(firstresult=True)
def frictionscan_load_focus(root: Path, config: Config, history: History,
                            evidence: Evidence) -> Focus | None:
    """Return the roadmap: the focus areas and their resolved weights.

    Stops at first non-None result. Built-in: the *roadmap* plugin reads ``focus`` tables from
    the configuration and derives weights from horizons (a date horizon counts from HEAD's
    commit time, ``history.head_time``), and turns the evidence into areas in flight
    (``Focus.in_flight``).

    :param root: The repository's top-level directory.
    :param config: The run's configuration.
    :param history: The repository's history (for "now").
    :param evidence: What ``frictionscan_evidence`` found (empty when nothing answered).

    .. versionadded:: 0.1
    .. versionchanged:: 0.3 ``evidence``.
    """


# -------------------------------------------------------------------------
# Repository-level analyses
# -------------------------------------------------------------------------


@hookspec
def frictionscan_analyse_repository(
    root: Path, files: Sequence[SourceFile], history: History, focus: Focus, config: Config,
    run: Run, store: Store | None
) -> Iterable[Coupling | Knowledge | AreaKnowledge] | Coupling | Knowledge | AreaKnowledge | None:
    """Analyse the whole history at once: what no single file's numbers show.

    Called once per scan (not per file), in the main process, after the history and the
    roadmap are read and before the files are weighed and scored; not called for a scan of
    some files only (``run.paths``, ``ci``'s merge base). Return any number of per-file
    :class:`~frictionscan.core.model.Coupling` and
    :class:`~frictionscan.core.model.Knowledge` values and per-area
    :class:`~frictionscan.core.model.AreaKnowledge` values; the core gathers every plugin's
    into ``ScanResult.insights``, where the views and formatters find them (``explain``,
    ``plan``, ``ci``, the JSON document). Read the window's commits from
    ``history.commits`` (one :class:`~frictionscan.core.model.ChangeSet` each, from the same
    ``git log`` pass as the files' numbers): never run ``git log`` again.

    Built-in: the *coupling* plugin (files that change together, pairs across package and
    focus-area boundaries) and the *people* plugin (who knows each file and area, bus
    factor, knowledge at risk).

    :param root: The repository's top-level directory.
    :param files: The files of the scan, sorted by path.
    :param history: Their history, from ``frictionscan_collect_history``.
    :param focus: The roadmap, from ``frictionscan_load_focus``.
    :param config: The run's configuration.
    :param run: What the scan is of.
    :param store: Where to keep what the next run can reuse (shared by this hook's
        implementations: put your plugin's name in your keys), or ``None`` when the cache is
        off.

    .. versionadded:: 0.3
    """


@hookspec
def frictionscan_focus_weight(
    file: SourceFile, history: FileHistory, focus: Focus, config: Config
) -> Iterable[Weight] | Weight | None:
    """Return factors that multiply ``file``'s score, each with a human reason.

    The core multiplies all factors from all plugins. Built-in: the *roadmap* plugin (the
    strongest matching focus area; a discount for dormant code outside every area).

    :param file: The file.
    :param history: Its change history (for dormancy).
    :param focus: The roadmap from ``frictionscan_load_focus``.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Scoring and ranking
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def frictionscan_score(
    analyses: Sequence[FileAnalysis], config: Config
) -> Sequence[Hotspot] | None:
    """Score every analysed file at once (scores may depend on the whole set).

    Stops at first non-None result. Built-in: the *scoring* plugin's default model, which
    records every component of the score so that each rank can be explained.

    :param analyses: One analysis per file, with measurements, findings, weights and errors.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def frictionscan_rank(hotspots: Sequence[Hotspot], config: Config) -> Sequence[Hotspot] | None:
    """Order the hotspots and number them (``rank`` 1 = most friction).

    Stops at first non-None result. Built-in: the *scoring* plugin sorts by score, breaking
    ties by path.

    :param hotspots: The scored files, in no particular order.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec
def frictionscan_calibration_options(config: Config) -> Mapping[str, Sequence[float]] | None:
    """Return the numeric options of your score that ``frictionscan backtest --calibrate``
    may tune, each with the values to try (include the default).

    Calibration scores the files of every cut once per combination of values (through
    ``frictionscan_score``, with the options set in ``config``), keeps the combination whose
    hotspot order captures the most fix touches in its top 20% of files, and writes it into
    the configuration file. Keep the grids small: their product is the number of scorings.
    Built-in: *scoring* offers ``scoring.complexity_weight`` and ``scoring.fixes_weight``.

    :param config: The run's configuration.

    .. versionadded:: 0.2
    """


@hookspec(firstresult=True)
def frictionscan_prune_checks(
    hotspots: Sequence[Hotspot], top: int, config: Config
) -> Collection[str] | None:
    """Return the paths of files whose findings could not bring them into the first ``top``
    of the ranking, so that their ``frictionscan_check_file`` hooks need not run.

    Called only when the report shows no more than the first ``top`` files (the terminal table;
    ``--top N``), or one file's rank (``explain``: ``top`` is then that file's place, and only
    the files below it are checked), and not with ``--all-findings``. Before the first call
    every file is analysed *without* its friction checks (``checked=False``; files in the run's
    ``check_paths`` excepted), weighed, scored and ranked: ``hotspots`` is that ranking, the
    unchecked files' scores lower bounds. The core then checks the highest ranked of the files
    you did not name, scores and ranks again, and calls you again with the new ranking (checked
    files' scores are exact, so the bar can only rise), until every file you do not name has
    been checked. The first ``top`` places are exact as long as no file you named could have
    overtaken the ``top``-th file once checked.

    Stops at first non-None result; ``None`` (or no implementation) checks every file that
    ``frictionscan_skip_checks`` left. A plugin that replaces the built-in score or ranking
    answers for its own (return an empty collection to check everything). Built-in: the
    *scoring* plugin, whose findings component adds at most +50% to a score and whose two
    orders both grow with the score: a file whose ranking key, raised by 50%, stays below
    the ``top``-th file's is named. It answers ``None`` when the hotspots were not scored or
    ranked by it.

    :param hotspots: The first ranking, best first, scored without most findings.
    :param top: How many of the first places the report shows.
    :param config: The run's configuration.

    .. versionadded:: 0.2
    """


# -------------------------------------------------------------------------
# The X-ray (function-level hotspots)
# -------------------------------------------------------------------------


@hookspec
def frictionscan_function_history(
    root: Path, files: Sequence[FileAnalysis], history: History, config: Config, run: Run,
    store: Store | None
) -> Iterable[FunctionHistory] | FunctionHistory | None:
    """Return the functions of ``files`` with their own change history and function
    hotspot score (the X-ray of a hotspot; docs/scoring.md#function-hotspots).

    Called once per scan, after ranking, with only the files that reach the report (the
    first ``run.reach`` files and ``run.check_paths``, a plan's targets and quick wins,
    every file with ``--all-functions``), and only when the command asks for it
    (``run.xray``). Return one :class:`~frictionscan.core.model.FunctionHistory` per
    function of the files you handle, with its ``path``; leave other files alone (return
    nothing for them). Collector: for each file, the first plugin that returns records for
    it wins, so a plugin for another language, or another way to follow a function's
    lines, answers for its files before the built-in (registered ``trylast=True``).
    Built-in: the *functions* plugin, for Python files, from the ``radon.cc`` symbols of
    each analysis and one ``git log -p -U0`` over the window, carrying every commit's hunks
    to the current lines.

    :param root: The repository's top-level directory.
    :param files: The analyses of the files to X-ray (measurements, findings, history).
    :param history: The run's history (``head``, ``since``; ``for_file`` may not know
        files outside ``files``).
    :param config: The run's configuration.
    :param run: What the scan is of (``run.revision``; the working tree at ``"HEAD"``).
    :param store: Where to keep what the next run can reuse, or ``None`` when the cache is
        off. Its keys are this hook's alone.

    .. versionadded:: 0.3
    """


# -------------------------------------------------------------------------
# Pull requests (``frictionscan ci``)
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def frictionscan_compare_revisions(
    root: Path, base: str, head: str, deepen: bool, config: Config
) -> RevisionDiff | None:
    """Return what changed between the merge base of ``base`` and ``head``, and ``head``.

    ``head`` may be ``"WORKTREE"`` for uncommitted changes (pre-commit). Raise
    :class:`frictionscan.core.errors.RepositoryError` with one clear line for a base that does not
    exist, unrelated histories, or a shallow clone that lacks the merge base (after fetching
    more history if ``deepen``). Stops at first non-None result. Built-in: the *git* plugin.

    :param root: The repository's top-level directory.
    :param base: The branch or commit the pull request goes into.
    :param head: The pull request's commit, or ``"WORKTREE"``.
    :param deepen: Whether fetching more history of a shallow clone is allowed.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def frictionscan_read_versions(
    root: Path, revision: str, paths: Sequence[str], config: Config
) -> dict[str, bytes] | None:
    """Return the contents of ``paths`` at ``revision``, read from the repository's objects
    (never by checking anything out). Paths missing at that revision are left out.

    Stops at first non-None result. Built-in: the *git* plugin.

    :param root: The repository's top-level directory.
    :param revision: A commit.
    :param paths: Repository-relative paths.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def frictionscan_commits_after(
    root: Path, revision: str, until: datetime, config: Config
) -> Sequence[Commit] | None:
    """Return the commits after ``revision`` (reachable from HEAD) up to ``until``, oldest
    first, with the paths each changed (renames detected).

    ``frictionscan backtest`` labels them as bug fixes or not and counts, per file, the fixes
    that touched it. Stops at first non-None result. Built-in: the *git* plugin.

    :param root: The repository's top-level directory.
    :param revision: The cut commit.
    :param until: The end of the horizon.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Fixing (``frictionscan fix``)
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def frictionscan_changed_files(root: Path, config: Config) -> Collection[str] | None:
    """Return the repository-relative paths with uncommitted changes (modified, staged or
    untracked).

    ``frictionscan fix`` leaves those files alone unless ``--force`` is given, so a fix never
    mixes with work in progress. Stops at first non-None result. Built-in: the *git* plugin
    (``git status``).

    :param root: The repository's top-level directory.
    :param config: The run's configuration.

    .. versionadded:: 0.1
    """


@hookspec
def frictionscan_fix_file(
    file: SourceFile, source: str, config: Config, codes: Collection[str], unsafe: bool
) -> FixResult | None:
    """Fix what can be fixed in one file: return the new text and what was done.

    Called once per plugin, each on the previous plugin's result (a wrapper wraps each of
    these calls). Keep formatting and comments; never return text that does not parse
    (return a ``FixResult`` with ``error`` instead); never apply an unsafe fix unless
    ``unsafe`` is true. Built-in: the *libcst* plugin's codemods.

    ``frictionscan fix`` does not read a file whose checked result in the cache (same
    content, plugins and options) has no finding with ``fix_available``: report a finding
    with ``fix_available=True`` for everything this hook can fix.

    :param file: The file.
    :param source: Its current text.
    :param config: The run's configuration.
    :param codes: Only fix findings with these rule codes (empty: all).
    :param unsafe: Whether fixes that may change behaviour are allowed.

    .. versionadded:: 0.1
    """


# -------------------------------------------------------------------------
# Reporting
# -------------------------------------------------------------------------


@hookspec
def frictionscan_rules(config: Config | None) -> Iterable[RuleInfo] | RuleInfo | None:
    """Describe the rules behind the findings a plugin reports.

    ``frictionscan rules`` lists them (code, name, effort, fix); the core also uses them to
    tell an unused suppression from one whose rule did not run (``enabled``), and ``ci``'s
    SARIF describes each rule with them (``description``, ``rationale``, ``help_uri``).
    Built-in: the *libcst* plugin's rule catalogue; the core adds its own suppression rules
    (FS9xx).

    When several plugins implement it, each may also be asked alone, to tell which plugin
    offers which rule (a rule a wrapper adds is the wrapper's plugin's): keep it free of side
    effects.

    :param config: The run's configuration, or ``None`` when listing rules outside a scan.

    .. versionadded:: 0.1
    """



@hookspec
def frictionscan_formatters() -> Iterable[Formatter] | Formatter | None:
    """Return output formats (``--format NAME``).

    Each formatter names the command it serves (``Formatter.view``: ``scan``, ``plan``,
    ``explain``, ``ci`` or ``backtest``); a name offered by two plugins for the same view is
    an error naming both. A wrapper may add, replace or wrap formatters in the list it
    returns. Built-in: the *report* plugin's ``table``, ``json``, ``markdown``, ``html``,
    ``csv``, ``text`` and ``sarif``, each for the views it fits.

    .. versionadded:: 0.1
    """
