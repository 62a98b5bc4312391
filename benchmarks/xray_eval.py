"""Do the X-ray's hot functions predict where the next fixes land? (docs/scoring.md)

Usage::

    python benchmarks/xray_eval.py PATH [PATH...] [--top 25] [--horizon-months 12]

For each repository: the cut is the last first-parent commit 12 months before HEAD.
frictionscan ranks the files at the cut (default options, its 12-month window before the
cut) and X-rays the first ``--top`` files (the table's 25): function scores at the cut.
Every bug-fix commit (``git.fix_pattern`` over the subject, merges left out) of the 12
months after the cut is diffed against its parent; each of its hunks in a reported file
(followed by the name the file had at the cut) lands in the functions of the parent
version whose lines it changes (for a pure insertion, the functions holding the line it
follows), found by parsing that version with :mod:`ast` and matched to the cut's functions
by qualified name.

Printed per project: the fix hunks in reported files, and the share of them that land in
each file's top 3 functions by function hotspot score, by complexity alone, by size
(lines) alone and by changes alone, and what 3 functions picked at random would catch
(the mean of 3 / number of functions, per hunk). "in functions" repeats the shares over
the hunks that land in some function at all (module-level code, imports and class bodies
are outside every function).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from frictionscan_functions.patches import parse_diff
from frictionscan_functions.reference import functions_of

from frictionscan.api import FunctionHistory, Run
from frictionscan.engine.session import Session
from frictionscan.plugin.manager import PluginSpec

RANKINGS: dict[str, Callable[[FunctionHistory], tuple[float, ...]]] = {
    "function score": lambda f: (-f.score, -f.changes, -(f.complexity or 0)),
    "complexity": lambda f: (-(f.complexity or 0), -_size(f)),
    "size (lines)": lambda f: (-_size(f), -(f.complexity or 0)),
    "changes": lambda f: (-f.changes, -f.recency, -(f.complexity or 0)),
}


def _size(f: FunctionHistory) -> int:
    return (f.span.end_line or f.span.start_line) - f.span.start_line + 1


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True,
                          text=True, errors="replace").stdout


def touched_functions(source: str, old_start: int, old_count: int) -> set[str]:
    """The qualified names of the functions of ``source`` whose lines a hunk changes."""
    lines = range(old_start, old_start + old_count) if old_count else [old_start]
    found = set()
    for name, (start, end, _) in functions_of(source).items():
        if any(start <= n <= end for n in lines):
            found.add(name.split("#")[0])
    return found


def evaluate(path: Path, top: int, months: int) -> dict[str, object]:
    session = Session.start(PluginSpec())
    config = session.configure(path, overrides={"cache": False})
    head_time = datetime.fromtimestamp(int(git(path, "log", "-1", "--format=%ct")),
                                       tz=timezone.utc)
    cut_time = head_time - timedelta(days=round(months * 30.44))
    cut = git(path, "rev-list", "-1", "--first-parent", f"--before={cut_time.isoformat()}",
              "HEAD").strip()
    result = session.scan(config, Run(revision=cut, reach=top, xray=True))
    reported = {h.path: h for h in result.hotspots[:top] if h.functions}
    pattern = re.compile(str(config.getoption("git.fix_pattern")), re.IGNORECASE)
    horizon = result.head_time + timedelta(days=round(months * 30.44))
    log = git(path, "log", "--no-merges", "--format=%H%x1f%s", f"--until={horizon.isoformat()}",
              f"{cut}..HEAD", "--", *reported)
    fixes = [line.split("\x1f", 1)[0] for line in log.splitlines()
             if "\x1f" in line and pattern.search(line.split("\x1f", 1)[1])]
    tops = {name: {p: {f.name for f in sorted(h.functions or (), key=key)[:3]}
                   for p, h in reported.items()} for name, key in RANKINGS.items()}
    caught = dict.fromkeys(RANKINGS, 0)
    hunks = in_functions = 0
    chance = 0.0
    for sha in fixes:
        diff = subprocess.run(["git", "diff", "-U0", "-M", "--no-color", "--no-ext-diff",
                               "--src-prefix=a/", "--dst-prefix=b/", f"{sha}^", sha, "--",
                               *reported], cwd=path, capture_output=True, check=True).stdout
        for patch in parse_diff(diff.splitlines(keepends=True)):
            if patch.old_path not in reported:
                continue
            source = git(path, "show", f"{sha}^:{patch.old_path}")
            count = len(reported[patch.old_path].functions or ())
            for hunk in patch.hunks:
                hunks += 1
                names = touched_functions(source, hunk.old_start, hunk.old_count)
                if names:
                    in_functions += 1
                chance += min(1.0, 3 / max(count, 1)) if names else 0.0
                for ranking in RANKINGS:
                    if names & tops[ranking][patch.old_path]:
                        caught[ranking] += 1
    return {"cut": cut[:10], "cut_time": result.head_time.date().isoformat(),
            "files": len(reported), "fix_commits": len(fixes), "hunks": hunks,
            "in_functions": in_functions, "caught": caught, "chance": chance}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--horizon-months", type=int, default=12)
    args = parser.parse_args(argv)
    os.environ.setdefault("FRICTIONSCAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    for source in args.repos:
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp) / "repo"
            subprocess.run(["git", "clone", "-q", str(source), str(repo)], check=True)
            r = evaluate(repo, args.top, args.horizon_months)
        hunks, inside = int(r["hunks"]), int(r["in_functions"])  # type: ignore[call-overload]
        print(f"{source}: cut {r['cut']} ({r['cut_time']}), {r['files']} reported files, "
              f"{r['fix_commits']} fix commits touching them, {hunks} fix hunks "
              f"({inside} in functions)")
        caught: dict[str, int] = r["caught"]  # type: ignore[assignment]
        for ranking, n in caught.items():
            print(f"  top 3 by {ranking:<15} {n / max(hunks, 1):6.1%} of fix hunks, "
                  f"{n / max(inside, 1):6.1%} of those in functions")
        chance = float(r["chance"])  # type: ignore[arg-type]
        print(f"  3 at random       {chance / max(hunks, 1):6.1%} of fix hunks, "
              f"{chance / max(inside, 1):6.1%} of those in functions")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
