"""frictionscan-todo: count TODO/FIXME markers and report each as a finding."""

from __future__ import annotations

import re

from frictionscan.api import Config, Finding, Measurement, OptionParser, SourceFile, Span, hookimpl

MARKER = re.compile(r"#\s*(TODO|FIXME|XXX)\b(.*)")


@hookimpl
def frictionscan_addoption(parser: OptionParser) -> None:
    parser.addoption("todo.effort_minutes", type=int, default=15,
                     help="minutes to resolve one TODO")


@hookimpl
def frictionscan_measure_file(source: str) -> Measurement:
    return Measurement(key="todo.count", value=len(MARKER.findall(source)))


@hookimpl
def frictionscan_check_file(file: SourceFile, source: str, config: Config) -> list[Finding]:
    effort = config.getoption("todo.effort_minutes", 15)
    findings = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            findings.append(Finding(
                code="TD001", name="todo-marker",
                message=f"{match.group(1)} left in the code:{match.group(2)[:60]}",
                span=Span(start_line=number, start_col=match.start()),
                effort_minutes=effort))
    return findings
