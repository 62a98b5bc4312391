"""``frictionscan backtest``: rank the code as it stood at a past commit, then check where the
bug fixes of the following months landed (docs/backtest.md).

The ranking at the cut commit T uses only what was known at T: the files and contents of T
(read from git objects, nothing is checked out) and the history reachable from T. The files
ranked and judged are the product code at T (the kinds that are shown: tests, docs and
tooling are not targets), as in the time-travel evaluation the default score is judged by
(``shared/eval``). The commits after T, up to the horizon, are labelled as bug fixes by the
same heuristic the score counts fixes with (:mod:`frictionscan.core.fixes`: the subject's
fix words or closing reference, never a bot or a ``feat:``-type subject); merges are left
out, and so are mass edits (fixes touching more than ``MASS_EDIT`` ranked files). Renames
after T are followed back to the file's name at T.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from frictionscan.core.fixes import is_bot, is_fix
from frictionscan.core.model import Commit, Hotspot, ScanResult

#: A fix touching more ranked files than this is a mass edit (reformatting, renames).
MASS_EDIT = 20
#: Below these, the numbers are reported with a warning: they mean little.
MIN_FIX_COMMITS = 20
MIN_FIXED_FILES = 10
RANDOM_RUNS = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class Labels:
    """Fix commits after the cut and, per file (named as at the cut), how many touched it."""

    touches: Mapping[str, int]
    fix_commits: int
    commits: int
    excluded: Mapping[str, int]


def label(commits: Sequence[Commit], paths: set[str], fix_pattern: str,
          mass_edit: int = MASS_EDIT) -> Labels:
    """Count fix commits per file; ``commits`` oldest first, ``paths`` the files at the cut."""
    original: dict[str, str] = {}  # current name -> name at the cut
    touches: Counter[str] = Counter()
    excluded: Counter[str] = Counter()
    fixes = 0
    for c in commits:
        for ch in c.changes:
            if ch.old_path is not None:
                origin = original.get(ch.old_path, ch.old_path)
                if origin in paths:
                    original[ch.path] = origin
        if c.is_merge:
            excluded["merges"] += 1
            continue
        if is_bot(c.author, c.email, c.subject):
            excluded["bots"] += 1
            continue
        if not is_fix(c.subject, c.author, c.email, fix_pattern):
            continue
        hit = {original.get(ch.path, ch.path) for ch in c.changes} & paths
        if len(hit) > mass_edit:
            excluded["mass edits"] += 1
            continue
        fixes += 1
        touches.update(hit)
    return Labels(touches=dict(touches), fix_commits=fixes, commits=len(commits),
                  excluded=dict(excluded))


# -- metrics --------------------------------------------------------------------------


def capture(order: Sequence[str], fixes: Mapping[str, int], share: float = 0.2) -> float:
    total = sum(fixes.get(p, 0) for p in order)
    top = order[:max(1, round(len(order) * share))]
    return sum(fixes.get(p, 0) for p in top) / total if total else math.nan


def effort_capture(order: Sequence[str], fixes: Mapping[str, int], loc: Mapping[str, float],
                   share: float = 0.2) -> float:
    """Share of fix touches found reading the ranking until ``share`` of the lines."""
    total = sum(fixes.get(p, 0) for p in order)
    budget = share * sum(loc.get(p, 0) for p in order)
    spent = found = 0.0
    for p in order:
        if spent >= budget:
            break
        spent += loc.get(p, 0)
        found += fixes.get(p, 0)
    return found / total if total else math.nan


def _area(order: Sequence[str], fixes: Mapping[str, int], loc: Mapping[str, float]) -> float:
    total_loc = sum(max(loc.get(p, 0), 1.0) for p in order)
    total_fix = sum(fixes.get(p, 0) for p in order) or 1
    x = y = area = 0.0
    for p in order:
        dx = max(loc.get(p, 0), 1.0) / total_loc
        dy = fixes.get(p, 0) / total_fix
        area += dx * (y + dy / 2)
        x, y = x + dx, y + dy
    return area


def popt(order: Sequence[str], fixes: Mapping[str, int], loc: Mapping[str, float]) -> float:
    """1 - (optimal - model) / (optimal - worst) over cumulative fixes against lines."""
    def density(p: str) -> float:
        return fixes.get(p, 0) / max(loc.get(p, 0), 1.0)

    best = _area(sorted(order, key=lambda p: -density(p)), fixes, loc)
    worst = _area(sorted(order, key=density), fixes, loc)
    model = _area(order, fixes, loc)
    return 1 - (best - model) / (best - worst) if best > worst else math.nan


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    def ranks(v: Sequence[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    if len(xs) < 3:
        return math.nan
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    sy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (sx * sy) if sx and sy else math.nan


def precision_at(order: Sequence[str], fixes: Mapping[str, int], n: int = 10) -> float:
    top = order[:n]
    return sum(1 for p in top if fixes.get(p, 0) > 0) / len(top) if top else math.nan


METRICS = ("top20_files", "top20_loc", "popt", "spearman", "precision10")


def evaluate(values: Mapping[str, float], fixes: Mapping[str, int],
             loc: Mapping[str, float]) -> dict[str, float]:
    """Every metric for the ranking by ``values`` (higher first, ties by path)."""
    order = sorted(values, key=lambda p: (-values[p], p))
    return {"top20_files": capture(order, fixes), "top20_loc": effort_capture(order, fixes, loc),
            "popt": popt(order, fixes, loc),
            "spearman": spearman([values[p] for p in order],
                                 [float(fixes.get(p, 0)) for p in order]),
            "precision10": precision_at(order, fixes)}


def loc_of(h: Hotspot) -> float:
    """Physical lines (radon), or an estimate from the size when not measured (at least
    1, as in the evaluation)."""
    return max(1.0, h.analysis.value("radon.loc") or h.analysis.file.size / 40.0)


def _cc(h: Hotspot) -> float:
    return h.analysis.value("radon.cc_total") or 0.0


#: Rankings compared: name -> value per hotspot (higher = more friction expected). The
#: baselines are those of the time-travel evaluation (``shared/eval``): the best of them
#: is what each order must beat.
RANKINGS: dict[str, Callable[[Hotspot], float]] = {
    "frictionscan (hotspot order)": lambda h: h.key("hotspot") or h.score,
    "frictionscan (effort order)": lambda h: h.key("effort") or 0.0,
    "lines of code": loc_of,
    "revisions": lambda h: float(h.analysis.history.revisions),
    "revisions x complexity": lambda h: h.analysis.history.revisions * _cc(h),
    "churn (lines added + deleted)": lambda h: float(h.analysis.history.added
                                                     + h.analysis.history.deleted),
    "prior bug fixes": lambda h: float(h.analysis.history.fixes),
    "fixes per line": lambda h: h.analysis.history.fixes / loc_of(h),
    "revisions / sqrt(lines)": lambda h: h.analysis.history.revisions / math.sqrt(loc_of(h)),
}


def backtest(result: ScanResult, labels: Labels) -> dict[str, dict[str, float]]:
    """Metrics of every ranking (and of random orders, averaged) for one cut."""
    paths = [h.path for h in result.hotspots]
    loc = {h.path: loc_of(h) for h in result.hotspots}
    out = {name: evaluate({h.path: f(h) for h in result.hotspots}, labels.touches, loc)
           for name, f in RANKINGS.items()}
    rng = random.Random(20261124)
    runs = []
    for _ in range(RANDOM_RUNS):
        shuffled = paths[:]
        rng.shuffle(shuffled)
        runs.append(evaluate({p: float(len(paths) - i) for i, p in enumerate(shuffled)},
                             labels.touches, loc))
    out["random (mean of 50)"] = {m: mean([r[m] for r in runs]) for m in METRICS}
    return out


def mean(values: Sequence[float]) -> float:
    """The mean of the values that are numbers (NaN: a metric undefined for a cut)."""
    real = [v for v in values if not math.isnan(v)]
    return sum(real) / len(real) if real else math.nan


def average(cuts: Sequence[Mapping[str, Mapping[str, float]]]) -> dict[str, dict[str, float]]:
    names = list(cuts[0])
    return {n: {m: mean([c[n][m] for c in cuts]) for m in METRICS} for n in names}


def warnings_for(labels: Labels, result: ScanResult) -> list[str]:
    out = []
    fixed = sum(1 for v in labels.touches.values() if v)
    if labels.fix_commits < MIN_FIX_COMMITS or fixed < MIN_FIXED_FILES:
        out.append(f"only {labels.fix_commits} fix commits touching {fixed} files: too few for "
                   f"the numbers to mean much")
    return out


def summary(labels: Labels, result: ScanResult) -> dict[str, Any]:
    return {"files": len(result.hotspots), "commits_after_cut": labels.commits,
            "fix_commits": labels.fix_commits,
            "files_with_fixes": sum(1 for v in labels.touches.values() if v),
            "fix_touches": sum(labels.touches.values()), "excluded": dict(labels.excluded)}
