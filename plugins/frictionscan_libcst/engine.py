"""The rule engine: one parse, one traversal of every rule, positions for reported nodes.

Imported only where files are analysed (worker processes, ``fix``): importing libcst costs
about 0.2 s, which a warm, cached scan should not pay.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst
import pluggy

from frictionscan.api import (
    AnalysisError,
    AppliedFix,
    Config,
    ConfigError,
    ErrorKind,
    Finding,
    FixResult,
    RuleInfo,
    SourceFile,
    Span,
)
from frictionscan.api.cst import parse_module, positions_of, visit_batched
from frictionscan_libcst.rule import Rule, RuleContext
from frictionscan_libcst.rules import BUILTIN_RULES
from frictionscan_libcst.state import current


def rule_info(rule: type[Rule], *, enabled: bool = True) -> RuleInfo:
    summary = rule.MESSAGE.format_map(_Blank())
    return RuleInfo(code=rule.CODE, name=rule.NAME, summary=summary,
                    effort_minutes=rule.EFFORT_MINUTES, fix=rule.FIX, enabled=enabled,
                    weight=rule.FRICTION_WEIGHT,
                    description=rule.DESCRIPTION, rationale=rule.RATIONALE,
                    help_uri=rule.HELP_URI or (f"rules.md#{rule.CODE.lower()}-{rule.NAME}"
                                               if rule in BUILTIN_RULES else None))


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "…"




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
    pm = current.get("pm")
    if "rules" not in current:
        current["rules"] = all_rules(pm) if isinstance(pm, pluggy.PluginManager) \
            else BUILTIN_RULES
    rules: tuple[type[Rule], ...] = current["rules"]  # type: ignore[assignment]
    ignored = set(config.getoption("libcst.ignore", []) if config else [])
    return tuple(r for r in rules if r.CODE not in ignored)


def _run_rules(module: cst.Module, path: str, rules: Sequence[type[Rule]],
               config: Config | None) -> tuple[list[Rule], list[AnalysisError]]:
    """One traversal of ``module`` with every rule; a rule that raises is reported and
    dropped for this file, the others go on."""
    context = RuleContext(path=path, config=config)
    visitors = [rule(context) for rule in rules]
    errors: list[AnalysisError] = []

    scopes = (cst.FunctionDef, cst.ClassDef)

    def before(node: cst.CSTNode) -> None:
        kind = type(node)
        if kind in scopes:
            context.scope.append(node.name.value)  # type: ignore[attr-defined]
        elif kind is cst.If and type(node.orelse) is cst.If:  # type: ignore[attr-defined]
            context.elifs.add(id(node.orelse))  # type: ignore[attr-defined]

    def after(node: cst.CSTNode) -> None:
        if type(node) in scopes:
            context.scope.pop()

    def failed(visitor: cst.BatchableCSTVisitor, exc: Exception) -> None:
        assert isinstance(visitor, Rule)
        visitor.reports.clear()
        errors.append(AnalysisError(kind=ErrorKind.PLUGIN, path=path, plugin="libcst",
                                    hook="frictionscan_check_file",
                                    message=f"rule {visitor.CODE} ({visitor.NAME}) raised "
                                            f"{type(exc).__name__}: {exc}"))

    visit_batched(module, visitors, before_visit=before, after_leave=after, on_error=failed)
    return [v for v in visitors if v.reports], errors


def check_module(module: cst.Module, path: str, rules: Sequence[type[Rule]],
                 config: Config | None = None) -> tuple[list[Finding], list[AnalysisError]]:
    """Findings of ``rules`` in a parsed module, and errors of rules that raised."""
    visitors, errors = _run_rules(module, path, rules, config)
    if not visitors:
        return [], errors
    where = positions_of(module, [r.node for v in visitors for r in v.reports])
    findings = []
    for v in visitors:
        for r in v.reports:
            pos = where[r.node]
            findings.append(Finding(
                code=v.CODE, name=v.NAME, message=r.message, symbol=r.symbol,
                span=Span(start_line=pos.start.line, start_col=pos.start.column,
                          end_line=pos.end.line, end_col=pos.end.column),
                effort_minutes=v.EFFORT_MINUTES, fix_available=v.FIX is not None,
                fix_safe=v.FIX == "safe", weight=v.FRICTION_WEIGHT))
    findings.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.code))
    return findings, errors


def check_source(source: str, path: str, rules: Sequence[type[Rule]],
                 config: Config | None = None) -> list[Finding]:
    """Run ``rules`` over ``source`` in one traversal; raises libcst.ParserSyntaxError, and
    the first exception of a rule (use :func:`check_module` to collect those instead)."""
    module = cst.parse_module(source)
    visitors, errors = _run_rules(module, path, rules, config)
    if errors:
        raise RuntimeError(errors[0].message)
    return check_module(module, path, rules, config)[0] if visitors else []


def check_file(file: SourceFile, source: str,
                            config: Config) -> list[Finding | AnalysisError]:
    try:
        module = parse_module(source)
    except cst.ParserSyntaxError as exc:
        return [AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                              message=f"does not parse: {exc.message} (line {exc.raw_line})")]
    except RecursionError:
        return [AnalysisError(kind=ErrorKind.PARSE, path=file.path,
                              message="too deeply nested for the parser")]
    findings, errors = check_module(module, file.path, enabled_rules(config), config)
    return [*findings, *errors]


def fix_file(file: SourceFile, source: str, config: Config,
                          codes: Collection[str], unsafe: bool) -> FixResult | None:
    from frictionscan_libcst.fixes import fix_source  # noqa: I001

    try:
        outcome = fix_source(source, file.path, enabled_rules(config), config, codes=codes,
                             unsafe=unsafe)
    except cst.ParserSyntaxError as exc:
        return FixResult(source=source, error=f"does not parse: {exc.message} "
                                              f"(line {exc.raw_line})")
    except RecursionError:
        return FixResult(source=source, error="too deeply nested for the parser")
    if outcome.error:
        return FixResult(source=source, error=outcome.error)
    return FixResult(
        source=outcome.source,
        applied=tuple(AppliedFix(code=c, line=ln, message=m) for c, ln, m in outcome.applied),
        skipped_unsafe=tuple(AppliedFix(code=c, line=ln, message=m)
                             for c, ln, m in outcome.skipped_unsafe))
