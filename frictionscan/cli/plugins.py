"""``frictionscan plugins``: the loaded plugins, where they came from, and their hooks."""

from __future__ import annotations

import argparse

from frictionscan.cli.context import Context
from frictionscan.cli.options import add_plugin_selection
from frictionscan.core.text import terminal_safe
from frictionscan.plugin.manager import describe_plugins

NAME = "plugins"
SUMMARY = "list the loaded plugins, where they come from, their hooks"
DESCRIPTION = ("List the plugins that load with these options (built-in, installed, -p), "
               "where each came from, and the hooks it implements.")
PLUGIN_OPTIONS = False


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    add_plugin_selection(parser, repository=False)


def run(args: argparse.Namespace, context: Context) -> int:
    session = context.start_session()
    for info in describe_plugins(session.pm):
        context.stdout.write(terminal_safe(f"{info.name}  ({info.module}, {info.origin})")
                             + "\n")
        context.stdout.write(terminal_safe(f"    hooks: {', '.join(info.hooks) or '-'}") + "\n")
    return 0
