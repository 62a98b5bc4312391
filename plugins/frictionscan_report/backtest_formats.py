"""The ``backtest`` view's formats (``frictionscan backtest``): a table for a terminal,
Markdown, or JSON.

The report they render is a dict built by the ``backtest`` command and documented in
docs/backtest.md (the JSON format writes it as it is); repository text (none but commit ids
reaches it) is escaped all the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from frictionscan.api import Config, json_text, markdown_escape, terminal_safe

#: The metrics in the order of the columns, with their headings.
LABELS = {"top20_files": "top 20% files", "top20_loc": "top 20% lines", "popt": "Popt",
          "spearman": "Spearman", "precision10": "precision@10"}


def cell(value: float, metric: str) -> str:
    """A metric as a table cell: shares as percentages, the rest with three decimals."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    share = metric.startswith("top20") or metric == "precision10"
    return f"{value:.1%}" if share else f"{value:.3f}"


@dataclass(frozen=True)
class _Calibration:
    """What ``--calibrate`` adds to the report, ready to print."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    outcome: str
    warnings: list[str]


def _calibration(fit: Mapping[str, Any] | None) -> _Calibration | None:
    if not fit:
        return None

    def tag(c: Mapping[str, Any]) -> str:
        if c["options"] == fit["current"]["options"]:
            return "current"
        return "chosen" if c["options"] == fit["chosen"]["options"] else ""

    rows = [[*(f"{v:g}" for v in c["options"].values()),
             cell(c["top20_files"], "top20_files"), cell(c["top20_loc"], "top20_loc"),
             cell(c["popt"], "popt"), tag(c)] for c in fit["candidates"]]
    chosen = ", ".join(f"{k} = {v:g}" for k, v in fit["chosen"]["options"].items())
    outcome = (f"wrote {chosen} into {fit['written_to']}" if fit["written_to"] else
               "kept the current options: no combination gains half a point "
               "(top 20% of files plus top 20% of lines)")
    return _Calibration(
        title=(f"{fit['combinations']} combinations of {', '.join(fit['options'])}, "
               f"{fit['fix_commits']} fix commits"),
        columns=[*(k.split(".", 1)[-1] for k in fit["options"]), "hotspot: top 20% files",
                 "effort: top 20% lines", "Popt", ""],
        rows=rows, outcome=outcome, warnings=list(fit["warnings"]))


def _cut_lines(report: Mapping[str, Any]) -> list[str]:
    lines = []
    for c in report["cuts"]:
        s = c["summary"]
        lines.append(f"cut {c['revision'][:10]} ({c['time'][:10]}), fixes until "
                     f"{c['until'][:10]}: {s['fix_commits']} fix commits touching "
                     f"{s['files_with_fixes']} of {s['files']} files ({s['fix_touches']} "
                     f"touches)")
        lines += [f"warning: {w}" for w in c["warnings"]]
    return lines


def _title(report: Mapping[str, Any]) -> str:
    cuts = len(report["cuts"])
    what = f"mean of {cuts} cuts" if cuts > 1 else "results"
    return f"{what}, horizon {report['horizon']}"


def _rows(report: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    return [(name, [cell(m[k], k) for k in LABELS]) for name, m in report["mean"].items()]


def write_json(report: Mapping[str, Any], config: Config, stream: TextIO) -> None:
    """A metric that cannot be computed is NaN in Python and ``null`` in JSON (``NaN`` is
    not JSON: strict parsers reject it)."""
    stream.write(json_text(report) + "\n")


def write_markdown(report: Mapping[str, Any], config: Config, stream: TextIO) -> None:
    out = [f"**frictionscan backtest** ({_title(report)})", ""]
    out += [f"- {markdown_escape(line)}" for line in _cut_lines(report)] + [""]
    out += ["| ranking | " + " | ".join(LABELS.values()) + " |",
            "|---|" + "---:|" * len(LABELS)]
    out += [f"| {markdown_escape(name)} | " + " | ".join(vals) + " |"
            for name, vals in _rows(report)]
    fit = _calibration(report.get("calibration"))
    if fit:
        out += ["", f"**Calibration** ({markdown_escape(fit.title)})", "",
                "| " + " | ".join(markdown_escape(c) for c in fit.columns) + " |",
                "|" + "---:|" * (len(fit.columns) - 1) + "---|"]
        out += ["| " + " | ".join(vals) + " |" for vals in fit.rows]
        out += ["", markdown_escape(fit.outcome)]
        out += [f"- warning: {markdown_escape(w)}" for w in fit.warnings]
    stream.write("\n".join(out) + "\n")


def write_table(report: Mapping[str, Any], config: Config, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False)
    for line in _cut_lines(report):
        console.print(Text(terminal_safe(line)))
    table = Table(title=Text(terminal_safe(f"Backtest ({_title(report)})")),
                  title_justify="left")
    table.add_column("ranking")
    for name in LABELS.values():
        table.add_column(name, justify="right")
    for name, vals in _rows(report):
        table.add_row(Text(terminal_safe(name)), *vals)
    console.print(table)
    fit = _calibration(report.get("calibration"))
    if fit:
        cal = Table(title=Text(terminal_safe(f"Calibration ({fit.title})")),
                    title_justify="left")
        for name in fit.columns:
            cal.add_column(Text(terminal_safe(name)), justify="right" if name else "left")
        for vals in fit.rows:
            cal.add_row(*vals)
        console.print(cal)
        console.print(Text(terminal_safe(fit.outcome)))
        for w in fit.warnings:
            console.print(Text(terminal_safe(f"warning: {w}"), style="yellow"))

