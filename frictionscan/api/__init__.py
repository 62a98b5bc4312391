"""The public API: everything a plugin may import from frictionscan.

Plugins, built-in or not, import from here (and, in their tests, from
:mod:`frictionscan.testing`), never from the rooms behind it (``core``, ``plugin``,
``engine``, ``views``, ``cli``): a contract checked in CI keeps the built-ins to that rule, so
that anything a built-in can do, a third-party plugin can do too. docs/writing-plugins.md is
the guide; docs/hooks.md the hook reference.

What is here:

* the markers :data:`hookimpl` and :data:`hookspec`;
* the data that crosses plugin boundaries (:mod:`frictionscan.core.model`): ``SourceFile``,
  ``History``, ``Measurement``, ``Finding``, ``Hotspot``, ``ScanResult``...;
* the configuration a hook receives (:class:`Config`), how to declare options
  (:class:`OptionParser`) and ready-made validators for them;
* :class:`Run`, what one scan is of (its revision and "now"), and :class:`Store`, what a
  whole-run hook may keep between runs;
* :class:`Formatter`, and the view models formatters render (the plan, the pull-request
  report, the explanation of one file, the trend; the backtest report is a dict,
  docs/backtest.md);
* the errors a plugin may raise to end a run with one line, and the helpers that make
  repository text safe in every output;
* helpers for paths (globs) and calendar durations.

The shared libcst toolkit (one parse per file for every plugin, a fast traversal, positions)
is :mod:`frictionscan.api.cst`, imported apart because it imports libcst.
"""

from __future__ import annotations

from frictionscan import __version__
from frictionscan.core.config import (
    DEFAULT_EXCLUDES,
    Between,
    Config,
    Option,
    OptionParser,
    date_or_duration,
    duration,
    globs,
    regular_expression,
)
from frictionscan.core.durations import (
    check_point,
    duration_days,
    parse_duration,
    resolve_point,
    subtract,
)
from frictionscan.core.errors import (
    ConfigError,
    FrictionscanError,
    PluginError,
    RepositoryError,
    UsageError,
)
from frictionscan.core.fixes import DEFAULT_FIX_PATTERN, is_bot, is_fix
from frictionscan.core.formatter import Formatter
from frictionscan.core.globs import match_any
from frictionscan.core.model import (
    SCHEMA_VERSION,
    AnalysisError,
    AppliedFix,
    AreaKnowledge,
    AuthorShare,
    ChangeSet,
    Commit,
    Component,
    CoupledFile,
    Coupling,
    ErrorKind,
    Evidence,
    FileAnalysis,
    FileChange,
    FileHistory,
    Finding,
    FixResult,
    Focus,
    FocusArea,
    FunctionHistory,
    History,
    Hotspot,
    InFlightArea,
    Insights,
    Knowledge,
    Measurement,
    Ownership,
    RevisionDiff,
    RuleInfo,
    ScanResult,
    SourceFile,
    Span,
    Symbol,
    SymbolKind,
    Weight,
    WorkItem,
    evolve,
)
from frictionscan.core.people import (
    DEFAULT_BOTS,
    bot_matcher,
    is_bot_author,
    is_personal_owner,
)
from frictionscan.core.run import Run
from frictionscan.core.store import Store, history_key
from frictionscan.core.text import (
    code_spans,
    html_text,
    json_text,
    markdown_code,
    markdown_escape,
    markdown_message,
    printable,
    spreadsheet_safe,
    terminal_safe,
    visible,
    without_code_fences,
)
from frictionscan.plugin.markers import hookimpl, hookspec
from frictionscan.views.ci import (
    NAMED_FILES,
    CiReport,
    FileDelta,
    FunctionDelta,
    Violation,
    verdict_sentence,
)
from frictionscan.views.explain import Concentration, Explanation
from frictionscan.views.insights import CoChange, coupling_phrase
from frictionscan.views.plan import (
    AreaPlan,
    Change,
    HotFunction,
    InFlightPlan,
    Plan,
    QuickWin,
    Target,
    TeamPlan,
    effort_band,
    function_hours,
    refactor_hours,
)
from frictionscan.views.plan_figures import PlanFigures, SectionFigures, plan_figures
from frictionscan.views.trend import (
    AreaTrend,
    FileTrend,
    FunctionTrend,
    PointFile,
    RefactorEffect,
    Trend,
    TrendPoint,
    TrendQuestion,
    TrendTotals,
)

__all__ = [
    "DEFAULT_BOTS",
    "DEFAULT_EXCLUDES",
    "DEFAULT_FIX_PATTERN",
    "NAMED_FILES",
    "SCHEMA_VERSION",
    "AnalysisError",
    "AppliedFix",
    "AreaKnowledge",
    "AreaPlan",
    "AreaTrend",
    "AuthorShare",
    "Between",
    "Change",
    "ChangeSet",
    "CiReport",
    "CoChange",
    "Commit",
    "Component",
    "Concentration",
    "Config",
    "ConfigError",
    "CoupledFile",
    "Coupling",
    "ErrorKind",
    "Evidence",
    "Explanation",
    "FileAnalysis",
    "FileChange",
    "FileDelta",
    "FileHistory",
    "FileTrend",
    "Finding",
    "FixResult",
    "Focus",
    "FocusArea",
    "Formatter",
    "FrictionscanError",
    "FunctionDelta",
    "FunctionHistory",
    "FunctionTrend",
    "History",
    "HotFunction",
    "Hotspot",
    "InFlightArea",
    "InFlightPlan",
    "Insights",
    "Knowledge",
    "Measurement",
    "Option",
    "OptionParser",
    "Ownership",
    "Plan",
    "PlanFigures",
    "PluginError",
    "PointFile",
    "QuickWin",
    "RefactorEffect",
    "RepositoryError",
    "RevisionDiff",
    "RuleInfo",
    "Run",
    "ScanResult",
    "SectionFigures",
    "SourceFile",
    "Span",
    "Store",
    "history_key",
    "Symbol",
    "SymbolKind",
    "Target",
    "TeamPlan",
    "Trend",
    "TrendPoint",
    "TrendQuestion",
    "TrendTotals",
    "UsageError",
    "Violation",
    "Weight",
    "WorkItem",
    "__version__",
    "bot_matcher",
    "check_point",
    "code_spans",
    "coupling_phrase",
    "date_or_duration",
    "duration",
    "duration_days",
    "effort_band",
    "evolve",
    "function_hours",
    "globs",
    "hookimpl",
    "hookspec",
    "is_bot",
    "is_bot_author",
    "is_fix",
    "is_personal_owner",
    "html_text",
    "json_text",
    "markdown_code",
    "markdown_escape",
    "markdown_message",
    "match_any",
    "parse_duration",
    "plan_figures",
    "printable",
    "refactor_hours",
    "regular_expression",
    "resolve_point",
    "spreadsheet_safe",
    "subtract",
    "terminal_safe",
    "verdict_sentence",
    "visible",
    "without_code_fences",
]
