"""``frictionscan backtest``: rank the code as it stood at past commits and check where the
following months' bug fixes landed (docs/backtest.md); with ``--calibrate``, fit the
score's options to that history and write them into the configuration file."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Any

from frictionscan.cli import records, scanning
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
from frictionscan.core.config import find_config_file
from frictionscan.core.errors import RepositoryError, UsageError
from frictionscan.core.run import Run

NAME = "backtest"
SUMMARY = "rank a past commit and check where the later bug fixes landed"
DESCRIPTION = ("Rank the code as it stood at a past commit and check where the following "
               "months' bug fixes landed, against simple baselines (docs/backtest.md).")
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    add_output(parser, formats=session.hooks.formatters("backtest"), default="table",
               strict=False)
    bt = parser.add_argument_group("backtest")
    cut = bt.add_mutually_exclusive_group()
    cut.add_argument("--at", metavar="REV", help="the cut commit")
    cut.add_argument("--months-ago", type=int, default=12, metavar="N",
                     help="cut at the last commit N months before HEAD (default 12)")
    mark(bt.add_argument("--horizon", default="12 months", metavar="DURATION",
                         help="how long after the cut to look for bug fixes (default 12 "
                              "months)"))
    bt.add_argument("--cuts", type=int, default=None, metavar="K",
                    help="repeat at K cut points, 3 months apart, and report the mean "
                         "(default 1; 3 with --calibrate)")
    bt.add_argument("--calibrate", action="store_true",
                    help="fit the score's options to this history and write them into "
                         "the configuration file (docs/backtest.md)")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.core.durations import parse_duration, subtract
    from frictionscan.views import backtest as bt

    session, root = context.scanning
    config = scanning.configure(context, args)
    progress = scanning.progress(context, args)
    try:
        amount, unit = parse_duration(args.horizon)
    except ValueError as exc:
        raise UsageError(f"--horizon: {exc}") from None
    if args.cuts is None:
        args.cuts = 1 if args.at or not args.calibrate else 3
    if args.at and args.cuts > 1:
        raise UsageError("--cuts needs --months-ago, not --at")
    if args.cuts < 1:
        raise UsageError("--cuts must be at least 1")
    head_ts = git_output(root, "log", "-1", "--format=%ct", "HEAD")
    if not head_ts:
        raise RepositoryError(f"{root}: the repository has no commits yet; commit something "
                              f"first")
    head_time = datetime.fromtimestamp(int(head_ts), tz=timezone.utc)
    head_sha = git_output(root, "rev-parse", "HEAD")
    cuts = []
    ranked = []  # (result, labels) per cut, for --calibrate
    for i in range(args.cuts):
        if args.at:
            sha = git_output(root, "rev-parse", "--verify", "--quiet", f"{args.at}^{{commit}}")
            if not sha:
                raise UsageError(f"--at {args.at!r} is not a commit in this repository")
        else:
            before = subtract(head_time, args.months_ago + 3 * i, "months")
            sha = git_output(root, "rev-list", "-1", f"--before={before.isoformat()}", "HEAD")
            if not sha:
                raise UsageError(f"no commit {args.months_ago + 3 * i} months before HEAD: "
                                 f"the history is too short (try --months-ago smaller)")
        if sha == head_sha:
            raise UsageError("the cut is HEAD itself: no later commits to check the ranking "
                             "against (cut at an earlier commit with --at or --months-ago)")
        cut_time = datetime.fromtimestamp(int(git_output(root, "log", "-1", "--format=%ct", sha)),
                                          tz=timezone.utc)
        until = subtract(cut_time, -amount, unit)
        with progress:
            result = session.scan(config, Run(revision=sha), progress=progress)
        commits = session.hooks.commits_after(root, sha, until, config)
        labels = bt.label(commits, {h.path for h in result.hotspots},
                          str(config.getoption("git.fix_pattern", "")) or r"\bfix")
        ranked.append((result, labels))
        notes = bt.warnings_for(labels, result)
        if until > head_time:
            notes.append(f"the horizon ends after HEAD ({until.date()}): fixes are counted "
                         f"only up to {head_time.date()}")
        cuts.append({"revision": sha, "time": cut_time.isoformat(),
                     "until": min(until, head_time).isoformat(),
                     "summary": bt.summary(labels, result),
                     "metrics": bt.backtest(result, labels), "warnings": notes})
    report: dict[str, Any] = {"schema_version": 1, "horizon": args.horizon, "cuts": cuts,
                              "mean": bt.average([c["metrics"] for c in cuts])}  # type: ignore[misc]
    if args.calibrate:
        from frictionscan.views.calibrate import calibrate

        fit = calibrate(session.hooks, config, ranked)
        fit["written_to"] = None
        if fit["changed"]:
            written = records.write_options(find_config_file(root, args.config), root,
                                            fit["chosen"]["options"])
            fit["written_to"] = str(written.relative_to(root)) \
                if written.is_relative_to(root) else str(written)
        report["calibration"] = fit
    write_report(report, session.hooks.formatters("backtest"), config, args.format,
                 args.output, context.stdout)
    return 0
