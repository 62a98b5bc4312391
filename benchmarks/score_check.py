"""A quick look-back check of the default score, with a checkout in a temporary clone.

`frictionscan backtest` is the supported tool (it reads the past from git objects and reports
more metrics); this script produced the first figures in docs/scoring.md and is kept so they
can be reproduced.

Usage::

    python benchmarks/score_check.py PATH [--months-ago 12] [--horizon-months 12]

Clones the repository at PATH into a temporary directory (the original is never touched),
checks out the last commit at least ``--months-ago`` months before HEAD, scans it with the
default configuration, and then counts, for every file of that scan, the bug-fix commits (the
git plugin's subject heuristic) that touched it in the following ``--horizon-months``. It prints,
for the default score and for single-signal baselines, the share of fix touches that land in
the top 20% of files of each ranking, and Spearman's rank correlation with the fix counts.
docs/scoring.md reports its figures.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.core.durations import subtract
from frictionscan.core.fixes import DEFAULT_FIX_PATTERN
from frictionscan.core.model import Hotspot
from frictionscan.testing import run_scan
from frictionscan.views.backtest import capture, spearman


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True, errors="surrogateescape").stdout


def fix_touches(root: Path, start: datetime, end: datetime) -> Counter[str]:
    out = git(root, "log", "--no-merges", "-M", "--name-only", "--format=\x1e%s",
              f"--since={start.isoformat()}", f"--until={end.isoformat()}", "HEAD")
    pattern = re.compile(DEFAULT_FIX_PATTERN, re.IGNORECASE)
    counts: Counter[str] = Counter()
    for block in out.split("\x1e")[1:]:
        subject, _, names = block.partition("\n")
        if pattern.search(subject):
            counts.update({n for n in names.split("\n") if n.endswith(".py")})
    return counts


def signal(h: Hotspot, name: str) -> float:
    a = h.analysis
    hist = a.history
    cc = a.value("radon.cc_total")
    sloc = a.value("radon.sloc") or 0.0
    values = {
        "frictionscan score": h.score,
        "revisions": hist.revisions,
        "recency-weighted revisions": hist.recency,
        "churn (lines added+deleted)": hist.added + hist.deleted,
        "prior bug fixes": hist.fixes,
        "lines of code": sloc,
        "cyclomatic complexity": cc or 0.0,
        "revisions x complexity": hist.revisions * (cc or 0.0),
        "score without findings/focus": (h.component("change") or 0)
        * (h.component("complexity") or 0),
    }
    return float(values[name])


SIGNALS = ["frictionscan score", "score without findings/focus", "revisions",
           "recency-weighted revisions", "churn (lines added+deleted)", "prior bug fixes",
           "lines of code", "cyclomatic complexity", "revisions x complexity"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--months-ago", type=int, default=12)
    ap.add_argument("--horizon-months", type=int, default=12)
    args = ap.parse_args()
    src = Path(args.path).resolve()
    head = datetime.fromtimestamp(int(git(src, "log", "-1", "--format=%ct")), tz=timezone.utc)
    cut_time = subtract(head, args.months_ago, "months")
    horizon = min(head, subtract(cut_time, -args.horizon_months, "months"))
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(src), str(clone)], check=True)
        cut = git(clone, "rev-list", "-1", f"--before={cut_time.isoformat()}", "HEAD").strip()
        git(clone, "checkout", "-q", cut)
        result = run_scan(clone, in_process=False)
        git(clone, "checkout", "-q", "-")
        fixes = fix_touches(clone, cut_time, horizon)
    paths = [h.path for h in result.hotspots]
    print(f"{src.name}: cut {cut[:10]} ({cut_time.date()}), horizon to {horizon.date()}, "
          f"{len(paths)} files, {sum(fixes[p] for p in paths)} fix touches on "
          f"{sum(1 for p in paths if fixes[p])} files")
    print(f"  {'ranking':<32} {'top-20% capture':>15} {'spearman':>9}")
    for name in SIGNALS:
        by = {h.path: signal(h, name) for h in result.hotspots}
        order = sorted(paths, key=lambda p: (-by[p], p))
        rho = spearman([by[p] for p in paths], [float(fixes[p]) for p in paths])
        print(f"  {name:<32} {capture(order, fixes):>15.1%} {rho:>9.3f}")


if __name__ == "__main__":
    main()
