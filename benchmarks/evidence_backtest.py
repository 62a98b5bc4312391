"""Is work in flight a sign of where a team is about to work? A look-back on real histories.

The *evidence* plugin weighs files that unmerged branches (and open pull requests) touch,
and the other files of their directories, on the assumption that the team is about to
invest there. This script checks that assumption on the past of repositories whose history
keeps merge commits: at a past cut, the work in flight is reconstructable from history.

* **Work in flight at a cut** T: every merge into the main branch (first parent) after T,
  up to a year later, whose merged side holds commits *authored* before T, the latest of
  them no more than 60 days before T (the plugin's default ``stale_after``), unless the
  merge's subject names a release line the plugin ignores (``Merge branch '9.0.x'``). Its files are
  those the side's commits authored before T changed. Squash or rebase merges leave no
  trace of the branch, so such work is missed (the measured lift is then a lower bound).
* **What followed**: the non-merge commits authored in the ``--horizon`` after T (default
  90 days), and those among them whose subject looks like a bug fix (the git plugin's
  pattern). ``strict`` figures leave out the commits of the in-flight branches themselves,
  so that "the branch was merged" does not count as "the team worked there".
* **Files**: the Python files at the cut (outside vendored code). **Direct**: files an
  in-flight branch changed. **Neighbours**: the other files of the directories those files
  are in (the plugin's in-flight areas); **dormant** ones had no change in the year before
  the cut. **Rest**: every other file.
* **Lift**: changes per file of a group / changes per file of the rest. **Beyond churn**:
  the same, with each file's expected count taken from the files with the same number of
  changes in the year and in the 90 days before the cut (observed / expected), since the
  score already weighs recent churn: the factor a focus weight should add on top of it.

Usage::

    python benchmarks/evidence_backtest.py /work/.mirror/pytest-dev+pytest/repo [...]
        [--cuts 16] [--every-days 91] [--horizon-days 90] [--markdown]

Reads the repositories (bare mirrors are fine) and changes nothing.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from frictionscan_evidence.branches import IGNORED

FIX = re.compile(r"\b(fix(e[sd]|ing)?|bug(s|fix(es)?)?|hotfix(es)?|defects?|regressions?"
                 r"|crash(es|ed)?|broken|repair(s|ed)?)\b", re.IGNORECASE)
VENDORED = re.compile(r"(^|/)(_vendor|vendor|vendored|third_party|build|dist)/")
DAY = 86400
STALE_DAYS = 60
#: Merges up to this long after a cut can bring work that was in flight at it.
LOOKAHEAD_DAYS = 365
#: Buckets of changes in the year and in the 90 days before the cut, for the expected counts.
CHURN_BUCKETS = (0, 1, 2, 4, 8, 16, 32)
RECENT_BUCKETS = (0, 1, 2, 4)


_MERGED = re.compile(r"^Merge (?:pull request #\d+ from (\S+)|(?:remote-tracking )?branch "
                     r"'([^']+)')")


def release_line(subject: str) -> bool:
    """Whether a merge's subject names a branch the plugin does not count as work in flight
    (``Merge pull request #1 from owner/9.0.x``, ``Merge branch '9.0.x' into main``)."""
    found = _MERGED.match(subject)
    if found is None:
        return False
    name = found.group(1) or found.group(2)
    names = {name, name.partition("/")[2]}
    return any(fnmatch.fnmatchcase(n, p) for n in names if n for p in IGNORED)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True, errors="surrogateescape").stdout


@dataclass(frozen=True)
class LogCommit:
    sha: str
    author_time: int
    subject: str
    files: tuple[str, ...]


def read_log(root: Path, *revs: str) -> list[LogCommit]:
    """Non-merge commits of ``revs`` with author time, subject and changed files."""
    out = git(root, "log", "--no-merges", "--no-renames", "--name-only",
              "--format=\x01%H\x02%at\x02%s", *revs, "--")
    commits = []
    for block in out.split("\x01")[1:]:
        head, _, names = block.partition("\n")
        sha, at, subject = head.split("\x02", 2)
        commits.append(LogCommit(sha, int(at), subject,
                                 tuple(n for n in names.split("\n") if n)))
    return commits


@dataclass(frozen=True)
class Merge:
    sha: str
    time: int
    #: the merged side's own commits (not on the main line before the merge)
    side: tuple[LogCommit, ...]


def first_parent(root: Path) -> list[tuple[str, tuple[str, ...], int]]:
    rows = []
    out = git(root, "log", "--first-parent", "--format=%H %ct %P%x00%s", "HEAD")
    for line in out.splitlines():
        head, _, subject = line.partition("\0")
        sha, ct, *parents = head.split()
        if len(parents) > 1 and release_line(subject):
            parents = parents[:1]  # a release line merged back: not work in flight
        rows.append((sha, tuple(parents), int(ct)))
    return rows[::-1]  # oldest first


def merges_between(root: Path, main: list[tuple[str, tuple[str, ...], int]], start: int,
                   end: int, by_sha: dict[str, LogCommit]) -> list[Merge]:
    merges = []
    for sha, parents, ct in main:
        if len(parents) < 2 or not start < ct <= end:
            continue
        side_shas = git(root, "rev-list", "--no-merges", f"{parents[0]}..{parents[1]}")
        side = tuple(by_sha[s] for s in side_shas.split() if s in by_sha)
        if side:
            merges.append(Merge(sha, ct, side))
    return merges


@dataclass
class Tally:
    """Observed and expected counts of one group of files, over every cut."""

    files: int = 0
    changes: float = 0.0
    fixes: float = 0.0
    strict_changes: float = 0.0
    strict_fixes: float = 0.0
    expected_changes: float = 0.0
    expected_strict: float = 0.0
    expected_fixes: float = 0.0
    expected_strict_fixes: float = 0.0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ProjectResult:
    name: str
    cuts: int = 0
    branches: int = 0
    merges: int = 0
    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    #: the tallies of each cut, for the bootstrap
    per_cut: list[dict[str, Tally]] = field(default_factory=list)


def bucket(n: int, bounds: Sequence[int] = CHURN_BUCKETS) -> int:
    return max(i for i, low in enumerate(bounds) if n >= low)


def python_files(root: Path, commit: str) -> list[str]:
    names = git(root, "ls-tree", "-r", "--name-only", "--full-tree", commit).splitlines()
    return [n for n in names if n.endswith(".py") and not VENDORED.search(n)]


def analyse(root: Path, *, cuts: int, every_days: int, horizon_days: int) -> ProjectResult:
    main = first_parent(root)
    log = read_log(root, "HEAD")
    by_sha = {c.sha: c for c in log}
    last = main[-1][2]
    times = [last - horizon_days * DAY - i * every_days * DAY for i in range(cuts)][::-1]
    merges = merges_between(root, main, times[0], last, by_sha)
    result = ProjectResult(name=root.parent.name if root.name == "repo" else root.name,
                           merges=sum(1 for _, p, ct in main if len(p) > 1
                                      and times[0] < ct <= last))
    for t in times:
        cut = next((sha for sha, _, ct in reversed(main) if ct <= t), None)
        if cut is None:
            continue
        files = python_files(root, cut)
        if not files:
            continue
        fileset = set(files)
        flight: set[str] = set()
        flight_commits: set[str] = set()
        for m in merges:
            if not t < m.time <= t + LOOKAHEAD_DAYS * DAY:
                continue
            before = [c for c in m.side if c.author_time <= t]
            if not before or max(c.author_time for c in before) < t - STALE_DAYS * DAY:
                continue
            result.branches += 1
            flight.update(f for c in before for f in c.files if f in fileset)
            flight_commits.update(c.sha for c in m.side)
        areas = {str(PurePosixPath(f).parent) for f in flight}
        group = {f: "direct" if f in flight else
                 "neighbour" if str(PurePosixPath(f).parent) in areas else "rest"
                 for f in files}
        on_main = set(git(root, "rev-list", "--no-merges", f"--max-age={t - 365 * DAY}",
                          cut).split())
        past: Counter[str] = Counter(f for s in on_main if s in by_sha
                                     for f in by_sha[s].files if f in fileset)
        recent: Counter[str] = Counter(f for s in on_main if s in by_sha
                                       and by_sha[s].author_time > t - 90 * DAY
                                       for f in by_sha[s].files if f in fileset)
        changes: Counter[str] = Counter()
        strict: Counter[str] = Counter()
        fixes: Counter[str] = Counter()
        strict_fixes: Counter[str] = Counter()
        for c in log:
            if not t < c.author_time <= t + horizon_days * DAY:
                continue
            touched = [f for f in set(c.files) if f in fileset]
            changes.update(touched)
            if c.sha not in flight_commits:
                strict.update(touched)
            if FIX.search(c.subject):
                fixes.update(touched)
                if c.sha not in flight_commits:
                    strict_fixes.update(touched)
        # expected counts: the mean of the files with the same churn before the cut
        this_cut: dict[str, Tally] = defaultdict(Tally)
        per_bucket: dict[tuple[int, int], list[str]] = defaultdict(list)
        for f in files:
            per_bucket[bucket(past[f]), bucket(recent[f], RECENT_BUCKETS)].append(f)
        for members in per_bucket.values():
            n = len(members)
            mean_c = sum(changes[f] for f in members) / n
            mean_s = sum(strict[f] for f in members) / n
            mean_x = sum(fixes[f] for f in members) / n
            mean_sx = sum(strict_fixes[f] for f in members) / n
            for f in members:
                dormant = ["dormant " + group[f]] if not past[f] else []
                for tally in (this_cut[g] for g in (group[f], *dormant)):
                    tally.files += 1
                    tally.changes += changes[f]
                    tally.strict_changes += strict[f]
                    tally.fixes += fixes[f]
                    tally.strict_fixes += strict_fixes[f]
                    tally.expected_changes += mean_c
                    tally.expected_strict += mean_s
                    tally.expected_fixes += mean_x
                    tally.expected_strict_fixes += mean_sx
        for name, tally in this_cut.items():
            result.groups[name].add(tally)
        result.per_cut.append(dict(this_cut))
        result.cuts += 1
    return result


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def lift(group: Tally, rest: Tally, what: str) -> float | None:
    """Per-file rate of ``what`` in ``group`` over the rate in ``rest``."""
    if not group.files or not rest.files:
        return None
    return _ratio(getattr(group, what) / group.files, getattr(rest, what) / rest.files)


def beyond_churn(group: Tally, what: str) -> float | None:
    expected = {"changes": "expected_changes", "strict_changes": "expected_strict",
                "fixes": "expected_fixes", "strict_fixes": "expected_strict_fixes"}[what]
    return _ratio(getattr(group, what), getattr(group, expected))


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


HEADER = ("project", "cuts", "merges after the cuts", "branches in flight (per cut)",
          "files they touch", "lift: changes", "lift: changes (strict)", "lift: fixes (strict)",
          "beyond churn: changes (strict)", "beyond churn: fixes (strict)",
          "neighbours, beyond churn: changes (strict)",
          "dormant neighbours, beyond churn: changes (strict)")


def row(r: ProjectResult, interval: bool = False) -> list[str]:
    d, n, rest = r.groups["direct"], r.groups["neighbour"], r.groups["rest"]
    total = d.files + n.files + rest.files
    changes = fmt(beyond_churn(d, "strict_changes"))
    fixes = fmt(beyond_churn(d, "strict_fixes"))
    neighbours = fmt(beyond_churn(n, "strict_changes"))
    dormant = fmt(beyond_churn(r.groups["dormant neighbour"], "strict_changes"))
    if interval and r.per_cut:
        changes += " [{}-{}]".format(*map(fmt, bootstrap(r.per_cut, "strict_changes")))
        fixes += " [{}-{}]".format(*map(fmt, bootstrap(r.per_cut, "strict_fixes")))
        neighbours += " [{}-{}]".format(*map(fmt, bootstrap(r.per_cut, "strict_changes",
                                                            "neighbour")))
        dormant += " [{}-{}]".format(*map(fmt, bootstrap(r.per_cut, "strict_changes",
                                                         "dormant neighbour")))
    return [r.name, str(r.cuts), str(r.merges),
            f"{r.branches} ({r.branches / r.cuts:.1f})" if r.cuts else "0",
            f"{100 * d.files / total:.1f}%" if total else "-",
            fmt(lift(d, rest, "changes")), fmt(lift(d, rest, "strict_changes")),
            fmt(lift(d, rest, "strict_fixes")), changes, fixes, neighbours, dormant]


def bootstrap(cuts: list[dict[str, Tally]], what: str, group: str = "direct",
              rounds: int = 2000, seed: int = 20) -> tuple[float | None, float | None]:
    """A 95% interval of a group's observed / expected ``what``, resampling the cuts (of
    every project, pooled) with replacement."""
    import random

    rng = random.Random(seed)
    ratios = []
    for _ in range(rounds):
        tally = Tally()
        for cut in rng.choices(cuts, k=len(cuts)):
            if group in cut:
                tally.add(cut[group])
        ratio = beyond_churn(tally, what)
        if ratio is not None:
            ratios.append(ratio)
    if not ratios:
        return None, None
    ratios.sort()
    return ratios[int(0.025 * len(ratios))], ratios[int(0.975 * len(ratios)) - 1]


def render(results: Iterable[ProjectResult], markdown: bool, interval: bool = False) -> str:
    rows = [list(HEADER)] + [row(r, interval) for r in results]
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |",
                 "|" + "|".join("---" if i == 0 else "---:" for i in range(len(HEADER))) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--cuts", type=int, default=16)
    parser.add_argument("--every-days", type=int, default=91)
    parser.add_argument("--horizon-days", type=int, default=90)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    results = []
    for repo in args.repos:
        print(f"... {repo}", file=sys.stderr, flush=True)
        results.append(analyse(repo, cuts=args.cuts, every_days=args.every_days,
                               horizon_days=args.horizon_days))
        print(render(results[-1:], False), file=sys.stderr, flush=True)
    print(render(results, args.markdown))
    pooled = ProjectResult(name="all (pooled)")
    for r in results:
        pooled.cuts += r.cuts
        pooled.branches += r.branches
        pooled.merges += r.merges
        pooled.per_cut += r.per_cut
        for name, tally in r.groups.items():
            pooled.groups[name].add(tally)
    print(render([pooled], args.markdown, interval=True).splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
