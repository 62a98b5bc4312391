"""Trends: how friction moved over sampled past commits (``frictionscan trend``;
docs/trend.md).

Pure functions over the ordinary engine's scans of past commits (one
:class:`~frictionscan.core.model.ScanResult` per sampled point, oldest first) and the commit
stream of the period. Formatters render the :class:`Trend`.

* **Points.** Each point is the repository as it stood at the last commit (first parent)
  before a sample time, scored with its own history window: what a scan of a checkout of that
  commit says. Per point: totals for the whole repository and per focus area (score,
  complexity, source lines, findings, hotspots: files scoring at least the threshold) and the
  top files.
* **Files across points** are followed through renames (the former names each point's
  history knows), under their name at the newest point.
* **Rising and cooling.** A straight line fitted to a file's score over the points where it
  exists; rising when the line ends at least :data:`RISE` (15%) above where it starts, and
  the last score is 15% above the first; cooling when both are 15% below. Only files that
  were hotspots at some point (the threshold, or the top files) count. *New* hotspots scored
  nothing (or did not exist) at the first point and are hotspots at the last.
  The reasons are the score's components that moved the same way, largest share first (the
  score is a product, so each component's share is its log-ratio).
* **Areas whose friction grows faster than their code:** total score growth over the
  period at least :data:`FASTER` (10 points) above the growth of their source lines.
* **Refactors.** A file whose complexity dropped by at least :data:`REFACTOR_DROP` (25%,
  from :data:`REFACTOR_MIN_CC` or more) between two consecutive points; before and after it,
  bug-fix commits and changes per month (30.44 days): after = from the later point to the
  newest, before = as long (at least :data:`MIN_BEFORE_MONTHS`) up to the earlier point.
  ``--refactor REV`` splits at the commit itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from frictionscan.core.errors import UsageError
from frictionscan.core.model import Commit, Hotspot, ScanResult, evolve

#: Relative change of the fitted line over the period that makes a file rising or cooling.
#: The score is a product of powers below one (size^0.75, changes^0.25, fixes^0.5), so 15%
#: is already a large move: twice the changes in the window raise it by 19%.
RISE = 0.15
#: A file loses at least this share of its complexity between two points: a refactor...
REFACTOR_DROP = 0.25
#: ...from at least this complexity; unless it lost this share or more: then its code moved
#: out (to other files, or it was emptied), and its own rates say nothing about a refactor.
REFACTOR_MIN_CC = 10.0
EMPTIED = 0.9
#: Score growth above code growth (in points of relative growth) that flags an area.
FASTER = 0.10
#: Files listed per point, and per list (rising, cooling, new).
TOP_FILES = 10
#: The default hotspot threshold: this quantile of the positive scores of every point.
HOTSPOT_QUANTILE = 0.9
#: The "before" window of a refactor is at least this long (when history allows).
MIN_BEFORE_MONTHS = 3.0
#: An "after" window shorter than this is too early to tell.
MIN_AFTER_MONTHS = 1.0
#: A rate this much lower or higher after than before is a change.
RATE_CHANGE = 0.25
#: Name of the files outside every focus area, and of the whole repository.
ELSEWHERE = "Everywhere else"
EVERYTHING = "Whole repository"
SECONDS_PER_MONTH = 30.44 * 86400


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """One sampled point as scanned: the sample time and the scan of its commit."""

    time: datetime
    result: ScanResult


@dataclass(frozen=True, slots=True, kw_only=True)
class PointFile:
    """One file at one point."""

    path: str
    score: float
    rank: int | None
    #: Total cyclomatic complexity and source lines (``None``: not measured).
    complexity: float | None
    lines: float | None
    findings: int
    #: Changes and bug-fix commits in the point's history window.
    changes: int
    fixes: int
    area: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendTotals:
    """The sums over a set of files at one point."""

    name: str
    files: int
    score: float
    complexity: float
    lines: float
    findings: int
    #: Files scoring at least the trend's threshold.
    hotspots: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendPoint:
    """One sampled commit."""

    #: The sample time, and the last commit (first parent) before it.
    time: datetime
    commit: str
    commit_time: datetime
    total: TrendTotals
    #: Per focus area (the roadmap's order), then "Everywhere else" when a roadmap exists.
    areas: tuple[TrendTotals, ...]
    #: The highest-ranked files (score above zero).
    top: tuple[PointFile, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionTrend:
    """One function's complexity per point (``None`` where it did not exist). A place for
    per-function history: today it is the ``radon.cc`` of the function's qualified name at
    each point."""

    name: str
    complexity: tuple[float | None, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileTrend:
    """One file across the points (``None`` where it did not exist)."""

    path: str
    #: ``rising``, ``cooling``, ``new`` or ``steady``.
    kind: str
    area: str | None
    scores: tuple[float | None, ...]
    complexity: tuple[float | None, ...]
    changes: tuple[int | None, ...]
    findings: tuple[int | None, ...]
    #: Score per month of the fitted line, and its relative change over the period.
    slope: float
    change: float
    #: What moved the score, largest share first ("more change (3 → 12 changes in the
    #: window)").
    reasons: tuple[str, ...]
    #: Filled for ``--file``: its functions' complexity per point.
    functions: tuple[FunctionTrend, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AreaTrend:
    """A focus area (or the whole repository) from the first point to the last."""

    name: str
    scores: tuple[float, ...]
    #: Relative growth from the first point to the last (``None``: nothing at the first).
    score_growth: float | None
    lines_growth: float | None
    complexity_growth: float | None
    findings_growth: float | None
    faster_than_code: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RefactorEffect:
    """A file's complexity drop and the bug fixes and changes before and after it."""

    path: str
    #: The refactor commit when known (``--refactor``); else the drop happened between the
    #: commits of two points, from ``start`` to ``end``.
    commit: str | None
    start: datetime
    end: datetime
    complexity_before: float | None
    complexity_after: float | None
    #: Share of the complexity lost (``None`` when the file is new or gone).
    drop: float | None
    months_before: float
    months_after: float
    fixes_before: float | None
    fixes_after: float | None
    changes_before: float | None
    changes_after: float | None
    #: ``fewer fixes``, ``more fixes``, ``as many fixes``, ``too early to tell``.
    verdict: str
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendQuestion:
    """What ``--refactor REV`` or ``--file PATH`` asked, answered."""

    #: ``commit`` or ``file``.
    kind: str
    subject: str
    file: FileTrend | None
    refactors: tuple[RefactorEffect, ...]
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    root: str
    head: str
    head_time: datetime
    every: str
    last: str
    threshold: float
    #: Oldest first.
    points: tuple[TrendPoint, ...]
    total: AreaTrend
    areas: tuple[AreaTrend, ...]
    rising: tuple[FileTrend, ...]
    cooling: tuple[FileTrend, ...]
    new: tuple[FileTrend, ...]
    refactors: tuple[RefactorEffect, ...]
    #: The newest point's top files, with their series (the sparklines).
    top_files: tuple[FileTrend, ...]
    question: TrendQuestion | None = None
    summary: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RefactorProbe:
    """The two scans around a commit ``--refactor`` asks about: its first parent's and
    its own."""

    commit: str
    time: datetime
    before: ScanResult
    after: ScanResult


# -- per point ------------------------------------------------------------------------


def area_of(h: Hotspot) -> str | None:
    return next((w.area for w in h.analysis.weights if w.area), None)


def file_sample(h: Hotspot) -> PointFile:
    a = h.analysis
    return PointFile(path=h.path, score=h.score, rank=h.rank,
                      complexity=a.value("radon.cc_total"), lines=a.value("radon.sloc"),
                      findings=len(a.findings), changes=a.history.revisions,
                      fixes=a.history.fixes, area=area_of(h))


def totals(name: str, hotspots: Iterable[Hotspot], threshold: float) -> TrendTotals:
    files = score = complexity = lines = 0.0
    findings = hot = 0
    for h in hotspots:
        a = h.analysis
        files += 1
        score += h.score
        complexity += a.value("radon.cc_total") or 0.0
        lines += a.value("radon.sloc") or 0.0
        findings += len(a.findings)
        hot += h.score > 0 and h.score >= threshold
    return TrendTotals(name=name, files=int(files), score=round(score, 3),
                  complexity=round(complexity, 3), lines=round(lines, 3), findings=findings,
                  hotspots=hot)


def area_names(samples: Sequence[Sample]) -> list[str]:
    """The focus areas (the newest roadmap's order), then "Everywhere else" when there is a
    roadmap and some file outside every area."""
    names: list[str] = []
    for s in reversed(samples):
        focus = s.result.focus
        if focus is not None:
            names += [a.name for a in focus.areas if a.name not in names]
    elsewhere = any(area_of(h) is None for s in samples for h in s.result.hotspots)
    return names + [ELSEWHERE] if names and elsewhere else names


def point(sample: Sample, names: Sequence[str], threshold: float, top: int) -> TrendPoint:
    r = sample.result
    by_area: dict[str, list[Hotspot]] = {n: [] for n in names}
    for h in r.hotspots:
        area = area_of(h)
        by_area.setdefault(area if area in by_area else ELSEWHERE, []).append(h)
    return TrendPoint(
        time=sample.time, commit=r.head, commit_time=r.head_time,
        total=totals(EVERYTHING, r.hotspots, threshold),
        areas=tuple(totals(n, by_area.get(n, ()), threshold) for n in names),
        top=tuple(file_sample(h) for h in r.hotspots[:top] if h.score > 0))


def default_threshold(samples: Sequence[Sample]) -> float:
    """:data:`HOTSPOT_QUANTILE` of the positive scores of every point (one bar for all)."""
    scores = sorted(h.score for s in samples for h in s.result.hotspots if h.score > 0)
    if not scores:
        return 0.0
    return round(scores[int(HOTSPOT_QUANTILE * (len(scores) - 1))], 2)


# -- files across points ----------------------------------------------------------------


def follow(results: Sequence[ScanResult]) -> list[dict[str, Hotspot]]:
    """Per point, the files by their name at the newest point (renames followed back
    through the former names each point's history knows)."""
    alias: dict[str, str] = {}
    out: list[dict[str, Hotspot]] = []
    for r in reversed(results):
        present = {h.path for h in r.hotspots}
        named: dict[str, Hotspot] = {}
        for h in r.hotspots:
            name = alias.get(h.path, h.path)
            if name in named:  # a rename onto a path that also existed then
                if named[name].path == name:
                    name = h.path
                else:
                    named[named[name].path] = named.pop(name)
            named[name] = h
        for name, h in named.items():
            for former in h.analysis.history.former_paths:
                if former not in present and former not in alias:
                    alias[former] = name
        out.append(named)
    out.reverse()
    return out


def _months(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / SECONDS_PER_MONTH


def fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least-squares line ``y = a + b x``: ``(a, b)``."""
    n = len(xs)
    if n < 2:
        return (ys[0] if ys else 0.0), 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return my, 0.0
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


#: Per score component: the words for a rise and a fall, and the unit of its raw number.
_PHRASES = {
    "size": (("more code", "less code"), " lines"),
    "change": (("more change", "less change"), " changes in the window"),
    "fixes": (("more fixes", "fewer fixes"), " bug fixes in the window"),
    "complexity": (("more complexity", "less complexity"), ""),
    "findings": (("more findings", "fewer findings"), " findings"),
    "focus": (("more roadmap weight", "less roadmap weight"), ""),
}
#: The units above for a count of one (``0 → 1 bug fix in the window``).
_ONE = {" lines": " line", " changes in the window": " change in the window",
        " bug fixes in the window": " bug fix in the window", " findings": " finding"}


def _raw(h: Hotspot | None, component: str) -> float:
    if h is None:
        return 0.0
    a = h.analysis
    if component == "size":
        return float(a.value("radon.loc") or 0)
    if component == "change":
        return float(a.history.revisions)
    if component == "fixes":
        return float(a.history.fixes)
    if component == "complexity":
        return a.value("radon.cc_total") or 0.0
    if component == "findings":
        return float(len(a.findings))
    return h.component("focus") or 1.0


def _number(value: float, component: str) -> str:
    return f"x{value:g}" if component == "focus" else f"{value:g}"


def reasons(first: Hotspot | None, last: Hotspot | None, rising: bool) -> tuple[str, ...]:
    """The components that moved the score the way it went, largest share first: the score
    is a product, so a component's share is the log of its ratio (a component that was zero
    comes first)."""
    shares = []
    for name, ((up, down), unit) in _PHRASES.items():
        a = (first.component(name) if first is not None else 0.0) or 0.0
        b = (last.component(name) if last is not None else 0.0) or 0.0
        if name == "findings":
            a, b = 1 + a, 1 + b
        elif name == "focus":
            a = a or 1.0
            b = b or 1.0
        if a == b:
            continue
        share = math.inf if a <= 0 else -math.inf if b <= 0 else math.log(b / a)
        if (share > 0) != rising:
            continue
        ra, rb = _raw(first, name), _raw(last, name)
        if ra == rb:
            continue
        unit = _ONE.get(unit, unit) if rb == 1 else unit
        shares.append((abs(share), f"{up if rising else down} ({_number(ra, name)} → "
                                    f"{_number(rb, name)}{unit})"))
    shares.sort(key=lambda t: -t[0])
    return tuple(text for _, text in shares)


def _notable(h: Hotspot, threshold: float, top: int) -> bool:
    """A hotspot at its point: scores at least the threshold, or is in the top files."""
    return h.score > 0 and (h.score >= threshold or (h.rank or top + 1) <= top)


def _moved(first: Hotspot | None, last: Hotspot) -> float:
    """The relative change of the score from the first point to the last (the fitted line
    must agree with the end points: a file that ends where it began is not rising)."""
    was = first.score if first is not None else 0.0
    high = max(was, last.score)
    return (last.score - was) / high if high > 0 else 0.0


def file_trend(path: str, hs: Sequence[Hotspot | None], xs: Sequence[float],
               threshold: float, top: int = TOP_FILES) -> FileTrend:
    """The trend of one file from its hotspot at each point (``None`` where absent). Only a
    file that was a hotspot at some point (at least the threshold, or in the top files) is
    rising, cooling or new."""
    present = [(x, h) for x, h in zip(xs, hs) if h is not None]
    a, b = fit([x for x, _ in present], [h.score for _, h in present])
    start = max(0.0, a + b * present[0][0]) if present else 0.0
    end = max(0.0, a + b * present[-1][0]) if present else 0.0
    change = (end - start) / max(start, end) if max(start, end) > 0 else 0.0
    first, last = hs[0], hs[-1]
    kind = "steady"
    if last is not None and any(_notable(h, threshold, top) for _, h in present):
        if (first is None or first.score <= 0) and _notable(last, threshold, top):
            kind = "new"
        elif change >= RISE and _moved(first, last) >= RISE:
            kind = "rising"
        elif change <= -RISE and _moved(first, last) <= -RISE:
            kind = "cooling"
    why = reasons(first if first is not None else (present[0][1] if present else None),
                  last, rising=kind in ("rising", "new")) if kind != "steady" else ()
    newest = next((h for h in reversed(hs) if h is not None), None)
    return FileTrend(
        path=path, kind=kind, area=area_of(newest) if newest else None, slope=round(b, 4),
        change=round(change, 4), reasons=why,
        scores=tuple(None if h is None else h.score for h in hs),
        complexity=tuple(None if h is None else h.analysis.value("radon.cc_total")
                         for h in hs),
        changes=tuple(None if h is None else h.analysis.history.revisions for h in hs),
        findings=tuple(None if h is None else len(h.analysis.findings) for h in hs))


def function_trends(hs: Sequence[Hotspot | None], limit: int = TOP_FILES
                    ) -> tuple[FunctionTrend, ...]:
    """The file's functions' complexity per point (qualified names), those that moved most
    first."""
    per: dict[str, list[float | None]] = {}
    for i, h in enumerate(hs):
        if h is None:
            continue
        for m in h.analysis.symbol_values("radon.cc"):
            if m.symbol is not None:
                per.setdefault(m.symbol.name, [None] * len(hs))[i] = m.value
    def moved(values: list[float | None]) -> float:
        known = [v for v in values if v is not None]
        return abs((values[-1] or 0.0) - (known[0] if known else 0.0))
    ordered = sorted(per.items(), key=lambda kv: (-moved(kv[1]), kv[0]))
    return tuple(FunctionTrend(name=n, complexity=tuple(v)) for n, v in ordered[:limit])


def area_trend(name: str, series: Sequence[TrendTotals]) -> AreaTrend:
    def growth(a: float, b: float) -> float | None:
        return round((b - a) / a, 4) if a > 0 else None

    first, last = series[0], series[-1]
    score = growth(first.score, last.score)
    lines = growth(first.lines, last.lines)
    faster = score is not None and score > 0 and score - (lines or 0.0) >= FASTER
    return AreaTrend(name=name, scores=tuple(t.score for t in series), score_growth=score,
                     lines_growth=lines,
                     complexity_growth=growth(first.complexity, last.complexity),
                     findings_growth=growth(first.findings, last.findings),
                     faster_than_code=faster)


# -- rates before and after ---------------------------------------------------------------


def events(commits: Sequence[Commit], fix_pattern: str) -> dict[str, list[tuple[float, bool]]]:
    """Per file (named as at the newest commit, renames followed), the time of every
    non-merge commit that touched it and whether its subject marks a bug fix (the git
    plugin's ``fix_pattern``)."""
    fix = re.compile(fix_pattern, re.IGNORECASE)
    alias: dict[str, str] = {}
    out: dict[str, list[tuple[float, bool]]] = {}
    for c in sorted(commits, key=lambda c: c.when, reverse=True):
        touched = set()
        for ch in c.changes:
            current = alias.get(ch.path, ch.path)
            if ch.old_path is not None and ch.old_path != ch.path:
                alias.setdefault(ch.old_path, current)
            touched.add(current)
        if c.is_merge:
            continue
        is_fix = bool(fix.search(c.subject))
        ts = c.when.timestamp()
        for path in touched:
            out.setdefault(path, []).append((ts, is_fix))
    return out


def _rate(times: Sequence[tuple[float, bool]], start: float, end: float,
          fixes: bool) -> float | None:
    months = (end - start) / SECONDS_PER_MONTH
    if months <= 0:
        return None
    n = sum(1 for t, f in times if start <= t < end and (f or not fixes))
    return round(n / months, 2)


def _compare(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "unknown"
    if before == after or (before > 0 and abs(after - before) <= RATE_CHANGE * before):
        return "unchanged"
    return "lower" if after < before else "higher"


#: Each verdict as the end of a refactor's sentence.
VERDICTS = {"fewer fixes": "fewer fixes since", "more fixes": "more fixes since",
            "as many fixes": "as many fixes as before",
            "no fixes either side": "no bug fixes before or after",
            "too early to tell": "too early to tell"}


def refactor(path: str, times: Sequence[tuple[float, bool]], *, commit: str | None,
             start: datetime, end: datetime, newest: datetime, earliest: datetime,
             complexity_before: float | None, complexity_after: float | None,
             points: tuple[datetime, datetime] | None = None) -> RefactorEffect:
    """Rates before ``start`` and after ``end`` (see the module docstring) around a drop
    of complexity; ``points``: the times of the two points whose commits are ``start``
    and ``end`` (the sentence names both, the points being what the report shows)."""
    after = max(0.0, _months(end, newest))
    before = min(max(after, MIN_BEFORE_MONTHS), max(0.0, _months(earliest, start)))
    s, e, n = start.timestamp(), end.timestamp(), newest.timestamp()
    b0 = s - before * SECONDS_PER_MONTH
    # commits at the refactor itself (or between the two points) belong to neither side
    fb, fa = _rate(times, b0, s, True), _rate(times, e + 1, n + 1, True)
    cb, ca = _rate(times, b0, s, False), _rate(times, e + 1, n + 1, False)
    drop = None
    if complexity_before and complexity_after is not None:
        drop = round((complexity_before - complexity_after) / complexity_before, 4)
    if after < MIN_AFTER_MONTHS or fb is None or fa is None:
        verdict = "too early to tell"
    elif fb == fa == 0:
        verdict = "no fixes either side"
    else:
        verdict = {"lower": "fewer fixes", "higher": "more fixes",
                   "unchanged": "as many fixes"}[_compare(fb, fa)]
    if commit:
        when = f"in commit {commit[:10]} ({end.date()})"
    elif points is not None:
        when = (f"between the points of {points[0].date()} and {points[1].date()} "
                f"(commits of {start.date()} and {end.date()})")
    else:
        when = f"between the commits of {start.date()} and {end.date()}"
    if drop is None:
        what = f"{path} was {'added' if complexity_before is None else 'deleted'} {when}"
    else:
        what = (f"{path} {'lost' if drop >= 0 else 'gained'} {abs(drop):.0%} of its "
                f"complexity ({complexity_before:g} → {complexity_after:g}) {when}")

    def pair(b: float | None, a: float | None) -> str:
        return f"{'-' if b is None else f'{b:.1f}'} before, {'-' if a is None else f'{a:.1f}'}" \
               f" after"

    changes = _compare(cb, ca)
    summary = (f"{what}; fix commits per month {pair(fb, fa)}; changes per month "
               f"{pair(cb, ca)}" + (" (unchanged)" if changes == "unchanged" else "")
               + f": {VERDICTS[verdict]}")
    return RefactorEffect(path=path, commit=commit, start=start, end=end,
                    complexity_before=complexity_before, complexity_after=complexity_after,
                    drop=drop, months_before=round(before, 2), months_after=round(after, 2),
                    fixes_before=fb, fixes_after=fa, changes_before=cb, changes_after=ca,
                    verdict=verdict, summary=summary)


def largest_drop(path: str, hs: Sequence[Hotspot | None], results: Sequence[ScanResult],
                 times: Sequence[tuple[float, bool]], earliest: datetime,
                 minimum: float = REFACTOR_DROP, emptied: float = EMPTIED,
                 points: Sequence[datetime] = ()) -> RefactorEffect | None:
    """The file's largest complexity drop between two consecutive points, if one is at
    least ``minimum`` and less than ``emptied`` (see :data:`EMPTIED`); ``points``: the
    points' times (``results`` are their commits)."""
    best: tuple[float, int] | None = None
    for j in range(1, len(hs)):
        before, after = hs[j - 1], hs[j]
        if before is None or after is None:
            continue
        cb = before.analysis.value("radon.cc_total")
        ca = after.analysis.value("radon.cc_total")
        if cb is None or ca is None or cb < REFACTOR_MIN_CC:
            continue
        drop = (cb - ca) / cb
        if 0 < drop < emptied and drop >= minimum and (best is None or drop > best[0]):
            best = (drop, j)
    if best is None:
        return None
    j = best[1]
    b, a = hs[j - 1], hs[j]
    assert b is not None and a is not None
    return refactor(path, times, commit=None, start=results[j - 1].head_time,
                    end=results[j].head_time, newest=results[-1].head_time,
                    earliest=earliest, complexity_before=b.analysis.value("radon.cc_total"),
                    complexity_after=a.analysis.value("radon.cc_total"),
                    points=(points[j - 1], points[j]) if points else None)


def commit_refactors(probe: RefactorProbe, rates: Mapping[str, Sequence[tuple[float, bool]]],
                     newest: datetime, earliest: datetime,
                     canonical: Mapping[str, str]) -> tuple[RefactorEffect, ...]:
    """Every file the commit changed (another blob before and after, added or deleted),
    biggest complexity drop first."""
    before = {h.path: h for h in probe.before.hotspots}
    after = {h.path: h for h in probe.after.hotspots}
    pairs: list[tuple[str, Hotspot | None, Hotspot | None]] = []
    seen: set[str] = set()
    for path, h in after.items():
        old = before.get(path) or next((before[p] for p in h.analysis.history.former_paths
                                        if p in before and p not in after), None)
        if old is not None:
            seen.add(old.path)
            if old.analysis.file.blob == h.analysis.file.blob and old.path == path:
                continue
        pairs.append((path, old, h))
    pairs += [(path, h, None) for path, h in before.items()
              if path not in after and path not in seen]
    out = []
    for path, b, a in pairs:
        name = canonical.get(path, path)
        out.append(refactor(
            name, rates.get(name, ()), commit=probe.commit, start=probe.time,
            end=probe.time, newest=newest, earliest=earliest,
            complexity_before=None if b is None else (b.analysis.value("radon.cc_total")
                                                      or 0.0),
            complexity_after=None if a is None else (a.analysis.value("radon.cc_total")
                                                     or 0.0)))
    out.sort(key=lambda r: (-(r.drop if r.drop is not None else -math.inf), r.path))
    return tuple(out)


# -- the view ----------------------------------------------------------------------------


def build_trend(samples: Sequence[Sample], commits: Sequence[Commit], *, every: str,
                last: str, fix_pattern: str, earliest: datetime,
                threshold: float | None = None, top: int = TOP_FILES,
                probe: RefactorProbe | None = None, file: str | None = None,
                warnings: Sequence[str] = ()) -> Trend:
    """The trend of ``samples`` (oldest first); ``commits`` are the commits since
    ``earliest`` (for the rates before and after a refactor); ``probe`` answers
    ``--refactor``, ``file`` ``--file`` (a path at some point, by any of its names)."""
    if threshold is None:
        threshold = default_threshold(samples)
    results = [s.result for s in samples]
    names = area_names(samples)
    points = tuple(point(s, names, threshold, top) for s in samples)
    named = follow(results)
    xs = [_months(samples[0].time, s.time) for s in samples]
    paths = sorted({p for n in named for p in n})
    trends = {p: file_trend(p, [n.get(p) for n in named], xs, threshold, top)
              for p in paths}
    rates = events(commits, fix_pattern)
    refactors = [r for p in paths
                 if (r := largest_drop(p, [n.get(p) for n in named], results,
                                       rates.get(p, ()), earliest,
                                       points=[s.time for s in samples])) is not None]
    refactors.sort(key=lambda r: (-(r.drop or 0.0), r.path))
    rising = sorted((t for t in trends.values() if t.kind == "rising"),
                    key=lambda t: (-t.slope, t.path))[:top]
    cooling = sorted((t for t in trends.values() if t.kind == "cooling"),
                     key=lambda t: (t.slope, t.path))[:top]
    new = sorted((t for t in trends.values() if t.kind == "new"),
                 key=lambda t: (-(t.scores[-1] or 0.0), t.path))[:top]
    total = area_trend(EVERYTHING, [p.total for p in points])
    areas = tuple(area_trend(n, [p.areas[i] for p in points]) for i, n in enumerate(names))
    newest = named[-1] if named else {}
    top_files = tuple(trends[p] for p in sorted(
        (p for p, h in newest.items() if h.score > 0),
        key=lambda p: (newest[p].rank or 0, p))[:top])
    question = None
    if probe is not None:
        later = follow([probe.after, *(r for r in results if r.head_time > probe.time)])
        canonical = {h.path: name for name, h in later[0].items()}
        question = TrendQuestion(kind="commit", subject=probe.commit, file=None,
                            refactors=commit_refactors(probe, rates, results[-1].head_time,
                                                       earliest, canonical),
                            note=f"{probe.commit[:10]} ({probe.time.date()})")
    elif file is not None:
        question = file_question(file, named, results, rates, earliest, xs, threshold, top,
                                 points=[s.time for s in samples])
    trend = Trend(root=results[-1].root, head=results[-1].head,
                  head_time=results[-1].head_time, every=every, last=last,
                  threshold=threshold, points=points, total=total, areas=areas,
                  rising=tuple(rising), cooling=tuple(cooling), new=tuple(new),
                  refactors=tuple(refactors), top_files=top_files, question=question,
                  warnings=tuple(dict.fromkeys(w for r in results for w in r.warnings))
                  + tuple(warnings))
    return evolve(trend, summary=tuple(summarise(trend)))


def canonical_name(file: str, named: Sequence[Mapping[str, Hotspot]]) -> str | None:
    """The name at the newest point of the file called ``file`` at some point."""
    for n in reversed(named):
        if file in n:
            return file
        for name, h in n.items():
            if h.path == file:
                return name
    return None


def file_question(file: str, named: Sequence[Mapping[str, Hotspot]],
                  results: Sequence[ScanResult], rates: Mapping[str, Sequence[tuple[float, bool]]],
                  earliest: datetime, xs: Sequence[float], threshold: float,
                  top: int = TOP_FILES, points: Sequence[datetime] = ()) -> TrendQuestion:
    name = canonical_name(file, named)
    if name is None:
        raise UsageError(f"--file {file}: not a file analysed at any of the sampled commits "
                         f"(see docs/trend.md)")
    hs = [n.get(name) for n in named]
    trend = file_trend(name, hs, xs, threshold, top)
    trend = evolve(trend, functions=function_trends(hs))
    drop = largest_drop(name, hs, results, rates.get(name, ()), earliest, minimum=0.0,
                        emptied=math.inf, points=points)
    note = "" if drop is not None else "its complexity never dropped between two points"
    return TrendQuestion(kind="file", subject=name, file=trend,
                    refactors=(drop,) if drop is not None else (), note=note)


def _pct(value: float | None) -> str:
    return "new" if value is None else f"{value:+.0%}"


def summarise(trend: Trend) -> list[str]:
    """A few sentences a lead can read out."""
    points = trend.points
    if not points:
        return []
    first, last = points[0], points[-1]
    lines = [f"{len(points)} points from {first.time.date()} to {last.time.date()} (every "
             f"{trend.every}): friction {first.total.score:,.0f} → {last.total.score:,.0f} "
             f"({_pct(trend.total.score_growth)}), code {first.total.lines:,.0f} → "
             f"{last.total.lines:,.0f} lines ({_pct(trend.total.lines_growth)}), hotspots "
             f"(score {trend.threshold:g} or more) {first.total.hotspots} → "
             f"{last.total.hotspots}."]
    if trend.rising:
        worst = trend.rising[0]
        why = f": {worst.reasons[0]}" if worst.reasons else ""
        lines.append(f"{len(trend.rising)} rising hotspot{'s' if len(trend.rising) > 1 else ''}"
                     f"; the fastest is {worst.path} ({worst.slope:+.2f} per month{why}).")
    if trend.new:
        lines.append(f"{len(trend.new)} new hotspot{'s' if len(trend.new) > 1 else ''}: "
                     f"{', '.join(t.path for t in trend.new[:3])}"
                     f"{' ...' if len(trend.new) > 3 else ''}.")
    if trend.cooling:
        lines.append(f"{len(trend.cooling)} cooling: "
                     f"{', '.join(t.path for t in trend.cooling[:3])}"
                     f"{' ...' if len(trend.cooling) > 3 else ''}.")
    faster = [a for a in (*trend.areas, trend.total) if a.faster_than_code]
    if faster:
        lines.append("Friction grows faster than code in " + "; ".join(
            f"{a.name} ({_pct(a.score_growth)} against {_pct(a.lines_growth)} lines)"
            for a in faster) + ".")
    if trend.refactors:
        lines.append(f"{len(trend.refactors)} large complexity drop"
                     f"{'s' if len(trend.refactors) > 1 else ''}: "
                     f"{trend.refactors[0].summary}.")
    if trend.question is not None:
        q = trend.question
        if q.kind == "commit":
            lines.append(f"Commit {q.note} changed {len(q.refactors)} analysed file"
                         f"{'' if len(q.refactors) == 1 else 's'}.")
        elif q.refactors and trend.refactors and q.refactors[0] == trend.refactors[0]:
            # its drop is the one the line above tells
            lines.append(f"{q.subject}: its largest complexity drop is the one above.")
        elif q.refactors:
            lines.append(f"{q.refactors[0].summary}.")
        else:
            lines.append(f"{q.subject}: {q.note}.")
    return lines


# -- two points, for the plan -----------------------------------------------------------


def friction(h: Hotspot) -> float:
    """The score without the roadmap's weights (its ``focus`` component): what the code and
    its history say. Two points compare on it when one of them alone has a weight, such as
    the work in flight that is known for today only."""
    focus = h.component("focus")
    return round(h.score / focus, 3) if focus else h.score


def compare_points(before: ScanResult, after: ScanResult, floor: float = 0.0,
                   value: Callable[[Hotspot], float] = lambda h: h.score) -> dict[str, str]:
    """Per file of ``after`` whose ``value`` (the score by default) is above zero at either
    point: ``new`` (nothing at ``before``), ``rising``, ``cooling`` (it moved by
    :data:`RISE` or more of the larger of the two) or ``steady`` (also when both are below
    ``floor``). Renames are followed."""
    named = follow([before, after])
    out = {}
    for path, h in named[1].items():
        old = named[0].get(path)
        now = value(h)
        was = value(old) if old is not None else 0.0
        if now <= 0 and was <= 0:
            continue
        if max(now, was) < floor:
            out[path] = "steady"
        elif was <= 0:
            out[path] = "new"
        elif (now - was) / max(was, now) >= RISE:
            out[path] = "rising"
        elif (now - was) / max(was, now) <= -RISE:
            out[path] = "cooling"
        else:
            out[path] = "steady"
    return out
