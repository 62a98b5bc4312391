"""Benchmark ``frictionscan trend`` against a cold scan of the same repository.

Usage::

    python benchmarks/bench_trend.py PATH [--points 12] [--repeat 3] [--jobs N]

Prints, for the repository at PATH (a clone with a work tree; nothing in it is changed but
the cache folder it uses, ``.frictionscan-bench/``):

* a cold ``frictionscan scan -f json`` (every file listed, so every file that changed in the
  window is checked) and a cold ``scan -f table`` (the first 25 files): the references;
* a cold ``frictionscan trend --every 1 month --last N months`` (N points, empty cache) and
  its ratio to the cold scans (the target: at most 3x);
* a warm trend (everything cached; the target: under 2 s);

each a separate process (start-up included), the median of ``--repeat`` interleaved rounds,
with the load average before and after (the machine is shared: compare the ratios, measured
side by side, rather than the seconds).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE = ".frictionscan-bench"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def timed(root: Path, args: list[str], cache: Path, cold: bool) -> tuple[float, float]:
    """Seconds one ``frictionscan`` process takes, and the processor seconds it and its
    workers used (less sensitive to other work on a shared machine), its cache emptied
    first if ``cold``."""
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    config = cache.parent / "bench-config.toml"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "frictionscan", *args, "-q", "--config",
                           str(config), str(root)], cwd=root, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"frictionscan {' '.join(args)} failed: {proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--points", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0)
    args = ap.parse_args()
    root = Path(args.path).resolve()
    with tempfile.TemporaryDirectory(prefix="frictionscan-bench-") as tmp:
        cache = Path(tmp) / "cache"
        # the repository's own configuration is not read: the defaults, and the cache here
        (Path(tmp) / "bench-config.toml").write_text(
            f'cache_dir = "{cache}"\njobs = {args.jobs}\n')
        trend = ["trend", "-f", "json", "--every", "1 month", "--last",
                 f"{args.points} months"]
        runs: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}

        def record(name: str, figures: tuple[float, float]) -> None:
            runs.setdefault(name, []).append(figures[0])
            cpu.setdefault(name, []).append(figures[1])

        print(f"repository  {root}")
        print(f"commits     {subprocess.check_output(['git', 'rev-list', '--count', 'HEAD'], cwd=root, text=True).strip()}")  # noqa: E501
        print(f"load before {loadavg()}  (cpus: {os.cpu_count()})")
        for _ in range(args.repeat):
            record("scan json, cold", timed(root, ["scan", "-f", "json"], cache, cold=True))
            record("scan table, cold", timed(root, ["scan", "-f", "table"], cache, cold=True))
            record("trend, cold", timed(root, trend, cache, cold=True))
            record("trend, warm", timed(root, trend, cache, cold=False))
        print(f"load after  {loadavg()}")
        med = {k: statistics.median(v) for k, v in runs.items()}
        mcpu = {k: statistics.median(v) for k, v in cpu.items()}
        print(f"{'':<20} {'wall':>9}   {'cpu':>9}   wall of each round")
        for name, values in runs.items():
            print(f"{name:<20} {med[name]:7.2f} s  {mcpu[name]:7.2f} s   "
                  f"{', '.join(f'{v:.2f}' for v in values)}")
        for ref in ("scan json, cold", "scan table, cold"):
            rounds = ", ".join(f"{t / s:.2f}" for t, s in zip(runs["trend, cold"], runs[ref]))
            print(f"trend cold / {ref:<17} {med['trend, cold'] / med[ref]:.2f}x wall "
                  f"(rounds: {rounds}), {mcpu['trend, cold'] / mcpu[ref]:.2f}x cpu")
        print(f"trend warm: {med['trend, warm']:.2f} s for {args.points} points")


if __name__ == "__main__":
    sys.exit(main())
