"""The plan as Markdown (GitHub), CSV and JSON."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from frictionscan.api import (
    Change,
    Config,
    InFlightPlan,
    Insights,
    Plan,
    PlanFigures,
    QuickWin,
    Target,
    WorkItem,
    json_text,
    markdown_code,
    markdown_message,
    plan_figures,
    printable,
    spreadsheet_safe,
    without_code_fences,
)
from frictionscan.api import (
    markdown_escape as md,
)
from frictionscan_report.insights_format import (
    area_dict,
    area_line,
    co_change_dict,
    hidden_line,
    people_text,
)
from frictionscan_report.json_format import function_dict
from frictionscan_report.table import why


def _area_header(area: Any) -> str:
    bits = []
    if area.weight is not None:
        bits.append(f"weight x{area.weight:g}")
    if area.horizon:
        bits.append(f"next {md(area.horizon)}")
    if area.owner:
        bits.append(f"owner {md(area.owner)}")
    if area.goal:
        bits.append(f"goal: {area.goal}")
    return f"## {md(area.name)}" + (f" ({', '.join(bits)})" if bits else "")


#: The plan's JSON document: ``schema_version`` 1, and the additions within it
#: (docs/planning.md): 1 the summary's numbers (``figures``).
PLAN_SCHEMA_MINOR = 1


def no_targets(area: Any) -> str:
    """Why a section of the plan has no refactor targets (plain text)."""
    listed = ("; its complex files are listed under \"Left alone on purpose\"."
              if area.left_alone else ".")
    if area.leave and area.goal:
        return f"Goal {area.goal}: no refactor targets here, whatever the friction{listed}"
    if area.leave:
        return f"Weight x{area.weight:g}: no refactor targets here, whatever the friction{listed}"
    if not area.matched:
        return "No refactor targets: the area's paths match no analysed file."
    if not area.files and getattr(area, "in_flight", 0):
        n = area.in_flight
        return (f"No refactor targets here: {'its file is' if n == 1 else f'its {n} files are'}"
                f" in directories with work in flight, planned under \"In flight\".")
    if not area.files:
        return ("No refactor targets: no file here." if area.weight is None else
                "No refactor targets: its files are planned in an overlapping area with a "
                "larger weight.")
    return "No refactor targets: nothing here changed in the window."


def no_flight_targets(f: InFlightPlan) -> str:
    """Why a directory in flight has no refactor targets (plain text)."""
    if f.left_alone:
        n = f.left_alone
        return (f"No refactor targets: {'the file' if n == 1 else f'the {n} files'} here that "
                f"changed in the window {'is' if n == 1 else 'are'} left alone on purpose "
                f"({'; '.join(f.leave_reasons)}).")
    if not f.files:
        return "No refactor targets: the work changes or names no analysed file here."
    return "No refactor targets: no hotspot here changed in the window."


def summary_markdown(plan: Plan) -> list[str]:
    """The summary as a Markdown list, one sentence per item, its paths as code spans."""
    return ["- " + "".join(markdown_code(text) if code else md(text) for text, code in line)
            for line in plan.summary_parts]


def hot_list(t: Target) -> str:
    """A target's hot functions: ``name (7 changes, cc 15, S)``, best first."""
    return "; ".join(f"{h.function.name} ({_count(h.function.changes, 'change')}, cc "
                     f"{h.function.complexity or 0:g}, {h.band})" for h in t.hot)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _where(w: QuickWin, code: Any = str, text: Any = str) -> str:
    """In which function a quick win sits, and how often that function changed; ``code``
    formats the function's name, ``text`` the rest."""
    if w.function is not None:
        return (f"in {code(w.function.name)}, "
                f"{text(_count(w.function.changes, 'change'))} in the window")
    return f"in {code(w.finding.symbol)}" if w.finding.symbol else "at module level"


def _win_line(w: QuickWin) -> str:
    f = w.finding
    fix = (f" (automatic fix: `frictionscan fix --rule {f.code}`"
           + (" --unsafe" if not f.fix_safe else "") + ")") if f.fix_available else ""
    return (f"- [ ] {markdown_code(f'{w.path}:{f.span.start_line}')} **{md(f.code)}** "
            f"{markdown_message(f.message)} ({f.effort_minutes} min, "
            f"{_where(w, markdown_code, md)}){fix}")


def _targets_table(targets: tuple[Target, ...], insights: Insights | None = None,
                   plan: Plan | None = None) -> list[str]:
    """The targets' table; with a ``Trend`` column when ``plan`` has a trend."""
    trend = plan is not None and plan.trend_since is not None
    out = ["| Rank | File | Score | " + ("Trend | " if trend else "")
           + "Effort | Hot functions | Why |",
           "|---:|---|---:|" + ("---|" if trend else "") + "---|---|---|"]
    for t in targets:
        out.append(f"| {t.hotspot.rank} | {md(t.path)} | {t.hotspot.score:.2f} | "
                   + (f"{plan.trend_of(t.path)} | " if trend and plan is not None else "")
                   + f"{t.band} ({t.hours:g} h) | {md(hot_list(t)) or '-'} | "
                   f"{md(why(t.hotspot, insights))} |")
    return out


def _work_line(item: WorkItem, note: str) -> str:
    kind = "branch " if item.kind == "branch" else ""
    title = f": {md(item.title)}" if item.title else ""
    return f"- {kind}{markdown_message(note)}{title}"


def _in_flight_section(plan: Plan) -> list[str]:
    out = ["## In flight", "",
           "Directories with work under way or planned (unmerged branches, open pull "
           "requests, milestone issues): the team is there now, so their hotspots come "
           "first.", ""]
    for f in plan.in_flight:
        a = f.area
        bits = [f"x{a.weight:g} for the files the work touches"]
        if a.area_weight != 1.0:
            bits.append(f"x{a.area_weight:g} for the others")
        if a.team:
            bits.append(f"team {md(a.team)}")
        out += [f"### {md(a.name or 'top level')} ({', '.join(bits)})", ""]
        out += [_work_line(i, n) for i, n in zip(a.items, a.notes)] + [""]
        out += _targets_table(f.targets, plan.result.insights, plan) if f.targets else [
            md(no_flight_targets(f))]
        out.append("")
    return out


def _team_section(plan: Plan) -> list[str]:
    out = ["## By team", "", "Every target above, by the team that owns its file "
           "(CODEOWNERS).", "", "| Team | Targets | Effort |", "|---|---|---:|"]
    for team in plan.teams:
        listed = ", ".join(f"{md(t.path)} (#{t.hotspot.rank}, {t.band})" for t in team.targets)
        out.append(f"| {md(team.team)} | {listed} | {team.hours:g} h |")
    return out + [""]


#: The plan's trend section lists at most this many rising and new, and as many cooling.
TREND_ROWS = 10


def trend_rows(plan: Plan) -> list[Change]:
    """The rows of the trend section: rising and new first, then cooling."""
    warm = [c for c in plan.trend if c.kind != "cooling"][:TREND_ROWS]
    return warm + [c for c in plan.trend if c.kind == "cooling"][:TREND_ROWS]


def _trend_section(plan: Plan) -> list[str]:
    if plan.trend_since is None:
        return []
    out = [f"## Trend since {md(plan.trend_since[:10])}", "",
           "Friction (the score before the roadmap's weights) now against the commit of three "
           "months ago: what is heating up and what is cooling down (`frictionscan trend` "
           "shows the whole year).", ""]
    rows = trend_rows(plan)
    if not rows:
        return out + ["Every hotspot is steady.", ""]
    out += ["| File | Trend | Friction then | Friction now |", "|---|---|---:|---:|"]
    for c in rows:
        before = "-" if c.before is None else f"{c.before:.2f}"
        out.append(f"| {md(c.path)} | {c.kind} | {before} | {c.after or 0:.2f} |")
    return out + [""]


def write_markdown(plan: Plan, config: Config, stream: TextIO) -> None:
    r = plan.result
    out = [f"# Friction plan: {md(r.root.rsplit('/', 1)[-1])} at {r.head[:10]} "
           f"({r.head_time.date()})", ""]
    out += summary_markdown(plan) + [""]
    if r.warnings:
        out += [f"**Warning:** {md(w)}" for w in r.warnings] + [""]
    if plan.in_flight:
        out += _in_flight_section(plan)
    for area in plan.areas:
        out += [_area_header(area), ""]
        if area.knowledge is not None and area.knowledge.changes:
            k = area.knowledge
            out += [f"Knowledge: {md(area_line(k))}; most changes by "
                    f"{md(people_text(k.authors[:3]))}.", ""]
        if not area.targets:
            out += [md(no_targets(area)), ""]
            continue
        out += _targets_table(area.targets, r.insights, plan)
        out.append("")
    if plan.hidden:
        out += ["## Hidden dependencies", "",
                "Files across a package or focus-area boundary that keep changing with the "
                "targets: plan the change to both, or break the dependency.", ""]
        out += [f"- {md(hidden_line(c, q=''))}" for c in plan.hidden]
        out.append("")
    if plan.teams:
        out += _team_section(plan)
    out += _trend_section(plan)
    out += ["## Quick wins", ""]
    if plan.quick_wins:
        out += ["Fixes of 15 minutes or less in the hotspots, best return first.", ""]
        out += [_win_line(w) for w in plan.quick_wins]
    else:
        out.append("None: no small findings in files that changed.")
    out.append("")
    if plan.left_alone:
        out += ["## Left alone on purpose", "",
                "Complex files the roadmap says not to invest in (dormant, or a leave/retire "
                "goal).", "", "| File | Complexity | Effort if touched | Why |",
                "|---|---:|---|---|"]
        for t in plan.left_alone:
            cc = t.hotspot.analysis.value("radon.cc_total")
            reasons = "; ".join(w.reason for w in t.hotspot.analysis.weights)
            out.append(f"| {md(t.path)} | {'-' if cc is None else f'{cc:g}'} | "
                       f"{t.band} ({t.hours:g} h) | {md(reasons)} |")
        out.append("")
    if plan.changes:
        out += [f"## Since the snapshot of {md(plan.snapshot_time or '?')}", "",
                "| File | Change | Score before | Score now | Findings fixed |",
                "|---|---|---:|---:|---:|"]
        for c in plan.changes:
            before = "-" if c.before is None else f"{c.before:.2f}"
            after = "-" if c.after is None else f"{c.after:.2f}"
            out.append(f"| {md(c.path)} | {c.kind} | {before} | {after} | "
                       f"{c.findings_fixed} |")
        out.append("")
    out.append("<sub>Generated by frictionscan; scores are explained in docs/scoring.md.</sub>")
    stream.write("\n".join(out) + "\n")


#: Stable CSV columns (docs/planning.md); later versions only append columns.
CSV_COLUMNS = ("section", "area", "rank", "path", "score", "effort_band", "effort_hours",
               "code", "line", "message", "effort_minutes", "fix", "reasons", "functions",
               "partner", "shared", "degree", "bus_factor", "at_risk", "team", "trend")


def _target_row(section: str, area: str, t: Target, insights: Any = None,
                plan: Plan | None = None) -> dict[str, Any]:
    return {"section": section, "area": area, "rank": t.hotspot.rank, "path": t.path,
            "score": t.hotspot.score, "effort_band": t.band, "effort_hours": t.hours,
            "reasons": without_code_fences(why(t.hotspot, insights)), "functions": hot_list(t),
            "team": t.team,
            "trend": plan.trend_of(t.path) if plan is not None else ""}


def write_csv(plan: Plan, config: Config, stream: TextIO) -> None:
    """Text cells are quoted, and neutralised where a spreadsheet would read them as a
    formula (:func:`~frictionscan.core.text.spreadsheet_safe`); numbers are written bare."""
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n",
                            quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    rows: list[dict[str, Any]] = []
    insights = plan.result.insights
    for f in plan.in_flight:
        rows += [_target_row("in-flight", f.area.name, t, insights, plan) for t in f.targets]
    for area in plan.areas:
        rows += [_target_row("refactor", area.name, t, insights, plan)
                 for t in area.targets]
        if area.knowledge is not None and area.knowledge.changes:
            rows.append({"section": "knowledge", "area": area.name,
                         "bus_factor": area.knowledge.bus_factor,
                         "at_risk": area.knowledge.at_risk,
                         "reasons": area_line(area.knowledge)})
    rows += [{"section": "hidden-dependency", "path": c.path, "partner": c.partner,
              "shared": c.shared, "degree": c.degree, "reasons": hidden_line(c, q="")}
             for c in plan.hidden]
    for w in plan.quick_wins:
        f = w.finding
        rows.append({"section": "quick-win", "area": w.area or "", "path": w.path,
                     "code": f.code, "line": f.span.start_line, "message": f.message,
                     "effort_minutes": f.effort_minutes,
                     "fix": ("safe" if f.fix_safe else "unsafe") if f.fix_available else "",
                     "functions": w.function.name if w.function is not None else ""})
    rows += [_target_row("left-alone", "", t, insights, plan) for t in plan.left_alone]
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def work_dict(item: WorkItem, note: str) -> dict[str, Any]:
    """One piece of work in flight (docs/planning.md)."""
    return {"kind": item.kind, "key": printable(item.key), "title": printable(item.title),
            "note": printable(note), "files": item.files, "lines": item.lines,
            "updated": item.updated.isoformat() if item.updated else None,
            "labels": [printable(label) for label in item.labels],
            "milestone": printable(item.milestone) if item.milestone else None,
            "ref": printable(item.ref) if item.ref else None,
            "source": printable(item.source)}


def _in_flight_dict(f: InFlightPlan, target: Any) -> dict[str, Any]:
    a = f.area
    return {"name": printable(a.name), "weight": a.weight, "area_weight": a.area_weight,
            "team": printable(a.team) or None, "files": f.files,
            "touched": [printable(p) for p in a.touched],
            "work": [work_dict(i, n) for i, n in zip(a.items, a.notes)],
            "targets": [target(t) for t in f.targets]}


def plan_dict(plan: Plan) -> dict[str, Any]:
    def target(t: Target) -> dict[str, Any]:
        return {"rank": t.hotspot.rank, "path": printable(t.path), "score": t.hotspot.score,
                "effort_band": t.band, "effort_hours": t.hours,
                "reasons": [printable(c.reason) for c in t.hotspot.components],
                "functions": [{**function_dict(h.function), "effort_band": h.band,
                               "effort_hours": h.hours} for h in t.hot],
                "team": printable(t.team) or None,
                "trend": plan.trend_of(t.path) or None}

    r = plan.result
    return {
        "schema_version": 1,
        "schema_minor": PLAN_SCHEMA_MINOR,
        "repository": {"root": printable(r.root), "head": r.head,
                       "head_time": r.head_time.isoformat()},
        "summary": [printable(s) for s in plan.summary],
        "figures": figures_dict(plan_figures(plan)),
        "warnings": [printable(w) for w in r.warnings],
        "areas": [{"name": printable(a.name), "weight": a.weight, "horizon": a.horizon,
                   "owner": a.owner, "goal": a.goal, "files": a.files,
                   "targets": [target(t) for t in a.targets],
                   "knowledge": area_dict(a.knowledge)} for a in plan.areas],
        "hidden_dependencies": [co_change_dict(c) for c in plan.hidden],
        "quick_wins": [{"path": printable(w.path), "code": w.finding.code,
                        "line": w.finding.span.start_line,
                        "message": printable(w.finding.message),
                        "effort_minutes": w.finding.effort_minutes,
                        "fix_available": w.finding.fix_available,
                        "fix_safe": w.finding.fix_safe, "value": w.value, "area": w.area,
                        "function": printable(w.function.name) if w.function else None,
                        "function_changes": w.function.changes if w.function else None}
                       for w in plan.quick_wins],
        "left_alone": [target(t) for t in plan.left_alone],
        "changes": [{"path": printable(c.path), "kind": c.kind, "before": c.before,
                     "after": c.after, "findings_fixed": c.findings_fixed}
                    for c in plan.changes],
        "in_flight": [_in_flight_dict(f, target) for f in plan.in_flight],
        "teams": [{"team": printable(t.team), "hours": t.hours,
                   "targets": [{"rank": x.hotspot.rank, "path": printable(x.path)}
                               for x in t.targets]} for t in plan.teams],
        "trend": None if plan.trend_since is None else {
            "since": plan.trend_since,
            "files": [{"path": printable(c.path), "kind": c.kind, "before": c.before,
                       "after": c.after} for c in plan.trend]},
    }


def figures_dict(f: PlanFigures) -> dict[str, Any]:
    """The summary's numbers (docs/planning.md)."""
    return {"files": f.files, "changed": f.changed, "commits": f.commits,
            "targets": f.targets, "hours": f.hours, "quick_wins": f.quick_wins,
            "quick_win_minutes": f.quick_win_minutes,
            "quick_wins_fixable": f.quick_wins_fixable, "left_alone": f.left_alone,
            "hidden_dependencies": f.hidden_dependencies,
            "in_flight_targets": f.in_flight_targets,
            "areas": [{"name": printable(a.name), "kind": a.kind, "goal": a.goal,
                       "files": a.files, "targets": a.targets, "hours": a.hours,
                       "quick_wins": a.quick_wins, "quick_win_minutes": a.quick_win_minutes,
                       "left_alone": a.left_alone} for a in f.areas]}


def write_plan_json(plan: Plan, config: Config, stream: TextIO) -> None:
    stream.write(json_text(plan_dict(plan)) + "\n")
