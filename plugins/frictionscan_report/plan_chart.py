"""The geometry of the HTML plan's chart: changes in the window against complexity, one
bubble per file (area = source lines, colour = focus area), both axes logarithmic.

The template draws it as inline SVG; this module only computes coordinates and texts (no
plotting library). Texts are plain: the template escapes them.

* **Axes**: a value ``v`` sits at ``log10(1 + v)``, so that files with no change or no
  complexity still have a place (at 0); ticks are 0, 1, 10, 100, ... written plainly.
* **Quadrant guides**: dashed lines at the median position of the files drawn, naming the
  four corners (the top right is where change meets complexity).
* **Labels**: the :data:`LABELLED` highest-ranked files that changed carry their file name,
  placed beside the bubble where it overlaps no other label (or left out when no place is
  free).
* **Legend**: the focus areas that have a file in the chart, and "outside every focus
  area" when a file is.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from frictionscan.api import Hotspot, Plan, printable

#: The chart's size, in SVG units, and its plot area: left, top, right, bottom.
WIDTH, HEIGHT = 960.0, 460.0
PLOT = (70.0, 14.0, 740.0, 404.0)
#: Where the legend starts (x).
LEGEND_X = 760.0
#: How many of the highest-ranked files that changed carry a label.
LABELLED = 10
#: Estimated width of a label's character and its height (11 px text), in SVG units.
CHAR_WIDTH, LINE_HEIGHT = 6.6, 13.0
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f")
OTHER_COLOUR = "#bab0ac"
OUTSIDE = "outside every focus area"


@dataclass(frozen=True, slots=True)
class Bubble:
    """One file: centre, radius, colour and the tooltip."""

    x: float
    y: float
    r: float
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class Label:
    """A file name beside its bubble; ``anchor`` is the SVG ``text-anchor``."""

    x: float
    y: float
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class PlanChart:
    width: float
    height: float
    #: left, top, right, bottom of the plot area.
    plot: tuple[float, float, float, float]
    #: In the order to draw: largest first, so that small bubbles stay on top.
    bubbles: tuple[Bubble, ...]
    labels: tuple[Label, ...]
    #: (position, text) of the ticks: x along the bottom, y along the left.
    xticks: tuple[tuple[float, str], ...]
    yticks: tuple[tuple[float, str], ...]
    #: The quadrant guides' x and y, or ``None`` with fewer than two files.
    guide_x: float | None
    guide_y: float | None
    #: (x, y, text, anchor) of the four quadrants' names.
    quadrants: tuple[tuple[float, float, str, str], ...]
    #: (colour, name, files) of each legend entry.
    legend: tuple[tuple[str, str, int], ...]
    legend_x: float = LEGEND_X


def _log(v: float) -> float:
    return math.log10(1.0 + max(0.0, v))


def _top(values: Sequence[float]) -> float:
    """The axis' end: the smallest power of ten at or above every value, at least 10."""
    return float(10 ** max(1, math.ceil(math.log10(max([*values, 1.0])))))


def _ticks(top: float, start: float, end: float) -> tuple[tuple[float, str], ...]:
    """0, 1, 10, ... ``top``, at their positions between ``start`` and ``end``."""
    values = [0.0] + [10.0 ** k for k in range(int(round(math.log10(top))) + 1)]
    return tuple((round(start + _log(v) / _log(top) * (end - start), 1), f"{v:,.0f}")
                 for v in values)


def _area_of(h: Hotspot) -> str | None:
    return next((w.area for w in h.analysis.weights if w.area), None)


def _names(hotspots: Sequence[Hotspot]) -> list[str]:
    """Each file's shortest distinct name: its file name, or more of its path when two
    labelled files share a name."""
    parts = [printable(h.path).split("/") for h in hotspots]
    depth = [1] * len(parts)
    for _ in range(8):
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth)]
        clash = {n for n in names if names.count(n) > 1}
        if not clash:
            break
        depth = [d + 1 if n in clash else d for n, d in zip(names, depth)]
    return ["/".join(p[-d:]) for p, d in zip(parts, depth)]


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box(x: float, y: float, text: str, anchor: str) -> Box:
    """The box a text takes, written at ``(x, y)`` with the SVG ``text-anchor``."""
    width = len(text) * CHAR_WIDTH
    x0 = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (x0, y - LINE_HEIGHT + 3, x0 + width, y + 3)


def _median(values: Sequence[float], default: float) -> float:
    return round(statistics.median(values), 1) if values else round(default, 1)


def _place(b: Bubble, text: str, taken: list[Box]) -> Label | None:
    """The first free place for ``text`` beside ``b``: right, left, above, below, then
    further up or down on either side."""
    left, top, right, bottom = PLOT
    gap = b.r + 3.0
    candidates = [(b.x + gap, b.y + 4, "start"), (b.x - gap, b.y + 4, "end"),
                  (b.x, b.y - gap - 2, "middle"), (b.x, b.y + gap + 11, "middle")]
    for dy in (-LINE_HEIGHT, LINE_HEIGHT, -2 * LINE_HEIGHT, 2 * LINE_HEIGHT):
        candidates += [(b.x + gap, b.y + 4 + dy, "start"), (b.x - gap, b.y + 4 + dy, "end")]
    for x, y, anchor in candidates:
        box = _box(x, y, text, anchor)
        if box[0] < left or box[2] > right or box[1] < top or box[3] > bottom:
            continue
        if any(_overlaps(box, other) for other in taken):
            continue
        taken.append(box)
        return Label(x=round(x, 1), y=round(y, 1), text=text, anchor=anchor)
    return None


def plan_chart(plan: Plan, hotspots: Sequence[Hotspot]) -> PlanChart:
    """The chart of ``hotspots`` (the files the page lists)."""
    left, top, right, bottom = PLOT
    changes = [float(h.analysis.history.revisions) for h in hotspots]
    cc = [float(h.analysis.value("radon.cc_total") or 0.0) for h in hotspots]
    xtop, ytop = _top(changes), _top(cc)

    def at_x(v: float) -> float:
        return round(left + _log(v) / _log(xtop) * (right - left), 1)

    def at_y(v: float) -> float:
        return round(bottom - _log(v) / _log(ytop) * (bottom - top), 1)

    areas = [a.name for a in plan.areas if a.weight is not None]
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(areas)}
    drawn: list[tuple[Hotspot, Bubble]] = []
    for h, x, y in zip(hotspots, changes, cc):
        area = _area_of(h)
        sloc = h.analysis.value("radon.sloc") or 0.0
        radius = round(min(20.0, max(3.0, 2.0 + math.sqrt(sloc) * 0.6)), 1)
        title = (f"#{h.rank} {printable(h.path)}: {h.analysis.history.revisions} changes, "
                 f"complexity {y:g}, {sloc:g} lines, score {h.score:.2f}"
                 + (f", focus area {printable(area)}" if area else ""))
        drawn.append((h, Bubble(x=at_x(x), y=at_y(y), r=radius,
                                colour=colours.get(area or "", OTHER_COLOUR), title=title)))
    guide_x = guide_y = None
    if len(drawn) >= 2:  # the medians of the files off each axis' zero
        guide_x = _median([b.x for _, b in drawn if b.x > left], (left + right) / 2)
        guide_y = _median([b.y for _, b in drawn if b.y < bottom], (top + bottom) / 2)
    quadrants = (
        (right - 6, top + 14, "changes often, complex", "end"),
        (left + 6, top + 14, "complex, rarely changes", "start"),
        (right - 6, bottom - 8, "changes often, simple", "end"),
        (left + 6, bottom - 8, "quiet and simple", "start"),
    ) if guide_x is not None else ()
    taken: list[Box] = [_box(x, y, text, anchor) for x, y, text, anchor in quadrants]
    labelled = [(h, b) for h, b in drawn if h.score > 0][:LABELLED]
    labels = []
    for (_, b), name in zip(labelled, _names([h for h, _ in labelled])):
        label = _place(b, name, taken)
        if label is not None:
            labels.append(label)
    counts = {name: sum(1 for h, _ in drawn if _area_of(h) == name) for name in areas}
    legend = [(colours[name], printable(name), n) for name, n in counts.items() if n]
    outside = sum(1 for h, _ in drawn if _area_of(h) not in colours)
    if outside:
        legend.append((OTHER_COLOUR, OUTSIDE, outside))
    return PlanChart(
        width=WIDTH, height=HEIGHT, plot=PLOT,
        bubbles=tuple(b for _, b in sorted(drawn, key=lambda t: -t[1].r)),
        labels=tuple(labels), xticks=_ticks(xtop, left, right),
        yticks=_ticks(ytop, bottom, top), guide_x=guide_x, guide_y=guide_y,
        quadrants=quadrants, legend=tuple(legend))
