"""Built-in plugin *libcst*: friction rules over libcst's concrete syntax tree.

Each file is parsed once; all enabled rules share one batched traversal (as in Fixit), and
positions are computed only for files with findings (see ``walk.py`` for why both are custom).
Other plugins add rules through the ``frictionscan_libcst_rules`` hook this plugin defines.
Rules can be switched off with ``ignore = ["FS102"]`` under ``[tool.frictionscan.libcst]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import pluggy

from frictionscan import hookimpl
from frictionscan.config import Config, OptionParser
from frictionscan.errors import ConfigError
from frictionscan.model import AnalysisError, ErrorKind, Finding, SourceFile, Span
from frictionscan_libcst import hookspecs
from frictionscan_libcst.rule import Rule, RuleContext
from frictionscan_libcst.rules import BUILTIN_RULES
from frictionscan_libcst.walk import positions, visit_batched

__version__ = "0.1.0"

#: The manager this process runs under, and the rules it offers (collected on first use).
#: Per-file hooks do not receive the manager, and every process (the main one for
#: in-process scans, each worker otherwise) builds a fresh one per scan, so the most
#: recently built manager is the one in use.
_current: dict[str, object] = {}


@hookimpl
def frictionscan_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    if not hasattr(pluginmanager.hook, "frictionscan_libcst_rules"):
        pluginmanager.add_hookspecs(hookspecs)
    if _current.get("pm") is not pluginmanager:
        _current.clear()
        _current["pm"] = pluginmanager
    _current.pop("rules", None)  # a plugin registered later may offer more rules


@hookimpl
def frictionscan_libcst_rules() -> Sequence[type[Rule]]:
    return BUILTIN_RULES


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("libcst.ignore", type=list, default=[],
                     help="rule codes not to run, e.g. [\"FS102\"]")


def all_rules(pm: pluggy.PluginManager) -> tuple[type[Rule], ...]:
    """Every rule class offered through ``frictionscan_libcst_rules``, sorted by code."""
    rules: dict[str, type[Rule]] = {}
    for group in pm.hook.frictionscan_libcst_rules():
        for rule in group or ():
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise ConfigError(f"frictionscan_libcst_rules returned {rule!r}, "
                                  f"expected a Rule subclass")
            other = rules.get(rule.CODE)
            if other is not None and other is not rule:
                raise ConfigError(f"rule code {rule.CODE} is used by both "
                                  f"{other.__module__}.{other.__name__} and "
                                  f"{rule.__module__}.{rule.__name__}")
            rules[rule.CODE] = rule
    return tuple(rules[c] for c in sorted(rules))


def enabled_rules(config: Config | None) -> tuple[type[Rule], ...]:
    pm = _current.get("pm")
    if "rules" not in _current:
        _current["rules"] = all_rules(pm) if isinstance(pm, pluggy.PluginManager) \
            else BUILTIN_RULES
    rules: tuple[type[Rule], ...] = _current["rules"]  # type: ignore[assignment]
    ignored = set(config.getoption("libcst.ignore", []) if config else [])
    return tuple(r for r in rules if r.CODE not in ignored)


def check_source(source: str, path: str, rules: Sequence[type[Rule]],
                 config: Config | None = None) -> list[Finding]:
    """Run ``rules`` over ``source`` in one traversal; raises libcst.ParserSyntaxError."""
    module = cst.parse_module(source)
    context = RuleContext(path=path, config=config)
    visitors = [rule(context) for rule in rules]

    def before(node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            context.scope.append(node.name.value)

    def after(node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            context.scope.pop()

    visit_batched(module, visitors, before_visit=before, after_leave=after)
    if not any(v.reports for v in visitors):
        return []
    where = positions(module)
    findings = []
    for v in visitors:
        for r in v.reports:
            pos = where[r.node]
            findings.append(Finding(
                code=v.CODE, name=v.NAME, message=r.message, symbol=r.symbol,
                span=Span(start_line=pos.start.line, start_col=pos.start.column,
                          end_line=pos.end.line, end_col=pos.end.column),
                effort_minutes=v.EFFORT_MINUTES, fix_available=v.FIXABLE))
    return findings


@hookimpl
def frictionscan_check_file(file: SourceFile, source: str,
                            config: Config) -> list[Finding | AnalysisError]:
    try:
        return list(check_source(source, file.path, enabled_rules(config), config))
    except cst.ParserSyntaxError as exc:
        return [AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                              message=f"does not parse: {exc.message} (line {exc.raw_line})")]
    except RecursionError:
        return [AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                              message="too deeply nested for the parser")]
