"""Built-in plugin *report*: the ``table`` (terminal) and ``json`` formats."""

from __future__ import annotations

from frictionscan import hookimpl
from frictionscan.config import OptionParser
from frictionscan.report import Formatter
from frictionscan_report.json_format import write_json
from frictionscan_report.plan_html import write_html
from frictionscan_report.plan_text import write_csv, write_markdown, write_plan_json
from frictionscan_report.table import write_table

__version__ = "0.1.0"


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("report.show_suppressed", type=bool, default=False,
                     flag="--show-suppressed",
                     help="list the findings silenced by suppression comments")


@hookimpl
def frictionscan_formatters() -> list[Formatter]:
    return [
        Formatter(name="table", description="ranked table with reasons, for a terminal",
                  write=write_table, default_on_terminal=True),
        Formatter(name="json", description="versioned JSON document (docs/json-format.md)",
                  write=write_json, default_elsewhere=True),
        Formatter(name="markdown", description="sprint-planning report for GitHub",
                  write=write_markdown, view="plan", default_on_terminal=True,
                  default_elsewhere=True),
        Formatter(name="html", description="self-contained page with chart and sortable table",
                  write=write_html, view="plan"),
        Formatter(name="csv", description="one row per item, stable columns",
                  write=write_csv, view="plan"),
        Formatter(name="json", description="the plan as JSON", write=write_plan_json,
                  view="plan"),
    ]
