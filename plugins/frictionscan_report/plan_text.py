"""The plan as Markdown (GitHub), CSV and JSON."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from frictionscan.api import (
    Change,
    Config,
    Plan,
    QuickWin,
    Target,
    json_text,
    printable,
    spreadsheet_safe,
)
from frictionscan.api import (
    markdown_escape as md,
)
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


def _no_targets(area: Any) -> str:
    if area.goal in ("leave", "retire"):
        return (f"Goal {area.goal}: no refactor targets here, whatever the friction "
                f"(complex files are listed under \"Left alone on purpose\").")
    return "No refactor targets: nothing here changed in the window."


def _win_line(w: QuickWin) -> str:
    f = w.finding
    fix = (f" (automatic fix: `frictionscan fix --rule {f.code}`"
           + (" --unsafe" if not f.fix_safe else "") + ")") if f.fix_available else ""
    return (f"- [ ] {md(w.path)}:{f.span.start_line} **{f.code}** {md(f.message)} "
            f"({f.effort_minutes} min){fix}")


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
           "Scores now against the commit of three months ago: what is heating up and what "
           "is cooling down (`frictionscan trend` shows the whole year).", ""]
    rows = trend_rows(plan)
    if not rows:
        return out + ["Every hotspot is steady.", ""]
    out += ["| File | Trend | Score then | Score now |", "|---|---|---:|---:|"]
    for c in rows:
        before = "-" if c.before is None else f"{c.before:.2f}"
        out.append(f"| {md(c.path)} | {c.kind} | {before} | {c.after or 0:.2f} |")
    return out + [""]


def write_markdown(plan: Plan, config: Config, stream: TextIO) -> None:
    r = plan.result
    out = [f"# Friction plan: {md(r.root.rsplit('/', 1)[-1])} at {r.head[:10]} "
           f"({r.head_time.date()})", ""]
    out += [f"> {md(line)}" for line in plan.summary] + [""]
    if r.warnings:
        out += [f"**Warning:** {md(w)}" for w in r.warnings] + [""]
    for area in plan.areas:
        out += [_area_header(area), ""]
        if not area.targets:
            out += [_no_targets(area), ""]
            continue
        trend = plan.trend_since is not None
        out += ["| Rank | File | Score | " + ("Trend | " if trend else "") + "Effort | Why |",
                "|---:|---|---:|" + ("---|" if trend else "") + "---|---|"]
        for t in area.targets:
            out.append(f"| {t.hotspot.rank} | {md(t.path)} | {t.hotspot.score:.2f} | "
                       + (f"{plan.trend_of(t.path)} | " if trend else "")
                       + f"{t.band} ({t.hours:g} h) | {md(why(t.hotspot))} |")
        out.append("")
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
               "code", "line", "message", "effort_minutes", "fix", "reasons", "trend")


def _target_row(section: str, area: str, t: Target, plan: Plan) -> dict[str, Any]:
    return {"section": section, "area": area, "rank": t.hotspot.rank, "path": t.path,
            "score": t.hotspot.score, "effort_band": t.band, "effort_hours": t.hours,
            "reasons": why(t.hotspot), "trend": plan.trend_of(t.path)}


def write_csv(plan: Plan, config: Config, stream: TextIO) -> None:
    """Text cells are quoted, and neutralised where a spreadsheet would read them as a
    formula (:func:`~frictionscan.core.text.spreadsheet_safe`); numbers are written bare."""
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n",
                            quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    rows: list[dict[str, Any]] = []
    for area in plan.areas:
        rows += [_target_row("refactor", area.name, t, plan) for t in area.targets]
    for w in plan.quick_wins:
        f = w.finding
        rows.append({"section": "quick-win", "area": w.area or "", "path": w.path,
                     "code": f.code, "line": f.span.start_line, "message": f.message,
                     "effort_minutes": f.effort_minutes,
                     "fix": ("safe" if f.fix_safe else "unsafe") if f.fix_available else ""})
    rows += [_target_row("left-alone", "", t, plan) for t in plan.left_alone]
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def plan_dict(plan: Plan) -> dict[str, Any]:
    def target(t: Target) -> dict[str, Any]:
        return {"rank": t.hotspot.rank, "path": printable(t.path), "score": t.hotspot.score,
                "effort_band": t.band, "effort_hours": t.hours,
                "reasons": [printable(c.reason) for c in t.hotspot.components],
                "trend": plan.trend_of(t.path) or None}

    r = plan.result
    return {
        "schema_version": 1,
        "repository": {"root": printable(r.root), "head": r.head,
                       "head_time": r.head_time.isoformat()},
        "summary": [printable(s) for s in plan.summary],
        "warnings": [printable(w) for w in r.warnings],
        "areas": [{"name": printable(a.name), "weight": a.weight, "horizon": a.horizon,
                   "owner": a.owner, "goal": a.goal, "files": a.files,
                   "targets": [target(t) for t in a.targets]} for a in plan.areas],
        "quick_wins": [{"path": printable(w.path), "code": w.finding.code,
                        "line": w.finding.span.start_line,
                        "message": printable(w.finding.message),
                        "effort_minutes": w.finding.effort_minutes,
                        "fix_available": w.finding.fix_available,
                        "fix_safe": w.finding.fix_safe, "value": w.value, "area": w.area}
                       for w in plan.quick_wins],
        "left_alone": [target(t) for t in plan.left_alone],
        "changes": [{"path": printable(c.path), "kind": c.kind, "before": c.before,
                     "after": c.after, "findings_fixed": c.findings_fixed}
                    for c in plan.changes],
        "trend": None if plan.trend_since is None else {
            "since": plan.trend_since,
            "files": [{"path": printable(c.path), "kind": c.kind, "before": c.before,
                       "after": c.after} for c in plan.trend]},
    }


def write_plan_json(plan: Plan, config: Config, stream: TextIO) -> None:
    stream.write(json_text(plan_dict(plan)) + "\n")
