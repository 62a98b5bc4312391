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


#: Fewest cells for "what it flags" beside the other columns; below, it goes under its rule.
SUMMARY_WIDTH = 30
#: Gap between two columns (one when two do not leave the names whole).
GAP = 2


def run(args: argparse.Namespace, context: Context) -> int:
    from rich.console import Console
    from rich.text import Text

    from frictionscan.engine.suppressions import all_rules

    session = context.start_session()
    rows = [[terminal_safe(cell) for cell in (
        info.code, info.name, f"{info.effort_minutes} min", f"{info.weight:g}", info.fix or "-",
        plugin, info.summary)] for plugin, info in all_rules(session.hooks)]
    console = Console(file=context.stdout, highlight=False, soft_wrap=False)
    console.print(Text("Friction rules (docs/rules.md)"))
    for line in rule_lines(HEADER, rows, console.width):
        console.print(Text(line), soft_wrap=True)  # never wrapped: names stay whole
    return 0


#: The columns: code, name, effort, weight, fix, plugin, what it flags.
HEADER = ("code", "name", "effort", "weight", "fix", "plugin", "what it flags")
#: Columns aligned right.
RIGHT = frozenset({2, 3})


def rule_lines(header: tuple[str, ...], rows: list[list[str]], width: int) -> list[str]:
    """The rules, one per line, their names never cut or broken (a line may be longer than
    ``width`` rather): the last column ("what it flags") wrapped at words beside the others
    when it has :data:`SUMMARY_WIDTH` cells, else on lines of its own under its rule."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.text import Text

    fixed = [max(cell_len(r[i]) for r in [list(header), *rows])
             for i in range(len(header) - 1)]
    gap = GAP if sum(fixed) + GAP * (len(fixed) - 1) <= width else 1
    beside = sum(fixed) + gap * len(fixed)
    under = width - beside < SUMMARY_WIDTH
    indent = fixed[0] + gap if under else beside
    measure = Console(width=max(width - indent, SUMMARY_WIDTH), file=None)

    def cells(row: list[str] | tuple[str, ...]) -> str:
        return (" " * gap).join(
            cell.rjust(n + len(cell) - cell_len(cell)) if i in RIGHT
            else cell.ljust(n + len(cell) - cell_len(cell)) for i, (cell, n) in
            enumerate(zip(row, fixed)))

    lines = [cells(header) + ("" if under else " " * gap + header[-1])]
    for row in rows:
        summary = [line.plain.rstrip() for line in Text(row[-1]).wrap(measure, measure.width)]
        if under:
            lines.append(cells(row).rstrip())
            lines.extend(" " * indent + part for part in summary)
        else:
            lines.append(cells(row) + " " * gap + summary[0])
            lines.extend(" " * indent + part for part in summary[1:])
    return [line.rstrip() for line in lines]
