"""``frictionscan hooks``: the hook reference (docs/hooks.md is its output)."""

from __future__ import annotations

import argparse

from frictionscan.cli.context import Context
from frictionscan.cli.options import add_plugin_selection
from frictionscan.core.text import terminal_safe

NAME = "hooks"
SUMMARY = "print the hook reference as Markdown (docs/hooks.md)"
DESCRIPTION = ("Print the reference of every hook a plugin may implement, as Markdown "
               "(docs/hooks.md is this output), with the hooks the loaded plugins add.")
PLUGIN_OPTIONS = False


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    add_plugin_selection(parser, repository=False)


def run(args: argparse.Namespace, context: Context) -> int:
    from frictionscan.plugin.hookdoc import hooks_markdown

    session = context.start_session()
    context.stdout.write(terminal_safe(hooks_markdown(session.pm), multiline=True))
    return 0
