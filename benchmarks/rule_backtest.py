"""Which findings are friction? Backtest each libcst rule at function level (issue #18).

Usage::

    python benchmarks/rule_backtest.py MIRROR [MIRROR...] [--eval-dir ../shared/eval]
        [--work /tmp/rule-backtest] [--cache ~/.cache/fs-rule-backtest]
        [--json out.json] [--evidence plugins/frictionscan_libcst/rule_evidence.json]

MIRROR is a git repository (a bare mirror is fine); it is cloned (``--bare``, hard links)
under ``--work`` and never written to. Method (docs/rules.md#which-findings-are-friction):

* **Cut**: the harness's rule (``rankeval.gitlog.choose_cut``): T is the newest first-parent
  commit at least 365 days before the newest commit; the year after is ``T..T_end``.
* **Functions**: every function and method (nested ones too, named as radon names them) of
  the product files at T (the harness's ``rankeval.labels.is_target``), read from git
  objects. Per function: its lines (``def`` to last line), radon's cyclomatic complexity, its
  changes in the 365 days before T (the X-ray's walk over ``git log -m -p -U0`` back from T,
  renames followed; a function owns the lines of the functions nested in it), and its
  findings at T (every built-in rule with default options; a finding belongs to the
  innermost function holding its first line, a finding outside every function (a class's,
  such as god-class) to every function inside its span, module-level findings to none).
* **Outcomes**: every non-merge commit of ``T..T_end`` is diffed against its first parent
  (``-M``, names followed from T); each hunk in a file that existed at T lands in the
  functions of the parent version whose lines it changes (for a pure insertion, the
  functions holding the line it follows), parsed with :mod:`ast` and matched to T's functions
  by qualified name. *changes* = commits landing in the function; *fixes* = those the
  harness's loose label calls bug fixes (``rankeval.labels.label_commit``). Commits touching
  more than 20 target files are mass edits and left out (the harness's ``--max-fix-files``).
* **Model**: per predictor, a Poisson regression of the function's next-year count with a
  fixed effect per repository and the covariates log(lines), log(1 + complexity),
  log(1 + prior changes), plus the predictor (a 0/1 indicator: the function has at least one
  finding of the rule); rate ratios with 95% cluster-robust intervals (clusters = files),
  see :mod:`rule_stats`. Per repository: observed / expected events among the functions with
  the rule's findings, expected from the model without the predictor.

Only the standard library, radon, libcst and the project are needed (no numpy). The
per-repository function tables are cached under ``--cache`` (keyed by the cut).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import libcst as cst
from frictionscan_functions import _log
from frictionscan_functions.attribute import Function, attribute
from frictionscan_functions.patches import Entry, parse_raw_log
from frictionscan_functions.reference import _Objects, unique
from frictionscan_functions.walk import walk
from frictionscan_libcst.engine import check_module
from frictionscan_libcst.rules import BUILTIN_RULES
from radon.complexity import cc_visit
from rule_stats import Fit, poisson_fe

from frictionscan.api import SymbolKind

VERSION = 2
DAY = 86400
MAX_FILES = 20
MIN_EXPOSED = 30  # functions with the finding needed for a model


# -- git -------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "-c", "core.quotepath=off", *args],
                          capture_output=True, check=True).stdout


def stream(repo: Path, *args: str) -> Iterator[bytes]:
    proc = subprocess.Popen(["git", "-C", str(repo), "-c", "core.quotepath=on", *args],
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    yield from proc.stdout
    proc.stdout.close()
    if proc.wait():
        raise RuntimeError(f"git {args[0]} failed")


# -- the functions of a version -------------------------------------------------------

def _defs(body: list[ast.stmt], prefix: str, in_function: bool) -> Iterator[tuple[str, Any]]:
    """As :func:`frictionscan_functions.reference._defs`: radon's qualified names."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            yield name, node
            yield from _defs(node.body, name + ".", True)
        elif isinstance(node, ast.ClassDef):
            if not in_function:
                yield from _defs(node.body, prefix + node.name + ".", False)
        else:
            inner: list[ast.stmt] = []
            for attr in ("body", "orelse", "finalbody"):
                part = getattr(node, attr, None)
                if isinstance(part, list):
                    inner += part
            for handler in getattr(node, "handlers", ()):
                inner += handler.body
            for case in getattr(node, "cases", ()):
                inner += case.body
            yield from _defs(inner, prefix, in_function)


def functions_with_nodes(source: str) -> list[dict[str, Any]]:
    """Every function: unique name, def line, first decorator line, last line, column."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return []
    out: list[dict[str, Any]] = []
    taken: set[str] = set()
    for name, node in _defs(tree.body, "", False):
        key = unique(name, taken)
        taken.add(key)
        top = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        out.append({"name": key, "start": node.lineno, "top": top,
                    "end": node.end_lineno or node.lineno, "col": node.col_offset})
    return out


def complexities(source: str) -> dict[int, float]:
    """radon's cyclomatic complexity per function, by ``def`` line."""
    try:
        blocks = cc_visit(source)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    out: dict[int, float] = {}
    todo = list(blocks)
    while todo:
        b = todo.pop()
        if hasattr(b, "methods"):
            todo += list(b.methods) + list(getattr(b, "inner_classes", ()))
        else:
            out.setdefault(b.lineno, float(b.complexity))
            todo += list(getattr(b, "closures", ()))
    return out


def findings_by_function(source: str, path: str,
                         funcs: list[dict[str, Any]]) -> tuple[list[Counter[str]], int]:
    """Per function the count of findings per rule code, and the findings left outside."""
    counts: list[Counter[str]] = [Counter() for _ in funcs]
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return counts, 0
    try:
        findings, _ = check_module(module, path, BUILTIN_RULES)
    except RecursionError:
        return counts, 0
    outside = 0
    for f in findings:
        line = f.span.start_line
        holders = [n for n, fn in enumerate(funcs) if fn["top"] <= line <= fn["end"]]
        if holders:
            innermost = max(holders, key=lambda n: funcs[n]["top"])
            counts[innermost][f.code] += 1
            continue
        end = f.span.end_line or line
        inside = [n for n, fn in enumerate(funcs) if line <= fn["top"] and fn["end"] <= end]
        for n in inside:
            counts[n][f.code] += 1
        if not inside:
            outside += 1
    return counts, outside


# -- collection ------------------------------------------------------------------------

def _rankeval(eval_dir: Path) -> tuple[Any, Any]:
    sys.path.insert(0, str(eval_dir))
    from rankeval import gitlog, labels  # type: ignore[import-not-found]

    return gitlog, labels


def former_names(repo: Path, since: int, cut: str, paths: Sequence[str]) -> list[str]:
    """Names the files had in the year before the cut (renames followed back)."""
    out = git(repo, "log", "-M", "--name-status", "--diff-filter=R", "--format=",
              f"--since={since}", cut, "--", "*.py").decode("utf-8", "replace")
    back: dict[str, set[str]] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            back.setdefault(parts[2], set()).add(parts[1])
    seen: set[str] = set()
    todo = list(paths)
    while todo:
        p = todo.pop()
        for old in back.get(p, ()):
            if old not in seen and old not in paths:
                seen.add(old)
                todo.append(old)
    return sorted(seen)


def messages(repo: Path, rng: str) -> dict[str, tuple[str, str, str]]:
    out = git(repo, "log", "--no-merges", "--format=%H%x00%an%x00%ae%x00%B%x1e", rng)
    found = {}
    for rec in out.decode("utf-8", "replace").split("\x1e"):
        parts = rec.strip("\n").split("\x00")
        if len(parts) == 4:
            found[parts[0]] = (parts[1], parts[2], parts[3])
    return found


def collect(mirror: Path, work: Path, eval_dir: Path, cache: Path | None,
            log: Any = print) -> dict[str, Any]:
    gitlog, labels = _rankeval(eval_dir)
    name = mirror.parent.name if mirror.name in ("repo", ".git") else mirror.name
    repo = work / f"{name}.git"
    if not repo.exists():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--bare", str(mirror), str(repo)], check=True)
    c = gitlog.choose_cut(str(repo))
    key = cache / f"{name}-{c.t_sha[:12]}-{c.end_sha[:12]}-v{VERSION}.json.gz" if cache else None
    if key is not None and key.exists():
        with gzip.open(key, "rt") as fh:
            return dict(json.load(fh))
    started = time.time()
    targets = [p for p, _ in gitlog.list_tree(str(repo), c.t_sha) if labels.is_target(p)]
    objects = _Objects(repo)
    rows: list[dict[str, Any]] = []
    outside = Counter[str]()
    by_file: dict[str, list[dict[str, Any]]] = {}
    for path in targets:
        found = objects.read(f"{c.t_sha}:{path}")
        if found is None:
            continue
        source = found[1].decode("utf-8", "replace")
        funcs = functions_with_nodes(source)
        if not funcs:
            continue
        cc = complexities(source)
        counts, left = findings_by_function(source, path, funcs)
        outside[path] = left
        minutes = {r.CODE: r.EFFORT_MINUTES for r in BUILTIN_RULES}
        for fn, found_here in zip(funcs, counts):
            rows.append({"path": path, "name": fn["name"], "start": fn["start"],
                         "end": fn["end"], "col": fn["col"],
                         "lines": fn["end"] - fn["start"] + 1, "cc": cc.get(fn["start"], 1.0),
                         "findings": dict(found_here),
                         "minutes": sum(minutes[k] * v for k, v in found_here.items()),
                         "prior": 0, "prior_fixes": 0, "changes": 0, "fixes": 0})
        by_file[path] = rows[-len(funcs):]
    log(f"  {name}: {len(by_file)} files, {len(rows)} functions at {c.t_sha[:10]} "
        f"({time.time() - started:.0f} s)")
    # the year before: the X-ray's walk back from T
    since = c.t_ct - 365 * DAY
    paths = list(by_file)
    old = former_names(repo, since, c.t_sha, paths)
    from datetime import datetime, timezone

    result = walk(parse_raw_log(_log(repo, c.t_sha, datetime.fromtimestamp(since, timezone.utc),
                                     [*paths, *old])), {p: p for p in paths})
    for path, frows in by_file.items():
        funcs = [Function(name=r["name"], kind=SymbolKind.FUNCTION, start=r["start"],
                          end=r["end"], col=r["col"], complexity=r["cc"]) for r in frows]
        hist = attribute(path, funcs, result.touches.get(path, []), since=since, now=c.t_ct,
                         half_life_days=0, fix=labels.LOOSE_SUBJECT_RE)
        at = {(h.name, h.span.start_line): h for h in hist}
        for r in frows:
            h = at[(r["name"], r["start"])]
            r["prior"], r["prior_fixes"] = h.changes, h.fixes
    log(f"  {name}: history before the cut read ({time.time() - started:.0f} s)")
    # the year after
    rng = f"{c.t_sha}..{c.end_sha}"
    info = messages(repo, rng)
    index = {path: {r["name"]: r for r in frows} for path, frows in by_file.items()}
    current = {p: p for p in by_file}
    commits = fixes = mass = 0
    entries = parse_raw_log(stream(repo, "log", "--reverse", "--no-merges", "--pretty=raw",
                                   "--parents", "-p", "-U0", "-M", "--no-color",
                                   "--no-ext-diff", "--no-textconv", "--diff-algorithm=myers",
                                   "--src-prefix=a/", "--dst-prefix=b/", rng, "--", "*.py"))
    for entry in entries:
        touched, files = _landed(entry, current, index, objects)
        if not files:
            continue
        if len(files) > MAX_FILES:
            mass += 1
            continue
        author, email, message = info.get(entry.sha, (entry.author, entry.email, entry.subject))
        is_fix = bool(labels.label_commit(author, email, message)[0])
        commits += 1
        fixes += is_fix
        for r in touched:
            r["changes"] += 1
            r["fixes"] += is_fix
    objects.close()
    for r in rows:
        del r["col"]
    data = {"repo": name, "cut": c.t_sha, "cut_time": c.t_ct, "end": c.end_sha,
            "end_time": c.end_ct, "files": len(by_file), "commits": commits, "fix_commits": fixes,
            "mass_edits": mass, "findings_outside": sum(outside.values()), "functions": rows,
            "seconds": round(time.time() - started)}
    log(f"  {name}: {commits} commits ({fixes} fixes, {mass} mass edits left out) after the "
        f"cut ({time.time() - started:.0f} s)")
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(key, "wt") as fh:
            json.dump(data, fh)
    return data


_owners: dict[str, list[tuple[str, ...]]] = {}


def owners_of(source: str) -> list[tuple[str, ...]]:
    """Per line (1-based; index 0 unused) the names of the functions holding it."""
    size = source.count("\n") + 2
    owners: list[list[str]] = [[] for _ in range(size + 1)]
    for f in functions_with_nodes(source):
        for line in range(f["start"], min(f["end"], size) + 1):
            owners[line].append(f["name"])
    return [tuple(o) for o in owners]


def _landed(entry: Entry, current: dict[str, str], index: dict[str, dict[str, dict[str, Any]]],
            objects: _Objects) -> tuple[list[dict[str, Any]], set[str]]:
    """The cut's functions a commit's hunks land in, and the cut's files it changes; moves
    the names followed from the cut (``current``: name now -> name at the cut)."""
    moves = {p.old_path: current.get(p.old_path) for p in entry.files
             if p.old_path and p.new_path and p.old_path != p.new_path}
    for old in moves:
        current.pop(old, None)
    for patch in entry.files:
        if patch.old_path in moves and patch.new_path and moves[patch.old_path] is not None:
            current[patch.new_path] = moves[patch.old_path]  # type: ignore[assignment]
    touched: dict[int, dict[str, Any]] = {}
    files: set[str] = set()
    work = []
    for patch in entry.files:
        if not patch.old_path or not patch.hunks:
            continue
        orig = moves[patch.old_path] if patch.old_path in moves else current.get(patch.old_path)
        if patch.new_path is None:
            current.pop(patch.old_path, None)
        if orig is None or orig not in index:
            continue
        files.add(orig)
        if patch.new_path is not None:  # a file deleted whole is not a change of its functions
            work.append((orig, patch))
    parent = entry.parent or (entry.parents[0] if entry.parents else None)
    if len(files) > MAX_FILES or parent is None:
        return [], files
    for orig, patch in work:
        found = objects.read(f"{parent}:{patch.old_path}")
        if found is None:
            continue
        sha, data = found
        owners = _owners.get(sha)
        if owners is None:
            if len(_owners) > 500:
                _owners.clear()
            owners = _owners[sha] = owners_of(data.decode("utf-8", "replace"))
        mine = index[orig]
        for hunk in patch.hunks:
            last = hunk.old_start + max(hunk.old_count, 1) - 1
            for line in range(max(hunk.old_start, 0), min(last, len(owners) - 1) + 1):
                for fname in owners[line]:
                    if fname in mine:
                        touched[id(mine[fname])] = mine[fname]
    return list(touched.values()), files


# -- analysis --------------------------------------------------------------------------

def covariates(r: dict[str, Any]) -> list[float]:
    return [math.log(max(r["lines"], 1)), math.log1p(r["cc"]), math.log1p(r["prior"])]


def predictors() -> list[tuple[str, str, Any]]:
    """(key, label, function of a row -> value): every rule, any finding, the effort-weighted
    total (per doubling of 1 + minutes)."""
    out: list[tuple[str, str, Any]] = [
        (r.CODE, f"{r.CODE} {r.NAME}",
         (lambda code: lambda row: 1.0 if row["findings"].get(code) else 0.0)(r.CODE))
        for r in BUILTIN_RULES]
    out.append(("any", "any finding", lambda row: 1.0 if row["findings"] else 0.0))
    out.append(("minutes", "effort-weighted findings (per doubling of 1 + minutes)",
                lambda row: math.log2(1 + row["minutes"])))
    return out


def analyse(data: Sequence[dict[str, Any]], log: Any = print) -> dict[str, Any]:
    rows = [(d["repo"], r) for d in data for r in d["functions"]]
    groups = [repo for repo, _ in rows]
    clusters = [f"{repo}:{r['path']}" for repo, r in rows]
    base_x = [covariates(r) for _, r in rows]
    out: dict[str, Any] = {"outcomes": {}}
    for outcome in ("fixes", "changes"):
        y = [float(r[outcome]) for _, r in rows]
        base = poisson_fe(y, base_x, groups, clusters)
        out["outcomes"][outcome] = {
            "covariates": {name: list(base.rate_ratio(k)) for k, name in
                           enumerate(("log lines", "log(1+cc)", "log(1+prior changes)"))},
            "events": sum(y)}
        for key, label, value in predictors():
            started = time.time()
            v = [value(r) for _, r in rows]
            entry = out.setdefault("predictors", {}).setdefault(key, {"label": label})
            exposed = [i for i, vi in enumerate(v) if vi]
            entry["functions"] = len(exposed)
            entry["findings"] = sum(sum(r["findings"].values()) if key in ("any", "minutes")
                                    else r["findings"].get(key, 0) for _, r in rows)
            per_repo: dict[str, dict[str, float]] = {}
            for i in exposed:
                repo, r = rows[i]
                p = per_repo.setdefault(repo, {"functions": 0, "findings": 0, "fixes": 0,
                                               "changes": 0, "expected_fixes": 0.0,
                                               "expected_changes": 0.0})
                p["functions"] += 1
                p["findings"] += (sum(r["findings"].values()) if key in ("any", "minutes")
                                  else r["findings"].get(key, 0))
                p[outcome] += r[outcome]
                p[f"expected_{outcome}"] += base.mu[i]
            for repo, p in per_repo.items():
                kept = entry.setdefault("repos", {}).setdefault(repo, {})
                for k in ("functions", "findings", outcome, f"expected_{outcome}"):
                    kept[k] = round(p[k], 2) if isinstance(p[k], float) else p[k]
            entry["repositories"] = len(per_repo)
            entry[f"{outcome}_observed"] = sum(y[i] for i in exposed)
            entry[f"{outcome}_expected"] = round(sum(base.mu[i] for i in exposed), 2)
            binary = key != "minutes"
            if (binary and len(exposed) < MIN_EXPOSED) or not exposed:
                entry[outcome] = None
                continue
            x = [[*bx, vi] for bx, vi in zip(base_x, v)]
            try:
                fit = poisson_fe(y, x, groups, clusters, start=[*base.coef, 0.0])
            except ValueError:
                entry[outcome] = None
                continue
            rr = fit.rate_ratio(3)
            entry[outcome] = [round(rr[0], 3), round(rr[1], 3), round(rr[2], 3)]
            if outcome == "fixes" and binary:
                entry["fixes_loo"] = leave_one_out(y, x, groups, clusters, fit, sorted(per_repo))
            log(f"  {outcome:<7} {label:<40} n={len(exposed):<6} RR {rr[0]:.2f} "
                f"[{rr[1]:.2f}-{rr[2]:.2f}] ({time.time() - started:.0f} s)")
    return out


def leave_one_out(y: Sequence[float], x: Sequence[Sequence[float]], groups: Sequence[str],
                  clusters: Sequence[str], fit: Fit, repos: Sequence[str]) -> list[Any]:
    """The predictor's rate ratio with each project that has its findings left out in turn:
    [lowest, highest, the project whose absence gives the lowest]."""
    found: list[tuple[float, str]] = []
    for repo in repos:
        keep = [i for i, g in enumerate(groups) if g != repo]
        sub_x = [x[i] for i in keep]
        if not any(row[-1] for row, i in zip(sub_x, keep) if y[i]):
            found.append((0.0, repo))  # no fix left in a function with the finding
            continue
        try:
            sub = poisson_fe([y[i] for i in keep], sub_x, [groups[i] for i in keep],
                             [clusters[i] for i in keep], start=list(fit.coef))
        except ValueError:
            continue
        found.append((sub.rate_ratio(len(fit.coef) - 1)[0], repo))
    if not found:
        return []
    low, high = min(found), max(found)
    return [round(low[0], 3), round(high[0], 3), low[1]]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirrors", nargs="+", type=Path)
    root = Path(__file__).resolve().parent.parent
    found = [d for d in (root.parent / "shared" / "eval", root.parent.parent / "shared" / "eval")
             if d.is_dir()]
    parser.add_argument("--eval-dir", type=Path,
                        default=Path(os.environ.get("FS_EVAL_DIR", "")) if
                        os.environ.get("FS_EVAL_DIR") else (found or [Path("../shared/eval")])[0],
                        help="the evaluation harness (rankeval: cut rule, targets, fix labels); "
                             "default $FS_EVAL_DIR or ../shared/eval")
    parser.add_argument("--work", type=Path, default=Path("/tmp/rule-backtest"))
    parser.add_argument("--cache", type=Path,
                        default=Path(os.path.expanduser("~/.cache/fs-rule-backtest")))
    parser.add_argument("--json", type=Path, help="write the full table here")
    parser.add_argument("--evidence", type=Path,
                        help="write the per-rule evidence for the catalogue here")
    args = parser.parse_args(argv)
    os.environ.setdefault("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    data = []
    for mirror in args.mirrors:
        print(f"{mirror}:", flush=True)
        data.append(collect(mirror, args.work, args.eval_dir, args.cache,
                            log=lambda s: print(s, flush=True)))
    table = analyse(data, log=lambda s: print(s, flush=True))
    table["projects"] = [{k: d[k] for k in ("repo", "cut", "cut_time", "end_time", "files",
                                             "commits", "fix_commits", "mass_edits",
                                             "findings_outside")}
                         | {"functions": len(d["functions"]),
                            "fixes_landed": sum(r["fixes"] for r in d["functions"]),
                            "changes_landed": sum(r["changes"] for r in d["functions"])}
                         for d in data]
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n")
    if args.evidence:
        from frictionscan_libcst.evidence import evidence_document

        args.evidence.write_text(evidence_document(table))


if __name__ == "__main__":
    main()
