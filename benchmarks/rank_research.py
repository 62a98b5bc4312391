"""The research behind the default score (docs/scoring.md): frictionscan's signals at each
repository's cut, the time-travel harness's labels, and candidate scores judged offline with
the harness's own metrics.

    # 1. signals at the cut of each mirror (a throw-away checkout, as the harness makes)
    python benchmarks/rank_research.py dump --mirrors DIR --repos a+b,c+d --out signals.json
    #    ... and at a cut one year earlier, for the self-calibration check
    python benchmarks/rank_research.py dump --shift 365 --out signals-365.json ...
    # 2. the formula families, fitted on --tune, reported on the rest and on all
    python benchmarks/rank_research.py grid signals.json
    # 3. self-calibration: fit each repository's exponents on its earlier cut, apply at T
    python benchmarks/rank_research.py calibrate signals.json signals-365.json

It imports the harness from ``../shared/eval`` (``--eval DIR``): the cut, the target files,
the fix labels and the metrics are the harness's, never re-implemented here. Step 1 runs
``frictionscan scan --format json --all-findings --older-history`` at every cut (minutes per
large repository); steps 2 and 3 take seconds. Nothing is written into the mirrors.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

#: The projects earlier sessions tuned on (docs/scoring.md): reported apart from the rest.
TUNED_BEFORE = {"pytest-dev+pytest", "sphinx-doc+sphinx", "psf+black", "pallets+click",
                "encode+httpx", "pallets+flask", "psf+requests"}
METRICS = ("capture_files20", "spearman", "p_at_10", "popt", "capture_loc20")

Features = dict[str, float]
Score = Callable[[Features], float]


def read(path: str) -> Any:
    with open(path) as fh:
        return json.load(fh)


def harness(path: str) -> Any:
    sys.path.insert(0, path)
    from rankeval import external, metrics, runner  # type: ignore[import-not-found]
    return external, metrics, runner


def dump(args: argparse.Namespace) -> None:
    external, _, runner = harness(args.eval)
    data: dict[str, Any] = {}
    for name in args.repos.split(","):
        rd = runner.load_repo(args.mirrors, name, runner.default_cache_root(), 365, 20, 1,
                              shift_days=args.shift)
        with tempfile.TemporaryDirectory(prefix="fs-research-") as tmp:
            wt = os.path.join(tmp, "repo")
            external.make_checkout(rd.path, rd.cut.t_sha, wt)
            proc = subprocess.run([args.frictionscan, "scan", wt, "--format", "json",
                                   "--all-findings", "--older-history", "--no-cache", "-q"],
                                  capture_output=True, text=True, cwd=wt)
        if proc.returncode != 0:
            print(f"[{name}] frictionscan failed: {proc.stderr[-300:]}", file=sys.stderr)
            continue
        hotspots = {h["path"]: h for h in json.loads(proc.stdout)["hotspots"]}
        signals = {}
        for row in rd.rows:
            h = hotspots.get(row.path)
            if h is None:
                continue
            sig = dict(h["signals"])
            sig["_findings_minutes"] = sum(f["effort_minutes"] * f.get("weight", 1.0)
                                           for f in h["findings"])
            sig["_score"] = h["score"]
            signals[row.path] = sig
        data[name] = {"rows": [r.__dict__ for r in rd.rows], "touches": rd.touches,
                      "signals": signals}
        print(f"[{name}] {len(rd.rows)} targets, {len(signals)} with signals", file=sys.stderr)
    with open(args.out, "w") as fh:
        json.dump(data, fh)


def features(row: dict[str, Any], sig: dict[str, Any] | None) -> Features:
    s = sig or {}

    def g(key: str, default: float = 0.0) -> float:
        value = s.get(key)
        return float(value) if value is not None else default

    return {"loc": float(row["loc"]), "cc": g("radon.cc_total", row["cc_total"]),
            "rev": g("git.revisions"), "fix": g("git.fixes"), "auth": g("git.authors"),
            "idle": g("git.idle_days", 9999.0), "fmin": g("_findings_minutes"),
            "h_rev": float(row["revisions_12m"]), "h_fix": float(row["fixes_12m"])}


def evaluate(data: dict[str, Any], score: Score, names: Iterable[str], label: str,
             metrics: Any) -> dict[str, float]:
    out: list[dict[str, float]] = []
    for name in names:
        d = data[name]
        if label not in d["touches"]:
            continue
        feats = [features(r, d["signals"].get(r["path"])) for r in d["rows"]]
        loc = [float(r["loc"]) for r in d["rows"]]
        out.append(metrics.evaluate([score(f) for f in feats], d["touches"][label], loc))
    return {m: statistics.mean(v[m] for v in out if not math.isnan(v[m])) for m in METRICS}


def hotspot(a: float, b: float, c: float) -> Score:
    return lambda f: f["loc"] ** a * (1 + f["rev"]) ** b * (1 + f["fix"]) ** c


def effort(b: float, c: float, d: float, e: float, prior: float) -> Score:
    return lambda f: ((1 + f["rev"]) ** b * (1 + f["fix"]) ** c * (1 + f["auth"]) ** d
                      / (f["loc"] + prior) ** e)


def grid(args: argparse.Namespace) -> None:
    _, metrics, _ = harness(args.eval)
    data = read(args.signals)
    tune = [n for n in data if n in TUNED_BEFORE]
    rest = [n for n in data if n not in TUNED_BEFORE]
    print("hotspot order: loc^a x (1+revisions)^b x (1+fixes)^c, best by the mean of top-20% "
          "capture, Spearman and P@10 on the projects tuned on before")
    found = []
    for p in itertools.product([0.5, 0.75, 1.0], [0, 0.25, 0.5], [0, 0.25, 0.5]):
        t = evaluate(data, hotspot(*p), tune, "loose", metrics)
        found.append(((t["capture_files20"] + t["spearman"] + t["p_at_10"]) / 3, p))
    for objective, p in sorted(found, reverse=True)[:5]:
        r = evaluate(data, hotspot(*p), rest, "loose", metrics)
        a = evaluate(data, hotspot(*p), data, "loose", metrics)
        print(f"  {p}: tuned-on {objective:.3f} | rest: capture {r['capture_files20']:.3f} "
              f"Spearman {r['spearman']:.3f} P@10 {r['p_at_10']:.3f} | all: capture "
              f"{a['capture_files20']:.3f}")
    print("effort order: (1+rev)^b x (1+fixes)^c x (1+authors)^d / (loc + prior)^e, best by "
          "Popt on the projects tuned on before")
    found = []
    for p in itertools.product([0.75, 1.0], [0, 0.25, 0.5], [0, 0.25], [0.5, 0.75],
                               [25, 50, 100]):
        found.append((evaluate(data, effort(*p), tune, "loose", metrics)["popt"], p))
    for objective, p in sorted(found, reverse=True)[:5]:
        r = evaluate(data, effort(*p), rest, "loose", metrics)
        print(f"  {p}: tuned-on Popt {objective:.3f} | rest Popt {r['popt']:.3f}")


def calibrate(args: argparse.Namespace) -> None:
    _, metrics, _ = harness(args.eval)
    now, early = read(args.signals), read(args.earlier)
    default = (0.75, 0.25, 0.5)
    options = list(itertools.product([0.5, 0.75, 1.0], [0.0, 0.25, 0.5], [0.25, 0.5, 0.75]))
    rows = []
    for name in sorted(set(now) & set(early)):
        fit = {p: evaluate(early, hotspot(*p), [name], "loose", metrics)["capture_files20"]
               for p in options}
        fit = {p: v for p, v in fit.items() if not math.isnan(v)}
        if not fit:
            continue
        best = max(fit, key=lambda p: (fit[p], p == default))
        past = sum(early[name]["touches"]["loose"])
        shrunk = best if fit[best] - fit.get(default, 0) >= 0.05 and past >= 30 else default
        at = {k: evaluate(now, hotspot(*p), [name], "loose", metrics)["capture_files20"]
              for k, p in (("default", default), ("fit", best), ("shrunk", shrunk))}
        rows.append(at)
        print(f"  {name:32s} past fixes {past:4.0f}  fit {best}  default {at['default']:.3f}  "
              f"fit {at['fit']:.3f}  shrunk {at['shrunk']:.3f}")
    for k in ("default", "fit", "shrunk"):
        print(f"  mean {k}: {statistics.mean(r[k] for r in rows if not math.isnan(r[k])):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                   "shared", "eval"))
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--mirrors", default=os.environ.get("FS_MIRRORS"), required=False)
    d.add_argument("--repos", required=True)
    d.add_argument("--shift", type=int, default=0)
    d.add_argument("--frictionscan", default="frictionscan")
    d.add_argument("--out", required=True)
    g = sub.add_parser("grid")
    g.add_argument("signals")
    c = sub.add_parser("calibrate")
    c.add_argument("signals")
    c.add_argument("earlier")
    args = ap.parse_args()
    {"dump": dump, "grid": grid, "calibrate": calibrate}[args.command](args)


if __name__ == "__main__":
    main()
