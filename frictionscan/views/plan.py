"""The sprint-planning view of a scan: refactor targets per focus area, quick wins, and what
is deliberately left alone (``frictionscan plan``; docs/planning.md).

Pure functions over a :class:`~frictionscan.core.model.ScanResult`; formatters render the
:class:`Plan`.

* **Effort band** of a refactor, from the file's complex functions and size: one hour per
  five points of cyclomatic complexity above 10 in each function, plus one hour per 250
  source lines, at least one hour. ``S`` up to 4 hours, ``M`` up to 2 days (16 h), ``L`` up to
  a week (40 h), ``XL`` beyond.
* **Hot functions** of a target (the X-ray, when the plan asked for it): its one to three
  functions with the highest function hotspot score (change x complexity), each with its
  own effort band: one hour per five points of complexity above 10 plus one hour per 250
  lines of the function, at least one hour.
* **Quick wins** are findings whose fix takes 15 minutes or less, in files that are
  hotspots (score above 0) and not deliberately left alone. Expected return = the friction
  the fix removes (its share of the file's findings component) x the file's weighted score,
  divided by its minutes, x the rule's weight (:attr:`Finding.weight`: how much its findings
  predict fixes). Findings of weight 0 come after all others, by their unweighted return,
  listed only when nothing better fills the list. Ties go to the finding with an automatic
  fix.
* **In flight**: the directories with work in flight or planned (the roadmap's
  ``Focus.in_flight``, from the evidence) come first, each with its hotspots and owning
  team; "Everywhere else" leaves their files out. **By team**: every target grouped by the
  team CODEOWNERS gives its file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frictionscan.core.globs import match_any
from frictionscan.core.model import (
    AreaKnowledge,
    Finding,
    FunctionHistory,
    Hotspot,
    InFlightArea,
    ScanResult,
)
from frictionscan.views.insights import CoChange, hidden_dependencies
from frictionscan.views.trend import compare_points, follow, friction

QUICK_WIN_MINUTES = 15
TARGETS_PER_AREA = 5
QUICK_WINS = 20
#: Hot functions named per refactor target.
HOT_FUNCTIONS = 3
#: (upper bound in hours, band)
EFFORT_BANDS = ((4.0, "S"), (16.0, "M"), (40.0, "L"), (math.inf, "XL"))
#: Weight factors at or below this mark a file outside every focus area (dormant code) that
#: the roadmap says to leave alone; in a focus area, the area's goal decides
#: (:data:`LEAVE_GOALS`).
LEFT_ALONE_FACTOR = 0.5
#: The goals of a focus area whose files get no refactor targets, no quick wins and no
#: hours: they are left alone, whatever their weight.
LEAVE_GOALS = ("leave", "retire")
#: Only files at least this complex are worth listing as "left alone on purpose".
LEFT_ALONE_MIN_CC = 10
#: The plan's trend compares with the commit this many months before HEAD (the score counts
#: a 12-month window: the three months that came in against the three that left).
TREND_MONTHS = 3
#: Files scoring less than this share of the top score, then and now, are steady: a move
#: from 0.01 to 0.02 is no trend.
TREND_FLOOR = 0.05


def refactor_hours(h: Hotspot) -> float:
    """Hours a real refactor of the file takes (see the module docstring)."""
    a = h.analysis
    excess = sum(max(0.0, m.value - 10) for m in a.symbol_values("radon.cc"))
    sloc = a.value("radon.sloc") or a.file.size / 40.0
    return round(max(1.0, excess / 5.0 + sloc / 250.0), 1)


def effort_band(hours: float) -> str:
    return next(band for limit, band in EFFORT_BANDS if hours <= limit)


@dataclass(frozen=True, slots=True, kw_only=True)
class HotFunction:
    """A function of a refactor target where its change concentrates, with its effort."""

    function: FunctionHistory
    hours: float
    band: str


def function_hours(f: FunctionHistory) -> float:
    """Hours a refactor of one function takes (see the module docstring)."""
    lines = (f.span.end_line or f.span.start_line) - f.span.start_line + 1
    excess = max(0.0, (f.complexity or 0.0) - 10)
    return round(max(1.0, excess / 5.0 + lines / 250.0), 1)


def hot_functions(h: Hotspot, limit: int = HOT_FUNCTIONS) -> tuple[HotFunction, ...]:
    """The target's functions with the highest function scores (changed in the window),
    best first; none without an X-ray."""
    out = []
    for f in (h.functions or ())[:limit]:
        if f.score <= 0:
            break
        hours = function_hours(f)
        out.append(HotFunction(function=f, hours=hours, band=effort_band(hours)))
    return tuple(out)


def function_at(h: Hotspot, line: int) -> FunctionHistory | None:
    """The innermost X-rayed function of ``h`` holding ``line``."""
    found = [f for f in h.functions or ()
             if f.span.start_line <= line <= (f.span.end_line or f.span.start_line)]
    return max(found, key=lambda f: f.span.start_line, default=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A refactor target: a hotspot with its effort."""

    hotspot: Hotspot
    hours: float
    band: str
    #: Its hot functions (the X-ray), best first; empty when the plan has no X-ray.
    hot: tuple[HotFunction, ...] = ()
    #: The team that owns the file (CODEOWNERS), or ``""``.
    team: str = ""

    @property
    def path(self) -> str:
        return self.hotspot.path


@dataclass(frozen=True, slots=True, kw_only=True)
class QuickWin:
    path: str
    finding: Finding
    #: Expected return per minute, weighed by the rule's weight (see the module docstring).
    value: float
    area: str | None
    #: The X-rayed function the finding sits in, if any.
    function: FunctionHistory | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaPlan:
    """One focus area (or "Everywhere else") with its targets."""

    name: str
    weight: float | None
    horizon: str | None
    owner: str | None
    goal: str | None
    targets: tuple[Target, ...]
    files: int
    #: Who knows the area: bus factor, knowledge at risk (the *people* plugin).
    knowledge: AreaKnowledge | None = None
    #: The kind of files it plans (``product`` for the focus areas and "Everywhere else";
    #: the other kinds a report shows, ``--kinds``, get a section each).
    kind: str = "product"
    #: Whether the area's paths match any analysed file (a typo or a moved directory
    #: otherwise; the scan warns about it).
    matched: bool = True
    #: How many of the plan's "left alone on purpose" files are in the area.
    left_alone: int = 0
    #: Whether the roadmap says to leave the area alone: its goal (``leave``, ``retire``),
    #: or without a goal its weight (at most :data:`LEFT_ALONE_FACTOR`).
    leave: bool = False
    #: "Everywhere else": its files in the directories in flight, planned there instead.
    in_flight: int = 0


#: How the plan names the section of each kind of files other than product code.
KIND_SECTIONS = {"test": "Tests", "docs": "Docs and examples", "tooling": "Tooling",
                 "generated": "Generated code", "vendored": "Vendored code"}


@dataclass(frozen=True, slots=True, kw_only=True)
class InFlightPlan:
    """A directory with work in flight, with its targets (the touched files' first)."""

    area: InFlightArea
    targets: tuple[Target, ...]
    #: Scanned files in the directory.
    files: int
    #: Its files that changed in the window but that the roadmap says to leave alone, and
    #: why (``"Legacy: goal retire"``, ``"weight x0.5"``), each reason once.
    left_alone: int = 0
    leave_reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamPlan:
    """The targets of one team (CODEOWNERS), best ranked first."""

    team: str
    targets: tuple[Target, ...]

    @property
    def hours(self) -> float:
        return round(sum(t.hours for t in self.targets), 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """How a file moved since the saved snapshot (or, in the plan's trend, since the commit
    :data:`TREND_MONTHS` before)."""

    path: str
    kind: str  # "new hotspot", "up", "down", "gone"; trend: "rising", "new", "cooling"
    before: float | None
    after: float | None
    findings_fixed: int = 0


#: A summary sentence in parts: ``(text, is_code)``.
SummaryLine = tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    result: ScanResult
    areas: tuple[AreaPlan, ...]
    quick_wins: tuple[QuickWin, ...]
    #: Complex files the roadmap says to leave alone (dormant, or goal leave/retire).
    left_alone: tuple[Target, ...]
    changes: tuple[Change, ...] = ()
    snapshot_time: str | None = None
    summary: tuple[str, ...] = field(default=())
    #: Coupled pairs across a package or focus-area boundary that touch the targets (those
    #: in flight included).
    hidden: tuple[CoChange, ...] = ()
    #: Directories with work in flight, first in the plan; targets grouped by team.
    in_flight: tuple[InFlightPlan, ...] = ()
    teams: tuple[TeamPlan, ...] = ()
    #: The trend against the commit :data:`TREND_MONTHS` before (when history allows it):
    #: that commit's time, and the files whose score moved: ``rising``, ``new`` (nothing
    #: then), ``cooling`` (every other file is ``steady``), rising and new first.
    trend_since: str | None = None
    trend: tuple[Change, ...] = ()
    #: The summary's sentences in parts, ``(text, is_code)``: the parts that are repository
    #: text to show as code (paths), so that Markdown and HTML can; ``summary`` is the
    #: sentences as plain text.
    summary_parts: tuple[SummaryLine, ...] = ()

    def trend_of(self, path: str) -> str:
        """``rising``, ``new``, ``cooling``, ``steady``; "" without a trend."""
        if self.trend_since is None:
            return ""
        return next((c.kind for c in self.trend if c.path == path), "steady")


def _area_of(h: Hotspot) -> str | None:
    return next((w.area for w in h.analysis.weights if w.area), None)


def _factor(h: Hotspot) -> float:
    return h.component("focus") or 1.0


def _goals(result: ScanResult) -> dict[str, str | None]:
    """Each focus area's goal, by name."""
    return {a.name: a.goal for a in result.focus.areas} if result.focus is not None else {}


def left_alone(h: Hotspot, goals: Mapping[str, str | None]) -> bool:
    """Whether the roadmap says to leave ``h`` alone: in a focus area with a goal, by the
    goal (``leave`` or ``retire``: alone; ``refactor`` or ``supervise``: not, whatever the
    weight); otherwise by its weight (an area weighed at most :data:`LEFT_ALONE_FACTOR`
    without a goal, dormant code)."""
    goal = goals.get(_area_of(h) or "")
    if goal is not None:
        return goal in LEAVE_GOALS
    return _factor(h) <= LEFT_ALONE_FACTOR


def _target(h: Hotspot, result: ScanResult | None = None) -> Target:
    hours = refactor_hours(h)
    owned = result.evidence.owner_of(h.path) if result and result.evidence else None
    return Target(hotspot=h, hours=hours, band=effort_band(hours), hot=hot_functions(h),
                  team=owned.team if owned else "")


def quick_wins(hotspots: Sequence[Hotspot], limit: int = QUICK_WINS,
               goals: Mapping[str, str | None] | None = None) -> list[QuickWin]:
    wins = []
    for h in hotspots:
        if h.score <= 0 or left_alone(h, goals or {}):
            continue
        total = sum(f.effort_minutes for f in h.analysis.findings) or 1
        for f in h.analysis.findings:
            if f.effort_minutes > QUICK_WIN_MINUTES:
                continue
            removed = f.effort_minutes / total * (h.component("findings") or 0.0) + 0.01
            value = removed * h.score / max(1, f.effort_minutes)
            weighted = round(value * max(0.0, f.weight), 4)
            wins.append((weighted, round(value, 4), QuickWin(
                path=h.path, finding=f, value=weighted, area=_area_of(h),
                function=function_at(h, f.span.start_line))))
    wins.sort(key=lambda t: (t[0] <= 0, -t[0], -t[1], not t[2].finding.fix_available,
                             t[2].path, t[2].finding.span.start_line))
    return [w for _, _, w in wins[:limit]]


def trend_changes(earlier: ScanResult, result: ScanResult) -> tuple[Change, ...]:
    """The files whose friction rose, appeared or cooled since ``earlier`` (the scan of the
    commit :data:`TREND_MONTHS` before; see :func:`frictionscan.views.trend.compare_points`;
    below :data:`TREND_FLOOR` of the top, steady), rising and new first, highest first.
    Friction is the score without the roadmap's weights: the work in flight that weighs
    today's scan is not known for the earlier one."""
    top = max((friction(h) for h in result.hotspots), default=0.0)
    kinds = compare_points(earlier, result, floor=TREND_FLOOR * top, value=friction)
    named = follow([earlier, result])
    order = {"new": 0, "rising": 0, "cooling": 1}
    changes = [Change(path=p, kind=k, before=friction(old) if (old := named[0].get(p)) else None,
                      after=friction(named[1][p])) for p, k in kinds.items() if k in order]
    changes.sort(key=lambda c: (order[c.kind], -max(c.after or 0.0, c.before or 0.0), c.path))
    return tuple(changes)


def build_plan(result: ScanResult, snapshot: Mapping[str, Any] | None = None,
               top: int = TARGETS_PER_AREA, earlier: ScanResult | None = None) -> Plan:
    """The plan for ``result``; ``snapshot`` is an earlier :func:`snapshot_dict`;
    ``earlier`` the scan of the commit :data:`TREND_MONTHS` before, for the trend."""
    focus = result.focus
    # product code is planned by area; other kinds the report shows (--kinds) get a
    # section each, after the areas: tests never dilute the product's targets
    main_kind = result.hotspots[0].kind if result.hotspots and not any(
        h.kind == "product" for h in result.hotspots) else "product"
    hot = [h for h in result.hotspots if h.score > 0 and h.kind == main_kind]
    areas: list[AreaPlan] = []
    placed: set[str] = set()
    goals = _goals(result)
    flight = in_flight(result, top)
    by_cc = sorted((h for h in result.hotspots if left_alone(h, goals)
                    and (h.analysis.value("radon.cc_total") or 0) >= LEFT_ALONE_MIN_CC),
                   key=lambda h: -(h.analysis.value("radon.cc_total") or 0))
    alone = tuple(_target(h, result) for h in by_cc[:top])
    if focus is not None:
        order = sorted(zip(focus.areas, focus.weights), key=lambda t: -t[1])
        for area, weight in order:
            members = [h for h in hot if _area_of(h) == area.name]
            targets = [_target(h, result) for h in members
                       if not left_alone(h, goals)][:top]
            placed.update(t.path for t in targets)
            areas.append(AreaPlan(name=area.name, weight=weight, horizon=area.horizon,
                                  owner=area.owner or _team(result, area.name),
                                  goal=area.goal, targets=tuple(targets),
                                  files=sum(1 for h in result.hotspots
                                            if _area_of(h) == area.name),
                                  knowledge=result.insights.area(area.name),
                                  matched=any(match_any(h.path, area.paths)
                                              for h in result.hotspots),
                                  left_alone=sum(_area_of(t.hotspot) == area.name
                                                 for t in alone),
                                  leave=area.goal in LEAVE_GOALS if area.goal is not None
                                  else weight <= LEFT_ALONE_FACTOR))
    flying = [a.area for a in flight]
    rest = [h for h in hot if _area_of(h) is None and not left_alone(h, goals)
            and not any(a.contains(h.path) for a in flying)]
    areas.append(AreaPlan(name="Everywhere else" if areas or flight else "All code",
                          weight=None, horizon=None, owner=None, goal=None,
                          targets=tuple(_target(h, result) for h in rest[:top]),
                          files=sum(1 for h in result.hotspots if _area_of(h) is None
                                    and not any(a.contains(h.path) for a in flying)),
                          knowledge=result.insights.area(None),
                          left_alone=sum(_area_of(t.hotspot) is None for t in alone),
                          in_flight=sum(1 for h in result.hotspots if _area_of(h) is None
                                        and any(a.contains(h.path) for a in flying))))
    for kind in dict.fromkeys(h.kind for h in result.hotspots if h.kind != main_kind):
        members = [h for h in result.hotspots if h.kind == kind and h.score > 0
                   and not left_alone(h, goals)]
        areas.append(AreaPlan(name=KIND_SECTIONS.get(kind, kind.capitalize()), weight=None,
                              horizon=None, owner=None, goal=None, kind=kind,
                              targets=tuple(_target(h, result) for h in members[:top]),
                              files=sum(1 for h in result.hotspots if h.kind == kind)))
    wins = tuple(quick_wins(result.hotspots, goals=goals))
    changes = tuple(compare(snapshot, result)) if snapshot else ()
    # the targets in flight first: they are the plan's first targets, and their hidden
    # dependencies are the ones the work under way is about to meet
    hidden = hidden_dependencies([*(t.path for f in flight for t in f.targets),
                                  *(t.path for a in areas for t in a.targets)],
                                 result.insights)
    teams = by_team([*(t for f in flight for t in f.targets),
                     *(t for a in areas for t in a.targets)])
    plan = Plan(result=result, areas=tuple(areas), quick_wins=wins, left_alone=alone,
                changes=changes, snapshot_time=snapshot.get("head_time") if snapshot else None,
                hidden=hidden, in_flight=flight, teams=teams,
                trend_since=earlier.head_time.isoformat() if earlier else None,
                trend=trend_changes(earlier, result) if earlier else ())
    parts = tuple(summary_parts(plan))
    return Plan(result=plan.result, areas=plan.areas, quick_wins=plan.quick_wins,
                left_alone=plan.left_alone, changes=plan.changes,
                snapshot_time=plan.snapshot_time,
                summary=tuple("".join(text for text, _ in line) for line in parts),
                summary_parts=parts, hidden=hidden, in_flight=plan.in_flight,
                teams=plan.teams, trend_since=plan.trend_since, trend=plan.trend)


def xray_paths(plan: Plan) -> list[str]:
    """The files whose functions the plan shows: its refactor targets' and quick wins'."""
    paths = [t.path for flying in plan.in_flight for t in flying.targets]
    paths += [t.path for area in plan.areas for t in area.targets]
    paths += [w.path for w in plan.quick_wins]
    return list(dict.fromkeys(paths))


def in_flight(result: ScanResult, top: int = TARGETS_PER_AREA) -> tuple[InFlightPlan, ...]:
    """The directories with work in flight, each with its hotspots (the files the work
    touches first, then the others, by rank), left-alone files excepted."""
    areas = result.focus.in_flight if result.focus is not None else ()
    goals = _goals(result)
    plans = []
    for area in areas:
        members = [h for h in result.hotspots if area.contains(h.path)]
        hot = sorted((h for h in members if h.score > 0 and not left_alone(h, goals)),
                     key=lambda h: not area.touches(h.path))
        alone = [h for h in members if h.score > 0 and left_alone(h, goals)]
        plans.append(InFlightPlan(area=area, files=len(members),
                                  targets=tuple(_target(h, result) for h in hot[:top]),
                                  left_alone=len(alone), leave_reasons=tuple(dict.fromkeys(
                                      _leave_reason(h, goals) for h in alone))))
    return tuple(plans)


def _leave_reason(h: Hotspot, goals: Mapping[str, str | None]) -> str:
    """Why the roadmap leaves ``h`` alone: its area's goal, or its weight."""
    area = _area_of(h)
    goal = goals.get(area or "")
    if area is not None and goal is not None:
        return f"{area}: goal {goal}"
    return f"weight x{_factor(h):g}"


def _team(result: ScanResult, area: str) -> str | None:
    """The team owning most files of a focus area (CODEOWNERS); ``None`` when most files
    have no owner."""
    if result.evidence is None or not result.evidence.owners:
        return None
    teams = Counter(o.team if o is not None else "" for h in result.hotspots
                    if _area_of(h) == area for o in (result.evidence.owner_of(h.path),))
    best = min(teams.items(), key=lambda t: (-t[1], t[0]))[0] if teams else ""
    return best or None


#: How :func:`by_team` names the targets of files that no CODEOWNERS rule owns.
NO_TEAM = "(no owner)"


def by_team(targets: Sequence[Target]) -> tuple[TeamPlan, ...]:
    """The targets grouped by team, each once, best ranked first; teams with the most
    targets first, files without an owner last. Empty when no target has an owner."""
    if not any(t.team for t in targets):
        return ()
    groups: dict[str, dict[str, Target]] = {}
    for t in targets:
        groups.setdefault(t.team or NO_TEAM, {}).setdefault(t.path, t)
    teams = [TeamPlan(team=team, targets=tuple(sorted(
                 found.values(), key=lambda t: (t.hotspot.rank or 0, t.path))))
             for team, found in groups.items()]
    teams.sort(key=lambda p: (p.team == NO_TEAM, -len(p.targets), p.team))
    return tuple(teams)


def summarise(plan: Plan) -> list[str]:
    """A few sentences a product manager can read."""
    return ["".join(text for text, _ in line) for line in summary_parts(plan)]


def summary_parts(plan: Plan) -> list[SummaryLine]:
    """:func:`summarise`'s sentences in parts, the paths apart (:data:`SummaryLine`)."""
    result = plan.result
    hot = [h for h in result.hotspots if h.score > 0]
    lines: list[SummaryLine] = []
    lines.append(((f"{len(result.hotspots)} files analysed; {len(hot)} changed in the window "
                   f"({result.stat('commits_in_window', 0)} commits since "
                   f"{result.since.date() if result.since else 'the start'}).", False),))
    for area in plan.areas:
        if area.weight is None or not area.targets or area.leave:
            continue
        hours = sum(t.hours for t in area.targets)
        when = f" (next {area.horizon})" if area.horizon else ""
        count = len(area.targets)
        lines.append(((f"{area.name}{when}: {count} refactor target{'s' if count > 1 else ''}, "
                       f"about {hours:.0f} hour{'s' if round(hours) != 1 else ''}; the worst "
                       f"is ", False), (area.targets[0].path, True), (".", False)))
    return lines + [((line, False),) for line in _summary_rest(plan)]


def _summary_rest(plan: Plan) -> list[str]:
    """The summary's sentences after the areas' (no paths in them)."""
    lines: list[str] = []
    if plan.in_flight:
        items = {(i.kind, i.key) for f in plan.in_flight for i in f.area.items}
        kinds = Counter(kind for kind, _ in items)
        work = ", ".join(f"{n} {kind}{'es' if n > 1 and kind == 'branch' else ''}"
                         f"{'s' if n > 1 and kind != 'branch' else ''}"
                         for kind, n in sorted(kinds.items()))
        targets = sum(len(f.targets) for f in plan.in_flight)
        count = len(plan.in_flight)
        lines.append(f"Work in flight ({work}) in {count} director"
                     f"{'ies' if count > 1 else 'y'}: {targets} refactor target"
                     f"{'s' if targets != 1 else ''} there come first.")
    if plan.teams:
        lines.append("Targets by team: " + ", ".join(
            f"{t.team} {len(t.targets)}" for t in plan.teams) + ".")
    if plan.quick_wins:
        minutes = sum(w.finding.effort_minutes for w in plan.quick_wins)
        lines.append(f"{len(plan.quick_wins)} quick wins take about {minutes} minutes in all"
                     f" ({sum(w.finding.fix_available for w in plan.quick_wins)} can be "
                     f"fixed automatically).")
    if plan.left_alone:
        n = len(plan.left_alone)
        lines.append(f"{n} complex file{'s are' if n > 1 else ' is'} deliberately left alone "
                     f"(dormant or out of scope).")
    if plan.hidden:
        n = len(plan.hidden)
        lines.append(f"{n} hidden dependenc{'ies' if n > 1 else 'y'}: files across a package "
                     f"or focus-area boundary that keep changing with the targets.")
    if plan.trend_since is not None:
        trend = Counter(c.kind for c in plan.trend)
        moved = ", ".join(f"{trend[k]} {k}" for k in ("rising", "new", "cooling") if trend[k])
        lines.append(f"Since {plan.trend_since[:10]} ({TREND_MONTHS} months before): "
                     + (f"{moved} hotspots." if moved else "every hotspot is steady."))
    if plan.changes:
        new = sum(c.kind == "new hotspot" for c in plan.changes)
        fixed = sum(c.findings_fixed for c in plan.changes)
        lines.append(f"Since the last snapshot: {new} new hotspots, {fixed} findings fixed.")
    return lines


# -- snapshots ----------------------------------------------------------------

def snapshot_dict(result: ScanResult) -> dict[str, Any]:
    """What ``plan --save`` keeps for the next plan to compare with (:func:`compare`)."""
    return {
        "schema_version": 1,
        "head": result.head,
        "head_time": result.head_time.isoformat(),
        "files": {h.path: {"score": h.score, "rank": h.rank,
                           "findings": len(h.analysis.findings) if h.analysis.checked
                           else None}
                  for h in result.hotspots},
    }


def compare(snapshot: Mapping[str, Any], result: ScanResult,
            threshold: float = 0.1) -> list[Change]:
    """Files whose standing changed by more than ``threshold`` (relative)."""
    before = snapshot.get("files", {})
    changes = []
    top_before = {p for p, v in before.items() if (v.get("rank") or 10**9) <= 10
                  and v.get("score", 0) > 0}
    for h in result.hotspots:
        old = before.get(h.path)
        had = (old or {}).get("findings")
        # findings are compared only where both plans checked them
        fixed = max(0, had - len(h.analysis.findings)) \
            if isinstance(had, int) and h.analysis.checked else 0
        if old is None or (h.rank is not None and h.rank <= 10 and h.score > 0
                           and h.path not in top_before):
            if h.rank is not None and h.rank <= 10 and h.score > 0:
                changes.append(Change(path=h.path, kind="new hotspot",
                                      before=old.get("score") if old else None,
                                      after=h.score, findings_fixed=fixed))
            continue
        was = float(old.get("score", 0))
        if abs(h.score - was) > threshold * max(was, 1.0):
            changes.append(Change(path=h.path, kind="up" if h.score > was else "down",
                                  before=was, after=h.score, findings_fixed=fixed))
        elif fixed:
            changes.append(Change(path=h.path, kind="findings fixed", before=was,
                                  after=h.score, findings_fixed=fixed))
    current = {h.path for h in result.hotspots}
    changes.extend(Change(path=p, kind="gone", before=float(v.get("score", 0)), after=None)
                   for p, v in sorted(before.items()) if p not in current)
    order = {"new hotspot": 0, "up": 1, "findings fixed": 2, "down": 3, "gone": 4}
    changes.sort(key=lambda c: (order[c.kind], -(c.after or 0), c.path))
    return changes
