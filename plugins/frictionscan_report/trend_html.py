"""The trend as one self-contained HTML page: a line chart per area, sparklines for the
files, the refactors' before and after.

The same rules as the plan's page: nothing is loaded from the network, styles are inline,
and the page comes from a jinja2 template with autoescaping on, so every string from the
repository is escaped. The charts are inline SVG written by the template; this module only
computes their coordinates (no plotting library, no script).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from frictionscan.api import AreaTrend, Config, Trend, printable
from frictionscan_report.html_text import shown
from frictionscan_report.trend_text import file_lists, first_last, pct

#: Size of an area chart and of a sparkline, in SVG units.
CHART = (340.0, 150.0)
SPARK = (120.0, 26.0)
#: Margins of an area chart: left (the axis labels), top, right, bottom.
MARGIN = (44.0, 10.0, 10.0, 22.0)


@dataclass(frozen=True)
class Chart:
    """What the template draws for one series."""

    width: float
    height: float
    #: ``points`` attributes of the polylines (one per unbroken run of values).
    lines: tuple[str, ...]
    #: The dashed reference line (friction growing as fast as the code), or "".
    reference: str
    #: (x, y, tooltip) of each value.
    dots: tuple[tuple[float, float, str], ...]
    #: (y, label) of the value axis, (x, label) of the time axis.
    yticks: tuple[tuple[float, str], ...] = ()
    xticks: tuple[tuple[float, str], ...] = ()


def _scale(values: Sequence[float | None], low: float, high: float, top: float,
           bottom: float) -> list[float | None]:
    span = (high - low) or 1.0
    return [None if v is None else round(bottom - (v - low) / span * (bottom - top), 1)
            for v in values]


def _runs(xs: Sequence[float], ys: Sequence[float | None]) -> tuple[str, ...]:
    """Polyline ``points`` for each unbroken run of known values."""
    runs: list[list[str]] = [[]]
    for x, y in zip(xs, ys):
        if y is None:
            runs.append([])
        else:
            runs[-1].append(f"{x:.1f},{y:.1f}")
    return tuple(" ".join(r) for r in runs if r)


def _label(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def area_chart(area: AreaTrend, times: Sequence[datetime], lines: Sequence[float],
               hotspots: Sequence[int]) -> Chart:
    """Total score per point, with the line it would follow had it grown as fast as the
    area's source lines since the first point (when it had any friction then)."""
    width, height = CHART
    left, top, right, bottom = MARGIN
    scores = list(area.scores)
    reference = [scores[0] * n / lines[0] for n in lines] \
        if scores and scores[0] > 0 and lines[0] > 0 else []
    high = max([*scores, *reference, 0.0]) or 1.0
    n = len(scores)
    xs = [left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = _scale(scores, 0.0, high, top, height - bottom)
    ref = _scale(reference, 0.0, high, top, height - bottom) if reference else []
    dots = tuple((x, y, f"{t.date()}: friction {s:,.1f}, {h} hotspot{'' if h == 1 else 's'}")
                 for x, y, t, s, h in zip(xs, ys, times, scores, hotspots) if y is not None)
    ticks = tuple((y, _label(v)) for v in (0.0, high / 2, high)
                  if (y := _scale([v], 0.0, high, top, height - bottom)[0]) is not None)
    xticks = ((xs[0], str(times[0].date())), (xs[-1], str(times[-1].date()))) if n else ()
    return Chart(width=width, height=height, lines=_runs(xs, ys),
                 reference=" ".join(_runs(xs, ref)) if ref else "", dots=dots, yticks=ticks,
                 xticks=xticks)


def sparkline(values: Sequence[float | None], times: Sequence[datetime]) -> Chart:
    """A small line of one file's values (broken where the file did not exist), scaled
    from zero to its largest value."""
    width, height = SPARK
    known = [v for v in values if v is not None]
    high = max([*known, 0.0]) or 1.0
    n = len(values)
    xs = [2 + (width - 4) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = _scale(values, 0.0, high, 2.0, height - 2)
    dots = tuple((x, y, f"{t.date()}: {v:,.2f}")
                 for x, y, t, v in zip(xs, ys, times, values) if y is not None and v is not None)
    return Chart(width=width, height=height, lines=_runs(xs, ys), reference="", dots=dots)


def _file_row(f: Any, times: Sequence[datetime]) -> dict[str, Any]:
    return {"path": printable(f.path), "area": printable(f.area) if f.area else "",
            "kind": f.kind, "spark": sparkline(f.scores, times),
            "scores": first_last(f.scores), "slope": f.slope,
            "reasons": [printable(r) for r in f.reasons]}


def write_html(trend: Trend, config: Config, stream: TextIO) -> None:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("frictionscan_report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             finalize=shown)
    template = env.get_template("trend.html.j2")
    times = [p.time for p in trend.points]
    areas = []
    for i, a in enumerate((trend.total, *trend.areas)):
        series = [p.total if i == 0 else p.areas[i - 1] for p in trend.points]
        areas.append({"name": printable(a.name), "trend": a,
                      "growth": pct(a.score_growth), "lines_growth": pct(a.lines_growth),
                      "chart": area_chart(a, times, [t.lines for t in series],
                                          [t.hotspots for t in series])})
    lists = [(heading, [_file_row(f, times) for f in files])
             for heading, _, files in file_lists(trend)]
    q = trend.question
    question = None
    if q is not None:
        question = {"kind": q.kind, "subject": printable(q.subject), "note": printable(q.note),
                    "refactors": q.refactors,
                    "file": _file_row(q.file, times) if q.file is not None else None,
                    "functions": [(printable(fn.name), sparkline(fn.complexity, times),
                                   first_last(fn.complexity, "g"))
                                  for fn in (q.file.functions if q.file is not None else ())]}
    stream.write(template.render(
        trend=trend,
        name=printable(trend.root.rsplit("/", 1)[-1]), areas=areas, lists=lists,
        top_files=[_file_row(f, times) for f in trend.top_files], question=question,
        printable=printable))
