"""Built-in plugin *scoring*: the default hotspot score and the ranking.

The score of a file (docs/scoring.md explains the choice and the numbers behind it)::

    score = change x complexity x (1 + findings) x focus

* ``change``     = log2(1 + recency-weighted revisions in the window) - how often, how lately;
* ``complexity`` = log2(1 + total cyclomatic complexity) - how hard each change is; estimated
  from size (source lines / 10) when the file could not be parsed;
* ``findings``   = friction-rule effort in minutes / 240, at most 0.5 - up to +50%;
* ``focus``      = product of the roadmap weights (focus area, dormancy discount).

Two options weigh the components (``frictionscan backtest --calibrate`` fits them to a
repository's history; the defaults leave the formula above unchanged):

* ``scoring.complexity_weight`` (default 1): the complexity component is raised to this power;
* ``scoring.fixes_weight`` (default 0): the change component is multiplied by
  ``(1 + log2(1 + bug-fix commits in the window)) ** fixes_weight``.

The product is zero for a file that did not change in the window, however complex it is:
a hotspot is where complexity meets change. Every component is recorded with a reason.
Such files need no friction checks (``frictionscan_skip_checks``): their findings could not
move them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from frictionscan.api import (
    Between,
    Component,
    Config,
    FileAnalysis,
    History,
    Hotspot,
    OptionParser,
    SourceFile,
    evolve,
    hookimpl,
)

__version__ = "0.1.0"

FINDINGS_MINUTES_SCALE = 240.0
FINDINGS_CAP = 0.5
SIZE_TO_COMPLEXITY = 0.1


def _plural(n: float, word: str) -> str:
    n = int(n)
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("scoring.complexity_weight", type=float, default=1.0,
                     validate=Between(0.0, 10.0),
                     help="power the complexity component is raised to (2 = complexity counts "
                          "twice as much against change)")
    parser.addoption("scoring.fixes_weight", type=float, default=0.0,
                     validate=Between(0.0, 10.0),
                     help="how much the window's bug-fix commits add to the change component "
                          "(0 = nothing, 1 = a factor of 1 + log2(1 + fixes))")


@hookimpl
def frictionscan_calibration_options(config: Config) -> dict[str, list[float]]:
    return {"scoring.complexity_weight": [0.5, 1.0, 1.5, 2.0, 3.0],
            "scoring.fixes_weight": [0.0, 0.5, 1.0]}


def _weights(config: Config | None) -> tuple[float, float]:
    if config is None:
        return 1.0, 0.0
    return (float(config.getoption("scoring.complexity_weight", 1.0)),
            float(config.getoption("scoring.fixes_weight", 0.0)))


def change_component(a: FileAnalysis, fixes_weight: float = 0.0) -> Component:
    h = a.history
    value = math.log2(1 + h.recency)
    if fixes_weight and h.fixes:
        value *= (1 + math.log2(1 + h.fixes)) ** fixes_weight
    if h.revisions == 0:
        when = f", last {h.idle_days:.0f} days ago" if h.idle_days is not None else ""
        return Component(name="change", value=0.0, reason=f"no change in the window{when}")
    parts = [f"changed {_plural(h.revisions, 'time')} by {_plural(len(h.authors), 'author')}"]
    if h.fixes:
        parts.append(_plural(h.fixes, "bug-fix commit")
                     + (f" (weighed by scoring.fixes_weight = {fixes_weight:g})"
                        if fixes_weight else ""))
    if h.idle_days is not None:
        parts.append(f"last {h.idle_days:.0f} days ago")
    return Component(name="change", value=round(value, 4), reason=", ".join(parts))


def complexity_component(a: FileAnalysis, weight: float = 1.0) -> Component:
    weighed = f"; raised to the power {weight:g} (scoring.complexity_weight)" \
        if weight != 1.0 else ""
    total = a.value("radon.cc_total")
    if total is None:
        sloc = a.value("radon.sloc") or (a.file.size / 40.0)
        est = sloc * SIZE_TO_COMPLEXITY
        return Component(name="complexity", value=round(math.log2(1 + est) ** weight, 4),
                         reason=f"not measured; estimated {est:.0f} from size{weighed}")
    functions = sorted(a.symbol_values("radon.cc"), key=lambda m: -m.value)
    reason = f"complexity {total:g} in {_plural(len(functions), 'function')}"
    if functions:
        top = functions[0]
        assert top.symbol is not None
        reason += f" (max {top.value:g} in {top.symbol.name})"
    return Component(name="complexity", value=round(math.log2(1 + total) ** weight, 4),
                     reason=reason + weighed)


def findings_component(a: FileAnalysis) -> Component:
    minutes = sum(f.effort_minutes for f in a.findings)
    value = min(FINDINGS_CAP, minutes / FINDINGS_MINUTES_SCALE)
    if not a.checked:
        return Component(name="findings", value=0.0,
                         reason="not checked: they could not move this file "
                                "(--all-findings checks it)")
    if not a.findings:
        return Component(name="findings", value=0.0, reason="no findings")
    codes = Counter(f.code for f in a.findings)
    listed = ", ".join(f"{n}x {c}" for c, n in sorted(codes.items()))
    return Component(name="findings", value=round(value, 4),
                     reason=f"{_plural(len(a.findings), 'finding')} ({minutes} min): {listed}")


def focus_component(a: FileAnalysis) -> Component:
    factor = 1.0
    for w in a.weights:
        factor *= w.factor
    reason = "; ".join(w.reason for w in a.weights) or "no roadmap weight"
    return Component(name="focus", value=round(factor, 4), reason=reason)


def score_file(a: FileAnalysis, config: Config | None = None) -> Hotspot:
    complexity_weight, fixes_weight = _weights(config)
    parts = (change_component(a, fixes_weight), complexity_component(a, complexity_weight),
             findings_component(a), focus_component(a))
    change, complexity, findings, focus = (c.value for c in parts)
    score = change * complexity * (1 + findings) * focus
    return Hotspot(analysis=a, score=round(score, 3), components=parts)


@hookimpl(trylast=True)
def frictionscan_skip_checks(files: Sequence[SourceFile], history: History,
                             config: Config) -> list[str]:
    """Files that did not change in the window: their score is zero whatever their findings
    (the change component is zero), so their findings change no rank."""
    return [f.path for f in files if history.for_file(f.path).revisions == 0]


@hookimpl(trylast=True)
def frictionscan_score(analyses: Sequence[FileAnalysis], config: Config) -> list[Hotspot]:
    return [score_file(a, config) for a in analyses]


def per_line(h: Hotspot) -> float:
    """Friction per source line (the effort order): where an hour removes the most."""
    return h.score / _lines(h)


def _lines(h: Hotspot) -> float:
    sloc = h.analysis.value("radon.sloc") or h.analysis.file.size / 40.0
    return max(sloc, 10.0)


def _order_key(config: Config) -> Callable[[Hotspot], tuple[float, float, str]]:
    if config.order == "effort":
        return lambda h: (-per_line(h), -h.score, h.path)
    return lambda h: (-h.score, 0.0, h.path)


@hookimpl(trylast=True)
def frictionscan_rank(hotspots: Sequence[Hotspot], config: Config) -> list[Hotspot]:
    ordered = sorted(hotspots, key=_order_key(config))
    return [evolve(h, rank=i) for i, h in enumerate(ordered, 1)]


_COMPONENTS = ("change", "complexity", "findings", "focus")


@hookimpl(trylast=True)
def frictionscan_prune_checks(hotspots: Sequence[Hotspot], top: int,
                              config: Config) -> list[str] | None:
    """Unchecked files that stay below the ``top``-th file even with the largest findings
    component (+50%): in either order the ranking key is the score over something findings
    do not change. ``None`` when the hotspots are not this plugin's scores in this plugin's
    order (another plugin replaced one of them: check everything)."""
    if any(tuple(c.name for c in h.components) != _COMPONENTS for h in hotspots):
        return None
    key = _order_key(config)
    keys = [key(h) for h in hotspots]
    if keys != sorted(keys):
        return None
    if len(hotspots) <= top:
        return []
    bar = hotspots[top - 1]
    lines = (lambda h: _lines(h)) if config.order == "effort" else (lambda h: 1.0)
    reach = bar.score / lines(bar)
    # a margin for the rounding of the score to three decimals
    return [h.path for h in hotspots[top:]
            if not h.analysis.checked
            and (h.score + 0.001) * (1 + FINDINGS_CAP) / lines(h) < reach]
