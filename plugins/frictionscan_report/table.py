"""``--format table``: a ranked table with the reasons for each rank, for a terminal."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from frictionscan.api import (
    Config,
    ErrorKind,
    Hotspot,
    Insights,
    ScanResult,
    coupling_phrase,
    printable,
    terminal_safe,
)
from frictionscan_report import TABLE_TOP as DEFAULT_TOP


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def hot_function(h: Hotspot) -> str | None:
    """``hot: NAME (cc N, C of R changes)``: the function with the highest function score,
    from the X-ray (``None`` without one, or when no function changed)."""
    if not h.functions or h.functions[0].score <= 0:
        return None
    f = h.functions[0]
    cc = f"cc {f.complexity:g}, " if f.complexity is not None else ""
    total = max(h.analysis.history.revisions, f.changes)
    return f"hot: {f.name} ({cc}{f.changes} of {_n(total, 'change')})"


def why(h: Hotspot, insights: Insights | None = None) -> str:
    """A one-line explanation of the rank, from the score's components (and, given the
    scan's ``insights``, the file's strongest coupling when its degree is high)."""
    a = h.analysis
    parts = []
    hist = a.history
    if hist.revisions:
        fixes = f", {_n(hist.fixes, 'fix', 'fixes')}" if hist.fixes else ""
        parts.append(f"{_n(hist.revisions, 'change')} by {_n(len(hist.authors), 'author')}"
                     f"{fixes}")
    else:
        parts.append("no recent change")
    functions = sorted(a.symbol_values("radon.cc"), key=lambda m: -m.value)
    hot = hot_function(h)
    if hot:
        parts.append(hot)
    if functions and functions[0].symbol is not None and not (
            h.functions and h.functions[0].score > 0
            and h.functions[0].name == functions[0].symbol.name):
        parts.append(f"max cc {functions[0].value:g} in {functions[0].symbol.name}")
    elif a.value("radon.cc_total") is None:
        parts.append("complexity not measured")
    if a.findings:
        fixable = sum(f.fix_available for f in a.findings)
        parts.append(_n(len(a.findings), "finding")
                     + (f" ({fixable} with a fix)" if fixable else ""))
    coupled = coupling_phrase(h, insights)
    if coupled:
        parts.append(coupled)
    parts.extend(w.reason for w in a.weights)
    return printable(" · ".join(parts))


#: Columns of the table off a terminal (a pipe, a file, a CI log) when ``$COLUMNS`` is unset.
PLAIN_WIDTH = 100


def plain_width() -> int:
    """The width off a terminal: ``$COLUMNS`` when it is a positive number, else
    :data:`PLAIN_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else PLAIN_WIDTH


def table_console(stream: TextIO) -> Console:
    """A console for ``stream``: colours and the terminal's width on a terminal; plain text
    (no colour, no control sequences) of a fixed width elsewhere, as ruff and pytest do."""
    isatty = getattr(stream, "isatty", None)
    try:
        terminal = bool(isatty and isatty())
    except (OSError, ValueError):
        terminal = False
    if terminal:
        return Console(file=stream, highlight=False, soft_wrap=False)
    return Console(file=stream, highlight=False, soft_wrap=False, width=plain_width(),
                   color_system=None, force_terminal=False, no_color=True, emoji=False)


#: How each kind's ranking is titled.
KIND_TITLES = {"product": "Friction hotspots", "test": "Tests", "docs": "Docs and examples",
               "tooling": "Tooling", "generated": "Generated code", "vendored": "Vendored code"}


def by_kind(hotspots: Sequence[Hotspot]) -> list[tuple[str, list[Hotspot]]]:
    """The hotspots grouped by kind, in the order the engine ranked the kinds."""
    groups: dict[str, list[Hotspot]] = {}
    for h in hotspots:
        groups.setdefault(h.kind, []).append(h)
    return list(groups.items())


def not_ranked(result: ScanResult) -> str:
    """One line naming the kinds of files kept out of the ranking, or ``""``."""
    others = [(kind, n) for kind, n, ranked in result.kinds if not ranked and n]
    if not others:
        return ""
    listed = ", ".join(f"{n} {kind}" for kind, n in others)
    return (f"Not ranked here: {listed} files (each kind is ranked on its own: --kinds "
            f"{','.join(k for k, _ in others)} or --kinds all)")


def _table(console: Console, title: str, shown: Sequence[Hotspot],
           result: ScanResult) -> None:
    table = Table(title=Text(title), title_justify="left", expand=True)
    table.add_column("#", justify="right", style="bold")
    table.add_column("score", justify="right")
    table.add_column("file  (why it ranks here)", overflow="fold", ratio=1)
    table.add_column("changes", justify="right")
    table.add_column("cc", justify="right")
    table.add_column("find.", justify="right")
    table.add_column("focus", justify="right")
    for h in shown:
        a = h.analysis
        cc = a.value("radon.cc_total")
        focus = h.component("focus") or 1.0
        table.add_row(
            str(h.rank), f"{h.score:.2f}",
            Text.assemble((terminal_safe(h.path), "bold"), "\n",
                          (terminal_safe(why(h, result.insights)), "dim")),
            str(a.history.revisions), "-" if cc is None else f"{cc:g}",
            str(len(a.findings)) if a.findings else "", "" if focus == 1.0 else f"x{focus:g}")
    console.print(table)


def write_table(result: ScanResult, config: Config, stream: TextIO) -> None:
    console = table_console(stream)
    top = config.top or DEFAULT_TOP
    since = result.since.date().isoformat() if result.since else "the first commit"
    window = (f"changed by {result.stat('commits_in_window', 0)} commits since {since} "
              f"(HEAD {result.head[:10]}, {result.head_time.date().isoformat()})")
    groups = by_kind(result.hotspots)
    if not groups:
        console.print(Text(f"Friction hotspots: 0 files, {window}"))
    for kind, hotspots in groups:
        shown = hotspots[:top]
        noun = "files" if kind == "product" else f"{kind} files"
        title = f"{KIND_TITLES.get(kind, kind.capitalize())}: {len(hotspots)} {noun}, {window}"
        _table(console, title, shown, result)
        if len(hotspots) > len(shown):
            console.print(Text(f"... {len(hotspots) - len(shown)} more {noun}; --top N "
                               f"shows more, --format json shows all.", style="dim"))
    line = not_ranked(result)
    if line:
        console.print(Text(line, style="dim"))
    suppressed = [(h.path, f) for h in result.hotspots for f in h.analysis.suppressed]
    if suppressed and config.getoption("report.show_suppressed", False):
        console.print(Text(f"{len(suppressed)} suppressed findings:", style="dim"))
        for path, f in suppressed:
            because = f" (reason: {f.suppression_reason})" if f.suppression_reason else ""
            console.print(Text(terminal_safe(f"  {path}:{f.span.start_line}: {f.code} "
                                             f"{f.message}{because}"), style="dim"))
    elif suppressed:
        console.print(Text(f"{len(suppressed)} findings suppressed by comments "
                           f"(--show-suppressed lists them)", style="dim"))
    for w in result.warnings:
        console.print(Text("warning: " + terminal_safe(w), style="yellow"))
    problems = [e for e in result.errors if e.kind is not ErrorKind.NOTE]
    if problems:
        counts = Counter(kind for _, kind in {(e.path, e.kind.value) for e in problems})
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        console.print(Text(f"{len({e.path for e in problems})} files with problems "
                           f"({summary}):", style="yellow"))
        seen = set()
        for e in problems[:10]:
            key = (e.path, e.kind)
            if key in seen:
                continue
            seen.add(key)
            console.print(Text("  " + terminal_safe(e.describe())))
        if len(problems) > 10:
            console.print(Text(f"  ... and {len(problems) - 10} more (--format json lists all)",
                               style="dim"))
