"""The ``trend`` view's text formats (``frictionscan trend``): a compact table for a
terminal, Markdown for GitHub, CSV and JSON (the schema is documented in docs/trend.md).

Every string from the repository (paths, area names, the sentences that quote them) is
escaped for where it goes: terminal-safe, Markdown-escaped, neutralised in spreadsheets,
printable in JSON.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any, TextIO

from frictionscan.api import (
    AreaTrend,
    Config,
    FileTrend,
    RefactorEffect,
    Trend,
    TrendPoint,
    json_text,
    printable,
    spreadsheet_safe,
    terminal_safe,
)
from frictionscan.api import (
    markdown_escape as md,
)

#: Eight heights of a sparkline.
BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """One block per value, scaled from zero to the largest, so that a small change looks
    small (a space where the file did not exist)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    high = max(max(known), 0.0) or 1.0
    return "".join(" " if v is None else BLOCKS[round(max(v, 0.0) / high * (len(BLOCKS) - 1))]
                   for v in values)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0%}"


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def first_last(values: Sequence[float | None], spec: str = ".2f") -> str:
    """``first → last`` ("new" when the first is missing, "gone" when the last is)."""
    known = [v for v in values if v is not None]
    if not known:
        return "-"
    start = "new" if values[0] is None else format(values[0], spec)
    end = "gone" if values[-1] is None else format(values[-1], spec)
    return f"{start} → {end}"


def file_lists(trend: Trend) -> list[tuple[str, str, tuple[FileTrend, ...]]]:
    """The lists of files with a trend: (title, what the slope means, files)."""
    return [("Rising hotspots", "score per month", trend.rising),
            ("New hotspots", "score per month", trend.new),
            ("Cooling hotspots", "score per month", trend.cooling)]


def title(trend: Trend) -> str:
    p = trend.points
    name = trend.root.rsplit("/", 1)[-1]
    return (f"Friction trend: {name}, {len(p)} points every {trend.every} "
            f"({p[0].time.date()} to {p[-1].time.date()}, HEAD {trend.head[:10]})")


def _when(r: RefactorEffect) -> str:
    return f"{r.commit[:10]} ({r.end.date()})" if r.commit else \
        f"{r.start.date()} to {r.end.date()}"


def _pair(before: float | None, after: float | None) -> str:
    return f"{number(before)} → {number(after)}"


def _complexity(r: RefactorEffect) -> str:
    def cc(v: float | None) -> str:
        return "-" if v is None else f"{v:g}"
    drop = "" if r.drop is None else f" ({-r.drop:+.0%})"
    return f"{cc(r.complexity_before)} → {cc(r.complexity_after)}{drop}"


# -- table ----------------------------------------------------------------------------
# As the scan's table (table.py): one line per row, as wide as the console; names are
# shortened in the middle (shorten.py), never split across lines; sentences and reasons
# wrap at words.


def _rows(console: Any, title: str, columns: list[Any],
          notes: Sequence[str] = ()) -> None:
    """A titled block of ``columns`` (table.Column) one line per row; ``notes``, one per
    row, printed under it, indented and wrapped at words."""
    from rich.text import Text

    from frictionscan_report.table import _line, widths

    console.print(Text(title, style="bold"))
    sizes = widths(columns, console.width)
    console.print(_line(columns, sizes, None), crop=True)
    for row in range(len(columns[0].cells)):
        console.print(_line(columns, sizes, row), crop=True)
        if notes and notes[row]:
            _indented(console, notes[row], "dim")


def _indented(console: Any, text: str, style: str = "") -> None:
    """``text`` wrapped at words, two spaces in."""
    from rich.text import Text

    for line in Text(text, style=style).wrap(console, max(console.width - 2, 20)):
        line.rstrip()
        console.print(Text("  ").append_text(line), crop=True)


def write_table(trend: Trend, config: Config, stream: TextIO) -> None:
    from rich.text import Text

    from frictionscan_report import shorten
    from frictionscan_report.table import Column, table_console

    console = table_console(stream)
    console.print(Text(terminal_safe(title(trend)), style="bold"))
    for line in trend.summary:
        console.print(Text(terminal_safe(line)))
    p = trend.points
    _rows(console, "Points", [
        Column("date", [str(x.time.date()) for x in p]),
        Column("commit", [x.commit[:10] for x in p]),
        Column("friction", [f"{x.total.score:,.1f}" for x in p], right=True),
        Column("hotspots", [str(x.total.hotspots) for x in p], right=True),
        Column("cc", [f"{x.total.complexity:,.0f}" for x in p], right=True),
        Column("find.", [str(x.total.findings) for x in p], right=True),
        Column("lines", [f"{x.total.lines:,.0f}" for x in p], right=True)])
    areas = (trend.total, *trend.areas)
    _rows(console, "Friction per area", [
        Column("area", [terminal_safe(a.name) for a in areas], shorten=shorten.middle),
        Column("trend", [sparkline(a.scores) for a in areas]),
        Column("friction", [first_last(list(a.scores)) for a in areas]),
        Column("growth", [pct(a.score_growth) for a in areas], right=True),
        Column("lines", [pct(a.lines_growth) for a in areas], right=True),
        Column("vs code", ["faster" if a.faster_than_code else "" for a in areas])])
    for heading, _, files in file_lists(trend):
        if files:
            _rows(console, heading, [
                Column("file", [terminal_safe(f.path) for f in files], shorten=shorten.path),
                Column("trend", [sparkline(f.scores) for f in files]),
                Column("score", [first_last(f.scores) for f in files]),
                Column("per month", [f"{f.slope:+.2f}" for f in files], right=True)],
                notes=[terminal_safe("; ".join(f.reasons)) for f in files])
    if trend.refactors:
        console.print(Text("Refactors (complexity drops)", style="bold"))
        for r in trend.refactors:
            _indented(console, terminal_safe(r.summary))
    _question_table(trend, console)
    for w in trend.warnings:
        console.print(Text("warning: " + terminal_safe(w), style="yellow"))


def _question_table(trend: Trend, console: Any) -> None:
    from rich.text import Text

    from frictionscan_report import shorten
    from frictionscan_report.table import Column

    q = trend.question
    if q is None:
        return
    heading = f"Commit {q.note}" if q.kind == "commit" else f"File {q.subject}"
    console.print(Text(terminal_safe(heading), style="bold"))
    if q.file is not None:
        f = q.file
        console.print(Text(terminal_safe(f"  score {sparkline(f.scores)} {first_last(f.scores)}"
                                         f" ({f.kind}, {f.slope:+.2f} per month)")))
        console.print(Text(terminal_safe(f"  complexity {sparkline(f.complexity)} "
                                         f"{first_last(f.complexity, 'g')}")))
        for fn in f.functions:
            console.print(Text(terminal_safe(f"    {fn.name}: {sparkline(fn.complexity)} "
                                             f"{first_last(fn.complexity, 'g')}")))
    if q.note and q.kind == "file":
        console.print(Text(terminal_safe(f"  {q.note}")))
    if q.refactors:
        rs = q.refactors
        _rows(console, "", [
            Column("file", [terminal_safe(r.path) for r in rs], shorten=shorten.path),
            Column("complexity", [_complexity(r) for r in rs]),
            Column("fixes/month", [_pair(r.fixes_before, r.fixes_after) for r in rs]),
            Column("changes/month", [_pair(r.changes_before, r.changes_after) for r in rs]),
            Column("verdict", [r.verdict for r in rs])])


# -- markdown -----------------------------------------------------------------------------


def write_markdown(trend: Trend, config: Config, stream: TextIO) -> None:
    out = [f"# {md(title(trend))}", ""]
    out += [f"> {md(line)}" for line in trend.summary] + [""]
    out += [f"**Warning:** {md(w)}" for w in trend.warnings]
    if trend.warnings:
        out.append("")
    out += ["## Friction per area", "",
            "| Area | Trend | Friction | Growth | Lines | |", "|---|---|---|---:|---:|---|"]
    for a in (trend.total, *trend.areas):
        out.append(f"| {md(a.name)} | {sparkline(a.scores)} | {first_last(list(a.scores))} | "
                   f"{pct(a.score_growth)} | {pct(a.lines_growth)} | "
                   f"{'**faster than code**' if a.faster_than_code else ''} |")
    out.append("")
    for heading, _, files in file_lists(trend):
        out += [f"## {heading}", ""]
        if not files:
            out += ["None.", ""]
            continue
        out += ["| File | Trend | Score | Per month | Why |", "|---|---|---|---:|---|"]
        out += [f"| {md(f.path)} | {sparkline(f.scores)} | {first_last(f.scores)} | "
                f"{f.slope:+.2f} | {md('; '.join(f.reasons))} |" for f in files]
        out.append("")
    out += ["## Refactors", ""]
    if trend.refactors:
        out += ["| File | Commits | Complexity | Fixes per month | Changes per month | Verdict |",
                "|---|---|---|---|---|---|"]
        out += [_refactor_row(r) for r in trend.refactors]
    else:
        out.append("No file lost a quarter of its complexity between two points.")
    out.append("")
    q = trend.question
    if q is not None:
        out += [f"## {'Commit ' + md(q.note) if q.kind == 'commit' else 'File ' + md(q.subject)}",
                ""]
        if q.file is not None:
            f = q.file
            out += [f"Score {sparkline(f.scores)} {first_last(f.scores)} ({f.kind}, "
                    f"{f.slope:+.2f} per month); complexity {sparkline(f.complexity)} "
                    f"{first_last(f.complexity, 'g')}.", ""]
            if f.functions:
                out += ["| Function | Complexity | |", "|---|---|---|"]
                out += [f"| {md(fn.name)} | {sparkline(fn.complexity)} | "
                        f"{first_last(fn.complexity, 'g')} |" for fn in f.functions]
                out.append("")
        if q.note and q.kind == "file":
            out += [md(q.note) + ".", ""]
        if q.refactors:
            out += ["| File | Commits | Complexity | Fixes per month | Changes per month | "
                    "Verdict |", "|---|---|---|---|---|---|"]
            out += [_refactor_row(r) for r in q.refactors]
            out.append("")
    out += ["## Points", "",
            "| Date | Commit | Friction | Hotspots | Complexity | Findings | Lines | Top file |",
            "|---|---|---:|---:|---:|---:|---:|---|"]
    for p in trend.points:
        t = p.total
        top = md(p.top[0].path) if p.top else "-"
        out.append(f"| {p.time.date()} | {p.commit[:10]} | {t.score:,.1f} | {t.hotspots} | "
                   f"{t.complexity:,.0f} | {t.findings} | {t.lines:,.0f} | {top} |")
    out += ["", f"<sub>Generated by frictionscan trend; a file is a hotspot from score "
                f"{trend.threshold:g}; see docs/trend.md.</sub>"]
    stream.write("\n".join(out) + "\n")


def _refactor_row(r: RefactorEffect) -> str:
    return (f"| {md(r.path)} | {_when(r)} | {_complexity(r)} | "
            f"{_pair(r.fixes_before, r.fixes_after)} | "
            f"{_pair(r.changes_before, r.changes_after)} | {r.verdict} |")


# -- csv ----------------------------------------------------------------------------------

#: Stable CSV columns (docs/trend.md); later versions only append columns.
CSV_COLUMNS = ("section", "time", "commit", "area", "path", "rank", "kind", "score",
               "complexity", "lines", "findings", "hotspots", "files", "slope", "change",
               "scores", "reasons", "complexity_before", "complexity_after", "drop",
               "fixes_before", "fixes_after", "changes_before", "changes_after", "verdict",
               "growth", "lines_growth", "faster_than_code")


def _csv_rows(trend: Trend) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in trend.points:
        base = {"time": p.time.isoformat(), "commit": p.commit}
        for t in (p.total, *p.areas):
            rows.append({**base, "section": "point", "area": t.name, "score": t.score,
                         "complexity": t.complexity, "lines": t.lines,
                         "findings": t.findings, "hotspots": t.hotspots, "files": t.files})
        rows += [{**base, "section": "top", "area": f.area or "", "path": f.path,
                  "rank": f.rank, "score": f.score, "complexity": f.complexity,
                  "lines": f.lines, "findings": f.findings} for f in p.top]
    for a in (trend.total, *trend.areas):
        rows.append({"section": "area", "area": a.name, "growth": a.score_growth,
                     "lines_growth": a.lines_growth, "faster_than_code": a.faster_than_code,
                     "scores": " ".join(f"{s:g}" for s in a.scores)})
    for f in (*trend.rising, *trend.new, *trend.cooling):
        rows.append({"section": f.kind, "area": f.area or "", "path": f.path, "kind": f.kind,
                     "score": f.scores[-1], "slope": f.slope, "change": f.change,
                     "scores": " ".join("-" if s is None else f"{s:g}" for s in f.scores),
                     "reasons": "; ".join(f.reasons)})
    questions = trend.question.refactors if trend.question is not None else ()
    for section, refactors in (("refactor", trend.refactors), ("question", questions)):
        rows += [{"section": section, "time": r.end.isoformat(), "commit": r.commit or "",
                  "path": r.path, "complexity_before": r.complexity_before,
                  "complexity_after": r.complexity_after, "drop": r.drop,
                  "fixes_before": r.fixes_before, "fixes_after": r.fixes_after,
                  "changes_before": r.changes_before, "changes_after": r.changes_after,
                  "verdict": r.verdict} for r in refactors]
    return rows


def write_csv(trend: Trend, config: Config, stream: TextIO) -> None:
    """One row per point and area (``point``), per point's top file (``top``), per area's
    trend (``area``), per rising, new and cooling file, per refactor (``refactor``) and per
    file of ``--refactor``/``--file`` (``question``). Text cells are neutralised where a
    spreadsheet would read them as a formula; numbers are written bare."""
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n",
                            quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    for row in _csv_rows(trend):
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


# -- json ----------------------------------------------------------------------------------


def _totals(t: Any) -> dict[str, Any]:
    return {"name": printable(t.name), "files": t.files, "score": t.score,
            "complexity": t.complexity, "lines": t.lines, "findings": t.findings,
            "hotspots": t.hotspots}


def _point(p: TrendPoint) -> dict[str, Any]:
    return {"time": p.time.isoformat(), "commit": p.commit,
            "commit_time": p.commit_time.isoformat(), "total": _totals(p.total),
            "areas": [_totals(a) for a in p.areas],
            "top": [{"path": printable(f.path), "rank": f.rank, "score": f.score,
                     "complexity": f.complexity, "lines": f.lines, "findings": f.findings,
                     "changes": f.changes, "fixes": f.fixes,
                     "area": printable(f.area) if f.area else None} for f in p.top]}


def _file(f: FileTrend) -> dict[str, Any]:
    return {"kind": f.kind, "area": printable(f.area) if f.area else None, "slope": f.slope,
            "change": f.change, "scores": list(f.scores), "complexity": list(f.complexity),
            "changes": list(f.changes), "findings": list(f.findings),
            "reasons": [printable(r) for r in f.reasons],
            "functions": [{"name": printable(fn.name), "complexity": list(fn.complexity)}
                          for fn in f.functions]}


def _refactor(r: RefactorEffect) -> dict[str, Any]:
    return {"commit": r.commit, "start": r.start.isoformat(), "end": r.end.isoformat(),
            "complexity_before": r.complexity_before, "complexity_after": r.complexity_after,
            "drop": r.drop, "months_before": r.months_before, "months_after": r.months_after,
            "fixes_per_month_before": r.fixes_before, "fixes_per_month_after": r.fixes_after,
            "changes_per_month_before": r.changes_before,
            "changes_per_month_after": r.changes_after, "verdict": r.verdict,
            "summary": printable(r.summary)}


def _area(a: AreaTrend) -> dict[str, Any]:
    return {"name": printable(a.name), "scores": list(a.scores), "growth": a.score_growth,
            "lines_growth": a.lines_growth, "complexity_growth": a.complexity_growth,
            "findings_growth": a.findings_growth, "faster_than_code": a.faster_than_code}


def trend_dict(trend: Trend) -> dict[str, Any]:
    """The JSON document (docs/trend.md): files by path, in the order of the lists."""
    q = trend.question
    return {
        "schema_version": 1,
        "repository": {"root": printable(trend.root), "head": trend.head,
                       "head_time": trend.head_time.isoformat()},
        "every": trend.every, "last": trend.last, "threshold": trend.threshold,
        "summary": [printable(s) for s in trend.summary],
        "warnings": [printable(w) for w in trend.warnings],
        "points": [_point(p) for p in trend.points],
        "total": _area(trend.total),
        "areas": [_area(a) for a in trend.areas],
        "rising": {printable(f.path): _file(f) for f in trend.rising},
        "cooling": {printable(f.path): _file(f) for f in trend.cooling},
        "new": {printable(f.path): _file(f) for f in trend.new},
        "refactored": {printable(r.path): _refactor(r) for r in trend.refactors},
        "top_files": {printable(f.path): _file(f) for f in trend.top_files},
        "question": None if q is None else {
            "kind": q.kind, "subject": printable(q.subject), "note": printable(q.note),
            "file": _file(q.file) if q.file is not None else None,
            "refactors": {printable(r.path): _refactor(r) for r in q.refactors}},
    }


def write_json(trend: Trend, config: Config, stream: TextIO) -> None:
    stream.write(json_text(trend_dict(trend)) + "\n")
