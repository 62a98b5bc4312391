"""The plan as one self-contained HTML page: chart, sortable table, details, quick wins.

No network is needed to view it: the chart is an SVG drawn by matplotlib and embedded in the
page, styles and the few lines of script (table sorting) are inline. The page comes from a
jinja2 template with autoescaping on, so every string from the repository is escaped; the
tooltips added to the chart's points are escaped too.
"""

from __future__ import annotations

import html
import io
import math
from typing import Any, TextIO

from frictionscan.api import (
    Config,
    Plan,
    UsageError,
    effort_band,
    printable,
    refactor_hours,
)
from frictionscan_report.insights_format import area_line, hidden_line, people_text
from frictionscan_report.plan_text import hot_list, trend_rows
from frictionscan_report.table import why

#: At most this many files are drawn and listed (the highest ranked).
MAX_FILES = 300
#: Functions in a file's X-ray (its details).
XRAY_ROWS = 15
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f")
OTHER_COLOUR = "#bab0ac"


def chart_svg(plan: Plan) -> str:
    """Churn (revisions in the window) against complexity; bubble area = source lines;
    colour = focus area."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError("--format html needs matplotlib: pip install 'frictionscan[html]'") \
            from None
    hotspots = [h for h in plan.result.hotspots[:MAX_FILES]]
    areas = [a.name for a in plan.areas if a.weight is not None]
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(areas)}
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "frictionscan",
                                "font.size": 9}):
        fig = Figure(figsize=(10, 5.2))
        ax = fig.add_subplot()
        titles: dict[str, str] = {}
        for i, h in enumerate(hotspots):
            a = h.analysis
            area = next((w.area for w in a.weights if w.area), None)
            sloc = a.value("radon.sloc") or 1.0
            gid = f"fs-point-{i}"
            ax.scatter([a.history.revisions], [a.value("radon.cc_total") or 0.0],
                       s=[max(12.0, math.sqrt(sloc) * 6)], alpha=0.65, gid=gid,
                       color=colours.get(area or "", OTHER_COLOUR), edgecolors="#333333",
                       linewidths=0.4)
            titles[gid] = (f"#{h.rank} {printable(h.path)}: {a.history.revisions} changes, "
                           f"complexity {a.value('radon.cc_total') or 0:g}, "
                           f"score {h.score:.2f}")
        for name in areas:
            ax.scatter([], [], color=colours[name], label=name)
        ax.scatter([], [], color=OTHER_COLOUR, label="outside every focus area")
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=10)
        ax.set_xlabel("changes in the window (revisions)")
        ax.set_ylabel("cyclomatic complexity (file total)")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inline
    for gid, title in titles.items():
        svg = svg.replace(f'<g id="{gid}">',
                          f'<g id="{gid}"><title>{html.escape(title)}</title>', 1)
    return svg


def _rows(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for h in plan.result.hotspots[:MAX_FILES]:
        a = h.analysis
        hours = refactor_hours(h)
        rows.append({
            "rank": h.rank, "path": printable(h.path), "raw_path": h.path, "score": h.score,
            "revisions": a.history.revisions, "authors": len(a.history.authors),
            "cc": a.value("radon.cc_total"), "sloc": a.value("radon.sloc"),
            "findings": len(a.findings), "focus": h.component("focus") or 1.0,
            "area": next((w.area for w in a.weights if w.area), ""),
            "band": effort_band(hours), "hours": hours, "why": why(h, plan.result.insights),
            "components": [(c.name, c.value, printable(c.reason)) for c in h.components],
            "functions": sorted(((printable(m.symbol.name), m.symbol.span.start_line, m.value)
                                 for m in a.symbol_values("radon.cc") if m.symbol),
                                key=lambda t: -t[2])[:5],
            "list_findings": [(f.span.start_line, f.code, printable(f.message),
                               f.effort_minutes, f.fix_available) for f in a.findings],
            "xray": [{"name": printable(f.name), "line": f.span.start_line,
                      "score": f.score, "changes": f.changes, "added": f.lines_added,
                      "deleted": f.lines_deleted, "cc": f.complexity, "findings": f.findings,
                      "authors": len(f.authors),
                      "last": f.last_change.date().isoformat() if f.last_change else ""}
                     for f in (h.functions or ())[:XRAY_ROWS]],
        })
    return rows


def write_html(plan: Plan, config: Config, stream: TextIO) -> None:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("frictionscan_report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.get_template("plan.html.j2")
    r = plan.result
    stream.write(template.render(
        plan=plan, result=r, name=printable(r.root.rsplit("/", 1)[-1]),
        chart=chart_svg(plan), rows=_rows(plan), printable=printable, hot_list=hot_list,
        max_files=MAX_FILES, area_line=lambda a: printable(area_line(a)),
        people=lambda authors: printable(people_text(authors)),
        hidden_line=lambda c: printable(hidden_line(c, q="")), zip=zip,
        trend_rows=trend_rows(plan)))
