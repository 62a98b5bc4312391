"""What change coupling and knowledge (issue #15) cost on the history stage.

Usage::

    python benchmarks/bench_insights.py PATH [--since "12 months"] [--since "30 years"]
        [--repeat 5] [--compare-with /path/to/another/checkout]

For each window, best of ``--repeat`` runs, each in a fresh interpreter:

* **cold** (no cache): the history stage (one ``git log`` pass, parsed and folded, now also
  keeping the window's commits) and the repository-level analyses (``seconds_repository``),
  with the *coupling* and *people* plugins loaded, and with both blocked;
* **warm** (the cache filled by a first run): the same two stages;
* with ``--compare-with DIR``, the history stage of the frictionscan checkout in ``DIR``
  (say, ``git worktree add /tmp/main main``), which keeps no commits: the cost of keeping
  them.

The cost of the analyses is the repository stage plus whatever the history stage gained
over the other checkout, as a share of that checkout's history stage (and, warm, of the
whole warm scan: a warm history stage takes milliseconds). The per-file phase is left out
(radon and libcst are blocked): it does not depend on these analyses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FILE_PHASE = ("radon", "libcst")
ANALYSES = ("coupling", "people")


def worker(root: str, since: str, blocked: list[str], cache_dir: str | None) -> None:
    """One scan in this interpreter; prints its stage timings as JSON."""
    from frictionscan.core.run import Run
    from frictionscan.engine.session import Session
    from frictionscan.plugin.manager import PluginSpec

    session = Session.start(PluginSpec(blocked=tuple(blocked), autoload=False))
    overrides: dict[str, object] = {"since": since, "cache": cache_dir is not None}
    if cache_dir is not None:
        overrides["cache_dir"] = cache_dir
    config = session.configure(Path(root), overrides=overrides)
    result = session.scan(config, Run(), in_process=True)
    stats = dict(result.stats)
    insights = getattr(result, "insights", None)
    print(json.dumps({"history": stats.get("seconds_history", 0.0),
                      "repository": stats.get("seconds_repository", 0.0),
                      "total": sum(v for k, v in stats.items() if k.startswith("seconds_")),
                      "commits": stats["commits_in_window"],
                      "files": stats["files"],
                      "pairs": sum(len(c.coupled) for c in insights.coupling) // 2
                      if insights is not None else None}))


def measure(root: Path, since: str, blocked: list[str], *, warm: bool, repeat: int,
            checkout: Path | None = None) -> dict[str, float]:
    env = dict(os.environ)
    if checkout is not None:  # another frictionscan: its package and its plugins first
        env["PYTHONPATH"] = os.pathsep.join([str(checkout), str(checkout / "plugins")])
    script = Path(__file__).resolve()
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        def once() -> dict[str, float]:
            args = [sys.executable, str(script), "--worker", str(root), "--since", since,
                    "--cache-dir", cache if warm else "", *[f"--block={b}" for b in blocked]]
            proc = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
            return dict(json.loads(proc.stdout.strip().splitlines()[-1]))

        if warm:
            once()  # fills the cache
        for _ in range(repeat):
            run = once()
            if not best or run["history"] + run["repository"] < \
                    best["history"] + best["repository"]:
                best = run
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--since", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--compare-with", type=Path, default=None)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cache-dir", default="", help=argparse.SUPPRESS)
    ap.add_argument("--block", action="append", default=[], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(str(args.path), args.since[0], args.block, args.cache_dir or None)
        return
    root = args.path.resolve()
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    print(f"{root.name}: best of {args.repeat}, load average {' '.join(load)}")
    for since in args.since or ["12 months"]:
        for warm in (False, True):
            on = measure(root, since, list(FILE_PHASE), warm=warm, repeat=args.repeat)
            off = measure(root, since, [*FILE_PHASE, *ANALYSES], warm=warm,
                          repeat=args.repeat)
            label = "warm" if warm else "cold"
            print(f"  since {since}, {label}: {on['commits']} commits in the window, "
                  f"{on['files']} files, {on['pairs']} coupled pairs")
            print(f"    history stage {on['history']:.3f} s, analyses "
                  f"{on['repository']:.3f} s (whole scan {on['total']:.3f} s); with coupling "
                  f"and people blocked {off['history']:.3f} s + {off['repository']:.3f} s "
                  f"(whole scan {off['total']:.3f} s)")
            base = off["history"]
            if args.compare_with is not None:
                other = measure(root, since, list(FILE_PHASE), warm=warm, repeat=args.repeat,
                                checkout=args.compare_with.resolve())
                base = other["history"]
                print(f"    history stage of {args.compare_with}: {base:.3f} s (whole scan "
                      f"{other['total']:.3f} s)")
            cost = on["history"] + on["repository"] - base
            print(f"    cost of coupling and knowledge: {cost:+.3f} s = "
                  f"{cost / base:+.1%} of the history stage"
                  + (f", {cost / off['total']:+.1%} of the whole warm scan" if warm else ""))


if __name__ == "__main__":
    main()
