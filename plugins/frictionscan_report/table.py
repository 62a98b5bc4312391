"""``--format table``: a ranked table, one line per file, for a terminal and for logs; with
``--why``, the reasons for each rank under its line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
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
from frictionscan_report import shorten


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
    return (f"Not ranked here: {listed} files; --kinds {','.join(k for k, _ in others)} "
            f"ranks each kind on its own")


#: Errors after which a file's friction rules did not run (it is listed with its problem).
UNREADABLE = frozenset({ErrorKind.PARSE, ErrorKind.DECODE, ErrorKind.IO, ErrorKind.SKIPPED,
                        ErrorKind.CRASH, ErrorKind.TIMEOUT})
#: The findings column of a file whose rules did not run: on purpose (its findings could
#: not move it, unless ``--all-findings``), or because it could not be read or parsed.
NOT_CHECKED, UNREADABLE_MARK = "·", "-"
#: Gap between two columns of the table, in cells.
GAP = 1
#: Below this many cells for the hot function (with the path's :data:`MIN_PATH`), the table
#: leaves that column out.
MIN_HOT, MIN_PATH = 10, 24
#: Widest focus column, in cells (an area's name is cut at its end beyond).
FOCUS_WIDTH = 14


def findings_cell(h: Hotspot) -> str:
    """How many findings the file has, ``0`` included; :data:`NOT_CHECKED` when its friction
    rules were skipped, :data:`UNREADABLE_MARK` when they could not run."""
    a = h.analysis
    if a.findings:
        return str(len(a.findings))
    if any(e.kind in UNREADABLE for e in a.errors):
        return UNREADABLE_MARK
    return str(0) if a.checked else NOT_CHECKED


def focus_cell(h: Hotspot) -> str:
    """The roadmap's word on the file: its focus area and factor (``payments x3``), the
    factor alone when it is not an area's (``x0.5`` for dormant code), or nothing."""
    factor = h.component("focus") or 1.0
    area = next((w.area for w in h.analysis.weights if w.area), None)
    times = "" if factor == 1.0 else f"x{factor:g}"
    return " ".join(part for part in (terminal_safe(area) if area else "", times) if part)


def hot_name(h: Hotspot) -> str:
    """The name of the file's hot function (the X-ray's first), or ``""``."""
    if not h.functions or h.functions[0].score <= 0:
        return ""
    return terminal_safe(h.functions[0].name)


def legend(shown: Sequence[Hotspot]) -> list[str]:
    """What the findings column's marks mean, a line for each mark ``shown`` has."""
    cells = {findings_cell(h) for h in shown}
    lines = []
    if NOT_CHECKED in cells:
        lines.append(f"{NOT_CHECKED} not checked: its findings could not change its rank "
                     f"(--all-findings checks it)")
    if UNREADABLE_MARK in cells:
        lines.append(f"{UNREADABLE_MARK} not checked: it could not be read or parsed (see "
                     f"below)")
    return lines


@dataclass(frozen=True)
class Column:
    header: str
    cells: list[str]
    right: bool = False
    #: Shortens a cell to a width (the flexible columns), or ``None`` (always whole).
    shorten: Callable[[str, int], str] | None = None

    @property
    def wanted(self) -> int:
        return max(cell_len(c) for c in [self.header, *self.cells])


def widths(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width so that a row fits in ``width`` cells: whole columns as wide as
    their widest cell; the flexible ones (path, focus, hot function) share what is left: the
    focus capped at :data:`FOCUS_WIDTH`, the path at least 3/5 of the rest when it needs it,
    each file name and the last part of each function name whole when they fit. A width of
    0 leaves a column out (the hot function, when even that does not fit)."""
    sizes = [c.wanted for c in columns]
    flexible = [i for i, c in enumerate(columns) if c.shorten is not None]
    room = width - GAP * (len(columns) - 1) - sum(
        s for i, s in enumerate(sizes) if i not in flexible)
    if sum(sizes[i] for i in flexible) <= room:
        return sizes
    path, *others = flexible
    focus = [i for i in others if columns[i].header == "focus"]
    for i in focus:
        sizes[i] = max(min(sizes[i], FOCUS_WIDTH), cell_len(columns[i].header))
        room -= sizes[i]
    hot = [i for i in others if i not in focus]
    if hot and room - min(sizes[path], MIN_PATH) < MIN_HOT:  # too narrow: no hot function
        sizes[hot[0]] = 0
        room += GAP
        hot = []
    if not hot:
        sizes[path] = max(room, 1)
        return sizes
    wanted_path, wanted_hot = sizes[path], sizes[hot[0]]
    # what shows every file name and every function's last part whole
    need_path = max(shorten.path_minimum(c) for c in columns[path].cells)
    need_hot = max(shorten.qualified_minimum(c) for c in columns[hot[0]].cells)
    if need_path + need_hot <= room:  # both whole, the path as long as it can, and 3/5
        sizes[path] = min(wanted_path, max(room - need_hot, room * 3 // 5))
    else:  # both cut, each in proportion to what it needs
        sizes[path] = max(room * need_path // (need_path + need_hot), 1)
    sizes[hot[0]] = min(wanted_hot, room - sizes[path])
    return sizes


def _columns(shown: Sequence[Hotspot]) -> list[Column]:
    """The table's columns for the rows ``shown``; focus and hot function only when some
    row has one."""
    columns = [
        Column("#", [str(h.rank) for h in shown], right=True),
        Column("score", [f"{h.score:.2f}" for h in shown], right=True),
        Column("file", [terminal_safe(h.path) for h in shown], shorten=shorten.path),
        Column("changes", [str(h.analysis.history.revisions) for h in shown], right=True),
        Column("cc", ["-" if (cc := h.analysis.value("radon.cc_total")) is None else f"{cc:g}"
                      for h in shown], right=True),
        Column("find.", [findings_cell(h) for h in shown], right=True),
        Column("focus", [focus_cell(h) for h in shown], shorten=shorten.focus),
        Column("hot function", [hot_name(h) for h in shown], shorten=shorten.qualified),
    ]
    return [c for c in columns if c.shorten is None or c.header == "file" or any(c.cells)]


def _line(columns: Sequence[Column], sizes: Sequence[int], row: int | None) -> Text:
    """The header (``row`` ``None``) or a row, its cells cut to their columns' widths."""
    line = Text(no_wrap=True, overflow="ellipsis", end="\n")
    for n, (column, size) in enumerate(zip(columns, sizes)):
        text = column.header if row is None else column.cells[row]
        if column.shorten is not None:
            text = column.shorten(text, size)
        pad = " " * max(size - cell_len(text), 0)
        style = "bold" if row is None or column.header in ("#", "file") else ""
        if n:
            line.append(" " * GAP)
        line.append(pad if column.right else "")
        line.append(text, style=style)
        line.append("" if column.right or n == len(columns) - 1 else pad)
    line.rstrip()
    return line


def _table(console: Console, title: str, shown: Sequence[Hotspot], result: ScanResult,
           reasons: bool) -> None:
    """One line per file that fits the console's width (nothing is wrapped: paths and
    names are shortened in the middle); with ``reasons``, why each file ranks there under
    its line, wrapped at words."""
    console.print(Text(title))
    columns = _columns(shown)
    sizes = widths(columns, console.width)
    columns = [c for c, size in zip(columns, sizes) if size]
    sizes = [size for size in sizes if size]
    indent = sizes[0] + GAP + sizes[1] + GAP
    console.print(_line(columns, sizes, None), crop=True)
    for row, h in enumerate(shown):
        console.print(_line(columns, sizes, row), crop=True)
        if reasons:
            for line in Text(why(h, result.insights), style="dim").wrap(
                    console, max(console.width - indent, 20)):
                line.rstrip()
                console.print(Text(" " * indent).append_text(line), crop=True)


def write_table(result: ScanResult, config: Config, stream: TextIO) -> None:
    console = table_console(stream)
    top = config.top or DEFAULT_TOP
    reasons = bool(config.getoption("report.why", False))
    since = result.since.date().isoformat() if result.since else "the first commit"
    # short enough for one line at 80 columns; the window ends at HEAD's commit date
    commits = result.stat('commits_in_window', 0)
    window = (f"{commits} commit{'' if commits == 1 else 's'} since {since} "
              f"(HEAD {result.head[:10]})")
    groups = by_kind(result.hotspots)
    if not groups:
        console.print(Text(f"Friction hotspots: 0 files, {window}"))
    for kind, hotspots in groups:
        shown = hotspots[:top]
        noun = "files" if kind == "product" else f"{kind} files"
        counted = noun[:-1] if len(hotspots) == 1 else noun  # "1 file", "2 files"
        title = (f"{KIND_TITLES.get(kind, kind.capitalize())}: {len(hotspots)} {counted}, "
                 f"{window}")
        _table(console, title, shown, result, reasons)
        if len(hotspots) > len(shown):
            console.print(Text(f"... {len(hotspots) - len(shown)} more {noun}; --top N "
                               f"shows more, --format json shows all.", style="dim"))
        for line in legend(shown):
            console.print(Text(line, style="dim"))
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
