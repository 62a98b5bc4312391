"""``frictionscan scan``: rank the friction hotspots (the default command)."""

from __future__ import annotations

import argparse

from frictionscan.cli import scanning
from frictionscan.cli.context import Context
from frictionscan.cli.options import (
    add_output,
    add_path,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.cli.output import choose_formatter, write_report
from frictionscan.core.run import Run
from frictionscan.core.text import terminal_safe

NAME = "scan"
SUMMARY = "rank the friction hotspots of a git repository (the default)"
DESCRIPTION = ("Rank the friction hotspots of a git repository: where change meets "
               "complexity, weighted by your roadmap. Without a command, frictionscan runs "
               "scan.")
#: The command's flags include those the loaded plugins declare.
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    add_path(parser)
    add_output(parser, formats=session.hooks.formatters("scan"),
               default="table, plain off a terminal")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def run(args: argparse.Namespace, context: Context) -> int:
    session, _ = context.scanning
    config = scanning.configure(context, args)
    formats = session.hooks.formatters("scan")
    # a report of the first N files needs findings only where they could reach it
    chosen = choose_formatter(formats, args.format, args.output, context.stdout)
    result = scanning.scan(context, args, config,
                           Run(reach=config.top or chosen.shows_top or 0, xray=True))
    write_report(result, formats, config, args.format, args.output, context.stdout)
    if args.output:  # the report's warnings are in the file: say them where the user looks
        for warning in result.warnings:
            context.stderr.write(terminal_safe(f"warning: {warning}") + "\n")
    return scanning.exit_code(result, args.strict)
