"""``frictionscan plan``: the sprint-planning report (docs/planning.md)."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from frictionscan.cli import records, scanning
from frictionscan.cli.context import Context
from frictionscan.cli.git import git_output
from frictionscan.cli.options import (
    add_output,
    add_path,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.cli.output import write_report
from frictionscan.core.durations import subtract
from frictionscan.core.run import Run
from frictionscan.core.text import terminal_safe

NAME = "plan"
SUMMARY = "the sprint-planning report: refactor targets, quick wins"
DESCRIPTION = ("The sprint-planning report: refactor targets per focus area with effort, "
               "quick wins, and what is left alone (docs/planning.md).")
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    out = add_output(parser, formats=session.hooks.formatters("plan"), default="markdown")
    out.add_argument("--save", action="store_true",
                     help="save this plan as the snapshot the next plan compares with "
                          "(.frictionscan/snapshots/)")
    out.add_argument("--no-trend", action="store_true",
                     help="leave out the trend (it scans the commit three months before "
                          "HEAD as well)")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def trend_base(root: Path) -> str | None:
    """The last commit (first parent) at least ``TREND_MONTHS`` before HEAD's, if the
    history reaches back that far."""
    from frictionscan.views.plan import TREND_MONTHS

    head = git_output(root, "show", "-s", "--format=%ct", "HEAD")
    if not head:
        return None
    when = subtract(datetime.fromtimestamp(int(head), tz=timezone.utc), TREND_MONTHS, "months")
    return git_output(root, "rev-list", "-1", "--first-parent",
                      f"--before={when.isoformat()}", "HEAD") or None


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.views.plan import build_plan, xray_paths

    session, root = context.scanning
    config = scanning.configure(context, args)
    # the commit three months back first: the git plugin then brings its history state
    # forward to HEAD rather than back
    base = None if args.no_trend else trend_base(root)
    earlier = scanning.scan(context, args, config, Run(revision=base)) if base else None
    result = scanning.scan(context, args, config)
    snapshot = records.load_snapshot(root)
    if snapshot is None and records.snapshot_path(root).exists():
        context.stderr.write("warning: the saved snapshot is unreadable; planning without "
                             "comparison (--save writes a new one)\n")
    plan = build_plan(result, snapshot, earlier=earlier)
    # the X-ray of what the plan shows, now that it is chosen (targets, quick wins)
    result = session.xray(config, result, xray_paths(plan))
    plan = build_plan(result, snapshot, earlier=earlier)
    write_report(plan, session.hooks.formatters("plan"), config, args.format, args.output,
                 context.stdout)
    if args.save:
        where = records.save_snapshot(root, result)
        context.stderr.write(terminal_safe(f"snapshot saved to {where.relative_to(root)}")
                             + "\n")
    return scanning.exit_code(result, args.strict)
