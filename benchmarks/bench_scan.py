"""Benchmark a scan of one repository and compare its history stage with raw git.

Usage::

    python benchmarks/bench_scan.py PATH [--since "12 months"] [--jobs N] [--repeat 3]

Prints, for the repository at PATH:

* the time of the raw ``git log -M --numstat -z`` over the same window (output discarded):
  the floor for any tool that reads churn with line counts;
* the time of the raw name-only pass over older history (``--name-status``), which
  frictionscan runs for file ages;
* frictionscan's history stage (both passes, parsed and folded) and its ratio to the raw git
  commands;
* every phase of a full scan and the total, best of ``--repeat`` runs.

It runs the real pipeline through the public API and changes nothing in the repository.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from frictionscan.core.durations import resolve_point
from frictionscan.engine.session import Session, find_root
from frictionscan.plugin.manager import PluginSpec


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def raw_git(root: Path, *args: str) -> float:
    return timed(lambda: subprocess.run(["git", "log", *args], cwd=root, check=True,
                                        stdout=subprocess.DEVNULL))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--since", default="12 months")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = find_root(Path(args.path))
    head_ts = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, check=True,
                                 capture_output=True, text=True).stdout)
    from datetime import datetime, timezone

    now = datetime.fromtimestamp(head_ts, tz=timezone.utc)
    since = resolve_point(args.since, now)
    until = since - timedelta(seconds=1)
    fmt = "--format=%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%ct%x1f%s"
    spec = "*.py"  # what the git plugin passes for the default include
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
    window_commits = subprocess.run(["git", "rev-list", "--count", f"--since={since.isoformat()}",
                                     "HEAD"], cwd=root, check=True, capture_output=True,
                                    text=True).stdout.strip()

    raw_window, raw_older, history, totals = [], [], [], []
    phases: dict[str, list[float]] = {}
    result = None
    for _ in range(args.repeat):
        raw_window.append(raw_git(root, "-z", "-M", fmt, "--numstat",
                                  f"--since={since.isoformat()}", "HEAD", "--", spec))
        raw_older.append(raw_git(root, "-z", "-M", fmt, "--name-status",
                                 f"--until={until.isoformat()}", "HEAD", "--", spec))
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(root, overrides={"since": args.since, "jobs": args.jobs})
        t0 = time.perf_counter()
        result = session.scan(config)
        totals.append(time.perf_counter() - t0)
        history.append(result.stat("seconds_history"))
        for k, v in result.stats:
            if k.startswith("seconds_"):
                phases.setdefault(k.removeprefix("seconds_"), []).append(v)

    best = min
    assert result is not None
    print(f"repository      {root}")
    print(f"commits         {commits} in all, {window_commits} since {since.date()} "
          f"({args.since} before HEAD)")
    print(f"python files    {result.stat('files')} analysed")
    print(f"runs            best of {args.repeat}")
    print(f"raw git log --numstat (window)      {best(raw_window):7.3f} s")
    print(f"raw git log --name-status (older)   {best(raw_older):7.3f} s")
    raw = best(raw_window) + best(raw_older)
    print(f"frictionscan history stage          {best(history):7.3f} s   "
          f"= {best(history) / raw:.2f}x raw git (both passes), "
          f"{best(history) / best(raw_window):.2f}x the window pass alone")
    for k, v in phases.items():
        print(f"  phase {k:<10}                  {best(v):7.3f} s")
    print(f"frictionscan total scan             {best(totals):7.3f} s   "
          f"= {best(totals) / best(raw_window):.1f}x raw git log --numstat "
          f"(median {statistics.median(totals):.3f} s)")


if __name__ == "__main__":
    sys.exit(main())
