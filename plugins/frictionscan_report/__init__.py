"""Built-in plugin *report*: every built-in output format, per view: ``scan`` (``table``,
``json``), ``plan`` (``markdown``, ``html``, ``csv``, ``json``), ``ci`` (``markdown``,
``text``, ``sarif``, ``json``), ``explain`` (``text``, ``json``), ``backtest``
(``table``, ``markdown``, ``json``) and ``trend`` (``table``, ``markdown``, ``html``,
``csv``, ``json``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TextIO

from frictionscan.api import (
    Config,
    Formatter,
    OptionParser,
    hookimpl,
)


def _lazy(module: str, function: str) -> Callable[[Any, Config, TextIO], None]:
    """A formatter that imports its module when it is used (rich and jinja2 cost
    time that a run writing JSON should not pay)."""
    def write(result: Any, config: Config, stream: TextIO) -> None:
        getattr(importlib.import_module(f"frictionscan_report.{module}"), function)(
            result, config, stream)

    write.__name__ = function
    return write


write_table = _lazy("table", "write_table")
write_json = _lazy("json_format", "write_json")
write_markdown = _lazy("plan_text", "write_markdown")
write_csv = _lazy("plan_text", "write_csv")
write_plan_json = _lazy("plan_text", "write_plan_json")
write_html = _lazy("plan_html", "write_html")

__version__ = "0.1.0"

#: Rows of the terminal table without ``--top``.
TABLE_TOP = 25
#: Where frictionscan's documentation lives (the rules' ``helpUri`` in SARIF).
#: Empty until the project has a public home: a link to a repository that may not exist is
#: worse than none. A team sets ``report.docs_url`` to where it keeps frictionscan's docs.
DOCS_URL = ""


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("report.show_suppressed", type=bool, default=False,
                     flag="--show-suppressed",
                     help="list the findings silenced by suppression comments")
    parser.addoption("report.why", type=bool, default=False, flag="--why",
                     help="scan's table: why each file ranks where it does, under its line")
    parser.addoption("report.mermaid", type=bool, default=False, flag="--mermaid",
                     help="ci: add a Mermaid quadrant chart of the touched files")
    parser.addoption("report.artifact", type=str, default="", flag="--artifact",
                     help="ci: where the full report is kept, named when a comment is cut")
    parser.addoption("report.docs_url", type=str, default=DOCS_URL, flag="--docs-url",
                     help="ci: where frictionscan's docs/ are, for the rules' help links in "
                          "SARIF (empty: no links)")


@hookimpl
def frictionscan_formatters() -> list[Formatter]:
    return [
        Formatter(name="table", description="ranked table, one line per file (--why: the reasons)",
                  write=write_table, default_on_terminal=True, default_elsewhere=True,
                  shows_top=TABLE_TOP),
        Formatter(name="json", description="versioned JSON document (docs/json-format.md)",
                  write=write_json),
        Formatter(name="markdown", description="sprint-planning report for GitHub",
                  write=write_markdown, view="plan", default_on_terminal=True,
                  default_elsewhere=True),
        Formatter(name="html", description="self-contained page with chart and sortable table",
                  write=write_html, view="plan"),
        Formatter(name="csv", description="one row per item, stable columns",
                  write=write_csv, view="plan"),
        Formatter(name="json", description="the plan as JSON", write=write_plan_json,
                  view="plan"),
        Formatter(name="markdown", description="sticky pull-request comment", view="ci",
                  write=_lazy("ci_formats", "write_markdown"), default_elsewhere=True),
        Formatter(name="text", description="plain text for terminals and hooks", view="ci",
                  write=_lazy("ci_formats", "write_text"), default_on_terminal=True),
        Formatter(name="sarif", description="SARIF 2.1.0 for code scanning", view="ci",
                  write=_lazy("ci_formats", "write_sarif")),
        Formatter(name="json", description="the comparison as JSON", view="ci",
                  write=_lazy("ci_formats", "write_json")),
        Formatter(name="text", description="one file's story, for a terminal", view="explain",
                  write=_lazy("explain_formats", "write_text"), default_on_terminal=True,
                  default_elsewhere=True),
        Formatter(name="json", description="the explanation as JSON", view="explain",
                  write=_lazy("explain_formats", "write_json")),
        Formatter(name="table", description="the metrics of every ranking, for a terminal",
                  view="backtest", write=_lazy("backtest_formats", "write_table"),
                  default_on_terminal=True, default_elsewhere=True),
        Formatter(name="markdown", description="the same as Markdown", view="backtest",
                  write=_lazy("backtest_formats", "write_markdown")),
        Formatter(name="json", description="the report as JSON (docs/backtest.md)",
                  view="backtest", write=_lazy("backtest_formats", "write_json")),
        Formatter(name="table", description="points, areas and files, for a terminal",
                  view="trend", write=_lazy("trend_text", "write_table"),
                  default_on_terminal=True),
        Formatter(name="markdown", description="the trend for GitHub, with sparklines",
                  view="trend", write=_lazy("trend_text", "write_markdown"),
                  default_elsewhere=True),
        Formatter(name="html", description="self-contained page with a chart per area",
                  view="trend", write=_lazy("trend_html", "write_html")),
        Formatter(name="csv", description="one row per point, area, file and refactor",
                  view="trend", write=_lazy("trend_text", "write_csv")),
        Formatter(name="json", description="the trend as JSON (docs/trend.md)",
                  view="trend", write=_lazy("trend_text", "write_json")),
    ]
