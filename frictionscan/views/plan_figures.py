"""The plan's summary as numbers a dashboard can use: per section of the plan (focus area,
"Everywhere else", the other kinds of files) its refactor targets and their hours, its quick
wins and their minutes, its files left alone; and the totals (docs/planning.md).

The Markdown and HTML plans say the same in sentences (:attr:`Plan.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass

from frictionscan.views.plan import AreaPlan, Plan


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionFigures:
    """The numbers of one section of the plan."""

    name: str
    kind: str
    goal: str | None
    #: Analysed files in the section.
    files: int
    targets: int
    hours: float
    quick_wins: int
    quick_win_minutes: int
    left_alone: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanFigures:
    """The numbers of the whole plan: every target once (a target in flight and in its
    area counts once)."""

    files: int
    #: Files changed in the window (score above 0), and the window's commits.
    changed: int
    commits: int
    targets: int
    hours: float
    quick_wins: int
    quick_win_minutes: int
    #: Quick wins ``frictionscan fix`` can apply.
    quick_wins_fixable: int
    left_alone: int
    hidden_dependencies: int
    #: Targets in the directories with work in flight.
    in_flight_targets: int
    areas: tuple[SectionFigures, ...]


def _section(plan: Plan, path: str) -> AreaPlan | None:
    """The section of the plan a file belongs to: its focus area, its kind's section, or
    the section of the files outside every area."""
    h = next((h for h in plan.result.hotspots if h.path == path), None)
    if h is None:
        return None
    area = next((w.area for w in h.analysis.weights if w.area), None)
    by_kind = next((a for a in plan.areas if a.kind == h.kind and a.weight is None
                    and a.kind != "product"), None)
    if by_kind is not None:
        return by_kind
    if area is not None:
        return next((a for a in plan.areas if a.name == area and a.weight is not None), None)
    return next((a for a in plan.areas if a.weight is None and a.kind == "product"), None)


def plan_figures(plan: Plan) -> PlanFigures:
    """The numbers of ``plan`` (see the module docstring)."""
    wins: dict[int, list[int]] = {}
    for w in plan.quick_wins:
        section = _section(plan, w.path)
        if section is not None:
            wins.setdefault(id(section), []).append(w.finding.effort_minutes)
    sections = tuple(SectionFigures(
        name=a.name, kind=a.kind, goal=a.goal, files=a.files, targets=len(a.targets),
        hours=round(float(sum(t.hours for t in a.targets)), 1),
        quick_wins=len(wins.get(id(a), ())), quick_win_minutes=sum(wins.get(id(a), ())),
        left_alone=a.left_alone) for a in plan.areas)
    targets = {t.path: t.hours for f in plan.in_flight for t in f.targets}
    targets.update({t.path: t.hours for a in plan.areas for t in a.targets})
    r = plan.result
    return PlanFigures(
        files=len(r.hotspots), changed=sum(1 for h in r.hotspots if h.score > 0),
        commits=int(r.stat("commits_in_window", 0) or 0), targets=len(targets),
        hours=round(float(sum(targets.values())), 1), quick_wins=len(plan.quick_wins),
        quick_win_minutes=sum(w.finding.effort_minutes for w in plan.quick_wins),
        quick_wins_fixable=sum(w.finding.fix_available for w in plan.quick_wins),
        left_alone=len(plan.left_alone), hidden_dependencies=len(plan.hidden),
        in_flight_targets=len({t.path for f in plan.in_flight for t in f.targets}),
        areas=sections)
