"""Try score variants against the backtest (the experiments recorded in docs/scoring.md).

Usage::

    python benchmarks/score_variants.py PATH [PATH...] [--cuts 3] [--horizon "12 months"]

For each repository and cut, the code is ranked once at the cut (as ``frictionscan
backtest`` does); every variant below is then computed from the same signals and judged by
the backtest metrics. Hotspot-order variants are judged by the share of fix touches in the
top 20% of files; effort-order variants by the top 20% of lines and Popt.
"""

from __future__ import annotations

import argparse
import math
import subprocess
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from frictionscan import backtest as bt
from frictionscan.durations import parse_duration, subtract
from frictionscan.manager import PluginSpec
from frictionscan.model import Hotspot
from frictionscan.session import Session


def c(h: Hotspot, name: str) -> float:
    return h.component(name) or 0.0


def sloc(h: Hotspot) -> float:
    return max(h.analysis.value("radon.sloc") or h.analysis.file.size / 40.0, 10.0)


HOTSPOT = {
    "H0 default: change x complexity x (1+findings) x focus": lambda h: h.score,
    "H1 without findings": lambda h: c(h, "change") * c(h, "complexity") * c(h, "focus"),
    "H2 log revisions x log lines": lambda h: math.log2(1 + h.analysis.history.revisions)
    * math.log2(1 + sloc(h)),
    "H3 recency x complexity (no logs)": lambda h: h.analysis.history.recency
    * (h.analysis.value("radon.cc_total") or 0),
    "H4 default x log2(1 + authors)": lambda h: h.score
    * math.log2(1 + len(h.analysis.history.authors)),
    "H5 default x (1 + log2(1 + prior fixes))": lambda h: h.score
    * (1 + math.log2(1 + h.analysis.history.fixes)),
    "H6 change x log2(1 + lines) (size for complexity)": lambda h: c(h, "change")
    * math.log2(1 + sloc(h)) * c(h, "focus"),
    "H7 change x (complexity + log2(1 + lines))": lambda h: c(h, "change")
    * (c(h, "complexity") + math.log2(1 + sloc(h))) * c(h, "focus"),
    "H8 default, ties (score 0) by complexity": lambda h: h.score
    + 1e-6 * c(h, "complexity"),
    "H9 default, ties (score 0) by lines": lambda h: h.score + 1e-6 * math.log2(1 + sloc(h)),
    "H10 default x log2(1 + lines)": lambda h: h.score * math.log2(1 + sloc(h)),
    "H11 default x sqrt(log2(1 + lines))": lambda h: h.score * math.sqrt(math.log2(1 + sloc(h))),
    "H12 change x log2(1 + cc + lines / 10) x focus": lambda h: c(h, "change") * math.log2(
        1 + (h.analysis.value("radon.cc_total") or 0) + sloc(h) / 10) * c(h, "focus"),
    "H13 change x complexity^2 x focus": lambda h: c(h, "change") * c(h, "complexity") ** 2
    * c(h, "focus"),
    "H14 sqrt(change) x complexity x focus": lambda h: math.sqrt(c(h, "change"))
    * c(h, "complexity") * c(h, "focus"),
    "H15 (1 + change) x complexity x focus": lambda h: (1 + c(h, "change"))
    * c(h, "complexity") * c(h, "focus"),
    "H16 change x log2(1 + cc_max) x focus": lambda h: c(h, "change")
    * math.log2(1 + (h.analysis.value("radon.cc_max") or 0)) * c(h, "focus"),
    "H17 change x log2(1 + functions) x focus": lambda h: c(h, "change")
    * math.log2(1 + (h.analysis.value("radon.functions") or 0)) * c(h, "focus"),
    "H18 log2(1 + lines changed) x complexity x focus": lambda h: math.log2(
        1 + h.analysis.history.added + h.analysis.history.deleted) * c(h, "complexity")
    * c(h, "focus"),
}


def _percentiles(values: dict[str, float]) -> dict[str, float]:
    order = sorted(values, key=lambda p: values[p])
    return {p: i / max(len(order) - 1, 1) for i, p in enumerate(order)}


def co_changes(root: Path, sha: str, since: datetime) -> dict[str, tuple[int, int]]:
    """Per Python file, over the window before the cut: how many other files changed in the
    same commits (distinct), and in how many commits it changed with no other Python file."""
    out = subprocess.run(["git", "log", "--no-renames", "--name-only", "--format=%x01",
                          f"--since={since.isoformat()}", sha, "--", "*.py"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    partners: dict[str, set[str]] = {}
    alone: dict[str, int] = {}
    for block in out.split("\x01"):
        files = [f for f in block.split("\n") if f.endswith(".py")]
        if len(files) > 30:  # mass edits say nothing about coupling
            continue
        for f in files:
            partners.setdefault(f, set()).update(files)
            if len(files) == 1:
                alone[f] = alone.get(f, 0) + 1
    return {f: (len(p) - 1, alone.get(f, 0)) for f, p in partners.items()}


COUPLING: dict[str, dict[str, tuple[int, int]]] = {}


def coupling(h: Hotspot) -> tuple[int, int]:
    return COUPLING["current"].get(h.path, (0, 0))


HOTSPOT_COUPLED = {
    "H21 default x log2(2 + co-changed files)": lambda h: h.score
    * math.log2(2 + coupling(h)[0]),
    "H22 change x complexity x (1 + log2(1 + co-changed)) / 2": lambda h: h.score
    * (1 + math.log2(1 + coupling(h)[0])),
    "H23 default x (1 + solo changes / revisions)": lambda h: h.score
    * (1 + coupling(h)[1] / max(h.analysis.history.revisions, 1)),
}


#: Variants computed over the whole set (rank fusion).
HOTSPOT_SET = {
    "H19 mean percentile of default and lines": lambda hs: (lambda a, b: {
        p: a[p] + b[p] for p in a})(_percentiles({h.path: h.score for h in hs}),
                                    _percentiles({h.path: sloc(h) for h in hs})),
    "H20 mean percentile of default and revisions": lambda hs: (lambda a, b: {
        p: a[p] + b[p] for p in a})(_percentiles({h.path: h.score for h in hs}),
                                    _percentiles({h.path: h.analysis.history.revisions
                                                  for h in hs})),
}
EFFORT = {
    "E0 default: score / lines": lambda h: h.score / sloc(h),
    "E1 score / sqrt(lines)": lambda h: h.score / math.sqrt(sloc(h)),
    "E2 recency / lines": lambda h: h.analysis.history.recency / sloc(h),
    "E3 (revisions + fixes) / lines": lambda h: (h.analysis.history.revisions
                                                 + h.analysis.history.fixes) / sloc(h),
    "E4 change / lines": lambda h: c(h, "change") / sloc(h),
    "E5 score x (1 + prior fixes) / lines": lambda h: h.score
    * (1 + h.analysis.history.fixes) / sloc(h),
    "E6 (score + revisions) / lines": lambda h: (h.score + h.analysis.history.revisions)
    / sloc(h),
    "E7 score / lines ** 0.75": lambda h: h.score / sloc(h) ** 0.75,
    "E8 (1 + prior fixes) x change / lines": lambda h: (1 + h.analysis.history.fixes)
    * c(h, "change") / sloc(h),
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--cuts", type=int, default=3)
    ap.add_argument("--horizon", default="12 months")
    ap.add_argument("--grid", action="store_true",
                    help="instead: the --calibrate grid on every project, and its mean")
    args = ap.parse_args()
    if args.grid:
        grid_means(args)
        return
    amount, unit = parse_duration(args.horizon)
    for root in args.paths:
        root = root.resolve()
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root)
        head = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct")),
                                      tz=timezone.utc)
        results: dict[str, list[dict[str, float]]] = {}
        for i in range(args.cuts):
            sha = git(root, "rev-list", "-1",
                      f"--before={subtract(head, 12 + 3 * i, 'months').isoformat()}", "HEAD")
            cut = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct", sha)),
                                         tz=timezone.utc)
            result = session.scan(replace(config, revision=sha))
            labels = bt.label(session.hooks.commits_after(root, sha,
                                                          subtract(cut, -amount, unit), config),
                              {h.path for h in result.hotspots},
                              str(config.getoption("git.fix_pattern")))
            loc = {h.path: sloc(h) for h in result.hotspots}
            for name, f in {**HOTSPOT, **EFFORT}.items():
                values = {h.path: f(h) for h in result.hotspots}
                results.setdefault(name, []).append(bt.evaluate(values, labels.touches, loc))
            COUPLING["current"] = co_changes(root, sha, subtract(cut, 12, "months"))
            for name, f in HOTSPOT_COUPLED.items():
                values = {h.path: f(h) for h in result.hotspots}
                results.setdefault(name, []).append(bt.evaluate(values, labels.touches, loc))
            for name, g in HOTSPOT_SET.items():
                results.setdefault(name, []).append(
                    bt.evaluate(g(result.hotspots), labels.touches, loc))
        print(f"== {root.name}")
        for name, runs in results.items():
            mean = {m: bt.mean([r[m] for r in runs]) for m in bt.METRICS}
            print(f"  {name:<58} files {mean['top20_files']:6.1%}  lines "
                  f"{mean['top20_loc']:6.1%}  Popt {mean['popt']:.3f}")


def grid_means(args: argparse.Namespace) -> None:
    """``backtest --calibrate``'s grid on each project (same cuts), then the mean of each
    combination over the projects: which default would a calibration across them choose?"""
    from frictionscan.calibrate import combinations, evaluate

    amount, unit = parse_duration(args.horizon)
    table: dict[tuple[tuple[str, float], ...], list[tuple[float, float, float]]] = {}
    for root in args.paths:
        root = root.resolve()
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root)
        head = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct")),
                                      tz=timezone.utc)
        cuts = []
        for i in range(args.cuts):
            sha = git(root, "rev-list", "-1",
                      f"--before={subtract(head, 12 + 3 * i, 'months').isoformat()}", "HEAD")
            cut = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct", sha)),
                                         tz=timezone.utc)
            result = session.scan(replace(config, revision=sha))
            labels = bt.label(session.hooks.commits_after(root, sha,
                                                          subtract(cut, -amount, unit), config),
                              {h.path for h in result.hotspots},
                              str(config.getoption("git.fix_pattern")))
            cuts.append((result, labels))
        print(f"== {root.name}")
        for values in combinations(session.hooks.calibration_options(config)):
            c = evaluate(session.hooks, config, cuts, values)
            table.setdefault(c.values, []).append((c.top20_files, c.top20_loc, c.popt))
            print(f"  {dict(c.values)}  files {c.top20_files:6.1%}  lines {c.top20_loc:6.1%}"
                  f"  Popt {c.popt:.3f}")
    print(f"== mean of {len(args.paths)}")
    rows = sorted(table.items(), key=lambda kv: -sum(f + lo for f, lo, _ in kv[1]))
    for values, runs in rows:
        f, lo, p = (bt.mean([r[i] for r in runs]) for i in range(3))
        print(f"  {dict(values)}  files {f:6.1%}  lines {lo:6.1%}  Popt {p:.3f}  "
              f"sum {f + lo:6.1%}")


if __name__ == "__main__":
    main()
