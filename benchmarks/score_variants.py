"""Try score variants against the backtest (the experiments recorded in docs/scoring.md).

Usage::

    python benchmarks/score_variants.py PATH [PATH...] [--cuts 3] [--horizon "12 months"]
    python benchmarks/score_variants.py --grid PATH [PATH...]   # the --calibrate grid
    python benchmarks/score_variants.py --insights PATH [PATH...]  # coupling and knowledge

For each repository and cut, the code is ranked once at the cut (as ``frictionscan
backtest`` does); every variant below is then computed from the same signals and judged by
the backtest metrics. Hotspot-order variants are judged by the share of fix touches in the
top 20% of files; effort-order variants by the top 20% of lines and Popt. Some variants read
more history than a scan does: files changed together (one ``git log --name-only``) and the
functions each commit changed (``git log -p -U0``, each changed blob parsed with radon).
"""

from __future__ import annotations

import argparse
import math
import subprocess
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.core.config import Config
from frictionscan.core.durations import parse_duration, subtract
from frictionscan.core.model import Hotspot, Insights, ScanResult
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec
from frictionscan.views import backtest as bt


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


def function_churn(root: Path, sha: str, since: datetime, now: datetime
                   ) -> dict[str, tuple[float, float, int]]:
    """Per Python file, over the window before the cut, from the diffs: the complexity of the
    functions each commit changed (summed over commits, and recency-weighted as git.recency
    is), and how many distinct functions changed. A hunk belongs to the innermost function
    whose lines (in the commit's version of the file) it touches."""
    import ast
    import re
    import warnings

    from radon.visitors import ComplexityVisitor

    out = subprocess.run(["git", "log", "--no-renames", "--no-merges", "-p", "-U0",
                          "--format=%x01%H %ct", f"--since={since.isoformat()}", sha,
                          "--", "*.py"], cwd=root, capture_output=True, check=True).stdout
    cat = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE)
    assert cat.stdin is not None and cat.stdout is not None

    def content(rev: str, path: str) -> bytes:
        assert cat.stdin is not None and cat.stdout is not None
        cat.stdin.write(f"{rev}:{path}\n".encode())
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 3:
            return b""
        data = cat.stdout.read(int(header[2]))
        cat.stdout.readline()
        return data

    def functions(source: bytes) -> list[tuple[int, int, str, int]]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                visitor = ComplexityVisitor.from_ast(ast.parse(source))
        except (SyntaxError, ValueError, RecursionError):
            return []
        spans = []
        stack = list(visitor.functions + visitor.classes)
        while stack:
            block = stack.pop()
            if hasattr(block, "methods"):
                stack.extend(block.methods + block.inner_classes)
                continue
            spans.append((block.lineno, block.endline, block.name, block.complexity))
            stack.extend(getattr(block, "closures", []))
        return spans

    hunk = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)
    cc_sum: dict[str, float] = {}
    cc_recent: dict[str, float] = {}
    names: dict[str, set[str]] = {}
    for block in out.split(b"\x01")[1:]:
        head, _, body = block.partition(b"\n")
        rev, ts = head.decode().split()
        age = (now.timestamp() - int(ts)) / 86400
        weight = 0.5 ** (age / 90)
        files = body.split(b"\ndiff --git ")
        if len(files) > 30:
            continue
        for diff in files:
            m = re.search(rb"^\+\+\+ b/(.+)$", diff, re.M)
            if not m or not m.group(1).endswith(b".py"):
                continue
            path = m.group(1).decode("utf-8", "replace")
            ranges = [(int(a), int(b) if b else 1) for a, b in hunk.findall(diff)]
            spans = functions(content(rev, path))
            touched: dict[str, int] = {}
            for start, count in ranges:
                end = start + max(count, 1) - 1
                inner = [s for s in spans if s[0] <= end and s[1] >= start]
                if inner:
                    best = min(inner, key=lambda s: s[1] - s[0])
                    touched[f"{best[2]}@{best[0]}"] = best[3]
            total = sum(touched.values())
            cc_sum[path] = cc_sum.get(path, 0) + total
            cc_recent[path] = cc_recent.get(path, 0) + weight * total
            names.setdefault(path, set()).update(n.split("@")[0] for n in touched)
    cat.stdin.close()
    cat.wait()
    return {p: (cc_sum[p], cc_recent[p], len(names.get(p, ()))) for p in cc_sum}


FUNCTION_CHURN: dict[str, dict[str, tuple[float, float, int]]] = {}


def fchurn(h: Hotspot) -> tuple[float, float, int]:
    return FUNCTION_CHURN["current"].get(h.path, (0.0, 0.0, 0))


HOTSPOT_FUNCTIONS = {
    "H24 log2(1 + recency-weighted complexity of changed functions) x focus": lambda h:
    math.log2(1 + fchurn(h)[1]) * c(h, "focus"),
    "H25 change x log2(1 + recency-weighted cc of changed functions) x focus": lambda h:
    c(h, "change") * math.log2(1 + fchurn(h)[1]) * c(h, "focus"),
    "H26 default x log2(2 + distinct functions changed)": lambda h: h.score
    * math.log2(2 + fchurn(h)[2]),
    "H27 log2(1 + complexity of changed functions) x focus": lambda h:
    math.log2(1 + fchurn(h)[0]) * c(h, "focus"),
    "H28 default x (1 + log2(1 + recency-weighted cc of changed functions))": lambda h:
    h.score * (1 + math.log2(1 + fchurn(h)[1])),
}


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


INSIGHTS: dict[str, Insights] = {}


def max_degree(h: Hotspot) -> float:
    """The file's strongest coupling degree (the scan's coupling plugin, at the cut)."""
    c = INSIGHTS["current"].coupling_of(h.path)
    return max((x.degree for x in c.coupled), default=0.0) if c is not None else 0.0


def coupled_files(h: Hotspot) -> int:
    c = INSIGHTS["current"].coupling_of(h.path)
    return len(c.coupled) if c is not None else 0


def at_risk(h: Hotspot) -> float:
    k = INSIGHTS["current"].knowledge_of(h.path)
    return k.at_risk if k is not None else 0.0


def active_authors(h: Hotspot) -> int:
    k = INSIGHTS["current"].knowledge_of(h.path)
    return sum(a.active for a in k.authors) if k is not None else 0


#: Issue #15's signals, from the scan's own repository-level analyses at each cut; each in
#: both orders (the effort order divides by lines, as E0 does).
HOTSPOT_INSIGHTS = {
    "H29 default x (1 + strongest coupling degree)": lambda h: h.score * (1 + max_degree(h)),
    "H30 default x log2(2 + coupled files)": lambda h: h.score
    * math.log2(2 + coupled_files(h)),
    "H31 default x (1 + knowledge at risk)": lambda h: h.score * (1 + at_risk(h)),
    "H32 default x log2(2 + active authors)": lambda h: h.score
    * math.log2(2 + active_authors(h)),
}
EFFORT_INSIGHTS = {
    "E9 E0 x (1 + strongest coupling degree)": lambda h: h.score * (1 + max_degree(h))
    / sloc(h),
    "E10 E0 x log2(2 + coupled files)": lambda h: h.score * math.log2(2 + coupled_files(h))
    / sloc(h),
    "E11 E0 x (1 + knowledge at risk)": lambda h: h.score * (1 + at_risk(h)) / sloc(h),
    "E12 E0 x log2(2 + active authors)": lambda h: h.score
    * math.log2(2 + active_authors(h)) / sloc(h),
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


def ranked_cuts(root: Path, session: Session, config: Config, cuts: int, horizon: str
                ) -> Iterator[tuple[str, datetime, ScanResult, bt.Labels]]:
    """The cuts ``frictionscan backtest --cuts`` takes (12, 15, 18... months before HEAD),
    each ranked as it stood, with the fixes of the horizon after it."""
    amount, unit = parse_duration(horizon)
    head = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct")), tz=timezone.utc)
    for i in range(cuts):
        sha = git(root, "rev-list", "-1",
                  f"--before={subtract(head, 12 + 3 * i, 'months').isoformat()}", "HEAD")
        cut = datetime.fromtimestamp(int(git(root, "log", "-1", "--format=%ct", sha)),
                                     tz=timezone.utc)
        result = session.scan(config, Run(revision=sha))
        labels = bt.label(session.hooks.commits_after(root, sha, subtract(cut, -amount, unit),
                                                      config),
                          {h.path for h in result.hotspots},
                          str(config.getoption("git.fix_pattern")))
        yield sha, cut, result, labels


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--cuts", type=int, default=3)
    ap.add_argument("--horizon", default="12 months")
    ap.add_argument("--grid", action="store_true",
                    help="instead: the --calibrate grid on every project, and its mean")
    ap.add_argument("--insights", action="store_true",
                    help="instead: the defaults and issue #15's coupling and knowledge "
                         "variants, per project and their mean")
    args = ap.parse_args()
    if args.grid:
        grid_means(args)
        return
    if args.insights:
        insight_means(args)
        return
    for root in args.paths:
        root = root.resolve()
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root)
        results: dict[str, list[dict[str, float]]] = {}
        for sha, cut, result, labels in ranked_cuts(root, session, config, args.cuts,
                                                    args.horizon):
            loc = {h.path: sloc(h) for h in result.hotspots}
            for name, f in {**HOTSPOT, **EFFORT}.items():
                values = {h.path: f(h) for h in result.hotspots}
                results.setdefault(name, []).append(bt.evaluate(values, labels.touches, loc))
            COUPLING["current"] = co_changes(root, sha, subtract(cut, 12, "months"))
            FUNCTION_CHURN["current"] = function_churn(root, sha, subtract(cut, 12, "months"),
                                                       cut)
            for name, f in HOTSPOT_FUNCTIONS.items():
                values = {h.path: f(h) for h in result.hotspots}
                results.setdefault(name, []).append(bt.evaluate(values, labels.touches, loc))
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
    from frictionscan.views.calibrate import combinations, evaluate

    table: dict[tuple[tuple[str, float], ...], list[tuple[float, float, float]]] = {}
    for root in args.paths:
        root = root.resolve()
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root)
        cuts = [(result, labels) for _, _, result, labels
                in ranked_cuts(root, session, config, args.cuts, args.horizon)]
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


def insight_means(args: argparse.Namespace) -> None:
    """H0/E0 and the coupling and knowledge variants on each project (the same cuts), then
    their means over the projects."""
    variants = {"H0 default": lambda h: h.score, **HOTSPOT_INSIGHTS,
                "E0 default: score / lines": lambda h: h.score / sloc(h), **EFFORT_INSIGHTS}
    table: dict[str, list[dict[str, float]]] = {}
    for root in args.paths:
        root = root.resolve()
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root)
        results: dict[str, list[dict[str, float]]] = {}
        fixes = 0
        for _, _, result, labels in ranked_cuts(root, session, config, args.cuts,
                                                args.horizon):
            fixes += labels.fix_commits
            INSIGHTS["current"] = result.insights
            loc = {h.path: sloc(h) for h in result.hotspots}
            for name, f in variants.items():
                values = {h.path: f(h) for h in result.hotspots}
                results.setdefault(name, []).append(bt.evaluate(values, labels.touches, loc))
        print(f"== {root.name} ({fixes} fix commits over {args.cuts} cuts)")
        for name, runs in results.items():
            mean = {m: bt.mean([r[m] for r in runs]) for m in bt.METRICS}
            table.setdefault(name, []).append(mean)
            print(f"  {name:<48} files {mean['top20_files']:6.1%}  lines "
                  f"{mean['top20_loc']:6.1%}  Popt {mean['popt']:.3f}")
    print(f"== mean of {len(args.paths)}")
    for name, means in table.items():
        f, lo, p = (bt.mean([m[k] for m in means]) for k in ("top20_files", "top20_loc", "popt"))
        print(f"  {name:<48} files {f:6.1%}  lines {lo:6.1%}  Popt {p:.3f}")


if __name__ == "__main__":
    main()
