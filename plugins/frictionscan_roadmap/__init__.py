"""Built-in plugin *roadmap*: weigh files by where the team plans to invest next.

Focus areas come from ``[[tool.frictionscan.focus]]`` tables (``name``, ``paths``, ``weight``,
``horizon``, ``owner``). A file's weight:

* inside one or more areas: the largest area weight (times the goal's factor: ``leave``
  0.3, ``retire`` 0.05, ``refactor``/``supervise`` 1) (overlapping areas do not multiply, so
  nesting an area inside another cannot inflate a file); the reason names every matching area;
* outside every area and unchanged for ``dormant_after`` (default 12 months): ``dormant_factor``
  (default 0.5): "refactoring a dormant service may not be worth the work";
* outside every area, in a directory with work in flight or planned (evidence, see
  :mod:`frictionscan_roadmap.inflight`): ``evidence_weight`` (1.2) for the files the work
  touches, ``evidence_area_weight`` (1) for the directory's others; the dormancy discount
  does not apply there;
* otherwise 1 (no weight shown).

An area's weight is its explicit ``weight``, or else derived from its ``horizon``: sooner
weighs more (see :func:`horizon_weight`, documented in docs/roadmap.md).
"""

from __future__ import annotations

from datetime import datetime

from frictionscan.api import (
    Between,
    Config,
    Evidence,
    FileHistory,
    Focus,
    FocusArea,
    History,
    OptionParser,
    SourceFile,
    Weight,
    duration,
    duration_days,
    hookimpl,
    match_any,
    resolve_point,
)
from frictionscan_roadmap import inflight

__version__ = "0.2.0"  # 0.2.0: evidence (areas in flight)

#: (horizon up to N days, weight): the default weight of an area without an explicit one.
HORIZON_WEIGHTS = ((92, 3.0), (184, 2.0), (366, 1.5))
FAR_HORIZON_WEIGHT = 1.2
NO_HORIZON_WEIGHT = 2.0


def horizon_weight(horizon: str | None, reference_days: float | None = None) -> float:
    """Default weight for a horizon: up to 3 months 3.0, 6 months 2.0, 12 months 1.5,
    later 1.2; an area without a horizon 2.0. A date horizon counts from HEAD's time
    (``reference_days`` = days from HEAD to that date)."""
    if horizon is None:
        return NO_HORIZON_WEIGHT
    days = reference_days if reference_days is not None else duration_days(horizon)
    for limit, weight in HORIZON_WEIGHTS:
        if days <= limit:
            return weight
    return FAR_HORIZON_WEIGHT


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("roadmap.dormant_after", type=str, default="12 months", validate=duration,
                     help="code unchanged this long and outside every focus area is dormant")
    parser.addoption("roadmap.dormant_factor", type=float, default=0.5, validate=Between(0, 1),
                     help="score factor for dormant code, from 0 to 1 (1 = no discount)")
    parser.addoption("roadmap.evidence_weight", type=float, default=inflight.EVIDENCE_WEIGHT,
                     validate=Between(0, 1000),
                     help="factor of files that work in flight (unmerged branches, open pull "
                          "requests, milestone issues) touches, outside typed-in focus areas")
    parser.addoption("roadmap.evidence_area_weight", type=float,
                     default=inflight.EVIDENCE_AREA_WEIGHT, validate=Between(0, 1000),
                     help="factor of the other files of directories with work in flight")


#: Factor for an area's goal: friction where the team will leave or delete code matters little.
GOAL_FACTORS = {"refactor": 1.0, "supervise": 1.0, "leave": 0.3, "retire": 0.05}


def area_weight(area: FocusArea, now: datetime) -> float:
    """The weight of ``area``: explicit, else from its horizon (a date counts from ``now``),
    times its goal's factor."""
    return round(_base_weight(area, now) * GOAL_FACTORS.get(area.goal or "refactor", 1.0), 4)


def _base_weight(area: FocusArea, now: datetime) -> float:
    if area.weight is not None:
        return area.weight
    if area.horizon is None:
        return horizon_weight(None)
    try:
        return horizon_weight(area.horizon)
    except ValueError:  # an ISO date
        days = (resolve_point(area.horizon, now) - now).total_seconds() / 86400
        return horizon_weight(area.horizon, reference_days=max(0.0, days))


@hookimpl(trylast=True)
def frictionscan_load_focus(config: Config, history: History,
                            evidence: Evidence | None) -> Focus:
    areas = config.focus
    flight = inflight.in_flight_areas(evidence, config, history.head_time) \
        if evidence is not None and evidence.items else ()
    return Focus(areas=areas, weights=tuple(area_weight(a, history.head_time) for a in areas),
                 source=config.config_file, in_flight=flight)


def _horizon_text(area: FocusArea) -> str:
    parts = [area.horizon] if area.horizon else []
    if area.goal:
        parts.append(f"goal {area.goal}")
    return f" ({', '.join(parts)})" if parts else ""


@hookimpl
def frictionscan_focus_weight(file: SourceFile, history: FileHistory, focus: Focus,
                              config: Config) -> Weight | None:
    matching = [(w, a) for a, w in zip(focus.areas, focus.weights)
                if match_any(file.path, a.paths)]
    flight = inflight.index(focus.in_flight).of(file.path) if focus.in_flight else None
    touched = flight is not None and flight.touches(file.path)
    if matching:
        weight, area = max(matching, key=lambda t: t[0])
        others = [a.name for _, a in matching if a is not area]
        also = f" (also in {', '.join(others)})" if others else ""
        work = f"; in flight: {inflight.direct_reason(flight, file.path)}" \
            if flight is not None and touched else ""
        return Weight(factor=weight, area=area.name,
                      reason=f"focus area '{area.name}'{_horizon_text(area)}: "
                             f"x{weight:g}{also}{work}")
    if flight is not None and touched:
        return Weight(factor=flight.weight,
                      reason=f"in flight: {inflight.direct_reason(flight, file.path)}: "
                             f"x{flight.weight:g}")
    if flight is not None and flight.area_weight != 1.0:
        return Weight(factor=flight.area_weight,
                      reason=f"in flight nearby: {inflight.area_reason(flight)}: "
                             f"x{flight.area_weight:g}")
    factor = float(config.getoption("roadmap.dormant_factor", 0.5))
    dormant_after = duration_days(config.getoption("roadmap.dormant_after", "12 months"))
    idle = history.idle_days
    if factor != 1.0 and (idle is None or idle >= dormant_after):
        since = _no_change(config.since, dormant_after) if idle is None else \
            f"unchanged for {_human_days(idle)}"
        if flight is not None:  # the discount is lifted: work in flight next to it
            return Weight(factor=1.0, reason=f"{since}, but not dormant: "
                                             f"{inflight.area_reason(flight)}")
        return Weight(factor=factor, reason=f"dormant: {since}, outside every focus area: "
                                            f"x{factor:g}")
    return None


def _no_change(window: str, dormant_after: float) -> str:
    """``no change in the last 12 months`` / ``no change since 2025-01-01``: the window, or
    the dormancy period when it is longer (the git plugin then reads names back that far)."""
    try:
        days = duration_days(window)
    except ValueError:
        return f"no change since {window.strip()}"
    if dormant_after > days:
        return f"no change in the last {_human_days(dormant_after)}"
    return f"no change in the last {window.strip()}"


def _human_days(days: float) -> str:
    if days >= 365:
        return f"{days / 365.25:.1f} years"
    if days >= 60:
        return f"{days / 30.44:.0f} months"
    return f"{days:.0f} days"
