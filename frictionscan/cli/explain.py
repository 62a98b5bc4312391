"""``frictionscan explain FILE``: why one file ranks where it does."""

from __future__ import annotations

import argparse
from pathlib import Path

from frictionscan.cli import scanning
from frictionscan.cli.context import Context
from frictionscan.cli.options import (
    add_output,
    add_plugin_options,
    add_plugin_selection,
    add_selection,
)
from frictionscan.cli.output import write_report
from frictionscan.core.errors import UsageError
from frictionscan.core.run import Run

NAME = "explain"
SUMMARY = "why one file ranks where it does: score, history, findings"
DESCRIPTION = ("Everything about one file: rank, score components, change timeline, complex "
               "functions, findings, focus areas.")
PLUGIN_OPTIONS = True


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    session = context.loaded()
    parser.add_argument("path", metavar="FILE",
                        help="the file to explain, relative to the current directory")
    add_output(parser, formats=session.hooks.formatters("explain"), default="text")
    add_selection(parser)
    add_plugin_selection(parser)
    add_plugin_options(parser, session.options)


def check_path(path: Path) -> None:
    """Checked before the repository is looked for."""
    if not path.is_file():
        raise UsageError(f"{path} is not a file")


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.views.explain import explain, find_hotspot

    session, root = context.scanning
    target = Path(args.path)
    check_path(target)
    try:
        rel = target.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = ""  # outside the repository: find_hotspot says so
    # one file's whole story: its findings, and its first change and former names from all
    # of history
    older = {"git.older_history": True} \
        if any(o.key == "git.older_history" for o in session.options) else {}
    config = scanning.configure(context, args, defaults=older)
    # its rank is exact when the files that could pass it are checked: no others
    result = scanning.scan(context, args, config,
                           Run(check_paths=(rel,), reach_path=rel, xray=True))
    hotspot = find_hotspot(result, root, target.resolve())
    write_report(explain(result, hotspot), session.hooks.formatters("explain"), config,
                 args.format, args.output, context.stdout)
    return scanning.exit_code(result, args.strict)
