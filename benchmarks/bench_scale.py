"""Speed and memory at scale: cold, warm and incremental scans (docs/performance.md).

Usage::

    python benchmarks/bench_scale.py --repo PATH                  # a real repository
    python benchmarks/bench_scale.py --synthetic 50000 5000       # commits, Python files

The repository (or the synthetic one, built with ``git fast-import`` in a temporary
directory: a few files change very often, most rarely) is cloned to a temporary directory,
so the original is never touched. The script prints, measured in one run:

* raw ``git log --numstat`` over the window, frictionscan's history stage (run on its own,
  GitPython already imported: importing it is start-up), medians of five interleaved runs,
  and their ratio; and
  the history stage inside the cold scan, where the workers start alongside it;
* bare ``ast.parse`` of every file, and the cold per-file stage and its ratio to that;
* bare ``libcst.parse_module`` of every file split over the cores (libcst imported
  beforehand), and the cold total's ratio to raw git log plus that (the issue's cold target);
* for two reports, each run as a separate ``frictionscan scan`` process (start-up included;
  medians of ``--repeat`` rounds, default 3):

  - ``--format json`` lists every file, so every file that changed in the window is checked
    for findings: cold total (empty cache), the same with ``--all-findings``, warm total
    (nothing changed), incremental total (one new commit changing one file);
  - ``--format table``, what ``frictionscan scan`` shows on a terminal (the first 25
    files): only the files whose findings could bring them there are checked (docs/
    performance.md): cold, warm, incremental after a commit to a file picked as for JSON,
    and incremental after a commit to the top-ranked file (the worst case: it must be
    checked);
* peak memory (largest resident set of the scan processes and their workers).

With ``--everyday`` it prints instead the figures of issue #19, where people wait, each a
separate process on the clone: a cold table scan and the three table scans after it (each
one, not a median: a repeated scan must do no per-file work from the second run on), a
repeated JSON scan (median) and the ratio of the repeated table to it (target 1.2x at
most), ``explain`` of the top-ranked file and of the 25th after the table (first and warm)
and ``fix`` (warm, and warm with nothing to fix once its fixes are committed), each against
its target (1 s warm).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

from frictionscan.core.durations import resolve_point
from frictionscan.core.run import Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec


def synthetic(commits: int, files: int, dest: Path, seed: int = 7) -> Path:
    """A repository with ``commits`` commits over ``files`` Python files, Zipf-skewed."""
    rng = random.Random(seed)
    paths = [f"pkg{i % 50:02d}/mod{i:05d}.py" for i in range(files)]
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(files)]
    versions = [0] * files
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    step = (datetime(2026, 6, 30, tzinfo=timezone.utc) - start) / commits

    def content(i: int) -> bytes:
        v = versions[i]
        branches = 3 + (i * 7 + v) % 12
        body = "".join(f"    {'if' if b == 0 else 'elif'} x == {b + v}:\n        y = x * {b}\n"
                       for b in range(branches))
        return (f'"""Module {i}, version {v}."""\n\n\ndef f{i}(x):\n    y = 0\n{body}'
                f"    return y\n\n\nVALUE = {v}\n").encode()

    dest.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest,
                            stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin
    authors = [f"Dev {a} <dev{a}@example.com>" for a in range(40)]
    for n in range(commits):
        when = int((start + step * n).timestamp())
        touched = [0] if n == 0 else sorted({rng.choices(range(files), weights)[0]
                                             for _ in range(rng.randint(1, 3))})
        if n == 0:
            touched = list(range(files))
        who = authors[rng.randrange(len(authors))]
        msg = (f"fix bug {n}" if rng.random() < 0.2 else f"change {n}").encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"committer {who} {when} +0000\n".encode())
        out.write(b"data %d\n%s\n" % (len(msg), msg))
        for i in touched:
            versions[i] += 1
            data = content(i)
            out.write(f"M 100644 inline {paths[i]}\n".encode())
            out.write(b"data %d\n%s\n" % (len(data), data))
        out.write(b"\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True)
    return dest


def _import_libcst() -> None:
    import libcst  # noqa: F401


def _cst_parse(path: str) -> None:
    import libcst

    with contextlib.suppress(Exception):
        libcst.parse_module(Path(path).read_bytes())


def libcst_split(paths: list[str], jobs: int) -> float:
    """Seconds to parse every file with libcst, over ``jobs`` processes that imported it."""
    import multiprocessing

    with multiprocessing.Pool(jobs, initializer=_import_libcst) as pool:
        pool.map(_import_libcst_ready, range(jobs))  # all started and imported
        t0 = time.perf_counter()
        pool.map(_cst_parse, sorted(paths, key=lambda p: -Path(p).stat().st_size),
                 chunksize=1)
        return time.perf_counter() - t0


def _import_libcst_ready(_: int) -> None:
    time.sleep(0.2)


def clock(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def scan_process(repo: Path, *extra: str, fmt: str = "json") -> float:
    return clock(lambda: subprocess.run(
        [sys.executable, "-m", "frictionscan", "scan", str(repo), "-f", fmt, "-q", *extra],
        check=True, stdout=subprocess.DEVNULL))


def command(repo: Path, *args: str) -> float:
    """Seconds one ``frictionscan`` process takes in ``repo`` (output discarded)."""
    return clock(lambda: subprocess.run([sys.executable, "-m", "frictionscan", *args],
                                        cwd=repo, check=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))


def everyday(work: Path, repeat: int) -> None:
    """Issue #19's figures: see the module's docstring."""
    cache_dir = work / ".frictionscan"
    shutil.rmtree(cache_dir, ignore_errors=True)
    rows: list[tuple[str, float, str]] = []
    cold = scan_process(work, fmt="table")
    tables = [scan_process(work, fmt="table") for _ in range(3)]
    rows.append(("table: cold", cold, ""))
    for n, t in enumerate(tables, 1):
        rows.append((f"table: run {n} after the cold one", t, ""))
    doc = json.loads(subprocess.run(
        [sys.executable, "-m", "frictionscan", "scan", str(work), "-f", "json", "-q"],
        check=True, capture_output=True, text=True).stdout)
    jsons, tables = [], []
    for _ in range(2 * repeat):  # interleaved, so that a slow spell lands on both
        jsons.append(scan_process(work))
        tables.append(scan_process(work, fmt="table"))
    warm_json, warm_table = statistics.median(jsons), statistics.median(tables)
    rows.append((f"json: repeated (median of {len(jsons)})", warm_json, ""))
    rows.append((f"table: repeated (median of {len(tables)})", warm_table,
                 f"{warm_table / warm_json:.2f}x json (target <= 1.2x)"))
    paths = [h["path"] for h in doc["hotspots"]]
    for label, path in (("top file", paths[0]), ("25th file", paths[min(24, len(paths) - 1)])):
        shutil.rmtree(cache_dir, ignore_errors=True)
        scan_process(work, fmt="table")
        first = command(work, "explain", path, "-q")
        warm = statistics.median(command(work, "explain", path, "-q") for _ in range(repeat))
        rows.append((f"explain {label}: first after a table", first, path))
        rows.append((f"explain {label}: warm (median)", warm, "target < 1 s"))
    fix_first = command(work, "fix")
    fix_warm = statistics.median(command(work, "fix") for _ in range(repeat))
    rows.append(("fix: first after the scans", fix_first, ""))
    rows.append(("fix: warm (median)", fix_warm, "prints its diff"))
    command(work, "fix", "--apply")
    subprocess.run(["git", "-c", "user.name=B", "-c", "user.email=b@x", "commit", "-qam",
                    "quick fixes"], cwd=work, check=False)
    scan_process(work, fmt="table")
    command(work, "fix")
    nothing = statistics.median(command(work, "fix") for _ in range(repeat))
    rows.append(("fix: warm, nothing to fix", nothing, "target < 1 s"))
    for label, seconds, note in rows:
        print(f"{label:40s}{seconds:7.2f} s  {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--repo", type=Path)
    group.add_argument("--synthetic", nargs=2, type=int, metavar=("COMMITS", "FILES"))
    ap.add_argument("--since", default="12 months")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of cold, warm and incremental runs (medians are printed)")
    ap.add_argument("--everyday", action="store_true",
                    help="only issue #19's figures: repeated table scans, explain, fix")
    args = ap.parse_args()
    if args.everyday:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "repo"
            if args.synthetic:
                synthetic(args.synthetic[0], args.synthetic[1], work)
            else:
                subprocess.run(["git", "clone", "-q", str(args.repo.resolve()), str(work)],
                               check=True)
            everyday(work, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "repo"
        if args.synthetic:
            t = clock(lambda: synthetic(args.synthetic[0], args.synthetic[1], work))
            print(f"built synthetic repository: {args.synthetic[0]} commits, "
                  f"{args.synthetic[1]} files in {t:.1f} s")
        else:
            subprocess.run(["git", "clone", "-q", str(args.repo.resolve()), str(work)],
                           check=True)
        total_commits = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=work,
                                           capture_output=True, text=True,
                                           check=True).stdout)
        head = datetime.fromtimestamp(int(subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=work, capture_output=True, text=True,
            check=True).stdout), tz=timezone.utc)
        since = resolve_point(args.since, head)
        session = Session.start(PluginSpec(autoload=False))
        config = session.configure(work, overrides={"cache": False, "since": args.since})
        import git  # noqa: F401  (start-up, not history)

        scanned = session.hooks.collect_files(work, config, Run())
        raws, stages = [], []
        for _ in range(5):  # interleaved, medians
            raws.append(clock(lambda: subprocess.run(
                ["git", "log", "-z", "-M", "--numstat", "--format=%H",
                 f"--since={since.isoformat()}", "HEAD", "--", "*.py"], cwd=work, check=True,
                stdout=subprocess.DEVNULL)))
            stages.append(clock(lambda: session.hooks.collect_history(work, scanned, config,
                                                                      None, Run())))
        raw_log, history = statistics.median(raws), statistics.median(stages)
        scanned_result = session.scan(config)
        in_scan = scanned_result.stat("seconds_history")
        analyse = scanned_result.stat("seconds_analyse")
        files = [p for p in subprocess.run(["git", "ls-files", "*.py"], cwd=work,
                                           capture_output=True, text=True,
                                           check=True).stdout.split()]

        def parse_all() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for p in files:
                    with contextlib.suppress(SyntaxError, ValueError):
                        ast.parse((work / p).read_bytes())

        bare = clock(parse_all)
        jobs = os.cpu_count() or 1
        cache_dir = work / ".frictionscan"
        # each figure is the median of --repeat runs, interleaved, so that a slow spell of a
        # shared machine does not land on one figure only
        runs: dict[str, list[float]] = {k: [] for k in (
            "floor", "cold_all", "cold", "warm", "incremental", "cold_table", "warm_table",
            "incremental_table", "incremental_table_top")}
        hour = 0

        def commit_to(path: str) -> None:
            nonlocal hour
            hour += 1
            target = work / path
            target.write_text(target.read_text() + f"\n\ndef added_{hour}(x):\n    return x\n")
            when = (head + timedelta(hours=hour)).isoformat()
            env = {"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@x",
                   "GIT_COMMITTER_NAME": "B", "GIT_COMMITTER_EMAIL": "b@x",
                   "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
            subprocess.run(["git", "commit", "-qam", "one more change"], cwd=work, check=True,
                           env={**os.environ, **env})

        for n in range(args.repeat):
            runs["floor"].append(libcst_split([str(work / p) for p in files], jobs))
            runs["cold_all"].append(scan_process(work, "--no-cache", "--all-findings"))
            shutil.rmtree(cache_dir, ignore_errors=True)
            runs["cold"].append(scan_process(work))
            runs["warm"].extend(scan_process(work) for _ in range(3))
            # one new commit changing one file (another file each round)
            commit_to(files[(len(files) // 2 + 17 * n) % len(files)])
            runs["incremental"].append(scan_process(work))
            runs["warm"].extend(scan_process(work) for _ in range(2))
            shutil.rmtree(cache_dir, ignore_errors=True)
            runs["cold_table"].append(scan_process(work, fmt="table"))
            runs["warm_table"].extend(scan_process(work, fmt="table") for _ in range(3))
            commit_to(files[(len(files) // 3 + 29 * n) % len(files)])
            runs["incremental_table"].append(scan_process(work, fmt="table"))
            runs["warm_table"].extend(scan_process(work, fmt="table") for _ in range(2))
            top = json.loads(subprocess.run(
                [sys.executable, "-m", "frictionscan", "scan", str(work), "-f", "json", "-q",
                 "--top", "1"], check=True, capture_output=True, text=True).stdout)
            commit_to(top["hotspots"][0]["path"])
            runs["incremental_table_top"].append(scan_process(work, fmt="table"))
        m = {k: statistics.median(v) for k, v in runs.items()}
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    commits = args.synthetic[0] if args.synthetic else total_commits
    print(f"python files                  {len(files)}")
    print(f"commits                       {commits}")
    print(f"raw git log --numstat         {raw_log:7.2f} s  (window: {args.since})")
    print(f"history stage                 {history:7.2f} s  = {history / raw_log:.2f}x raw")
    print(f"  inside the cold scan          {in_scan:7.2f} s  (workers starting alongside)")
    print(f"bare ast.parse (1 core)       {bare:7.2f} s")
    print(f"per-file stage, cold          {analyse:7.2f} s  = {analyse / bare:.2f}x ast.parse")
    floor = raw_log + m["floor"]
    print(f"bare libcst parse, {jobs} cores    {m['floor']:7.2f} s")
    for label, key, unit in (
            ("json: cold total (process)    ", "cold", floor),
            ("json: cold, --all-findings    ", "cold_all", floor),
            ("table: cold total (process)   ", "cold_table", floor)):
        print(f"{label}{m[key]:7.2f} s  = {m[key] / unit:.2f}x (raw git log + libcst parse)")
    for fmt, suffix in (("json", ""), ("table", "_table")):
        warm = m["warm" + suffix]
        print(f"{fmt + ': warm total (process)':30s}{warm:7.2f} s  = "
              f"{warm / raw_log:.2f}x raw git log")
        inc = m["incremental" + suffix]
        print(f"{fmt + ': incremental (1 commit)':30s}{inc:7.2f} s  = {inc / warm:.2f}x warm")
    top = m["incremental_table_top"]
    print(f"{'table: incremental, top file':30s}{top:7.2f} s  = {top / m['warm_table']:.2f}x "
          f"warm")
    print(f"peak memory                   {peak:7.0f} MB")


if __name__ == "__main__":
    main()
