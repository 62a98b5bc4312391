"""``frictionscan trend``: rank the repository at sampled past commits and tell what is
heating up, what is cooling down and whether refactors paid off (docs/trend.md).

Every point is an ordinary scan of a past commit (``Run(revision=...)``: files from
``git ls-tree``, contents from git objects, history at that commit), in the same session, so
the per-file cache (keyed by blob) makes each extra point cost only the blobs that changed.
The points are scanned oldest first: the git plugin then brings its history state forward
from one point to the next, reading only the commits in between.
"""

from __future__ import annotations

import argparse
import math
import subprocess
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.cli import scanning
from frictionscan.cli.context import Context
from frictionscan.cli.duration_words import mark
from frictionscan.cli.git import git_output
from frictionscan.cli.options import (
    add_output,
    add_path,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.cli.output import write_report
from frictionscan.core.durations import parse_duration, subtract
from frictionscan.core.errors import RepositoryError, UsageError
from frictionscan.core.model import ScanResult
from frictionscan.core.run import Run

NAME = "trend"
SUMMARY = "friction over time: rising and cooling hotspots, refactors that paid off"
DESCRIPTION = ("Rank the repository at sampled past commits (from git objects, nothing "
               "checked out) and tell where friction grows, which hotspots cool down, and "
               "whether the refactors paid off (docs/trend.md).")
PLUGIN_OPTIONS = True
#: At most this many points (a scan each).
MAX_POINTS = 120


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    add_output(parser, formats=session.hooks.formatters("trend"),
               default="table on a terminal, markdown elsewhere", strict=False)
    tr = parser.add_argument_group("trend")
    mark(tr.add_argument("--every", default="1 month", metavar="DURATION",
                         help="time between two points (default 1 month)"))
    mark(tr.add_argument("--last", default="12 months", metavar="DURATION",
                         help="how far back the points go (default 12 months: twelve "
                              "monthly points, the newest at HEAD)"))
    tr.add_argument("--threshold", type=float, default=None, metavar="SCORE",
                    help="score from which a file counts as a hotspot (default: the score "
                         "the top 10%% of changed files reach, over all points)")
    ask = tr.add_mutually_exclusive_group()
    ask.add_argument("--refactor", metavar="REV",
                     help="the before/after of one commit: complexity of the files it "
                          "changed, bug fixes and changes per month before and after it")
    ask.add_argument("--file", metavar="PATH",
                     help="one file's trend, its functions, and its largest complexity drop")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def _time(root: Path, sha: str) -> datetime:
    return datetime.fromtimestamp(int(git_output(root, "show", "-s", "--format=%ct", sha)),
                                  tz=timezone.utc)


def commit_times(root: Path, shas: Iterable[str]) -> dict[str, datetime]:
    """The commit time of each of ``shas`` (one git process)."""
    out = git_output(root, "log", "--no-walk=unsorted", "--format=%H %ct", *shas)
    return {sha: datetime.fromtimestamp(int(ts), tz=timezone.utc)
            for sha, _, ts in (line.partition(" ") for line in out.splitlines())}


def _duration(flag: str, text: str) -> tuple[int, str]:
    try:
        amount, unit = parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    if amount == 0:
        raise UsageError(f"{flag} {text!r} is no time at all: give a duration such as "
                         f"'1 month' or '2 weeks'")
    return amount, unit


def _label(duration: tuple[int, str]) -> str:
    """``(2, "weeks")`` as ``2 weeks``, ``(1, "months")`` as ``1 month`` (as given, however
    written: ``2weeks``, ``2 w``)."""
    amount, unit = duration
    return f"{amount} {unit if amount != 1 else unit.removesuffix('s')}"


def sample_times(head_time: datetime, every: tuple[int, str], last: tuple[int, str]
                 ) -> list[datetime]:
    """HEAD's time and every ``every`` before it while within ``last``, oldest first: 12
    points for ``--every 1 month --last 12 months``, the oldest 11 months before HEAD."""
    start = subtract(head_time, *last)
    times = []
    k = 0
    while True:
        t = subtract(head_time, every[0] * k, every[1])
        if t <= start:
            break
        times.append(t)
        k += 1
        if k > MAX_POINTS:
            raise UsageError(f"--every and --last give more than {MAX_POINTS} points: give "
                             f"a longer --every or a shorter --last")
    return times[::-1]


def commit_before(root: Path, when: datetime) -> str:
    """The last commit on HEAD's first-parent line at or before ``when`` ("" if none)."""
    return git_output(root, "rev-list", "-1", "--first-parent", f"--before={when.isoformat()}",
                "HEAD")


def _refactor_commit(root: Path, rev: str) -> tuple[str, str]:
    """The commit ``--refactor`` names and its first parent."""
    sha = git_output(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if not sha:
        raise UsageError(f"--refactor {rev!r} is not a commit in this repository")
    if subprocess.run(["git", "merge-base", "--is-ancestor", sha, "HEAD"], cwd=root,
                      capture_output=True).returncode != 0:
        raise UsageError(f"--refactor {rev!r} is not in HEAD's history")
    parent = git_output(root, "rev-parse", "--verify", "--quiet", f"{sha}^1")
    if not parent:
        raise UsageError(f"--refactor {rev!r} is the first commit: there is nothing before "
                         f"it to compare with")
    return sha, parent


def _file(root: Path, text: str) -> str:
    """``--file``: a path relative to the current directory when it exists there, else a
    repository-relative path (a file deleted since)."""
    path = Path(text)
    if path.exists():
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise UsageError(f"--file {text}: not inside the repository at {root}") from None
    return text.replace("\\", "/").removeprefix("./")


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.views import trend as tv

    session, root = context.scanning
    every = _duration("--every", args.every)
    last = _duration("--last", args.last)
    if args.threshold is not None and not (math.isfinite(args.threshold)
                                           and args.threshold >= 0):
        raise UsageError(f"--threshold {args.threshold:g}: the threshold must be a number, "
                         f"zero or more")
    # trend totals count the findings of every file, not only of the files that can move
    # the ranking (docs/trend.md): each blob is checked once, then cached. Work in flight
    # (the evidence plugin) is known for today only: it would weigh the newest point alone
    extra: dict[str, object] = {"all_findings": True}
    if any(o.key == "evidence.enabled" for o in session.options):
        extra["evidence.enabled"] = False
    config = scanning.configure(context, args, extra=extra)
    head = git_output(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not head:
        raise RepositoryError(f"{root}: the repository has no commits yet; commit something "
                              f"first")
    head_time = _time(root, head)
    times = sample_times(head_time, every, last)
    if len(times) < 2:
        raise UsageError(f"--last {args.last} is not longer than --every {args.every}: one "
                         f"point is no trend")
    shas = [commit_before(root, t) for t in times]
    if not shas[0]:
        first = _time(root, git_output(root, "rev-list", "--max-parents=0", "HEAD").split()[-1])
        raise UsageError(f"--last {args.last} reaches back before the first commit "
                         f"({first.date()}): give a --last no longer than the history")
    if len(set(shas)) < 2:
        raise UsageError(f"one commit at every point: no commit between "
                         f"{times[0].date()} and {head_time.date()} (give a longer --last)")
    refactor = _refactor_commit(root, args.refactor) if args.refactor else None
    file = _file(root, args.file) if args.file else None
    wanted = dict.fromkeys(shas)
    if refactor is not None:
        wanted.update(dict.fromkeys(refactor[::-1]))
    when = commit_times(root, wanted)
    # oldest first, so that the git plugin reads only the commits between two points
    order = sorted(wanted, key=lambda sha: when[sha])
    scans: dict[str, ScanResult] = {}
    with scanning.progress(context, args) as shown, session.sharing():
        for i, sha in enumerate(order, 1):
            def progress(phase: str, done: int, total: int, i: int = i) -> None:
                shown(f"point {i} of {len(order)}: {phase}", done, total)
            scans[sha] = session.scan(config, Run(revision=sha), progress=progress)
    if args.verbose:
        for sha in order:
            context.stderr.write(f"{sha[:10]} ")
            scanning.write_timings(scans[sha], context.stderr)
    oldest = min(when.values())
    earliest = subtract(oldest, *last)
    base = commit_before(root, earliest) or \
        git_output(root, "rev-list", "--max-parents=0", "HEAD").split()[-1]
    commits = session.hooks.commits_after(root, base, head_time, config)
    probe = None
    if refactor is not None:
        sha, parent = refactor
        probe = tv.RefactorProbe(commit=sha, time=when[sha], before=scans[parent],
                                 after=scans[sha])
    report = tv.build_trend(
        [tv.Sample(time=t, result=scans[sha]) for t, sha in zip(times, shas)], commits,
        every=_label(every), last=_label(last),
        fix_pattern=str(config.getoption("git.fix_pattern", "")) or r"\bfix",
        earliest=max(earliest, _time(root, base)), threshold=args.threshold,
        top=config.top or tv.TOP_FILES, probe=probe, file=file)
    write_report(report, session.hooks.formatters("trend"), config, args.format,
                 args.output, context.stdout)
    return 0
