"""``frictionscan baseline``: record today's friction for ``ci`` (docs/ci.md)."""

from __future__ import annotations

import argparse

from frictionscan.cli import records, scanning
from frictionscan.cli.context import Context
from frictionscan.cli.options import (
    add_output,
    add_path,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.core.text import terminal_safe

NAME = "baseline"
SUMMARY = "record today's friction, so that ci fails only on regressions"
DESCRIPTION = ("Record today's friction in .frictionscan/baseline.json, so that `ci` fails "
               "only on regressions, never on existing debt. It writes that file, and no "
               "report.")
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    add_output(parser, output=False, top=False)  # it writes the baseline, not a report
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def run(args: argparse.Namespace, context: Context) -> int:
    _, root = context.scanning
    # ci compares the touched files' findings with the baseline: it records all of them
    config = scanning.configure(context, args, extra={"all_findings": True})
    result = scanning.scan(context, args, config)
    where = records.write_baseline(root, result)
    context.stderr.write(terminal_safe(f"baseline written to {where.relative_to(root)} "
                                       f"({len(result.hotspots)} files); commit it so that "
                                       f"`frictionscan ci` fails only on regressions") + "\n")
    return scanning.exit_code(result, args.strict)
