"""The plan as one self-contained HTML page: chart, sortable table, details, quick wins.

No network is needed to view it: the chart is inline SVG written by the template from the
geometry :mod:`frictionscan_report.plan_chart` computes (no plotting library), styles and
the few lines of script (table sorting) are inline. The page comes from a jinja2 template
with autoescaping on, so every string from the repository is escaped, in the chart too.
"""

from __future__ import annotations

from typing import Any, TextIO

from frictionscan.api import (
    Config,
    Plan,
    effort_band,
    printable,
    refactor_hours,
)
from frictionscan_report.html_text import shown
from frictionscan_report.insights_format import area_line, hidden_line, people_text
from frictionscan_report.plan_chart import plan_chart
from frictionscan_report.plan_text import hot_list, no_flight_targets, no_targets, trend_rows
from frictionscan_report.plan_words import backticked, details, path_pieces
from frictionscan_report.table import why

#: At most this many files are drawn and listed (the highest ranked).
MAX_FILES = 300
#: Functions in a file's X-ray (its details).
XRAY_ROWS = 15
#: Details of files other than the targets: at most this many (on demand).
OTHER_DETAILS = 50


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
            "band": effort_band(hours), "hours": hours,
            "why": backticked(why(h, plan.result.insights)),
            "pieces": path_pieces(h.path), "details": details(h, plan.result),
            "functions": sorted(((printable(m.symbol.name), m.symbol.span.start_line, m.value)
                                 for m in a.symbol_values("radon.cc") if m.symbol),
                                key=lambda t: -t[2])[:5],
            "list_findings": [(f.span.start_line, f.code, backticked(f.message),
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
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             finalize=shown)
    template = env.get_template("plan.html.j2")
    r = plan.result
    rows = _rows(plan)
    targets = {t.path for f in plan.in_flight for t in f.targets}
    targets |= {t.path for a in plan.areas for t in a.targets}
    stream.write(template.render(
        plan=plan, result=r, name=printable(r.root.rsplit("/", 1)[-1]),
        chart=plan_chart(plan, r.hotspots[:MAX_FILES]), rows=rows,
        target_rows=[row for row in rows if row["raw_path"] in targets],
        other_rows=[row for row in rows if row["raw_path"] not in targets][:OTHER_DETAILS],
        no_targets=no_targets, no_flight_targets=no_flight_targets, backticked=backticked,
        printable=printable, hot_list=hot_list,
        max_files=MAX_FILES, area_line=lambda a: printable(area_line(a)),
        people=lambda authors: printable(people_text(authors)),
        hidden_line=lambda c: printable(hidden_line(c, q="")), zip=zip,
        trend_rows=trend_rows(plan)))
