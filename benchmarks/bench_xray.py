"""What the X-ray (function-level hotspots, #14) costs, and how well it agrees with the
brute-force reference (docs/performance.md, docs/scoring.md).

Usage::

    python benchmarks/bench_xray.py --repo PATH [--repeat 3] [--agreement 10]

The repository is cloned to a temporary directory (the original is never touched). Each
scan is a separate process doing what ``frictionscan scan --format json --top 25`` does
(the terminal table's 25 files), start-up included, with the X-ray asked for or not
(``Run.xray``: the same plugins, so both share the cache). Printed, medians of
``--repeat`` rounds:

* cold scan (empty cache) without and with the X-ray, and the share the X-ray adds;
* warm scan (nothing changed) without and with it, and the difference;
* the X-ray's own time in the cold and warm scans (``seconds_xray``);
* ``explain`` of the top file, warm (its X-ray cached);
* with ``--agreement N``: for the first N files, the (function, commit) pairs of the hunk
  walk against the brute-force reference (every version parsed): precision, recall,
  functions whose commits agree exactly.

Run it under the benchmark lock, and report the load average printed with the figures::

    flock /work/wt/bench.lock python benchmarks/bench_xray.py --repo /path/to/sphinx
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = [sys.executable, "-m", "frictionscan"]


def one_scan(repo: Path, xray: bool) -> None:
    """``frictionscan scan --format json --top 25``, with or without the X-ray."""
    import io

    from frictionscan.cli.output import write_report
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec

    session = Session.start(PluginSpec())
    config = session.configure(repo, overrides={"top": 25})
    result = session.scan(config, Run(reach=25, xray=xray))
    out = io.StringIO()
    write_report(result, session.hooks.formatters("scan"), config, "json", None, out)
    sys.stdout.write(out.getvalue())


def scan(repo: Path, xray: bool = True) -> tuple[float, dict]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--scan", str(repo)]
                         + ([] if xray else ["--plain"]), capture_output=True, text=True,
                         check=True).stdout
    return time.perf_counter() - started, json.loads(out)


def timed(*command: str) -> float:
    started = time.perf_counter()
    subprocess.run(list(command), capture_output=True, check=True)
    return time.perf_counter() - started


def clear(repo: Path) -> None:
    shutil.rmtree(repo / ".frictionscan", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--scan", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--agreement", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.scan:
        return one_scan(args.scan, not args.plain)
    if args.repo is None:
        parser.error("--repo is required")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(args.repo), str(repo)], check=True)
        files = len(subprocess.run(["git", "ls-files", "*.py"], cwd=repo, capture_output=True,
                                   text=True).stdout.split())
        commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo,
                                 capture_output=True, text=True).stdout.strip()
        print(f"{args.repo}: {files} Python files, {commits} commits; load average "
              f"{Path('/proc/loadavg').read_text().split()[:3]}")
        rows: dict[str, list[float]] = {k: [] for k in (
            "cold without", "cold with", "xray cold", "warm without", "warm with",
            "xray warm", "explain warm")}
        top = ""
        for _ in range(args.repeat):
            clear(repo)
            t, _doc = scan(repo, xray=False)
            rows["cold without"].append(t)
            clear(repo)
            t, doc = scan(repo)
            rows["cold with"].append(t)
            rows["xray cold"].append(doc["stats"]["seconds_xray"])
            top = doc["hotspots"][0]["path"]
            t, _doc = scan(repo, xray=False)
            rows["warm without"].append(t)
            t, doc = scan(repo)
            rows["warm with"].append(t)
            rows["xray warm"].append(doc["stats"]["seconds_xray"])
            subprocess.run([*EXE, "explain", str(repo / top)], capture_output=True,
                           check=True)
            rows["explain warm"].append(timed(*EXE, "explain", str(repo / top)))
        med = {k: statistics.median(v) for k, v in rows.items()}
        print(f"cold scan: without X-ray {med['cold without']:.2f}s, with "
              f"{med['cold with']:.2f}s: +{(med['cold with'] / med['cold without'] - 1):.1%}"
              f" (the X-ray itself {med['xray cold']:.3f}s, "
              f"{med['xray cold'] / med['cold without']:.1%} of the scan without)")
        print(f"warm scan: without X-ray {med['warm without']:.3f}s, with "
              f"{med['warm with']:.3f}s: +{med['warm with'] - med['warm without']:.3f}s "
              f"(the X-ray itself {med['xray warm']:.3f}s)")
        print(f"explain {top}, warm: {med['explain warm']:.3f}s")
        print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
        if args.agreement:
            agree(repo, args.agreement)


def agree(repo: Path, n: int) -> None:
    from frictionscan_functions.reference import agreement, by_name, reference_history

    from frictionscan.testing import run_scan

    os.environ.setdefault("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = run_scan(repo, xray=True, reach=n)
    totals = {"pairs": 0, "found": 0, "both": 0, "functions": 0, "functions_exact": 0}
    for h in result.hotspots[:n]:
        reference = reference_history(repo, h.path, since=result.since,
                                      former_paths=h.analysis.history.former_paths)
        mine = {name: set(f.commits) for name, f in by_name(h.functions or ()).items()}
        a = agreement(mine, reference)
        print(f"  {h.path}: {a['pairs']:.0f} pairs, precision {a['precision']:.3f}, recall "
              f"{a['recall']:.3f}, {a['functions_exact']:.0f} of {a['functions']:.0f} "
              f"functions exact")
        totals["pairs"] += int(a["pairs"])
        totals["found"] += int(a["found"])
        totals["both"] += round(a["precision"] * a["found"])
        totals["functions"] += int(a["functions"])
        totals["functions_exact"] += int(a["functions_exact"])
    print(f"agreement with the reference, first {n} files: {totals['pairs']} pairs, "
          f"precision {totals['both'] / max(1, totals['found']):.3f}, recall "
          f"{totals['both'] / max(1, totals['pairs']):.3f}, {totals['functions_exact']} of "
          f"{totals['functions']} functions exact")


if __name__ == "__main__":
    main()
