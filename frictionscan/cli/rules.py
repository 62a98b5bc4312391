"""``frictionscan rules``: every friction rule the loaded plugins offer (docs/rules.md)."""

from __future__ import annotations

import argparse

from frictionscan.cli.context import Context
from frictionscan.cli.options import add_plugin_selection
from frictionscan.core.text import terminal_safe

NAME = "rules"
SUMMARY = "list every friction rule: code, name, effort, weight, fix, plugin"
DESCRIPTION = ("List every friction rule the loaded plugins offer: its code, name, effort, "
               "weight (how much its findings predict fixes), automatic fix, plugin and "
               "what it flags (docs/rules.md).")
PLUGIN_OPTIONS = False


def add_arguments(parser: argparse.ArgumentParser, context: Context) -> None:
    add_plugin_selection(parser, repository=False)


def run(args: argparse.Namespace, context: Context) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from frictionscan.engine.suppressions import all_rules

    session = context.start_session()
    table = Table(title="Friction rules (docs/rules.md)", title_justify="left")
    for column in ("code", "name", "effort", "weight", "fix", "plugin", "what it flags"):
        table.add_column(column, overflow="fold",
                         justify="right" if column in ("effort", "weight") else "left")
    for plugin, info in all_rules(session.hooks):
        table.add_row(*(Text(terminal_safe(cell)) for cell in (
            info.code, info.name, f"{info.effort_minutes} min", f"{info.weight:g}",
            info.fix or "-", plugin,
            info.summary)))
    Console(file=context.stdout, highlight=False).print(table)
    return 0
