"""Built-in plugin *scoring*: the two orders' keys and the ranking.

Two questions, two orders (docs/scoring.md has the reasoning and the numbers behind every
exponent, measured on 22 open-source histories with the time-travel harness):

* the **hotspot order** ("where will the pain be?": where the next bug fixes and changes
  land, the refactor targets)::

      hotspot = size x change x fixes x complexity x (1 + findings) x focus

  - ``size``       = lines ** 0.75 - big files collect more fixes, less than in proportion;
  - ``change``     = (1 + revisions in the window) ** 0.25 - how often it changes;
  - ``fixes``      = (1 + bug-fix commits in the window) ** 0.5 - where fixes land, more do;
  - ``complexity`` = (1 + total cyclomatic complexity) ** ``scoring.complexity_weight``
    (0 by default: beyond size, complexity predicts nothing; a team may weigh it);
  - ``findings``   = the friction rules' findings, each minutes x the rule's weight (what the
    history says the rule predicts), / 240, at most 0.25 - only in files changed in the
    window: friction weighs where the team works;
  - ``focus``      = the roadmap's weights (focus areas, work in flight, dormancy discount).

* the **effort order** ("where does an hour of work remove the most friction?", quick wins)::

      effort = (1 + revisions) x (1 + fixes) ** 0.5 x (1 + authors) ** 0.25
               x (1 + findings) x focus / (lines + 50) ** 0.75

  friction per line, with a prior of 50 lines so that a tiny file with one change does not
  come first.

No file scores zero unless it is empty: a file without a change in the window is
discounted by the roadmap (dormancy), not erased. ``Hotspot.score`` is the key of the
configured order and ``Hotspot.scores`` holds both. Ties go to the file with the higher key
of the other order, then by path.

The exponents of the hotspot order are options (``scoring.size_weight``,
``scoring.change_weight``, ``scoring.fixes_weight``, ``scoring.complexity_weight``) that
``frictionscan backtest --calibrate`` can fit to a repository's own history.
"""

from __future__ import annotations

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

__version__ = "0.2.0"

FINDINGS_MINUTES_SCALE = 240.0
FINDINGS_CAP = 0.25
#: The prior of the effort order: lines every file is counted as having on top of its own.
EFFORT_PRIOR_LINES = 50.0
#: Lines per byte, for a file whose lines were not measured.
LINES_PER_BYTE = 1 / 40.0

DEFAULT_WEIGHTS = {"size": 0.75, "change": 0.25, "fixes": 0.5, "complexity": 0.0}


def _plural(n: float, word: str) -> str:
    n = int(n)
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("scoring.size_weight", type=float, default=DEFAULT_WEIGHTS["size"],
                     validate=Between(0.0, 3.0),
                     help="power the size component (lines) is raised to in the hotspot order")
    parser.addoption("scoring.change_weight", type=float, default=DEFAULT_WEIGHTS["change"],
                     validate=Between(0.0, 3.0),
                     help="power of the change component (1 + revisions in the window)")
    parser.addoption("scoring.fixes_weight", type=float, default=DEFAULT_WEIGHTS["fixes"],
                     validate=Between(0.0, 3.0),
                     help="power of the fixes component (1 + bug-fix commits in the window)")
    parser.addoption("scoring.complexity_weight", type=float,
                     default=DEFAULT_WEIGHTS["complexity"], validate=Between(0.0, 3.0),
                     help="power of the complexity component (1 + total cyclomatic "
                          "complexity); 0, the default, leaves complexity out of the score")


@hookimpl
def frictionscan_calibration_options(config: Config) -> dict[str, list[float]]:
    return {"scoring.size_weight": [0.5, 0.75, 1.0],
            "scoring.change_weight": [0.0, 0.25, 0.5],
            "scoring.fixes_weight": [0.25, 0.5, 0.75]}


def weights(config: Config | None) -> dict[str, float]:
    if config is None:
        return dict(DEFAULT_WEIGHTS)
    return {name: float(config.getoption(f"scoring.{name}_weight", default))
            for name, default in DEFAULT_WEIGHTS.items()}


def lines(a: FileAnalysis) -> float:
    """Physical lines of the file (measured, else estimated from its size in bytes)."""
    measured = a.value("radon.loc")
    return float(measured) if measured is not None else a.file.size * LINES_PER_BYTE


def _weighed(w: float, name: str) -> str:
    return f"; raised to the power {w:g} (scoring.{name}_weight)" \
        if w != DEFAULT_WEIGHTS[name] else ""


def size_component(a: FileAnalysis, w: float) -> Component:
    n = lines(a)
    measured = "" if a.value("radon.loc") is not None else " (estimated from its size)"
    reason = f"{n:,.0f} lines{measured}"
    functions = sorted(a.symbol_values("radon.cc"), key=lambda m: -m.value)
    total = a.value("radon.cc_total")
    if total is not None:
        reason += f", complexity {total:g} in {_plural(len(functions), 'function')}"
        if functions and functions[0].symbol is not None:
            reason += f" (max {functions[0].value:g} in {functions[0].symbol.name})"
    return Component(name="size", value=round(n ** w, 4), reason=reason + _weighed(w, "size"))


def _ago(days: float) -> str:
    """``today``, ``1 day ago``, ``44 days ago`` (a last change after HEAD's own date, from a
    clock that was off, is ``today``)."""
    n = round(days)
    return "today" if n < 1 else f"{_plural(n, 'day')} ago"


def change_component(a: FileAnalysis, w: float) -> Component:
    h = a.history
    value = (1 + h.revisions) ** w
    if h.revisions == 0:
        when = f", last {_ago(h.idle_days)}" if h.idle_days is not None else ""
        return Component(name="change", value=round(value, 4),
                         reason=f"no change in the window{when}")
    parts = [f"changed {_plural(h.revisions, 'time')} by {_plural(len(h.authors), 'author')}"]
    if h.idle_days is not None:
        parts.append(f"last {_ago(h.idle_days)}")
    return Component(name="change", value=round(value, 4),
                     reason=", ".join(parts) + _weighed(w, "change"))


def fixes_component(a: FileAnalysis, w: float) -> Component:
    fixes = a.history.fixes
    reason = _plural(fixes, "bug-fix commit") + " in the window" if fixes else \
        "no bug-fix commit in the window"
    return Component(name="fixes", value=round((1 + fixes) ** w, 4),
                     reason=reason + _weighed(w, "fixes"))


def complexity_component(a: FileAnalysis, w: float) -> Component:
    total = a.value("radon.cc_total")
    if w == 0.0:
        return Component(name="complexity", value=1.0,
                         reason="not weighed (scoring.complexity_weight = 0); size stands "
                                "for it")
    if total is None:
        est = lines(a) * 0.1
        return Component(name="complexity", value=round((1 + est) ** w, 4),
                         reason=f"not measured; estimated {est:.0f} from size"
                                f"{_weighed(w, 'complexity')}")
    return Component(name="complexity", value=round((1 + total) ** w, 4),
                     reason=f"complexity {total:g}{_weighed(w, 'complexity')}")


def _finding_weight(f: object) -> float:
    """What a finding's rule predicts (``Finding.weight``; 1 for rules that do not say)."""
    return float(getattr(f, "weight", 1.0))


def findings_component(a: FileAnalysis) -> Component:
    if not a.checked:
        return Component(name="findings", value=0.0,
                         reason="not checked: they could not move this file "
                                "(--all-findings checks it)")
    if not a.findings:
        return Component(name="findings", value=0.0, reason="no findings")
    minutes = sum(f.effort_minutes for f in a.findings)
    weighed = sum(f.effort_minutes * _finding_weight(f) for f in a.findings)
    codes = Counter(f.code for f in a.findings)
    listed = ", ".join(f"{n}x {c}" for c, n in sorted(codes.items()))
    found = f"{_plural(len(a.findings), 'finding')} ({minutes} min): {listed}"
    if a.history.revisions == 0:
        return Component(name="findings", value=0.0,
                         reason=f"{found}; not counted: no change in the window (friction "
                                f"weighs where the team works)")
    value = min(FINDINGS_CAP, weighed / FINDINGS_MINUTES_SCALE)
    if weighed < minutes:
        found += f"; {weighed:.0f} min once weighed by what each rule predicts"
    return Component(name="findings", value=round(value, 4), reason=found)


def focus_component(a: FileAnalysis) -> Component:
    factor = 1.0
    for w in a.weights:
        factor *= w.factor
    reason = "; ".join(w.reason for w in a.weights) or "no roadmap weight"
    return Component(name="focus", value=round(factor, 4), reason=reason)


def effort_key(a: FileAnalysis, findings: float, focus: float) -> float:
    h = a.history
    return ((1 + h.revisions) * (1 + h.fixes) ** 0.5 * (1 + len(h.authors)) ** 0.25
            * (1 + findings) * focus / (lines(a) + EFFORT_PRIOR_LINES) ** 0.75)


def score_file(a: FileAnalysis, config: Config | None = None) -> Hotspot:
    w = weights(config)
    parts = (size_component(a, w["size"]), change_component(a, w["change"]),
             fixes_component(a, w["fixes"]), complexity_component(a, w["complexity"]),
             findings_component(a), focus_component(a))
    size, change, fixes, complexity, findings, focus = (c.value for c in parts)
    hotspot = round(size * change * fixes * complexity * (1 + findings) * focus, 3)
    effort = round(effort_key(a, findings, focus), 6)
    order = config.order if config is not None else "hotspot"
    return Hotspot(analysis=a, score=effort if order == "effort" else hotspot,
                   components=parts, scores=(("hotspot", hotspot), ("effort", effort)))


@hookimpl(trylast=True)
def frictionscan_skip_checks(files: Sequence[SourceFile], history: History,
                             config: Config) -> list[str]:
    """Files that did not change in the window: findings are not counted there (friction
    weighs where the team works), so their findings change no rank."""
    return [f.path for f in files if history.for_file(f.path).revisions == 0]


@hookimpl(trylast=True)
def frictionscan_score(analyses: Sequence[FileAnalysis], config: Config) -> list[Hotspot]:
    return [score_file(a, config) for a in analyses]


def _order_key(config: Config) -> Callable[[Hotspot], tuple[float, float, str]]:
    other = "hotspot" if config.order == "effort" else "effort"
    return lambda h: (-h.score, -(h.key(other) or 0.0), h.path)


@hookimpl(trylast=True)
def frictionscan_rank(hotspots: Sequence[Hotspot], config: Config) -> list[Hotspot]:
    ordered = sorted(hotspots, key=_order_key(config))
    return [evolve(h, rank=i) for i, h in enumerate(ordered, 1)]


_COMPONENTS = ("size", "change", "fixes", "complexity", "findings", "focus")


@hookimpl(trylast=True)
def frictionscan_prune_checks(hotspots: Sequence[Hotspot], top: int,
                              config: Config) -> list[str] | None:
    """Unchecked files that stay below the ``top``-th file even with the largest findings
    component (+25%): both orders' keys are multiplied by (1 + findings). ``None`` when the
    hotspots are not this plugin's scores in this plugin's order (another plugin replaced
    one of them: check everything)."""
    if any(tuple(c.name for c in h.components) != _COMPONENTS for h in hotspots):
        return None
    key = _order_key(config)
    keys = [key(h) for h in hotspots]
    if keys != sorted(keys):
        return None
    if len(hotspots) <= top:
        return []
    bar = hotspots[top - 1].score
    # a margin for the rounding of the keys (three decimals, six for the effort order)
    margin = 0.001 if config.order != "effort" else 1e-6
    return [h.path for h in hotspots[top:]
            if not h.analysis.checked and (h.score + margin) * (1 + FINDINGS_CAP) < bar]
